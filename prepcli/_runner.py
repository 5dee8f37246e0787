"""The sandbox child: imports the user's file and calls its functions on the case inputs.

Run by prepcli.sandbox as `python -I _runner.py IO_DIR USER_FILE START`. It never sees an
expected output. It reports over its own pipe (fd in PREP_RESULT_FD, read once at start):
one JSON line per event; outputs go to IO_DIR as .npy (allow_pickle=False). Whatever the
user's code prints goes to stdout/stderr, which the grader only shows, never parses.

This file must not import prepcli (nothing of the grader is loaded in the child).
"""

import errno
import importlib.abc
import importlib.util
import json
import os
import sys
import time
import traceback


class _NoGrader(importlib.abc.MetaPathFinder):
    """Refuses `import prepcli...` in the child: the reference kernels are not for user code."""

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


def main() -> None:
    io_dir, user_file, start = sys.argv[1], os.path.abspath(sys.argv[2]), int(sys.argv[3])
    fd = int(os.environ.pop("PREP_RESULT_FD"))
    sys.dont_write_bytecode = True  # no __pycache__ beside the user's file
    sys.meta_path.insert(0, _NoGrader())

    def send(event: dict) -> None:
        data = (json.dumps(event) + "\n").encode()
        while data:
            data = data[os.write(fd, data):]

    import numpy as np

    def load(spec):
        kind = spec["kind"]
        if kind == "npy":
            return np.load(os.path.join(io_dir, spec["file"]), allow_pickle=False)
        if kind == "tuple":
            return tuple(spec["value"])
        return spec["value"]

    def encode(value, name: str, depth: int = 0):
        if isinstance(value, np.ndarray):
            if value.dtype == object:
                return {"kind": "object_array", "shape": list(value.shape)}
            np.save(os.path.join(io_dir, name), value, allow_pickle=False)
            return {"kind": "ndarray", "file": name + ".npy"}
        if value is None:
            return {"kind": "none"}
        if isinstance(value, (tuple, list)):
            out = {"kind": type(value).__name__, "len": len(value)}
            if depth == 0 and len(value) <= 8:
                out["items"] = [encode(v, f"{name}_{i}", 1) for i, v in enumerate(value)]
            return out
        if isinstance(value, (bool, int, float, np.generic)):
            return {"kind": "scalar", "type": type(value).__name__}
        return {"kind": "other", "type": type(value).__name__}

    with open(os.path.join(io_dir, "manifest.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]

    try:
        spec = importlib.util.spec_from_file_location("solution", user_file)
        module = importlib.util.module_from_spec(spec)
        sys.modules["solution"] = module
        spec.loader.exec_module(module)
    except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
        send({"event": "import_error", "traceback": _user_traceback(e, user_file)})
        return
    send({"event": "ready"})

    for index in range(start, len(cases)):
        case = cases[index]
        send({"event": "start", "index": index})
        result = {"event": "case", "index": index}
        fn = getattr(module, case["fn"], None)
        if not callable(fn):
            result.update(status="missing")
            send(result)
            continue
        args = [load(a) for a in case["args"]]
        kwargs = {k: load(v) for k, v in case["kwargs"].items()}
        before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
        t0 = time.perf_counter()
        try:
            value = fn(*args, **kwargs)
            result["status"] = "ok"
        except NotImplementedError:
            result["status"] = "not_implemented"
        except SystemExit as e:
            result.update(status="exit", code=str(e.code),
                          traceback=_user_traceback(e, user_file))
        except OSError as e:
            # Python ignores SIGXFSZ: past the file-size limit a write fails with EFBIG.
            status = "output_limit" if e.errno == errno.EFBIG else "error"
            result.update(status=status, traceback=_user_traceback(e, user_file),
                          exception=type(e).__name__)
        except BaseException as e:  # noqa: BLE001
            result.update(status="error", traceback=_user_traceback(e, user_file),
                          exception=type(e).__name__)
        result["seconds"] = time.perf_counter() - t0
        result["mutated"] = [
            name for name, a, b in zip(case["arg_names"], args, before)
            if b is not None and not (a.shape == b.shape and np.array_equal(
                a, b, equal_nan=a.dtype.kind in "fc"))]
        if result["status"] == "ok":
            try:
                result["output"] = encode(value, f"out{index}")
            except OSError as e:  # e.g. the file-size limit while saving a huge result
                result.update(status="output_limit" if e.errno == errno.EFBIG else "error",
                              traceback=f"could not save the result: {e}")
        send(result)
    send({"event": "done"})


if __name__ == "__main__":
    main()
