"""The exercise catalog: one module per exercise, and this one table of them all.

To add an exercise: write `prepcli/catalog/<id>.py` (reference, cases, variants, hints,
`EXERCISE = Exercise(...)`), its stub `exercises/<id>.py`, and add the module below.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant

# Table order is the order `prep exercises` lists them and card patterns are tried in.
_MODULES: tuple[str, ...] = ()

EXERCISES: dict[str, Exercise] = {}


def _load() -> None:
    import importlib
    for name in _MODULES:
        ex = importlib.import_module(f"prepcli.catalog.{name}").EXERCISE
        EXERCISES[ex.id] = ex


_load()


def exercise_for(question: str) -> str | None:
    """The exercise a card's question is about, if any (first match in table order)."""
    for ex in EXERCISES.values():
        if ex.card_pattern.search(question):
            return ex.id
    return None


__all__ = ["Case", "Exercise", "Variant", "EXERCISES", "exercise_for"]
