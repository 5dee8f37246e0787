"""Typed answers (`prep study --type`): what was typed against the card's answer, with the
differences marked, character by character as Anki's "type in the answer" does. Pure."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# Markdown that is layout, not content: list bullets, heading and quote marks, emphasis marks
# and code fences. What is left is compared with what was typed, spaces collapsed.
_LAYOUT = re.compile(r"(?m)^\s*(?:[-*+]|\d+[.)]|#+|>)\s+|^\s*(?:```|~~~).*$|\*\*|__|`")


def expected_text(answer: str) -> str:
    """The card's answer as one line of plain text to compare a typed answer with."""
    return " ".join(_LAYOUT.sub(" ", answer).split())


def compare(typed: str, expected: str) -> tuple[list[tuple[str, str]], float]:
    """(pieces, ratio): pieces are (kind, text) with kind "same", "wrong" (typed, not in the
    answer) or "missing" (in the answer, not typed); ratio is how alike the two are (0..1),
    ignoring case and spacing."""
    typed = " ".join(typed.split())
    sm = SequenceMatcher(None, typed.casefold(), expected.casefold(), autojunk=False)
    pieces: list[tuple[str, str]] = []
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            pieces.append(("same", typed[a0:a1]))
            continue
        if a1 > a0:
            pieces.append(("wrong", typed[a0:a1]))
        if b1 > b0:
            pieces.append(("missing", expected[b0:b1]))
    return pieces, sm.ratio() if typed or expected else 1.0


def marked(pieces: list[tuple[str, str]], color: bool) -> str:
    """The comparison as one line: in colour, wrong text red and struck, missing text green;
    without colour, [-wrong-] and {+missing+} (as `git diff --word-diff` writes them)."""
    if color:
        style = {"same": "", "wrong": "\x1b[31;9m", "missing": "\x1b[32;4m"}
        return "".join(f"{style[k]}{t}\x1b[0m" if style[k] else t for k, t in pieces)
    wrap = {"same": "{}", "wrong": "[-{}-]", "missing": "{{+{}+}}"}
    return "".join(wrap[k].format(t) for k, t in pieces)
