"""The sandbox child: imports the user's file and calls its functions on the case inputs.

Run by prepcli.drills.sandbox as `python -I [-S] _runner.py CONFIG INDICES`. It never sees an
expected output. CONFIG (JSON, written by the parent) names the input directory, the user
file's copy, the result fd and the limits; INDICES are the cases to run, comma-separated, or
`*` for all of them: a child started before the cases exist, which reads them (manifest.json,
inputs.bin) once the parent writes a byte on its stdin.

It reports over its own pipe: frames of one JSON header line, then `nbytes` raw bytes (the
arrays, as their bytes; never a pickle, never a file path). After every call it sends back the
raw bytes of every input array, so the PARENT decides whether the code changed its inputs. The
functions used for that are bound before the user's code is imported (patching NumPy or this
module's globals changes nothing). The parent still trusts nothing it receives: every frame is
validated there.

This file must not import prepcli (nothing of the grader is loaded in the child).
"""

import importlib.abc
import importlib.util
import json
import os
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


# --- no new processes: a seccomp filter (classic BPF) ----------------------------------------
# fork/vfork and clone without CLONE_THREAD fail with EAGAIN (as at a pids limit); clone3 gives
# ENOSYS so the C library falls back to clone. Threads (NumPy's BLAS pool) still work.
_ARCH = {"x86_64": (0xC000003E, 56, 57, 58, 435), "aarch64": (0xC00000B7, 220, -1, -1, 435)}


def _no_new_processes() -> bool:
    import ctypes
    import platform

    arch = _ARCH.get(platform.machine())
    if arch is None:
        return False
    audit, clone, fork, vfork, clone3 = arch
    allow, eagain, enosys = 0x7FFF0000, 0x00050000 | 11, 0x00050000 | 38

    def stmt(code, k):
        return struct.pack("HBBI", code, 0, 0, k & 0xFFFFFFFF)

    def jump(code, k, jt, jf):
        return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)

    ld, jeq, jset, ret = 0x20, 0x15, 0x45, 0x06
    prog = [stmt(ld, 4), jump(jeq, audit, 1, 0), stmt(ret, allow),
            stmt(ld, 0),
            jump(jeq, clone3, 0, 1), stmt(ret, enosys),
            jump(jeq, fork, 2, 0), jump(jeq, vfork, 1, 0), jump(jeq, clone, 1, 4),
            stmt(ret, eagain),
            stmt(ld, 16), jump(jset, 0x00010000, 1, 0), stmt(ret, eagain),  # CLONE_THREAD
            stmt(ret, allow)]
    buf = ctypes.create_string_buffer(b"".join(prog))

    class Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    fprog = Prog(len(prog), ctypes.cast(buf, ctypes.c_void_p))
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    return libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) == 0  # PR_SET_SECCOMP, FILTER


def _subreaper() -> None:
    """Orphans of the user's code are re-parented here, where the parent's sweep finds them
    (only needed without a PID namespace)."""
    import ctypes

    try:
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except OSError:
        pass


def main() -> None:  # noqa: C901 - one straight sequence, kept in one place on purpose
    with open(sys.argv[1], encoding="utf-8") as f:
        cfg = json.load(f)
    fd, in_dir, user_file = cfg["fd"], cfg["in_dir"], cfg["user_file"]
    sys.dont_write_bytecode = True  # no __pycache__ anywhere
    for p in cfg.get("path", []):
        sys.path.insert(0, p)

    import resource

    import numpy as np

    # Everything the protocol needs, bound now: later changes by user code do not reach here.
    write, dumps, perf, isinstance_, ndarray, generic = (
        os.write, json.dumps, time.perf_counter, isinstance, np.ndarray, np.generic)
    asarray, to_bytes = np.asarray, ndarray.tobytes
    max_blob = cfg["result_bytes"]

    def send(event: dict, blobs=()) -> None:
        event["blobs"] = [len(b) for b in blobs]
        data = (dumps(event) + "\n").encode()
        for part in (data, *blobs):
            view = memoryview(part)
            while view:
                view = view[write(fd, view):]

    if cfg["processes"] == 0:
        _no_new_processes()
    else:
        resource.setrlimit(resource.RLIMIT_NPROC, (cfg["processes"], cfg["processes"]))
    if cfg["subreaper"]:
        _subreaper()
    if cfg["guard"]:
        sys.meta_path.insert(0, _NoGrader())

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
        if isinstance_(value, ndarray):
            return array_spec(asarray(value), blobs)
        if isinstance_(value, generic):
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

    # Bound now too: the inputs are read after the user's file is imported.
    open_, join, loads = open, os.path.join, json.loads
    frombuffer, np_dtype = np.frombuffer, np.dtype

    def read(name):
        with open_(join(in_dir, name), "rb") as f:
            return f.read()

    # Started ahead of the grade (a drill, while the user writes): the file is there once
    # the parent says so.
    if cfg.get("await_file") and not os.read(0, 1):
        return
    try:
        spec = importlib.util.spec_from_file_location("solution", user_file)
        module = importlib.util.module_from_spec(spec)
        sys.modules["solution"] = module
        spec.loader.exec_module(module)
    except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
        send({"event": "import_error", "traceback": _user_traceback(e, user_file)})
        return
    send({"event": "ready"})
    # Started before the cases existed: they are there once the parent says so.
    if cfg.get("await_inputs") and not os.read(0, 1):
        return
    if cfg.get("gate") and not os.read(0, 1):  # held until the parent says go (or gives up)
        return
    raw, manifest = read("inputs.bin"), loads(read("manifest.json"))
    cases = manifest["cases"]
    indices = (range(len(cases)) if sys.argv[2] == "*"
               else [int(i) for i in sys.argv[2].split(",") if i])

    def load(spec):
        kind = spec["kind"]
        if kind == "raw":
            dtype = np_dtype(spec["dtype"])
            count = 1
            for n in spec["shape"]:
                count *= n
            return frombuffer(raw, dtype, count, spec["offset"]).reshape(spec["shape"]).copy()
        if kind in ("tuple", "list"):
            items = [load(s) for s in spec["items"]]
            return tuple(items) if kind == "tuple" else items
        return spec["value"]

    hold = manifest.get("hold")
    for index in indices:
        case = cases[index]
        send({"event": "start", "index": index})
        result = {"event": "case", "index": index}
        fn = getattr(module, case["fn"], None)
        if not callable(fn):
            result.update(status="missing")
            send(result)
            continue
        if case.get("repeat") and hold:
            if not os.read(0, 1):  # timing waits until the parent says nothing else runs
                return
            hold = False
        args = [load(a) for a in case["args"]]
        kwargs = {k: load(v) for k, v in case["kwargs"].items()}
        value, times = None, []
        t0 = perf()
        try:
            value = fn(*args, **kwargs)
            times.append(perf() - t0)
            result["status"] = "ok"
            # The timing case: the best of up to N calls, no call started that would (at the
            # best time so far) take them past `repeat_seconds` in all; the reference is
            # timed by the same rule.
            while (len(times) < case.get("repeat", 1)
                   and sum(times) + min(times) < case["repeat_seconds"]):
                t1 = perf()
                fn(*args, **kwargs)
                times.append(perf() - t1)
        except NotImplementedError:
            result["status"] = "not_implemented"
        except SystemExit as e:
            result.update(status="exit", code=str(e.code)[:200],
                          traceback=_user_traceback(e, user_file))
        except BaseException as e:  # noqa: BLE001
            result.update(status="error", traceback=_user_traceback(e, user_file),
                          exception=type(e).__name__)
        result["seconds"] = times[0] if times else perf() - t0
        result["best"] = min(times) if times else None
        blobs = []
        # Input arrays as they are now, for the parent to compare with what it sent.
        result["inputs"] = []
        if cfg.get("times_only"):  # the grader's own reference, timed: only its times matter
            value = None
            send(result)
            continue
        for a in list(args) + list(kwargs.values()):
            if isinstance_(a, ndarray):  # shape and dtype too: `x.shape = ...` changes x
                result["inputs"].append([a.dtype.str, list(a.shape), len(blobs)])
                blobs.append(to_bytes(a, "C"))
        if result["status"] == "ok":
            try:
                result["output"] = encode(value, blobs)
            except MemoryError:
                result.update(status="error", exception="MemoryError",
                              traceback="MemoryError while sending the result")
        value = None
        send(result, blobs)
    send({"event": "done"})


if __name__ == "__main__":
    main()
