# exercise: nms
# tries: to take over the sandbox's first process through /proc/1/mem: bubblewrap's init was
# pid 1, with no seccomp filter and dumpable, and code written into it outlived the grade
import os

try:
    with open("/proc/1/cmdline", "rb") as f:
        runner = b"_runner.py" in f.read()
except OSError:
    runner = False
print("pid 1 is the runner" if runner else "pid 1 is not the runner")
try:
    open("/proc/1/mem", "r+b").close()
    print("pid 1 mem: WRITABLE")
except OSError as e:
    print("pid 1 mem: refused,", e.strerror)


def nms(boxes, scores, iou_threshold):
    raise NotImplementedError
