"""The softmax exercise: the reference against hand-derived vectors (always) and torch (where
installed), the stub's doctests, the cases, a loop-style solution, and the known variants."""

import math

import numpy as np
import pytest

import catalogkit as kit
from prepcli.catalog import standalone
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


def test_the_grader_compares_infinities_exactly():
    """log_softmax's -inf must match -inf only (not any finite value, nor fail as inf - inf)."""
    from prepcli.drills.grader import check

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


# --- cases (the generic checks, stub and doctests: tests/test_ex_grading.py) ----------


def test_cases_well_formed():
    kit.assert_cases_well_formed(EX, CASES)
    for c in CASES:
        assert c.args[0].dtype == np.float64 and not np.isposinf(c.args[0]).any()
        if c.fn == "cross_entropy":
            assert np.isfinite(c.args[0]).all() and c.args[1].dtype == np.int64
        elif c.args[0].size:  # no all -inf slice (NaN as torch; the contract keeps cases off it)
            assert np.isfinite(c.args[0]).any(axis=c.kwargs.get("axis", -1)).all(), c.name


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


# --- user files: the loop solution, the reference, known variants (tests/test_ex_grading.py) -


def reference_source() -> str:
    return standalone.for_exercise(EX)  # the catalog module as a self-contained user file


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


# End to end through the grader's sandbox: tests/test_ex_grading.py.


# --- torch, where installed -------------------------------------------------------------

def test_reference_agrees_with_torch_on_a_seeded_sweep():
    """Shapes up to 3-D, any axis, scales 1 to 1000, some -inf entries; cross-entropy with
    ignored targets, a real class as ignore_index, label smoothing and every reduction."""
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    agree = kit.Agreement()
    for seed in range(150):
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
        agree(S.softmax(x, axis), F.softmax(tx, dim=axis), f"softmax seed {seed}")
        agree(S.log_softmax(x, axis), F.log_softmax(tx, dim=axis), f"log_softmax seed {seed}")
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
            agree(ours, theirs, f"cross_entropy seed {seed} {reduction}")
    print(f"softmax vs torch: {agree}")
    assert agree.checks == 150 * 5


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
