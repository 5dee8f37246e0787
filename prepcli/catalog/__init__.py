"""The exercise catalog: one module per exercise, and this one table of them all.

To add an exercise: write `prepcli/catalog/<id>.py` (reference, cases, variants, hints,
`EXERCISE = Exercise(...)`), its stub `exercises/<id>.py`, and add the module below.
An exercise defined elsewhere (a test's dummy) is added with `register(exercise, stub)`.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from prepcli.catalog.base import Case, Exercise, Variant

try:
    from re import _parser  # the pattern's parse tree, for _anchors (3.11+; private)
except ImportError:  # pragma: no cover - without it every pattern is searched (still exact)
    _parser = None

# Table order is the order `prep exercises` lists them and card patterns are tried in.
_MODULES: tuple[str, ...] = ("nms", "iou", "conv", "bn", "pool", "softmax", "losses", "attention",
                             "norm", "interp", "ap", "backprop", "kmeans")

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
    table = EXERCISES.values()
    if question.isascii():
        # 13 case-insensitive searches cost ~30 us a card. A pattern whose every match holds
        # one of its anchor words (in lower case) is searched only where one occurs; most
        # questions hold none of any exercise, which one search of them all tells.
        low = question.lower()
        patterns = [ex.card_pattern for ex in table]
        if patterns != _LAST[0]:  # (the table changes only when an exercise is registered)
            _LAST[:] = patterns, _anchored(tuple(patterns))
        anchored = _LAST[1]
        if anchored[0] is not None and not anchored[0].search(low):
            return None
        for ex, words in zip(table, anchored[1]):
            if (words is None or words.search(low)) and ex.card_pattern.search(question):
                return ex.id
        return None
    for ex in table:
        if ex.card_pattern.search(question):
            return ex.id
    return None


_LAST: list = [None, None]  # the card patterns last seen, and their _anchored


@functools.lru_cache(maxsize=4)
def _anchored(patterns: tuple[re.Pattern, ...]) -> tuple[re.Pattern | None,
                                                          list[re.Pattern | None]]:
    """For the table's card patterns: a search for any exercise's anchor words (None if an
    exercise has none), and each exercise's own. Only for ASCII text: its words that are
    not ASCII (`卷积`) could never be found there, and are left out (an exercise with no
    ASCII word is then looked for with a search that never matches)."""
    sets = [None if ws is None else frozenset(w for w in ws if w.isascii())
            for ws in map(_anchors, patterns)]

    def rx(words):
        if not words:
            return re.compile(r"(?!)")
        return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    per = [None if ws is None else rx(ws) for ws in sets]
    every = None if None in sets else rx(frozenset().union(*sets))
    return every, per


@functools.cache
def _anchors(pattern: re.Pattern) -> frozenset[str] | None:
    """Lower-case words one of which every match of `pattern` holds, for ASCII text (None:
    no such words found). Read from the parsed pattern: a run of literal characters, or
    the union over a branch's alternatives; words that are no ASCII-safe test (a cased
    non-ASCII letter: "ſ" matches "s" ignoring case) are not used."""
    try:
        return _need(_parser.parse(pattern.pattern, pattern.flags).data)
    except Exception:  # noqa: BLE001 - an unexpected form: search it always (still correct)
        return None


def _need(items) -> frozenset[str] | None:
    C = _parser  # the opcodes as re._parser names them
    found: list[frozenset[str]] = []
    run: list[str] = []

    def flush():
        word = "".join(run).lower()
        run.clear()
        if word and all(c.isascii() or c.lower() == c == c.upper() for c in word):
            found.append(frozenset([word]))

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        flush()
        sub = None
        if op is C.SUBPATTERN:
            sub = _need(av[3].data if hasattr(av[3], "data") else av[3])
        elif op is C.BRANCH:
            alts = [_need(b.data if hasattr(b, "data") else b) for b in av[1]]
            sub = frozenset().union(*alts) if alts and None not in alts else None
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            sub = _need(av[2].data if hasattr(av[2], "data") else av[2])
        if sub:
            found.append(sub)
    flush()
    # the most telling: the set whose shortest word is longest
    return max(found, key=lambda ws: min(map(len, ws)), default=None)


__all__ = ["Case", "Exercise", "Variant", "EXERCISES", "exercise_for", "register"]
