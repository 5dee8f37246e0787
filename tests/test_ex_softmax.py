"""The softmax exercise: the reference against hand-derived vectors (always) and torch (where
installed), the stub's doctests, the cases, a loop-style solution, and the known variants."""

import inspect
import math

import numpy as np
import pytest

import catalogkit as kit
from prepcli.catalog import softmax as S

EX = S.EXERCISE
CASES = EX.cases()
LOOP = (kit.DATA / "loop_softmax.py").read_text(encoding="utf-8")
STUB = kit.REPO / "exercises" / "softmax.py"


# --- the reference ----------------------------------------------------------------------

@pytest.mark.parametrize("v", kit.vectors("softmax"), ids=lambda v: f"{v['fn']}: {v['source'][:40]}")
def test_reference_matches_hand_derived_vectors(v):
    got = np.asarray(EX.references[v["fn"]](*v["args"], **v["kwargs"]))
    np.testing.assert_allclose(got, v["expected"], rtol=1e-12, atol=1e-300)
    assert np.array_equal(np.isinf(got), np.isinf(v["expected"]))


def test_no_overflow_warning_for_huge_logits():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # exp(-2000) underflows
        S.softmax(x)
        S.log_softmax(x)
        S.cross_entropy(x, np.array([1, 0]), label_smoothing=0.1)


def test_reference_does_not_modify_its_inputs():
    for case in CASES:
        before = [a.copy() for a in case.args]
        case.reference(*case.args, **case.kwargs)
        assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(case.args, before))


def test_the_grader_compares_infinities_exactly():
    """log_softmax's -inf must match -inf only (not any finite value, nor fail as inf - inf)."""
    from prepcli.grader import check

    assert check(np.array([-np.inf, 1.0]), np.array([-np.inf, 1.0]), False) == []
    assert check(np.array([-np.inf, 1.0]), np.array([-1000.0, 1.0]), False)
    assert check(np.array([0.0, -1000.0]), np.array([0.0, -np.inf]), False)
    assert check(np.array([np.inf]), np.array([-np.inf]), False)


def test_reductions_and_types():
    logits, target = np.array([[1.0, 2.0], [3.0, 0.0]]), np.array([0, -100])
    none = S.cross_entropy(logits, target, reduction="none")
    assert none.shape == (2,) and none[1] == 0.0
    assert isinstance(S.cross_entropy(logits, target), float)
    assert S.cross_entropy(logits, target) == none.sum() == S.cross_entropy(logits, target,
                                                                            reduction="sum")
    with pytest.raises(ValueError, match="reduction"):
        S.cross_entropy(logits, target, reduction="avg")


# --- stub and cases ---------------------------------------------------------------------

def test_stub_doctests_run_against_the_reference():
    result = kit.run_doctests(STUB, EX.references)
    assert result.attempted >= 6 and result.failed == 0


def test_stub_raises_and_has_the_reference_signatures():
    stub = kit.module_from(STUB.read_text(encoding="utf-8"))
    for name, ref in EX.references.items():
        fn = getattr(stub, name)
        params = inspect.signature(fn).parameters
        ref_params = inspect.signature(ref).parameters
        assert [(p.name, p.default) for p in params.values()] == \
               [(p.name, p.default) for p in ref_params.values()]
        with pytest.raises(NotImplementedError):
            fn(*CASES[[c.fn for c in CASES].index(name)].args)


def test_cases_cover_every_part_and_category_with_seeds():
    assert EX.parts == EX.functions == ("softmax", "log_softmax", "cross_entropy")
    for part in EX.parts:
        cats = [c.category for c in CASES if c.part == part]
        assert {"example", "edge", "random", "timing"} <= set(cats)
        assert cats.count("timing") == 1
    assert len({c.name for c in CASES}) == len(CASES)
    for c in CASES:
        assert (c.seed is not None) == (c.category in ("random", "timing")), c.name
        assert c.args[0].dtype == np.float64
        assert not np.isposinf(c.args[0]).any()
        if c.fn == "cross_entropy":
            assert np.isfinite(c.args[0]).all() and c.args[1].dtype == np.int64
        else:  # no all -inf slice (undefined, NaN as torch; the contract keeps cases off it)
            x = c.args[0]
            if x.size:
                assert np.isfinite(x).any(axis=c.kwargs.get("axis", -1)).all(), c.name


def test_random_cases_replay_from_their_seed():
    a, b = S.make_cases(), S.make_cases()
    for x, y in zip(a, b):
        assert x.seed == y.seed and all(np.array_equal(p, q) for p, q in zip(x.args, y.args))


def test_edge_cases_include_what_the_contract_names():
    names = " | ".join(c.name for c in CASES)
    for what in ("+-1000", "one huge value", "-inf", "ignored", "every target ignored: mean",
                 "every target ignored: sum", "label smoothing", "ignore_index is a real class"):
        assert what in names
    nan_mean = next(c for c in CASES if "every target ignored: mean" in c.name)
    assert math.isnan(nan_mean.expected())
    assert next(c for c in CASES if "every target ignored: sum" in c.name).expected() == 0.0


def test_card_pattern():
    for q in ("交叉熵", "CrossEntropyLoss 计算步骤", "sigmod和softmax的区别和联系", "log-sum-exp trick",
              "cross entropy vs MSE"):
        assert EX.card_pattern.search(q), q
    for q in ("Focal loss", "binary cross entropy with logits", "二分类交叉熵", "Smooth L1"):
        assert not EX.card_pattern.search(q), q


def test_hints_go_from_gentle_to_specific():
    assert 2 <= len(EX.hints) <= 3
    assert len(EX.hints[0]) < len(EX.hints[-1])


# --- a loop-style solution and the known variants, in-process ---------------------------

def test_loop_solution_passes_every_case():
    assert kit.failures(kit.module_from(LOOP), CASES) == []


def test_reference_source_as_a_user_file_passes_every_case():
    assert kit.failures(kit.module_from(reference_source()), CASES) == []


def reference_source() -> str:
    """The reference functions as a self-contained user file (no prepcli import)."""
    fns = (S._shifted, S.softmax, S.log_softmax, S._reduce, S._picked, S.cross_entropy)
    return "# exercise: softmax\nimport numpy as np\n\n" + "\n\n".join(
        inspect.getsource(f) for f in fns)


# Each a user file with one known wrong convention: the loop solution with a part rewritten.
WRONG = {
    "no max subtraction": '''
def softmax(x, axis=-1):
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)

def log_softmax(x, axis=-1):
    return x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))

def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0, reduction="mean"):
    logp = log_softmax(logits, axis=1)
    keep = target != ignore_index
    nll = -logp[np.arange(len(target)), np.where(keep, target, 0)]
    loss = (1 - label_smoothing) * nll - label_smoothing * logp.mean(axis=1)
    loss = np.where(keep, loss, 0.0)
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.sum() / keep.sum()
''',
    "log of softmax": '''
def _log_softmax_row(row):
    m = max(row)
    e = [math.exp(v - m) for v in row]
    s = sum(e)
    return [math.log(v / s) if v > 0 else -math.inf for v in e]  # np.log(0) = -inf
''',
    "mean over all N, ignored targets included": '''
_ce = cross_entropy

def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0, reduction="mean"):
    if reduction == "mean":
        return np.float64(_ce(logits, target, ignore_index, label_smoothing, "sum")) / len(target)
    return _ce(logits, target, ignore_index, label_smoothing, reduction)
''',
    "label smoothing spread over the C - 1 other classes": '''
def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0, reduction="mean"):
    logp = log_softmax(logits, axis=1)
    n, c = logp.shape
    keep = target != ignore_index
    q = np.full((n, c), label_smoothing / (c - 1) if c > 1 else 0.0)
    q[np.arange(n)[keep], target[keep]] = 1 - label_smoothing
    loss = np.where(keep, -(q * logp).sum(axis=1), 0.0)
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.sum() / keep.sum()
''',
}
# A bug that is no known convention: normalising over the whole array instead of one axis.
UNKNOWN_BUG = '''
def softmax(x, axis=-1):
    e = np.exp(x - x.max())
    return e / e.sum()
'''


def test_every_variant_differs_from_the_reference_on_some_case():
    for v in EX.variants:
        differs = [c.name for c in CASES if (out := v.compute(c)) is not None
                   and kit.problems(c.expected(), out)]
        assert differs, v.name


@pytest.mark.parametrize("name", WRONG)
def test_a_file_with_a_known_variant_fails_and_the_variant_is_named(name):
    module = kit.module_from(LOOP + WRONG[name])
    cases = [c for c in CASES if c.category != "timing"]  # never the first failure; slow here
    failed = kit.failures(module, cases)
    assert failed, "the wrong convention passes every case"
    first = failed[0][0]
    assert kit.named_variant(EX, module, cases, first).startswith(name)


def test_a_correct_file_and_an_unknown_bug_are_never_told_about_a_variant():
    cases = [c for c in CASES if c.category != "timing"]
    module = kit.module_from(LOOP + UNKNOWN_BUG)
    failed = kit.failures(module, cases)
    assert failed and kit.named_variant(EX, module, cases, failed[0][0]) == ""
    # and no variant reproduces the correct loop solution where it differs from the reference
    loop = kit.module_from(LOOP)
    for v in EX.variants:
        for c in cases:
            out = v.compute(c)
            if out is not None and kit.problems(c.expected(), out):
                assert kit.problems(out, kit.call(getattr(loop, c.fn), c)), (v.name, c.name)


# --- end to end, through the grader's sandbox -------------------------------------------

PENDING = pytest.mark.skip(reason=(
    "end to end: cross_entropy returns a float, and the sandbox carries only arrays back "
    "until the grader helper's change (scalar outputs) is merged; the lead unskips it then"))


def grade(tmp_path, source: str):
    from prepcli import grader
    from prepcli.sandbox import Limits

    path = tmp_path / "softmax.py"
    path.write_text(source, encoding="utf-8")
    return grader.grade(path, Limits(case_seconds=5, timing_case_seconds=20, cpu_seconds=60),
                        exercise="softmax")


@PENDING
def test_end_to_end_reference_and_loop_solution_pass(tmp_path):
    for source in (reference_source(), LOOP):
        report = grade(tmp_path, source)
        assert report.passed and report.cases_passed == len(report.cases) == len(CASES), \
            report.first_failure


@PENDING
def test_end_to_end_stub_is_not_implemented(tmp_path):
    report = grade(tmp_path, STUB.read_text(encoding="utf-8"))
    assert report.exit_code == 1 and set(report.parts.values()) == {"not implemented"}


@PENDING
@pytest.mark.parametrize("name", WRONG)
def test_end_to_end_each_variant_fails_and_is_named(tmp_path, name):
    report = grade(tmp_path, LOOP + WRONG[name])
    assert report.exit_code == 1
    assert report.first_failure.variant.startswith(name), report.first_failure


@PENDING
def test_end_to_end_unknown_bug_is_not_named(tmp_path):
    report = grade(tmp_path, LOOP + UNKNOWN_BUG)
    assert report.exit_code == 1 and report.first_failure.variant == ""


# --- torch, where installed -------------------------------------------------------------

def _torch_softmax_sweep(torch, F, n_seeds=150):
    """(max abs error, max rel error, checks) of the reference against torch on seeded inputs:
    shapes up to 3-D, any axis, scales 1 to 1000, some -inf entries, cross-entropy with
    ignored targets, a real class as ignore_index, label smoothing and every reduction."""
    worst_abs = worst_rel = 0.0
    checks = 0

    def compare(ours, theirs):
        nonlocal worst_abs, worst_rel, checks
        theirs = theirs.numpy()
        ours = np.asarray(ours)
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)
        fin = np.isfinite(theirs)
        if fin.any():
            err = np.abs(ours[fin] - theirs[fin])
            worst_abs = max(worst_abs, float(err.max()))
            worst_rel = max(worst_rel, float((err / np.maximum(np.abs(theirs[fin]), 1e-300)).max()))
        checks += 1

    for seed in range(n_seeds):
        rng = np.random.default_rng(1000 + seed)
        shape = tuple(int(s) for s in rng.integers(1, 9, size=int(rng.integers(1, 4))))
        scale = float(rng.choice([1.0, 10.0, 100.0, 1000.0]))
        x = rng.normal(scale=scale, size=shape)
        axis = int(rng.integers(-len(shape), len(shape)))
        if seed % 3 == 0:  # some -inf, keeping a finite entry in each slice
            x[rng.uniform(size=shape) < 0.3] = -np.inf
            first = [slice(None)] * len(shape)
            first[axis] = 0
            x[tuple(first)] = rng.normal(scale=scale, size=x[tuple(first)].shape)
        tx = torch.from_numpy(x)
        compare(S.softmax(x, axis), F.softmax(tx, dim=axis))
        compare(S.log_softmax(x, axis), F.log_softmax(tx, dim=axis))
        n, c = int(rng.integers(0, 30)), int(rng.integers(1, 12))
        logits = rng.normal(scale=scale, size=(n, c))
        ignore = int(rng.choice([-100, 0]))
        target = rng.integers(0, c, size=n)
        target[rng.uniform(size=n) < 0.25] = ignore
        eps = float(rng.choice([0.0, 0.1, 0.35]))
        for reduction in ("none", "sum", "mean"):
            ours = S.cross_entropy(logits, target, ignore_index=ignore, label_smoothing=eps,
                                   reduction=reduction)
            theirs = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(target),
                                     ignore_index=ignore, label_smoothing=eps, reduction=reduction)
            compare(ours, theirs)
    return worst_abs, worst_rel, checks


def test_reference_agrees_with_torch_on_a_seeded_sweep():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    worst_abs, worst_rel, checks = _torch_softmax_sweep(torch, F)
    print(f"softmax vs torch: {checks} seeded checks, max abs error {worst_abs:.3g}, "
          f"max rel error {worst_rel:.3g}")
    assert checks == 150 * 5


def test_every_case_agrees_with_torch():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    for c in CASES:
        t = [torch.from_numpy(a) for a in c.args]
        if c.fn == "cross_entropy":
            theirs = F.cross_entropy(*t, **c.kwargs)
        else:
            theirs = getattr(F, c.fn)(t[0], dim=c.kwargs.get("axis", -1))
        np.testing.assert_allclose(np.asarray(c.expected()), theirs.numpy(), rtol=1e-10,
                                   atol=1e-10, err_msg=c.name)
