"""Card Markdown in the terminal: math as Unicode, images as placeholders, code and CJK."""

import re

from prepcli.screens.render import latex_to_unicode, prepare, render

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
    assert "L = α L₁" in out and "and β here" in out
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


# Every formula in the bundled decks, as the reader should see it (written by hand).
FORMULAS = {
    r"q_i = \frac{exp(z_i/T)}{\sum\limits_{j}\exp(z_j/T)}": "qᵢ = (exp(zᵢ/T))/(∑ⱼexp(zⱼ/T))",
    r"L = \alpha L^{(soft)}+(1-\alpha)L^{(hard)}": "L = α L^(soft)+(1-α)L^(hard)",
    r"\lambda\frac{1}{N_{reg}}\sum\limits_ip_i^*L_{reg}(t_i,\:t_i^*)":
        "λ(1/N_reg)∑ᵢpᵢ*L_reg(tᵢ, tᵢ*)",
    "i": "i", "pi": "pi", "pi^∗": "pi∗", "ti": "ti", "ti^∗": "ti∗",
    "smooth_{L_1} = \\left\\{\\begin{aligned}\n  &0.5x^2, \\qquad if|x|<1\\\\\n"
    "  &|x|-0.5,\\qquad otherwise\\\\\n  \\end{aligned}\\right.":
        "smooth_L₁ = { 0.5x², if|x|<1\n              |x|-0.5, otherwise",
    "loss(x_i, y_i) = |x_i-y_i|": "loss(xᵢ, yᵢ) = |xᵢ-yᵢ|",
    "loss(x_i,y_i)=\\left\\{\\begin{aligned}\n      &0.5(x_i-y_i)^2 \\qquad if|x_i-y_i| < 1\\\\\n"
    "      &|x_i-y_i|-0.5 \\qquad otherwise\\\\\n  \\end{aligned}\\right.":
        "loss(xᵢ,yᵢ)={ 0.5(xᵢ-yᵢ)² if|xᵢ-yᵢ| < 1\n              |xᵢ-yᵢ|-0.5 otherwise",
    "loss(x_i,y_i)=(x_i-y_i)^2": "loss(xᵢ,yᵢ)=(xᵢ-yᵢ)²",
    "loss(x_i,y_i)=-w_i[y_ilogx_i+(1-y_i)log(1-x_i)]": "loss(xᵢ,yᵢ)=-wᵢ[yᵢlogxᵢ+(1-yᵢ)log(1-xᵢ)]",
    "w_i": "wᵢ",
    "{\\begin{aligned}\n      loss(x, label) & = -w_{label}log\\frac{e^{x_{label}}}"
    "{\\sum_{j=1}^Ne^x_j} \\\\\n      & = w_{label}(log\\sum^N_{j=1}e^x_j-x^{label})\n"
    "  \\end{aligned}}":
        "loss(x, label) = -w_label log(e^(x_label)/∑ⱼ₌₁^N e^xⱼ)\n= w_label(log∑^Nⱼ₌₁e^xⱼ-x^label)",
    "ReLU = max(0, x)\\\\\n         Leaky \\ ReLU = max(\\lambda x, x) \\qquad \\lambda < 1":
        "ReLU = max(0, x)\nLeaky ReLU = max(λ x, x) λ < 1",
    r"Precision = \frac{TP}{TP+FP}": "Precision = TP/(TP+FP)",
    r"Recall = \frac{TP}{TP+FN}": "Recall = TP/(TP+FN)",
    r"Accuracy = \frac{TP+TN}{N}": "Accuracy = (TP+TN)/N",
    r"\beta": "β",
    r"F Score = \frac{(\beta^2+1)PR}{\beta^2P+R}": "F Score = ((β²+1)PR)/(β²P+R)",
    r"GIOU = IOU - \frac{C-(A\cup B)}{C}": "GIOU = IOU - (C-(A∪ B))/C",
    "(-1, 1]": "(-1, 1]", "(-1, 0)": "(-1, 0)",
    "AP_50": "AP₅₀", "AP_70": "AP₇₀",
    r"\frac{x-min}{max - min}": "(x-min)/(max - min)",
    r"\frac{x-\mu}{\sigma}": "(x-μ)/σ",
    r"x_{center},y_{center},w,h": "x_center,y_center,w,h",
}


def _bundled_formulas():
    from test_render_cards import CARDS, formulas
    return {" ".join(tex.split()) for c in CARDS for md in (c.question, c.answer or "")
            for _, tex in formulas(md)}


def test_every_bundled_formula_reads_as_written_by_hand():
    expected = {" ".join(k.split()): v for k, v in FORMULAS.items()}
    for src, want in FORMULAS.items():
        assert latex_to_unicode(src) == want, src
    missing = _bundled_formulas() - set(expected)
    assert not missing, f"bundled formulas with no hand-written expectation: {missing}"


def test_formula_images_become_math_where_they_stood():
    md = ("坐标![[公式]](https://www.zhihu.com/equation?tex=x_%7Bcenter%7D%2Cw) 和"
          "![f](https://latex.codecogs.com/svg.latex?a%5E2+b) 与 ![[p]](http://x/eqnedit.php?latex=\\beta)")
    text = plain(render(md, 80, color=False))
    assert "坐标x_center,w 和a²+b 与 β" in text
    assert "公式" not in text and "image" not in text


def test_star_between_operands_is_multiplication_and_emphasis_still_works():
    text = plain(render("参数量 (K*K*Cin)*Cout，3*3 卷积, a*b, *重点* and **bold**", 80, color=False))
    assert "(K*K*Cin)*Cout，3*3 卷积, a*b, 重点 and bold" in text


def test_highlight_and_inline_math_over_a_line_break():
    text = plain(render("这是==重点==内容 $a +\nb_i$ 结束", 80, color=False))
    assert "这是重点内容 a + bᵢ 结束" in text


def test_chinese_wraps_by_character_and_punctuation_never_starts_a_line():
    md = "一二三四五六七八九，" * 12
    lines = [ln.rstrip() for ln in plain(render(md, 41, color=False)).split("\n")]
    assert all(not ln.startswith("，") for ln in lines)
    from rich.cells import cell_len
    assert all(cell_len(ln) >= 38 for ln in lines[:-1])  # filled, not broken early
    assert "".join(lines) == md


def test_table_cells_wrap_and_br_breaks_inside_a_cell():
    long = "很长的中文单元格内容需要换行" * 4
    md = f"| a | b |\n|---|---|\n| x<br />y | {long} |\n| z | 短 |\n"
    text = plain(render(md, 40, color=False))
    assert "…" not in text
    rows = [ln for ln in text.split("\n") if re.search(r"[\u4e00-\u9fff]", ln)]
    assert re.sub(r"[^\u4e00-\u9fff]", "", "".join(rows)) == long + "短"  # nothing cut
    assert rows[0].split()[0] == "x" and rows[1].split()[0] == "y"  # <br /> inside the cell
    assert len(rows) >= 4  # the long cell wrapped onto several lines
