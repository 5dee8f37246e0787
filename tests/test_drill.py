"""`prep drill`: the stub on disk, hints, the reference solution, re-grading on save."""

import asyncio
import io
import time

from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from conftest import REPO
from prepcli import drills, grader, ui
from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise
from prepcli.sandbox import Limits

KERNELS = for_exercise(EXERCISES["nms"])  # the reference as a user file
STUB = REPO / "exercises" / "nms.py"


def make(tmp_path, text=None):
    f = tmp_path / "nms.py"
    f.write_text(text if text is not None else STUB.read_text(), encoding="utf-8")
    seen = []
    d = drills.Drill("nms", f, lambda: grader.grade(f, Limits(case_seconds=5)),
                     on_report=seen.append)
    return d, seen


def output():
    buf = io.StringIO()
    return buf, Vt100_Output(buf, lambda: Size(rows=200, columns=100), term="xterm")


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
                     input=inp, output=out)
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
                d, "# nms", color=False, watch=True, input=inp, output=out))
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


def test_cli_drill_writes_the_stub_never_overwrites_and_resets_with_a_backup(run, tmp_path,
                                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("drill", "nms")
    f = tmp_path / "exercises" / "nms.py"
    assert f.read_text() == STUB.read_text()
    assert "exercises/nms.py: written from the stub" in r.stdout
    assert r.exit_code == 2 and "prep drill is interactive" in r.stderr
    f.write_text("my work\n")
    run("drill", "nms")
    assert f.read_text() == "my work\n"  # never overwritten
    r = run("drill", "nms", "--reset")
    assert f.read_text() == STUB.read_text()
    (backup,) = (tmp_path / "exercises").glob("nms.py.*.bak")
    assert backup.read_text() == "my work\n"


def test_cli_drill_without_an_id_takes_the_most_due_and_rejects_unknown_ids(run, tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("drill")
    assert "exercises/nms.py: written from the stub" in r.stdout  # first new exercise
    r = run("drill", "fft")
    assert r.exit_code == 2 and "unknown exercise 'fft'" in r.stderr
