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
`children` is [] and its `content` the block's text, as markdown-it leaves them. Given the
note's `env`, an inline token's children are None instead (not parsed yet) and its meta
holds the env, for the caller's inline parse (notes._children).
"""

from __future__ import annotations

import functools
import re
from types import MappingProxyType

from markdown_it.token import Token

# A line that can only continue a paragraph (or be a one-line item's text): it starts no
# block of its own. Digits are allowed unless they make an ordered-list marker.
_DANGER = frozenset(" \t#>-*+_=`~<|[:")
_ORDERED_MARK = re.compile(r"[0-9]{1,9}[.)](?: |$)")  # ASCII digits only, as CommonMark
_DIGITS = frozenset("0123456789")
_MARK_STARTS = frozenset("-*+0123456789")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
_H_TAG = {"#" * k: f"h{k}" for k in range(1, 7)}  # heading markup -> tag


_new = Token.__new__
# The attrs and meta of a token that has none: one empty mapping for all, read-only (a
# caller that wrote into one would write into every token's)
_NOTHING = MappingProxyType({})

# Tokens are most of scan's time (18 a typical section), so they are made without Token's
# generated __init__ and __post_init__ (attrs None -> {}), one attribute store a statement
# (a tuple assignment packs and unpacks a tuple), and with the constant fields written in
# the helpers below instead of passed as arguments. Every token gets its own attrs and meta
# dicts and map list: callers mutate them.


def _open(type_, tag, map_, level, markup="", info="", hidden=False, attrs=None) -> Token:
    """A block's opening token."""
    t = _new(Token)
    t.type = type_
    t.tag = tag
    t.nesting = 1
    t.attrs = attrs or _NOTHING
    t.map = map_
    t.level = level
    t.children = None
    t.content = ""
    t.markup = markup
    t.info = info
    t.meta = _NOTHING
    t.block = True
    t.hidden = hidden
    return t


def _inline(map_, level, content, meta) -> Token:
    """A block's inline token, its children left to the inline parse (`meta`: see scan)."""
    t = _new(Token)
    t.type = "inline"
    t.tag = ""
    t.nesting = 0
    t.attrs = _NOTHING
    t.map = map_
    t.level = level
    t.children = None if meta else []
    t.content = content
    t.markup = ""
    t.info = ""
    t.meta = meta or {}
    t.block = True
    t.hidden = False
    return t


@functools.lru_cache(maxsize=None)
def _close(type_, tag, level, markup="", hidden=False) -> Token:
    """A block's closing token: one object for all that are alike (a fifth fewer objects to
    make; it holds nothing that differs, and no caller changes a closing token)."""
    t = _new(Token)
    t.type = type_
    t.tag = tag
    t.nesting = -1
    t.attrs = _NOTHING
    t.map = None
    t.level = level
    t.children = None
    t.content = ""
    t.markup = markup
    t.info = ""
    t.meta = _NOTHING
    t.block = True
    t.hidden = hidden
    return t


def _plain(ln: str) -> bool:
    """A line that is paragraph text whatever comes before it (and no table row)."""
    c = ln[0]
    if c in _DANGER or c.isspace() or "|" in ln:
        return False
    return not (c in _DIGITS and _ORDERED_MARK.match(ln))


def heading(ln: str) -> tuple[str, str] | None:
    """(markup, content) of an ATX heading without a closing sequence, or None."""
    # str methods, not a regex: a third cheaper. Same as fullmatch("(#{1,6}) (.*)") (lines
    # hold no "\n") and group 2 stripped.
    body = ln.lstrip("#")
    k = len(ln) - len(body)
    if not 0 < k <= 6 or body[:1] != " ":
        return None
    content = body.strip()
    if not content or content[-1] == "#":
        return None
    return ln[:k], content


def _item(ln: str):
    """(list type, marker char, number text, content) of a one-line list item, or None."""
    # str methods, not the regexes "([-*+]) (\S.*)" and "([0-9]{1,9})([.)]) (\S.*)": half
    # the cost. `\S` needs no test of its own, _plain refuses a leading space of any kind.
    c = ln[0]
    if c in "-*+":
        if len(ln) > 2 and ln[1] == " ":
            rest = ln[2:]
            if _plain(rest):
                return "bullet", c, "", rest.strip()
        return None
    if c in _DIGITS:
        rest = ln.lstrip("0123456789")  # ASCII digits only, as CommonMark
        k = len(ln) - len(rest)
        if k <= 9 and len(rest) > 2 and rest[0] in ".)" and rest[1] == " ":
            text = rest[2:]
            if _plain(text):
                return "ordered", rest[0], ln[:k], text.strip()
    return None


def scan(text: str, env: dict | None = None) -> list[Token] | None:
    """The block tokens markdown-it ("commonmark" + table, inline off) gives `text`, or None
    when the text is not in the plain subset. With `env`: inline tokens as the module's
    docstring says."""
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
    # (one meta for every inline token: read-only, as the inline parse only reads it)
    meta = None if env is None else MappingProxyType({"env": env})
    i = 0
    while i < n:
        ln = lines[i]
        if not ln:
            i += 1
            continue
        c = ln[0]
        if c == " ":
            if ln.strip(" "):
                return None  # indentation
            i += 1  # a line of spaces is blank
            continue
        if c == "#":
            h = heading(ln)
            if h is None:
                return None
            markup, content = h
            tag = _H_TAG[markup]
            push(_open("heading_open", tag, [i, i + 1], 0, markup))
            push(_inline([i, i + 1], 1, content, meta))
            push(_close("heading_close", tag, 0, markup))
            i += 1
        elif c in "`~":
            i = _fence(lines, i, push)
            if i < 0:
                return None
        elif c in "-*+" or (c in _DIGITS and _ORDERED_MARK.match(ln)):
            i = _list(lines, i, push, meta)
            if i < 0:
                return None
        elif _plain(ln):
            j = i + 1
            while j < n and lines[j] and _plain(lines[j]):  # (_plain refuses "  ")
                j += 1
            if j < n and lines[j].strip(" ") and heading(lines[j]) is None:
                return None  # something else interrupts the paragraph: markdown-it decides
            content = ln.strip() if j == i + 1 else "\n".join(lines[i:j]).strip()
            push(_open("paragraph_open", "p", [i, j], 0))
            push(_inline([i, j], 1, content, meta))
            push(_close("paragraph_close", "p", 0))
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
    closing = _closing(markup)
    for k in range(i + 1, len(lines)):
        ln = lines[k]
        if mark in ln[:4] and closing.fullmatch(ln):
            content = "\n".join(lines[i + 1:k]) + "\n" if k > i + 1 else ""
            fence = _open("fence", "code", [i, k + 1], 0, markup, info)
            fence.nesting, fence.content = 0, content  # (a block of its own: no close)
            push(fence)
            return k + 1
    return -1  # never closed: the caller's markdown-it and its repair decide


@functools.lru_cache(maxsize=32)
def _closing(markup: str) -> re.Pattern:
    """The line that closes a fence opened by `markup` (cached: one a fence otherwise)."""
    return re.compile(" {0,3}" + re.escape(markup[0]) + "{%d,} *" % len(markup))


def _list(lines: list[str], i: int, push, meta) -> int:
    """Push the tight list of one-line items starting at line i; the line after it, or -1.
    Items are pushed as they are read; on -1 the caller drops everything pushed."""
    it = _item(lines[i])
    if it is None:
        return -1
    kind, mark, number, content = it
    if kind == "bullet":
        t_open, t_close, tag = "bullet_list_open", "bullet_list_close", "ul"
        lst = _open(t_open, tag, [i, i + 1], 0, mark)
    else:
        start = int(number)
        t_open, t_close, tag = "ordered_list_open", "ordered_list_close", "ol"
        lst = _open(t_open, tag, [i, i + 1], 0, mark,
                    attrs={"start": start} if start != 1 else None)
    push(lst)
    n = len(lines)
    k = i
    while True:
        li = _open("list_item_open", "li", [k, k + 1], 1, mark, number)
        push(li)
        push(_open("paragraph_open", "p", [k, k + 1], 2, "", "", True))
        push(_inline([k, k + 1], 3, content, meta))
        push(_close("paragraph_close", "p", 2, "", True))
        push(_close("list_item_close", "li", 1, mark))
        end = k + 1
        if end >= n:
            break
        ln = lines[end]
        if not ln.strip(" "):
            # a blank line ends the list when what follows is no item of the same list
            # (that would make the list loose); the last item takes the blank lines
            end += 1
            while end < n and not lines[end].strip(" "):
                end += 1
            if end < n and _same_list(lines[end], kind, mark):
                return -1
            li.map[1] = end
            break
        if ln[0] == "#" and heading(ln) is not None:
            break
        it = _item(ln) if ln[0] in _MARK_STARTS else None
        if it is None or it[0] != kind or it[1] != mark:
            return -1  # lazy text, another marker (lazy too, at times): markdown-it decides
        number, content = it[2], it[3]
        k = end
    lst.map[1] = end
    push(_close(t_close, tag, 0, mark))
    return end


def _same_list(ln: str, kind: str, mark: str) -> bool:
    it = _item(ln) if ln[0] in _MARK_STARTS else None
    return it is not None and it[0] == kind and it[1] == mark
