"""interp: bilinear_resize and roi_align against hand-derived vectors (always), against torch
and the compiled torchvision kernel (where installed), the stub's examples, a loop-style
solution, and every known wrong convention."""

import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO
from solutionkit import (DATA, derived, graded, load, max_diff, mistake_file_is_named,
                         variant_reproduces_mistake, vectors)
from prepcli.catalog import interp
from prepcli.catalog.interp import bilinear_resize, roi_align

EX = interp.EXERCISE
LOOP = DATA / "loop_interp.py"
RAMP4 = np.arange(16.0).reshape(1, 1, 4, 4)
NAMED = {"ramp4": RAMP4, "ramp4_and_plus100": np.concatenate([RAMP4, RAMP4 + 100])}


def _call(fn, v):
    x = NAMED[v["x"]] if isinstance(v["x"], str) else np.asarray(v["x"], dtype=np.float64)
    if v["fn"] == "bilinear_resize":
        return fn["bilinear_resize"](x, tuple(v["size"]), **v["kwargs"])
    size = v["output_size"] if isinstance(v["output_size"], int) else tuple(v["output_size"])
    return fn["roi_align"](x, np.asarray(v["boxes"], dtype=np.float64), size, **v["kwargs"])


@pytest.mark.parametrize("impl", ["reference", "loop"])
def test_hand_derived_vectors(impl):
    fns = EX.references if impl == "reference" else vars(load(LOOP))
    data = vectors("interp")
    assert data["source"] and len(data["vectors"]) >= 15
    for v in data["vectors"]:
        got = _call(fns, v)
        assert max_diff(got, v["expected"]) <= 1e-12, (v["derivation"], got)



def test_the_example_cases_are_the_stub_examples():
    stub = (REPO / "exercises" / "interp.py").read_text(encoding="utf-8")
    examples = [c for c in EX.cases() if c.category == "example"]
    assert len(examples) == 6
    for c in examples:  # each example's expected output is printed in the stub
        shown = np.array2string(c.expected()[0, 0], separator=", ")
        assert shown.replace(" ", "").replace("\n", "") in stub.replace(" ", "").replace(
            "\n", ""), c.name


def test_cases_cover_the_edges_and_carry_seeds():
    cases = EX.cases()
    cats = {c.category for c in cases}
    assert cats == {"example", "edge", "random", "timing"}
    assert all(c.seed is not None for c in cases if c.category in ("random", "timing"))
    roi = [c for c in cases if c.fn == "roi_align"]
    kw = [c.kwargs for c in roi]
    assert any(k.get("sampling_ratio", -1) > 0 for k in kw)
    assert any(k.get("aligned") for k in kw) and any(k.get("spatial_scale", 1) != 1 for k in kw)
    assert {type(c.args[2]) for c in roi} == {int, tuple}
    assert any(c.args[1].shape[0] == 0 for c in roi)
    assert any(len(set(c.args[1][:, 0])) > 1 for c in roi)  # several batch indices
    resize = [c for c in cases if c.fn == "bilinear_resize"]
    assert any(c.args[1] == (1, 1) and c.kwargs.get("align_corners") for c in resize)
    assert any(c.args[1][0] > c.args[0].shape[2] for c in resize)  # upsampling
    assert any(c.args[1][0] < c.args[0].shape[2] for c in resize)  # downsampling


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
        before = [a.copy() if isinstance(a, np.ndarray) else a for a in c.args]
        c.reference(*c.args, **c.kwargs)
        for a, b in zip(c.args, before):
            assert not isinstance(a, np.ndarray) or np.array_equal(a, b)


# --- independent checks: torch and torchvision (skipped where not installed) ------------

def _torch_resize(x, size, align_corners=False):
    torch = pytest.importorskip("torch")
    return torch.nn.functional.interpolate(torch.from_numpy(x), size=size, mode="bilinear",
                                           align_corners=align_corners,
                                           antialias=False).numpy()


def _tv_roi_align(x, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    """The compiled kernel itself (torchvision.ops.roi_align may fall back to Python)."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("torchvision")
    ph, pw = (output_size, output_size) if isinstance(output_size, int) else output_size
    return torch.ops.torchvision.roi_align(torch.from_numpy(x), torch.from_numpy(boxes),
                                           spatial_scale, ph, pw, sampling_ratio,
                                           aligned).numpy()


def test_every_case_agrees_with_torch_and_torchvision():
    worst = {}
    for c in EX.cases():
        theirs = (_torch_resize if c.fn == "bilinear_resize" else _tv_roi_align)(
            *c.args, **c.kwargs)
        worst[c.fn] = max(worst.get(c.fn, 0.0), max_diff(c.expected(), theirs))
    print(f"max abs difference on the cases: {worst}")
    assert max(worst.values()) <= 1e-10


def test_seeded_sweep_agrees_with_torch():
    rng = np.random.default_rng(7)
    worst = 0.0
    for _ in range(300):
        shape = (int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(1, 20)),
                 int(rng.integers(1, 20)))
        size = (int(rng.integers(1, 25)), int(rng.integers(1, 25)))
        x = rng.normal(size=shape)
        ac = bool(rng.integers(0, 2))
        worst = max(worst, max_diff(bilinear_resize(x, size, ac), _torch_resize(x, size, ac)))
    print(f"bilinear_resize, 300 random shapes: max abs difference {worst:.3g}")
    assert worst <= 1e-10


def test_seeded_sweep_agrees_with_the_torchvision_kernel():
    """Boxes on a quarter-pixel grid and power-of-two scales put samples exactly on the
    borders (-1, 0, H - 1, H) where the rules change; others are arbitrary floats."""
    rng = np.random.default_rng(11)
    worst = 0.0
    for i in range(300):
        n, c = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        h, w = int(rng.integers(1, 14)), int(rng.integers(1, 14))
        k = int(rng.integers(0, 9))
        scale = float(rng.choice([1.0, 0.5, 0.25, 0.3]))
        xy = rng.uniform(-4, max(h, w) + 2, size=(k, 2))
        wh = rng.uniform(0.01, max(h, w) * 0.8, size=(k, 2))
        b = np.hstack([rng.integers(0, n, size=(k, 1)), xy, xy + wh]).astype(np.float64)
        if i % 2:
            b[:, 1:] = np.round(b[:, 1:] * 4) / 4
            b[:, 3:] = np.maximum(b[:, 3:], b[:, 1:3] + 0.25)
        b[:, 1:] /= scale
        size = int(rng.integers(1, 5)) if i % 3 else (int(rng.integers(1, 5)),
                                                      int(rng.integers(1, 5)))
        kw = dict(spatial_scale=scale, sampling_ratio=int(rng.choice([-1, 0, 1, 2, 3])),
                  aligned=bool(rng.integers(0, 2)))
        x = rng.normal(size=(n, c, h, w))
        worst = max(worst, max_diff(roi_align(x, b, size, **kw), _tv_roi_align(x, b, size, **kw)))
    print(f"roi_align, 300 random configurations: max abs difference {worst:.3g}")
    assert worst <= 1e-10


# --- known wrong conventions, as a user would write them ----------------------------------

# (variant name, the functions the mistake touches, edits to the loop solution)
MISTAKES = [
    ("align_corners swapped", {"bilinear_resize"},
     [("def bilinear_resize(x, size, align_corners=False):\n",
       "def bilinear_resize(x, size, align_corners=False):\n    align_corners = not align_corners\n")]),
    ("half-pixel offset missing", {"bilinear_resize", "roi_align"},
     [("return max((i + 0.5) * n_in / n_out - 0.5, 0.0)  # half-pixel", "return i * n_in / n_out"),
      ("offset = 0.5 if aligned else 0.0  # half-pixel", "offset = 0.0")]),
    ("half-pixel offset missing", {"roi_align"},
     [("offset = 0.5 if aligned else 0.0  # half-pixel", "offset = 0.0")]),
    ("bin samples summed instead of averaged", {"roi_align"},
     [("total / count  # average", "total")]),
    ("out-of-range samples not zeroed", {"roi_align"},
     [("    if y < -1.0 or y > h or x < -1.0 or x > w:\n        return 0.0  # zero outside\n", "")]),
]
MISTAKE_IDS = [f"{name} ({', '.join(sorted(fns))})" for name, fns, _ in MISTAKES]


@pytest.mark.parametrize("name,fns,edits", MISTAKES, ids=MISTAKE_IDS)
def test_each_variant_computes_what_the_mistake_gives(tmp_path, name, fns, edits):
    variant_reproduces_mistake(tmp_path, EX, LOOP, name, fns, edits)


# --- graded in the sandbox, as `prep grade` does ----------------------------------------

def test_the_loop_solution_passes_every_case_when_graded():
    report = graded(LOOP, "interp")
    assert report.exit_code == 0 and report.first_failure is None
    assert report.cases_passed == len(report.cases) == len(EX.cases())


def test_an_unrelated_mistake_is_not_named_a_variant(tmp_path):
    """A wrong answer that is none of the known conventions gets no convention named."""
    path = derived(tmp_path, LOOP, "interp", ("return out\n\n\ndef _sample", "return out.T.T * 1.01\n\n\ndef _sample"))
    report = graded(path, "interp")
    assert report.exit_code == 1 and report.first_failure.variant == ""


@pytest.mark.slow  # one sandboxed grade of the loop solution per variant (~2 s each)
@pytest.mark.parametrize("name,fns,edits", MISTAKES, ids=MISTAKE_IDS)
def test_each_variant_file_fails_and_is_named(tmp_path, name, fns, edits):
    mistake_file_is_named(tmp_path, "interp", LOOP, name, fns, edits)


@pytest.mark.parametrize("question,exercise", [
    ("解释 ROI Pooling 和 ROI Align 的区别", "interp"), ("How does RoIAlign work?", "interp"),
    ("双线性插值的公式", "interp"), ("上采样有什么方式？", "interp"),
    ("bilinear upsampling, by hand", "interp"),
    ("MaxPooling", "pool"), ("最大池化可以去掉吗", "pool"),
])
def test_card_questions_link_to_the_right_exercise(question, exercise):
    from prepcli.catalog import exercise_for

    assert exercise_for(question) == exercise


def test_benchmark_runs_quick():
    """python -m bench.refs_interp --quick, from the repository (bench is not installed)."""
    r = subprocess.run([sys.executable, "-m", "bench.refs_interp", "--quick"], cwd=REPO,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    rows = [ln for ln in r.stdout.splitlines()[2:] if ln.strip()]
    assert len(rows) >= 2 and all(float(ln.split()[-1]) > 0 for ln in rows)
