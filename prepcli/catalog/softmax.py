"""softmax: numerically stable softmax, log-softmax and cross-entropy (as torch.nn.functional).

The reference subtracts each row's maximum before exponentiating, so no intermediate
overflows for finite input, and log_softmax is computed as shifted logits minus the log of
the sum of exponentials (never as the log of a softmax, which underflows to -inf).
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern
from prepcli.catalog.common import SEED, _a  # each generated case has its seed: SEED + i


# --- reference --------------------------------------------------------------------------

def _shifted(x, axis: int):
    """x minus its maximum along `axis` (an all -inf slice gives NaN, as in torch)."""
    x = np.asarray(x, dtype=np.float64)
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)  # initial: empty axes too
    with np.errstate(invalid="ignore"):
        return x - m


def softmax(x, axis: int = -1):
    e = _shifted(x, axis)  # a new array: exponentiated and normalised in place
    np.exp(e, out=e)
    with np.errstate(invalid="ignore"):
        e /= e.sum(axis=axis, keepdims=True)
    return e


def log_softmax(x, axis: int = -1):
    z = _shifted(x, axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def _reduce(loss, reduction: str, count):
    """'none' -> the array; 'sum'; 'mean' = sum / count (NaN when count is 0, as torch)."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return np.float64(loss.sum())
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.float64(loss.sum()) / np.float64(count)
    raise ValueError(f"reduction must be 'none', 'mean' or 'sum', not {reduction!r}")


def _picked(logp, target, ignore_index: int):
    """(-log p[i, t_i], kept mask): ignored rows read column 0 and are masked out after."""
    t = np.asarray(target).astype(np.int64).reshape(-1)
    keep = t != ignore_index
    nll = 0.0 - np.take_along_axis(logp, np.where(keep, t, 0)[:, None], axis=1)[:, 0]  # no -0.0
    return nll, keep


def cross_entropy(logits, target, ignore_index: int = -100, label_smoothing: float = 0.0,
                  reduction: str = "mean"):
    logp = log_softmax(logits, axis=1)
    nll, keep = _picked(logp, target, ignore_index)
    loss = nll
    if label_smoothing > 0:
        n_classes = logp.shape[1]
        loss = (1 - label_smoothing) * nll - (label_smoothing / n_classes) * logp.sum(axis=1)
    return _reduce(np.where(keep, loss, 0.0), reduction, keep.sum())


# --- known wrong conventions ------------------------------------------------------------

def _naive_log_softmax(x, axis):
    """log_softmax without the max subtraction: exp overflows to inf for logits near 1000."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return x - np.log(np.exp(x).sum(axis=axis, keepdims=True))


def _no_max_subtraction(c: Case):
    x, axis = c.args[0], c.kwargs.get("axis", -1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if c.fn == "softmax":
            e = np.exp(x)
            return e / e.sum(axis=axis, keepdims=True)
        if c.fn == "log_softmax":
            return _naive_log_softmax(x, axis)
        return _cross_entropy_from(_naive_log_softmax(x, 1), c)


def _log_of_softmax(c: Case):
    if c.fn == "softmax":
        return None
    axis = 1 if c.fn == "cross_entropy" else c.kwargs.get("axis", -1)
    with np.errstate(divide="ignore"):
        logp = np.log(softmax(c.args[0], axis))
    return logp if c.fn == "log_softmax" else _cross_entropy_from(logp, c)


def _cross_entropy_from(logp, c: Case, over_all=False, smooth_others=False):
    """cross_entropy's arithmetic on given log-probabilities, with a wrong convention."""
    kw = dict(ignore_index=-100, label_smoothing=0.0, reduction="mean") | c.kwargs
    eps = kw["label_smoothing"]
    nll, keep = _picked(logp, c.args[1], kw["ignore_index"])
    loss = nll
    with np.errstate(invalid="ignore", over="ignore"):
        if eps > 0 and smooth_others:  # eps / (C - 1) on every class but the target
            others = -logp.sum(axis=1) - nll
            loss = (1 - eps) * nll + eps / (logp.shape[1] - 1) * others
        elif eps > 0:
            loss = (1 - eps) * nll - (eps / logp.shape[1]) * logp.sum(axis=1)
        loss = np.where(keep, loss, 0.0)
    return _reduce(loss, kw["reduction"], keep.size if over_all else keep.sum())


def _mean_over_all(c: Case):
    if c.fn != "cross_entropy" or c.kwargs.get("reduction", "mean") != "mean":
        return None
    return _cross_entropy_from(log_softmax(c.args[0], 1), c, over_all=True)


def _smoothing_over_others(c: Case):
    if c.fn != "cross_entropy" or c.kwargs.get("label_smoothing", 0.0) <= 0 \
            or c.args[0].shape[1] < 2:
        return None
    return _cross_entropy_from(log_softmax(c.args[0], 1), c, smooth_others=True)


VARIANTS = (
    Variant("no max subtraction (exp overflows for large logits)",
            "subtract each row's maximum before exp: softmax(x) = softmax(x - max(x))",
            _no_max_subtraction),
    Variant("log of softmax (underflows to -inf)",
            "compute log_softmax as (x - m) - log(sum(exp(x - m))), m the row maximum, "
            "not np.log(softmax(x))",
            _log_of_softmax),
    Variant("mean over all N, ignored targets included",
            "divide the sum by the number of targets that are not ignore_index",
            _mean_over_all),
    Variant("label smoothing spread over the C - 1 other classes",
            "as torch, smoothing puts eps / C on every class, the target included: "
            "loss = (1 - eps) * nll + (eps / C) * sum_c(-log p_c)",
            _smoothing_over_others),
)


# --- cases ------------------------------------------------------------------------------

def make_cases() -> list[Case]:
    inf = np.inf
    out: list[Case] = []
    for fn in ("softmax", "log_softmax"):
        def c(name, cat, x, seed=None, **kw):
            return Case(f"{fn} {name}", fn, fn, cat, (_a(x),), kw, arg_names=("x",), seed=seed)

        if fn == "softmax":
            out.append(c("example: two rows, one with logits of +-1000", "example",
                         [[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]]))
        out.append(c("example: a -inf entry", "example", [0.0, -inf, 0.0]))
        if fn == "log_softmax":
            out.append(c("example: one huge value", "example", [[1000.0, 0.0]]))
        out += [
            c("logits of +-1000", "edge", [[1000.0, -1000.0, 999.0], [-1000.0] * 3,
                                           [1000.0, 1000.0, 1000.0]]),
            c("a row with one huge value", "edge", [[0.0, 800.0, -3.0, 2.0],
                                                    [-750.0, 0.0, 1.0, 2.0]]),
            c("-inf entries beside finite ones", "edge", [[-inf, 0.0, 1.0], [2.0, -inf, -inf],
                                                          [-inf, -1000.0, -inf]]),
            c("equal logits", "edge", np.full((2, 5), 3.5)),
            c("one class", "edge", [[7.0], [-1000.0], [0.0]]),
            c("an empty batch", "edge", np.zeros((0, 5))),
            c("axis=0", "edge", [[1.0, 2.0], [3.0, 5.0], [-1.0, 0.5]], axis=0),
            c("axis=1 of a 3-D array", "edge",
              np.arange(24, dtype=float).reshape(2, 3, 4) * 50 - 600, axis=1),
        ]
        for i in range(6):
            seed = SEED + i
            rng = np.random.default_rng(seed)
            shape = tuple(int(s) for s in rng.integers(2, 12, size=1 + i % 3))
            scale = (1.0, 30.0, 1000.0)[i % 3]
            axis = int(rng.integers(-len(shape), len(shape)))
            out.append(c(f"random {i + 1} {shape} axis={axis} scale {scale:g}", "random",
                         rng.normal(scale=scale, size=shape), seed, axis=axis))
        rng = np.random.default_rng(SEED + 100)
        out.append(c("timing: (512, 1000)", "timing", rng.normal(scale=5, size=(512, 1000)),
                     SEED + 100))

    def ce(name, cat, logits, target, seed=None, **kw):
        return Case(f"cross_entropy {name}", "cross_entropy", "cross_entropy", cat,
                    (_a(logits), _a(target, np.int64)), kw, arg_names=("logits", "target"),
                    seed=seed)

    ex = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]
    big = [[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0], [0.0, 0.0, 1000.0]]
    four = [[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0], [0.0, 0.0, 0.0, 0.0], [-1.0, 1.0, -2.0, 2.0]]
    out += [
        ce("example: mean", "example", ex, [0, 1]),
        ce("example: ignored target, reduction none", "example", ex, [0, -100],
           reduction="none"),
        ce("example: label smoothing 0.1", "example", ex, [0, 1], label_smoothing=0.1),
        ce("logits of +-1000", "edge", big, [0, 1, 2], reduction="none"),
        ce("target far below the maximum (loss 2000)", "edge", big, [1, 0, 0]),
        ce("some targets ignored, mean", "edge", four, [3, -100, 0, -100]),
        ce("ignore_index is a real class (0)", "edge", four, [0, 1, 0, 3], ignore_index=0),
        ce("every target ignored: mean is NaN", "edge", four, [-100] * 4),
        ce("every target ignored: sum is 0", "edge", four, [-100] * 4, reduction="sum"),
        ce("every target ignored, smoothing: none is zeros", "edge", four, [-100] * 4,
           label_smoothing=0.2, reduction="none"),
        ce("label smoothing with ignored targets, mean", "edge", four, [3, -100, 2, 1],
           label_smoothing=0.2),
        ce("label smoothing with +-1000 logits", "edge", big, [0, 1, 0], label_smoothing=0.1,
           reduction="none"),
        ce("label smoothing 1.0, sum", "edge", four, [0, 1, 2, 3], label_smoothing=1.0,
           reduction="sum"),
        ce("two classes", "edge", [[3.0, -3.0], [0.0, 0.0]], [1, 0], label_smoothing=0.3,
           reduction="none"),
        ce("one class", "edge", [[5.0], [-2.0]], [0, 0]),
        ce("an empty batch: mean is NaN", "edge", np.zeros((0, 3)), np.zeros(0)),
    ]
    for i in range(8):
        seed = SEED + 10 + i
        rng = np.random.default_rng(seed)
        n, k = int(rng.integers(1, 40)), int(rng.integers(2, 12))
        target = rng.integers(0, k, size=n)
        target[rng.uniform(size=n) < 0.2] = -100
        kw = {"reduction": ("mean", "sum", "none")[i % 3]}
        if i % 2:
            kw["label_smoothing"] = float(np.round(rng.uniform(0.05, 0.5), 3))
        scale = (1.0, 20.0, 500.0, 3.0)[i % 4]
        out.append(ce(f"random {i + 1} (N={n}, C={k}, scale {scale:g})", "random",
                      rng.normal(scale=scale, size=(n, k)), target, seed, **kw))
    rng = np.random.default_rng(SEED + 101)
    target = rng.integers(0, 1000, size=512)
    target[::17] = -100
    out.append(ce("timing: (512, 1000), label smoothing 0.1", "timing",
                  rng.normal(scale=5, size=(512, 1000)), target, SEED + 101,
                  label_smoothing=0.1))
    return out


HINTS = (
    "softmax(x) equals softmax(x - c) for any constant c per row: pick a c that keeps exp() "
    "from overflowing.",
    "With m the row maximum, log_softmax(x) = (x - m) - log(sum(exp(x - m))). Never take the "
    "log of a softmax: a probability that underflows to 0 becomes -inf.",
    "cross_entropy: pick -log_softmax at each target with np.take_along_axis; ignored rows "
    "give 0 and do not count in the mean's denominator. Label smoothing eps adds "
    "(eps / C) * sum over all C classes of -log p and scales the target term by (1 - eps).",
)

EXERCISE = Exercise(
    id="softmax",
    title="Stable softmax, log-softmax and cross-entropy",
    parts=("softmax", "log_softmax", "cross_entropy"),
    # Binary cross-entropy belongs to `losses` (bce_with_logits), which comes later in the table.
    card_pattern=pattern(r"soft-?max|log.?sum.?exp|(?<!二分类)(?<!二元)交叉熵|"
                         r"(?<!binary )cross.?entropy"),
    hints=HINTS,
    references={"softmax": softmax, "log_softmax": log_softmax,
                "cross_entropy": cross_entropy},
    make_cases=make_cases,
    variants=VARIANTS,
    outputs={},
)
