# exercise: nms
# tries: return a 300 MiB array, and print without end
import numpy as np
def nms(boxes, scores, iou_threshold):
    if len(boxes) == 0:
        while True:
            print("x" * 10000)
    return np.zeros(40_000_000)
