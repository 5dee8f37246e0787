"""What several exercises share: argument pairs, output sizes, box geometry, case inputs.

Like every catalog module, NumPy is used only inside functions (see base.py).
"""

from __future__ import annotations

from prepcli.catalog.base import np

SEED = 20240601  # the random sweep is the same on every run, so a failure can be replayed


def _pair(v) -> tuple[int, int]:
    if isinstance(v, (int, np.integer)):
        return int(v), int(v)
    a, b = v
    return int(a), int(b)


def conv_out_size(size: int, k: int, s: int, p: int, d: int = 1) -> int:
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


# --- boxes (nms, iou) -------------------------------------------------------------------

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


# --- case inputs ------------------------------------------------------------------------

def _random_boxes(rng, n, span=100.0, size=30.0, integer=False):
    xy = rng.uniform(0, span, size=(n, 2))
    wh = rng.uniform(0, size, size=(n, 2))
    b = np.hstack([xy, xy + wh])
    return np.round(b) if integer else b


def _a(x, dtype=None):
    """`x` as an array, float64 unless told (the default is None, not np.float64: NumPy is
    not loaded when the catalog is)."""
    return np.asarray(x, dtype=np.float64 if dtype is None else dtype)
