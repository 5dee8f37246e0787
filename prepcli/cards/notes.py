"""Markdown interview notes -> card drafts.

The notes are parsed once with a CommonMark parser (markdown-it-py; plain text is scanned
into the same block tokens directly, blockscan.py). Cards are decided in two
steps: find the **question candidates** (headings, bold paragraphs, list items, table rows,
`Q:`/`问：` lines), then give each the blocks up to the next candidate as its answer. The rules,
each named in cards/README.md with a test on a real snippet:

- heading: a heading with text under it is a card; a heading whose body is only parts (sub-
  headings or in-section questions) is a container: a card whose answer lists its parts, unless
  its parts are questions of their own (a topic over a question list); short parts ("参数量",
  "YOLO") carry the container's words. A deeper heading right after a section that already has
  an answer is a sibling topic unless the two share a term;
- bold question: a paragraph that is all bold is a question when it asks, is numbered, opens
  its section, or follows another bold question in the section (bold sub-headings);
- glossary: two or more paragraphs opening with `**Term** -` or `**Term**:` in a section whose
  heading does not ask are a card each, the term the question;
- Q/A labels: `Q:`, `Q1:`, `问：`, `问题3：` start a question; `A:`, `答：`, `*solution*`,
  `**Answer**:` start its answer (the label is dropped);
- question list: a list whose items mostly ask, or any list in a section named like a question
  list (`常见问题`, `Questions`, an interview round `一面`), gives a card per item; an item whose
  sub-items are the questions is their context, not a card; interview formalities (`自我介绍`,
  `你有什么想问的`) are skipped;
- question table: a table with a question column (`问题`, `Question`) gives a prompt per row;
- question fence: a fenced block of `question：answer` lines gives a card per line;
- dates: date headings (`### 2019.4.26`) are never questions; their bold bullets and sub-
  headings are;
- not questions: references, introduction, summary, to-do lists, tables of contents, topic
  outlines, the document's title, interview rounds and company headings are skipped, with the
  reason in the import summary;
- prompt: a question whose answer is empty, a stub (`TODO`, `待补充`, `_To be filled_`), or only
  links, images or a reference list becomes a `prompt` card;
- fronts lose their numbering (`8.1.1`, `Q1:`, `[E]`) and emoji; zero-width characters and NBSP
  are folded;
- answers are the note's own source lines (code, tables, `$$` math, images kept intact).

Reading the file (encodings) and the repairs that need no parse (front matter, merge markers,
admonitions) are in notefile.py.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import textwrap
from collections.abc import Callable, Container, Iterable, Iterator
from itertools import compress, repeat, takewhile
from operator import attrgetter
from dataclasses import dataclass, field, fields

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, inline as inline_rule, text_join
from markdown_it.token import Token

from prepcli.cards import blockscan, flashdeck, forked, textnorm
from prepcli.cards.notefile import (Skipped, admonitions, back_links, block_ids,
                                    bold_after_items, callouts, containers, content_tabs,
                                    dash_items, front_matter, html_comments,
                                    indented_answers, label_over_question, merge_markers,
                                    outline, question_key, read_note, shortcodes, spans,
                                    stray_lines, unspaced_headings)

__all__ = ["Draft", "ParsedNote", "Skipped", "parse_note", "read_note"]


@dataclass(slots=True)
class Draft:
    """A card as read from a note, before it has an id or a deck."""

    question: str
    answer: str
    kind: str  # "qa" or "prompt"
    line: int  # 1-based line in the note
    path: list[str]  # headings above it (where it came from)
    topics: list[str]  # the part of `path` that says what it is about (for tags)
    tags: list[str] = field(default_factory=list)
    stem: str = ""  # the question's own words, without a container's context (identity)
    # what parse_note's `then` made of it, in the process that parsed it (see parse_note)
    made: object = field(default=None, repr=False, compare=False)
    # the question's textnorm.key, made with the draft's part (both halves at once): the
    # checks across the whole note compare drafts by it
    key: str = field(default="", repr=False, compare=False)


@dataclass
class ParsedNote:
    drafts: list[Draft]
    skipped: list[Skipped]
    unsure: list[Skipped] = field(default_factory=list)  # read, but worth a look


LONG_ANSWER = 60  # lines: longer answers are flagged in the import summary


_MD = MarkdownIt("commonmark").enable("table")
# The same parser without its inline pass: most paragraphs are never looked into (their
# source lines are the answer), so their inline Markdown is parsed only when a rule asks
# (`_children`). On 20,000 sections that is a third of the parse.
_BLOCKS = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])

# A `question：answer` line: not indented, a full-width or ASCII colon (the question's
# trailing blanks are cut in _qa_line: a lazy `[^：:]*?\s*` would try every split of them).
_QA_LINE = re.compile(r"^(\S[^：:]*)[：:]\s*+(.*)$")
# Words that mark a heading link as a mere pointer ("[link](...)") rather than its title.
_LINK_WORDS = {"link", "links", "blog", "githublink", "here", "链接", "参考", "source", "paper"}
# Text that carries no content of its own when it stands beside links ("参考：https://...").
# (and where the question came from, `From: https://…`, `Source: …`, `原文：…`: fault hunt 42)
_POINTER_TEXT = re.compile(
    r"https?://\S+|参考|參考|详情查看|详见|链接|来源|出处|原文|link|blog|reference|see|source|from|"
    r"[\s:：,，.。()（）<>/|-]", re.IGNORECASE)
# What may start a _POINTER_TEXT match and is a word character (IGNORECASE: "ſ" is an "s").
_POINTER_WORD_STARTS = frozenset("hHlLbBrRsSfF参參详链来出原")
_LATIN_TERM = re.compile(r"[a-z][a-z0-9\-]{2,}", re.IGNORECASE)
# A term of a glossary alone on its line, its definition under it: `**Autoencoder**` then
# `A type of neural network …` (or in the paragraphs after it)
_TERM_ALONE = re.compile(r"^\s*(\*\*|__)([^*_\n]{1,80}?)\1\s*(?:\n\s*(?=\S)|$)")
# In a glossary, a paragraph that opens with its term in bold or italics, in the sentence
# that defines it: `A **model** is …`, `In **supervised learning**, …`, `*Outliers* are …`,
# `**Clustering**. Unsupervised …` (held-out set 85)
# (not a degree, `The **most asked** of these is dropout`: a remark on the terms, fault hunt 42)
_TERM_IN_PROSE = re.compile(r"^\s*+(?:(?:In|An?|The|Using)\s++)?(\*\*|__|\*|_)(?!\s)"
                            r"(?!(?i:most|least|best|worst|only|main|biggest|hardest|easiest)\b)"
                            r"([^*_\n]{1,60}?)(?<!\s)\1(?=[,.;:，。：]?\s++\S)")
_BOLD_LEAD = re.compile(r"^(\*\*|__)(.+?)\1")
# A paragraph that is all bold, perhaps followed by a citation link: "**2、 特性**[[1]](…)".
# (the links after it matched possessively: `**a**` and a run of `[` took time quadratic in it)
_BOLD_ONLY = re.compile(r"^\s*(\*\*|__)(.+)\1\s*+(?:\[++[^\]]*+\]++\([^)]*+\)\s*+)*+$")
# A glossary paragraph: "**Sigmoid** - S shaped activation function …", "**He init**: …"
_TERM_LEAD = re.compile(r"^\s*(\*\*|__)([^*_\n]{1,60}?)\1\s*(?:\s[-–—]+\s|[:：])\s*(?=\S)")
# In a glossary, its colon inside the bold too: `**Perspective projection:** x = fX/Z` (out of
# one, such are the labels of an answer's parts: `**Detailed:** …`, `**Smaller Size:** …`)
_TERM_LEAD_INSIDE = re.compile(r"^\s*(\*\*|__)([^*_\n]{1,60}?)\s*[:：]\s*\1\s*(?=\S)")
# A bold question opening a line, its answer after it on the same line: `**What is X?** A
# sliding …` (also after a list marker).
_BOLD_Q_LEAD = re.compile(r"^\s*+(?:(?:[-*+]|\d{1,9}[.)])\s++)?(\*\*|__)([^*_\n]+?[?？.。])\1"
                          r"[\s:：\-–—]*+(?=\S)")
# (a full stop only after a number: `Question 3.`, not the `question.` that ends a sentence
# wrapped onto its own line)
# (`Problem 1.1:`, `問1.`, the colon after the bold too, `**Problem 2.1**:`: fault hunt 42)
_Q_LABEL = re.compile(r"^\s*+[*_]{0,2}\s*+(?:Q|问|问题|問|問題|Question|Problem|Exercise)"
                      r"(?:\s*+\d*+\s*+[:：]|\s*+\d++(?:\.\d++)++\s*+[:：]|\s*+\d++\s*+[.．]"
                      r"|\s*+、(?!\s*+(?-i:[A-Z])(?:\s|[、,，/和与]|$))"
                      r"|(?:\s*+\d++(?:\.\d++)*+)?[*_]{2}\s*+[:：])",
                      re.IGNORECASE)  # (possessive: see textnorm._NUMBERING)
_BOLD_NUMBERED = re.compile(r"\s*+(?:\*\*|__)\s*+\d{1,2}\s*+[.)、）]\s*+[^\s*_]")
_WORD_ALONE = re.compile(r"\s*(?:why(?: not)?|how(?: so)?|what for|为什么|为啥|怎么做|如何)\s*[?？]\s*",
                         re.IGNORECASE)
_PART_PROBLEM = re.compile(r"\s*+[*_]{0,2}\s*+(?:Problem|Issue|问题)\s*+[*_]{0,2}\s*+[:：]",
                           re.IGNORECASE)
# `**Question 1**`, `Q2`, `问题3：` alone on a line: the number of the question on the next
_BARE_Q_NUMBER = re.compile(r"^\s*+[*_]{0,2}\s*+(?:Q|问题|Question)\s*+\d{1,3}\s*+[.．:：]?"
                            r"\s*+[*_]{0,2}\s*+[.．:：]?\s*$", re.IGNORECASE)
# a line that ends with a colon, inside the bold or outside it: a label over what follows
# (`解决方案：`, `**Key points:**`), no question
# (possessive: a run of 50,000 blanks after a colon was tried at each split, 7 s a line)
_ENDS_A_LABEL = re.compile(r"[:：]\s*+(?:\*\*|__)?\s*+$")
_CODE_LINE = re.compile(
    r"^\s*(?:[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*[-+*/%]?=(?!=)\s*\S|def \w|class \w|"
    r"return\b|for \S.*:\s*$|if \S.*:\s*$|elif \S|else:|while \S.*:\s*$|import \w|"
    r"from \S+ import|print\()")
_EMPTY_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?[^:：]{1,30}[:：]\s*$")  # "- 浅copy：" and nothing
# (notefile.unspaced_headings; `\n` rather than `^` in MULTILINE mode: 7x faster on a big note)
_UNSPACED_MARK = re.compile(r"\n#{1,6}[^\s#]")
_INLINE_MARKUP = re.compile(r"[\[<&\\]")  # what can make inline tokens other than text
_DELIMITERS = re.compile(r"[*_`]")
_INLINE_SYNTAX = re.compile(r"[\n\\`*_\[!<&]")  # where CommonMark's inline rules can start
_ANCHOR_LINK = re.compile(r"\]\(#[^)]{0,4000}\)")  # (bounded: see _CONTENT_NOISE)
# (a link's parts and a tag on one line and of bounded length: tried at each `[` or `<` of a run
# of them with no end, an unbounded part scanned on to the text's end, quadratic in the run)
_CONTENT_NOISE = re.compile(r"!?\[[^\]\n]{0,1000}\]\([^)\n]{0,4000}\)|<[^>\n]{1,1000}>|"
                            r"https?://\S+|\*solution\*|[\W_]", re.IGNORECASE)


@dataclass(slots=True)
class _Heading:
    level: int
    title: str
    line: int  # 0-based line of the heading
    body: tuple[int, int]  # 0-based [start, end) of the lines up to the next heading
    tokens: tuple[int, int]  # [start, end) of the body's tokens
    parent: "_Heading | None" = None
    children: list["_Heading"] = field(default_factory=list)
    has_body: bool = False
    topic_parent: "_Heading | None" = None  # parent for the purpose of `path`/tags
    setext: bool = False  # underlined with === or ---
    next: "_Heading | None" = None
    container: bool = False  # a card whose answer lists its parts (they carry its words)
    qlist: bool = False  # a question list: every list item under it is a question
    in_round: bool = False  # inside an interview round: nested items are questions too
    bank: bool = False  # in a note that says it lists interview questions (_introduction)
    sheet: bool = False  # in a note that says it is a cheat sheet (_introduction)
    diary: bool = False  # in such a note, a part of an interview (`### 算法`, `### 项目`)
    whole: bool = False  # a question whose sub-headings are parts of its answer (_fold)
    asked_below: bool = False  # `## Question` over the question, its `## Answer` folded in


@dataclass(slots=True)
class _Cand:
    """A question candidate inside a section (or before the first heading)."""

    line: int  # 0-based line of the question
    answer_from: int  # 0-based line its answer starts on
    question: str
    answer: str | None = None  # a fixed answer (table rows); else the lines up to the next one
    skip: bool = False  # only a boundary: a formality, a container item, the end of a table
    quoted: bool = False  # inside a blockquote: its answer lines lose their `>`
    context: str = ""  # a container item's words, for a short sub-question
    bold: bool = False  # a paragraph that is all bold
    weak: bool = False  # ... and neither asks nor is numbered
    table: bool = False  # a row of a question table
    ends: str = ""  # the boundary after a question table ("a question table"), or a fence
    details: bool = False  # the summary of a `<details>` block: its wrapper is no answer
    task: bool = False  # a task-list item (`- [ ] 手推lr`) or an exercise: asked, whatever it says
    inline: bool = False  # a bold question with its answer after it on its line
    term: bool = False  # a glossary paragraph: its bold term (and separator) is the question
    item: bool = False  # an item of a question list
    block: bool = False  # a line of an indented block of questions (_question_block)
    why: str = ""  # a question read and left out (a formality): why, for the import summary
    lead: int = 0  # `topic：answer` on one line: its characters before the answer
    flip: bool = False  # a one-line flashcard `front::back`: lines after it are more of it
    choices: bool = False  # a multiple-choice question's stem, over its choices (_stems)


def parse_note(text: str, then: Callable[[list[Draft]], None] | None = None) -> ParsedNote:
    """The cards of a note, what was skipped and what is worth a look. `then(drafts)`, if
    given, is called on the drafts of a big note's half in the process that parsed it (see
    _in_halves), and may set each one's `made`: what the caller would make of a draft is then
    made by two processes at once. (Drafts are not changed after `then` saw them, but some
    may be dropped; a note parsed whole is not given to `then`.)"""
    skipped: list[Skipped] = []
    unsure: list[Skipped] = []
    lines = text.split("\n")
    deck = flashdeck.cards(lines) if _has_card_ids(text) else None
    if deck is None and "\n%" in text and (found := flashdeck.percent_cards(lines)):
        deck, intro = found
        if intro is not None:  # (a deck's introduction, or its front matter)
            first = next(k for k in range(*intro) if lines[k].strip())
            skipped.append(Skipped(first + 1, lines[first].strip()[:60],
                                   "the deck's introduction (before its first card)"))
    if deck is not None:  # (already a deck of flashcards: its blocks are the cards)
        return _flashcards(deck, lines, skipped, unsure)
    # (read before the front matter is blanked: its `title:` says it too)
    sheet = bool(_SHEET.search(_introduction(lines)))
    held = front_matter(lines, skipped, unsure)
    # (each repair only where the text holds what it looks for: a pass over every line of a
    # big note is time that no second process shares, see _in_halves. A character looked for
    # alone is found or not at memchr's speed, ~0.1 ms in 3 MB, where a search for a string
    # takes 1.5-3 ms: the strings are looked for only where their rarest character occurs.)
    has = {c: c in text for c in "<>?!={^:："}
    if (has["<"] and "<<<<<<<" in text) or (has[">"] and ">>>>>>>" in text):
        merge_markers(lines, unsure)
    if has["<"] and "<!--" in text:
        html_comments(lines)
    if (has["?"] and "???" in text) or (has["!"] and "!!!" in text):
        admonitions(lines)
    if has["="] and '=== "' in text:
        content_tabs(lines)
    pairs = "::" in text
    if pairs and ":::" in text:
        containers(lines)
    if has["!"] and "[!" in text:
        callouts(lines)
    if has["{"] and "{{" in text:
        shortcodes(lines)
    if has["^"] and " ^" in text:
        block_ids(lines)
    if "Question:" in text:
        question_key(lines)
    if has[":"] or has["："]:
        label_over_question(text, lines)
    if "\n**" in text or "\n__" in text:
        bold_after_items(text, lines)
    if pairs or "#card" in text or "#Card" in text:
        outline(lines, unsure)
    if "\n--" in text or "\n --" in text or text.startswith("--"):
        dash_items(lines)
    if "\n    " in text:
        indented_answers(lines)
    if "span" in text:
        spans(lines)
    if "](#" in text:
        back_links(lines)
    stray_lines(text, lines)
    if _UNSPACED_MARK.search(text) or re.match(r"#{1,6}[^\s#]", text):
        unspaced_headings(lines)
    parts = _in_halves(lines, then, sheet) if len(lines) >= SPLIT_LINES else None
    if parts is None:
        tokens = _parse_blocks("\n".join(lines))
        if _close_fences(tokens, lines, unsure):
            tokens = _parse_blocks("\n".join(lines))
        parts = [_parse_part(lines, tokens, sheet=sheet)]
    try:
        # in the order one parse finds them: what the headings showed, then the sections
        unsure += [u for p in parts for u in p.heading_unsure]
        unsure += [u for p in parts for u in p.unsure]
        skipped += [s for p in parts for s in p.skipped]
        drafts = _index_entries([d for p in parts for d in p.drafts], lines, skipped)
        if held:  # (flashcards kept in its front matter, before what the note says)
            drafts = _flashcards(held, lines, [], []).drafts + drafts
        return _whole_note(drafts, skipped, unsure)
    finally:
        # (a second half's child exits meanwhile, its memory freed: not waited for before)
        forked.reap_exited()


def _whole_note(drafts: list[Draft], skipped: list[Skipped], unsure: list[Skipped]
                ) -> ParsedNote:
    """What is checked across a note's drafts once they are all read: a question asked twice
    (_once, _recaps), long answers."""
    if len({d.key for d in drafts}) < len(drafts):  # (no question asked twice: nothing to do)
        drafts = _listed_first(_recaps(_once(drafts, skipped), skipped), skipped)
    for d in drafts:
        n = d.answer.count("\n") + 1 if d.answer else 0
        if n > LONG_ANSWER:
            unsure.append(Skipped(d.line, d.question[:60],
                                  f"long answer ({n} lines): hard to study as one card; "
                                  "consider splitting it with sub-headings"))
    return ParsedNote(drafts, skipped, unsure)


_CARD_ID = re.compile(r"(?:card[_-]?id|id)\s*:", re.IGNORECASE)
_CARD_ID_LINE = re.compile(r"\n(?:card[_-]?id|id)\s*:", re.IGNORECASE)


def _has_card_ids(text: str) -> bool:
    """A line that starts `id:` or `card_id:`. (Not one multiline regex `^…`: that is tried
    at every character, a sixth of the time before a big note's second process starts; a
    pattern that starts with "\n" is tried only at line ends.)"""
    return bool(_CARD_ID.match(text) or _CARD_ID_LINE.search(text))


def _flashcards(deck: list[tuple], lines: list[str], skipped: list[Skipped],
                unsure: list[Skipped]) -> ParsedNote:
    """The cards of a note that is a deck of them (flashdeck): each front a question (one line:
    as plain text, as a heading's is), each back its answer; (line, front, back) or (line,
    front, back, its tags)."""
    drafts = []
    for line, front, back, *tags in deck:
        question = textnorm.clean_question(_plain_line(front)) if "\n" not in front else front
        answer = _tidy(back.split("\n"))
        d = Draft(question, answer, "qa" if _text_has_content(answer) else "prompt", line + 1,
                  [], [], tags=[t for t in map(textnorm.tag, tags[0] if tags else []) if t],
                  stem=question)
        d.key = textnorm.key(question)
        drafts.append(d)
    return _whole_note(drafts, skipped, unsure)


# A list item that is one link and nothing else (`- [BN 和 LN 的区别](#bn-和-ln-的区别)`,
# `* [Q4: Why …?](https://…#:~:text=…)`)
# (a link's target may hold parentheses: `…(CNN)%3F`)
_LINK_ITEM = re.compile(r"^\s*+(?:[-*+]|\d{1,9}[.)])\s++\[[^\]]+\]\(.*\)\s*+$")


def _index_entries(drafts: list[Draft], lines: list[str], skipped: list[Skipped]
                   ) -> list[Draft]:
    """A note's index of its own questions (a list of links to them, each without an answer)
    is no card: the question it links to is one, where the note asks it."""
    # (one that links to a heading of the note, `- [Why X?](#why-x)`, is an entry whatever
    # follows it: what it took as its answer is the rest of the index)
    entry = [0 < d.line <= len(lines) and (d.kind == "prompt" or "](#" in lines[d.line - 1])
             and bool(_LINK_ITEM.match(lines[d.line - 1])) for d in drafts]
    if not any(entry):
        return drafts
    asked: dict[str, int] = {}
    for d, e in zip(drafts, entry):
        if not e:
            asked.setdefault(d.key, d.line)
    out = []
    for d, e in zip(drafts, entry):
        # (an entry under a group label carries it, `General — Why X?`: its own words count)
        at = (asked.get(d.key) or asked.get(textnorm.key(d.stem or ""))
              ) if e else None
        if at is not None:
            skipped.append(Skipped(d.line, d.question[:60],
                                   f"an index entry: the question is at line {at}"))
            continue
        if e and d.kind == "prompt" and "](#" in lines[d.line - 1] and \
                textnorm.junk_heading(d.question):
            # (`1. [Introduction](#introduction)`: its section is no question either)
            skipped.append(Skipped(d.line, d.question[:60], "an index entry of a part that "
                                   "asks nothing"))
            continue
        out.append(d)
    return out


def _once(drafts: list[Draft], skipped: list[Skipped]) -> list[Draft]:
    """A card written twice in a note (a block of questions pasted again: the same question
    and the same answer) is one card; the second is reported."""
    first: dict[tuple[str, str], int] = {}
    out = []
    for d in drafts:
        k = (d.key, d.answer.strip())
        if d.kind == "qa" and k in first:
            skipped.append(Skipped(d.line, d.question[:60],
                                   f"the same question and answer as line {first[k]}"))
            continue
        first.setdefault(k, d.line)
        out.append(d)
    return out


def _recaps(drafts: list[Draft], skipped: list[Skipped]) -> list[Draft]:
    """Two or more questions in a row that the note asked before, without answers (a recap at
    its end: `1. 什么是深度学习？` / `2. 什么是迁移学习？` again; the last may have taken the text
    after the list) are no cards: each is one where it was asked first. (One asked again
    alone, as in a diary's next round, stays; so do questions alike that are answered.)"""
    first: dict[str, int] = {}
    again = []
    for d in drafts:
        k = d.key
        again.append(first.get(k))
        first.setdefault(k, d.line)
    return _without_runs(drafts, again, skipped, "asked again: the card is at line",
                         lambda run: not any(d.answer.strip() for d in run[:-1]))


def _listed_first(drafts: list[Draft], skipped: list[Skipped]) -> list[Draft]:
    """Two or more questions in a row without answers, each answered later in the note (a
    list of its questions at its start, `# Question List` over `1. What is stride?`, then
    `## What is stride?` and its answer): no cards, each is one where it is answered. They
    were a prompt each, beside the card that answers it. So are questions listed with a hint
    of one line, each answered at more length later (an outline, `1. **What is an ANN?**`
    over `* Input layer, hidden layers, …`, then the answers)."""
    answered: dict[str, list[tuple[int, int]]] = {}
    for d in drafts:
        if d.kind == "qa":
            answered.setdefault(d.key, []).append((d.line, len(d.answer)))

    def answered_after(d: Draft) -> int | None:
        if d.kind != "prompt" and "\n" in d.answer:
            return None
        return next((line for line, n in answered.get(d.key, ()) if line > d.line and
                     n > len(d.answer)), None)
    later = [answered_after(d) for d in drafts]
    return _without_runs(drafts, later, skipped, lambda d: (
        "listed before its answer: the card is at line" if d.kind == "prompt" else
        f"listed with a line of answer ({d.answer[:40]}), in no card: the card is at line"),
        lambda run: True)


def _without_runs(drafts: list[Draft], at: list[int | None], skipped: list[Skipped],
                  said: str | Callable[[Draft], str], drop) -> list[Draft]:
    """`drafts` less each run of two or more in a row that have a line in `at` (the card
    they are) and that `drop(the run)` accepts; each left out is said (`said`, or what it
    says of the draft, and its line)."""
    say = (lambda d: said) if isinstance(said, str) else said
    out, i = [], 0
    while i < len(drafts):
        j = i
        while j < len(drafts) and at[j] is not None:
            j += 1
        if j - i >= 2 and drop(drafts[i:j]):
            skipped += [Skipped(d.line, d.question[:60], f"{say(d)} {a}")
                        for d, a in zip(drafts[i:j], at[i:j])]
        else:
            out += drafts[i:j]
        out += drafts[j:j + 1]
        i = j + 1
    return out


@dataclass
class _Part:
    """What the blocks of a note (or of half of one, _in_halves) give."""

    drafts: list[Draft]
    skipped: list[Skipped]
    heading_unsure: list[Skipped]  # headings the parser saw that are not read as ones
    unsure: list[Skipped]
    first: int  # line of the first heading (-1: none)
    top: int  # the lowest heading level (1 for H1; 7: none)


def _parse_part(lines: list[str], tokens: list[Token], title: str = "note",
                after: "_Heading | None" = None, sheet: bool = False) -> _Part:
    """Cards from the block tokens of `lines`. `title`: "note" (its first heading may be the
    document's title, _title), "setext" (only if underlined with ===: the first half of a
    note with more H1s, _in_halves) or "none"; `after`: the heading that follows the last
    one (in the second half); `sheet`: the note says it is a cheat sheet (_SHEET)."""
    skipped: list[Skipped] = []
    heading_unsure: list[Skipped] = []
    unsure: list[Skipped] = []
    merged: list[int] = []
    headings = _headings(tokens, lines, heading_unsure, merged)
    for h in headings:
        h.has_body = _has_content(tokens[h.tokens[0]:h.tokens[1]])
    if headings:
        headings[-1].next = after
    _link_tree(headings)
    bank = bool(_DECLARES.search(_introduction(lines)))
    for h in headings:
        h.bank, h.sheet = bank, sheet
        if bank and _DIARY_PART.fullmatch(textnorm.key(textnorm.strip_numbering(h.title))):
            h.qlist = h.diary = True  # (`### 算法` under a company in a 面经: its questions)
        elif not h.qlist and textnorm.names_a_company(h.title) and _asked_at_once(tokens, h):
            # (`## 快手-YTech` over `- 手写NMS` or lines of questions: asked there, as in a round)
            h.qlist = h.in_round = True

    folded = _fold(headings, tokens, lines)
    answers, parts = _answer_headings(headings)
    if folded or answers:
        headings = [h for h in headings if id(h) not in folded and id(h) not in answers
                    and id(h) not in parts]
    drafts: list[Draft] = []
    drop = _qa_fence_spans(tokens) + [(a.line, a.line + 1) for a in answers.values()] + \
        [(n, n + 1) for n in merged]
    first = headings[0].line if headings else len(lines)
    pre_end = headings[0].tokens[0] - 3 if headings else len(tokens)
    _loose_section(tokens[:pre_end], lines, (0, first), drop, drafts, skipped, unsure, bank)

    doc_title = _title(headings, lines) if title == "note" else \
        headings[0] if title == "setext" and headings and headings[0].level == 1 \
        and headings[0].setext else None
    for h in headings:
        if h.topic_parent is None:  # (most headings: no ancestors to list)
            path, topics = [], []
        else:
            path = [a.title for a in _ancestors(h)]
            topics = [t for t in path if not textnorm.is_date(t)]
        body_tokens = tokens[h.tokens[0]:h.tokens[1]]
        if textnorm.is_date(h.title):
            _date_section(h, lines, body_tokens, path + [h.title], topics, drafts, skipped)
            continue
        if textnorm.is_toc(h.title):
            if h.has_body or not h.children:
                skipped.append(Skipped(h.line + 1, h.title, "table of contents"))
            rest = _after_toc(body_tokens, h)
            if rest is not None:  # (what follows its list: the note's, under no heading)
                _loose_section(rest[0], lines, rest[1], drop, drafts, skipped, unsure, bank)
            continue
        if not h.title:
            skipped.append(Skipped(h.line + 1, "(empty heading)", "heading has no text"))
            continue
        _section(h, h is doc_title, lines, body_tokens, path, topics, drop, drafts, skipped,
                 unsure)
    drafts = _named_parts(drafts, headings, lines)
    for d in drafts:
        d.key = textnorm.key(d.question)
    return _Part(drafts, skipped, heading_unsure, unsure, headings[0].line if headings else -1,
                 min((h.level for h in headings), default=7))


_NUMBER_ONLY = re.compile(r"\s*(?:\d{1,3}(?:\.\d{1,3})*[.、)）]?|[(（]\d{1,3}[)）])\s*")


def _named_parts(drafts: list[Draft], headings: list[_Heading], lines: list[str]
                 ) -> list[Draft]:
    """A bold question that ends its section unanswered (`**Q2 How is KNN different from
    k-means clustering?**`) right over two or more headings, one after the other, each a
    thing it names (`##### KNN`, `##### K Means`): their text is its answer (their lines
    as written), not cards of their own."""
    at = {h.line + 1: h for h in headings}
    out: list[Draft] = []
    i = 0
    while i < len(drafts):
        d = drafts[i]
        out.append(d)
        i += 1
        if d.kind != "prompt" or d.answer or not lines[d.line - 1].lstrip().startswith(
                ("**", "__")) or i >= len(drafts) or drafts[i].line not in at:
            continue
        parts = []
        h = at[drafts[i].line]
        while i + len(parts) < len(drafts) and drafts[i + len(parts)].line == h.line + 1 \
                and drafts[i + len(parts)].stem == textnorm.clean_question(h.title):
            parts.append((h, drafts[i + len(parts)]))
            h = h.next
            if h is None:
                break
        first = parts[0][0].line if parts else -1
        # (under the heading the question is in, never at its level: a big note is cut at a
        # heading of its top level, _in_halves, and the two halves must read it the same)
        over = next((x for x in reversed(headings) if x.line < d.line - 1), None)
        if len(parts) < 2 or any(ln.strip() for ln in lines[d.line:first]) or \
                over is None or any(p.level <= over.level for p, _ in parts) or \
                not _names(d.stem, [p.title for p, _ in parts]):
            continue
        d.answer = _tidy([x for p, pd in parts for x in (lines[p.line], pd.answer, "")])
        d.kind = "qa"
        i += len(parts)
    return out


# --- a big note in two halves at once -------------------------------------------------------

# A note this long (lines) is parsed in two halves at once, one in a forked child (20,000
# sections: 2.2 s in one process). Tests lower it to parse small notes both ways.
SPLIT_LINES = 30_000


def _in_halves(lines: list[str], then: Callable[[list[Draft]], None] | None = None,
               sheet: bool = False) -> list[_Part] | None:
    """The parts of a note parsed as two halves, the second in a forked child; None when
    that would not give exactly what one parse gives (the caller then parses it whole).

    The note is cut before an ATX heading of its top level near the middle: nothing after
    the cut then hangs under a heading before it, so each half's heading tree, sections and
    cards are the whole parse's. What one parse carries across the cut makes `_half` give
    None: a link definition (markdown-it reads them from the whole note), a block that may
    run on into the cut line, a fence left open. And the cut line must be a heading in both
    halves, and no heading before it of a higher level (an H1 before an H2 cut: the H2s
    after the cut would hang under it). The first half's last heading is told which heading
    follows it; the document's title can then only be an H1 underlined with ===."""
    cut = _cut_line(lines)
    if cut is None:
        return None
    after = _headings(blockscan.scan(lines[cut]) or [], [lines[cut]], [])
    if not after or _CODE_LINE.match(lines[cut - 1]) or \
            (cut + 1 < len(lines) and _CODE_LINE.match(lines[cut + 1])):
        return None  # a `# comment` among lines of code (_not_a_heading)
    child = forked.start(lambda: _sent(_made(_half(lines, cut, None, sheet), then)))
    if child is None:
        return None
    try:
        first = _made(_half(lines, cut, after[0], sheet), then)
    except BaseException:
        child.stop()
        raise
    if first is None:
        child.stop()
        return None
    second = _received(child.result())
    level = after[0].level
    if second is None or not (first.first >= 0 and first.top >= level and second.first == cut):
        return None
    return [first, second]


def _made(part: _Part | None, then: Callable[[list[Draft]], None] | None) -> _Part | None:
    if part is not None and then is not None:
        then(part.drafts)
    return part


# A child's part is sent back as tuples of plain values: pickling 10,000 drafts as objects
# takes 35 ms, as tuples 9 ms (forked pickles without a memo), most of it time the parent
# would wait for.
_draft_row = attrgetter(*(f.name for f in fields(Draft)))
_skipped_row = attrgetter(*(f.name for f in fields(Skipped)))


def _sent(part: _Part | None) -> tuple | None:
    """`part` as tuples of plain values (_received makes it again)."""
    if part is None:
        return None
    return (list(map(_draft_row, part.drafts)),
            *(list(map(_skipped_row, s)) for s in (part.skipped, part.heading_unsure,
                                                    part.unsure)),
            part.first, part.top)


def _received(sent: tuple | None) -> _Part | None:
    if sent is None:
        return None
    drafts, skipped, heading_unsure, unsure, first, top = sent
    return _Part([Draft(*d) for d in drafts], [Skipped(*s) for s in skipped],
                 [Skipped(*s) for s in heading_unsure], [Skipped(*s) for s in unsure],
                 first, top)


def _cut_line(lines: list[str]) -> int | None:
    """An ATX heading line of the note's top level near its middle (not its first one; the
    lower line of two as near)."""
    # (this runs before the second process starts: the lines that start with `#` are found
    # without a bytecode a line, and of them only those that can decide are checked)
    marked = list(compress(range(len(lines)), map(str.startswith, lines, repeat("#"))))
    first = next((i for i in marked if blockscan.heading(lines[i]) is not None), None)
    middle = len(lines) // 2
    for level in range(1, 7):  # the top level: the lowest with a heading
        at = [marked[k] for k in compress(range(len(marked)), map(
            str.startswith, map(lines.__getitem__, marked), repeat("#" * level + " ")))]
        seen = False
        for i in _outward(at, middle):
            # (not a heading that may continue the one before it: the halves would not see
            # the one it continues, _headings)
            if (hd := blockscan.heading(lines[i])) is not None and not _may_continue(hd[1]):
                if i != first:
                    return i
                seen = True
        if seen:
            return None
    return None


def _outward(at: list[int], middle: int):
    """The (sorted) line numbers `at`, nearest `middle` first (the lower of two as near)."""
    lo = bisect.bisect_left(at, middle) - 1
    hi = lo + 1
    while lo >= 0 or hi < len(at):
        if hi >= len(at) or (lo >= 0 and middle - at[lo] <= at[hi] - middle):
            yield at[lo]
            lo -= 1
        else:
            yield at[hi]
            hi += 1


# Blocks that end at the cut line without a blank line before it may take it in one parse
# (a table row without pipes, an HTML block): the cut is not made after them.
_MAY_RUN_ON = ("table_open", "html_block")


def _half(lines: list[str], cut: int, after: "_Heading | None", sheet: bool = False
          ) -> _Part | None:
    """The first half of a note cut at line `cut` (`after`: the cut's heading), or the
    second (after None; the first half's lines blank, so its line numbers are the note's).
    None when it would differ from that part of one parse."""
    env: dict = {}
    if after is None:
        part = lines
        tokens = _parse_blocks("\n" * cut + "\n".join(lines[cut:]), env)
        if _open_fence(tokens, lines) is not None:
            return None  # one parse would close it (_close_fences), and say so first
    else:
        part = lines[:cut]
        # the final newline: a list's last item takes the blank lines before the cut
        tokens = _parse_blocks("\n".join(part) + "\n", env)
        if _open_fence(tokens, part) is not None or any(
                t.type in _MAY_RUN_ON and t.map and t.map[1] >= cut for t in tokens):
            return None
    if env.get("references"):
        return None
    return _parse_part(part, tokens, "setext" if after is not None else "none", after, sheet)


# --- text repairs that need the parse -------------------------------------------------------

def _close_fences(tokens: list[Token], lines: list[str], unsure: list[Skipped]) -> bool:
    """A code fence never closed swallows the rest of the note. Close it before the next
    heading that follows a blank line (by turning that blank line into the closing fence) and
    say so; if there is none, say what was read as code."""
    for t in _open_fences(tokens, lines):
        indent = re.match(r"^\s*", lines[t.map[0]]).group(0)
        for j in range(t.map[0] + 2, len(lines)):
            if re.match(r"^#{1,6}\s+\S", lines[j]) and not lines[j - 1].strip():
                lines[j - 1] = indent + t.markup
                unsure.append(Skipped(t.map[0] + 1, lines[t.map[0]].strip()[:20],
                                      f"code fence never closed: closed it before line {j + 1}; "
                                      f"add the closing {t.markup} to the note"))
                return True
        last = len(lines) - (not lines[-1])
        unsure.append(Skipped(t.map[0] + 1, lines[t.map[0]].strip()[:20],
                              f"code fence never closed: lines {t.map[0] + 1}-{last} are "
                              f"read as code; add the closing {t.markup} to the note"))
    return False


def _open_fences(tokens: list[Token], lines: list[str]):
    """The fences whose last line is no closing fence, at the top level: one in a blockquote
    or list item ends with it, and swallows nothing."""
    for t in tokens:
        if t.type != "fence" or not t.map or t.level:
            continue
        if not (t.map[1] - 1 > t.map[0] and _closer(t.markup).match(lines[t.map[1] - 1])):
            yield t


@functools.lru_cache(maxsize=64)
def _closer(markup: str) -> re.Pattern:
    """A line that closes a fence opened by `markup` (made once: a big note has thousands)."""
    return re.compile(r"^\s*" + re.escape(markup[0]) + "{%d,}\\s*$" % len(markup))


def _open_fence(tokens: list[Token], lines: list[str]) -> Token | None:
    return next(_open_fences(tokens, lines), None)


# --- heading tree ---------------------------------------------------------------------------

def _headings(tokens: list[Token], lines: list[str], unsure: list[Skipped],
              merged: list[int] | None = None) -> list[_Heading]:
    """The headings of a note, in order. One that continues the heading right before it
    (`## 2. (continued)` after `## 2. Diagnosis Cheat Sheet`, a section split where a page or
    slide ended; `## 卷积（续）` after `## 卷积`) is none: its text is that section's, and its line
    (0-based) goes to `merged`, no part of the answer. (Before: a card "(continued)".)"""
    out: list[_Heading] = []
    n_lines, n_tokens = len(lines), len(tokens)
    prev = None  # the heading before: its body and tokens end where this one starts
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and t.level == 0 and t.map:
            inline = tokens[i + 1]
            why = _not_a_heading(t, inline, lines)
            if why:
                if why != "code":
                    unsure.append(Skipped(t.map[0] + 1, inline.content[:40], why))
                continue
            title = textnorm.clean_title(_plain(inline))
            line = t.map[0]
            if prev is not None and prev.level == int(t.tag[1]) and \
                    _continues(prev.title, title):
                if merged is not None:
                    merged.append(line)
                continue
            # heading_open, inline, heading_close: the body starts after them
            h = _Heading(int(t.tag[1]), title, line, (t.map[1], n_lines), (i + 3, n_tokens),
                         setext=t.markup in ("=", "-"))
            if prev is not None:  # (one pass: no second loop over the headings)
                prev.next = h
                prev.body = (prev.body[0], line)
                prev.tokens = (prev.tokens[0], i)
            out.append(h)
            prev = h
    return out


# `2. (continued)`, `Attention, cont'd`, `卷积（续）`: the number and title of the heading it
# continues (or none), then the word
_CONTINUED = re.compile(r"(?:(\d{1,3}(?:\.\d{1,3})*)[.、)）]?\s*)?(.*?)[\s,，:：—–-]*[(（\[]?\s*"
                        r"(?:continued|cont(?:'d|\.)|续|接上(?:文|页)?)\s*[)）\]]?", re.IGNORECASE)
_NUMBERED_TITLE = re.compile(r"(?:(\d{1,3}(?:\.\d{1,3})*)[.、)）]?\s*)?(.*)", re.DOTALL)


def _continuation(title: str) -> re.Match | None:
    """`title` read as a continuation (_CONTINUED), or None."""
    if "ont" not in title and "续" not in title and "接上" not in title:
        return None  # (the cheap test first: most titles)
    return _CONTINUED.fullmatch(title.strip())


def _may_continue(title: str) -> bool:
    """`title` may continue the heading before it (_continues), whatever that one is."""
    return _continuation(title) is not None


def _continues(before: str, title: str) -> bool:
    """`title` says its section continues the one of title `before`."""
    c = _continuation(title)
    if c is None:
        return False
    b = _NUMBERED_TITLE.fullmatch(before.strip())
    words = lambda s: " ".join(s.split()).casefold()  # noqa: E731
    return c.group(1) in (None, b.group(1)) and words(c.group(2)) in ("", words(b.group(2)))


# A heading that is a list's lead-in (_not_a_heading)
_LEAD_IN_HEADING = re.compile(r"\b(?:include|includes|including|are|as follows)\s*:$|"
                              r"(?:包括|如下|有以下几种|分为以下几类)\s*[:：]$", re.IGNORECASE)


def _not_a_heading(t: Token, inline: Token, lines: list[str]) -> str | None:
    """Headings the parser sees that the writer did not mean."""
    if t.markup in ("=", "-"):  # setext: a line underlined by === or ---
        if not _inline_has_content(inline) and "](" in inline.content:
            return "a link line over a `---` rule: read as text, not as a heading"
        if "\n" in inline.content or len(inline.content) > 80:
            return "a paragraph over a `===`/`---` line: read as text, not as a heading"
        return None
    # (a colon at its end first, without parsing it: most headings end otherwise)
    if inline.content.rstrip(" *_`").endswith((":", "：")) and \
            _LEAD_IN_HEADING.search(_plain(inline).strip(" *_`")) and \
            len(inline.content.split()) >= 3 and _section_above(t, lines) and \
            not _over_deeper(t, lines):
        # (`#### Further variations in probability sampling include:` over its list; not
        # one over sub-headings, `## Common loss functions include:` over `### Focal Loss`)
        return "a lead-in written as a heading: read as text of the section above"
    # `# comment` lines of code pasted without a fence (the lines around it; an empty one,
    # most often, is no code: _CODE_LINE matches no empty line)
    a, b = t.map[0], t.map[1]
    before = lines[a - 1] if a > 0 else ""
    after = lines[b] if b < len(lines) else ""
    return "code" if (before and _CODE_LINE.match(before)) or \
        (after and _CODE_LINE.match(after)) else None


def _section_above(t: Token, lines: list[str]) -> bool:
    """Whether a heading line comes before heading `t` (whose section its text would join)."""
    return any(ln[:1] == "#" and blockscan.heading(ln) is not None for ln in lines[:t.map[0]])


def _over_deeper(t: Token, lines: list[str]) -> bool:
    """Whether the next heading line after heading `t` is a deeper one (a sub-heading)."""
    level = len(t.markup)
    for ln in lines[t.map[1]:]:
        if ln[:1] == "#" and (hd := blockscan.heading(ln)) is not None:
            return len(hd[0]) > level
    return False


def _link_tree(headings: list[_Heading]) -> None:
    stack: list[_Heading] = []
    for h in headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        h.parent = stack[-1] if stack else None
        if h.parent:
            h.parent.children.append(h)
        stack.append(h)
        # (a heading that asks, under a round, is a question of it: its body its answer,
        # not more questions; `# Onsite` over `## What is NMS?` made prompts of the answers)
        h.in_round = textnorm.is_round(h.title) or bool(
            h.parent and h.parent.in_round and not textnorm.asks(h.title))
        h.qlist = textnorm.is_question_list(h.title) or h.in_round
    for h in headings:
        p = h.parent
        # A deeper heading right after a section that already has its own answer is a sibling
        # topic written one level too deep, unless it visibly continues the parent's subject.
        # Top-level (H1) sections are chapters: what is under them belongs to them.
        while (p is not None and p.level >= 2 and p.has_body
               and not textnorm.is_date(p.title) and not _shares_term(p.title, h.title)):
            p = p.topic_parent
        h.topic_parent = p


def _title(headings: list[_Heading], lines: list[str]) -> _Heading | None:
    """The document's title: its first heading, an H1, when no other H1 follows (or it is
    underlined with ===). Its text is an introduction, not an answer. (So is a note's first
    line, a heading of its highest level that no other heading has and that does not ask, over
    questions, `## Elite Data Science` over `### 1 The Big Picture` and its `#### 1.1 - What
    …`, or naming them, `## Machine Learning Interview Questions`.)"""
    if not headings:
        return None
    first = headings[0]
    if first.level != 1:
        top = min(h.level for h in headings)
        return first if (not any(ln.strip() for ln in lines[:first.line])
                         and first.level == top and len(headings) > 1
                         and sum(1 for h in headings if h.level == top) == 1
                         and not textnorm.asks(first.title)
                         # (over questions: not `## BN 的好处` over `### 7. 引用`)
                         and (sum(1 for h in headings[1:6] if textnorm.asks(h.title)) >= 2
                              or bool(_DECLARES.search(textnorm.read(first.title))))
                         ) else None
    alone = sum(1 for h in headings if h.level == 1) == 1
    return first if alone or first.setext else None


def _shares_term(a: str, b: str) -> bool:
    terms = lambda s: {m.group(0).casefold() for m in _LATIN_TERM.finditer(s)}  # noqa: E731
    return bool(terms(a) & terms(b))


def _ancestors(h: _Heading) -> list[_Heading]:
    out = []
    p = h.topic_parent
    while p is not None:
        out.append(p)
        p = p.topic_parent
    return out[::-1]


# --- tokens -----------------------------------------------------------------------------

def _tokens_in(tokens: list[Token], span: tuple[int, int]) -> list[Token]:
    """Top-level block tokens (and everything nested in them) that start inside `span`."""
    return list(_each_token_in(tokens, span))


def _each_token_in(tokens: list[Token], span: tuple[int, int]) -> Iterator[Token]:
    """_tokens_in's tokens, one at a time (for a test that may stop at the first)."""
    inside = False
    for t in tokens:
        if t.level == 0 and t.map:
            inside = span[0] <= t.map[0] < span[1]
        if inside:
            yield t


def _parse_blocks(text: str, env: dict | None = None) -> list[Token]:
    """Block tokens of `text`; each inline token's children are left for `_children`.
    Plain text (headings, paragraphs, one-line lists, fences) is scanned directly, exactly as
    markdown-it would parse it; the sections that hold anything else are markdown-it's
    (blockscan.blocks)."""
    return blockscan.blocks(text, {} if env is None else env, _markdown_it)


def _markdown_it(text: str, env: dict) -> list[Token]:
    """markdown-it's block tokens of `text`, their inline tokens' as blockscan leaves them."""
    tokens = _BLOCKS.parse(text, env)
    for t in tokens:
        if t.type == "inline":
            t.children = None  # not parsed yet
            t.meta["env"] = env  # the note's link definitions, for its inline parse
    return tokens


def _children(inline: Token) -> list[Token]:
    """The inline tokens of a block's text, parsed on first use by markdown-it's own two
    core rules (inline, text_join) with the note's link definitions: exactly what a full
    parse would have given."""
    if inline.children is None:
        state = StateCore(inline.content, _MD, inline.meta.get("env", {}), [inline])
        inline_rule(state)
        text_join(state)
    return inline.children or []


def _plain(inline: Token) -> str:
    """Plain text of an inline token: links keep their text unless it is a mere pointer."""
    if not _INLINE_SYNTAX.search(inline.content):
        return inline.content  # one text token: no parse needed
    return _plain_tokens(_children(inline))


def _plain_tokens(children: list[Token]) -> str:
    parts: list[str] = []
    link_text: list[str] | None = None
    for c in children:
        if c.type == "link_open":
            link_text = []
        elif c.type == "link_close":
            text = "".join(link_text or [])
            if textnorm.key(text) not in _LINK_WORDS:
                parts.append(text)
            link_text = None
        elif c.type in ("text", "code_inline"):
            (link_text if link_text is not None else parts).append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


_KEPT_STAR = "\ue000"  # (a private-use character: no note's text)
_INTRAWORD_STAR = re.compile(r"(?<=[0-9A-Za-z_\u4e00-\u9fff])\*(?=[0-9A-Za-z_\u4e00-\u9fff])")


def _plain_line(src: str) -> str:
    """A question line as plain text (links, emphasis and HTML breaks dropped)."""
    src = re.sub(r"<br\s*/?>", " ", src)
    star = "*" in src and _INTRAWORD_STAR.search(src) is not None
    if star:
        # (a star between two word characters is the note's arithmetic, `2*pos`, `k*k*c_in`:
        # kept, hidden from the parse; as emphasis, `2*pos和2*pos+1` lost both: fault hunt 43)
        src = _INTRAWORD_STAR.sub(_KEPT_STAR, src)
    inline = _MD.parseInline(src)
    text = _plain(inline[0]) if inline else src
    return text.replace(_KEPT_STAR, "*") if star else text


def _has_content(tokens: Iterable[Token], ignore_qa_fences: bool = False) -> bool:
    """Whether blocks carry something to study: not only links, images or nothing."""
    for t in tokens:
        if t.type in ("fence", "code_block"):
            if ignore_qa_fences and _is_qa_fence(t):
                continue
            if t.content.strip():
                return True
        elif t.type == "table_open":
            return True
        elif t.type == "html_block":
            if _without_html_noise(t.content).strip():
                return True
        elif t.type == "inline":
            if _inline_has_content(t):
                return True
    return False


_HTML_NOISE = re.compile(r"<img\b[^>]*>|<br\s*/?>|<!--.*?-->", re.S)


def _without_html_noise(html: str) -> str:
    """`_HTML_NOISE.sub("", html)`, in linear time: sub would try the pattern at each `<`,
    and a `<!--` (or `<img`) with no `-->` (`>`) after it scans on to the end, for each of
    them (15,000 such lines took 20 s). Where no match can end, it is not tried."""
    last_close, last_gt = html.rfind("-->"), html.rfind(">")
    out, pos = [], 0
    while (i := html.find("<", pos)) >= 0:
        m = _HTML_NOISE.match(html, i) if (
            html.startswith("<br", i) or (html.startswith("<img", i) and last_gt > i)
            or (html.startswith("<!--", i) and last_close >= i + 4)) else None
        out.append(html[pos:i] if m else html[pos:i + 1])
        pos = m.end() if m else i + 1
    out.append(html[pos:])
    return "".join(out)


def _inline_has_content(inline: Token) -> bool:
    raw = inline.content
    c = raw[:1]
    if not _INLINE_MARKUP.search(raw) and (
            # (most paragraphs: a first character that is no delimiter and can start no
            # pointer match, as in _says_something, is one the filter keeps: that decides,
            # without rewriting the text)
            (c.isalnum() and c not in _POINTER_WORD_STARTS
             and (c.isascii() or c.lower() == c == c.upper()))
            or _survives(_POINTER_TEXT, _DELIMITERS.sub("", raw))):
        # Without links, images, HTML, entities or escapes, the inline tokens' text is the
        # source less emphasis and code delimiters; a character that survives the pointer
        # filter on the whole text survives it on its own token too, so the parse can wait.
        return True
    return _tokens_have_content(_children(inline))


def _tokens_have_content(children: list[Token]) -> bool:
    """Some text or code outside links that is more than a pointer ("参考：", a URL)."""
    in_link = 0
    for c in children:
        if c.type == "link_open":
            in_link += 1
        elif c.type == "link_close":
            in_link -= 1
        elif c.type in ("text", "code_inline") and not in_link:
            if _survives(_POINTER_TEXT, c.content):
                return True
    return False


def _text_has_content(answer: str) -> bool:
    """Whether an answer says anything once stubs, reference lists, links and labels are
    gone (`- [ ] TODO`, `_To be filled_`, `参考资料` + links are not answers)."""
    in_fence = False
    for ln in answer.split("\n"):
        if ln.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            if ln.strip():
                return True
            continue
        if textnorm.is_stub(ln) or textnorm.is_reference_label(ln) or (
                # (_EMPTY_LABEL matches only a line that ends with its colon and blanks: the
                # test first, as the pattern backtracks over up to 30 characters)
                ln.rstrip().endswith((":", "：")) and _EMPTY_LABEL.match(ln)) or (
                # (a line of tags, `#flashcards/rag`: what a note app files it under; a
                # heading over one and questions was a card, fault hunt 44)
                ln[:1] == "#" and _TAGS_ONLY.fullmatch(ln.rstrip())):
            continue
        ln = textnorm.fold(ln)
        # (ANSWER_LABEL.sub: the pattern is anchored, so it removes at most the match at the
        # start; without one the line is as is_stub saw it above, folded: no stub)
        label = textnorm.ANSWER_LABEL.match(ln)
        if label is not None:
            ln = ln[label.end():]
            if textnorm.is_stub(ln):
                continue
        if _says_something(ln):
            return True
    return False


_TAGS_ONLY = re.compile(r"#[^\s#]+(?:\s+#[^\s#]+)*")
_TAG_LINE = re.compile(r"^#[^\s#]+(?:[ \t]+#[^\s#]+)*[ \t]*$", re.MULTILINE)


def _survives(rx: re.Pattern, text: str) -> bool:
    """Whether `rx.sub("", text).strip()` is not empty, for a pattern that matches no empty
    text and removes all whitespace (_POINTER_TEXT). sub's matches are leftmost, so a
    character where no match starts is one sub keeps: the answer comes at the first one,
    without trying the pattern at every later position."""
    return _kept(rx, text) < len(text)


def _kept(rx: re.Pattern, text: str) -> int:
    """Where the first character that `rx.sub` keeps is (len(text) if none)."""
    pos, n = 0, len(text)
    while pos < n:
        m = rx.match(text, pos)
        if m is None:
            break
        pos = m.end()
    return pos


def _says_something(ln: str) -> bool:
    """`_POINTER_TEXT.sub("", _CONTENT_NOISE.sub("", ln)).strip()` is not empty. What the
    noise leaves is word characters only; when the first of them can start no pointer word,
    the pointer pass keeps it (the common case, decided without rewriting the line)."""
    pos = _kept(_CONTENT_NOISE, ln)
    if pos == len(ln):
        return False
    c = ln[pos]
    if c not in _POINTER_WORD_STARTS and (c.isascii() or c.lower() == c == c.upper()):
        return True  # (a cased non-ASCII letter may fold to one of them: the long way)
    return _survives(_POINTER_TEXT, _CONTENT_NOISE.sub("", ln))


def _is_qa_fence(t: Token) -> bool:
    """A fence with no language whose unindented lines mostly read `question：answer`, or
    are `Q:` lines and their `A:` lines; or a fence of code of numbered tasks (_tasks)."""
    if t.type != "fence":
        return False
    if t.info.strip():
        return bool(_tasks(t))
    heads = [ln for ln in t.content.split("\n") if ln.strip() and not ln[0].isspace()]
    if _labelled_pairs(heads):
        return True
    qa = [m for m in map(_qa_line, heads) if m and len(textnorm.key(m[0])) >= 5]
    # (and half of them ask: `Layer 1 - Conv2D(64, (5,5)):`, `Total: 1,168` in a worked
    # answer's fence are labels of its lines)
    return len(qa) >= 2 and len(qa) >= 0.6 * len(heads) and \
        2 * sum(textnorm.asks(q) for q, _ in qa) >= len(qa)


# `# 1. Implement softmax`, `// 2、手写 NMS`: a numbered task, a comment at a line's start
_TASK_COMMENT = re.compile(r"(?:#|//)\s*+(\d{1,2})\s*+[.、)）:：]\s*+(\S.*)")
_TASK_WORD = re.compile(r"(?:implement|write|code)\b|手写|手撕|实现|编写|写一个", re.IGNORECASE)


def _tasks(t: Token) -> list[tuple[int, str]]:
    """(line in the fence, task) of a code fence that holds coding questions with their
    solutions: comments numbered 1, 2, … (two or more) that ask or set a task (`# 1. Implement
    softmax` over its code); [] for any other fence (`# 1. load the data` is a step)."""
    found = [(n, int(m.group(1)), m.group(2).strip())
             for n, ln in enumerate(t.content.split("\n"))
             if ln[:1] in "#/" and (m := _TASK_COMMENT.fullmatch(ln.rstrip()))]
    if len(found) < 2 or [k for _, k, _ in found] != list(range(1, len(found) + 1)) or not all(
            _TASK_WORD.match(q) or textnorm.asks(q) for _, _, q in found):
        return []
    return [(n, q) for n, _, q in found]


def _labelled_pairs(heads: list[str]) -> bool:
    """Lines that are `Q: …` / `A: …` pairs, two or more: each `Q:` line followed by an
    `A:` line (their answers' other lines indented, or not among `heads`)."""
    asked = [bool(_Q_LABEL.match(h)) and not textnorm.ANSWER_LABEL.match(h) for h in heads]
    return sum(asked) >= 2 and len(heads) == 2 * sum(asked) and all(
        asked[k] and textnorm.ANSWER_LABEL.match(heads[k + 1]) and not asked[k + 1]
        for k in range(0, len(heads), 2))


def _qa_line(ln: str) -> tuple[str, str] | None:
    """(question, answer) of a `question：answer` line, or None."""
    m = _QA_LINE.match(ln)
    return (m.group(1).rstrip(), m.group(2)) if m else None


def _qa_fence_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    return sorted(tuple(t.map) for t in tokens
                  if t.type == "fence" and t.map and _is_qa_fence(t))


def _end(tokens: list[Token], i: int) -> int:
    """Index just past the block that opens at tokens[i]."""
    if tokens[i].nesting != 1:
        return i + 1
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j + 1
    return len(tokens)


# --- question candidates ----------------------------------------------------------------

def _candidates(tokens: list[Token], lines: list[str], qlist: bool, nested_qlist: bool = False,
                labels_only: bool = False, glossary: bool = False,
                bank: bool = False, scene: bool = False, listed: Container[int] = (),
                topic: bool = False, terms_alone: bool = False, sheet: bool = False
                ) -> list[_Cand]:
    """The questions among a run of blocks (a section's body, a blockquote's content).
    `listed`: the lists (token indices) that are lists of questions, whatever they say.
    `topic`: the blocks are under a heading that does not ask (labels may group questions).
    `glossary`: two or more glossary paragraphs (`**Term** - what it is`) are a card each
    (for a section that does not ask: under "Activation functions", not under "A与B的区别",
    whose answer they are). `terms_alone`: in a glossary (_in_a_glossary), a term may be
    alone on its line, bold, its definition on the lines under it. `sheet`: in a cheat sheet,
    a table of concepts that ends the section is a card a row (_concept_table)."""
    out: list[_Cand] = []
    blocks = []
    i = 0
    level = tokens[0].level if tokens else 0
    while i < len(tokens):
        t = tokens[i]
        if t.level == level and t.nesting != -1 and t.map:
            e = _end(tokens, i)
            blocks.append((i, e))
            i = e
        else:
            i += 1
    bold_run = False
    terms: list[_Cand] = []
    folds: bool | None = None  # two or more `<details>` under a heading that does not ask
    # an interview round that numbers its questions as paragraphs (`1、多路归并`): those are
    # its questions, and the paragraphs after one that do not ask are its answer
    # So are the numbered paragraphs after a lead that says questions follow (`下面是我在面试中
    # 被问到过的问题：` over `<1> 手推BP`, `<2> …`), but for a remark (`ps：…`); leads and
    # headings written as paragraphs (`（3）机器学习基础`) are then boundaries
    paras = [i for i, _ in blocks if tokens[i].type == "paragraph_open"]
    led = not labels_only and not nested_qlist and _led_numbers(tokens, paras)
    numbered = (nested_qlist or led) and not labels_only and any(
        _DIARY_NUMBER.match(tokens[i + 1].content) for i in paras)
    # two or more paragraphs that are each one line asking (`What is a Boltzmann Machine? Why
    # a Boltzmann Machine?`): a run of questions written as plain text
    asking = [i for i, _ in blocks if tokens[i].type == "paragraph_open"
              and _asks_alone(tokens[i + 1].content)] if not labels_only else []
    # (a multiple-choice question's stem asks too, `Choose the methods that …` over its
    # choices: fault hunt 38, the question after one was its answer's text)
    stems = _stems(tokens, blocks, lines) if asking and not labels_only else set()
    # (one is enough under a heading that names a list of questions, `## Quiz` over `What is
    # the output size …?`: it was the heading's card, `Quiz`: fault hunt 39)
    asking = set(asking) | stems if len(asking) + len(stems) >= (
        1 if qlist and not nested_qlist else 2) else set()
    # and so are two or more short lines that ask without a question mark, each a paragraph
    # of its own (`XGB VS GBDT`, `为什么使用二阶泰勒展开`, each over its answer)
    bare = [i for i, _ in blocks if tokens[i].type == "paragraph_open"
            and _bare_question(tokens[i + 1].content)] if not labels_only else []
    if len(bare) >= 2:
        asking.update(bare)
    series = (_numbered_series(tokens, blocks) | _numbered_topic(tokens, blocks)) \
        if not labels_only else set()
    # under a heading that names a list of questions (`###### 问题`), two or more paragraphs
    # numbered as a Chinese note numbers them (`（2）为什么…？` over its answer's lines): a
    # question each
    counted = [i for i in paras if _PARA_NUMBER.match(tokens[i + 1].content)] \
        if qlist and not nested_qlist and not labels_only and not led else []
    counted = set(counted) if len(counted) >= 2 else set()
    answers = _answer_bullet(tokens, blocks) if not labels_only else None
    faq = _answered_items(tokens, blocks) if topic and not (
        qlist or nested_qlist or labels_only) and blocks and \
        tokens[blocks[0][0]].type == "bullet_list_open" else set()
    # after a question asked as a list item, the blocks up to the next question: its answer
    # (in a round that lists its questions, a line under one is no question of its own)
    answering = False
    # after a bold line that names an interview round (`**一面**`, in a diary whose rounds are
    # no headings), its lists are its questions, as under a round's heading
    round_here = rounds_over = False
    # (the label of a group of questions, for the short ones of the list right after it)
    group_label, group_at = "", -1
    # (what a rule below asks of the whole section, found the first time it is asked)
    exam_parts: bool | None = None
    glossary_ok: bool | None = None
    labelled_lists: int | None = None
    # after an answer label (`**A:** Here are the key differences:`), up to the next question,
    # bold lines that end with a colon are the answer's parts (`**1. Single Forward Pass vs.
    # Multi-Stage Pipeline:**`), not questions of their own
    in_answer = False
    parts_of = -1  # (the list of a labelled question's points, _asked_in_parts)
    for n, (i, e) in enumerate(blocks):
        t = tokens[i]
        nxt = _first_text(tokens, blocks[n + 1]) if n + 1 < len(blocks) else ""
        had = len(out)
        if t.type == "paragraph_open" and not labels_only and (
                m := _BOLD_ONLY.match(tokens[i + 1].content)):
            label = m.group(2)
            if textnorm.is_round(label):
                # (a boundary: the answer before it ends there)
                out.append(_Cand(t.map[0], t.map[0] + 1, label.strip("*_ "), skip=True,
                                 why=textnorm.junk_heading(label) or ""))
                round_here, rounds_over = True, False
                continue
            round_here = False
            if topic and not (qlist or nested_qlist) and label.rstrip("*_ ").endswith((":", "：")) and \
                    n + 1 < len(blocks) and tokens[blocks[n + 1][0]].type in (
                        "bullet_list_open", "ordered_list_open") and \
                    (labelled_lists := labelled_lists if labelled_lists is not None
                     else _labels_of_lists(tokens, blocks)) >= 2:
                # (`**Positivo:**` over its questions, `**Negativo:**` over more, under a topic:
                # where the list gives questions, a label of a group of them, no text of the
                # answer before it (below); a short question of a label that names something
                # is asked of it, `Kafka — Replayable?`)
                group_label, group_at = label.strip("*_ ").rstrip(":：").strip(), n + 1
                continue
            if (qlist or nested_qlist) and textnorm.junk_heading(label) and \
                    not _ASKED_BY_ME.search(label):
                # (`**总结**` after the rounds: they are over, what it lists asks nothing; said
                # in the summary, as a heading of its name is)
                out.append(_Cand(t.map[0], t.map[0] + 1, label.strip("*_ "), skip=True,
                                 why=textnorm.junk_heading(label) or ""))
                rounds_over = True
                continue
        if t.type == "paragraph_open":
            if glossary_ok is None and not labels_only and _terms_at(t, lines):
                glossary_ok = _a_glossary(tokens, blocks, lines)  # (asked once a section)
            found = [] if labels_only else _flipped(tokens[i + 1], t) or \
                (_indented_terms(t, lines) if glossary_ok else []) or (
                _numbered_run(tokens[i + 1], t) or _asking_lines(tokens[i + 1], t)
                if qlist or nested_qlist else []) or _question_lines(tokens[i + 1], t) or (
                _dashed_terms(tokens[i + 1], t) if glossary else [])
            if not found:
                if exam_parts is None:  # (asked once a section, where _para needs it)
                    exam_parts = sum(tokens[a].type == "paragraph_open" and bool(
                        _PART_LABEL.match(tokens[a + 1].content)) for a, _ in blocks) >= 2
                found = _para(tokens[i + 1], t, lines, first=(n == 0), bold_run=bold_run,
                              next_text=nxt, labels_only=labels_only, parts=exam_parts)
                if in_answer and found and all(c.bold for c in found) and \
                        _ENDS_A_LABEL.search(tokens[i + 1].content.split("\n")[0]):
                    found = []
            if found:
                in_answer = False
            elif textnorm.ANSWER_LABEL.match(tokens[i + 1].content) and out and \
                    not out[-1].skip:
                in_answer = True
            bold_run = bold_run or any(c.bold for c in found)
            if not found and nested_qlist and not labels_only and \
                    _labels_next_list(tokens, blocks, n, out):
                # (in a round, after its list of questions: `超参数科技：` / `深兰2面：` over a list
                # of the questions asked there, fault hunt 43; the label and its list were the
                # answer of the last question above it)
                label = tokens[i + 1].content.strip().rstrip(":：").strip()
                found = [_Cand(t.map[0], t.map[0] + 1, label[:60], skip=True,
                               why="a label of the questions under it")]
            if not found and nested_qlist and not labels_only and out and not out[-1].skip \
                    and out[-1].answer is None and out[-1].answer_from == t.map[0] - 1 and \
                    _IN_BRACKETS.fullmatch(tokens[i + 1].content.strip()):
                # (a line all in brackets right under a question of a round, `（跨场景的vid
                # embedding的使用方式）`: what it asks more precisely, part of it; it was a
                # question of its own: fault hunt 43)
                out[-1].question += " " + tokens[i + 1].content.strip()
                out[-1].answer_from = t.map[1]
                continue
            if not found and nested_qlist and not labels_only and (numbered or not answering):
                found = _round_line(tokens[i + 1], t, numbered, nxt)
            elif not found and led:
                found = _led_line(tokens[i + 1], t, nxt)
            elif not found and i in counted:
                found = _counted_question(tokens[i + 1], t)
            if not found and i in asking:
                q = textnorm.clean_question(_plain_line(tokens[i + 1].content))
                # (`…你有啥想问我的吗？` in a diary's story: the candidate's turn, no question)
                formal = textnorm.formality(q)
                found = [_Cand(t.map[0], t.map[0] + 1, q[:60] if formal else q, skip=formal,
                               why=_FORMAL if formal else "")] \
                    if re.search(r"[^\W\d_]", q) else []
            if not found and (qlist or nested_qlist) and (m := _BOLD_ONLY.match(
                    tokens[i + 1].content)) and _ASKED_BY_ME.search(m.group(2)):
                # (`**反问**` in a round: the label of the candidate's own questions; they
                # are no answer of the question before it)
                found = [_Cand(t.map[0], t.map[0] + 1, m.group(2).strip("*_ "), skip=True,
                               why=_MINE, bold=True, weak=True)]
            if not found and n + 1 < len(blocks) and "\n" not in tokens[i + 1].content and \
                    tokens[blocks[n + 1][0]].type == "paragraph_open" and \
                    _as_choices(tokens[blocks[n + 1][0] + 1].content) is not None and \
                    (stem := _stem(tokens[i + 1].content) or (
                        textnorm.asks(tokens[i + 1].content)
                        and textnorm.clean_question(_plain_line(tokens[i + 1].content)))):
                # (a stem over a paragraph of its choices, `下列说法正确的是（ ）` over `A. …` /
                # `B. …`: a question, its choices with it; the choices were questions of their
                # own, the stem in none: fault hunt 39)
                found = [_Cand(t.map[0], t.map[0] + 1, stem, choices=True)]
            if not found and (mc := _stem_over_choices(tokens[i + 1].content)):
                # (the stem, its choices and its key in one paragraph, `下列哪个是激活函数（ ）` /
                # `A. ReLU` / `B. Adam` / `答案：A`: the question with its choices, the key and
                # what follows it the answer; under `## 选择题` before numbered ones, it was
                # called an introduction, fault hunt 41; the choices were the answer, and a
                # `解析：` or `正确答案：` line after them made it no question, fault hunt 42)
                found = [_Cand(t.map[0], t.map[0] + mc[1], mc[0], choices=True)]
            if len(found) == 1 and found[0].answer_from == t.map[0] + 1 and \
                    not (found[0].skip or found[0].choices or found[0].answer is not None) and \
                    found[0].line == t.map[0] and (mc := _stem_over_choices(tokens[i + 1].content)):
                # (a stem that asks, read as a question by the rules before: its choices are
                # the question's too, as above)
                found[0].question, found[0].answer_from, found[0].choices = \
                    mc[0], t.map[0] + mc[1], True
            if found and not found[-1].skip and found[-1].line == t.map[0] and \
                    _Q_LABEL.match(tokens[i + 1].content) and \
                    (asked := _asked_in_parts(tokens, blocks, n)) is not None:
                # (`**Q:** When should you use PR curves instead of ROC?` over the points it
                # asks about, `- Why ROC can be misleading`, then `**A:**`: the points are the
                # question's; each was a question of its own, the last one taking the answer)
                found[-1].question += "\n\n" + asked
                found[-1].answer_from = tokens[blocks[n + 1][0]].map[1]
                parts_of = n + 1
            if found and not found[-1].skip and found[-1].line == t.map[0] and n + 1 < len(blocks):
                _with_options(found[-1], tokens, blocks[n + 1])
            if terms_alone and len(found) == 1 and found[0].weak and found[0].bold:
                found = []  # (in a glossary, `**Backpropagation**` alone over its definition)
            out += found
            if glossary and not found and (term := _term(tokens[i + 1].content, terms_alone)):
                terms.append(_Cand(t.map[0], t.map[0], term, term=True))
        elif labels_only:
            continue
        elif t.type in ("bullet_list_open", "ordered_list_open") and n == parts_of:
            continue  # (the points of the question above: _asked_in_parts)
        elif t.type in ("bullet_list_open", "ordered_list_open"):
            # (a task list right under a question is its options: `- [x] Flip around …`)
            before = tokens[blocks[n - 1][0]] if n > 0 else None
            right_over = before is not None and bool(out) and \
                before.map[0] <= out[-1].line < before.map[1]
            # (in a round, a bold line that does not ask over a list is the label of the
            # questions in it, `**算法**` over `- 力扣 2：两数相加`: not a question answered by
            # them; under `**反问**`, they are the candidate's own)
            group = right_over and out[-1].weak and (qlist or nested_qlist)
            asked = right_over and not out[-1].skip and not group
            # (a colon inside the bold too: `**2. Real-Time Performance:**`)
            label = before is not None and before.type == "paragraph_open" \
                and bool(_ENDS_A_LABEL.search(tokens[blocks[n - 1][0] + 1].content))
            # (`解决方案：` over its points, in the answer of the question before it)
            label_of = label and bool(out) and not out[-1].skip and out[-1].line < before.map[0]
            if before is not None and before.type == "paragraph_open" and (
                    asked and _ticked_choices(tokens[i:e], lines, ticked=False)
                    or not right_over and _ticked_choices(tokens[i:e], lines) and (
                        stem := _stem(tokens[blocks[n - 1][0] + 1].content))):
                # a multiple-choice question: its stem (`A lens changes the light ray by:`)
                # over its choices, one or more ticked (`- [x] Refraction`): one card, the
                # choices its answer, also in a quiz (each choice was a question: held-out set
                # 98; under `## Quiz`, fault hunt 38)
                if not asked:
                    out.append(_Cand(before.map[0], before.map[1], stem, choices=True))
                else:
                    out[-1].choices = True
            elif i in series:  # (an exercise of a numbered series: a question, whatever it says)
                out += _list(tokens[i:e], lines, True, nested_qlist, bank, series=True)
            elif i in listed:
                out += _list(tokens[i:e], lines, True, nested_qlist, bank)
            elif i in faq:
                for c in (found := _list(tokens[i:e], lines, True, nested_qlist, bank)):
                    c.task = True  # (asked, whatever it says: no facet of the heading's)
                out += found
            elif answers is not None and tokens[i + 1].markup == answers:
                pass  # (`+ …` under `- question？`: its answer's points, _answer_bullet)
            elif asked and not (qlist or nested_qlist) and t.map and \
                    t.map[0] == before.map[1] and \
                    _ends_in_answer_label(tokens[blocks[n - 1][0] + 1].content):
                # (`**Q21: Precision vs recall?**` / `**Answer:**` right over `* **Precision:**
                # Out of all predicted …, how many were …?`: its points, asking or not; after a
                # blank line, `A:` alone answers nothing yet, and what follows may ask anew)
                pass
            elif n == 1 and before.type == "paragraph_open" and not (qlist or nested_qlist) \
                    and _opens_with_ask(tokens[blocks[n - 1][0] + 1].content, scene) \
                    and not (topic and _labels_of_lists(tokens, blocks[n + 1:])):
                # (the bold line a section opens with, `**How would you investigate?**` under
                # `### Case 1: Accuracy dropped.`, or `**Consider:**`, over a list: the list is
                # what it asks for, checks and steps, asking or not)
                pass
            else:
                found = _list(tokens[i:e], lines, (qlist or round_here) and not rounds_over,
                              (nested_qlist or round_here) and not rounds_over, bank,
                              options=asked or answering or label_of,
                              labelled=label and (answering or label_of),
                              topic_bank=bank and glossary)
                if group and _ASKED_BY_ME.search(out[-1].question):
                    for c in found:
                        c.skip, c.why = True, c.why or _MINE
                if not found and t.type == "ordered_list_open" and out and out[-1].item \
                        and not out[-1].skip:
                    found = _numbering_goes_on(tokens[i:e], lines, out[-1])
                _choices_in_items(found, tokens[i:e])
                if n == group_at and any(not c.skip for c in found):
                    out.append(_Cand(before.map[0], before.map[0] + 1, group_label[:60],
                                     skip=True, why="a label of the questions under it"))
                    named = _names_something(group_label)
                    for c in found:
                        if named and not (c.skip or c.context) and \
                                len(textnorm.key(c.question)) <= 20:
                            c.context = group_label
                out += found
        elif t.type == "blockquote_open":
            inner = _quoted_questions(tokens[i + 1:e - 1], t.level + 1) or \
                _candidates(tokens[i + 1:e - 1], lines, False, labels_only=True)
            if not inner and n + 1 < len(blocks) and (
                    q := _quoted_over_details(tokens[i + 1:e - 1], tokens[blocks[n + 1][0]])):
                # (`> 1、Transformer为什么除以根号d_k` over `<details><summary>答案</summary>`:
                # the question, its answer folded away under it)
                out.append(_Cand(t.map[0], t.map[1], q))
                continue
            if not inner and (qlist or nested_qlist):  # (`> 面试官提问:` over `1.…？` lines)
                inner = [c for k in range(i + 1, e - 1) if tokens[k].type == "paragraph_open"
                         and tokens[k].level == t.level + 1
                         for c in _numbered_run(tokens[k + 1], tokens[k])]
            for c in inner:
                c.quoted = True
                out.append(c)
        elif t.type == "table_open":
            out += _table(tokens[i:e]) or (
                _concept_table(tokens[i:e]) if sheet and glossary and not labels_only
                and all(tokens[b].type == "hr" for b, _ in blocks[n + 1:]) else [])
        elif t.type == "code_block" and bank and n == 0 and \
                (found := _bank_block(t)) is not None:
            out += found
        elif t.type == "code_block" and _question_block(t):
            out += _block_questions(t)
        elif t.type == "fence" and (bank or qlist) and not _asks_before(tokens, blocks, n) \
                and not _is_qa_fence(t) \
                and (found := _fenced_questions(t, lines, (tokens[j] for j, _ in blocks[n + 1:]),
                                                _round_before(tokens, blocks, n))):
            out += found
        elif t.type == "html_block" and "<summary" in t.content.lower():
            if folds is None:  # (counted once a section, where it holds one)
                folds = glossary and sum(b.type == "html_block" and "<summary" in b.content.lower()
                                         for b in tokens) >= 2
            out += _summaries(t, folds)
        elif t.type == "heading_open":  # a heading read as text (code comment, setext)
            continue
        if len(out) > had:
            last = out[-1]
            answering = last.item and not last.skip
    if folds:
        out = _inside_folds(out, lines)
    if out and folds is not None:  # (a `<summary>` among the blocks: folds was asked)
        # (inside a fold of the answer above, `<summary>View Answer</summary>`, a bold line
        # that asks is the answer's worked example, `**What's P(Disease|Positive)?**`; it was
        # a card of its own, taking the rest and the `</details>`: fault hunt 43)
        folded = _answer_folds(tokens, lines)
        if folded:
            out = [c for c in out if not any(a < c.line <= b for a, b in folded)]
    bold = [c for c in out if c.bold]
    if len(bold) == 1 and bold[0].weak:
        out.remove(bold[0])  # one bold line that neither asks nor is numbered is emphasis
    elif bold and len(bold) == len(out) and all(
            c.weak and _FACET.fullmatch(textnorm.key(c.question)) for c in bold):
        # (and so are bold facets of a topic and nothing else, `**作用**`, `**原理**`,
        # `**思想**` under `### Dropout`: the parts of its answer, as such sub-headings are)
        out = []
    end = max((t.map[1] for t in tokens if t.map), default=0)
    for c, after in zip(out, out[1:] + [None]):
        if not c.weak or c.skip:
            continue
        below = lines[c.answer_from:after.line if after else end]
        if after is not None and (after.item or (after.skip and not after.question)) and \
                not any(ln.strip(" \t*_") for ln in below):
            c.skip = True  # (`**深度学习相关**` right over its questions: their label, no card)
        elif any(_EMPTY_ITEM.match(ln) for ln in below) and \
                not any(ln.strip(" \t*_-+") for ln in below):
            c.skip = True  # (`**项目相关**` over `- ` in a template to fill in: nothing asked)
    # one is emphasis ("**Note**: …"), a run is a glossary (in one, a term alone is a term);
    # not a run of which half or more label parts of an answer (`**解法**：…`, `**解题思路**：…`,
    # `**注意**：…` under a coding problem: held-out set 91)
    if terms and any(c.details for c in out):
        # (inside a `<details>` whose summary asks, `**先说**：…`, `**工程细节**：…` are its
        # answer's parts, not a glossary: fault hunt 43)
        terms = _outside_asked_folds(terms, out, lines)
    if len(terms) >= (1 if terms_alone else 2) and (terms_alone or 2 * sum(
            bool(_PART_TERM.fullmatch(textnorm.key(c.question))) for c in terms) < len(terms)):
        out = sorted(out + terms, key=lambda c: c.line)
    # (a question of no words, an item that is only an image or a formula, asks nothing:
    # taken for one, it ended the answer before it, and its own lines were no card's)
    return [c for c in out if c.skip or _has_words(c.question)]


# A short label on a line of its own: `超参数科技：`, `商汤one:` (no sentence in it)
_SHORT_LABEL = re.compile(r"[^\n？?。.，,；;！!]{1,16}[:：]\s*")


def _labels_next_list(tokens: list[Token], blocks: list[tuple[int, int]], n: int,
                      out: list[_Cand]) -> bool:
    """Block `n` (a paragraph in a round) is a short label between a list that gave two or
    more questions and another list: the label of the questions in that list (a company's, a
    round's)."""
    lists = ("bullet_list_open", "ordered_list_open")
    if not (0 < n < len(blocks) - 1 and tokens[blocks[n - 1][0]].type in lists
            and tokens[blocks[n + 1][0]].type in lists):
        return False
    text = tokens[blocks[n][0] + 1].content.strip()
    if not _SHORT_LABEL.fullmatch(text) or textnorm.asks(text) or \
            textnorm.ANSWER_LABEL.match(text) or _ENDS_A_LABEL.search(text) is None or \
            _PART_TERM.fullmatch(textnorm.key(text)):
        return False  # (`优点：` over points: the answer's, under `- 说一下BN的优缺点：`)
    a, b = tokens[blocks[n - 1][0]].map
    # (after a list of questions, not after one alone: that one's answer may follow it)
    return sum(a <= c.line < b and not c.skip for c in out) >= 2


def _asked_in_parts(tokens: list[Token], blocks: list[tuple[int, int]], n: int) -> str | None:
    """The points a labelled question (block `n`) asks about as a list, when the list right
    under it has one-line items and `**A:**` follows it; else None."""
    if n + 2 >= len(blocks) or tokens[blocks[n + 1][0]].type not in (
            "bullet_list_open", "ordered_list_open") or \
            tokens[blocks[n + 2][0]].type != "paragraph_open" or \
            not textnorm.ANSWER_LABEL.match(tokens[blocks[n + 2][0] + 1].content):
        return None
    heads = _one_line_heads(tokens, *blocks[n + 1])
    return "\n".join(f"- {_plain_line(h)}" for h in heads) if heads else None


def _one_line_heads(tokens: list[Token], i: int, e: int) -> list[str] | None:
    """The texts of the items of the list tokens[i:e], when each is one line with nothing
    under it; else None."""
    heads = []
    for k in range(i, e):
        if tokens[k].type != "list_item_open" or tokens[k].level != tokens[i].level + 1:
            continue
        if tokens[k + 1].type != "paragraph_open" or tokens[k + 3].type != "paragraph_close" \
                or tokens[k + 4].type != "list_item_close" or "\n" in tokens[k + 2].content:
            return None
        heads.append(tokens[k + 2].content)
    return heads


def _answered_items(tokens: list[Token], blocks: list[tuple[int, int]]) -> set[int]:
    """Under a topic heading that opens with a list: lists of one-line items each followed by
    text that is no list, two or more such, one of their items asking (`+ 长廊问题` over
    `VIO. Make use of line features.` after `+ 对于光线明暗变化，…有什么常见处理方法？` over its
    answer: an FAQ whose answers are not indented under their items, so that Markdown ends
    the list at each). Their items are questions, the text after each the answer of the last
    item before it; else nothing (the token indices of the lists)."""
    lists = [n for n, (i, _) in enumerate(blocks) if tokens[i].type == "bullet_list_open"]
    answered = [n for n in lists if n + 1 < len(blocks)
                and tokens[blocks[n + 1][0]].type not in ("bullet_list_open", "ordered_list_open")]
    if len(answered) < 2:
        return set()
    heads = []
    for n in lists:
        # (one line each, nothing under it: an item with its own text is a list's point)
        one = _one_line_heads(tokens, *blocks[n])
        if one is None:
            return set()
        heads += one
    if not any(textnorm.asks(h) for h in heads):
        return set()
    return {blocks[n][0] for n in lists}


def _numbering_goes_on(tokens: list[Token], lines: list[str], last: _Cand) -> list[_Cand]:
    """In the points of the answer to `2. 正则项是否是凸函数？` (`1. 二阶连续可微`, `2. …`), an
    item that asks and goes on the questions' numbering (`3. 什么叫 ElasticNet？`): the next
    question, which Markdown made a third point (its text was in the answer before it)."""
    m = re.match(r"\s*+(\d{1,3})[.)、．]", lines[last.line])
    if m is None:
        return []
    want, level, out = int(m.group(1)) + 1, tokens[0].level, []
    for a, t in enumerate(tokens):
        if t.type == "list_item_open" and t.level == level + 1 and t.info == str(want) and \
                t.map and (head := _item_head(tokens, a)) is not None and textnorm.asks(head):
            out.append(_Cand(t.map[0], t.map[0] + 1, textnorm.clean_question(_plain_line(head)),
                             item=True))
            want += 1
    return out


def _numbered_series(tokens: list[Token], blocks: list[tuple[int, int]]) -> set[int]:
    """Ordered lists that go on numbering the one before them (`1. Mark all …`, a `---` rule,
    `2. An argument erupts …`, …): a book's numbered exercises, split by the blocks between
    them; each item is a question, asking or not (`Complete the sentence: …`, `True or
    False: …`). Three or more such lists; the first token of each is returned."""
    lists = []
    for i, _ in blocks:
        t = tokens[i]
        if t.type == "ordered_list_open":
            items = [k for k, u in enumerate(tokens[i:_end(tokens, i)], i)
                     if u.type == "list_item_open" and u.level == t.level + 1]
            heads = [_item_head(tokens, k) for k in items]
            said = [h for h in heads if h is not None]  # (else parts: `11. 1. True or …`)
            if any(h is None and tokens[k + 1].type != "ordered_list_open"
                   for h, k in zip(heads, items)) or \
                    any(_BOLD_ONLY.match(h) for h in said) or \
                    sum(len(textnorm.key(h)) for h in said) < 40 * len(said):
                # (`2. **Image Data Augmentation**`: a numbered part's title; `3. Loss
                # function: L1/L2,` a topic to revise: an exercise is a sentence or more)
                continue
            lists.append((i, int((t.attrs or {}).get("start", 1)), len(items)))
    out: set[int] = set()
    for (a, start, count), (b, nxt, _) in zip(lists, lists[1:]):
        if nxt == start + count:
            out.update((a, b))
    return out if len(out) >= 3 else set()


def _numbered_topic(tokens: list[Token], blocks: list[tuple[int, int]]) -> set[int]:
    """`1. Equation for scaled dot self-attention:` over a formula, then `2. Why the attention
    score needs to be scaled?` (lists of one item, split by their answers): the topic line
    numbered among questions is one as well. The first token of each such list."""
    lists = []
    for i, _ in blocks:
        t = tokens[i]
        if t.type == "ordered_list_open" and tokens[i + 1].type == "list_item_open" and \
                _end(tokens, i + 1) == _end(tokens, i) - 1:  # (one item)
            head = _item_head(tokens, i + 1)
            if head is not None:
                lists.append((i, int((t.attrs or {}).get("start", 1)), head))
    return {a for (a, n, head), (_, m, nxt) in zip(lists, lists[1:])
            if m == n + 1 and re.search(r"[:：]\s*$", head) and textnorm.asks(nxt)
            and not textnorm.asks(head)}


# A choice of a multiple-choice question: `A. 毫米`, `B、像素`, `C) …`
_OPTION = re.compile(r"^\s*+[A-H]\s*+[.、．)）:：]\s*+\S")


# A choice of a multiple-choice question, ticked or not: `- [x] Refraction`, `- [ ] Reflection`,
# `1. [ ] …` (`- [] Lens` too, as written by hand)
_TICKED_ITEM = re.compile(r"^\s*+(?:[-*+]|\d{1,2}[.)])\s++\[([ xX]?)\]\s++\S")


def _ticked_choices(tokens: list[Token], lines: list[str], ticked: bool = True) -> bool:
    """A list of two or more choices (_TICKED_ITEM; a hint or a wrapped line under one too),
    one or more of them ticked (or none, with `ticked` False: under a question that asks,
    they are its choices whatever they say)."""
    if len(tokens) < 2 or not tokens[1].map or not _TICKED_ITEM.match(lines[tokens[1].map[0]]):
        return False  # (its first item is no choice: most lists, at once)
    level = tokens[0].level + 1
    items = [t for t in tokens if t.type == "list_item_open" and t.level == level and t.map]
    found = [_TICKED_ITEM.match(lines[t.map[0]]) for t in items]
    return len(found) >= 2 and all(found) and (
        not ticked or any(m.group(1) in ("x", "X") for m in found))


def _stems(tokens: list[Token], blocks: list[tuple[int, int]], lines: list[str]) -> set[int]:
    """The paragraphs (their first tokens) that are the stems of multiple-choice questions:
    right over their choices (_ticked_choices), a sentence each (_stem)."""
    return {i for (i, _), (j, f) in zip(blocks, blocks[1:])
            if tokens[i].type == "paragraph_open" and tokens[j].type in (
                "bullet_list_open", "ordered_list_open") and _ticked_choices(tokens[j:f], lines)
            and _stem(tokens[i + 1].content)}


def _stem(text: str) -> str | None:
    """The stem of a multiple-choice question, when `text` (one line) is one: a sentence of
    five words or more (ten characters of Chinese), not a label (`本周计划：`)."""
    if "\n" in text or textnorm.ANSWER_LABEL.match(text) or _Q_LABEL.match(text):
        return None
    plain = _plain_line(text)
    if len(plain.split()) < 5 and len(re.findall(r"[\u4e00-\u9fff]", plain)) < 10:
        return None
    return textnorm.clean_question(plain) or None


# The key of a multiple-choice question, or why it is right, at a line's start (`正确答案：B`,
# `解析：…`, `Explanation: …`): what may follow its choices (textnorm.ANSWER_LABEL too)
_KEY_LABEL = re.compile(r"[*_]{0,2}(?:(?:正确|参考|标准)答案|【答案】|【解析】|解析|分析|"
                        r"(?:correct\s+)?answer\s+key|correct\s+answer|key|explanation|"
                        r"rationale|reasoning)[*_]{0,2}\s*+[:：]?", re.IGNORECASE)


def _stem_over_choices(text: str) -> tuple[str, int] | None:
    """The stem of a paragraph that is a multiple-choice question, with its choices as a
    list (as _with_options gives a stem over a paragraph of them), and the number of its
    lines they take: its first line asks, two or more lettered choices follow (`A. ReLU`,
    `B、Adam`), then nothing, or its key (`答案：A`, `正确答案：B`) or why (`解析：…`,
    `Explanation: …`) and what follows them: the answer."""
    rows = text.split("\n")
    if len(rows) < 3 or not _OPTION.match(rows[1]) or not _OPTION.match(rows[2]):
        return None  # (the cheap test first: most paragraphs are no such question)
    k = 1
    while k < len(rows) and _OPTION.match(rows[k]):
        k += 1
    if k < len(rows) and not (textnorm.ANSWER_LABEL.match(rows[k])
                              or _KEY_LABEL.match(rows[k].strip())):
        return None
    first = rows[0]
    if not (_stem(first) or textnorm.asks(first)) or _OPTION.match(first):
        return None
    stem = textnorm.clean_question(_plain_line(first))
    return (stem + "\n\n" + _as_choices("\n".join(rows[1:k])), k) if stem else None


def _choices_in_items(found: list[_Cand], tokens: list[Token]) -> None:
    """A question in a list item that holds its lettered choices and its key (`1. 池化层的
    作用是（ ）` / `A、降采样` / `B、增加参数` / `答案：A`): the choices are the question's too, as in
    a paragraph (_stem_over_choices). (They were its answer: fault hunt 42.)"""
    asked = [c for c in found if not (c.skip or c.choices or c.answer is not None or c.context)
             and c.answer_from == c.line + 1]
    if not asked:  # (most lists: their items are no questions, or answered on their line)
        return
    firsts = {t.map[0]: tokens[k + 2].content for k, t in enumerate(tokens[:-2])
              if t.type == "list_item_open" and t.map and tokens[k + 1].type == "paragraph_open"
              and tokens[k + 1].map and tokens[k + 1].map[0] == t.map[0]}
    for c in asked:
        if "\n" in firsts.get(c.line, "") and (mc := _stem_over_choices(firsts[c.line])):
            c.question, c.answer_from, c.choices = mc[0], c.line + mc[1], True


def _with_options(c: _Cand, tokens: list[Token], block: tuple[int, int]) -> None:
    """A question over a paragraph of its choices (`A. 毫米` `B. 像素`, one a line): the
    choices are part of the question (a list), what follows them its answer."""
    t = tokens[block[0]]
    if t.type != "paragraph_open" or c.answer_from > t.map[0]:
        return
    choices = _as_choices(tokens[block[0] + 1].content)
    if choices is not None:
        c.question = c.question + "\n\n" + choices
        c.answer_from = t.map[1]


def _as_choices(para: str) -> str | None:
    """A paragraph of choices (`A. 毫米` `B. 像素`, one a line) as a list (one a line on the
    screen, where the lines of a paragraph run together), or None if it is not one."""
    rows = para.split("\n")
    if len(rows) < 2 or not all(_OPTION.match(ln) for ln in rows):
        return None
    return "\n".join(f"- {ln.strip()}" for ln in rows)


def _choices_as_list(text: str) -> str:
    """Each paragraph of choices in `text` written as a list (_as_choices)."""
    return "\n\n".join(_as_choices(p) or p for p in text.split("\n\n"))


def _term(text: str, alone: bool = False) -> str | None:
    """The term a glossary paragraph defines (`**Sigmoid** - S shaped …`; with `alone`, in a
    glossary, also `**Sigmoid**` over its definition and `A **model** is …`), or None."""
    m = _TERM_LEAD.match(text) or ((_TERM_LEAD_INSIDE.match(text) or _TERM_ALONE.match(text)
                                     or _TERM_IN_PROSE.match(text)) if alone else None)
    if m is None or (alone and _NO_TERM.fullmatch(textnorm.key(m.group(2)))):
        return None
    term = textnorm.clean_question(_plain_line(m.group(2)))
    if (not re.search(r"[^\W\d_]", term) or textnorm.ANSWER_LABEL.match(text)
            or _Q_LABEL.match(text) or textnorm.junk_heading(term) or _a_detail_term(term)
            or len(term.split()) > 6 or re.search(r"[:：,，。.;；]$", term)):
        return None
    return term


# A detail of an interview or of a problem, as `key` writes it: `**实习岗位**：算法工程师`,
# `**总体流程**：…`, `**难度 / Difficulty**: Easy`: no term of a glossary (fault hunt 43)
_DETAIL_TERM = re.compile(r"(?:实习|面试|总体)?(?:时间|日期|结果|岗位|职位|部门|地点|状态|面试官|轮次|时长|"
                          r"薪资|流程|形式)|难度|标签|分类|来源|出处|date|time|result|position|role|"
                          r"team|location|status|duration|salary|source|difficulty|tags?|"
                          r"category|level", re.IGNORECASE)


def _a_detail_term(term: str) -> bool:
    return all(_DETAIL_TERM.fullmatch(textnorm.key(p)) for p in re.split(r"\s*/\s*", term))


def _first_text(tokens: list[Token], block: tuple[int, int]) -> str:
    for t in tokens[block[0]:block[1]]:
        if t.type == "inline":
            return t.content.split("\n")[0]
    return ""


# An exam's part in bold, with its marks: `**(a) [6 marks]**`, `**Part (c) (5 points)**` (not
# `**(a)**` alone: an answer's enumeration of its points)
_PART_LABEL = re.compile(r"^\s*(\*\*|__)\s*(?:part\s+)?(?:[(（][a-hA-H][)）]|[a-hA-H][.)）])\s*"
                         r"(?:\[\s*\d{1,3}\s*(?:marks?|points?|pts?|分)\s*\]|[(（]\d{1,3}\s*"
                         r"(?:marks?|points?|pts?|分)[)）])\s*\1\s*(\S.*)$", re.IGNORECASE)


def _para(inline: Token, p: Token, lines: list[str], first: bool, bold_run: bool,
          next_text: str, labels_only: bool, parts: bool = False) -> list[_Cand]:
    """Questions in one paragraph (`bold_run`: an earlier paragraph of the section was a bold
    question, so bold paragraphs there are its sub-headings; `parts`: two or more of its
    paragraphs open with an exam's part label, `**(a) [6 marks]**`)."""
    content = inline.content.split("\n")
    top = p.map[0]
    # `问：…` / `Q: …` lines, or a line followed by an `答：` / `A:` line
    out = []
    for k, ln in enumerate(content):
        if _BARE_Q_NUMBER.match(ln) and k + 1 < len(content) and \
                (q := textnorm.clean_question(_plain_line(content[k + 1]))):
            # `**Question 1**` over its question on the next line: the question
            out.append(_Cand(top + k, top + k + 2, q))
            continue
        labelled = _Q_LABEL.match(ln) and not textnorm.ANSWER_LABEL.match(ln)
        answered = k + 1 < len(content) and textnorm.ANSWER_LABEL.match(content[k + 1]) \
            and not textnorm.ANSWER_LABEL.match(ln)
        if labelled or (answered and textnorm.asks(ln)):
            out.append(_Cand(top + k, top + k + 1, textnorm.clean_question(_plain_line(ln))))
    if out or labels_only:
        return out
    text = content[0]
    if textnorm.ANSWER_LABEL.match(text):
        return []
    # an exam's part, its label in bold and what it asks after it (`**(a) [6 marks]** Would
    # the patch be a corner? …`): the question, its answer what follows
    if parts and (m := _PART_LABEL.match(text)) and textnorm.asks(m.group(2)):
        return [_Cand(top, top + 1, textnorm.clean_question(_plain_line(m.group(2))))]
    # follow-up questions in bold, written as many ways as there are: `**为什么…**？` (the mark
    # after the bold), `（1）**先验框如何得到**` (numbered before it): read as `**…？**`, when the
    # bold asks
    if text[:1] in "*_（(":
        content = [_bold_follow_up(ln) for ln in content]
        text = content[0]
    # an all-bold first line: the question, with or without a blank line after it (without
    # one, `**What is IoU?**` and its answer's lines are one paragraph; then it must ask or
    # be numbered: a bold line run into its text is more often a lead-in)
    colon_after = (c := _COLON_AFTER_BOLD.match(text)) is not None
    if colon_after:
        # (`**为什么要[CLS] token**:` is `**为什么要[CLS] token:**`: a label unless it asks, below;
        # a short one is a label however it reads, `**区别**:`, `**为什么需要**:`, written
        # so in answers far more often than a question is)
        text = content[0] = f"{c.group(1)}{c.group(2)}{c.group(3)}{c.group(1)}"
    m = _BOLD_ONLY.match(text)
    rows = 1 if m else _wrapped_bold(content)  # (the lines the bold question takes)
    if rows > 1:
        m = _BOLD_ONLY.match(" ".join(ln.strip() for ln in content[:rows]))
    if m:
        inner = m.group(2).replace("**", "").replace("__", "")
        bare = _BOLD_NUMBER.match(inner)  # (`**5 Jacobian，Hessian 矩阵…**`: numbered in bold)
        q = textnorm.clean_question(_plain_line(bare.group(1) if bare else inner))
        numbered = bool(bare) or textnorm.strip_numbering(inner.strip()) != inner.strip()
        asks = textnorm.asks(inner.rstrip(":： "))  # (`**一定要…吗：**` asks)
        # (`**Why:**`, `**Why this is tricky:**` over a part of an answer: a label, though
        # it opens with a question word; one with a question mark asks)
        label = re.search(r"[:：，,；;]\s*$", inner) and not (
            asks and (re.search(r"[?？]", inner) or len(inner.split()) > 5
                      or not inner.isascii())
            and not (colon_after and len(inner.rstrip(":： ")) <= 6))
        statement = re.search(r"[。.]\s*$", inner) and not (asks or numbered)
        if (q and re.search(r"[^\W\d_]", q) and not label and not statement and len(q) <= 300
                and not textnorm.junk_heading(q)
                and (asks or numbered or (len(content) == rows and (first or bold_run)))):
            weak = not (asks or numbered)
            return [_Cand(top, top + rows, q, bold=True, weak=weak)]
        return []
    # `**4.1** ⭐ 相机外参描述的是？`: a number in bold opening a question (its options below);
    # `**Question 2**. Select …:` whatever follows
    m = _BOLD_NUMBER_LEAD.match(text)
    if m and (m.group(2) or textnorm.asks(m.group(3)) or re.search(r"[?？]\s*$", m.group(3))):
        q = textnorm.clean_question(_plain_line(m.group(3)))
        if q:
            return [_Cand(top, top + 1, q)]
    found = _self_check(inline.content, top, p.map[1])
    if found:
        return found
    # `**What is X?** its answer`, on as many lines of the paragraph as there are; `**两者的
    # 异同**（我答的是：…）`: a bold line that asks, its answer in brackets after it
    found = [_Cand(top + k, top + k, q, inline=True)
             for k, ln in enumerate(content) if (q := _inline_question(ln, said=True))]
    if found:
        return found
    # a plain question line answered by a stub or an answer label below it
    if len(content) == 1 and re.search(r"[?？]\s*$", text) and len(text) <= 150 and (
            textnorm.is_stub(next_text) or textnorm.ANSWER_LABEL.match(next_text)):
        return [_Cand(top, top + 1, textnorm.clean_question(_plain_line(text)))]
    return []


_COLON_AFTER_BOLD = re.compile(r"^\s*(\*\*|__)([^*_\n]+?)\1\s*([:：])\s*$")


# `Why single-stage? *(one forward pass.)*`: a question, then its answer in brackets, in italics
_CHECKED = re.compile(r"([^?？]*?[?？])[ \t]*+([*_])[(（](.+?)[)）]\2(?![*_])", re.DOTALL)


def _self_check(text: str, top: int, end: int) -> list[_Cand]:
    """A paragraph of two or more questions, each followed by its answer in italic brackets
    (`**Self-check.** Why single-stage for live CCTV? *(one forward pass, …)* What is mAP?
    *(…)*`): a card each (the paragraph's end a boundary: its answers are all there is)."""
    if text.count("*(") + text.count("_(") + text.count("*（") + text.count("_（") < 2:
        return []
    out, at = [], 0
    # (each match where the last ended, not a search: a search would try every position,
    # each scanning on to the next question mark)
    while (m := _CHECKED.match(text, at)) is not None:
        q = m.group(1)
        if at == 0:  # (after the paragraph's label: `**Self-check.**`, `Quiz:`)
            q = re.sub(r"^\s*(?:\*\*[^*\n]+\*\*|__[^_\n]+__|[^\s:：]{1,20}[:：])\s*", "", q)
        question = textnorm.clean_question(_plain_line(" ".join(q.split())))
        line = top + text.count("\n", 0, m.start(1) + len(q) - len(q.lstrip()))
        out.append(_Cand(line, line + 1, question, answer=" ".join(m.group(3).split())))
        at = m.end()
        while at < len(text) and text[at].isspace():
            at += 1
    if len(out) < 2 or text[at:].strip() or not all(c.question for c in out):
        return []
    return out + [_Cand(end, end, "", skip=True)]


def _wrapped_bold(content: list[str]) -> int:
    """The lines a bold run at the paragraph's start takes, wrapped as it was typed
    (`**What type of algorithm would you use to allow a robot to walk in` / `various unknown
    terrains?**`): 2 or 3 when it closes at the end of one of the next two lines, else 0."""
    mark = content[0][:2]
    if mark not in ("**", "__") or len(content) < 2 or content[0].count(mark) != 1:
        return 0
    k = next((k for k, ln in enumerate(content[1:3], 1) if mark in ln), 0)
    if k and content[k].count(mark) == 1 and content[k].rstrip().endswith(mark):
        return k + 1
    return 0


# `3、bn训练，测试区别`: a question numbered as a paragraph (a Chinese list that Markdown does
# not read as one); `a. 为什么…？`, `b . 为什么…`: a sub-question lettered under it.
# (or `1.介绍一下faster rcnn`: a number and a dot right against the text, no Markdown list)
# (a full-width dot too, `60．…`, and a number escaped from making a list, `\\104. …`)
_TIGHT = r"(?:\d{1,3}[.．](?=[^\W\d_])|\\\d{1,3}\.\s*+(?=[^\W\d_]))"
_DIARY_NUMBER = re.compile(rf"^\s*+(?:\d{{1,2}}\s*+、|<\d{{1,3}}>|\[\d{{1,3}}\]|{_TIGHT})")
_TIGHT_NUMBER = re.compile(rf"^\s*+{_TIGHT}")
_LETTERED = re.compile(r"^\s*+[a-h]\s*+[.、)）]\s*+\S")
_BRACKETED = re.compile(r"^\s*+(?:<\d{1,3}>|\[\d{1,3}\])")  # numbering no answer point uses
# A paragraph that says the questions follow it; a remark under a question; a heading
# written as a paragraph's first line (`（3）机器学习基础`)
_LEADS_QUESTIONS = re.compile(r"(?:以下|下面|如下|following|below)[^\n]{0,40}(?:问题|题目|题|"
                              r"questions?)\s*[:：]\s*$", re.IGNORECASE)
# a list item that is all in brackets and does not ask (no question mark, no question word, no
# task: `- (explain the difference between BN and LN)` is one): an aside
_ASIDE = re.compile(r"\s*+[(（][^()（）?？]*[)）]\s*+")
_REMARK = re.compile(r"^\s*+(?:ps|p\.s\.|注|备注|note)\s*+[:：]", re.IGNORECASE)
_PARA_HEADING = re.compile(r"^\s*+[(（]\s*+\d{1,2}\s*+[)）]")
_TRAILING_OFF = re.compile(r"^\s*+(?:\.{3,}|…)")  # `...... 这部分问得太琐碎了`: the list ends


def _led_numbers(tokens: list[Token], paras: list[int]) -> bool:
    """Three or more paragraphs numbered (`<1>`, `1、`) after a lead that says questions
    follow, with no heading between; or three or more numbered in brackets (`[62]：什么是
    知识蒸馏`, `<3> …`) or with the dot right against the text (`1.介绍一下faster rcnn`, a
    diary's questions, fault hunt 44: no Markdown list, and no answer's points either, which
    would be one paragraph), most of them asking (not a list of references: `[1] He et al.`)."""
    led, count, marked, asking, tight, tight_asking = False, 0, 0, 0, 0, 0
    for i in paras:
        text = tokens[i + 1].content
        if _LEADS_QUESTIONS.search(text):
            led = True
        elif _DIARY_NUMBER.match(text):
            count += led
            if _BRACKETED.match(text) or _TIGHT_NUMBER.match(text):
                marked += 1
                asks = textnorm.asks(text.split("\n", 1)[0])
                asking += asks
                if _TIGHT_NUMBER.match(text):
                    tight, tight_asking = tight + 1, tight_asking + asks
    # (and ten or more numbered so, two in five asking: a bank of questions and topics to
    # explain, `4.面向对象的概念` among `2.二叉搜索树怎么转平衡二叉树`; 15 of 156 were cards, each
    # taking the next ones as its answer, fault hunt 44)
    return count >= 3 or (marked >= 3 and asking >= 0.6 * marked) or (
        tight >= 10 and tight_asking >= 0.4 * tight)


# A paragraph numbered `（2）`, `(2)` or `2、` (no Markdown list)
_PARA_NUMBER = re.compile(r"^\s*+(?:[(（]\s*+\d{1,2}\s*+[)）]|\d{1,2}\s*+、)\s*+\S")


# A term and its definition after a long dash, on a line of its own: `ESMM————阿里提出的…`
_DASHED_TERM = re.compile(r"\s*+([^\s—][^—\n]{0,29}?)\s*+—{2,}\s*+(.*)")


def _dashed_terms(inline: Token, p: Token) -> list[_Cand]:
    """A paragraph of three or more lines, each a term and what it is after a long dash
    (`TDM————召回过程的优化…`): a card per line (a prompt for a line that says nothing of its
    term yet, `DIN————`)."""
    content = inline.content.split("\n")
    if len(content) < 3 or inline.content.count("——") < 3:
        return []
    terms = [_DASHED_TERM.fullmatch(ln) for ln in content]
    if not all(terms):
        return []
    top = p.map[0]
    return [_Cand(top + k, top + k + 1, textnorm.clean_question(_plain_line(m.group(1))),
                  answer=m.group(2).strip()) for k, m in enumerate(terms)]


def _counted_question(inline: Token, p: Token) -> list[_Cand]:
    """A numbered paragraph under a heading of questions: its first line the question when
    it asks or has its answer's lines under it (`（5）Wide&Deep模型里Wide部分` over
    `原始onehot特征做交叉的特征`); one line that only states something is text."""
    head, _, rest = inline.content.partition("\n")
    if not (rest.strip() or textnorm.asks(head)) or textnorm.formality(head):
        return []
    q = textnorm.clean_question(_plain_line(head))
    return [_Cand(p.map[0], p.map[0] + 1, q)] if q and re.search(r"[^\W\d_]", q) else []


def _led_line(inline: Token, p: Token, next_text: str) -> list[_Cand]:
    """After a lead (_led_numbers): a numbered paragraph is a question (its first line), a
    lead or a heading written as a paragraph a boundary, anything else (`时间复杂度可以到O(n)`,
    a remark) the answer of the question above it."""
    text = inline.content
    # (and a bold line that does not ask, the label of the questions after it: `**数据结构
    # （3分钟）**` was the answer of the question before it, fault hunt 44)
    if _LEADS_QUESTIONS.search(text) or _PARA_HEADING.match(text) or _TRAILING_OFF.match(text) \
            or ((b := _BOLD_ONLY.match(text)) and not textnorm.asks(b.group(2))):
        return [_Cand(p.map[0], p.map[0], "", skip=True)]
    if _REMARK.match(text):
        return []
    return _round_line(inline, p, True, next_text) if _DIARY_NUMBER.match(text) else []


_BOLD_NUMBER_LEAD = re.compile(r"^\s*+(\*\*|__)\s*+((?:Q|Question|问题|题)\s*+)?\d{1,3}(?:\.\d{1,3})*"
                               r"[.、:：)]?\s*+\1\s*+[.:：)]?\s*+(\S.*)$", re.IGNORECASE)


# A number and a space opening an all-bold line: its numbering, whatever follows (a plain
# `3 ways to …` is not numbered; in bold over an answer it is).
_BOLD_NUMBER = re.compile(r"^\s*+\d{1,3}\s++(\S.*)$")


# A line of a paragraph numbered as a list item Markdown does not see (`1.RAG的了解？`,
# `2、…`: no space after the number, or not starting at 1 after a line of text).
# (or lettered, `a. 交叉熵如何改进`: a, b, c … run as 1, 2, 3 do, never on from a number)
_RUN_NUMBER = re.compile(r"^\s*+(\d{1,2}|[a-zA-Z])\s*+(?:[、．.](?!\d)|[)）])\s*+(\S.*)$")
_EMPTY_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s*$")  # `- ` left to fill in
_EMPTY_ITEMS = re.compile(_EMPTY_ITEM.pattern, re.MULTILINE)
_BREAK_LINE = re.compile(r"^\s*(?:<br\s*/?>\s*)+$", re.IGNORECASE)  # `<br/>` alone: layout
# The lead of the questions the candidate asked at the end (`我提问:`, `反问`): no study.
_ASKED_BY_ME = re.compile(r"我提问|我的提问|我问|反问|questions? i asked", re.IGNORECASE)


def _numbered_run(inline: Token, p: Token) -> list[_Cand]:
    """Under a round or a question list, a paragraph whose lines number its questions
    (`1、RAG的了解？` `2、…`, one line each, no blank line between: one paragraph to
    Markdown), perhaps after a lead (`面试官提问:`) and with `<br/>` lines between: a question
    for each numbered line, the lines under one its answer. The numbers must run 1, 2, 3 …
    (from any start), two at least. Under `我提问:` they are the candidate's: boundaries."""
    content = inline.content.split("\n")
    top = p.map[0]
    numbered = []
    for k, ln in enumerate(content):
        m = _RUN_NUMBER.match(ln)
        n = m and (int(m.group(1)) if m.group(1).isdigit() else 1000 + ord(m.group(1).lower()))
        if m and (not numbered or n == numbered[-1][1] + 1):
            numbered.append((k, n, m.group(2)))
    if len(numbered) < 2:
        return []
    if numbered[0][1] >= 1000 and not any(textnorm.asks(t) for _, _, t in numbered):
        return []  # (lettered lines that ask nothing, `A. Dropout 在测试时关闭`: choices)
    lead = [ln for ln in content[:numbered[0][0]] if not _BREAK_LINE.match(ln)]
    if len(lead) > 1 or (lead and not re.search(r"[:：]\s*$", lead[0])):
        return []  # (text that lists things in its course: an answer, not questions)
    mine = bool(lead and _ASKED_BY_ME.search(lead[0]))
    # (the lead is no answer of the question above it: a boundary)
    out = [_Cand(top, top, "", skip=True)] if lead else []
    for k, _, text in numbered:
        q = textnorm.clean_question(_plain_line(text))
        if q and re.search(r"[^\W\d_]", q):
            why = _MINE if mine else _FORMAL if textnorm.formality(text) else ""
            out.append(_Cand(top + k, top + k + 1, q, skip=bool(why), why=why))
    return out


def _asking_lines(inline: Token, p: Token) -> list[_Cand]:
    """Under a question list, a paragraph of two or more lines that each ask (`什么是混淆矩阵？`
    / `ROC曲线如何绘制？…`, no blank line between): a question each."""
    content = inline.content.split("\n")
    if len(content) < 2 or 3 * sum(map(_marked, content)) < 2 * len(content):
        return []  # (most of them: `奥卡姆剃刀定律是` among them is asked too)
    return [_Cand(p.map[0] + k, p.map[0] + k + 1, q) for k, ln in enumerate(content)
            if (q := textnorm.clean_question(_plain_line(ln))) and re.search(r"[^\W\d_]", q)]


_IMAGE = re.compile(r"!\[[^\]\n]{0,1000}\]\([^)\n]{0,4000}\)")


def _wordless(head: str) -> bool:
    """An item that is only an image, a formula or a piece of code (no words of its own)."""
    return bool(_CODE_ONLY.match(head)) or \
        not _has_words(_IMAGE.sub("", head) if "![" in head else head)


def _marked(ln: str) -> bool:
    """A line with a question mark of its own (not in an image's alt text or address, nor a
    link's address: `![对比?](cmp.jpg)` made a Q/A pair's answer a question)."""
    if "?" not in ln and "？" not in ln:
        return False
    ln = _IMAGE.sub("", ln) if "![" in ln else ln
    return ("?" in ln or "？" in ln) and textnorm.asks(ln)


# A term of a plain-text glossary: a short line with no sentence's end, a few words
_TERM_LINE = re.compile(r"[^\s].{0,59}(?<![.。:：;；,，!！?？])")


def _a_glossary(tokens: list[Token], blocks: list[tuple[int, int]], lines: list[str]) -> bool:
    """A plain-text glossary, each term at the margin over its definition indented under it
    (`gradient clipping` over `    used during the training of …`; Markdown reads the
    indented lines as more of the paragraph): three terms or more, and every paragraph of the
    blocks such terms (a section of prose or questions that indents some wrapped lines, or a
    poem among them, is no glossary)."""
    paras = [_terms_at(tokens[a], lines) for a, _ in blocks if tokens[a].type == "paragraph_open"]
    return all(paras) and sum(map(len, paras)) >= 3


def _indented_terms(p: Token, lines: list[str]) -> list[_Cand]:
    """A card for each term of a glossary paragraph (_a_glossary)."""
    top = p.map[0]
    return [_Cand(top + k, top + k + 1, textnorm.clean_question(_plain_line(lines[top + k])))
            for k in _terms_at(p, lines)]


def _terms_at(p: Token, lines: list[str]) -> list[int]:
    """The lines of a paragraph (counted from its first) that are glossary terms, each over
    its indented definition; [] unless every line is one or the other."""
    if not p.map or p.map[1] - p.map[0] < 2 or lines[p.map[0] + 1][:1] not in " \t":
        return []  # (the cheap test first: most paragraphs do not indent their second line)
    rows = lines[p.map[0]:p.map[1]]
    at = [k for k, ln in enumerate(rows) if ln[:1] not in " \t"]
    if not at or at[0] != 0 or any(b - a < 2 for a, b in zip(at, at[1:] + [len(rows)])):
        return []  # (every term over one indented line or more)
    if not all(_TERM_LINE.fullmatch(rows[k].rstrip()) and _has_words(rows[k])
               and len(rows[k].split()) <= 8 for k in at):
        return []
    return at


# A time alone on its line, as a transcript marks when something was said: `38 mins 30 secs`,
# `1 hour 0 min`, `12:34`, `[01:02:03]`
_TIME_ONLY = re.compile(r"\s*+(?:\[?\d{1,2}(?::\d{2}){1,2}\]?|(?=\d)(?:\d{1,2}\s*+(?:hours?|hrs?|h)\b\s*+)?"
                        r"(?:\d{1,3}\s*+(?:minutes?|mins?|m)\b\s*+)?(?:\d{1,3}\s*+(?:seconds?|secs?|sec|s)\b)?)"
                        r"\s*+", re.IGNORECASE)


# A question that asks for a time or a duration: a time under it is its answer
_ASKS_TIME = re.compile(r"多久|多长时间|多少时间|几点|什么时候|何时|耗时|时长|how long|how much time|"
                        r"what time|\bwhen (?:does|do|did|is|was|will|should|can)\b|duration",
                        re.IGNORECASE)


def _question_lines(inline: Token, p: Token) -> list[_Cand]:
    """A paragraph of lines that each ask (`What is object detection?` / `What are anchor
    boxes?`, no blank line between), under a label or none (`RAG：`, `General`): a question
    each, the label a boundary. Lines after three or more such, asking nothing (the note goes
    on to other things, its blank line forgotten), are no answer of the last: a boundary.
    (Under a question list, _asking_lines asks less.)"""
    text = inline.content
    if text.count("?") + text.count("？") < 2:  # (most paragraphs: both rules want two marks)
        return []
    content = text.split("\n")
    if _wrapped_bold(content):  # (one question over lines: _para's)
        return []
    marked = list(map(_marked, content))
    if sum(marked) < 2:
        return []
    # (a transcript's times between its questions, `38 mins 30 secs`: when they were asked,
    # no answer; boundaries, said in the summary. Not a time under a question that asks for
    # one, `需要多久？` over `1 hour 0 min`: its answer)
    times = [bool(_TIME_ONLY.fullmatch(ln)) and not (k and _ASKS_TIME.search(content[k - 1]))
             for k, ln in enumerate(content)] if any(
        c.isdigit() for c in text) else [False] * len(content)
    label = not marked[0] and len(content[0]) <= 30 and not times[0]
    start = 1 if label else 0
    end = start
    while end < len(content) and (marked[end] or times[end]
                                  or (end > start and textnorm.asks(content[end]))):
        end += 1  # (after the first, a line may ask without its mark: `如何看待…的趋势`)
    run = end - start - sum(times[start:end])
    if run < 2 or (end < len(content) and run < 3) or sum(marked[start:end]) < 2:
        return _labelled_lines(content, marked, p) if label else []
    top = p.map[0]
    out = [_Cand(top, top + 1, "", skip=True)] if label else []
    for k in range(start, end):
        if times[k]:
            out.append(_Cand(top + k, top + k + 1, content[k].strip(), skip=True,
                             why="a time in a transcript (when the question was asked): no "
                                 "answer"))
            continue
        q = textnorm.clean_question(_plain_line(content[k]))
        if not q:
            return []
        out.append(_Cand(top + k, top + k + 1, q))
    if end < len(content):  # (said in the summary: fault hunt 35)
        out.append(_Cand(top + end, top + end, "", skip=True, ends="a run of questions"))
    return out


def _labelled_lines(content: list[str], marked: list[bool], p: Token) -> list[_Cand]:
    """Under a label (`八股：`, `系统设计题：`), lines two thirds of which ask, two or more with a
    question mark (`marked`: `fastapi 设计原理？`, `如何定位 Linux 中的 pid`): each asking line a
    question, the others (`短链系统`) boundaries, no answer of the question before them."""
    rest = content[1:]
    asking = [m or textnorm.asks(ln) for ln, m in zip(rest, marked[1:])]
    if len(rest) < 3 or 3 * sum(asking) < 2 * len(rest) or sum(marked[1:]) < 2:
        return []
    top = p.map[0]
    out = [_Cand(top, top + 1, "", skip=True)]
    for k, (ln, asked) in enumerate(zip(rest, asking), start=1):
        q = textnorm.clean_question(_plain_line(ln))
        out.append(_Cand(top + k, top + k + 1, q, skip=not (asked and q)))
    return out


def _quoted_questions(tokens: list[Token], level: int) -> list[_Cand]:
    """A quote that lists questions under a label (`> **问题：**`, then `> 1) AP 怎么算？`,
    `> 2）为何…？`, as list items or paragraphs): a question each, the label none."""
    blocks = [k for k, t in enumerate(tokens) if t.level == level and t.nesting == 1 and t.map]
    if len(blocks) < 2 or tokens[blocks[0]].type != "paragraph_open" or \
            not textnorm.is_question_list(tokens[blocks[0] + 1].content.strip().strip("*_:： ")):
        return []
    top = tokens[blocks[0]].map[0]
    out = [_Cand(top, top + 1, "", skip=True)]
    for k in blocks[1:]:
        t = tokens[k]
        if t.type == "paragraph_open":
            m = _RUN_NUMBER.match(tokens[k + 1].content.split("\n")[0])
            asked = [(t.map[0], m.group(2))] if m else []
        elif t.type == "ordered_list_open":
            asked = [(u.map[0], _item_head(tokens, j)) for j, u in enumerate(tokens)
                     if u.type == "list_item_open" and u.level == level + 1 and u.map
                     and t.map[0] <= u.map[0] < t.map[1]]
        else:
            return []
        for line, text in asked:
            if text is None or not textnorm.asks(text):
                return []
            out.append(_Cand(line, line + 1, textnorm.clean_question(_plain_line(text))))
    return out if len(out) >= 3 else []


def _quoted_over_details(inner: list[Token], after: Token) -> str | None:
    """The question of a quote of one line right over a `<details>` block (its answer folded
    away), or None."""
    if len(inner) != 3 or inner[0].type != "paragraph_open" or "\n" in inner[1].content or \
            after.type != "html_block" or "<details" not in after.content.lower():
        return None
    q = textnorm.clean_question(_plain_line(inner[1].content))
    return q if re.search(r"[^\W\d_]", q) and len(q) <= 200 else None


def _asks_alone(text: str) -> bool:
    """A paragraph that is one question as plain text, and no remark of the writer's."""
    return _plain_question(text) and not _REMARK.match(text)


def _plain_question(text: str) -> bool:
    """One line of plain text that is a question: it opens as one and has a question mark,
    or ends with one (`What is an auto-encoder? Why do we "auto-encode"?`)."""
    if "\n" in text or len(text) > 200 or not re.search(r"[?？]", text) or \
            text.lstrip()[:2] in ("**", "__") or len(textnorm.key(text)) < 5:
        return False
    return bool(re.search(r"[?？]\s*$", text)) or textnorm.opens_a_question(text)


def _bare_question(text: str) -> bool:
    """A short line that asks without a question mark: it opens with a question word
    (`如何避免过拟合`), asks how large or how long at its end (`mini-batch选择多大`) or sets
    two things side by side (`LGB VS XGB`); no punctuation."""
    return len(text) <= 40 and "\n" not in text and _BARE_QUESTION.match(text) is not None \
        and not _CLAUSE_MARK.search(text)


_BARE_QUESTION = re.compile(r"(?:为什么|为何|如何|怎么|怎样|什么是|有哪些|哪些|是否|是不是)\S"
                            r"|[^\W_][^\n]{0,30}?\s(?:vs\.?|VS|Vs)\s+[^\W_]"
                            # (or asks at its end: `mini-batch选择多大`, `训练要多久`: fault hunt 38)
                            r"|[^\n]{1,30}?多[大长久](?:比较)?(?:合适|为宜|好)?\s*$")
_CLAUSE_MARK = re.compile(r"[，,。；;：:！!?？、()（）\[\]`*_<>|]")

_URL_ONLY = re.compile(r"^\s*<?https?://\S+>?\s*$")


def _round_line(inline: Token, p: Token, numbered: bool = False,
                next_text: str = "") -> list[_Cand]:
    """Under an interview round, a paragraph of one short line is a question asked there
    (`### 一面` over `池化层的梯度怎么回传`, a blank line between each): not a label
    (`面试主要是三个部分：`), a formality or a sentence of the diary (`。` at its end).
    `numbered`: the round numbers its questions (`1、…`): those are questions however long
    or however they end (the first line, when the paragraph runs on), but for a topic over
    lettered sub-questions (`1、第一篇论文` over `a. 为什么…？`); other paragraphs only when
    they have a question mark or are lettered, else they answer the question above them."""
    text = inline.content
    if numbered:
        head = text.split("\n", 1)[0]
        if _DIARY_NUMBER.match(text):
            if textnorm.formality(head):  # (`4、还有一些基础题，想不起来了`): no question, an end
                return [_Cand(p.map[0], p.map[0] + 1, head, skip=True, why=_FORMAL)]
            if len(head) > 300 or _LETTERED.match(next_text):
                return []
        elif not ("?" in head or "？" in head or _LETTERED.match(head)):
            return []  # (an answer `比较复杂，…` reads as asking by its `比较`)
        q = textnorm.clean_question(_plain_line(head))
        return [_Cand(p.map[0], p.map[0] + 1, q)] if q and re.search(r"[^\W\d_]", q) else []
    if "\n" in text or len(text) > 80 or re.search(r"[:：。！!…~]\s*$", text) or \
            (text.rstrip().endswith(".") and re.search(r"[\u4e00-\u9fff]", text)) or \
            textnorm.formality(text) or textnorm.ANSWER_LABEL.match(text) or \
            _URL_ONLY.match(text) or _IN_BRACKETS.fullmatch(text.strip()):
        # (nor a line all in brackets, `（跨场景的vid embedding的使用方式）`: a remark on the
        # question above, its answer's: fault hunt 43)
        return []
    if textnorm.is_round(text):  # (`技术面`, `HR 面` as a line: the next round, no question)
        return [_Cand(p.map[0], p.map[0] + 1, "", skip=True)]
    if textnorm.names_a_company(text):
        # (`阿里面试复盘`, `阿里妈妈` as a line: the next company of the diary, or its team; it
        # was asked as a question: fault hunt 43)
        return [_Cand(p.map[0], p.map[0] + 1, text.strip()[:60], skip=True,
                      why="company heading of an interview diary")]
    q = textnorm.clean_question(_plain_line(text))
    return [_Cand(p.map[0], p.map[0] + 1, q)] if q and re.search(r"[^\W\d_]", q) else []


_IN_BRACKETS = re.compile(r"[（(][^（()）]+[)）]")
_ANSWERED = re.compile(r"\s*+(?:我的?)?(?:回答|答)")  # `（回答的是…`, `(我答：…`
# `**两者的异同**（…）`: bold, then what was said in brackets
_BOLD_SAID = re.compile(r"^\s*+(\*\*|__)([^*_\n]+?)\1\s*+(?=[（(]\S)")
# `**为什么…**？…`, `（1）**…**`: a bold question with its mark, or its number, outside the bold
_MARK_OUTSIDE = re.compile(r"^(\s*+)(\*\*|__)([^*_\n]+?)\2\s*+([?？])")
_NUMBER_OUTSIDE = re.compile(r"^\s*+[（(]\s*+\d{1,2}\s*+[)）]\s*+(?=(\*\*|__)([^*_\n]+?)\1)")


def _bold_follow_up(ln: str) -> str:
    """`**为什么…**？` as `**为什么…？**`; `（1）**如何…**` as `**如何…**`, when the bold asks."""
    m = _NUMBER_OUTSIDE.match(ln)
    if m and textnorm.asks(m.group(2)):
        ln = ln[m.end():]
    m = _MARK_OUTSIDE.match(ln)
    if m and textnorm.asks(m.group(3)):
        ln = f"{m.group(1)}{m.group(2)}{m.group(3)}{m.group(4)}{m.group(2)}{ln[m.end():]}"
    return ln


def _after_inline_question(ln: str) -> str:
    """What follows a line's bold question (_inline_question): its answer's first line."""
    fixed = _bold_follow_up(ln)
    lead = _BOLD_Q_LEAD.match(fixed)
    if lead:
        return fixed[lead.end():]
    said = _BOLD_SAID.match(fixed)
    if said:  # (`（我答的是：…）`: the brackets off what was said)
        rest = fixed[said.end():].strip()
        inner = rest[1:-1].strip()
        closing = "）" if rest[0] == "（" else ")"
        whole = rest.endswith(closing) and not re.search(r"[()（）]", inner)
        return inner if whole else rest
    return ln


def _inline_question(ln: str, said: bool = False) -> str | None:
    """The bold question a line opens with, when its answer follows on the line: one that
    ends in a question mark, or in a full stop and asks (`**Explain dilated convolution.**`;
    a bold "Why?" is a lead-in of an answer, not a question: too short); with `said`, also
    one that asks with its answer in brackets after it (`**两者的异同**（…）`)."""
    m = _BOLD_Q_LEAD.match(ln)
    if m is None:
        m = _BOLD_SAID.match(ln) if said else None
        # (asking, or answered in the brackets: `**两阶段训练和端到端训练的不一样**（回答的是…）`)
        if m is None or not (textnorm.asks(m.group(2)) or _ANSWERED.match(ln, m.end() + 1)):
            return None
    bold = m.group(2)
    if bold[-1] in ".。" and not textnorm.asks(bold):
        return None  # (`**Gaussian noise.** It is …`: a topic, said in passing)
    q = textnorm.clean_question(_plain_line(bold))
    return q if len(textnorm.key(q)) >= 5 else None


def _prose(text: str) -> bool:
    """Sentences that say something, not a question that names it (`Bias is the difference
    between … predict. Model with high bias …`: it asks only by its words, `difference`, and
    ends with a full stop; long, or more than one sentence)."""
    t = text.strip()
    return t[-1:] in ".。" and "?" not in t and "？" not in t and \
        (len(t) > 80 or _SENTENCE_BREAK.search(t[:-1]) is not None) and \
        not textnorm.opens_a_question(t) and not _Q_LABEL.match(t)


_SENTENCE_BREAK = re.compile(r"[.!] +[A-Z]|[。！]\s*\S")

# An item that states (a full stop at its end, or a label and what it says): an answer's point
_STATED = re.compile(r"[。；;]\s*$|^[^:：]{1,30}[:：]\s*\S")


def _list(tokens: list[Token], lines: list[str], qlist: bool,
          nested_qlist: bool = False, bank: bool = False, options: bool = False,
          labelled: bool = False, series: bool = False, topic_bank: bool = False
          ) -> list[_Cand]:
    """A question list gives a candidate per item; sub-lists are looked at the same way (a
    section's question-list name only counts for its top-level list, an interview round's
    for every level)."""
    level = tokens[0].level
    items = [(i, _end(tokens, i)) for i, t in enumerate(tokens)
             if t.type == "list_item_open" and t.level == level + 1]
    heads = [_item_head(tokens, a) for a, _ in items]
    # bold item heads are questions when one of them asks (`- **CNN为什么…？**`, `- **BP**`)
    bold = any(_bold_head(h) and textnorm.asks(h) for h in heads if h is not None)
    asking = [h for h in heads if h is not None and not textnorm.formality(h)
              and (((textnorm.asks(h) or _Q_LABEL.match(h) or (bold and _bold_head(h)))
                    and not _term_definition(h) and not _prose(h))
                   or ((m := _SAID_LABELLED.match(h)) is not None
                       and textnorm.asks(_plain_line(m.group(1)))))]
    # a list of three or more items that each have text of their own under their first line
    # (an answer), a third of them asking, or some in a note that says it lists interview
    # questions: a question bank whose other items are topics to explain (`1. KL 散度` and
    # its answer, among `1. 为什么…？`). (Answer points are one-line items: not these.)
    answered = len(items) >= 3 and sum(e - a > 5 for a, e in items) >= 0.8 * len(items)
    # a task list (`- [ ] sigmoid函数求导`, `- [x] 手推lr`): a checklist of things to study,
    # each a question (a prompt until answered), never the answer of the heading over it
    task = not options and len(items) >= 2 and all(h is not None and textnorm.TASK_BOX.match(h)
                                   and not textnorm.is_stub(h) for h in heads)
    # (follow-ups each with what was said to it, `- CLIP 的局限？（答：…）` under `追问点：`:
    # questions with their answers, not points of the answer above)
    followups = bool(asking) and all(h is not None and _said_after(h) is not None
                                     for h in heads)
    if options and not followups and (
            (not asking and (labelled or all(h is not None and _STATED.search(h)
                                             for h in heads)))
            or (labelled and not any(h is not None and re.search(r"[?？]\s*$", h)
                                     for h in heads))):
        # (`1. 增加模型容量：换更大的网络。` after `- 欠拟合怎么处理?`, or under `优点：` there:
        # its answer; under a label, points that read as asking without a question mark
        # too: `- 检查标签是否有错；`)
        return []
    # (in a note of interview questions, a topic's list of one-liners some of which ask:
    # `* v lies in the kernel of M, what is Mv?`, `* Invert a 2x2 matrix by hand.`; one in
    # five may hold more, the choices it was asked with: `* Word Embeddings …` over `* 1+4-3=2`)
    one_liners = topic_bank and len(items) >= 2 and bool(asking) and 5 * sum(
        e - a > 5 for a, e in items) <= len(items) and not all(  # (nor `A 多项式的度`: choices)
        h is not None and h.lstrip()[:1] == "ABCDEFGH"[k] for k, h in enumerate(heads[:8]))
    # (items of no words, an image or a formula between the questions, are not counted:
    # they are the answers' pictures)
    is_qlist = bool(items) and (qlist or task or one_liners
                                or (bool(asking) and len(asking) >= max(1, 0.6 * sum(
                                    h is not None and not _wordless(h) for h in heads)))
                                or (answered and (3 * len(asking) >= len(items)
                                                  or (bank and bool(asking)))))
    out: list[_Cand] = []
    at_companies = is_qlist and _asked_at(heads)
    scene = ""  # (the words of a scene an item set, for the questions after it that refer to it)
    for k, ((a, b), head) in enumerate(zip(items, heads)):
        item = tokens[a]
        subs: list[_Cand] = []
        j = a + 1
        while j < b:  # nested lists of this item
            t = tokens[j]
            if t.type in ("bullet_list_open", "ordered_list_open") and t.level == level + 2:
                e = _end(tokens, j)
                # (`11. 1. True or false: …`, `2. …`: an exercise of a series in parts, each
                # a question; under an exercise's own words, its sub-items are its choices)
                parts = series and head is None
                # (under an item that introduces them, `- 如果梯度过大，参数会变成 NaN：`, its
                # sub-items are its points, as under a label, even where one reads as asking
                # by `是否` (`- 检查梯度是否有 NaN。`); in a round they are still its questions)
                led = not nested_qlist and head is not None and head.rstrip()[-1:] in ":："
                # (in a list of questions, an item that only names in brackets where they
                # were asked, `1. （阿里云算法，自动驾驶）`: its sub-items are the questions)
                group = is_qlist and head is not None and bool(_BRACKETED_LABEL.match(head))
                # (its choices, ticked, `   - [x] tanh`: its answer, never questions of their
                # own: fault hunt 39)
                if not _ticked_choices(tokens[j:e], lines):
                    subs += _list(tokens[j:e], lines, nested_qlist or parts or group,
                                  nested_qlist, series=parts, options=led, labelled=led)
                j = e
            else:
                j += 1
        if is_qlist and head is None and not subs and item.map and \
                all(t.type == "list_item_close" for t in tokens[a + 1:b]):
            # an empty item (`1. ` left for a question to come): no card, and no answer text
            # (not one that holds code or a quote: that is more of the answer before it)
            out.append(_Cand(item.map[0], item.map[0] + 1, "", skip=True))
            continue
        if is_qlist and head is not None and not subs and _ASIDE.fullmatch(head) and \
                not textnorm.asks(head.strip().strip("()（） ")):
            # (`- (data science book can't hate it's good)` among questions: the writer's
            # aside, no question, nor the answer of the one before it)
            out.append(_Cand(item.map[0], item.map[0] + 1, "", skip=True))
            continue
        if not is_qlist or head is None or _CODE_ONLY.match(head) or (
                not (qlist or nested_qlist) and head not in asking and _bold_statement(head)
                and any(not c.skip for c in out)):
            # (nor is a bold sentence among questions, `- **共线性会造成冗余，导致过拟合。**`:
            # it says something more of the question before it, part of that answer)
            out += subs
            continue
        line = item.map[0]
        if textnorm.formality(head):
            out.append(_Cand(line, line + 1, head, skip=True, why=_FORMAL))
            out += subs
            continue
        if not (nested_qlist or subs or task or series) and \
                _sets_a_scene(tokens[a + 2].content, heads[k + 1] if k + 1 < len(heads) else None):
            scene = _plain_line(" ".join(tokens[a + 2].content.split()))
            out.append(_Cand(line, line + 1, scene[:60], skip=True, why=_SCENE))
            continue
        if scene and (m := _TWO_SENTENCES.search(tokens[a + 2].content)) and \
                not re.search(r"[?？]", tokens[a + 2].content[:m.start()]) and \
                not textnorm.asks(tokens[a + 2].content[:m.start()]):
            scene = ""  # (a question that sets its own scene: `Climate data … reveals …. How …?`)
        if nested_qlist and subs:
            # (a link alone under it is its reference, never a question: `- [霍夫变换直线检测](
            # https://…)` under `- 霍夫变换直线检测的原理。`)
            subs = [s for s in subs if s.skip or not _LINK_ITEM.match(lines[s.line])]
        if nested_qlist and subs:
            # in an interview round, what is nested under a question and does not ask is
            # its answer (`- 如何…？` over `- 蓄水池抽样…`), not a question of its own; and so
            # is a sentence under a topic (`2. 添加噪声的方法` over `+ 'salt' Replaces …`), and
            # so are its siblings, sentences or not (`+ 'localvar' … at each point of image`)
            asked = bool(textnorm.asks(head) or _Q_LABEL.match(head))
            sentences = any(s.question.rstrip().endswith((".", "。"))
                            and not textnorm.asks(s.question) for s in subs if not s.skip)
            # and so is one line alone under a topic, full stop or not (`- 排序指标` over
            # `- NDCG 看排得准不准`, `- FastText 的用处` over a link `* [子词向量][ft]`): a list
            # of one is a note on it, not the questions asked on it
            alone = len(subs) == 1
            subs = [s for s in subs if s.skip or textnorm.asks(s.question)
                    or _Q_LABEL.match(s.question) or not (asked or sentences or alone)]
            if asked and all(s.skip for s in subs):
                # so are the topics among its points, their own points gone: no boundary cuts
                # its answer (`* 先收集点单记录` over `- 热门榜`, under `- …，请设计一个推荐系统`)
                subs = [s for s in subs if s.why]
        if not nested_qlist and subs and (textnorm.asks(head) or _Q_LABEL.match(head)):
            # under a question, a sentence that does not ask is a point of its answer, however
            # it reads (`* Expect discussion on **feature learning vs manual features**.`
            # under `1. **What is deep learning?**`: `vs` made it a question of its own)
            subs = [s for s in subs if s.skip or not _a_point(s.question)]
        subs = _continued_items(tokens[a + 2], line) + subs
        if not subs and (textnorm.asks(head) or _Q_LABEL.match(head)):
            subs = _follow_up_paragraphs(tokens, a, b)
        question = textnorm.clean_question(_plain_line(head))
        real = [s for s in subs if not s.skip]
        if real and not (textnorm.asks(head) or _Q_LABEL.match(head)):
            # a topic item over its sub-questions: their context, not a card
            for s in real:
                if _BRACKETED_LABEL.match(head):
                    break  # (where they were asked: no words of theirs)
                if len(textnorm.key(s.question)) <= 20 and not s.context and \
                        len(question) <= 40 and not re.search(r"[，,。；;：:]", question):
                    s.context = question
            out.append(_Cand(line, line + 1, question, skip=True))
        elif at_companies and not subs and (m := _AT_LABEL.match(head)):
            # `腾讯：FocalLoss原理；丑数；FLOP计算。`: each question asked there a card, the
            # company its context (fault hunt 43: 35 questions in 10 cards)
            parts = [textnorm.clean_question(_plain_line(p.strip(" 。."))) for p in
                     re.split(r"[；;]", m.group(2)) if p.strip(" 。.")]
            for k, part in enumerate(parts):
                last = k == len(parts) - 1  # (what follows the item is the last one's answer)
                out.append(_Cand(line, line + 1, part, item=last, task=True,
                                 answer=None if last else "", context=m.group(1).strip()))
        elif inline := _inline_question(head):
            out.append(_Cand(line, line, inline, inline=True))
        else:
            wrapped = _wrapped(tokens[a + 2], head, whole=series) if not subs else None
            if wrapped:  # a question hard-wrapped over lines of its item: all of it
                question = textnorm.clean_question(_plain_line(wrapped[0]))
            # (what follows the item's first line, its own lines or points, is more of the
            # answer: _cand_drafts adds it)
            said = _said_after(head) if not (subs or wrapped) else None
            if said:  # `What is …? (the answer)`: the item's only text after its question
                question = textnorm.clean_question(_plain_line(said[0]))
            out.append(_Cand(line, line + 1 + (wrapped[1] if wrapped else 0), question,
                             item=True, bold=bold and bool(_bold_head(head)),
                             task=task or series,
                             answer=said[1] if said else None,
                             context=scene if scene and _REFERS_BACK.search(head) else ""))
        out += subs
    return out


# `腾讯：FocalLoss原理；丑数`: where they were asked, then the questions asked there
_AT_LABEL = re.compile(r"([^：:，,。；;？?*\s][^：:，,。；;？?*]{0,11})\s*[：:]\s*(\S.*)$")


def _asked_at(heads: list[str | None]) -> bool:
    """A list whose items each name a company and the questions asked there (`- 美团：…`,
    `- 腾讯：…`): half of them or more so labelled, two or more by a known company."""
    labels = [m.group(1) for h in heads if h and (m := _AT_LABEL.match(h))]
    return len(labels) >= 2 and 2 * len(labels) >= len(heads) and \
        sum(textnorm.names_a_company(x) for x in labels) >= 2 and \
        not any(textnorm.asks(x) for x in labels)


def _a_point(text: str) -> bool:
    """A sentence that tells, not asks: a full stop at its end, no question mark, and no
    question word or instruction to start it (`Explain pooling.` asks)."""
    t = text.rstrip()
    return t.endswith((".", "。")) and "?" not in t and "？" not in t and \
        not textnorm.opens_a_question(t)


_MATH = re.compile(r"\$\$?[^$]*+\$\$?")


def _has_words(question: str) -> bool:
    """Words outside formulas (`$$p=0.5$$` alone has none)."""
    return bool(re.search(r"[^\W_]", _MATH.sub("", question) if "$" in question else question))


_SCENE = "a scene for the questions after it"
# What refers back to a scene set before the question (`What kind of problem is this?`, `How
# would you encode the output of the system?`)
_REFERS_BACK = re.compile(r"\b(?:this|these|that|such|it|its|they|them|their|my|the (?:data|"
                          r"system|model|problem|output|input|dataset|company|user|task))\b|"
                          r"这|该|此|上述", re.IGNORECASE)


def _sets_a_scene(text: str, next_head: str | None) -> bool:
    """An item of a list of questions that only tells, at length, what the questions after it
    are about (`+ A dairy farmer is trying to understand … milk produced (500-1000 liters).`
    over `+ What kind of machine learning problem is this?`): it asks nothing itself."""
    return next_head is not None and len(text) >= 80 and "?" not in text and \
        "？" not in text and bool(_TWO_SENTENCES.search(text)) and \
        not textnorm.asks(text.split("\n", 1)[0]) and \
        bool(textnorm.asks(next_head) or re.search(r"[?？]", next_head))


# a sentence's end with more after it: a scene tells in sentences (a question that asks
# in words prep does not read, `简 单 描 述 ⼀ 下 …`, is one line)
# (`(no. of dimensions)`: no sentence ends before a word in lower case)
_TWO_SENTENCES = re.compile(r"(?:[.!]\s+(?=[A-Z0-9\"“‘(\u4e00-\u9fff])|[。！]\s*)\S")


# An item all in brackets: `（视觉/多模态算法 一面）`, `(Google, onsite)`, `【字节】`
_BRACKETED_LABEL = re.compile(r"^\s*+(?:（[^（）\n]*）|\([^()\n]*\)|【[^【】\n]*】)\s*+$")


_SAID_AFTER = re.compile(r"^(.*?[?？])\s*+[(（](.+)[)）]\s*+$")
# `Do I need to solve LC hard? Yes. …`: the first question mark ending a word (not one in a
# link's address), then the rest of the line. (After a `？` what follows is more often more
# of the question: `有哪些？至少列出 4 种，并说出其优缺点。`)
_SAID_ON = re.compile(r"^(.*?\?(?=\s))\s*+(\S.*)$")
# `BN如何合并到卷积中。BN本身和卷积一样是一个线性运算，…`: a short question that asks without a
# question mark, a full stop, then its answer on the same line
_SAID_STOP = re.compile(r"^([^。？?\n]{2,40}?)。\s*+(\S.*)$")
# `- 什么是dropout。答：训练时随机将神经元置零。`: the question, an answer label, the answer
# `question：what was said to it`, the first colon (not one in a link or a time)
_SAID_COLON = re.compile(r"^([^:：\n]{2,80}?)\s*[:：](?!//|\d)\s*(\S.*)$")
# an instruction that a colon introduces the object of: `解释一下：BN和LN`
_INTRODUCES = re.compile(r"(?:一下|下列|以下|如下|下面|the following|below|as follows)\s*$",
                         re.IGNORECASE)


# what was said, not an object named: words with a comma or a space between, or many
_SAID_TEXT = re.compile(r"\S[，,、；;\s]+\S|\S{12}")
# an instruction, whose details or object a colon introduces (`请推导逻辑回归模型：…`)
_ORDERS = re.compile(r"\W*(?:请|推导|解释|介绍|说明|描述|写出|手写|证明|给出|列举|简述|画出|实现|"
                     r"explain|describe|derive|write|implement|list|give|prove|design|define|"
                     r"compare|discuss|draw|name)", re.IGNORECASE)


def _asks_whole(text: str) -> bool:
    """A question complete in itself: not an instruction whose object or details follow a
    colon, nor a colon inside brackets (`…（鲁棒优化的方式：① …）`)."""
    return textnorm.asks(text) and not _INTRODUCES.search(text) and \
        not _ORDERS.match(textnorm.strip_numbering(text)) and \
        not re.search(r"(?:介绍|说明|解释|描述|列举|写出|给出)[^？?]*$", text) and \
        text.count("（") + text.count("(") <= text.count("）") + text.count(")") and \
        not _Q_LABEL.match(text) and not textnorm.is_label_only(text)


_SAID_LABELLED = re.compile(r"^(.{2,80}?)[\s。.，,；;]*+(?:答案?|回答|Answer|Ans)\s*+[:：]\s*+(\S.*)$")
# an item that is only a piece of code (`- \`torchvision.ops.nms(boxes, scores, 0.5)\``)
_CODE_ONLY = re.compile(r"^\s*+(`++)[^`]++\1\s*+$")
# brackets that say something of the question, not its answer: where to look, what to note
# or ask, what may be assumed (`（可以参考上面一个问题）`, `（在这里可以问一下…）`, `(You are free to
# make practical assumptions.)`): part of it (they were answers: fault hunt 42)
_BRACKET_NOTE = re.compile(r"(?:可以|可)?(?:参考|参见|详见|见上|见下|见第|注意|问一下|追问)|(?:在这里|这里)?可以问|"
                           r"see\b|cf\.|refer\b|you (?:are|may|can|might)\b|assume\b|"
                           r"note\b", re.IGNORECASE)
# brackets that narrow the question down (`(包括SyncBN)`, `(e.g. in detection)`) or give a
# hint (`(hint: mini-batch)`): part of it
_NARROWS = re.compile(r"(?:包括|包含|含|比如|例如|如|即|尤其|特别是|提示|hint|including|e\.\s*g\b|eg\b|"
                      r"i\.\s*e\b|such as|especially|for example|in particular)", re.IGNORECASE)


# An answer that only says where it is, or that it is left out (`略`, `见下文`, `同上`)
# (not `无`: "none" answers `有偏置吗？`)
_NOT_SAID = re.compile(r"略|见(?:下|上)文?|同上|see (?:below|above)|tbd|todo", re.IGNORECASE)


def _said_after(head: str) -> tuple[str, str] | None:
    """(question, answer) for a list item that answers its question in brackets after it
    (`What is the problem with sigmoid? (Very small gradients.)`) or after it on its line
    (`Do I need to solve LC hard? Yes, about 5 %.`), or None: not when what follows asks,
    tells what to do, narrows the question down or hints (`Why not cos?`, `(Explain with an
    example.)`, `(and why?)`, `(包括SyncBN)`, `(hint: mini-batch)`)."""
    if head.lstrip()[:2] in ("**", "__") and _BOLD_ONLY.match(head):
        # (all in bold, it is all asked: `**What steps do you take …? Walk me through your
        # workflow.**` was cut at its question mark, the rest its answer, fault hunt 44)
        return None
    # (only a line that ends with its bracket: on one that does not, the match was tried at
    # each question mark, each scanning to the end, `a?(a?(a?(…` quadratic)
    m = _SAID_AFTER.match(head) if head.rstrip().endswith((")", "）")) else None
    if m is None and (m := _SAID_LABELLED.match(head)):
        return (m.group(1), m.group(2).strip()) if textnorm.asks(_plain_line(m.group(1))) \
            else None
    if m is None and (c := _SAID_COLON.match(head)) and _asks_whole(c.group(1)) and \
            not textnorm.asks(c.group(2)) and _SAID_TEXT.search(c.group(2)):
        # (`C++虚函数的作用: 继承和多态，…`, `…QKV是啥意思吗：query，key，value`: a question,
        # then what was said to it after a colon: fault hunt 43)
        return c.group(1), c.group(2).strip()
    if m is None:
        m = _SAID_ON.match(head)
        if m is None and (m := _SAID_STOP.match(head)):
            rest = _plain_line(m.group(2))
            if not textnorm.asks(_plain_line(m.group(1))) or "?" in rest or "？" in rest or \
                    textnorm.asks(re.split(r"[。；;]", rest, maxsplit=1)[0]):
                # (a statement, then more; or questions one after another, `py3 相比 py2 有什么
                # 优化。range 的内部实现 py3 和 py2 的区别`. Past its first sentence the answer
                # is prose, where a word that can ask is no question: `…可参考BN/LN的区别`)
                return None
        elif m is None or textnorm.asks(_plain_line(m.group(2))):
            return None  # (no answer after it, or more questions: `Why tanh? Why not cos?`)
    said = m.group(2).strip()
    # (labelled as the answer, `（答：对比学习需要…）`: one, whatever its first word)
    label = textnorm.ANSWER_LABEL.match(said)
    said = said[label.end():].strip() if label else said
    if label and (textnorm.is_stub(said) or _NOT_SAID.fullmatch(said.rstrip("。.…！! "))):
        return m.group(1), ""  # (`（答：待补充）`, `（答：略）`: no answer yet, a prompt)
    if len(textnorm.key(said)) < 2 or (not label and (
            textnorm.opens_a_question(said) or re.search(r"[?？]\s*$", said)
            or _NARROWS.match(said) or _BRACKET_NOTE.match(said))):
        return None
    return m.group(1), said


_CJK_END = re.compile(r"[\u4e00-\u9fff]\s*$")
_CJK_START = re.compile(r"\s*[\u4e00-\u9fff]")


def _wrapped(inline: Token, head: str, whole: bool = False) -> tuple[str, int] | None:
    """(the question, the number of lines it runs on past the first) when an item's first
    line does not end its question and one of the next three lines of its paragraph does
    (`1. What is the receptive field of a stack of three` / `3x3 convolutions?`); `whole`:
    its paragraph's lines, whatever the last one ends with (an exercise: `… Name the` /
    `algorithm.`)."""
    if inline.type != "inline" or re.search(r"[?？]\s*$", head):
        return None
    more = inline.content.split("\n")[1:4]
    # (a sentence cut mid-way, its next line going on in lower case: `… after a 3-wide
    # window` / `with stride 2 and no padding.`, up to the line that ends it)
    cut = not re.search(r"[.?!。？！:：;；]\s*$", head)
    for k, ln in enumerate(more, start=1):
        if _ITEM_LINE.match(ln) or not ln.strip():
            return None
        # (in Chinese, a line cut between two characters whose next line asks, the question
        # mark not at its end: `…的性能，而使` / `用均方误差损失会有问题？分段线性…的利弊。`)
        cjk = cut and k == 1 and bool(_CJK_END.search(head)) and bool(_CJK_START.match(ln)) \
            and bool(re.search(r"[?？]", ln))
        cut = cut and bool(re.match(r"\s*[a-z(`$]", ln))
        if re.search(r"[?？]\s*$", ln) or (whole and k == len(more)) or cjk or \
                (cut and re.search(r"[.!。！]\s*$", ln)):
            text = head
            for piece in more[:k]:
                piece = piece.strip()
                cjk = re.match(r"[\u4e00-\u9fff]", piece) and re.search(r"[\u4e00-\u9fff]$", text)
                text += ("" if cjk else " ") + piece
            return text, k
    return None


_BOLD_HEAD = re.compile(r"^\s*(\*\*|__)(.+)\1\s*$")


def _bold_head(head: str) -> bool:
    """An item whose first line is all bold and is neither a label (`**Tasks:**`) nor a
    statement (`**…导致过拟合。**`): the bold question of a `- **…**` list, its answer nested
    under it."""
    m = _BOLD_HEAD.match(head)
    return bool(m) and not re.search(r"[:：。.]\s*$", m.group(2))


def _bold_statement(head: str) -> bool:
    """An item's first line all bold and a sentence (`**…导致过拟合。**`) that does not ask.
    (Not one that ends in `.`: `**Sample uniformly from a stream.**` is a task, asked.)"""
    m = _BOLD_HEAD.match(head)
    return bool(m) and re.search(r"。\s*$", m.group(2)) is not None and not textnorm.asks(head)


# What a note says of itself, in its title or introduction, when it lists interview questions.
# A note that says it is a cheat sheet: its tables of concepts are a card a row (_concept_table)
_SHEET = re.compile(r"cheat ?sheets?|quick reference|reference card|速查|备忘单", re.IGNORECASE)
_DECLARES = re.compile(r"interview questions|question bank|"
                       r"面试中?(?:常见|高频|经典|必考|常考|相关)?的?(?:问题|题)|面经", re.IGNORECASE)


def _introduction(lines: list[str]) -> str:
    """The note's title and introduction (its lines before its first heading, or before its
    second when the first is an H1 or opens the note: `## Machine Learning Interview
    Questions` on its first line), folded: where it says it lists interview questions
    (_DECLARES: "本文总结了深度学习面试中常见的问题", "# 实习面经") or is a cheat sheet (_SHEET).
    Read from the lines alone, so both halves of a big note (_in_halves: the cut is after
    its second heading) read it the same."""
    seen, titled = [], False
    for ln in lines[:300]:
        if ln[:1] == "#" and blockscan.heading(ln) is not None:
            opens = not any(x.strip() for x in seen)  # (nothing but blank lines before it)
            if titled or not (ln.startswith("# ") or opens):
                break
            titled = True
        seen.append(ln)
    return textnorm.read("\n".join(seen))


_ITEM_LINE = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+(\S.*)$")


def _continued_items(inline: Token, line: int) -> list[_Cand]:
    """Sub-items the parser folded into the item's text (a nested list that starts at 26 can
    not interrupt a paragraph): questions when most of them ask."""
    rest = inline.content.split("\n")[1:]
    found = [(k, m.group(1)) for k, ln in enumerate(rest, start=1)
             if (m := _ITEM_LINE.match(ln))]
    if len(found) < 1 or sum(textnorm.asks(t) for _, t in found) < 0.6 * len(found) \
            or len(found) < 0.5 * len(rest):
        return []
    return [_Cand(line + k, line + k + 1, textnorm.clean_question(_plain_line(t)))
            for k, t in found]


def _ends_in_answer_label(text: str) -> bool:
    """A paragraph whose last line is an answer's label alone (`**Answer:**`, `答：`)."""
    last = text.rsplit("\n", 1)[-1]
    m = textnorm.ANSWER_LABEL.match(last)
    return m is not None and not last[m.end():].strip(" *_:：")


def _follow_up_paragraphs(tokens: list[Token], a: int, b: int) -> list[_Cand]:
    """An asking item's later paragraphs, when each is one numbered line that asks and the
    item holds nothing else: follow-up questions, each a card of its own (`- 2-1. CNN에서
    컨볼루션과 풀링의 차이가 무엇인가요?` over `  2-2. 컨볼루션 계층을 자세히 설명해주세요`,
    `  2-3. …`), not the first one's answer. Unnumbered, they are its answer, asking or not
    (`Isn't it just an ensemble? Why would that help?`: the answer thinking aloud)."""
    level = tokens[a + 1].level
    found: list[_Cand] = []
    for k in range(a + 4, b):
        t = tokens[k]
        if t.level != level or t.type == "paragraph_close":
            continue
        if t.type != "paragraph_open" or not t.map:
            return []  # (a list, code, a quote: an answer)
        text = tokens[k + 1].content
        if "\n" in text or not textnorm.asks(text) or textnorm.strip_numbering(text) == text:
            return []
        found.append(_Cand(t.map[0], t.map[0] + 1, textnorm.clean_question(_plain_line(text))))
    return found


def _item_head(tokens: list[Token], a: int) -> str | None:
    """The first line of a list item's first paragraph. (Or of a heading underlined there:
    `+ On what …?` over `  -`, an empty sub-item, is such a heading to CommonMark.)"""
    if a + 2 < len(tokens) and (tokens[a + 1].type == "paragraph_open" or (
            tokens[a + 1].type == "heading_open" and tokens[a + 1].markup in ("-", "="))):
        return _unlinked(tokens[a + 2].content.split("\n")[0])
    return None


def _unlinked(head: str) -> str:
    """An item's first line; of one that is all a link, to where its question was asked or
    answered, the link's text (`1. [F矩阵…有什么关联性。](https://…)` was cut at its `。`, `-
    [SVM的推导？][zzz]` kept its brackets, and a list of them asked nothing: fault hunt 42).
    Not a link to a heading of the note: a contents list's."""
    if head[:1] == "[" and (m := _WHOLE_LINK.fullmatch(head.strip())):
        return m.group(1).strip()
    return head


# A line that is all one link: `[text](address)` (not `(#heading)`) or `[text][label]`
_WHOLE_LINK = re.compile(r"\[([^\[\]\n]+)\](?:\((?!#)[^()\s]*\)|\[[^\[\]\n]+\])")


def _term_definition(text: str) -> bool:
    """`**Term**: what it is`, `Scene classification - Is it sunny?`, `"What season is
    this?" …` — a glossary line or an example, not a question."""
    m = re.match(r"^\s*(\*\*|__)[^*_]+\1\s*[:：\-–—]", text)
    if m:  # (a bold label over a question it asks, `**过拟合**：遇到过哪些…？`: a question)
        return not re.search(r"[?？]", text[m.end():])
    if re.match(r'^\s*["“「]', text):
        return True
    # (not the colon of a link's address: `How tensors are [stored](https://…)` asks)
    m = re.match(r"^\s*([^?？:：]{2,40}?)(?:\s[-–—]+\s|[:：](?!//)\s*)\S", text)
    return bool(m and (len(m.group(1).split()) >= 2 or re.search(r"[\u4e00-\u9fff]", m.group(1)))
                and not _Q_LABEL.match(text))


# (what it holds cannot run past another `<summary`: many unclosed ones on a line were each
# scanned to its end)
_SUMMARY = re.compile(r"<summary\b[^>]*+>((?:(?!<summary\b).)*?)</summary\s*>", re.IGNORECASE)
_DETAILS_TAG = re.compile(r"^\s*(?:</?details\b[^>]*>\s*)+$", re.IGNORECASE)
_DETAILS_TAGS = re.compile(r"</?details\b[^>]*>", re.IGNORECASE)


def _answer_folds(tokens: list[Token], lines: list[str]) -> list[tuple[int, int]]:
    """(summary line, `</details>` line) of each `<details>` among `tokens` that folds away
    the answer of what is above it (`<summary>Answer</summary>`)."""
    out = []
    for t in tokens:
        if t.type != "html_block" or not t.map or "<summary" not in t.content.lower():
            continue
        for k, ln in enumerate(t.content.split("\n")):
            m = _SUMMARY.search(ln)
            if m is None:
                continue
            inner = html.unescape(re.sub(r"<[^>]*>", "", m.group(1))).strip()
            if _ANSWER_SUMMARY.fullmatch(textnorm.key(inner)) or textnorm.ANSWER_LABEL.match(inner):
                at = t.map[0] + k
                out.append((at, _details_end(lines, at)))
    return out


def _details_end(lines: list[str], start: int) -> int:
    """The line of the first `</details>` from `start` on (the end of the note: none)."""
    return next((k for k in range(start, len(lines)) if "</details" in lines[k].lower()),
                len(lines))


def _outside_asked_folds(found: list[_Cand], cands: list[_Cand], lines: list[str]
                         ) -> list[_Cand]:
    """`found` but those inside a `<details>` block whose summary (one of `cands`) asks."""
    spans = [(c.line, _details_end(lines, c.line))
             for c in cands if c.details and textnorm.asks(c.question)]
    return [c for c in found if not any(a < c.line <= b for a, b in spans)]


def _inside_folds(cands: list[_Cand], lines: list[str]) -> list[_Cand]:
    """Under a `<details>` summary that names a topic, bold lines that do not ask, up to its
    `</details>`, are parts of its answer (`**PPO 的核心**`), not cards of their own."""
    out, end = [], -1
    for c in cands:
        if c.details:
            end = _details_end(lines, c.line)
        elif c.bold and c.line < end and not textnorm.asks(c.question):
            continue
        out.append(c)
    return out


def _summaries(t: Token, topics: bool = False) -> list[_Cand]:
    """Questions as `<details><summary>What is …?</summary> answer </details>` (the FAQ
    style of GitHub READMEs): a summary that asks or is numbered (not "Answer" or "Click to
    expand", which fold away the answer of the question above them); with `topics` (a section
    of such blocks), one that names a topic too (`强化学习的两种优化方法`), as a heading would,
    but for one that names what it folds (`Code`, `输出`)."""
    out = []
    for k, ln in enumerate(t.content.split("\n")):
        m = _SUMMARY.search(ln)
        if m is None:
            continue
        inner = html.unescape(re.sub(r"<[^>]*>", "", m.group(1))).strip()
        numbered = textnorm.strip_numbering(inner) != inner
        named = topics and len(inner) <= 80 and re.search(r"[^\W\d_]", inner) is not None and \
            not _FOLDED.fullmatch(textnorm.key(inner)) and not textnorm.junk_heading(inner)
        if inner and (textnorm.asks(inner) or numbered or named) and \
                not textnorm.ANSWER_LABEL.match(inner) and \
                not _ANSWER_SUMMARY.fullmatch(textnorm.key(inner)):  # (`Show answer`)
            line = t.map[0] + k
            out.append(_Cand(line, line + 1, textnorm.clean_question(_plain_line(inner)),
                             details=True))
    return out


# A `<details>` summary that names what it folds away, no topic (as `key` writes it)
_FOLDED = re.compile(r"(?:the|full|完整的?|查看)?(?:code|源?代码|output|输出|结果|results?|examples?|示例|"
                     r"例子|details?|详情|详细|more|更多|images?|图片?|截图|screenshots?|logs?|日志|"
                     r"hint|提示|notes?|备注|show|hide|toggle|click|点击|expand|collapse|折叠)")
# A `<details>` summary that folds away the answer of what is above it (as `key` writes it)
_ANSWER_SUMMARY = re.compile(r"(?:点击)?(?:查看|展开|显示)?(?:参考)?(?:答案|解答|解析|回答|答え|正解)"
                             r"(?:与?解析)?|정답|답변?|해설|풀이|"
                             r"(?:click(?:here)?to)?(?:see|show|reveal|view|expand)?(?:the)?"
                             r"(?:answers?|solutions?|explanation)|clicktoexpand|点击展开|展开")
# (and a line of only emphasis tags, `<i>` over the answer, `</i>` under it: fault hunt 42)
_DIV_LINE = re.compile(r"^\s*(?:</?(?:div|p|details|i|em|b|strong|span)\b[^>]*>\s*)+$",
                       re.IGNORECASE)


def _details_answer(text: str) -> tuple[str, str] | None:
    """(what is above it, the answer) for a section whose answer is folded away in a
    `<details>` block summarised `答案` or `Answer`, without the block's tags (empty where
    the block is); else None."""
    lines = text.split("\n")
    for k, ln in enumerate(lines):
        if "<details" not in ln.lower():
            continue
        at = k if "<summary" in ln.lower() else k + 1
        m = _SUMMARY.search(lines[at]) if at < len(lines) else None
        if m is None or not _ANSWER_SUMMARY.fullmatch(
                textnorm.key(html.unescape(re.sub(r"<[^>]*>", "", m.group(1))))):
            return None
        rest = [lines[at][m.end():]] + lines[at + 1:]
        # (the block's lines, indented inside it: at the margin)
        end = next((j for j, ln in enumerate(rest) if "</details" in ln.lower()), len(rest))
        rest = textwrap.dedent("\n".join(rest[:end])).split("\n") + rest[end:]
        # (and a `</details>` at the end of a line of text: fault hunt 36's, notefile's for
        # an admonition's answer)
        inside = _tidy([_CLOSING_TAG.sub("", ln) if "</" in ln else ln
                        for ln in rest if not _DIV_LINE.match(ln)])
        # (an empty one too: nothing folded away yet, not its tags as the answer: fault
        # hunt 42)
        return _tidy(lines[:k]), inside
    return None


_CLOSING_TAG = re.compile(r"\s*</details\s*>\s*$", re.IGNORECASE)
_NOT_PROSE = re.compile(r"[=;{}]|^\s*(?:#include|//|/\*|>>>|\$ )")
_LABEL_LINE = re.compile(r"^\s*(?:【[^】]*】|\[[^\]]*\])\s*$")


def _question_block(t: Token) -> bool:
    """An indented block (four spaces or a tab, read as code) that is a bank of questions, one
    a line: three or more lines, a third of them asking, none that looks like code."""
    qs = [ln for ln in t.content.split("\n") if ln.strip() and not _LABEL_LINE.match(ln)]
    return (len(qs) >= 3 and sum(map(textnorm.asks, qs)) * 3 >= len(qs)
            and not any(_CODE_LINE.match(ln) or _NOT_PROSE.search(ln) or len(ln) > 150
                        for ln in qs))


def _bank_block(t: Token) -> list[_Cand] | None:
    """In a note of interview questions, an indented block right under a heading (a company's,
    a round's): the topics asked, one a line at its margin, asking or not (`快排`,
    `mm_detection`, `堆和栈的区别`, each on a tabbed line); a line indented deeper is the answer
    of the one above it, and from a line that looks like code on (`x = 1`, `SELECT …`, `gzip
    $f`) the rest is the answer of the last one. None when its first line looks like code or
    a line is longer than a topic's (a block of code, or of prose)."""
    out: list[_Cand] = []
    for k, ln in enumerate(t.content.split("\n")):
        if not ln.strip() or ln[0] in " \t":
            continue  # (deeper: the answer of the question above)
        if _CODE_LINE.match(ln) or _NOT_PROSE.search(ln) or _CODE_WORDS.search(ln):
            if not any(not c.skip for c in out):
                return None
            break
        if len(ln.strip()) > 60:
            return None
        out.append(_block_line(t, k, ln))
    return out if any(not c.skip for c in out) else None


# What marks a line of code that _CODE_LINE and _NOT_PROSE do not: a call (`count(*)`), a
# shell variable (`$f`), a shell keyword alone, SQL's keywords
_CODE_WORDS = re.compile(r"[A-Za-z_]\(|\$\w|^\s*(?:do|done|then|fi|esac|else|end)\s*$|"
                         r"\b(?:SELECT|FROM|WHERE|GROUP BY|ORDER BY|INSERT INTO|UPDATE)\b")


def _block_questions(t: Token) -> list[_Cand]:
    """A card per line of such a block; a `【检测】` label line is only a boundary, and so is
    an interview's formality (`项目介绍`, `聊实习`: reported)."""
    return [_block_line(t, k, ln) for k, ln in enumerate(t.content.split("\n")) if ln.strip()]


def _block_line(t: Token, k: int, ln: str) -> _Cand:
    """Line k of an indented block of questions, `ln`: its question; a label line or an
    interview's formality only a boundary (the formality reported)."""
    line = t.map[0] + k
    label = bool(_LABEL_LINE.match(ln))
    formal = not label and textnorm.formality(ln)
    return _Cand(line, line + 1, "" if label else textnorm.clean_question(ln),
                 skip=label or formal, block=True, why=_FORMAL if formal else "")


# A fence of plain text, no code: what a 面经 may put its rounds' questions in
_TEXT_FENCE = ("", "text", "txt", "plain", "plaintext", "markdown", "md")
_NUMBERED_LINE = re.compile(r"^\s*+(?:\d{1,3}\s*+[、.．)）]|[(（]\s*+\d{1,3}\s*+[)）])\s*+"
                            r"(?=\S)(?!和|与|或|及)")  # (not `(1) 和 (2) 两种方案怎么选`)
# a line of code (_CODE_LINE's statements, and these), its maths (`$\sqrt{d_k}$`) left out
_CODE_MARKS = re.compile(r";\s*$|^\s*[{}]\s*$|^\s*(?:#include|//|/\*|>>>|\$ )")
_MATHS = re.compile(r"\$[^$\n]+\$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# where a post was copied from (`作者：…`, `链接：https://…`, `来源：牛客网`): a label
_ATTRIBUTION = re.compile(r"^\s*(?:作者|链接|来源|出处|原文|author|source|link)\s*[:：]",
                          re.IGNORECASE)


def _code_line(line: str) -> bool:
    """Whether a line of a plain fence is code (a call, `O(1)`, `softmax(x)`, in a line of
    Chinese or one that asks is no code)."""
    ln = _MATHS.sub(" ", line)
    return bool(_CODE_LINE.match(ln) or _CODE_MARKS.search(ln) or (
        _CODE_WORDS.search(ln) and not _CJK.search(ln) and "?" not in ln))


def _fenced_questions(t: Token, lines: list[str], after: Iterable[Token] = (),
                      in_round: bool = True) -> list[_Cand]:
    """In a note of questions, a fence of plain text that lists a round's questions (a 面经
    pasted from a forum: `1、双目立体匹配，哪些方案` …, under labels `基础：`, `slam相关：`): a
    card a numbered line, or an unnumbered one that asks (_fence_line); a label is a boundary;
    a line indented under a question, or labelled `答：`, or any after the first question, is
    its answer; a line before the first is named; an interview's formality (`1、自我介绍`) is
    skipped and reported. A fence of code right `after` it is the answer of the one question
    that asks for code (`3、手写 NMS` over ```python …```), or else named as text after it.
    Nothing when the fence holds code, or fewer than two questions, or more text lines than
    questions, or (but right under a round's name, `二面`) none that asks or is a formality:
    steps, a poem, a program's output. (Nor is a fence right after a question its questions:
    its answer, _candidates.)"""
    if t.info.strip().lower() not in _TEXT_FENCE or not t.map:
        return []
    rows = [(k, ln) for k, ln in enumerate(t.content.split("\n")) if ln.strip()]
    if any(not _ATTRIBUTION.match(ln) and (len(ln) > 150 or _code_line(ln)) for _, ln in rows):
        return []
    kinds = [_fence_line(ln) for _, ln in rows]
    # (numbered, or asking: `Q、什么是卡尔曼滤波？` over `A、…`, or no label at all)
    asking = [ln for (_, ln), kind in zip(rows, kinds) if kind in ("numbered", "asks")]
    if len(asking) < 2 or len(asking) < kinds.count("text") or not (
            in_round or any(textnorm.asks(ln) or textnorm.formality(ln) for ln in asking)):
        return []
    # (the opening fence is no text of what comes before it)
    out: list[_Cand] = [_Cand(t.map[0], t.map[0], "", skip=True)]
    begun = False  # (a question seen: what is no question or label is its answer)
    for (k, ln), kind in zip(rows, kinds):
        line = t.map[0] + 1 + k
        if kind in ("numbered", "asks"):
            # (its number off first: `2、3、5、7 为什么是质数？` asks of 3, 5 and 7)
            m = _NUMBERED_LINE.match(ln)
            q = textnorm.clean_question(ln[m.end():] if m else ln)
            formal = textnorm.formality(ln) or textnorm.formality(q)
            out.append(_Cand(line, line + 1, q, skip=formal, block=True,
                             why=_FORMAL if formal else ""))
            begun = True
        elif kind == "label":
            out.append(_Cand(line, line + 1, "", skip=True))
        elif not begun:  # (a line before the first question: a label, or named)
            tells = len(ln.strip()) > 12 or bool(_SAYS.search(ln.strip()))
            out.append(_Cand(line, line + 1, ln.strip()[:60] if tells else "", skip=True,
                             why="text in a fence of questions, before the first" if tells
                             else ""))
    # (the closing fence is no answer of the last one; what follows, but code for a question
    # or a round's name (`二面`) over the next fence, is named in the summary)
    end = t.map[1]
    code = list(takewhile(
        lambda c: c.type == "fence" and c.map and (c.info.strip().lower() not in _TEXT_FENCE
                                                   or any(map(_code_line, c.content.split("\n")))),
        after))
    # (the code's question: the one task for code among them, `1. 手写快排` before `3. 多目标
    # 怎么融合？`; none, or several: it stays apart)
    coding = [c for c in out if c.question and not c.skip and _CODE_TASK.search(c.question)]
    after_code = end
    if code and len(coding) == 1 and not any(ln.strip() for ln in lines[end:code[0].map[0]]):
        to = coding[0]
        stop = next((c.line for c in out if c.line > to.line), end - 1)
        inside = _answer(lines, to.answer_from, stop, [])
        to.answer = _tidy([inside, ""] + lines[code[0].map[0]:code[-1].map[1]])
        after_code = code[-1].map[1]
    out.append(_Cand(end - 1, after_code, "", skip=True, ends="a fence of questions"))
    return out


# A question that asks for code: `手写快排`, `手撕 NMS`, `实现 LRU`, `写代码`, `Implement …`
_CODE_TASK = re.compile(r"^\s*(?:手写|手撕|手推代码|实现|编写|用\w{1,10}实现)|写.{0,4}代码|代码题|"
                        r"编程题|^\s*implement\b|\bwrite (?:a |the |some )?(?:code|function|"
                        r"program|class)", re.IGNORECASE)


# Words: two with a space between, or Chinese
_WORDS = re.compile(r"[^\W\d_][^\s:]*\s+[^\W\d_]|[\u4e00-\u9fff]")
# A one-line card of Obsidian's plugin: `front::back` (or `:::` both ways)
_ONE_LINE_CARD = re.compile(r"^\s*([^:`\n]{2,300}?)\s*:{2,3}\s*([^:\s][^\n]*)$")


def _flipped(inline: Token, t: Token) -> list[_Cand]:
    """A flashcard written for Obsidian's spaced-repetition plugin: the question, a line `?`
    (or `??`, both ways), then the answer (`What is the purpose of loss functions?` / `?` /
    `Loss functions measure …`). The answer runs on as any question's does."""
    if not t.map or ("?" not in inline.content and "::" not in inline.content):
        return []
    rows = inline.content.split("\n")
    top = t.map[0]
    cards = [(k, m) for k, r in enumerate(rows) if "::" in r and (m := _ONE_LINE_CARD.match(r))]
    if cards and cards[0][0] == 0 and 2 * len(cards) > len(rows) and all(
            _WORDS.search(m.group(1)) for _, m in cards):
        # (`Capital of France::Paris`, one a line: each its own card, the lines under one
        # more of its answer; a front of words, not code or a time: `std::map`, `Vec::new()`,
        # `fe80::1`, `10::30`, `map :: (a -> b)`)
        out = []
        for k, m in cards:
            q = textnorm.clean_question(_plain_line(m.group(1)))
            if q:
                out.append(_Cand(top + k, top + k + 1, q, answer=m.group(2).strip(), flip=True))
        return out
    marks = [k for k, ln in enumerate(rows) if ln.strip() in ("?", "??")]
    if not marks or marks[0] == 0:  # (`### What is attention` over `?`: the heading's)
        return []
    if len(marks) == 1:
        q = textnorm.clean_question(_plain_line(" ".join(r.strip() for r in rows[:marks[0]])))
        return [_Cand(top, top + marks[0] + 1, q)] if q else []
    # (cards with no blank line between them: each question the line over its `?`)
    out = []
    for k in marks:
        q = textnorm.clean_question(_plain_line(rows[k - 1])) if k > 0 else ""
        if q:
            out.append(_Cand(top + k - 1, top + k + 1, q))
    return out


# A log line that opens with a word a question may open with (`Write 1024 bytes to disk`)
_LOGGED = re.compile(r"\s*write\b(?!\s+(?:a|an|the|some|code|down)\b)", re.IGNORECASE)


def _asks_before(tokens: list[Token], blocks: list[tuple[int, int]], n: int) -> bool:
    """Whether block n follows one whose last line asks (`1. 手写 NMS 的步骤？` over a fence:
    the fence is its answer)."""
    if n == 0:
        return False
    i, e = blocks[n - 1]
    inline = [x for x in tokens[i:e] if x.type == "inline"]
    last = inline[-1].content.rstrip().rsplit("\n", 1)[-1] if inline else ""
    return bool(last) and textnorm.asks(last)


def _round_before(tokens: list[Token], blocks: list[tuple[int, int]], n: int) -> bool:
    """Whether block n follows a paragraph that names an interview round (`二面`)."""
    if n == 0 or tokens[blocks[n - 1][0]].type != "paragraph_open":
        return False
    return textnorm.is_round(tokens[blocks[n - 1][0] + 1].content.strip())


def _fence_line(ln: str) -> str:
    """What a line of a fence of questions is: "numbered", "asks" (not numbered, at the
    margin), "label" (`基础：`, `【检测】`, `来源：牛客网`), "answer" (indented, or `答：…`), or
    "text"."""
    if _NUMBERED_LINE.match(ln):
        return "numbered"
    if _ATTRIBUTION.match(ln) or _LABEL_LINE.match(ln) or ln.rstrip().endswith((":", "：")):
        return "label"
    if ln[:1] in " \t" or textnorm.ANSWER_LABEL.match(ln):
        return "answer"
    # (a line that asks as a question does: labelled `Q、`, ending with its mark, or short
    # and no sentence; not prose that says `比较` somewhere)
    t = ln.strip()
    return "asks" if _Q_LABEL.match(t) or t.endswith(("?", "？")) or not _LOGGED.match(t) and (
        (len(t) <= 120 and (textnorm.opens_a_question(t) or bool(_TASK_START.match(t)))) or (
            len(t) <= 30 and not t.endswith(("。", ".")) and textnorm.asks(t))) else "text"


_Q_HEADER = re.compile(r"问题|题目|question|问$", re.IGNORECASE)
_A_HEADER = re.compile(r"答案|解答|回答|answer", re.IGNORECASE)
# (a column that answers under another name, where none is named so: `| Question | Key Points |`)
_A_HEADER_ELSE = re.compile(r"key ?points?|explanation|要点|解析|解释", re.IGNORECASE)
# a question written in quotes in its cell, as it would be said: `"Why not just use SFT?"`
_QUOTED = re.compile(r'^(["“「])(.+)(["”」])$')


def _table(tokens: list[Token]) -> list[_Cand]:
    """A question bank in a table: a card per row of its question column."""
    rows = _table_rows(tokens)
    top = tokens[0].map[0]
    header = rows[0][1] if rows and rows[0][0] == top else []
    qcol = next((k for k, h in enumerate(header) if _Q_HEADER.search(h)), None)
    if qcol is None:
        return []
    acol = next((k for k, h in enumerate(header) if _A_HEADER.search(h)), None)
    if acol is None:
        acol = next((k for k, h in enumerate(header) if k != qcol and _A_HEADER_ELSE.search(h)),
                    None)
    if acol is None and len(header) >= 3 and not any(
            qcol < len(row) and textnorm.asks(_plain_line(row[qcol]))
            for start, row in rows if start != top):
        # (`| 问题 | 原因 | 解决方案 |` over `| 梯度消失 | … |`: the problems a summary compares,
        # no question asked and none answered; they were prompts: fault hunt 43)
        return []
    out: list[_Cand] = [_Cand(top, top, "", skip=True)]  # the table is not its heading's text
    for start, row in rows:
        if start != top and qcol < len(row):
            q = textnorm.clean_question(_plain_line(row[qcol]))
            if (m := _QUOTED.match(q)) and '"“「'.index(m.group(1)) == '"”」'.index(m.group(3)) \
                    and not re.search(r'["“”「」]', m.group(2)):
                q = m.group(2).strip()
            if q:
                answer = row[acol] if acol is not None and acol < len(row) else ""
                out.append(_Cand(start, start + 1, q, answer=re.sub(r"<br\s*/?>", "\n", answer),
                                 table=True))
    end = tokens[0].map[1]
    # (rows do not take what follows)
    out.append(_Cand(end, end, "", skip=True, ends="a question table"))
    return out


def _table_rows(tokens: list[Token]) -> list[tuple[int, list[str]]]:
    """(line, cells) of each row of a table's tokens, its header first."""
    rows, row, start = [], [], 0
    for t in tokens:
        if t.type == "tr_open":
            row, start = [], t.map[0] if t.map else start
        elif t.type == "inline":
            row.append(t.content.strip())
        elif t.type == "tr_close":
            rows.append((start, row))
    return rows


def _concept_table(tokens: list[Token]) -> list[_Cand]:
    """A cheat sheet's table of concepts, the last block under a heading that does not ask
    (but for rules, `---`): two or more rows, each a short term in its first cell and what is
    said of it in the others (`| ReLU | max(0, x) | Fast, prevents saturation |`): a card per
    row, the term the question, the other cells its answer (each after its column's name
    where there are several). (Held-out set 90: a table of nine metrics was one card, the
    heading's.)"""
    rows = _table_rows(tokens)
    if len(rows) < 3:
        return []
    header, body = rows[0][1], rows[1:]
    width = len(header)
    terms = [_plain_line(r[0]) if r else "" for _, r in body]
    if not 2 <= width <= 6 or any(
            len(r) != width or not any(r[1:]) for _, r in body) or any(
            not t or len(t) > 60 or not re.search(r"[^\W\d_]", t)
            or t.rstrip()[-1] in ".。!！?？:：;；," for t in terms) or \
            len({t.casefold() for t in terms}) < len(terms):
        return []
    names = [_plain_line(h) for h in header]
    top, end = tokens[0].map[0], tokens[0].map[1]
    out = [_Cand(top, top, "", skip=True)]  # (the table is not its heading's text)
    for (line, cells), term in zip(body, terms):
        said = [re.sub(r"<br\s*/?>", "\n", c) for c in cells[1:]]
        answer = said[0] if width == 2 else "\n".join(
            f"{name}: {c}" if name else c for name, c in zip(names[1:], said) if c)
        out.append(_Cand(line, line + 1, textnorm.clean_question(term), answer=answer,
                         table=True))
    return out + [_Cand(end, end, "", skip=True)]


# --- sections ---------------------------------------------------------------------------

def _section(h: _Heading, is_title: bool, lines: list[str], body: list[Token], path: list[str],
             topics: list[str], drop: list[tuple[int, int]], drafts: list[Draft],
             skipped: list[Skipped], unsure: list[Skipped]) -> None:
    why = textnorm.junk_heading(h.title) or _in_an_introduction(h)
    if not why and h.in_round and textnorm.key(textnorm.strip_numbering(h.title)) in ("qa",
                                                                                        "qanda"):
        why = "the questions at a round's end (yours, or about the job): no card"
    company = ((not h.has_body and _before_round(h) and not _a_detail(h))
               or textnorm.names_a_diary(h.title) or textnorm.names_a_company(h.title)
               or textnorm.names_a_position(h.title))
    asked_here = None  # (under a summary: only the questions it labels, `- **Q: …?**`)
    if why and not textnorm.is_round(h.title) and not is_title:
        asked_here = _labelled_in(lines, h.body) if not textnorm.formality(h.title) else set()
        if len(asked_here) < 2:
            # (a note titled "Notes" or "Summary" is still read for its questions)
            skipped.append(Skipped(h.line + 1, h.title, why))
            return
    where = path + [h.title]
    label = textnorm.is_label_only(h.title) or h.asked_below
    kids = [c for c in h.children if c.topic_parent is h]
    glossary = _glossary(h.title, body, lines) or _vocabulary(h.title, body, lines)
    if glossary:
        cands, qa_drafts, after = glossary, [], False
    elif h.whole or (not h.qlist and not label and _asks_nothing(body, h.bank)):
        # (what the calls below give such a body, found faster)
        cands, qa_drafts, after = [], [], False
    else:
        asks = textnorm.asks(h.title)
        cands = _fence_titles(_candidates(body, lines, h.qlist, h.in_round, topic=not asks,
                                          glossary=not (asks or _numbered_in_bank(h)),
                                          # (a title's own list over the sections of
                                          # questions is its introduction: `* Feel free to
                                          # add more questions.`)
                                          bank=h.bank and not (is_title and bool(h.children)),
                                          scene=_scene(h.title),
                                          terms_alone=_in_a_glossary(h), sheet=h.sheet),
                              h.body[1], drop)
        if asks and not (h.qlist or h.in_round or h.diary):
            # under a question, the items of a list nested in its answer are its points, asking
            # or not (`* Is it too large?` over `* could a smaller backbone do?`, `* Add …`)
            nested = {t.map[0] for t in body if t.type == "list_item_open" and t.level >= 3
                      and t.map}
            # (but one that carries its own answer, a follow-up and what was said to it:
            # `- CLIP 的局限？（答：对细粒度分类不擅长）` under `**追问点**`)
            cands = [c for c in cands if not (c.item and (not c.answer and (c.line in nested or (
                not re.search(r"[?？]", c.question) and len(c.question.split()) >= 12))
                or _A_POINT_END.search(lines[c.line])))]
            # and so are the items of a list its answer leads into with a colon, after some
            # text of its own (`Now, your boss asks you three questions:` over `* What percent
            # …?` / `You answer: …`: the answer's worked example; fault hunt 43)
            led = _led_into(body)
            if led:
                cands = [c for c in cands if not (c.item and c.line in led)]
            # (and so is a paragraph that opens with `**Problem:**`, unnumbered: the part of
            # its answer that says what goes wrong, as `**Solutions:**` after it says what to
            # do, no exercise's question; it took the answer, the card left a prompt: fault
            # hunt 44)
            cands = [c for c in cands if not _PART_PROBLEM.match(lines[c.line])]
            # (and a bold `**Why?**` there, a question word alone: the part of its answer that
            # says why, no question of its own; it was a card `Why?`, fault hunt 44)
            cands = [c for c in cands if not (c.bold and _WORD_ALONE.fullmatch(c.question))]
        # (glossary terms after a bold question that asks, `**2.YOLOv1到v3的发展历程？**` over
        # `**YOLOv1**：…`, `**缺点**：…`: the parts of its answer, each a card before, fault
        # hunt 44)
        first = next((c.line for c in cands if c.bold and not c.term and not c.skip
                      and textnorm.asks(c.question)), None)
        if first is not None and any(c.term for c in cands):
            cands = [c for c in cands if not (c.term and c.line > first)]
        # (and those that ask only by comparing, `**对比说明**`, `**1) 结构对比**`: labels of
        # its answer's comparison)
        bold = [c for c in cands if c.bold and (not textnorm.asks(c.question)
                                                or textnorm.compares_only(c.question))]
        if asks and bold and not (h.qlist or h.in_round or h.diary):
            # (and so is a numbered bold line that asks among them, `**2) 为什么 Post-Norm 在深层
            # 网络不稳？**` between `**1) 结构对比**` and `**3) 训练表现与工程权衡**`: a point of
            # the same outline; it took the answer's rest, fault hunt 44)
            numbered = [c for c in cands if c.bold and _BOLD_NUMBERED.match(lines[c.line])]
            if any(c in bold for c in numbered) and len(numbered) >= 3:
                bold += [c for c in numbered if c not in bold]
        if asks and bold and not (h.qlist or _names(h.title, [c.question for c in bold])):
            # under a question, bold lines that do not ask (`**1. Sigmoid函数**`, `**特点**`)
            # are the parts of its answer, as its sub-headings are (_fold)
            cands = [c for c in cands if c not in bold]
        if label and (h.asked_below or not any(not c.skip for c in cands)):
            # (under `## Question` … `## Answer`, the bold terms of the answer are its own)
            cands = _labelled_question(body, textnorm.is_typed_label(h.title)) or cands
        alone = [c for c in cands if not c.skip]
        after = bool(alone) and _numbered_next(h.title, lines[alone[0].line])
        if not label and not kids and len(alone) == 1 and not (h.in_round or company) and \
                not _has_content(_tokens_in(body, (h.body[0], cands[0].line))) and \
                not (alone[0].item
                     and (h.diary or _over_its_question(h.title, alone[0].question))) and \
                not alone[0].block and \
                not after and not _q_under_topic(h.title, lines[alone[0].line]) and \
                not (alone[0].term and _INDEX_LETTER.fullmatch(h.title)) and \
                not alone[0].choices and not h.qlist and \
                not _Q_LABEL.match(lines[alone[0].line]):
            # one question alone under a heading does not split the section (but a round's
            # heading is never the card: one question asked there is; nor a 面经's company,
            # its one question on an indented line: _bank_block; nor a glossary's `### Q`
            # over its one term; nor a quiz's one question, `## 练习` over a multiple-choice
            # stem and its choices, `## Quiz` over `What is …?`: fault hunts 38, 39; nor one
            # labelled as the question, `**Q:** When …?` under `# PR Curve vs ROC`: fault hunt
            # 43)
            cands = []
        qa_drafts = _fence_cards(body, where, topics + [h.title])
    if asked_here:
        for c in cands:  # (the rest there is the summary's text: boundaries)
            c.skip = c.skip or c.line not in asked_here
        asked = [c for c in cands if not c.skip]
        # (and so is what follows the last one's item or paragraph: `Good luck!`)
        end = max((t.map[1] for t in body if asked and t.map and t.map[0] == asked[-1].line
                   and t.type in ("list_item_open", "paragraph_open")), default=h.body[1])
        if asked and end < h.body[1]:
            cands = sorted(cands + [_Cand(end, end, "", skip=True)], key=lambda c: c.line)
        qa_drafts = []
    start = cands[0].line if cands else h.body[1]
    lead = _answer(lines, h.body[0], start, drop, dedent=False)
    if ("**:" in lead or ":**" in lead) and _META_LINE.search(lead):
        # (`**Difficulty**: Medium | **Time**: 5 min` over the question or its answer: what
        # a question bank says of it, no text of either: fault hunt 43)
        lead = _tidy([ln for ln in lead.split("\n") if not _META_LINE.fullmatch(ln)])
    if "\n#" in "\n" + lead and _TAG_LINE.search(lead):
        # (a line of tags under a heading, `#flashcards/rag`, no text of its own: the heading
        # over it and its questions was a card of it, fault hunt 44)
        lead = _tidy([ln for ln in lead.split("\n")
                      if not (ln[:1] == "#" and _TAGS_ONLY.fullmatch(ln.rstrip()))])
    if cands and cands[0].details:  # (the first `<details>` line is no text of its own)
        lead = _tidy([ln for ln in lead.split("\n") if not _DETAILS_TAG.match(ln)])
    # (the lead's tokens one at a time: most leads have content in their first paragraph,
    # found without listing the rest; listed below only where a rule looks at them all)
    lead_span = (h.body[0], start)
    has_lead = _has_content(_each_token_in(body, lead_span), ignore_qa_fences=True) and \
        _text_has_content(lead)
    # a lead under a heading that does not ask may be an outline or links only (its tokens
    # listed for those rules only: most headings ask)
    topic = has_lead and not textnorm.asks(h.title)
    lead_tokens = _tokens_in(body, lead_span) if topic else []
    parts = [c for c in cands if not c.skip]
    is_title = is_title and bool(h.children or len(parts) >= 2)  # else: a one-question note
    stem = textnorm.clean_question(h.title)
    front = _in_context(stem, h.topic_parent)
    if why or company or is_title:
        if has_lead:  # a heading with nothing of its own under it is not worth a line
            reason = why or ("company heading of an interview diary" if company
                             else "the document's title and its introduction")
            if why and not (parts or h.children) and textnorm.is_round(h.title):
                reason = "an interview round in which no question was found: its text is in no card"
            skipped.append(Skipped(h.line + 1, h.title, reason))
    elif label and cands:
        pass  # "### Question 3": the bold paragraph under it is the question
    elif h.children and textnorm.is_level(h.title):
        # (`## Intermediate` over `### Non-Maximum Suppression (NMS)`: what it says of itself
        # introduces them)
        if has_lead:
            skipped.append(Skipped(h.line + 1, h.title, "a level of the questions under it"))
    elif _toc_list(lead):
        skipped.append(Skipped(h.line + 1, h.title, "table of contents"))
    elif not parts and (cands or (lead[:1] in "*_" and _EMPTY_ITEMS.search(lead))) and \
            _template(_answer(lines, h.body[0], h.body[1], drop, dedent=False)):
        skipped.append(Skipped(h.line + 1, h.title, "a template: labels over empty items"))
    elif topic and _outline(lead_tokens):
        skipped.append(Skipped(h.line + 1, h.title, "topic outline (a plan, no answers)"))
    elif topic and _links_only(lead_tokens):
        skipped.append(Skipped(h.line + 1, h.title, "only links to read elsewhere"))
    elif parts and "\n" not in lead.strip() and textnorm.is_question_list(lead.strip()):
        pass  # `Sample Questions` over the questions: a label of them, no answer of its own
    elif qa_drafts and not (has_lead or lead.strip() or parts or kids):
        # (`## Rapid-Fire Questions` over a fence of `Q:` / `A:` pairs and nothing else)
        skipped.append(Skipped(h.line + 1, h.title, "a category of the questions under it"))
    elif not (lead.strip() or parts or kids) and textnorm.is_question_list(h.title):
        skipped.append(Skipped(h.line + 1, h.title, "a list of questions with none in it yet"))
    elif has_lead and len(parts) >= 2 and h.qlist and not textnorm.asks(h.title) and \
            textnorm.is_question_list(h.title):
        # (`## Interview Questions` / `## 2 True or False (21 pts)` over what it asks of the
        # reader, `Answer all of them.`, and its questions: a category of them, no question;
        # with no text of its own, it lists them, as a container does)
        skipped.append(Skipped(h.line + 1, h.title,
                               "a list of questions: its introduction is in no card"))
    elif h.children and (_SUBTITLE.match(lead.strip()) or _OF_THE_QUESTIONS.match(
            lead.strip())) and not textnorm.asks(h.title) and \
            any(textnorm.asks(k.title) for k in h.children):
        # (`### 1 The Big Picture` over `*Essential ML theory, …*` and its questions' headings:
        # a category and what it covers, no question; or over a line that says what they
        # are, `These algorithms questions will test your grasp of the theory.`, fault
        # hunt 42)
        skipped.append(Skipped(h.line + 1, h.title, "a category of the questions under it"))
    elif not (has_lead or lead.strip() or parts or kids or after) and \
            _LINK_TITLE.match(lines[h.line]) and not textnorm.asks(h.title):
        # (`### 2. [机器学习面试题总结](https://…)` with nothing under it: a reading list)
        skipped.append(Skipped(h.line + 1, h.title, "only a link to read elsewhere"))
    elif _NUMBER_ONLY.fullmatch(h.title) and (has_lead or lead.strip() or not (
            parts or kids or after)) and not (
            (b := _BOLD_ONLY.match(lead.partition("\n")[0])) and textnorm.asks(b.group(2))):
        # (`# 14.` over an answer: its question not written yet; `## 1.` over `**What is
        # IoU?**` is that question's number, below)
        skipped.append(Skipped(h.line + 1, h.title, "heading has only its number: write the "
                               "question after it"))
    elif not (lead.strip() or parts or kids) and _a_detail(h):
        # (`## 时间：2021.3.4`, `## 结果：已挂`, `## 参考：https://…` in a diary: fault hunt 34)
        skipped.append(Skipped(h.line + 1, h.title, "a detail of the interview or of the note "
                               "(a time, a role, a result, a link): no question"))
    elif has_lead and parts and all(c.term for c in parts) and textnorm.names_a_glossary(h.title):
        # (`## 名词解释` over `下面是一些常用术语。` and its terms: no question of its own)
        skipped.append(Skipped(h.line + 1, h.title,
                               "a glossary's introduction: its terms are the cards"))
    elif has_lead or lead.strip() or not (parts or kids) or after:
        shown = _details_answer(lead) if has_lead and "<" in lead else None
        if shown is not None:
            asked, lead = shown
            # (`## Q4: Vanishing Gradient Problem`: numbered as a question, a topic all the
            # same; and under one that asks, `## Q2: Derive Linear Layer Backward`, the question
            # written out over the answer is the one asked)
            if asked and (not textnorm.asks(textnorm.clean_question(h.title))
                          or textnorm.numbered_question(h.title)):
                # `## Q1 决策树` over the question, its options and the answer folded away:
                # the question is what is asked (its heading a topic of it)
                front, stem = _choices_as_list(asked), textnorm.clean_question(asked)
            elif asked:
                lead = asked + "\n\n" + lead
        bold = _BOLD_ONLY.match(lead.partition("\n")[0]) \
            if lead[:2] in ("**", "__") and _scene(h.title) else None
        asked = _BOLD_ASKED.match(lead.partition("\n")[0]) \
            if lead[:2] in ("**", "__") and not (bold or parts) and not textnorm.asks(h.title) \
            else None
        if asked:
            # `## Supervised machine learning` over `**What is supervised machine learning? 👶**`
            # alone: that is the question (it was the answer's first line); the card keeps
            # the heading's id (`stem`): fault hunt 43
            front = textnorm.clean_question(_plain_line(asked.group(0).strip()))
            lead = _tidy(lead.split("\n")[1:])
            has_lead = has_lead and _text_has_content(lead)
        if bold and textnorm.asks(bold.group(2)):
            # `### Case 1: Accuracy dropped.` over `**How would you investigate?**`: the scene
            # and what it asks are the question (the card keeps the heading's id: `stem`)
            front = f"{front} {textnorm.clean_question(_plain_line(bold.group(2)))}"
            lead = _tidy(lead.split("\n")[1:])
            has_lead = has_lead and _text_has_content(lead)
        said = None if lead.strip() or parts or kids else _topic_said(h.title)
        if said is not None:
            # (a heading that is a topic and what it says of it, nothing under it: `##
            # 特征提取：数据特征决定了特征的上限` as a Logseq page's block becomes one, notefile.outline)
            stem = textnorm.clean_question(said[0])
            front, lead, has_lead = _in_context(stem, h.topic_parent), said[1], True
        kind = "qa" if has_lead else "prompt"
        if h.children and not has_lead and not parts and textnorm.asks(h.title):
            # a question over parts too long to fold into its answer (_fold), with only a
            # lead-in of its own (`总体结构如下：`): its answer lists them (no prompt: it is
            # answered, in its parts)
            kind = "qa"
            lead = _tidy([lead, ""] + [f"- {textnorm.clean_question(k.title)}"
                                       for k in h.children])
        drafts.append(Draft(front, _strip_label(lead), kind, h.line + 1, path, topics,
                            stem=stem))
    elif not glossary and _is_container(h, parts, kids, lines):
        h.container = True
        # (not a sub-heading that is no part of it: `### 参考` under `## 过拟合与欠拟合`)
        listed = [c.question for c in parts] + [textnorm.clean_question(k.title) for k in kids
                                                if not textnorm.junk_heading(k.title)]
        drafts.append(Draft(front, "\n".join(f"- {p}" for p in listed), "qa", h.line + 1,
                            path, topics, stem=stem))
    if cands:  # (_cand_drafts of no candidates: nothing)
        ctx = h if h.container or not (why or company or is_title or label) else None
        # (a label, `### 2. 填空题`, says what the question is, not what it is about: no tag)
        drafts.extend(_cand_drafts(cands, lines, h.body[1], drop, where,
                                   topics + ([] if label else [h.title]), ctx, skipped, unsure))
    drafts.extend(qa_drafts)


# What a note says of itself before its questions, as `key` writes it: its sub-headings are
# more of it (`## 📋 Introduction` over `### Who is this for?`: fault hunt 43)
_INTRODUCTION = re.compile(r"introduction|intro|aboutthis\w{0,12}|about|howtousethis\w{0,12}|"
                           r"howtouse|前言|引言|简介|说明|使用说明|使用方法|食用方法|关于本\w{0,6}")


# A question about the note itself, not its subject: `Who is this for?`, `How to use this guide`
_ABOUT_THE_NOTE = re.compile(r"\b(?:this|these)\s+(?:guides?|resources?|repo(?:sitory)?|books?|"
                             r"documents?|notes?|collections?|lists?|questions)\b|"
                             r"\bwho is (?:this|it) for\b|本(?:文|书|仓库|项目|笔记)", re.IGNORECASE)


def _in_an_introduction(h: _Heading) -> str | None:
    """Why a heading under the note's introduction is no question of its own (one that asks
    of the subject, `### What is MLOps?`, is one), or None."""
    p = h.parent
    while p is not None:  # (most headings: none above them, or a few)
        if _INTRODUCTION.fullmatch(textnorm.key(textnorm.strip_numbering(p.title))):
            if textnorm.asks(h.title) and not _ABOUT_THE_NOTE.search(h.title):
                return None
            return "part of the note's introduction (under a heading that introduces it)"
        p = p.parent
    return None


# An item that ends as a point of an answer does, with more to follow (`…3x3的MaxPool；`,
# `…当预测为1时候，`), or that asks and answers itself (`模型输出是什么？…三个头。`): under a
# question, its answer's (fault hunt 43)
_A_POINT_END = re.compile(r"[；;，,]\s*$|[?？]\s*\S[^?？]*[。；]\s*$")


def _led_into(body: list[Token]) -> set[int]:
    """The lines of the items of the lists in `body` (its top level) that a paragraph ending
    in a colon leads into, one that is not the body's first block."""
    out: set[int] = set()
    top = [k for k, t in enumerate(body) if t.level == 0 and t.nesting != -1 and t.map]
    for a, b in zip(top[1:], top[2:]):
        if body[a].type == "paragraph_open" and body[b].type in (
                "bullet_list_open", "ordered_list_open") and \
                _ENDS_A_LABEL.search(body[a + 1].content):
            end = _end(body, b)
            out.update(t.map[0] for t in body[b:end] if t.type == "list_item_open"
                       and t.level == 1 and t.map)
    return out


# A glossary's index letter as a heading: `### A`, `## B.`, `### C - D`
_INDEX_LETTER = re.compile(r"[A-Z][.:]?(?:\s*[-–—~]\s*[A-Z])?")


# A line of what a question bank says of a question, two or more `**Key**: value` separated
# by `|`: `**Difficulty:** 🟢 Easy | **Tags:** … | **Asked by:** Google`
# (in a quote too, its parts split by a full-width bar, and naming the round and date it was
# asked: `> **Company**: 淘天 ｜ **Round**: 算法岗一面 ｜ **Date**: …`, fault hunt 44)
_META_KEY = (r"\s*(?:\*\*|__)(?:difficulty|level|time|estimated time|tags?|topics?|category|"
             r"asked (?:by|at|in)|companies|company|frequency|importance|source|round|date|难度|"
             r"标签|频率|来源|公司|考察频率|分类|轮次|日期)\s*[:：]?\s*(?:\*\*|__)\s*[:：]?[^|｜\n]*?")
# (separated by `|`, or by commas; after the question's own number, `**2)**, **Topic:** …,
# **Level:** …`, where it heads the next question and was the last line of the answer above)
_META_LINE = re.compile(rf"(?:\s*>)?(?:\s*(?:\*\*|__)?\d{{1,3}}[).](?:\*\*|__)?\s*[,，]?)?"
                        rf"{_META_KEY}(?:\s*[|｜,，]{_META_KEY})+\s*", re.IGNORECASE)


def _in_a_glossary(h: _Heading) -> bool:
    """A section of a glossary: under an index letter, or under a heading that says it is one
    (`# 📖 Deep Learning Glossary` over `### A`), itself or above it."""
    if _INDEX_LETTER.fullmatch(h.title):
        return True
    p: _Heading | None = h
    while p is not None:
        if textnorm.names_a_glossary(p.title):
            return True
        p = p.parent
    return False


# A heading that gives a detail of an interview or of the note, and nothing under it
_DETAIL_HEADING = re.compile(r"\s*(?:时间|日期|结果|岗位|职位|部门|地点|状态|面试官|轮次|时长|薪资|参考|链接|来源|出处|"
                             r"date|time|result|position|role|team|location|status|duration|"
                             r"salary|source|link|reference)s?\s*[:：]", re.IGNORECASE)
def _a_detail(h: _Heading) -> bool:
    """A heading that gives a detail of an interview or of the note (_DETAIL_HEADING): in a
    note of interviews, or what it says a date or a link (not a definition, `## Time: the
    fourth dimension`, `## 结果：模型输出每个类别的概率`: fault hunt 35)."""
    m = _DETAIL_HEADING.match(h.title)
    if m is None:
        return False
    said = h.title[m.end():].strip()
    return h.bank or h.in_round or bool(_DATE_OR_LINK.fullmatch(said))


_DATE_OR_LINK = re.compile(r"\d{2,4}(?:[-./年]\d{1,2}){1,2}日?|<?https?://\S+>?|\[[^\]]*\]\([^)]*\)")
# A topic and what is said of it, on one line: `CIFAR-10：10类标签，50000个训练数据`
_TOPIC_SAID = re.compile(r"([^:：?？]{1,20}?)\s*[:：]\s*(\S.*)")


def _topic_said(title: str) -> tuple[str, str] | None:
    """(topic, what it says) of a heading that is both and asks nothing, else None (not a
    label's, `Q1：…`, `答：…`, nor an address's `https://…`; nor a numbered heading's, a
    chapter's title, `### 8.5.3 NMS：Soft NMS/ Polygon NMS/ …` in an outline of those to
    write)."""
    if textnorm.strip_numbering(title) != title:
        return None
    m = _TOPIC_SAID.fullmatch(title)
    if m is None or m.group(2).startswith("//") or not re.search(r"[^\W\d_]", m.group(1)) or \
            textnorm.asks(title) or _Q_LABEL.match(title) or textnorm.ANSWER_LABEL.match(title) \
            or textnorm.is_label_only(m.group(1)) or not _says_something(m.group(2)):
        return None
    return m.group(1), m.group(2)


# A glossary item whose term is not in bold (under a glossary heading only): `- 召回率：又叫查全率`,
# `- <font color="#9bbb59">FP</font>：False Positive` (held-out set 100); as _GLOSSARY_ITEM's groups
_PLAIN_TERM_ITEM = re.compile(r"^\s*+(?:[-*+]|\d{1,3}[.)])\s++()(?:<font[^>\n]*>)?"
                              r"([^:：*<>\n]{1,30}?)(?:</font>)?()\s*[:：]\s*(?=\S)")
# A glossary item: `- **MSE** (Mean Squared Error): Expected squared error`
_GLOSSARY_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(\*\*|__)([^*_\n]{1,60}?)\1"
                            r"(\s*[(（][^)）\n]{1,60}[)）])?(?:\s*(?:[:：]|\s[-–—]+\s)\s*(?=\S)|"
                            r"\s*[:：]?\s*$)")  # (or the term alone, its definition below it)


def _glossary(title: str, body: list[Token], lines: list[str]) -> list[_Cand]:
    """Under a glossary heading, a list of bold terms each with its definition: a card per
    term (with what its brackets say), the definition its answer. (Held-out set 49: `##
    Key Terms` over `- **MSE** (Mean Squared Error): …` was one card `Key Terms`.)"""
    first = lines[body[0].map[0]] if body and body[0].map else ""
    bold = "**" in first or "__" in first
    if not bold and not (body and body[0].type in ("bullet_list_open", "ordered_list_open")
                         or _ENDS_A_LABEL.search(first)):
        return []  # (most sections: their first line holds no bold term, nor is a list's)
    if not textnorm.is_glossary_heading(title):
        return []
    top = [t for t in body if t.type == "list_item_open" and t.level == 1 and t.map]
    others = [k for k, t in enumerate(body) if t.level == 0 and t.nesting == 1 and t.type not in (
        "bullet_list_open", "ordered_list_open")]
    # (terms not in bold may follow a line that introduces them, `目标检测模型的基本概念有：`)
    intro = not bold and others[:1] == [0] and body[0].type == "paragraph_open" and \
        bool(_ENDS_A_LABEL.search(body[1].content))
    # (and terms in prose may follow the list, `A **loss function** measures error.`: terms
    # too; the list's were lost, the summary calling it the introduction: fault hunt 39)
    prose = [k for k in others[1 if intro else 0:]]
    terms = [(k, _term(body[k + 1].content, alone=True)) for k in prose
             if body[k].type == "paragraph_open"]
    # (a remark after them all, `**Note**: both change the output size.`, fewer than the
    # terms: the last one's answer goes on to it; it made the glossary one card, fault
    # hunt 42)
    last = max([t.map[0] for t in top] + [body[k].map[0] for k, t in terms if t], default=-1)
    after = [k for k in prose if body[k].map and body[k].map[0] > last]
    if len(after) < len(top) and all(not t for k, t in terms if k in after):
        prose = [k for k in prose if k not in after]
        terms = [(k, t) for k, t in terms if k not in after]
    if len(top) < 2 or len(terms) < len(prose) or not all(t for _, t in terms):
        return []
    out = [_Cand(body[0].map[0], body[0].map[0], body[1].content.split("\n")[0][:60], skip=True,
                 why="a glossary's introduction: its terms are the cards")] if intro else []
    for t in top:
        ln = lines[t.map[0]]
        m = _GLOSSARY_ITEM.match(ln) or (None if bold else _PLAIN_TERM_ITEM.match(ln))
        if m is None or (m.end() >= len(ln.rstrip()) and t.map[1] - t.map[0] < 2):
            return []  # (not a term, or one alone with no definition under it: a list)
        term = textnorm.clean_question(_plain_line(m.group(2) + (m.group(3) or "")))
        if m.re is _PLAIN_TERM_ITEM and (_NO_TERM.fullmatch(textnorm.key(term)) or
                                         textnorm.junk_heading(term) or
                                         ln[m.end():].startswith("//") or _STEP.match(term)):
            return []  # (`- Note: …`, `- 参考：https://…`, `- See https://…`, `1. 第一步：…`)
        out.append(_Cand(t.map[0], t.map[0], term, lead=m.end() - (len(ln) - len(ln.lstrip()))))
    out += [_Cand(body[k].map[0], body[k].map[0], term, term=True) for k, term in terms]
    return sorted(out, key=lambda c: c.line)


# A step of a procedure, no term: `第一步`, `Step 2`, `步骤3`
_STEP = re.compile(r"第[一二三四五六七八九十\d]+步|步骤\s*[一二三四五六七八九十\d]+|step\s*\d+", re.IGNORECASE)


# Words a glossary's paragraph may open with in bold that are no term of it (`**Tip:** learn
# these first`, `In **practice**, …`: fault hunt 38), as `key` writes them
_NO_TERM = re.compile(r"tips?|notes?|hints?|warning|caution|examples?|important|remember|info|"
                      r"seealso|practice|general|particular|short|summary|addition|fact|theory|"
                      r"contrast|otherwords|注意|提示|例如|示例|小结|总结|备注")


# An item of a bilingual vocabulary: an English term, then its Chinese (`- information gain
# 信息增益`, `1. object detection 目标检测`, `- SVM: Support Vector Machine 支持向量机`,
# `- Platt scaling Platt缩放`)
_VOCAB_ITEM = re.compile(r"^\s*+(?:[-*+]|\d{1,3}[.)])\s++"
                         r"([A-Za-z](?:[^\u3000-\u9fff\uff00-\uffef(（]|[(（][^)）\n]{0,20}[)）]){0,60}?)"
                         r"[\s:：]*?\s++([\w\-.“\"「（(]{0,20}[\u4e00-\u9fff].*)$")
VOCAB_ITEMS = 6  # (fewer: a list of names with their Chinese, in an answer)


def _vocabulary(title: str, body: list[Token], lines: list[str]) -> list[_Cand]:
    """Under a heading that does not ask, a list of English terms each followed by its
    Chinese (VOCAB_ITEMS or more, four in five of them so): a card per term, its Chinese the
    answer. (Held-out set 85: 285 such terms under eight headings were eight cards.)"""
    if len(body) < 5 * VOCAB_ITEMS:  # (an item is five tokens or more: most sections, at once)
        return []
    first = next((t for t in body if t.type == "list_item_open" and t.level == 1 and t.map),
                 None)
    if first is None or _VOCAB_ITEM.match(lines[first.map[0]]) is None:
        return []  # (most sections: their first item is no such term)
    top = [t for t in body if t.type == "list_item_open" and t.level == 1 and t.map]
    if len(top) < VOCAB_ITEMS or textnorm.asks(title) or any(
            t.map[1] - t.map[0] > 1 and any(ln.strip() for ln in lines[t.map[0] + 1:t.map[1]])
            for t in top):
        return []  # (an item with more lines under it is no vocabulary's)
    found = [(t, _VOCAB_ITEM.match(lines[t.map[0]])) for t in top]
    if 5 * sum(m is not None for _, m in found) < 4 * len(found):
        return []
    out = []
    for t, m in found:
        if m is None:  # (`- AdaBoost: adaptive boosting`: a term too, with its English)
            m = _LABEL_ITEM.match(lines[t.map[0]])
            if m is None:
                out.append(_Cand(t.map[0], t.map[0], "", skip=True))
                continue
        term = textnorm.clean_question(m.group(1).rstrip(" :："))
        out.append(_Cand(t.map[0], t.map[0], term, lead=m.start(2) - (
            len(lines[t.map[0]]) - len(lines[t.map[0]].lstrip()))))
    return out


# `- AdaBoost: adaptive boosting` in a vocabulary (_vocabulary)
_LABEL_ITEM = re.compile(r"^\s*+(?:[-*+]|\d{1,3}[.)])\s++([A-Za-z][\w\-. ]{0,40}?)\s*+[:：]\s*+"
                         r"(\S.*)$")


# One line that speaks of the questions under it (`These algorithms questions will test your
# grasp of the theory.`, `以下问题考察基础知识。`)
_OF_THE_QUESTIONS = re.compile(r"(?=[^\n]{0,120}$)[^\n?？]*?(?:\b(?:these|the following|this "
                               r"section'?s?|below)\b[^\n?？]{0,40}\bquestions\b|(?:以下|下面|下列|"
                               r"这些|本节|本章|这一?部分)的?(?:问题|题目)|面试题)[^\n?？]*$", re.IGNORECASE)
# A line in italics alone: a subtitle (`*Essential ML theory, such as the Bias-Variance tradeoff*`)
_SUBTITLE = re.compile(r"^([*_])(?!\1)[^*_\n]+(?<!\s)\1\.?$")


# A heading that is only a link (numbered or not): `### 2. [网络面试题](https://…)`
_LINK_TITLE = re.compile(r"^ {0,3}#{1,6}[ \t]+(?:[\d.、)）]+[ \t]*)?\[[^\]\n]+\]\([^)\n]*\)[ \t#]*$")


# A question's sub-headings fold into its answer when the whole is at most this many lines
# (longer: its parts stay cards of their own, as a long answer is hard to study as one).
FOLD_LINES = LONG_ANSWER


# A heading that only says a question follows (`## Question`), and one that only says its
# answer does (`## Answer`), as `key` writes them
_QUESTION_HEADING = re.compile(r"(?:the|interview)?questions?|q|问题|题目|面试题")
_ANSWER_HEADING = re.compile(r"(?:short|long|detailed|quick|brief|full|sample|model|reference|"
                             r"the)?answers?|ans|a|solutions?|答案|解答|回答|参考答案|简答")


def _answer_headings(headings: list[_Heading]) -> tuple[dict[int, _Heading], set[int]]:
    """`## Question` over the question, then `## Answer` over its answer (notes made from a
    template): one card, the question heading's; the answer heading is folded into it (its
    line no part of the answer), and so are the headings of its level after it that are parts
    of the answer (`## **Batch Normalization (BatchNorm)**`, their lines kept in it), up to one
    that asks, labels, lists questions or is no question's (`## Follow-up Questions`). The
    answer headings folded, by id, and the ids of the parts folded. (Before: a card
    `Question` whose answer was the question, and one `Answer` with the answer.)"""
    out: dict[int, _Heading] = {}
    parts: set[int] = set()
    for k, (h, a) in enumerate(zip(headings, headings[1:])):
        if a.level != h.level or h.children or a.children or id(h) in out or id(h) in parts:
            continue
        if _QUESTION_HEADING.fullmatch(textnorm.key(h.title)) and \
                _ANSWER_HEADING.fullmatch(textnorm.key(a.title)):
            last = a
            for b in headings[k + 2:]:  # (fault hunt 43: six parts of one answer were cards)
                key = textnorm.key(b.title)
                if b.level != h.level or b.children or _QUESTION_HEADING.fullmatch(key) or \
                        _ANSWER_HEADING.fullmatch(key) or textnorm.is_question_list(b.title) \
                        or textnorm.junk_heading(b.title) or textnorm.is_label_only(b.title) \
                        or textnorm.numbered_question(b.title) or re.search(r"[?？]\s*$", b.title):
                    break
                last = b
                parts.add(id(b))
            h.body, h.tokens = (h.body[0], last.body[1]), (h.tokens[0], last.tokens[1])
            h.has_body, h.asked_below, h.next = True, True, last.next
            out[id(a)] = a
    return out, parts


def _facet_title(title: str) -> bool:
    """An English heading in title case with no question mark (`When to Consider LRN`, `How
    It Works`): a facet's name, whatever its first word."""
    if not title.isascii() or "?" in title:
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", title)
    return len(words) >= 2 and all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in words)


_MINOR_WORDS = frozenset("a an the to of in on for and or vs with at by from into as is are be it "
                         "its".split())


def _fold(headings: list[_Heading], tokens: list[Token], lines: list[str]) -> set[int]:
    """A heading that asks (`## 什么是 AUC？`) over sub-headings that do not (`### 核心要点`,
    `### 1. 装饰器`) is one card: the sub-headings are parts of its answer (as cards they
    would be `核心要点` with no subject, and the question would keep an outline or its first
    line). Not when a part asks or holds a question (one with a question mark), is a label,
    date, round or question list, when every part is a thing the question names (_names), or
    when the whole is longer than FOLD_LINES. The folding heading's body then runs to the end of
    its last part; the ids of the parts folded in are returned."""
    folded: set[int] = set()
    for i, h in enumerate(headings):
        if id(h) in folded or not h.children or h.level < 2 or h.qlist or h.in_round \
                or h.diary:
            continue  # (most headings: decided without looking at their sub-headings' lines)
        labels = _labels_under(h, lines)
        parts = []
        for d in headings[i + 1:]:
            if d.level <= h.level:
                break
            parts.append(d)
        named = [textnorm.key(textnorm.strip_numbering(d.title)) for d in parts]
        # (a topic over facets of it, `## Sigmoid` over `### Introduction`, `### Limitations`:
        # one card, as a question over them is)
        facets = all(_FACET.fullmatch(k) for k in named)
        counted = _counted(h, parts)
        if (not (textnorm.asks(h.title) or labels or facets or counted)
                or textnorm.is_label_only(h.title) or textnorm.is_date(h.title)
                or textnorm.is_level(h.title)):
            continue
        last = parts[-1]
        # (a part that labels the answer, `##### Short answer:`, `#### 代码示例`, says the parts
        # are its answer even where one of them asks: `##### What breaks if we use BatchNorm?`;
        # one named the answer itself, `### 🎤 直接面试回答`, however long they are)
        labelled = any(_ANSWER_PART.fullmatch(k) for k in named)
        if last.body[1] - h.body[0] > FOLD_LINES and not any(_THE_ANSWER.search(k)
                                                             for k in named if labelled):
            continue
        # (a thing counted may read as asking, `### 1. Design tractable models`, but has no
        # question mark)
        # (nor a facet's title that opens with a question word, in title case with no question
        # mark, among facets that do not: `### When to Consider LRN` after `### Advantages`
        # and `### Disadvantages`; each was a card, the question keeping its first
        # paragraph, fault hunt 44)
        facet = not any(textnorm.asks(d.title) for d in parts) or any(
            not textnorm.asks(d.title) for d in parts)
        if any((textnorm.asks(d.title) and not labelled and not _restates(h.title, d.title)
                and not (counted and not re.search(r"[?？]", d.title))
                and not (facet and _facet_title(d.title)))
               or textnorm.is_label_only(d.title)
               or textnorm.numbered_question(d.title)  # (`#### Q1: …`: asked as well)
               or d.qlist or d.diary or textnorm.is_date(d.title) or textnorm.is_toc(d.title)
               for d in parts):
            continue
        if _names(h.title, [d.title for d in parts]) and not labels:
            continue  # the things it names (`YOLO` under `YOLO、SSD的区别`): a card each
        if not labelled and any(
                not _asks_nothing(b) and any(not c.skip and re.search(r"[?？]", c.question)
                                             for c in _candidates(b, lines, False))
                for b in [tokens[x.tokens[0]:x.tokens[1]] for x in [h] + parts
                          if x is h or not textnorm.junk_heading(x.title)]):
            # (a question in a part; not an answer's line that reads as asking by `是否`, nor
            # one a summary recaps: `### 总结` over a table of the note's questions)
            continue
        h.body, h.tokens = (h.body[0], last.body[1]), (h.tokens[0], last.tokens[1])
        h.children, h.whole, h.has_body = [], True, True
        h.next = last.next
        folded.update(id(d) for d in parts)
    return folded


# A heading that says how many things it has (`Two Strategies to Handle Intractability`,
# `三种归一化方法`, `3 Ways to …`), after its numbering
_COUNT = re.compile(r"(?:the\s+)?(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+[^\W\d_]"
                    r"|([两二三四五六七八九十]|\d{1,2})\s*(?:种|个|类|大|点|步|条|方面)", re.IGNORECASE)
_COUNT_WORDS = {w: n for n, w in enumerate(
    "two three four five six seven eight nine ten".split(), start=2)} | dict(
    zip("两二三四五六七八九十", (2, 2, 3, 4, 5, 6, 7, 8, 9, 10)))


def _counted(h: _Heading, parts: list[_Heading]) -> bool:
    """`h` says how many things it has, and its parts are that many, all right under it:
    they are those things, the parts of its answer, as a question's are (`## 2.8 Two
    Strategies to Handle Intractability` over `### 1. Design tractable models` and `### 2.
    Approximate inference`: held-out set 95)."""
    m = _COUNT.match(textnorm.strip_numbering(h.title))
    if m is None or any(d.parent is not h for d in parts):
        return False
    said = (m.group(1) or m.group(2)).lower()
    return (int(said) if said.isdigit() else _COUNT_WORDS.get(said)) == len(parts)


# Sub-headings that label a question's answer (as `key` writes them)
_ANSWER_PART = re.compile(r"(?:short|long|detailed|quick|brief|full)?answers?|解答|答案|参考答案|回答|"
                          r"简答|详解|核心要点|要点|代码示例|代码实现|示例代码|"
                          # `直接面试回答 (Direct Interview Answer)`, `英文标准面试答案`
                          r".{0,8}(?:回答|答案|解答)(?:[a-z]{0,20}answer)?")


_THE_ANSWER = re.compile(r"answer|回答|答案|解答")


# The facets of a topic, as sub-headings name them (as `key` writes them): parts of what one
# card on the topic answers, no questions of their own
_FACET = re.compile(r"intro(?:duction)?|overview|definitions?|(?:key|main|core)?ideas?|"
                    r"intuition(?:and)?(?:approach)?|walkthrough|dryrun|"
                    r"motivation|advantages?|disadvantages?|limitations?|pros|cons|"
                    r"pros(?:and)?cons|drawbacks?|benefits?|strengths?|weaknesses?|"
                    r"usecases?|applications?|whentouse(?:it)?|howitworks|formulas?|equations?|"
                    r"maths?|mathematics|derivation|implementation|code|examples?|properties|"
                    r"characteristics|原理|定义|概念|介绍|简介|概述|优点|缺点|优缺点|优势|劣势|不足|"
                    r"局限性?|特点|特性|应用(?:场景)?|适用场景|使用场景|作用|公式|推导|实现|代码(?:实现)?|"
                    r"示例|例子|动机|(?:核心|主要|基本)?思想|步骤|(?:算法)?流程|缺陷|改进(?:方法)?|"
                    # (the parts of a coding problem's solution: held-out set 91)
                    r"approach(?:es)?|solutions?|(?:time|space)?complexity(?:analysis)?|"
                    r"complexities|explanation|problem(?:statement)?|(?:解题)?思路|"
                    r"解法[一二三四123]?|题解|题目(?:描述)?|(?:时间|空间)?复杂度(?:分析)?")


# A bold term that labels a part of an answer (as `key` writes it): a facet, or a remark
_PART_TERM = re.compile(_FACET.pattern + r"|.{0,4}(?:解法|思路|注意|注|总结|备注|说明)|notes?|tips?|"
                        r"remarks?|summary")


def _labels_under(h: _Heading, lines: list[str]) -> bool:
    """Sub-headings that are labels of parts of its text (`##### 缺点：` under `### NMS的缺点
    及其改进工作`, `#### 过拟合：`): a heading with them is one card, asking or not. (Its
    title has lost the colon: the line has it.)"""
    return all(re.search(r"[:：][\s#*_]*$", lines[c.line]) for c in h.children)


_NUMBER = re.compile(r"^\s*+(\d{1,3})\s*+[.、．]")


# A line that labels its question: `Q: …`, `- **Q: Why pooling?** **A:** …`, `问：…`
_LABELLED_LINE = re.compile(r"^\s*+(?:[-*+]\s++|\d{1,3}[.)]\s++)?[*_]{0,2}\s*+(?:Q|问)\s*+\d*+\s*+[:：]")


def _labelled_in(lines: list[str], span: tuple[int, int]) -> set[int]:
    """The lines of a span that label their question (`Q: …`): a summary or cheat sheet
    that asks them is read for them (`**Rapid-Fire Q&A:**` under `## Interview Cheatsheet`)."""
    return {n for n in range(span[0], span[1]) if _LABELLED_LINE.match(lines[n])}


def _labelled_question(body: list[Token], typed: bool) -> list[_Cand]:
    """Under a heading that only numbers a question (`### MCQ 3`, `### Question 2`), its first
    paragraph when it asks: the question (its choices with it), the rest its answer. Under one
    that names the question's type (`### 2. 填空题`), the paragraph need not ask (`…公式为：`)
    and may be quoted (`> ✍️ 推导…`)."""
    depth = 0
    for i, t in enumerate(body):
        if t.level != depth or not t.map or t.nesting != 1:
            continue
        if typed and t.type == "blockquote_open" and not depth:
            depth = 1  # (the quote's first paragraph is the question)
            continue
        if t.type != "paragraph_open" or not (typed or textnorm.asks(body[i + 1].content)):
            return []
        c = _Cand(t.map[0], t.map[1], textnorm.clean_question(_plain_line(
            " ".join(body[i + 1].content.split("\n")))))
        e = _end(body, i)
        if e < len(body) and not depth:
            _with_options(c, body, (e, _end(body, e)))
        return [c]
    return []


def _numbered_next(title: str, line: str) -> bool:
    """`12. 深度可分离卷积为什么…？` right under `# 11. 可变形卷积…` (a few numbers on: notes skip
    some): a later question, its `#` forgotten, not the answer of the one before it."""
    a, b = _NUMBER.match(title), _NUMBER.match(line)
    return a is not None and b is not None and 0 < int(b.group(1)) - int(a.group(1)) <= 5


# What a sub-heading asks with, when it only restates the question above it
_ASKING_WORDS = re.compile(r"区别|是什么|什么|怎么|如何|为什么|有哪些|哪些|与|和|跟|的|吗|呢|vs|versus")


def _restates(question: str, part: str) -> bool:
    """A part that asks only what the question above it does, in fewer words (`LiteLLM 是什么？`
    under `用过 LiteLLM 吗？它做什么？`, `与 Function Call 区别：` under `MCP 是什么？和 Function
    Call 有什么区别？`, `Encoder vs Decoder` under `Transformer 架构与 Encoder / Decoder 区别`): a
    part of its answer, not a question of its own. Each thing it names is in the question."""
    key = textnorm.key(question)
    pieces = [w for w in _ASKING_WORDS.split(textnorm.key(textnorm.strip_numbering(part))) if w]
    return bool(pieces) and sum(map(len, pieces)) >= 3 and \
        all(len(w) >= 2 and w in key for w in pieces)


def _names(question: str, parts: list[str]) -> bool:
    """Every part is a thing the question names (`YOLO`, `SSD` under `YOLO、SSD的区别`)."""
    key = textnorm.key(question)
    return all(textnorm.key(textnorm.strip_numbering(p)) in key for p in parts)


# A link and its text, or a bare address (an image is no link: it may be the answer)
# (bounded, as _CONTENT_NOISE)
# (and an Obsidian or wiki link to another note, `[[feature-pyramid-networks]]`)
_LINK = re.compile(r"(?<!!)\[[^\]]{0,1000}\]\([^)\s]{0,4000}\)|<?https?://\S+|\[\[[^\[\]\n]{1,200}\]\]")


def _links_only(tokens: list[Token]) -> bool:
    """A topic's text that only points elsewhere: each of its paragraphs and items is a link
    and a few words (`Comparison of various optimizers - [blog](…)`, `- **BPE**` /
    `[BPE](https://…)`), and nothing else is there (no code, table or quote). Nothing to study
    on a card. (An explanation with a link in it is an answer.)"""
    inlines = [t for t in tokens if t.type == "inline"]
    return bool(inlines) and all(t.type in _FLAT and t.type != "code_block" for t in tokens) \
        and all(_LINK.search(t.content) and len(_LINK.sub("", t.content).strip()) <= 60
                for t in inlines)


def _numbered_in_bank(h: _Heading) -> bool:
    """A numbered heading in a note that says it lists interview questions (`### 31. 共享参数
    的概念及…影响` in `深度学习面试高频问题`): a question, asking by its words or not; its bold
    terms (`**参数共享**：…`, `**影响**：…`) are parts of its answer, not a glossary."""
    return h.bank and textnorm.strip_numbering(h.title) != h.title


def _scene(title: str) -> bool:
    """A heading that sets a scene, a sentence (`Case 1: Accuracy dropped right after the
    release.`, `Scenario 6: Choose between a fast model vs a slow one.`): the question is
    asked under it."""
    return title.rstrip()[-1:] in ".。" and not re.search(r"[?？]", title)


def _opens_with_ask(para: str, scene: bool) -> bool:
    """A section's first paragraph, all bold, that asks for what follows it: a label of its
    points (`**Consider:**`, `**Ways to build trust:**`), or a question asked under a scene;
    not the name of a list of questions (`**常见问题**`)."""
    m = _BOLD_ONLY.match(para)
    if not m or "\n" in para:
        return False
    inner = m.group(2).strip()
    if textnorm.is_question_list(inner.rstrip(":：")) or _LEADS_QUESTIONS.search(inner):
        return False
    return inner.endswith((":", "：")) or (scene and textnorm.asks(inner))


def _labels_of_lists(tokens: list[Token], blocks: list[tuple[int, int]]) -> int:
    """How many bold labels are over a list among `blocks` (`**Positivo:**`, `**Negativo:**`,
    `**Easy:**`, `**Hard:**`, each over its list): where there are two or more, the first,
    too, only groups the items under it, as each later one does; it asks for nothing."""
    return sum(tokens[a].type == "paragraph_open" and k + 1 < len(blocks)
               and tokens[blocks[k + 1][0]].type in ("bullet_list_open", "ordered_list_open")
               and (m := _BOLD_ONLY.match(tokens[a + 1].content)) is not None
               and m.group(2).strip().endswith((":", "："))
               for k, (a, _) in enumerate(blocks))


def _names_something(label: str) -> bool:
    """A group label that is a name (`Kafka`, `RabbitMQ`): the context of its short questions;
    not an instruction, a level or a status (`Read before Monday`, `Easy`, `Todo`, `Not Redis`)."""
    return 0 < len(label.split()) <= 2 and len(label) <= 20 and not (
        textnorm.is_level(label) or textnorm.is_question_list(label)
        or textnorm.junk_heading(label) or textnorm.asks(label)
        or label.split()[0].lower() in ("not", "no", "non", "without"))


def _q_under_topic(title: str, line: str) -> bool:
    """`Q：为什么…？` (then `A：…`) alone under a topic heading (`## 反向传播`): the note labels
    its question, as it does where a heading holds several; the heading is no card."""
    return bool(_Q_LABEL.match(line)) and not textnorm.asks(title)


# A paragraph that is one bold question, its question mark inside (an emoji may follow it)
_BOLD_ASKED = re.compile(r"^\s*(\*\*|__)[^*_\n]+[?？][^*_\n?？]{0,4}\1\s*$")


def _over_its_question(title: str, question: str) -> bool:
    """A topic heading (`## 4. RNN`) over the one list item of its section, a question that
    asks and stands on its own: the item is the card, not the heading with the question as its
    answer. (A bold paragraph under its topic heading stays the heading's answer: `## L1和L2范数`
    over `**L1和L2的区别？…**`.)"""
    return (not textnorm.asks(title) and textnorm.asks(question)
            and not textnorm.needs_context(question))


# The blocks of most answers: paragraphs, lists and code.
_FLAT = frozenset(("paragraph_open", "paragraph_close", "inline", "list_item_open",
                   "list_item_close", "bullet_list_open", "bullet_list_close",
                   "ordered_list_open", "ordered_list_close", "code_block"))
# ... less those _asks_nothing looks into
_FLAT_OPEN_CLOSE = _FLAT - {"inline", "code_block"}
# Where a paragraph's line may be a question to _para (a label, a bold line) or answered
# by the next one; as _Q_LABEL and ANSWER_LABEL, but found at any line's start.
_Q_LABEL_LINE = re.compile(_Q_LABEL.pattern, _Q_LABEL.flags | re.MULTILINE)
_ANSWER_LABEL_LINE = re.compile(textnorm.ANSWER_LABEL.pattern,
                                textnorm.ANSWER_LABEL.flags | re.MULTILINE)
_BOLD_LINE = re.compile(r"^\s*+(?:[（(]\s*+\d{1,2}\s*+[)）]\s*+)?(?:\*\*|__)", re.MULTILINE)


def _asks_nothing(body: list[Token], bank: bool = False) -> bool:
    """True only when `_candidates` finds no question in `body` (not under a question-list
    heading) and it holds no `question：answer` fence: only code, paragraphs with no question
    mark, label or bold line, and lists whose items' first lines do not ask (a paragraph in a
    list inside a list is left to the rules). Most answers are such: the rules that look for
    questions inside them are then not run. tests/test_notes_fast.py checks it against them
    on the corpus and generated notes. `bank`: as _candidates'."""
    prev = prev2 = None
    bare = 0
    for t in body:
        typ = t.type
        if typ in _FLAT_OPEN_CLOSE:  # (most tokens: nothing to look at)
            pass
        elif typ == "inline":
            c = t.content
            if t.level == 1:  # a paragraph of the section
                # (one line: `^` can only match at its start, where match looks alone;
                # search would try every position)
                if "?" in c or "？" in c or ("——" in c and c.count("——") >= 3):
                    return False  # (a question mark; terms after long dashes, _dashed_terms)
                if len(c) <= 40 and _bare_question(c):
                    bare += 1
                    if bare >= 2:  # (a run of them: _candidates' questions)
                        return False
                if "\n" in c:
                    if _Q_LABEL_LINE.search(c) or _ANSWER_LABEL_LINE.search(c) or \
                            _BOLD_LINE.search(c):
                        return False
                elif _Q_LABEL_LINE.match(c) or _ANSWER_LABEL_LINE.match(c) or \
                        _BOLD_LINE.match(c):
                    return False
                if ("*" in c or "_" in c) and _TERM_IN_PROSE.match(c):
                    return False  # (a glossary's term in prose, `A **model** is …`: _term)
            elif t.level != 3:
                return False
            elif prev2 == "list_item_open":  # an item's first paragraph: _list's head
                head = _unlinked(c.split("\n", 1)[0])
                if textnorm.asks(head) or _Q_LABEL.match(head) or textnorm.TASK_BOX.match(head):
                    return False
        elif typ == "fence":
            if _is_qa_fence(t) or (bank and _fenced_questions(t, [], in_round=True)):
                return False
        elif typ == "code_block":
            if _question_block(t) or (bank and _bank_block(t) is not None):
                return False
        else:  # (not in _FLAT)
            return False
        prev2, prev = prev, typ
    return True


def _is_container(h: _Heading, parts: list[_Cand], kids: list[_Heading],
                  lines: list[str]) -> bool:
    """A heading whose body is only parts is a card of its own when the parts are facets of
    it (`参数量`, `计算量` under `各层 FLOPs 和参数量的计算`), not when they are questions or
    topics of their own (`## Fundamentals` over `### Question 1` …), nor when its sub-headings
    hold questions (`## 岗位 B：推荐与排序方向` over `### 召回与粗排` and its
    `- **问题 1**：…？`: a category of questions, its card only a list of their titles)."""
    if h.level < 2 or (textnorm.is_question_list(h.title) and not parts) or \
            textnorm.is_level(h.title) or _INDEX_LETTER.fullmatch(h.title):
        # a chapter; `### 常见面试问题` over sub-headings; `## Advanced`; `### A` over a
        # glossary's terms
        return False
    facets = [not (textnorm.asks(c.question) or c.task or c.choices
                   or (c.item and (c.bold or h.bank)) or (c.block and h.bank))
              for c in parts if not c.table]  # (a question bank's topics are questions;
    # so is a multiple-choice question, its choices in it)
    facets += [not (textnorm.asks(k.title) or textnorm.is_label_only(k.title) or k.diary
                    or textnorm.is_date(k.title) or not k.has_body
                    or any("?" in ln or "？" in ln for ln in lines[k.body[0]:k.body[1]]))
               for k in kids if not textnorm.junk_heading(k.title)]
    if len(facets) < 2:
        return False
    return textnorm.asks(h.title) or sum(facets) > len(facets) / 2


# The parts of a company's section in an interview diary (`## 某公司` over `### 算法`,
# `### 问题`): questions asked there, not facets of the company.
_DIARY_PART = re.compile(r"(?:算法题?|手撕(?:代码)?|代码题?|编程题?|笔试题?|技术问题|基础问题|问题|"
                         r"项目(?:问题)?|八股(?:文)?|coding|algorithms?)")


def _asked_at_once(tokens: list[Token], h: _Heading) -> bool:
    """The heading's body opens with a list of three or more items, or with two or more
    paragraphs of one short line (`Transformer 结构`, `梯度下降与牛顿法的区别`)."""
    a, b = h.tokens
    if a >= b:
        return False
    if tokens[a].type == "paragraph_open":
        n = 0
        while a + 2 < b and tokens[a].type == "paragraph_open":
            text = tokens[a + 1].content
            if "\n" in text or len(text) > 80 or re.search(r"[:：。]\s*$", text):
                break
            n, a = n + 1, a + 3
        return n >= 2
    if tokens[a].type not in ("bullet_list_open", "ordered_list_open"):
        return False
    level, items = tokens[a].level + 1, 0
    for t in tokens[a + 1:b]:
        if t.level < level:
            break
        items += t.type == "list_item_open" and t.level == level
    return items >= 3


def _before_round(h: _Heading) -> bool:
    """A heading with no text of its own right before an interview round (`## 某公司`)."""
    return bool(h.next and textnorm.is_round(h.next.title))


def _in_context(stem: str, parent: _Heading | None) -> str:
    """A short part carries its container's words ("Faster-RCNN YOLO SSD的区别：YOLO"); a
    facet alone (`作用`, `优点`) its heading's, whatever the heading is (`BatchNorm: 作用`, not
    `作用`: whose?)."""
    if parent is None or parent.qlist or not textnorm.needs_context(stem) or not (
            parent.container or _FACET.fullmatch(textnorm.key(textnorm.strip_numbering(stem)))):
        return stem
    words = textnorm.clean_question(parent.title)
    pk, sk = textnorm.key(words), textnorm.key(stem)
    if not pk or pk in sk:
        return stem
    sep = "：" if re.search(r"[\u4e00-\u9fff]", words) else ": "
    return f"{words}{sep}{stem}"


def _outline(tokens: list[Token]) -> bool:
    """Only nested lists of short items: a plan or outline, not an answer."""
    lists = False  # (the first top-level block that is no list decides, most often)
    for t in tokens:
        if t.level == 0 and t.nesting != -1:
            if t.type not in ("bullet_list_open", "ordered_list_open"):
                return False
            lists = True
    if not lists:
        return False
    items = [t for t in tokens if t.type == "list_item_open"]
    deep = max((t.level for t in items), default=0) >= 3
    texts = [t.content for t in tokens if t.type == "inline"]
    short = sum(len(x) <= 20 and not re.search(r"[，,。；;]", x) for x in texts)
    return deep and len(items) >= 8 and short >= 0.8 * len(texts)


def _template(text: str) -> bool:
    """Only bold labels over empty list items (`**项目相关**` / `- `): a form to fill in."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return any(_EMPTY_ITEM.match(ln) for ln in lines) and all(
        _EMPTY_ITEM.match(ln) or _BOLD_ONLY.match(ln) for ln in lines)


def _toc_list(text: str) -> bool:
    """Only links to the note's own headings."""
    if "](#" not in text:
        return False  # (no anchor link at all: most answers)
    links = _ANCHOR_LINK.findall(text)
    rest = _ANCHOR_LINK.sub("", re.sub(r"\[[^\]]{0,1000}\]\(#[^)]{0,4000}\)", "", text))
    return len(links) >= 1 and not re.sub(r"[\s\-*+\d.]", "", rest)


def _after_toc(body: list[Token], h: _Heading) -> tuple[list[Token], tuple[int, int]] | None:
    """The blocks under a table of contents after its first one (its list of links), and
    their lines, when there are any: `Contents` underlined with `----` (a heading) over its
    list, then the questions of the chapter after a `---` rule, which were lost with it."""
    first = next((t for t in body if t.level == 0 and t.map), None)
    if first is None or first.map[1] >= h.body[1]:
        return None
    rest = _tokens_in(body, (first.map[1], h.body[1]))
    return (rest, (first.map[1], h.body[1])) if rest else None


def _loose_section(tokens: list[Token], lines: list[str], span: tuple[int, int],
                   drop: list[tuple[int, int]], drafts: list[Draft], skipped: list[Skipped],
                   unsure: list[Skipped], bank: bool = False) -> None:
    """Text before the first heading (all of a note without headings)."""
    listed = _opens_with_questions(tokens)
    cands = _fence_titles(_candidates(tokens, lines, False, bank=bank, listed=listed),
                          span[1], drop)
    if span[1] == len(lines) and sum(not c.skip for c in cands) <= 2:
        # (a note with no headings: its paragraphs, when they ask far more than the rest of
        # it does, `1. 组里做什么？` under its closing `反问：` say)
        plain = _outside_asked_folds(_plain_questions(tokens), cands, lines)
        if sum(not c.skip for c in plain) > 2 * sum(not c.skip for c in cands):
            cands = plain
    if span[1] == len(lines):
        # (and its bold lines, when two or more stand alone over text of their own: its
        # headings, `**展开计算图**` in reading notes kept as plain text; one, when nothing
        # else asks: its one topic, `**COCO-VQA 的问题**` over its points)
        bold = _outside_asked_folds(_bold_topics(tokens), cands, lines)
        asked = sum(not c.skip for c in cands)
        if (len(bold) >= 2 or (bold and not asked)) and len(bold) >= asked:
            cands = bold
    if span[1] == len(lines) and not cands:
        # (a note of one question and its answer, with no heading: that card; it was text
        # before the first heading, and the summary named only the note's first line)
        asking = [k for k, t in enumerate(tokens) if t.type == "paragraph_open" and t.map
                  and t.level == 0 and _asks_alone(tokens[k + 1].content)]
        if len(asking) == 1:
            t = tokens[asking[0]]
            cands = [_Cand(t.map[0], t.map[1], textnorm.clean_question(
                _plain_line(tokens[asking[0] + 1].content)))]
    start = cands[0].line if cands else span[1]
    pre = _tokens_in(tokens, (span[0], start))
    if _has_content(pre):
        # (a line of no-break spaces is text to markdown-it and none to str.strip)
        what = next(iter("\n".join(lines[span[0]:start]).strip().splitlines()),
                    "(a line of spaces)")
        reason = ("table-of-contents marker" if textnorm.is_toc(what)
                  else "text before the first heading" if not cands
                  else "text before the first question")
        skipped.append(Skipped(span[0] + 1, what[:60], reason))
    made = _cand_drafts(cands, lines, span[1], drop, [], [], None, skipped, unsure)
    if listed:
        # (a topic of the list, `- 虚拟内存`, that a heading of the note answers: the card is
        # the heading's)
        headed = {textnorm.key(textnorm.clean_question(hd[1])): n + 1
                  for n, ln in enumerate(lines) if ln[:1] == "#"
                  and (hd := blockscan.heading(ln)) is not None}
        keep = []
        for d in made:
            at = headed.get(textnorm.key(d.question)) if d.kind == "prompt" else None
            if at is None:
                keep.append(d)
            else:
                skipped.append(Skipped(d.line, d.question[:60],
                                       f"listed at the top; its heading at line {at} answers it"))
        made = keep
    drafts.extend(made)


def _answer_bullet(tokens: list[Token], blocks: list[tuple[int, int]]) -> str | None:
    """The bullet of a note's answers when it marks its questions with one bullet and their
    answers with another (`- 列表和元组有什么不同？` over `+ 主要区别在于…`): four or more
    lists of two bullets, the first list's the questions', two or more of the other, and
    most of the questions' items ask or set a task. None otherwise."""
    lists = [(i, tokens[i + 1].markup) for i, _ in blocks
             if tokens[i].type == "bullet_list_open" and tokens[i + 1].type == "list_item_open"]
    if len(lists) < 4 or len({m for _, m in lists}) != 2:
        return None
    first = lists[0][1]  # (the questions': a note opens with a question, not an answer)
    other = next(m for _, m in lists if m != first)
    if sum(m == other for _, m in lists) < 2:
        return None

    def heads(bullet: str) -> list[str]:
        return [h for i, m in lists if m == bullet for k in range(i, _end(tokens, i))
                if tokens[k].type == "list_item_open" and tokens[k].level == tokens[i].level + 1
                and (h := _item_head(tokens, k)) is not None]
    asked, answers = heads(first), heads(other)
    # (most of the questions' items ask, and most of the answers' do not end as a question
    # does: `-` and `*` both for questions, written as it came, are no such note)
    return other if 2 * sum(textnorm.asks(h) or bool(_TASK_START.match(h)) for h in asked) > \
        len(asked) and 2 * sum(bool(re.search(r"[?？]\s*$", h)) for h in answers) < \
        len(answers) else None


def _opens_with_questions(tokens: list[Token]) -> set[int]:
    """When a note opens with a long list a third of whose items ask or set a task (`1. 牛顿法`,
    `9. LSTM结构推导，为什么比RNN好？`, … 52 of them, before any heading): that list's tokens
    (and those of the lists of its kind and bullet at the top level, one an item when code
    between them cuts it: `- 实现类装饰器` over its code, `- GIL` …), lists of questions, topics
    to explain among them, as under a heading that names one. (Lists of another bullet are
    their answers' points.) An empty set otherwise."""
    if not tokens or tokens[0].type not in ("ordered_list_open", "bullet_list_open") or \
            len(tokens) < 2:
        return set()
    kind = (tokens[0].type, tokens[1].markup)
    lists = {i for i, t in enumerate(tokens) if t.level == 0 and t.nesting == 1
             and (t.type, tokens[i + 1].markup if i + 1 < len(tokens) else "") == kind}
    heads = [_item_head(tokens, k) for i in lists for k in range(i, _end(tokens, i))
             if tokens[k].type == "list_item_open" and tokens[k].level == 1]
    asking = sum(h is not None and (textnorm.asks(h) or bool(_TASK_START.match(h)))
                 for h in heads)
    # (not a list of statements or steps, `1. 进程是资源分配的最小单位。`, `Check the driver.`,
    # some of which ask: at most one in five says something)
    said = sum(h is not None and bool(_SAYS.search(h) or _PAPER.search(h))
               and not textnorm.asks(h) for h in heads)
    return lists if len(heads) >= 10 and 3 * asking >= len(heads) and \
        5 * said <= len(heads) else set()


# An item that says something: a sentence's end; or that names a paper or book, `BERT:
# Pre-training of …`, `Attention Is All You Need (2017)`
_SAYS = re.compile(r"[。！!；;]\s*$|[a-z0-9`)][.]\s*$")
_PAPER = re.compile(r"^[A-Z][\w-]*: [A-Z]|\((?:19|20)\d\d\)\s*$")


# A task set as a question (`实现一个单例`, `写一段异步IO代码`, `手撕 NMS`, `Implement …`)
_TASK_START = re.compile(r"\s*(?:实现|手写|手撕|手推|编写|写一[个段下]|设计一|推导|(?:implement|derive|"
                         r"design)\b|write (?:a|an|the|some|code|down)\b)", re.IGNORECASE)


def _bold_topics(tokens: list[Token]) -> list[_Cand]:
    """The paragraphs of one bold line (`**双向RNN**`) with text after them, before the next
    one: a note's headings, written in bold."""
    out = []
    paras = [i for i, t in enumerate(tokens)
             if t.type == "paragraph_open" and t.level == 0 and t.map]
    for k, i in enumerate(paras):
        first, nl, more = tokens[i + 1].content.partition("\n")
        m = _BOLD_ONLY.match(first)
        if m is None or _BARE_Q_NUMBER.match(first) or _ENDS_A_LABEL.search(first):
            continue  # (`**Question 1**` over its question: _para's; `**Key points:**`, a label)
        q = textnorm.clean_question(_plain_line(m.group(2).replace("**", "").replace("__", "")))
        nxt = tokens[i + 3] if i + 3 < len(tokens) else None  # (after inline, close)
        # (its text on the next lines, `**Dropout**` over `Randomly zeros …` with no blank
        # line between, or the blocks after it up to the next bold line)
        held = bool(more.strip()) or (nxt is not None and not (
            nxt.type == "paragraph_open" and _BOLD_ONLY.match(tokens[i + 4].content)))
        if not q or not re.search(r"[^\W\d_]", q) or textnorm.junk_heading(q) or not held:
            continue
        line = tokens[i].map[0]
        out.append(_Cand(line, line + 1, q, bold=True))
    return out


def _plain_questions(tokens: list[Token]) -> list[_Cand]:
    """In a note with no headings and no other kind of question, its paragraphs that open
    with a question (`如何理解卷积层的深度？`) or a short label over their text (`卷积层的基本
    参数：` and its lines): the questions, their text and what follows the answers, when
    there are at least two. So are, in such a note (a diary kept as plain text):
    - a paragraph's first line `topic：its answer` (`介绍mapReduce：分治思想`);
    - a later line of one that asks so (`为什么要用lambda函数：因为…`, `可以输入多个文件吗？可以，
      …`), not one that restates the question before it (`chmod怎么用：…` under `chmod 怎么用？`)
      nor a part of an answer that does not ask (`简洁性：…` under `lambda函数的优点：…`);
    - a later label over the next lines (`vector的扩容机制：` after the answer before it), but
      for a lead-in (`原因如下：`).
    The label of the candidate's own questions (`反问：`) ends the answer before it."""
    out = []
    for i, t in enumerate(tokens):
        if t.type != "paragraph_open" or t.level != 0 or not t.map:
            continue
        content = tokens[i + 1].content.split("\n")
        nxt = tokens[i + 3] if i + 3 < len(tokens) else None  # (after inline, close)
        held = len(content) > 1 and bool("".join(content[1:]).strip()) or bool(
            # its text on the next lines, or a list right there
            nxt is not None and nxt.type in ("bullet_list_open", "ordered_list_open")
            and nxt.map and nxt.map[0] == t.map[1])
        for k, ln in enumerate(content):
            ln = ln.strip()
            line = t.map[0] + k
            if textnorm.ANSWER_LABEL.match(ln):
                continue  # (`**Answer:** …` is no topic `Answer`)
            ends = ln.endswith(("：", ":"))
            # (a question in bold ends with its mark inside: `**What is a convolution?**`)
            if (k == 0 and ((re.search(r"[?？](?:\*\*|__)?$", ln) and len(ln) <= 150) or
                            (ends and len(ln) <= 60 and held))) or (
                    k and ends and len(ln) <= 30 and k + 1 < len(content) and
                    not _LEAD_IN.search(ln) and not _REMARK.match(ln)):
                q, lead = textnorm.clean_question(_plain_line(ln)), 0
            elif (m := _TOPIC_ANSWER.match(ln)) and not _REMARK.match(ln) and \
                    re.search(r"[^\W_]", ln[m.end():]) and \
                    not (m.group(1)[-1:].isdigit() and ln[m.end():m.end() + 1].isdigit()) and (
                    # (`2025-03-02 14：00 一面`: a time, no topic)
                    (k == 0 and not textnorm.is_date(m.group(1))) or (
                    textnorm.asks(m.group(1)) and not (
                        out and out[-1].line >= t.map[0]
                        and _said_before(out[-1].question, m.group(1))))):
                asked = m.group(1) + ("？" if ln[m.end(1):m.end(1) + 1] in "?？" else "")
                q, lead = textnorm.clean_question(_plain_line(asked)), m.end(1) + 1
            else:
                continue
            if not (q and re.search(r"[^\W\d_]", q)):
                continue
            if _ASKED_BY_ME.search(q):  # (`反问：` over the candidate's own questions)
                out.append(_Cand(line, line + 1, q, skip=True, why=_MINE))
                continue
            if textnorm.formality(q):
                continue
            out.append(_Cand(line, line + (lead == 0), q, lead=lead))
    return out if sum(not c.skip for c in out) >= 2 else []


def _said_before(question: str, part: str) -> bool:
    """`part` only asks again what `question` does (_restates), or is written in it
    (`chmod怎么用` under `用过修改文件权限的命令吗？chmod 怎么用？`)."""
    return _restates(question, part) or textnorm.key(part) in textnorm.key(question)


# `topic：its answer` on one line (a plain-text diary): a short topic with no sentence in it,
# then the answer; or a short question then its answer (`可以输入多个文件吗？可以，…`)
# (not an address, `https://…`: a card `https` of it, fault hunt 44)
_TOPIC_ANSWER = re.compile(r"^([^\s：:，,。；;？?！!（(\[【][^：:，,。；;？?！!]{1,29}?)"
                           r"(?:\s*[：:](?!//)|(?<=[^\s])(?=[?？]))"
                           r"[?？]?\s*(?=\S)")
# A label that leads into what follows rather than asking (`原因如下：`, `主要有以下几点：`)
_LEAD_IN = re.compile(r"如下|以下|下面|下列|几点|包括|分为|例如|比如|步骤|流程|公式|代码|结果|"
                      r"as follows|following|e\.g\.|for example", re.IGNORECASE)


def _fence_titles(cands: list[_Cand], end: int, drop: list[tuple[int, int]]) -> list[_Cand]:
    """A question whose answer holds `question：answer` fences is their title (`5. CV问题`):
    the fence lines are the cards, the title only a boundary."""
    bounds = [c.line for c in cands[1:]] + [end]
    for c, stop in zip(cands, bounds):
        if any(c.answer_from <= x for x, _ in _within(drop, c.answer_from, stop)):
            c.skip = True
    return cands


_FORMAL = "interview formality"
_MINE = "a question the candidate asked"


def _closing_summary(lines: list[str], a: int, b: int) -> int | None:
    """The line of a rule (`------`) between `a` and `b` followed by a summary's label
    (`📌 **总结：**`, `## Summary` as bold): what closes a list of questions, no text of the last
    one's answer (it was, fault hunt 44). None where there is none."""
    for k in range(a, b):
        ln = lines[k]
        if ln[:1] in "-*_ " and _RULE.fullmatch(ln):
            nxt = next((m for m in range(k + 1, b) if lines[m].strip()), None)
            if nxt is not None and _SUMMARY_LABEL.match(lines[nxt]):
                return k
    return None


_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_SUMMARY_LABEL = re.compile(r"\W{0,3}\s*+(?:\*\*|__)?+\s*+(?:总结|小结|summary|conclusion|"
                            r"key takeaways?|takeaways?)\s*+[:：]?+\s*+(?:\*\*|__)?+\s*+[:：]?+\s*+$",
                            re.IGNORECASE)


def _cand_drafts(cands: list[_Cand], lines: list[str], end: int, drop: list[tuple[int, int]],
                 path: list[str], topics: list[str], ctx: _Heading | None,
                 skipped: list[Skipped], unsure: list[Skipped]) -> list[Draft]:
    out, made = [], []  # (the drafts and their candidates)
    bounds = [c.line for c in cands[1:]] + [end]
    closing = _closing_summary(lines, cands[-1].answer_from, end) if cands else None
    if closing is not None:
        bounds[-1] = closing
        skipped.append(Skipped(closing + 1, lines[closing].strip()[:60], "a summary of the "
                               "questions after a rule, at the end: no text of the last answer"))
    for c, stop in zip(cands, bounds):
        if c.skip:
            if c.why:
                skipped.append(Skipped(c.line + 1, c.question[:60], c.why))
            rest = _answer(lines, c.answer_from, stop, drop, c.quoted)
            if c.ends and _text_has_content(rest) and not all(
                    textnorm.is_round(x) for x in rest.split("\n") if x.strip()):
                n = rest.strip().count("\n") + 1
                unsure.append(Skipped(c.answer_from + 1, rest.strip().split("\n")[0][:40],
                                      f"text after {c.ends} ({n} line{'s' if n > 1 else ''}): "
                                      "not part of any card"))
            continue
        if c.term:  # the definition after the term is the answer's first line
            first, _, rest = _answer(lines, c.answer_from, stop, drop).partition("\n")
            lead = _TERM_LEAD.match(first) or _TERM_LEAD_INSIDE.match(first) or \
                _BOLD_ONLY.fullmatch(first)
            answer = _tidy([first[lead.end():] if lead else first] + rest.split("\n"))
        elif c.lead:  # (`介绍mapReduce：分治思想`: the answer starts on the question's line)
            # (the lines after it dedented: a glossary item's definition wrapped, or nested)
            first, _, rest = _answer(lines, c.answer_from, stop, drop).partition("\n")
            answer = _tidy([first.strip()[c.lead:].strip()] + textwrap.dedent(rest).split("\n"))
        elif c.inline:  # so is what follows the bold question (an item's lines: dedented)
            first, _, rest = _answer(lines, c.answer_from, stop, drop).partition("\n")
            answer = _strip_label(_tidy([_after_inline_question(first)] +
                                        textwrap.dedent(rest).split("\n")))
        elif c.details:  # without the `</details>` (and the next `<details>`) lines
            # (and with what follows `</summary>` on its line: `<details><summary>策略梯度
            # </summary>直接优化策略。</details>` was a prompt, fault hunt 35)
            said = re.split(r"</summary\s*>", lines[c.line], maxsplit=1, flags=re.IGNORECASE)
            said = _DETAILS_TAGS.sub("", said[1]).strip() if len(said) > 1 else ""
            # (nor a `</details>` that ends its last line: fault hunt 36)
            answer = _tidy(([said] if said else []) + [
                _DETAILS_TAGS.sub("", ln).rstrip() if "</" in ln else ln
                for ln in _answer(lines, c.answer_from, stop, drop).split("\n")
                if not _DETAILS_TAG.match(ln)])
        elif c.answer is None:
            answer = _strip_label(_answer(lines, c.answer_from, stop, drop, c.quoted))
            shown = _details_answer(answer) if "<details" in answer.lower() else None
            if shown is not None:  # (`* question?` over `<details><summary>answer</summary>`)
                answer = _tidy([shown[0], "", shown[1]])
        else:
            answer = c.answer
            if c.item or c.flip:  # (an item answered on its line, `- 什么是X。答…`: what follows it up
                # to the next question is more of it; it was in no card)
                rest = _answer(lines, c.answer_from, stop, drop, c.quoted)
                if rest.strip():
                    answer = _tidy([answer, ""] + textwrap.dedent(rest).split("\n"))
        if not c.question:
            continue
        if ("**:" in answer or ":**" in answer) and _META_LINE.search(answer):
            answer = _tidy([ln for ln in answer.split("\n") if not _META_LINE.fullmatch(ln)])
        if answer.endswith(">") and "</details" in answer:
            # (a follow-up inside a `<details>` block, `**为什么必须在 softmax 之前**`, ended
            # with the block's closing tag: no text of it; fault hunt 43)
            answer = _tidy(_CLOSING_TAG.sub("", answer).split("\n"))
        stem = c.question
        front = f"{c.context} — {stem}" if c.context else _in_context(stem, ctx)
        kind = "qa" if _text_has_content(answer) else "prompt"
        if kind == "prompt" and answer and not _EMPTY_ITEMS.sub("", answer).strip():
            answer = ""  # (`-` left to fill in: no answer yet)
        out.append(Draft(front, answer, kind, c.line + 1, path, topics, stem=stem))
        made.append(c)
    _answered_in_parts(made, out)
    return out


def _answered_in_parts(cands: list[_Cand], drafts: list[Draft]) -> None:
    """A bold question with no text of its own over two or more plain questions, each
    answered, up to the next bold one (`**6. Bias-variance tradeoff?**` over `What is bias?`
    and `What is variance?`): it is answered in them, and its answer lists them, as a
    question's over its sub-headings does (_section). (Unanswered ones after it, as in an
    interview round, are questions of their own: it stays a prompt.)"""
    for i, (c, d) in enumerate(zip(cands, drafts)):
        if not (c.bold and d.kind == "prompt" and not d.answer.strip()):
            continue
        parts = []
        for c2, d2 in zip(cands[i + 1:], drafts[i + 1:]):
            if c2.bold:
                break
            parts.append(d2)
        if len(parts) >= 2 and all(p.kind == "qa" for p in parts):
            d.answer, d.kind = "\n".join(f"- {p.stem}" for p in parts), "qa"


def _within(drop: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    """The spans of `drop` (sorted) that start before line b and end after line a."""
    i = bisect.bisect_left(drop, (a, -1))
    out = [d for d in drop[max(0, i - 1):i] if d[1] > a]  # one that started before a
    while i < len(drop) and drop[i][0] < b:
        out.append(drop[i])
        i += 1
    return out


def _answer(lines: list[str], a: int, b: int, drop: list[tuple[int, int]],
            quoted: bool = False, dedent: bool = True) -> str:
    spans = _within(drop, a, b) if drop else []  # (no fence of questions: most notes)
    keep = [ln for n, ln in enumerate(lines[a:b], start=a)
            if not any(x <= n < y for x, y in spans)] if spans else lines[a:b]
    if quoted:
        keep = [re.sub(r"^\s*(?:>\s?)+", "", ln) for ln in keep]
    if not dedent:
        return _tidy(keep)
    joined = "\n".join(keep)
    out = textwrap.dedent(joined).split("\n")
    if "\t" in joined and all(ln[:1] in " \t" for ln in out if ln.strip()) and \
            any(ln.strip() for ln in out):
        # (no margin shared, as `\t  ` and `  \t` share none: tabs to their stops, as
        # CommonMark reads them, and then the margin)
        out = textwrap.dedent("\n".join(map(_tabs_out, keep))).split("\n")
    # the lines nested under the question, then more at the margin (the points after a bold
    # sentence, `- **…导致过拟合。**`): the nested ones at the margin too (four spaces before
    # an answer's first line would make it code)
    k = next((i for i, ln in enumerate(out) if ln[:1] not in (" ", "")), len(out))
    if 0 < k < len(out) and min((len(ln) - len(ln.lstrip(" ")) for ln in out[:k]
                                 if ln.strip()), default=0) >= 4:
        out[:k] = textwrap.dedent("\n".join(out[:k])).split("\n")
    return _tidy(out)


def _tabs_out(line: str) -> str:
    """`line` with the tabs of its indentation as spaces (tab stops every 4 columns)."""
    text = line.lstrip(" \t")
    return line[:len(line) - len(text)].expandtabs(4) + text


# `**A** 模型越大越容易过拟合`: the choice that answers a multiple-choice question, no label
_CHOICE = re.compile(r"^\s*[*_]{1,2}\s*A\s*[*_]{1,2}\s*$")


_NEXT_CHOICE = re.compile(r"\s*+B\s*+[.、．)）:：]")


def _strip_label(answer: str) -> str:
    """`A:` / `答：` / `*solution*` / `**Answer**:` in front of an answer is not part of it."""
    first, _, rest = answer.partition("\n")
    m = textnorm.ANSWER_LABEL.match(first)
    if not m or _CHOICE.match(m.group()) or _NEXT_CHOICE.match(rest):
        return answer  # (`A、…` over `B、…`: the first of its choices: fault hunt 41)
    first = first[m.end():].strip()
    return _tidy(([first] if first else []) + rest.split("\n"))


def _fence_cards(body: list[Token], path: list[str], topics: list[str]) -> list[Draft]:
    """Cards from `question：answer` fences (in the section or inside one of its list items)."""
    drafts: list[Draft] = []
    items: list[Token] = []  # open list items around the current token
    for t in body:
        if t.type == "list_item_open":
            items.append(t)
        elif t.type == "list_item_close":
            items.pop()
        elif t.type == "fence" and _is_qa_fence(t):
            item = items[-1] if items else None
            where = list(path)
            item_title = _item_title(body, item) if item else ""
            if item_title:
                where.append(item_title)
            drafts.extend(_qa_fence_cards(t, where, topics + ([item_title] if item_title else [])))
    return drafts


def _item_title(body: list[Token], item: Token) -> str:
    i = body.index(item)
    if i + 2 < len(body) and body[i + 1].type == "paragraph_open":
        title = textnorm.clean_title(_plain(body[i + 2]))
        return title if len(title) <= 40 else ""  # a long paragraph is not a title
    return ""


def _qa_fence_cards(t: Token, path: list[str], topics: list[str]) -> list[Draft]:
    out: list[Draft] = []
    first_line = t.map[0] + 2  # 1-based line of the fence's first content line
    if t.info.strip():  # (coding tasks, each over its code: a fence of its own in the answer)
        code = t.content.split("\n")
        tasks = _tasks(t)
        for (n, q), (end, _) in zip(tasks, tasks[1:] + [(len(code), "")]):
            body = "\n".join(code[n + 1:end]).strip("\n")
            question = textnorm.clean_title(q)
            answer = f"{t.markup}{t.info.strip()}\n{body}\n{t.markup}" if body.strip() else ""
            out.append(Draft(question, answer, "qa" if answer else "prompt", first_line + n,
                             path, topics, [], stem=question))
        return out
    current: tuple[str, list[str], int] | None = None

    def flush():
        if current is None:
            return
        q, ans, ln = current
        first, rest = ans[0], textwrap.dedent("\n".join(ans[1:]))
        answer = _tidy(([first, ""] if first else []) + rest.split("\n"))
        tags = ["高频"] if "高频" in q else []
        question = textnorm.clean_title(q)
        out.append(Draft(question, answer, "qa" if answer.strip() else "prompt",
                         ln, path, topics, tags, stem=question))

    content = t.content.split("\n")
    labelled = _labelled_pairs([ln for ln in content if ln.strip() and not ln[0].isspace()])
    for n, ln in enumerate(content):
        if labelled:  # (`Q: Bias vs variance?` over `A: Bias = …`)
            q = _Q_LABEL.match(ln) if ln[:1].strip() else None
            a = None if q else textnorm.ANSWER_LABEL.match(ln) if ln[:1].strip() else None
            m = (ln[q.end():].strip(" *_"), "") if q else None
            if a and current is not None:
                ln = " " * a.end() + ln[a.end():]  # (the answer's first line, at its column)
        else:
            m = _qa_line(ln) if ln.strip() and not ln[0].isspace() else None
        if m:
            flush()
            current = (m[0], [m[1].strip()], first_line + n)
        elif current is not None:
            current[1].append(ln)
    flush()
    return out


def _date_section(h: _Heading, lines: list[str], body: list[Token], path: list[str],
                  topics: list[str], drafts: list[Draft], skipped: list[Skipped]) -> None:
    """Under a date heading, each bold bullet is a topic card; the date never is."""
    # (line of the bullet, topic, rest of its first paragraph, line where the body starts)
    starts: list[tuple[int, str, str, int]] = []
    for i, t in enumerate(body):
        if t.type == "list_item_open" and t.level == 1 and body[i + 1].type == "paragraph_open":
            inline = body[i + 2]
            kids = _children(inline)
            lead = [c.type for c in kids if not (c.type == "text" and not c.content.strip())]
            m = _BOLD_LEAD.match(inline.content)
            if lead[:1] == ["strong_open"] and m:
                head = inline.content[m.end():].strip()  # e.g. "[link](...)" after the topic
                starts.append((t.map[0], textnorm.clean_title(m.group(2)), head,
                               body[i + 1].map[1]))
    end = h.body[1]
    first = starts[0][0] if starts else end
    if _has_content(_tokens_in(body, (h.body[0], first))):
        skipped.append(Skipped(h.line + 1, h.title,
                               "date heading: text with no bold topic or sub-heading above it"))
    for (line, topic, head, body_start), nxt in zip(starts, [s[0] for s in starts[1:]] + [end]):
        rest = textwrap.dedent("\n".join(lines[body_start:nxt]))
        answer = _tidy(([head, ""] if head else []) + rest.split("\n"))
        kind = "qa" if answer and _has_content(_parse_blocks(answer)) else "prompt"
        drafts.append(Draft(topic, answer, kind, line + 1, path, topics, stem=topic))


def _tidy(lines: list[str]) -> str:
    """Trailing spaces off, no runs of blank lines (but in fenced code, kept as written), no
    blank lines at either end."""
    out: list[str] = []
    whole = "".join(lines)
    code = "```" in whole or "~~~" in whole  # (most answers have no fence: one test for all)
    ial = "{:" in whole  # (nor attribute lines: a line that starts with `{:` holds it)
    fence = ""  # the fence's character while inside one
    for ln in lines:
        ln = ln.rstrip()
        if code:
            lead = ln.lstrip()[:3]
            if lead in ("```", "~~~"):
                fence = "" if fence == lead[0] else fence or lead[0]
            elif fence:
                out.append(ln)
                continue
        if ial and ln[:2] == "{:" and _IAL.match(ln):
            continue  # a kramdown attribute line (`{:.warning}`): markup, no text
        if "]:" in ln and _LINK_DEFINITION.match(ln):
            continue  # a link's address (`[zzz]:https://…`), shown nowhere: no text
            # (it was the last question's answer: fault hunt 42)
        if "<" in ln and _BREAK_LINE.match(ln):
            ln = ""  # a line of `<br/>` only: a blank line, written in HTML
        if ln or (out and out[-1]):
            out.append(ln)
    # blank lines off the end, and a rule (`---`) that separates this answer from the next
    # question: it is neither's (after text, with no blank line, it underlines a heading)
    while out and (not out[-1] or (_RULE.match(out[-1]) and (len(out) == 1 or not out[-2]))):
        out.pop()
    return "\n".join(out)


_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")  # a thematic break
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]\n]+\]:\s*+\S+(?:\s+[\"'(].*[\"')])?\s*$")
_IAL = re.compile(r"^\{:[^}]*\}$")
