"""markdown-it's block tokens for the plain subset of Markdown, without markdown-it.

markdown-it-py spends ~10 µs a block token (rule chains, state objects, a `logging.debug`
per rule tried): 3.6 s of a 20,000-section import. Most notes are mostly ATX headings,
paragraphs, one-line list items and fenced code, and for those the tokens are simple to
state exactly. `scan` writes them directly, and returns None as soon as the text holds
anything else (a table, a blockquote, HTML, indentation, a setext underline, a lazy or
loose list, a list or fence interrupting a paragraph, a tab, …): the caller then lets
markdown-it parse the whole text. tests/test_blockscan.py compares the two token streams
attribute by attribute on the corpus, the bundled notes and generated documents.

The tokens are the block parser's (`inline` and `text_join` disabled): an inline token's
`children` is [] and its `content` the block's text, as markdown-it leaves them.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

# A line that can only continue a paragraph (or be a one-line item's text): it starts no
# block of its own. Digits are allowed unless they make an ordered-list marker.
_DANGER = frozenset(" \t#>-*+_=`~<|[:")
_ORDERED_MARK = re.compile(r"[0-9]{1,9}[.)](?: |$)")  # ASCII digits only, as CommonMark
_DIGITS = frozenset("0123456789")
_MARK_STARTS = frozenset("-*+0123456789")
_HEADING = re.compile(r"(#{1,6}) (.*)")
_BULLET = re.compile(r"([-*+]) (\S.*)")
_ORDERED = re.compile(r"([0-9]{1,9})([.)]) (\S.*)")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")


_new = Token.__new__


def _tok(type_, tag, nesting, attrs, map_, level, children, content, markup, info, meta, block,
         hidden=False) -> Token:
    """Token(...) as markdown-it makes it, at half the cost: its generated __init__ and
    __post_init__ (attrs None -> {}) are most of a token's price."""
    t = _new(Token)
    t.type, t.tag, t.nesting, t.attrs, t.map, t.level = type_, tag, nesting, attrs or {}, map_, level
    t.children, t.content, t.markup, t.info, t.meta = children, content, markup, info, meta
    t.block, t.hidden = block, hidden
    return t


def _plain(ln: str) -> bool:
    """A line that is paragraph text whatever comes before it (and no table row)."""
    c = ln[0]
    if c in _DANGER or c.isspace() or "|" in ln:
        return False
    return not (c in _DIGITS and _ORDERED_MARK.match(ln))


def heading(ln: str) -> tuple[str, str] | None:
    """(markup, content) of an ATX heading without a closing sequence, or None."""
    m = _HEADING.fullmatch(ln)
    if not m:
        return None
    content = m.group(2).strip()
    if not content or content.endswith("#"):
        return None
    return m.group(1), content


def _item(ln: str):
    """(list type, marker char, number text, content) of a one-line list item, or None."""
    c = ln[0]
    if c in "-*+":
        m = _BULLET.fullmatch(ln)
        if m and _plain(m.group(2)):
            return "bullet", c, "", m.group(2).strip()
        return None
    if c in _DIGITS:
        m = _ORDERED.fullmatch(ln)
        if m and _plain(m.group(3)):
            return "ordered", m.group(2), m.group(1), m.group(3).strip()
    return None


def scan(text: str) -> list[Token] | None:
    """The block tokens markdown-it ("commonmark" + table, inline off) gives `text`, or None
    when the text is not in the plain subset."""
    if "\t" in text or "\0" in text or "\r" in text:
        return None
    lines = text.split("\n")
    if not lines[-1].strip(" "):
        # a final newline ends the last line and starts none; markdown-it also drops a
        # last line of spaces with no newline after it
        lines.pop()
    n = len(lines)
    out: list[Token] = []
    push = out.append
    i = 0
    while i < n:
        ln = lines[i]
        if not ln.strip(" "):
            i += 1
            continue
        c = ln[0]
        if c == "#":
            h = heading(ln)
            if h is None:
                return None
            markup, content = h
            tag = "h" + str(len(markup))
            push(_tok("heading_open", tag, 1, None, [i, i + 1], 0, None, "", markup, "", {},
                       True))
            push(_tok("inline", "", 0, None, [i, i + 1], 1, [], content, "", "", {}, True))
            push(_tok("heading_close", tag, -1, None, None, 0, None, "", markup, "", {}, True))
            i += 1
        elif c in "`~":
            i = _fence(lines, i, push)
            if i < 0:
                return None
        elif c in "-*+" or (c in _DIGITS and _ORDERED_MARK.match(ln)):
            i = _list(lines, i, push)
            if i < 0:
                return None
        elif _plain(ln):
            j = i + 1
            while j < n and lines[j].strip(" ") and _plain(lines[j]):
                j += 1
            if j < n and lines[j].strip(" ") and heading(lines[j]) is None:
                return None  # something else interrupts the paragraph: markdown-it decides
            content = "\n".join(lines[i:j]).strip()
            push(_tok("paragraph_open", "p", 1, None, [i, j], 0, None, "", "", "", {}, True))
            push(_tok("inline", "", 0, None, [i, j], 1, [], content, "", "", {}, True))
            push(_tok("paragraph_close", "p", -1, None, None, 0, None, "", "", "", {}, True))
            i = j
        else:
            return None
    return out


def _fence(lines: list[str], i: int, push) -> int:
    """Push the fence opening at line i; the line after it, or -1 if not a simple fence."""
    m = _FENCE.fullmatch(lines[i])
    if not m:
        return -1
    markup, info = m.groups()
    mark = markup[0]
    if mark == "`" and "`" in info:
        return -1
    closing = re.compile(" {0,3}" + re.escape(mark) + "{%d,} *" % len(markup))
    for k in range(i + 1, len(lines)):
        ln = lines[k]
        if mark in ln[:4] and closing.fullmatch(ln):
            content = "".join(x + "\n" for x in lines[i + 1:k])
            push(_tok("fence", "code", 0, None, [i, k + 1], 0, None, content, markup, info,
                       {}, True))
            return k + 1
    return -1  # never closed: the caller's markdown-it and its repair decide


def _list(lines: list[str], i: int, push) -> int:
    """Push the tight list of one-line items starting at line i; the line after it, or -1."""
    it = _item(lines[i])
    if it is None:
        return -1
    kind, mark, number, _ = it
    n = len(lines)
    items = []  # [start line, end line, number, content]
    k = i
    while True:
        items.append([k, k + 1, it[2], it[3]])
        nxt = k + 1
        if nxt >= n:
            break
        ln = lines[nxt]
        if not ln.strip(" "):
            # a blank line ends the list when what follows is no item of the same list
            # (that would make the list loose); the last item takes the blank lines
            j = nxt + 1
            while j < n and not lines[j].strip(" "):
                j += 1
            if j < n and _same_list(lines[j], kind, mark):
                return -1
            items[-1][1] = j
            break
        if ln[0] == "#" and heading(ln) is not None:
            break
        it = _item(ln) if ln[0] in _MARK_STARTS else None
        if it is None or it[0] != kind or it[1] != mark:
            return -1  # lazy text, another marker (lazy too, at times): markdown-it decides
        k = nxt
    end = items[-1][1]
    if kind == "bullet":
        attrs, t_open, t_close, tag = None, "bullet_list_open", "bullet_list_close", "ul"
    else:
        start = int(number)
        attrs = {"start": start} if start != 1 else None
        t_open, t_close, tag = "ordered_list_open", "ordered_list_close", "ol"
    push(_tok(t_open, tag, 1, attrs, [i, end], 0, None, "", mark, "", {}, True))
    for a, b, num, content in items:
        push(_tok("list_item_open", "li", 1, None, [a, b], 1, None, "", mark, num, {}, True))
        push(_tok("paragraph_open", "p", 1, None, [a, a + 1], 2, None, "", "", "", {}, True,
                   True))
        push(_tok("inline", "", 0, None, [a, a + 1], 3, [], content, "", "", {}, True))
        push(_tok("paragraph_close", "p", -1, None, None, 2, None, "", "", "", {}, True,
                   True))
        push(_tok("list_item_close", "li", -1, None, None, 1, None, "", mark, "", {}, True))
    push(_tok(t_close, tag, -1, None, None, 0, None, "", mark, "", {}, True))
    return end


def _same_list(ln: str, kind: str, mark: str) -> bool:
    it = _item(ln) if ln[0] in _MARK_STARTS else None
    return it is not None and it[0] == kind and it[1] == mark
