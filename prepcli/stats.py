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

from prepcli.deck import Deck
from prepcli.drills import statuses
from prepcli.errors import PrepError
from prepcli.scheduler import LEARNING, NEW, RELEARNING, REVIEW, CardState, Scheduler, from_ms, ms
from prepcli.session import day_start
from prepcli.store import NOT_EXERCISE, Store

SCHEMA = 1
MATURE_DAYS = 21
LEECH_LAPSES = 8
DAY_MS = 86_400_000
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

    states = store.states()
    suspended, buried = store.flags()
    buried = {c for c, until in buried.items() if until > now_ms}
    fresh = CardState()
    state = {c.id: states.get(c.id, fresh) for c in cards}  # looked up ~15 times a card
    st = state.__getitem__

    # --- today --------------------------------------------------------------------------
    n, again, dur = store.review_totals(where, day0_ms)
    new_done = store.db.execute(
        f"SELECT count(DISTINCT card_id) FROM reviews WHERE {where} AND time >= ? "
        "AND state_before = 0", (day0_ms,)).fetchone()[0]
    active = [c for c in study if c.id not in suspended and c.id not in buried]
    scheduled = [c for c in active if st(c.id).state != NEW and st(c.id).due is not None]
    new_cards = [c for c in active if st(c.id).state == NEW]
    today = {
        "reviews": n, "again": again, "again_rate": _rate(again, n),
        "seconds": round(dur / 1000, 1),
        "due_now": sum(1 for c in scheduled if st(c.id).due <= now_ms),
        "due_later_today": sum(1 for c in scheduled if now_ms < st(c.id).due < day_end_ms),
        "new_available": min(len(new_cards), max(0, new_per_day - new_done)),
        "new_total": len(new_cards),
    }

    # --- streak and calendar ------------------------------------------------------------
    # Recent days only: a streak longer than the window is then counted on from all days.
    window = 400
    per_day = store.reviews_per_day(where, base, day0_ms - window * DAY_MS)
    streak, d = 0, today_idx if today_idx in per_day else today_idx - 1
    while d in per_day:
        streak, d = streak + 1, d - 1
    if streak >= window:
        per_day = store.reviews_per_day(where, base)
        while d in per_day:
            streak, d = streak + 1, d - 1
    first_day = today_idx - HEATMAP_DAYS + 1
    heat = [per_day.get(first_day + i, 0) for i in range(HEATMAP_DAYS)]

    # --- true retention -----------------------------------------------------------------
    rows = store.first_reviews_of_review_cards(
        where, base, day0_ms - (max(WINDOWS) - 1) * DAY_MS, MATURE_DAYS * DAY_MS)
    retention = {}
    for w in WINDOWS:
        window = {}
        for label, mature in (("young", False), ("mature", True)):
            sel = [(p, n) for day, p, m, n in rows if day > today_idx - w and bool(m) == mature]
            passed = sum(n for p, n in sel if p)
            total = sum(n for _, n in sel)
            window[label] = {"passed": passed, "reviews": total, "rate": _rate(passed, total)}
        both = window["young"]["reviews"] + window["mature"]["reviews"]
        both_pass = window["young"]["passed"] + window["mature"]["passed"]
        window["all"] = {"passed": both_pass, "reviews": both, "rate": _rate(both_pass, both)}
        retention[f"{w}d"] = window

    # --- forecast -----------------------------------------------------------------------
    forecast = [0] * FORECAST_DAYS
    for c in scheduled:
        day = max(0, (st(c.id).due - day0_ms) // DAY_MS)
        if day < FORECAST_DAYS:
            forecast[day] += 1

    # --- counts by state ----------------------------------------------------------------
    def classify(s: CardState) -> str:
        if s.state == NEW:
            return "new"
        if s.state in (LEARNING, RELEARNING):
            return "learning"
        return "mature" if _interval_days(s) >= MATURE_DAYS else "young"

    kinds = {cid: classify(s) for cid, s in state.items()}
    kind = lambda c: kinds[c.id]  # noqa: E731
    recall = {cid: scheduler.retrievability(s, now) for cid, s in state.items()
              if s.state != NEW}

    counts = {"new": 0, "learning": 0, "young": 0, "mature": 0,
              "suspended": sum(1 for c in study if c.id in suspended),
              "buried": sum(1 for c in study if c.id in buried),
              "prompt": sum(1 for c in cards if c.kind == "prompt"), "total": len(study)}
    for c in active:
        counts[kind(c)] += 1

    # --- per deck -----------------------------------------------------------------------
    deck_rows = []
    for dk in decks:
        mine = [c for c in dk.cards if c.kind != "prompt"]
        seen = [c for c in mine if st(c.id).state != NEW]
        rs = [recall[c.id] for c in seen]
        deck_rows.append({
            "deck": dk.slug, "name": dk.name, "cards": len(mine),
            "new": sum(1 for c in mine if st(c.id).state == NEW and c.id not in suspended),
            "due": sum(1 for c in mine if c.id not in suspended and c.id not in buried
                       and st(c.id).state != NEW and st(c.id).due is not None
                       and st(c.id).due < day_end_ms),
            "mature_share": _rate(sum(1 for c in seen if kind(c) == "mature"), len(mine)),
            "retrievability": round(sum(rs) / len(rs), 4) if rs else None,
        })

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
    by_deck = {c.id: c for c in study}
    leech = sorted((c for c in study if st(c.id).lapses >= LEECH_LAPSES),
                   key=lambda c: -st(c.id).lapses)
    reviewed = [c for c in study if st(c.id).state in (REVIEW, RELEARNING)
                and c.id not in suspended]
    weakest = sorted(reviewed, key=lambda c: (recall[c.id], c.id))[:10]

    empty = store.review_count() == 0 and not store.grades()
    return {
        "schema": SCHEMA,
        "generated_at": now.isoformat(),
        "deck": decks[0].slug if deck else None,
        "empty": empty,
        "today": today,
        "streak": {"days": streak, "days_studied": store.days_with_reviews(where, base),
                   "studied_today": today_idx in per_day},
        "retention": retention,
        "forecast": [{"date": (day0 + timedelta(days=i)).date().isoformat(), "due": v}
                     for i, v in enumerate(forecast)],
        "heatmap": {"first_date": (day0 - timedelta(days=HEATMAP_DAYS - 1)).date().isoformat(),
                    "reviews": heat},
        "counts": counts,
        "decks": deck_rows,
        "exercises": exercises,
        "leeches": {
            "threshold": LEECH_LAPSES,
            "cards": [{"id": c.id, "deck": c.deck, "question": c.question,
                       "lapses": st(c.id).lapses} for c in leech],
            "weakest": [{"id": c.id, "deck": by_deck[c.id].deck, "question": c.question,
                         "retrievability": round(recall[c.id], 4)}
                        for c in weakest],
        },
    }


def _interval_days(s: CardState) -> float:
    if s.due is None or s.last_review is None:
        return 0.0
    return (s.due - s.last_review) / DAY_MS


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def prompts(decks: list[Deck]) -> list[tuple[str, str, str]]:
    """(deck, source, question) of every prompt card: the questions still to answer."""
    out = []
    for d in decks:
        for c in d.cards:
            if c.kind == "prompt":
                src = c.source or {}
                out.append((d.slug, f"{src.get('file', '?')}:{src.get('line', '?')}", c.question))
    return out
