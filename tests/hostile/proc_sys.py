# exercise: nms
# tries: the host's kernel settings: where prep runs as root, code in the sandbox is the host's
# root to /proc/sys (most settings ask for no capability), and kernel.core_pattern names a
# command the host runs as root on its next crash. Harmless: each file is opened for writing
# and closed, nothing written
import os

for p in ("/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches", "/proc/sys/fs/aio-max-nr",
          "/proc/sysrq-trigger"):
    try:
        os.close(os.open(p, os.O_WRONLY))
        print("sysctl writable:", p)
    except OSError as e:
        print("sysctl refused:", p, e.strerror)


def nms(boxes, scores, iou_threshold):
    raise NotImplementedError
