"""`prep drill`: recall from the stub when due, hints, the reference solution, re-grading on
save (rename-over saves included), reviews vs practice."""

import asyncio
import io
import os
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest

from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from conftest import REPO
from studykit import T0, Clock
from prepcli.drills import attempts as drills
from prepcli.drills import grader
from prepcli.screens import ui
from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise
from prepcli.drills.sandbox import Limits
from prepcli.review.scheduler import AGAIN, GOOD, HARD, Scheduler
from prepcli.review.store import Store

KERNELS = for_exercise(EXERCISES["nms"])  # the reference as a user file
STUB = REPO / "exercises" / "nms.py"


def make(tmp_path, text=None):
    f = tmp_path / "nms.py"
    f.write_text(text if text is not None else STUB.read_text(), encoding="utf-8")
    seen = []
    d = drills.Drill("nms", f, lambda progress: grader.grade(f, Limits(case_seconds=5), progress),
                     on_report=seen.append)
    return d, seen


def output(columns=100, rows=200):
    buf = io.StringIO()
    return buf, Vt100_Output(buf, lambda: Size(rows=rows, columns=columns), term="xterm")


def test_hints_go_from_gentle_to_specific_then_run_out(tmp_path):
    d, _ = make(tmp_path)
    assert [d.next_hint() for _ in range(4)] == [
        "hint 1 of 3", "hint 2 of 3", "hint 3 of 3",
        "no more hints: s shows the reference solution"]


def test_reference_needs_a_pass_or_a_second_s(tmp_path):
    d, seen = make(tmp_path)
    d.regrade()
    assert not d.report.passed and seen == [d.report]
    assert d.request_reference().startswith("you have not passed yet")
    assert not d.reference_shown
    assert d.request_reference().startswith("reference solution shown")
    d2, _ = make(tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path, KERNELS)
    d2.regrade()
    assert d2.report.passed
    assert d2.request_reference().startswith("reference solution shown")


def test_the_reference_shown_is_the_real_kernel_source():
    src = drills.reference_source("nms")
    assert "def nms(boxes, scores, iou_threshold" in src and "def _inter_union(" in src


def test_drill_screen_shows_description_hints_grade_and_reference(tmp_path):
    d, _ = make(tmp_path)
    d.regrade()
    buf, out = output()
    with create_pipe_input() as inp:
        inp.send_text("hhssq")
        ui.run_drill(d, drills.description("nms", STUB.read_text()), color=False, watch=False,
                     grade_first=False, input=inp, output=out)
    screen = buf.getvalue()
    assert "nms: Non-maximum suppression" in screen
    assert "Hint 1." in screen and "Hint 2." in screen and "Hint 3." not in screen
    assert "NOT YET" in screen and "Nothing implemented yet" in screen
    assert "Reference solution" in screen and "def nms(" in screen


def test_saving_the_file_regrades_it(tmp_path):
    d, seen = make(tmp_path)
    d.regrade()
    buf, out = output()

    async def scenario():
        with create_pipe_input() as inp:
            task = asyncio.ensure_future(ui.run_drill_async(
                d, "# nms", color=False, watch=True, grade_first=False, input=inp,
                output=out))
            await asyncio.sleep(0.8)  # the watcher is up
            d.file.write_text(KERNELS, encoding="utf-8")
            end = time.monotonic() + 20
            while time.monotonic() < end and not (d.report and d.report.passed):
                await asyncio.sleep(0.1)
            inp.send_text("q")
            await asyncio.wait_for(task, 10)

    asyncio.run(scenario())
    assert d.grades == 2 and d.report.passed
    assert [r.passed for r in seen] == [False, True]


def test_cli_drill_starts_from_the_stub_when_due_and_keeps_the_old_attempt(run, tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("drill", "nms")
    f = tmp_path / "exercises" / "nms.py"
    assert f.read_text() == STUB.read_text()
    assert "exercises/nms.py: written from the stub" in r.stdout
    assert r.exit_code == 2 and "prep drill is interactive" in r.stderr
    f.write_text("my work\n")
    r = run("drill", "nms", "--continue")  # deliberately the old file: practice
    assert f.read_text() == "my work\n" and "practice" in r.stdout
    r = run("drill", "nms")  # never reviewed, so due: from the stub again, the work kept
    assert f.read_text() == STUB.read_text()
    (kept,) = (tmp_path / "exercises" / ".attempts" / "nms").glob("*.py")
    assert kept.read_text() == "my work\n" and str(kept.name) in r.stdout
    f.write_text("more work\n")
    run("drill", "nms", "--fresh")
    assert len(list(kept.parent.glob("*.py"))) == 2 and f.read_text() == STUB.read_text()
    r = run("drill", "nms", "--fresh", "--continue")
    assert r.exit_code == 2 and "exclude each other" in r.stderr
    r = run("drill", "iou", "--continue")
    assert r.exit_code == 2 and "nothing to continue" in r.stderr


def test_cli_drill_without_an_id_takes_the_most_due_and_rejects_unknown_ids(run, tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("drill")
    assert "exercises/nms.py: written from the stub" in r.stdout  # first new exercise
    r = run("drill", "fft")
    assert r.exit_code == 2 and "unknown exercise 'fft'" in r.stderr


# --- recall, not replay ---------------------------------------------------------------------

def reviewed_long_ago(store, scheduler, exercise="nms", days=30):
    """The exercise was reviewed (Good) `days` ago, so it is due by now."""
    cid = drills.card_id(exercise)
    then = T0 - timedelta(days=days)
    before = store.state(cid)
    store.record(cid, before, scheduler.review(cid, before, GOOD, then), GOOD,
                 int(then.timestamp() * 1000), None)


def fake_report(file_hash, passed=True, implemented=True, exercise="nms"):
    parts = {"nms": "pass" if passed else ("fail" if implemented else "not implemented")}
    return SimpleNamespace(exercise=exercise, parts=parts, cases=[1, 2], parts_passed=int(passed),
                           cases_passed=2 if passed else 0, passed=passed,
                           implemented=["nms"] if implemented else [], file_hash=file_hash)


def test_a_grade_counts_once_only_for_new_bytes_and_hints_or_the_solution_lower_it(tmp_path):
    sched = Scheduler()
    with Store(tmp_path / "p.db") as store:
        assert drills.record(store, sched, fake_report("a"), T0)
        assert store.reviews()[-1].rating == GOOD
        # the same bytes again, on a later day: a replay, not a review
        assert not drills.record(store, sched, fake_report("a"), T0 + timedelta(days=30))
        # practice never counts, whatever the bytes
        assert not drills.record(store, sched, fake_report("b"), T0 + timedelta(days=30),
                                 kind=drills.PRACTICE)
        assert drills.record(store, sched, fake_report("c"), T0 + timedelta(days=31), hints=2)
        assert store.reviews()[-1].rating == HARD
        assert drills.record(store, sched, fake_report("d"), T0 + timedelta(days=60),
                             solution_shown=True)
        assert store.reviews()[-1].rating == AGAIN
        grades = store.grades("nms")
        assert [g.kind for g in grades] == ["review", "review", "practice", "review", "review"]
        assert [g.review_id is not None for g in grades] == [True, False, False, True, True]
        assert grades[3].hints == 2 and grades[4].solution_shown


def test_most_due_takes_the_overdue_first_then_never_tried_ones(tmp_path):
    sched = Scheduler()
    with Store(tmp_path / "p.db") as store:
        drills.record(store, sched, fake_report("a"), T0)  # nms: due in days, not now
        assert drills.most_due(store, sched, T0 + timedelta(minutes=1)) == "iou"  # new
        reviewed_long_ago(store, sched, "pool")
        assert drills.most_due(store, sched, T0) == "pool"


def rename_save(path, text):
    """Save the way vim and JetBrains do: write a temporary file, rename it over the file."""
    tmp = path.with_name(f".{path.name}.tmp~")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def wait_for(cond, seconds=20):
    async def waiting():
        end = time.monotonic() + seconds
        while time.monotonic() < end and not cond():
            await asyncio.sleep(0.05)
        assert cond(), "timed out"
    return waiting()


def test_a_due_drill_is_a_review_from_the_stub_once_and_an_unchanged_file_is_practice(tmp_path):
    clock = Clock(T0, tick=timedelta(0))
    sched = Scheduler()
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "nms.py").write_text(KERNELS)  # the solution written a month ago
    with Store(tmp_path / "p.db") as store:
        reviewed_long_ago(store, sched)
        assert drills.is_due(store, "nms", clock())
        attempt = drills.start(folder, "nms", clock(), due=True)
        assert attempt.kind == "review" and attempt.file.read_text() == STUB.read_text()
        assert attempt.previous.read_text() == KERNELS  # the old attempt, kept
        d = drills.Drill.of(attempt, lambda progress: grader.grade(
            attempt.file, Limits(case_seconds=5), progress))
        d.on_report = drills.recorder(d, store, sched, clock)
        buf, out = output()

        async def scenario():
            with create_pipe_input() as inp:
                task = asyncio.ensure_future(ui.run_drill_async(
                    d, "# nms", color=False, watch=True, input=inp, output=out))
                await wait_for(lambda: d.grades == 1)  # graded once the screen is up
                assert not d.report.passed
                await asyncio.sleep(0.5)
                clock.advance(minutes=12)
                rename_save(d.file, STUB.read_text() + "\n# thinking\n")
                await wait_for(lambda: d.grades == 2)
                rename_save(d.file, KERNELS)
                await wait_for(lambda: d.grades == 3)
                assert d.report.passed
                inp.send_text("d")  # the diff with the previous attempt, after the pass
                rename_save(d.file, KERNELS + "\n# tidied\n")
                await wait_for(lambda: d.grades == 4)
                inp.send_text("q")
                await asyncio.wait_for(task, 10)

        asyncio.run(scenario())
        assert d.report.passed and len(d.reviews) == 1
        today = store.reviews(card_id="exercise:nms")[1:]
        assert [r.rating for r in today] == [GOOD]
        grades = store.grades("nms")
        assert [g.review_id is not None for g in grades] == [False, False, True, False]
        assert grades[2].seconds == 12 * 60 and grades[2].hints == 0
        assert "(no difference)" not in buf.getvalue() and "previous:" in buf.getvalue()

        # Due again a month later; the user opens the unchanged, passing file deliberately.
        clock.advance(days=40)
        assert drills.is_due(store, "nms", clock())
        (folder / "nms.py").write_text(KERNELS + "\n# tidied\n")
        again = drills.start(folder, "nms", clock(), due=True, keep=True)
        assert again.kind == "practice"
        d2 = drills.Drill.of(again, lambda progress: grader.grade(again.file, progress=progress))
        d2.on_report = drills.recorder(d2, store, sched, clock)
        d2.regrade()
        assert d2.report.passed and not d2.reviews
        # and graded as a review (prep grade), the same bytes are no recall either
        assert not drills.record(store, sched, d2.report, clock())
        assert len(store.reviews(card_id="exercise:nms")) == 2


def test_a_drill_writes_through_no_link_and_reads_no_pipe_or_huge_file(tmp_path):
    # a cloned repository's links had the stub written over a file elsewhere, the old attempt
    # copied into a folder elsewhere, a file made at a dangling link's target; a named pipe
    # blocked the drill for good; a link to /dev/zero took prep's memory (fault hunt 2)
    import pytest

    from prepcli.errors import PrepError

    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("VICTIM\n")
    cases = {
        "file link": lambda d: (d / "nms.py").symlink_to(victim),
        "dangling link": lambda d: (d / "nms.py").symlink_to(outside / "made.py"),
        "attempts link": lambda d: ((d / "nms.py").write_text("mine\n"),
                                    (d / ".attempts").symlink_to(outside)),
        "attempt folder link": lambda d: ((d / "nms.py").write_text("mine\n"),
                                          (d / ".attempts").mkdir(),
                                          (d / ".attempts" / "nms").symlink_to(outside)),
        "pipe": lambda d: os.mkfifo(d / "nms.py"),
        "device": lambda d: (d / "nms.py").symlink_to("/dev/zero"),
        "huge": lambda d: (d / "nms.py").write_bytes(b"#" * (2 << 20)),
    }
    said = {"file link": "a symbolic link", "dangling link": "a symbolic link",
            "attempts link": "a symbolic link", "attempt folder link": "a symbolic link",
            "pipe": "not a regular file (a named pipe (FIFO))",
            "device": "a symbolic link", "huge": "too large for an exercise (2.0 MiB"}
    for name, make in cases.items():
        d = tmp_path / name.replace(" ", "_")
        d.mkdir()
        make(d)
        with pytest.raises(PrepError) as e:
            drills.start(d, "nms", T0, due=True, fresh=True)
        assert said[name] in str(e.value), (name, str(e.value))
    assert victim.read_text() == "VICTIM\n" and sorted(p.name for p in outside.iterdir()) == [
        "victim.txt"]
    # grading reads (never writes): a link is read, a device or a huge file is refused
    with pytest.raises(PrepError, match="too large for an exercise"):
        grader.identify(tmp_path / "huge" / "nms.py")
    with pytest.raises(PrepError, match="not a regular file"):
        grader.identify(tmp_path / "device" / "nms.py")


def test_two_grades_of_one_file_at_once_count_as_one_review(tmp_path):
    # fault hunt 18: four `prep grade` of one file at once recorded two Good reviews (the due
    # date moved from 10 minutes to 2 days): each decided it counted before the other wrote.
    # Here the other grade is written right after this one has read the day's reviews.
    sched = Scheduler()
    with Store(tmp_path / "p.db") as one, Store(tmp_path / "p.db") as other:
        real, done = one.reviews, []

        def reviews_then_the_other_grade(*args, **kwargs):
            got = real(*args, **kwargs)
            if not done:
                done.append(drills.record(other, sched, fake_report("a"), T0))
            return got

        one.reviews = reviews_then_the_other_grade
        assert not drills.record(one, sched, fake_report("a"), T0)
        assert done == [True]
        assert len(other.reviews()) == 1
        assert [g.review_id is not None for g in other.grades("nms")] == [True, False]
        # new bytes from the other grade meanwhile: this one is decided again, and counts
        # only as the rules say (the same day, after a pass: not again)
        done.clear()
        assert not drills.record(one, sched, fake_report("b"), T0)
        assert len(other.reviews()) == 1


@pytest.mark.parametrize("columns", [80, 60, 40])
def test_the_drill_footer_fits_the_width_and_breaks_no_word(tmp_path, columns):
    # fault hunt 19: at 80x24 the key line wrapped mid-word (`d dif|f`, `r re-|grade`), and at
    # 40 columns `q quit` was gone
    d, _ = make(tmp_path)
    buf, out = output(columns, 24)
    with create_pipe_input() as inp:
        inp.send_text("q")
        ui.run_drill(d, drills.description("nms", STUB.read_text()), color=False, watch=False,
                     grade_first=False, input=inp, output=out)
    screen = buf.getvalue()
    keys = next(k for k in ui.DRILL_KEYS if len(k) + len(" lines 1–20 of 99  ↓ more ") < columns)
    assert keys in screen and "q quit" in screen, screen[-800:]


def test_footer_lines_fit_every_width():
    ui._toolkit()
    more = [("class:dim", " lines 1–20 of 99  ↓ more ")]
    message = "graded: 3 of 21 cases pass " * 3
    for w in range(10, 200):
        for said in ("", message.strip()):
            text = "".join(t for _, t in ui.footer_lines([], said, more, ui.DRILL_KEYS, w))
            first, second = text.split("\n")
            assert len(first) <= w, (w, text)
            if said and len(said) > w - 2:
                # (a message longer than its line goes on over the second, at a word's end
                # where one is in the second half of the line: words are not cut)
                assert len(second) <= w and "q quit" not in second, (w, text)
                shown = (first + " " + second).split()
                if not second.endswith("… "):
                    assert " ".join(shown) == said, (w, text)
                continue
            assert second.endswith(" q quit"), (w, text)
            if w >= 26 + 2 + len(ui.DRILL_KEYS[-1]):
                assert len(second) <= w, (w, text)


def test_a_long_message_is_read_whole_over_the_footers_two_lines():
    # (fault hunt 43, left then) at 100 columns the disk-full message was cut after "the
    # disk is full": what to do was never shown
    ui._toolkit()
    msg = ("the disk is full: what prep was writing was not saved (everything saved before it "
           "is intact). Free some space and run the command again (prep.db)")
    text = "".join(t for _, t in ui.footer_lines([("", " 3 due ")], msg, [], ui.DRILL_KEYS, 100))
    first, second = text.split("\n")
    assert len(first) <= 100 and len(second) <= 100, text
    assert " ".join((first + second).split()) == " ".join(("3 due " + msg).split())


def test_the_answer_buttons_fit_the_width():
    # fault hunt 39: at 40 columns the buttons wrapped mid-word (`4 Ea` / `sy 10d`): their
    # names are shortened, then left out, to fit
    ui._toolkit()
    ivl = {1: "1m", 2: "6m", 3: "10m", 4: "10d"}
    wide = "".join(t for _, t in ui._buttons(ivl, 80))
    assert wide == " 1 Again 1m  2 Hard 6m  3 Good 10m  4 Easy 10d "
    for w in (40, 30, 26):
        text = "".join(t for _, t in ui._buttons(ivl, w))
        assert len(text) <= w and all(f" {r} " in text for r in "1234"), (w, text)
    assert "".join(t for _, t in ui._buttons(ivl, 40)) == " 1 A 1m  2 H 6m  3 G 10m  4 E 10d "
