"""`prep mock`: a whole short mock interview on a pinned clock, through the real screen."""

import asyncio
import io
import json
import os
import time
from datetime import timedelta

from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from studykit import T0, Clock, load, make_decks, session, simple_cards

from prepcli.drills import attempts as drills

from prepcli.screens import ui_mock
from prepcli.drills import mock as mockmod
from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise
from prepcli.review.scheduler import AGAIN, GOOD, HARD, Scheduler
from prepcli.review.store import Store

SOLUTION = for_exercise(EXERCISES["nms"])


def decks(tmp_path):
    cards = simple_cards(1, "conv", tags=["convolution"]) + simple_cards(1, "bn", tags=["norm"])
    cards += simple_cards(1, "loss")
    return make_decks(tmp_path / "cards", {"ml": cards})


def rename_save(path, text):
    tmp = path.with_name(f".{path.name}.swp~")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


async def until(cond, seconds=20):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not cond():
        await asyncio.sleep(0.05)
    assert cond(), "timed out"


def setup(tmp_path, prep_home, minutes, exercises):
    clock = Clock(T0, tick=timedelta(0))
    store = Store(prep_home / "prep.db")
    sched = Scheduler()
    sess = session(load(decks(tmp_path)), store, T0)
    plan = mockmod.plan(sess, store, sched, T0, minutes=minutes, exercises=exercises)
    folder = tmp_path / "exercises"

    def start(ex, now):
        return mockmod.exercise_drill(folder, ex, now, store, sched, clock)

    def describe(ex):
        return drills.description(ex, EXERCISES[ex].stub_path.read_text())

    m = mockmod.Mock(store, clock(), minutes)
    buf = io.StringIO()
    out = Vt100_Output(buf, lambda: Size(rows=60, columns=100), term="xterm")
    return clock, store, sess, plan, folder, m, (start, describe), buf, out


def test_plan_fits_the_time_mixes_due_weak_and_new_cards_and_picks_due_exercises(tmp_path,
                                                                               prep_home):
    clock, store, sess, plan, *_ = setup(tmp_path, prep_home, 40, 2)
    assert plan.coding_minutes == 16 and plan.cards_minutes == 8
    assert [c.id for c in plan.cards] == ["conv1", "bn1", "loss1"]  # all new, deck order
    assert plan.exercises == ["nms", "iou"]
    short = mockmod.plan(sess, store, Scheduler(), T0, minutes=45, exercises=1)
    assert short.coding_minutes == 25 and len(short.cards) == 3
    store.close()


def test_a_whole_mock_interview_scorecard_and_store(tmp_path, prep_home, run):
    clock, store, sess, plan, folder, m, (start, describe), buf, out = setup(
        tmp_path, prep_home, 40, 2)
    folder.mkdir()
    (folder / "nms.py").write_text("# my old attempt\n")

    async def scenario():
        with create_pipe_input() as inp:
            task = asyncio.ensure_future(ui_mock.run_async(
                m, plan, sess, clock, start, describe, color=False, input=inp, output=out))
            await asyncio.sleep(0.3)
            clock.advance(seconds=40)
            inp.send_text("a kernel slides over the input\r")  # typed, then revealed
            await asyncio.sleep(0.1)
            inp.send_text("3")
            await until(lambda: len(m.items) == 1)
            clock.advance(seconds=20)
            inp.send_text("\r1")  # answered aloud, forgotten
            await until(lambda: len(m.items) == 2)
            inp.send_text("\r\r")  # enter again: Good
            await until(lambda: len(m.items) == 3)
            # coding question 1: nms from a fresh stub, the old file kept
            nms = folder / "nms.py"
            await until(lambda: nms.read_text() == EXERCISES["nms"].stub_path.read_text())
            await asyncio.sleep(0.5)  # the watcher is up
            inp.send_text("h")  # one hint
            clock.advance(minutes=5)
            rename_save(nms, SOLUTION)
            await until(lambda: any(g.passed for g in store.grades("nms")))
            inp.send_text("n")
            await until(lambda: len(m.items) == 4)
            # coding question 2: time runs out
            clock.advance(minutes=17)
            return await asyncio.wait_for(task, 10)

    card = asyncio.run(scenario())
    screen = buf.getvalue()
    assert "mock interview" in screen and "left" in screen and "Hint 1." in screen

    assert card["cards"] == 3 and card["cards_recalled"] == 2
    assert card["exercises"] == 2 and card["exercises_passed"] == 1 and card["hints"] == 1
    assert [(q["id"], q["seconds"]) for q in card["questions"]] == [
        ("conv1", 40.0), ("bn1", 20.0), ("loss1", 0.0), ("nms", 300.0), ("iou", 17 * 60.0)]
    iou = EXERCISES["iou"]
    assert card["questions"][4]["result"] == f"not passed (0/{len(iou.parts)} parts), time up"
    # not passed (iou), then forgotten (bn1, tagged norm), then passed with a hint (nms)
    assert card["weakest_topics"] == [f"exercise iou ({iou.title})", "norm",
                                      f"exercise nms ({EXERCISES['nms'].title})"]

    # every answer and grade is in the store and the schedule
    ratings = {r.card_id: r.rating for r in store.reviews()}
    assert ratings == {"conv1": GOOD, "bn1": AGAIN, "loss1": GOOD, "exercise:nms": HARD}
    (g,) = [g for g in store.grades("nms") if g.passed]
    assert g.kind == "review" and g.hints == 1 and g.seconds == 300 and g.review_id
    assert (folder / ".attempts" / "nms").is_dir()  # the old attempt kept
    (saved,) = store.mocks()
    assert saved.finished and len(saved.items) == 5
    store.close()

    r = run("stats", "--json", "--cards", tmp_path / "cards")
    (past,) = json.loads(r.stdout)["mocks"]
    assert (past["cards"], past["cards_recalled"], past["exercises"],
            past["exercises_passed"], past["hints"]) == (3, 2, 2, 1, 1)
    assert past["finished"] and past["weakest_topics"][0].startswith("exercise iou")
    r = run("stats", "--cards", tmp_path / "cards")
    assert "mock interview" in r.stdout and "2/3" in r.stdout


def test_quitting_midway_keeps_every_answer(tmp_path, prep_home):
    clock, store, sess, plan, folder, m, (start, describe), buf, out = setup(
        tmp_path, prep_home, 40, 1)
    with create_pipe_input() as inp:
        inp.send_text("\r4\rq")  # one card answered, the next revealed, then quit
        card = ui_mock.run(m, plan, sess, clock, start, describe, color=False, input=inp,
                           output=out)
    assert card["cards"] == 1 and card["exercises"] == 0
    assert [r.card_id for r in store.reviews()] == ["conv1"]
    (saved,) = store.mocks()
    assert not saved.finished and len(saved.items) == 1
    store.close()


def test_cli_mock_needs_a_terminal_and_something_to_ask(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    decks(tmp_path)
    r = run("mock", "--cards", tmp_path / "cards")
    assert r.exit_code == 2 and "prep mock is interactive" in r.stderr
    r = run("mock", "--cards", tmp_path / "cards", "--tag", "nope")
    assert r.exit_code == 2 and "no card has the tag 'nope'" in r.stderr
    r = run("mock", "--cards", tmp_path / "cards", "--exercises", "3")
    assert r.exit_code == 2


def test_cli_mock_grades_in_the_sandbox_prep_grade_uses(run, tmp_path, monkeypatch):
    """PREP_SANDBOX is checked before the screen opens, as for `prep grade`; a cards-only
    mock does not need the sandbox at all."""
    monkeypatch.chdir(tmp_path)
    decks(tmp_path)
    monkeypatch.setenv("PREP_SANDBOX", "nonsense")
    r = run("mock", "--cards", tmp_path / "cards")
    assert r.exit_code == 2 and "PREP_SANDBOX='nonsense'" in r.stderr
    r = run("mock", "--cards", tmp_path / "cards", "--exercises", "0")
    assert r.exit_code == 2 and "prep mock is interactive" in r.stderr


def test_a_coding_question_is_graded_with_the_limits_given(tmp_path, prep_home, monkeypatch):
    from prepcli.drills import grader
    from prepcli.drills import sandbox

    seen = []
    monkeypatch.setattr(grader, "grade",
                        lambda path, limits, **kw: seen.append((limits, kw["cache_dir"])))
    store = Store(prep_home / "prep.db")
    limits = sandbox.Limits(level="rlimits")
    d = mockmod.exercise_drill(tmp_path / "exercises", "nms", T0, store, Scheduler(),
                               Clock(T0), limits=limits, cache_dir=tmp_path / "cache")
    d.grade(None)
    assert seen == [(limits, tmp_path / "cache")]
    store.close()


def test_exercises_due_by_the_interview_plan_are_asked_first(prep_home):
    """With a plan, an exercise it brings forward is due in the mock as in `prep drill`."""
    from prepcli.review.scheduler import REVIEW, CardState, ms

    with Store(prep_home / "prep.db") as store:
        last = T0 - timedelta(days=2)
        with store._write():
            for i, ex in enumerate(EXERCISES):  # every one tried, due weeks from now
                store._put_state(drills.card_id(ex), CardState(
                    state=REVIEW, stability=40 + i, difficulty=5.0,
                    due=ms(last + timedelta(days=40 + i)), last_review=ms(last), reps=2))
        plain = mockmod.pick_exercises(store, Scheduler(), T0, 1)
        wanted = next(ex for ex in EXERCISES if ex not in plain)
        planned = mockmod.pick_exercises(
            store, Scheduler(), T0, 1,
            lambda cid, s: ms(T0) - 1 if cid == drills.card_id(wanted) else s.due)
        assert planned == [wanted] and plain != planned


def test_a_mock_row_not_saved_stores_the_answer_once_when_rated_again(tmp_path, prep_home,
                                                                      monkeypatch):
    # (fault hunt 43) the answer was stored, the mock's row not (a full disk): the card stayed
    # on screen, and each rating again stored another review of it (three of one card)
    from prepcli.review.store import StoreError

    clock, store, sess, plan, folder, m, (start, describe), buf, out = setup(
        tmp_path, prep_home, 40, 1)
    update, fails = store.update_mock, [1]

    def full_once(*a, **kw):
        if fails and fails.pop():
            raise StoreError("the disk is full: what prep was writing was not saved")
        return update(*a, **kw)

    monkeypatch.setattr(store, "update_mock", full_once)
    with create_pipe_input() as inp:
        inp.send_text("\r3")  # revealed, rated: the mock's row not saved
        inp.send_text("3")  # rated again: saved now
        inp.send_text("\rq")  # the next card revealed, then quit
        ui_mock.run(m, plan, sess, clock, start, describe, color=False, input=inp, output=out)
    assert [r.card_id for r in store.reviews()] == ["conv1"]
    assert [i["id"] for i in m.items] == ["conv1"] and not fails  # (the write did fail once)
    store.close()
