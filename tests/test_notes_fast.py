"""`notes._asks_nothing`: the sections whose question rules it skips are those the rules find
nothing in.

For each section it takes, the rules it stands for (`_candidates`, with and without the
glossary reading, and `_fence_cards`) are run anyway and must find
nothing; and every note parses to the same cards, skips and notes to check with the shortcut
as without it. Inputs: the bundled notes, the corpus, and generated notes made of near
misses (labels, bold lines, question marks, asking list items, nested and loose lists,
quotes, fences, tables) under plain, asking and question-list headings."""

import random
from pathlib import Path

import pytest

from prepcli.cards import notes
from prepcli.cards.notefile import read_note

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _checked(monkeypatch) -> dict:
    """Have every section the shortcut takes checked against the rules; counts of both."""
    real = notes._asks_nothing
    seen = {"taken": 0, "sections": 0}

    def spy(body, bank=False):
        seen["sections"] += 1
        got = real(body, bank)
        if got:
            seen["taken"] += 1
            lines = [""] * (max((t.map[1] for t in body if t.map), default=0) + 1)
            # (not under an interview round: a round is a question list, never taken)
            for glossary in (True, False):
                assert notes._candidates(body, lines, False, False, glossary=glossary,
                                         bank=bank) == [], _source(body)
            assert notes._fence_cards(body, ["h"], ["h"]) == [], _source(body)
        return got

    monkeypatch.setattr(notes, "_asks_nothing", spy)
    return seen


def _source(body) -> str:
    return "\n".join(t.content for t in body if t.type == "inline")[:300]


def _without(text: str, monkeypatch) -> notes.ParsedNote:
    with monkeypatch.context() as m:
        m.setattr(notes, "_asks_nothing", lambda body, bank=False: False)
        return notes.parse_note(text)


def _same(text: str, monkeypatch) -> None:
    fast = notes.parse_note(text)
    slow = _without(text, monkeypatch)
    assert fast.drafts == slow.drafts, text[:300]
    assert fast.skipped == slow.skipped, text[:300]
    assert fast.unsure == slow.unsure, text[:300]


def _notes():
    paths = sorted((ROOT / "cards" / "notes").glob("*.txt"))
    paths += sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    return paths


def test_real_notes_parse_the_same_with_the_shortcut(monkeypatch):
    monkeypatch.setattr(notes, "SPLIT_LINES", 10**9)  # (halves: tests/test_note_halves.py)
    seen = _checked(monkeypatch)
    for path in _notes():
        _same(read_note(path), monkeypatch)
    # it is there for ordinary answers: most sections of real notes are such
    assert seen["taken"] >= 0.3 * seen["sections"], seen


HEADINGS = ["## 什么是 BN", "## Batch norm", "## Why does dropout work?", "## 常见问题",
            "## 面试题", "## 一面", "## Activation functions", "## References", "### 参数量",
            "## Question 3", "# Title", "## Q1"]
LINES = ["A plain answer: with a colon.", "第二行 plain 中文。", "Q: what is it", "问：为什么",
         "问题1：是什么", "A: the answer", "答：因为", "**Answer**: yes", "*solution* here",
         "**Bold line**", "__bold__ - a term", "**Sigmoid** - S shaped", "Is it true?",
         "为什么会这样？", "what is the point", "- point one", "- point two", "- what is x",
         "- 为什么", "- how does it work", "- Q: label", "1. first", "2. 如何实现",
         "- **Term**: definition", "- item\n  - nested item", "- a\n\n- loose b",
         "> quoted line", "> Q: quoted", "```\nQ1：这是什么\nA1：答案\nQ2：那是什么\nA2：答案\n```",
         "```python\nx = 1\n```", "| 问题 | 答案 |\n|---|---|\n| 什么 | 这 |", "- [ ] TODO",
         "TODO", "参考：", "[link](http://x)", "<b>html</b>", "    indented code", "---",
         "Title\n===", "text ending with ?  ", "  **indented bold**", "vs", "A vs B",
         "- 自我介绍", "- 1.5 ratio", "* star item", "+ plus item", "1) paren",
         "**What is it?** the answer", "- **Why is it so?** because", "**Why?** short",
         "<details><summary>What is it?</summary>\n\nAn answer.\n</details>",
         "如何避免过拟合", "XGB VS GBDT", "为什么要缩放", "如何实现：看下面"]


def _doc(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 6)):
        parts.append(rng.choice(HEADINGS))
        for _ in range(rng.randint(0, 4)):
            parts.append(rng.choice(LINES))
    return rng.choice(["\n", "\n\n"]).join(parts) + "\n"


def test_generated_notes_parse_the_same_with_the_shortcut(monkeypatch):
    monkeypatch.setattr(notes, "SPLIT_LINES", 10**9)
    seen = _checked(monkeypatch)
    rng = random.Random(27)
    for _ in range(1500):
        _same(_doc(rng), monkeypatch)
    assert seen["taken"] >= 500, seen  # the generator reaches the shortcut, and its misses


@pytest.mark.parametrize("line", [ln for ln in LINES if "\n" not in ln])
def test_each_line_in_a_paragraph_or_an_item(line, monkeypatch):
    _checked(monkeypatch)
    for doc in (f"## H\n{line}\n", f"## H\nplain\n{line}\n", f"## H\n{line}\nA: yes\n",
                f"## H\n- {line}\n- other\n", f"## H\n- {line}\n", f"## H\n1. {line}\n",
                f"## 常见问题\n- {line}\n", f"## Why?\n{line}\n\n{line}\n"):
        _same(doc, monkeypatch)


# --- shortcuts in the title checks and answer tests: each gives what the test it stands for
# gives (the full patterns below are those the shortcuts skip)

def test_prefilters_agree_with_their_patterns():
    import re
    import unicodedata

    from prepcli.cards import textnorm as tn

    for c in map(chr, range(128)):  # key's ASCII path
        assert tn.key(c + "Ab_9-") == tn._NOT_ALNUM.sub(
            "", unicodedata.normalize("NFKC", c + "Ab_9-").casefold())
    rng = random.Random(61)
    pool = list("介什没经工熟钟论还列题撕评测如怎哪是吗区异对比复多何否请？?自我有没有vsQq1.:：、 \t"
                "面试第轮hr常见问题清单faq篇😀①\u200b\xa0ſıK") + ["self-introduction",
                                                              "tell me about yourself"]
    for _ in range(20000):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert tn.formality(s) == bool(tn.FORMALITY.search(s)), s
        assert tn._ascii_search(s, tn._ASKS_HINTS, tn._ASKS_LATIN, tn._ASKS, tn._ASKS_CHARS) \
            == bool(tn._ASKS.search(s)), s
        k = tn.key(s)
        assert (k.endswith(tn._QUESTION_LIST_ENDS) and bool(tn._QUESTION_LIST.fullmatch(k))) \
            == bool(tn._QUESTION_LIST.fullmatch(k)), s
        assert tn._meta(k) == bool(tn._META.search(k)), s
        assert bool(notes._EMPTY_LABEL.match(s)) == bool(
            s.rstrip().endswith((":", "：")) and notes._EMPTY_LABEL.match(s)), s
    # strip_numbering's first character, _inline_has_content's plain first character
    for c in map(chr, range(0x3100)):
        if not (c in tn._NUMBERING_STARTS or c.isdecimal() or c.isspace()):
            for rest in ("", "1. x", "uestion 1: x", "1] x", "\ufe0f\u20e3 x", "、x"):
                assert tn._NUMBERING.match(c + rest) is None, c + rest
        if c.isalnum() and c not in notes._POINTER_WORD_STARTS and (
                c.isascii() or c.lower() == c == c.upper()):
            for rest in ("", "ink", "ttps://x", "ee", "log", "eference", "考"):
                assert notes._POINTER_TEXT.match(c + rest) is None, c + rest
    assert re.match(r"\s", "\u3000") and not notes._CODE_LINE.match("")


def test_headings_one_pass_and_tidy_attribute_lines():
    """_headings sets each heading's end (body lines, tokens, next) as the following heading
    is found; _tidy looks for kramdown attribute lines only where the text holds `{:`."""
    text = "intro\n\n# A\n\ntext\n\n## B\n- x\n\n### C\n\n## D\n"
    lines = text.split("\n")
    tokens = notes._parse_blocks(text)
    hs = notes._headings(tokens, lines, [])
    assert [h.title for h in hs] == ["A", "B", "C", "D"]
    for a, b in zip(hs, hs[1:]):
        assert a.next is b and a.body[1] == b.line and a.tokens[1] == b.tokens[0] - 3
        assert tokens[a.tokens[1]].type == "heading_open"
    assert hs[-1].next is None and hs[-1].body[1] == len(lines)
    assert hs[-1].tokens[1] == len(tokens)
    assert notes._tidy(["a", "{:.warning}", "b {: x}", "", "", "c  "]) == "a\nb {: x}\n\nc"
    assert notes._tidy(["a{", ":b"]) == "a{\n:b"
