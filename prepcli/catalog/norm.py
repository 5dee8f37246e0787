"""Exercise `norm`: LayerNorm, GroupNorm and RMSNorm, as `torch.nn.functional`.

All three normalise each sample over some of its own axes (never over the batch): the last
len(normalized_shape) axes for layer_norm and rms_norm, each group of contiguous channels
(with everything after them) for group_norm.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern

SEED = 20240615  # the sweep is the same on every run, so a failure can be replayed
LN, GN, RMS = "layer_norm", "group_norm", "rms_norm"


# --- reference ----------------------------------------------------------------------------

def _axes(x, normalized_shape):
    """The last len(normalized_shape) axes; normalized_shape may be an int, tuple or list."""
    k = 1 if isinstance(normalized_shape, (int, np.integer)) else len(normalized_shape)
    return tuple(range(x.ndim - k, x.ndim))


def _standardise(x, axes, eps, ddof=0, eps_outside=False, centre=True):
    """(x - mean) / sqrt(var + eps) over `axes` (centre=False: x / sqrt(mean(x^2) + eps)), as
    a new array (x is not changed). The variance is taken from the centred values, so a large
    offset does not cancel it away. The keywords let the wrong variants reuse it."""
    if centre:  # the second pass removes the first mean's rounding (~1e-10 at offset 1e6)
        y = x - x.mean(axis=axes, keepdims=True)
        y -= y.mean(axis=axes, keepdims=True)
    else:
        y = x.copy()
    n = np.prod([x.shape[a] for a in axes])
    # 0 / 0 only in the wrong variants (ddof=1 on one value; one sample's batch statistics
    # with eps 0): NaN there, without a warning in the grader's output
    with np.errstate(divide="ignore", invalid="ignore"):
        ms = np.square(y).sum(axis=axes, keepdims=True) / (n - ddof)
        y /= np.sqrt(ms) + eps if eps_outside else np.sqrt(ms + eps)
    return y


def _affine(y, weight, bias, shape=None):
    """y * weight + bias, in place on y (always an array of our own)."""
    if weight is not None:
        y *= weight if shape is None else np.reshape(weight, shape)
    if bias is not None:
        y += bias if shape is None else np.reshape(bias, shape)
    return y


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    return _affine(_standardise(x, _axes(x, normalized_shape), eps), weight, bias)


def _channel_shape(x):
    return (x.shape[1],) + (1,) * (x.ndim - 2)


def _grouped(x, num_groups, interleaved=False):
    """(N, C, *) -> (N, G, C/G * prod(*)): group g holds channels g*C/G ... (g+1)*C/G - 1
    (interleaved, a known wrong variant: channels g, g + G, g + 2G, ...)."""
    n, c = x.shape[:2]
    if interleaved:
        return x.reshape(n, c // num_groups, num_groups, -1).swapaxes(1, 2).reshape(
            n, num_groups, -1)
    return x.reshape(n, num_groups, -1)


def _ungrouped(y, shape, num_groups, interleaved=False):
    if interleaved:
        n, c = shape[:2]
        return y.reshape(n, num_groups, c // num_groups, -1).swapaxes(1, 2).reshape(shape)
    return y.reshape(shape)


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    y = _standardise(_grouped(x, num_groups), (2,), eps).reshape(x.shape)
    return _affine(y, weight, bias, _channel_shape(x))


def rms_norm(x, normalized_shape, weight=None, eps=1e-6):
    x = np.asarray(x, dtype=np.float64)
    return _affine(_standardise(x, _axes(x, normalized_shape), eps, centre=False), weight, None)


# --- cases --------------------------------------------------------------------------------

def _case(fn, name, cat, x, shape_or_groups, seed=None, **kw):
    second = "num_groups" if fn == GN else "normalized_shape"
    return Case(name, fn, fn, cat, (np.asarray(x, dtype=np.float64), shape_or_groups), kw,
                ("x", second), seed=seed)


def _ln_cases(rng) -> list[Case]:
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    x4 = np.array([[1.0, 2.0, 3.0, 4.0]])
    out = [
        _case(LN, "example 1: one row, no affine", "example", x4, (4,)),
        _case(LN, "example 2: weight and bias, eps 0", "example", x4, 4,
              weight=np.array([1.0, 1.0, 2.0, 2.0]), bias=np.array([0.0, 0.0, 0.0, 1.0]), eps=0.0),
        _case(LN, "normalized_shape as an int", "edge", r(3, 5), 5, weight=r(5), bias=r(5)),
        _case(LN, "normalized_shape as a list", "edge", r(2, 3, 4), [3, 4], weight=r(3, 4)),
        _case(LN, "(N, C, H, W) over (C, H, W)", "edge", r(2, 3, 4, 5), (3, 4, 5),
              weight=r(3, 4, 5), bias=r(3, 4, 5)),
        _case(LN, "(N, T, D) over the last axis, bias only", "edge", r(2, 6, 8), (8,),
              bias=r(8)),
        _case(LN, "one sample (N = 1)", "edge", r(1, 7), (7,)),
        _case(LN, "large offset (1e6 + unit noise)", "edge", 1e6 + r(4, 16), (16,)),
        _case(LN, "constant rows (variance 0)", "edge", np.full((3, 4), 2.5), (4,),
              bias=np.array([0.5, -0.5, 1.0, 0.0])),
        _case(LN, "eps 0.1", "edge", 0.3 * r(3, 6), (6,), eps=0.1),
    ]
    return out


def _gn_cases(rng) -> list[Case]:
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    x = np.array([[[1.0], [3.0], [2.0], [10.0]]])  # (1, 4, 1)
    return [
        _case(GN, "example 1: 2 groups of contiguous channels", "example", x, 2, eps=0.0),
        _case(GN, "example 2: weight and bias per channel", "example", x, 2,
              weight=np.array([1.0, 2.0, 1.0, 1.0]), bias=np.array([0.0, 0.0, 5.0, 5.0]),
              eps=0.0),
        _case(GN, "one group (N, C, H, W)", "edge", r(2, 4, 3, 3), 1, weight=r(4), bias=r(4)),
        _case(GN, "groups = channels (instance norm)", "edge", r(2, 6, 4, 5), 6, weight=r(6)),
        _case(GN, "(N, C) input", "edge", r(3, 8), 4, weight=r(8), bias=r(8)),
        _case(GN, "(N, C, L) input", "edge", r(2, 6, 7), 3, bias=r(6)),
        _case(GN, "(N, C, D, H, W) input", "edge", r(2, 4, 2, 3, 3), 2, weight=r(4), bias=r(4)),
        _case(GN, "one sample (N = 1)", "edge", r(1, 6, 3, 3), 3),
        _case(GN, "large offset (1e6 + unit noise)", "edge", 1e6 + r(2, 4, 5, 5), 2),
        _case(GN, "eps 0.1", "edge", 0.3 * r(2, 4, 3, 3), 2, eps=0.1),
    ]


def _rms_cases(rng) -> list[Case]:
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    return [
        _case(RMS, "example 1: (3, 4) / 5 * sqrt(2)", "example", np.array([[3.0, 4.0]]), 2,
              eps=0.0),
        _case(RMS, "example 2: weight, default eps", "example", np.array([[3.0, 4.0]]), (2,),
              weight=np.array([1.0, -2.0])),
        _case(RMS, "normalized_shape as a list, two axes", "edge", r(2, 3, 4), [3, 4],
              weight=r(3, 4)),
        _case(RMS, "(N, T, D) over the last axis", "edge", r(2, 5, 8), (8,), weight=r(8)),
        _case(RMS, "(N, C, H, W) over (C, H, W)", "edge", r(2, 3, 4, 4), (3, 4, 4)),
        _case(RMS, "one sample (N = 1)", "edge", r(1, 6), 6),
        _case(RMS, "all zeros (eps keeps it finite)", "edge", np.zeros((2, 3)), 3),
        _case(RMS, "large offset (no centring)", "edge", 1e6 + r(3, 8), 8),
        _case(RMS, "eps 0.1", "edge", 0.3 * r(3, 6), (6,), eps=0.1),
    ]


def _random_cases() -> list[Case]:
    out = []
    for i in range(6):
        seed = SEED + i
        rng = np.random.default_rng(seed)
        n = int(rng.integers(1, 5))
        c = int(rng.integers(2, 7))
        spatial = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(0, 3))))
        x = rng.normal(loc=rng.normal(), scale=rng.uniform(0.5, 3), size=(n, c) + spatial)
        k = int(rng.integers(1, x.ndim))  # normalise the last k axes (never the batch)
        shape = x.shape[x.ndim - k:]
        shape = list(shape) if i % 3 == 0 else (shape[0] if k == 1 and i % 3 == 1 else shape)
        affine = {} if i % 2 else {"weight": rng.normal(size=x.shape[x.ndim - k:]),
                                   "bias": rng.normal(size=x.shape[x.ndim - k:])}
        out.append(_case(LN, f"layer_norm random {i + 1} {x.shape}", "random", x, shape,
                         seed=seed, **affine))
        # torch refuses a group of one value (its variance is 0): groups hold two or more
        size = x.size // n
        g = int(rng.choice([d for d in range(1, c + 1) if c % d == 0 and size // d > 1]))
        affine = {} if i % 2 == 0 else {"weight": rng.normal(size=c), "bias": rng.normal(size=c)}
        out.append(_case(GN, f"group_norm random {i + 1} {x.shape}, {g} groups", "random", x,
                         g, seed=seed, **affine))
        w = {} if i % 2 else {"weight": rng.normal(size=x.shape[x.ndim - k:])}
        out.append(_case(RMS, f"rms_norm random {i + 1} {x.shape}", "random", x, shape,
                         seed=seed, **w))
    return out


def _timing_cases() -> list[Case]:
    seed = SEED + 100
    rng = np.random.default_rng(seed)
    # Outputs stay under the sandbox's 16 MiB limit on a file the user's code writes. Only
    # the first timing case is compared with the reference's time; the other two only show
    # the user's, on inputs a quarter the size (every input and output crosses the sandbox's
    # channel, the inputs twice: 25 MB more made each grade of norm 0.1 s slower).
    x = rng.normal(size=(16, 128, 512))
    img = rng.normal(size=(4, 64, 32, 32))
    small = rng.normal(size=(8, 128, 256))
    return [
        _case(LN, "timing: layer_norm (16, 128, 512)", "timing", x, (512,), seed=seed,
              weight=rng.normal(size=512), bias=rng.normal(size=512)),
        _case(GN, "timing: group_norm (4, 64, 32, 32), 32 groups", "timing", img, 32,
              seed=seed, weight=rng.normal(size=64), bias=rng.normal(size=64)),
        _case(RMS, "timing: rms_norm (8, 128, 256)", "timing", small, (256,), seed=seed,
              weight=rng.normal(size=256)),
    ]


def make_cases() -> list[Case]:
    rng = np.random.default_rng(SEED - 1)
    return (_ln_cases(rng) + _gn_cases(rng) + _rms_cases(rng) + _random_cases()
            + _timing_cases())


# --- known wrong conventions --------------------------------------------------------------

def _like(case, **wrong):
    """What the case's function gives with one convention changed."""
    x, second = case.args
    kw = dict(case.kwargs)
    eps = kw.pop("eps", 1e-6 if case.fn == RMS else 1e-5)
    batch = wrong.pop("batch_axis", False)
    if case.fn == GN:
        interleaved = wrong.pop("interleaved", False)
        g = _grouped(x, second, interleaved)
        y = _standardise(g, (0, 2) if batch else (2,), eps, **wrong)
        y = _ungrouped(y, x.shape, second, interleaved)
        return _affine(y, kw.get("weight"), kw.get("bias"), _channel_shape(x))
    if wrong.pop("interleaved", False):
        return None
    axes = (0,) if batch else _axes(x, second)
    y = _standardise(x, axes, eps, centre=case.fn == LN, **wrong)
    return _affine(y, kw.get("weight"), kw.get("bias"))


VARIANTS = (
    Variant("unbiased variance (divided by n - 1)",
            "normalise with the biased variance: the mean of the squared deviations (np.var's "
            "default ddof=0)", lambda c: None if c.fn == RMS else _like(c, ddof=1)),
    Variant("eps outside the square root", "divide by sqrt(var + eps), not sqrt(var) + eps",
            lambda c: _like(c, eps_outside=True)),
    Variant("statistics over the batch axis (as batch norm)",
            "normalise each sample on its own: layer_norm and rms_norm over the last "
            "len(normalized_shape) axes, group_norm over each group's channels and positions",
            lambda c: _like(c, batch_axis=True)),
    Variant("groups taken as interleaved channels",
            "group g is the contiguous channels g*C/G ... (g+1)*C/G - 1: "
            "x.reshape(N, G, -1)", lambda c: _like(c, interleaved=True)),
)

EXERCISE = Exercise(
    id="norm",
    title="LayerNorm, GroupNorm and RMSNorm",
    parts=(LN, GN, RMS),
    card_pattern=pattern(r"layer ?norm|group ?norm|rms ?norm|instance ?norm|(?<![a-z])(LN|GN)"
                         r"(?![a-z])|层归一化|组归一化"),
    hints=(
        "Each sample is normalised on its own: the statistics never mix the batch axis. Work "
        "out which axes to reduce, and use keepdims=True so they broadcast back.",
        "layer_norm and rms_norm reduce over the last len(normalized_shape) axes (an int means "
        "one axis). Biased variance (np.var's default), eps inside the square root; rms_norm "
        "does not subtract the mean.",
        "group_norm: x.reshape(N, num_groups, -1) puts each group of contiguous channels (and "
        "all its positions) on one row; normalise the rows, reshape back to x.shape, then "
        "weight.reshape(C, 1, ..., 1) and bias the same way.",
    ),
    references={LN: layer_norm, GN: group_norm, RMS: rms_norm},
    make_cases=make_cases,
    variants=VARIANTS,
)
