"""The losses exercise: the reference against hand-derived vectors (always) and torch /
torchvision (where installed), the stub's doctests, the cases, a loop-style solution, and the
known variants."""

import math

import numpy as np
import pytest

import catalogkit as kit
from prepcli.catalog import standalone
from prepcli.catalog import losses as L

EX = L.EXERCISE
CASES = EX.cases()
LOOP = (kit.DATA / "loop_losses.py").read_text(encoding="utf-8")
STUB = kit.REPO / "exercises" / "losses.py"


# --- the reference ----------------------------------------------------------------------

@pytest.mark.parametrize("v", kit.vectors("losses"), ids=lambda v: f"{v['fn']}: {v['source'][:40]}")
def test_reference_matches_hand_derived_vectors(v):
    got = np.asarray(EX.references[v["fn"]](*v["args"], **v["kwargs"]))
    assert got.shape == v["expected"].shape
    np.testing.assert_allclose(got, v["expected"], rtol=1e-12, atol=1e-300)


def test_no_overflow_or_nan_for_huge_logits():
    x, t = np.array([1000.0, -1000.0, 1000.0, -1000.0]), np.array([1.0, 0.0, 0.0, 1.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        L.bce_with_logits(x, t, pos_weight=np.array([3.0]))
    assert np.isfinite(L.sigmoid_focal_loss(x, t)).all()


def test_reductions_and_types():
    x, t = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    for fn in EX.references.values():
        none = fn(x, t, reduction="none")
        assert none.shape == (2, 2)
        assert isinstance(fn(x, t, reduction="sum"), float)
        assert fn(x, t, reduction="sum") == pytest.approx(none.sum(), rel=1e-15)
        assert fn(x, t, reduction="mean") == pytest.approx(none.mean(), rel=1e-15)
        with pytest.raises(ValueError, match="reduction"):
            fn(x, t, reduction="avg")
        assert math.isnan(fn(np.zeros(0), np.zeros(0), reduction="mean"))
        assert fn(np.zeros(0), np.zeros(0), reduction="sum") == 0.0


# --- cases (the generic checks, stub and doctests: tests/test_ex_grading.py) ----------


def test_cases_well_formed():
    kit.assert_cases_well_formed(EX, CASES)
    for c in CASES:
        assert c.args[0].dtype == c.args[1].dtype == np.float64
        assert c.args[0].shape == c.args[1].shape
        if c.fn != "smooth_l1_loss":
            assert ((c.args[1] >= 0) & (c.args[1] <= 1)).all(), c.name
        alpha = c.kwargs.get("alpha", 0.25)
        assert alpha == -1 or 0 <= alpha <= 1
        assert c.kwargs.get("beta", 1.0) >= 0


def test_edge_cases_include_what_the_contract_names():
    names = " | ".join(c.name for c in CASES)
    for what in ("+-1000", "alpha=-1", "gamma=0", "beta=0", "pos_weight", "soft targets",
                 "mean is NaN", "exactly beta"):
        assert what in names
    for fn in EX.functions:
        reductions = {c.kwargs.get("reduction", EX.references[fn].__defaults__[-1])
                      for c in CASES if c.fn == fn}
        assert reductions == {"none", "sum", "mean"}, fn


def test_card_pattern():
    for q in ("Focal loss", "Smooth L1", "BCEWithLogitsLoss", "binary cross entropy", "二分类交叉熵"):
        assert EX.card_pattern.search(q), q
    for q in ("交叉熵", "CrossEntropyLoss 计算步骤", "focal length of a camera", "L1和L2范数"):
        assert not EX.card_pattern.search(q), q


# --- user files: the loop solution, the reference, known variants (tests/test_ex_grading.py) -

def reference_source() -> str:
    return standalone.for_exercise(EX)  # the catalog module as a self-contained user file


# Each a user file with one known wrong convention: the loop solution with a part rewritten.
WRONG = {
    "alpha applied to the negatives": '''
def sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    values = []
    for x, t in zip(logits.ravel().tolist(), targets.ravel().tolist()):
        p = _sigmoid(x)
        p_t = p * t + (1 - p) * (1 - t)
        loss = _bce(x, t) * (1 - p_t) ** gamma
        if alpha >= 0:
            loss *= alpha * (1 - t) + (1 - alpha) * t
        values.append(loss)
    return _reduce(values, logits.shape, reduction)
''',
    "sigmoid then log": '''
def _bce(x, t, w=1.0):
    p = _sigmoid(x)
    return -(w * t * np.log(p) + (1 - t) * np.log(1 - p))
''',
    "beta missing from the quadratic branch": '''
def smooth_l1_loss(input, target, beta=1.0, reduction="mean"):
    n = np.abs(input - target)
    loss = np.where(n < beta, 0.5 * n ** 2, n - 0.5 * beta)
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()
''',
    "focal 'mean' normalised by the number of positives": '''
_focal = sigmoid_focal_loss

def sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    if reduction == "mean":
        num_pos = max(1, int((targets == 1).sum()))
        return _focal(logits, targets, alpha, gamma, "sum") / num_pos
    return _focal(logits, targets, alpha, gamma, reduction)
''',
}
# A bug that is no known convention: "mean" divided by the batch size, not the element count.
UNKNOWN_BUG = '''
_bce_loop = bce_with_logits

def bce_with_logits(logits, targets, pos_weight=None, reduction="mean"):
    if reduction == "mean":
        return _bce_loop(logits, targets, pos_weight, "sum") / len(logits)
    return _bce_loop(logits, targets, pos_weight, reduction)
'''


# End to end through the grader's sandbox: tests/test_ex_grading.py.


# --- torch and torchvision, where installed ---------------------------------------------

def _torch_losses():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    try:
        from torchvision.ops import sigmoid_focal_loss
    except Exception:  # noqa: BLE001 - torchvision absent, or broken beside this torch
        pytest.skip("torchvision is not importable")
    return torch, {"sigmoid_focal_loss": sigmoid_focal_loss, "smooth_l1_loss": F.smooth_l1_loss,
                   "bce_with_logits": F.binary_cross_entropy_with_logits}


def _theirs(torch, fns, fn, args, kwargs):
    t = [torch.from_numpy(np.ascontiguousarray(a)) for a in args]
    kw = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    return fns[fn](*t, **kw)


def test_reference_agrees_with_torch_on_a_seeded_sweep():
    """Shapes up to 3-D, logits scaled 1 to 1000, binary and soft targets, alpha in
    {0.25, 0.5, 0, 1, -1}, gamma 0 to 3, beta 0 to 3, pos_weight, every reduction."""
    torch, fns = _torch_losses()
    agree = kit.Agreement()
    for seed in range(150):
        rng = np.random.default_rng(2000 + seed)
        shape = tuple(int(s) for s in rng.integers(1, 9, size=int(rng.integers(1, 4))))
        x = rng.normal(scale=float(rng.choice([1.0, 10.0, 100.0, 1000.0])), size=shape)
        t = (rng.uniform(size=shape) < 0.4).astype(float) if seed % 2 else rng.uniform(size=shape)
        pos_weight = rng.uniform(0, 5, size=shape[-1]) if seed % 3 else None
        for reduction in ("none", "sum", "mean"):
            kw = dict(alpha=float(rng.choice([0.25, 0.5, 0.0, 1.0, -1.0])),
                      gamma=float(rng.choice([0.0, 1.0, 2.0, 2.5, 3.0])), reduction=reduction)
            agree(L.sigmoid_focal_loss(x, t, **kw),
                  _theirs(torch, fns, "sigmoid_focal_loss", (x, t), kw), f"focal {seed} {kw}")
            y = x / 100 + rng.normal(size=shape)
            kw = dict(beta=float(rng.choice([0.0, 1 / 9, 0.5, 1.0, 3.0])), reduction=reduction)
            agree(L.smooth_l1_loss(x / 100, y, **kw),
                  _theirs(torch, fns, "smooth_l1_loss", (x / 100, y), kw), f"smooth {seed} {kw}")
            kw = dict(pos_weight=pos_weight, reduction=reduction)
            agree(L.bce_with_logits(x, t, **kw),
                  _theirs(torch, fns, "bce_with_logits", (x, t), kw), f"bce {seed} {reduction}")
    print(f"losses vs torch/torchvision: {agree}")
    assert agree.checks == 150 * 9


def test_every_case_agrees_with_torch():
    torch, fns = _torch_losses()
    for c in CASES:
        theirs = _theirs(torch, fns, c.fn, c.args, c.kwargs)
        np.testing.assert_allclose(np.asarray(c.expected()), theirs.numpy(), rtol=1e-10,
                                   atol=1e-10, err_msg=c.name)
