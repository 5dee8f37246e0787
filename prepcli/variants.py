"""Known wrong conventions, computed in the grading process to recognise a failing answer.

Each variant is (name, what to fix, function of the case's inputs). When a user's output
matches a variant's output on the failing case, the report names the convention.
"""

from __future__ import annotations

import numpy as np

from prepcli import kernels as K


def _nms(boxes, scores, thr, plus1=False, ge=False, tie_high=False):
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    s = np.asarray(scores, dtype=np.float64)
    one = 1.0 if plus1 else 0.0
    area = (b[:, 2] - b[:, 0] + one) * (b[:, 3] - b[:, 1] + one)
    order = np.argsort(s, kind="stable")[::-1] if tie_high else np.argsort(-s, kind="stable")
    keep = []
    while order.size:
        i, rest = order[0], order[1:]
        keep.append(i)
        w = np.maximum(0.0, np.minimum(b[i, 2], b[rest, 2]) - np.maximum(b[i, 0], b[rest, 0]) + one)
        h = np.maximum(0.0, np.minimum(b[i, 3], b[rest, 3]) - np.maximum(b[i, 1], b[rest, 1]) + one)
        inter = w * h
        union = area[i] + area[rest] - inter
        iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        order = rest[iou < thr] if ge else rest[iou <= thr]
    return np.asarray(keep, dtype=np.int64)


def _iou_plus1(b1, b2):
    b1 = np.asarray(b1, dtype=np.float64).reshape(-1, 4) + [0, 0, 1, 1]
    b2 = np.asarray(b2, dtype=np.float64).reshape(-1, 4) + [0, 0, 1, 1]
    return K.box_iou(b1, b2)


def _conv_ceil(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    sh, sw = K._pair(stride)
    ph, pw = K._pair(padding)
    dh, dw = K._pair(dilation)
    r, s = w.shape[2:]
    h, wd = x.shape[2:]
    extra = [(st - (n + 2 * p - d * (k - 1) - 1) % st) % st
             for n, p, d, k, st in ((h, ph, dh, r, sh), (wd, pw, dw, s, sw))]
    if not any(extra):
        return None
    xp = np.pad(x, ((0, 0), (0, 0), (0, extra[0]), (0, extra[1])))
    return K.conv2d(xp, w, b, stride, padding, dilation, groups)


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


def _max_pool_zero_pad(x, kernel_size, stride=None, padding=0):
    k, s, p, out = K._pool_geometry(x.shape, kernel_size, stride, padding)
    return K._windows(x, k, s, p, out, 0.0).max(axis=(-2, -1))


def _max_pool_nanmax(x, kernel_size, stride=None, padding=0):
    if not np.isnan(x).any():
        return None
    k, s, p, out = K._pool_geometry(x.shape, kernel_size, stride, padding)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.nanmax(K._windows(x, k, s, p, out, -np.inf), axis=(-2, -1))


def _max_backward_split(dout, x, kernel_size, stride=None, padding=0):
    k, s, p, out = K._pool_geometry(x.shape, kernel_size, stride, padding)
    win = K._windows(x, k, s, p, out, -np.inf)
    is_max = win == win.max(axis=(-2, -1), keepdims=True)
    share = dout / is_max.sum(axis=(-2, -1))
    return K._scatter(x.shape, k, s, p, out,
                      lambda di, dj: np.where(is_max[..., di, dj], share, 0.0))


def _nhwc(case):
    out = case.expected()
    return out.transpose(0, 2, 3, 1)


VARIANTS: dict[str, list[tuple[str, str, object]]] = {
    "nms": [
        ('"+1" pixel areas (legacy Fast R-CNN code)',
         "use continuous coordinates: area = (x2 - x1) * (y2 - y1), no +1",
         lambda c: _nms(*c.args, plus1=True)),
        ("suppressing boxes whose IoU is >= the threshold",
         "suppress only when IoU is strictly greater than the threshold",
         lambda c: _nms(*c.args, ge=True)),
        ("equal scores broken by the higher index (scores.argsort()[::-1])",
         "sort stably by decreasing score, e.g. np.argsort(-scores, kind='stable')",
         lambda c: _nms(*c.args, tie_high=True)),
        ("indices returned in input order",
         "return the kept indices in decreasing score order",
         lambda c: np.sort(K.nms(*c.args))),
    ],
    "iou": [
        ('"+1" pixel areas', "use continuous coordinates: area = (x2 - x1) * (y2 - y1)",
         lambda c: _iou_plus1(*c.args) if c.fn == "box_iou" else None),
    ],
    "conv": [
        ("flipped kernel (true convolution)",
         "deep-learning conv is cross-correlation: do not flip the kernel",
         lambda c: K.conv2d(c.args[0], c.args[1][:, :, ::-1, ::-1], c.args[2], **c.kwargs)),
        ("ceil instead of floor for the output size",
         "Ho = floor((H + 2p - d(R-1) - 1) / s) + 1: drop the last partial window",
         lambda c: _conv_ceil(*c.args, **c.kwargs)),
        ("NHWC output layout", "return (N, K, Ho, Wo), channels first like PyTorch", _nhwc),
    ],
    "bn": [
        ("CS231n/Keras momentum: new = m * old + (1 - m) * batch",
         "PyTorch: new = (1 - momentum) * old + momentum * batch",
         lambda c: _bn(*c.args, **c.kwargs, keras=True)),
        ("biased variance in the running estimate",
         "store the unbiased batch variance (n / (n - 1) times the biased) in running_var",
         lambda c: _bn(*c.args, **c.kwargs, biased=True)),
        ("eps outside the square root", "normalise by sqrt(var + eps), not sqrt(var) + eps",
         lambda c: _bn(*c.args, **c.kwargs, eps_outside=True)),
    ],
    "pool": [
        ("zero padding for max pooling",
         "pad with -inf: a padded cell must never win the max",
         lambda c: _max_pool_zero_pad(*c.args, **c.kwargs) if c.fn == "max_pool2d" else None),
        ("nanmax (NaN ignored)", "a window containing NaN gives NaN, as in PyTorch",
         lambda c: _max_pool_nanmax(*c.args, **c.kwargs) if c.fn == "max_pool2d" else None),
        ("dividing by the real cells when count_include_pad=True",
         "with count_include_pad=True divide by the full window size, padding included",
         lambda c: _avg_real_cells(c)),
        ("gradient split among tied maxima",
         "give the whole gradient of a window to its first maximum (row-major)",
         lambda c: _max_backward_split(*c.args, **c.kwargs)
         if c.fn == "max_pool2d_backward" else None),
    ],
}


def _avg_real_cells(c):
    if c.fn not in ("avg_pool2d", "avg_pool2d_backward") or \
            not c.kwargs.get("count_include_pad", True):
        return None
    kw = dict(c.kwargs, count_include_pad=False)
    return getattr(K, c.fn)(*c.args, **kw)
