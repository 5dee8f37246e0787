"""Test cases for every exercise: the visible examples (the stubs' docstrings), hidden edge
cases by category, a seeded random sweep and one larger timing case.

Expected outputs are computed here, in the grading process, from the reference kernels; only
the inputs ever reach the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from prepcli import kernels as K

SEED = 20240601  # the random sweep is the same on every run, so a failure can be replayed


@dataclass
class Case:
    name: str
    part: str  # the part it belongs to (a function, or conv's advanced cases)
    fn: str  # the function called
    category: str  # example, edge, random or timing
    args: tuple
    kwargs: dict = field(default_factory=dict)
    arg_names: tuple = ()
    exact: bool = False  # indices and max pooling compare exactly
    seed: int | None = None
    _expected: object = field(default=None, repr=False, compare=False)

    def expected(self):
        """The reference output, computed once (verdicts and variant matching both need it)."""
        if self._expected is None:
            self._expected = getattr(K, self.fn)(*self.args, **self.kwargs)
        return self._expected

    def describe_inputs(self, limit: int = 60) -> str:
        """The inputs, written out if small, else their shapes (and the seed)."""
        parts = []
        for name, v in list(zip(self.arg_names, self.args)) + list(self.kwargs.items()):
            if isinstance(v, np.ndarray) and v.size > limit:
                parts.append(f"{name}: array{v.shape} {v.dtype}")
            elif isinstance(v, np.ndarray):
                parts.append(f"{name} = np.{np.array_repr(v, precision=6)}")
            else:
                parts.append(f"{name} = {v!r}")
        if self.seed is not None:
            parts.append(f"(random, seed {self.seed})")
        return "\n".join(parts)


def _boxes(rng, n, span=100.0, size=30.0, integer=False):
    xy = rng.uniform(0, span, size=(n, 2))
    wh = rng.uniform(0, size, size=(n, 2))
    b = np.hstack([xy, xy + wh])
    return np.round(b) if integer else b


def _a(x, dtype=np.float64):
    return np.asarray(x, dtype=dtype)


# --- nms --------------------------------------------------------------------------------

def nms_cases() -> list[Case]:
    names = ("boxes", "scores", "iou_threshold")

    def c(name, cat, boxes, scores, thr, seed=None):
        return Case(name, "nms", "nms", cat, (_a(boxes).reshape(-1, 4), _a(scores), float(thr)),
                    arg_names=names, exact=True, seed=seed)

    ex = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    out = [
        c("example 1: overlap above the threshold", "example", ex, [0.9, 0.8, 0.7], 0.5),
        c("example 2: overlap below the threshold", "example", ex, [0.9, 0.8, 0.7], 0.7),
        c("example 3: no boxes", "example", np.zeros((0, 4)), np.zeros(0), 0.5),
        c("one box", "edge", [[1, 2, 3, 4]], [0.3], 0.5),
        # IoU exactly 0.5: 2 / 4. Kept with `>`, suppressed with `>=`.
        c("IoU equal to the threshold", "edge", [[0, 0, 3, 1], [1, 0, 4, 1]], [0.9, 0.8], 0.5),
        c("equal scores: lower index first", "edge",
          [[50, 50, 60, 60], [0, 0, 10, 10], [0, 0, 10, 10.5], [20, 20, 30, 30]],
          [0.5, 0.7, 0.7, 0.7], 0.5),
        c("scores not in index order", "edge",
          [[0, 0, 10, 10], [30, 30, 40, 40], [60, 60, 70, 70], [1, 1, 10, 10]],
          [0.2, 0.9, 0.5, 0.95], 0.5),
        # Small integer boxes: with a "+1" pixel area the IoU of these two is 0.6, else 0.5.
        c("small integer boxes (continuous coordinates)", "edge",
          [[0, 0, 2, 2], [0, 0, 2, 1], [5, 5, 6, 6]], [0.9, 0.8, 0.7], 0.55),
        c("zero-area boxes never suppress each other", "edge",
          [[5, 5, 5, 5], [5, 5, 5, 5], [0, 0, 0, 4]], [0.9, 0.8, 0.7], 0.0),
        c("threshold 0: any overlap suppresses", "edge",
          [[0, 0, 10, 10], [9, 9, 20, 20], [10, 10, 20, 20]], [0.9, 0.8, 0.7], 0.0),
        c("threshold 1: nothing is suppressed", "edge",
          [[0, 0, 10, 10], [0, 0, 10, 10], [1, 1, 9, 9]], [0.9, 0.8, 0.7], 1.0),
        c("identical boxes", "edge", [[1, 1, 5, 5]] * 4, [0.1, 0.4, 0.3, 0.2], 0.5),
    ]
    rng = np.random.default_rng(SEED)
    for i in range(8):
        n = int(rng.integers(5, 120))
        out.append(c(f"random {i + 1} (N={n})", "random", _boxes(rng, n, integer=i % 2 == 0),
                     rng.integers(0, 20, size=n) / 20, float(rng.uniform(0.2, 0.8)), SEED + i))
    rng = np.random.default_rng(SEED + 100)
    out.append(c("timing: 2000 boxes", "timing", _boxes(rng, 2000, span=1000, size=80),
                 rng.uniform(size=2000), 0.5, SEED + 100))
    return out


# --- iou --------------------------------------------------------------------------------

def iou_cases() -> list[Case]:
    out = []
    names = ("boxes1", "boxes2")
    for fn in ("box_iou", "generalized_box_iou"):
        def c(name, cat, b1, b2, seed=None, dtype=np.float64):
            return Case(name, fn, fn, cat, (_a(b1, dtype).reshape(-1, 4), _a(b2, dtype).reshape(-1, 4)),
                        arg_names=names, seed=seed)

        out += [
            c(f"{fn} example: partial overlap", "example", [[0, 0, 2, 2]],
              [[1, 1, 3, 3], [0, 0, 2, 2]]),
            c(f"{fn} example: apart", "example", [[0, 0, 1, 1]], [[2, 2, 3, 3]]),
            c(f"{fn}: no boxes on the left (0, M)", "edge", np.zeros((0, 4)), [[0, 0, 1, 1]] * 2),
            c(f"{fn}: no boxes on the right (N, 0)", "edge", [[0, 0, 1, 1]] * 3, np.zeros((0, 4))),
            c(f"{fn}: integer boxes give float results", "edge",
              [[0, 0, 100, 100], [0, 0, 50, 50], [200, 200, 300, 300]],
              [[0, 0, 100, 100], [0, 0, 50, 50], [200, 200, 300, 300]], dtype=np.int64),
            c(f"{fn}: zero-area boxes (union 0)", "edge", [[1, 1, 1, 1], [0, 0, 2, 0]],
              [[1, 1, 1, 1], [3, 3, 4, 4]]),
            c(f"{fn}: one box inside another", "edge", [[0, 0, 10, 10]], [[2, 2, 4, 4], [0, 0, 10, 10]]),
            c(f"{fn}: touching edges", "edge", [[0, 0, 1, 1]], [[1, 0, 2, 1], [1, 1, 2, 2]]),
        ]
        rng = np.random.default_rng(SEED + (0 if fn == "box_iou" else 50))
        for i in range(5):
            n, m = int(rng.integers(1, 40)), int(rng.integers(1, 40))
            out.append(c(f"{fn} random {i + 1} ({n}x{m})", "random", _boxes(rng, n),
                         _boxes(rng, m), SEED + i))
        out.append(c(f"{fn} timing: 1000x1000", "timing", _boxes(rng, 1000, 1000, 100),
                     _boxes(rng, 1000, 1000, 100), SEED + 99))
    return out


# --- conv -------------------------------------------------------------------------------

CONV_CORE, CONV_ADV = "conv2d", "conv2d (dilation, groups)"


def conv_cases() -> list[Case]:
    names = ("x", "weight", "bias")

    def c(name, cat, x, w, b=None, part=CONV_CORE, seed=None, **kw):
        return Case(name, part, "conv2d", cat, (_a(x), _a(w), None if b is None else _a(b)),
                    kw, names, seed=seed)

    x16 = np.arange(1, 17, dtype=float).reshape(1, 1, 4, 4)
    rng = np.random.default_rng(SEED)
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    asym = np.array([[[[1.0, 2.0, 0.0], [-1.0, 0.5, 3.0], [0.0, 0.0, -2.0]]]])
    out = [
        c("example 1: 2x2 window sums", "example", x16, np.ones((1, 1, 2, 2))),
        c("example 2: stride 2, padding 1", "example", x16, np.ones((1, 1, 2, 2)),
          stride=2, padding=1),
        c("example 3: bias, several channels", "example", np.ones((2, 3, 5, 5)),
          np.ones((4, 3, 3, 3)), np.arange(4.0)),
        c("asymmetric kernel (no flip)", "edge", x16, asym),
        c("1x1 kernel", "edge", r(2, 3, 4, 5), r(6, 3, 1, 1), r(6)),
        c("size not divisible by the stride", "edge", r(1, 2, 7, 6), r(3, 2, 2, 2), stride=2),
        c("stride and padding as (h, w) pairs", "edge", r(2, 2, 7, 9), r(3, 2, 3, 2), r(3),
          stride=(2, 3), padding=(1, 0)),
        c("non-square kernel, padding 2", "edge", r(1, 3, 6, 6), r(2, 3, 2, 5), padding=2),
        c("all-negative input", "edge", -np.abs(r(1, 2, 5, 5)), np.abs(r(2, 2, 3, 3)), padding=1),
        c("kernel as large as the padded input", "edge", r(1, 1, 3, 3), r(1, 1, 5, 5), padding=1),
        c("N=1, C=1", "edge", r(1, 1, 6, 6), r(1, 1, 3, 3), r(1)),
        c("dilation 2", "edge", r(1, 2, 9, 9), r(3, 2, 3, 3), part=CONV_ADV, dilation=2),
        c("groups 2", "edge", r(2, 4, 6, 6), r(6, 2, 3, 3), r(6), part=CONV_ADV, groups=2),
        c("depthwise (groups = C)", "edge", r(1, 3, 5, 5), r(3, 1, 3, 3), part=CONV_ADV,
          groups=3, padding=1),
        c("dilation, stride, padding and groups together", "edge", r(2, 4, 11, 10),
          r(4, 2, 3, 2), r(4), part=CONV_ADV, dilation=(2, 1), stride=2, padding=(2, 1),
          groups=2),
    ]
    for i in range(6):
        n, ci, k = (int(v) for v in rng.integers(1, 4, size=3))
        h, w = (int(v) for v in rng.integers(5, 12, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
        s, p = int(rng.integers(1, 3)), int(rng.integers(0, 2))
        out.append(c(f"random {i + 1}", "random", r(n, ci, h, w), r(k, ci, kh, kw), r(k),
                     seed=SEED + i, stride=s, padding=p))
    for i in range(3):
        g = int(rng.integers(1, 3))
        out.append(c(f"random advanced {i + 1}", "random", r(2, 2 * g, 9, 8), r(2 * g, 2, 3, 3),
                     r(2 * g), part=CONV_ADV, seed=SEED + 10 + i, dilation=2, groups=g,
                     padding=1))
    out.append(c("timing: (2,16,32,32) x (16,16,3,3)", "timing", r(2, 16, 32, 32),
                 r(16, 16, 3, 3), r(16), seed=SEED, padding=1))
    return out


# --- bn ---------------------------------------------------------------------------------

def bn_cases() -> list[Case]:
    names = ("x", "gamma", "beta", "running_mean", "running_var")
    rng = np.random.default_rng(SEED)
    r = lambda *s: rng.normal(size=s)  # noqa: E731

    def c(name, cat, x, g, b, rm, rv, seed=None, **kw):
        return Case(name, "batchnorm", "batchnorm", cat, tuple(_a(v) for v in (x, g, b, rm, rv)),
                    kw, names, seed=seed)

    ex = np.array([[1.0, 2.0], [3.0, 6.0]])
    one, zero = np.ones(2), np.zeros(2)
    out = [
        c("example 1: training, (N, C)", "example", ex, one, zero, zero, one),
        c("example 2: eval uses the running statistics", "example", ex, one, zero, zero, one,
          training=False),
        c("(N, C, H, W) input", "edge", r(4, 3, 5, 5), r(3), r(3), r(3), np.abs(r(3)) + 0.5),
        c("two samples per channel (unbiased n/(n-1) = 2)", "edge", r(2, 4), r(4), r(4),
          zero.repeat(2), one.repeat(2)),
        c("momentum 0.3", "edge", r(8, 3), r(3), r(3), r(3), np.abs(r(3)) + 0.5, momentum=0.3),
        c("large eps", "edge", r(6, 2) * 0.1, one, zero, zero, one, eps=0.5),
        c("a constant channel (variance 0)", "edge", np.hstack([np.full((5, 1), 3.0), r(5, 1)]),
          one, zero, zero, one),
        c("eval on (N, C, H, W)", "edge", r(3, 2, 4, 4), r(2), r(2), r(2), np.abs(r(2)) + 0.1,
          training=False),
        c("negative gamma", "edge", r(5, 3), -np.abs(r(3)), r(3), r(3), np.abs(r(3)) + 0.5),
    ]
    for i in range(5):
        shape = (int(rng.integers(2, 9)), int(rng.integers(1, 6)))
        if i % 2:
            shape += (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        ch = shape[1]
        out.append(c(f"random {i + 1} {shape}", "random", r(*shape) * 3 + 1, r(ch), r(ch), r(ch),
                     np.abs(r(ch)) + 0.1, seed=SEED + i, momentum=float(rng.uniform(0.05, 0.5))))
    out.append(c("timing: (32, 64, 28, 28)", "timing", r(32, 64, 28, 28), r(64), r(64), r(64),
                 np.abs(r(64)) + 0.5, seed=SEED))
    return out


# --- pool -------------------------------------------------------------------------------

def pool_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    x16 = np.arange(16, dtype=float).reshape(1, 1, 4, 4)
    neg = -np.abs(r(1, 2, 5, 5)) - 0.1
    nan = r(1, 1, 4, 4)
    nan[0, 0, 1, 1] = np.nan
    ties = np.zeros((1, 1, 4, 4))
    ties[0, 0, 2:, 2:] = 1.0
    out: list[Case] = []

    def fwd(fn, name, cat, x, k, seed=None, **kw):
        out.append(Case(name, fn, fn, cat, (_a(x), k), kw, ("x", "kernel_size"),
                        exact=fn == "max_pool2d", seed=seed))

    def bwd(fn, name, cat, x, k, seed=None, **kw):
        x = _a(x)
        fwd_fn = getattr(K, fn.replace("_backward", ""))
        dout = np.random.default_rng(seed or 1).normal(size=fwd_fn(x, k, **kw).shape)
        first = x if fn == "max_pool2d_backward" else tuple(x.shape)
        out.append(Case(name, fn, fn, cat, (dout, first, k), kw,
                        ("dout", "x" if fn == "max_pool2d_backward" else "x_shape",
                         "kernel_size"), seed=seed))

    for fn in ("max_pool2d", "avg_pool2d"):
        fwd(fn, f"{fn} example: 2x2 on 4x4", "example", x16, 2)
        fwd(fn, f"{fn}: stride 1, overlapping windows", "edge", r(1, 2, 5, 6), 2, stride=1)
        fwd(fn, f"{fn}: size not divisible", "edge", r(2, 1, 7, 5), 3, stride=2)
        fwd(fn, f"{fn}: all-negative input with padding", "edge", neg, 3, stride=2, padding=1)
        fwd(fn, f"{fn}: (h, w) kernel, stride and padding", "edge", r(1, 3, 6, 8), (2, 3),
            stride=(2, 1), padding=(1, 1))
        fwd(fn, f"{fn}: NaN in the input", "edge", nan, 2)
        for i in range(3):
            k = int(rng.integers(2, 4))
            fwd(fn, f"{fn} random {i + 1}", "random", r(2, 3, 9, 8), k, seed=SEED + i,
                stride=int(rng.integers(1, 3)), padding=int(rng.integers(0, k // 2 + 1)))
        fwd(fn, f"{fn} timing: (8, 16, 64, 64), 2x2", "timing", r(8, 16, 64, 64), 2, seed=SEED)
    fwd("avg_pool2d", "avg_pool2d: count_include_pad=False", "edge", r(1, 2, 5, 5), 3,
        stride=2, padding=1, count_include_pad=False)

    bwd("max_pool2d_backward", "max_pool2d_backward example", "example", x16, 2)
    bwd("max_pool2d_backward", "max_pool2d_backward: ties go to the first maximum", "edge",
        ties, 2, stride=1)
    bwd("max_pool2d_backward", "max_pool2d_backward: overlapping windows add up", "edge",
        r(1, 1, 5, 5), 3, stride=1, padding=1)
    bwd("max_pool2d_backward", "max_pool2d_backward: all-negative with padding", "edge", neg,
        3, stride=2, padding=1)
    bwd("avg_pool2d_backward", "avg_pool2d_backward example", "example", x16, 2)
    bwd("avg_pool2d_backward", "avg_pool2d_backward: overlapping, padded", "edge",
        r(1, 2, 5, 5), 3, stride=1, padding=1)
    bwd("avg_pool2d_backward", "avg_pool2d_backward: count_include_pad=False", "edge",
        r(1, 2, 5, 5), 3, stride=2, padding=1, count_include_pad=False)
    for fn in ("max_pool2d_backward", "avg_pool2d_backward"):
        for i in range(3):
            bwd(fn, f"{fn} random {i + 1}", "random", r(2, 2, 8, 7), 3, seed=SEED + i,
                stride=int(rng.integers(1, 3)), padding=1)
        bwd(fn, f"{fn} timing: (8, 16, 64, 64), 2x2", "timing", r(8, 16, 64, 64), 2, seed=SEED)
    return out


CASES = {"nms": nms_cases, "iou": iou_cases, "conv": conv_cases, "bn": bn_cases,
         "pool": pool_cases}
CATEGORY_ORDER = {"example": 0, "edge": 1, "random": 2, "timing": 3}


def cases_for(exercise: str) -> list[Case]:
    """Visible examples first, then hidden cases by category, the sweep, the timing case."""
    return sorted(CASES[exercise](), key=lambda c: CATEGORY_ORDER[c.category])
