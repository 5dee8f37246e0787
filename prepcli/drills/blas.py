"""One BLAS thread in the grading process while it computes expected outputs and variants.

The parent's own NumPy work (the references on every case) runs with OpenBLAS's default pool
of one thread per core. On a busy 2-core machine that pool is much slower than one thread
(attention's timing case: 0.26 s against 0.03 s), and the work overlaps the user's child
anyway. Timing is unaffected: both the user's code and the reference are timed in children
with one BLAS thread (environment variables set at their start).

NumPy's wheels bundle OpenBLAS under a prefixed name; its set/get functions are found in the
libraries this process has loaded. Anything else (MKL, Accelerate, a BLAS without these
functions) is left as it is: only slower, never wrong.
"""

from __future__ import annotations

import ctypes
import functools
from contextlib import contextmanager, nullcontext

_NAMES = ("scipy_openblas{}_num_threads64_", "scipy_openblas{}_num_threads",
          "openblas{}_num_threads64_", "openblas{}_num_threads")


@functools.lru_cache(maxsize=None)
def _functions():
    """(set, get) of the loaded OpenBLAS, or None."""
    import numpy  # noqa: F401 - loads its BLAS, so that it appears in the maps

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower()}
    except OSError:
        return None
    for path in sorted(p for p in paths if p.startswith("/")):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _NAMES:
            setter = getattr(lib, name.format("_set"), None)
            getter = getattr(lib, name.format("_get"), None)
            if setter is not None and getter is not None:
                setter.argtypes, setter.restype = [ctypes.c_int], None
                getter.argtypes, getter.restype = [], ctypes.c_int
                return setter, getter
    return None


def threads() -> int | None:
    """OpenBLAS's thread count now (None: not found)."""
    fns = _functions()
    return fns[1]() if fns else None


@contextmanager
def one_thread(lock=None):
    """OpenBLAS limited to one thread inside, its count restored after. `lock` is held while
    the count changes (the grader's FORK_LOCK: no other thread is inside BLAS then)."""
    fns = _functions()
    if fns is None:
        yield
        return
    setter, getter = fns
    with lock or nullcontext():
        before = getter()
        setter(1)
    try:
        yield
    finally:
        with lock or nullcontext():
            setter(before)
