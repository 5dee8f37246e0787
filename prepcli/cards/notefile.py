"""A note file as lines of text: its encoding found, and repairs that keep every line where
it is (so a card's `source.line` is the note's own line number).

- encodings: UTF-8 with or without BOM, UTF-16 with or without BOM, GB18030; any newline;
- YAML front matter (`---` … `---` at the top) is metadata, never a card;
- leftover merge-conflict markers are dropped (both sides kept), and reported;
- MkDocs `??? question "…"` blocks become a heading over their dedented answer;
- docs-site containers (`::: tip 标题` … `:::`) lose their markers, a question's title
  becomes a heading over its answer;
- `##标题` without its space is the heading its writer meant (many editors show it so);
- a line left unindented inside a list item's indented answer is indented with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from prepcli.cards import textnorm
from prepcli.errors import PrepError


@dataclass
class Skipped:
    """A place in a note and what happened there: skipped, or worth a look."""

    line: int
    what: str
    reason: str


def read_note(path: Path) -> str:
    """Read a note as text: UTF-8 (with or without BOM), UTF-16 (with or without BOM) or
    GB18030; any newline style."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PrepError(f"cannot read the note: {e.strerror}", file=str(path)) from None
    text = None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _utf16(raw[2:], "utf-16-le" if raw[0] == 0xFF else "utf-16-be", path)
    elif b"\x00" in raw:
        # Text never holds NUL bytes; UTF-16 without a BOM does (in every ASCII character).
        # The zero byte of an ASCII character comes second in little-endian order. A stray
        # NUL in UTF-8 text is no UTF-16: read as that, its newlines would be gone (0x0A
        # beside 0x00 is one).
        codec = "utf-16-le" if raw[1::2].count(0) >= raw[0::2].count(0) else "utf-16-be"
        if 2 * raw.decode(codec, "replace").count("\n") >= raw.count(b"\n"):
            text = _utf16(raw, codec, path)
    if text is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError as e:
                line = raw[: e.start].count(b"\n") + 1
                raise PrepError("not UTF-8, UTF-16 or GB18030 text; save the note as UTF-8",
                                file=str(path), line=line) from None
            if not _reads_as_chinese(text):
                raise PrepError("not UTF-8 text, and read as GB18030 it is mostly rare "
                                "characters (Big5 or Shift-JIS?); save the note as UTF-8",
                                file=str(path))
    # a byte-order mark the decoder kept (GB18030's, or a second UTF-8 one) is no text: left
    # there, it hides the first line's heading
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise PrepError("a NUL byte in the text (a damaged copy?); remove it",
                        file=str(path), line=text.count("\n", 0, text.index("\x00")) + 1)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reads_as_chinese(text: str) -> bool:
    """Whether GB18030's reading of a note is Chinese text: at least half of its characters
    past ASCII are the 3,755 common hanzi of GB2312 (lead byte 0xB0-0xD7) or its punctuation
    (0xA1-0xA3). Nearly any bytes decode as GB18030: a Big5 note read so gave `ぐ或琌縩竒`
    for `什麼是卷積`, a Shift-JIS one `忯傒崬傒`, and cards of that."""
    wide = [c for c in text if ord(c) > 0x7F]
    if len(wide) < 10:
        return True
    common = 0
    for c in wide:
        try:
            lead = c.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        common += 0xB0 <= lead <= 0xD7 or 0xA1 <= lead <= 0xA3
    return 2 * common >= len(wide)


def _utf16(raw: bytes, codec: str, path: Path) -> str:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as e:
        line = raw[: e.start].decode(codec, "replace").count("\n") + 1
        raise PrepError("not valid UTF-16 text; save the note as UTF-8",
                        file=str(path), line=line) from None
    return text.lstrip("\ufeff")


_ADMONITION = re.compile(r'^(?:\?\?\?\+?|!!!)\s*(?:question|faq|help|q)\b\s*"([^"]*)"\s*$',
                         re.IGNORECASE)
# Any other MkDocs admonition: `!!! note "注意"`, `??? tip`, `???+ warning "…"`
_ADMONITION_ANY = re.compile(r'^(?:\?\?\?\+?|!!!)\s*([A-Za-z][\w-]*)(?:\s+"([^"]*)")?\s*$')
# MkDocs content tabs: `=== "Question"` over its indented content
_CONTENT_TAB = re.compile(r'^ {0,3}===\s+"[^"]*"\s*$')


def front_matter(lines: list[str], skipped: list[Skipped],
                 unsure: list[Skipped] | None = None) -> list[tuple[int, str, str]]:
    """YAML front matter (`---` … `---` at the top) is metadata, never a card of its own; but
    flashcards kept in it (`cards:` over `- front: …` / `back: …`, or question / answer) are
    returned as (0-based line of the front, front, back)."""
    if not lines or lines[0].strip() != "---" or len(lines) < 3 or \
            not re.match(r"^[\w-]+\s*:", lines[1]):
        return []
    # (the end marker at the margin: `---` indented is a block scalar's text)
    j = next((j for j in range(1, len(lines)) if lines[j].rstrip() in ("---", "...")), None)
    if j is None:
        return []
    said = "\n".join(lines[1:j])
    if not _a_mapping(said) and (j > 80 or any(
            re.match(r"#{1,6} ", ln) for ln in lines[1:j])):
        return []  # (no YAML, with headings or long: a note that opens with a rule)
    held: list[tuple[int, str, str]] = []
    if _CARDS_KEY.search(said):
        held, problem = _front_cards(said)
        if problem and unsure is not None:
            unsure.append(Skipped(1, "YAML front matter", f"its cards could not be read "
                                  f"({problem}): fix the front matter"))
    for k in range(j + 1):
        lines[k] = ""
    skipped.append(Skipped(1, "YAML front matter", "metadata (title, date, tags), not a "
                           "question" + (f"; its {len(held)} card(s) read" if held else "")))
    return held


def _a_mapping(said: str) -> bool:
    """Whether text is a YAML mapping (composed, not constructed: aliases are not expanded)."""
    import yaml

    try:
        return isinstance(yaml.compose(said, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
                          yaml.MappingNode)
    except (yaml.YAMLError, RecursionError):
        return False


_CARDS_KEY = re.compile(r"^\s*(?:cards|flashcards)\s*:", re.IGNORECASE | re.MULTILINE)
_FRONT_KEYS = ("front", "question", "q")
_BACK_KEYS = ("back", "answer", "a")


def _front_cards(said: str) -> tuple[list[tuple[int, str, str]], str]:
    """The cards of a front matter's `cards:` list (each a mapping with front and back, or
    question and answer, any case), with the line (1-based within the front matter, that is
    0-based in the note) of each front; and what went wrong, if anything."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        # (a note is anyone's: aliases to aliases, `a: &a [*b, *b, …]`, grow without end)
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("aliases are not read in a note's front matter")
            return super().compose_node(parent, index)

    loader = NoAliases(said)
    try:
        root = loader.get_single_node()
    except RecursionError:  # (nested 500 deep: Python's limit)
        return [], "nested too deep"
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        return [], f"{getattr(e, 'problem', None) or str(e).splitlines()[0]}{where}"[:100]
    finally:
        loader.dispose()
    if not isinstance(root, yaml.MappingNode):
        return [], ""
    seq = _cards_node(root)
    if not isinstance(seq, yaml.SequenceNode):
        return [], "`cards` is no list"
    out = []
    for item in seq.value:
        if not isinstance(item, yaml.MappingNode):
            return [], "a card that is no mapping of front and back"
        fields = {k.value.lower(): v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
        front = next((fields[k] for k in _FRONT_KEYS if k in fields), None)
        back = next((fields[k] for k in _BACK_KEYS if k in fields), None)
        text = _said(front) if front is not None else ""
        if not text:
            return [], "a card with no front"
        out.append((front.start_mark.line + 1, text, _said(back) if back is not None else ""))
    return out, ""


def _cards_node(root, depth: int = 0):
    """The value of the `cards` (or `flashcards`) key, at the top or under another key."""
    import yaml

    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value.lower() in ("cards", "flashcards"):
            return v
    for _, v in root.value:
        if depth < 2 and isinstance(v, yaml.MappingNode) and \
                (found := _cards_node(v, depth + 1)) is not None:
            return found
    return None


def _said(node) -> str:
    """A front or back's text: a string, a number, or a list of them (one a line)."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return str(node.value).strip()
    if isinstance(node, yaml.SequenceNode):
        return "\n".join(f"- {_said(v)}" for v in node.value if _said(v))
    if isinstance(node, yaml.MappingNode):  # (`back:` over `formula:` / `meaning:`)
        return "\n".join(f"- {k.value}: {_said(v)}" for k, v in node.value
                         if isinstance(k, yaml.ScalarNode) and _said(v))
    return ""


def merge_markers(lines: list[str], unsure: list[Skipped]) -> None:
    """Leftover merge-conflict markers would turn an answer into a heading (`=======`)."""
    if not any(ln.startswith(("<<<<<<< ", ">>>>>>> ")) or ln in ("<<<<<<<", ">>>>>>>")
               for ln in lines):
        return
    for n, ln in enumerate(lines):
        if re.match(r"^(?:<{7}|={7}|>{7})(?:\s.*)?$", ln):
            unsure.append(Skipped(n + 1, ln[:20], "merge-conflict marker: ignored, both sides "
                                  "kept; resolve the conflict in the note"))
            lines[n] = ""


# `<span id="1-3">回归模型…有哪些？</span>`: an anchor for a table of contents around a question,
# or styling around text; the tags are no text (inline HTML would hide the question mark)
# (bounded: many `<span` with no `>` were each scanned to the line's end)
_SPAN = re.compile(r"</?span\b[^>]{0,1000}>", re.IGNORECASE)
_ANCHOR_ECHO = re.compile(r"</span>\s*\d+(?:-\d+)+\)\s*$", re.IGNORECASE)  # `</span>1-6)`


def spans(lines: list[str]) -> None:
    """HTML `<span>` tags dropped (their text kept), and the anchor's name some editors
    leave after one (`…？</span>1-6)`)."""
    for n, ln in enumerate(lines):
        if "<span" in ln or "</span" in ln:
            lines[n] = _SPAN.sub("", _ANCHOR_ECHO.sub("", ln))


def admonitions(lines: list[str]) -> None:
    """MkDocs `??? question "…"` blocks: the title is a question, the indented block its
    answer (read as Markdown, not as an indented code block). Any other kind (`!!! note
    "注意"`, `??? tip`) is read as docs-site containers are (containers): its block at the
    margin, its title its first line, or a heading when it asks with nothing after the block
    up to the next heading. (`!!! note "注意"` over its indented lines was kept as written:
    an answer's last lines, as code.)"""
    n = 0
    while n < len(lines):
        # (the prefix test first: a regex call on every line of a long note adds up)
        m = _ADMONITION.match(lines[n]) if lines[n].startswith(("???", "!!!")) else None
        other = None if m or not lines[n].startswith(("???", "!!!")) else \
            _ADMONITION_ANY.match(lines[n])
        if not (m or other):
            n += 1
            continue
        start = n
        n += 1
        while n < len(lines) and (not lines[n].strip() or lines[n].startswith(("    ", "\t"))):
            ln = lines[n]
            lines[n] = ln[1:] if ln.startswith("\t") else ln[4:]
            n += 1
        if m:
            # (no title, `!!! Question ""`: the question is in the block, a heading or a tab's)
            lines[start] = "###### " + m.group(1).strip() if m.group(1).strip() else ""
        elif _ANSWER_TITLE.fullmatch(textnorm.key((other.group(2) or "").strip())) and \
                not lines[start + 1].strip() and \
                (last := next((k for k in range(n - 1, start, -1) if lines[k].strip()), None)) \
                is not None and not lines[last].lstrip().startswith(("```", "~~~", "<", "|")):
            # (`??? success "View Answer"`: the answer of the question above, folded as a
            # `<details>` block is, and read so: a bold question in it is its worked example,
            # no card of its own: fault hunt 43. Its `</details>` ends its last line: on a
            # line of its own, a heading right after it would be part of the HTML block.)
            lines[start] = "<details><summary>Answer</summary>"
            lines[last] += " </details>"
        else:
            lines[start] = _opening(other.group(2) or "", n, lines)
        # (its block read again, at the margin now: an admonition nested in it, `!!! tip`
        # inside `??? success "View Answer"`, was kept as written: fault hunt 43)
        n = start + 1


# A custom container of VitePress, VuePress or Docusaurus: `::: tip 标题`, `:::warning`,
# `:::info[Title]`, closed by a line of as many colons or more
_CONTAINER = re.compile(r"^(:{3,})\s*([A-Za-z][\w-]*)\s*(?:\[(.*)\]|(.*?))\s*$")
_CONTAINER_END = re.compile(r"^(:{3,})\s*$")


def containers(lines: list[str]) -> None:
    """Docs-site containers (`::: tip 为什么…？` … `:::`): their markers are no text. One whose
    title asks, with nothing but blank lines after it up to the next heading (or the end), is
    a question and its answer: a heading over its lines, as MkDocs' `??? question` blocks.
    Any other keeps its title (not its kind, `tip`) as its first line, or loses the line when
    it has none (`::: details 答案` over the answer of the question above: the answer's).
    (Held-out set 84: `::: tip 为什么最小化 ||w|| 等于最大化间隔？` was a line of another
    card's answer, `:::` markers and all.)"""
    fence = ""
    n = 0
    while n < len(lines):
        ln = lines[n]
        fence = _fence_after(ln, fence)
        m = None if fence or not ln.startswith(":::") else _CONTAINER.match(ln)
        if m is None:
            n += 1
            continue
        end = next((k for k in range(n + 1, len(lines)) if (e := _CONTAINER_END.match(lines[k]))
                    and len(e.group(1)) >= len(m.group(1))), None)
        if end is None:  # (not closed: a line of text)
            n += 1
            continue
        title = (m.group(3) if m.group(3) is not None else m.group(4) or "").strip()
        lines[n] = _opening(title, end + 1, lines)
        lines[end] = ""
        n += 1  # (a container inside it: its markers too)


# A Hugo shortcode alone on its line, opening or closing a block: `{{< question >}}`,
# `{{</ answer >}}`, `{{% details title="Answer" %}}`
_SHORTCODE = re.compile(r"^\s*\{\{([<%])\s*(/?)\s*([\w-]+)[^}\n]*?[>%]\}\}\s*$")


def shortcodes(lines: list[str]) -> None:
    """Hugo shortcodes of questions and answers (`{{< question >}}` over the question's lines,
    `{{</ question >}}`, then `{{< answer >}}` … `{{</ answer >}}`): the question a heading
    over its answer (its lines joined on the heading's), the markers no text; any other
    block shortcode alone on its line (`{{< details >}}`) is no text either, its lines kept,
    but its title (`title="…"`), read as a container's (_opening).
    (Held-out set 105: the questions were lines of one card, markers and all.)"""
    fence = ""
    n = 0
    titled: list[tuple[int, int, str]] = []  # (first line, last line, title) of a block
    while n < len(lines):
        fence = _fence_after(lines[n], fence)
        # (not in code: a fence's lines are as written, fault hunt 41)
        m = _SHORTCODE.match(lines[n]) if "{{" in lines[n] and not fence else None
        if m is None:
            if "{{" in lines[n] and not fence and (one := _SHORTCODE_LINE.match(lines[n])):
                lines[n] = "###### " + one.group(1).strip()  # (`{{< question >}}…{{< /question >}}`)
            n += 1
            continue
        name = m.group(3).lower()
        if m.group(2) or name not in ("question", "q", "faq"):
            # (a block's title, `{{< details title="什么是 NMS？" >}}`, as a container's: a
            # question over its lines where it asks; it was dropped, fault hunt 42)
            t = None if m.group(2) else _SHORTCODE_TITLE.search(lines[n])
            end = None if t is None else next(
                (k for k in range(n + 1, len(lines)) if (e := _SHORTCODE.match(lines[k]))
                 and e.group(2) and e.group(3).lower() == name), None)
            if end is not None:
                titled.append((n, end, t.group(1) or t.group(2)))
            lines[n] = ""
            n += 1
            continue
        end = next((k for k in range(n + 1, len(lines)) if (e := _SHORTCODE.match(lines[k]))
                    and e.group(2) and e.group(3).lower() == name), None)
        if end is None or any(_FENCE_MARK.match(ln) for ln in lines[n + 1:end]):
            n += 1
            continue
        asked = " ".join(_BR.sub(" ", ln).strip() for ln in lines[n + 1:end] if ln.strip())
        lines[n] = "###### " + asked if asked else ""
        for k in range(n + 1, end + 1):
            lines[k] = ""
        n = end + 1
    # (the last first: a block right over one that became a question is over a heading)
    for n, end, title in reversed(titled):
        lines[n] = _opening(title, end + 1, lines)


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A block shortcode's title: `title="…"` (or summary, label), or its first argument if quoted
_SHORTCODE_TITLE = re.compile(r"\b(?:title|summary|label)\s*=\s*\"([^\"]*)\"|"
                              r"^\s*\{\{[<%]\s*[\w-]+\s+\"([^\"]*)\"")
# A question's shortcode on one line: `{{< question >}}什么是 IoU？{{< /question >}}`
_SHORTCODE_LINE = re.compile(r"^\s*\{\{<\s*(?:question|q|faq)\s*>\}\}(.*?\S.*?)"
                             r"\{\{<\s*/\s*(?:question|q|faq)\s*>\}\}\s*$", re.IGNORECASE)


# An Obsidian (or GitHub) callout's first line: `> [!question] What does BN do?`, `>[!warning]-
# Danger of overfitting`, `> [!NOTE]`
_CALLOUT = re.compile(r"^>\s?\[!([A-Za-z][\w-]*)\][+-]?[ \t]*(.*?)\s*$")
_QUOTE_MARK = re.compile(r"^> ?")


def callouts(lines: list[str]) -> None:
    """Obsidian callouts (`> [!question] What does BN do?` over `> It normalizes…`) and
    GitHub's alerts (`> [!NOTE]`): their lines at the margin, their kind no text, their title
    over them (in bold when it asks: a question, as a bold line is; else a line of their
    text; none when it only says they are an answer); one inside another too. (Held-out set
    100: a note of `[!question]` callouts was one card, each question a line of its answer
    with `> [!…]`.)"""
    fence = ""
    n = 0
    while n < len(lines):
        ln = lines[n]
        fence = _fence_after(ln, fence)
        m = None if fence or not ln.startswith(">") or "[!" not in ln else _CALLOUT.match(ln)
        if m is None:
            n += 1
            continue
        end = n + 1
        while end < len(lines) and lines[end].startswith(">"):
            lines[end] = _QUOTE_MARK.sub("", lines[end], count=1)
            end += 1
        title = m.group(2).replace("*", "").strip()
        # (its title over its lines: in bold when it asks, a question there as a bold line
        # is; else a line of their text, `Algorithm`, no question: fault hunt 40)
        lines[n] = "" if not title or _ANSWER_TITLE.fullmatch(textnorm.key(title)) else \
            f"**{title}**" if textnorm.asks(title) else title
        n += 1  # (a callout inside it, `> > [!note]`, is at the margin now: read next)


def question_key(lines: list[str]) -> None:
    """A question card of a template (`# Question Card: Data Leakage` over `- Question: What
    is …?`, `- Role: ml`, `- Difficulty: mid`, then `## Short Answer` and more sections): the
    properties list is made `## Question` over the question, as notes made from a template
    that has those headings are written, its other properties dropped (what the card is
    about, no text of it). Only before the first `##` heading, with an answer heading after
    it; else nothing is changed (fault hunt 43)."""
    first = next((k for k, ln in enumerate(lines) if ln.startswith("## ")), None)
    if first is None:
        return
    at = next((k for k in range(first) if _QUESTION_KEY.match(lines[k])), None)
    if at is None or not any(_ANSWER_SECTION.fullmatch(textnorm.key(ln[3:]))
                             for ln in lines[first:] if ln.startswith("## ")):
        return
    question = _QUESTION_KEY.match(lines[at]).group(1).strip()
    end = at + 1
    while end < first and _PROPERTY.match(lines[end]):
        end += 1
    if end == at + 1:  # (its question alone: no properties list, no template)
        return
    lines[at], lines[at + 1] = "## Question", question
    for k in range(at + 2, end):
        lines[k] = ""


_QUESTION_KEY = re.compile(r"^[-*+]\s+(?:\*\*)?Question(?:\*\*)?\s*::?\s*(?:\*\*)?\s*(\S.*)$")
_PROPERTY = re.compile(r"^[-*+]\s+(?:\*\*)?[A-Za-z][\w -]{0,20}(?:\*\*)?\s*::?\s*\S")
_ANSWER_SECTION = re.compile(r"(?:short|long|detailed|quick|brief|full|sample|model)?answers?")


def label_over_question(text: str, lines: list[str]) -> None:
    """`**Question**:` alone on its line, the question on the lines under it, in the same
    paragraph: the question is put on the label's line, as `**Question**: What …?` is written
    (the card was `Question`, its question the first lines of the answer: 10 cards of one
    note, fault hunt 44). The lines it took are left blank (line numbers stay the note's);
    an answer label, a list, a quote, a table, a heading or code under it is left alone."""
    # (one pattern a colon: one that starts with a character, not a set of two, is looked
    # for at a third of the cost, and a full-width one not at all in ASCII text)
    ends = sorted(m.start() for rx in _LINE_ENDS_LABEL for m in rx.finditer(text))
    for n in _line_numbers(text, ends):
        if n + 1 >= len(lines) or not _BARE_Q_LABEL.match(lines[n]):
            continue
        k = n + 1
        while k < len(lines) and lines[k].strip() and not _NOT_ITS_TEXT.match(lines[k]) and \
                not textnorm.ANSWER_LABEL.match(lines[k]) and not _BARE_Q_LABEL.match(lines[k]):
            k += 1
        if k == n + 1 or _indent(lines[n + 1]) >= _indent(lines[n]) + 4:
            continue
        lines[n] = lines[n].rstrip() + " " + " ".join(ln.strip() for ln in lines[n + 1:k])
        for j in range(n + 1, k):
            lines[j] = ""


# (a line that ends with a colon, maybe in emphasis: where a label alone on its line may be)
_LINE_ENDS_LABEL = [re.compile(c + r"[*_]{0,2}[ \t]*\n") for c in ":："]
# (possessive: blanks between its parts are not tried at each split, a run of them
# polynomial)
_BARE_Q_LABEL = re.compile(r"^ {0,3}(?:[-*+] ++)?[*_]{0,2}+ *+(?:Q|Question|问题|問題|Problem)"
                           r" *+\d{0,3}+(?:\.\d{1,3})*+ *+[*_]{0,2}+ *+[:：] *+[*_]{0,2}+\s*+$",
                           re.IGNORECASE)
_NOT_ITS_TEXT = re.compile(r"\s*(?:[-*+>|#]|\d{1,9}[.)]\s|```|~~~|\$\$|<)")


def bold_after_items(text: str, lines: list[str]) -> None:
    """A bold question alone on its line right after a list's item, no blank line between
    (`- …` then `**Why …?**` then `- …`): to Markdown, more text of that item (a lazy
    continuation), and every question after the first was in the first one's answer (one
    card of nine, fault hunt 44). Where one is, each bold question alone on its line at the
    margin over a list is made a heading of the deepest level, which ends a list where a
    paragraph cannot (without a blank line added, which would move the line numbers)."""
    starts = [0] if text.startswith(("**", "__")) else []
    starts += [m.start() + 1 for rx in _BOLD_START for m in rx.finditer(text)]
    over_lists, lazy = [], False  # (the bold questions over a list: their lines)
    for n in _line_numbers(text, sorted(starts)):
        if n + 1 >= len(lines) or not _ITEM_LINE.match(lines[n + 1]) or \
                not (b := _BOLD_ALONE.fullmatch(lines[n])) or not textnorm.asks(b.group(2)):
            continue
        if n and lines[n - 1].strip():
            k = n - 1  # (lazy only inside a list: its items and their indented lines above)
            while k > 0 and lines[k].strip() and not _ITEM_LINE.match(lines[k]) and \
                    lines[k][:1] == " ":
                k -= 1
            if not _ITEM_LINE.match(lines[k]):
                continue
            lazy = True
        over_lists.append(n)
    if lazy:
        for n in over_lists:
            lines[n] = "###### " + lines[n]


_BOLD_START = [re.compile(r"\n\*\*"), re.compile(r"\n__")]
_BOLD_ALONE = re.compile(r"(\*\*|__)(?!\s)([^*_\n]+?)\1\s*")
_ITEM_LINE = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?: +\S| *$)")


def html_comments(lines: list[str]) -> None:
    """A comment that takes whole lines (`<!--` opening a line, `-->` ending one) is no text:
    its lines are left blank (a question commented out, with its answer, was in the answer
    above it, fault hunt 44). Not in code, nor a comment that shares a line with text."""
    import bisect

    # (the lines that close one, found once: looked for from each opening line, a note of
    # 10,000 unclosed `<!--` lines was quadratic, seconds)
    closing = [k for k, ln in enumerate(lines) if "-->" in ln]
    fence, n = "", 0
    while n < len(lines):
        ln = lines[n]
        fence = _fence_after(ln, fence)
        if not fence and ln.lstrip().startswith("<!--") and not ln.startswith("    "):
            at = bisect.bisect_left(closing, n)
            end = closing[at] if at < len(closing) else None
            if end is not None and lines[end].rstrip().endswith("-->"):
                for k in range(n, end + 1):
                    lines[k] = ""
                n = end + 1
                continue
        n += 1


def block_ids(lines: list[str]) -> None:
    """Obsidian block ids ending a line (`Down-weights easy examples. ^ans-2`, `^frk3ft`: a
    space, a caret, letters, digits and hyphens, three or more, one a letter) are no text:
    they stayed in answers (fault hunt 42); not in code."""
    fence = ""
    for n, ln in enumerate(lines):
        fence = _fence_after(ln, fence)
        if "^" in ln and not fence and not ln.startswith("    ") and \
                (m := textnorm.BLOCK_ID.search(ln)):
            lines[n] = ln[:m.start()].rstrip()


def _fence_after(ln: str, fence: str) -> str:
    """The code fence open after line `ln` ("" for none), `fence` being the one open before
    it: what a fence's markers inside it are not (the blocks of containers and callouts)."""
    f = _FENCE_MARK.match(ln) if ("`" in ln or "~" in ln) else None
    if f and (not fence or (f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence))):
        return "" if fence else f.group(1)
    return fence


def _opening(title: str, after: int, lines: list[str]) -> str:
    """What a container's (or admonition's) first line becomes, its block ending before line
    `after`: a heading over it when its title asks and only blank lines follow it up to the
    next heading (or the end), else its title, or nothing (no title, or one that only says
    the block is an answer)."""
    title = title.strip()
    nxt = next((k for k in range(after, len(lines)) if lines[k].strip()), len(lines))
    if title and textnorm.asks(title) and not textnorm.ANSWER_LABEL.match(title) and (
            nxt == len(lines) or lines[nxt].lstrip().startswith("#")):
        return "###### " + title
    return title if title and not _ANSWER_TITLE.fullmatch(textnorm.key(title)) else ""


# A container's title that only says its text is an answer (`答案`, `查看答案`, `Answer`)
_ANSWER_TITLE = re.compile(r"(?:点击)?(?:查看|展开|显示)?(?:参考)?(?:答案|解答|解析)|"
                           r"(?:show|see|view|reveal|click(?:to)?(?:see|view|show)?)?(?:the)?"
                           r"(?:answers?|solutions?)|details")


def content_tabs(lines: list[str]) -> None:
    """MkDocs content tabs, `=== "Question"` over the question's heading and `=== "Answer"`
    over its answer, each block indented under its label: the blocks as written, at the
    margin (read as Markdown, not as code), the labels gone (a tab's name, no text)."""
    n = 0
    while n < len(lines):
        if not (lines[n].lstrip().startswith("===") and _CONTENT_TAB.match(lines[n])):
            n += 1
            continue
        margin = len(lines[n]) - len(lines[n].lstrip())
        inner = " " * (margin + 4)
        nxt = next((ln for ln in lines[n + 1:] if ln.strip()), "")
        if not nxt.startswith(inner):  # (no block under it: a line of the note's text)
            n += 1
            continue
        lines[n] = ""
        n += 1
        while n < len(lines) and (not lines[n].strip() or lines[n].startswith(inner)):
            lines[n] = lines[n][margin + 4:] if lines[n].strip() else ""
            n += 1


# Logseq's pages: every block a `- ` bullet, nested by tabs, its further lines two spaces in
# (`\t  collapsed:: true`), headings inside bullets (`\t- ## 2、onStart`), tags and page
# links in the text (`#Card`, `[[#red]]`, `[[另一页]]`)
_OUTLINE_BULLET = re.compile(r"^(\t*)-(?: (.*))?$")
_OUTLINE_MORE = re.compile(r"^(\t*)  (.*)$")
_OUTLINE_PROPERTY = re.compile(r"^\s*([\w-]{1,40}):: ")
_OUTLINE_HEADING = re.compile(r"^(#{1,6}) +(.*)$")
_OUTLINE_FENCE = re.compile(r"\s*(?:```|~~~)[^`]*")  # (not ```code``` on its line)
_CARD_TAG = re.compile(r"\s*#\[?\[?card\]?\]?(?![\w-])", re.IGNORECASE)
_COLOR_TAG = re.compile(r"\[\[#(?:red|green|blue|yellow|purple|gray|grey|orange|pink)\]\] ?")
_PAGE_LINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")
# Logseq's own properties: how it shows and schedules a block or names a page, no text of the
# note (a property of the writer's, `rating:: 9`, is kept as written)
_LOGSEQ_PROPERTIES = frozenset((
    "collapsed", "id", "heading", "background-color", "title", "alias", "tags", "icon",
    "public", "template", "template-including-parent", "filters", "ls-type", "hl-type",
    "hl-page", "hl-stamp", "hl-color", "created-at", "updated-at", "card-last-interval",
    "card-repeats", "card-ease-factor", "card-next-schedule", "card-last-reviewed",
    "card-last-score"))


def outline(lines: list[str], unsure: list[Skipped]) -> None:
    """A Logseq page read as the headings and lists its writer made: a heading inside a
    bullet (`\t- ## 2、onStart`) is a heading, what is nested under it its text and lists (a
    bullet of a flashcard, tagged `#card`, a heading: its question, the bullets under it its
    answer; a block after one, beside it, a heading of its own, and said: else it would be
    more of the card's answer); Logseq's properties (`collapsed:: true`) are no text; colour
    tags go, and page links keep their text (`[[X]]`: X). Only a note whose lines are nearly
    all bullets, their further lines, properties and headings, with tabs or properties as
    Logseq writes them: not a Markdown list."""
    said = [ln for ln in lines if ln.strip()]
    kinds = [_OUTLINE_BULLET.match(ln) or _OUTLINE_MORE.match(ln) or _OUTLINE_PROPERTY.match(ln)
             or ln.startswith("#") for ln in said]
    if len(said) < 5 or sum(map(bool, kinds)) < 0.95 * len(said) or not any(
            (ln.startswith("\t") and _OUTLINE_BULLET.match(ln)) or _logseq_property(ln)
            for ln in said):
        return
    # A page with no heading and no flashcard is a list of topics, each top-level block one
    # (as a heading over what is nested under it: in Logseq, a page's blocks are its
    # sections). (Held-out set 86: a page of `- 特征提取：…`, `- K近邻算法，KNN` over its
    # points, … was one list before any heading, skipped whole.)
    topics = not any(ln.startswith("#") or _CARD_TAG.search(ln) or (
        (b := _OUTLINE_BULLET.match(ln)) and _OUTLINE_HEADING.match(b.group(2) or ""))
        for ln in said)
    groups: list[int] = []  # (the lines of such blocks that only name a group)
    n_group = -1  # (the line of the top-level block the line is under)
    # (depth, level, a card's) of the headings the line is under
    heads: list[tuple[int, int, bool]] = []
    depth_of_item = 0
    fence = False
    after_card: tuple[int, int] | None = None  # (depth, level) of a card just ended
    for n, ln in enumerate(lines):
        if not ln.strip():
            continue
        bullet = _OUTLINE_BULLET.match(ln)
        more = None if bullet else _OUTLINE_MORE.match(ln)
        if fence:  # (a block's code: its lines as they are, in its item)
            if more is None and bullet is None:
                continue
            text = (more or bullet).group(2) or ""
            lines[n] = "  " * depth_of_item + "  " + text
            if _OUTLINE_FENCE.fullmatch(text):
                fence = False
            continue
        if bullet is None and more is None:
            if _logseq_property(ln):
                lines[n] = ""  # (a page's property, `title:: …`)
            continue  # (a heading at the margin: the page's own)
        if more is not None:
            text = more.group(2)
            if _logseq_property(text):
                lines[n] = ""
                continue
            # (a further line of the block above it: in its item, or under its heading)
            if heads and len(more.group(1)) == heads[-1][0]:
                lines[n] = _tidy_outline(text)
                continue
            depth_of_item = max(0, len(more.group(1)) - (heads[-1][0] + 1 if heads else 0))
            lines[n] = "  " * depth_of_item + "  " + _tidy_outline(text)
            fence = bool(_OUTLINE_FENCE.fullmatch(text))
            continue
        depth, text = len(bullet.group(1)), bullet.group(2) or ""
        while heads and heads[-1][0] >= depth:
            depth_level_card = heads.pop()
            if depth_level_card[2] and depth_level_card[0] == depth:
                after_card = depth_level_card[:2]
        if not text.strip():
            lines[n] = ""
            continue
        h = _OUTLINE_HEADING.match(text)
        card = _CARD_TAG.search(text) is not None
        in_card = any(c for _, _, c in heads)
        beside = after_card is not None and after_card[0] == depth and not (h or card)
        if topics and (depth == 0 or (depth == 1 and groups and groups[-1] == n_group)):
            # (a block that only names a group, `- 神经网络基础：` over its topics' blocks:
            # they are its sub-sections)
            title = _tidy_outline(text).strip()
            lines[n] = "#" * (2 + depth) + " " + title
            heads.append((depth, 2 + depth, False))
            if depth == 0:
                n_group = n
                if _GROUP_LABEL.fullmatch(title):
                    groups.append(n)
            continue
        if (h or card or beside) and not in_card:
            level = len(h.group(1)) if h else after_card[1] if beside else \
                min(6, (heads[-1][1] + 1) if heads else 2)
            title = _tidy_outline(_CARD_TAG.sub("", h.group(2) if h else text)).strip()
            lines[n] = "#" * level + " " + title if title else ""
            heads.append((depth, level, card))
            if beside:
                unsure.append(Skipped(n + 1, title[:40], "a Logseq block beside a flashcard, "
                                      "after it: read as a heading of its own, not as more of "
                                      "the card's answer"))
            after_card = None
            continue
        after_card = None
        if h:  # (in a card's answer: a part of it, no heading of its own)
            text = h.group(2)
        depth_of_item = max(0, depth - (heads[-1][0] + 1 if heads else 0))
        lines[n] = "  " * depth_of_item + "- " + _tidy_outline(_CARD_TAG.sub("", text))
        fence = bool(_OUTLINE_FENCE.fullmatch(text))


# A block that only names a group of the blocks nested under it: `神经网络基础：`
_GROUP_LABEL = re.compile(r"[^:：。.?？]{1,20}[:：]")


def _logseq_property(ln: str) -> bool:
    m = _OUTLINE_PROPERTY.match(ln)
    return m is not None and m.group(1).lower() in _LOGSEQ_PROPERTIES


def _tidy_outline(text: str) -> str:
    """A block's text without Logseq's colour tags and page-link brackets."""
    if "[[" in text:
        text = _PAGE_LINK.sub(r"\1", _COLOR_TAG.sub("", text))
    return text


# A plain-text note's items, `-- 介绍常见的集成方法` (two hyphens: no Markdown list item)
_DASH_ITEM = re.compile(r"^( {0,3})--(?!-) *(?=\S)")
# A line of SQL: in a note that holds one, `-- …` lines are its comments
_SQL = re.compile(r"\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH)\s+\S")


def dash_items(lines: list[str]) -> None:
    """Lines that open with `--` in a note that lists its questions with them (three or more,
    a third of them asking) are the list items they are meant as (`- …`), not paragraphs of
    text (`--介绍KNN和K-means` over `-- Kmeans的缺点？如何改善？` was one paragraph: a label over
    the questions). Not flags (`--lr 0.1`), nor comments in a note that holds SQL, nor lines
    that ask nothing (a diff, a signature)."""
    at = [n for n, ln in enumerate(lines) if ln.lstrip(" ")[:2] == "--" and _DASH_ITEM.match(ln)
          and not re.match(r"\s*--[A-Za-z]", ln)]
    if len(at) < 3 or 3 * sum(textnorm.asks(_DASH_ITEM.sub("", lines[n])) for n in at) < len(at):
        return
    if any(_SQL.match(ln) for ln in lines):
        return  # (SQL in the note: `-- why is this slow?` is a comment of it)
    fence = False
    marks = set(at)
    for n, ln in enumerate(lines):
        if ln.lstrip().startswith(("```", "~~~")):
            fence = not fence
        elif n in marks and not fence:
            lines[n] = _DASH_ITEM.sub(r"\1- ", ln, count=1)


_INDENTED_ITEM = re.compile(r"^ {4,7}[-*+] +\S+(?: +\S+){2}")  # `    - Count the trees voting …`


def indented_answers(lines: list[str]) -> None:
    """An answer indented four spaces under its heading (`#### 38. Is calibration required?`
    over `    - No, logistic regression …`) is a list the note meant, not the indented code block
    Markdown reads: dedented. Only a block that starts as a list item of words, right under
    an ATX heading (a blank line between or none), every line indented, up to the next line
    that is not."""
    n = 0
    while n < len(lines) - 1:
        if lines[n][:1] != "#":  # (the cheap test first: most lines are no heading)
            n += 1
            continue
        k = n + 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        if k - n > 2 or k == len(lines) or not _INDENTED_ITEM.match(lines[k]):
            n += 1
            continue
        while k < len(lines) and (not lines[k].strip() or lines[k].startswith("    ")):
            lines[k] = lines[k][4:]
            k += 1
        n = k


# A line at column 0 inside a list item's indented answer, the answer going on indented
# after it: a line its writer did not indent (an image or a `参考：` link added under
# `5. 关于正则…？`). Markdown ends the list there, and the rest of the answer and every later
# question read as a new list (five cards lost in one note). Either a line of text after a
# blank line (one right under the answer is read as part of it already), or an item of one
# image (`- ![relu](relu.png)` under `4. Activation functions.`, over its sub-questions: it
# made the questions before it an answer). Not an item of words: a list is made of those.
_STRAY = re.compile(r"\n(?:[ \t]*\n(?![-*+](?:[ \t]|\n)|\d{1,9}[.)](?:[ \t]|\n))([^\s#>|`~<])"
                    r"|([-*+] +!\[[^\]\n]*\]\([^)\n]*\)[ \t]*\n))"
                    r"(?=[^\n]*\n(?:[ \t]*\n)* {2,}\S)")
_ITEM_AT_0 = re.compile(r"(?:[-*+]|\d{1,9}[.)])( {1,4})\S")


# A line that only takes the reader back to the top: `[Back to TOC](#MLOps-Questions)`,
# `[返回目录](#目录)`, `[⬆ back to top](#top)`
_BACK_LINK = re.compile(r"\s*(?:[-*+]\s+)?\[\W*(?:back\s+to\s+(?:the\s+)?(?:top|toc|contents|index|"
                        r"table\s+of\s+contents)|go\s+to\s+top|top|返回目录|回到目录|返回顶部|回到顶部|"
                        r"返回目錄|回到頂部|返回頂部)\W*\]\(#[^)\s]*\)\s*", re.IGNORECASE)


def back_links(lines: list[str]) -> None:
    """Lines that only link back to the top of the note are no text: a section that holds
    nothing else is empty (a question not answered yet), not a table of contents. (Held-out
    set 93: 30 headings each over `[Back to TOC](#MLOps-Questions)` were skipped as tables of
    contents.)"""
    for n, ln in enumerate(lines):
        if "](#" in ln and _BACK_LINK.fullmatch(ln):
            lines[n] = ""


def stray_lines(text: str, lines: list[str]) -> None:
    """A line at column 0 inside a list item's indented answer (the answer goes on, indented,
    after it) is indented with the answer. Only where the item is a question's (numbered, or
    asking with a `?`) at column 0, every line of its answer so far is indented to its text,
    and the next line of text is too."""
    found = list(_STRAY.finditer(text))
    starts = [m.start(1) if m.start(1) >= 0 else m.start(2) for m in found]
    for m, n in zip(found, _line_numbers(text, starts)):
        if n >= len(lines) or not lines[n][:1] or lines[n][0] in " \t":
            continue  # (an earlier repair moved it: left as it is)
        item = _item_over(lines, n, blank_before=m.start(1) >= 0)
        if item is None:
            continue
        k = n + 1
        while m.start(1) >= 0 and k < len(lines) and lines[k].strip():  # (its paragraph)
            k += 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        if k < len(lines) and _indent(lines[k]) >= item:
            lines[n] = " " * item + lines[n]


def _line_numbers(text: str, offsets: list[int]) -> Iterator[int]:
    """The line (0-based) of each offset in `text`, the offsets in increasing order: the
    breaks between one and the next counted, not the text before each."""
    n, at = 0, 0
    for offset in offsets:
        n += text.count("\n", at, offset)
        at = offset
        yield n


def _item_over(lines: list[str], n: int, blank_before: bool) -> int | None:
    """The text column of the list item at column 0 that line `n` follows, right after it or
    after its indented answer (with a blank line between if `blank_before`); or None."""
    k = n - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or (blank_before and k == n - 1):
        return None
    i = k
    while i >= 0 and (not lines[i].strip() or lines[i][0] == " "):
        i -= 1
    m = _ITEM_AT_0.match(lines[i]) if i >= 0 else None
    if m is None or not (lines[i][0].isdigit() or "?" in lines[i] or "？" in lines[i]):
        return None  # (a question's item only: a point's has sub-points that are its peers)
    column = m.end(1)
    if all(_indent(ln) >= column for ln in lines[i + 1:k + 1] if ln.strip()):
        return column
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# `##面经` / `###一面` / `#秋招记录`: the space after the marks left out. CommonMark reads them as
# text (the whole diary then sits before its first heading, its questions swallowed by one
# answer); most Chinese editors show a heading. One `#` only before a CJK character and not
# closed by `#` (`#include`, `#tag`, `#话题#` stay text); never inside a code fence.
_UNSPACED = re.compile(r"^(#{1,6})([^\s#].*)$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FENCE_MARK = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def unspaced_headings(lines: list[str]) -> None:
    """ATX headings written without the space after their marks get it."""
    fence = ""
    for n, ln in enumerate(lines):
        if ln[:1] not in "#`~ ":
            continue
        m = _FENCE_MARK.match(ln)
        if m:
            mark = m.group(1)
            if not fence:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not ln.strip(" " + mark[0]):
                fence = ""
            continue
        if fence or ln[:1] != "#":
            continue
        h = _UNSPACED.match(ln)
        if h is None or ln.startswith("#!"):
            continue
        marks, text = h.groups()
        if len(marks) == 1 and (not _CJK.match(text) or text.endswith("#")):
            continue
        lines[n] = f"{marks} {text}"
