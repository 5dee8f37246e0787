"""Batch normalisation: the reference, its cases, the known wrong conventions, hints."""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern
from prepcli.catalog.common import SEED, _a


def batchnorm(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
              eps=1e-5):
    """Returns (y, new_running_mean, new_running_var), PyTorch's BatchNorm semantics."""
    x = np.asarray(x, dtype=np.float64)
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
    rm = np.asarray(running_mean, dtype=np.float64)
    rv = np.asarray(running_var, dtype=np.float64)
    g = np.asarray(gamma, dtype=np.float64).reshape(shape)
    b = np.asarray(beta, dtype=np.float64).reshape(shape)
    if training:
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)
        n = x.size // x.shape[1]
        y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * g + b
        new_rm = (1 - momentum) * rm + momentum * mean
        new_rv = (1 - momentum) * rv + momentum * var * n / (n - 1)
        return y, new_rm, new_rv
    y = (x - rm.reshape(shape)) / np.sqrt(rv.reshape(shape) + eps) * g + b
    return y, rm.copy(), rv.copy()


# --- cases ------------------------------------------------------------------------------

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


# --- known wrong conventions ------------------------------------------------------------

def _bn(x, gamma, beta, rm, rv, training=True, momentum=0.1, eps=1e-5, keras=False,
        biased=False, eps_outside=False):
    if not training:
        return None
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    n = x.size // x.shape[1]
    denom = (np.sqrt(var) + eps) if eps_outside else np.sqrt(var + eps)
    y = (x - mean.reshape(shape)) / denom.reshape(shape) * gamma.reshape(shape) + beta.reshape(shape)
    batch_var = var if biased else var * n / (n - 1)
    m = (1 - momentum) if keras else momentum
    return y, (1 - m) * rm + m * mean, (1 - m) * rv + m * batch_var


def _bn_running(x, gamma, beta, rm, rv, training=True, momentum=0.1, eps=1e-5):
    """Training mode normalising with the running statistics (the eval formula), the running
    statistics themselves updated correctly."""
    if not training:
        return None
    _, new_rm, new_rv = batchnorm(x, gamma, beta, rm, rv, True, momentum, eps)
    y, _, _ = batchnorm(x, gamma, beta, rm, rv, False, momentum, eps)
    return y, new_rm, new_rv


VARIANTS = (
    Variant("training normalised with the running statistics",
            "in training, normalise with this batch's mean and (biased) variance; the running "
            "statistics are only updated, and used in eval",
            lambda c: _bn_running(*c.args, **c.kwargs)),
    Variant("CS231n/Keras momentum: new = m * old + (1 - m) * batch",
            "PyTorch: new = (1 - momentum) * old + momentum * batch",
            lambda c: _bn(*c.args, **c.kwargs, keras=True)),
    Variant("biased variance in the running estimate",
            "store the unbiased batch variance (n / (n - 1) times the biased) in running_var",
            lambda c: _bn(*c.args, **c.kwargs, biased=True)),
    Variant("eps outside the square root", "normalise by sqrt(var + eps), not sqrt(var) + eps",
            lambda c: _bn(*c.args, **c.kwargs, eps_outside=True)),
)

HINTS = (
    "Statistics are per channel: reduce over axis 0 for (N, C), over "
    "(0, 2, 3) for (N, C, H, W), and reshape them to broadcast back.",
    "Normalise with the biased variance (x.var()), but store the unbiased one "
    "(times n / (n - 1)) in the running estimate.",
    "PyTorch momentum: new = (1 - momentum) * old + momentum * batch. eps goes "
    "inside the square root. Return new arrays; eval returns copies.",
)

EXERCISE = Exercise(
    "bn", "Batch normalisation", ("batchnorm",),
    pattern(r"(?<![a-z])bn(?![a-z])|batch ?norm|批(量)?归一化"),
    HINTS, {"batchnorm": batchnorm}, bn_cases, VARIANTS,
    outputs={"batchnorm": ("y", "new_running_mean", "new_running_var")})
