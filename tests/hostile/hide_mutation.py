# exercise: nms
# tries: modify an input, and hide it by patching numpy.array_equal (and friends)
import numpy as np
np.array_equal = lambda *a, **k: True
np.ndarray.copy  # (a C type: cannot be patched)
def nms(boxes, scores, iou_threshold):
    scores[:] = 0.0
    return np.arange(len(boxes), dtype=np.int64)[:0]
