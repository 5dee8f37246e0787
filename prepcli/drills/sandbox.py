"""Run untrusted exercise code in a separate process, isolated and limited. Parent side.

Three levels, the strongest available is used (`Limits.level` forces one, for tests):
- bwrap: bubblewrap (the sandbox Flatpak uses). No network, its own PID namespace (everything
  in it dies with it), a file system of read-only system directories plus NumPy, a private
  size-limited tmpfs as its work dir and /tmp; the user's folder, PREP_HOME and the prepcli
  package are not in it.
- unshare: unprivileged user namespaces (util-linux `unshare`): no network, its own PID
  namespace; the file system is the host's (only the resource limits apply to it).
- rlimits: resource limits only; at the end the process group is killed and the child's
  descendants are swept (the child is a subreaper, and marked in its environment), and its
  parent, a reaper, kills whatever the child leaves when it ends (`_REAPER`).
At every level: CPU time, address space, size of one written file and core dumps are limited;
the child may not start processes (a seccomp filter; `Limits.processes` > 0 uses RLIMIT_NPROC
instead); each case has a wall clock, the whole grade a time budget; what it prints is capped.

The user's file is a copy of the bytes the grader read. Inputs go in as raw bytes in one file
of a directory the child can only read; results come back on a pipe as JSON headers with raw
array bytes, validated here (see `_Channel`): a malformed channel fails the case, it never
crashes the grader. The child is two processes (see _runner.py): user code runs in a worker
without that pipe; the runner times the calls and sends back the input arrays as it reads them
in the memory the two share (a change seen in any read), and the PARENT compares them.
Expected outputs never exist in the child.
"""

from __future__ import annotations

import atexit
import errno
import fcntl
import functools
import json
import math
import os
import platform
import re
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from prepcli.errors import PrepError, Stopped, held_stops, stop_on_signals
from prepcli.errors import safe_text  # (the grader's reports use it too: sandbox.safe_text)

RUNNER = Path(__file__).resolve().parent / "_runner.py"
PACKAGE = Path(__file__).resolve().parent.parent  # the whole prepcli package: hidden from the child
LEVELS = ("bwrap", "unshare", "rlimits")
LEVEL_TEXT = {
    "bwrap": "bubblewrap (no network, own processes and /tmp, read-only files, grader hidden)",
    "unshare": "user namespaces (no network, own processes; files NOT isolated — for full "
               "isolation install bubblewrap: apt install bubblewrap)",
    "rlimits": "resource limits only (NOT isolated — install bubblewrap: apt install "
               "bubblewrap)",
}
if platform.machine() not in ("x86_64", "aarch64"):
    # (the runner's system-call filter knows these two; elsewhere it is not installed, and a
    # grade should say so rather than claim what the README says it refuses)
    LEVEL_TEXT = {k: v + f"; no system-call filter on {platform.machine()}"
                  for k, v in LEVEL_TEXT.items()}
_EVENTS = {"ready", "import_error", "start", "case", "done", "broken"}
_STATUSES = {"ok", "not_implemented", "error", "exit", "missing"}
_HEADER_MAX = 1 << 20
# Held by whoever forks and by the grader while it computes with NumPy: forking while another
# thread is inside OpenBLAS can hang that thread (OpenBLAS stops its pool at fork).
FORK_LOCK = threading.Lock()


@dataclass(frozen=True)
class Limits:
    case_seconds: float = 10.0  # wall clock per case (importing the file: 10 s more)
    max_stops: int = 2  # after this many timeouts/crashes/MemoryErrors of a function, skip it
    timing_case_seconds: float = 30.0
    total_seconds: float = 30.0  # the whole grade; cases not reached are reported as not run
    cpu_seconds: int = 120  # per child process
    memory_bytes: int = 2 << 30  # address space
    output_bytes: int = 16 << 20  # what it prints, and any one file it writes
    disk_bytes: int = 64 << 20  # everything it writes (bubblewrap: the size of its tmpfs)
    # files and folders it makes (bubblewrap: counted in its tmpfs, see _Files); past it the
    # child is stopped
    files: int = 10_000
    result_bytes: int = 256 << 20  # one case's result
    # every result of a grade together: the grader keeps them until the report (the
    # exercises' own are at most 13 MiB in all); past it the grade stops
    outputs_bytes: int = 512 << 20
    processes: int = 0  # processes user code may start; 0: none (seccomp filter)
    timing_repeats: int = 3  # the timing case: best of up to this many calls,
    timing_repeat_seconds: float = 0.3  # no call that would take them past this in all
    level: str = ""  # "" = the strongest available; else one of LEVELS

    def describe(self) -> str:
        return (f"{self.case_seconds:g} s wall clock per case ({self.timing_case_seconds:g} s "
                f"for the timing case), {self.total_seconds:g} s in all, "
                f"{self.cpu_seconds} s CPU, {self.memory_bytes >> 20} MiB memory, "
                f"{self.output_bytes >> 20} MiB output, {self.disk_bytes >> 20} MiB disk, "
                f"{self.files:,} files")


@dataclass
class CaseRun:
    index: int
    # ok, not_implemented, missing, error, exit, timeout, killed, output_limit, channel,
    # skipped, not_run
    status: str
    seconds: float | None = None
    output: object = None  # decoded: ndarray, scalar, None, tuple/list, or a description dict
    traceback: str = ""
    exception: str = ""
    mutated: list[str] = field(default_factory=list)
    message: str = ""
    best: float | None = None  # the (first) timing case: best of its calls


@dataclass
class Run:
    cases: dict[int, CaseRun]
    level: str = ""
    user_file: str = ""  # the copy's path as the child saw it (in its tracebacks)
    import_error: str = ""
    stdout: str = ""
    stderr: str = ""


class Interrupted(Stopped):
    """SIGTERM or SIGHUP while grading: raised after the sandbox is killed and removed (and
    said as any stop is: `stopped by SIGTERM`; as a bare exit it said nothing, fault hunt 33)."""


class _ChannelError(Exception):
    pass


class _OutputsFull(Exception):
    """The results of a grade passed `Limits.outputs_bytes`."""


# --- choosing the level ----------------------------------------------------------------------

_HOSTNAME = "sandbox"  # (bubblewrap level)


@functools.lru_cache(maxsize=None)
def available(level: str) -> bool:
    """Whether `level` works here (a tiny probe run, once per process)."""
    if level == "rlimits":
        return True
    # (bubblewrap's probe makes its /proc as a grade does: where that cannot be done, a grade
    # could not run there, and the next level is chosen)
    probe = {"bwrap": ["bwrap", "--unshare-all", "--hostname", _HOSTNAME, "--die-with-parent",
                       "--ro-bind", "/", "/", "--proc", "/proc",
                       *[a for p in _PROC_READ_ONLY for a in ("--ro-bind-try", p, p)], "true"],
             "unshare": ["unshare", "--user", "--map-root-user", "--net", "--ipc", "--pid",
                         "--kill-child", "--mount-proc", "true"]}[level]
    if shutil.which(probe[0]) is None:
        return False
    try:
        with FORK_LOCK:
            return subprocess.run(probe, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def choose(limits: Limits) -> str:
    if limits.level:
        if limits.level not in LEVELS:
            raise ValueError(f"unknown sandbox level {limits.level!r}")
        return limits.level
    return next(lv for lv in LEVELS if available(lv))


# --- the run ---------------------------------------------------------------------------------

class Gate:
    """Holds a child once it has imported its file, until `open()`: the reference's timing
    child starts while the user's code runs, and times only when nothing else runs."""

    def __init__(self):
        self._event, self.cancelled = threading.Event(), False
        self.ready = threading.Event()  # set when the child waits at the gate (or failed)
        # Set once the child is started, so that the caller's NumPy work (see FORK_LOCK)
        # does not keep it from starting.
        self.spawned = threading.Event()

    def open(self) -> None:
        self._event.set()

    def cancel(self) -> None:
        self.cancelled = True
        self._event.set()

    def wait(self) -> bool:
        self._event.wait()
        return not self.cancelled


def run(source: bytes, filename: str, cases: list, limits: Limits = Limits(), progress=None,
        trusted: bool = False, gate: Gate | None = None, hold=None) -> Run:
    """Run every case on the code in `source` (the bytes of the user's file, named
    `filename` in tracebacks). `progress(index, event)` is called as cases start and end.
    `trusted` is for the grader's own reference (timing): no isolation, imports allowed.
    `gate` holds the child before its cases; `hold` (anything with `is_set()`) before its
    timing case, until set."""
    with Sandbox(source, filename, limits, trusted, gate, start=False) as box:
        return box.run(cases, progress, hold)


class Sandbox:
    """A grade's sandbox, its first child started at once (`start`): it imports NumPy and the
    user's file while the caller makes the cases, and reads them when `run` gives them.
    Closing it kills whatever is left and removes its files."""

    def __init__(self, source: bytes | None, filename: str, limits: Limits = Limits(),
                 trusted: bool = False, gate: Gate | None = None, start: bool = True):
        """`source` None: the file is given later (`waiting`)."""
        level = "rlimits" if trusted else choose(limits)
        self.source, self.limits = source, limits
        # named by this process: a prep killed with SIGKILL cannot remove it, the next does
        self.grade = None
        with _MAKING:  # (none starts once the exit's sweep has begun, below)
            if _EXITING:
                raise PrepError("prep is exiting: no grade starts now")
            _MAKING.count += 1
        try:
            with held_stops():  # (made and listed as live, or neither: a stop signal between)
                self.tmp = Path(_room(tempfile.mkdtemp, prefix=f"{_PREFIX}{os.getpid()}-"))
                _LIVE.add(self)
        finally:
            with _MAKING:
                _MAKING.count -= 1
                _MAKING.notify_all()
        if _EXITING:  # (a daemon thread's, made after the exit's sweep: removed at once)
            self.close()
            raise PrepError("prep is exiting: no grade starts now")
        _remove_stale(self.tmp)
        try:
            self.grade = _room(_Grade, self.tmp, level, source, filename, limits, trusted, gate)
            if start:
                _room(self.grade.start)
        except BaseException:
            self.close()
            raise

    @classmethod
    def waiting(cls, filename: str, limits: Limits = Limits()) -> Sandbox:
        """A sandbox started ahead of a grade, before the file is known (a drill's next
        grade, while the user writes): its child imports NumPy now, then waits for `give`."""
        return cls(None, filename, limits)

    def give(self, source: bytes) -> None:
        """The file to grade, to a sandbox started `waiting`."""
        self.source = source
        _room(self.grade.give, source)

    def run(self, cases: list, progress=None, hold=None) -> Run:
        with signals_stop_grading():
            _room(self.grade.load, cases, progress, hold)
            return self.grade.run()

    def close(self) -> None:
        # (still listed as live until its files are gone: a stop signal that cuts this short
        # leaves it to the exit's sweep, _abort_live)
        try:
            if self.grade is not None:
                self.grade.discard()
        finally:
            _remove_tree(self.tmp)
            _LIVE.discard(self)

    def children(self) -> list[subprocess.Popen]:
        """Its child processes running now (the first of each: the rest are theirs)."""
        grade = self.grade
        if grade is None:
            return []
        early = grade.early
        return [p for p in (grade.proc, early[0] if early else None)
                if p is not None and p.poll() is None]

    def abort(self) -> None:
        """Kill its children and remove its files now, from any thread (prep is exiting
        while a grade runs in a thread of its own: the drill screen quit mid-grade)."""
        _LIVE.discard(self)
        try:
            if self.grade is not None:
                self.grade.abort()
        finally:  # (its files go whatever the children did: a child half made, an fd closed by
            _remove_tree(self.tmp)  # the grade's own thread, raised here and left the folder)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_PREFIX = "prep-grade-"


def _room(fn, *args, **kwargs):
    """`fn(...)`, with a full temporary folder said as that (the sandbox's files are there),
    not as a bug or as the file that happened to be written when the room ran out."""
    try:
        return fn(*args, **kwargs)
    except OSError as e:
        if e.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise PrepError(f"no room left in the temporary folder {tempfile.gettempdir()} for "
                        f"the grade's files ({e.strerror}): free some space there, or point "
                        "TMPDIR at a folder with room") from None
_LIVE: set[Sandbox] = set()  # the sandboxes not closed yet
# Set at exit: a sandbox a daemon thread makes after the sweep below removes itself (a drill
# quit while its next grade's sandbox was being made left that folder behind)
_EXITING: list[bool] = []
# Sandboxes being made (their folder made, not yet listed as live), counted: the exit's sweep
# waits for them. A daemon thread between the two when the interpreter stopped it left its
# folder (the drill quit while the stub's grade or the reference's timing began, under load).
_MAKING = threading.Condition()
_MAKING.count = 0


@atexit.register
def _abort_live() -> None:
    """At exit, what grades still running in daemon threads leave: their children killed,
    their files removed (the threads stop with the interpreter, their `finally`s unrun)."""
    with _MAKING:
        _EXITING.append(True)
        _MAKING.wait_for(lambda: _MAKING.count == 0, timeout=2.0)
    boxes = list(_LIVE)
    for box in boxes:
        try:
            box.abort()
        except Exception:  # noqa: BLE001 - exiting: the next prep sweeps what is left
            pass
    if boxes:
        # (a daemon thread still making a box's files as it was removed may have made some
        # again: a CI run found a drill's sandbox folder left after `q`, 1 run in 2)
        time.sleep(0.1)
        for box in boxes:
            _remove_tree(box.tmp)


_SWEPT: set[Path] = set()


def _remove_stale(mine: Path) -> None:
    """Remove the sandbox folders beside `mine` (just made) of preps that are gone (killed
    with SIGKILL, or the machine stopped) and 10 minutes older than it: once per process
    and temporary directory."""
    if mine.parent in _SWEPT:
        return
    _SWEPT.add(mine.parent)
    try:
        now = mine.stat().st_mtime  # the file system's clock, as the others' times are
        entries = list(os.scandir(mine.parent))
    except OSError:
        return
    for e in entries:
        pid = e.name[len(_PREFIX):].split("-", 1)[0]
        if not (e.name.startswith(_PREFIX) and pid.isdigit() and int(pid) != os.getpid()):
            continue
        try:
            if now - e.stat(follow_symlinks=False).st_mtime < 600 or _alive(int(pid)):
                continue
        except OSError:
            continue
        _remove_tree(Path(e.path))


def _remove_tree(path: Path) -> None:
    """Remove a sandbox folder, however deep what user code made in it: shutil.rmtree recurses
    once per level, and a red-team's 3,000 nested folders (the work folder is the host's below
    bubblewrap) made it raise RecursionError, a crash of this grade and, through the sweep of
    stale folders, of every later one. Then `rm -rf` (it walks any depth). Never raises."""
    try:
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
    except RecursionError:
        pass
    # Something is left: below the bubblewrap level the work folder is the host's, and a
    # red-team's code made a folder in it unreadable (chmod 000): a user without capabilities
    # could neither list nor empty it, and the grade's folder stayed for good (every later
    # prep's sweep failing on it too). Its folders are made the owner's again first, each
    # before it is read (only folders: a file there may be a hard link to one of the user's;
    # find follows no symbolic link; nothing of the grade runs any more).
    if os.path.islink(path) or not os.path.isdir(path):
        # (a link named as a grade's folder, user code's at those levels: the link goes,
        # never what it names)
        try:
            os.unlink(path)
        except OSError:
            pass
        return
    for argv in (["find", str(path), "-type", "d", "!", "-perm", "-u=rwx", "-exec", "chmod",
                  "u+rwx", "{}", ";"], ["rm", "-rf", "--", str(path)]):
        try:
            subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
        except (OSError, subprocess.SubprocessError):
            pass  # (left to the next prep's sweep)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's: alive
        return True
    return True


@contextmanager
def signals_stop_grading():
    """SIGTERM/SIGHUP end the grade: the sandbox is killed and its directory removed (by the
    `finally`s the exception passes through), then prep exits 128 + the signal number. The
    terminal's Ctrl-Z (SIGTSTP) stops the sandbox's processes with prep (see pause_all)."""
    restore = stop_on_signals(Interrupted, over=True)
    try:
        with stopped_with_prep():
            yield
    finally:
        restore()


@contextmanager
def stopped_with_prep():
    """Within it, in the main thread, the terminal's Ctrl-Z (SIGTSTP) stops the processes of
    the grades running with prep (_stop_with_grades), as long as nothing else handles it.
    (`prep grade` holds it from before its sandbox's first child starts.)"""
    import threading

    tstp = getattr(signal, "SIGTSTP", None)
    main = threading.current_thread() is threading.main_thread()
    before = signal.getsignal(tstp) if tstp is not None and main else None
    if before is signal.SIG_DFL:
        signal.signal(tstp, _stop_with_grades)
    try:
        yield
    finally:
        if before is signal.SIG_DFL:
            signal.signal(tstp, signal.SIG_DFL)


def _stop_with_grades(signum, frame) -> None:
    """Ctrl-Z while `prep grade` runs: the sandbox's processes are in sessions of their own,
    which the terminal does not stop; stopped here first, prep then stops as by default, and
    both go on at `fg`."""
    pause_all()
    try:
        signal.signal(signum, signal.SIG_DFL)
        stop_here(signum)
    finally:
        signal.signal(signum, _stop_with_grades)
        resume_all()


def stop_here(signum: int) -> None:
    """Stop this process now, until SIGCONT. Sent to this thread, the signal stops the process
    before the call returns; sent to the process (os.kill), another of its threads may take
    it, and this one went on to let the grade's processes go (resume_all) before the process
    stopped: a Ctrl-Z test failed 1 run in 25 under load."""
    import threading

    signal.pthread_kill(threading.get_ident(), signum)


# The times the grades' processes were stopped with prep (pause_all to resume_all), on the
# monotonic clock: a case's time leaves them out
_PAUSES: list[tuple[float, float]] = []
_PAUSED_SINCE: list[float] = []


def _paused_between(start: float, end: float) -> float:
    """Seconds of [start, end] the grades' processes were stopped with prep."""
    spans = _PAUSES + [(t, time.monotonic()) for t in _PAUSED_SINCE]
    return sum(max(0.0, min(b, end) - max(a, start)) for a, b in spans)


def pause_all() -> None:
    """Stop every process of the grades running now (before prep stops: Ctrl-Z). A child
    that went on while prep was stopped ran on a budget that does not count that time: a
    grade cut at its 30 s when left alone passed with 37 s of its own time (fault hunt 33)."""
    _PAUSED_SINCE.append(time.monotonic())
    for box in list(_LIVE):
        for proc in box.children():
            _signal_tree(proc.pid, signal.SIGSTOP)


def resume_all() -> None:
    """Let the processes pause_all stopped go on."""
    for box in list(_LIVE):
        for proc in box.children():
            _signal_tree(proc.pid, signal.SIGCONT)
    while _PAUSED_SINCE:
        _PAUSES.append((_PAUSED_SINCE.pop(), time.monotonic()))


def _signal_tree(pid: int, sig: int) -> None:
    """`sig` to a process and all its descendants, each before its children are listed (one
    stopped makes no more)."""
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            os.kill(p, sig)
        except (ProcessLookupError, PermissionError):
            continue
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo += [int(k) for k in f.read().split()]
            except (OSError, ValueError):
                continue


class _Grade:
    def __init__(self, tmp: Path, level, source, filename, limits, trusted, gate=None):
        self.tmp, self.level, self.limits = tmp, level, limits
        self.trusted, self.gate = trusted, gate
        self.cases, self.progress, self.hold = [], None, None
        self.early = None  # (process, result pipe, started at): a child waiting for inputs
        self.proc = None  # the child running cases
        self.result = Run(cases={}, level=level)
        self.deadline = time.monotonic() + limits.total_seconds
        self.token = secrets.token_hex(8)
        self.stopped: int | None = None  # the case a child was stopped in
        self.case_started = time.monotonic()  # when the running case started (this clock)
        self.printed, self.shown = 0, {"stdout": bytearray(), "stderr": bytearray()}
        self.room = limits.outputs_bytes  # bytes of results the grade may still keep
        self.input_room = EARLY_ROOM  # bytes the child shares for one case's inputs (load)
        self.in_dir, self.work = tmp / "in", tmp / "work"
        self.in_dir.mkdir()
        self.work.mkdir()
        (self.work / "tmp").mkdir()
        name = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename) or "solution.py"
        self.user_file = self.in_dir / name
        self.waiting = source is None  # the first child waits for the file (`give`)
        if source is not None:
            self.user_file.write_bytes(source)
        shutil.copyfile(RUNNER, self.in_dir / "_runner.py")
        for p in [self.in_dir, *self.in_dir.iterdir()]:  # readable by the sandbox's user
            p.chmod(0o755 if p.is_dir() else 0o644)

    def start(self) -> None:
        """The first child, started before the cases exist: it waits for them after importing
        the file (a byte on its stdin once `load` has written them)."""
        r, w = os.pipe()
        try:
            self.early = (self._spawn(w, None), r, time.monotonic())
        except BaseException:
            os.close(r)
            raise
        finally:
            os.close(w)

    def give(self, source: bytes) -> None:
        """The file, for the child started before it: its clocks start now. A child gone
        meanwhile is replaced by one that reads the file at once."""
        self.user_file.write_bytes(source)
        self.user_file.chmod(0o644)
        self.deadline = time.monotonic() + self.limits.total_seconds
        early, self.waiting = self.early, False
        if early is not None and early[0].poll() is None:
            self.early = (early[0], early[1], time.monotonic())
            _poke(early[0])
        else:
            self.discard()
            self.start()

    def abort(self) -> None:
        """Kill the children, the one running cases included (see Sandbox.abort)."""
        self.discard()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            self._kill(proc)

    def discard(self) -> None:
        """Kill a child started but never run (the grade stopped before its cases)."""
        if self.early is not None:
            proc, r, _ = self.early
            self.early = None
            os.close(r)
            self._kill(proc)
            self._drain(proc)

    def load(self, cases, progress, hold) -> None:
        """The cases' inputs and manifest, in the child's read-only input directory."""
        limits = self.limits
        self.cases, self.progress, self.hold = cases, progress, hold
        self.inputs = []  # per case: [(name, array)] of its top-level array arguments
        self.blob, self.blob_size = [], 0  # the input arrays' bytes, for inputs.bin
        manifest = []
        for i, c in enumerate(cases):
            start = self.blob_size
            entry = {"fn": c.fn, "args": [self._arg(v, f"in{i}_{j}") for j, v in
                                          enumerate(c.args)],
                     "kwargs": {k: self._arg(v, f"in{i}_{k}") for k, v in c.kwargs.items()}}
            if c.category == "timing" and not any("repeat" in e for e in manifest):
                # the first timing case is the one compared with the reference
                entry.update(repeat=limits.timing_repeats,
                             repeat_seconds=limits.timing_repeat_seconds)
            manifest.append(entry)
            # the child's memory for one case's arrays (each on a cache line of its own)
            self.input_room = max(self.input_room,
                                  self.blob_size - start + 64 * (len(self.blob) + 1))
            names = list(c.arg_names) + [f"arg{j}" for j in range(len(c.arg_names), len(c.args))]
            self.inputs.append([(n, v) for n, v in zip(names, c.args)
                                if isinstance(v, np.ndarray)]
                               + [(k, v) for k, v in c.kwargs.items()
                                  if isinstance(v, np.ndarray)])
        (self.in_dir / "manifest.json").write_text(
            json.dumps({"cases": manifest, "hold": hold is not None}), "utf-8")
        with open(self.in_dir / "inputs.bin", "wb") as f:
            f.writelines(self.blob)
        self.blob = []
        for name in ("manifest.json", "inputs.bin"):
            (self.in_dir / name).chmod(0o644)

    def _arg(self, value, name: str) -> dict:
        if isinstance(value, np.ndarray):  # raw bytes in one file: np.save per array is slow
            if value.dtype.hasobject:
                raise TypeError("an object array cannot be a case input")
            a = np.ascontiguousarray(value)
            data = a.data.cast("B") if a.size else b""  # no copy if it is contiguous
            self.blob.append(data)
            self.blob_size += len(data)
            return {"kind": "raw", "dtype": value.dtype.str, "shape": list(value.shape),
                    "offset": self.blob_size - len(data)}
        if isinstance(value, (tuple, list)):
            return {"kind": type(value).__name__,
                    "items": [self._arg(v, f"{name}_{k}") for k, v in enumerate(value)]}
        if isinstance(value, np.generic):
            value = value.item()
        if value is not None and not isinstance(value, (bool, int, float, str)):
            raise TypeError(f"a case input of type {type(value).__name__} cannot be sent")
        return {"kind": "value", "value": value}

    # -- the loop over children --

    def run(self) -> Run:
        pending, stops = list(range(len(self.cases))), {}
        while pending and not self.result.import_error:
            if time.monotonic() >= self.deadline:
                self._not_run(pending)
                break
            self.stopped = None
            pending = self._child(pending)
            if self.stopped is None or not self._is_stop(self.result.cases[self.stopped]):
                continue
            fn = self.cases[self.stopped].fn
            stops[fn] = stops.get(fn, 0) + 1
            if stops[fn] >= self.limits.max_stops:
                # The same function was stopped again: more of it would only burn the budget
                # once per case. Its remaining cases are not run.
                for i in [i for i in pending if self.cases[i].fn == fn]:
                    self._set(CaseRun(i, "skipped", message=(
                        f"not run: {fn}() was stopped {stops[fn]} times already")))
                pending = [i for i in pending if self.cases[i].fn != fn]
        inside = "/in" if self.level == "bwrap" else str(self.in_dir)
        self.result.user_file = f"{inside}/{self.user_file.name}"
        self.result.stdout = _text(self.shown["stdout"])
        self.result.stderr = _text(self.shown["stderr"])
        return self.result

    @staticmethod
    def _is_stop(c: CaseRun) -> bool:
        return c.status in ("timeout", "killed", "output_limit", "channel") or (
            c.status == "error" and c.exception == "MemoryError")

    def _not_run(self, indices) -> None:
        for i in indices:
            self._set(CaseRun(i, "not_run", message=(
                f"not run: the grade's time budget ({self.limits.total_seconds:g} s) ran out")))

    def _set(self, c: CaseRun) -> None:
        self.result.cases[c.index] = c
        if self.progress is not None:
            self.progress(c.index, "end")

    def _child(self, pending: list[int]) -> list[int]:
        """One child process for the `pending` cases, in order; returns those left to run."""
        if self.early is not None and self.input_room > EARLY_ROOM:
            self.discard()  # (its memory for inputs is too small for these cases)
        if self.early is not None:  # started before the cases: it may read them now
            proc, r, started = self.early
            self.proc = proc  # (listed before it is taken off: Ctrl-Z may come between)
            self.early = None
            _poke(proc)
        else:
            r, w = os.pipe()
            started = time.monotonic()
            try:
                proc = self.proc = self._spawn(w, pending)
            finally:
                os.close(w)
                if self.gate is not None:
                    self.gate.spawned.set()
        channel = _Channel(self.limits.result_bytes * 2 + 64 * sum(
            v.nbytes for i in pending for _, v in self.inputs[i]))
        streams = {r: "result", proc.stdout.fileno(): "stdout", proc.stderr.fileno(): "stderr"}
        current, ready, exited, released = None, False, False, False
        case_end = min(self.deadline, started + self.limits.case_seconds + 10)
        files, count_at = getattr(proc, "files", None), 0.0
        last = time.monotonic()
        try:
            while True:
                now = time.monotonic()
                if now - last > _PAUSED:
                    # this process was stopped since the last pass (Ctrl-Z, SIGSTOP) or not
                    # run: that time is no case's (after `fg` the case was a timeout)
                    case_end += now - last
                    self.deadline += now - last
                last = now
                if now >= case_end:
                    return self._timed_out(current, ready, pending)
                if files is not None and now >= count_at:
                    count_at = now + _FILES_EVERY
                    if files.count() > self.limits.files:
                        why = (f"stopped: file limit ({self.limits.files:,} files) exceeded "
                               "(creating files in a loop?)")
                        if not ready:
                            self.result.import_error = "while importing the file: " + why
                            return []
                        return self._stop(current, pending, "killed", why)
                if self.hold is not None and not released and self.hold.is_set():
                    released = True
                    _poke(proc)  # its timing case may start
                if self.gate is not None and self.gate.cancelled:
                    return []  # the grade ended (a signal): killed below
                live = [fd for fd in streams if fd is not None]
                poll = (0.02 if self.hold is not None and not released
                        else 0.05 if self.gate is not None
                        else _FILES_EVERY if files is not None else 0.25)
                readable = select.select(live, [], [], min(poll, case_end - now))[0]
                gone = False
                for fd in readable:
                    chunk = os.read(fd, 1 << 20)
                    kind = streams[fd]
                    if kind != "result":
                        if not chunk:
                            del streams[fd]
                        elif self._printed(kind, chunk):
                            return self._stop(current, pending, "output_limit", (
                                f"output limit ({self.limits.output_bytes >> 20} MiB) exceeded "
                                "(printing in a loop?)"))
                        continue
                    if not chunk:
                        gone = True
                        continue
                    try:
                        for ev, blobs in channel.feed(chunk):
                            step = self._event(ev, blobs, pending, current, ready)
                            if step is not None:
                                return step
                            if ev["event"] == "ready":  # (after the gate, if any)
                                ready = True
                                # (the wait at the gate is no pause: the deadlines start now)
                                last = time.monotonic()
                                case_end = min(self.deadline, last + self.limits.case_seconds)
                            if ev["event"] == "start":
                                current = ev["index"]
                                self.case_started = time.monotonic()
                                limit = (self.limits.timing_case_seconds
                                         if self.cases[current].category == "timing"
                                         else self.limits.case_seconds)
                                case_end = min(self.deadline, time.monotonic() + limit)
                            elif ev["event"] == "case":
                                pending, current = pending[1:], None
                                case_end = min(self.deadline,
                                               time.monotonic() + self.limits.case_seconds)
                                if self._is_stop(self.result.cases[ev["index"]]):
                                    self.stopped = ev["index"]  # MemoryError: restart
                                    return pending
                    except _ChannelError as e:
                        return self._stop(current, pending, "channel",
                                          f"the result channel was corrupted: {e}")
                if not readable and proc.poll() is not None and not exited:
                    exited = True  # read once more: it may have written just before exiting
                    continue
                if gone or (exited and not readable):
                    code = _reap(proc)
                    if not ready:
                        self.result.import_error = (
                            "while importing the file: " + self._killed(code))
                        return []
                    if current is None and not pending:
                        return []
                    return self._stop(current, pending, "killed", self._killed(code))
        finally:
            os.close(r)
            self._kill(proc)
            self._drain(proc)

    def _event(self, ev, blobs, pending, current, ready) -> list[int] | None:
        """Act on one message; a list is what is left to run when this child is done."""
        kind = ev["event"]
        if kind == "import_error":
            self.result.import_error = _string(ev, "traceback", 20000) or "importing failed"
            return []
        if kind == "done":
            return []
        if kind == "broken":  # the runner found the worker's answer malformed
            raise _ChannelError(_string(ev, "why", 200) or "a malformed answer")
        if kind == "ready":
            if self.gate is not None:
                self.gate.ready.set()
                if not self.gate.wait():
                    return []
                self.deadline = time.monotonic() + self.limits.total_seconds
                _poke(self.proc)
            return None
        if not ready:
            raise _ChannelError("a case before the file was imported")
        if kind == "start":
            if current is not None or ev.get("index") != pending[0]:
                raise _ChannelError("cases out of order")
            if self.progress is not None:
                self.progress(pending[0], "start")
            return None
        res = self._case(current, ev, blobs)
        self._set(res)
        if res.status == "output_limit":  # the outputs' budget is spent: the grade stops
            for i in pending[1:]:
                self._set(CaseRun(i, "skipped", message=(
                    f"not run: your outputs total more than "
                    f"{self.limits.outputs_bytes >> 20} MiB")))
            return []
        return None

    def _drain(self, proc) -> None:
        """What it printed just before it ended (everything in it is dead: no more writers)."""
        if getattr(proc, "control", -1) >= 0:
            os.close(proc.control)
            proc.control = -1
        for f, kind in ((proc.stdout, "stdout"), (proc.stderr, "stderr")):
            os.set_blocking(f.fileno(), False)
            try:
                while self.printed <= self.limits.output_bytes:
                    chunk = os.read(f.fileno(), 1 << 20)
                    if not chunk:
                        break
                    self._printed(kind, chunk)
            except OSError:
                pass
            f.close()

    def _printed(self, kind: str, chunk: bytes) -> bool:
        """Keep the start of what it prints; True when the output limit is passed."""
        self.printed += len(chunk)
        keep = self.shown[kind]
        keep += chunk[:max(0, 4000 - len(keep))]
        return self.printed > self.limits.output_bytes

    def _timed_out(self, current, ready, pending) -> list[int]:
        budget = time.monotonic() >= self.deadline
        why = (f"stopped: the grade's time budget ({self.limits.total_seconds:g} s) ran out"
               if budget else None)
        if not ready:
            self.result.import_error = why or (
                f"importing the file did not finish within {self.limits.case_seconds + 10:g} s "
                "(a loop at top level?)")
            return []
        if current is None and not pending:
            # every case has its result, the child's `done` not read yet: nothing was stopped
            # (a red-team's last case, timed to end just before the budget with a 200 MiB
            # result, had it run out while that was decoded: pending[0], prep's internal error)
            return []
        idx = current if current is not None else pending[0]
        limit = (self.limits.timing_case_seconds if self.cases[idx].category == "timing"
                 else self.limits.case_seconds)
        rest = self._stop(idx, pending, "timeout", why or f"stopped after {limit:g} s (wall clock)")
        if budget:
            self._not_run(rest)
            return []
        return rest

    def _stop(self, current, pending, status, message) -> list[int]:
        """The child is stopped during case `current` (or before the next one)."""
        if not pending:
            return []
        idx = current if current is not None else pending[0]
        self.stopped = idx
        self._set(CaseRun(idx, status, message=message))
        return [i for i in pending if i != idx]

    def _killed(self, code: int | None) -> str:
        if code is None:
            return "still running at the time limit; stopped"
        if self.level in ("bwrap", "unshare") and code > 128:
            # bubblewrap reports a signal as 128 + n, and so does the runner when it is the
            # first process of its PID namespace (it cannot end by a signal sent to itself)
            code = -(code - 128)
        if code < 0:
            sig = -code
            return {
                signal.SIGXCPU: f"stopped: CPU time limit ({self.limits.cpu_seconds} s) exceeded",
                signal.SIGXFSZ: f"stopped: file size limit ({self.limits.output_bytes >> 20} "
                                "MiB) exceeded",
                signal.SIGKILL: "killed",
                signal.SIGSEGV: "crashed (segmentation fault)",
            }.get(sig, f"killed by signal {_signame(sig)}")
        return (f"the process exited with code {code} during this case "
                "(os._exit() or a crash) without returning a result")

    # -- one case's result, checked --

    def _case(self, current, ev: dict, blobs: list[bytes]) -> CaseRun:
        idx = ev.get("index")
        if idx != current or current is None:
            raise _ChannelError("a result for a case that was not running")
        status = ev.get("status")
        if not isinstance(status, str) or status not in _STATUSES:
            raise _ChannelError(f"unknown status {safe_text(str(status)[:40])!r}")
        seconds, best = _number(ev, "seconds"), _number(ev, "best")
        # (the case's clock ran on while its processes were stopped with prep: that time is
        # not the code's; it was shown as its, 17.6 s for a 3.7 s call, fault hunt 36)
        paused = _paused_between(self.case_started, time.monotonic())
        if paused and seconds is not None:
            seconds = max(0.0, seconds - paused)
            best = min(best, seconds) if best is not None else None
        res = CaseRun(idx, status, seconds, None, _string(ev, "traceback", 20000),
                      _string(ev, "exception", 200), best=best)
        if status == "exit":
            res.message = f"called sys.exit({_string(ev, 'code', 200)})"
        if self.trusted:  # the reference being timed sends its times only
            return res
        if status != "missing":
            res.mutated = self._mutated(idx, ev.get("inputs"), blobs)
        if status == "ok":
            if "output" not in ev:
                raise _ChannelError("a result without an output")
            room = [self.room]
            try:
                res.output = _decode(ev["output"], blobs, 0, room)
            except _OutputsFull:
                res.status = "output_limit"
                res.message = (f"stopped: your outputs total more than "
                               f"{self.limits.outputs_bytes >> 20} MiB (the grader keeps each "
                               "one to compare it)")
            else:
                self.room = room[0]
        return res

    def _mutated(self, idx, inputs, blobs) -> list[str]:
        mine = self.inputs[idx]
        if not isinstance(inputs, list) or len(inputs) != len(mine):
            raise _ChannelError("the inputs were not sent back")
        changed = []
        for (name, orig), item in zip(mine, inputs):
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[2], int)
                    and 0 <= item[2] < len(blobs)):
                raise _ChannelError("a malformed input record")
            dtype, shape, blob = item
            if (dtype != orig.dtype.str or shape != list(orig.shape)
                    or not _same_bytes(blobs[blob], orig)):
                changed.append(name)
        return changed

    # -- processes --

    def _spawn(self, w: int, pending: list[int] | None) -> subprocess.Popen:
        """A child for the `pending` cases (None: all, once `load` has written them)."""
        try:
            fcntl.fcntl(w, 1031, 1 << 20)  # F_SETPIPE_SZ: results arrive in fewer pieces
        except OSError:
            pass
        cfg_path = self.in_dir / f"config{w}.json"
        # The parent's one-byte go-aheads come on a pipe of their own, not on stdin: bubblewrap's
        # first process keeps stdin open, where user code found it (pidfd_getfd on pid 1) and
        # could have started the timing case early. Its read end goes to the child only.
        ctl_r, ctl_w = os.pipe() if self.gate or self.hold or pending is None else (-1, -1)
        inside = self.level == "bwrap"
        # bubblewrap says on this pipe which of our processes is its first one inside: the
        # way to the sandbox's file systems, to count the files written there (_Files)
        info_r, info_w = os.pipe() if inside else (-1, -1)
        in_dir = "/in" if inside else str(self.in_dir)
        work = "/work" if inside else str(self.work)
        cfg = {"fd": w, "in_dir": in_dir, "user_file": f"{in_dir}/{self.user_file.name}",
               "result_bytes": self.limits.result_bytes, "processes": self.limits.processes,
               "input_room": EARLY_ROOM if pending is None else self.input_room,
               "subreaper": self.level == "rlimits", "guard": not self.trusted,
               "path": ["/sandbox/lib"] if inside else [], "gate": self.gate is not None,
               "times_only": self.trusted, "await_inputs": pending is None,
               "await_file": self.waiting and pending is None, "control": ctl_r}
        cfg_path.write_text(json.dumps(cfg), "utf-8")
        cfg_path.chmod(0o644)
        env = {"PATH": os.defpath, "HOME": work, "TMPDIR": f"{work}/tmp", "LANG": "C.UTF-8",
               "PREP_GRADE_MARK": self.token, **TIMING_ENV}
        python = [sys.executable, "-I", "-u", f"{in_dir}/_runner.py", f"{in_dir}/{cfg_path.name}",
                  "*" if pending is None else ",".join(map(str, pending))]
        if self.level == "bwrap":
            argv = _bwrap(self.tmp, self.limits, env) + [
                "--info-fd", str(info_w), os.path.realpath(sys.executable), "-S"] + python[1:]
        elif self.level == "unshare":
            argv = ["unshare", "--user", "--map-root-user", "--net", "--ipc", "--pid",
                    "--kill-child", "--mount-proc"] + python
        elif not self.trusted:  # rlimits: the runner under a reaper (see _REAPER)
            argv = [sys.executable, "-I", "-S", "-c", _REAPER] + python
        else:
            argv = python
        if not self.trusted:
            _not_dumpable()
        try:
            with FORK_LOCK:
                proc = subprocess.Popen(argv, cwd=self.work, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        pass_fds=tuple(fd for fd in (w, ctl_r, info_w)
                                                       if fd >= 0),
                                        start_new_session=True,
                                        preexec_fn=_limit(self.limits))
        except BaseException:
            for fd in (ctl_r, ctl_w, info_r, info_w):
                if fd >= 0:
                    os.close(fd)
            raise
        for fd in (ctl_r, info_w):
            if fd >= 0:
                os.close(fd)
        proc.control = ctl_w  # (-1: none; _poke writes there, _drain closes it)
        proc.files = _Files(info_r) if info_r >= 0 else None  # (_kill closes it)
        return proc

    def _kill(self, proc: subprocess.Popen) -> None:
        """Kill everything the child started. With a PID namespace, killing its first process
        ends the namespace; without, sweep its descendants while it still holds them."""
        if getattr(proc, "files", None) is not None:
            proc.files.close()
        sweep = self.level == "rlimits" and not self.trusted
        if sweep:
            _sweep(proc.pid, self.token)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        _reap(proc)
        if sweep:
            _sweep(None, self.token)


# What every child's speed depends on, the same for the user's code and the reference: one
# BLAS thread; and glibc's malloc thresholds fixed. Left to move, they moved with what the
# process had freed before: an array over 128 KiB freed once let later ones come from the heap,
# else each was mapped and unmapped again (its pages faulted in each time). The reference's
# child, whose imports freed one, ran k-means in 2.1 ms; the same code as the user's file, in
# 4.2 ms, and the timing line said "1.9x the reference" of the reference itself.
TIMING_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "VECLIB_MAXIMUM_THREADS": "1", "MALLOC_MMAP_THRESHOLD_": str(32 << 20),
              "MALLOC_TRIM_THRESHOLD_": str(64 << 20)}
_SHM_BYTES = 1 << 20  # bubblewrap's /dev/shm
_PROC_READ_ONLY = ("/proc/sys", "/proc/sysrq-trigger", "/proc/bus", "/proc/fs", "/proc/irq")
# The memory a child shares for one case's input arrays when it starts before the cases exist
# (a bigger case gets a child of its own): the largest exercise case needs 12.3 MiB.
EARLY_ROOM = 64 << 20


def _not_dumpable() -> None:
    """prep itself not dumpable from its first grade on: its memory (/proc/<pid>/mem) cannot
    be opened by another process of the user's that has no capability to trace it. (The
    worker's Landlock domain keeps it from prep's memory where the kernel has Landlock; a
    worker of the rlimits level, with no other wall between them, wrote code into it and ran
    as prep: fault hunt 42.)"""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
    except (OSError, AttributeError):
        pass


def _bwrap(tmp: Path, limits: Limits, env: dict) -> list[str]:
    """The bubblewrap command line: system directories and NumPy read-only, /in (the inputs,
    the user file's copy) read-only, /work a private tmpfs of `disk_bytes`, /tmp inside it;
    the rest read-only, but /dev/shm (a tmpfs of 1 MiB)."""
    # (--as-pid-1: the runner is the sandbox's first process, not bubblewrap's init, which has
    # no seccomp filter and stays dumpable: a red-team's worker wrote code into its memory
    # through /proc/1/mem, and ran on as it after prep was gone, with no limit on processes)
    # (--hostname: the host's name is not the sandbox's, as a new UTS namespace starts with)
    argv = ["bwrap", "--unshare-all", "--hostname", _HOSTNAME, "--die-with-parent",
            "--new-session", "--as-pid-1", "--ro-bind", "/usr", "/usr"]
    bound = [Path("/usr")]
    for d in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(d):
            argv += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            argv += ["--ro-bind", d, d]
            bound.append(Path(d))
    argv += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    exe = Path(os.path.realpath(sys.executable))
    for d in {Path(sys.base_prefix).resolve(), exe.parent}:
        if not any(d.is_relative_to(b) for b in bound):
            argv += ["--ro-bind", str(d), str(d)]
            bound.append(d)
    np_dir = Path(np.__file__).resolve().parent
    argv += ["--ro-bind", str(np_dir), "/sandbox/lib/numpy",
             "--ro-bind-try", str(np_dir) + ".libs", "/sandbox/lib/numpy.libs"]
    if any(PACKAGE.is_relative_to(b) for b in bound):  # installed under /usr, say
        argv += ["--tmpfs", str(PACKAGE)]
    # /dev and the root are tmpfs without a size: read-only, and /dev/shm a small tmpfs of
    # its own (else a file there is host memory past the disk limit)
    # /proc/sys read-only (and the other parts of /proc a container leaves read-only): where
    # prep runs as root, the code in the sandbox is the host's root to the kernel's checks of
    # them (most ask for no capability): a red-team's grade could write kernel.core_pattern,
    # a command the host runs as root on its next crash; /proc/sysrq-trigger reboots it
    argv += ["--ro-bind", str(tmp / "in"), "/in", "--proc", "/proc"]
    for p in _PROC_READ_ONLY:
        argv += ["--ro-bind-try", p, p]
    argv += ["--dev", "/dev",
             "--size", str(_SHM_BYTES), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
             "--size", str(limits.disk_bytes), "--tmpfs", "/work", "--dir", "/work/tmp",
             "--symlink", "/work/tmp", "/tmp", "--remount-ro", "/", "--chdir", "/work",
             "--clearenv"]
    for k, v in env.items():
        argv += ["--setenv", k, v]
    return argv


# Without a PID namespace (rlimits), the runner's parent: a child subreaper, so the orphans
# of the user's code come to it when the runner is gone (a grandchild that left the runner's
# session and wiped its environment, which the sweep would not find), however the runner
# ends; it kills them all then, and ends as the runner ended (its exit code, its signal).
# While it lives, the parent's sweep finds them among its descendants.
_REAPER = """\
import ctypes, os, signal, sys, time
libc = ctypes.CDLL(None)
libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
me = os.getpid()
child = os.fork()
if child == 0:
    try:
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: dies with the reaper
        if os.getppid() != me:
            os._exit(1)
        os.execv(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
# Nothing of the runner's ways to prep stays here: user code (same user, no namespace) opened
# /proc/<this reaper>/fd/<result pipe> and wrote its own reports. Not dumpable either.
libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
null = os.open(os.devnull, os.O_RDONLY)
os.dup2(null, 0)
os.closerange(3, 1 << 16)
status = 0
while True:
    try:
        pid, st = os.waitpid(-1, 0)
    except ChildProcessError:
        break
    except InterruptedError:
        continue
    if pid == child:
        status = st
        break
# the runner is gone: kill what it left (re-parented here), until nothing is left
mine = str(me).encode()
for _ in range(200):
    kids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/" + name + "/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[1] == mine:
                kids.append(int(name))
    if not kids:
        break
    for k in kids:
        try:
            os.kill(k, signal.SIGKILL)
        except OSError:
            pass
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    time.sleep(0.005)
if os.WIFSIGNALED(status):
    sig = os.WTERMSIG(status)
    try:
        signal.signal(sig, signal.SIG_DFL)  # (SIGKILL has no handler to reset)
    except (OSError, ValueError):
        pass
    os.kill(me, sig)
os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
"""


# A file costs the kernel ~1 KiB of memory that no limit counts (a tmpfs's size counts the
# bytes written, not the files): a grade that made empty files for 20 s held 2.9 GB of the
# host's. bubblewrap 0.8 cannot mount a tmpfs with a number of files, so the parent counts
# them, this often: at ~150,000 files a second, a child stopped after 10,000 has made at
# most ~25,000 (~25 MB). (A tmpfs counts its files' extended attributes there too, a file
# for each KiB: one file's attributes were stopped at 34 MiB.)
_FILES_EVERY = 0.1
# A pass of the loop watching a child that took longer than this (its wait for the child's
# output is a quarter second at most): the process was stopped or starved meanwhile, and
# the deadlines move on by as much
_PAUSED = 2.0


class _Files:
    """The files made in a bubblewrap child's writable file systems (/work, /tmp in it, and
    /dev/shm), seen through /proc/<its first process>/root, which bubblewrap names on the
    --info-fd pipe (`fd`, read here)."""

    def __init__(self, fd: int):
        os.set_blocking(fd, False)
        self.fd, self.info, self.root = fd, b"", ""

    def count(self) -> int:
        """Files and folders there now (0 until the sandbox is set up)."""
        if not self.root and not self._read():
            return 0
        try:
            # (the process is in the sandbox's root once that root is another file system
            # than ours: before bubblewrap moves it there, /work would be the host's)
            if os.stat(self.root).st_dev == os.stat("/").st_dev:
                return 0
            return sum(st.f_files - st.f_ffree for st in (
                os.statvfs(self.root + "/work"), os.statvfs(self.root + "/dev/shm")))
        except OSError:  # (gone, or not set up yet)
            return 0

    def _read(self) -> bool:
        try:
            while self.fd >= 0:
                chunk = os.read(self.fd, 4096)
                if not chunk:
                    self.close()
                    break
                self.info += chunk[:65536 - len(self.info)]
        except BlockingIOError:
            pass
        except OSError:
            self.close()
        try:
            pid = json.loads(self.info)["child-pid"]
        except (ValueError, KeyError, TypeError):
            return False
        if type(pid) is int and pid > 0:
            self.root = f"/proc/{pid}/root"
        return bool(self.root)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _limit(limits: Limits):
    def apply() -> None:  # runs in the child between fork and exec
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        try:  # SIGKILL when prep dies, however it dies (bubblewrap does the same inside)
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except OSError:
            pass
    return apply


def _poke(proc: subprocess.Popen) -> None:
    """One byte on its control pipe: the child waiting there goes on (if it is still alive)."""
    try:
        os.write(proc.control, b"g")
    except (OSError, AttributeError):  # it is gone (the loop sees that), or has none
        pass


def _reap(proc: subprocess.Popen) -> int | None:
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return None


def _processes() -> dict[int, int]:
    """pid -> parent pid of every live (not zombie) process we can see."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != b"Z":
            out[int(name)] = int(fields[1])
    return out


def _marked(pid: int, token: str) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return f"PREP_GRADE_MARK={token}".encode() in f.read().split(b"\0")
    except OSError:
        return False


def _sweep(root: int | None, token: str) -> None:
    """Without a PID namespace: SIGKILL the descendants of `root` and every process carrying
    this grade's mark, again until none is left (a killed process's children re-parent to the
    subreaper, where the next round finds them)."""
    me = os.getpid()
    for _ in range(50):
        procs = _processes()
        kids: dict[int, list[int]] = {}
        for pid, ppid in procs.items():
            kids.setdefault(ppid, []).append(pid)
        found, todo = set(), [root] if root else []
        while todo:
            for k in kids.get(todo.pop(), []):
                if k not in found:
                    found.add(k)
                    todo.append(k)
        found |= {p for p in procs if p not in (me, root) and _marked(p, token)}
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)


# --- the channel -----------------------------------------------------------------------------

class _Channel:
    """Frames from the child: a JSON header line, then the raw bytes it announces. Anything
    else (not JSON, not an object, unknown event, sizes over the limit) is a _ChannelError."""

    def __init__(self, max_bytes: int):
        self.line, self.header, self.max_bytes = bytearray(), None, max_bytes
        self.body, self.filled = bytearray(), 0  # the current frame's raw bytes, so far

    def feed(self, chunk: bytes) -> list[tuple[dict, list[bytes]]]:
        # Each frame's bytes are copied once into a buffer of its announced size: appending
        # megabytes to one growing buffer cost 70 ms per 24 MiB.
        out, pos, view = [], 0, memoryview(chunk)
        while True:
            if self.header is None:
                nl = chunk.find(b"\n", pos)
                self.line += view[pos:] if nl < 0 else view[pos:nl]
                if len(self.line) > _HEADER_MAX:
                    raise _ChannelError("a line too long")
                if nl < 0:
                    return out
                pos = nl + 1
                self.header = self._header(bytes(self.line))
                self.line = bytearray()
                self.body, self.filled = bytearray(sum(self.header["blobs"])), 0
            n = min(len(chunk) - pos, len(self.body) - self.filled)
            self.body[self.filled:self.filled + n] = view[pos:pos + n]
            self.filled, pos = self.filled + n, pos + n
            if self.filled < len(self.body):
                return out
            # The blobs are views of the frame's buffer, not copies (a decoded array is copied
            # once, by _decode); a new buffer is made for the next frame.
            blobs, at, body = [], 0, memoryview(self.body)
            for size in self.header["blobs"]:
                blobs.append(body[at:at + size])
                at += size
            out.append((self.header, blobs))
            self.header, self.body = None, bytearray()

    def _header(self, line: bytes) -> dict:
        try:
            ev = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _ChannelError("a line that is not JSON") from None
        if not isinstance(ev, dict) or not isinstance(ev.get("event"), str) \
                or ev["event"] not in _EVENTS:
            raise _ChannelError("an unknown message")
        sizes = ev.get("blobs", [])
        if not (isinstance(sizes, list) and len(sizes) <= 1024
                and all(type(n) is int and n >= 0 for n in sizes)):
            raise _ChannelError("malformed sizes")
        if sum(sizes) > self.max_bytes:
            raise _ChannelError(f"a result of {sum(sizes) >> 20} MiB, over the limit")
        if "index" in ev and type(ev["index"]) is not int:
            raise _ChannelError("a malformed case index")
        ev["blobs"] = sizes
        return ev


def _same_bytes(blob, orig: np.ndarray) -> bool:
    """Whether `blob` holds exactly the bytes of `orig` (compared as bytes: NaN equals NaN,
    -0.0 differs from 0.0), without copying either."""
    mine = np.ascontiguousarray(orig).reshape(-1).view(np.uint8)
    return len(blob) == mine.size and np.array_equal(np.frombuffer(blob, np.uint8), mine)


_MAX_SECONDS = 1e7


def _number(ev: dict, key: str) -> float | None:
    v = ev.get(key)
    if v is None:
        return None
    # compared as they are: a 400-digit int does not fit a float (NaN and inf fail too)
    if type(v) not in (int, float) or not 0 <= v <= _MAX_SECONDS:
        raise _ChannelError(f"a malformed {key}")
    return float(v)


def _string(ev: dict, key: str, limit: int) -> str:
    v = ev.get(key, "")
    if not isinstance(v, str):
        raise _ChannelError(f"a malformed {key}")
    return safe_text(v[:limit])


_DTYPE_KINDS = set("biufcSU")
# A dtype as the runner names it (`dtype.str`: byte order, kind, size, a unit), nothing else
# NumPy would parse: 'a3', an alias NumPy 2 deprecates, made it warn (shown under
# PYTHONWARNINGS=default; under PYTHONWARNINGS=error, prep's internal error)
_DTYPE_NAME = re.compile(r"[<>|][biufcmMOSUV]\d{0,12}(?:\[\w{1,8}\])?", re.ASCII)
_MAX_DIM = 1 << 40
_MAX_INT = 1 << 62  # the runner sends a larger Python int as {"kind": "other"}
# The keys a description of a result may have, and what each must be.
_DESCRIPTION = {"len": lambda v: type(v) is int and 0 <= v <= _MAX_INT,
                "nbytes": lambda v: type(v) is int and 0 <= v <= _MAX_INT,
                "type": lambda v: isinstance(v, str),
                "dtype": lambda v: isinstance(v, str),
                "value": lambda v: isinstance(v, str),  # a str result's start
                "shape": lambda v: _is_shape(v)}


def _is_shape(v) -> bool:
    return (isinstance(v, list) and len(v) <= 32
            and all(type(n) is int and 0 <= n <= _MAX_DIM for n in v))


def _decode(spec, blobs: list[bytes], depth: int, room: list[int] | None = None):
    """A result from its description: arrays rebuilt from raw bytes (never unpickled),
    NumPy scalars as NumPy scalars, Python scalars, None, tuples/lists; anything else stays a
    description (a dict) for the messages. Every field is checked: anything else is a
    _ChannelError. `room`: [bytes the arrays may still take], else _OutputsFull."""
    if not isinstance(spec, dict) or depth > 3:
        raise _ChannelError("a malformed result")
    kind = spec.get("kind")
    if not isinstance(kind, str):
        raise _ChannelError("a malformed result")
    if kind == "ndarray":
        name = spec.get("dtype")
        if not isinstance(name, str) or not _DTYPE_NAME.fullmatch(name):
            raise _ChannelError("a malformed dtype")
        try:
            dtype = np.dtype(name)
        except (TypeError, ValueError, OverflowError, SyntaxError):
            raise _ChannelError("a malformed dtype") from None
        shape, blob = spec.get("shape"), spec.get("blob")
        if not (_is_shape(shape) and type(blob) is int and 0 <= blob < len(blobs)):
            raise _ChannelError("a malformed array")
        if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
            raise _ChannelError("a malformed array")  # the runner sends no such array
        if dtype.kind not in _DTYPE_KINDS or dtype.itemsize == 0:
            # not numbers or text (S0, U0, V, datetime): an answer may return one, it fails
            return {"kind": "bad_dtype", "dtype": safe_text(dtype.str[:40])}
        size = len(blobs[blob])
        if (math.prod(max(n, 1) for n in shape) * dtype.itemsize > _MAX_INT
                or math.prod(shape) * dtype.itemsize != size):
            raise _ChannelError("a malformed array")
        if room is not None:
            if size > room[0]:
                raise _OutputsFull
            room[0] -= size
        if dtype.kind == "U" and size and _not_unicode(blobs[blob], dtype):
            # (NumPy keeps any 32-bit code in a str array: one above U+10FFFF made its
            # tolist() and repr raise SystemError in the report, prep's internal error)
            return {"kind": "bad_dtype", "dtype": safe_text(dtype.str[:40]) + " (not Unicode)"}
        arr = np.frombuffer(blobs[blob], dtype=dtype).reshape(shape).copy()
        return arr[()] if spec.get("scalar") is True and arr.ndim == 0 else arr
    if kind == "none":
        return None
    if kind == "pyscalar":
        v, t = spec.get("value"), spec.get("type")
        if not (t == "bool" and type(v) is bool
                or t in ("int", "float") and type(v) is int and -_MAX_INT <= v <= _MAX_INT
                or t == "float" and type(v) is float):
            raise _ChannelError("a malformed scalar")
        return float(v) if t == "float" else v
    if kind in ("tuple", "list") and "items" in spec:
        items = spec["items"]
        if not isinstance(items, list) or len(items) > 16:
            raise _ChannelError("a malformed sequence")
        items = [_decode(s, blobs, depth + 1, room) for s in items]
        return tuple(items) if kind == "tuple" else items
    if kind in ("tuple", "list", "str", "object_array", "too_large", "other"):
        out = {"kind": kind}
        for k, ok in _DESCRIPTION.items():
            if k in spec:
                if not ok(spec[k]):
                    raise _ChannelError(f"a malformed {k} in a description")
                v = spec[k]
                out[k] = safe_text(v[:200]) if isinstance(v, str) else v
        return out
    raise _ChannelError("an unknown kind of result")


def _not_unicode(blob, dtype: np.dtype) -> bool:
    """Whether a str array's bytes hold a code that is no character: above U+10FFFF, or a
    surrogate (half of a UTF-16 pair, printable by no encoder)."""
    codes = np.frombuffer(blob, dtype=np.dtype(np.uint32).newbyteorder(dtype.byteorder))
    return bool(((codes > 0x10FFFF) | ((codes >= 0xD800) & (codes <= 0xDFFF))).any())


def _signame(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return str(sig)


def _text(data: bytearray) -> str:
    text = safe_text(bytes(data[:2000]).decode("utf-8", errors="replace"))
    return text + ("\n… (more output cut)" if len(data) > 2000 else "")
