"""`prep cards`: find cards by text, deck, tag and state; show one with its source, review
history and FSRS state; suspend, unsuspend, bury, unbury and reset them.

Works on decks (prepcli.cards.deck) and the review store (prepcli.review.store.Store) it is handed; prints
nothing (the CLI formats what these functions return).
"""

from __future__ import annotations

import os

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prepcli.cards.deck import RESERVED_PREFIX, Card, Deck
from prepcli.errors import PrepError
from prepcli.paths import write_whole
from prepcli.review.scheduler import NEW, RATING_NAMES, STATE_NAMES, CardState, Scheduler, from_ms, ms
from prepcli.progress.stats import LEECH_LAPSES

STATES = ("due", "new", "learning", "review", "suspended", "buried", "leech")


@dataclass
class Row:
    card: Card
    state: CardState
    suspended: bool
    buried_until: int | None

    def labels(self, now: datetime) -> list[str]:
        """What the card is now: new/learning/review/relearning, and due, suspended,
        buried, leech where they hold."""
        out = [STATE_NAMES[self.state.state]]
        if self.suspended:
            out.append("suspended")
        if self.buried_until is not None and self.buried_until > ms(now):
            out.append("buried")
        if (self.state.state != NEW and self.state.due is not None
                and self.state.due <= ms(now) and len(out) == 1):
            out.append("due")
        if self.state.lapses >= LEECH_LAPSES:
            out.append("leech")
        return out


def rows(decks: list[Deck], store) -> list[Row]:
    states = store.states()
    suspended, buried = store.flags()
    return [Row(c, states.get(c.id, CardState()), c.id in suspended, buried.get(c.id))
            for d in decks for c in d.cards]


def search(all_rows: list[Row], now: datetime, text: str | None = None,
           deck: str | None = None, tag: str | None = None, state: str | None = None
           ) -> list[Row]:
    """The rows matching every filter given: `text` in the question, answer or id (any case),
    `deck` (file or display name), `tag`, `state` (one of STATES)."""
    if state is not None and state not in STATES:
        raise PrepError(f"unknown state {state!r} (one of: {', '.join(STATES)})")
    if deck is not None:
        names = {r.card.deck.casefold() for r in all_rows} | \
                {r.card.deck_name.casefold() for r in all_rows}
        if deck.casefold() not in names:
            slugs = ", ".join(sorted({r.card.deck for r in all_rows})) or "none"
            raise PrepError(f"no deck named {deck!r} (decks: {slugs})")
    out = []
    for r in all_rows:
        c = r.card
        if text and text.casefold() not in f"{c.id}\n{c.question}\n{c.answer}".casefold():
            continue
        if deck and deck.casefold() not in (c.deck.casefold(), c.deck_name.casefold()):
            continue
        if tag and tag.casefold() not in (t.casefold() for t in c.tags):
            continue
        if state and state not in r.labels(now):
            continue
        out.append(r)
    return out


def find(all_rows: list[Row], card_id: str) -> Row:
    """The row of `card_id`, or of the one card whose id starts with it."""
    exact = [r for r in all_rows if r.card.id == card_id]
    if exact:
        return exact[0]
    # (any case, as `prep cards list` matches: an id typed in capitals was no card)
    folded = card_id.casefold()
    exact = [r for r in all_rows if r.card.id.casefold() == folded]
    if len(exact) == 1:
        return exact[0]
    near = [r for r in all_rows if r.card.id.casefold().startswith(folded)] if card_id else []
    if len(near) == 1:
        return near[0]
    if near:
        raise PrepError(f"{card_id!r} is the start of {len(near)} card ids: "
                        f"{', '.join(r.card.id for r in near[:5])}; give more of it")
    if card_id.startswith(RESERVED_PREFIX):  # (`exercise:nms`: an exercise, no card)
        raise PrepError(f"{card_id!r} is an exercise's schedule, not a card: prep exercises "
                        f"shows it, prep drill {card_id[len(RESERVED_PREFIX):]} drills it")
    raise PrepError(f"no card with id {card_id!r} (prep cards list shows the ids)")


def summary(row: Row, now: datetime) -> dict:
    c, s = row.card, row.state
    return {"id": c.id, "deck": c.deck, "question": c.question, "tags": list(c.tags),
            "state": row.labels(now),
            "due": from_ms(s.due).isoformat() if s.due is not None and s.state != NEW else None}


def detail(row: Row, reviews, scheduler: Scheduler, now: datetime, resets=()) -> dict:
    """Everything about one card: the card, its source, its FSRS state, its reviews and the
    times it was reset (epoch ms: `resets`)."""
    c, s = row.card, row.state
    out = summary(row, now)
    out.update({
        "answer": c.answer, "kind": c.kind, "exercise": c.exercise,
        "deck_name": c.deck_name, "deck_file": str(c.origin) if c.origin else None,
        "deck_line": c.line, "source": c.source,
        "fsrs": {"state": STATE_NAMES[s.state], "step": s.step, "stability": s.stability,
                 "difficulty": s.difficulty, "reps": s.reps, "lapses": s.lapses,
                 "last_review": from_ms(s.last_review).isoformat() if s.last_review else None,
                 "retrievability": round(scheduler.retrievability(s, now), 4)},
        "suspended": row.suspended,
        "buried_until": from_ms(row.buried_until).isoformat()
        if row.buried_until is not None and row.buried_until > ms(now) else None,
        "reviews": [{"time": from_ms(r.time).isoformat(), "rating": RATING_NAMES[r.rating],
                     "duration_ms": r.duration_ms, "state_before": STATE_NAMES[r.before.state],
                     "interval_days": _days(r.after.due, r.time)} for r in reviews],
        "resets": [from_ms(t).isoformat() for t in sorted(resets)],
    })
    return out


def _days(due: int | None, t: int) -> float | None:
    return None if due is None else round((due - t) / 86_400_000, 2)


def copy_bundled(source: Path, dest: Path) -> tuple[int, int]:
    """Copy the bundled deck files and their notes/ into `dest`; never overwrite a file that
    is there (it may be the user's own edit). Returns (copied, left as they were)."""
    files = [p for p in source.glob("*.yaml")] + [p for p in (source / "notes").glob("*")
                                                   if p.is_file()]
    copied = kept = 0
    for f in files:
        target = dest / f.relative_to(source)
        if os.path.lexists(target):  # (a link to nothing too: the user's, not replaced)
            kept += 1
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # (whole or not at all: a part of a deck left by a full disk was kept on every run)
            write_whole(target, f.read_bytes())
        except OSError as e:
            raise PrepError(f"cannot copy the bundled decks: {e.strerror}",
                            file=e.filename or str(dest)) from None
        copied += 1
    return copied, kept
