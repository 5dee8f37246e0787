"""The `norm` exercise: its reference against hand-derived vectors and exact rational
arithmetic (always) and torch (when installed), its stub's examples, a loop-style and a
vectorised correct solution, and every known wrong convention recognised."""

import subprocess
import sys
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest

import exkit
from conftest import REPO
from prepcli.drills.sandbox import Limits

EX = exkit.catalog("norm")
LN, GN, RMS = EX.LN, EX.GN, EX.RMS
LOOP = exkit.DATA / "loop_norm.py"
VECTOR = exkit.DATA / "vector_norm.py"
FAST = Limits(case_seconds=5, timing_case_seconds=10, cpu_seconds=60)

# Each known wrong convention as a user would write it: lines of tests/data/vector_norm.py
# changed. (name of the variant, edits)
WRONG = [
    ("unbiased variance (divided by n - 1)",
     [("x.var(axis=axes, keepdims=True)", "x.var(axis=axes, keepdims=True, ddof=1)")]),
    ("eps outside the square root",
     [("np.sqrt(var + eps)", "(np.sqrt(var) + eps)"),
      ("np.sqrt(ms + eps)", "(np.sqrt(ms) + eps)")]),
    ("statistics over the batch axis (as batch norm)",
     [("_normalise(x, _last_axes(x, normalized_shape), eps)", "_normalise(x, (0,), eps)"),
      ("x.reshape(N, num_groups, -1), (2,), eps", "x.reshape(N, num_groups, -1), (0, 2), eps"),
      ("axis=_last_axes(x, normalized_shape), keepdims", "axis=0, keepdims")]),
    ("groups taken as interleaved channels",
     [("x.reshape(N, num_groups, -1), (2,), eps",
       "x.reshape(N, C // num_groups, num_groups, -1), (1, 3), eps")]),
]
WRONG_IDS = [name[:30] for name, _ in WRONG]


def wrong_file(tmp_path, edits):
    path = tmp_path / "norm.py"
    path.write_text(exkit.rewrite(VECTOR.read_text(encoding="utf-8"), edits), encoding="utf-8")
    return path


# --- the reference ------------------------------------------------------------------------

@pytest.mark.parametrize("vector", exkit.vectors("norm"), ids=lambda v: v["source"][:40])
def test_reference_matches_hand_derived_vectors(vector):
    got = EX.EXERCISE.references[vector["fn"]](*vector["args"], **vector["kwargs"])
    np.testing.assert_allclose(got, vector["expected"], rtol=0, atol=1e-12,
                               err_msg=vector["source"])


def _exact(values, eps, centre=True):
    """One sample's (or group's) normalised values in exact rational arithmetic, rounded once
    at the end (the square root in 50-digit decimals)."""
    xs = [Fraction(float(v)) for v in values]
    mean = sum(xs) / len(xs) if centre else Fraction(0)
    dev = [v - mean for v in xs]
    ms = sum(d * d for d in dev) / len(xs) + Fraction(eps)
    with localcontext() as ctx:
        ctx.prec = 50
        root = (Decimal(ms.numerator) / Decimal(ms.denominator)).sqrt()
        return [float(Decimal(d.numerator) / Decimal(d.denominator) / root) for d in dev]


def test_large_offsets_are_exact_to_1e_12():
    """At an offset of 1e6 any float64 mean is off by up to ~6e-11 (half a unit in the last
    place of 1e6), and the normalised values with it; the reference refines its mean, so it
    is checked against exact arithmetic instead (torch is ~1e-10 away from it there)."""
    checked = 0
    for case in EX.EXERCISE.cases():
        if "large offset" not in case.name:
            continue
        x, second = case.args
        eps = case.kwargs.get("eps", 1e-6 if case.fn == RMS else 1e-5)
        rows = x.reshape(x.shape[0] * second, -1) if case.fn == GN else x.reshape(x.shape[0], -1)
        exact = np.array([_exact(r, eps, centre=case.fn != RMS) for r in rows]).reshape(x.shape)
        np.testing.assert_allclose(case.expected(), exact, rtol=0, atol=1e-12, err_msg=case.name)
        checked += 1
    assert checked == 3


def test_stub_examples_hold_for_the_reference():
    result = exkit.stub_doctests("norm")
    assert result.attempted >= 6 and result.failed == 0


def test_cases_cover_the_contract():
    cases = EX.EXERCISE.cases()
    for part in (LN, GN, RMS):
        mine = [c for c in cases if c.part == part]
        count = {cat: sum(c.category == cat for c in mine) for cat in
                 ("example", "edge", "random", "timing")}
        assert count["example"] >= 2 and count["edge"] >= 6 and count["random"] >= 6
        assert count["timing"] == 1
        assert all(c.seed is not None for c in mine if c.category in ("random", "timing"))
        assert any("weight" not in c.kwargs and "bias" not in c.kwargs for c in mine)
        assert any("large offset" in c.name for c in mine)
    for fn in (LN, RMS):
        kinds = {type(c.args[1]) for c in cases if c.fn == fn}
        assert kinds == {int, tuple, list}
    groups = [(c.args[0], c.args[1]) for c in cases if c.fn == GN]
    assert any(g == 1 for _, g in groups) and any(g == x.shape[1] > 1 for x, g in groups)
    assert {x.ndim for x, _ in groups} >= {2, 3, 4}
    assert all(x[0].size // g > 1 for x, g in groups)  # torch refuses a group of one value


def test_the_module_does_not_load_numpy_when_imported():
    code = ("import sys, prepcli.catalog.norm as m; m.EXERCISE.hints\n"
            "print(any(k.startswith('numpy.') for k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO)
    assert out.stdout.strip() == "False"


# --- against torch ------------------------------------------------------------------------

def _torch(torch, case):
    F = torch.nn.functional
    x, second = case.args
    t = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v
         for k, v in case.kwargs.items()}
    x = torch.from_numpy(x)
    if case.fn == GN:
        return F.group_norm(x, second, t.get("weight"), t.get("bias"), t.get("eps", 1e-5))
    shape = (second,) if isinstance(second, int) else tuple(second)
    if case.fn == LN:
        return F.layer_norm(x, shape, t.get("weight"), t.get("bias"), t.get("eps", 1e-5))
    return F.rms_norm(x, shape, t.get("weight"), t.get("eps", 1e-6))  # eps passed explicitly


def _sweep(seed):
    """One seeded case of each function."""
    rng = np.random.default_rng(seed)
    n, c = int(rng.integers(1, 5)), int(rng.integers(2, 9))
    x = rng.normal(rng.normal(0, 10), rng.uniform(0.1, 5),
                   size=(n, c) + tuple(int(v) for v in rng.integers(1, 6, size=seed % 4)))
    k = int(rng.integers(1, x.ndim))
    shape = x.shape[x.ndim - k:]
    eps = {} if seed % 3 else {"eps": float(rng.uniform(0, 0.1))}
    affine = {} if seed % 2 else {"weight": rng.normal(size=shape), "bias": rng.normal(size=shape)}
    size = x.size // n  # torch refuses a group of one value: groups hold two or more
    g = int(rng.choice([d for d in range(1, c + 1) if c % d == 0 and size // d > 1]))
    per_c = {} if seed % 5 == 0 else {"weight": rng.normal(size=c), "bias": rng.normal(size=c)}
    rms = {} if seed % 2 else {"weight": rng.normal(size=shape)}
    return [EX._case(LN, f"sweep {seed}", "random", x, list(shape), **affine, **eps),
            EX._case(GN, f"sweep {seed}", "random", x, g, **per_c, **eps),
            EX._case(RMS, f"sweep {seed}", "random", x, tuple(shape), **rms, **eps)]


TORCH_SEEDS = range(200)


def test_reference_agrees_with_torch_to_1e_10():
    torch = pytest.importorskip("torch")
    cases = ([c for c in EX.EXERCISE.cases() if "large offset" not in c.name]
             + [c for s in TORCH_SEEDS for c in _sweep(s)])
    worst = 0.0
    for case in cases:
        ref = EX.EXERCISE.references[case.fn](*case.args, **case.kwargs)
        got = _torch(torch, case).numpy()
        assert got.shape == ref.shape, case.name
        err = float(np.max(np.abs(got - ref)))
        assert err <= 1e-10, (case.name, err)
        worst = max(worst, err)
    print(f"norm vs torch: {len(cases)} checks, max abs error {worst:.3g}")


def test_large_offsets_agree_with_torch_to_its_rounding():
    torch = pytest.importorskip("torch")
    for case in EX.EXERCISE.cases():
        if "large offset" in case.name:
            err = float(np.max(np.abs(_torch(torch, case).numpy() - case.expected())))
            assert err <= 5e-10, (case.name, err)


# --- correct solutions --------------------------------------------------------------------

@pytest.mark.parametrize("path", [LOOP, VECTOR], ids=["loop", "vectorised"])
def test_correct_solutions_pass_every_case_in_process(path):
    assert exkit.in_process_failures("norm", exkit.load_file(path)) == []


@pytest.mark.parametrize("name,edits", WRONG, ids=WRONG_IDS)
def test_each_wrong_convention_differs_and_its_variant_explains_it(tmp_path, name, edits):
    module = exkit.load_file(wrong_file(tmp_path, edits))
    differs, unexplained = exkit.variant_agreement("norm", name, module)
    assert differs >= 1
    assert unexplained == []


# --- graded end to end --------------------------------------------------------------------

@pytest.mark.parametrize("path", [LOOP, VECTOR], ids=["loop", "vectorised"])
def test_correct_solutions_pass_the_grader_and_are_told_no_variant(path):
    exkit.assert_passes_every_case("norm", exkit.grade("norm", path, FAST))


def test_the_stub_is_not_implemented():
    stub = REPO / "exercises" / "norm.py"
    exkit.assert_nothing_implemented(exkit.grade("norm", stub, FAST))


@pytest.mark.parametrize("name,edits", WRONG, ids=WRONG_IDS)
def test_each_wrong_convention_fails_and_is_named(tmp_path, name, edits):
    report = exkit.grade("norm", wrong_file(tmp_path, edits), FAST)
    exkit.assert_fails_and_is_named(report, name)


def test_the_benchmark_runs():
    out = subprocess.run([sys.executable, "-m", "bench.refs_norm", "--quick"], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "loop over" in out.stdout


def test_the_solution_prep_drill_shows_is_complete():
    assert exkit.shown_solution_failures("norm") == []
