"""losses: the detection losses, as torchvision.ops.sigmoid_focal_loss and
torch.nn.functional.smooth_l1_loss / binary_cross_entropy_with_logits.

Binary cross-entropy is computed from the logits as (1 - t) * x + w * softplus(-x) with
softplus(-x) = max(-x, 0) + log1p(exp(-|x|)): exact for logits of +-1000, where taking the
log of a sigmoid gives log(0) = -inf.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern
from prepcli.catalog.common import SEED, _a  # each generated case has its seed: SEED + i


# --- reference --------------------------------------------------------------------------

def _reduce(loss, reduction: str):
    """'none' -> the array; 'sum'; 'mean' over every element (NaN when there are none)."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return np.float64(loss.sum())
    if reduction == "mean":
        with np.errstate(invalid="ignore"):
            return np.float64(loss.sum()) / np.float64(loss.size)
    raise ValueError(f"reduction must be 'none', 'mean' or 'sum', not {reduction!r}")


def _f64(a):
    return np.asarray(a, dtype=np.float64)


def _bce(x, t, pos_weight=None):
    """Element-wise -[w t log s(x) + (1 - t) log(1 - s(x))], s the sigmoid, from the logits."""
    softplus_neg = np.maximum(-x, 0.0) + np.log1p(np.exp(-np.abs(x)))  # -log s(x)
    weight = 1.0 if pos_weight is None else 1.0 + (_f64(pos_weight) - 1.0) * t
    return (1.0 - t) * x + weight * softplus_neg


def bce_with_logits(logits, targets, pos_weight=None, reduction: str = "mean"):
    return _reduce(_bce(_f64(logits), _f64(targets), pos_weight), reduction)


def _sigmoid(x):
    with np.errstate(over="ignore"):  # exp(1000) = inf gives 1 / inf = 0, as torch
        return 1.0 / (1.0 + np.exp(-x))


def _focal(x, t, ce, alpha: float, gamma: float, alpha_on_negatives: bool = False):
    p = _sigmoid(x)
    p_t = p * t + (1.0 - p) * (1.0 - t)
    loss = ce * (1.0 - p_t) ** gamma
    if alpha >= 0:
        a = 1.0 - alpha if alpha_on_negatives else alpha
        loss = (a * t + (1.0 - a) * (1.0 - t)) * loss
    return loss


def sigmoid_focal_loss(logits, targets, alpha: float = 0.25, gamma: float = 2.0,
                       reduction: str = "none"):
    x, t = _f64(logits), _f64(targets)
    return _reduce(_focal(x, t, _bce(x, t), alpha, gamma), reduction)


def smooth_l1_loss(input, target, beta: float = 1.0, reduction: str = "mean"):
    n = np.abs(_f64(input) - _f64(target))
    if beta == 0:  # as torch: plain L1 (the quadratic branch would divide by zero)
        return _reduce(n, reduction)
    return _reduce(np.where(n < beta, 0.5 * n * n / beta, n - 0.5 * beta), reduction)


# --- known wrong conventions ------------------------------------------------------------

def _kw(c: Case) -> dict:
    defaults = {"sigmoid_focal_loss": dict(alpha=0.25, gamma=2.0, reduction="none"),
                "smooth_l1_loss": dict(beta=1.0, reduction="mean"),
                "bce_with_logits": dict(pos_weight=None, reduction="mean")}[c.fn]
    return defaults | c.kwargs


def _alpha_on_negatives(c: Case):
    kw = _kw(c)
    if c.fn != "sigmoid_focal_loss" or kw["alpha"] < 0:
        return None
    x, t = c.args
    return _reduce(_focal(x, t, _bce(x, t), kw["alpha"], kw["gamma"], alpha_on_negatives=True),
                   kw["reduction"])


def _log_of_sigmoid_bce(x, t, pos_weight=None):
    p = _sigmoid(x)
    w = 1.0 if pos_weight is None else pos_weight
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(w * t * np.log(p) + (1.0 - t) * np.log(1.0 - p))


def _sigmoid_then_log(c: Case):
    kw = _kw(c)
    x, t = c.args
    with np.errstate(invalid="ignore", over="ignore"):
        if c.fn == "bce_with_logits":
            return _reduce(_log_of_sigmoid_bce(x, t, kw["pos_weight"]), kw["reduction"])
        if c.fn == "sigmoid_focal_loss":
            ce = _log_of_sigmoid_bce(x, t)
            return _reduce(_focal(x, t, ce, kw["alpha"], kw["gamma"]), kw["reduction"])
    return None


def _beta_missing(c: Case):
    kw = _kw(c)
    if c.fn != "smooth_l1_loss" or kw["beta"] == 0:
        return None
    n = np.abs(c.args[0] - c.args[1])
    return _reduce(np.where(n < kw["beta"], 0.5 * n * n, n - 0.5 * kw["beta"]), kw["reduction"])


def _mean_over_positives(c: Case):
    kw = _kw(c)
    if c.fn != "sigmoid_focal_loss" or kw["reduction"] != "mean":
        return None
    loss = sigmoid_focal_loss(*c.args, alpha=kw["alpha"], gamma=kw["gamma"], reduction="sum")
    return loss / max(float(np.count_nonzero(c.args[1] == 1)), 1.0)  # RetinaNet's normaliser


VARIANTS = (
    Variant("alpha applied to the negatives",
            "alpha weights the positives (targets 1) and 1 - alpha the negatives: "
            "alpha_t = alpha * t + (1 - alpha) * (1 - t)",
            _alpha_on_negatives),
    Variant("sigmoid then log (unstable for large logits)",
            "compute the cross-entropy from the logits: (1 - t) * x + max(-x, 0) + "
            "log1p(exp(-|x|)), never log(sigmoid(x)), which is log(0) = -inf for x = -1000",
            _sigmoid_then_log),
    Variant("beta missing from the quadratic branch",
            "where |x - y| < beta the loss is 0.5 * (x - y)**2 / beta, divided by beta",
            _beta_missing),
    Variant("focal 'mean' normalised by the number of positives",
            "as torchvision, reduction='mean' averages over every element; dividing the sum "
            "by the number of positives is RetinaNet's training normaliser, not 'mean'",
            _mean_over_positives),
)


# --- cases ------------------------------------------------------------------------------

def _binary(rng, shape, p=0.3):
    return (rng.uniform(size=shape) < p).astype(np.float64)


def make_cases() -> list[Case]:
    out: list[Case] = []

    def case(fn, name, cat, first, second, names, seed=None, **kw):
        kw = {k: _a(v) if isinstance(v, list) else v for k, v in kw.items()}
        return Case(f"{fn} {name}", fn, fn, cat, (_a(first), _a(second)), kw, arg_names=names,
                    seed=seed)

    # sigmoid_focal_loss
    def fl(name, cat, logits, targets, seed=None, **kw):
        return case("sigmoid_focal_loss", name, cat, logits, targets, ("logits", "targets"),
                    seed, **kw)

    big = [1000.0, -1000.0, 1000.0, -1000.0]
    big_t = [1.0, 1.0, 0.0, 0.0]
    grid = [[2.0, -1.0, 0.0, 3.0], [-4.0, 0.5, 1.5, -0.2]]
    grid_t = [[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]]
    out += [
        fl("example: defaults (alpha 0.25, gamma 2, none)", "example", [2.0, -1.0, 0.0],
           [1.0, 0.0, 1.0]),
        fl("example: mean over every element", "example", [2.0, -1.0, 0.0], [1.0, 0.0, 1.0],
           reduction="mean"),
        fl("example: alpha=-1 (no weighting)", "example", [2.0, -1.0, 0.0], [1.0, 0.0, 1.0],
           alpha=-1),
        fl("logits of +-1000", "edge", big, big_t),
        fl("logits of +-1000, mean", "edge", big, big_t, reduction="mean"),
        fl("alpha=-1, gamma=0: plain BCE", "edge", grid, grid_t, alpha=-1, gamma=0.0),
        fl("gamma=0 keeps alpha", "edge", grid, grid_t, gamma=0.0, reduction="sum"),
        fl("alpha 0.5 is symmetric", "edge", grid, grid_t, alpha=0.5),
        fl("alpha 0 and gamma 1", "edge", grid, grid_t, alpha=0.0, gamma=1.0),
        fl("alpha 1", "edge", grid, grid_t, alpha=1.0),
        fl("soft targets", "edge", grid, [[0.3, 0.9, 0.5, 0.0], [1.0, 0.1, 0.7, 0.2]]),
        fl("no positives, mean", "edge", grid, np.zeros((2, 4)), reduction="mean"),
        fl("mean over (N, C)", "edge", grid, grid_t, reduction="mean"),
        fl("sum", "edge", grid, grid_t, reduction="sum"),
        fl("empty input: mean is NaN", "edge", np.zeros(0), np.zeros(0), reduction="mean"),
        fl("empty input: sum is 0", "edge", np.zeros((0, 3)), np.zeros((0, 3)),
           reduction="sum"),
    ]
    for i in range(8):
        seed = SEED + i
        rng = np.random.default_rng(seed)
        shape = (int(rng.integers(1, 30)), int(rng.integers(1, 10)))
        scale = (1.0, 5.0, 50.0, 1000.0)[i % 4]
        targets = _binary(rng, shape) if i % 3 else rng.uniform(size=shape)
        kw = {"alpha": (0.25, -1.0, 0.75, 0.25)[i % 4], "gamma": (2.0, 0.0, 1.5, 2.5)[i % 4],
              "reduction": ("none", "mean", "sum")[i % 3]}
        out.append(fl(f"random {i + 1} {shape} scale {scale:g}", "random",
                      rng.normal(scale=scale, size=shape), targets, seed, **kw))
    rng = np.random.default_rng(SEED + 100)
    out.append(fl("timing: (2048, 80), mean", "timing", rng.normal(scale=3, size=(2048, 80)),
                  _binary(rng, (2048, 80), 0.01), SEED + 100, reduction="mean"))

    # smooth_l1_loss
    def sl(name, cat, x, y, seed=None, **kw):
        return case("smooth_l1_loss", name, cat, x, y, ("input", "target"), seed, **kw)

    x3, zeros = [0.5, 2.0, -3.0], [0.0, 0.0, 0.0]
    deltas = [[0.1, -0.2, 0.3, 1.7], [-0.05, 0.6, -1.2, 0.25]]
    out += [
        sl("example: reduction none", "example", x3, zeros, reduction="none"),
        sl("example: mean", "example", x3, zeros),
        sl("example: beta=0.5", "example", x3, [0.25, 1.5, -3.5], beta=0.5, reduction="none"),
        sl("beta=0 is L1", "edge", deltas, np.zeros((2, 4)), beta=0.0, reduction="none"),
        sl("beta=0, mean", "edge", deltas, [[0.2, 0.2, 0.2, 0.2]] * 2, beta=0.0),
        # (0/0 where x == y: `np.where(n <= beta, …)` made NaN there, as torch does not; no
        # case had such an element: fault hunt 37)
        sl("beta=0 where input equals target", "edge", [0.0, 1.5, -2.0, 0.3],
           [0.0, 1.5, 0.0, 0.3], beta=0.0, reduction="none"),
        sl("|x - y| exactly beta", "edge", [1.0, -2.0, 0.5], [0.0, -1.0, 0.0], reduction="none"),
        sl("beta 2 (a wider quadratic)", "edge", deltas, np.zeros((2, 4)), beta=2.0,
           reduction="none"),
        sl("beta 1e-3", "edge", deltas, [[0.1, -0.2005, 0.3, 1.7]] * 2, beta=1e-3,
           reduction="sum"),
        sl("equal inputs", "edge", deltas, deltas),
        sl("sum", "edge", deltas, np.ones((2, 4)), beta=0.5, reduction="sum"),
        sl("empty input: mean is NaN", "edge", np.zeros((0, 4)), np.zeros((0, 4))),
    ]
    for i in range(8):
        seed = SEED + 10 + i
        rng = np.random.default_rng(seed)
        shape = (int(rng.integers(1, 40)), 4)
        kw = {"beta": (1.0, 0.0, 0.5, 1 / 9, 2.0, 0.1, 3.0, 1.0)[i],
              "reduction": ("mean", "sum", "none")[i % 3]}
        out.append(sl(f"random {i + 1} {shape} beta {kw['beta']:.3g}", "random",
                      rng.normal(size=shape), rng.normal(size=shape), seed, **kw))
    rng = np.random.default_rng(SEED + 101)
    out.append(sl("timing: (50000, 4), beta 1/9", "timing", rng.normal(size=(50000, 4)),
                  rng.normal(size=(50000, 4)), SEED + 101, beta=1 / 9))

    # bce_with_logits
    def bce(name, cat, logits, targets, seed=None, **kw):
        return case("bce_with_logits", name, cat, logits, targets, ("logits", "targets"), seed,
                    **kw)

    out += [
        bce("example: reduction none", "example", [1.0, -2.0, 0.0], [1.0, 0.0, 0.5],
            reduction="none"),
        bce("example: mean", "example", [1.0, -2.0, 0.0], [1.0, 0.0, 0.5]),
        bce("example: pos_weight", "example", [[1.0, -2.0], [0.0, 3.0]], [[1.0, 1.0], [0.0, 1.0]],
            pos_weight=[2.0, 0.5], reduction="none"),
        bce("logits of +-1000", "edge", big, [1.0, 0.0, 0.0, 1.0], reduction="none"),
        bce("logits of +-1000, soft targets, sum", "edge", big, [0.9, 0.1, 0.5, 0.5],
            reduction="sum"),
        bce("pos_weight broadcast over the last axis", "edge", grid, grid_t,
            pos_weight=[1.0, 3.0, 0.5, 10.0], reduction="none"),
        bce("pos_weight with +-1000 logits", "edge", [[1000.0, -1000.0], [-1000.0, 1000.0]],
            [[1.0, 1.0], [0.0, 0.0]], pos_weight=[2.0, 3.0], reduction="none"),
        bce("pos_weight on a 3-D input, mean", "edge",
            np.linspace(-6, 6, 24).reshape(2, 3, 4), np.tile([1.0, 0.0, 0.25, 1.0], (2, 3, 1)),
            pos_weight=[4.0, 1.0, 2.0, 0.0]),
        bce("soft targets", "edge", grid, [[0.3, 0.9, 0.5, 0.0], [1.0, 0.1, 0.7, 0.2]]),
        bce("empty input: mean is NaN", "edge", np.zeros((0, 2)), np.zeros((0, 2))),
    ]
    for i in range(8):
        seed = SEED + 20 + i
        rng = np.random.default_rng(seed)
        shape = (int(rng.integers(1, 30)), int(rng.integers(1, 8)))
        scale = (1.0, 8.0, 100.0, 1000.0)[i % 4]
        kw = {"reduction": ("mean", "none", "sum")[i % 3]}
        if i % 2:
            kw["pos_weight"] = np.round(rng.uniform(0.1, 5, size=shape[1]), 3)
        targets = _binary(rng, shape, 0.5) if i % 3 else rng.uniform(size=shape)
        out.append(bce(f"random {i + 1} {shape} scale {scale:g}", "random",
                       rng.normal(scale=scale, size=shape), targets, seed, **kw))
    rng = np.random.default_rng(SEED + 102)
    out.append(bce("timing: (2048, 80), pos_weight", "timing",
                   rng.normal(scale=3, size=(2048, 80)), _binary(rng, (2048, 80), 0.1),
                   SEED + 102, pos_weight=rng.uniform(0.5, 3, size=80)))
    return out


HINTS = (
    "All three are element-wise formulas followed by a reduction: write the element-wise "
    "loss first, then 'none' / 'sum' / 'mean' (mean over every element).",
    "For the cross-entropy parts never take log(sigmoid(x)): with -log s(x) = max(-x, 0) + "
    "log1p(exp(-|x|)), BCE = (1 - t) * x + (1 + (pos_weight - 1) * t) * (-log s(x)).",
    "Focal loss = BCE * (1 - p_t)**gamma * alpha_t with p = sigmoid(x), p_t = p t + (1 - p)(1 - t) "
    "and alpha_t = alpha t + (1 - alpha)(1 - t) (none when alpha < 0). Smooth L1 with n = |x - y|: "
    "0.5 n**2 / beta where n < beta, else n - 0.5 beta; beta = 0 is plain L1.",
)

EXERCISE = Exercise(
    id="losses",
    title="Detection losses: focal, smooth L1, BCE with logits",
    parts=("sigmoid_focal_loss", "smooth_l1_loss", "bce_with_logits"),
    card_pattern=pattern(r"focal.?loss|smooth.?l1|huber|\bbce|binary.?cross.?entropy|"
                         r"焦点损失|二分类交叉熵|二元交叉熵"),
    hints=HINTS,
    references={"sigmoid_focal_loss": sigmoid_focal_loss, "smooth_l1_loss": smooth_l1_loss,
                "bce_with_logits": bce_with_logits},
    make_cases=make_cases,
    variants=VARIANTS,
    outputs={},
)
