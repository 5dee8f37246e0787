# exercise: nms
# tries: modify an input and hide it: the runner's ndarray.tobytes replaced in the
# closure cells gc finds, and a tracer on its frames puts clean copies in its variables
import gc
import sys
import types

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

_real = np.ndarray.tobytes
_clean = {}


def _tobytes(a, order="C"):
    held, data = _clean.get(id(a), (None, None))
    return data if held is a else _real(a, order)


def nms(boxes, scores, iou_threshold):
    keep = _nms(boxes, scores, iou_threshold)
    clean = scores.copy()
    _clean[id(scores)] = (scores, _real(clean))  # (held: its id is not reused)
    scores[:] = 0.0  # the change the grader must catch
    for c in gc.get_objects():
        if type(c) is types.CellType:
            try:
                if c.cell_contents is _real:
                    c.cell_contents = _tobytes
            except ValueError:  # an empty cell
                pass

    def tracer(frame, event, arg):  # Python < 3.13: written back after each event
        for name, v in list(frame.f_locals.items()):
            if v is scores:
                frame.f_locals[name] = clean
            elif isinstance(v, (list, tuple)) and any(x is scores for x in v):
                frame.f_locals[name] = type(v)(clean if x is scores else x for x in v)
        return tracer

    f = sys._getframe(1)
    while f is not None:
        f.f_trace = tracer
        f = f.f_back
    sys.settrace(tracer)
    sys.setprofile(tracer)
    return keep
