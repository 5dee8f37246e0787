"""Run untrusted exercise code in a separate process, with limits. Parent side.

The child (`_runner.py`) runs with `python -I` in a fresh temporary working directory, one
BLAS thread, and resource limits: CPU time, address space, size of any file it writes (which
caps what it can print, since stdout and stderr go to files), no core files. Each case also has
a wall-clock limit: when it runs out, the child's whole process group is killed and the
remaining cases continue in a new child. The process group is killed at the end as well, so a
process the user's code started does not outlive grading.

Inputs go to the child as .npy files; results come back as JSON lines on a pipe of their own
and .npy files loaded with allow_pickle=False. Expected outputs never exist in the child.

This protects against mistakes (an endless loop, a huge allocation, a print in a loop), not
against malice: code that wants to can still read the installed reference kernels from disk.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

RUNNER = Path(__file__).resolve().parent / "_runner.py"


@dataclass(frozen=True)
class Limits:
    case_seconds: float = 10.0  # wall clock per case (import included in the first)
    max_stops: int = 2  # after this many timeouts/crashes of one function, skip its other cases
    timing_case_seconds: float = 30.0
    cpu_seconds: int = 120  # per child process
    memory_bytes: int = 2 << 30  # address space
    output_bytes: int = 16 << 20  # any single file the child writes, stdout included

    def describe(self) -> str:
        return (f"{self.case_seconds:g} s wall clock per case ({self.timing_case_seconds:g} s "
                f"for the timing case), {self.cpu_seconds} s CPU, "
                f"{self.memory_bytes >> 20} MiB memory, {self.output_bytes >> 20} MiB output")


@dataclass
class CaseRun:
    index: int
    status: str  # ok, not_implemented, error, exit, missing, timeout, killed
    seconds: float | None = None
    output: object = None  # decoded: ndarray, tuple/list of decoded, or a description dict
    traceback: str = ""
    exception: str = ""
    mutated: list[str] = field(default_factory=list)
    message: str = ""


@dataclass
class Run:
    cases: dict[int, CaseRun]
    import_error: str = ""
    stdout: str = ""
    stderr: str = ""


def _arg(value, path: Path, name: str) -> dict:
    if isinstance(value, np.ndarray):
        np.save(path / name, value, allow_pickle=False)
        return {"kind": "npy", "file": name + ".npy"}
    if isinstance(value, tuple):
        return {"kind": "tuple", "value": [int(v) for v in value]}
    if isinstance(value, (np.integer, np.floating)):
        value = value.item()
    return {"kind": "value", "value": value}


def _limit(limits: Limits):
    def apply() -> None:  # runs in the child between fork and exec
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def _decode(spec, io_dir: Path):
    kind = spec.get("kind")
    if kind == "ndarray":
        return np.load(io_dir / spec["file"], allow_pickle=False)
    if kind in ("tuple", "list") and "items" in spec:
        items = [_decode(s, io_dir) for s in spec["items"]]
        return tuple(items) if kind == "tuple" else items
    return spec  # a description of something that is not an array


def _killed_message(returncode: int | None, limits: Limits) -> str:
    if returncode is None:
        return "still running at the time limit; stopped"
    if returncode < 0:
        sig = -returncode
        return {
            signal.SIGXCPU: f"stopped: CPU time limit ({limits.cpu_seconds} s) exceeded",
            signal.SIGXFSZ: f"stopped: output limit ({limits.output_bytes >> 20} MiB) exceeded "
                            "(printing in a loop?)",
            signal.SIGKILL: "killed",
            signal.SIGSEGV: "crashed (segmentation fault)",
        }.get(sig, f"killed by signal {signal.Signals(sig).name}")
    return (f"the process exited with code {returncode} during this case "
            "(os._exit() or a crash) without returning a result")


def run(user_file: Path, cases: list, limits: Limits = Limits(), progress=None) -> Run:
    """Run every case in the sandbox. `progress(index, event)` is called as cases start/end."""
    tmp = Path(tempfile.mkdtemp(prefix="prep-grade-"))
    io_dir, work = tmp / "io", tmp / "work"
    io_dir.mkdir()
    work.mkdir()
    result = Run(cases={})
    try:
        manifest = {"cases": [
            {"fn": c.fn, "arg_names": list(c.arg_names),
             "args": [_arg(v, io_dir, f"in{i}_{j}") for j, v in enumerate(c.args)],
             "kwargs": {k: _arg(v, io_dir, f"in{i}_{k}") for k, v in c.kwargs.items()}}
            for i, c in enumerate(cases)]}
        (io_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        start, stops = 0, {}
        while start < len(cases) and not result.import_error:
            start = _child(user_file, cases, start, io_dir, work, limits, result, progress)
            stopped = result.cases.get(start - 1)
            if stopped is not None and stopped.status in ("timeout", "killed"):
                fn = cases[start - 1].fn
                stops[fn] = stops.get(fn, 0) + 1
                if stops[fn] >= limits.max_stops:
                    # The same function timed out or died again: more of it would only burn
                    # the time limit once per case. Its remaining cases are not run.
                    while start < len(cases) and cases[start].fn == fn:
                        result.cases[start] = CaseRun(start, "skipped", message=(
                            f"not run: {fn}() was stopped {stops[fn]} times already"))
                        _report(progress, start, "end")
                        start += 1
        result.stdout = _head(io_dir / "stdout")
        result.stderr = _head(io_dir / "stderr")
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _child(user_file, cases, start, io_dir, work, limits, result: Run, progress) -> int:
    """One child process from case `start` on; returns the index to continue from."""
    r, w = os.pipe()
    env = {"PATH": os.defpath, "HOME": str(work),
           "LANG": "C.UTF-8", "PREP_RESULT_FD": str(w), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "VECLIB_MAXIMUM_THREADS": "1"}
    with open(io_dir / "stdout", "ab") as out, open(io_dir / "stderr", "ab") as err:
        proc = subprocess.Popen(
            [sys.executable, "-I", str(RUNNER), str(io_dir), str(Path(user_file).resolve()),
             str(start)], cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            pass_fds=(w,), start_new_session=True, preexec_fn=_limit(limits))
    os.close(w)
    ready, current, nxt, buf = False, None, start, b""
    deadline = time.monotonic() + limits.case_seconds + 10  # importing numpy and the file
    try:
        while True:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([r], [], [], wait)[0]:  # wall clock ran out
                _kill(proc)
                if not ready:
                    result.import_error = (f"importing the file did not finish within "
                                           f"{limits.case_seconds + 10:g} s (a loop at top level?)")
                    return len(cases)
                idx = current if current is not None else nxt
                result.cases[idx] = CaseRun(idx, "timeout", message=(
                    f"stopped after {_case_limit(cases[idx], limits):g} s (wall clock)"))
                _report(progress, idx, "end")
                return idx + 1
            chunk = os.read(r, 1 << 16)
            if not chunk:  # the child is gone
                code = _reap(proc)
                if not ready:
                    result.import_error = result.import_error or (
                        "while importing the file: " + _killed_message(code, limits))
                    return len(cases)
                idx = current if current is not None else nxt
                if idx >= len(cases):
                    return len(cases)
                result.cases[idx] = CaseRun(idx, "killed", message=_killed_message(code, limits))
                _report(progress, idx, "end")
                return idx + 1
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                ev = json.loads(line)
                kind = ev["event"]
                if kind == "import_error":
                    result.import_error = ev["traceback"]
                    return len(cases)
                if kind == "ready":
                    ready = True
                elif kind == "start":
                    current = ev["index"]
                    deadline = time.monotonic() + _case_limit(cases[current], limits)
                    _report(progress, current, "start")
                elif kind == "case":
                    idx = ev["index"]
                    result.cases[idx] = CaseRun(
                        idx, ev["status"], ev.get("seconds"),
                        _decode(ev["output"], io_dir) if "output" in ev else None,
                        ev.get("traceback", ""), ev.get("exception", ""), ev.get("mutated", []),
                        f"called sys.exit({ev.get('code')})" if ev["status"] == "exit" else "")
                    current, nxt = None, idx + 1
                    deadline = time.monotonic() + limits.case_seconds
                    _report(progress, idx, "end")
                elif kind == "done":
                    _reap(proc)
                    return len(cases)
    finally:
        os.close(r)
        _kill(proc)


def _case_limit(case, limits: Limits) -> float:
    return limits.timing_case_seconds if case.category == "timing" else limits.case_seconds


def _report(progress, index, event) -> None:
    if progress is not None:
        progress(index, event)


def _kill(proc: subprocess.Popen) -> None:
    """Kill the child's whole process group (anything it started too) and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _reap(proc)


def _reap(proc: subprocess.Popen) -> int | None:
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return None


def _head(path: Path, limit: int = 2000) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError:
        return ""
    text = data[:limit].decode("utf-8", errors="replace")
    return text + ("\n… (more output cut)" if len(data) > limit else "")
