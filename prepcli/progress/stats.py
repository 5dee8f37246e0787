"""Progress figures for `prep stats`: one dictionary, the same for the screen and `--json`.

Definitions (documented in the README):
- a day is a study day, starting at `day_starts_at` local time;
- true retention, as Anki defines it: of the first review of a card on each day, made while the
  card was in review (not learning), the share not rated Again; young = scheduled interval
  under 21 days, mature = 21 days or more;
- the streak is the run of consecutive days with at least one review, up to today (a day
  with no review yet today does not break it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from prepcli.drills.attempts import statuses
from prepcli.errors import PrepError
from prepcli.review.plan import Plan, overrides
from prepcli.review.scheduler import (DAY_MS, LEARNING, NEW, RELEARNING, CardState, Scheduler,
                                      from_ms, ms)
from prepcli.review.session import day_start
from prepcli.review.store import NOT_EXERCISE, Store

if TYPE_CHECKING:
    from prepcli.cards.deck import Deck

SCHEMA = 1
LEECH_LAPSES = 8
HEATMAP_DAYS = 26 * 7
FORECAST_DAYS = 30
WINDOWS = (7, 30, 365)
_PAST = 20_000  # days: every review is later than this many days before today


def compute(store: Store, scheduler: Scheduler, now: datetime, files: list[str], *,
            day_starts_at: int = 4, new_per_day: int = 20, deck: str | None = None,
            plan: Plan | None = None) -> dict:
    """The figures of the cards of these indexed deck files (a study scope's `files`, in
    order: prepcli/review/index.py) and of the review log. The card figures are aggregates
    over the deck index joined with the card states, in SQL: no card becomes an object.

    With an active interview `plan` (`prep plan`), what is due and new is what `prep study`
    and `prep drill` follow: the plan's due dates (a review card it brings forward counts on
    its planned day; only then are the review cards read one by one) and its pace of new
    cards."""
    store.scope_index(files, True, None)
    rows = store.stats_decks()
    stem = {path: Path(path).stem for _, path, *_ in rows}  # the deck of a card listed
    decks = [(o, stem[path], name, n, p) for o, path, name, n, p in rows]
    if deck:
        wanted = deck.casefold()
        decks = [d for d in decks if wanted in (d[1].casefold(), d[2].casefold())]
        if not decks:
            raise PrepError(f"no deck named {deck!r}")
        store.scope_index([files[d[0]] for d in decks], True, None)
        decks = [(i, *d[1:]) for i, d in enumerate(decks)]
        where = store.stats_restrict()
    else:  # every card's reviews, vanished cards' included; exercises are not cards
        store.restrict(None)
        where = NOT_EXERCISE

    day0 = day_start(now, day_starts_at)
    day0_ms, now_ms = ms(day0), ms(now)
    reviews = review_figures(store, where, day0)

    # --- the cards: today's dues, forecast, counts, decks, intervals, leeches ------------
    decay = -scheduler.settings.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    slug_of = {o: slug for o, slug, *_ in decks}
    total = sum(d[3] for d in decks)
    # every card counts as new until its state (below) says otherwise: cards without one are
    counts = {"new": total, "learning": 0, "young": 0, "mature": 0, "suspended": 0, "buried": 0,
              "prompt": sum(d[4] for d in decks), "total": total}
    forecast = [0] * FORECAST_DAYS
    due_now = due_later = 0
    per_deck = {slug: [0, 0, 0, 0, 0, 0.0] for _, slug, *_ in decks}  # cards new due mature seen R
    for _, slug, _, n, _ in decks:
        per_deck[slug][0] += n
        per_deck[slug][1] += n
    intervals = [0] * len(INTERVAL_BUCKETS)
    for o, state, sus, bur, overdue, day, bucket, mature, n, recall in store.stats_states(
            now_ms, day0_ms, FORECAST_DAYS, _BOUNDS_MS, decay, factor):
        acc = per_deck[slug_of[o]]
        acc[1] -= n
        counts["new"] -= n
        counts["suspended"] += n * sus
        counts["buried"] += n * bur
        if state == NEW:
            acc[1] += n * (not sus)
            counts["new"] += n * (not sus and not bur)
            continue
        acc[4] += n
        acc[5] += recall  # by group, not card by card: the last bit may differ, not 4 places
        kind = "learning" if state in (LEARNING, RELEARNING) else \
            "mature" if mature else "young"
        acc[3] += n * (kind == "mature")
        if not sus and not bur:
            counts[kind] += n
            if day is not None:
                due_now += n * overdue
                due_later += n * (not overdue and day == 0)
                acc[2] += n * (day == 0)
                if day < FORECAST_DAYS:
                    forecast[day] += n
        if bucket is not None:
            intervals[bucket] += n
    planned = plan is not None and plan.active(now)
    if planned:
        for o, before, after in _brought_forward(store, scheduler, now, plan, now_ms):
            for due, sign in ((before, -1), (after, 1)):
                overdue = due <= now_ms
                day = min(max(0, (due - day0_ms) // DAY_MS), FORECAST_DAYS)
                due_now += sign * overdue
                due_later += sign * (not overdue and day == 0)
                per_deck[slug_of[o]][2] += sign * (day == 0)
                if day < FORECAST_DAYS:
                    forecast[day] += sign
    # the 10 least likely recalled, but a card shown as 100 % is nobody's weakest: such
    # cards sort last, so dropping them after the limit leaves what dropping them before would
    weakest = [w for w in store.stats_weakest(10, now_ms, decay, factor) if w[0] < 0.995]
    new_done = reviews.pop("new_done")
    new_left = max(0, new_per_day - new_done)
    if planned:  # as prep study paces them (Session)
        new_left = plan.new_left(new_left, counts["new"] + new_done, new_done, now)
    today = {
        **reviews.pop("today"), "due_now": due_now, "due_later_today": due_later,
        "new_available": min(counts["new"], new_left), "new_total": counts["new"],
    }
    deck_rows = [{"deck": slug, "name": name, "cards": per_deck[slug][0],
                  "new": per_deck[slug][1], "due": per_deck[slug][2],
                  "mature_share": _rate(per_deck[slug][3], per_deck[slug][0]),
                  "retrievability": (round(per_deck[slug][5] / per_deck[slug][4], 4)
                                     if per_deck[slug][4] else None)}
                 for _, slug, name, _, _ in decks]
    related = store.stats_exercises() if deck else None
    due_of = (lambda cid, st: plan.due(cid, st, scheduler, now)) if planned else None
    return assemble(store, scheduler, now, day0, reviews, {
        "deck": decks[0][1] if deck else None,
        "today": today,
        "forecast": forecast,
        "counts": counts,
        "intervals": intervals,
        "decks": deck_rows,
        "leeches": [{"id": cid, "deck": stem[file], "question": q, "lapses": lapses}
                    for cid, file, q, lapses in store.stats_leeches(LEECH_LAPSES)],
        "weakest": [{"id": cid, "deck": stem[file], "question": q,
                     "retrievability": round(r, 4)} for r, cid, file, q in weakest],
        "plan": ({"interview": plan.interview.isoformat(), "days_left": plan.days_left(now)}
                 if planned else None),
    }, related, due_of)


def _brought_forward(store: Store, scheduler: Scheduler, now: datetime, plan: Plan,
                     now_ms: int) -> list[tuple[int, int, int]]:
    """(deck ordinal, FSRS's due time, the plan's) of each of the scope's review cards whose
    due time the plan changes (plan.overrides, as Session applies them)."""
    rows = store.stats_review_states(now_ms)
    states = {r[0]: CardState(*r[2:]) for r in rows}
    moved = overrides(plan, states, scheduler, now)
    return [(r[1], states[r[0]].due, moved[r[0]]) for r in rows
            if moved.get(r[0]) is not None and states[r[0]].due is not None]


def review_figures(store: Store, where: str, day0: datetime) -> dict:
    """What the review log says of the cards `where` selects (`store.restrict`), for the
    study day starting at `day0`: today's reviews and new cards started ("new_done"), the
    streak and calendar, true retention, answer buttons."""
    day0_ms = ms(day0)
    base = day0_ms - _PAST * DAY_MS
    today_idx = _PAST
    n, again, dur, new_done = store.review_totals(where, day0_ms)
    # (days of the system's local time, as `now` is when prep runs: its offset changes are
    # followed; a `now` of another zone, a test's, keeps its own fixed offset)
    local = day0.utcoffset() == timedelta(milliseconds=_local_offset_ms(day0_ms))
    first = store.first_review_time() if local else None
    shifts = offset_shifts(first, day0_ms) if first is not None else []
    per_day = store.reviews_per_day(where, base, shifts)
    # (a review dated after today, by another machine's clock running ahead (sync and
    # reviews import take up to a day), is counted today, as today's figures count it: it
    # was in them and in no day's)
    ahead = [d for d in per_day if d > today_idx]
    for d in ahead:
        per_day[today_idx] = per_day.get(today_idx, 0) + per_day.pop(d)
    streak, d = 0, today_idx if today_idx in per_day else today_idx - 1
    while d in per_day:
        streak, d = streak + 1, d - 1
    first_day = today_idx - HEATMAP_DAYS + 1
    heat = [per_day.get(first_day + i, 0) for i in range(HEATMAP_DAYS)]
    retention = {}
    for w in WINDOWS:
        young_pass, young_n, mature_pass, mature_n = store.true_retention(
            where, base, days_before(day0, w - 1, local), shifts)
        retention[f"{w}d"] = {"young": _passed(young_pass, young_n),
                              "mature": _passed(mature_pass, mature_n),
                              "all": _passed(young_pass + mature_pass, young_n + mature_n)}
    return {
        "today": {"reviews": n, "again": again, "again_rate": _rate(again, n),
                  "seconds": round(dur / 1000, 1)},
        "new_done": new_done,
        "streak": {"days": streak, "days_studied": len(per_day),
                   "studied_today": today_idx in per_day},
        "retention": retention,
        "heatmap": {"first_date": (day0 - timedelta(days=HEATMAP_DAYS - 1)).date().isoformat(),
                    "reviews": heat},
        "reviews_per_day": [{"date": (day0 - timedelta(days=PER_DAY_DAYS - 1 - i)).date()
                             .isoformat(), "reviews": per_day.get(today_idx - PER_DAY_DAYS + 1 + i, 0)}
                            for i in range(PER_DAY_DAYS)],
        "answer_buttons": _buttons(store.answer_counts(where, days_before(day0, PER_DAY_DAYS - 1,
                                                                         local))),
    }


def _local_offset_ms(t_ms: int) -> int:
    """The local time's distance from UTC at `t_ms` (the system's time zone rules)."""
    import time

    return time.localtime(t_ms / 1000).tm_gmtoff * 1000


def offset_shifts(first_ms: int, now_ms: int, offset=_local_offset_ms) -> list[tuple[int, int]]:
    """The daylight-saving changes since `first_ms`, for store._day: ((until, delta), …),
    each stretch of time before `until` whose local offset is `delta` ms from `now_ms`'s
    (looked at day by day, each change then found to the millisecond); [] with no change."""
    now_off = offset(now_ms)
    out, t, cur = [], first_ms, offset(first_ms)
    while t < now_ms:
        nxt = min(t + DAY_MS, now_ms)
        if offset(nxt) != cur:
            lo, hi = t, nxt  # (cur at lo, another at hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(mid) == cur else (lo, mid)
            out.append((hi, cur - now_off))
            cur = offset(hi)
        t = nxt
    return out if any(delta for _, delta in out) else []


def days_before(day0: datetime, k: int, local: bool = True) -> int:
    """The start (ms) of the study day `k` days before the one starting at `day0`: the same
    local hour on that date, whatever the offset then (`local`: `day0` is in the system's
    time zone; else 24-hour days of `day0`'s offset)."""
    import time

    d = day0 - timedelta(days=k)
    if not local:
        return ms(d)
    return round(time.mktime((d.year, d.month, d.day, d.hour, d.minute, 0, 0, 0, -1)) * 1000)


def assemble(store: Store, scheduler: Scheduler, now: datetime, day0: datetime, reviews: dict,
             cards: dict, related: set[str] | None, due_of=None) -> dict:
    """The document, from `review_figures` and the card figures (`compute`), with the
    exercises (those in `related` only, unless None; due by `due_of` when given, as
    attempts.statuses takes it) and the mock interviews."""
    exercises = []
    for s in statuses(store, scheduler, now, due_of):
        if related is not None and s.exercise not in related:
            continue
        exercises.append({
            "exercise": s.exercise, "title": s.title, "parts": len(s.parts),
            "attempts": s.attempts, "best_parts_passed": s.best_parts,
            "last_parts_passed": s.last.parts_passed if s.last else None,
            "last_cases": [s.last.cases_passed, s.last.cases_total] if s.last else None,
            "last_graded": (from_ms(s.last.time).astimezone(now.tzinfo).isoformat()
                            if s.last else None),
            "next_due": s.due.astimezone(now.tzinfo).isoformat() if s.due else None,
        })
    empty = not store.has_reviews() and not store.grades()
    return {
        "schema": SCHEMA,
        "generated_at": now.isoformat(),
        "deck": cards["deck"],
        "empty": empty,
        "today": cards["today"],
        "plan": cards.get("plan"),  # {interview, days_left} while an interview plan is active
        "streak": reviews["streak"],
        "retention": reviews["retention"],
        "forecast": [{"date": (day0 + timedelta(days=i)).date().isoformat(), "due": v}
                     for i, v in enumerate(cards["forecast"])],
        "heatmap": reviews["heatmap"],
        "counts": cards["counts"],
        "intervals": [{"days": label, "cards": v} for (label, _), v in
                      zip(INTERVAL_BUCKETS, cards["intervals"])],
        "reviews_per_day": reviews["reviews_per_day"],
        "answer_buttons": reviews["answer_buttons"],
        "decks": cards["decks"],
        "exercises": exercises,
        "mocks": _mocks(store, now.tzinfo),
        "leeches": {"threshold": LEECH_LAPSES, "cards": cards["leeches"],
                    "weakest": cards["weakest"]},
    }


# current interval of review cards, Anki-like buckets: (label, upper bound in days, exclusive)
INTERVAL_BUCKETS = (("1", 1.5), ("2", 2.5), ("3-6", 6.5), ("7-13", 13.5), ("14-20", 20.5),
                    ("21-59", 59.5), ("60-179", 179.5), ("180-364", 364.5),
                    ("1y+", float("inf")))
PER_DAY_DAYS = 30  # reviews per day and answer buttons: the last 30 days


# The bounds in ms: the interval in days (a float) is below a bound exactly when the interval
# in ms is below the bound in ms, the bounds being whole half days.
_BOUNDS_MS = [int(hi * DAY_MS) for _, hi in INTERVAL_BUCKETS[:-1]]


def _mocks(store: Store, tz) -> list[dict]:
    """The past mock interviews; the module that scores them is imported only when there are
    some (most collections have none, and `prep stats` should start fast)."""
    if not store.mocks(1):
        return []
    from prepcli.drills.mock import past

    return past(store, tz)


def _buttons(counts: dict[tuple[str, int], int]) -> dict:
    """Answer-button counts per card type, with the share answered other than Again."""
    out = {}
    for kind in ("learning", "young", "mature"):
        row = [counts.get((kind, r), 0) for r in (1, 2, 3, 4)]
        out[kind] = {"again": row[0], "hard": row[1], "good": row[2], "easy": row[3],
                     "correct": _rate(sum(row[1:]), sum(row))}
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _passed(passed: int, reviews: int) -> dict:
    return {"passed": passed, "reviews": reviews, "rate": _rate(passed, reviews)}


def prompts(decks: list[Deck]) -> list[tuple[str, str, str]]:
    """(deck, source, question) of every prompt card: the questions still to answer."""
    out = []
    for d in decks:
        for c in d.cards:
            if c.kind == "prompt":
                src = c.source or {}
                out.append((d.slug, f"{src.get('file', '?')}:{src.get('line', '?')}", c.question))
    return out
