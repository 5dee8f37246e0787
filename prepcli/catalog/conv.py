"""2-D convolution: the reference, its cases, the known wrong conventions, hints.

One contraction over sliding windows, no Python loop over pixels.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern
from prepcli.catalog.common import SEED, _a, _pair, conv_out_size


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:
    """NCHW x OIHW cross-correlation, zero padding, floor output size, like F.conv2d."""
    from numpy.lib.stride_tricks import sliding_window_view

    x = np.asarray(x)
    w = np.asarray(weight)
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    n, c, h, wd = x.shape
    k, cg, r, s = w.shape
    g = int(groups)
    ho, wo = conv_out_size(h, r, sh, ph, dh), conv_out_size(wd, s, sw, pw, dw)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    # (N, C, H', W', R_span, S_span) -> strided to the output grid and the dilated taps
    win = sliding_window_view(xp, (dh * (r - 1) + 1, dw * (s - 1) + 1), axis=(2, 3))
    win = win[:, :, ::sh, ::sw, ::dh, ::dw][:, :, :ho, :wo]
    win = win.reshape(n, g, cg, ho, wo, r, s)
    wg = w.reshape(g, k // g, cg, r, s)
    out = np.einsum("ngchwrs,gkcrs->ngkhw", win, wg, optimize=True).reshape(n, k, ho, wo)
    if bias is not None:
        out = out + np.asarray(bias).reshape(1, k, 1, 1)
    return out


# --- cases ------------------------------------------------------------------------------

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


# --- known wrong conventions ------------------------------------------------------------

# The reference under a second name: the reference module made into a user file (tests)
# may rebind conv2d to a variant built on these helpers.
_conv2d = conv2d


def _conv_ceil(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    r, s = w.shape[2:]
    h, wd = x.shape[2:]
    extra = [(st - (n + 2 * p - d * (k - 1) - 1) % st) % st
             for n, p, d, k, st in ((h, ph, dh, r, sh), (wd, pw, dw, s, sw))]
    if not any(extra):
        return None
    xp = np.pad(x, ((0, 0), (0, 0), (0, extra[0]), (0, extra[1])))
    return _conv2d(xp, w, b, stride, padding, dilation, groups)


def _nhwc(case):
    out = case.expected()
    return out.transpose(0, 2, 3, 1)


VARIANTS = (
    Variant("flipped kernel (true convolution)",
            "deep-learning conv is cross-correlation: do not flip the kernel",
            lambda c: conv2d(c.args[0], c.args[1][:, :, ::-1, ::-1], c.args[2], **c.kwargs)),
    Variant("ceil instead of floor for the output size",
            "Ho = floor((H + 2p - d(R-1) - 1) / s) + 1: drop the last partial window",
            lambda c: _conv_ceil(*c.args, **c.kwargs)),
    Variant("NHWC output layout", "return (N, K, Ho, Wo), channels first like PyTorch", _nhwc),
)

HINTS = (
    "Pad once with np.pad, compute the output size with floor division, and "
    "do not flip the kernel.",
    "numpy.lib.stride_tricks.sliding_window_view(x_padded, (R, S), axis=(2, 3)) "
    "gives every window; take [..., ::stride_h, ::stride_w, :, :].",
    "Contract windows (N, C, Ho, Wo, R, S) with weight (K, C, R, S) in one "
    "np.einsum('nchwrs,kcrs->nkhw', ...). Dilation: a window of span "
    "d*(R-1)+1 sliced ::d. Groups: reshape C and K into (groups, ...).",
)

EXERCISE = Exercise(
    "conv", "2-D convolution", (CONV_CORE, CONV_ADV),
    pattern(r"卷积|(?<![a-z])conv(olution|2d)?(?![a-z])"),
    HINTS, {"conv2d": conv2d}, conv_cases, VARIANTS)
