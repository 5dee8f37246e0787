"""The faster text checks of the importer give exactly what the slower ones they replace gave.

Each reference below is the expression the importer used before it was made faster; each is
compared with its replacement on every line of the bundled notes and the corpus, and on
generated text full of the characters where the two could differ (case folding outside ASCII,
zero-width and wide spaces, links, URLs, punctuation runs)."""

import random
import re
from pathlib import Path

import pytest

from prepcli.cards import notes, textnorm
from prepcli.cards.notefile import read_note
from prepcli.catalog import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

OLD_POINTER = re.compile(
    r"https?://\S+|参考|參考|详情查看|详见|链接|来源|link|blog|reference|see|[\s:：,，.。()（）<>/|-]",
    re.IGNORECASE)
OLD_NOISE = re.compile(
    r"!?\[[^\]]*\]\([^)]*\)|<[^>]+>|https?://\S+|\*solution\*|[\W_]", re.IGNORECASE)
OLD_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None) | {
    0xA0: " ", 0x3000: " "}

PIECES = ["a", "Q", "see", "SEE", "link", "Blog", "reference", "参考", "參考", "链接", "来源",
          "详见", "http://x.y/z", "HTTPS://A", "[t](u)", "![i](p)", "[x]", "(y)", "<b>", "<",
          ">", "*solution*", "*", "**", "_", "__", "`", " ", "  ", "\n", ":", "：", ",", "，",
          ".", "。", "(", "）", "/", "|", "-", "?", "？", "吗", "吗。", "区别", "vs", "VS.",
          "versus", "Difference", "compare", "self-introduction", "Self Introduction",
          "tell me about yourself", "Introduce Yourself", "questions for us", "QUESTION FOR ME",
          "自我介绍", "项目介绍", "有什么想问", "有啥想问", "ſ", "K", "İ", "ı", "ß", "\u200b", "\ufeff", "\xa0",
          "\u3000", "\u2060", "\t", "\x1c", "\u2028", "\x85", "é", "ſee", "Ｌink", "ſ参考", "Kb", "1", "2.", "# ", "TODO", "待补充", "what", "How", "为什么"]


def _generated(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8))) for _ in range(n)]


def _real_lines() -> list[str]:
    paths = sorted((ROOT / "cards" / "notes").glob("*.txt"))
    paths += sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    return sorted({ln for p in paths for ln in read_note(p).split("\n")})


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _real_lines() + _generated(15, 20000)


def test_fold(texts):
    assert [textnorm.fold(t) for t in texts] == [t.translate(OLD_INVISIBLE) for t in texts]


def test_formality_and_asks(texts):
    for t in texts:
        assert textnorm.formality(t) == bool(textnorm.FORMALITY.search(t)), t
        folded = t.translate(OLD_INVISIBLE).strip()
        if ("?" in folded or "？" in folded) and "://" in folded:
            folded = textnorm._ADDRESS.sub(" ", folded)  # (a `?` in an address asks nothing)
        # (the fast paths of asks against the searches they stand for)
        old = bool(textnorm._ASKS.search(folded) or textnorm._opens_with_question_word(
            textnorm.strip_numbering(folded).lstrip("*_ "))
            or textnorm._NUMBERED_QUESTION.match(folded) or textnorm._fills_in(folded)
            or (textnorm._KANA_HANGUL.search(folded) and textnorm._ASKS_JA_KO.search(folded)))
        # (an example given asks nothing without a question mark: fault hunt 43)
        old = old and not ("?" not in folded and "？" not in folded
                           and textnorm._AN_EXAMPLE.match(folded))
        assert textnorm.asks.__wrapped__(t) == old, t


def test_content_checks_stop_early_with_the_same_answer(texts):
    for t in texts:
        assert notes._survives(notes._POINTER_TEXT, t) == bool(OLD_POINTER.sub("", t).strip()), t
        assert notes._says_something(t) == bool(OLD_POINTER.sub("", OLD_NOISE.sub("", t)).strip()), t


def test_strip_stars(texts):
    for t in texts:
        assert textnorm._strip_stars(t) == re.sub(r"^[*\s]+|[*\s]+$", "", t), t


def test_text_checks_on_generated_answers():
    """Whole answers (several generated lines) judged as before."""
    for t in _generated(16, 3000):
        body = t.replace(" ", "\n", 2)
        assert notes._text_has_content(body) == _old_text_has_content(body), body


def _old_text_has_content(answer: str) -> bool:
    in_fence = False
    for ln in answer.split("\n"):
        if ln.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            if ln.strip():
                return True
            continue
        if textnorm.is_stub(ln) or textnorm.is_reference_label(ln) or \
                notes._EMPTY_LABEL.match(ln):
            continue
        ln = textnorm.ANSWER_LABEL.sub("", ln.translate(OLD_INVISIBLE))
        if textnorm.is_stub(ln):
            continue
        if OLD_POINTER.sub("", OLD_NOISE.sub("", ln)).strip():
            return True
    return False


EXERCISE_WORDS = ["NMS", "nms", "soft-nms", "Non-Maximum Suppression", "IoU", "GIoU", "giou",
                  "conv", "conv2d", "Convolution", "卷积", "BatchNorm", "batch norm", "BN", "pooling",
                  "RoI pool", "roi align", "RoIAlign", "ROI ", "softmax", "Soft-Max", "log-sum-exp",
                  "cross entropy", "binary cross-entropy", "二分类交叉熵", "交叉熵", "focal loss",
                  "smooth L1", "Huber", "BCE", "attention", "QKV", "transformer", "LayerNorm", "LN",
                  "GN", "rms norm", "mAP", "AP", "map", "ap", "average precision", "precision-recall",
                  "PR", "backprop", "back-prop", "backward pass", "梯度消失", "k-means", "kmeans",
                  "K-Means", "k均值", "聚类", "resize", "bilinear", "upsampling", "interpolation",
                  "ſoftmax", "Kmeans", "X", "a", " ", "-", "?", "的", "2d", "ing", "s"]


def test_exercise_for_is_the_first_match_in_table_order(texts):
    from prepcli.catalog import exercise_for

    rng = random.Random(17)
    made = ["".join(rng.choice(EXERCISE_WORDS) for _ in range(rng.randint(1, 4)))
            for _ in range(20000)]
    found = 0
    for t in texts[:5000] + made:
        want = next((ex.id for ex in EXERCISES.values() if ex.card_pattern.search(t)), None)
        assert exercise_for(t) == want, t
        found += want is not None
    assert found > 5000  # the generated questions do name exercises


def test_key_and_clean_title(texts):
    import unicodedata

    for t in texts:
        # (traditional Chinese read as the rules' simplified words: textnorm.simplified)
        old_key = "".join(filter(str.isalnum, textnorm.simplified(
            unicodedata.normalize("NFKC", t).casefold())))
        assert textnorm.key.__wrapped__(t) == old_key, t
        # (`==` marks a highlight in pairs only: `is和==的区别` keeps it)
        marked = re.sub(r"==(?=[^\s=])([^=\n]{1,200}?)(?<=\S)==", r" \1 ", t)
        old_title = re.sub(r"\s+", " ", marked).strip().rstrip(":：").strip()
        assert textnorm.clean_title(t) == old_title, t


# The line checks as they were before their quantifiers were made possessive (a run of blanks
# in a line took time quadratic in its length), and the inputs where the two could part.
OLD_LINE_CHECKS = {
    "_ENDS_A_LABEL": (notes, re.compile(r"[:：]\s*(?:\*\*|__)?\s*$")),
    "_NUMBERING": (textnorm, re.compile(
        r"^\s*(?:(?:Q|Question|Problem|Exercise)\s*\d+(?:\.\d+)+\s*[:：.、．]?\s*"
        r"|(?:Q|问题?|問題?|Question|Problem|Exercise|题)\s*\d+\s*[:：.、．]\s*"
        r"|(?:Q|问题?|Question|题)\s*[:：.．]\s*"
        r"|(?:Q|问题?|Question|题)\s*、(?!\s*(?-i:[A-Z])(?:\s|[、,，/和与]|$))\s*"
        r"|(?:Q|Question)\s*\d+\s*[-–—)）]\s+"
        r"|Q\d+\s+(?:[-–—]\s*)?(?=\S)"  # (`Q2 How …`: in the pattern since, not here)
        r"|\d+(?:\.\d+)+\.?\s+(?:[-–—]\s+)?"
        r"|\d{1,2}-\d{1,2}[.．]\s+"
        r"|\d+(?:\.\d+)*\s*[.、:：，,)）．](?!\d)\s*"
        r"|\d+\s+(?=[\u4e00-\u9fff])"
        r"|\d{1,3}\s+(?=(?-i:[A-Z][a-z]))"
        r"|[(（]\s*\d+\s*[)）]\s*(?!和|与|或|跟|及|and\b|or\b|vs\b)"
        r"|\[\d+\]\s*(?:[:：](?!\d)\s*)?"
        r"|<\d{1,3}>\s*"
        r"|[⭐★]+\s*"
        r"|[•·◦▪▸►]\s*"
        r"|[一二三四五六七八九十]+\s*[、.．]\s*"
        r"|\[(?:E|M|H|Easy|Medium|Hard)\]\s*"
        r"|【(?:基础|进阶|高级|中级|初级|高频|重要|必考|常考|简单|中等|困难|难|中|易)】\s*)+", re.IGNORECASE)),
    "ANSWER_LABEL": (textnorm, re.compile(
        r"^\s*(?:[-*+]\s+)?(?:[*_]{1,2}(?![\s*_])(?:A|Ans|Answer|答案?|解答|Solution|回答)\s*[:：]?"
        r"\s*[*_]{1,2}\s*[:：]?|(?:A|Ans|Answer|答案?|解答|Solution|回答)\s*[:：]"
        r"|(?:A|答)\s*、(?!\s*(?-i:[A-Z])(?:\s|[、,，/和与]|$))"
        r"|(?:A|Answer|答案?)\s*\d+\s*[:：.．])\s*",
        re.IGNORECASE)),
    "_STUB": (textnorm, re.compile(
        r"^\s*(?:[-*+]\s+)?(?:\[[ x]?\]\s*)?[*_]{0,2}\s*(?:todo|tbd|待补充|待完善|待更新|待填|未完成|"
        r"answer here|to be (?:filled|added|written|completed)|coming soon|fill me in)\W*[*_]{0,2}"
        r"[\s.。…]*$", re.IGNORECASE)),
    "_REFERENCE_LABEL": (textnorm, re.compile(
        r"^\s*[*_#>\s]*(?:参考资料|参考文献|参考链接|参考|相关链接|references?|read more|"
        r"further reading|sources?|links?)\s*[*_:：]*\s*$", re.IGNORECASE)),
    "FORMALITY": (textnorm, re.compile(
        r"自我介绍|^\W*\d*\W*(?:项目|基本)介绍|有什么(?:想|要)问|有什么问(?!题)|有啥(?:想|要)?问(?!题)|"
        r"(?:^|[你您还])\W*有什么问题|问我有没有|还有没有问题|什么时候毕业|"
        r"我的经历|自己的工作|熟不熟悉|几点钟|看过哪些论文|面试评价|性格测试|心理测试|self[- ]?introduction|"
        r"^\W*\d*\W*简历[中上]?的?项目[^？?]*$|"
        r"tell me about yourself|introduce yourself|questions? for (?:me|us)", re.IGNORECASE)),
    # (fault hunt 42: `Problem 1.1:`, `問1.`, `**Problem 2.1**:` too)
    "_Q_LABEL": (notes, re.compile(
        r"^\s*[*_]{0,2}\s*(?:Q|问|问题|問|問題|Question|Problem|Exercise)(?:\s*\d*\s*[:：]"
        r"|\s*\d+(?:\.\d+)+\s*[:：]|\s*\d+\s*[.．]|\s*、(?!\s*(?-i:[A-Z])(?:\s|[、,，/和与]|$))"
        r"|(?:\s*\d+(?:\.\d+)*)?[*_]{2}\s*[:：])",
        re.IGNORECASE)),
}
OLD_QA_LINE = re.compile(r"^(\S[^：:]*?)\s*[：:]\s*(.*)$")
LINE_PIECES = [" ", "  ", "\t", "\xa0", "\u3000", "\n", "*", "**", "_", "__", "-", "+", "#", ">",
               "[", "]", "[ ]", "[x]", "(", ")", "（", "）", ":", "：", ".", "。", "…", "、", "．",
               ",", "，", "1", "12", "3.", "1.2", "一", "十", "Q", "q", "问", "问题", "题",
               "Question", "Problem", "問", "A", "Ans", "answer", "答", "答案", "解答", "todo", "TBD", "待补充",
               "coming soon", "参考", "参考资料", "References", "link", "项目介绍", "自我介绍",
               "E", "[E]", "Hard", "中", "x", "what", "?", "？"]


def _line_texts(texts) -> list[str]:
    rng = random.Random(20261204)
    made = ["".join(rng.choice(LINE_PIECES) for _ in range(rng.randint(0, 10)))
            for _ in range(40_000)]
    return made + [t for t in texts if len(t) < 300][:20_000]


@pytest.mark.parametrize("name", sorted(OLD_LINE_CHECKS))
def test_possessive_line_checks_match_what_the_plain_ones_did(name, texts):
    module, old = OLD_LINE_CHECKS[name]
    new = getattr(module, name)
    for t in _line_texts(texts):
        for how in ("match", "search"):
            a, b = getattr(old, how)(t), getattr(new, how)(t)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (name, how, t)


def test_qa_line_matches_what_the_lazy_pattern_did(texts):
    for t in _line_texts(texts):
        m = OLD_QA_LINE.match(t)
        assert notes._qa_line(t) == (m and (m.group(1), m.group(2))), t


def test_html_noise_is_what_one_sub_removed():
    old = re.compile(r"<img\b[^>]*>|<br\s*/?>|<!--.*?-->", re.S)
    rng = random.Random(5)
    atoms = ["<", "<!--", "-->", "<img", "<img ", ">", "<br", "<br/>", "<br >", "a", " ", "\n",
             "-", "!", "<imgx", "/"]
    for _ in range(50_000):
        s = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 12)))
        assert notes._without_html_noise(s) == old.sub("", s), s


PATHOLOGICAL = """
import sys
from prepcli.cards import notes
n = 50_000
runs = [w * n + "x" for w in (" ", "\\t", "\\xa0", "\\u3000")]
runs += [p + w * n + "x" for p in ("- ", "todo", "Q", "参考", "**A", "1.", "a：")
         for w in (" ", "\\t")]
runs += ["todo" + c * n + "x" for c in ".。…*"]
runs += ["\\n".join(["<!--"] * (n // 5)), "\\n".join(["<img"] * (n // 5)),
         "```\\n" + "- " + " " * n + "x\\n```"]
# (fault hunt 44's repairs and rules: a label's parts, a rule then a summary's label, bold
# lines after items, tags, comments)
runs += ["**Question" + " " * n + "y:\\nx", "- a\\n**" + " " * n + "x?**\\n- b",
         "---\\n\\n" + "\\u3000" * 3 + " " * n + "x", "#a" + " " * n + "x",
         "<!--" + " " * n + "\\n" * 3 + "x"]
for r in runs:
    notes.parse_note("# T\\n\\n## Q?\\n" + r + "\\n\\n## R\\nanswer\\n")
print("done", len(runs))
"""


def test_long_runs_of_blanks_parse_in_linear_time():
    """Lines of 50,000 blanks (or markers) in the places the line checks look. Each took
    seconds at 4,000 characters (the time grew with the square of the run): at 50,000 that
    would be minutes, where the parse now takes well under a second each. The generous
    timeout only tells a hang from a parse."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", PATHOLOGICAL], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0 and "done" in r.stdout, r.stderr
