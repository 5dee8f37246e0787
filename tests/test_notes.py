"""Each pattern of the real notes (cards/notes, copies of ../shared/notes) comes out right."""

import re

import pytest

from conftest import note
from prepcli import textnorm
from prepcli.notes import parse_note, read_note


def cards(prefix):
    parsed = parse_note(read_note(note(prefix)))
    return parsed, {d.question: d for d in parsed.drafts}


def test_000_daily_log_dates_are_never_questions_bold_bullets_and_h4_are():
    parsed, by_q = cards("000")
    assert not [d for d in parsed.drafts if textnorm.is_date(d.question)]
    # bold bullets under date headings
    for q in ("torchsummary", "resnet", "1x1 conv", "GAP", "知识蒸馏 knowledge distillation",
              "Pytorch Styleguide", "Smooth L1", "Yolo V3", "pytorch loss function", "激活函数"):
        assert by_q[q].kind == "qa", q
        assert by_q[q].path[-1] == textnorm.clean_title(by_q[q].path[-1])
        assert textnorm.is_date(by_q[q].path[-1]), by_q[q].path
    # H4 topics under date headings
    for q in ("tensorflow", "目标检测评价标准", "SSD代码细节", "GIOU Loss", "AP50", "collections"):
        assert by_q[q].kind == "qa", q
    assert by_q["GIOU Loss"].path == ["面试准备计划", "Daily Report", "2019.5.7"]
    # an H4 topic with nothing under it is the user's to-do, not a studyable card
    assert by_q["Lottery Ticket Hypothesis"].kind == "prompt"
    assert by_q["Lottery Ticket Hypothesis"].answer == ""
    # the bullet's own nested content is the answer, including images and $$ math
    assert by_q["1x1 conv"].answer.startswith("1x1卷积核具有三个作用")
    assert "![img](imgs/1.jpg)" in by_q["1x1 conv"].answer
    assert "$$ q_i = \\frac{exp(z_i/T)}{\\sum\\limits_{j}\\exp(z_j/T)} $$" in \
        by_q["知识蒸馏 knowledge distillation"].answer
    # the rest of the bullet's first line (a link) opens the answer
    assert by_q["pytorch loss function"].answer.startswith("[link](https://blog.csdn.net/")
    # `#` comment lines in code fences stay code, never headings
    assert "\n  # 虽然只有0，1两种，但torch要求使用torch.FloatTensor格式\n" in \
        by_q["pytorch loss function"].answer
    assert len(parsed.drafts) == 17
    # the study plan at the top is an outline, not a card; the summary says so
    assert [(s.what, s.reason) for s in parsed.skipped] == [
        ("复习内容", "topic outline (a plan, no answers)")]


def test_001_h3_after_nms_are_sibling_cards_not_parts_of_nms():
    parsed, by_q = cards("001")
    nms = by_q["NMS 实现"]
    assert nms.kind == "qa" and nms.path == []
    assert nms.answer.startswith("```python\n# python3\nimport numpy as np")
    assert nms.answer.rstrip().endswith("```")
    assert "CrossEntropyLoss" not in nms.answer
    for q in ("CrossEntropyLoss 计算步骤", "梯度消失与爆炸", "卷积手写实现", "relu的不可导",
              "正则化的操作有哪些", "attention 与 全连接的区别", "多标签的分类",
              "为什么 MobileNet、ShuffleNet 在理论上速度很快，工程上并没有特别大的提升？",
              "在机器学习中为什么经常使用梯度下降而不使用牛顿法？"):
        assert by_q[q].path == [], (q, by_q[q].path)
        assert by_q[q].kind == "qa"
    # ... while H3s under a heading with no body of its own are its parts: they carry its
    # words, and the container is a card whose answer lists them (issue 11, point 2)
    parent = "各层 FLOPs 和参数量 paras 的计算"
    for q in ("参数量", "计算量"):
        part = by_q[f"{parent}：{q}"]
        assert part.path == [parent] and part.stem == q and part.kind == "qa"
    assert by_q[parent].answer == "- 参数量\n- 计算量\n- 卷积后尺寸的计算"
    # numbered questions with an answer below them are cards of their own
    assert by_q["为什么参数越小代表模型越简单？"].answer.startswith("　　越是复杂的模型")
    assert by_q["实现参数的稀疏有什么好处？"].path == ["L1 正则化与 L2 正则化的区别"]


def test_001_empty_link_only_and_image_only_sections_are_prompts():
    _, by_q = cards("001")
    assert by_q["BN操作回顾"].kind == "prompt"  # empty
    size = by_q["各层 FLOPs 和参数量 paras 的计算：卷积后尺寸的计算"]
    assert size.kind == "prompt"  # image only
    assert size.answer == "![img_2.png](img/conv_size.png)"  # kept
    assert by_q["CNN分类网络的演变脉络"].kind == "prompt"  # "参考：<url>" only
    assert by_q["RNN && LSTM"].kind == "prompt"
    assert by_q["SSD回顾"].kind == "prompt"  # "详情查看[SSD](...)"
    # a table is kept intact
    table = by_q["感受野大小的计算"].answer
    assert "*type* | *size* | *stride* |\n:---: | :---: |:--- |\nconv1 | 3 | 1 |" in table


def test_002_question_answer_lines_in_the_cv_fence():
    parsed, by_q = cards("002")
    cv = [d for d in parsed.drafts if d.path[-1:] == ["CV问题"]]
    assert [d.question for d in cv] == [
        "怎样判断和防止过拟合（高频）", "BN和LN的区别（高频）", "拿到训练样本如何预处理",
        "如何实现模型的剪枝和量化", "ROC和AUC的概念和计算", "Resnet的主要思想，这个思想能解决的问题",
        "shuffle net的主要思想，以及该思想是用于提升精度还是速度",
        "YoLo和RCNN系列的主要区别，YoLo模型输出大小与每个输出位置的含义"]
    assert [d.kind for d in cv] == ["qa", "qa", "qa", "qa", "prompt", "prompt", "qa", "prompt"]
    first = by_q["怎样判断和防止过拟合（高频）"]
    assert first.answer.startswith("过拟合指的是")
    assert "防止过拟合方法：" in first.answer and "5. 多任务学习。" in first.answer
    assert "高频" in first.tags
    assert by_q["如何实现模型的剪枝和量化"].answer.endswith("等等方法。")
    # the NLP and Pytorch fences: all questions, no answers yet
    nlp = [d for d in parsed.drafts if d.path[-1:] == ["NLP问题"]]
    assert len(nlp) == 6 and {d.kind for d in nlp} == {"prompt"}
    # the numbered items under 常见问题 are cards of their own (issue 11, point 1); the
    # heading lists them, and the `question：answer` fences are cards, not items
    assert by_q["感受野计算"].answer.startswith("- 两个尺寸为3的小卷积模板")
    assert by_q["IOU计算"].kind == "qa"
    assert by_q["深浅copy"].kind == "prompt"  # only the labels 浅copy：/深copy：
    assert by_q["多进程和多线程的区别"].path == ["目标识别", "常见问题"]
    assert by_q["常见问题"].answer == "- 感受野计算\n- IOU计算\n- 深浅copy\n- 多进程和多线程的区别"
    assert "CV问题" not in by_q and "NLP问题" not in by_q
    # a fence that is prose, not question：answer lines, stays in its answer
    assert "它统计了误分类标签" in by_q["多标签分类损失"].answer


def test_002_headings_at_any_depth_and_image_only_html():
    _, by_q = cards("002")
    assert by_q["attention原理"].path == ["self-attention原理"]  # shares a term: a part
    assert by_q["Adaboost"].path == ["目标检测"]  # under an H1 chapter
    assert by_q["transformer"].kind == "prompt"  # image only
    assert by_q["混淆矩阵"].kind == "qa"
    assert '<img src="https://img2018.cnblogs.com' in by_q["混淆矩阵"].answer


def test_003_toc_marker_highlight_marks_and_code_kept_intact():
    parsed, by_q = cards("003")
    assert [(s.line, s.reason) for s in parsed.skipped] == [(1, "table-of-contents marker")]
    assert by_q["交叉熵"].path == ["深度学习基础"]  # "# ==深度学习基础==" without the marks
    # the comparison is a card, and its parts say what they are part of (issue 11, point 2)
    cmp_ = "Faster-RCNN YOLO SSD的区别"
    assert by_q[cmp_].answer == "- YOLO\n- SSD\n- Faster-RCNN"
    for part in ("YOLO", "SSD", "Faster-RCNN"):
        assert by_q[f"{cmp_}：{part}"].path == ["目标检测", cmp_]
    # a long answer in bold parts is split at them, each part with its context
    assert by_q["讲一下NMS SoftNMS"].answer == "- NMS\n- Soft-NMS"
    nms = by_q["讲一下NMS SoftNMS：NMS"].answer
    assert "\t#打分从大到小排列，取index" in nms  # a tab-indented comment inside a fence
    assert nms.count("```") == 2
    assert by_q["FasterRCNN"].kind == "prompt"  # three images
    assert by_q["RCNN系列模型的区别"].kind == "prompt"  # an <img> tag only
    assert by_q["牛顿梯度下降"].kind == "prompt"
    assert "![[公式]](image/equation.svg)" in by_q["交叉熵"].answer  # missing image kept


def test_004_display_math_glued_to_the_line_above_and_toc_heading():
    parsed, by_q = cards("004")
    assert [(s.what, s.reason) for s in parsed.skipped] == [("目录", "table of contents")]
    assert "- 归一化：\n  $$\n  \\frac{x-min}{max - min}\n  $$" in by_q["归一化和标准化"].answer
    bn = by_q["BN"].answer
    assert "    # 通过is_grad_enabled来判断当前模式是训练模式还是预测模式" in bn
    assert not [q for q in by_q if q.startswith("通过is_grad")]
    assert by_q["分组卷积"].kind == "prompt"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_card_question_is_empty_a_date_or_markup(prefix):
    parsed, _ = cards(prefix)
    for d in parsed.drafts:
        assert d.question and not textnorm.is_date(d.question)
        assert not re.search(r"^#|\*\*|==|\]\(", d.question), d.question
        if d.kind == "qa":
            assert d.answer.strip()
