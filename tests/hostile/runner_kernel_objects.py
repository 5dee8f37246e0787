# exercise: nms
# tries: kernel memory that no limit counts and no open file holds: epoll watches (each epoll
# watching each eventfd, 2.34 M of them in 250 files), and byte-range, open-file and BSD
# locks and leases on files of the work folder (2.98 M locks, a mapping keeping each file
# after its fd is closed)
import ctypes
import errno
import fcntl
import os
import signal
import struct


libc = ctypes.CDLL(None, use_errno=True)


def err(r):
    return "ok" if r >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")


ep = libc.epoll_create1(0)
got = {"epoll_create1": err(ep), "epoll_create": err(libc.epoll_create(1))}
efd = libc.eventfd(0, 0)
event = ctypes.create_string_buffer(struct.pack("=IQ", 1, 0), 12)  # EPOLLIN, data
watches = 0
if ep >= 0 and efd >= 0:
    for _ in range(1000):
        if libc.epoll_ctl(ep, 1, efd, event) == 0:  # EPOLL_CTL_ADD
            watches += 1
            efd2 = os.dup(efd)
            os.close(efd)
            efd = efd2
got["epoll_ctl"] = f"{watches} watches"
with open("locks.bin", "wb") as f:
    f.write(b"\0" * 4096)
fd = os.open("locks.bin", os.O_RDWR)
locks = 0
for cmd, name in ((6, "F_SETLK"), (7, "F_SETLKW"), (37, "F_OFD_SETLK"), (38, "F_OFD_SETLKW")):
    try:
        fcntl.fcntl(fd, cmd, struct.pack("hhqqi", fcntl.F_WRLCK, 0, 0, 1, 0) + b"\0" * 4)
        got[name] = "ok"
        locks += 1
    except OSError as e:
        got[name] = errno.errorcode.get(e.errno, "?")
for what, call in (("flock", lambda: fcntl.flock(fd, fcntl.LOCK_EX)),
                   ("F_SETLEASE", lambda: fcntl.fcntl(fd, 1024, fcntl.F_RDLCK))):
    try:
        call()
        got[what] = "ok"
    except OSError as e:
        got[what] = errno.errorcode.get(e.errno, "?")
# Landlock rulesets (a rule each, no limit: 15.8 M held +1.11 GB), AIO contexts (the host's
# fs.aio-nr, all of it), shared pages remapped, and real-time signals queued to itself (the
# user's RLIMIT_SIGPENDING budget: root's on the host, where prep runs as root)
x86 = os.uname().machine == "x86_64"
got["landlock"] = err(libc.syscall(444, None, 0, 1))  # landlock_create_ruleset: its ABI
ctx = ctypes.c_ulong(0)
got["io_setup"] = err(libc.syscall(206 if x86 else 0, 128, ctypes.byref(ctx)))
libc.mmap.restype = ctypes.c_void_p
page = libc.mmap(None, 8192, 3, 0x21, -1, 0)  # two shared anonymous pages
got["remap_file_pages"] = err(libc.syscall(216 if x86 else 234, ctypes.c_void_p(page), 4096,
                                           0, 1, 0))
# pages put into a pipe (vmsplice, splice, tee): a pipe slot keeps a whole huge page that
# no limit counts once unmapped (a red-team's 250 pipes held 8.3 GB, 4x the address-space
# limit; the pipe's page budget counts slots)
pr, pw = os.pipe()
chunk = ctypes.create_string_buffer(4096)
iov = (ctypes.c_void_p * 2)(ctypes.cast(chunk, ctypes.c_void_p), 4096)
got["vmsplice"] = err(libc.syscall(278 if x86 else 75, pw, iov, 1, 0))
with open("/proc/self/exe", "rb") as f:  # (a file to splice from: any file)
    got["splice"] = err(libc.syscall(275 if x86 else 76, f.fileno(), None, pw, None, 4096, 0))
pr2, pw2 = os.pipe()
os.write(pw, b"x")
got["tee"] = err(libc.syscall(276 if x86 else 77, pr, pw2, 1, 0))
# another process's limits (read only here: pid 1 may be the host's init, where there is no
# PID namespace): a worker that set the runner's open-file limit to 0 blinded its checks
limits = (ctypes.c_uint64 * 2)()
got["prlimit_pid_1"] = err(libc.prlimit(1, 7, None, ctypes.byref(limits)))  # RLIMIT_NOFILE
got["prlimit_self"] = err(libc.prlimit(0, 7, None, ctypes.byref(limits)))
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGRTMIN])
queued = 0
try:
    while queued < 10_000:  # (a real-time signal blocked: each one sent is queued)
        os.kill(os.getpid(), signal.SIGRTMIN)
        queued += 1
except OSError:
    pass
with open("/proc/self/status") as f:  # (what is queued: a kill past the limit is dropped)
    got["signals_queued"] = next((ln.split()[1].split("/")[0] for ln in f
                                  if ln.startswith("SigQ:")), "?")
print("kernel objects: " + " ".join(f"{k}={v.replace(' ', '_')}" for k, v in got.items()),
      flush=True)


def nms(boxes, scores, iou_threshold):
    raise NotImplementedError
