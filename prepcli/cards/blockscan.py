"""markdown-it's block tokens for the plain subset of Markdown, without markdown-it.

markdown-it-py spends ~10 µs a block token (rule chains, state objects, a `logging.debug`
per rule tried): 3.6 s of a 20,000-section import. Most notes are mostly ATX headings,
paragraphs, one-line list items, thematic breaks and fenced code, and for those the tokens
are simple to state exactly. `scan` writes them directly, and returns None as soon as the
text holds anything else (a table, a blockquote, HTML, indentation, a setext underline, a
lazy or loose list, a list or fence interrupting a paragraph, a tab, …). `blocks` scans
what it can and lets markdown-it parse only the sections (from one ATX heading to the next)
that hold anything else. tests/test_blockscan.py compares their tokens with markdown-it's
attribute by attribute on the corpus, the bundled notes and generated documents.

The tokens are the block parser's (`inline` and `text_join` disabled): an inline token's
`children` is [] and its `content` the block's text, as markdown-it leaves them. Given the
note's `env`, an inline token's children are None instead (not parsed yet) and its meta
holds the env, for the caller's inline parse (notes._children).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from itertools import compress, repeat
from types import MappingProxyType

from markdown_it.token import Token

try:  # (markdown-it-py 4 trims a block's text of what Python's strip would, but U+001C-001F
    # and U+0085; 3 strips it: fuzzed, `a\x1c`)
    from markdown_it.common.utils import MD_TRIM_CHARS as _TRIM
except ImportError:
    _TRIM = None

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
    """A line that is paragraph text whatever comes before it (and no table row). (A first
    line that starts with "[" may still start a link definition: see _definition.)"""
    c = ln[0]
    if c not in _DANGER:
        if c.isspace() or "|" in ln:
            return False
        return not (c in _DIGITS and _ORDERED_MARK.match(ln))
    if "|" in ln:
        return False
    if c in "*-+_=":
        # text, unless a list item (the marker, then a space or nothing), a thematic break
        # or a setext underline (the character alone, with spaces): `**bold**`, `-x`, `==`x
        return not ((c in "*-+" and ln[1:2] in ("", " ")) or not ln.replace(c, "").strip(" "))
    if c == "#":  # text unless an ATX heading: `#tag`, `#1`, `####### seven`
        body = ln.lstrip("#")
        return len(ln) - len(body) > 6 or body[:1] not in ("", " ")
    if c in "`~":  # text unless a fence
        return not ln.startswith(c * 3)
    return c == "["  # (not a quote, HTML, indentation, a tab or `:`)


def _definition(text: str) -> bool:
    """Whether a paragraph or an item's text, starting with "[", may start with a link
    definition (`[label]: url`, its label on one line or more)."""
    return text[0] == "[" and "]:" in text


def heading(ln: str) -> tuple[str, str] | None:
    """(markup, content) of an ATX heading without a closing sequence, or None."""
    # str methods, not a regex: a third cheaper. Same as fullmatch("(#{1,6}) (.*)") (lines
    # hold no "\n") and group 2 stripped.
    body = ln.lstrip("#")
    k = len(ln) - len(body)
    if not 0 < k <= 6 or body[:1] != " ":
        return None
    content = body.strip(_TRIM)
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
            text = ln[2:]
            # (most items first, without _item_text's call: no more spaces, no "[")
            if text[0] not in _DANGER and _plain(text):
                return "bullet", c, "", text.strip(_TRIM)
            text = _item_text(text)
            if text is not None:
                return "bullet", c, "", text
        return None
    if c in _DIGITS:
        rest = ln.lstrip("0123456789")  # ASCII digits only, as CommonMark
        k = len(ln) - len(rest)
        if k <= 9 and len(rest) > 2 and rest[0] in ".)" and rest[1] == " ":
            text = _item_text(rest[2:])
            if text is not None:
                return "ordered", rest[0], ln[:k], text
    return None


def _item_text(rest: str) -> str | None:
    """An item's text after its marker and one space: up to three more spaces (five or more
    in all make it indented code), then text in the subset."""
    if rest[0] == " ":
        text = rest.lstrip(" ")
        if len(rest) - len(text) > 3 or not text:
            return None
        rest = text
    return rest.strip(_TRIM) if _plain(rest) and not _definition(rest) else None


def scan(text: str, env: dict | None = None) -> list[Token] | None:
    """The block tokens markdown-it ("commonmark" + table, inline off) gives `text`, or None
    when the text is not in the plain subset. With `env`: inline tokens as the module's
    docstring says."""
    if "\t" in text or "\0" in text or "\r" in text:
        return None
    lines, n = _lines(text)
    out: list[Token] = []
    return out if _scan(lines, 0, n, out, _meta(env)) is None else None


def blocks(text: str, env: dict, parse: Callable[[str, dict], list[Token]]) -> list[Token]:
    """The block tokens markdown-it gives `text`: the plain subset scanned, and only the
    sections that hold anything else given to `parse` (markdown-it's block parse, its inline
    tokens' meta as scan's), not the whole note. (A real note nearly always holds a table, a
    quote or some HTML somewhere: it was parsed whole by markdown-it, twice the time.)

    A section runs from an ATX heading to the next. The parse of a section is used only where
    one parse of the whole note would end its last block at the next heading, as an ATX
    heading ends a paragraph, list, quote or table: not where a fence is still open, an HTML
    block runs on to it or blocks are nested past markdown-it's limit (all take the heading
    in); the section is then parsed together with the following ones. Line numbers are the
    note's."""
    if "\r" in text:  # (markdown-it reads a lone \r as a line end: not one of ours)
        return parse(text, env)
    lines, n = _lines(text)
    meta = _meta(env)
    # the lines that markdown-it must read (a tab, a NUL), and those that may start a
    # section (where they are needed: not in a note that is all in the plain subset)
    odd = [j for j, ln in enumerate(lines) if "\t" in ln or "\0" in ln] \
        if "\t" in text or "\0" in text else []
    heads = _heads(lines) if odd else None
    out: list[Token] = []
    i = 0
    while True:
        # (the section that holds the next odd line is not scanned: the scan ends at its start)
        o = bisect.bisect_left(odd, i)
        stop = n
        if o < len(odd):
            h = bisect.bisect_right(heads, odd[o]) - 1
            stop = heads[h] if h >= 0 else 0
        mark = len(out)
        ended = _scan(lines, i, n, out, meta, max(stop, i))
        if ended is None:
            return out
        bad, clean = ended
        if heads is None:
            heads = _heads(lines)
        if clean:  # (at a heading: what was scanned is final)
            start = bad
        else:  # back to the heading of the section the scan ended in: it is parsed whole
            k = next((k for k in range(len(out) - 1, mark - 1, -1)
                      if out[k].type == "heading_open"), mark)
            start = out[k].map[0] if k < len(out) else i
            del out[k:]
        at = bisect.bisect_right(heads, bad)
        step = 1
        while True:
            end = heads[at + step - 1] if at + step - 1 < len(heads) else len(lines)
            last = end == len(lines)
            known = set(env.get("references", ())), len(env.get("duplicate_refs", ()))
            tokens = parse("\n".join(lines[start:end]) + ("" if last else "\n"), env)
            _env_lines(env, known, start)
            k = -1 if last else _runs_on(tokens, end - start)
            step *= 2
            if k >= 0 and _env_changed(env, known):
                # (link definitions in it, which make no token: it all again, from the same
                # line, the definitions as they were, else they would be read twice)
                _env_back(env, known)
                continue
            # (what comes before a block that runs on is kept; that block is parsed again
            # with twice as many sections after it, till one ends it: linear in the note)
            _add(out, tokens[:k] if k >= 0 else tokens, start)
            if k < 0:
                break
            start += tokens[k].map[0]
        if last:
            return out
        i = end


def _env_lines(env: dict, known: tuple[set, int], start: int) -> None:
    """The link definitions a parse of the note's lines from `start` on added to `env`, given
    the note's line numbers (`known`: the labels and duplicates there before it)."""
    labels, dups = known
    new = [r for key, r in env.get("references", {}).items() if key not in labels]
    for ref in new + env.get("duplicate_refs", [])[dups:]:
        if ref.get("map"):
            ref["map"] = [ref["map"][0] + start, ref["map"][1] + start]


def _env_changed(env: dict, known: tuple[set, int]) -> bool:
    return len(env.get("references", ())) != len(known[0]) or \
        len(env.get("duplicate_refs", ())) != known[1]


def _env_back(env: dict, known: tuple[set, int]) -> None:
    """`env`'s link definitions as they were before a parse (`known`: see _env_lines)."""
    labels, dups = known
    refs = {key: r for key, r in env.get("references", {}).items() if key in labels}
    for name, kept, had in (("references", refs, labels),
                            ("duplicate_refs", env.get("duplicate_refs", [])[:dups], dups)):
        if had:
            env[name] = kept
        else:
            env.pop(name, None)


def _add(out: list[Token], tokens: list[Token], start: int) -> None:
    """Add the tokens of a parse of the note's lines from `start` on, with the note's lines."""
    for t in tokens:
        if t.map is not None:
            t.map = [t.map[0] + start, t.map[1] + start]
    out += tokens


def _heads(lines: list[str]) -> list[int]:
    """The lines that are ATX headings of the subset, wherever they are (in a fence too)."""
    return [j for j in compress(range(len(lines)), map(str.startswith, lines, repeat("#")))
            if heading(lines[j]) is not None]


# markdown-it's limit of nested blocks (the commonmark preset's maxNesting): past it a list
# item takes in every line to the end of the text, headings too (fuzzed: ten nested items)
_MAX_NESTING = 20


def _runs_on(tokens: list[Token], n: int) -> int:
    """The index of a block of the parse of `n` lines that ends in the last one and would
    take in the line after them (a heading) in a parse of more text, or -1: an HTML block
    (types 6 and 7 end only at a blank line), a fence not closed, or blocks nested past
    markdown-it's limit. (Other blocks end at a heading: tests/test_blockscan.py.)"""
    k = next((k for k in range(len(tokens) - 1, -1, -1)
              if tokens[k].map is not None and not tokens[k].level), -1)
    if k < 0 or tokens[k].map[1] < n:
        return -1
    t = tokens[k]
    # a fence never closed holds every line after its opening one
    if t.type == "html_block" or (
            t.type == "fence" and t.content.count("\n") == t.map[1] - t.map[0] - 1) or \
            any(u.level >= _MAX_NESTING - 1 for u in tokens[k:]):
        return k
    return -1


def _lines(text: str) -> tuple[list[str], int]:
    lines = text.split("\n")
    n = len(lines)
    if not lines[-1].strip(" "):
        # a final newline ends the last line and starts none; markdown-it also drops a
        # last line of spaces with no newline after it
        n -= 1
    return lines, n


def _meta(env: dict | None):
    # (one meta for every inline token: read-only, as the inline parse only reads it)
    return None if env is None else MappingProxyType({"env": env})


def _scan(lines: list[str], i: int, n: int, out: list[Token], meta, stop: int | None = None
          ) -> tuple[int, bool] | None:
    """Push the tokens of lines[i:n] onto `out`; None, or where the scan ended: (line,
    clean). Not clean: the line of a block not in the plain subset, and what was pushed of
    its section may be wrong (a blank line and an indented one may make a list loose). The
    scan also ends at line `stop`: clean if it is where a block starts (else at the block
    that runs over it, not clean)."""
    push = out.append
    stop = n if stop is None else stop
    while i < stop:
        ln = lines[i]
        if not ln:
            i += 1
            continue
        c = ln[0]
        if c == " ":
            if ln.strip(" "):
                return i, False  # indentation
            i += 1  # a line of spaces is blank
            continue
        if c in "#`~" and "|" in ln:
            # (a table's header row, where the next line is a row of dashes: `# a | b` over
            # `---`; markdown-it tries tables first: fuzzed)
            return i, False
        if c == "#" and (h := heading(ln)) is not None:
            markup, content = h
            tag = _H_TAG[markup]
            push(_open("heading_open", tag, [i, i + 1], 0, markup))
            push(_inline([i, i + 1], 1, content, meta))
            push(_close("heading_close", tag, 0, markup))
            i += 1
        elif c in "`~" and ln.startswith(c * 3):
            j = _fence(lines, i, n, push)
            if j < 0:
                return i, False
            i = j
        elif c in "-*_" and ln.count(c) >= 3 and not ln.replace(c, "").strip(" "):
            hr = _open("hr", "hr", [i, i + 1], 0, c * (ln.count(c) + 1))  # (markdown-it-py's)
            hr.nesting = 0  # (a block of its own: no close)
            push(hr)
            i += 1
        elif (c in "-*+" and ln[1:2] in (" ", "")) or (c in _DIGITS and _ORDERED_MARK.match(ln)):
            j = _list(lines, i, n, push, meta)
            if j < 0:
                return i, False
            i = j
        elif _plain(ln):
            j = i + 1
            while j < n and lines[j] and _plain(lines[j]):  # (_plain refuses "  ")
                j += 1
            if j < n and lines[j].strip(" ") and heading(lines[j]) is None:
                return i, False  # something else interrupts the paragraph: markdown-it decides
            if c == "[" and _definition("\n".join(lines[i:j])):
                return i, False
            content = ln.strip(_TRIM) if j == i + 1 else "\n".join(lines[i:j]).strip(_TRIM)
            push(_open("paragraph_open", "p", [i, j], 0))
            push(_inline([i, j], 1, content, meta))
            push(_close("paragraph_close", "p", 0))
            i = j
        else:
            return i, False
    return None if stop >= n else (stop, i == stop)


def _fence(lines: list[str], i: int, n: int, push) -> int:
    """Push the fence opening at line i (of n); the line after it, or -1 if not a simple
    fence."""
    m = _FENCE.fullmatch(lines[i])
    if not m:
        return -1
    markup, info = m.groups()
    mark = markup[0]
    if mark == "`" and "`" in info:
        return -1
    closing = _closing(markup)
    for k in range(i + 1, n):
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


def _list(lines: list[str], i: int, n: int, push, meta) -> int:
    """Push the tight list of one-line items starting at line i (of n); the line after it,
    or -1. Items are pushed as they are read; on -1 the caller drops what was pushed."""
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
