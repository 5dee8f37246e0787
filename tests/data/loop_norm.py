# exercise: norm
"""A correct solution written the straightforward way (a loop over samples, groups and
channels), independent of the reference: every case must pass."""

import numpy as np


def _normalise(values, eps, centre=True):
    """One sample's (or group's) values, flattened, normalised."""
    n = values.size
    mean = values.sum() / n if centre else 0.0
    dev = values - mean
    mean = mean + dev.sum() / n if centre else 0.0  # refine the mean (large offsets)
    dev = values - mean
    return dev / np.sqrt((dev * dev).sum() / n + eps)


def _last_axes(x, normalized_shape, eps, centre):
    k = 1 if isinstance(normalized_shape, int) else len(normalized_shape)
    inner = x.shape[x.ndim - k:]
    rows = x.reshape(-1, int(np.prod(inner)))
    out = np.empty(rows.shape)
    for r in range(rows.shape[0]):
        out[r] = _normalise(rows[r], eps, centre)
    return out.reshape(x.shape)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    y = _last_axes(x, normalized_shape, eps, True)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    N, C = x.shape[:2]
    per = C // num_groups
    y = np.empty(x.shape)
    for n in range(N):
        for g in range(num_groups):
            chunk = x[n, g * per:(g + 1) * per]
            y[n, g * per:(g + 1) * per] = _normalise(chunk.ravel(), eps).reshape(chunk.shape)
        for c in range(C):
            if weight is not None:
                y[n, c] = y[n, c] * weight[c]
            if bias is not None:
                y[n, c] = y[n, c] + bias[c]
    return y


def rms_norm(x, normalized_shape, weight=None, eps=1e-6):
    y = _last_axes(x, normalized_shape, eps, False)
    return y if weight is None else y * weight
