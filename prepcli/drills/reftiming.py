"""The reference's time on an exercise's timing case, for the grader's timing line.

Measured in a child of its own by the same rule, runner, limits and thread count as the
user's code (best of up to N warm calls, one BLAS thread), while nothing else of the grade
runs. Measuring it costs N calls of the reference (0.2 s on nms) after the user's own, so with
a cache directory it is measured once per machine and kept, under a key made of everything
the time depends on: the exercise, the case and its inputs, the catalog's and the runner's
source, prep's, Python's and NumPy's versions, the CPU model and count, the thread count and
the timing rule. Anything changed is a new key, measured again.

A grade measures it only when there is no cached time yet; the cached time is used from its
first measurement on. While the user writes code (`prep drill`, a mock's coding question)
the reference is measured in the background (`prefetch`) until it has `SAMPLES`
measurements, the best kept, so one measurement on a busy machine does not set it for good
and the first grade from a drill finds it cached. A grade and a background measurement never
run at the same time (`grading()`).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import threading
from pathlib import Path

import numpy as np

import prepcli
from prepcli.drills import sandbox

CACHE_FILE = "reference-times.json"
SAMPLES = 3
_CATALOG = Path(__file__).resolve().parent / "catalog"


class ReferenceTiming:
    """The reference run on the timing case in a child of its own (trusted: it may import
    prepcli), started at once so its start-up overlaps the user's run; held at a gate until
    `seconds()`, so the two are never timed at the same time. Or its cached time: no child."""

    def __init__(self, exo, cases, limits: sandbox.Limits, cache_dir: Path | None = None,
                 later: bool = False):
        """`later`: when the time is not cached, start the child only when `seconds()` asks
        (after the user's run), not at once: nothing of it runs while the user's code does,
        and the user's verdict need not wait for it."""
        self.gate, self.result, self.thread = sandbox.Gate(), None, None
        # Set when the child's thread is done. Waited for instead of `join`: a join that a
        # signal interrupts leaves the thread marked stopped though it runs (CPython 3.11)
        self.done = threading.Event()
        self.cached: float | None = None
        self.cache_file = self.key = None
        self.start = None
        planned = _plan(exo, cases)
        if planned is None:
            return  # no timing case, or a reference not importable by name: no comparison
        case, source, run = planned
        if cache_dir is not None:
            self.cache_file, self.key = Path(cache_dir) / CACHE_FILE, key(exo, case, limits)
            seconds, samples = _read(self.cache_file).get(self.key, (None, 0))
            if samples:
                self.cached = seconds
                return

        def work():
            try:
                self.result = sandbox.run(source, "reference.py", run, limits,
                                          trusted=True, gate=self.gate).cases.get(len(run) - 1)
            except Exception:  # no timing line rather than a failed grade
                self.result = None
            finally:
                self.gate.spawned.set()
                self.gate.ready.set()
                self.done.set()
        self.thread = threading.Thread(target=work, daemon=True)
        self.start = self._start
        if not later:
            self._start()

    def _start(self) -> None:
        self.start = None
        self.thread.start()
        self.gate.spawned.wait(timeout=20)  # started before this process computes (FORK_LOCK)

    @property
    def pending(self) -> bool:
        """Whether `seconds()` will have to measure (nothing cached)."""
        return self.thread is not None

    @property
    def ready(self):
        """Set when the reference's child waits at its gate (None: no child to wait for)."""
        return self.gate.ready if self.thread is not None and self.start is None else None

    def seconds(self) -> float | None:
        if self.cached is not None:
            return self.cached
        if self.thread is None:
            return None
        if self.start is not None:
            self.start()
        self.gate.open()
        self.done.wait()
        self.thread = None
        ref = self.result
        if ref is None or ref.status != "ok" or ref.best is None:
            return None
        if self.cache_file is not None:
            _write(self.cache_file, self.key, ref.best)
        return ref.best

    def cancel(self) -> None:
        if self.thread is not None and self.start is not None:  # never started
            self.thread = None
        if self.thread is not None:
            self.gate.cancel()  # a child waiting at the gate, or running: ended
            self.done.wait()
            self.thread = None


def _plan(exo, cases):
    """(timing case, the reference's source for the child, the cases the child runs), or None
    when there is no timing case or its reference cannot be imported by name."""
    case = next((c for c in cases if c.category == "timing"), None)
    fn = case.reference if case is not None else None
    module = sys.modules.get(getattr(fn, "__module__", None) or "")
    if module is None or getattr(module, fn.__name__, None) is not fn:
        return None
    source = f"from {fn.__module__} import {fn.__name__} as {case.fn}\n".encode()
    # Warm, as the user's code is by its earlier cases: the function's first case first.
    warm = next(c for c in cases + [case] if c.fn == case.fn)
    return case, source, ([warm, case] if warm is not case else [case])


class Prefetch:
    """The reference measured in the background, one child after another, until the cache
    holds `SAMPLES` measurements (or `stop()`): started when the user begins writing code,
    so that their grades find its time cached. Each measurement takes `_TURN`, as a grade
    does for its whole run: the two never run at the same time."""

    def __init__(self, exo, limits: sandbox.Limits, cache_dir: Path):
        self.exo, self.limits, self.cache_file = exo, limits, Path(cache_dir) / CACHE_FILE
        self.stopped = False
        self.measured = 0  # measurements this one added to the cache
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def _work(self) -> None:
        try:
            planned = _plan(self.exo, self.exo.cases())
            if planned is None:
                return
            case, source, run = planned
            k = key(self.exo, case, self.limits)
            while True:
                # waiting for a grade (up to its whole budget) in steps: `stop()` is prompt
                while not _TURN.acquire(timeout=0.05):
                    if self.stopped:
                        return
                try:
                    if self.stopped or _read(self.cache_file).get(k, (None, 0))[1] >= SAMPLES:
                        return
                    res = sandbox.run(source, "reference.py", run, self.limits,
                                      trusted=True).cases.get(len(run) - 1)
                    if res is None or res.status != "ok" or res.best is None:
                        return
                    _write(self.cache_file, k, res.best)
                    self.measured += 1
                finally:
                    _TURN.release()
        except Exception:  # a background measurement that fails only leaves the cache as it is
            return

    def stop(self) -> None:
        """Stop, waiting for a measurement under way (a fraction of a second) to end."""
        self.stopped = True
        self.thread.join()

    def join(self, timeout: float | None = None) -> None:
        self.thread.join(timeout)


# Held by a grade for its whole run and by a background measurement for each child: a
# measurement waits for the grade, a grade for the measurement under way.
_TURN = threading.Lock()
_background: list[Prefetch] = []


def prefetch(exo, limits: sandbox.Limits, cache_dir: Path | None) -> Prefetch | None:
    """Measure `exo`'s reference in the background unless its time is cached already (see
    Prefetch), between this process's grades, until `stop_background()`."""
    if cache_dir is None:
        return None
    p = Prefetch(exo, limits, cache_dir)
    _background[:] = [b for b in _background if b.thread.is_alive()] + [p]
    return p


def stop_background() -> None:
    """Stop every background measurement of this process (on leaving the drill)."""
    while _background:
        _background.pop().stop()


def grading():
    """Held around a grade: no background measurement runs during it."""
    return _TURN


def key(exo, case, limits: sandbox.Limits) -> str:
    """Everything the reference's time depends on, hashed."""
    h = hashlib.sha256()
    for part in (exo.id, case.name, case.fn, prepcli.__version__, np.__version__, sys.version,
                 platform.machine(), _cpu_model(), os.cpu_count(),
                 sorted(sandbox.TIMING_ENV.items()), limits.timing_repeats,
                 limits.timing_repeat_seconds, limits.memory_bytes):
        h.update(repr(part).encode() + b"\0")
    for f in sorted({*_CATALOG.glob("*.py"), Path(sys.modules[case.reference.__module__].__file__),
                     sandbox.RUNNER}):
        h.update(f.read_bytes())
    for v in list(case.args) + sorted(case.kwargs.items()):
        if isinstance(v, np.ndarray):
            h.update(f"{v.dtype.str}{v.shape}".encode())
            h.update(np.ascontiguousarray(v).data)
        else:
            h.update(repr(v).encode())
    return h.hexdigest()[:32]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(("model name", "Model", "Hardware")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _read(path: Path) -> dict[str, tuple[float, int]]:
    """key -> (best time, measurements so far); a missing or damaged file or entry is as if
    never measured."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: (float(v[0]), v[1]) for k, v in data.items()
            if isinstance(v, list) and len(v) == 2 and type(v[0]) in (int, float)
            and 0 < v[0] < 3600 and type(v[1]) is int and v[1] > 0}


def _write(path: Path, k: str, seconds: float) -> None:
    """Add one measurement to the cache (written to a temporary file, then renamed over it).
    A cache that cannot be written only means measuring again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = _read(path)
        best, samples = data.get(k, (seconds, 0))
        data[k] = (min(best, seconds), samples + 1)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
