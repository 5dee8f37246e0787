"""ap: average_precision and detection_ap against hand-derived vectors (always), scikit-learn
(where installed) and an independent straightforward implementation, the stub's examples, a
loop-style solution, and every known wrong convention."""

import math
import subprocess
import sys
import warnings

import numpy as np
import pytest

from conftest import REPO
from solutionkit import (DATA, derived, graded, load, max_diff, mistake_file_is_named,
                         variant_reproduces_mistake, vectors)
from prepcli.catalog import ap
from prepcli.catalog.ap import average_precision, detection_ap

EX = ap.EXERCISE
LOOP = DATA / "loop_ap.py"


def _det_args(v):
    return (np.asarray(v["pred_boxes"], dtype=np.float64).reshape(-1, 4),
            np.asarray(v["pred_scores"], dtype=np.float64),
            np.asarray(v["pred_image_ids"], dtype=np.int64),
            np.asarray(v["gt_boxes"], dtype=np.float64).reshape(-1, 4),
            np.asarray(v["gt_image_ids"], dtype=np.int64))


def _expected(v):
    return math.nan if v["expected"] == "nan" else v["expected"]


@pytest.mark.parametrize("impl", ["reference", "loop"])
def test_hand_derived_vectors(impl):
    fns = EX.references if impl == "reference" else vars(load(LOOP))
    data = vectors("ap")
    assert data["source"]
    for v in data["average_precision"]:
        labels = np.asarray(v["labels"], dtype=bool if v.get("labels_bool") else np.int64)
        got = fns["average_precision"](np.asarray(v["scores"], dtype=np.float64), labels)
        assert max_diff(got, v["expected"]) <= 1e-12, v["derivation"]
    for v in data["detection_ap"]:
        got = fns["detection_ap"](*_det_args(v), iou_threshold=v["iou_threshold"])
        assert max_diff(got, _expected(v)) <= 1e-12, v["derivation"]


def test_results_are_python_floats():
    for c in EX.cases():
        assert type(c.expected()) is float, c.name



def test_cases_cover_the_edges_and_carry_seeds():
    cases = EX.cases()
    assert {c.category for c in cases} == {"example", "edge", "random", "timing"}
    assert all(c.seed is not None for c in cases if c.category in ("random", "timing"))
    avg = [c for c in cases if c.fn == "average_precision"]
    assert any(c.args[1].dtype == bool for c in avg)
    assert any(not c.args[1].any() for c in avg) and any(c.args[1].all() for c in avg)
    assert any(len(np.unique(c.args[0])) < len(c.args[0]) for c in avg)  # ties
    det = [c for c in cases if c.fn == "detection_ap"]
    values = [c.expected() for c in det]
    assert any(math.isnan(v) for v in values) and 0.0 in values
    assert any(not set(c.args[2]) <= set(c.args[4]) for c in det)  # images without ground truth


def test_loop_solution_gives_every_expected_output():
    loop = load(LOOP)
    for c in EX.cases():
        got = getattr(loop, c.fn)(*c.args, **c.kwargs)
        assert max_diff(got, c.expected()) <= 1e-10, c.name


def test_every_variant_differs_from_the_reference_on_some_case():
    cases = EX.cases()
    for v in EX.variants:
        outs = [(c, v.compute(c)) for c in cases]
        differing = [c.name for c, o in outs if o is not None and max_diff(o, c.expected()) > 1e-6]
        assert differing, v.name


def test_reference_does_not_modify_its_inputs():
    for c in EX.cases():
        before = [a.copy() for a in c.args]
        c.reference(*c.args, **c.kwargs)
        assert all(np.array_equal(a, b) for a, b in zip(c.args, before))


# --- independent checks ------------------------------------------------------------------

def _sklearn_ap(scores, labels):
    metrics = pytest.importorskip("sklearn.metrics")
    if not np.any(labels == 1):
        return 0.0  # scikit-learn warns and returns 0 (versions differ in how)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return metrics.average_precision_score(labels, scores)


def test_every_case_agrees_with_scikit_learn():
    worst = max(max_diff(c.expected(), _sklearn_ap(*c.args)) for c in EX.cases()
                if c.fn == "average_precision")
    print(f"average_precision cases: max abs difference {worst:.3g}")
    assert worst <= 1e-10


def test_seeded_sweep_agrees_with_scikit_learn():
    rng = np.random.default_rng(3)
    worst = 0.0
    for i in range(300):
        n = int(rng.integers(1, 80))
        scores = rng.normal(size=n)
        if i % 2:
            scores = np.round(scores * 2)  # many ties
        labels = rng.uniform(size=n) < rng.uniform(0, 1)
        labels = labels if i % 3 else labels.astype(np.int64)
        worst = max(worst, max_diff(average_precision(scores, labels), _sklearn_ap(scores, labels)))
    print(f"average_precision, 300 random rankings: max abs difference {worst:.3g}")
    assert worst <= 1e-10


def independent_detection_ap(pb, ps, pi, gb, gi, iou_threshold=0.5):
    """Written from the contract alone, on purpose unlike the reference and the loop solution:
    pairwise IoU per image from a formula on whole rows, and the VOC devkit's sentinel form of
    the all-point area (mrec = [0, rec, 1], mpre = [0, prec, 0])."""
    n_gt = len(gb)
    if n_gt == 0:
        return math.nan
    order = sorted(range(len(ps)), key=lambda i: (-ps[i], i))
    taken = np.zeros(n_gt, dtype=bool)
    tp = []
    for p in order:
        same = np.flatnonzero((gi == pi[p]) & ~taken)
        ix = np.clip(np.minimum(pb[p, 2], gb[same, 2]) - np.maximum(pb[p, 0], gb[same, 0]), 0, None)
        iy = np.clip(np.minimum(pb[p, 3], gb[same, 3]) - np.maximum(pb[p, 1], gb[same, 1]), 0, None)
        inter = ix * iy
        union = ((pb[p, 2] - pb[p, 0]) * (pb[p, 3] - pb[p, 1])
                 + (gb[same, 2] - gb[same, 0]) * (gb[same, 3] - gb[same, 1]) - inter)
        iou = [a / u if u > 0 else 0.0 for a, u in zip(inter, union)]
        best = max(range(len(same)), key=lambda j: (iou[j], -same[j]), default=None)
        hit = best is not None and iou[best] >= iou_threshold
        if hit:
            taken[same[best]] = True
        tp.append(1.0 if hit else 0.0)
    tp_c = np.cumsum(tp)
    fp_c = np.cumsum([1.0 - t for t in tp])
    rec = tp_c / n_gt
    prec = tp_c / np.maximum(tp_c + fp_c, np.finfo(np.float64).eps)
    mrec = np.concatenate([[0.0], rec, [1.0]])
    mpre = np.concatenate([[0.0], prec, [0.0]])
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = max(mpre[i - 1], mpre[i])
    i = np.flatnonzero(mrec[1:] != mrec[:-1])
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def test_every_case_agrees_with_an_independent_implementation():
    worst = max(max_diff(c.expected(), independent_detection_ap(*c.args, **c.kwargs))
                for c in EX.cases() if c.fn == "detection_ap")
    print(f"detection_ap cases: max abs difference {worst:.3g}")
    assert worst <= 1e-10


def test_seeded_sweep_agrees_with_an_independent_implementation():
    """Integer boxes on a small grid and scores in steps of 0.25: equal scores, equal IoUs
    and IoUs exactly at the threshold all happen often."""
    rng = np.random.default_rng(5)
    worst, n_nan = 0.0, 0
    for i in range(300):
        images = int(rng.integers(1, 4))
        g, p = int(rng.integers(0, 8)), int(rng.integers(0, 12))
        def boxes(k):
            xy = rng.integers(0, 6, size=(k, 2))
            return np.hstack([xy, xy + rng.integers(1, 4, size=(k, 2))]).astype(np.float64)
        gb, pb = boxes(g), boxes(p)
        gi, pi = rng.integers(0, images, size=g), rng.integers(0, images + 1, size=p)
        ps = rng.integers(0, 4, size=p) / 4
        thr = float(rng.choice([0.5, 1 / 3, 0.25, 0.75]))
        ours = detection_ap(pb, ps, pi, gb, gi, iou_threshold=thr)
        theirs = independent_detection_ap(pb, ps, pi, gb, gi, iou_threshold=thr)
        n_nan += math.isnan(ours)
        worst = max(worst, max_diff(ours, theirs))
    print(f"detection_ap, 300 random sets: max abs difference {worst:.3g} ({n_nan} NaN)")
    assert worst <= 1e-10 and 0 < n_nan < 300


# --- known wrong conventions, as a user would write them ----------------------------------

ALL_POINT = """    ap, prev = 0.0, 0.0
    for p, r in zip(precision, recall):
        ap += (r - prev) * p  # all-point
        prev = r
    return ap
"""
ELEVEN = """    import numpy as np
    levels = np.arange(0.0, 1.1, 0.1)
    return sum(max([p for p, r in zip(precision, recall) if r >= t], default=0.0)
               for t in levels) / 11
"""
# (variant name, the functions the mistake touches, edits to the loop solution)
MISTAKES = [
    ("11-point interpolation (VOC 2007)", {"detection_ap"}, [(ALL_POINT, ELEVEN)]),
    ("a ground truth matched twice (VOC-style greedy)", {"detection_ap"},
     [("            if taken[g]:  # matched already\n                continue\n", ""),
      ("best_iou >= iou_threshold:  # threshold",
       "best_iou >= iou_threshold and not taken[best]:")]),
    ("IoU strictly greater than the threshold", {"detection_ap"},
     [("best_iou >= iou_threshold:  # threshold", "best_iou > iou_threshold:")]),
    ("no monotone precision envelope", {"detection_ap"},
     [("precision[i] = max(precision[i], precision[i + 1])  # envelope", "pass")]),
    ("tied scores taken one at a time", {"average_precision"},
     [("        if i + 1 < len(ranked) and ranked[i + 1][0] == score:\n"
       "            continue  # tied scores: one threshold\n", "")]),
]
MISTAKE_IDS = [name for name, _, _ in MISTAKES]


@pytest.mark.parametrize("name,fns,edits", MISTAKES, ids=MISTAKE_IDS)
def test_each_variant_computes_what_the_mistake_gives(tmp_path, name, fns, edits):
    variant_reproduces_mistake(tmp_path, EX, LOOP, name, fns, edits)


# --- graded in the sandbox, as `prep grade` does ----------------------------------------

def test_the_loop_solution_passes_every_case_when_graded():
    report = graded(LOOP, "ap")
    assert report.exit_code == 0 and report.first_failure is None
    assert report.cases_passed == len(report.cases) == len(EX.cases())


def test_an_unrelated_mistake_is_not_named_a_variant(tmp_path):
    """A wrong answer that is none of the known conventions gets no convention named."""
    path = derived(tmp_path, LOOP, "ap", ("        return 0.0\n    ap, tp", "        return 0.0\n    ap, tp = 0.01, 0\n    _, tp"))
    report = graded(path, "ap")
    assert report.exit_code == 1 and report.first_failure.variant == ""


@pytest.mark.slow  # one sandboxed grade of the loop solution per variant (~2 s each)
@pytest.mark.parametrize("name,fns,edits", MISTAKES, ids=MISTAKE_IDS)
def test_each_variant_file_fails_and_is_named(tmp_path, name, fns, edits):
    mistake_file_is_named(tmp_path, "ap", LOOP, name, fns, edits)


@pytest.mark.parametrize("question,exercise", [
    ("AP50", "ap"), ("mAP 怎么计算", "ap"), ("目标检测评价标准", "ap"),
    ("What is average precision?", "ap"), ("PR 曲线下的面积", "ap"),
    ("GAP", None), ("feature map 是什么", None), ("MAP estimation", None),
])
def test_card_questions_link_to_the_right_exercise(question, exercise):
    from prepcli.catalog import exercise_for

    assert exercise_for(question) == exercise


def test_benchmark_runs_quick():
    """python -m bench.refs_ap --quick, from the repository (bench is not installed)."""
    r = subprocess.run([sys.executable, "-m", "bench.refs_ap", "--quick"], cwd=REPO,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    rows = [ln for ln in r.stdout.splitlines()[2:] if ln.strip()]
    assert len(rows) >= 2 and all(float(ln.split()[-1]) > 0 for ln in rows)
