"""What the child sends back is hostile: forged result frames, odd dtypes, lone surrogates,
terminal control sequences, outputs that would fill the grader's memory, files where no
limit applies. Each must end as a normal failed grade (never a crash of the grader, never a
pass), and nothing of it may reach the terminal raw.

Most are fast checks of the parent's decoding with forged frames; a few grade a real file.
"""

import io
import json
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from prepcli.catalog import EXERCISES
from prepcli.drills import grader, sandbox
from prepcli.drills.sandbox import Limits, _ChannelError

HOSTILE = Path(__file__).resolve().parent / "hostile"

LEVELS = [lv for lv in sandbox.LEVELS if sandbox.available(lv)]
FAST = Limits(case_seconds=3, timing_case_seconds=5, cpu_seconds=20)
# What a terminal acts on: C0 controls but tab and newline, DEL, C1 controls.
CONTROLS = {chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]}


def _printable(text: str) -> bool:
    text.encode("utf-8")  # no lone surrogate
    return not CONTROLS & set(text)


@pytest.fixture
def nms_grade(tmp_path, monkeypatch):
    """A grade's parent side with nms's cases loaded (no child started): `_case(0, ...)`
    decodes a forged result of case 0."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with sandbox.Sandbox(b"x = 1\n", "nms.py", Limits(), start=False) as box:
        box.grade.load(EXERCISES["nms"].cases(), None, None)
        yield box.grade


def _frame(grade, output=None, **fields):
    """A case-0 result frame as the runner would send it (its inputs sent back intact)."""
    blobs = [memoryview(np.ascontiguousarray(a).tobytes()) for _, a in grade.inputs[0]]
    ev = {"event": "case", "index": 0, "status": "ok", "seconds": 0.001,
          "inputs": [[a.dtype.str, list(a.shape), k] for k, (_, a) in
                     enumerate(grade.inputs[0])],
          "output": output if output is not None else {"kind": "none"}}
    ev.update(fields)
    return ev, blobs


# --- 1. arrays of zero-size items (S0, U0, V0) and other dtypes ------------------------------

@pytest.mark.parametrize("dtype", ["|S0", "<U0", "|V0", "|V8", "<M8[ns]", "<m8[s]", "|O",
                                   "(2,)<f8", "<f8,<f8"])
def test_an_array_of_an_undecodable_dtype_is_a_failure_not_a_crash(nms_grade, dtype):
    spec = {"kind": "ndarray", "dtype": dtype, "shape": [3], "blob": len(nms_grade.inputs[0])}
    ev, blobs = _frame(nms_grade, spec)
    blobs.append(memoryview(b""))
    try:
        res = nms_grade._case(0, ev, blobs)
    except _ChannelError:  # a forged frame: a failed case too
        return
    problem = grader.check(np.array([0, 1]), res.output, True)
    assert problem and _printable(problem[0]), problem


@pytest.mark.parametrize("code", [b"\xff\xff\xff\xff", b"\x00\x00\x11\x00", b"\x00\xd8\x00\x00"])
@pytest.mark.parametrize("dtype", ["<U1", ">U1"])
@pytest.mark.parametrize("scalar", [False, True])
def test_a_str_array_of_codes_that_are_no_characters_is_a_failure_not_a_crash(code, dtype,
                                                                             scalar):
    # NumPy keeps any 32-bit code in a str array: the report's tolist() of one above
    # U+10FFFF raised SystemError (tests/hostile/str_not_unicode.py: prep's internal error)
    raw = code if dtype[0] == "<" else code[::-1]
    shape = [] if scalar else [5]
    got = sandbox._decode({"kind": "ndarray", "dtype": dtype, "shape": shape, "blob": 0,
                           "scalar": scalar}, [memoryview(raw * (1 if scalar else 5))], 0)
    assert got == {"kind": "bad_dtype", "dtype": dtype + " (not Unicode)"}
    for expected in (np.array([0, 1]), np.float64(0.5)):
        problem = grader.check(expected, got, True)
        assert problem and "not Unicode" in problem[0] and _printable(problem[0]), problem


def test_a_str_array_of_characters_still_decodes():
    got = sandbox._decode({"kind": "ndarray", "dtype": "<U2", "shape": [2], "blob": 0},
                          [memoryview(np.array(["ab", "\U0010ffff"]).tobytes())], 0)
    assert got.tolist() == ["ab", "\U0010ffff"]


def test_prep_grade_of_a_str_answer_that_is_no_unicode_is_a_failure(tmp_path, run):
    f = tmp_path / "nms.py"
    f.write_text((HOSTILE / "str_not_unicode.py").read_text("utf-8"), "utf-8")
    shown = run("grade", f)
    assert shown.exit_code == 1, shown.output
    assert "internal error" not in shown.output and "not Unicode" in shown.output


def test_a_zero_size_dtype_from_an_answer_gets_a_clear_message():
    got = sandbox._decode({"kind": "ndarray", "dtype": "|S0", "shape": [3], "blob": 0},
                          [memoryview(b"")], 0)
    assert grader.check(np.array([0, 1]), got, True) == [
        "expected a NumPy array, got an array of dtype |S0 (not numbers: it cannot be "
        "compared)"]


# --- 3. forged frames ---------------------------------------------------------------------

HUGE = 10 ** 400
FORGED_OUTPUTS = {
    "pyfloat 400 digits": {"kind": "pyscalar", "type": "float", "value": HUGE},
    "pyint 400 digits": {"kind": "pyscalar", "type": "int", "value": HUGE},
    "scalar type a list": {"kind": "pyscalar", "type": [], "value": 1},
    "kind a list": {"kind": ["ndarray"]},
    "too_large nbytes a str": {"kind": "too_large", "nbytes": "x", "shape": [1]},
    "too_large nbytes negative": {"kind": "too_large", "nbytes": -5},
    "list len a str": {"kind": "list", "len": "many"},
    "other type a list": {"kind": "other", "type": ["x"]},
    "shape 0 x 1e20": {"kind": "ndarray", "dtype": "<f8", "shape": [0, 10 ** 20], "blob": 2},
    "shape 0 x 2**40 x 2**40": {"kind": "ndarray", "dtype": "<f8", "shape": [0, 2 ** 40, 2 ** 40],
                                "blob": 2},
    "shape 400 digits": {"kind": "ndarray", "dtype": "<f8", "shape": [HUGE], "blob": 2},
    "dtype a dict": {"kind": "ndarray", "dtype": {"names": ["a"], "formats": ["<f8"]},
                     "shape": [0], "blob": 2},
    "dtype a huge string": {"kind": "ndarray", "dtype": "S" + "9" * 30, "shape": [0],
                            "blob": 2},
    "blob a float": {"kind": "ndarray", "dtype": "<f8", "shape": [0], "blob": 2.0},
}


@pytest.mark.parametrize("name", list(FORGED_OUTPUTS))
def test_a_forged_output_is_a_channel_error(nms_grade, name):
    ev, blobs = _frame(nms_grade, FORGED_OUTPUTS[name])
    blobs.append(memoryview(b""))
    with pytest.raises(_ChannelError):
        nms_grade._case(0, ev, blobs)


@pytest.mark.parametrize("fields", [{"seconds": HUGE}, {"best": HUGE}, {"seconds": -HUGE},
                                    {"seconds": float("nan")}, {"best": float("inf")},
                                    {"seconds": "1"}, {"status": ["ok"]}, {"status": {}},
                                    {"exception": 5}, {"traceback": ["x"]}])
def test_forged_fields_of_a_result_are_a_channel_error(nms_grade, fields):
    ev, blobs = _frame(nms_grade, **fields)
    with pytest.raises(_ChannelError):
        nms_grade._case(0, ev, blobs)


@pytest.mark.parametrize("header", [{"event": ["case"]}, {"event": {"a": 1}},
                                    {"event": None}, [1], "case"])
def test_a_forged_header_is_a_channel_error(header):
    with pytest.raises(_ChannelError):
        sandbox._Channel(1 << 20).feed(json.dumps(header).encode() + b"\n")


def test_a_description_keeps_only_checked_fields():
    got = sandbox._decode({"kind": "too_large", "nbytes": 3 << 20, "shape": [1, 2],
                           "dtype": "<f8", "value": "\x1b[2J", "junk": {"a": 1}}, [], 0)
    assert got == {"kind": "too_large", "nbytes": 3 << 20, "shape": [1, 2], "dtype": "<f8",
                   "value": "^[[2J"}
    assert grader.check(np.zeros(3), got, False) == [
        "expected a NumPy array, got an array of 3 MiB (too large to compare)"]


# --- 2 and 5. text from the child: lone surrogates, control sequences ------------------------

HOSTILE_TEXT = "a\ud800b\x1b[2J\x1b]0;owned\x07\x9b31m\r\x7f\u202eok\tc\n"


def test_text_from_the_child_is_valid_and_has_no_control_sequences(nms_grade):
    ev, blobs = _frame(nms_grade, status="error", exception=HOSTILE_TEXT,
                       traceback=HOSTILE_TEXT)
    res = nms_grade._case(0, ev, blobs)
    ev, blobs = _frame(nms_grade, status="exit", code=HOSTILE_TEXT)
    exited = nms_grade._case(0, ev, blobs)
    out = sandbox._decode({"kind": "other", "type": HOSTILE_TEXT}, [], 0)
    printed = sandbox._text(bytearray(HOSTILE_TEXT.encode("utf-8", "surrogatepass")))
    for text in (res.exception, res.traceback, exited.message, out["type"], printed,
                 sandbox.safe_text(HOSTILE_TEXT)):
        assert _printable(text), repr(text)
    assert sandbox.safe_text(HOSTILE_TEXT) == (
        "a\ufffdb^[[2J^[]0;owned^G<U+009B>31m^M^?<U+202E>ok\tc\n")
    assert sandbox.safe_text("ok\r\n😀 é\t\n") == "ok\n😀 é\t\n"  # what is fine stays


def test_the_printed_report_shows_no_control_sequence():
    """The report's rendering cleans again whatever reaches it (here a report made by hand,
    not through the grader's decoding)."""
    rep = grader.Report("nms", "nms.py", "0", {"nms": "fail"},
                        [grader.CaseReport("c", "nms", "edge", "error", None, HOSTILE_TEXT)],
                        grader.Failure("c", "nms", "x = 1", [HOSTILE_TEXT], "", HOSTILE_TEXT),
                        stdout=HOSTILE_TEXT)
    from prepcli.screens import report

    buf = io.StringIO()
    report.grade_report(Console(file=buf, width=200, no_color=True, force_terminal=False), rep)
    assert _printable(buf.getvalue()), repr(buf.getvalue())
    assert "^[[2J" in buf.getvalue()


def test_prep_grade_shows_hostile_text_cleaned(tmp_path, run):
    f = tmp_path / "nms.py"
    f.write_text('import sys\n'
                 'print("\\x1b[2J\\x1b[H\\x1b]0;owned\\x07\\x9b1;32mPASS\\x1b[0m", flush=True)\n'
                 'sys.stdout.buffer.write(b"\\xed\\xa0\\x80\\xff\\x1b[8m\\n")\n'
                 'def nms(boxes, scores, iou_threshold):\n'
                 '    raise ValueError("\\ud800\\x1b[1;32mPASS\\x1b[8m")\n', encoding="utf-8")
    shown = run("grade", f)
    assert shown.exit_code == 1 and _printable(shown.output), repr(shown.output)
    assert "^[[1;32mPASS^[[8m" in shown.output and "^[]0;owned^G" in shown.output
    as_json = run("grade", f, "--json")
    assert as_json.exit_code == 1
    rep = json.loads(as_json.output)
    for text in (rep["stdout"], rep["first_failure"]["traceback"], rep["cases"][0]["reason"]):
        assert _printable(text), repr(text)
    assert "\ufffd" in rep["first_failure"]["traceback"]


# --- 4. the outputs the grader keeps, over a whole grade ---------------------------------------

def test_the_outputs_kept_have_a_budget():
    spec = {"kind": "tuple", "items": [
        {"kind": "ndarray", "dtype": "<f8", "shape": [100], "blob": 0},
        {"kind": "ndarray", "dtype": "<f8", "shape": [100], "blob": 0}]}
    blobs = [memoryview(np.zeros(100).tobytes())]
    room = [1600]
    out = sandbox._decode(spec, blobs, 0, room)
    assert len(out) == 2 and room == [0]
    with pytest.raises(sandbox._OutputsFull):
        sandbox._decode(spec, blobs, 0, [1599])


def test_a_grade_stops_when_its_outputs_pass_the_budget(tmp_path):
    f = tmp_path / "softmax.py"
    f.write_text("import numpy as np\n_BIG = np.ones(1 << 17)  # 1 MiB\n"
                 "def softmax(*a, **k):\n    return _BIG\n"
                 "log_softmax = cross_entropy = softmax\n", encoding="utf-8")
    rep = grader.grade(f, Limits(**{**FAST.__dict__, "outputs_bytes": 3 << 20}))
    assert not rep.passed
    reasons = [c.reason for c in rep.cases]
    assert sum("outputs total more than 3 MiB" in r for r in reasons) == len(reasons) - 3
    assert reasons[3].startswith("stopped: your outputs total more than 3 MiB"), reasons


def test_legitimate_outputs_are_far_below_the_budget():
    def size(v):
        if isinstance(v, np.ndarray):
            return v.nbytes
        return sum(map(size, v)) if isinstance(v, (tuple, list)) else 8

    for name, ex in EXERCISES.items():
        total = sum(size(c.expected()) for c in ex.cases())
        assert total * 8 < Limits().outputs_bytes, (name, total)


# --- 6. bubblewrap: no unlimited tmpfs ----------------------------------------------------------

@pytest.mark.skipif("bwrap" not in LEVELS, reason="bubblewrap is not available here")
def test_bubblewrap_leaves_no_file_system_without_a_size(tmp_path):
    f = tmp_path / "nms.py"
    f.write_text("import os\n"
                 "for path in ('/dev/shm/big', '/big', '/dev/big', '/usr/big'):\n"
                 "    try:\n"
                 "        with open(path, 'wb') as out:\n"
                 "            for _ in range(4):\n"
                 "                out.write(b'x' * (1 << 20))\n"
                 "        print(path, 'written', flush=True)\n"
                 "    except OSError as e:\n"
                 "        print(path, 'blocked', e.errno, flush=True)\n"
                 "print('tmp', open('/tmp/ok', 'w').write('fine'), flush=True)\n"
                 "def nms(boxes, scores, iou_threshold):\n"
                 "    raise NotImplementedError\n", encoding="utf-8")
    rep = grader.grade(f, Limits(**{**FAST.__dict__, "level": "bwrap"}))
    assert rep.stdout.count("blocked") == 4 and "written" not in rep.stdout, rep.stdout
    assert "tmp 4" in rep.stdout, rep.stdout  # its work dir and /tmp are still writable


# --- 7. rlimits: a grandchild that leaves the runner's session and wipes its environment -------

def test_rlimits_an_orphan_without_the_mark_dies_with_the_grade(tmp_path):
    """Processes allowed (no seccomp filter): a daemon that double-forks into a session of its
    own and wipes the grade's mark from its environment, and the runner exits. Its orphan
    goes to the runner's reaper, which kills it (the sweep alone could not find it)."""
    import os
    import signal
    import time

    pid_file = tmp_path / "daemon.pid"
    f = tmp_path / "nms.py"
    f.write_text("import ctypes, os, time\n"
                 "if os.fork() == 0:\n"
                 "    os.setsid()\n"
                 "    if os.fork() == 0:\n"
                 "        fields = open('/proc/self/stat').read().rsplit(')', 1)[1].split()\n"
                 "        ctypes.memset(int(fields[-3]), 0, int(fields[-2]) - int(fields[-3]))\n"
                 f"        open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                 "        time.sleep(60)\n"
                 "    os._exit(0)\n"
                 "time.sleep(0.5)\n"
                 "os._exit(0)\n", encoding="utf-8")
    rep = grader.grade(f, Limits(**{**FAST.__dict__, "level": "rlimits", "processes": 50}))
    assert "exited with code 0" in rep.import_error, rep.import_error
    pid = int(pid_file.read_text())
    try:
        for _ in range(50):  # (reaped by the reaper: gone, not a zombie)
            if not os.path.exists(f"/proc/{pid}"):
                break
            time.sleep(0.02)
        assert not os.path.exists(f"/proc/{pid}"), "the daemon outlived the grade"
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.parametrize("got", [np.full(3, np.longdouble("1e4000")),
                                 np.full(3, -np.longdouble("1e4000")),
                                 np.frombuffer(b"\x00" * 8 + b"\xff\x7f" + b"\x00" * 6,
                                               np.longdouble).repeat(3)])
@pytest.mark.parametrize("exact", [False, True])
def test_an_answer_past_float64s_range_fails_without_a_warning(got, exact):
    # (tests/hostile/float_past_range.py: NumPy's warning of the cast was printed on prep's
    # output; under PYTHONWARNINGS=error it was prep's internal error)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        problem = grader.check(np.array([0.5, -1.0, 2.0]), got, exact)
    assert problem and problem[0].startswith("values: 3 of 3 differ"), problem


@pytest.mark.parametrize("got", [np.array([b"A" * 1000] * 3), np.array(["A" * 1000] * 3),
                                 np.array([b"\x1b[2J"] * 3)])
def test_a_text_answer_of_another_shape_is_not_listed(got):
    # (tests/hostile/huge_text_answer.py: three bytes items of 80 MiB each were listed in full,
    # 250 MB on the user's terminal; numbers still are, as an NMS's indices)
    problem = grader.check(np.array([0, 2]), got, True)
    assert problem == ["shape: expected (2,), got (3,)"], problem
    assert grader.check(np.array([0, 2]), np.array([0, 2, 1]), True) == [
        "shape: expected (2,), got (3,)", "expected [0, 2]", "got      [0, 2, 1]"]


@pytest.mark.parametrize("name", ["a3", "|a3", "<a1", "S3", "float64", "<f\u0668", "<f8 ",
                                  "<M8[\u00e9]"])
def test_a_dtype_named_otherwise_than_the_runner_does_is_a_channel_error(name):
    # ('a3' is an alias NumPy 2 deprecates: decoding it warned, and under
    # PYTHONWARNINGS=error that was prep's internal error)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(_ChannelError):
            sandbox._decode({"kind": "ndarray", "dtype": name, "shape": [1], "blob": 0},
                            [memoryview(b"abc")], 0)


@pytest.mark.parametrize("dtype", [np.float64, ">f8", np.int64, bool, "S3", "U2", "c16",
                                   "M8[ns]", "m8[25us]", np.longdouble])
def test_every_dtype_the_runner_names_still_decodes(dtype):
    a = np.zeros(2, dtype)
    got = sandbox._decode({"kind": "ndarray", "dtype": a.dtype.str, "shape": [2], "blob": 0},
                          [memoryview(a.tobytes())], 0)
    assert (got.dtype == a.dtype) if isinstance(got, np.ndarray) else got["kind"] == "bad_dtype"
