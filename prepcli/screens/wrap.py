"""Line breaking that treats Chinese, Japanese and Korean text as text: a break may fall between
any two CJK characters (rich breaks only at spaces, so a run of Chinese is one long "word" that
jumps to the next line whole or is cut), and closing punctuation (，。、；：？！）》」…) never
starts a line — it stays with the character before it, as in Chinese typesetting.

`CJKText` wraps a rich `Text` this way; `render.py` uses it for paragraphs and table cells.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

_CJK = ("\u1100-\u11ff\u2e80-\u303f\u3040-\u9fff\ua960-\ua97f\uac00-\ud7ff"
        "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef")
# one CJK character (with the spaces after it), a run of other non-space text, or spaces
_TOKEN = re.compile(rf"[{_CJK}]\s*|[^\s{_CJK}]+\s*|\s+")
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…·,.;:?!)]}%")
NO_LINE_END = set("（《「『【〔〈“‘([{")
HARD_BREAK = "\u2028"  # a line break inside a table cell (`<br />`)


def tokens(plain: str) -> list[tuple[int, int]]:
    """(start, end) of the units a line may break between."""
    out: list[list[int]] = []
    glue_next = False
    for m in _TOKEN.finditer(plain):
        s, e = m.span()
        if out and (glue_next or plain[s] in NO_LINE_START):
            out[-1][1] = e
        else:
            out.append([s, e])
        glue_next = plain[e - 1] in NO_LINE_END if not plain[e - 1].isspace() else False
    return [(s, e) for s, e in out]


def break_offsets(plain: str, width: int) -> list[int]:
    """Offsets at which `plain` (one line, no newline) is broken to fit `width` cells."""
    width = max(1, width)
    offsets, used = [], 0
    for s, e in tokens(plain):
        piece = plain[s:e]
        size, bare = cell_len(piece), cell_len(piece.rstrip())
        if used and used + bare > width:
            offsets.append(s)
            used = 0
        if bare > width:  # a word longer than the line: fold it by characters
            for i, ch in enumerate(piece.rstrip(), start=s):
                w = cell_len(ch)
                if used + w > width and used:
                    offsets.append(i)
                    used = 0
                used += w
            used += size - bare
            continue
        used += size
    return offsets


def wrap(text: Text, width: int) -> list[Text]:
    """`text` split into lines of at most `width` cells, keeping its styles."""
    lines: list[Text] = []
    for para in text.split("\n", allow_blank=True):
        for part in para.split(HARD_BREAK, allow_blank=True):
            for line in part.divide(break_offsets(part.plain, width)):
                line.rstrip()
                lines.append(line)
    return lines


class CJKText:
    """A rich renderable: `text` wrapped by `wrap` at the width it is given."""

    def __init__(self, text: Text):
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = wrap(self.text, options.max_width)
        for line in lines:
            if self.text.justify in ("center", "right"):
                line.align(self.text.justify, options.max_width)
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain.replace(HARD_BREAK, "\n")
        longest = max((cell_len(line) for line in plain.split("\n")), default=0)
        widest_unit = max((cell_len(plain[s:e].rstrip()) for s, e in tokens(plain)), default=1)
        # a unit longer than a few CJK characters can still be folded; don't let one long
        # word force a column wider than a quarter of the line
        low = min(widest_unit, max(4, options.max_width // 4))
        return Measurement(low, max(low, longest)).clamp(max_width=options.max_width)
