# exercise: nms
# tries: write garbage (and a fake passing result) to every pipe it can find
import os
import numpy as np
def nms(boxes, scores, iou_threshold):
    for fd in range(3, 64):
        try:
            os.write(fd, b'{"event": "case", "index": 0, "status": "ok"}\nnot json at all\n')
        except OSError:
            pass
    return np.zeros(0, dtype=np.int64)
