"""The fast block scanner gives exactly markdown-it's block tokens, or steps aside (None)."""

import dataclasses
import random
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from prepcli.cards import blockscan
from prepcli.cards.notefile import read_note

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
_MD = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
FIELDS = [f.name for f in dataclasses.fields(_MD.parse("x")[0])]


def _rows(tokens):
    return [tuple(getattr(t, f) for f in FIELDS) for t in tokens]


def _same_or_none(text: str) -> bool:
    """True when the scanner took the text (and then its tokens are markdown-it's)."""
    got = blockscan.scan(text)
    if got is None:
        return False
    env: dict = {}
    want = _MD.parse(text, env)
    assert env == {}, text  # no link definitions in the subset: the env stays empty
    assert _rows(got) == _rows(want), text
    return True


# Pieces of the plain subset, and near misses that must make the scanner step aside (or, if
# it takes them, still agree with markdown-it).
PLAIN = ["## Question a: why does it work?", "# 第1章", "###### deep", "## 中文 标题  ",
         "A typical answer: `code` and $x^2$.", "second line  ", "1.5 is a ratio", "2019年",
         "- point one", "- point two", "* star", "+ plus", "1. one", "2. two", "3) three",
         "01. zero", "12345. big", "```python\ndef f(x):\n    return x * 2\n```",
         "```\nplain\n\n  indented\n```", "~~~\ntilde ``` inside\n~~~", "````\n```\n````",
         "```py  \nx\n   ```", "", "", "", "   ", "**bold** line", "问：为什么？", "Q: what?",
         "! not an image", "text with | later? no", "(paren) text", "\u3000full-width space",
         "**加粗** 开头的段落", "*emphasis* first", "- **bold item**", "1. **Intro**: text",
         "*   three more spaces", "1.  two spaces", "- [1] a citation", "- [ ] todo",
         "[1] a citation line", "#tag line", "####### seven", "~~strike~~", "`code` first",
         "``two`` ticks", "---", "***", "_ _ _", "- - -", "-x dash", "--x", "+x", "==mark==",
         "__init__ method", "_x_ word", "para\n**bold** continues", "para\n[1] continues",
         "para\n#tag continues"]
NEAR = ["    indented code", "---", "***", "___", "> quote", "| a | b |\n|---|---|\n| 1 | 2 |",
        "a | b\n--|--", "<div>html</div>", "[ref]: /url", "Title\n===", "Title\n---",
        "- a\n  continued", "- a\nlazy", "- a\n2. b", "- a\n\n- loose", "#nospace",
        "## closing ##", "##", "\ttab", "text\n- item", "text\n1. item", "text\n```\nx\n```",
        "```\nnever closed", "- - nested", "-  two spaces", "-\n", "1.\n", "- # heading",
        "- > quote", "- [ ] todo", "- ```", "* * *", "  - indented item", "1) a\n1. b",
        "- a\n+ b", "`inline` start", "~ tilde", "==mark==", "+++", "1. a\n\n2. b",
        "[link](x) first", ":colon", "\u00a0nbsp start", "## x\n===", "a\r\nb", "a\0b",
        "```a`b\nx\n```", "- a\n\n\n- b", "2. a\n3. b\n\n\n## H", "x\n    y", "- a\n  - b",
        "[a]: /u", "[foo\nbar]: /url", "- [a]: /u", "[a]\n\n[a]: /u", "-     five spaces",
        "para\n=", "para\n-", "para\n***", "para\n___", "para\n- - -", "para\n---",
        "#", "**", "__", "==", "* * x", "-- ", "para\n[a]: /u", "- a\n---", "- a\n***",
        "1.     five", "*\u3000x", "#\u00a0x", "` ``` `", "~~~~", "---x---", "- a\n  b\n- c"]


def _doc(rng: random.Random, near: float) -> str:
    parts = []
    for _ in range(rng.randint(0, 12)):
        pool = NEAR if rng.random() < near else PLAIN
        parts.append(rng.choice(pool))
    sep = rng.choice(["\n", "\n\n", "\n\n\n"])
    return sep.join(parts) + rng.choice(["", "\n", "\n\n"])


def test_generated_plain_documents_match_markdown_it():
    rng = random.Random(15)
    taken = sum(_same_or_none(_doc(rng, 0.0)) for _ in range(3000))
    assert taken > 1000  # the subset is what the scanner is for: it must take most of it


def test_near_misses_step_aside_or_match():
    rng = random.Random(16)
    for _ in range(3000):
        _same_or_none(_doc(rng, 0.3))
    for text in NEAR:
        for doc in (text, "## H\n" + text, "para\n\n" + text + "\n\n## H\n"):
            _same_or_none(doc)


def test_each_near_miss_alone():
    """Every near miss is checked in every position a section can hold it."""
    for text in NEAR + PLAIN:
        for doc in (text, text + "\n", "- item\n" + text, "para\n" + text, "## H\n\n" + text):
            _same_or_none(doc)


def test_bench_sections_are_taken():
    body = ("A typical answer: a few sentences with `code`, a list and a formula $x^2$.\n\n"
            "- point one\n- point two\n\n```python\ndef f(x):\n    return x * 2\n```\n")
    assert _same_or_none("".join(f"## Question {i}: why does it work?\n{body}\n"
                                 for i in range(50)))


def _notes():
    paths = sorted((ROOT / "cards" / "notes").glob("*.txt"))
    paths += sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    return paths


@pytest.mark.parametrize("path", _notes(), ids=lambda p: p.name[:40])
def test_real_notes_and_their_sections(path):
    """Whole notes, and each of their `## ` sections alone (real text in the subset)."""
    text = read_note(path)
    _same_or_none(text)
    chunks = text.split("\n## ")
    for chunk in chunks[1:]:
        _same_or_none("## " + chunk)


def _heading_by_regex(ln):
    m = re.fullmatch(r"(#{1,6}) (.*)", ln)
    content = m.group(2).strip(blockscan._TRIM) if m else ""  # (markdown-it's trim)
    return (m.group(1), content) if content and not content.endswith("#") else None


def _item_by_regex(ln):
    # (one to four spaces after the marker: five or more make the text indented code)
    m = re.fullmatch(r"([-*+]) {1,4}(\S.*)", ln)
    if m:
        return ("bullet", m.group(1), "", m.group(2).strip(blockscan._TRIM)) \
            if _item_text(m.group(2)) else None
    m = re.fullmatch(r"([0-9]{1,9})([.)]) {1,4}(\S.*)", ln)
    if m and _item_text(m.group(3)):
        return "ordered", m.group(2), m.group(1), m.group(3).strip(blockscan._TRIM)
    return None


def _item_text(text):
    return blockscan._plain(text) and not (text[0] == "[" and "]:" in text)


def test_line_helpers_match_their_regex_definitions():
    """heading and _item use str methods for speed; they must mean the regexes they replace."""
    rng = random.Random(17)
    alphabet = "#-*+0123456789.) |x`~>\u3000\u00a0\x1c\\"
    for _ in range(50_000):
        ln = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        assert blockscan.heading(ln) == _heading_by_regex(ln), ln
        if ln[0] in "-*+0123456789":
            assert blockscan._item(ln) == _item_by_regex(ln), ln


def test_tokens_with_no_attrs_or_meta_share_one_read_only_mapping():
    """Tokens are made without a dict of their own where markdown-it's would be empty and
    nothing writes into it: one read-only mapping, so a write fails loudly instead of
    reaching every token."""
    tokens = blockscan.scan("# T\n\npara\n\n- a\n- b\n\n3. c\n")
    for t in tokens:
        if t.type != "inline":
            with pytest.raises(TypeError):
                t.meta["x"] = 1
        if not t.attrs:
            with pytest.raises(TypeError):
                t.attrs["x"] = 1
    assert [t.attrs for t in tokens if t.type == "ordered_list_open"] == [{"start": 3}]


def test_given_the_notes_env_inline_tokens_wait_for_their_parse():
    text = "# T\n\npara\n\n- a\n- b\n"
    env: dict = {}
    lazy, plain = blockscan.scan(text, env), blockscan.scan(text)
    inline = [t for t in lazy if t.type == "inline"]
    assert len(inline) == 4 and all(t.children is None and t.meta["env"] is env for t in inline)
    assert [t.children for t in plain if t.type == "inline"] == [[]] * 4
    rest = [f for f in FIELDS if f not in ("children", "meta")]
    assert [[getattr(t, f) for f in rest] for t in lazy] == \
        [[getattr(t, f) for f in rest] for t in plain]


# --- blocks: the subset scanned, each section that holds anything else parsed by markdown-it

def _markdown_it(calls):
    def parse(text, env):
        calls.append(text)
        return _MD.parse(text, env)
    return parse


def _blocks_match(text: str) -> list[str]:
    """blocks' tokens are markdown-it's for the whole text; the texts it gave markdown-it."""
    calls: list[str] = []
    env: dict = {}
    got = blockscan.blocks(text, env, _markdown_it(calls))
    want_env: dict = {}
    want = _MD.parse(text, want_env)
    rest = [f for f in FIELDS if f not in ("children", "meta")]
    assert [[getattr(t, f) for f in rest] for t in got] == \
        [[getattr(t, f) for f in rest] for t in want], text
    assert env == want_env, text  # the link definitions of every section, first one kept
    return calls


# Blocks that may run on into the heading after them (an HTML block, a fence never closed,
# a comment over several sections), and ones that end at it.
RUN_ON = ["<div>\nhtml", "<img src=x>", "<!--\ncomment", "-->", "```\nnever closed",
          "~~~\n## inside a fence", "<pre>\n## inside pre", "</pre>", "| a | b |\n|---|---|\n| 1 | 2 |",
          "> quote\nlazy", "- a\n  continued", "    indented code", "Title\n===",
          "[ref]: /url 'title'", "text [ref] here", "\ttab", "a\0b", "- a\n\n  loose"]


def _sections(rng: random.Random) -> str:
    parts = []
    for k in range(rng.randint(1, 8)):
        if rng.random() < 0.8:
            parts.append(f"{'#' * rng.randint(1, 3)} H{k}")
        for _ in range(rng.randint(0, 3)):
            r = rng.random()
            pool = RUN_ON if r < 0.25 else NEAR if r < 0.45 else PLAIN
            parts.append(rng.choice(pool))
    sep = rng.choice(["\n", "\n\n"])
    return sep.join(parts) + rng.choice(["", "\n", "\n\n", "\n  "])


def test_sections_that_need_markdown_it_are_parsed_by_it_alone():
    rng = random.Random(18)
    parsed = 0
    for _ in range(4000):
        parsed += bool(_blocks_match(_sections(rng)))
    assert parsed > 1000


def test_a_note_with_one_table_gives_markdown_it_that_section_only():
    plain = "".join(f"## Q{i}\n\nanswer {i}\n\n- a\n- b\n\n" for i in range(50))
    table = "## T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    calls = _blocks_match(plain + table + plain)
    assert calls == [table]
    assert _blocks_match(plain) == []  # (all in the subset: markdown-it is not called)


def test_blocks_that_run_on_are_parsed_with_the_sections_they_take_in():
    # an HTML block takes in the heading after it; a fence never closed, the rest
    for text in ["## A\n<div>\n## B\ntext\n\n## C\nmore\n",
                 "## A\n| a |\n|---|\n\n```\ncode\n## B\n```\n## C\n\ntext\n",
                 "## A\n<!--\n## B\n\n## C\n-->\n## D\nend\n",
                 "## A\n| a |\n|---|\n## B\n<pre>\n## C\n</pre>\n## D\n"]:
        calls = _blocks_match(text)
        assert calls and "## B" in "".join(calls), (text, calls)


def test_tabs_nul_and_carriage_returns_go_to_markdown_it():
    plain = "## A\n\nanswer\n\n"
    assert _blocks_match(plain + "## T\n\n\tx\n\n" + plain) == ["## T\n\n\tx\n\n"]
    assert _blocks_match("\ttab first\n\n" + plain) == ["\ttab first\n\n"]
    assert _blocks_match(plain + "## N\na\0b\n") == ["## N\na\0b\n"]
    text = plain + "## R\r\nline\r\n"
    assert _blocks_match(text) == [text]  # (a lone \r ends a line for markdown-it alone)


@pytest.mark.parametrize("path", _notes(), ids=lambda p: p.name[:40])
def test_real_notes_by_sections(path):
    _blocks_match(read_note(path))


# Found by fuzzing blocks and scan against markdown-it (fault hunt 42): a heading or fence
# line holding `|` over a row of dashes is a table's header; ten nested list items take in the
# rest of the text (markdown-it's nesting limit); a block's text is trimmed of what Python's
# strip trims but U+001C-001F and U+0085; a section's link definition before a block that runs
# on into the next section.
FUZZED = ["# |\n---", "# |\n-:", "```|\n--\n```", "~~~|\n--\n~~~", "text\n## a |\n---\n",
          "- - - - - - - - - - x\n# A", "1. 1. 1. 1. 1. 1. 1. 1. 1. 1. x\n# H",
          "- - - - - - - - - - x\n# B\n[a]: /u\n", "[a]:u\n```\n# 3", "[a]: /u\n<div>\n# B\n",
          "a\x1c", "a\x85", "# a\x1c", "# x \x1c", "- x\x1c", "1. x\x1f", "x\nb\x85"]


@pytest.mark.parametrize("text", FUZZED)
def test_fuzzed_inputs_match_markdown_it(text):
    _blocks_match(text)
    _same_or_none(text)
    _blocks_match("## before\n\nplain\n\n" + text + "\n\n## after\n\nplain\n")
