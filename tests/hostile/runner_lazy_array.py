# exercise: nms
# tries: an object that says it is an ndarray (its `__class__`), whose `__array__` does the
# work when the runner converts it: after the clock stopped and the inputs were copied, so
# the time was 0.0 ms and a change to `scores` went unseen
import time

import numpy as np


class Lazy:
    def __init__(self, boxes, scores, iou_threshold):
        self.args = (boxes, scores, iou_threshold)

    @property
    def __class__(self):
        return np.ndarray

    def __array__(self, dtype=None, copy=None):
        boxes, scores, t = self.args
        time.sleep(0.02)
        order = np.argsort(-scores, kind="stable")
        scores[:] = 0  # changed in place
        keep = []
        for i in order:
            if all(_iou(boxes[i], boxes[k]) <= t for k in keep):
                keep.append(i)
        return np.asarray(keep, dtype=np.int64)


def _iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def nms(boxes, scores, iou_threshold):
    return Lazy(boxes, scores, iou_threshold)
