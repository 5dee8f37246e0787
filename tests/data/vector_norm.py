# exercise: norm
"""A correct vectorised solution as a user would write it (independent of the reference).
tests/test_ex_norm.py edits single lines of it to make each known wrong convention."""

import numpy as np


def _normalise(x, axes, eps):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def _last_axes(x, normalized_shape):
    k = 1 if isinstance(normalized_shape, int) else len(normalized_shape)
    return tuple(range(x.ndim - k, x.ndim))


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    y = _normalise(x, _last_axes(x, normalized_shape), eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    N, C = x.shape[:2]
    y = _normalise(x.reshape(N, num_groups, -1), (2,), eps).reshape(x.shape)
    per_channel = (C,) + (1,) * (x.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(per_channel)
    if bias is not None:
        y = y + bias.reshape(per_channel)
    return y


def rms_norm(x, normalized_shape, weight=None, eps=1e-6):
    ms = np.mean(x * x, axis=_last_axes(x, normalized_shape), keepdims=True)
    y = x / np.sqrt(ms + eps)
    return y if weight is None else y * weight
