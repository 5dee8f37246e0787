"""Card Markdown -> terminal text (rich), with LaTeX shown as readable Unicode and images as
placeholders. Pure: returns rendered lines; never reads the environment.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, unquote_plus

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markdown import Markdown, Paragraph, TableElement
from rich.table import Table

from prepcli.errors import safe_text
from prepcli.screens.wrap import HARD_BREAK, CJKText

_FENCE = re.compile(r"^\s*(```|~~~)")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
# inline math may run over one line break (notes are often hard-wrapped)
_INLINE = re.compile(r"(?<![\\$])\$(?!\s)((?:[^$\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\$)")
# the alt text may itself hold brackets: ![[公式]](…)
_IMAGE = re.compile(r"!\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)[^)]*\)")
# the TeX of a formula image: zhihu's equation?tex=…, codecogs' …latex?… or ?latex=…
_TEX_URL = re.compile(r"[?&](?:tex|latex)=([^&#]+)|\.latex\?([^&#]+)")
# `*` between operands (K*K*Cin, 3*3, (a+b)*c) is multiplication, never emphasis
_TIMES = re.compile(r"(?<=[A-Za-z0-9)\]}])\*(?!\*)(?=[A-Za-z0-9(\[{])")
_HIGHLIGHT = re.compile(r"(?<!=)==(?=[^\s=])([^=\n]+?)(?<=[^\s=])==(?!=)")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*["']([^"']*)["']""", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_SUB = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SUP = str.maketrans("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ")


_FUNCS = ("log", "ln", "exp", "max", "min", "sin", "cos", "tan", "tanh", "arg", "det", "lim")
_SPACING = re.compile(r"\\q?quad\b|\\[:;, ]|~")
_DROP = re.compile(r"\\(?:no)?limits\b|\\right\s*\.|\\(?:left|right|big|Big|bigg|Bigg)\b"
                   r"|(?<!\\)&")  # & only aligns rows
_GLUED_FRAC = re.compile(r"(?<=[\w})])(\s*)\\[dt]?frac\b")
_BRACE = re.compile(r"\\([{}])")
_HOLE = 0xE000  # private-use characters stand for converted sub/superscripts meanwhile


@lru_cache(maxsize=1)
def _latex():
    from pylatexenc.latex2text import (LatexNodes2Text, MacroTextSpec,
                                       get_default_latex_context_db)

    def frac(node, l2tobj):
        args = node.nodeargd.argnlist[-2:] if node.nodeargd else []
        num, den = (l2tobj.nodelist_to_text([a]) if a is not None else "" for a in args)
        wrap = lambda s: f"({s})" if re.search(r"[\s+\-*/]", s.strip()) else s  # noqa: E731
        return f"{wrap(num.strip())}/{wrap(den.strip())}"

    db = get_default_latex_context_db().filter_context(keep_categories=None)
    db.add_context_category("prep", prepend=True, macros=[
        MacroTextSpec("frac", simplify_repl=frac),
        MacroTextSpec("dfrac", simplify_repl=frac),
        MacroTextSpec("tfrac", simplify_repl=frac),
        # a function name keeps a space before its argument: \log y -> "log y", not "logy"
        *(MacroTextSpec(f, simplify_repl=f + " ") for f in _FUNCS),
    ])
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces="based-on-source")


def latex_to_unicode(src: str) -> str:
    """Readable Unicode for a LaTeX formula; the source itself if conversion fails or would
    leave TeX behind (a backslash command, a brace): the source beats garbage."""
    try:
        text = _convert(src)
    except Exception:  # pylatexenc raises many kinds on malformed input; keep the source
        return src
    return text or src


def _convert(src: str) -> str:
    holes: list[str] = []
    body = _DROP.sub("", src)
    body = _SPACING.sub(r"\\ ", body)
    body = _bracket_glued_fracs(body)
    body = _BRACE.sub(lambda m: _hole(m.group(1), holes), body)
    body = _scripts(body, holes)
    text = _latex().latex_to_text(body)
    if re.search(r"\\[A-Za-z]|[{}]", text):  # TeX the converter did not understand
        raise ValueError(text)
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.replace("\u00a0", " ").split("\n")]
    lines = [re.sub(r"(?<=\S) (?=[,.;)])", "", ln) for ln in lines if ln]
    lines = [re.sub(rf"(?<![A-Za-z])({'|'.join(_FUNCS)}) (?=[(\[])", r"\1", ln) for ln in lines]
    for i in range(len(holes) - 1, -1, -1):  # later holes may sit inside earlier ones
        lines = [ln.replace(chr(_HOLE + i), holes[i]) for ln in lines]
    return "\n".join(_cases(lines))


def _cases(lines: list[str]) -> list[str]:
    """Rows after a line with an open `{` (a cases block) line up after that brace."""
    for k, line in enumerate(lines[:-1]):
        if line.endswith("{"):
            line = f"{line} {lines[k + 1]}"
            lines = lines[:k] + [line] + lines[k + 2:]
        if line.count("{") > line.count("}"):
            pad = " " * (cell_len(line[:line.rindex("{") + 1]) + 1)
            return lines[:k + 1] + [pad + r for r in lines[k + 1:]]
    return lines


def _bracket_glued_fracs(src: str) -> str:
    """λ\\frac{1}{N} -> λ(\\frac{1}{N}): a fraction right after a symbol is bracketed whole,
    so it reads λ(1/N), not λ1/N."""
    out, pos = [], 0
    for m in _GLUED_FRAC.finditer(src):
        if m.start() < pos:
            continue
        try:
            first = _closing(src, _skip_spaces(src, m.end()))
            second = _closing(src, _skip_spaces(src, first + 1))
        except ValueError:
            continue
        out += [src[pos:m.start()], "(", src[m.start():second + 1], ")"]
        pos = second + 1
    return "".join(out) + src[pos:]


def _skip_spaces(src: str, i: int) -> int:
    while i < len(src) and src[i].isspace():
        i += 1
    return i


def _scripts(src: str, holes: list[str]) -> str:
    """Replace every `_x`, `^{…}` by a hole standing for its readable form: Unicode sub- or
    superscripts where every character has one (x², αᵢ), else the mark with the body in
    brackets when it needs them (e^(x_label), L^(soft), ∑ⱼ₌₁^N)."""
    out, i = [], 0
    while i < len(src):
        ch = src[i]
        if ch == "\\" and i + 1 < len(src):
            m = re.match(r"\\([A-Za-z]+|.)", src[i:])
            out.append(m.group(0))
            i += len(m.group(0))
            continue
        if ch not in "_^":
            out.append(ch)
            i += 1
            continue
        j = i + 1
        while j < len(src) and src[j] == " ":
            j += 1
        if j >= len(src):
            out.append(ch)
            break
        if src[j] == "{":
            end = _closing(src, j)
            raw, j = src[j + 1:end], end + 1
        elif src[j] == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", src[j:])
            raw, j = m.group(0), j + len(m.group(0))
        else:  # TeX takes one character; notes mean AP_50 as one number, so digits run on
            m = re.match(r"[0-9]+|.", src[j:])
            raw, j = m.group(0), j + len(m.group(0))
        body = _convert(raw) if raw.strip() else ""
        form = _script(ch, body)
        if form.startswith(ch) and j < len(src) and src[j].isalnum():
            form += " "  # ∑^N e, not ∑^Ne
        out.append(_hole(form, holes))
        i = j
    return "".join(out)


def _hole(text: str, holes: list[str]) -> str:
    holes.append(text)
    return chr(_HOLE + len(holes) - 1)


def _closing(src: str, start: int) -> int:
    if start >= len(src) or src[start] != "{":
        raise ValueError("no group")
    depth = 0
    for k in range(start, len(src)):
        if src[k] == "{" and (k == 0 or src[k - 1] != "\\"):
            depth += 1
        elif src[k] == "}" and src[k - 1] != "\\":
            depth -= 1
            if depth == 0:
                return k
    raise ValueError("unbalanced braces")


def _script(mark: str, body: str) -> str:
    table = _SUB if mark == "_" else _SUP
    if body and all(ord(c) in table for c in body):
        return body.translate(table)
    if mark == "^" and body in ("*", "∗", "′", "'", "†"):
        return body
    if len(body) <= 1 or re.fullmatch(r"[^\W_]+", body) or re.fullmatch(r"\(.*\)", body):
        return mark + body
    return f"{mark}({body})"


def prepare(markdown: str, base: Path | None = None) -> str:
    """Markdown with math converted and images replaced by placeholders (code left alone)."""
    out, in_code, chunk = [], False, []

    def flush():
        if chunk:
            out.append(_prose("\n".join(chunk), base))
            chunk.clear()

    for line in markdown.split("\n"):
        if _FENCE.match(line):
            if not in_code:
                flush()
            in_code = not in_code
            out.append(line)
        elif in_code:
            out.append(line)
        else:
            chunk.append(line)
    flush()
    return "\n".join(out)


def _prose(text: str, base: Path | None) -> str:
    def display(m):
        start = text.rfind("\n", 0, m.start()) + 1
        line = text[start:m.start()]
        # a formula inside a list item stays inside it: indent the block like the item's text
        marker = re.match(r"[ \t]*(?:[-*+]|\d+[.)])?[ \t]*", line).group(0)
        indent = " " * len(marker if line.strip() else line)
        body = latex_to_unicode(m.group(1)).replace("\n", "\n" + indent)
        return f"\n\n{indent}```text\n{indent}{body}\n{indent}```\n\n"

    def image(alt, path):
        tex = _TEX_URL.search(path)
        if tex:  # a formula image: its TeX is in the URL, so show the formula itself
            src = unquote_plus(tex.group(1)) if tex.group(1) else unquote(tex.group(2))
            return _escape(latex_to_unicode(src).replace("\n", " "))
        where = ""
        if not re.match(r"https?://", path):
            exists = base is not None and (base / path).exists()
            where = "" if exists else " (missing)"
        return _escape(f"[image: {alt or 'untitled'} — {path}{where}]")

    lines = text.split("\n")
    text = "\n".join(_BR.sub(HARD_BREAK, ln) if _TABLE_ROW.match(ln) else ln for ln in lines)
    text = _BR.sub("\n", text)
    text = _DISPLAY.sub(display, text)
    parts = re.split(r"(`[^`\n]*`)", text)  # leave inline code as written
    for i in range(0, len(parts), 2):
        p = _INLINE.sub(lambda m: _escape(latex_to_unicode(m.group(1).replace("\n", " "))),
                        parts[i])
        p = _IMAGE.sub(lambda m: image(m.group(1), m.group(2)), p)
        p = _HTML_IMG.sub(lambda m: _html_image(m.group(0), image), p)
        p = _TIMES.sub(r"\\*", p)
        p = _HIGHLIGHT.sub(r"**\1**", p)
        parts[i] = p
    return "".join(parts)


def _escape(text: str) -> str:
    """Text that Markdown shows as it is (converted math holds `*`, `_`, `|`, …)."""
    return re.sub(r"([\\`*_<>#|~=$])", r"\\\1", text)


def _html_image(tag: str, image) -> str:
    attrs = {k.lower(): v for k, v in _ATTR.findall(tag)}
    return image(attrs.get("alt", ""), attrs.get("src", "?"))


def render(markdown: str, width: int, *, color: bool = True, base: Path | None = None,
           bold: bool = False) -> list[str]:
    """Render to lines of ANSI text `width` cells wide. Control characters in the text are
    shown, not obeyed (ESC as `^[`): a card's `ESC[2J` had reached the screen's parser, which
    dropped part of each and showed the rest (`1049l`, `0;TITLE`: fault hunt 19)."""
    markdown = safe_text(markdown)
    buf = io.StringIO()
    console = Console(file=buf, width=max(20, width), force_terminal=True,
                      color_system="truecolor" if color else None, no_color=not color,
                      highlight=False, emoji=False, legacy_windows=False)
    md = _Markdown(prepare(markdown, base), code_theme="monokai" if color else "bw",
                   hyperlinks=False)
    console.print(md, style="bold" if bold else "", crop=False)
    lines = buf.getvalue().rstrip("\n").split("\n")
    return lines


class _Paragraph(Paragraph):
    """A paragraph wrapped by `wrap.CJKText`: Chinese breaks between characters."""

    def __rich_console__(self, console, options):
        self.text.justify = self.justify
        yield CJKText(self.text)


class _Table(TableElement):
    """rich's Markdown table, with cells that wrap (CJK-aware) instead of being cut."""

    def __rich_console__(self, console, options):
        table = Table(box=box.SIMPLE, pad_edge=False, style="markdown.table.border",
                      show_edge=True, collapse_padding=True)
        if self.header is not None and self.header.row is not None:
            for column in self.header.row.cells:
                heading = column.content.copy()
                heading.stylize("markdown.table.header")
                table.add_column(CJKText(heading), overflow="fold")
        if self.body is not None:
            for row in self.body.rows:
                table.add_row(*(CJKText(cell.content) for cell in row.cells))
        yield table


class _Markdown(Markdown):
    elements = {**Markdown.elements, "paragraph_open": _Paragraph, "table_open": _Table}
