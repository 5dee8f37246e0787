"""Max and average pooling, forward and backward: the references, their cases, the known
wrong conventions, hints.

The forward passes reduce over the kernel's few offsets (strided slices of the padded
input); the backward passes loop over those offsets, never over the image.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern
from prepcli.catalog.common import SEED, _a, _pair, conv_out_size


def _pool_geometry(shape, kernel_size, stride, padding):
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(stride if stride is not None else kernel_size)
    ph, pw = _pair(padding)
    h, w = shape[2], shape[3]
    return (kh, kw), (sh, sw), (ph, pw), (conv_out_size(h, kh, sh, ph),
                                          conv_out_size(w, kw, sw, pw))


def _windows(x, k, s, p, out, fill):
    from numpy.lib.stride_tricks import sliding_window_view

    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])), constant_values=fill)
    win = sliding_window_view(xp, k, axis=(2, 3))[:, :, ::s[0], ::s[1]]
    return win[:, :, :out[0], :out[1]]


def _offsets(x, k, s, p, out, fill):
    """For each of the kernel's kh*kw offsets, the (N, C, Ho, Wo) strided slice of the padded
    input it sees: reducing over these few slices is much faster than over window views."""
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])), constant_values=fill)
    for di in range(k[0]):
        for dj in range(k[1]):
            yield xp[:, :, di:di + s[0] * (out[0] - 1) + 1:s[0],
                     dj:dj + s[1] * (out[1] - 1) + 1:s[1]]


def max_pool2d(x, kernel_size, stride=None, padding=0) -> np.ndarray:
    x = np.asarray(x)
    k, s, p, out = _pool_geometry(x.shape, kernel_size, stride, padding)
    result = None
    for sl in _offsets(x, k, s, p, out, -np.inf):
        result = sl.copy() if result is None else np.maximum(result, sl, out=result)
    return result  # np.maximum propagates NaN, as PyTorch does


def _counts(shape, k, s, p, out, include_pad):
    if include_pad:
        return np.full(out, float(k[0] * k[1]))
    ones = np.ones((1, 1, shape[2], shape[3]))
    return _windows(ones, k, s, p, out, 0.0).sum(axis=(-2, -1))[0, 0]


def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    k, s, p, out = _pool_geometry(x.shape, kernel_size, stride, padding)
    total = np.zeros(x.shape[:2] + out)
    for sl in _offsets(x, k, s, p, out, 0.0):
        total += sl
    return total / _counts(x.shape, k, s, p, out, count_include_pad)


def _scatter(shape, k, s, p, out, per_offset):
    """Sum, into an input-shaped gradient, `per_offset(di, dj)` (N, C, Ho, Wo) for every
    kernel offset: a loop over the kernel's kh*kw offsets, vectorised over the image."""
    n, c, h, w = shape
    dxp = np.zeros((n, c, h + 2 * p[0], w + 2 * p[1]))
    for di in range(k[0]):
        for dj in range(k[1]):
            dxp[:, :, di:di + s[0] * (out[0] - 1) + 1:s[0],
                dj:dj + s[1] * (out[1] - 1) + 1:s[1]] += per_offset(di, dj)
    return dxp[:, :, p[0]:p[0] + h, p[1]:p[1] + w]


def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0) -> np.ndarray:
    """Gradient of sum(dout * max_pool2d(x)): each window's gradient goes to its first
    maximum in row-major order; overlapping windows add up."""
    x = np.asarray(x, dtype=np.float64)
    dout = np.asarray(dout, dtype=np.float64)
    k, s, p, out = _pool_geometry(x.shape, kernel_size, stride, padding)
    win = _windows(x, k, s, p, out, -np.inf)
    first = win.reshape(*win.shape[:4], -1).argmax(axis=-1)  # first max (or first NaN)
    return _scatter(x.shape, k, s, p, out,
                    lambda di, dj: np.where(first == di * k[1] + dj, dout, 0.0))


def avg_pool2d_backward(dout, x_shape, kernel_size, stride=None, padding=0,
                        count_include_pad=True) -> np.ndarray:
    dout = np.asarray(dout, dtype=np.float64)
    shape = tuple(int(v) for v in x_shape)
    k, s, p, out = _pool_geometry(shape, kernel_size, stride, padding)
    share = dout / _counts(shape, k, s, p, out, count_include_pad)
    return _scatter(shape, k, s, p, out, lambda di, dj: share)


REFERENCES = {f.__name__: f for f in (max_pool2d, avg_pool2d, max_pool2d_backward,
                                      avg_pool2d_backward)}


# --- cases ------------------------------------------------------------------------------

def pool_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    x16 = np.arange(16, dtype=float).reshape(1, 1, 4, 4)
    neg = -np.abs(r(1, 2, 5, 5)) - 0.1
    nan = r(1, 1, 4, 4)
    nan[0, 0, 1, 1] = np.nan
    ties = np.zeros((1, 1, 4, 4))
    ties[0, 0, 2:, 2:] = 1.0
    pairs = np.random.default_rng(SEED + 20)  # (cases added later: the others' draws kept)
    out: list[Case] = []

    def fwd(fn, name, cat, x, k, seed=None, **kw):
        out.append(Case(name, fn, fn, cat, (_a(x), k), kw, ("x", "kernel_size"),
                        exact=fn == "max_pool2d", seed=seed))

    def bwd(fn, name, cat, x, k, seed=None, **kw):
        x = _a(x)
        fwd_fn = REFERENCES[fn.replace("_backward", "")]
        dout = np.random.default_rng(seed or 1).normal(size=fwd_fn(x, k, **kw).shape)
        first = x if fn == "max_pool2d_backward" else tuple(x.shape)
        out.append(Case(name, fn, fn, cat, (dout, first, k), kw,
                        ("dout", "x" if fn == "max_pool2d_backward" else "x_shape",
                         "kernel_size"), seed=seed))

    for fn in ("max_pool2d", "avg_pool2d"):
        fwd(fn, f"{fn} example: 2x2 on 4x4", "example", x16, 2)
        fwd(fn, f"{fn}: stride 1, overlapping windows", "edge", r(1, 2, 5, 6), 2, stride=1)
        fwd(fn, f"{fn}: 7x5, kernel 3, stride 2", "edge", r(2, 1, 7, 5), 3, stride=2)
        # ((8 - 3) / 2 and (6 - 3) / 2 are not whole: the floor gives 3x2, a size rounded up
        # 4x3; the case above, named so, divided evenly: fault hunt 20)
        fwd(fn, f"{fn}: size not divisible (8x6, kernel 3, stride 2)", "edge",
            np.random.default_rng(SEED + 8).normal(size=(2, 1, 8, 6)), 3, stride=2)
        fwd(fn, f"{fn}: all-negative input with padding", "edge", neg, 3, stride=2, padding=1)
        fwd(fn, f"{fn}: (h, w) kernel, stride and padding", "edge", r(1, 3, 6, 8), (2, 3),
            stride=(2, 1), padding=(1, 1))
        # (unequal padding, and pairs in the backward passes below: padding read the wrong
        # way round, or a backward that takes only ints, passed every case: fault hunt 37.
        # Positive, so that it is no second case of the zero pad, the one above shows)
        fwd(fn, f"{fn}: (h, w) padding unequal", "edge",
            np.abs(pairs.normal(size=(1, 2, 6, 7))) + 0.1, (3, 2), stride=(1, 2), padding=(1, 0))
        fwd(fn, f"{fn}: NaN in the input", "edge", nan, 2)
        for i in range(3):
            k = int(rng.integers(2, 4))
            fwd(fn, f"{fn} random {i + 1}", "random", r(2, 3, 9, 8), k, seed=SEED + i,
                stride=int(rng.integers(1, 3)), padding=int(rng.integers(0, k // 2 + 1)))
        fwd(fn, f"{fn} timing: (8, 16, 64, 64), 2x2", "timing", r(8, 16, 64, 64), 2, seed=SEED)
    fwd("avg_pool2d", "avg_pool2d: count_include_pad=False", "edge", r(1, 2, 5, 5), 3,
        stride=2, padding=1, count_include_pad=False)

    bwd("max_pool2d_backward", "max_pool2d_backward example", "example", x16, 2)
    # (windows apart: code that overwrites instead of adding, wrong only where windows
    # overlap, fails the case below, not this one, which would point it at its ties)
    bwd("max_pool2d_backward", "max_pool2d_backward: ties go to the first maximum", "edge",
        ties, 2)
    bwd("max_pool2d_backward", "max_pool2d_backward: overlapping windows add up", "edge",
        r(1, 1, 5, 5), 3, stride=1)
    bwd("max_pool2d_backward", "max_pool2d_backward: all-negative with padding", "edge", neg,
        3, stride=2, padding=1)
    bwd("avg_pool2d_backward", "avg_pool2d_backward example", "example", x16, 2)
    bwd("avg_pool2d_backward", "avg_pool2d_backward: overlapping, padded", "edge",
        r(1, 2, 5, 5), 3, stride=1, padding=1)
    bwd("avg_pool2d_backward", "avg_pool2d_backward: count_include_pad=False", "edge",
        r(1, 2, 5, 5), 3, stride=2, padding=1, count_include_pad=False)
    for fn in ("max_pool2d_backward", "avg_pool2d_backward"):
        bwd(fn, f"{fn}: (h, w) kernel, stride and padding", "edge",
            pairs.normal(size=(1, 2, 7, 6)), (3, 2), stride=(2, 1), padding=(1, 0))
        for i in range(3):
            bwd(fn, f"{fn} random {i + 1}", "random", r(2, 2, 8, 7), 3, seed=SEED + i,
                stride=int(rng.integers(1, 3)), padding=1)
        bwd(fn, f"{fn} timing: (8, 16, 64, 64), 2x2", "timing", r(8, 16, 64, 64), 2, seed=SEED)
    return out


# --- known wrong conventions ------------------------------------------------------------

def _max_pool_zero_pad(x, kernel_size, stride=None, padding=0):
    k, s, p, out = _pool_geometry(x.shape, kernel_size, stride, padding)
    return _windows(x, k, s, p, out, 0.0).max(axis=(-2, -1))


def _max_pool_nanmax(x, kernel_size, stride=None, padding=0):
    if not np.isnan(x).any():
        return None
    k, s, p, out = _pool_geometry(x.shape, kernel_size, stride, padding)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.nanmax(_windows(x, k, s, p, out, -np.inf), axis=(-2, -1))


def _max_backward_split(dout, x, kernel_size, stride=None, padding=0):
    k, s, p, out = _pool_geometry(x.shape, kernel_size, stride, padding)
    win = _windows(x, k, s, p, out, -np.inf)
    is_max = win == win.max(axis=(-2, -1), keepdims=True)
    share = dout / is_max.sum(axis=(-2, -1))
    return _scatter(x.shape, k, s, p, out,
                    lambda di, dj: np.where(is_max[..., di, dj], share, 0.0))


def _max_backward_all_ties(dout, x, kernel_size, stride=None, padding=0):
    """The CS231n mask habit: `mask = window == window.max()`, so every tied maximum gets the
    window's whole gradient."""
    k, s, p, out = _pool_geometry(x.shape, kernel_size, stride, padding)
    win = _windows(x, k, s, p, out, -np.inf)
    is_max = win == win.max(axis=(-2, -1), keepdims=True)
    return _scatter(x.shape, k, s, p, out,
                    lambda di, dj: np.where(is_max[..., di, dj], dout, 0.0))


def _avg_real_cells(c):
    if c.fn not in ("avg_pool2d", "avg_pool2d_backward") or \
            not c.kwargs.get("count_include_pad", True):
        return None
    kw = dict(c.kwargs, count_include_pad=False)
    return REFERENCES[c.fn](*c.args, **kw)


VARIANTS = (
    Variant("zero padding for max pooling",
            "pad with -inf: a padded cell must never win the max",
            lambda c: _max_pool_zero_pad(*c.args, **c.kwargs) if c.fn == "max_pool2d" else None),
    Variant("nanmax (NaN ignored)", "a window containing NaN gives NaN, as in PyTorch",
            lambda c: _max_pool_nanmax(*c.args, **c.kwargs) if c.fn == "max_pool2d" else None),
    Variant("dividing by the real cells when count_include_pad=True",
            "with count_include_pad=True divide by the full window size, padding included",
            _avg_real_cells),
    Variant("the whole gradient to every tied maximum (mask = window == max)",
            "give the whole gradient of a window to its first maximum (row-major) only",
            lambda c: _max_backward_all_ties(*c.args, **c.kwargs)
            if c.fn == "max_pool2d_backward" else None),
    Variant("gradient split among tied maxima",
            "give the whole gradient of a window to its first maximum (row-major)",
            lambda c: _max_backward_split(*c.args, **c.kwargs)
            if c.fn == "max_pool2d_backward" else None),
)

HINTS = (
    "stride=None means stride = kernel_size. Pad max pooling with -np.inf and "
    "average pooling with 0.",
    "sliding_window_view over the padded input, strided, then .max() or "
    ".sum() over the last two axes. np.max propagates NaN; np.nanmax does not.",
    "Backward: find each window's first argmax on the flattened window; loop "
    "over the kernel's kh*kw offsets (not the pixels) adding dout into a "
    "padded gradient, then crop the padding.",
)

EXERCISE = Exercise(
    "pool", "Max and average pooling, forward and backward",
    ("max_pool2d", "avg_pool2d", "max_pool2d_backward", "avg_pool2d_backward"),
    # ROI pooling is a different operation from the exercise's pooling.
    pattern(r"(?<!roi )(?<!roi)(池化|pool(ing)?(?![a-z]))"),
    HINTS, REFERENCES, pool_cases, VARIANTS)
