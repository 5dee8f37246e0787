"""Reference kernels: vectorised NumPy, following ../design/exercises.md (PyTorch conventions).

No Python loop runs over pixels or box pairs: conv is one contraction over sliding windows,
NMS computes one IoU row per kept box, pooling works on sliding-window views (the backward
passes loop over the kernel's few offsets, never over the image).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pair(v) -> tuple[int, int]:
    if isinstance(v, (int, np.integer)):
        return int(v), int(v)
    a, b = v
    return int(a), int(b)


# --- boxes ------------------------------------------------------------------------------

def _area(b: np.ndarray) -> np.ndarray:
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def _boxes(b) -> np.ndarray:
    return np.asarray(b, dtype=np.float64).reshape(-1, 4)


def _inter_union(b1: np.ndarray, b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lt = np.maximum(b1[:, None, :2], b2[None, :, :2])
    rb = np.minimum(b1[:, None, 2:], b2[None, :, 2:])
    wh = np.clip(rb - lt, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    return inter, _area(b1)[:, None] + _area(b2)[None, :] - inter


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b > 0)


def box_iou(boxes1, boxes2) -> np.ndarray:
    """(N, M) IoU, continuous coordinates, 0 where the union is 0."""
    inter, union = _inter_union(_boxes(boxes1), _boxes(boxes2))
    return _safe_div(inter, union)


def generalized_box_iou(boxes1, boxes2) -> np.ndarray:
    """(N, M) GIoU = IoU - (area(C) - union) / area(C), C the smallest enclosing box."""
    b1, b2 = _boxes(boxes1), _boxes(boxes2)
    inter, union = _inter_union(b1, b2)
    lt = np.minimum(b1[:, None, :2], b2[None, :, :2])
    rb = np.maximum(b1[:, None, 2:], b2[None, :, 2:])
    wh = np.clip(rb - lt, 0, None)
    hull = wh[..., 0] * wh[..., 1]
    return _safe_div(inter, union) - _safe_div(hull - union, hull)


def nms(boxes, scores, iou_threshold: float) -> np.ndarray:
    """Greedy NMS: int64 indices of kept boxes, highest score first (ties: lower index)."""
    b = _boxes(boxes)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    order = np.argsort(-s, kind="stable")
    keep = []
    while order.size:
        i, rest = order[0], order[1:]
        keep.append(i)
        inter, union = _inter_union(b[i:i + 1], b[rest])
        order = rest[_safe_div(inter, union)[0] <= iou_threshold]
    return np.asarray(keep, dtype=np.int64)


# --- convolution ------------------------------------------------------------------------

def conv_out_size(size: int, k: int, s: int, p: int, d: int = 1) -> int:
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:
    """NCHW x OIHW cross-correlation, zero padding, floor output size, like F.conv2d."""
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


# --- batch norm -------------------------------------------------------------------------

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


# --- pooling ----------------------------------------------------------------------------

def _pool_geometry(shape, kernel_size, stride, padding):
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(stride if stride is not None else kernel_size)
    ph, pw = _pair(padding)
    h, w = shape[2], shape[3]
    return (kh, kw), (sh, sw), (ph, pw), (conv_out_size(h, kh, sh, ph),
                                          conv_out_size(w, kw, sw, pw))


def _windows(x, k, s, p, out, fill):
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
