"""The interview plan, simulated: predicted recall on the day with the plan and with plain
FSRS, over several seeds and horizons (issue 18). Prints a Markdown table.

    python -m bench.plan_sim
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from prepcli import plan
from prepcli.scheduler import Scheduler

NOW = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)
CASES = [(21, 150, 500), (30, 150, 150), (14, 300, 100)]  # days, cards in review, new cards
SEEDS = range(5)


def main() -> None:
    sch = Scheduler()
    print("| days | in review | new | seed | ≥ 90 % with the plan "
          "| without (plain FSRS, 20 new/day) | mean recall with / without "
          "| reviews with / without |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    t0 = time.perf_counter()
    for days, reviewing, new in CASES:
        day = (NOW + timedelta(days=days)).date()
        for seed in SEEDS:
            st = plan.synthetic_collection(NOW, reviewing, new, seed=seed)
            a = plan.simulate(st, sch, NOW, day, planned=True, new_limit=20, seed=seed)
            b = plan.simulate(st, sch, NOW, day, planned=False, new_limit=20, seed=seed)
            print(f"| {days} | {reviewing} | {new} | {seed} | {a.share_at_least(0.9):.1%} | "
                  f"{b.share_at_least(0.9):.1%} | {a.mean():.3f} / {b.mean():.3f} | "
                  f"{sum(a.reviews)} / {sum(b.reviews)} |")
    print(f"\n{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
