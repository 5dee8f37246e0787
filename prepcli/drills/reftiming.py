"""The reference's time on an exercise's timing case, for the grader's timing line.

Measured in a child of its own by the same rule, runner, limits and thread count as the
user's code (best of up to N warm calls, one BLAS thread), while nothing else of the grade
runs. Measuring it costs N calls of the reference on every grade (0.4 s on nms), so with a
cache directory it is measured once per machine and kept, under a key made of everything
the time depends on: the exercise, the case and its inputs, the catalog's and the runner's
source, prep's, Python's and NumPy's versions, the CPU model and count, the thread count and
the timing rule. Anything changed is a new key, measured again. The cached time is the best
of the first `SAMPLES` grades' measurements (each itself a best of N), so one grade on a busy
machine does not set it for good; it is used from then on.
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

    def __init__(self, exo, cases, limits: sandbox.Limits, cache_dir: Path | None = None):
        self.gate, self.result, self.thread = sandbox.Gate(), None, None
        self.cached: float | None = None
        self.cache_file = self.key = None
        case = next((c for c in cases if c.category == "timing"), None)
        fn = case.reference if case is not None else None
        module = sys.modules.get(getattr(fn, "__module__", None) or "")
        if module is None or getattr(module, fn.__name__, None) is not fn:
            return  # no timing case, or a reference not importable by name: no comparison
        if cache_dir is not None:
            self.cache_file, self.key = Path(cache_dir) / CACHE_FILE, key(exo, case, limits)
            seconds, samples = _read(self.cache_file).get(self.key, (None, 0))
            if samples >= SAMPLES:
                self.cached = seconds
                return
        source = f"from {fn.__module__} import {fn.__name__} as {case.fn}\n".encode()
        # Warm, as the user's code is by its earlier cases: the function's first case first.
        warm = next(c for c in cases + [case] if c.fn == case.fn)
        run = [warm, case] if warm is not case else [case]

        def work():
            try:
                self.result = sandbox.run(source, "reference.py", run, limits,
                                          trusted=True, gate=self.gate).cases.get(len(run) - 1)
            except Exception:  # no timing line rather than a failed grade
                self.result = None
            finally:
                self.gate.spawned.set()
                self.gate.ready.set()
        self.thread = threading.Thread(target=work, daemon=True)
        self.thread.start()
        self.gate.spawned.wait(timeout=20)  # started before this process computes (FORK_LOCK)

    @property
    def ready(self):
        """Set when the reference's child waits at its gate (None: no child to wait for)."""
        return self.gate.ready if self.thread is not None else None

    def seconds(self) -> float | None:
        if self.cached is not None:
            return self.cached
        if self.thread is None:
            return None
        self.gate.open()
        self.thread.join()
        self.thread = None
        ref = self.result
        if ref is None or ref.status != "ok" or ref.best is None:
            return None
        if self.cache_file is not None:
            _write(self.cache_file, self.key, ref.best)
        return ref.best

    def cancel(self) -> None:
        if self.thread is not None:
            self.gate.cancel()
            self.thread.join()
            self.thread = None


def key(exo, case, limits: sandbox.Limits) -> str:
    """Everything the reference's time depends on, hashed."""
    h = hashlib.sha256()
    for part in (exo.id, case.name, case.fn, prepcli.__version__, np.__version__, sys.version,
                 platform.machine(), _cpu_model(), os.cpu_count(), "one BLAS thread",
                 limits.timing_repeats, limits.timing_repeat_seconds, limits.memory_bytes):
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
