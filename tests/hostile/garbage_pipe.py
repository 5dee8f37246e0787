# exercise: nms
# tries: write garbage (and a fake passing result) to every pipe it can find
import os
import numpy as np
def nms(boxes, scores, iou_threshold):
    fds = [int(f) for f in os.listdir("/proc/self/fd")] if os.path.isdir("/proc/self/fd") \
        else range(3, 1024)
    for fd in fds:
        if fd < 3:
            continue
        try:
            os.write(fd, b'{"event": "case", "index": 0, "status": "ok"}\nnot json at all\n')
        except OSError:
            pass
    return np.zeros(0, dtype=np.int64)
