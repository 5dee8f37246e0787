"""conv2d_backward, the new part of the `conv` exercise (../design/exercises.md,
"conv2d_backward"): reference, cases and variants, kept here until they move into conv.py.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Variant, np

BACKWARD = "conv2d_backward"
SEED = 20241403  # every random case is generated from its own seed, so it can be replayed


def _pair(v) -> tuple[int, int]:
    if isinstance(v, (tuple, list)):
        return int(v[0]), int(v[1])
    return int(v), int(v)


def _conv_dx(dout, weight, x_shape, stride, padding, flip=True, crop=True):
    """dx: dout spread back over the padded input, as a full cross-correlation of the
    stride-dilated dout with the kernel turned by 180 degrees, then the padding cropped."""
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    n, c, h, w = x_shape
    k, _, r, s = weight.shape
    ho, wo = dout.shape[2:]
    # dout with stride - 1 zeros between its entries, framed by R - 1 (S - 1) zeros
    up = np.zeros((n, k, (ho - 1) * sh + 2 * r - 1, (wo - 1) * sw + 2 * s - 1))
    up[:, :, r - 1:r - 1 + (ho - 1) * sh + 1:sh, s - 1:s - 1 + (wo - 1) * sw + 1:sw] = dout
    win = np.lib.stride_tricks.sliding_window_view(up, (r, s), axis=(2, 3))
    turned = weight[:, :, ::-1, ::-1] if flip else weight
    covered = np.einsum("nkhwrs,kcrs->nchw", win, turned, optimize=True)
    # rows and columns of the padded input that no window reached (floor) get no gradient
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    dxp[:, :, :covered.shape[2], :covered.shape[3]] = covered
    return dxp[:, :, ph:ph + h, pw:pw + w] if crop else dxp


def conv2d_backward(dout, x, weight, stride=1, padding=0):
    """(dx, dweight, dbias): the gradients of sum(dout * conv2d(x, weight, bias, stride,
    padding)) for dilation 1 and groups 1."""
    dout = np.asarray(dout, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    r, s = weight.shape[2:]
    ho, wo = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (r, s), axis=(2, 3))
    win = win[:, :, ::sh, ::sw][:, :, :ho, :wo]  # (N, C, Ho, Wo, R, S): what each output saw
    dweight = np.einsum("nchwrs,nkhw->kcrs", win, dout, optimize=True)
    return (_conv_dx(dout, weight, x.shape, stride, padding), dweight,
            dout.sum(axis=(0, 2, 3)))


# --- known wrong conventions ------------------------------------------------------------

def _backward_variant(how: str):
    def compute(case: Case):
        if case.fn != BACKWARD:
            return None
        dout, x, weight = case.args
        stride, padding = case.kwargs.get("stride", 1), case.kwargs.get("padding", 0)
        dx, dw, db = conv2d_backward(dout, x, weight, stride, padding)
        if how == "unflipped":
            return _conv_dx(dout, weight, x.shape, stride, padding, flip=False), dw, db
        if how == "uncropped":
            if _pair(padding) == (0, 0):
                return None
            return _conv_dx(dout, weight, x.shape, stride, padding, crop=False), dw, db
        if how == "over N only":
            return dx, dw, dout.sum(axis=0)
        return dx, dw, dout.sum(axis=(2, 3))  # over H, W only: one per sample
    return compute


_DBIAS_FIX = "the bias is added at every position of every sample: dout.sum(axis=(0, 2, 3))"

BACKWARD_VARIANTS = (
    Variant("kernel not flipped in dx",
            "dx correlates the stride-dilated dout with the kernel turned by 180 degrees "
            "(weight[:, :, ::-1, ::-1]), or scatter dout[n, k, i, j] * weight[k] back onto "
            "each window", _backward_variant("unflipped")),
    Variant("padding not cropped from dx",
            "dx has x's shape: cut the padding off, dx_padded[:, :, p:p + H, p:p + W]",
            _backward_variant("uncropped")),
    # The contract's "dbias not summed over N, H, W": summed over N only, or over H, W only.
    Variant("dbias not summed over H, W (only over N)", _DBIAS_FIX,
            _backward_variant("over N only")),
    Variant("dbias not summed over N (one per sample)", _DBIAS_FIX,
            _backward_variant("over H, W only")),
)


# --- cases ------------------------------------------------------------------------------

def _out_size(size, k, s, p):
    return (size + 2 * p - k) // s + 1


def backward_case(name, category, dout, x, weight, seed=None, **kw) -> Case:
    args = tuple(np.asarray(a, dtype=np.float64) for a in (dout, x, weight))
    return Case(name, BACKWARD, BACKWARD, category, args, kw,
                arg_names=("dout", "x", "weight"), seed=seed)


def _random(g, n, c, h, w, k, r, s, stride=1, padding=0):
    """dout, x, weight of matching shapes, drawn from `g`."""
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    ho, wo = _out_size(h, r, sh, ph), _out_size(w, s, sw, pw)
    return g.normal(size=(n, k, ho, wo)), g.normal(size=(n, c, h, w)), g.normal(size=(k, c, r, s))


def backward_cases() -> list[Case]:
    c = backward_case
    x9 = np.arange(9.0).reshape(1, 1, 3, 3)
    w4 = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    g = np.random.default_rng(SEED)
    r = lambda *a, **k: _random(g, *a, **k)  # noqa: E731
    out = [
        c(f"{BACKWARD} example: 2x2 kernel, dout of ones", "example", np.ones((1, 1, 2, 2)),
          x9, w4),
        c(f"{BACKWARD} example: stride 2, padding 1", "example",
          np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), x9, w4, stride=2, padding=1),
        c(f"{BACKWARD} N=1, C=1, K=1", "edge", *r(1, 1, 5, 5, 1, 3, 3)),
        c(f"{BACKWARD} zero dout", "edge", np.zeros((2, 3, 3, 3)), g.normal(size=(2, 2, 5, 5)),
          g.normal(size=(3, 2, 3, 3))),
        c(f"{BACKWARD} 1x1 kernel", "edge", *r(2, 3, 4, 5, 4, 1, 1)),
        c(f"{BACKWARD} size not divisible by the stride", "edge", *r(1, 2, 7, 6, 3, 2, 2,
                                                                       stride=2), stride=2),
        c(f"{BACKWARD} stride 3 leaves rows and columns unused", "edge",
          *r(2, 2, 8, 7, 2, 2, 2, stride=3), stride=3),
        c(f"{BACKWARD} padding that does not divide, stride 2", "edge",
          *r(1, 2, 6, 7, 3, 3, 3, stride=2, padding=1), stride=2, padding=1),
        c(f"{BACKWARD} stride and padding as (h, w) pairs", "edge",
          *r(2, 2, 7, 9, 3, 3, 2, stride=(2, 3), padding=(1, 0)), stride=(2, 3),
          padding=(1, 0)),
        c(f"{BACKWARD} non-square kernel, padding 2", "edge",
          *r(1, 3, 6, 6, 2, 2, 5, padding=2), padding=2),
        c(f"{BACKWARD} kernel as large as the padded input", "edge",
          *r(1, 1, 3, 3, 2, 5, 5, padding=1), padding=1),
        c(f"{BACKWARD} stride larger than the kernel", "edge",
          *r(1, 2, 9, 9, 2, 2, 2, stride=3, padding=1), stride=3, padding=1),
    ]
    for i in range(6):
        seed = SEED + 10 + i
        g = np.random.default_rng(seed)
        n, ci, k = (int(v) for v in g.integers(1, 4, size=3))
        h, w = (int(v) for v in g.integers(5, 12, size=2))
        kh, kw = (int(v) for v in g.integers(1, 4, size=2))
        st, p = int(g.integers(1, 4)), int(g.integers(0, 2))
        out.append(c(f"{BACKWARD} random {i + 1}", "random",
                     *_random(g, n, ci, h, w, k, kh, kw, stride=st, padding=p), seed=seed,
                     stride=st, padding=p))
    seed = SEED + 90
    g = np.random.default_rng(seed)
    out.append(c(f"{BACKWARD} timing: (4,32,32,32) x (32,32,3,3), padding 1", "timing",
                 *_random(g, 4, 32, 32, 32, 32, 3, 3, padding=1), seed=seed, padding=1))
    return out
