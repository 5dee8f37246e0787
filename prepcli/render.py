"""Card Markdown -> terminal text (rich), with LaTeX shown as readable Unicode and images as
placeholders. Pure: returns rendered lines; never reads the environment.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown

_FENCE = re.compile(r"^\s*(```|~~~)")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*["']([^"']*)["']""", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_SUB = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SUP = str.maketrans("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ")


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
    ])
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


def latex_to_unicode(src: str) -> str:
    """Readable Unicode for a LaTeX formula; the source itself if conversion fails."""
    try:
        text = _latex().latex_to_text(src)
    except Exception:  # pylatexenc raises many kinds on malformed input; keep the source
        return src
    text = _scripts(text, "_", _SUB)
    text = _scripts(text, "^", _SUP)
    text = re.sub(r"[ \t]+", " ", text).strip()
    return text or src


def _scripts(text: str, mark: str, table: dict) -> str:
    """x_i -> xᵢ, x^{2} -> x², only where every character has a Unicode sub/superscript."""
    def repl(m):
        body = m.group(1) or m.group(2)
        return body.translate(table) if all(ord(ch) in table for ch in body) else m.group(0)

    m = re.escape(mark)
    return re.sub(m + r"\{([^{}]{1,4})\}|" + m + r"([0-9a-z])(?![0-9a-z])", repl, text)


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
        body = latex_to_unicode(m.group(1))
        return f"\n\n```text\n{body}\n```\n\n"

    def image(alt, path):
        where = ""
        if not re.match(r"https?://", path):
            exists = base is not None and (base / path).exists()
            where = "" if exists else " (missing)"
        return f"[image: {alt or 'untitled'} — {path}{where}]"

    text = _BR.sub("\n", text)
    text = _DISPLAY.sub(display, text)
    parts = re.split(r"(`[^`]*`)", text)  # leave inline code as written
    for i in range(0, len(parts), 2):
        p = _INLINE.sub(lambda m: latex_to_unicode(m.group(1)), parts[i])
        p = _IMAGE.sub(lambda m: image(m.group(1), m.group(2)), p)
        p = _HTML_IMG.sub(lambda m: _html_image(m.group(0), image), p)
        parts[i] = p
    return "".join(parts)


def _html_image(tag: str, image) -> str:
    attrs = {k.lower(): v for k, v in _ATTR.findall(tag)}
    return image(attrs.get("alt", ""), attrs.get("src", "?"))


def render(markdown: str, width: int, *, color: bool = True, base: Path | None = None,
           bold: bool = False) -> list[str]:
    """Render to lines of ANSI text `width` cells wide."""
    buf = io.StringIO()
    console = Console(file=buf, width=max(20, width), force_terminal=True,
                      color_system="truecolor" if color else None, no_color=not color,
                      highlight=False, emoji=False, legacy_windows=False)
    md = Markdown(prepare(markdown, base), code_theme="monokai" if color else "bw",
                  hyperlinks=False)
    console.print(md, style="bold" if bold else "", crop=False)
    lines = buf.getvalue().rstrip("\n").split("\n")
    return lines
