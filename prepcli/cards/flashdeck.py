"""A note that is already a deck of flashcards, `---`-separated blocks: each card a block of
metadata naming it (`card_id: jekol9xI`), then its front, then its back (the Markdown that
Mochi's decks are kept in); or each card one block, its front, `%`, its back, and `%` and its
tags (ankdown's). To CommonMark each block is a heading underlined by the next `---`, so the
section rules would make every block an empty prompt; the blocks are read as the cards they
are instead."""

from __future__ import annotations

import re

# A metadata line of such a block (`card_id: jekol9xI`, `tags: [ml]`); a block of them names
# a card when one of its lines is an id
_META = re.compile(r"^[A-Za-z][\w-]{0,30}\s*:(?:\s.*)?$")
_ID = re.compile(r"^(?:card[_-]?id|id)\s*:\s*\S", re.IGNORECASE)
_RULE = re.compile(r"^ {0,3}---\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def cards(lines: list[str]) -> list[tuple[int, str, str]] | None:
    """(0-based line of the front, front, back) of each card, in order, when the note is such
    a deck: three cards or more, and every block a card's metadata, front or back (a card may
    lack its back: a question to answer). None otherwise."""
    if sum(1 for ln in lines if _ID.match(ln)) < 3:
        return None  # (most notes: not one id line)
    blocks = _blocks(lines)
    out: list[tuple[int, str, str]] = []
    i = 0
    while i < len(blocks):
        if not _names_a_card(lines, blocks[i]) or i + 1 >= len(blocks) or \
                _names_a_card(lines, blocks[i + 1]):
            return None  # (a block that is no card's part: not such a deck)
        front = blocks[i + 1]
        back = blocks[i + 2] if i + 2 < len(blocks) and \
            not _names_a_card(lines, blocks[i + 2]) else None
        first = next(k for k in range(*front) if lines[k].strip())
        out.append((first, _text(lines, front), _text(lines, back) if back else ""))
        i += 3 if back else 2
    return out if len(out) >= 3 else None


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """The (start, end) lines of each `---`-separated block with text (a `---` in a code
    fence separates nothing)."""
    blocks, start, fence = [], 0, None
    for n, ln in enumerate(lines + ["---"]):
        m = _FENCE.match(ln)
        if m and (fence is None or m.group(1) == fence):
            fence = m.group(1) if fence is None else None
        elif fence is None and _RULE.match(ln):
            if any(x.strip() for x in lines[start:n]):
                blocks.append((start, n))
            start = n + 1
    return blocks


def percent_cards(lines: list[str]) -> tuple[list[tuple[int, str, str, list[str]]],
                                             tuple[int, int] | None] | None:
    """(0-based line of the front, front, back, tags) of each card of an ankdown deck, and the
    block before them that is none (an introduction, a front matter), if any: blocks between
    `---` lines, each its front, a line `%`, its back, and maybe another `%` over a line of
    tags (`formula, theorem`; a sentence there is more of the back). A `%` in code or in a
    `$$` formula is theirs (a comment). Three cards or more, and every block one but those
    before the first; None otherwise."""
    out, intro = [], None
    for a, b in _blocks(lines):
        marks = _percent_lines(lines, a, b)
        front = next(k for k in range(a, b) if lines[k].strip())
        if not marks and not out:  # (before the first card: its introduction, front matter)
            intro = (intro[0] if intro else a, b)
            continue
        if not 1 <= len(marks) <= 2 or front >= marks[0]:
            return None
        tags = _text(lines, (marks[1] + 1, b)).strip() if len(marks) == 2 else ""
        if tags and not _TAGS.fullmatch(tags):
            # (no tags: what follows the second `%` is more of the back)
            back = _text(lines, (marks[0] + 1, marks[1])) + "\n\n" + tags
            tags = ""
        else:
            back = _text(lines, (marks[0] + 1, marks[1] if len(marks) == 2 else b))
        out.append((front, _text(lines, (a, marks[0])), back,
                    [t.strip() for t in re.split(r"[,\s]+", tags) if t.strip()]))
    return (out, intro) if len(out) >= 3 else None


# ankdown's tags: words or tags (`formula, theorem`, `ml::loss`), on one line, no sentence
_TAGS = re.compile(r"[\w:/.-]+(?:[,\s]+[\w:/.-]+){0,9}(?<![.])")


def _percent_lines(lines: list[str], a: int, b: int) -> list[int]:
    """The lines `%` of lines a..b, but in a code fence or a `$$` formula."""
    out, fence, maths = [], None, False
    for k in range(a, b):
        ln = lines[k].strip()
        m = _FENCE.match(lines[k])
        if m and (fence is None or m.group(1) == fence):
            fence = m.group(1) if fence is None else None
        elif fence is None and ln.startswith("$$"):
            one_line = len(ln) > 4 and ln.endswith("$$")  # (`$$x = 1$$` opens and closes)
            maths = maths if one_line else not maths
        elif ln == "%" and fence is None and not maths:
            out.append(k)
    return out


def _names_a_card(lines: list[str], block: tuple[int, int]) -> bool:
    said = [ln for ln in lines[block[0]:block[1]] if ln.strip()]
    return all(_META.match(ln) for ln in said) and any(_ID.match(ln) for ln in said)


def _text(lines: list[str], block: tuple[int, int]) -> str:
    return "\n".join(lines[block[0]:block[1]]).strip("\n")
