# exercise: nms
# tries: flood the user's terminal through the report: three items of 80 MiB each in a bytes
# array of another shape than expected, which the report listed in full (250 MB printed)
import numpy as np


def nms(boxes, scores, iou_threshold):
    return np.array([b"A" * (80 << 20)] * 3)
