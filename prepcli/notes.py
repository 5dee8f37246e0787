"""Markdown interview notes -> card drafts.

The notes are parsed with a CommonMark parser (markdown-it-py); cards are decided from the
heading tree plus the patterns that occur in real notes:

- a heading with a body is a question (or topic) and its body the answer;
- a heading with sub-headings and no body of its own is a container: its sub-headings are the
  cards. A deeper heading after a heading that *has* a body is a sibling topic, not a sub-part,
  unless the two share a term (`## NMS 实现` then `### 梯度消失与爆炸`);
- date headings (`### 2019.4.26`) are never questions: the bold bullets (`- **1x1 conv**`) and
  sub-headings under them are;
- a fenced block with no language whose lines read `question：answer` holds one card per line;
  an empty answer makes a `prompt` card;
- a section with no body, or only links or images, is a `prompt` card: a question the notes do
  not answer yet;
- answers are the note's own source lines (code, tables, `$$` math, images kept intact).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from prepcli import textnorm
from prepcli.errors import PrepError


@dataclass
class Draft:
    """A card as read from a note, before it has an id or a deck."""

    question: str
    answer: str
    kind: str  # "qa" or "prompt"
    line: int  # 1-based line in the note
    path: list[str]  # headings above it (where it came from)
    topics: list[str]  # the part of `path` that says what it is about (for tags)
    tags: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    line: int
    what: str
    reason: str


@dataclass
class ParsedNote:
    drafts: list[Draft]
    skipped: list[Skipped]


def read_note(path: Path) -> str:
    """Read a note as text: UTF-8 (with or without BOM) or GB18030; any newline style."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PrepError(f"cannot read the note: {e.strerror}", file=str(path)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            raise PrepError("not UTF-8 or GB18030 text; save the note as UTF-8",
                            file=str(path), line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_MD = MarkdownIt("commonmark").enable("table")

# A `question：answer` line: not indented, a full-width or ASCII colon.
_QA_LINE = re.compile(r"^(\S[^：:]*?)\s*[：:]\s*(.*)$")
# Words that mark a heading link as a mere pointer ("[link](...)") rather than its title.
_LINK_WORDS = {"link", "links", "blog", "githublink", "here", "链接", "参考", "source", "paper"}
# Text that carries no content of its own when it stands beside links ("参考：https://...").
_POINTER_TEXT = re.compile(
    r"https?://\S+|参考|參考|详情查看|详见|链接|来源|link|blog|reference|see|[\s:：,，.。()（）<>/|-]",
    re.IGNORECASE)
_LATIN_TERM = re.compile(r"[a-z][a-z0-9\-]{2,}", re.IGNORECASE)
_BOLD_LEAD = re.compile(r"^(\*\*|__)(.+?)\1")


@dataclass
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


def parse_note(text: str) -> ParsedNote:
    lines = text.split("\n")
    tokens = _MD.parse(text)
    headings = _headings(tokens, len(lines))
    for h in headings:
        h.has_body = _has_content(tokens[h.tokens[0]:h.tokens[1]])
    _link_tree(headings)

    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    first = headings[0].line if headings else len(lines)
    pre = tokens[:headings[0].tokens[0] - 3] if headings else tokens
    if _has_content(pre):
        what = "\n".join(lines[0:first]).strip().splitlines()[0]
        reason = ("table-of-contents marker" if textnorm.is_toc(what)
                  else "text before the first heading")
        skipped.append(Skipped(1, what[:60], reason))

    for h in headings:
        path = [a.title for a in _ancestors(h)]
        topics = [t for t in path if not textnorm.is_date(t)]
        body_tokens = tokens[h.tokens[0]:h.tokens[1]]
        if textnorm.is_date(h.title):
            _date_section(h, lines, body_tokens, path + [h.title], topics, drafts, skipped)
            continue
        if textnorm.is_toc(h.title):
            if h.has_body or not h.children:
                skipped.append(Skipped(h.line + 1, h.title, "table of contents"))
            continue
        if not h.title:
            skipped.append(Skipped(h.line + 1, "(empty heading)", "heading has no text"))
            continue
        answer, qa_drafts = _section_answer(h, lines, body_tokens, path + [h.title],
                                            topics + [h.title])
        drafts_here = []
        if answer.strip() or not h.children:
            kind = "qa" if _has_content(body_tokens, ignore_qa_fences=True) else "prompt"
            drafts_here.append(Draft(h.title, answer if answer.strip() else "", kind,
                                     h.line + 1, path, topics))
        drafts.extend(drafts_here + qa_drafts)
    return ParsedNote(drafts, skipped)


# --- heading tree -----------------------------------------------------------------------

def _headings(tokens: list[Token], nlines: int) -> list[_Heading]:
    out: list[_Heading] = []
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and t.level == 0 and t.map:
            title = textnorm.clean_title(_plain(tokens[i + 1]))
            # heading_open, inline, heading_close: the body starts after them
            out.append(_Heading(int(t.tag[1]), title, t.map[0], (t.map[1], nlines),
                                (i + 3, len(tokens))))
    for a, b in zip(out, out[1:]):
        a.body = (a.body[0], b.line)
        a.tokens = (a.tokens[0], b.tokens[0] - 3)
    return out


def _link_tree(headings: list[_Heading]) -> None:
    stack: list[_Heading] = []
    for h in headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        h.parent = stack[-1] if stack else None
        if h.parent:
            h.parent.children.append(h)
        stack.append(h)
    for h in headings:
        p = h.parent
        # A deeper heading right after a section that already has its own answer is a sibling
        # topic written one level too deep, unless it visibly continues the parent's subject.
        # Top-level (H1) sections are chapters: what is under them belongs to them.
        while (p is not None and p.level >= 2 and p.has_body
               and not textnorm.is_date(p.title) and not _shares_term(p.title, h.title)):
            p = p.topic_parent
        h.topic_parent = p


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
    out, inside = [], False
    for t in tokens:
        if t.level == 0 and t.map:
            inside = span[0] <= t.map[0] < span[1]
        if inside:
            out.append(t)
    return out


def _plain(inline: Token) -> str:
    """Plain text of an inline token: links keep their text unless it is a mere pointer."""
    parts: list[str] = []
    link_text: list[str] | None = None
    for c in inline.children or []:
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


def _has_content(tokens: list[Token], ignore_qa_fences: bool = False) -> bool:
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
            if re.sub(r"<img\b[^>]*>|<br\s*/?>|<!--.*?-->", "", t.content, flags=re.S).strip():
                return True
        elif t.type == "inline":
            if _inline_has_content(t):
                return True
    return False


def _inline_has_content(inline: Token) -> bool:
    in_link = 0
    for c in inline.children or []:
        if c.type == "link_open":
            in_link += 1
        elif c.type == "link_close":
            in_link -= 1
        elif c.type in ("text", "code_inline") and not in_link:
            if _POINTER_TEXT.sub("", c.content).strip():
                return True
    return False


def _is_qa_fence(t: Token) -> bool:
    """A fence with no language whose unindented lines mostly read `question：answer`."""
    if t.type != "fence" or t.info.strip():
        return False
    heads = [ln for ln in t.content.split("\n") if ln.strip() and not ln[0].isspace()]
    qa = [m for m in map(_QA_LINE.match, heads) if m and len(textnorm.key(m.group(1))) >= 5]
    return len(qa) >= 2 and len(qa) >= 0.6 * len(heads)


# --- sections ---------------------------------------------------------------------------

def _section_answer(h: _Heading, lines: list[str], body: list[Token], path: list[str],
                    topics: list[str]) -> tuple[str, list[Draft]]:
    """The section's answer (its own lines, minus question fences) and the fence cards."""
    drop: list[tuple[int, int]] = []
    drafts: list[Draft] = []
    items: list[Token] = []  # open list items around the current token
    for i, t in enumerate(body):
        if t.type == "list_item_open":
            items.append(t)
        elif t.type == "list_item_close":
            items.pop()
        elif _is_qa_fence(t):
            item = items[-1] if items else None
            where = list(path)
            item_title = _item_title(body, item) if item else ""
            if item_title:
                where.append(item_title)
            drafts.extend(_qa_fence_cards(t, where, topics + ([item_title] if item_title else [])))
            if item is not None and _item_is_title_and_fences(body, item):
                drop.append(tuple(item.map))
            else:
                drop.append(tuple(t.map))
    keep = [ln for n, ln in enumerate(lines[h.body[0]:h.body[1]], start=h.body[0])
            if not any(a <= n < b for a, b in drop)]
    return _tidy(keep), drafts


def _item_title(body: list[Token], item: Token) -> str:
    i = body.index(item)
    if i + 2 < len(body) and body[i + 1].type == "paragraph_open":
        title = textnorm.clean_title(_plain(body[i + 2]))
        return title if len(title) <= 40 else ""  # a long paragraph is not a title
    return ""


def _item_is_title_and_fences(body: list[Token], item: Token) -> bool:
    i = body.index(item)
    kinds = []
    for t in body[i + 1:]:
        if t.type == "list_item_close" and t.level == item.level:
            break
        if t.level == item.level + 1 and t.nesting != -1:
            kinds.append("qa" if _is_qa_fence(t) else t.type)
    return kinds[:1] == ["paragraph_open"] and all(k == "qa" for k in kinds[1:]) \
        and "qa" in kinds


def _qa_fence_cards(t: Token, path: list[str], topics: list[str]) -> list[Draft]:
    out: list[Draft] = []
    first_line = t.map[0] + 2  # 1-based line of the fence's first content line
    current: tuple[str, list[str], int] | None = None

    def flush():
        if current is None:
            return
        q, ans, ln = current
        first, rest = ans[0], textwrap.dedent("\n".join(ans[1:]))
        answer = _tidy(([first, ""] if first else []) + rest.split("\n"))
        tags = ["高频"] if "高频" in q else []
        out.append(Draft(textnorm.clean_title(q), answer, "qa" if answer.strip() else "prompt",
                         ln, path, topics, tags))

    for n, ln in enumerate(t.content.split("\n")):
        m = _QA_LINE.match(ln) if ln.strip() and not ln[0].isspace() else None
        if m:
            flush()
            current = (m.group(1), [m.group(2).strip()], first_line + n)
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
            kids = inline.children or []
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
        kind = "qa" if answer and _has_content(_MD.parse(answer)) else "prompt"
        drafts.append(Draft(topic, answer, kind, line + 1, path, topics))


def _tidy(lines: list[str]) -> str:
    """Trailing spaces off, no runs of blank lines, no blank lines at either end."""
    out: list[str] = []
    for ln in lines:
        ln = ln.rstrip()
        if ln or (out and out[-1]):
            out.append(ln)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
