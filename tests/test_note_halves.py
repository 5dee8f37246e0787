"""A big note parsed in two halves at once gives exactly what one parse gives.

parse_note cuts a note of SPLIT_LINES lines or more in two and parses the second half in a
forked child. Here the threshold is 0, so every note with a place to cut is parsed both ways
and the two results compared: cards, skipped sections and notes to check, in order. The
inputs are the bundled notes, the corpus, and generated notes made of the blocks that could
carry something across the cut (tables, HTML, link definitions, open fences, a `# comment`
in code, a setext title, interview rounds, containers)."""

import dataclasses
import os
import random
import signal
import sys
import threading
from pathlib import Path

import pytest

from prepcli.cards import forked, notes
from prepcli.cards.notefile import read_note

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


MAY_FORK = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1
needs_fork = pytest.mark.skipif(not MAY_FORK, reason="forks on Linux with two CPUs only")


@pytest.fixture(autouse=True)
def _threads_of_other_tests(monkeypatch, request):
    """Threads other tests of this run left idle do not stop the fork here (a `prep import`
    runs alone in its process); the thread rule has its own test."""
    if request.node.name != "test_no_fork_while_other_threads_run":
        monkeypatch.setattr(forked, "available", lambda: MAY_FORK)


def _both(text: str, monkeypatch) -> tuple[bool, notes.ParsedNote, notes.ParsedNote]:
    """(whether it was cut, one parse, the parse in halves)."""
    monkeypatch.setattr(notes, "SPLIT_LINES", 10**9)
    whole = notes.parse_note(text)
    monkeypatch.setattr(notes, "SPLIT_LINES", 0)
    cuts = []
    real = notes._in_halves

    def spy(lines, then=None, sheet=False):
        got = real(lines, then, sheet)
        cuts.append(got is not None)
        return got

    monkeypatch.setattr(notes, "_in_halves", spy)
    halves = notes.parse_note(text)
    monkeypatch.setattr(notes, "_in_halves", real)
    return bool(cuts and cuts[0]), whole, halves


def _same(a: notes.ParsedNote, b: notes.ParsedNote, text: str) -> None:
    assert a.drafts == b.drafts, text[:300]
    assert a.skipped == b.skipped, text[:300]
    assert a.unsure == b.unsure, text[:300]


def _notes():
    paths = sorted((ROOT / "cards" / "notes").glob("*.txt"))
    paths += sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    return paths


@needs_fork
def test_real_notes_parse_the_same_in_halves(monkeypatch):
    cut = 0
    for path in _notes():
        text = read_note(path)
        was_cut, whole, halves = _both(text, monkeypatch)
        _same(whole, halves, path.name)
        cut += was_cut
    # three of the five bundled notes have a place to cut (the others: a lone H1), five of the corpus
    assert cut >= (8 if CORPUS.is_dir() else 3), cut


@needs_fork
@pytest.mark.parametrize("title", ["# 深度学习面试题\n\n", "# DL\n\n本文总结了面试中常见的问题。\n\n",
                                   "# DL\n\n", "## 一\n\n"])
def test_what_a_note_says_of_itself_reads_the_same_in_halves(title, monkeypatch):
    """A note that says it lists interview questions reads lists of topics as questions
    (notes._declares_questions): from its lines before its second heading, which both halves
    have."""
    bank = "1. KL 散度\n\n   它的定义。\n\n1. 为什么用 ReLU？\n\n   不饱和。\n\n1. 万能近似\n\n   一个定理。\n"
    level = "##" if title.startswith("##") else "#"
    text = title + "".join(f"{level} 第{i}部分\n\n{bank}\n" for i in range(6))
    was_cut, whole, halves = _both(text, monkeypatch)
    assert was_cut
    _same(whole, halves, text)


@needs_fork
def test_the_bench_notes_are_cut(monkeypatch):
    body = ("A typical answer: a few sentences with `code`, a list and a formula $x^2$.\n\n"
            "- point one\n- point two\n")
    # (each its own answer: a card written twice is one card, _once)
    text = "".join(f"## Question {i}: why does it work?\n{body}- point {i}\n\n" for i in range(300))
    was_cut, whole, halves = _both(text, monkeypatch)
    assert was_cut
    _same(whole, halves, text)
    assert len(halves.drafts) == 300


# Blocks of a generated note. Each may sit right before the cut, or hold it.
HEADINGS = ["# 第{n}章", "## Question {n}: why does it work?", "## {n}. 什么是 BN？", "### 参数量 {n}",
            "## 一面 {n}", "## 2019.4.{n}", "## 目录", "## References {n}", "## Summary",
            "### Q{n}", "# Chapter {n}", "## Activation functions {n}", "## 常见问题 {n}"]
BLOCKS = [
    "A plain answer with `code` and $x^2$.", "- point one\n- point two",
    "1. 为什么要归一化？\n2. 什么是 dropout？", "**What is IoU?**", "问：为什么用 ReLU？\n答：梯度不消失。",
    "Q: what is NMS?\nA: it removes overlapping boxes.",
    "| 问题 | 答案 |\n|---|---|\n| 什么是 BN | 批归一化 |", "| a | b |\n|---|---|\n| 1 | 2 |",
    "<div>\nhtml block\n</div>", "<!-- a comment", "that ends here -->", "[ref]: http://x.y",
    "see [the paper][ref]", "```python\n# not a heading\nx = 1\n```", "```\nnever closed",
    "# comment in code?", "x = compute(y)", "Title\n===", "Sub\n---", "> quoted answer",
    "> Q: quoted question?\n> A: yes", "**Sigmoid** - S shaped\n\n**Tanh** - centred",
    "- [ ] TODO", "待补充", "参考：https://example.com", "    indented code",
    "- item\n\n  continued item", "***", "```\nQ1：什么是 IoU：交并比\nQ2：什么是 NMS：非极大值抑制\n```",
    "- 自我介绍\n- 讲一下 BN 为什么有效？", "**1. 什么是 anchor**\n\n答：先验框。",
]


def _doc(rng: random.Random) -> str:
    parts = []
    for n in range(rng.randint(2, 30)):
        if rng.random() < 0.4:
            parts.append(rng.choice(HEADINGS).format(n=n))
        else:
            parts.append(rng.choice(BLOCKS))
    sep = rng.choice(["\n", "\n\n", "\n\n\n"])
    return sep.join(parts) + rng.choice(["", "\n"])


@pytest.mark.slow  # (seconds each: in the slow set, which CI runs too)
@needs_fork
def test_generated_notes_parse_the_same_in_halves(monkeypatch):
    rng = random.Random(20261203)
    cut = 0
    for _ in range(400):
        text = _doc(rng)
        was_cut, whole, halves = _both(text, monkeypatch)
        _same(whole, halves, text)
        cut += was_cut
    assert cut >= 100, cut  # the cut is made often enough for the comparison to mean much


@pytest.mark.parametrize("before", BLOCKS, ids=lambda b: b[:20])
def test_each_block_right_before_the_cut(before, monkeypatch):
    for sep in ("\n", "\n\n"):
        text = f"## A one\nanswer one\n\n{before}{sep}## B two\nanswer two\n\n## C three\nx\n"
        _, whole, halves = _both(text, monkeypatch)
        _same(whole, halves, text)


def test_what_reaches_across_the_cut_stops_it(monkeypatch):
    """A link defined in the other half, a comment spanning the cut, a fence open at it, a
    `# comment` in code at it: one parse, not halves (and the same cards)."""
    cases = [
        "## A\nsee [the paper][ref]\n\n## B\nx\n\n## C\n[ref]: http://x.y\n",
        # (a comment on whole lines is no text, taken out before: one that ends mid-line)
        "## A\n<!-- starts\n\n## B\nends --> and more\n\n## C\nx\n",
        "## A\n```\ncode\n## B\nmore code\n```\n\n## C\nx\n",
        "## A\nx\n\n## B\n```\nnever closed\n\n## C\nx\n",
        "## A\nx\n\nx = 1\n## B\ny\n\n## C\nz\n",
    ]
    for text in cases:
        was_cut, whole, halves = _both(text, monkeypatch)
        assert not was_cut, text
        _same(whole, halves, text)
    # (and one on whole lines, taken out, leaves nothing to stop the cut: the same cards)
    text = "## A\n<!-- starts\n\n## B\nends -->\n\n## C\nx\n"
    _, whole, halves = _both(text, monkeypatch)
    _same(whole, halves, text)


@needs_fork
def test_a_title_underlined_with_equals_stays_the_title(monkeypatch):
    text = "Interview prep\n===\nintro text.\n\n## What is z?\nw\n\n# One\n## What is a?\nx\n\n# Two\n## What is b?\ny\n"
    was_cut, whole, halves = _both(text, monkeypatch)
    assert was_cut
    _same(whole, halves, text)
    assert any("title" in s.reason for s in halves.skipped)


def test_a_failed_or_killed_child_changes_nothing(monkeypatch):
    text = "".join(f"## Question {i}: why?\nanswer {i}\n\n" for i in range(40))
    monkeypatch.setattr(notes, "SPLIT_LINES", 10**9)
    want = notes.parse_note(text)
    real = notes._half
    for how in ("raise", "kill"):
        def half(lines, cut, after, sheet=False, how=how):
            if after is None:  # the second half: in the child
                if how == "raise":
                    raise RuntimeError("a bug in the child")
                os.kill(os.getpid(), signal.SIGKILL)
            return real(lines, cut, after, sheet)

        monkeypatch.setattr(notes, "_half", half)
        monkeypatch.setattr(notes, "SPLIT_LINES", 0)
        got = notes.parse_note(text)
        _same(want, got, how)
        with pytest.raises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)  # no child left behind


def test_an_interrupted_parent_leaves_no_child(monkeypatch):
    text = "".join(f"## Question {i}: why?\nanswer {i}\n\n" for i in range(40))
    real = notes._half

    def half(lines, cut, after, sheet=False):
        if after is not None:  # the first half: in this process
            raise KeyboardInterrupt
        return real(lines, cut, after, sheet)

    monkeypatch.setattr(notes, "_half", half)
    monkeypatch.setattr(notes, "SPLIT_LINES", 0)
    with pytest.raises(KeyboardInterrupt):
        notes.parse_note(text)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_no_fork_while_other_threads_run(monkeypatch):
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not forked.available()
        assert forked.start(lambda: 1) is None
        text = "".join(f"## Question {i}: why?\nanswer {i}\n\n" for i in range(40))
        was_cut, whole, halves = _both(text, monkeypatch)
        assert not was_cut
        _same(whole, halves, text)
    finally:
        stop.set()
        t.join()
    assert forked.available() == (MAY_FORK and threading.active_count() == 1)


def test_a_signal_while_waiting_for_the_child_ends_it(monkeypatch):
    """Ctrl-C (or prep's SIGTERM handling) while the parent waits: the child is killed and
    reaped at once, not waited for."""
    import time

    # (Python leaves SIGINT ignored when it starts ignored, as in a job a script put in the
    # background: Ctrl-C's own handler here, whatever the runner of the tests did)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    child = forked.Child(lambda: time.sleep(30))
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            child.result()
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


PARENT = """
import os, sys, time
from prepcli.cards import forked
child = forked.Child(lambda: time.sleep(60))
print(child._pid, flush=True)
time.sleep(60)
"""


def _running(pid: int) -> bool:
    """Whether the process exists and is no zombie (an orphan's parent is then init, or a
    subreaper that may not reap it at once)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_parent_killed_with_sigkill_takes_its_child_with_it():
    """kill -9 of `prep import` mid-parse runs none of its code: the kernel ends the child."""
    import subprocess
    import time

    proc = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    child = int(proc.stdout.readline())
    assert _running(child)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10  # (it sleeps for 60 s when nothing ends it)
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def test_the_cut_is_the_top_level_heading_nearest_the_middle():
    """_cut_line, stated plainly: of the ATX headings of the note's lowest level, leaving out
    the note's first heading, the one nearest the middle line (the lower of two as near)."""
    from prepcli.cards import blockscan

    def stated(lines):
        marks = [(i, len(ln) - len(ln.lstrip("#"))) for i, ln in enumerate(lines)
                 if blockscan.heading(ln) is not None]
        top = min((level for _, level in marks), default=0)
        tops = [i for i, level in marks[1:] if level == top]
        return min(tops, key=lambda i: abs(i - len(lines) // 2)) if tops else None

    rng = random.Random(5)
    pieces = ["# a", "## b", "### c", "#x", "# ", "#", "####### z", "###### y", "text", "",
              "## a #", "#  b", "## c ##", "##"]
    for _ in range(20_000):
        lines = [rng.choice(pieces) for _ in range(rng.randint(0, 14))]
        assert notes._cut_line(lines) == stated(lines), lines
    assert notes._cut_line(["# T", "", "## a", "x", "## b", "y"]) is None  # one H1: the top
    assert notes._cut_line(["## a", "x", "## b", "y", "## c", "z"]) == 2


@pytest.mark.slow  # (seconds each: in the slow set, which CI runs too)
@needs_fork
def test_cards_made_in_the_halves_are_the_decks_one_process_writes(tmp_path, monkeypatch):
    """prep import makes each card's id, tags, exercise and deck text in the half that read
    it (notes.parse_note's `then`): the decks, and what the import reports, are byte for byte
    those of one parse, for the real notes and a note of cards alike (whose first ids collide:
    made again in the parent), imported fresh and over the decks written before."""
    from prepcli.cards.importer import import_notes

    alike = tmp_path / "alike.md"
    alike.write_text("".join(f"## Why {'ab'[i % 2]}?\n\nBecause {i}.\n\n" for i in range(40)),
                     encoding="utf-8")
    made = []
    real = notes._in_halves

    def spy(lines, then=None, sheet=False):
        got = real(lines, then, sheet)
        made.append(got is not None and all(d.made for p in got for d in p.drafts))
        return got

    def run(split: int, out: Path, again: bool) -> list:
        monkeypatch.setattr(notes, "SPLIT_LINES", split)
        monkeypatch.setattr(notes, "_in_halves", spy)
        got = []
        for path in (_notes()[:3] if again else _notes()) + [alike]:
            rep = import_notes([path], out)
            got.append([(d.file.name, d.created, d.updated, d.unchanged, d.cards,
                         [c.id for c in d.vanished], d.file.read_text(encoding="utf-8"))
                        for d in rep.decks])
        return got

    for again in (False, True):
        whole = run(10**9, tmp_path / "whole", again)
        made.clear()
        assert run(0, tmp_path / "halves", again) == whole
        assert sum(made) >= (2 if again else 8 if CORPUS.is_dir() else 4), made  # (alike too)
        if again:  # these imports met the decks written before: every card matched
            assert not any(deck[1] for note in whole for deck in note)


def test_a_half_sent_back_keeps_every_field(monkeypatch):
    """The child sends its part as tuples (notes._sent): made again, every field of every
    draft is there, those that equality leaves out (made, key) too."""
    text = "".join(f"## Question {i}: why?\nanswer {i}\n\n- a\n- b\n" for i in range(40))
    monkeypatch.setattr(notes, "SPLIT_LINES", 10**9)
    lines = text.split("\n")
    part = notes._half(lines, notes._cut_line(lines), None)
    for i, d in enumerate(part.drafts):
        d.made, d.tags = ("id", ["t"], None, (f"text {i}", i)), [f"tag{i}"]
    part.skipped.append(notes.Skipped(3, "what", "why"))
    part.unsure.append(notes.Skipped(4, "this", "because"))
    back = notes._received(forked.pickle.loads(forked._pickled(notes._sent(part))))
    every = [f.name for f in dataclasses.fields(notes.Draft)]
    assert [[getattr(d, f) for f in every] for d in back.drafts] == \
        [[getattr(d, f) for f in every] for d in part.drafts]
    assert (back.skipped, back.heading_unsure, back.unsure, back.first, back.top) == \
        (part.skipped, part.heading_unsure, part.unsure, part.first, part.top)
    assert notes._received(notes._sent(None)) is None


@pytest.mark.skipif(not MAY_FORK, reason="forks on Linux only")
def test_a_result_that_cannot_be_sent_is_none():
    """The child pickles without a memo: a result that holds itself fails to pickle there,
    and the parent gets None (and does the work itself), not a hang or an error."""
    loop: list = [1]
    loop.append(loop)
    child = forked.Child(lambda: loop)
    assert child.result() is None
    child = forked.Child(lambda: ([1, "x"], {"k": (2, None)}))
    assert child.result() == ([1, "x"], {"k": (2, None)})


@needs_fork
def test_a_heading_that_continues_the_one_before_is_never_the_cut(monkeypatch):
    """`## 2. (continued)` joins the section before it (notes._headings): a half that began
    with it would not see that section. Near the middle of every note below; the cut is made
    elsewhere and the halves read the same."""
    body = "".join(f"## {k}. Topic {k}\nanswer {k}\n\n" for k in range(1, 9))
    for word in ("(continued)", "（续）", "cont'd", "Topic 8（续）", "Topic 8 (continued)"):
        # (the heading right at the middle: the one a cut would take)
        text = body + f"## 8. {word}\nmore of 8\n\n" + body.replace("## ", "## Z").split("## Z8")[0]
        assert text.split("\n")[len(text.split("\n")) // 2].startswith("## 8. ")
        was_cut, whole, halves = _both(text, monkeypatch)
        assert was_cut, word
        _same(whole, halves, text)
        # (8 sections, the eighth going on under its continuation, then 7 more)
        assert len(halves.drafts) == 15 and halves.drafts[7].answer == "answer 8\n\nmore of 8"


@pytest.mark.skipif(not MAY_FORK, reason="forks on Linux only")
def test_children_whose_result_was_read_are_reaped(monkeypatch):
    """result() does not wait for a child to finish exiting (a big one takes ~5-10 ms to free
    its memory): its caller reaps it once the result is used (parse_note, before it returns),
    or else the next start() reaps it. No child is left unreaped."""
    for i in range(5):
        child = forked.start(lambda i=i: ("half", i))
        assert child is not None and child.result() == ("half", i)
        assert child._pid == -1  # (nothing left for stop() to kill)
    forked.reap_exited()
    assert forked._exiting == []
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    # parse_note, its halves parsed at once, leaves none
    monkeypatch.setattr(notes, "SPLIT_LINES", 0)
    text = "".join(f"## Why does layer {i} work?\nanswer {i}\n\n" for i in range(400))
    assert len(notes.parse_note(text).drafts) == 400
    assert forked._exiting == []
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
