# exercise: nms
# tries: modify an input and hide it: clean copies swapped into the runner's variables
# (every list/dict in its frames, whatever refers to the input, frame writes on 3.13)
import gc
import sys

import numpy as np


def _nms(boxes, scores, iou_threshold):
    """A correct NMS: by score, ties by index; IoU above the threshold suppresses."""
    n = len(scores)
    order = np.lexsort((np.arange(n), -np.asarray(scores, dtype=float)))
    x1, y1, x2, y2 = (np.asarray(c, dtype=float) for c in np.asarray(boxes).T) if n else [[]] * 4
    area = (x2 - x1) * (y2 - y1) if n else None
    keep, dead = [], np.zeros(n, dtype=bool)
    for i in order:
        if dead[i]:
            continue
        keep.append(i)
        w = np.maximum(0.0, np.minimum(x2[i], x2) - np.maximum(x1[i], x1))
        h = np.maximum(0.0, np.minimum(y2[i], y2) - np.maximum(y1[i], y1))
        inter = w * h
        union = area[i] + area - inter
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)
        hit = iou > iou_threshold
        hit[i] = False
        dead |= hit
    return np.asarray(keep, dtype=np.int64)


def _swap(holder, a, b):
    if isinstance(holder, list):
        holder[:] = [b if x is a else x for x in holder]
    elif isinstance(holder, dict):
        for k, v in list(holder.items()):
            if v is a:
                holder[k] = b


def nms(boxes, scores, iou_threshold):
    keep = _nms(boxes, scores, iou_threshold)
    clean, boxes_clean = scores.copy(), boxes.copy()
    scores[:] = 0.0  # the change the grader must catch
    f = sys._getframe(1)
    while f is not None:
        for name, v in list(f.f_locals.items()):
            if v is scores:
                f.f_locals[name] = clean  # (written through from Python 3.13)
            elif isinstance(v, (list, dict)):
                _swap(v, scores, clean)
            elif isinstance(v, tuple) and any(x is scores for x in v):
                f.f_locals[name] = tuple(clean if x is scores else x for x in v)
        f = f.f_back
    for holder in gc.get_referrers(scores):
        _swap(holder, scores, clean)
    return keep
