"""Text normalisation shared by the notes parser and card identity.

Cards are matched across re-imports by a *key* of their question that ignores what users fix
without changing the meaning: full-width vs half-width characters (NFKC), case, spacing and
punctuation.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Titles are looked at in several passes over a note (heading tree, then sections, then
# identity): the caches hold a big note's titles (with 8,192 a 20,000-heading note missed
# on every second pass).
_CACHE = 1 << 16
_DATE = re.compile(r"^\d{4}\s*[./\-年]\s*\d{1,2}\s*[./\-月]\s*\d{1,2}\s*日?$")
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_TOC = {"目录", "toc", "[toc]", "contents", "table of contents", "目次"}


@functools.lru_cache(maxsize=_CACHE)  # pure, and asked about the same titles often
def key(text: str) -> str:
    """Identity key: NFKC, lower case, letters/digits only (CJK kept)."""
    if text.isascii():
        # (most titles: NFKC changes no ASCII character and casefold is lower there; the
        # characters `[\W_]` removes are then the bytes _ASCII_NOT_ALNUM lists: one bytes
        # pass, a fifth of the regex's time)
        return text.lower().encode("ascii").translate(None, _ASCII_NOT_ALNUM).decode("ascii")
    # `[\W_]` is exactly "not str.isalnum" (re's word characters are isalnum and "_"):
    # one regex pass instead of a call per character
    return _NOT_ALNUM.sub("", simplified(unicodedata.normalize("NFKC", text).casefold()))


_ASCII_NOT_ALNUM = bytes(b for b in range(128) if not chr(b).isalnum())


def path_key(path: list[str] | tuple[str, ...]) -> str:
    return "/".join(key(p) for p in path)


@functools.lru_cache(maxsize=_CACHE)  # asked of every heading and of each one's ancestors
def is_date(title: str) -> bool:
    return bool(_DATE.match(unicodedata.normalize("NFKC", title).strip()))


@functools.lru_cache(maxsize=_CACHE)
def is_toc(title: str) -> bool:
    return unicodedata.normalize("NFKC", title).strip().casefold() in _TOC


def tag(text: str) -> str:
    """A tag from a heading: NFKC, lower case, runs of non-word characters become '-'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "-", text).strip("-")


def slug(text: str) -> str:
    """A file-name-safe deck slug."""
    return tag(text) or "deck"


# (what it marks holds no `=`: the search for its end stops at the next one, a line of
# ` ==x ==x …` is not scanned to its end from each)
_HIGHLIGHT = re.compile(r"==(?=[^\s=])([^=\n]{1,200}?)(?<=\S)==")


# An Obsidian block id at a line's end, `批量归一化(Batch Normalization，BN) ^frk3ft`: where a
# link to the block leads, no words of the heading (held-out set 100)
BLOCK_ID = re.compile(r"\s\^(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]{3,}\s*$")


def clean_title(text: str) -> str:
    """A heading as a question: no highlight marks, no block id, single spaces, no trailing
    colon."""
    if "==" in text:  # (a pair of them, `==BN==`; not `is和==的区别`)
        text = _HIGHLIGHT.sub(r" \1 ", text)
    if "^" in text and (m := BLOCK_ID.search(text)):
        text = text[:m.start()]
    if "  " in text or not text.isprintable():  # (else its only blanks are single spaces)
        text = _SPACES.sub(" ", text)
    text = text.strip()
    return text.rstrip(":：").strip()


# --- what a question looks like (plain features, no Markdown parsing here) ---------------

# Traditional Chinese (Taiwan, Hong Kong) read as the rules' simplified words: `為什麼`,
# `甚麼是`, `區別`, `參考資料`, `常見問題` (held-out set 94). The characters those words and the
# labels and headings the rules know are written with, and their neighbours in ML notes: no
# converter, and a card's text is never changed, only read so.
# (each traditional character, in the first string, read as the simplified one at its
# place in the second)
_T2S = str.maketrans(
    "亂來係倉個們偉備優別則動勢匯區參問啟單嗎圖團報場壓學實寫對導層崗幫幾庫強彙後從復"
    "態慮憶應捲損擊據擬攜數於時曠書東條榮標樣機檢歸決沒測湯準灣為無獨現畫異疊發確碼礎"
    "種積節簡紀紅級細紹結給統經維網線編練總繫義習聯職聽臉臺與興舉華處號蝦蟻術裏裡複見"
    "視觀計訊訓記設評詞試該詳認語說談請論謀講識讀變豐資車軟較輪輸這進運過達適還邊釋錄"
    "錯鍵鍾鏈鐘長門開間關階際雙雜難雲靈項順預頻題類顯飛騰驗驟鵬麗麼點",
    "乱来系仓个们伟备优别则动势汇区参问启单吗图团报场压学实写对导层岗帮几库强汇后从复"
    "态虑忆应卷损击据拟携数于时旷书东条荣标样机检归决没测汤准湾为无独现画异叠发确码础"
    "种积节简纪红级细绍结给统经维网线编练总系义习联职听脸台与兴举华处号虾蚁术里里复见"
    "视观计讯训记设评词试该详认语说谈请论谋讲识读变丰资车软较轮输这进运过达适还边释录"
    "错键钟链钟长门开间关阶际双杂难云灵项顺预频题类显飞腾验骤鹏丽么点")
_KANA = re.compile("[\u3040-\u30ff]")
_TRADITIONAL = re.compile("[" + "".join(map(chr, _T2S)) + "]")


def simplified(text: str) -> str:
    """`text` with the traditional characters the rules read as their simplified forms (not
    in Japanese, whose kanji are the traditional ones: `確認テスト` is a label as written)."""
    if text.isascii() or _TRADITIONAL.search(text) is None or _KANA.search(text):
        return text
    return text.translate(_T2S).replace("甚么", "什么")


def read(text: str) -> str:
    """`text` as the rules read it (never as a card shows it): folded, simplified."""
    return simplified(fold(text))


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None) | {0xA0: " ", 0x3000: " "}
_FOLDABLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\xa0\u3000]")
# Numbering and labels in front of a question: "2.1.3 ", "4，", "（1）", "[49] ", "一、",
# "Q1:", "Q:", "问题3：", "问：", "Question 2." and difficulty tags "[E]" / "[M]" / "[H]".
# Possessive quantifiers (`*+`, `++`) where what follows cannot start with what they take:
# the same matches, without trying every split of a run of blanks between two `\s*` (a line of
# 10,000 spaces took 16 s). tests/test_import_fast.py compares them with the plain patterns.
_NUMBERING = re.compile(
    r"^\s*+(?:(?:Q|Question|Problem|Exercise)\s*+\d++(?:\.\d++)++\s*+[:：.、．]?\s*+"  # (Q4.1:)
    r"|(?:Q|问题?|問題?|Question|Problem|Exercise|题)\s*+\d++\s*+[:：.、．]\s*+"
    r"|(?:Q|问题?|Question|题)\s*+[:：.．]\s*+"
    # (`Q、` unnumbered, but not the first of letters listed, `Q、K、V 分别是什么？`)
    r"|(?:Q|问题?|Question|题)\s*+、(?!\s*+(?-i:[A-Z])(?:\s|[、,，/和与]|$))\s*+"
    r"|(?:Q|Question)\s*+\d++\s*+[-–—)）]\s++"  # (Q1- …, but not Question 3-2: …)
    r"|Q\d++\s++(?:[-–—]\s*+)?(?=\S)"  # (Q2 How …, Q14 -When …)
    r"|\d++(?:\.\d++)+\.?\s++(?:[-–—]\s++)?"  # (`1.1 - What are …`)
    r"|\d{1,2}+-\d{1,2}+[.．]\s++"  # (`2-1. CNN에서 …`)
    r"|\d++(?:\.\d++)*+\s*+[.、:：，,)）．](?!\d)\s*+"
    r"|\d++\s++(?=[\u4e00-\u9fff])"
    r"|\d{1,3}+\s++(?=(?-i:[A-Z][a-z]))"  # (`1 The Big Picture`; not `2 sum problem`)
    r"|[(（]\s*+\d++\s*+[)）]\s*+(?!和|与|或|跟|及|and\b|or\b|vs\b)"  # (not `(1) 和 (2) …`)
    r"|\d\ufe0f?\u20e3\s*+"  # (a keycap emoji: `1️⃣ Coding Problems`)
    r"|\[\d++\]\s*+(?:[:：](?!\d)\s*+)?"
    r"|<\d{1,3}+>\s*+"  # (`<3> 给你一个数组…`)
    r"|[⭐★]++\s*+"  # difficulty in stars, after the number (`**4.2** ⭐⭐ …`)
    r"|[•·◦▪▸►]\s*+"  # a bullet typed as a character (`**• How to …?**`)
    r"|[一二三四五六七八九十]++\s*+[、.．]\s*+"
    r"|\[(?:E|M|H|Easy|Medium|Hard)\]\s*+"
    r"|【(?:基础|进阶|高级|中级|初级|高频|重要|必考|常考|简单|中等|困难|难|中|易)】\s*+)+", re.IGNORECASE)
_LABEL_ONLY = re.compile(r"^(?:question|q|问题|题目|第|mcq|saq|laq|exercise|problem|练习|习题|例题|"
                         r"確認テスト|問題|問|設問|演習問題?|練習問題|문제|질문)"
                         r"\s*\d+(?:\.\d+)?\s*题?$", re.IGNORECASE)
# An exam's labels: a question's number and its type (`✅ 1. 选择题`, `14. 应用题（高阶）`), or a
# bonus one (`附加挑战题`); the question itself is the paragraph under it (_labelled_question).
_TYPED_LABEL = re.compile(
    r"^(?:\d{1,3}\s*+[.、．]?\s*+|附加|加分)(?:单选|多选|不定项选择|选择|填空|判断|简答|问答|推导|计算|"
    r"编程|代码|思维|思考|应用|论述|分析|设计|证明|综合|挑战|开放)题(?:\s*+[（(][^）)]{1,8}[）)])?$")
_QUESTION_WORDS = re.compile(
    r"^(?:what|why|how|when|where|which|who|whom|whose|is|are|was|were|can|could|do|does|did|"
    r"should|would|will|shall|explain|describe|compare|define|discuss|derive|write|implement|"
    r"design|draw|list|name|give|outline|propose|contrast|differentiate|distinguish|state|"
    r"calculate|compute|prove|show|suppose|imagine|given|pick|choose)\b"
    r"|^(?:什么|为什么|为何|如何|怎么|怎样|哪些|哪个|哪种|是否|是不是|有没有|有哪些|请|简述|"
    r"简(?:单|要)(?:介绍|说|讲|谈|描述|概括|聊|叙述|阐述|解释|分析|推导)|"
    r"描述|解释|说明|说说|说一下|谈谈|推导|写出|写一下|手写|给出|介绍(?=.)|讲一下|讲讲|讲下|"
    r"复述|阐述|聊聊|聊一下|"
    r"比较|对比|列举|证明)"
    # the instructions of other languages' notes, which ask without a question mark:
    # Spanish, Portuguese, French, German (`Explique como …`, `Erkläre …`), Russian (`Объясните
    # …`, `Что такое ROC AUC`), Vietnamese (`Hãy giải thích …`, `Tại sao …`)
    r"|^(?:expli(?:ca|car|que|quem|quez|quer)|descri(?:ba|bir|va|ver)|d[ée]cri(?:vez|re)|"
    r"defina|definir|d[ée]finissez|compar(?:a|ar|ez)|erkl(?:ä|ae)r(?:e|en)|beschreib(?:e|en)|"
    r"vergleiche|объясни(?:те|ть)?|опиши(?:те)?|описать|сравни(?:те|ть)?|назови(?:те)?|"
    r"что так(?:ое|ой|ая)|чем отлича|приведите|приведи|bạn hãy|"
    r"(?:hãy )?(?:giải thích|mô tả|trình bày|so sánh|nêu|cho biết|liệt kê|phân biệt|định nghĩa)|tại sao|"
    r"vì sao|làm sao|d[êé] (?:um |uma )?exemplos?|da (?:un |una )?ejemplos?|donnez|nennen?)(?!\w)",
    re.IGNORECASE)
# A Vietnamese question by its end (`Overfitting là gì`), searched in text that is not ASCII
# only (the pattern scans the line: not for every English one)
_VI_ASKS = re.compile(r"(?:là gì|như thế nào|ra sao)\s*\??$", re.IGNORECASE)
# A line asks with a question mark, a question word, a comparison, or a task set after its scene
# (`现在有一个外卖App，请给我设计一个菜品推荐系统`; not `，请参考…`, `，请联系我`). `多大` asks at
# the end only (`mini-batch选择多大`, `lambda 选择多大合适`; not `…对你的模型有多大影响`).
_ASKS = re.compile(r"[?？]|什么|为什么|如何|怎么|怎样|哪些|是否|吗[\s。]*$|区别|异同|对比|比较|复述|"
                   # (an instruction at the end: `resnet、inception，attention分别描述`,
                   # `BN介绍一下`; not `ResNet介绍`, a title)
                   r"(?:(?:分别|各自)(?:描述|介绍|说明|讲|谈|解释|阐述|分析)(?:一下|下)?|"
                   r"(?:描述|介绍|说明|说|讲|谈谈?|解释|阐述|分析|聊)一下)[\s。.*_]*$|"
                   # (and what relates two things, as `区别` compares them: `参数量和训练样本数量
                   # 之间的关系`)
                   r"(?:和|与|跟).{1,40}?的(?:关系|联系)[\s。.*_]*$|"
                   # (what something is for, or what is good and bad in it: `1×1 卷积的作用`)
                   # (not `…的原理`, which labels a part of an answer: `dropout的原理：…`)
                   r"\S的(?:作用|意义|好处|优缺点|优势|缺点|优点|利弊|(?:具体)?实现(?:方法|过程|细节)?)"
                   r"[\s。.*_]*$|"
                   r"多少|多[大长久](?:比较)?(?:合适|为宜|好|呢)?[\s。]*$|哪个|哪种|哪一|为何|能否|可否|有没有|是不是|"
                   r"[，,]\s*请(?:给我|为我|帮我|你)?(?:设计|实现|写|说|讲|解释|介绍|描述|推导|分析)|"
                   r"\bvs\.?\b|\bversus\b|\bdifference\b|\bcompare\b", re.IGNORECASE)
_ASKS_LATIN = re.compile(r"[?]|\bvs\.?\b|\bversus\b|\bdifference\b|\bcompare\b", re.IGNORECASE)
_ASKS_HINTS = re.compile(r"[?]|vs|versus|difference|compare")  # in lower case
# A character each alternative of _ASKS but _ASKS_LATIN's holds (`什么`, `为什么`: 什; `为何`:
# 何; `能否`, `可否`: 否; `是否`, `是不是`: 是; `，请…`: 请; `分别描述`, `各自…`, `介绍一下`:
# 别, 自, 下; `…和…的关系`, `…的联系`: 系; `…的作用`, `…的意义`, `…的好处`, `…的优缺点`, `…的利弊`:
# 用, 义, 处, 缺, 优, 弊; `…的具体实现`: 实; …)
_ASKS_CHARS = re.compile(r"[？什如怎哪是吗区异对比复多何否没请别自下系用义处缺优弊实]")
# An answer's own label: "A:", "**A:**", "*A:*", "答：", "*solution*", "**Answer**:", "A1.".
ANSWER_LABEL = re.compile(
    # (emphasis opens right before the label, as it must to be emphasis: `* A **neural
    # network**` is an item's text, `A` its first word: fault hunt 43)
    r"^\s*+(?:[-*+]\s++)?(?:[*_]{1,2}(?![\s*_])(?:A|Ans|Answer|答案?|解答|Solution|回答)\s*+[:：]?+"
    r"\s*+[*_]{1,2}\s*+[:：]?|(?:A|Ans|Answer|答案?|解答|Solution|回答)\s*+[:：]"
    r"|(?:A|答)\s*+、(?!\s*+(?-i:[A-Z])(?:\s|[、,，/和与]|$))"  # (`A、…` after `Q、…`; not `A、B 两组`)
    r"|(?:A|Answer|答案?)\s*+\d++\s*+[:：.．])\s*+", re.IGNORECASE)  # (A1. after Q1.)
# `问题3: Transformer相比RNN的优势`, `Q2. Bias vs variance`: numbered as a question, with words
_NUMBERED_QUESTION = re.compile(r"^[*_#\s]*+(?:Q|问题|题目|Question)\s*+\d{1,3}\s*+[:：.．、]\s*+\S",
                                re.IGNORECASE)
_STUB = re.compile(
    r"^\s*+(?:[-*+]\s++)?(?:\[[ x]?\]\s*+)?[*_]{0,2}\s*+(?:todo|tbd|待补充|待完善|待更新|待填|待补|暂缺|暂无|未完成|"
    r"answer here|to be (?:filled|added|written|completed)|coming soon|fill me in)\W*+[*_]{0,2}"
    r"[\s.。…]*+$", re.IGNORECASE)
_REFERENCE_LABEL = re.compile(
    r"^[*_#>\s]*+(?:参考资料|参考文献|参考链接|参考|相关链接|references?|read more|further reading|"
    r"sources?|links?)\s*+[*_:：]*+\s*+$", re.IGNORECASE)
_JUNK_HEADING = re.compile(
    r"(?:references?|refs?|参考|参考资料|参考文献|参考链接|参考来源|引用|引用文献|citations?|bibliography|"
    r"furtherreading|readmore|wheretogonext|whatsnext|"
    r"resources|links|usefullinks|seealso|related(?:notes|topics|links|reading)?|延伸阅读|扩展阅读|"
    r"拓展阅读|相关链接|相关资料|相关论文|引言|introduction|引言introduction|abstract|摘要|relatedwork|"
    r"相关工作|论文背景|背景介绍|summary|总结|小结|感受|感想|心得|reflections?|复盘|面试总结|\w{1,3}面总结|conclusions?|"
    r"结论|实验|experiments?|实验结果|代码解读|acknowledge?ments?|致谢|notes?|nextsteps|todo|"
    r"待办|目录|大纲|提纲|outline|toc|index|contents|tableofcontents|prerequisites?|前置知识|"
    r"预备知识|合作|食用方法|使用方法|说明|前言|更新日志|"
    r"changelog|licen[cs]e|许可|本文结构|问我有没有什么问题|反问|提问|你有什么想问的|"
    r"(?:提问|反问|问)面试官(?:的问题)?|向面试官提问|反问环节|\w{0,12}cheatsheet|"
    # a job posting's parts (`岗位要求`, `职位描述`; `岗位：` over the job's name): the post, no
    # question
    r"(?:岗位|职位)(?:要求|描述|职责|名称|介绍)?|jobdescription|"
    r"速查表?|about|usage|howtouse|contribut(?:ing|ions?|ors?)|贡献|关于|contacts?|联系方式|联系我|"
    r"(?:interview|general|quick|pro|useful|final)?tips(?:and\w{0,20}|to\w{0,30}|for\w{0,30})?|"
    r"小贴士|面试技巧|面试建议|"
    r"(?:key)?takeaways?(?:for(?:the)?)?(?:interviews?)?(?:summary)?|"
    r"(?:final|closing|additional|extra|further)(?:notes?|thoughts|words|remarks)|"
    r"puttingit(?:all)?together|wrap-?up|wrappingup|inanutshell|tldr|"
    # a list of what one should be able to do (`📊 面试准备检查清单`: `- [ ] 理解…`)
    r"\w{0,6}(?:检查|复习|自查|准备)清单|checklists?|练习建议|学习建议|复习建议|"
    # a part of a book of questions (`一、动机篇`, `二、CNN 卷积层篇`): its introduction, no card
    r"\w{1,12}篇|"
    r"(?:引用|参考|学习|相关|推荐)资源|推荐(?:阅读|资料|书籍|书目)|学习资料|"
    # where the questions come from (`附：题目主要来源`, `Sources`)
    r"(?:附录?)?(?:题目|问题|资料|内容)(?:主要)?来源|sources?)")
# About the repository or book itself ("What You'll Find in This Repo")
_META = re.compile(r"thisrepo|thisbook|本仓库|本项目|本书")


def _meta(k: str) -> bool:
    """`_META.search(k)`: its words looked for as they are (a regex search tries its five
    at every position), each only where its first word is."""
    return ("this" in k and ("thisrepo" in k or "thisbook" in k)) or \
        ("本" in k and ("本仓库" in k or "本项目" in k or "本书" in k))


_ROUND = re.compile(r"^(?:面试$|第[一二三四五六七八九十\d]+(?:轮|段|场|次)(?:技术|hr)?(?:面(?![经题])|$)|"
                    r"第?[一二三四五六七八九十\d]+面|hr面|终面|笔试|机试|电话面|视频面|技术面|"
                    r"群面|交叉面|主管面|onsite|phonescreen|round\d+|"
                    r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|final|phone|video|"
                    r"technical)(?:interview|round)|"
                    r"(?:初面|复面|首面|加面|总监面|经理面|老板面|部门面|业务面|[a-z]{2,6}面|"
                    r"技术[一二三四五六七八九十\d]+面)(?![试经题]))")
_QUESTION_LIST = re.compile(r"\w{0,12}(?:常见问题|问题清单|问题列表|题目列表|题目清单|面试问题|面试题目?|题目|"
                            r"题库|面经|"
                            r"questions|faq|questions?list|listofquestions|questionbank)|"
                            r"(?:基本|基础|技术|其他|其它|经典|高频|补充|面试|常见|"
                            r"rapidfire|quickfire|quick|lightning)?(?:问题|问答|qa)|"
                            r"self-?checks?|selftest|自测|自检|思考题|习题|课后题|reviewquestions|"
                            r"checkyourunderstanding|quiz|"
                            # an exam's sections (`2 True or False (21 pts)`, `填空题（10分）`):
                            # English ones with their points (`## Multiple choice` may name a
                            # design's choices)
                            r"(?:trueorfalse|truefalse|multiplechoice(?:questions?)?|fillintheblanks?|"
                            r"shortanswer(?:questions|problems))\d{1,3}(?:pts?|points?|marks?)|"
                            r"(?:判断题|选择题|填空题|简答题)(?:\d{1,3}分)?")
# How each alternative of _QUESTION_LIST ends (`常见问题`, `面试题目?`, `self-?checks?`, `思考题`,
# …): a key that ends otherwise is no full match (tested first: `\w{0,12}` backtracks)
_QUESTION_LIST_ENDS = ("问题", "清单", "列表", "题", "题目", "题库", "面经", "questions", "faq",
                       "list", "bank",
                       "问答", "qa", "check", "checks", "selftest", "自测", "自检",
                       "checkyourunderstanding", "quiz", "false", "choice", "question", "blank",
                       "blanks", "problems", "pt", "pts", "point", "points", "mark", "marks", "分")
FORMALITY = re.compile(r"自我介绍|^\W*+\d*+\W*+(?:项目|基本)介绍|有什么(?:想|要)问|有什么问(?!题)|有啥(?:想|要)?问(?!题)|(?:^|[你您还])\W*+有什么问题|问我有没有|还有没有问题|什么时候毕业|"
                       r"我的经历|自己的工作|熟不熟悉|几点钟|看过哪些论文|"
                       r"^\W*+\d*+\W*+还有.{0,20}(?:想不起来|记不清|忘了)|不(?:一一)?列(?:了|举|出来)\W*$|"
                       r"^\W*+(?:算法题|编程题|代码题|手撕代码|手撕)\W*+\d*+\W*+$|"
                       # (a diary's remark on the round, `无技术细节、无笔试`, `聊项目，无专业知识，无
                       # 八股`, `面试官是做规划控制的`; a project talked over, `实验室项目` (not
                       # `项目` alone: a diary's part, `### 项目`, over its questions); the
                       # candidate's turn with what was said, `反问：…`, or not, `反问`)
                       r"无(?:专业知识|技术细节|八股|笔试|手撕)|^\W*+面试官(?:是|为)[^问？?]{0,30}$|"
                       r"^\W*+\d*+\W*+(?:实验室|实习|科研|比赛)项目(?:经历|讲述|介绍)?\W*+$|"
                       r"^\W*+\d*+\W*+项目(?:经历|讲述)\W*+$|"
                       r"^\W*+(?:聊|问)了?(?:项目(?:经历)?|天)\W*+$|^\W*+反问(?:\s*+[:：]|\W*+$)|"
                       # (`1、简历中的项目相关问题，项目思想，展开讨论`: the candidate's own project)
                       r"^\W*+\d*+\W*+简历[中上]?的?项目[^？?]*$|"
                       # (`讲了一下论文。`, `聊了下阿里实习的工作`: the candidate's own work)
                       r"^\W*+\d*+\W*+(?:讲|聊|介绍)了?(?:一下|一会儿?|下)?[^，,。？?\n]{0,10}"
                       r"(?:论文|项目|实习|工作|经历)\W*$|"
                       r"面试评价|性格测试|心理测试|self[- ]?introduction|tell me about yourself|introduce yourself|"
                       r"questions? for (?:me|us)", re.IGNORECASE)
_FORMALITY_LATIN = re.compile(r"self[- ]?introduction|tell me about yourself|introduce yourself|"
                              r"questions? for (?:me|us)", re.IGNORECASE)
_FORMALITY_HINTS = re.compile("self|questions? for ")  # in lower case
# A character each alternative of FORMALITY but _FORMALITY_LATIN's holds (`自我介绍`, `项目介绍`:
# 介; `有什么…`, `什么时候毕业`: 什; `有啥想问`: 啥; `问我有没有`, `还有没有问题`: 没; `我的经历`: 经; …;
# `手撕`: 撕; `讲了一下项目`, `聊了下实习`: 项, 实; `无八股`: 无; `面试官是…`: 官; `聊天`: 聊;
# `问项目`: 问; `反问：…`: 反)
_FORMALITY_CHARS = re.compile(r"[介什啥没经工熟钟论还列题撕评测项实无官聊问反]")


def fold(text: str) -> str:
    """Zero-width characters out, NBSP and ideographic spaces to plain spaces."""
    # str.translate with a dict costs ~5 us a line; most lines have nothing to fold
    if text.isascii() or not _FOLDABLE.search(text):
        return text
    return text.translate(_INVISIBLE)


def _ascii_search(text: str, hints: re.Pattern, latin: re.Pattern, full: re.Pattern,
                  chars: re.Pattern) -> bool:
    """`full.search(text)`, cheaper for ASCII text: there only `latin` (full's alternatives
    that need no other characters) can match, and only where `hints` finds one of the words
    every match of `latin` holds (searched in the lower-cased text, case-sensitively). An IGNORECASE search over many
    alternatives tries each at every position: ~10 us a line. In other text, full's other
    alternatives can match only where `chars` finds one of the characters each of them
    holds: without one, only `latin` can (most lines: a character class is searched ten
    times faster than full)."""
    if text.isascii():
        low = text.lower()
        return hints.search(low) is not None and latin.search(text) is not None
    if chars.search(text) is None:
        return latin.search(text) is not None
    return full.search(text) is not None


def formality(text: str) -> bool:
    """An interview formality (`自我介绍`, "tell me about yourself"): FORMALITY.search."""
    return _ascii_search(text, _FORMALITY_HINTS, _FORMALITY_LATIN, FORMALITY, _FORMALITY_CHARS)


@functools.lru_cache(maxsize=_CACHE)
def strip_numbering(text: str) -> str:
    """A question without its numbering or label ("8.1.1 什么是…" -> "什么是…")."""
    if text[:1] in _CIRCLED and len(text.rstrip()) > 1:  # (`①为什么…`: NFKC makes it `1为什么…`)
        text = text[1:].lstrip()
    probe = unicodedata.normalize("NFKC", text)
    first = probe[:1]
    if first not in _NUMBERING_STARTS and not first.isdecimal() and not first.isspace():
        return text  # (no alternative of _NUMBERING starts with it: most titles)
    m = _NUMBERING.match(probe)
    if not m or m.end() >= len(probe.rstrip()):
        return text
    # NFKC keeps the length of the characters numbering is made of (digits, dots, colons)
    return text[len(text) - len(probe) + m.end():] if len(text) == len(probe) else probe[m.end():]


_CIRCLED = frozenset("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
# What a match of _NUMBERING can start with after its blanks, but for digits (`\d`: those
# str.isdecimal takes): its alternatives' first characters (IGNORECASE: `q` too)
_NUMBERING_STARTS = frozenset("QqPpEe问問题(（[<⭐★•·◦▪▸►一二三四五六七八九十【")


# A task list's checkbox (`- [ ] 手推lr`): GitHub's syntax, plain text to CommonMark.
TASK_BOX = re.compile(r"^\[[ xX]\]\s+(?=\S)")


@functools.lru_cache(maxsize=_CACHE)
def clean_question(text: str) -> str:
    """A front as shown: folded, no numbering, no task box, no emoji or markup at its edges,
    one line."""
    text = clean_title(fold(text))
    if text[:1] == "[":
        text = TASK_BOX.sub("", text, count=1)
    text = strip_numbering(text)
    bare = _strip_symbols(_strip_stars(text))
    if bare[:1] != text[:1]:
        # (numbering after an emoji, bold or not: `**📌 13. 为什么…？**`, `🔥 **14. 什么是BN？**`)
        bare = _strip_symbols(_strip_stars(strip_numbering(_strip_stars(bare))))
    text = bare
    if text[-1:] == "]":  # (the test first: most fronts do not end so)
        text = _SOURCE_MARK.sub("", text)
    last = text[-1:]
    if last in ")）]】" or (last in "nsNS" and text[-8:].lower() in ("question", "uestions")):
        text = _ASKED_TAG.sub("", text) or text
        if text[-1:] in ")）" and not text.isascii():
            text = _HOW_IT_WENT.sub("", text) or text
    if text[:1] in _ONE_MORE_FIRST and (m := _ONE_MORE.match(text)) and text[m.end():].strip():
        text = text[m.end():]
    return text.rstrip(":：").strip()


# How the question went for the one asked, in brackets after it in an interview diary:
# `BN与GN的差别 （回答的不是很清楚）`, `…车辆批次 （手生了，有思路，没写出来）` (fault hunt 43)
# (not a follow-up asked there, `（面试官追问能不能融合进卷积，…）`: more of the question)
_HOW_IT_WENT = re.compile(r"\s*[（(](?![^()（）]*(?:追问|问了|问到))[^()（）]*?(?:答|没写|写出|手生|忘了|"
                          r"想不起|卡住|说错|没想到)[^()（）]*[)）]$")
# One more asked, or an appendix, before the question: `加一道：Egg Drop …`, `附：Transformer …`
_ONE_MORE = re.compile(r"(?:附|加一道|再加一道|再来一道|补充|追加一道)\s*[:：]\s*")
_ONE_MORE_FIRST = frozenset("附加再补追")


# Where or how often a question is asked, or what kind it is, tagged after it: `… (Big Tech)`,
# `… (Google, Meta, Amazon)`, `… - Google, Amazon Interview Question`, `… (Conceptual)`: not
# part of the question (fault hunt 43: 12 cards of three notes)
_TAG_WORD = (r"(?:big tech|faang|maang|(?:very )?common|frequently asked|popular|classic|"
             r"must[- ]know|google|meta|amazon|microsoft|apple|netflix|facebook|uber|airbnb|"
             r"linkedin|nvidia|tesla|openai|deepmind|bytedance|tiktok|alibaba|tencent|baidu|"
             r"startups?|easy|medium|hard|basic|intermediate|advanced|conceptual|coding|"
             r"practical|theory|theoretical|behaviou?ral|高频|常考|必考|字节|阿里|腾讯|百度|美团)")
_TAGS = rf"{_TAG_WORD}(?:\s*(?:[,/、&|]|and)\s*{_TAG_WORD})*"
_ASKED_TAG = re.compile(rf"\s*(?:[(（\[【](?:asked (?:at|by|in) )?{_TAGS}[)）\]】]|"
                        rf"\s[-–—|]\s*{_TAGS}\s+interview\s+questions?)$", re.IGNORECASE)


# Where a question came from, linked after it: `What is gradient descent? [[src](http://…)]`
# reads `… [src]` once its link is text. Not part of the question. Nor is a mark that its
# answer is still to write, `nms的发展 \* [todo]` (fault hunt 42: 29 cards of one note).
_SOURCE_MARK = re.compile(r"\s*(?:\[(?:src|source|link|ref|reference|参考|来源|原文|出处)\]|"
                          r"\\?\*?\s*\[(?:todo|to-?do|tbd|wip|待办|待补充|待完善|未完成)\])$",
                          re.IGNORECASE)


def _strip_stars(text: str) -> str:
    r"""`re.sub(r"^[*\s]+|[*\s]+$", "", text)` without a regex tried at every position."""
    a, b = 0, len(text)
    while a < b and (text[a] == "*" or text[a].isspace()):
        a += 1
    while b > a and (text[b - 1] == "*" or text[b - 1].isspace()):
        b -= 1
    return text[a:b]


def _symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Mn", "Cf") or ch.isspace()


# The ASCII characters that are no _symbol: a text that begins and ends with one of them is
# its own _strip_symbols (the loops below stop at once), found without a call a character
_ASCII_KEPT = frozenset(c for c in map(chr, range(128)) if not _symbol(c))


def _strip_symbols(text: str) -> str:
    """Emoji and other pictographs off both ends ("What is dropout? 👶")."""
    if text[:1] in _ASCII_KEPT and text[-1:] in _ASCII_KEPT:
        return text
    a, b = 0, len(text)
    while a < b and _symbol(text[a]):
        a += 1
    while b > a and _symbol(text[b - 1]):
        b -= 1
    return text[a:b] or text


@functools.lru_cache(maxsize=_CACHE)
def is_label_only(title: str) -> bool:
    """A heading that only numbers a question ("Question 3", "Q3", "第3题")."""
    t = clean_title(read(title))
    return bool(_LABEL_ONLY.match(t) or _TYPED_LABEL.match(_strip_symbols(t)))


# A level of difficulty that groups the questions under it (`## Intermediate`, `### 🔹 Basic
# Level`, `## 进阶篇`), as `key` writes it: a category, neither a topic nor a question
_LEVEL = re.compile(r"(?:level\d|tier\d)?(?:basics?|fundamentals?|beginners?|easy|intermediate|"
                    r"medium|advanced|expert|hard|junior|senior|entry)(?:level)?"
                    r"(?:questions?|concepts?|topics?)?|"
                    r"(?:基础|进阶|高级|初级|中级|入门|简单|中等|困难)(?:篇|题|级|部分|问题)?")


@functools.lru_cache(maxsize=_CACHE)
def is_level(title: str) -> bool:
    """A heading that names a level of difficulty (`## Fundamental`, `### 进阶`)."""
    return bool(_LEVEL.fullmatch(key(strip_numbering(_strip_symbols(read(title))))))


@functools.lru_cache(maxsize=_CACHE)
def is_typed_label(title: str) -> bool:
    """A label naming the question's type (`2. 填空题`): its question need not ask."""
    return bool(_TYPED_LABEL.match(_strip_symbols(clean_title(read(title)))))


# A link's or an image's address, or a bare URL: its `?` starts a query, it asks nothing
# (`- ![\mu](https://www.zhihu.com/equation?tex=…) : estimated mean`)
_ADDRESS = re.compile(r"(?<=\])\([^()\s]*+\)|\bhttps?://\S+")


@functools.lru_cache(maxsize=_CACHE)
def asks(text: str) -> bool:
    """Whether a line reads as a question: a question mark, a question word, a comparison."""
    t = read(text).strip()
    if "?" in t or "？" in t:  # (_ASKS's first alternative, found without a regex)
        if "://" not in t:
            return True
        t = _ADDRESS.sub(" ", t)
        if "?" in t or "？" in t:
            return True
    if t[:1] in "eEfF例比" and _AN_EXAMPLE.match(t):
        # (`eg: … in the one vs Rest setting.`: an example given, no comparison asked; with
        # no question mark, no question: fault hunt 43)
        return False
    return (_ascii_search(t, _ASKS_HINTS, _ASKS_LATIN, _ASKS, _ASKS_CHARS)
            or ("[" in t or "_" in t or "（" in t) and _fills_in(t)
            or _opens_with_question_word(strip_numbering(t).lstrip("*_ "))
            or numbered_question(t)
            or (not t.isascii() and _KANA_HANGUL.search(t) is not None
                and _ASKS_JA_KO.search(t) is not None))


# A line that gives an example: `e.g. …`, `eg: …`, `For example, …`, `例如…`, `比如…`
_AN_EXAMPLE = re.compile(r"(?:e\.?\s?g\b\.?|for (?:example|instance)\b|例如|比如)", re.IGNORECASE)


# A blank to fill in, after some words (`… includes [ ] , [ ] and [ ]`, `…的方法有____`, `（  ）`;
# not a task box, `[ ] read the paper`, which opens its line, nor a list, `layers = []`)
_BLANK = re.compile(r"(?:\S\s+|[\u4e00-\u9fff])\[ \](?!\()|(?:\s|[\u4e00-\u9fff（(，,：:])_{3,}(?![\w_*])|"
                    r"\S\s*（\s*）")


def _fills_in(t: str) -> bool:
    """Blanks to fill: two or more, or one that ends a line of some words (`… is called the
    [ ]`, `卷积核大小为（ ）`); not one in prose (`Use [ ] for a checkbox`, `NOW（ ）`, `Signed
    ____`), nor `____bold____` (emphasis)."""
    blanks = list(_BLANK.finditer(t))
    if len(blanks) >= 2:
        return True
    if not blanks or t[blanks[0].end():].strip(" 。.?？!！"):
        return False
    before = t[:blanks[0].start() + 1]
    return len(before.split()) >= 4 or len(re.findall(r"[\u4e00-\u9fff]", before)) >= 5


# Japanese and Korean notes ask without a question mark, at the end of the line: `何をするか`,
# `dz/dx を求めよ。`, `CNNとは`; `…설명해주세요`, `…무엇인가요`. Only there: a question word
# inside a line says nothing (`何か` something, `なぜなら` because, `무엇보다` above all), nor
# does a request to the reader (`…を参照してください。`, `…참고하세요`). Looked for only in text
# with kana or hangul (none in Chinese or English notes: their questions are read as before).
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7a3]")
_ASKS_JA_KO = re.compile(
    r"(?:(?:の|ん|です|ます|ません|でしょう|だろう|する|される|なる|ある|いる|ない|た|る|い|"
    r"[\u4e00-\u9fff])(?<!どう)か|どう(?:なる|する|違う|思う)|"
    r"とは|は[?？]|(?:説明|解説|記述|比較|証明|列挙|計算|定義)せよ|求めよ|述べよ|答えよ|挙げよ|示せ|探せ|選べ|表せ|書け|"
    r"(?:説明|解説|答え|述べ|示し|教え|比較|証明|記述|列挙|挙げ)(?:て|で)?(?:ください|下さい|なさい)|"
    r"까요|나요|가요|는가|인가|습니까|니까|뭔가요|뭘까|이란|"
    r"(?:설명|말|비교|정의|서술|이야기|소개|답변?|나열|계산|증명)(?:해|하여)?\s?"
    r"(?:주세요|주십시오|보세요|하세요|하시오)|알려\s?(?:주세요|주십시오))"
    r"[\s。．.!！]*(?:[(（][^)）\n]{0,80}[)）][\s。．.]*)?$")  # (`… 알려주세요. (Sigmoid, ReLU 등)`)


_COMPARING = re.compile(r"区别|异同|对比|比较|\bvs\.?(?!\w)|\bversus\b|\bdifference\b|\bcompare\b",
                        re.IGNORECASE)


def compares_only(text: str) -> bool:
    """Whether a line asks by a comparison and nothing else (`对比说明`, `与 BN / LN 的对比`,
    `BN vs LN`; not `BN 和 LN 的区别是什么？`): a label of a comparison, inside an answer."""
    return bool(_COMPARING.search(text)) and not _ASKS.search(_COMPARING.sub(" ", read(text)))


def numbered_question(text: str) -> bool:
    """A line numbered as a question (`问题3: …`, `Q2. …`), with words after the number."""
    return bool(_NUMBERED_QUESTION.match(text))


def opens_a_question(text: str) -> bool:
    """Whether a text starts as a question or an instruction does (`Why …`, `Explain …`,
    `如何…`, `简述…`)."""
    return _opens_with_question_word(strip_numbering(read(text).strip()).lstrip("*_ "))


# Words that open a question as an instruction (`Name three losses`), and a key when a colon
# follows them (`name: 函数名`, `Given: x = 5`): no question then
_KEY_WORDS = frozenset(("name", "list", "state", "design", "given", "show", "write", "outline",
                        "draw", "give", "pick", "choose"))


# Infinitives that open a task (`Explicar a diferença entre …`, `Объяснить, что такое ROC`),
# and the words that make one the subject of a statement instead (`Объяснить результаты
# проще с графиками.`, `Explicar isso é difícil.`)
_INFINITIVES = frozenset(("explicar", "expliquer", "describir", "descrever", "décrire", "decrire",
                          "definir", "comparar", "erklären", "erklaeren", "beschreiben",
                          "объяснить", "описать", "сравнить"))
_PREDICATE = re.compile(r"\s(?:é|es|est|ist|можно|нельзя|нужно|надо|проще|сложно|легко|трудно|"
                        r"важно|лучше|стоит)(?!\w)", re.IGNORECASE)


def _opens_with_question_word(t: str) -> bool:
    """Whether a line (its numbering off) opens with a question word or an instruction."""
    m = _QUESTION_WORDS.match(t)
    if m is None:
        return not t.isascii() and _VI_ASKS.search(t) is not None
    word = m.group(0).lower()
    if t[m.end():m.end() + 1] in (":", "：") and word in _KEY_WORDS:
        return False
    if word in _INFINITIVES and _PREDICATE.search(t):
        return False
    # (`Что такое переобучение, знает каждый.`: a statement about it)
    return not (word.startswith("что так") and "," in t and t.rstrip().endswith("."))


def needs_context(title: str) -> bool:
    """A short topic word ("参数量", "YOLO", "Practical Symptoms") that does not stand on its
    own as a front."""
    return not asks(title) and (len(key(title)) <= 12 or (
        title.isascii() and len(strip_numbering(title).split()) <= 3))


def is_stub(line: str) -> bool:
    return bool(_STUB.match(read(line)))


def is_reference_label(line: str) -> bool:
    return bool(_REFERENCE_LABEL.match(read(line)))


def names_a_diary(title: str) -> bool:
    """A heading that names an interview diary (`小米 视觉算法研究员 面经`): its questions are
    the cards, the heading and its introduction (the team, the dates) are not."""
    return "面经" in title and not asks(title)


# An outcome in brackets before a round's name (`[过了]第一段面试`, `【挂】二面`)
_OUTCOME = re.compile(r"^\s*[\[【(（][^\]】)）]{1,6}[\]】)）]\s*")


def _round_key(title: str) -> str:
    """The title's key without its numbering and an outcome in front (`【挂】三面`: `三面`)."""
    return key(_OUTCOME.sub("", strip_numbering(title)))


# A round with the team or the place it was held in front, as `key` writes it: `### 研究院一面`,
# `### 定位组二面（挂）` (not `另一面`, `的一面`: a side of something)
_TEAM_ROUND = re.compile(r"[^\W\d_]{1,8}?(?<![另的这那])(?:[一二三四五六七八九十\d]面|hr面|终面)"
                         r"(?:挂了?|过了?|凉了?)?")


def _names_round(title: str, k: str) -> bool:
    """`k` (the title's key: `key(strip_numbering(title))`) or the title without an outcome in
    front names a round."""
    if _ROUND.match(k) or ("面" in k and _TEAM_ROUND.fullmatch(k)):
        return True
    # (without an outcome in front, _round_key(title) is `k`: asked already)
    return _OUTCOME.match(strip_numbering(title)) is not None and \
        bool(_ROUND.match(_round_key(title)))


# Companies whose names head the sections of Chinese interview diaries (`## 字节跳动-智能创作`
# over the questions asked there), as `key` writes them
_COMPANY = re.compile(r"(?:字节跳动|字节|bytedance|快手|美团|滴滴|阿里巴巴|阿里|蚂蚁|腾讯|百度|华为|京东|"
                      r"小米|商汤|旷视|网易|拼多多|荣耀|oppo|vivo|大疆|海康|依图|地平线|蔚来|理想汽车|"
                      r"小鹏|小红书|米哈游|携程|微软|英伟达|momenta|虹软|云从|寒武纪|哔哩哔哩|b站|"
                      r"shopee|虾皮|得物|知乎|微博|联想|中兴|科大讯飞|讯飞|顺丰|格灵深瞳|思谋)")


# (in words: `google` is no company in `GoogLeNet`; the company, then a round or a team at most)
_COMPANY_EN = re.compile(r"(?:google|amazon|microsoft|facebook|apple|netflix|linkedin|uber|"
                         r"airbnb|twitter|nvidia|tesla|openai|deepmind|bloomberg|tiktok|"
                         r"salesforce|adobe|qualcomm|samsung|pinterest|lyft|databricks)"
                         r"(?![\w-])(?:\W+\w+){0,3}\W*$")


@functools.lru_cache(maxsize=_CACHE)
def names_a_company(title: str) -> bool:
    """A short heading that names a company (and a team), no question: `## 快手-YTech`."""
    k = _round_key(title)
    return ((len(k) <= 16 and bool(_COMPANY.match(k)) and "的" not in k
             or bool(_COMPANY_EN.match(fold(title).strip().casefold())))
            and not asks(title))


def names_a_position(title: str) -> bool:
    """A heading that names a company and the position interviewed for, as a diary's does
    (`阿里巴巴计算机视觉算法实习生（2018届）`: its introduction was a card, fault hunt 44)."""
    if title.isascii():  # (every position word is Chinese: most headings end here)
        return False
    k = _round_key(title)
    return len(k) <= 32 and bool(_COMPANY.match(k)) and "的" not in k and \
        bool(_POSITION.search(k)) and not asks(title)


_POSITION = re.compile(r"实习生?|校招|社招|春招|秋招|提前批|工程师|研究员|\d{2,4}届")


@functools.lru_cache(maxsize=_CACHE)
def junk_heading(title: str) -> str | None:
    """Why a heading is no question (references, introduction, summary, …), or None."""
    k = key(strip_numbering(title))
    if _JUNK_HEADING.fullmatch(k) or _meta(k) or formality(title):
        return "not a question (references, introduction, summary, to-do …)"
    # (`_names_round(title, k)`: as _JUNK_HEADING did not match, that is is_round, which
    # the heading tree has asked of every title: _link_tree)
    if is_round(title):
        return "interview round: its questions are the cards"
    return None


# A round named inside a diary's heading (`新浪微博一面面经：7.21`, `某厂二面面经`)
_ROUND_IN_DIARY = re.compile(r"(?:第?[一二三四五六七八九十]|\d)面面经")


@functools.lru_cache(maxsize=_CACHE)
def is_round(title: str) -> bool:
    k = key(strip_numbering(title))
    return (_names_round(title, k) and not _JUNK_HEADING.fullmatch(k)) or (
        "面面经" in k and bool(_ROUND_IN_DIARY.search(k)) and names_a_diary(title))


# What a note or section that is a glossary says it is, anywhere in its title
_GLOSSARY_WORDS = re.compile(r"glossary|terminology|vocabulary|术语|名词解释|词汇表", re.IGNORECASE)


# A heading over a glossary (`## Key Terms`, `## 名词解释`), as `key` writes it
_GLOSSARY_HEADING = re.compile(r"(?:key|important|basic)?(?:terms?|terminology|concepts?)|glossary|"
                               r"definitions?|vocabulary|术语表?|名词解释|关键术语|(?:关键|基本|基础)?概念|"
                               r"概念解释")


def is_glossary_heading(title: str) -> bool:
    """A heading that is a glossary's, its terms under it: `## Key Terms`, `### 3.1 基础概念`."""
    return _GLOSSARY_HEADING.fullmatch(key(strip_numbering(title))) is not None


def names_a_glossary(title: str) -> bool:
    """A title that says its section (or note) is a glossary: `# 📖 Deep Learning Glossary`,
    `## 名词解释`."""
    return _GLOSSARY_WORDS.search(title) is not None


@functools.lru_cache(maxsize=_CACHE)
def is_question_list(title: str) -> bool:
    """A section named like a list of questions ("常见问题", "Interview questions")."""
    k = key(strip_numbering(title))
    if (k.endswith(_QUESTION_LIST_ENDS) and bool(_QUESTION_LIST.fullmatch(k))) or is_round(title):
        return True
    return k.endswith("questions") and "interview" not in k and title.isascii() and \
        _ASCII_TOPIC.fullmatch(strip_numbering(title).strip(" *_#")) is not None and \
        not asks(title)


# A few words of a topic before `questions`, in English (`Combinatorics / counting questions`,
# `Linear algebra questions`): words, slashes, ampersands and hyphens, no more than five words
# (not `Machine Learning Interview Questions`: a note's title, its list an introduction)
_ASCII_TOPIC = re.compile(r"(?:[A-Za-z][\w'-]*\s*(?:[/&,+]\s*)?){1,5}questions", re.IGNORECASE)
