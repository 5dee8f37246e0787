"""Every bundled card, rendered at 80 columns, shows what its note says.

Runs over whatever decks are bundled (they are regenerated from the notes), card by card: no
dropped `*` between operands, every formula converted and in its place, no raw `$`, no line
starting with closing punctuation, no table cell cut, no CJK character lost, no line too wide.
"""

import re
from collections import Counter
from urllib.parse import unquote, unquote_plus

import pytest
from rich.cells import cell_len

from prepcli import paths

from prepcli.cards import deck
from prepcli.screens.render import latex_to_unicode, render

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WIDTH = 80
FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$(?!\s)((?:[^$\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\$)")
IMAGE = re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]*)[^)]*\)")
TEX_URL = re.compile(r"[?&](?:tex|latex)=([^&#]+)|\.latex\?([^&#]+)")
TIMES = re.compile(r"[A-Za-z0-9()]+(?:\*[A-Za-z0-9()]+)+")
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_START = tuple("，。、；：？！）》」")


def _cards():
    decks, _ = deck.load_dir(paths.bundled("cards"))
    return [c for d in decks for c in d.cards]


CARDS = _cards()


def plain(md: str) -> list[str]:
    return [ANSI.sub("", ln) for ln in render(md, WIDTH, color=False)]


def squash(text: str) -> str:
    return re.sub(r"[\s•│]+", "", text)


def prose(md: str) -> str:
    """The card without its code (fenced and inline), which is shown as written."""
    return CODE.sub(" ", FENCE.sub("\n", md))


def formulas(md: str):
    """(what is shown before it, TeX) for every formula in the prose, in the note's order;
    a formula before it counts as shown converted."""
    text = prose(md)
    found = [(m.start(), m.end(), m.group(1)) for m in DISPLAY.finditer(text)]
    for m in IMAGE.finditer(text):
        tex = TEX_URL.search(m.group(1))
        if tex:
            found.append((m.start(), m.end(), unquote_plus(tex[1]) if tex[1] else unquote(tex[2])))
    blanked = DISPLAY.sub(lambda m: " " * len(m.group(0)), text)
    found += [(m.start(), m.end(), m.group(1)) for m in INLINE.finditer(blanked)]
    shown, pos = "", 0
    for start, end, tex in sorted(found):
        # the note's own text, less the Markdown that is not shown (bold marks, list bullets)
        shown += re.sub(r"(?m)\*\*|__|[`#>|]|^\s*[-*+]\s", "", IMAGE.sub("", text[pos:start]))
        yield shown, tex
        shown += latex_to_unicode(tex)
        pos = end


@pytest.fixture(scope="module")
def rendered():
    return {c.id: (plain(c.question), plain(c.answer or "")) for c in CARDS}


def test_there_are_bundled_cards():
    assert len(CARDS) > 50


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_bundled_card_renders_faithfully_at_80_columns(card, rendered):
    for md, lines in zip((card.question, card.answer or ""), rendered[card.id]):
        text = "\n".join(lines)
        flat = squash(text)
        for ln in lines:
            assert cell_len(ln) <= WIDTH, f"line wider than {WIDTH}: {ln!r}"
            assert not ln.lstrip(" •│-").startswith(NO_START), f"line starts with punctuation: {ln!r}"
        if "…" in text:
            assert "…" in md, f"something was cut with an ellipsis:\n{text}"
        # multiplication between operands keeps its `*`
        for product in TIMES.findall(IMAGE.sub(" ", DISPLAY.sub(" ", INLINE.sub(" ", prose(md))))):
            assert product in flat, f"{product!r} lost a character"
        # a raw `$` is math that was not converted (code, shown as written, is left out)
        assert "$" not in "\n".join(plain(prose(md))), "a raw $ is left"
        # every formula is converted and sits after the text that precedes it in the note
        for before, tex in formulas(md):
            shown = latex_to_unicode(tex)
            assert "\\" not in shown or shown == tex
            lead = squash(before)[-2:]
            first, *rest = [squash(x) for x in shown.split("\n")]
            assert squash(lead) + first in flat, f"formula {tex!r} missing or moved"
            for row in rest:
                assert row in flat, f"formula {tex!r} lost a row"
        # no Chinese character of the note is lost (formula images' alt text is replaced)
        want = Counter(CJK.findall(IMAGE.sub(lambda m: "" if TEX_URL.search(m[1]) else m[0], md)))
        got = Counter(CJK.findall(text))
        assert not (want - got), f"characters dropped: {want - got}"
