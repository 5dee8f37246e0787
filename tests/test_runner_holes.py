"""Holes in the sandbox child (prepcli/drills/_runner.py) that user code reached from inside:
processes started through another system-call ABI, past the seccomp filter; an input's change
hidden by swapping clean copies into the runner's own variables (through its frames, gc, its
closures' cells, a tracer); a time lowered the same way. Each hostile file
(tests/hostile/runner_*.py) is graded through the real sandbox and its hole checked closed.
"""

import ast
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from prepcli.drills import grader, sandbox
from prepcli.drills.sandbox import Limits

HOSTILE = Path(__file__).resolve().parent / "hostile"
RUNNER = Path(sandbox.__file__).resolve().parent / "_runner.py"
# the runner's holes do not depend on the level; a level that isolates the grade is used
LEVEL = next((lv for lv in ("bwrap", "unshare") if sandbox.available(lv)), None)
needs_sandbox = pytest.mark.skipif(LEVEL is None,
                                   reason="neither bubblewrap nor user namespaces here")


def _grade(name: str, tmp_path, **limits):
    user = tmp_path / "user"
    user.mkdir()
    user_file = user / "nms.py"
    user_file.write_text((HOSTILE / f"runner_{name}.py").read_text("utf-8"), "utf-8")
    rep = grader.grade(user_file, Limits(level=LEVEL, **limits))
    assert rep.exit_code == 1 and not rep.passed  # every one of them is a fail
    return rep


# --- no process through another ABI ------------------------------------------------------------

PROBE = r"""
import ctypes, importlib.util, mmap, os, sys
os.environ["OPENBLAS_NUM_THREADS"] = "1"  # as the sandbox starts the runner
import numpy as np
spec = importlib.util.spec_from_file_location("runner", sys.argv[1])
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)
assert runner._seccomp(processes=False)
buf = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
started = []
for i, nr in enumerate((2, 190, 120, 435, 20)):  # i386 fork, vfork, clone, clone3; getpid
    buf[16 * i:16 * i + 16] = (bytes([0xB8]) + nr.to_bytes(4, "little")  # mov eax, nr
                               + bytes([0x31, 0xDB, 0x31, 0xC9, 0x31, 0xD2])  # ebx=ecx=edx=0
                               + bytes([0xCD, 0x80, 0xC3, 0, 0]))  # int 0x80; ret
base = ctypes.addressof(ctypes.c_char.from_buffer(buf))
for i in range(5):
    r = ctypes.CFUNCTYPE(ctypes.c_int)(base + 16 * i)()
    if r == 0:
        os._exit(0)
    started.append(r)
libc = ctypes.CDLL(None, use_errno=True)
x32 = libc.syscall(0x40000000 | 57)  # x32 fork
if x32 == 0:
    os._exit(0)
import threading
try:
    threading.Thread(target=lambda: None).start()
    thread = "started"
except RuntimeError:
    thread = "refused"
print(started, x32, thread, float((np.ones((200, 200)) @ np.ones((200, 200)))[0, 0]))
"""


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the i386 entry is x86-64's")
def test_the_seccomp_filter_refuses_every_call_of_another_abi():
    # i386 system calls (int 0x80) all fail with ENOSYS, fork or not; x32 ones too; NumPy
    # still works, and a thread is refused (each takes a process id of the host's). The
    # filter used to let every non-x86-64 call through.
    out = subprocess.run([sys.executable, "-c", PROBE, str(RUNNER)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["[-38,", "-38,", "-38,", "-38,", "-38]", "-1", "refused",
                                  "200.0"]


@needs_sandbox
@pytest.mark.skipif(platform.machine() != "x86_64", reason="the i386 entry is x86-64's")
def test_no_process_is_started_through_the_32_bit_entry(tmp_path, prep_home):
    rep = _grade("fork_int80", tmp_path)
    assert "another ABI: started 0" in rep.stdout, rep.stdout


# --- an input's change cannot be hidden --------------------------------------------------------

@needs_sandbox
@pytest.mark.parametrize("name", ["hide_mutation_frames", "hide_mutation_cells",
                                  "hide_mutation_remap"])
def test_a_changed_input_is_caught_whatever_the_code_does_to_the_runner(tmp_path, prep_home,
                                                                        name):
    # the answers are right: only the change of `scores` fails them (zeroing no scores at
    # all, in "no boxes", changes nothing)
    rep = _grade(name, tmp_path)
    assert rep.cases_passed == 1 and len(rep.cases) > 10
    for c in rep.cases:
        if "no boxes" not in c.name:
            # (a page replaced holds `boxes` too, where the arrays are small: all on it count)
            assert c.status == "fail" and c.reason in (
                "modified its input scores", "modified its input boxes, scores"), c.name


# --- nor a time lowered ------------------------------------------------------------------------

@needs_sandbox
def test_the_time_reported_is_the_time_measured(tmp_path, prep_home):
    rep = _grade("timing_lie", tmp_path)
    assert rep.timing is not None, rep.cases  # the timing case passed, so it is timed
    assert rep.timing["yours_s"] >= 0.02, rep.timing  # each call sleeps 20 ms
    timed = [c for c in rep.cases if c.seconds is not None and c.status == "pass"]
    assert timed and all(c.seconds >= 0.02 for c in timed), [(c.name, c.seconds) for c in timed]


# --- nor a conversion run after the clock --------------------------------------------------------

@needs_sandbox
def test_only_a_real_array_is_an_array(tmp_path, prep_home):
    # `__class__` said ndarray and `__array__` did the work after the clock: it passed in 0.0 ms
    # with `scores` zeroed unseen
    rep = _grade("lazy_array", tmp_path)
    assert rep.cases_passed == 0
    failed = [c for c in rep.cases if c.status == "fail"]
    assert failed and all("expected a NumPy array, got a Lazy" in c.reason for c in failed), \
        [(c.name, c.status, c.reason) for c in rep.cases]


# --- no threads, no way out ----------------------------------------------------------------------

@needs_sandbox
def test_no_thread_starts(tmp_path, prep_home):
    rep = _grade("threads", tmp_path)
    assert "threads started: 0" in rep.stdout, rep.stdout


@needs_sandbox
@pytest.mark.skipif(platform.machine() != "x86_64", reason="the probe uses x86-64's numbers")
def test_no_namespace_mount_socket_or_io_uring(tmp_path, prep_home):
    rep = _grade("ways_out", tmp_path)
    line = next((ln for ln in rep.stdout.splitlines() if ln.startswith("ways out: ")), "")
    got = dict(kv.split("=", 1) for kv in line[len("ways out: "):].split())
    assert set(got) == {"unshare", "mount", "socket", "socketpair", "io_uring_setup", "setns",
                        "ptrace", "bpf", "userfaultfd", "mq_open"}, rep.stdout
    assert set(got.values()) == {"EPERM"}, got


# --- nor a report of its own ---------------------------------------------------------------------

@needs_sandbox
def test_a_report_written_by_user_code_never_reaches_the_grader(tmp_path, prep_home):
    # It wrote every case as passed in 1 ns with clean inputs, then `done`, on the parent's
    # result pipe (its number is in the runner's config) and exited: every case passed, at
    # 1 ns, its change of `scores` unseen. The worker that runs user code has no such pipe.
    # Now its exit is what the grader sees: no case passes.
    rep = _grade("forged_report", tmp_path)
    assert rep.cases_passed == 0
    assert all(c.seconds is None or c.seconds >= 0.02 for c in rep.cases), \
        [(c.name, c.seconds) for c in rep.cases]
    assert {c.reason for c in rep.cases} == {
        "the process exited with code 0 during this case (os._exit() or a crash) without "
        "returning a result", "not run: nms() was stopped 2 times already"}


@needs_sandbox
def test_returned_said_early_does_not_hide_a_change(tmp_path, prep_home):
    # It said "returned" on the worker's pipe before changing `scores`, took the runner's "go
    # on" and wrote an answer of its own: the inputs read back at "returned" were clean. They
    # are read again once the answer is in. (Its next command then goes to the worker's own
    # wait, which ends it: the next case exits.)
    rep = _grade("early_return", tmp_path)
    assert rep.cases_passed <= 1  # ("no boxes": zeroing no scores changes nothing)
    reasons = {c.reason for c in rep.cases if c.status != "pass"}
    assert "modified its input scores" in reasons, reasons
    assert reasons <= {"modified its input scores", "not run: nms() was stopped 2 times already",
                       "the process exited with code 0 during this case (os._exit() or a "
                       "crash) without returning a result"}, reasons


# --- a red-team of the runner and worker (helper 53): each broke it before its fix ---------------

@needs_sandbox
def test_a_change_undone_by_the_next_timing_call_is_reported(tmp_path, prep_home):
    # The timing case's first call zeroed `scores`, the second put them back: the inputs were
    # sent as they were after the last call. A change seen in any read of any call counts.
    rep = _grade("undo_next_call", tmp_path)
    timing = [c for c in rep.cases if c.category == "timing"]
    assert [(c.status, c.reason) for c in timing] == [("fail", "modified its input scores")]
    assert rep.cases_passed == len(rep.cases) - 1


@pytest.mark.slow  # (seconds each: in the slow set, which CI runs too)
@needs_sandbox
def test_the_worker_cannot_open_the_runners_pipe_through_proc(tmp_path, prep_home):
    # In its own user namespace (bubblewrap started by root, unshare by anyone) the worker had
    # every capability: CAP_SYS_PTRACE opened /proc/<runner>/fd/<result pipe> (the runner is not
    # dumpable), and it reported every case passed in 1 ns, `scores` zeroed unseen.
    rep = _grade("proc_fd", tmp_path)
    assert rep.cases_passed == 0
    assert {c.reason for c in rep.cases} == {"PermissionError"}, {c.reason for c in rep.cases}


@needs_sandbox
def test_pipes_hold_little_kernel_memory(tmp_path, prep_home):
    # 10,000 pipes made 1 GiB each held 10 GB of the host's memory (no limit counts a pipe's
    # buffer): no pipe grows now, and the worker opens at most 256 files
    rep = _grade("pipes", tmp_path)
    line = next((ln for ln in rep.stdout.splitlines() if ln.startswith("pipes: ")), "")
    got = dict(kv.split("=", 1) for kv in line[len("pipes: "):].split())
    assert got["grown"] == "EPERM" and got["files"] == "256", rep.stdout
    assert int(got["opened"]) <= 128, rep.stdout


@needs_sandbox
def test_a_private_copy_over_an_input_does_not_hide_its_change(tmp_path, prep_home):
    # a red-team's grade moved the shared pages under `scores` aside (mremap), mapped a
    # private copy in their place and zeroed it: PASS 21/21, no change seen. mremap is
    # refused now, and a copy mapped over them (MAP_FIXED) is seen in the worker's maps
    rep = _grade("hide_mutation_remap", tmp_path)
    assert "mremap: refused" in rep.stdout and "mmap fixed: mapped" in rep.stdout, rep.stdout


@needs_sandbox
def test_no_kernel_objects_that_no_limit_counts(tmp_path, prep_home):
    # 2.34 M epoll watches held +474 MB of the host's kernel memory, 2.98 M file locks +571
    # MB, in grades that passed: neither has a limit, nor needs an open file each
    rep = _grade("kernel_objects", tmp_path)
    line = next((ln for ln in rep.stdout.splitlines() if ln.startswith("kernel objects: ")),
                "")
    got = dict(kv.split("=", 1) for kv in line[len("kernel objects: "):].split())
    # (and a second red-team's: 15.8 M Landlock rules, +1.11 GB; every AIO event of the host;
    # shared pages pointed elsewhere, a change hidden; 96,366 signals queued, root's budget)
    assert got == {"epoll_create1": "EPERM", "epoll_create": "EPERM",
                   "epoll_ctl": "0_watches", "F_SETLK": "EPERM", "F_SETLKW": "EPERM",
                   "F_OFD_SETLK": "EPERM", "F_OFD_SETLKW": "EPERM", "flock": "EPERM",
                   "F_SETLEASE": "EPERM", "landlock": "EPERM", "io_setup": "EPERM",
                   "remap_file_pages": "EPERM", "signals_queued": "64",
                   # (a fourth's worker set the runner's open-file limit to 0: its maps
                   # unreadable, it skipped the check after, a hidden change passed 21/21)
                   "prlimit_pid_1": "EPERM", "prlimit_self": "ok",
                   # (an eighth's vmsplice of huge pages into 250 pipes: 8.3 GB held)
                   "vmsplice": "EPERM", "splice": "EPERM", "tee": "EPERM"}, rep.stdout


@needs_sandbox
def test_no_signal_can_be_aimed_at_the_worker_to_come_after_a_call(tmp_path, prep_home):
    # a fifth red-team's worker zeroed `scores`, and a handler for signal 33, raised by its own
    # "returned" byte, put them back before the runner read them: PASS 21/21 (5 of 6 runs)
    rep = _grade("async_signals", tmp_path)
    line = next((ln for ln in rep.stdout.splitlines() if ln.startswith("async signals: ")), "")
    got = dict(kv.split("=", 1) for kv in line[len("async signals: "):].split())
    assert got == {k: "EPERM" for k in ("sigaction_33", "sigaction_32", "F_SETOWN", "F_SETSIG",
                                        "F_SETOWN_EX", "F_NOTIFY", "FIOSETOWN")}, rep.stdout


def test_the_reaper_holds_no_way_to_prep(tmp_path):
    # At the rlimits level the runner runs under a reaper, which kept the result pipe's write
    # end and prep's stdin, and was dumpable: code run as an ordinary user (no capabilities
    # needed, same user) opened /proc/<reaper>/fd/<fd> and reported every case passed (helper
    # 55). Here the reaper runs a program that lists what its parent holds.
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nfd = f'/proc/{os.getppid()}/fd'\n"
                     "print(sorted((int(n), os.readlink(f'{fd}/{n}')) for n in os.listdir(fd)))\n")
    r, w = os.pipe()
    try:
        out = subprocess.run([sys.executable, "-I", "-S", "-c", sandbox._REAPER, sys.executable,
                              str(probe)], stdin=subprocess.PIPE, capture_output=True, text=True,
                             pass_fds=(w,), timeout=30)
    finally:
        os.close(r)
        os.close(w)
    held = dict(ast.literal_eval(out.stdout))  # (fd number -> what it is)
    assert sorted(held) == [0, 1, 2] and held[0] == "/dev/null", (out.stdout, out.stderr)


@pytest.mark.skipif(not sandbox.available("bwrap"), reason="bubblewrap's own first process")
def test_bubblewraps_first_process_holds_no_control_pipe(tmp_path, prep_home):
    # It kept the child's stdin, where the parent wrote its go-aheads: user code reached it
    # (pidfd_getfd or /proc/1/fd/0, helper 55). They come on a pipe of their own now.
    user = tmp_path / "user"
    user.mkdir()
    (user / "nms.py").write_text((HOSTILE / "runner_init_stdin.py").read_text("utf-8"), "utf-8")
    rep = grader.grade(user / "nms.py", Limits(level="bwrap"))
    # (pid 1 is the runner now, not dumpable: its files cannot even be listed)
    assert "init stdin: unreadable (Permission denied)" in rep.stdout, rep.stdout


@needs_sandbox
def test_the_first_process_of_the_sandbox_cannot_be_taken_over(tmp_path, prep_home):
    # bubblewrap's own init was pid 1: no seccomp filter, dumpable, the worker's uid. A
    # red-team's worker wrote code into it through /proc/1/mem, killed the runner, and that
    # code ran on after prep had exited, with no limit on processes, every refused call open
    rep = _grade("pid1_memory", tmp_path)
    assert "pid 1 mem: refused" in rep.stdout and "pid 1 is the runner" in rep.stdout, \
        rep.stdout
