# exercise: nms
# tries: delete itself (its copy, and the user's file) while being graded
import os
for path in (__file__, "@@USER_FILE@@"):
    try:
        os.remove(path)
    except OSError as e:
        print("blocked", e.strerror)
def nms(boxes, scores, iou_threshold):
    raise NotImplementedError
