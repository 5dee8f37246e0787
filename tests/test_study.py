"""Whole review sessions driven through prompt-toolkit's pipe input, with a pinned clock.
After each, what is in the database is asserted."""

import asyncio
import sqlite3
from datetime import timedelta

import pytest

from prepcli.review.scheduler import GOOD, LEARNING, NEW, REVIEW, Scheduler, Settings, ms
from prepcli.review.store import Store
from studykit import T0, Clock, drive, load, make_decks, session, simple_cards


@pytest.fixture
def store(prep_home):
    s = Store(prep_home / "prep.db")
    yield s
    s.close()


@pytest.fixture
def cards(tmp_path):
    return load(make_decks(tmp_path / "decks", {"basics": simple_cards(5)}))


def rows(store, sql):
    return store.db.execute(sql).fetchall()


def test_reveal_and_rate_records_each_answer(store, cards):
    clock = Clock()
    # The screen is checked on the last frame before quitting: the revealed first card.
    _, first = drive(session(cards, store, clock.t), " q", clock)
    assert "Question c1?" in first and "Answer 1." in first
    assert "1 Again 1m" in first and "3 Good 10m" in first
    easy = Scheduler().review("c1", store.state("c1"), 4, clock.t)
    sess = session(cards, store, clock.t)
    # c1: Good, c2: Again, c3: Hard, c4: Easy, then quit
    summary, screen = drive(sess, " 3 1 2 4q", clock)
    got = rows(store, "SELECT card_id, rating, state_before, state_after, duration_ms "
                      "FROM reviews ORDER BY id")
    assert [(r[0], r[1], r[2], r[3]) for r in got] == [
        ("c1", 3, NEW, LEARNING), ("c2", 1, NEW, LEARNING), ("c3", 2, NEW, LEARNING),
        ("c4", 4, NEW, REVIEW)]
    assert all(r[4] > 0 for r in got)  # time taken is recorded (pinned clock ticks 2 s)
    assert summary.reviewed == 4 and summary.again == 1
    assert "Question c5?" in screen  # the last frame: the fifth card, not yet revealed
    c4 = store.state("c4")
    assert c4.state == REVIEW and c4.reps == 1
    # the Easy button showed the interval an Easy answer gives
    easy_days = (easy.due - easy.last_review) / 86_400_000
    assert f"4 Easy {easy_days:.0f}d" in first


def test_enter_reveals_and_space_after_reveal_answers_good(store, cards):
    clock = Clock()
    drive(session(cards, store, clock.t), "\r\rq", clock)
    assert rows(store, "SELECT card_id, rating FROM reviews") == [("c1", GOOD)]


def test_rating_keys_do_nothing_before_the_answer_is_shown(store, cards):
    clock = Clock()
    drive(session(cards, store, clock.t), "1234q", clock)
    assert rows(store, "SELECT count(*) FROM reviews") == [(0,)]


def test_undo_several_steps(store, cards):
    clock = Clock()
    sess = session(cards, store, clock.t)
    summary, screen = drive(sess, " 3 3 3uuq", clock)
    assert rows(store, "SELECT card_id FROM reviews") == [("c1",)]
    assert store.state("c2").state == NEW and store.state("c3").state == NEW
    assert summary.reviewed == 1
    assert "undone" in screen


def test_undo_puts_the_card_back_and_it_can_be_answered_again(store, cards):
    clock = Clock()
    drive(session(cards, store, clock.t), " 1u 4q", clock)
    assert rows(store, "SELECT card_id, rating FROM reviews") == [("c1", 4)]
    assert store.state("c1").state == REVIEW


def test_suspend_and_its_undo(store, cards):
    clock = Clock()
    drive(session(cards, store, clock.t), "sq", clock)
    assert rows(store, "SELECT id FROM cards WHERE suspended") == [("c1",)]
    # the next session does not show it
    nxt = session(cards, store, clock.t)
    assert nxt.next(clock.t).id == "c2"
    drive(session(cards, store, clock.t), "suq", clock)
    assert rows(store, "SELECT id FROM cards WHERE suspended") == [("c1",)]  # c2 was undone


def test_bury_hides_until_the_next_study_day(store, cards):
    clock = Clock()
    drive(session(cards, store, clock.t), "bq", clock)
    (until,) = rows(store, "SELECT buried_until FROM cards WHERE id='c1'")[0]
    tomorrow_4am = T0.replace(hour=4) + timedelta(days=1)
    assert until == ms(tomorrow_4am)
    assert session(cards, store, T0 + timedelta(hours=1)).next(T0).id == "c2"
    later = tomorrow_4am + timedelta(minutes=1)
    assert session(cards, store, later).next(later).id == "c1"


def test_quit_and_ctrl_c_keep_every_answer(store, cards):
    clock = Clock()
    drive(session(cards, store, clock.t), " 3 3\x03", clock)  # Ctrl-C mid-session
    assert rows(store, "SELECT card_id FROM reviews ORDER BY id") == [("c1",), ("c2",)]
    drive(session(cards, store, clock.t), " 4 q", clock)  # q with an answer shown
    assert len(rows(store, "SELECT * FROM reviews")) == 3
    # a fresh connection sees them all: they were committed, not left in a transaction
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3


def test_learning_card_returns_in_the_same_session_when_due(store, tmp_path):
    cards = load(make_decks(tmp_path / "d", {"one": simple_cards(1)}))
    clock = Clock(tick=timedelta(minutes=6))  # each look at the clock is 6 minutes later
    summary, _ = drive(session(cards, store, clock.t), " 1 3 3", clock)
    # Again (1 min), then Good twice: first learning step done, then graduated to review
    assert [r[0] for r in rows(store, "SELECT rating FROM reviews ORDER BY id")] == [1, 3, 3]
    assert store.state("c1").state == REVIEW
    assert summary.reviewed == 3


def test_daily_new_card_limit_counts_across_sessions(store, tmp_path):
    cards = load(make_decks(tmp_path / "d", {"many": simple_cards(10)}))
    clock = Clock()
    sess = session(cards, store, clock.t, new_limit=3)
    assert sess.counts(clock.t) == (3, 0, 0)
    drive(sess, " 4 4q", clock)
    again = session(cards, store, clock.t, new_limit=3)
    assert again.counts(clock.t) == (1, 0, 0)
    assert session(cards, store, clock.t, new_limit=3, new_override=5).counts(clock.t)[0] == 5
    tomorrow = T0 + timedelta(days=1)
    assert session(cards, store, tomorrow, new_limit=3).counts(tomorrow)[0] == 3


def test_due_reviews_come_lowest_retrievability_first(store, tmp_path):
    cards = load(make_decks(tmp_path / "d", {"r": simple_cards(3)}))
    sched = Scheduler(Settings(fuzz=False))
    # c1 reviewed 3 days ago (Easy), c2 20 days ago (Easy): both due now, c2 is more overdue
    for cid, days in (("c1", 3), ("c2", 20)):
        t = T0 - timedelta(days=days)
        before = store.state(cid)
        store.record(cid, before, sched.review(cid, before, 4, t), 4, ms(t), 1000)
    sess = session(cards, store, T0 + timedelta(days=30), settings=Settings(fuzz=False))
    now = T0 + timedelta(days=30)
    assert [c.id for c in sess.review_queue] == ["c2", "c1"]
    assert sess.next(now).id == "c2"
    assert sess.counts(now) == (1, 0, 2)


def test_siblings_are_not_shown_on_the_same_day(store, tmp_path):
    parts = [{"id": f"p{i}", "question": f"part {i}", "answer": "a",
              "source": {"file": "n.md", "line": i, "path": ["Why does BN work?"]}}
             for i in range(3)]
    cards = load(make_decks(tmp_path / "d", {"s": parts + simple_cards(1)}))
    clock = Clock()
    sess = session(cards, store, clock.t)
    assert [c.id for c in sess.new_queue] == ["p0", "c1"]
    drive(sess, " 3q", clock)
    # the next session the same day still keeps p1, p2 back
    assert [c.id for c in session(cards, store, clock.t).new_queue] == ["c1"]


def test_questions_under_a_topic_are_no_siblings(store, tmp_path):
    # fault hunt 39: a note `# 学习` over five `##` questions gave them one a day, while
    # `prep stats` said five were ready: the cards under a heading that does not ask (and
    # has no card of its own) are questions of their own, not parts of one
    qs = [{"id": f"q{i}", "question": f"什么是 {t}？", "answer": "a",
           "source": {"file": "n.md", "line": 3 + 2 * i, "path": ["学习"]}}
          for i, t in enumerate(("BN", "IoU", "NMS"))]
    cards = load(make_decks(tmp_path / "d", {"s": qs}))
    assert [c.id for c in session(cards, store, Clock().t).new_queue] == ["q0", "q1", "q2"]


def _noted(cid: str, question: str, line: int, path: list[str], answer: str = "a") -> dict:
    """A card as import writes it: from line `line` of n.md, under the headings `path`."""
    return {"id": cid, "question": question, "answer": answer,
            "source": {"file": "n.md", "line": line, "path": path}}


def test_a_topics_or_a_glossarys_own_card_makes_no_siblings_of_what_is_under_it(store, tmp_path):
    # fault hunt 40: `## Attention` with an intro line (a card of its own) over questions,
    # and a glossary whose card lists its terms: what was under them came one a day
    cards = load(make_decks(tmp_path / "d", {"s": [
        _noted("t", "Attention", 1, [], "Attention weighs values."),
        _noted("q0", "Why attention 0?", 3, ["Attention"]),
        _noted("q1", "Why attention 1?", 4, ["Attention"]),
        _noted("g", "Glossary", 9, [], "- Epoch\n- Batch"),
        _noted("g0", "Glossary: Epoch", 10, ["Glossary"]),
        _noted("g1", "Glossary: Batch", 11, ["Glossary"])]}))
    assert [c.id for c in session(cards, store, Clock().t).new_queue] == [
        "t", "q0", "q1", "g", "g0", "g1"]


def test_a_topics_list_of_its_sub_headings_makes_no_siblings_its_parts_words_do(store, tmp_path):
    # fault hunt 41: a topic with no text of its own is a card listing its sub-headings
    # (`- SGD`, `- Adam`): those came one a day; the short parts that carry a heading's words
    # (`BN 的优缺点：优点`) are parts of one question, with an intro line or without
    cards = load(make_decks(tmp_path / "d", {"s": [
        _noted("o", "Optimizers", 1, [], "- SGD\n- Adam"),
        _noted("o0", "SGD", 2, ["Optimizers"]), _noted("o1", "Adam", 3, ["Optimizers"]),
        _noted("b", "BN 的优缺点", 9, [], "BN 有好有坏。"),
        _noted("b0", "BN 的优缺点：优点", 10, ["BN 的优缺点"]),
        _noted("b1", "BN 的优缺点：缺点", 11, ["BN 的优缺点"])]}))
    assert [c.id for c in session(cards, store, Clock().t).new_queue] == ["o", "o0", "o1", "b"]


def test_study_ahead_asks_a_card_answered_today_whatever_its_siblings(store, tmp_path):
    """`--ahead 10` left out a card answered an hour before and due in 6 days when it had
    siblings (parts of one question): it blocked its own group (README audit). Its sibling
    still waits for tomorrow; a card of no group was asked all along."""
    parts = [{"id": f"p{i}", "question": f"part {i}", "answer": "a",
              "source": {"file": "n.md", "line": i, "path": ["Why does BN work?"]}}
             for i in range(2)]
    cards = load(make_decks(tmp_path / "d", {"s": parts + simple_cards(1)}))
    sched = Scheduler(Settings(fuzz=False))
    for cid, days in (("p0", 30), ("p1", 30), ("c1", 30)):  # all three in review, far apart
        t = T0 - timedelta(days=days)
        store.record(cid, store.state(cid), sched.review(cid, store.state(cid), 4, t), 4,
                     ms(t), 1000)
    hour_ago = T0 - timedelta(hours=1)
    for cid in ("p0", "c1"):  # answered again today, an hour ago
        before = store.state(cid)
        store.record(cid, before, sched.review(cid, before, 3, hour_ago), 3, ms(hour_ago), 1000)
    due = {c: store.state(c).due for c in ("p0", "p1", "c1")}
    far = max(due.values()) - ms(T0)
    assert 0 < far < 300 * 86_400_000
    sess = session(cards, store, T0, settings=Settings(fuzz=False), ahead_days=400)
    assert sorted(c.id for c in sess.review_queue) == ["c1", "p0"]  # p1: p0's sibling, waits
    assert [c.id for c in session(cards, store, T0, settings=Settings(fuzz=False)
                                  ).review_queue] == []


def test_prompt_cards_only_with_prompts(tmp_path):
    from prepcli.review.session import select
    from prepcli.cards import deck as deckmod

    d = make_decks(tmp_path / "d", {"p": simple_cards(2) + [
        {"id": "todo", "kind": "prompt", "question": "Why?", "answer": ""}]})
    decks, _ = deckmod.load_dir(d)
    assert [c.id for c in select(decks)] == ["c1", "c2"]
    assert [c.id for c in select(decks, prompts=True)] == ["c1", "c2", "todo"]


def test_a_long_answer_scrolls_and_says_so(store, tmp_path):
    long = "\n\n".join(f"line {i}" for i in range(60))
    cards = load(make_decks(tmp_path / "d", {"l": [{"id": "L", "question": "Long?",
                                                    "answer": long}]}))
    clock = Clock()
    _, screen = drive(session(cards, store, clock.t), " q", clock, rows=20)
    assert "↓ more" in screen and "of 12" in screen  # rows counted, nothing cut silently
    _, screen = drive(session(cards, store, clock.t), " " + "\x1b[6~" * 10 + "q", clock,
                      rows=20)
    assert "line 59" in screen


def test_two_processes_do_not_lose_each_others_reviews(store, cards, prep_home):
    other = Store(prep_home / "prep.db")
    try:
        a = session(cards, store, T0)
        b = session(cards, other, T0)  # started before a answers
        a.answer(cards[0], 3, T0 + timedelta(seconds=5), 5000)
        b.answer(cards[0], 1, T0 + timedelta(seconds=9), 9000)  # same card, stale state
        revs = store.reviews()
        assert [(r.card_id, r.rating) for r in revs] == [("c1", 3), ("c1", 1)]
        assert revs[1].before == revs[0].after  # b recomputed from a's answer
        assert store.state("c1") == revs[1].after
    finally:
        other.close()


def test_vanished_cards_keep_history_and_find_it_again(store, tmp_path):
    d = make_decks(tmp_path / "d", {"v": simple_cards(2)})
    clock = Clock()
    drive(session(load(d), store, clock.t), " 4q", clock)
    make_decks(d, {"v": simple_cards(2)[1:]})  # c1 leaves the deck
    sess = session(load(d), store, clock.t)
    assert [c.id for c in sess.cards] == ["c2"]
    assert store.state("c1").state == REVIEW  # history kept
    make_decks(d, {"v": simple_cards(2)})  # and comes back
    back = session(load(d), store, clock.t)
    assert back.state("c1").state == REVIEW and back.state("c1").reps == 1


def test_footer_fits_80_and_60_columns_and_the_header_counts_what_is_left(tmp_path, prep_home):
    import re
    cards = load(make_decks(tmp_path / "cards", {"d": simple_cards(5)}))
    for cols in (80, 60):
        with Store(prep_home / f"f{cols}.db") as store:
            clock = Clock()
            _, screen = drive(session(cards, store, clock.t), " q", clock, cols=cols)
            assert "q quit" in screen and "4 Easy" in screen and "? help" in screen
            assert "left 5" in screen
    with Store(prep_home / "g.db") as store:
        clock = Clock()
        # Again on the first card: it comes back later, and what is left stays 5, never 6
        _, screen = drive(session(cards, store, clock.t), " 1q", clock)
        assert "left 5" in screen and "left 6" not in screen and "done 1" in screen
        assert not re.search(r"\b\d+/\d+\b", screen)  # no position in a growing total


def test_a_headings_own_card_and_its_parts_are_siblings(store, tmp_path):
    """The card of a heading lists its parts in its answer: shown the same day as a part, it
    gives the part away (seen on the bundled deck: 各层 FLOPs … then 各层 FLOPs …：参数量)."""
    head = {"id": "h", "question": "What is BN?", "answer": "- train\n- test",
            "source": {"file": "n.md", "line": 1, "path": []}}
    parts = [{"id": f"p{i}", "question": f"What is BN: part {i}", "answer": "a",
              "source": {"file": "n.md", "line": 2 + i, "path": ["What is BN"]}}
             for i in range(2)]
    cards = load(make_decks(tmp_path / "d", {"s": [head] + parts + simple_cards(1)}))
    clock = Clock()
    sess = session(cards, store, clock.t)
    assert [c.id for c in sess.new_queue] == ["h", "c1"]
    drive(sess, " 3q", clock)
    assert [c.id for c in session(cards, store, clock.t).new_queue] == ["c1"]


def test_a_full_disk_is_said_in_the_footer_before_the_file_name(tmp_path):
    """The footer showed the error as `/home/…/prep.db: the disk is full…`, cut off after the
    path at any width: the user saw keys stop counting and no reason (fault hunt 7)."""
    from prepcli.review.store import StoreError
    from prepcli.screens import ui

    path = tmp_path / ("a-long-folder-name-" * 4) / "prep.db"
    e = StoreError("the disk is full: the last change was not saved", file=str(path))
    assert ui.said(e) == "the disk is full: the last change was not saved (prep.db)"
    assert ui.said(StoreError("locked")) == "locked"



MOUSE_BYTES = ("\x1b[5M", "\x1b[31m", "\x1b[1;2M", "\x1b[<0;1;2M")  # (a paste can send them)


def test_mouse_reports_reach_no_handler_of_prompt_toolkit():
    # fault hunt 19: `ESC[5M` reaching the input made prompt-toolkit's mouse handler fail, a
    # traceback over the card ("Press ENTER to continue"), on every screen: each is read as a
    # mouse report (the parser's own reading of them), and the screens ignore those
    from prompt_toolkit.application.current import set_app
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.input.vt100_parser import Vt100Parser
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import Layout, Window
    from prompt_toolkit.output import DummyOutput

    from prepcli.screens import ui

    async def feed(app):
        with set_app(app):
            for raw in MOUSE_BYTES:
                keys = []
                parser = Vt100Parser(keys.append)
                parser.feed(raw)
                parser.flush()
                app.key_processor.feed_multiple(keys)
                app.key_processor.process_keys()  # (prompt-toolkit's handler raised here)

    with create_pipe_input() as inp:
        asyncio.run(feed(ui.application(Layout(Window()), KeyBindings(), False, inp,
                                        DummyOutput())))



def test_a_cards_control_sequences_are_shown_in_caret_notation(store, tmp_path):
    # fault hunt 19: a card's escapes were dropped in part by the screen's own parser, the
    # rest shown (`1049l alt off`, `0;TITLE`), while the first frame and `prep cards show`
    # showed `^[`: one visible form everywhere, and none reaches the terminal
    nasty = "cls \x1b[2J title \x1b]0;TITLE\x07 alt \x1b[?1049l bell \x07 csi \x9b31m end"
    cards = load(make_decks(tmp_path / "decks", {"d": [
        {"id": "n1", "question": "Escapes \x1b[31mred?", "answer": nasty}]}))
    clock = Clock()
    _, screen = drive(session(cards, store, clock.t), " q", clock, cols=120)
    assert "Escapes ^[[31mred?" in screen
    assert "cls ^[[2J title ^[]0;TITLE^G alt ^[[?1049l bell ^G csi <U+009B>31m end" in screen
    assert "\x1b]0;" not in screen and "\x07" not in screen and "\x9b" not in screen
    assert "\x1b[2J" not in screen.replace("\x1b[2J\x1b[H", "")  # (the screen's own clear)


def test_editing_a_card_with_no_source_note_says_so(store, cards):
    # fault hunt 21: without $EDITOR, `e` on a card written by hand said
    # "set $EDITOR to edit the note (None:1)"
    clock = Clock()
    _, screen = drive(session(cards, store, clock.t), "eq", clock)
    assert "this card has no source note on disk" in screen and "None:" not in screen


@pytest.mark.parametrize("indexed", [False, True])
def test_a_card_another_prep_answered_meanwhile_is_not_asked_again(store, tmp_path, prep_home,
                                                                   indexed):
    # fault hunt 23: prep A stopped with Ctrl-Z, prep B answered 3 cards, `fg` A: A asked the
    # same 3 cards again (not due any more) and recorded second reviews of them
    from prepcli.review import index

    d = make_decks(tmp_path / "d", {"basics": simple_cards(5)})
    sched = Scheduler()
    day = T0 - timedelta(days=30)
    for cid in ("c4", "c5"):  # two review cards, both due by T0
        st = store.state(cid)
        store.record(cid, st, sched.review(cid, st, GOOD, day), GOOD, ms(day), 1000)
        st = store.state(cid)
        store.record(cid, st, sched.review(cid, st, GOOD, day + timedelta(days=1)), GOOD,
                     ms(day + timedelta(days=1)), 1000)
    assert all(store.state(c).due < ms(T0) for c in ("c4", "c5"))
    other = Store(prep_home / "prep.db")
    try:
        cards = load(d) if not indexed else index.scope(store, [d], [], None)[0]
        a = session(cards, store, T0)
        assert sorted(c.id for c in a.review_queue) == ["c4", "c5"]
        b = session(load(d), other, T0)
        first = a.next(T0)  # on A's screen while A is stopped
        answered_by_b = []
        now = T0 + timedelta(seconds=10)
        for _ in range(3):  # B answers the cards A would ask next, and A's first too
            c = b.next(now)
            b.answer(c, GOOD, now, 1000)
            answered_by_b.append(c.id)
        later = T0 + timedelta(seconds=30)
        a.answer(first, GOOD, later, 2000)  # (the card on A's screen: A's answer is kept)
        asked = []
        while (c := a.next(later)) is not None and len(asked) < 10:
            asked.append(c.id)
            a.answer(c, GOOD, later, 1000)
        # B answered c4 (on A's screen), c5 (a review, now not due) and c1 (new, now in
        # learning): A asks its other new cards, then learning steps (c1's too) ahead of time
        assert answered_by_b == ["c4", "c5", "c1"] and first.id == "c4"
        assert asked[:2] == ["c2", "c3"]
        assert "c5" not in asked and set(asked[2:]) == {"c1", "c2", "c3"}
        assert len(store.reviews(since=ms(T0))) == 3 + 1 + len(asked)
    finally:
        other.close()


@pytest.mark.parametrize("changes", [False, True])
def test_leaving_the_editor_says_whether_the_note_changed(store, tmp_path, changes):
    # fault hunt 23: `e`, then `:q` without editing, said "edited kt2.md; re-import it"
    from prepcli.cards.importer import import_notes

    note = tmp_path / "kt.md"
    note.write_text("## What is BN?\nIt normalises.\n", encoding="utf-8")
    import_notes([note], tmp_path / "decks")
    editor_cmd = ["sh", "-c", 'echo "more" >> "$0"'] if changes else ["true"]
    clock = Clock()
    _, screen = drive(session(load(tmp_path / "decks"), store, clock.t), "eq", clock,
                      editor_cmd=editor_cmd)
    said = ("edited kt.md; re-import it to update the card" if changes
            else "kt.md not changed")
    assert said in screen
    assert note.read_text(encoding="utf-8").endswith("more\n") is changes


def test_an_answer_given_while_the_clock_says_1972_is_refused_and_not_stored(tmp_path):
    # (fault hunt 43) it was confirmed and stored, then refused everywhere else as damage
    from datetime import datetime, timezone

    from prepcli.errors import PrepError

    from prepcli.cards import deck as deckmod
    from prepcli.review.store import Store

    then = datetime(1972, 5, 1, tzinfo=timezone.utc)
    cards = [deckmod.Card.from_dict(c) for c in simple_cards(2)]
    with Store(tmp_path / "p.db") as store:
        sess = session(cards, store, then)
        card = sess.next(then)
        with pytest.raises(PrepError, match="clock says 1972"):
            sess.answer(card, 3, then, 1000)
        assert store.reviews() == []
