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

import bisect
import heapq
from datetime import datetime, timedelta

from prepcli.cards.deck import Deck
from prepcli.drills.attempts import statuses
from prepcli.drills.mock import past as past_mocks
from prepcli.errors import PrepError
from prepcli.review.scheduler import DAY_MS, LEARNING, NEW, RELEARNING, REVIEW, Scheduler, from_ms, ms
from prepcli.review.session import day_start
from prepcli.review.store import MATURE_MS, NOT_EXERCISE, Store

SCHEMA = 1
LEECH_LAPSES = 8
HEATMAP_DAYS = 26 * 7
FORECAST_DAYS = 30
WINDOWS = (7, 30, 365)
_PAST = 20_000  # days: every review is later than this many days before today


def compute(decks: list[Deck], store: Store, scheduler: Scheduler, now: datetime, *,
            day_starts_at: int = 4, new_per_day: int = 20, deck: str | None = None) -> dict:
    if deck:
        wanted = deck.casefold()
        decks = [d for d in decks if wanted in (d.slug.casefold(), d.name.casefold())]
        if not decks:
            raise PrepError(f"no deck named {deck!r}")
    cards = [c for d in decks for c in d.cards]
    study = [c for c in cards if c.kind != "prompt"]
    if deck:
        where = store.restrict([c.id for c in cards])
    else:  # every card's reviews, vanished cards' included; exercises are not cards
        store.restrict(None)
        where = NOT_EXERCISE

    day0 = day_start(now, day_starts_at)
    day0_ms, now_ms = ms(day0), ms(now)
    day_end_ms = day0_ms + DAY_MS
    base = day0_ms - _PAST * DAY_MS
    today_idx = _PAST

    states = store.state_rows()
    suspended, buried = store.flags()
    buried = {c for c, until in buried.items() if until > now_ms}

    # --- today (reviews) ------------------------------------------------------------------
    n, again, dur, new_done = store.review_totals(where, day0_ms)

    # --- streak and calendar ------------------------------------------------------------
    per_day = store.reviews_per_day(where, base)
    streak, d = 0, today_idx if today_idx in per_day else today_idx - 1
    while d in per_day:
        streak, d = streak + 1, d - 1
    first_day = today_idx - HEATMAP_DAYS + 1
    heat = [per_day.get(first_day + i, 0) for i in range(HEATMAP_DAYS)]

    # --- true retention -----------------------------------------------------------------
    retention = {}
    for w in WINDOWS:
        young_pass, young_n, mature_pass, mature_n = store.true_retention(
            where, base, day0_ms - (w - 1) * DAY_MS)
        retention[f"{w}d"] = {"young": _passed(young_pass, young_n),
                              "mature": _passed(mature_pass, mature_n),
                              "all": _passed(young_pass + mature_pass, young_n + mature_n)}

    # --- one pass over the cards: today's dues, forecast, counts, decks, leeches --------
    decay = -scheduler.settings.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    counts = {"new": 0, "learning": 0, "young": 0, "mature": 0, "suspended": 0, "buried": 0,
              "prompt": sum(1 for c in cards if c.kind == "prompt"), "total": len(study)}
    forecast = [0] * FORECAST_DAYS
    due_now = due_later = new_total = 0
    per_deck = {dk.slug: [0, 0, 0, 0, 0, 0.0] for dk in decks}  # cards new due mature seen R
    leech, weak = [], []
    intervals = [0] * len(INTERVAL_BUCKETS)
    fresh = (None, NEW, None, None, None, 0)
    for c in study:
        cid = c.id
        _, state, stab, due, last, lapses = states.get(cid, fresh)
        sus, bur = cid in suspended, cid in buried
        acc = per_deck[c.deck]
        acc[0] += 1
        counts["suspended"] += sus
        counts["buried"] += bur
        if state == NEW:
            acc[1] += not sus
            if not sus and not bur:
                counts["new"] += 1
                new_total += 1
            continue
        recall = 0.0
        if last is not None and stab:
            recall = (1 + factor * max(0.0, (now_ms - last) / DAY_MS) / stab) ** decay
        acc[4] += 1
        acc[5] += recall
        if state in (LEARNING, RELEARNING):
            kind = "learning"
        else:
            kind = "mature" if due is not None and last is not None and \
                due - last >= MATURE_MS else "young"
        acc[3] += kind == "mature"
        if not sus and not bur:
            counts[kind] += 1
            if due is not None:
                if due <= now_ms:
                    due_now += 1
                elif due < day_end_ms:
                    due_later += 1
                acc[2] += due < day_end_ms
                day = max(0, (due - day0_ms) // DAY_MS)
                if day < FORECAST_DAYS:
                    forecast[day] += 1
        if lapses >= LEECH_LAPSES:
            leech.append((lapses, c))
        if state in (REVIEW, RELEARNING) and not sus and recall < 0.995:
            weak.append((recall, cid, c))  # a card shown as 100 % is nobody's weakest
        if state == REVIEW and due is not None and last is not None:
            intervals[_bucket((due - last) / DAY_MS)] += 1
    today = {
        "reviews": n, "again": again, "again_rate": _rate(again, n),
        "seconds": round(dur / 1000, 1), "due_now": due_now, "due_later_today": due_later,
        "new_available": min(new_total, max(0, new_per_day - new_done)),
        "new_total": new_total,
    }
    deck_rows = [{"deck": dk.slug, "name": dk.name, "cards": per_deck[dk.slug][0],
                  "new": per_deck[dk.slug][1], "due": per_deck[dk.slug][2],
                  "mature_share": _rate(per_deck[dk.slug][3], per_deck[dk.slug][0]),
                  "retrievability": (round(per_deck[dk.slug][5] / per_deck[dk.slug][4], 4)
                                     if per_deck[dk.slug][4] else None)}
                 for dk in decks]

    # --- exercises ----------------------------------------------------------------------
    related = {c.exercise for c in cards if c.exercise} if deck else None
    exercises = []
    for s in statuses(store, scheduler, now):
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

    # --- leeches and weakest ------------------------------------------------------------
    leech.sort(key=lambda x: -x[0])
    weakest = heapq.nsmallest(10, weak, key=lambda x: (x[0], x[1]))

    empty = not store.has_reviews() and not store.grades()
    return {
        "schema": SCHEMA,
        "generated_at": now.isoformat(),
        "deck": decks[0].slug if deck else None,
        "empty": empty,
        "today": today,
        "streak": {"days": streak, "days_studied": len(per_day),
                   "studied_today": today_idx in per_day},
        "retention": retention,
        "forecast": [{"date": (day0 + timedelta(days=i)).date().isoformat(), "due": v}
                     for i, v in enumerate(forecast)],
        "heatmap": {"first_date": (day0 - timedelta(days=HEATMAP_DAYS - 1)).date().isoformat(),
                    "reviews": heat},
        "counts": counts,
        "intervals": [{"days": label, "cards": v} for (label, _), v in
                      zip(INTERVAL_BUCKETS, intervals)],
        "reviews_per_day": [{"date": (day0 - timedelta(days=PER_DAY_DAYS - 1 - i)).date()
                             .isoformat(), "reviews": per_day.get(today_idx - PER_DAY_DAYS + 1 + i, 0)}
                            for i in range(PER_DAY_DAYS)],
        "answer_buttons": _buttons(store.answer_counts(where, day0_ms - (PER_DAY_DAYS - 1) * DAY_MS)),
        "decks": deck_rows,
        "exercises": exercises,
        "mocks": past_mocks(store, now.tzinfo),
        "leeches": {
            "threshold": LEECH_LAPSES,
            "cards": [{"id": c.id, "deck": c.deck, "question": c.question, "lapses": lapses}
                      for lapses, c in leech],
            "weakest": [{"id": c.id, "deck": c.deck, "question": c.question,
                         "retrievability": round(r, 4)} for r, _, c in weakest],
        },
    }


# current interval of review cards, Anki-like buckets: (label, upper bound in days, exclusive)
INTERVAL_BUCKETS = (("1", 1.5), ("2", 2.5), ("3-6", 6.5), ("7-13", 13.5), ("14-20", 20.5),
                    ("21-59", 59.5), ("60-179", 179.5), ("180-364", 364.5),
                    ("1y+", float("inf")))
PER_DAY_DAYS = 30  # reviews per day and answer buttons: the last 30 days


_BOUNDS = [hi for _, hi in INTERVAL_BUCKETS]


def _bucket(days: float) -> int:
    """The first bucket whose bound is above `days` (bisect: called for every review card)."""
    return bisect.bisect_right(_BOUNDS, days)


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
