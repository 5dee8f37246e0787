"""The interview plan, simulated: predicted recall on the day with the plan and with plain
FSRS, how many cards and exercises are reviewed at least once before the margin, and how even
the days are, over several seeds and horizons (issue 18). Prints a Markdown table.

    python -m bench.plan_sim
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from prepcli.review import plan
from prepcli.review.scheduler import Scheduler, from_ms, ms

NOW = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)
CASES = [(21, 150, 500), (30, 150, 150), (14, 300, 100)]  # days, cards in review, new cards
EXERCISES = 13  # as many as the catalogue has, in review at 20 to 60 days
SEEDS = range(5)


def main() -> None:
    sch = Scheduler()
    print("| days | in review | new | seed | ≥ 90 % with the plan "
          "| without (plain FSRS, 20 new/day) | mean recall with / without "
          "| reviewed once more before the margin with / without "
          "| reviews with / without | busiest day / mean a day in the window, with "
          "| of which once more: most / mean a day |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    t0 = time.perf_counter()
    for days, reviewing, new in CASES:
        p = plan.Plan((NOW + timedelta(days=days)).date(), NOW.date())
        for seed in SEEDS:
            st = plan.synthetic_collection(NOW, reviewing, new, EXERCISES, seed=seed)
            cards = [i for i in st if not i.startswith("exercise:")]
            a = plan.simulate(st, sch, NOW, p, planned=True, new_limit=20, seed=seed)
            b = plan.simulate(st, sch, NOW, p, planned=False, new_limit=20, seed=seed)
            once_a, total = plan.once_more(p, st, a, NOW)
            once_b, _ = plan.once_more(p, st, b, NOW)
            window = [r + x for r, x in zip(a.reviews, a.exercises)][:p.window_days()]
            print(f"| {days} | {reviewing} | {new} | {seed} "
                  f"| {a.share_at_least(0.9, cards):.1%} | {b.share_at_least(0.9, cards):.1%} "
                  f"| {a.mean(cards):.3f} / {b.mean(cards):.3f} "
                  f"| {once_a}/{total} / {once_b}/{total} "
                  f"| {sum(a.reviews) + sum(a.exercises)} / {sum(b.reviews) + sum(b.exercises)} "
                  f"| {max(window)} / {sum(window) / len(window):.0f} "
                  f"| {extra(p, st, sch)} |")
    print(f"\n{time.perf_counter() - t0:.1f} s")


def extra(p: plan.Plan, st: dict, sch: Scheduler) -> str:
    """The reviews the "once more" rule adds (the cards it gives a day of the window), per
    day: the most and the mean, as the plan stands on its first day."""
    at = ms(p.at(NOW.tzinfo))
    days = Counter(from_ms(due).date() for cid, due in plan.overrides(p, st, sch, NOW).items()
                   if due != plan.capped_due(st[cid], sch, at))
    n = p.window_days()
    return f"{max(days.values(), default=0)} / {sum(days.values()) / n:.1f}"


if __name__ == "__main__":
    main()
