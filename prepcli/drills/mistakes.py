"""Cards from your own mistakes: when the grader names a wrong convention in your code, one
card per (exercise, convention) goes to the `mistakes` deck.

The deck is a YAML deck file in the data directory (`mistakes/mistakes.yaml`), read with the
other decks: it is the user's own (the bundled decks are never written), it is an ordinary
deck (scheduled, suspended, listed, exported like any), it can be read and edited by hand, and
the review history stays where all history is, in the store, keyed by the card's id.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from prepcli.errors import PrepError
from prepcli.review.scheduler import REVIEW, CardState

FOLDER, FILE, SLUG = "mistakes", "mistakes.yaml", "mistakes"
MASTERED_DAYS = 21  # a mistake is mastered once its card is in review with this stability
_FIX = ". Fix: "  # how the grader words a variant: "<name>. Fix: <fix>."


def path(home: Path) -> Path:
    return home / FOLDER / FILE


def card_id(exercise: str, convention: str) -> str:
    return "mistake-" + hashlib.sha1(f"{exercise}\x1f{convention}".encode()).hexdigest()[:10]


def card_for(report, title: str) -> dict | None:
    """The card for the report's named wrong convention, or None when none is named."""
    f = report.first_failure
    if f is None or not f.variant:
        return None
    name, _, fix = f.variant.partition(_FIX)
    fix = fix.rstrip(".") or name
    part = f" ({f.part})" if f.part else ""
    problem = "; ".join(f.problem)
    return {
        "id": card_id(report.exercise, name),
        "question": f"{title}{part}: your code once did this — {name}. "
                    "What is the right convention?",
        "answer": f"{fix}.\n\nYour failing case ({f.case}): {f.inputs}\n\n{problem}".strip(),
        "tags": ["mistakes", report.exercise],
        "exercise": report.exercise,
    }


def add(home: Path, report, title: str) -> bool:
    """Add the report's mistake card to the deck file; False when there is none to add or
    the convention already has its card (one per convention, not per attempt)."""
    card = card_for(report, title)
    return card is not None and merge(home, [card]) == 1


def exists(home: Path) -> bool:
    """Whether the mistakes deck is there (PrepError when something else is in its place: a
    folder, a named pipe whose read would block for ever)."""
    from prepcli.review.datafiles import regular_file

    return regular_file(path(home), "your mistakes deck", "move it away (prep drill makes "
                        "it again from your next mistake)")


def merge(home: Path, cards: list[dict]) -> int:
    """Add the cards whose id the deck does not have yet (a card's id is its exercise and
    convention, so the same mistake made on two machines is one card); how many were added."""
    import yaml  # here: statistics read this module and must not import YAML (50 ms)

    from prepcli.cards import deck as deckmod

    file = path(home)
    try:
        text = file.read_text(encoding="utf-8") if exists(home) else ""
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=str(file)) from None
    if text.strip():  # (edited by hand into no deck: said, as prep check says it)
        _, problems = deckmod.load(file)
        if problems:
            raise PrepError(f"your mistakes deck has a problem: {problems[0].message} (fix "
                            "it, or move it away; prep check names every problem)",
                            file=str(file), line=problems[0].line or None)
    data = yaml.safe_load(text) or {}
    have = data.setdefault("cards", [])
    data.setdefault("deck", "Mistakes")
    ids = {c.get("id") for c in have}
    new = []
    for c in cards:
        if c["id"] not in ids:  # also a card given twice in `cards` is added once
            ids.add(c["id"])
            new.append(c)
    if new:
        have.extend(new)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:  # (a file named `mistakes` in the data folder)
            raise PrepError(f"cannot create the folder of your mistakes deck: {e.strerror} "
                            "(move what is in the way)", file=str(file.parent)) from None
        # atomically and durably, as every deck: never half a deck after a crash
        deckmod.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), file)
    return len(new)


def counts(card_ids: list[str], states: dict[str, CardState]) -> dict[str, int]:
    """Mistakes made (cards in the deck) and since mastered (in review, stability ≥ 21 d)."""
    mastered = sum(1 for i in card_ids if (s := states.get(i)) is not None
                   and s.state == REVIEW and (s.stability or 0) >= MASTERED_DAYS)
    return {"made": len(card_ids), "mastered": mastered}
