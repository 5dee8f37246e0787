"""Non-maximum suppression: the reference, its cases, the known wrong conventions, hints.

The reference computes one IoU row per kept box, never a loop over pairs of boxes.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern
from prepcli.catalog.common import SEED, _a, _boxes, _inter_union, _random_boxes, _safe_div


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


# --- cases ------------------------------------------------------------------------------

def nms_cases() -> list[Case]:
    names = ("boxes", "scores", "iou_threshold")

    def c(name, cat, boxes, scores, thr, seed=None):
        return Case(name, "nms", "nms", cat, (_a(boxes).reshape(-1, 4), _a(scores), float(thr)),
                    arg_names=names, exact=True, seed=seed)

    ex = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    out = [
        c("example 1: overlap above the threshold", "example", ex, [0.9, 0.8, 0.7], 0.5),
        c("example 2: overlap below the threshold", "example", ex, [0.9, 0.8, 0.7], 0.7),
        c("example 3: no boxes", "example", np.zeros((0, 4)), np.zeros(0), 0.5),
        c("one box", "edge", [[1, 2, 3, 4]], [0.3], 0.5),
        # IoU exactly 0.5: 2 / 4. Kept with `>`, suppressed with `>=`.
        c("IoU equal to the threshold", "edge", [[0, 0, 3, 1], [1, 0, 4, 1]], [0.9, 0.8], 0.5),
        c("equal scores: lower index first", "edge",
          [[50, 50, 60, 60], [0, 0, 10, 10], [0, 0, 10, 10.5], [20, 20, 30, 30]],
          [0.5, 0.7, 0.7, 0.7], 0.5),
        c("scores not in index order", "edge",
          [[0, 0, 10, 10], [30, 30, 40, 40], [60, 60, 70, 70], [1, 1, 10, 10]],
          [0.2, 0.9, 0.5, 0.95], 0.5),
        # Small integer boxes: with a "+1" pixel area the IoU of these two is 0.6, else 0.5.
        c("small integer boxes (continuous coordinates)", "edge",
          [[0, 0, 2, 2], [0, 0, 2, 1], [5, 5, 6, 6]], [0.9, 0.8, 0.7], 0.55),
        c("zero-area boxes never suppress each other", "edge",
          [[5, 5, 5, 5], [5, 5, 5, 5], [0, 0, 0, 4]], [0.9, 0.8, 0.7], 0.0),
        c("threshold 0: any overlap suppresses", "edge",
          [[0, 0, 10, 10], [9, 9, 20, 20], [10, 10, 20, 20]], [0.9, 0.8, 0.7], 0.0),
        c("threshold 1: nothing is suppressed", "edge",
          [[0, 0, 10, 10], [0, 0, 10, 10], [1, 1, 9, 9]], [0.9, 0.8, 0.7], 1.0),
        c("identical boxes", "edge", [[1, 1, 5, 5]] * 4, [0.1, 0.4, 0.3, 0.2], 0.5),
    ]
    rng = np.random.default_rng(SEED)
    for i in range(8):
        n = int(rng.integers(5, 120))
        out.append(c(f"random {i + 1} (N={n})", "random",
                     _random_boxes(rng, n, integer=i % 2 == 0),
                     rng.integers(0, 20, size=n) / 20, float(rng.uniform(0.2, 0.8)), SEED + i))
    rng = np.random.default_rng(SEED + 100)
    # A few tens of ms for the reference: a larger case only makes every grade slower (its
    # expected output, and the timed calls on both sides). The span keeps 2000 boxes' density.
    out.append(c("timing: 1000 boxes", "timing", _random_boxes(rng, 1000, span=700, size=80),
                 rng.uniform(size=1000), 0.5, SEED + 100))
    return out


# --- known wrong conventions ------------------------------------------------------------

def _nms(boxes, scores, thr, plus1=False, ge=False, tie_high=False):
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    s = np.asarray(scores, dtype=np.float64)
    one = 1.0 if plus1 else 0.0
    area = (b[:, 2] - b[:, 0] + one) * (b[:, 3] - b[:, 1] + one)
    # tie_high is the habit `scores.argsort()[::-1]` itself: NumPy's default (unstable) sort,
    # reversed, which is what such code returns on ties (the higher index first only for
    # short arrays); "stable": a stable sort reversed, the higher index first always.
    order = np.argsort(s, kind="stable")[::-1] if tie_high == "stable" else \
        s.argsort()[::-1] if tie_high else np.argsort(-s, kind="stable")
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


VARIANTS = (
    Variant('"+1" pixel areas (legacy Fast R-CNN code)',
            "use continuous coordinates: area = (x2 - x1) * (y2 - y1), no +1",
            lambda c: _nms(*c.args, plus1=True)),
    # Both at once, as in the widely copied py_cpu_nms: one mistake alone explains too few of
    # its failures for the grader to name it.
    Variant('"+1" pixel areas and equal scores broken by the higher index (py_cpu_nms, the '
            'legacy Fast R-CNN code)',
            "continuous coordinates (no +1) and a stable sort by decreasing score: "
            "np.argsort(-scores, kind='stable')",
            lambda c: _nms(*c.args, plus1=True, tie_high=True)),
    Variant("suppressing boxes whose IoU is >= the threshold",
            "suppress only when IoU is strictly greater than the threshold",
            lambda c: _nms(*c.args, ge=True)),
    Variant("equal scores broken by the higher index (scores.argsort()[::-1])",
            "sort stably by decreasing score, e.g. np.argsort(-scores, kind='stable')",
            lambda c: _nms(*c.args, tie_high=True)),
    Variant("equal scores broken by the higher index (np.argsort(scores, kind='stable')[::-1])",
            "reverse the scores, not the sort: np.argsort(-scores, kind='stable')",
            lambda c: _nms(*c.args, tie_high="stable")),
    Variant("indices returned in input order",
            "return the kept indices in decreasing score order",
            lambda c: np.sort(nms(*c.args))),
)

HINTS = (
    "Sort once by score (stably, so equal scores keep index order), then loop "
    "over the boxes you keep — never over pairs of boxes.",
    "For the kept box, compute its IoU with all remaining boxes at once with "
    "np.maximum/np.minimum on the coordinate columns; keep only those with "
    "IoU <= threshold.",
    "order = np.argsort(-scores, kind='stable'); while order.size: i = order[0]; "
    "...; order = order[1:][iou <= iou_threshold]. Areas without +1; guard "
    "union == 0.",
)

EXERCISE = Exercise(
    "nms", "Non-maximum suppression", ("nms",),
    pattern(r"(?<![a-z])(soft-?)?nms(?![a-z])|非极大值抑制|non-?maximum suppression"),
    HINTS, {"nms": nms}, nms_cases, VARIANTS)
