"""The exercise catalog: one module per exercise, and this one table of them all.

To add an exercise: write `prepcli/catalog/<id>.py` (reference, cases, variants, hints,
`EXERCISE = Exercise(...)`), its stub `exercises/<id>.py`, and add the module below.
An exercise defined elsewhere (a test's dummy) is added with `register(exercise, stub)`.
"""

from __future__ import annotations

from pathlib import Path

from prepcli.catalog.base import Case, Exercise, Variant

# Table order is the order `prep exercises` lists them and card patterns are tried in.
_MODULES: tuple[str, ...] = ("nms", "iou", "conv", "bn", "pool", "softmax", "losses", "attention",
                             "norm", "interp", "ap")

EXERCISES: dict[str, Exercise] = {}


def register(exercise: Exercise, stub: Path | str | None = None) -> Exercise:
    """Add an exercise to the table (after the bundled ones); `stub` overrides where its
    pristine stub is. Returns the exercise as registered."""
    if exercise.id in EXERCISES:
        raise ValueError(f"exercise {exercise.id!r} is already registered")
    if stub is not None:
        import dataclasses

        exercise = dataclasses.replace(exercise, stub=Path(stub))
    EXERCISES[exercise.id] = exercise
    return exercise


def _load() -> None:
    import importlib
    for name in _MODULES:
        register(importlib.import_module(f"prepcli.catalog.{name}").EXERCISE)


_load()


def exercise_for(question: str) -> str | None:
    """The exercise a card's question is about, if any (first match in table order)."""
    for ex in EXERCISES.values():
        if ex.card_pattern.search(question):
            return ex.id
    return None


__all__ = ["Case", "Exercise", "Variant", "EXERCISES", "exercise_for", "register"]
