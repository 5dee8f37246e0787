"""Backpropagation by hand: the backward passes of a linear layer, ReLU and the mean
cross-entropy, as torch autograd computes them (../design/exercises.md, "backprop").

With y = x @ weight.T + bias (torch `Linear`: weight (out, in)) and x (N, in).
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern

SEED = 20241401  # every random case is generated from its own seed, so it can be replayed


# --- reference --------------------------------------------------------------------------

def linear_backward(dout, x, weight):
    """(dx, dweight, dbias) of sum(dout * (x @ weight.T + bias))."""
    dout = np.asarray(dout, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    return dout @ weight, dout.T @ x, dout.sum(axis=0)


def relu_backward(dout, x):
    """dout where x > 0, else 0 (the gradient at x == 0 is 0, as torch)."""
    dout = np.asarray(dout, dtype=np.float64)
    return np.where(np.asarray(x) > 0, dout, 0.0)


def _softmax(logits):
    z = logits - logits.max(axis=1, keepdims=True)  # no overflow for logits of +-1000
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy_backward(logits, target):
    """d/dlogits of the mean over N of -log softmax(logits)[i, target[i]]:
    (softmax - one_hot) / N."""
    logits = np.asarray(logits, dtype=np.float64)
    target = np.asarray(target).astype(np.int64)
    n = logits.shape[0]
    grad = _softmax(logits)
    grad[np.arange(n), target] -= 1.0
    return grad / n


# --- known wrong conventions ------------------------------------------------------------

def _linear_variant(case: Case, which: str):
    if case.fn != "linear_backward":
        return None
    dout, x, weight = case.args
    dx, dw, db = linear_backward(dout, x, weight)
    if which == "transposed":
        return dx, dw.T, db
    return dx, dw, np.asarray(dout, dtype=np.float64).copy()  # one bias gradient per sample


def _ce_no_mean(case: Case):
    if case.fn != "cross_entropy_backward":
        return None
    return cross_entropy_backward(*case.args) * case.args[0].shape[0]


VARIANTS = (
    Variant("dweight transposed (in, out) instead of weight's (out, in)",
            "dweight has weight's shape: dout.T @ x", lambda c: _linear_variant(c, "transposed")),
    Variant("dbias not summed over the batch",
            "the bias is shared by every sample: dbias = dout.sum(axis=0)",
            lambda c: _linear_variant(c, "unsummed")),
    Variant("missing 1/N (the gradient of the summed, not the mean, loss)",
            "the loss is the mean over N, so divide (softmax - one_hot) by N", _ce_no_mean),
)


# --- cases ------------------------------------------------------------------------------

_NAMES = {"linear_backward": ("dout", "x", "weight"), "relu_backward": ("dout", "x"),
          "cross_entropy_backward": ("logits", "target")}


def _case(fn, name, category, *args, seed=None) -> Case:
    args = tuple(np.asarray(a, dtype=np.int64 if i == 1 and fn == "cross_entropy_backward"
                            else np.float64) for i, a in enumerate(args))
    return Case(f"{fn} {name}", fn, fn, category, args, arg_names=_NAMES[fn], seed=seed)


def _linear_cases() -> list[Case]:
    c = lambda *a, **k: _case("linear_backward", *a, **k)  # noqa: E731
    x = [[1.0, 2.0], [3.0, 4.0]]
    w = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    out = [
        c("example: N=2, in=2, out=3", "example", [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], x, w),
        c("N=1 by hand", "edge", [[2.0, -1.0]], [[1.0, 1.0, 1.0]],
          [[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]]),
    ]
    rng = np.random.default_rng(SEED)
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    out += [
        c("N=1, in=4, out=3", "edge", r(1, 3), r(1, 4), r(3, 4)),
        c("zero dout", "edge", np.zeros((5, 3)), r(5, 4), r(3, 4)),
        # in == out: a transposed dweight has the right shape and only the values are wrong
        c("square weight (in == out)", "edge", r(4, 3), r(4, 3), r(3, 3)),
        c("in=1, out=1", "edge", r(6, 1), r(6, 1), r(1, 1)),
    ]
    for i in range(6):
        g = np.random.default_rng(SEED + 10 + i)
        n, fi, fo = (int(v) for v in g.integers(1, 12, size=3))
        out.append(c(f"random {i + 1} (N={n}, in={fi}, out={fo})", "random",
                     g.normal(size=(n, fo)), g.normal(size=(n, fi)), g.normal(size=(fo, fi)),
                     seed=SEED + 10 + i))
    g = np.random.default_rng(SEED + 90)
    out.append(c("timing: N=256, in=512, out=256", "timing", g.normal(size=(256, 256)),
                 g.normal(size=(256, 512)), g.normal(size=(256, 512)), seed=SEED + 90))
    return out


def _relu_cases() -> list[Case]:
    c = lambda *a, **k: _case("relu_backward", *a, **k)  # noqa: E731
    rng = np.random.default_rng(SEED + 1)
    out = [
        c("example: x == 0 gets no gradient", "example", [1.0, 2.0, 3.0, 4.0],
          [-1.0, 0.0, 0.5, 2.0]),
        c("(2, 2) by hand", "edge", [[5.0, -5.0], [1.5, 2.5]], [[3.0, 1.0], [-2.0, 0.0]]),
        c("all x == 0", "edge", rng.normal(size=(3, 4)), np.zeros((3, 4))),
        c("negative zero and tiny values", "edge", [1.0, 1.0, 1.0, 1.0, 1.0],
          [-0.0, 5e-324, -5e-324, 1e-300, -1e-300]),
        c("zero dout", "edge", np.zeros((2, 3)), rng.normal(size=(2, 3))),
        c("N=1, 4-D (1, 2, 3, 3)", "edge", rng.normal(size=(1, 2, 3, 3)),
          rng.normal(size=(1, 2, 3, 3))),
        c("empty", "edge", np.zeros((0, 3)), np.zeros((0, 3))),
    ]
    for i in range(5):
        g = np.random.default_rng(SEED + 20 + i)
        shape = tuple(int(v) for v in g.integers(1, 7, size=int(g.integers(1, 4))))
        # a quarter of the inputs exactly 0, to exercise the x == 0 convention
        x = g.normal(size=shape) * (g.uniform(size=shape) > 0.25)
        out.append(c(f"random {i + 1} {shape}", "random", g.normal(size=shape), x,
                     seed=SEED + 20 + i))
    g = np.random.default_rng(SEED + 91)
    # Only the exercise's first timing case (linear_backward's) is compared with the reference;
    # this one need only be large enough to show a Python loop (16 MiB of inputs cost every
    # grade the time to make them, send them, and check them back for changes).
    out.append(c("timing: (4, 64, 32, 32)", "timing", g.normal(size=(4, 64, 32, 32)),
                 g.normal(size=(4, 64, 32, 32)), seed=SEED + 91))
    return out


def _ce_cases() -> list[Case]:
    c = lambda *a, **k: _case("cross_entropy_backward", *a, **k)  # noqa: E731
    rng = np.random.default_rng(SEED + 2)
    out = [
        c("N=1, equal logits", "edge", [[0.0, 0.0]], [0]),
        c("example: N=2 (the 1/N)", "example", [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], [2, 0]),
        c("logits of +-1000", "edge", [[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0]],
          [1, 2]),
        c("one huge logit per row", "edge", [[800.0, 1.0, 2.0], [3.0, 4.0, 700.0]], [0, 0]),
        c("N=1", "edge", rng.normal(size=(1, 5)), [3]),
        c("C=1 (the gradient is 0)", "edge", rng.normal(size=(4, 1)), [0, 0, 0, 0]),
        c("every sample the same class", "edge", rng.normal(size=(6, 3)), [1] * 6),
    ]
    for i in range(5):
        g = np.random.default_rng(SEED + 30 + i)
        n, k = int(g.integers(1, 40)), int(g.integers(2, 12))
        out.append(c(f"random {i + 1} (N={n}, C={k})", "random", 3 * g.normal(size=(n, k)),
                     g.integers(0, k, size=n), seed=SEED + 30 + i))
    g = np.random.default_rng(SEED + 92)
    out.append(c("timing: N=512, C=1000", "timing", 3 * g.normal(size=(512, 1000)),
                 g.integers(0, 1000, size=512), seed=SEED + 92))  # small: see relu's
    return out


def make_cases() -> list[Case]:
    return _linear_cases() + _relu_cases() + _ce_cases()


EXERCISE = Exercise(
    id="backprop",
    title="Backpropagation: linear, ReLU, cross-entropy",
    parts=("linear_backward", "relu_backward", "cross_entropy_backward"),
    # Not every 梯度 (gradient): "gradient descent vs Newton" is not about the backward pass.
    card_pattern=pattern(r"back-?prop|backward pass|反向传播|梯度(消失|爆炸)"),
    hints=(
        "Write the forward pass on paper for one sample and one output, differentiate that "
        "scalar, then read the sum over the batch off the indices; check each gradient has "
        "the shape of what it differentiates.",
        "y = x @ W.T + b: dx = dout @ W, dW = dout.T @ x (shape (out, in), like W), "
        "db = dout summed over the batch. ReLU passes dout where x > 0 (not >=).",
        "Mean cross-entropy: p = softmax(logits) with the row max subtracted first; "
        "p[np.arange(N), target] -= 1; divide by N.",
    ),
    references={"linear_backward": linear_backward, "relu_backward": relu_backward,
                "cross_entropy_backward": cross_entropy_backward},
    make_cases=make_cases,
    variants=VARIANTS,
    outputs={"linear_backward": ("dx", "dweight", "dbias")},
)
