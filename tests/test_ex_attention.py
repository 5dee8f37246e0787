"""The `attention` exercise: its reference against hand-derived vectors (always) and torch
(when installed), its stub's examples, a loop-style and a vectorised correct solution, and
every known wrong convention recognised."""

import math
import subprocess
import sys

import numpy as np
import pytest

import exkit
from conftest import REPO
from prepcli.drills.sandbox import Limits

EX = exkit.catalog("attention")
SDPA, MHA = EX.SDPA, EX.MHA
LOOP = exkit.DATA / "loop_attention.py"
VECTOR = exkit.DATA / "vector_attention.py"
FAST = Limits(case_seconds=5, timing_case_seconds=10, cpu_seconds=60)

# Each known wrong convention as a user would write it: lines of tests/data/vector_attention.py
# changed. (name of the variant, edits, the parts whose cases the variant must explain)
WRONG = [
    ("scale 1/E instead of 1/sqrt(E)",
     [("scale = 1 / np.sqrt(q.shape[-1])", "scale = 1 / q.shape[-1]"),
      ("scale=1 / np.sqrt(d)", "scale=1 / d")], None),
    ("scale 1/sqrt(E) of the whole model in multi-head attention",
     [("scale=1 / np.sqrt(d)", "scale=1 / np.sqrt(E)")], None),
    ("softmax over the query axis", [("_softmax(s, axis=-1)", "_softmax(s, axis=-2)")], None),
    # Inverted in SDPA (and so in multi-head, which calls it with ~mask) ...
    ("bool mask polarity inverted",
     [("np.where(attn_mask, s, -np.inf)", "np.where(~attn_mask, s, -np.inf)")], None),
    # ... or only in multi-head: SDPA's convention carried over to nn.MultiheadAttention's.
    ("bool mask polarity inverted",
     [("mask = ~mask  # nn.MultiheadAttention: True = not allowed", "mask = mask")], (MHA,)),
    ("heads split across the wrong axis (reshape without transpose)",
     [("x.reshape(N, -1, num_heads, d).transpose(0, 2, 1, 3)", "x.reshape(N, num_heads, -1, d)"),
      ("o.transpose(0, 2, 1, 3).reshape(N, L, E)", "o.reshape(N, L, E)")], None),
]
WRONG_IDS = [f"{name[:30]}-{i}" for i, (name, _, _) in enumerate(WRONG)]


def wrong_file(tmp_path, edits):
    path = tmp_path / "attention.py"
    path.write_text(exkit.rewrite(VECTOR.read_text(encoding="utf-8"), edits), encoding="utf-8")
    return path


# --- the reference ------------------------------------------------------------------------

@pytest.mark.parametrize("vector", exkit.vectors("attention"), ids=lambda v: v["source"][:40])
def test_reference_matches_hand_derived_vectors(vector):
    got = EX.EXERCISE.references[vector["fn"]](*vector["args"], **vector["kwargs"])
    np.testing.assert_allclose(got, vector["expected"], rtol=0, atol=1e-12,
                               err_msg=vector["source"])


def test_stub_examples_hold_for_the_reference():
    result = exkit.stub_doctests("attention")
    assert result.attempted >= 5 and result.failed == 0


def test_cases_cover_the_contract():
    cases = EX.EXERCISE.cases()
    by = lambda part, cat: [c for c in cases if c.part == part and c.category == cat]  # noqa: E731
    for part in (SDPA, MHA):
        assert len(by(part, "example")) >= 2 and len(by(part, "edge")) >= 6
        assert len(by(part, "random")) >= 6 and len(by(part, "timing")) == 1
        assert all(c.seed is not None for c in by(part, "random") + by(part, "timing"))
    sdpa = [c for c in cases if c.fn == SDPA]
    masks = [c.kwargs["attn_mask"] for c in sdpa if c.kwargs.get("attn_mask") is not None]
    assert any(m.dtype == bool for m in masks) and any(m.dtype == np.float64 for m in masks)
    assert any(c.kwargs.get("is_causal") and c.args[0].shape[-2] != c.args[1].shape[-2]
               for c in sdpa)
    assert any(c.kwargs.get("scale") is not None for c in sdpa)
    mha = [c for c in cases if c.fn == MHA]
    mha_masks = [c.kwargs["attn_mask"] for c in mha if c.kwargs.get("attn_mask") is not None]
    assert {m.ndim for m in mha_masks} == {2, 3}
    assert {m.dtype.kind for m in mha_masks} == {"b", "f"}
    assert any(c.args[5] is None and c.args[7] is None for c in mha)


def test_no_case_masks_a_whole_row_under_either_polarity():
    for c in EX.EXERCISE.cases():
        m = c.kwargs.get("attn_mask")
        if m is None:
            continue
        if m.dtype == bool:
            assert m.any(axis=-1).all() and (~m).any(axis=-1).all(), c.name
        else:
            assert np.isfinite(m).any(axis=-1).all(), c.name


def test_the_module_does_not_load_numpy_when_imported():
    code = ("import sys, prepcli.catalog.attention as m; m.EXERCISE.hints\n"
            "print(any(k.startswith('numpy.') for k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO)
    assert out.stdout.strip() == "False"


# --- against torch ------------------------------------------------------------------------

def _torch_sdpa(torch, q, k, v, **kw):
    F = torch.nn.functional
    t = {key: torch.from_numpy(val) if isinstance(val, np.ndarray) else val
         for key, val in kw.items()}
    return F.scaled_dot_product_attention(*(torch.from_numpy(a) for a in (q, k, v)), **t).numpy()


def _torch_mha(torch, query, key, value, h, w, b, wo, bo, attn_mask=None):
    e = query.shape[-1]
    m = torch.nn.MultiheadAttention(e, h, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        m.in_proj_weight.copy_(torch.from_numpy(w))
        m.in_proj_bias.copy_(torch.zeros(3 * e) if b is None else torch.from_numpy(b))
        m.out_proj.weight.copy_(torch.from_numpy(wo))
        m.out_proj.bias.copy_(torch.zeros(e) if bo is None else torch.from_numpy(bo))
        mask = None if attn_mask is None else torch.from_numpy(attn_mask)
        return m(*(torch.from_numpy(a) for a in (query, key, value)), attn_mask=mask,
                 need_weights=False)[0].numpy()


def _torch(torch, case):
    if case.fn == SDPA:
        return _torch_sdpa(torch, *case.args, **case.kwargs)
    return _torch_mha(torch, *case.args, **case.kwargs)


def _sweep(seed):
    """One seeded SDPA case and one multi-head case, of every kind of mask."""
    rng = np.random.default_rng(seed)
    b = tuple(int(x) for x in rng.integers(1, 4, size=int(rng.integers(1, 3))))
    L, S, E, Ev = (int(x) for x in rng.integers(1, 10, size=4))
    S = max(S, 2)
    kw = {}
    kind = seed % 5
    if kind == 1:
        kw["attn_mask"] = EX._bool_mask(rng, (L, S))
    elif kind == 2:
        kw["attn_mask"] = EX._bool_mask(rng, b + (L, S))
    elif kind == 3:
        kw["attn_mask"] = rng.normal(size=(1,) * len(b) + (L, S))
    elif kind == 4:
        kw["is_causal"] = True
    if seed % 3 == 0:
        kw["scale"] = float(rng.uniform(0.05, 2.0))
    sdpa = EX._sdpa(f"sweep {seed}", "random", rng.normal(size=b + (L, E)),
                    rng.normal(size=b + (S, E)), rng.normal(size=b + (S, Ev)), **kw)
    h = int(rng.integers(1, 5))
    e, n = h * int(rng.integers(1, 5)), int(rng.integers(1, 4))
    kw = {}
    if kind in (1, 2):
        kw["attn_mask"] = EX._bool_mask(rng, (L, S) if kind == 1 else (n * h, L, S))
    elif kind == 3:
        kw["attn_mask"] = rng.normal(size=(n * h, L, S))
    mha = EX._mha_case(f"sweep {seed}", "random", EX._mha_args(rng, n, L, S, e, h, seed % 4 != 0),
                       **kw)
    return [sdpa, mha]


TORCH_SEEDS = range(200)


def test_reference_agrees_with_torch_to_1e_10():
    torch = pytest.importorskip("torch")
    cases = EX.EXERCISE.cases() + [c for s in TORCH_SEEDS for c in _sweep(s)]
    worst = 0.0
    for case in cases:
        ref = EX.EXERCISE.references[case.fn](*case.args, **case.kwargs)
        got = _torch(torch, case)
        assert got.shape == ref.shape, case.name
        err = float(np.max(np.abs(got - ref))) if ref.size else 0.0
        assert err <= 1e-10, (case.name, err)
        worst = max(worst, err)
    print(f"attention vs torch: {len(cases)} checks, max abs error {worst:.3g}")


# --- correct solutions --------------------------------------------------------------------

@pytest.mark.parametrize("path", [LOOP, VECTOR], ids=["loop", "vectorised"])
def test_correct_solutions_pass_every_case_in_process(path):
    assert exkit.in_process_failures("attention", exkit.load_file(path)) == []


@pytest.mark.parametrize("name,edits,parts", WRONG, ids=WRONG_IDS)
def test_each_wrong_convention_differs_and_its_variant_explains_it(tmp_path, name, edits,
                                                                   parts):
    module = exkit.load_file(wrong_file(tmp_path, edits))
    differs, unexplained = exkit.variant_agreement("attention", name, module, parts)
    assert differs >= 1
    assert unexplained == []


# --- graded end to end --------------------------------------------------------------------

@pytest.mark.parametrize("path", [LOOP, VECTOR], ids=["loop", "vectorised"])
def test_correct_solutions_pass_the_grader_and_are_told_no_variant(path):
    exkit.assert_passes_every_case("attention", exkit.grade("attention", path, FAST))


def test_the_stub_is_not_implemented():
    stub = REPO / "exercises" / "attention.py"
    exkit.assert_nothing_implemented(exkit.grade("attention", stub, FAST))


@pytest.mark.parametrize("name,edits,parts", WRONG, ids=WRONG_IDS)
def test_each_wrong_convention_fails_and_is_named(tmp_path, name, edits, parts):
    report = exkit.grade("attention", wrong_file(tmp_path, edits), FAST)
    exkit.assert_fails_and_is_named(report, name)


def test_the_benchmark_runs():
    out = subprocess.run([sys.executable, "-m", "bench.refs_attention", "--quick"], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "loop over" in out.stdout


def test_the_solution_prep_drill_shows_is_complete():
    assert exkit.shown_solution_failures("attention") == []
