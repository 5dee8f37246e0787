"""Grading a user's exercise file: cases in, verdicts out, as data.

A failing exercise is a normal result (a report with exit code 1), not an error. Only a usage
problem (no such file, an exercise that cannot be identified) raises PrepError.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from prepcli import sandbox
from prepcli.catalog import EXERCISES
from prepcli.errors import PrepError

RTOL, ATOL = 1e-6, 1e-8
_MARK = re.compile(r"^#\s*exercise:\s*([A-Za-z0-9_-]+)\s*$")


def identify(path: Path) -> str:
    """The exercise a file is for: its name (nms.py), or a first line `# exercise: nms`."""
    if not path.is_file():
        raise PrepError("no such file", file=str(path))
    if path.stem in EXERCISES:
        return path.stem
    try:
        first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=str(path)) from None
    m = _MARK.match(first.strip())
    if m and m.group(1) in EXERCISES:
        return m.group(1)
    known = ", ".join(sorted(EXERCISES))
    if m:
        raise PrepError(f"unknown exercise {m.group(1)!r} (known: {known})", file=str(path),
                        line=1)
    raise PrepError(f"cannot tell which exercise this is: name the file <id>.py or make its "
                    f"first line `# exercise: <id>` (ids: {known})", file=str(path))


@dataclass
class CaseReport:
    name: str
    part: str
    category: str
    status: str  # pass, fail, error, timeout, not implemented
    seconds: float | None = None
    reason: str = ""


@dataclass
class Failure:
    case: str
    part: str
    inputs: str
    problem: list[str]
    variant: str = ""
    traceback: str = ""


@dataclass
class Report:
    exercise: str
    file: str
    file_hash: str
    parts: dict[str, str]  # part -> pass / fail / not implemented
    cases: list[CaseReport]
    first_failure: Failure | None = None
    timing: dict | None = None
    import_error: str = ""
    stdout: str = ""
    stderr: str = ""
    limits: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def implemented(self) -> list[str]:
        return [p for p, s in self.parts.items() if s != "not implemented"]

    @property
    def passed(self) -> bool:
        """Every implemented part passes, and at least one is implemented."""
        impl = self.implemented
        return bool(impl) and all(self.parts[p] == "pass" for p in impl)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    @property
    def cases_passed(self) -> int:
        return sum(1 for c in self.cases if c.status == "pass")

    @property
    def parts_passed(self) -> int:
        return sum(1 for s in self.parts.values() if s == "pass")

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(passed=self.passed, exit_code=self.exit_code, cases_passed=self.cases_passed,
                 cases_total=len(self.cases), parts_passed=self.parts_passed,
                 parts_total=len(self.parts))
        return d


def grade(path: Path, limits: sandbox.Limits = sandbox.Limits(), progress=None,
          exercise: str | None = None) -> Report:
    ex = exercise or identify(path)
    exo = EXERCISES[ex]
    started = time.perf_counter()
    cases = exo.cases()
    run = sandbox.run(path, cases, limits, progress)
    parts = list(dict.fromkeys(c.part for c in cases))
    reports: list[CaseReport] = []
    first: Failure | None = None
    for i, case in enumerate(cases):
        res = run.cases.get(i)
        status, reason, problem = _verdict(exo, case, res, run.import_error, limits)
        reports.append(CaseReport(case.name, case.part, case.category, status,
                                  res.seconds if res else None, reason))
        if first is None and status in ("fail", "error", "timeout"):
            first = Failure(case.name, case.part, case.describe_inputs(), problem,
                            _variant(exo, i, cases, run) if status == "fail" else "",
                            res.traceback if res else "")
    part_status = {}
    for p in parts:
        mine = [r for r in reports if r.part == p]
        if all(r.status == "not implemented" for r in mine):
            part_status[p] = "not implemented"
        elif all(r.status == "pass" for r in mine):
            part_status[p] = "pass"
        else:
            part_status[p] = "fail"
    report = Report(ex, str(path), hashlib.sha256(path.read_bytes()).hexdigest()[:16],
                    part_status, reports, first, _timing(cases, run), run.import_error,
                    run.stdout, run.stderr, limits.describe())
    if run.import_error:
        report.first_failure = Failure("importing the file", "", "", [], "", run.import_error)
    report.seconds = time.perf_counter() - started
    return report


def _verdict(exo, case, res, import_error, limits) -> tuple[str, str, list[str]]:
    if import_error:
        return "error", "the file could not be imported", []
    if res is None:
        return "error", "not run", []
    if res.status == "not_implemented":
        return "not implemented", "", []
    if res.status == "missing":
        return "error", f"no function {case.fn}() in the file", [f"define {case.fn}()"]
    if res.status == "timeout":
        return "timeout", res.message, [res.message]
    if res.status in ("killed", "skipped"):
        return "error", res.message, [res.message]
    if res.status == "output_limit":
        msg = (f"output limit ({limits.output_bytes >> 20} MiB) exceeded (printing in a loop, "
               "or a huge result?)")
        return "error", msg, [msg]
    if res.status == "exit":
        return "error", res.message, [f"{res.message}: return a result instead"]
    if res.status == "error":
        return "error", res.exception or "exception", [f"raised {res.exception or 'an error'}"]
    if res.mutated:
        names = ", ".join(res.mutated)
        return "fail", f"modified its input {names}", [
            f"modified the input argument(s) {names}: work on a copy"]
    problem = check(case.expected(), res.output, case.exact, exo.outputs.get(case.fn, ()))
    if problem:
        return "fail", problem[0], problem
    return "pass", "", []


def _variant(exo, failed: int, cases, run) -> str:
    """The known wrong convention that explains the failure: among the variants that
    reproduce the failing output, the one that reproduces most of this part's outputs (two
    conventions can agree on one case: at IoU = threshold, "+1" areas and ">=" both suppress).
    """
    part = cases[failed].part
    mine = [i for i, c in enumerate(cases) if c.part == part and run.cases.get(i) is not None
            and run.cases[i].status == "ok"]
    best, best_score = "", 0
    names = exo.outputs.get(cases[failed].fn, ())
    for v in exo.variants:
        if not _reproduces(v.compute, cases[failed], run.cases[failed], names):
            continue
        score = sum(1 for i in mine
                    if _reproduces(v.compute, cases[i], run.cases[i], names, cases[i].expected()))
        if score > best_score:
            best, best_score = f"{v.name}. Fix: {v.fix}.", score
    return best


def _reproduces(variant, case, res, names, fallback=None) -> bool:
    """Whether the variant gives what the user's code gave on this case. Where the variant
    does not apply (None), it behaves like the reference (`fallback`)."""
    try:
        out = variant(case)
    except Exception:  # a variant that cannot run on these inputs
        return False
    if out is None:
        out = fallback
    return out is not None and not check(out, res.output, case.exact, names)


def _timing(cases, run) -> dict | None:
    for i, case in enumerate(cases):
        res = run.cases.get(i)
        if case.category != "timing" or res is None or res.status != "ok" or res.seconds is None:
            continue
        ref = min(_time(lambda: case.reference(*case.args, **case.kwargs)) for _ in range(3))
        return {"case": case.name, "yours_s": res.seconds, "reference_s": ref,
                "ratio": res.seconds / ref if ref > 0 else None}
    return None


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# --- comparing --------------------------------------------------------------------------

def _describe(got) -> str:
    if isinstance(got, dict):
        kind = got.get("kind")
        if kind == "none":
            return "None (is a `return` missing?)"
        if kind in ("list", "tuple"):
            return f"a {kind} of {got.get('len')} items"
        if kind == "object_array":
            return "an object array"
        return f"a {got.get('type', kind)}"
    if isinstance(got, (list, tuple)):
        return f"a {type(got).__name__} of {len(got)} items"
    return type(got).__name__


def check(expected, got, exact: bool, names: tuple[str, ...] = ()) -> list[str]:
    """Problems with `got` against `expected` (empty when it passes). `names` name the items
    of a tuple result (`Exercise.outputs`), e.g. batchnorm's (y, new_running_mean, ...)."""
    if isinstance(expected, tuple):
        names = tuple(names) or tuple(f"item {i}" for i in range(len(expected)))
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return [f"expected a tuple of {len(expected)} arrays ({', '.join(names)}), "
                    f"got {_describe(got)}"]
        for name, e, g in zip(names, expected, got):
            problem = check(e, g, exact)
            if problem:
                return [f"{name}: {problem[0]}"] + problem[1:]
        return []
    if not isinstance(got, np.ndarray):
        hint = " (convert with np.asarray)" if isinstance(got, (list, tuple)) or (
            isinstance(got, dict) and got.get("kind") in ("list", "tuple")) else ""
        return [f"expected a NumPy array, got {_describe(got)}{hint}"]
    if got.shape != expected.shape:
        return [f"shape: expected {expected.shape}, got {got.shape}"]
    if expected.dtype.kind == "i" and got.dtype != expected.dtype:
        return [f"dtype: expected {expected.dtype} indices, got {got.dtype}"]
    if expected.dtype.kind == "f" and got.dtype.kind != "f":
        return [f"dtype: expected {expected.dtype}, got {got.dtype}"]
    if expected.dtype.kind == "f" and got.dtype.itemsize < expected.dtype.itemsize:
        return [f"dtype: expected {expected.dtype}, got {got.dtype} (precision is lost)"]
    if expected.size == 0:
        return []
    e = expected.astype(np.float64)
    g = got.astype(np.float64)
    both_nan = np.isnan(e) & np.isnan(g)
    if exact:
        bad = ~((e == g) | both_nan)
    else:
        with np.errstate(invalid="ignore"):
            # An infinite expected value (log_softmax's -inf) matches only itself: its
            # tolerance would be infinite, and inf - inf is NaN.
            close = np.isfinite(e) & (np.abs(g - e) <= ATOL + RTOL * np.abs(e))
            bad = ~(close | (e == g) | both_nan)
    if not bad.any():
        return []
    n = int(bad.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        abs_err = np.where(bad, np.abs(g - e), 0.0)
        rel_err = np.where(bad & (e != 0), abs_err / np.abs(e), 0.0)
    abs_err = np.nan_to_num(abs_err, nan=np.inf)
    worst = np.unravel_index(int(np.argmax(abs_err)), e.shape)
    idx = tuple(int(i) for i in worst)
    lines = [f"values: {n} of {e.size} differ ({100 * n / e.size:.1f}%)"
             + (" (exact comparison)" if exact else f" (rtol {RTOL:g}, atol {ATOL:g})"),
             f"worst at index {idx}: expected {expected[worst]!r}, got {got[worst]!r}",
             f"max abs error {np.max(abs_err):.3g}, max rel error {np.max(rel_err):.3g}"]
    if expected.ndim == 1 and expected.size <= 20:
        lines.append(f"expected {expected.tolist()}")
        lines.append(f"got      {got.tolist()}")
    return lines
