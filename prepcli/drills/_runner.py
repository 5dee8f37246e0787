"""The sandbox child: imports the user's file and calls its functions on the case inputs.

Run by prepcli.drills.sandbox as `python -I [-S] _runner.py CONFIG INDICES`. It never sees an
expected output. CONFIG (JSON, written by the parent) names the input directory, the user
file's copy, the result fd and the limits; INDICES are the cases to run, comma-separated, or
`*` for all of them: a child started before the cases exist, which reads them (manifest.json,
inputs.bin) once the parent writes a byte on its stdin.

It reports over its own pipe: frames of one JSON header line, then `nbytes` raw bytes (the
arrays, as their bytes; never a pickle, never a file path). After every call it sends back the
raw bytes of every input array, so the PARENT decides whether the code changed its inputs. What
a report is made of (those bytes, the times) is taken inside one C call around the user's call,
with C functions bound before the user's code is imported: the user's code, which can reach this
process's frames, closures and builtins, finds nothing there to change (see main). It can still
write frames of its own on the pipe: the parent trusts nothing it receives, and validates every
frame.

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
# Every system call of another ABI fails with ENOSYS: on x86-64 the 32-bit entry (`int 0x80`,
# audit arch i386, where fork is 2) and the x32 numbers (bit 30 set, same arch as x86-64); a
# filter that looked at x86-64 numbers only let those through.
# machine: (audit arch, clone, fork, vfork, clone3, first number of another ABI or 0,
#           memfd, SysV IPC and mq_open calls, the calls of the ways out)
_ARCH = {"x86_64": (0xC000003E, 56, 57, 58, 435, 0x40000000,
                    (29, 30, 31, 64, 65, 66, 67, 68, 69, 70, 71, 220, 319, 447, 240),
                    (272, 308, 165, 166, 155, 41, 53, 425, 426, 427, 428, 429, 430, 431, 432,
                     433, 442, 321, 323, 298, 101, 310, 311, 248, 249, 250)),
         "aarch64": (0xC00000B7, 220, -1, -1, 435, 0,
                     (186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 279, 447,
                      180),
                     (97, 268, 40, 39, 41, 198, 199, 425, 426, 427, 428, 429, 430, 431, 432,
                      433, 442, 280, 282, 241, 117, 270, 271, 217, 218, 219))}
# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME
_NEW_NAMESPACE = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | \
    0x20000000 | 0x40000000 | 0x00000080


def _filter(arch: tuple, processes: bool) -> list[bytes]:
    """The BPF program for one architecture (a list of 8-byte instructions); `processes`:
    whether new processes (and threads) are allowed."""
    audit, clone, fork, vfork, clone3, foreign, memory, ways_out = arch
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
    prog += [jump(jeq, clone3, 0, 1), stmt(ret, enosys)]
    if not processes:
        prog += [jump(jeq, fork, 2, 0), jump(jeq, vfork, 1, 0), jump(jeq, clone, 0, 1),
                 stmt(ret, eagain)]
    else:
        prog += [jump(jeq, clone, 0, 3),
                 stmt(ld, 16), jump(jset, _NEW_NAMESPACE, 0, 1), stmt(ret, eperm)]
    return prog + [stmt(ret, allow)]


def _seccomp(processes: bool) -> bool:
    import ctypes
    import platform

    arch = _ARCH.get(platform.machine())
    if arch is None:
        return False
    prog = _filter(arch, processes)
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
    write, dumps, perf, type_, issubclass_, ndarray = (
        os.write, json.dumps, time.perf_counter, type, issubclass, np.ndarray)
    asarray, as_base, to_bytes = np.asarray, ndarray.view, ndarray.tobytes
    # (NumPy's own scalar types: a subclass of one could run code of its own when converted)
    scalars = frozenset(t for t in np.sctypeDict.values() if issubclass(t, np.generic))
    max_blob = cfg["result_bytes"]

    def send(event: dict, blobs=()) -> None:
        event["blobs"] = [len(b) for b in blobs]
        data = (dumps(event) + "\n").encode()
        for part in (data, *blobs):
            view = memoryview(part)
            while view:
                view = view[write(fd, view):]

    _seccomp(processes=cfg["processes"] > 0)
    if cfg["processes"] > 0:
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
        # By type(), not isinstance(): an object whose `__class__` says ndarray passed, and
        # its __array__ then did the user's work here, after the clock stopped (0.0 ms) and
        # after the inputs were copied (their change in place unseen). A real array's view as
        # a plain ndarray runs no code of a subclass.
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

    # --- what a case's report is made of, out of the user's reach -------------------------
    # User code runs in this interpreter: through sys._getframe(1) it reads every variable of
    # this function and changes whatever mutable object they hold (a list, a dict, a closure's
    # cells, a function's __code__, builtins, json's classes); a tracer it sets rewrites this
    # frame's variables. So a case's report is built only from C callables bound here (`kit`,
    # a tuple, unpacked into plain variables that no nested function uses: no cells), and each
    # call of the user's function is made inside ONE C call, tuple(starmap(call, steps)), whose
    # steps are fixed before it runs: the clock, the user's function, the clock, switching off
    # any tracer or profiler it set, then copies of the input arrays as they are after the
    # call. Their results come back in a tuple that no user code ever sees; what was on this
    # frame's stack (kit, the arrays) is taken back from there after every call. Before, the
    # inputs sent back were read from the runner's own `args` list, and the times kept in a
    # `times` list: user code swapped in clean copies of its inputs, or added 1e-9 s.
    import functools
    import gc
    import itertools
    import operator

    try:  # json's C encoder: json.dumps goes through classes user code can patch
        k_enc = json.encoder.c_make_encoder(None, None, json.encoder.c_encode_basestring_ascii,
                                            None, ": ", ", ", False, False, True)
    except (AttributeError, TypeError):  # (not CPython: json.dumps, patchable)
        k_enc = None

    def k_enc_py(obj, _level):
        return (json.dumps(obj),)

    def guard(catch, f, *a):
        """(True, f(*a)), or (False, the exception): an exception does not cut a pipeline
        short (its later steps switch off what user code set). No globals, no cells."""
        try:
            return True, f(*a)
        except catch as e:
            return False, e

    def describe(outcome, blobs, enc, join, user_file=user_file) -> tuple:
        """(kind, JSON text of the fields): the result's description (its arrays' bytes
        appended to `blobs`) or the exception's (this may run user code: __str__)."""
        ok, value = outcome
        if ok:
            return "ok", join(enc({"output": encode(value, blobs)}, 0))
        if isinstance(value, NotImplementedError):
            return "not_implemented", "{}"
        if isinstance(value, SystemExit):
            return "exit", join(enc({"code": str(value.code)[:200],
                                     "traceback": _user_traceback(value, user_file)}, 0))
        return "error", join(enc({"traceback": _user_traceback(value, user_file),
                                  "exception": type(value).__name__[:200]}, 0))

    kit = (perf, tuple, map, itertools.starmap, getattr(operator, "call", None),
           functools.partial, sys.setprofile, sys.settrace, gc.callbacks.clear, gc.disable,
           gc.enable, operator.attrgetter("dtype.str", "shape"), ndarray.tobytes, np.ndarray,
           type, len, list, min, sum, memoryview, os.write, fd, k_enc or k_enc_py, "".join,
           bool(cfg.get("times_only")), describe, str, bytes, guard, guard.__code__,
           BaseException, MemoryError)
    (k_perf, k_tuple, k_map, k_starmap, k_call, k_partial, k_setprofile, k_settrace, k_gc_clear,
     k_gc_off, k_gc_on, k_meta, k_raw, k_ndarray, k_type, k_len, k_list, k_min, k_sum,
     k_memoryview, k_write, k_fd, k_enc, k_join, k_times_only, k_describe, k_str, k_bytes,
     k_guard, k_guard_code, k_base, k_memory_error) = kit
    if k_call is None:  # Python < 3.11 has no operator.call (3.11 is the oldest supported)
        raise RuntimeError("operator.call is needed")

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
    indices = tuple(range(len(cases)) if sys.argv[2] == "*"
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

    hold, kept, value = manifest.get("hold"), [], None
    for index in indices:
        case = cases[index]
        send({"event": "start", "index": index})
        fn = getattr(module, case["fn"], None)
        if not callable(fn):
            send({"event": "case", "index": index, "status": "missing"})
            continue
        repeat, repeat_seconds = case.get("repeat", 1), case.get("repeat_seconds", 0.0)
        if case.get("repeat") and hold:
            if not os.read(0, 1):  # timing waits until the parent says nothing else runs
                return
            hold = False
        args = tuple([load(a) for a in case["args"]])
        kwargs = {k: load(v) for k, v in case["kwargs"].items()}
        callee = k_partial(fn, **kwargs) if kwargs else fn
        arrays = ()  # the input arrays, in the parent's order (positional, then keyword)
        for a in (*args, *kwargs.values()):
            if k_type(a) is k_ndarray:
                arrays += (a,)
        a = kwargs = case = None
        times, outcome, snap, seconds = (), (True, None), ((), ()), None
        # What user code made (results, exceptions) is kept until its next call: freed here,
        # it could run a finalizer (__del__) while a report is being made.
        # The timing case: the best of up to N calls, no call started that would (at the best
        # time so far) take them past `repeat_seconds` in all; the reference is timed by the
        # same rule. The inputs sent are those after the last call; an exception ends it.
        while outcome[0] and (not times or (k_len(times) < repeat
                                             and k_sum(times) + k_min(times) < repeat_seconds)):
            if (k_guard.__code__ is not k_guard_code or k_guard.__defaults__ is not None
                    or k_guard.__kwdefaults__ is not None):
                return  # changed by user code: no report (for the parent: exited, a fail)
            got = (kit, arrays, times, outcome, k_tuple(k_starmap(k_call, (
                (kept.clear,), (k_gc_on,), (k_perf,), (k_guard, k_base, callee, *args), (k_perf,),
                (k_setprofile, None), (k_settrace, None), (k_gc_clear,), (k_gc_off,),
                (k_tuple, k_map(k_meta, arrays)), (k_tuple, k_map(k_raw, arrays))))))
            kit, arrays, times, outcome, run = got
            kept.append(run)
            seconds = run[4] - run[2]
            if not times or not run[3][0]:  # the first call's result, or the exception
                outcome = run[3]
            if run[3][0]:
                times += (seconds,)
            snap, run = run[9:], None
        kind, fields, out_blobs = "ok" if outcome[0] else "error", "{}", ()
        if not k_times_only:  # (the grader's own reference, timed: only its times matter)
            # The description, by Python code that user code can patch (changing only its
            # own output) or that runs its code (an exception's __str__): none of the report
            # exists yet, and what it sets is switched off before this function goes on.
            out_blobs = []
            got = (kit, arrays, times, snap, outcome, seconds, out_blobs,
                   k_tuple(k_starmap(k_call, (
                       (k_guard, k_base, k_describe, outcome, out_blobs, k_enc, k_join),
                       (k_setprofile, None), (k_settrace, None), (k_gc_clear,), (k_gc_off,)))))
            kit, arrays, times, snap, outcome, seconds, out_blobs, run = got
            kept.append((out_blobs, run))
            out_blobs, described, run, got = k_tuple(out_blobs), run[0], None, None
            if not described[0]:
                kind, out_blobs = "error", ()
                if k_type(described[1]) is k_memory_error:
                    fields = ('{"exception": "MemoryError", '
                              '"traceback": "MemoryError while sending the result"}')
            elif k_type(described[1]) is k_tuple and k_len(described[1]) == 2:
                kind, fields = described[1]
            else:
                kind = None
            for b in out_blobs:
                if k_type(b) is not k_bytes:
                    kind = None
            if (k_type(kind) is not k_str or k_type(fields) is not k_str
                    or fields[:1] != "{" or fields[-1:] != "}"):
                kind, fields = "error", "{}"
            # The status is one of these constants, and a pass needs the call to have returned
            if outcome[0]:
                kind = "ok" if kind == "ok" else "error"
            else:
                kind = ("not_implemented" if kind == "not_implemented"
                        else "exit" if kind == "exit" else "error")
            if kind != "ok":
                out_blobs = ()
        # The report: the times, the inputs as they were right after the last call (snap),
        # the description's fields. The header is ours alone (plain types: encoding it runs
        # no user code), and it comes AFTER the description's fields, whose text user code
        # may have made: JSON keeps the last of a repeated key, and a text that leaves a
        # bracket or a string open makes the whole frame invalid (a corrupted channel).
        metas, raws = snap
        if k_len(metas) != k_len(arrays) or k_len(raws) != k_len(arrays) or k_times_only:
            raws = ()  # (or a copy went missing: user code emptied an iterator)
        head = {"event": "case", "index": index, "status": kind,
                "seconds": times[0] if times else seconds,
                "best": k_min(times) if times else None, "inputs": []}
        parts, i = out_blobs + raws, k_len(out_blobs)
        for dtype_shape in metas[:k_len(raws)]:
            head["inputs"].append([dtype_shape[0], k_list(dtype_shape[1]), i])
            i += 1
        sizes = []
        for b in parts:
            sizes.append(k_len(b))
        head["blobs"] = sizes
        text = k_join(k_enc(head, 0))
        if fields != "{}":
            text = k_join((fields[:-1], ", ", text[1:]))
        for part in (k_join((text, "\n")).encode(), *parts):
            view = k_memoryview(part)
            while view:
                view = view[k_write(k_fd, view):]
        head = parts = snap = raws = metas = out_blobs = fields = text = view = part = None
    send({"event": "done"})
    gc.enable()


if __name__ == "__main__":
    main()
