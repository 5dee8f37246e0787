"""Card Markdown in the terminal: math as Unicode, images as placeholders, code and CJK."""

import re

from prepcli.render import latex_to_unicode, prepare, render

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(lines):
    return "\n".join(ANSI.sub("", ln) for ln in lines)


def test_latex_becomes_readable_unicode():
    assert latex_to_unicode(r"\frac{x-\mu}{\sigma}") == "(x-μ)/σ"
    assert latex_to_unicode(r"Precision = \frac{TP}{TP+FP}") == "Precision = TP/(TP+FP)"
    assert latex_to_unicode(r"x^2 + \alpha_i") == "x² + αᵢ"


def test_unconvertible_latex_keeps_its_source():
    assert latex_to_unicode(r"\frac{") == r"\frac{"


def test_display_math_inline_math_and_code_are_handled_apart():
    md = "Loss:\n$$ L = \\alpha L_1 $$\nand $\\beta$ here, `$not math$`\n\n```python\nx = '$a$'\n```"
    out = prepare(md)
    assert "L = αL₁" in out and "and β here" in out
    assert "`$not math$`" in out and "x = '$a$'" in out


def test_images_become_placeholders_saying_whether_the_file_exists(tmp_path):
    (tmp_path / "imgs").mkdir()
    (tmp_path / "imgs" / "1.jpg").write_bytes(b"x")
    out = prepare("![conv](imgs/1.jpg) ![gone](imgs/2.jpg) <img src=\"a.png\" alt=\"t\"/>",
                  tmp_path)
    assert "[image: conv — imgs/1.jpg]" in out
    assert "[image: gone — imgs/2.jpg (missing)]" in out
    assert "[image: t — a.png (missing)]" in out


def test_rendering_keeps_tables_code_and_aligns_chinese():
    md = "| 名称 | 值 |\n|---|---|\n| 卷积 | 3 |\n| ab | x |\n\n```python\ndef f():\n    return 1\n```"
    text = plain(render(md, 60, color=False))
    assert "卷积" in text and "def f():" in text and "return 1" in text
    rows = [ln for ln in text.split("\n") if "卷积" in ln or "名称" in ln or "ab" in ln]
    from rich.cells import cell_len
    assert len(rows) == 3
    assert len({cell_len(r) for r in rows}) == 1  # every row as wide, in terminal cells
    # the second column starts at the same cell in every row ("卷积" is 4 cells, "ab" 2)
    assert len({cell_len(r[:r.index(v)]) for r, v in zip(rows, ("值", "3", "x"))}) == 1


def test_no_color_means_no_escape_codes():
    assert not any("\x1b[" in ln for ln in render("**bold** and `code`", 40, color=False))
