# exercise: losses
"""A correct solution written the way one does by hand in an interview: a loop over the
elements with plain Python arithmetic (test data: it must pass every case)."""

import math

import numpy as np


def _reduce(values, shape, reduction):
    if reduction == "none":
        return np.array(values, dtype=np.float64).reshape(shape)
    total = math.fsum(values)
    if reduction == "sum":
        return total
    return total / len(values) if values else math.nan


def _softplus_neg(x):
    """-log(sigmoid(x)) without overflow: max(-x, 0) + log(1 + exp(-|x|))."""
    return max(-x, 0.0) + math.log1p(math.exp(-abs(x)))


def _sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _bce(x, t, w=1.0):
    return (1.0 - t) * x + (1.0 + (w - 1.0) * t) * _softplus_neg(x)


def bce_with_logits(logits, targets, pos_weight=None, reduction="mean"):
    xs, ts = np.asarray(logits).ravel().tolist(), np.asarray(targets).ravel().tolist()
    c = logits.shape[-1] if logits.ndim else 1
    ws = [1.0] * c if pos_weight is None else np.asarray(pos_weight).tolist()
    values = [_bce(x, t, ws[i % c]) for i, (x, t) in enumerate(zip(xs, ts))]
    return _reduce(values, logits.shape, reduction)


def sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    values = []
    for x, t in zip(np.asarray(logits).ravel().tolist(), np.asarray(targets).ravel().tolist()):
        p = _sigmoid(x)
        p_t = p * t + (1 - p) * (1 - t)
        loss = _bce(x, t) * (1 - p_t) ** gamma
        if alpha >= 0:
            loss *= alpha * t + (1 - alpha) * (1 - t)
        values.append(loss)
    return _reduce(values, logits.shape, reduction)


def smooth_l1_loss(input, target, beta=1.0, reduction="mean"):
    values = []
    for x, y in zip(np.asarray(input).ravel().tolist(), np.asarray(target).ravel().tolist()):
        n = abs(x - y)
        values.append(n if beta == 0 else 0.5 * n * n / beta if n < beta else n - 0.5 * beta)
    return _reduce(values, input.shape, reduction)
