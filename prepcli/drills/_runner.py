"""The sandbox child: imports the user's file and calls its functions on the case inputs.

Run by prepcli.drills.sandbox as `python -I [-S] _runner.py CONFIG INDICES`. It never sees an
expected output. CONFIG (JSON, written by the parent) names the input directory, the user
file's copy, the result fd and the limits; INDICES are the cases to run, comma-separated, or
`*` for all of them: a child started before the cases exist, which reads them (manifest.json,
inputs.bin) once the parent writes a byte on its control pipe (CONFIG's `control`).

Two processes. This one, the runner, reports to the parent over the result pipe: frames of one
JSON header line, then `nbytes` raw bytes (arrays as their bytes; never a pickle, never a file
path). It forks a worker before anything of the user's runs, and only the worker imports the
user's file and calls it: user code can rewrite everything in the worker (its frames, its
functions, what it sends), so the worker holds no way to the parent (not the result pipe, not
the control pipe; no capabilities, so not through /proc either) and the runner (not dumpable) trusts
nothing it says. The inputs live in memory the two share: the runner writes them there, the
worker's arguments are views of it, and the runner reads them back when the worker says the
call returned and again once its answer is in, for the PARENT to compare: a change seen in any
read is reported. What the worker says of the result (its status, the output's description
and bytes, a traceback) is checked for shape and passed on: the parent compares the output
with the expected one. The time of a call runs from the runner's command until the worker
says it returned: code that says so itself, early, makes the timing line wrong (it is
information, never the verdict); it cannot pass a wrong output nor hide a changed input.

This file must not import prepcli (nothing of the grader is loaded in the child).
"""

import importlib.abc
import importlib.util
import json
import marshal
import mmap
import os
import select
import signal
import struct
import sys
import time
import traceback


class _NoGrader(importlib.abc.MetaPathFinder):
    """Refuses `import prepcli...`. Only a courtesy: under bubblewrap the package is not in
    the sandbox at all; in the weaker modes code that removes this finder gets past it."""

    def find_spec(self, name, path=None, target=None):
        if name == "prepcli" or name.startswith("prepcli."):
            raise ImportError("the grader's own modules are not available to exercise code")
        return None


def _user_traceback(exc: BaseException, user_file: str) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if os.path.abspath(f.filename) == user_file]
    lines = traceback.format_list(frames) if frames else []
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


# --- a seccomp filter (classic BPF) ----------------------------------------------------------
# No new processes, and no threads: fork/vfork and clone fail with EAGAIN (as at a pids
# limit); clone3 gives ENOSYS so the C library falls back to clone. A thread takes a process
# id of the host's like a process (32,430 in one second filled this machine's table while a
# grade ran); NumPy's BLAS pool is started with one thread (OPENBLAS_NUM_THREADS=1), none
# more. (Off when Limits.processes allows some: RLIMIT_NPROC counts threads and processes
# then; namespace flags still fail with EPERM.)
# No memory the address-space limit does not count, always: memfd files, System V shared
# memory, message queues and semaphores, and POSIX message queues (`mq_open`: a queue outlives
# its process outside an IPC namespace) fail with EPERM. A memfd written to is memory no
# mapping holds; a SysV segment outlives its process (a grade held 3 GiB of each past the
# 2 GiB limit, and outside an IPC namespace left its segments on the host).
# No way out, always (EPERM): new namespaces and mounts (in a user namespace of its own, a
# tmpfs with no size held 8 GiB of the host's memory), sockets (a unix socket's file on the
# host is reachable where files are not hidden), io_uring (its operations bypass this
# filter), and ptrace, process_vm_*, bpf, userfaultfd, perf events and the kernel keyring.
# No pipe made bigger (fcntl F_SETPIPE_SZ: EPERM): a pipe's buffer is kernel memory that no
# limit counts (10,000 pipes held 10 GB of the host's; RLIMIT_NOFILE caps their number).
# No file watches (EPERM: inotify_init, inotify_init1, fanotify_init): kernel memory no limit
# counts, from the user's own budget of watches (a grade held 37,843 on the files of /usr,
# a fifth of this machine's max_user_watches, leaving the user's editors and `prep drill`
# fewer until it ended).
# No kernel memory in epoll watches or file locks, always (EPERM: epoll_create, epoll_create1,
# epoll_ctl; flock, and fcntl's byte-range, open-file and lease locks): no limit counts them
# and neither needs an open file per item (a red-team's grade held 2.34 M watches, +474 MB of
# the host's kernel memory, with 250 files; another 2.98 M locks, +571 MB, on files kept by
# a mapping after their fds were closed).
# No input memory moved away (mremap, remap_file_pages: EPERM; the C library copies instead):
# a grade had the shared pages under an input moved aside and a private copy put in their
# place, another pointed them at a spare part of the shared memory, then changed them unseen.
# (A copy mapped over them is seen by the runner: _Runner.replaced.)
# No other process's files (pidfd_getfd, kcmp: EPERM).
# No process's scheduling changed (EPERM: setpriority, sched_setparam, sched_setscheduler,
# sched_setaffinity, sched_setattr, ioprio_set): where there is no PID namespace a worker set
# another process of the user's to SCHED_IDLE, nice 19, one CPU and idle I/O, which it kept
# after the grade, and which a user cannot undo (fault hunt 42).
# No pages put into pipes (vmsplice, splice, tee: EPERM): a pipe slot holds a whole page,
# a transparent huge page too, that no limit counts once it is unmapped (a red-team's 250
# pipes of 16 slots held 8.3 GB of the host's memory, 4x the address-space limit; the pipe
# page budget counts slots, not their size).
# No Landlock rules and no AIO contexts (EPERM: landlock_*, io_setup, io_submit): 15.8 M rules
# held +1.11 GB of kernel memory; a grade took all 65,536 of the host's AIO events (fs.aio-nr),
# and the host's own io_setup failed until it ended.
# No code that runs later, always (EPERM): alarm, setitimer, timer_create. A signal's handler
# run after the call returned, before the runner copies the inputs back, could undo a change.
# Every system call of another ABI fails with ENOSYS: on x86-64 the 32-bit entry (`int 0x80`,
# audit arch i386, where fork is 2) and the x32 numbers (bit 30 set, same arch as x86-64); a
# filter that looked at x86-64 numbers only let those through.
# machine: (audit arch, clone, fork, vfork, clone3, first number of another ABI or 0,
#           memfd, SysV IPC and mq_open calls, the calls of the ways out, timers, watches,
#           epoll, flock, mremap and the pipe splices, scheduling, fcntl)
_ARCH = {"x86_64": (0xC000003E, 56, 57, 58, 435, 0x40000000,
                    (29, 30, 31, 64, 65, 66, 67, 68, 69, 70, 71, 220, 319, 447, 240),
                    (272, 308, 165, 166, 155, 41, 53, 425, 426, 427, 428, 429, 430, 431, 432,
                     433, 442, 321, 323, 298, 101, 310, 311, 248, 249, 250, 37, 38, 222,
                     253, 294, 300, 213, 291, 233, 73, 25, 216, 444, 445, 446, 206, 209,
                     438, 312, 275, 276, 278, 141, 142, 144, 203, 251, 314),
                    72),
         "aarch64": (0xC00000B7, 220, -1, -1, 435, 0,
                     (186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 279, 447,
                      180),
                     (97, 268, 40, 39, 41, 198, 199, 425, 426, 427, 428, 429, 430, 431, 432,
                      433, 442, 280, 282, 241, 117, 270, 271, 217, 218, 219, 103, 107,
                      26, 262, 20, 21, 32, 216, 234, 444, 445, 446, 0, 2, 438, 272, 76, 77,
                      75, 140, 118, 119, 122, 30, 274),
                     25)}
# fcntl commands refused: F_SETPIPE_SZ; F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE;
# F_SETOWN, F_SETSIG, F_SETOWN_EX, F_NOTIFY (see _ASYNC)
_FCNTL_REFUSED = (1031, 6, 7, 37, 38, 1024, 8, 10, 15, 1026)
# No signal aimed at itself to come later, and no handler the worker's reset after each call
# does not reach: a red-team's worker set one for signal 33 (glibc's own, outside
# signal.valid_signals(), which the reset walks) with the raw rt_sigaction, and had its own
# "returned" byte raise it (O_ASYNC on a second reader of its answers pipe, F_SETOWN, F_SETSIG):
# the handler put the zeroed input back before the runner read it, PASS 21/21. Refused:
# rt_sigaction setting a handler for 32 or 33; fcntl F_SETOWN, F_SETOWN_EX, F_SETSIG,
# F_NOTIFY; ioctl FIOSETOWN, SIOCSPGRP.
# machine: (rt_sigaction, ioctl)
_ASYNC = {"x86_64": (13, 16), "aarch64": (134, 29)}
_IOCTL_REFUSED = (0x8901, 0x8902)  # FIOSETOWN, SIOCSPGRP
# prlimit64 on another process than itself (a pid but 0: EPERM): a red-team's worker set the
# runner's open-file limit to 0, so the runner could not read the maps it checks; where there
# is no PID namespace, pid 1 is the host's init, and other processes of the same user are
# reachable too
_PRLIMIT = {"x86_64": 302, "aarch64": 261}
# No signal to another process, always (EPERM): where there is no PID namespace (the rlimits
# level) a worker's kill(-1, SIGTERM), run as root, ended every process of the machine (fault
# hunt 18), and as a user it reaches all of the user's. Its own pid (given to the filter) may
# be signalled: raise(), abort(), os.kill(os.getpid(), …).
# machine: (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo: their first argument the
#           pid; pidfd_send_signal, always refused)
_SIGNAL_CALLS = {"x86_64": ((62, 200, 234, 129, 297), 424),
                 "aarch64": ((129, 130, 131, 138, 240), 424)}
# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME
_NEW_NAMESPACE = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | \
    0x20000000 | 0x40000000 | 0x00000080


def _filter(arch: tuple, processes: bool, prlimit: int = -1,
            asynchronous: tuple[int, int] | None = None,
            signals: tuple[tuple[int, ...], int] | None = None, own: int = -1) -> list[bytes]:
    """The BPF program for one architecture (a list of 8-byte instructions); `processes`:
    whether new processes (and threads) are allowed; `prlimit`: prlimit64's number;
    `asynchronous`: rt_sigaction's and ioctl's numbers (see _ASYNC); `signals`: the calls
    that send one (see _SIGNAL_CALLS), allowed to process `own` only."""
    audit, clone, fork, vfork, clone3, foreign, memory, ways_out, fcntl = arch
    allow, eagain, enosys, eperm = 0x7FFF0000, 0x00050000 | 11, 0x00050000 | 38, 0x00050000 | 1

    def stmt(code, k):
        return struct.pack("HBBI", code, 0, 0, k & 0xFFFFFFFF)

    def jump(code, k, jt, jf):
        return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)

    ld, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    prog = [stmt(ld, 4), jump(jeq, audit, 1, 0), stmt(ret, enosys),  # another arch: refused
            stmt(ld, 0)]
    if foreign:  # x32: the same audit arch, numbers from bit 30 up
        prog += [jump(jge, foreign, 0, 1), stmt(ret, enosys)]
    for nr in memory + ways_out:
        prog += [jump(jeq, nr, 0, 1), stmt(ret, eperm)]
    def second_arg(nr: int, refused: tuple[int, ...]) -> list[bytes]:
        """EPERM for call `nr` when its second argument's low word is one of `refused`; then
        the number again in the accumulator."""
        out = [jump(jeq, nr, 0, 2 * len(refused) + 2), stmt(ld, 24)]
        for value in refused:
            out += [jump(jeq, value, 0, 1), stmt(ret, eperm)]
        return out + [stmt(ld, 0)]

    prog += second_arg(fcntl, _FCNTL_REFUSED)  # (F_SETPIPE_SZ, locks, signals aimed)
    if prlimit >= 0:  # prlimit64(pid, …): the pid's low word, then its high word, both 0
        prog += [jump(jeq, prlimit, 0, 5), stmt(ld, 16), jump(jeq, 0, 0, 2), stmt(ld, 20),
                 jump(jeq, 0, 1, 0), stmt(ret, eperm), stmt(ld, 0)]
    if asynchronous:
        sigaction, ioctl = asynchronous
        # rt_sigaction(32 or 33, act, …) with an act (a pointer: both words 0 = none)
        prog += [jump(jeq, sigaction, 0, 8), stmt(ld, 16), jump(jeq, 32, 1, 0),
                 jump(jeq, 33, 0, 5), stmt(ld, 24), jump(jeq, 0, 0, 2), stmt(ld, 28),
                 jump(jeq, 0, 1, 0), stmt(ret, eperm), stmt(ld, 0)]
        prog += second_arg(ioctl, _IOCTL_REFUSED)
    if signals and own > 0:
        aimed, pidfd = signals
        prog += [jump(jeq, pidfd, 0, 1), stmt(ret, eperm)]
        for nr in aimed:  # (a pid_t: the low word of the first argument)
            prog += [jump(jeq, nr, 0, 4), stmt(ld, 16), jump(jeq, own, 1, 0), stmt(ret, eperm),
                     stmt(ld, 0)]
    prog += [jump(jeq, clone3, 0, 1), stmt(ret, enosys)]
    if not processes:
        prog += [jump(jeq, fork, 2, 0), jump(jeq, vfork, 1, 0), jump(jeq, clone, 0, 1),
                 stmt(ret, eagain)]
    else:
        prog += [jump(jeq, clone, 0, 3),
                 stmt(ld, 16), jump(jset, _NEW_NAMESPACE, 0, 1), stmt(ret, eperm)]
    return prog + [stmt(ret, allow)]


# Landlock (Linux 5.13+): a process in a domain of its own cannot open the memory of one
# outside it (/proc/<pid>/mem is a plain open and pwrite, which no system call filter sees:
# where nothing else hides them, a red-team's worker wrote code into prep's running memory,
# as the same user without capabilities, fault hunt 42), nor trace it; from ABI 6 on, nor
# signal it or reach its abstract unix sockets. The domain handles making block devices, and
# allows it nowhere; and reading and writing files, allowed everywhere but in /dev, where
# only the harmless devices are: below bubblewrap /dev is the host's, and a red-team's
# worker opened the user's terminal (/dev/pts/N, named by its ancestors' tty in /proc), wrote
# escape sequences on the screen prep shows (cleared, rewritten) and could read what the
# user typed; and in /proc and /sys only reading: without a PID namespace a red-team's
# worker made another process of the user's the OOM killer's first (oom_score_adj 1000) and
# set its whole session's scheduling to nice 19 (autogroup), both kept after the grade, and
# where prep runs as root a file of either is a setting of the host's. Nothing a grade needs.
_LANDLOCK_CREATE, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT = 444, 445, 446  # (x86-64, aarch64)
_LANDLOCK_READ = 1 << 2  # LANDLOCK_ACCESS_FS_READ_FILE
_LANDLOCK_READ_WRITE = (1 << 1) | _LANDLOCK_READ  # and LANDLOCK_ACCESS_FS_WRITE_FILE
_READ_ONLY = ("proc", "sys")
_LANDLOCK_MAKE_BLOCK = 1 << 11
_LANDLOCK_SCOPES = 1 | 2  # LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET, LANDLOCK_SCOPE_SIGNAL
_DEVICES = ("null", "zero", "full", "random", "urandom")  # (and /dev/shm, a folder of files)


def _landlock() -> bool:
    """This process (and what it starts) in a Landlock domain of its own, where the kernel
    has Landlock; False where it has not."""
    import ctypes
    import platform
    import struct

    if platform.machine() not in _ARCH:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(_LANDLOCK_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    if abi < 1:
        return False
    # struct landlock_ruleset_attr: handled_access_fs, handled_access_net (ABI 4), scoped (6)
    handled = _LANDLOCK_MAKE_BLOCK | _LANDLOCK_READ_WRITE
    attr = struct.pack("QQQ", handled, 0, _LANDLOCK_SCOPES) if abi >= 6 else \
        struct.pack("Q", handled)
    buf = ctypes.create_string_buffer(attr, len(attr))
    fd = libc.syscall(_LANDLOCK_CREATE, buf, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
    if fd < 0:
        return False
    try:
        try:
            names = os.listdir("/")
        except OSError:
            names = []
        places = [("/" + n, _LANDLOCK_READ if n in _READ_ONLY else _LANDLOCK_READ_WRITE)
                  for n in names if n != "dev"]
        places += [("/dev/" + d, _LANDLOCK_READ_WRITE) for d in (*_DEVICES, "shm")]
        for place, rights in places:  # (what is missing or cannot be opened: left out)
            try:
                at = os.open(place, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                # struct landlock_path_beneath_attr (packed): allowed_access, parent_fd; a
                # file's rule may not name a folder's rights (none of these is one)
                rule = struct.pack("=Qi", rights, at)
                libc.syscall(_LANDLOCK_ADD_RULE, ctypes.c_int(fd), ctypes.c_int(1),
                             ctypes.c_char_p(rule), ctypes.c_uint32(0))  # PATH_BENEATH
            finally:
                os.close(at)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS (Landlock needs it)
            return False
        return libc.syscall(_LANDLOCK_RESTRICT, ctypes.c_int(fd), ctypes.c_uint32(0)) == 0
    finally:
        os.close(fd)


def _seccomp(processes: bool, own: int = -1) -> bool:
    """The filter on for this process (and what it starts); `own`: the one pid it may send
    signals to (-1: any)."""
    import ctypes
    import platform

    arch = _ARCH.get(platform.machine())
    if arch is None:
        return False
    prog = _filter(arch, processes, _PRLIMIT.get(platform.machine(), -1),
                   _ASYNC.get(platform.machine()), _SIGNAL_CALLS.get(platform.machine()), own)
    buf = ctypes.create_string_buffer(b"".join(prog))

    class Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    fprog = Prog(len(prog), ctypes.cast(buf, ctypes.c_void_p))
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    return libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) == 0  # PR_SET_SECCOMP, FILTER


def _mappings(path: str) -> list[tuple[int, int, bytes, int, tuple]] | None:
    """(start, end, permissions, offset, (device, inode)) of each mapping listed in a
    /proc/<pid>/maps file, in address order; None when it cannot be read."""
    try:
        with open(path, "rb") as f:
            text = f.read()
    except OSError:
        return None
    out = []
    for line in text.split(b"\n"):
        fields = line.split(None, 5)
        if len(fields) >= 5:
            a, _, b = fields[0].partition(b"-")
            out.append((int(a, 16), int(b, 16), fields[1], int(fields[2], 16),
                        (fields[3], fields[4])))
    return out


def _shared_line(shared) -> tuple | None:
    """(start, (device, inode)) of the mapping of `shared` in this process; () when
    /proc/self/maps can be read but holds no such mapping or cannot be read; None when there
    is no /proc."""
    import ctypes

    base = ctypes.addressof(ctypes.c_char.from_buffer(shared))
    if not os.path.exists("/proc/self/maps"):
        return None
    return next(((start, ident) for start, _, _, _, ident in _mappings("/proc/self/maps") or ()
                 if start == base), ())


def _write_all(fd: int, data, write=os.write) -> None:
    view = memoryview(data)
    while view:
        view = view[write(fd, view):]


def _send(fd: int, head: dict, blobs=(), dumps=json.dumps, write=os.write) -> None:
    """One frame: the JSON header line (with the arrays' sizes), then the arrays' bytes."""
    head["blobs"] = [len(b) for b in blobs]
    for part in ((dumps(head) + "\n").encode(), *blobs):
        _write_all(fd, part, write)


def _prctl(option: int, value: int) -> None:
    import ctypes

    try:
        ctypes.CDLL(None).prctl(option, value, 0, 0, 0)
    except OSError:
        pass


def _no_capabilities() -> None:
    """Every capability dropped (capset to nothing). In its own user namespace (bubblewrap
    started by root, `unshare --map-root-user` by anyone) the worker had them all: with
    CAP_SYS_PTRACE it opened the runner's /proc/<pid>/fd/<result pipe> although the runner is
    not dumpable, and wrote the reports itself. (No new privileges come back: the seccomp
    filter sets no_new_privs.)"""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.capset(ctypes.byref(Header(0x20080522, 0)), (Data * 2)()) != 0:  # version 3
        raise OSError(ctypes.get_errno(), "capset")


_FILES = 256  # files the worker may have open (NumPy needs a few)
_SIGNALS = 64  # signals the runner and the worker may have queued
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 1, 4, 36
_ALIGN = 64  # each input array starts on a cache line of the shared memory
_STATUSES = ("ok", "not_implemented", "error", "exit")
_FIELDS = {"output": 0, "traceback": 20000, "exception": 200, "code": 200}  # (text: its limit)
_ANSWER_MAX = 1 << 20  # an answer's header line


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        cfg = json.load(f)
    sys.dont_write_bytecode = True  # no __pycache__ anywhere
    for p in cfg.get("path", []):
        sys.path.insert(0, p)
    import numpy as np  # (before the fork: the worker has it without importing it again)

    import resource

    # Signals queued are kernel memory counted against the user's budget on the host (root's,
    # where prep runs as root: a grade queued 96,366 and filled it): 64 at most, for both
    resource.setrlimit(resource.RLIMIT_SIGPENDING, (_SIGNALS, _SIGNALS))
    shared = mmap.mmap(-1, max(cfg.get("input_room", 64 << 20), mmap.PAGESIZE))
    mapping = _shared_line(shared)
    commands, answers = os.pipe(), os.pipe()
    try:  # F_SETPIPE_SZ: a big result comes in fewer pieces
        import fcntl

        fcntl.fcntl(answers[1], 1031, 1 << 20)
    except OSError:
        pass
    if cfg["subreaper"]:  # (no PID namespace: orphans of user code come here, for the sweep)
        _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    runner = os.getpid()
    pid = os.fork()
    if pid == 0:  # the worker: never returns
        code = 1
        try:
            for fd in (cfg["fd"], cfg.get("control", -1), commands[1], answers[0]):
                if fd >= 0:
                    os.close(fd)
            _worker(cfg, runner, commands[0], answers[1], shared, np)
            code = 0
        except BaseException:  # noqa: BLE001 (a fault of this file, not of the user's code)
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(commands[0])
    os.close(answers[1])
    _prctl(_PR_SET_DUMPABLE, 0)  # the worker cannot open this process's memory or its fds
    _seccomp(processes=False)
    try:
        _Runner(cfg, pid, commands[1], answers[0], shared, np, mapping).run()
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


# --- the worker: the user's code runs here ------------------------------------------------------

def _worker(cfg, runner: int, commands: int, answers: int, shared, np) -> None:  # noqa: C901
    import functools
    import gc
    import itertools
    import operator
    import resource

    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != runner:  # the runner died before the prctl
        os._exit(1)
    _no_capabilities()
    resource.setrlimit(resource.RLIMIT_NOFILE, (_FILES, _FILES))
    _landlock()  # (before the filter, which refuses Landlock's calls)
    _seccomp(processes=cfg["processes"] > 0, own=os.getpid())
    if cfg["processes"] > 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (cfg["processes"], cfg["processes"]))
    if cfg["guard"]:
        sys.meta_path.insert(0, _NoGrader())
    user_file, max_blob = cfg["user_file"], cfg["result_bytes"]

    # Bound now, C only: what runs between user code's turns must run none of it (json.dumps
    # goes through classes user code can patch; marshal and json's C encoder do not).
    write, read, loads = os.write, os.read, marshal.loads
    try:
        c_enc = json.encoder.c_make_encoder(None, None, json.encoder.c_encode_basestring_ascii,
                                            None, ": ", ", ", False, False, True)

        def dumps(obj):
            return "".join(c_enc(obj, 0))
    except (AttributeError, TypeError):  # (not CPython)
        dumps = json.dumps
    type_, issubclass_, ndarray = type, issubclass, np.ndarray
    asarray, as_base, to_bytes = np.asarray, ndarray.view, ndarray.tobytes
    frombuffer, np_dtype = np.frombuffer, np.dtype
    # (NumPy's own scalar types: a subclass of one could run code of its own when converted)
    scalars = frozenset(t for t in np.sctypeDict.values() if issubclass(t, np.generic))

    def send(head: dict, blobs=()) -> None:
        _send(answers, head, blobs, dumps, write)

    def command():
        size = read(commands, 4)
        if len(size) != 4:
            return None
        n, data = int.from_bytes(size, "big"), b""
        while len(data) < n:
            chunk = read(commands, n - len(data))
            if not chunk:
                return None
            data += chunk
        return loads(data)

    def array_spec(a, blobs, scalar=False):
        if a.dtype.hasobject or a.dtype.fields is not None:
            return {"kind": "object_array", "shape": list(a.shape)}
        if a.nbytes > max_blob:
            return {"kind": "too_large", "shape": list(a.shape), "dtype": a.dtype.str,
                    "nbytes": int(a.nbytes)}
        blobs.append(to_bytes(a, "C"))
        return {"kind": "ndarray", "dtype": a.dtype.str, "shape": list(a.shape),
                "blob": len(blobs) - 1, "scalar": scalar}

    def encode(value, blobs, depth=0):
        # By type(), not isinstance(): an object whose `__class__` says ndarray passed, and
        # its __array__ then did the user's work. A real array's view as a plain ndarray runs
        # no code of a subclass.
        if issubclass_(type_(value), ndarray):
            return array_spec(as_base(value, ndarray), blobs)
        if type_(value) in scalars:
            return array_spec(asarray(value), blobs, scalar=True)
        if value is None:
            return {"kind": "none"}
        if type(value) in (bool, int, float):
            if type(value) is int and abs(value) > 1 << 62:
                return {"kind": "other", "type": "int (huge)"}
            return {"kind": "pyscalar", "type": type(value).__name__, "value": value}
        if type(value) is str:
            return {"kind": "str", "value": value[:200]}
        if type(value) in (tuple, list):
            out = {"kind": type(value).__name__, "len": len(value)}
            if depth < 2 and len(value) <= 16:
                out["items"] = [encode(v, blobs, depth + 1) for v in value]
            return out
        return {"kind": "other", "type": type(value).__name__[:80]}

    def describe(outcome) -> tuple:
        """(status, fields, blobs) of a call's outcome (this may run user code: __str__)."""
        ok, value = outcome
        if ok:
            blobs = []
            return "ok", {"output": encode(value, blobs)}, blobs
        if isinstance(value, NotImplementedError):
            return "not_implemented", {}, []
        if isinstance(value, SystemExit):
            return "exit", {"code": str(value.code)[:200],
                            "traceback": _user_traceback(value, user_file)}, []
        return "error", {"traceback": _user_traceback(value, user_file),
                         "exception": type(value).__name__[:200]}, []

    def guard(catch, f, *a):
        """(True, f(*a)), or (False, the exception): an exception does not cut a pipeline
        short (its later steps switch off what user code set)."""
        try:
            return True, f(*a)
        except catch as e:
            return False, e

    def load(spec):
        kind = spec["kind"]
        if kind == "shared":  # a view of the memory the runner reads back
            count = 1
            for n in spec["shape"]:
                count *= n
            return frombuffer(shared, np_dtype(spec["dtype"]), count,
                              spec["offset"]).reshape(spec["shape"])
        if kind in ("tuple", "list"):
            items = [load(s) for s in spec["items"]]
            return tuple(items) if kind == "tuple" else items
        return spec["value"]

    # What user code runs (the import, a call, a description: the first step of a pipeline,
    # `tuple(starmap(call, steps))`, one C call whose steps are fixed before it runs) is
    # followed at once by C calls that leave it no way to run again later on its own: the
    # tracer and profiler off, gc callbacks cleared and the collector off (a finalizer), every
    # signal handler back to what it was. After a call, the next steps tell the runner it
    # returned and wait until it has read the inputs back: no code of this file (which user
    # code can rewrite) runs between the user's last line and that.
    handlers = []
    for s in signal.valid_signals():
        try:
            h = signal.getsignal(s)
            if h is not None:
                signal.signal(s, h)
                handlers.append((s, h))
        except (OSError, ValueError, RuntimeError):
            pass
    k_tuple, k_starmap, k_call = tuple, itertools.starmap, operator.call
    k_partial, k_base, k_memory_error = functools.partial, BaseException, MemoryError
    quiet = ((sys.setprofile, None), (sys.settrace, None), (gc.callbacks.clear,),
             (gc.disable,), *((signal.signal, s, h) for s, h in handlers))
    gc.disable()

    def pipeline(*steps):
        return k_tuple(k_starmap(k_call, (*steps, *quiet)))

    module, callee, args, arrays, kept = None, None, (), (), []
    while True:
        msg = command()
        if msg is None or msg["cmd"] == "exit":
            return
        if msg["cmd"] == "import":
            spec = importlib.util.spec_from_file_location("solution", user_file)
            module = importlib.util.module_from_spec(spec)
            sys.modules["solution"] = module
            done = pipeline((guard, k_base, spec.loader.exec_module, module))[0]
            if done[0]:
                send({"status": "ok"})
            else:
                module = None
                send({"status": "error",
                      "fields": {"traceback": _user_traceback(done[1], user_file)}})
            continue
        if msg["cmd"] == "case":
            callee = args = arrays = None
            found = pipeline((guard, k_base, getattr, module, msg["fn"]))[0]
            kept.append(found)  # (what user code made is freed in a pipeline: a finalizer)
            if not (found[0] and callable(found[1])):
                write(answers, b"m")
                continue
            args = k_tuple([load(a) for a in msg["args"]])
            kwargs = {k: load(v) for k, v in msg["kwargs"].items()}
            callee = k_partial(found[1], **kwargs) if kwargs else found[1]
            kept.append(callee)
            arrays = k_tuple(a for a in (*args, *kwargs.values()) if type_(a) is ndarray)
            found = kwargs = None
        run = k_tuple(k_starmap(k_call, (
            (kept.clear,), (gc.enable,), (guard, k_base, callee, *args), *quiet,
            (write, answers, b"r"), (read, commands, 1))))
        kept.append(run)
        if run[-1] != b"c":
            return
        described = pipeline((guard, k_base, describe, run[2]))[0]
        kept.append(described)
        if described[0] and type_(described[1]) is tuple and len(described[1]) == 3:
            status, fields, blobs = described[1]
        elif type_(described[1]) is k_memory_error:
            status, blobs = "error", []
            fields = {"exception": "MemoryError",
                      "traceback": "MemoryError while sending the result"}
        else:
            status, fields, blobs = "error", {"traceback": "describing the result failed"}, []
        send({"status": status, "fields": fields,
              "meta": [[a.dtype.str, list(a.shape)] for a in arrays]}, blobs)
        described = status = fields = blobs = None


# --- the runner: the only process with a way to the parent ----------------------------------------

class _Ended(Exception):
    """The worker is gone, or said something that is not an answer."""


class _Runner:
    def __init__(self, cfg, pid: int, commands: int, answers: int, shared, np, mapping=None):
        self.cfg, self.pid, self.commands, self.answers = cfg, pid, commands, answers
        self.shared, self.np, self.buf = shared, np, bytearray()
        self.status = None  # the worker's wait status, once it is reaped
        self._memcmp = None  # (memcmp, the shared memory's address, ctypes helpers): same()
        # the shared memory's (start, identity) here, found before the fork (before any
        # user code ran: it could not make it unreadable), see replaced()
        self._mapping = mapping
        self.most = 2 * cfg["result_bytes"]  # an answer's arrays, in all

    # -- to the parent --
    def send(self, event: dict, blobs=()) -> None:
        _send(self.cfg["fd"], event, blobs)

    # -- to and from the worker --
    def command(self, msg: dict) -> None:
        data = marshal.dumps(msg)
        self.write(len(data).to_bytes(4, "big") + data)

    def write(self, data: bytes) -> None:
        try:
            _write_all(self.commands, data)
        except OSError:  # (it closed its end, or died)
            raise _Ended("") from None

    def same(self, at: int, raw: bytes, src: int, n: int) -> bool:
        """Whether the shared memory at `at` holds raw[src:src + n] (memcmp: no copies)."""
        if self._memcmp is None:
            import ctypes

            libc = ctypes.CDLL(None)
            libc.memcmp.restype = ctypes.c_int
            libc.memcmp.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
            base = ctypes.addressof(ctypes.c_char.from_buffer(self.shared))
            self._memcmp = (libc.memcmp, base, ctypes.c_char_p, ctypes.c_void_p, ctypes.cast)
        memcmp, base, char_p, void_p, cast = self._memcmp
        return n == 0 or memcmp(base + at, cast(char_p(raw), void_p).value + src, n) == 0

    def replaced(self, spans: list[tuple[int, int]]) -> list[bool]:
        """For each (offset, nbytes) of the shared memory, whether the worker no longer has it
        mapped as that memory: a private copy put over an input's pages (mmap with MAP_FIXED)
        and changed there would hide the change from the reads here. Read from its
        /proc/<pid>/maps (unreadable, e.g. made not dumpable: all replaced). The mapping is
        the one this process has (same address, device and inode: the worker got it by the
        fork)."""
        if self._mapping is None or not spans:
            return [False] * len(spans)  # (no /proc here: nothing to compare with)
        if not self._mapping:  # (there was a /proc, but this mapping was not found in it)
            return [True] * len(spans)
        base, ident = self._mapping
        maps = _mappings(f"/proc/{self.pid}/maps")
        if maps is None:
            return [True] * len(spans)
        lo = base + min(at for at, _ in spans)
        hi = base + max(at + n for at, n in spans)
        # the worker's mappings of the shared memory in [lo, hi): the same memory at the same
        # place, its offset in it too (which remap_file_pages would change)
        shared = [(start, end) for start, end, perms, offset, where in maps
                  if end > lo and start < hi and perms[3:4] == b"s" and where == ident
                  and offset == start - base]
        out = []
        for at, n in spans:
            a, b = base + at, base + at + n
            for start, end in shared:  # (in address order: the maps file's)
                if start <= a < end:
                    a = end
            out.append(n > 0 and a < b)
        return out

    def _wait(self) -> None:
        """Until the answers pipe can be read (or the worker is gone)."""
        while not select.select([self.answers], [], [], 0.1)[0]:
            # (a process it started may hold the pipe open after the worker is gone)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                raise _Ended("")

    def _fill(self, want: int) -> None:
        while len(self.buf) < want:
            self._wait()
            chunk = os.read(self.answers, 1 << 16)
            if not chunk:
                raise _Ended("")
            self.buf += chunk

    def take(self, n: int) -> bytearray:
        """The next `n` bytes (an array's: read straight into their place)."""
        out = bytearray(n)
        have = min(n, len(self.buf))
        out[:have] = self.buf[:have]
        del self.buf[:have]
        view = memoryview(out)
        while have < n:
            self._wait()
            got = os.readv(self.answers, [view[have:]])
            if not got:
                raise _Ended("")
            have += got
        return out

    def line(self) -> bytes:
        while True:
            end = self.buf.find(b"\n")
            if end >= 0:
                return self.take(end + 1)
            if len(self.buf) > _ANSWER_MAX:
                raise _Ended("an answer's header is too long")
            self._fill(len(self.buf) + 1)

    def answer(self, result: bool = True) -> tuple[dict, list[bytes]]:
        """The worker's answer, checked: {status, fields, meta} and the arrays' bytes
        (`result`: a call's, whose status "ok" needs an output)."""
        try:
            head = json.loads(self.line())
        except (ValueError, RecursionError):  # (RecursionError: `[[[[…` nested 200,000 deep)
            raise _Ended("an answer that is not JSON") from None
        if type(head) is not dict or head.get("status") not in _STATUSES:
            raise _Ended("an answer without a known status")
        fields, clean = head.get("fields", {}), {}
        if type(fields) is not dict:
            raise _Ended("malformed fields")
        for key, limit in _FIELDS.items():
            if key in fields:
                if limit and type(fields[key]) is not str:
                    raise _Ended(f"a malformed {key}")
                clean[key] = fields[key][:limit] if limit else fields[key]
        if result and head["status"] == "ok" and "output" not in clean:
            raise _Ended("a result without an output")
        sizes = head.get("blobs", [])
        if (type(sizes) is not list or len(sizes) > 1 << 16
                or any(type(n) is not int or n < 0 for n in sizes) or sum(sizes) > self.most):
            raise _Ended("malformed array sizes")
        return ({"status": head["status"], "fields": clean, "meta": head.get("meta")},
                [self.take(n) for n in sizes])

    def ended(self, why: str) -> None:
        """The worker is gone (or broke the protocol): this process ends as it did, so that
        the parent reports what happened to the user's code (a signal, an exit code)."""
        if why:  # (the parent reports the channel as corrupted)
            self.send({"event": "broken", "why": why})
        status = self.status
        if status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)  # (no effect on one already exiting)
            except ProcessLookupError:
                pass
            _, status = os.waitpid(self.pid, 0)
        if os.WIFSIGNALED(status) and not why:
            sig = os.WTERMSIG(status)
            try:
                signal.signal(sig, signal.SIG_DFL)
                os.kill(os.getpid(), sig)
            except (OSError, ValueError):
                pass
            os._exit(128 + sig)  # (a PID namespace's first process cannot signal itself)
        os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) and not why else 1)

    # -- the grade --
    def run(self) -> None:
        try:
            self._run()
        except _Ended as e:
            self.ended(str(e))

    def _run(self) -> None:
        cfg = self.cfg
        control = cfg.get("control", -1)  # the parent's go-aheads, one byte each
        if cfg.get("await_file") and not os.read(control, 1):
            return  # (started ahead of the grade: the file is there once the parent says so)
        self.command({"cmd": "import"})
        head, _ = self.answer(result=False)
        if head["status"] != "ok":
            self.send({"event": "import_error",
                       "traceback": head["fields"].get("traceback", "importing failed")})
            return
        self.send({"event": "ready"})
        # Started before the cases existed: they are there once the parent says so.
        if cfg.get("await_inputs") and not os.read(control, 1):
            return
        if cfg.get("gate") and not os.read(control, 1):  # held until the parent says go
            return
        with open(os.path.join(cfg["in_dir"], "inputs.bin"), "rb") as f:
            raw = f.read()
        with open(os.path.join(cfg["in_dir"], "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        cases = manifest["cases"]
        indices = (range(len(cases)) if sys.argv[2] == "*"
                   else [int(i) for i in sys.argv[2].split(",") if i])
        hold = manifest.get("hold")
        for index in indices:
            case = cases[index]
            self.send({"event": "start", "index": index})
            if case.get("repeat") and hold:
                if not os.read(control, 1):  # timing waits until nothing else runs
                    return
                hold = False
            self.case(index, case, raw)
        self.send({"event": "done"})
        self.command({"cmd": "exit"})

    def case(self, index: int, case: dict, raw: bytes) -> None:
        np, shared = self.np, self.shared
        # top: (offset, nbytes, dtype, shape, offset in `raw`) of each top-level array
        top, room = [], [0]

        def place(spec, is_top):
            kind = spec["kind"]
            if kind == "raw":
                dtype = np.dtype(spec["dtype"])
                n = dtype.itemsize
                for d in spec["shape"]:
                    n *= d
                at = -(-room[0] // _ALIGN) * _ALIGN
                if at + n > len(shared):
                    raise RuntimeError(f"case {index}: inputs larger than the shared memory")
                shared[at:at + n] = memoryview(raw)[spec["offset"]:spec["offset"] + n]
                room[0] = at + n
                if is_top:
                    top.append((at, n, dtype.str, spec["shape"], spec["offset"]))
                return {"kind": "shared", "dtype": spec["dtype"], "shape": spec["shape"],
                        "offset": at}
            if kind in ("tuple", "list"):
                return {"kind": kind, "items": [place(s, False) for s in spec["items"]]}
            return spec

        msg = {"cmd": "case", "fn": case["fn"],
               "args": [place(a, True) for a in case["args"]],
               "kwargs": {k: place(v, True) for k, v in case["kwargs"].items()}}
        repeat, repeat_seconds = case.get("repeat", 1), case.get("repeat_seconds", 0.0)
        perf, view = time.perf_counter, memoryview(shared)
        times, seconds, described, last = [], None, None, None
        # the inputs as read back: the parent's bytes until a read differs (a change once seen
        # is the one reported, whatever follows it)
        snap = [memoryview(raw)[src:src + n] for _, n, _, _, src in top]

        def read_back():
            for i, (at, n, _, _, src) in enumerate(top):
                if type(snap[i]) is memoryview and not self.same(at, raw, src, n):
                    # (read again: the worker may run meanwhile, its change undone between the
                    # compare and the copy: a copy that does not differ is not kept)
                    copy = bytes(view[at:at + n])
                    if copy != raw[src:src + n]:
                        snap[i] = copy

        # The timing case: the best of up to N calls, no call started that would (at the best
        # time so far) take them past `repeat_seconds` in all; the reference is timed by the
        # same rule. An exception ends it; the result described is the first call's (or the
        # exception). A call's time runs from the command until the worker says it returned:
        # its answer, made after that, is not the call's work (a 12 MiB result through the
        # pipe doubled bn's time). So the time is what the worker says, as before: user code
        # that writes "returned" itself (it can: the pipe is the worker's) lowers it, and the
        # timing line is information, never the verdict. The inputs are not: read back at
        # "returned" and again after the answer, a change seen in any read of any call is the
        # one reported (a change undone by the next timing call, or after "returned", too).
        while True:
            t0 = perf()
            self.command(msg)
            msg = {"cmd": "again"}
            said = self.take(1)
            if said == b"m":
                self.send({"event": "case", "index": index, "status": "missing"})
                return
            if said != b"r":
                raise _Ended("an answer out of turn")
            seconds = perf() - t0
            read_back()
            self.write(b"c")
            last = self.answer()
            read_back()
            gone = self.replaced([(at, n) for at, n, _, _, _ in top])
            if any(gone):
                # (an input's pages replaced: what was done to it is out of sight, so it
                # counts as changed, and no more calls are made)
                snap[:] = [b"" if g else x for g, x in zip(gone, snap)]
                described = described or last
                break
            ok = last[0]["status"] == "ok"
            if described is None or not ok:
                described = last
            if not ok:
                break
            times.append(seconds)
            if not (len(times) < repeat and sum(times) + min(times) < repeat_seconds):
                break
        head, blobs = described
        status, fields = head["status"], dict(head["fields"])
        inputs, parts = [], []
        if self.cfg.get("times_only"):  # (the grader's own reference, timed: only its times)
            status, fields = ("ok" if status == "ok" else "error"), {}
        else:
            parts = list(blobs) if status == "ok" else []
            if status != "ok":
                fields.pop("output", None)
            meta = last[0]["meta"]
            for i, (at, n, dtype, shape, _) in enumerate(top):
                # its dtype and shape as the worker says (a shape set in place is a change);
                # the bytes as they are in the memory, read here
                m = meta[i] if type(meta) is list and len(meta) == len(top) else None
                if not (type(m) is list and len(m) == 2 and type(m[0]) is str
                        and type(m[1]) is list and all(type(d) is int for d in m[1])):
                    m = [dtype, shape]
                inputs.append([m[0][:40], m[1][:64], len(parts)])
                parts.append(snap[i])
        self.send({**fields, "event": "case", "index": index, "status": status,
                   "seconds": times[0] if times else seconds,
                   "best": min(times) if times else None, "inputs": inputs}, parts)


if __name__ == "__main__":
    main()
