"""Box IoU and GIoU: the references, their cases, the known wrong conventions, hints.

Every pair by broadcasting, no loop over pairs of boxes.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern
from prepcli.catalog.common import SEED, _a, _boxes, _inter_union, _random_boxes, _safe_div


def box_iou(boxes1, boxes2) -> np.ndarray:
    """(N, M) IoU, continuous coordinates, 0 where the union is 0."""
    inter, union = _inter_union(_boxes(boxes1), _boxes(boxes2))
    return _safe_div(inter, union)


def generalized_box_iou(boxes1, boxes2) -> np.ndarray:
    """(N, M) GIoU = IoU - (area(C) - union) / area(C), C the smallest enclosing box."""
    return _giou(_boxes(boxes1), _boxes(boxes2))


def _giou(b1, b2):
    inter, union = _inter_union(b1, b2)
    lt = np.minimum(b1[:, None, :2], b2[None, :, :2])
    rb = np.maximum(b1[:, None, 2:], b2[None, :, 2:])
    wh = np.clip(rb - lt, 0, None)
    hull = wh[..., 0] * wh[..., 1]
    return _safe_div(inter, union) - _safe_div(hull - union, hull)


# --- cases ------------------------------------------------------------------------------

def iou_cases() -> list[Case]:
    out = []
    names = ("boxes1", "boxes2")
    for fn in ("box_iou", "generalized_box_iou"):
        def c(name, cat, b1, b2, seed=None, dtype=None):
            return Case(name, fn, fn, cat, (_a(b1, dtype).reshape(-1, 4), _a(b2, dtype).reshape(-1, 4)),
                        arg_names=names, seed=seed)

        out += [
            c(f"{fn} example: partial overlap", "example", [[0, 0, 2, 2]],
              [[1, 1, 3, 3], [0, 0, 2, 2]]),
            c(f"{fn} example: apart", "example", [[0, 0, 1, 1]], [[2, 2, 3, 3]]),
            c(f"{fn}: no boxes on the left (0, M)", "edge", np.zeros((0, 4)), [[0, 0, 1, 1]] * 2),
            c(f"{fn}: no boxes on the right (N, 0)", "edge", [[0, 0, 1, 1]] * 3, np.zeros((0, 4))),
            c(f"{fn}: integer boxes give float results", "edge",
              [[0, 0, 100, 100], [0, 0, 50, 50], [200, 200, 300, 300]],
              [[0, 0, 100, 100], [0, 0, 50, 50], [200, 200, 300, 300]], dtype=np.int64),
            c(f"{fn}: zero-area boxes (union 0)", "edge", [[1, 1, 1, 1], [0, 0, 2, 0]],
              [[1, 1, 1, 1], [3, 3, 4, 4]]),
            c(f"{fn}: one box inside another", "edge", [[0, 0, 10, 10]], [[2, 2, 4, 4], [0, 0, 10, 10]]),
            c(f"{fn}: touching edges", "edge", [[0, 0, 1, 1]], [[1, 0, 2, 1], [1, 1, 2, 2]]),
        ]
        rng = np.random.default_rng(SEED + (0 if fn == "box_iou" else 50))
        for i in range(5):
            n, m = int(rng.integers(1, 40)), int(rng.integers(1, 40))
            out.append(c(f"{fn} random {i + 1} ({n}x{m})", "random", _random_boxes(rng, n),
                         _random_boxes(rng, m), SEED + i))
        # a few tens of ms for the reference: larger only makes every grade slower
        out.append(c(f"{fn} timing: 500x500", "timing", _random_boxes(rng, 500, 1000, 100),
                     _random_boxes(rng, 500, 1000, 100), SEED + 99))
    return out


# --- known wrong conventions ------------------------------------------------------------

def _plus1(b):
    """Boxes as "+1" pixel areas read them: each one pixel wider and taller."""
    return np.asarray(b, dtype=np.float64).reshape(-1, 4) + [0, 0, 1, 1]


def _iou_plus1(b1, b2):
    # box_iou's own steps, not a call to it: a user file may rebind box_iou to this variant
    return _safe_div(*_inter_union(_plus1(b1), _plus1(b2)))


def _giou_plus1(b1, b2):
    """GIoU with "+1" pixel areas, the enclosing box's too."""
    return _giou(_plus1(b1), _plus1(b2))


VARIANTS = (
    Variant('"+1" pixel areas', "use continuous coordinates: area = (x2 - x1) * (y2 - y1)",
            lambda c: _iou_plus1(*c.args) if c.fn == "box_iou" else _giou_plus1(*c.args)),
)

HINTS = (
    "Broadcast: boxes1[:, None, :] against boxes2[None, :, :] gives every pair "
    "without a loop.",
    "Intersection: max of the top-left corners, min of the bottom-right, "
    "clipped at 0. Union: area1[:, None] + area2[None, :] - inter.",
    "GIoU: the enclosing box uses min of the top-left corners and max of the "
    "bottom-right; use np.divide(..., where=denominator > 0) for zero areas.",
)

EXERCISE = Exercise(
    "iou", "Box IoU and GIoU", ("box_iou", "generalized_box_iou"),
    pattern(r"(?<![a-z])g?iou(?![a-z])|交并比"),
    HINTS, {"box_iou": box_iou, "generalized_box_iou": generalized_box_iou}, iou_cases,
    VARIANTS)
