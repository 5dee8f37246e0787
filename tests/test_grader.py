"""The grader: stubs, the reference kernels as user files, every known wrong convention, and
misbehaving code, each with a clear verdict and no process left behind."""

import json
import time
from pathlib import Path

import pytest

from conftest import REPO
from prepcli.drills import grader
from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise
from prepcli.drills.sandbox import Limits

FAST = Limits(case_seconds=1.5, timing_case_seconds=3, cpu_seconds=20)


def user_file(tmp_path: Path, name: str, code: str) -> Path:
    p = tmp_path / name
    p.write_text(code, encoding="utf-8")
    return p


def reference(ex: str) -> str:
    """The exercise's catalog module (reference and variant helpers) as one self-contained
    user file."""
    return for_exercise(EXERCISES[ex])


def reference_with(ex: str, override: str) -> str:
    """The reference as a user file with some functions replaced: a user who wrote a known
    wrong convention."""
    return reference(ex) + "\n" + override


@pytest.mark.parametrize("ex", sorted(EXERCISES))
def test_pristine_stub_is_nothing_implemented(run, ex):
    r = run("grade", REPO / "exercises" / f"{ex}.py")
    assert r.exit_code == 1
    assert f"0/{len(EXERCISES[ex].parts)} parts pass" in r.stdout
    assert "Nothing implemented yet" in r.stdout


@pytest.mark.parametrize("ex", sorted(EXERCISES))
def test_reference_kernels_as_a_user_file_pass_every_case(run, tmp_path, ex):
    f = user_file(tmp_path, f"{ex}.py", reference(ex))
    r = run("grade", f, "--json")
    assert r.exit_code == 0, r.stdout
    data = json.loads(r.stdout)
    assert data["passed"] and data["cases_passed"] == data["cases_total"] >= 15
    assert set(data["parts"].values()) == {"pass"}
    assert data["timing"]["reference_s"] > 0 and data["timing"]["yours_s"] > 0


VARIANT_CASES = [
    ("nms", "def nms(boxes, scores, iou_threshold):\n    return _nms(boxes, scores, iou_threshold, plus1=True)\n", '"+1" pixel areas'),
    ("nms", "def nms(boxes, scores, iou_threshold):\n    return _nms(boxes, scores, iou_threshold, ge=True)\n", "suppressing boxes whose IoU is >= the threshold"),
    ("nms", "def nms(boxes, scores, iou_threshold):\n    return _nms(boxes, scores, iou_threshold, tie_high=True)\n", "equal scores broken by the higher index"),
    # (the stable sort reversed, `np.argsort(scores, kind='stable')[::-1]`: failed but went
    # unnamed, fault hunt 20)
    ("nms", "def nms(boxes, scores, iou_threshold):\n    return _nms(boxes, scores, iou_threshold, tie_high='stable')\n", "equal scores broken by the higher index (np.argsort(scores, kind='stable')"),
    ("nms", "_ref = nms\ndef nms(boxes, scores, iou_threshold):\n    return np.sort(_ref(boxes, scores, iou_threshold))\n", "indices returned in input order"),
    ("iou", "box_iou = _iou_plus1\n", '"+1" pixel areas'),
    ("conv", "_ref = conv2d\ndef conv2d(x, weight, bias=None, **kw):\n    return _ref(x, weight[:, :, ::-1, ::-1], bias, **kw)\n", "flipped kernel"),
    ("conv", "_ref = conv2d\ndef conv2d(x, weight, bias=None, **kw):\n    out = _conv_ceil(x, weight, bias, **kw)\n    return _ref(x, weight, bias, **kw) if out is None else out\n", "ceil instead of floor"),
    ("conv", "_ref = conv2d\ndef conv2d(*a, **kw):\n    return _ref(*a, **kw).transpose(0, 2, 3, 1)\n", "NHWC output layout"),
    ("bn", "_ref = batchnorm\ndef batchnorm(x, g, b, rm, rv, training=True, momentum=0.1, eps=1e-5):\n    return _bn(x, g, b, rm, rv, training, momentum, eps, keras=True) if training else _ref(x, g, b, rm, rv, training, momentum, eps)\n", "CS231n/Keras momentum"),
    ("bn", "_ref = batchnorm\ndef batchnorm(x, g, b, rm, rv, training=True, momentum=0.1, eps=1e-5):\n    return _bn(x, g, b, rm, rv, training, momentum, eps, biased=True) if training else _ref(x, g, b, rm, rv, training, momentum, eps)\n", "biased variance in the running estimate"),
    ("bn", "_ref = batchnorm\ndef batchnorm(x, g, b, rm, rv, training=True, momentum=0.1, eps=1e-5):\n    return _bn(x, g, b, rm, rv, training, momentum, eps, eps_outside=True) if training else _ref(x, g, b, rm, rv, training, momentum, eps)\n", "eps outside the square root"),
    ("pool", "max_pool2d = _max_pool_zero_pad\n", "zero padding for max pooling"),
    ("pool", "_ref = max_pool2d\ndef max_pool2d(x, kernel_size, stride=None, padding=0):\n    out = _max_pool_nanmax(x, kernel_size, stride, padding)\n    return _ref(x, kernel_size, stride, padding) if out is None else out\n", "nanmax"),
    ("pool", "_ref = avg_pool2d\ndef avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):\n    return _ref(x, kernel_size, stride, padding, False)\n", "dividing by the real cells"),
    ("pool", "max_pool2d_backward = _max_backward_split\n", "gradient split among tied maxima"),
    ("pool", "max_pool2d_backward = _max_backward_all_ties\n", "the whole gradient to every tied maximum"),
    ("bn", "_ref = batchnorm\ndef batchnorm(x, g, b, rm, rv, training=True, momentum=0.1, eps=1e-5):\n    y, nrm, nrv = _ref(x, g, b, rm, rv, training, momentum, eps)\n    if training:\n        y = _ref(x, g, b, rm, rv, False, momentum, eps)[0]\n    return y, nrm, nrv\n", "training normalised with the running statistics"),
]


@pytest.mark.parametrize("ex,override,name", VARIANT_CASES,
                         ids=[f"{e}:{n[:30]}" for e, _, n in VARIANT_CASES])
def test_each_known_wrong_convention_fails_and_is_named(run, tmp_path, ex, override, name):
    f = user_file(tmp_path, f"{ex}.py", reference_with(ex, override))
    r = run("grade", f, "--json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1
    assert "fail" in data["parts"].values()
    assert data["first_failure"]["variant"].startswith(name), data["first_failure"]


def test_the_notes_legacy_nms_is_recognised(run, tmp_path):
    """The NMS from the user's own notes (001): +1 areas, ties by the higher index."""
    code = (REPO / "tests" / "data" / "legacy_nms.py").read_text(encoding="utf-8")
    f = user_file(tmp_path, "legacy_nms.py", code)
    r = run("grade", f)
    assert r.exit_code == 1
    assert "Recognised:" in r.stdout and "+1" in r.stdout
    assert "Inputs" in r.stdout and "expected" in r.stdout


def test_hand_written_flipped_conv_is_named(run, tmp_path):
    code = '''import numpy as np
from numpy.lib.stride_tricks import sliding_window_view as swv

def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if dilation != 1 or groups != 1:
        raise NotImplementedError
    s = stride if isinstance(stride, int) else stride[0]
    st = (stride, stride) if isinstance(stride, int) else tuple(stride)
    p = (padding, padding) if isinstance(padding, int) else tuple(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    k = np.flip(weight, axis=(2, 3))          # true convolution
    win = swv(xp, k.shape[2:], axis=(2, 3))[:, :, ::st[0], ::st[1]]
    out = np.einsum("nchwrs,kcrs->nkhw", win, k)
    return out if bias is None else out + bias[None, :, None, None]


def conv2d_backward(dout, x, weight, stride=1, padding=0):
    raise NotImplementedError
'''
    f = user_file(tmp_path, "conv.py", code)
    data = json.loads(run("grade", f, "--json").stdout)
    assert data["parts"] == {"conv2d": "fail", "conv2d (dilation, groups)": "not implemented",
                             "conv2d_backward": "not implemented"}
    assert data["first_failure"]["variant"].startswith("flipped kernel")
    # the advanced cases raised NotImplementedError: reported as such, not as failures
    adv = [c for c in data["cases"] if c["part"] == "conv2d (dilation, groups)"]
    assert adv and {c["status"] for c in adv} == {"not implemented"}


def test_partial_work_passes_when_every_implemented_part_passes(run, tmp_path):
    code = reference("iou") + "\ndef generalized_box_iou(a, b):\n    raise NotImplementedError\n"
    r = run("grade", user_file(tmp_path, "iou.py", code))
    assert r.exit_code == 0
    assert "1/2 parts pass" in r.stdout


def grade(tmp_path, ex, code, limits=FAST):
    f = user_file(tmp_path, f"{ex}.py", code)
    t = time.monotonic()
    rep = grader.grade(f, limits=limits)
    return rep, time.monotonic() - t


def test_infinite_loop_times_out_quickly_and_is_said(tmp_path):
    rep, took = grade(tmp_path, "nms", "def nms(b, s, t):\n    while True:\n        pass\n")
    assert rep.exit_code == 1
    assert rep.cases[0].status == "timeout" and "wall clock" in rep.cases[0].reason
    assert rep.cases[2].status == "error" and "not run" in rep.cases[2].reason
    assert took < 15


@pytest.mark.slow  # (seconds each: in the slow set, which CI runs too)
def test_sleep_times_out(tmp_path):
    rep, _ = grade(tmp_path, "bn", "import time\ndef batchnorm(*a, **k):\n    time.sleep(100)\n")
    assert rep.cases[0].status == "timeout"


def test_huge_allocation_is_a_memory_error(tmp_path):
    rep, _ = grade(tmp_path, "iou", "import numpy as np\ndef box_iou(a, b):\n"
                   "    return np.ones((200000, 200000))\n"
                   "def generalized_box_iou(a, b):\n    raise NotImplementedError\n")
    assert rep.cases[0].status == "error" and rep.cases[0].reason == "MemoryError"
    assert "MemoryError" in rep.first_failure.traceback


def test_print_flood_hits_the_output_limit(tmp_path):
    small = Limits(case_seconds=5, timing_case_seconds=5, cpu_seconds=20, output_bytes=1 << 20)
    rep, took = grade(tmp_path, "nms",
                      "def nms(b, s, t):\n    while True:\n        print('x' * 1000)\n", small)
    assert rep.cases[0].status == "error" and "output limit (1 MiB)" in rep.cases[0].reason
    assert took < 15


def test_os_exit_is_reported_not_hung(tmp_path):
    rep, _ = grade(tmp_path, "nms", "import os\ndef nms(b, s, t):\n    os._exit(0)\n")
    assert rep.cases[0].status == "error"
    assert "exited with code 0" in rep.cases[0].reason and "os._exit" in rep.cases[0].reason


def test_sys_exit_is_reported(tmp_path):
    rep, _ = grade(tmp_path, "nms", "import sys\ndef nms(b, s, t):\n    sys.exit(3)\n")
    assert rep.cases[0].status == "error" and rep.cases[0].reason == "called sys.exit(3)"


def test_a_fake_success_line_on_stdout_fakes_nothing(tmp_path):
    code = ("def nms(b, s, t):\n"
            "    print('{\"event\": \"case\", \"status\": \"ok\"}')\n"
            "    print('PASS 21/21 cases')\n")
    rep, _ = grade(tmp_path, "nms", code)
    assert rep.exit_code == 1 and rep.cases_passed == 0
    assert rep.first_failure.problem[0].startswith("expected a NumPy array, got None")
    assert "PASS 21/21" in rep.stdout  # shown as what it printed, not believed


def test_user_code_cannot_start_a_process(tmp_path):
    code = ("import subprocess, numpy as np\n"
            "def nms(b, s, t):\n    subprocess.Popen(['sleep', '300'])\n")
    rep, _ = grade(tmp_path, "nms", code)
    assert rep.cases[0].status == "error" and rep.cases[0].reason == "BlockingIOError"


def test_a_process_started_by_user_code_does_not_survive(tmp_path):
    """Where processes are allowed (Limits.processes), none outlives the grade."""
    pidfile = tmp_path / "pid"
    code = f'''import subprocess, numpy as np
def nms(b, s, t):
    p = subprocess.Popen(["sleep", "300"])
    print("PID", p.pid, flush=True)
    return np.zeros(0, dtype=np.int64)
'''
    rep, _ = grade(tmp_path, "nms", code, Limits(case_seconds=3, processes=50, level="rlimits"))
    pid = int(rep.stdout.split("PID ")[1].split()[0])
    time.sleep(0.2)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"  # a zombie is dead
    except FileNotFoundError:
        return False


def test_input_mutation_is_named(tmp_path):
    code = reference("nms") + "\n_ref = nms\ndef nms(boxes, scores, t):\n    scores *= 1\n    boxes[:, 0] -= 0.5\n    return _ref(boxes, scores, t)\n"
    rep, _ = grade(tmp_path, "nms", code)
    assert rep.cases[0].status == "fail" and "boxes" in rep.cases[0].reason
    assert "scores" not in rep.cases[0].reason
    assert rep.first_failure.variant == ""


def test_a_solution_that_only_mutates_its_input_is_not_given_a_variant(tmp_path):
    """It used to be told "suppress on >=": its outputs are right, so no convention applies."""
    code = reference("nms") + ("\n_ref = nms\ndef nms(boxes, scores, t):\n"
                               "    out = _ref(boxes, scores, t)\n    scores[:] = 0\n    return out\n")
    rep, _ = grade(tmp_path, "nms", code)
    assert rep.first_failure.problem[0].startswith("modified the input argument(s) scores")
    assert rep.first_failure.variant == ""


def test_an_nms_that_forgot_to_sort_is_not_told_to_sort_its_output(tmp_path):
    """Kept in input order without sorting by score first: sorting its output would not fix
    it, so "indices returned in input order" must not be named (nor anything else)."""
    code = """import numpy as np
def nms(boxes, scores, iou_threshold):
    keep, alive = [], np.ones(len(boxes), bool)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    for i in range(len(boxes)):
        if not alive[i]:
            continue
        keep.append(i)
        w = np.clip(np.minimum(boxes[i, 2], boxes[:, 2]) - np.maximum(boxes[i, 0], boxes[:, 0]), 0, None)
        h = np.clip(np.minimum(boxes[i, 3], boxes[:, 3]) - np.maximum(boxes[i, 1], boxes[:, 1]), 0, None)
        inter = w * h
        union = area[i] + area - inter
        iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        alive &= ~(iou > iou_threshold)
    return np.array(keep, dtype=np.int64)
"""
    rep, _ = grade(tmp_path, "nms", code)
    assert rep.exit_code == 1 and rep.first_failure is not None
    assert rep.first_failure.variant == "", rep.first_failure.variant


@pytest.mark.parametrize("ret,msg", [
    ("_ref(b, s, t).astype(np.int32)", "dtype: expected int64 indices, got int32"),
    ("_ref(b, s, t).tolist()", "expected a NumPy array, got a list of"),
    ("None", "expected a NumPy array, got None (is a `return` missing?)"),
    ("_ref(b, s, t)[None]", "shape: expected"),
])
def test_wrong_type_dtype_and_shape(tmp_path, ret, msg):
    code = reference("nms") + f"\n_ref = nms\ndef nms(b, s, t):\n    return {ret}\n"
    rep, _ = grade(tmp_path, "nms", code)
    assert rep.first_failure.problem[0].startswith(msg), rep.first_failure.problem


def test_exceptions_show_only_the_users_traceback(tmp_path):
    rep, _ = grade(tmp_path, "nms", "def helper(x):\n    return x[10]\n\ndef nms(b, s, t):\n    return helper(b.tolist())\n")
    tb = rep.first_failure.traceback
    assert "IndexError" in tb and "in helper" in tb and "in nms" in tb
    assert "_runner.py" not in tb and "importlib" not in tb


@pytest.mark.parametrize("code", ["from prepcli.catalog.nms import nms\n",
                                  "import prepcli.catalog\n", "import prepcli\n"])
def test_the_child_cannot_import_the_reference(tmp_path, code):
    rep, _ = grade(tmp_path, "nms", code)
    assert rep.import_error and "not available to exercise code" in rep.import_error
    assert rep.exit_code == 1


def test_a_syntax_error_is_reported_with_its_line(run, tmp_path):
    f = user_file(tmp_path, "bn.py", "def batchnorm(x):\n    return x +\n")
    r = run("grade", f)
    assert r.exit_code == 1 and "SyntaxError" in r.stdout and "line 2" in r.stdout


def test_exercise_is_named_by_a_first_line_comment(run, tmp_path):
    f = user_file(tmp_path, "my_attempt.py", "# exercise: iou\n" + reference("iou"))
    assert run("grade", f).exit_code == 0


def test_usage_errors_exit_2(run, tmp_path):
    r = run("grade", tmp_path / "none.py")
    assert r.exit_code == 2 and "no such file" in r.stderr
    r = run("grade", user_file(tmp_path, "thing.py", "x = 1\n"))
    assert r.exit_code == 2 and "cannot tell which exercise" in r.stderr
    r = run("grade", user_file(tmp_path, "other.py", "# exercise: fft\n"))
    assert r.exit_code == 2 and "unknown exercise 'fft'" in r.stderr


def test_grades_are_recorded_and_scheduled(run, tmp_path, prep_home, monkeypatch):
    from prepcli.review.store import Store

    bad = user_file(tmp_path, "nms.py", reference("nms") + "\ndef nms(b, s, t):\n    return None\n")
    run("grade", bad)
    run("grade", bad)  # a second failure the same day is not another review
    good = user_file(tmp_path / "ok" if (tmp_path / "ok").mkdir() is None else tmp_path,
                     "nms.py", reference("nms"))
    run("grade", good)  # the pass after a failure graduates it
    run("grade", REPO / "exercises" / "iou.py")  # nothing implemented: not an attempt
    with Store(prep_home / "prep.db") as st:
        grades = st.grades()
        assert [(g.exercise, g.passed) for g in grades] == [
            ("nms", False), ("nms", False), ("nms", True), ("iou", False)]
        assert grades[2].cases_passed == grades[2].cases_total
        assert [r.rating for r in st.reviews(card_id="exercise:nms")] == [1, 3]
        assert st.reviews(card_id="exercise:iou") == []
    r = run("exercises")
    assert "21/21 cases" in r.stdout
    # (the titles stay, wrapped, on 80 columns: once a grade filled `last grade`, the column
    # had no width)
    monkeypatch.setenv("COLUMNS", "80")
    r = run("exercises")
    assert "Non-maximum" in r.stdout and "suppression" in r.stdout, r.stdout


def test_an_infinite_result_is_reported_as_infinitely_wrong():
    # (a log of a softmax underflows to -inf where the answer is -1000: the error is inf,
    # not the largest float, and the values read as numbers, not as NumPy reprs)
    import numpy as np

    lines = grader.check(np.array([[-1000.0, 0.0]]), np.array([[-np.inf, 0.0]]), exact=False)
    assert "worst at index (0, 0): expected -1000.0, got -inf" in lines
    assert "max abs error inf, max rel error inf" in lines, lines


# --- code with two mistakes, as real code often has (found grading public implementations) --

CS231N_BN = """
import numpy as np

def batchnorm(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
    if training:
        mu, var = x.mean(axis=axes), x.var(axis=axes)
        # the course's update: momentum weighs the old value, and the variance kept is biased
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
        running_mean, running_var = running_mean.copy(), running_var.copy()
    xn = (x - mu.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    return gamma.reshape(shape) * xn + beta.reshape(shape), running_mean, running_var
"""


def test_the_first_of_two_mistakes_is_named_where_the_report_points(tmp_path):
    # new_running_mean is the first wrong item: the momentum explains it on every case,
    # though running_var is also wrong (a biased variance) wherever the momentum is
    rep, _ = grade(tmp_path, "bn", CS231N_BN)
    assert rep.first_failure.problem[0].startswith("new_running_mean"), rep.first_failure
    assert rep.first_failure.variant.startswith("CS231n/Keras momentum"), rep.first_failure


def test_a_variant_is_named_though_another_mistake_fails_other_cases(tmp_path):
    # zero padding (the only case it shows in, matched exactly) and (h, w) pairs read wrong
    code = reference("pool") + """
_ref = max_pool2d
def max_pool2d(x, kernel_size, stride=None, padding=0):
    if isinstance(kernel_size, tuple):
        kernel_size = kernel_size[0]  # a second mistake: (h, w) read as h
    if padding:
        p = padding if isinstance(padding, int) else padding[0]
        x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))  # zeros: the first mistake
    return _ref(x, kernel_size, stride, 0)
"""
    rep, _ = grade(tmp_path, "pool", code)
    assert rep.first_failure.case == "max_pool2d: all-negative input with padding"
    assert rep.first_failure.variant.startswith("zero padding for max pooling"), rep.first_failure


def test_a_variant_is_not_named_where_the_user_is_right_and_it_is_wrong(tmp_path):
    # IoU 0/0 = NaN, and `keep iou <= t` drops a NaN box: on zero-area boxes this looks like
    # suppressing on >=, but at IoU == threshold this code keeps the box, as it should
    code = """
import numpy as np

def nms(boxes, scores, iou_threshold):
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        x1 = np.maximum(boxes[i, 0], boxes[rest, 0]); y1 = np.maximum(boxes[i, 1], boxes[rest, 1])
        x2 = np.minimum(boxes[i, 2], boxes[rest, 2]); y2 = np.minimum(boxes[i, 3], boxes[rest, 3])
        inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
        area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        with np.errstate(invalid="ignore"):
            iou = inter / (area[i] + area[rest] - inter)
        order = rest[iou <= iou_threshold]
    return np.array(keep, dtype=np.int64)
"""
    rep, _ = grade(tmp_path, "nms", code)
    assert rep.first_failure.case.startswith("zero-area"), rep.first_failure
    assert rep.first_failure.variant == "", rep.first_failure


def test_a_part_that_leaves_some_options_for_later_is_unfinished(tmp_path):
    code = reference("pool") + """
_ref = max_pool2d
def max_pool2d(x, kernel_size, stride=None, padding=0):
    if padding:
        raise NotImplementedError
    return _ref(x, kernel_size, stride, padding)
"""
    rep, _ = grade(tmp_path, "pool", code)
    assert rep.parts["max_pool2d"] == "fail" and rep.exit_code == 1
    assert rep.first_failure.case == "max_pool2d: all-negative input with padding"
    assert "NotImplementedError on these inputs" in rep.first_failure.problem[0]


def test_overwriting_overlapping_window_gradients_fails_the_overlap_case_not_the_ties(tmp_path):
    code = reference("pool") + """
def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    k = kernel_size
    s = stride or k
    dx = np.zeros_like(x)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    win = x[n, c, i * s:i * s + k, j * s:j * s + k]
                    a, b = np.unravel_index(np.argmax(win), win.shape)
                    dx[n, c, i * s + a, j * s + b] = dout[n, c, i, j]  # = where += belongs
    return dx
"""
    rep, _ = grade(tmp_path, "pool", code)
    status = {c.name: c.status for c in rep.cases}
    assert status["max_pool2d_backward: ties go to the first maximum"] == "pass"
    assert status["max_pool2d_backward: overlapping windows add up"] == "fail"


def test_plus_one_areas_are_named_in_giou_too(tmp_path):
    code = reference("iou") + """
def generalized_box_iou(boxes1, boxes2):
    a = np.asarray(boxes1, dtype=float)[:, None, :]
    b = np.asarray(boxes2, dtype=float)[None, :, :]
    area = lambda t: (t[..., 2] - t[..., 0] + 1) * (t[..., 3] - t[..., 1] + 1)
    w = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]) + 1, 0, None)
    h = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]) + 1, 0, None)
    inter = w * h
    union = area(a) + area(b) - inter
    hull = ((np.maximum(a[..., 2], b[..., 2]) - np.minimum(a[..., 0], b[..., 0]) + 1)
            * (np.maximum(a[..., 3], b[..., 3]) - np.minimum(a[..., 1], b[..., 1]) + 1))
    return inter / union - (hull - union) / hull
"""
    rep, _ = grade(tmp_path, "iou", code)
    assert rep.parts["box_iou"] == "pass" and rep.parts["generalized_box_iou"] == "fail"
    assert rep.first_failure.variant.startswith('"+1" pixel areas'), rep.first_failure


def test_nan_where_a_number_is_due_is_said_and_has_no_error_size():
    import numpy as np

    lines = grader.check(np.array([0.0, 0.5, 1.0]), np.array([np.nan, 0.5, 1.0]), exact=False)
    assert "worst at index (0,): expected 0.0, got nan" in lines
    assert "1 of them NaN where a number is expected" in lines
    assert not any(ln.startswith("max abs error") for ln in lines), lines


def test_float32_sized_errors_get_a_hint():
    import numpy as np

    e = np.linspace(0.1, 1.0, 50)
    lines = grader.check(e, e.astype(np.float32).astype(np.float64) * (1 + 3e-6), exact=False)
    assert any(ln.startswith("errors this small: float32 arithmetic") for ln in lines), lines
    lines = grader.check(e, e * 1.01, exact=False)
    assert not any(ln.startswith("errors this small") for ln in lines), lines


def test_an_index_list_is_told_to_convert_with_the_dtype():
    import numpy as np

    lines = grader.check(np.array([0, 2], dtype=np.int64), {"kind": "list", "items": 2},
                         exact=True)
    assert "np.asarray(..., dtype=np.int64)" in lines[0], lines


def test_a_graded_path_that_is_no_file_says_what_it_is(run, tmp_path):
    # a folder, a pipe or a link in a loop were each "no such file" (fault hunt, helper 82)
    import os

    (tmp_path / "conv.py").mkdir()
    os.mkfifo(tmp_path / "bn.py")
    (tmp_path / "nms.py").symlink_to(tmp_path / "nms.py")
    for name, said in (("conv.py", "a folder, not a file"),
                       ("bn.py", "not a regular file (a named pipe (FIFO))"),
                       ("nms.py", "cannot read this file"), ("iou.py", "no such file")):
        r = run("grade", tmp_path / name)
        assert r.exit_code == 2 and f"{tmp_path / name}: {said}" in r.stderr, r.stderr


def test_a_small_result_is_shown_in_full_whatever_its_shape():
    import numpy as np

    # fault hunt 20: a 1-D result of the wrong length said only the shapes (for an NMS, `[0, 2]`
    # against `[0]` says which box was kept too many), and a (1, 1, 3, 3) one was not shown
    said = grader.check(np.array([0, 3], dtype=np.int64), np.array([0, 2, 3], dtype=np.int64),
                        exact=True)
    assert said == ["shape: expected (2,), got (3,)", "expected [0, 3]", "got      [0, 2, 3]"]
    e = np.arange(9.0).reshape(1, 1, 3, 3)
    said = grader.check(e, e + np.eye(3), exact=False)
    assert any(s.startswith("expected\n") and "[[[[0. 1. 2.]" in s for s in said), said
    assert any(s.startswith("got\n") for s in said), said


@pytest.mark.parametrize("override, fails", [
    # (h, w) padding read the wrong way round (fault hunt 37: it passed 4/4 parts)
    ("""
_ref_max, _ref_avg = max_pool2d, avg_pool2d
def _swap(p):
    return p[::-1] if isinstance(p, tuple) else p
def max_pool2d(x, kernel_size, stride=None, padding=0):
    return _ref_max(x, kernel_size, stride, _swap(padding))
def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    return _ref_avg(x, kernel_size, stride, _swap(padding), count_include_pad)
""", "max_pool2d: (h, w) padding unequal"),
    # a backward that takes ints only
    ("""
_ref_bwd = max_pool2d_backward
def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    if isinstance(kernel_size, tuple):
        return None
    return _ref_bwd(dout, x, kernel_size, stride, padding)
""", "max_pool2d_backward: (h, w) kernel, stride and padding")])
def test_pool_pairs_read_wrong_fail(tmp_path, override, fails):
    rep, _ = grade(tmp_path, "pool", reference_with("pool", override))
    assert rep.exit_code == 1 and rep.first_failure.case == fails, rep.first_failure


def test_smooth_l1_with_less_or_equal_fails_where_input_equals_target(tmp_path):
    # `n <= beta` divides 0 by 0 at beta = 0 where x == y: NaN, where torch gives 0 (fault
    # hunt 37: no case had such an element)
    rep, _ = grade(tmp_path, "losses", reference_with("losses", """
def smooth_l1_loss(input, target, beta=1.0, reduction="mean"):
    n = np.abs(np.asarray(input, dtype=float) - np.asarray(target, dtype=float))
    with np.errstate(all="ignore"):
        out = np.where(n <= beta, 0.5 * n * n / beta, n - 0.5 * beta)
    return _reduce(out, reduction)
"""))
    assert rep.exit_code == 1
    assert rep.first_failure.case == "smooth_l1_loss beta=0 where input equals target", \
        rep.first_failure
