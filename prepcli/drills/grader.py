"""Grading a user's exercise file: cases in, verdicts out, as data.

A failing exercise is a normal result (a report with exit code 1), not an error. Only a usage
problem (no such file, an exercise that cannot be identified) raises PrepError.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from prepcli.drills import blas, reftiming, sandbox
from prepcli.catalog import EXERCISES
from prepcli.errors import PrepError
from prepcli.paths import exercise_file_problem

RTOL, ATOL = 1e-6, 1e-8
_MARK = re.compile(r"^#\s*exercise:\s*([A-Za-z0-9_-]+)\s*$")


def identify(path: Path) -> str:
    """The exercise a file is for: its name (nms.py), or a first line `# exercise: nms`."""
    why = exercise_file_problem(path)  # (read whole, hashed, sent)
    if why:
        raise PrepError(why, file=str(path))
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
    status: str  # pass, fail, error, timeout, not implemented, not run
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
    sandbox: str = ""  # the isolation level in force
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
          exercise: str | None = None, cache_dir: Path | None = None,
          seed: int | None = None, on_verdict=None, box: sandbox.Sandbox | None = None
          ) -> Report:
    """Grade the file at `path`. With `cache_dir`, the reference's time on the timing case
    is measured once per machine and kept there (see `reftiming`). With `seed`, only the
    cases with that seed run (a replay of a failure).

    `on_verdict(report)`: when the reference's time has to be measured (nothing cached), it
    is measured after the user's run, and the report is given to `on_verdict` before that,
    complete but for its timing, so the verdict can be shown without waiting for it; the
    report returned then has the timing too. Not called when there is nothing to wait for.

    `box`: a sandbox started ahead for this file with these `limits` (`Ahead`), which the
    grade takes over and closes."""
    # One BLAS thread for this process's own NumPy work (expected outputs, variants): its
    # default pool is slower on a busy machine, and the timed calls run in children anyway.
    with reftiming.grading(), sandbox.signals_stop_grading(), \
            blas.one_thread(sandbox.FORK_LOCK):
        return _grade(path, limits, progress, exercise, cache_dir, seed, on_verdict, box)


def replayed(exercise: str, seed: int | None) -> list:
    """The exercise's cases, or with `seed` those with that seed (printed with a failure)."""
    cases = EXERCISES[exercise].cases()
    if seed is None:
        return cases
    mine = [c for c in cases if c.seed == seed]
    if not mine:
        raise PrepError(f"no case of {exercise} has seed {seed}: use a seed printed with a "
                        "failure")
    return mine


def _grade(path: Path, limits, progress, exercise, cache_dir, seed, on_verdict, box
           ) -> Report:
    started = time.perf_counter()
    try:
        ex = exercise or identify(path)
        try:  # graded and hashed: the file may change or vanish later
            source = path.read_bytes()
        except OSError as e:
            raise PrepError(f"cannot read: {e.strerror}", file=str(path)) from None
        if box is None:
            box = sandbox.Sandbox(source, path.name, limits)
        else:
            box.give(source)
    except BaseException:
        if box is not None:
            box.close()
        raise
    exo = EXERCISES[ex]
    # The user's child starts first: while it imports NumPy and the file, the cases are
    # made, the reference's timing child starts (unless its time is cached) and the expected
    # outputs are computed in a thread, and the user's cases run meanwhile. The user's
    # timing case waits until the expected outputs are done and the reference's child is
    # ready and idle, and the reference is timed after the user's run: nothing else of the
    # grade runs while either is timed. With `on_verdict`, the reference's child starts
    # only after the user's run (the verdict is shown first).
    timing = expected = None
    try:
        with box:
            cases = replayed(ex, seed)
            timing = reftiming.ReferenceTiming(exo, cases, limits, cache_dir,
                                               later=on_verdict is not None)
            expected = _Expected(cases)
            run = box.run(cases, progress, hold=_AllSet(expected.done, timing.ready))
        if run.import_error:  # no case ran: nothing to compare with
            expected.cancel()
        expected.join()
    except BaseException:
        for stop in (timing, expected):
            if stop is not None:
                stop.cancel()
        raise
    try:  # a signal while the reference is timed: its child is stopped, its files removed
        return _report(ex, exo, path, source, cases, run, limits, timing, seed, started,
                       on_verdict)
    finally:
        timing.cancel()


def _report(ex, exo, path, source, cases, run, limits, timing, seed, started, on_verdict
            ) -> Report:
    """The verdicts of a run, the first failure, the timing (see `grade`)."""
    _point_tracebacks_at(run, path)
    parts = list(dict.fromkeys(c.part for c in cases))
    reports: list[CaseReport] = []
    first: Failure | None = None
    verdicts = _unfinished([_verdict(exo, case, run.cases.get(i), run.import_error, limits)
                            for i, case in enumerate(cases)], cases)
    for i, case in enumerate(cases):
        res = run.cases.get(i)
        status, reason, problem = verdicts[i]
        reports.append(CaseReport(case.name, case.part, case.category, status,
                                  res.seconds if res else None, reason))
        if first is None and status in ("fail", "error", "timeout"):
            first = Failure(case.name, case.part, _inputs(case, path), problem,
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
    report = Report(ex, str(path), hashlib.sha256(source).hexdigest()[:16],
                    part_status, reports, first, None, run.import_error,
                    run.stdout, run.stderr, limits.describe(),
                    sandbox=sandbox.LEVEL_TEXT[run.level])
    if run.import_error:
        report.first_failure = Failure("importing the file", "", "", [], "", run.import_error)
    later = (on_verdict is not None and not run.import_error and timing.pending
             and _timed_case(cases, run, reports) is not None)
    if not run.import_error and not later:
        report.timing = _timing(cases, run, reports, limits, timing)
    not_run = [r.name for r in reports if r.status == "not run"]
    if seed is not None:
        report.notes.append(f"replayed seed {seed}: {len(cases)} of "
                            f"{len(exo.cases())} cases (not recorded as a grade)")
    if not_run:
        report.notes.append(f"{len(not_run)} case(s) not run: the grade's time budget "
                            f"({limits.total_seconds:g} s) ran out: {', '.join(not_run)}")
    report.seconds = time.perf_counter() - started
    if later:
        on_verdict(report)
        report.timing = _timing(cases, run, reports, limits, timing)
    return report


class Ahead:
    """A sandbox started ahead of the next grade of one file (a drill's): while the user
    writes, its child imports NumPy and waits for the file, which the next grade gives it
    (`take`). Started again after each grade (`refill`), in the background, holding the
    grading turn while its child starts (STARTUP_S): neither a grade nor a measurement of
    the reference is timed meanwhile (reftiming.grading)."""

    STARTUP_S = 0.3  # a child's NumPy import on a quiet machine (0.15-0.25 s measured)

    def __init__(self, filename: str, limits: sandbox.Limits):
        self.filename, self.limits = filename, limits
        self.box: sandbox.Sandbox | None = None
        self.closed = False
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._thread: threading.Thread | None = None

    def take(self) -> sandbox.Sandbox | None:
        """The sandbox started ahead, or None (not started yet: the grade starts its own)."""
        with self._lock:
            box, self.box = self.box, None
        return box

    def refill(self) -> None:
        # One thread starts every child ahead, and lives until `close`: a child dies with the
        # thread that started it, not with the process (PR_SET_PDEATHSIG, and bubblewrap's
        # --die-with-parent, are a thread's), and each was started from a thread that ended
        # STARTUP_S later: killed before its grade, which then started its own (the sandbox
        # red team, fault hunt 44).
        with self._lock:
            if self.closed:
                return
            self._wanted.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="prep-ahead",
                                                 daemon=True)
                self._thread.start()

    def _serve(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self.closed:
                return
            self._refill()

    def _refill(self) -> None:
        with reftiming.grading():
            with self._lock:
                if self.box is not None or self.closed:
                    return
                try:
                    self.box = sandbox.Sandbox.waiting(self.filename, self.limits)
                except Exception:  # noqa: BLE001 - the next grade starts its own
                    return
            time.sleep(self.STARTUP_S)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            box, self.box = self.box, None
        self._wanted.set()  # (its thread ends)
        if box is not None:
            box.close()


class _Expected:
    """The expected outputs, computed in a thread while the user's child runs, one case at a
    time under sandbox.FORK_LOCK."""

    def __init__(self, cases):
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.cancelled = False
        self.thread = threading.Thread(target=self._work, args=(cases,), daemon=True)
        self.thread.start()

    def _work(self, cases) -> None:
        try:
            for case in cases:
                if self.cancelled:
                    return
                with sandbox.FORK_LOCK:
                    case.expected()
        except BaseException as e:  # a broken reference: raised in the grading thread
            self.error = e
        finally:
            self.done.set()

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error

    def cancel(self) -> None:
        self.cancelled = True


class _AllSet:
    """Set when every one of its events is (None stands for one that is set)."""

    def __init__(self, *events):
        self.events = [e for e in events if e is not None]

    def is_set(self) -> bool:
        return all(e.is_set() for e in self.events)


def _inputs(case, path: Path) -> str:
    """The failing case's inputs: written out in full up to 400 values per array (60 for a
    random or timing case: shapes are enough), and the seed that replays it exactly."""
    text = case.describe_inputs(60 if case.category in ("random", "timing") else 400)
    if case.seed is not None:
        text += (f"\n(seed {case.seed}: `prep grade {path} --seed {case.seed}` replays this "
                 "case)")
    return text


def _point_tracebacks_at(run, path: Path) -> None:
    """Tracebacks name the graded copy inside the sandbox: show the user's own file."""
    if not run.user_file:
        return
    quoted, mine = f'"{run.user_file}"', f'"{path}"'
    run.import_error = run.import_error.replace(quoted, mine)
    for res in run.cases.values():
        res.traceback = res.traceback.replace(quoted, mine)


def _verdict(exo, case, res, import_error, limits) -> tuple[str, str, list[str]]:
    if import_error:
        return "error", "the file could not be imported", []
    if res is None:
        return "error", "not run", []
    if res.status in ("not_implemented", "missing"):  # a missing function is not started yet
        return "not implemented", "", []
    if res.status == "not_run":
        return "not run", res.message, [res.message]
    if res.status == "timeout":
        return "timeout", res.message, [res.message]
    if res.status in ("killed", "skipped", "output_limit", "channel"):
        return "error", res.message, [res.message]
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


def _unfinished(verdicts: list, cases) -> list:
    """A part that answers some cases and raises NotImplementedError on others (`padding`
    left for later) is unfinished, not "not implemented": those cases are errors that say
    so (a stub raises on every case)."""
    started = {c.part for c, (status, _, _) in zip(cases, verdicts)
               if status in ("pass", "fail", "error", "timeout")}
    why = "raised NotImplementedError"
    return [(("error", why, [f"{why} on these inputs: the part answers other cases, not "
                             "this one yet"]) if v[0] == "not implemented" and c.part in started
             else v) for c, v in zip(cases, verdicts)]


# A variant is named when it gives what the user's code gave on this share of the part's cases
# where the variant itself is wrong (or on all of them but one: a variant that only a few
# edge cases expose, matched exactly on one, with a second mistake on another): "most", and
# strict, so that following its advice fixes them (an NMS that forgot to sort by score
# matches "indices in input order" on 8 of its 12 failures, and that advice does not fix it).
# Failures where the variant is right do not count against it: they are another mistake's,
# and real code often has two (CS231n's batch norm: its momentum and a biased running
# variance; VOC 2007's 11-point AP and 0.0 where there is no ground truth).
_EXPLAINED = 0.9


def _variant(exo, failed: int, cases, run) -> str:
    """The known wrong convention that explains the failure, or nothing. A variant is named
    only if, on the failing case, it differs from the reference and gives what the user's
    code gave (in the first wrong item of a tuple: the one the report shows), and it does so
    on at least 90% (or all but one) of this part's answers where it differs from the
    reference. Never for a case whose output is right (it failed because it changed its
    input)."""
    part = cases[failed].part
    failing = [i for i, c in enumerate(cases) if c.part == part and _wrong_output(c, run.cases.get(i))]
    if failed not in failing:
        return ""
    # (a case the user got right where the variant is wrong counts against it: an NMS that
    # suppresses at IoU == threshold only where a NaN IoU of its own makes it do so is no `>=`)
    answered = [i for i, c in enumerate(cases) if c.part == part and c.category != "timing"
                and _answered(run.cases.get(i))] + [i for i in failing
                                                    if cases[i].category == "timing"]
    best, best_score = "", 0
    case, res = cases[failed], run.cases[failed]
    for v in exo.variants:
        out = _compute(v.compute, case)
        if out is None or not check(case.expected(), out, case.exact) or \
                not _same_where_wrong(out, res, case):
            continue
        where = score = 0
        for i in answered:
            theirs = _compute(v.compute, cases[i])  # (None: the variant says nothing here)
            if theirs is not None and check(cases[i].expected(), theirs, cases[i].exact):
                where += 1  # the variant is wrong here: it should give what the user got
                score += _same_where_wrong(theirs, run.cases[i], cases[i])
        if (score >= _EXPLAINED * where or score >= where - 1) and score > best_score:
            best, best_score = f"{v.name}. Fix: {v.fix}.", score
    return best


def _answered(res) -> bool:
    return res is not None and res.status == "ok" and not res.mutated


def _wrong_output(case, res) -> bool:
    return _answered(res) and bool(check(case.expected(), res.output, case.exact))


def _compute(variant, case):
    try:
        return variant(case)
    except Exception:  # a variant that cannot run on these inputs
        return None


def _same_where_wrong(out, res, case) -> bool:
    """The variant's output `out` is what the user's code gave: all of it, or for a tuple the
    first item the user got wrong (a second mistake may have changed a later one)."""
    if out is None:
        return False
    expected, got = case.expected(), res.output
    if isinstance(expected, (tuple, list)) and isinstance(got, (tuple, list)) and \
            isinstance(out, (tuple, list)) and len(got) == len(expected) == len(out):
        for e, g, o in zip(expected, got, out):
            if check(e, g, case.exact):
                return not check(o, g, case.exact)
        return False
    return not check(out, got, case.exact)


def _timing(cases, run, reports, limits, timing) -> dict | None:
    """The first timing case, if the user's answer to it is right: the best of up to N calls
    of the user's code in the sandbox against the best of up to N calls of the reference in
    a child of its own, by the same rule, runner, limits and thread count (one BLAS
    thread), each while nothing else of the grade runs (the reference: now, or once on this
    machine, cached)."""
    i = _timed_case(cases, run, reports)
    if i is not None:
        case, res = cases[i], run.cases[i]
        ref = timing.seconds()
        if ref is None:
            return None
        cached = timing.cached is not None
        when = ("the reference's time measured on this machine before and cached" if cached
                else "one at a time")
        return {"case": case.name, "yours_s": res.best, "reference_s": ref,
                "ratio": res.best / ref if ref > 0 else None, "reference_cached": cached,
                "how": f"best of up to {limits.timing_repeats} warm calls each (as many as "
                       f"fit in {limits.timing_repeat_seconds:g} s), same process limits, one "
                       f"BLAS thread, {when}"}
    return None


def _timed_case(cases, run, reports) -> int | None:
    """The first timing case, if the user's answer to it is right and was timed."""
    for i, case in enumerate(cases):
        if case.category == "timing":
            res = run.cases.get(i)
            return i if reports[i].status == "pass" and res.best is not None else None
    return None


# --- comparing --------------------------------------------------------------------------

def _describe(got) -> str:
    if got is None:
        return "None (is a `return` missing?)"
    if isinstance(got, dict):
        kind = got.get("kind")
        if kind in ("list", "tuple"):
            return f"a {kind} of {got.get('len')} items"
        if kind == "object_array":
            return "an object array"
        if kind == "too_large":
            nbytes = got.get("nbytes")
            size = f"{nbytes >> 20} MiB" if type(nbytes) is int else "too many bytes"
            return f"an array of {size} (too large to compare)"
        if kind == "bad_dtype":
            return f"an array of dtype {got.get('dtype')} (not numbers: it cannot be compared)"
        if kind == "str":
            return "a str"
        return f"a {got.get('type', kind)}"
    if isinstance(got, (list, tuple)):
        return f"a {type(got).__name__} of {len(got)} items"
    if isinstance(got, np.ndarray):
        return f"an array of shape {got.shape}"
    return type(got).__name__


def check(expected, got, exact: bool, names: tuple[str, ...] = ()) -> list[str]:
    """Problems with `got` against `expected` (empty when it passes). `names` name the items
    of a tuple result in messages."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            what = f" ({', '.join(names)})" if len(names) == len(expected) else ""
            return [f"expected a tuple of {len(expected)} items{what}, got {_describe(got)}"]
        for k, (e, g) in enumerate(zip(expected, got)):
            problem = check(e, g, exact)
            if problem:
                name = names[k] if k < len(names) else f"item {k}"
                return [f"{name}: {problem[0]}"] + problem[1:]
        return []
    if expected is None:
        return [] if got is None else [f"expected None, got {_describe(got)}"]
    if _is_scalar(expected):
        return _check_scalar(expected, got, exact)
    if not isinstance(got, np.ndarray):
        # (np.asarray([]) is float64: an empty list of indices needs the dtype said)
        how = f"np.asarray(..., dtype=np.{expected.dtype})" if expected.dtype.kind in "iu" \
            else "np.asarray"
        hint = f" (convert with {how})" if isinstance(got, (list, tuple)) or (
            isinstance(got, dict) and got.get("kind") in ("list", "tuple")) else ""
        return [f"expected a NumPy array, got {_describe(got)}{hint}"]
    if got.shape != expected.shape:
        lines = [f"shape: expected {expected.shape}, got {got.shape}"]
        if expected.ndim == got.ndim == 1 and max(expected.size, got.size) <= 20 \
                and got.dtype.kind in "biufc":
            # (`[0, 2]` against `[0]` says which box an NMS kept too many: fault hunt 20)
            # (numbers only: three items of a bytes array of 80 MiB each were printed in
            # full, 250 MB on the user's terminal, 19 s and 1.5 GB for prep)
            lines += [f"expected {expected.tolist()}", f"got      {got.tolist()}"]
        return lines
    ek, gk = expected.dtype.kind, got.dtype.kind
    if ek in "iu" and got.dtype != expected.dtype:
        return [f"dtype: expected {expected.dtype} indices, got {got.dtype}"]
    if ek == "b" and gk != "b":
        return [f"dtype: expected bool, got {got.dtype}"]
    if ek == "f" and gk != "f":
        return [f"dtype: expected {expected.dtype}, got {got.dtype}"]
    if ek == "f" and got.dtype.itemsize < expected.dtype.itemsize:
        return [f"dtype: expected {expected.dtype}, got {got.dtype} (precision is lost)"]
    if expected.size == 0:
        return []
    e = expected.astype(np.float64, copy=False)  # only read: no copy of float64 results
    # (an answer past float64's range, a float128 of 1e4000, becomes inf here: NumPy's
    # warning of it was printed on prep's output, naming this line, and under
    # PYTHONWARNINGS=error it was prep's internal error)
    with np.errstate(all="ignore"):
        g = got.astype(np.float64, copy=False)
        bad = ~_close(e, g, exact)
    if not bad.any():
        return []
    n = int(bad.sum())
    nan = bad & np.isnan(g) & ~np.isnan(e)  # (NaN where a number is due: no error size)
    sized = bad & ~nan
    with np.errstate(all="ignore"):
        abs_err = np.where(sized, np.abs(g - e), 0.0)
        rel_err = np.where(sized & (e != 0), abs_err / np.abs(e), 0.0)
    # (shown first, a NaN is the worst; an infinite error stays inf, not the largest float)
    abs_err = np.nan_to_num(abs_err, nan=np.inf, posinf=np.inf)
    worst = np.unravel_index(int(np.argmax(np.where(nan, np.inf, abs_err))), e.shape)
    idx = tuple(int(i) for i in worst)
    lines = [f"values: {n} of {e.size} differ ({100 * n / e.size:.1f}%)"
             + (" (exact comparison)" if exact else f" (rtol {RTOL:g}, atol {ATOL:g})"),
             f"worst at index {idx}: expected {expected[worst].item()!r}, got {got[worst].item()!r}"]
    if nan.any():
        lines.append(f"{int(nan.sum())} of them NaN where a number is expected")
    if sized.any():
        most = float(np.max(rel_err))
        lines.append(f"max abs error {np.max(abs_err):.3g}, max rel error {most:.3g}")
        if not exact and ek == "f" and not nan.any() and most < 1e-4 and np.all(e[sized] != 0):
            lines.append("errors this small: float32 arithmetic somewhere (a float32 array "
                         "or constant), or a constant slightly off (an eps?)")
    if expected.ndim == 1 and expected.size <= 20:
        lines.append(f"expected {expected.tolist()}")
        lines.append(f"got      {got.tolist()}")
    elif expected.ndim >= 2 and expected.size <= 64:  # small ones in full, a (1, 1, 3, 3) dx too
        lines.append("expected\n" + np.array2string(expected, precision=6))
        lines.append("got\n" + np.array2string(got, precision=6))
    return lines


def _is_scalar(v) -> bool:
    return isinstance(v, (bool, int, float, np.generic)) or (
        isinstance(v, np.ndarray) and v.ndim == 0)


def _close(e, g, exact: bool):
    both_nan = np.isnan(e) & np.isnan(g)
    if exact:
        return (e == g) | both_nan
    with np.errstate(invalid="ignore"):
        # An infinite expected value (log_softmax's -inf) matches only itself: its tolerance
        # would be infinite, and inf - inf is NaN.
        close = np.isfinite(e) & (np.abs(g - e) <= ATOL + RTOL * np.abs(e))
        return close | (e == g) | both_nan


def _check_scalar(expected, got, exact: bool) -> list[str]:
    """A number: a Python or NumPy scalar, or a 0-d array, is accepted for any of them."""
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if not isinstance(got, (bool, int, float, np.generic)):
        return [f"expected a number ({type(np.asarray(expected)[()]).__name__}), "
                f"got {_describe(got)}"]
    ek, gk = np.asarray(expected).dtype.kind, np.asarray(got).dtype.kind
    if ek == "b" and gk != "b" or ek in "iu" and gk not in "iu" or gk not in "biuf":
        return [f"type: expected {type(np.asarray(expected)[()]).__name__}, "
                f"got {type(got).__name__}"]
    if ek == "f" and gk == "f" and np.asarray(got).dtype.itemsize < 8:
        return [f"dtype: expected float64, got {np.asarray(got).dtype} (precision is lost)"]
    e, g = float(expected), float(got)
    if _close(np.float64(e), np.float64(g), exact):
        return []
    return [f"value: expected {e!r}, got {g!r} (abs error {abs(g - e):.3g}"
            + (")" if exact else f"; rtol {RTOL:g}, atol {ATOL:g})")]
