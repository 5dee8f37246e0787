"""The grader's overhead: a grade's wall time minus the user's own compute (the sum of the
case times the sandbox measured around each call), for the reference written as a user file.

    python -m bench.grader_overhead [--old TREE] [--rounds N] [--exercises nms,iou,...]

Each grade runs in a fresh process (as `prep grade` does). This version is measured twice: with
the reference's time already cached on this machine (every grade of an exercise after its
first, and a drill's grades once its background measurement has run) and with an empty cache
(an exercise's first `prep grade`: the reference is timed in its own child). "To the
verdict": until `prep grade` shows the verdict (the report but its timing line), which on a
first grade comes before the reference is measured; the same as the whole grade otherwise. With --old (a checkout of another version, e.g. `git archive <commit> | tar -x -C
/tmp/old`), old and new alternate round by round, so all see the same machine load; the
medians are printed. Every exercise by default. "new, ahead": cached, the grade given a
sandbox started a second before (`grader.Ahead`, as `prep drill` grades after the first).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise
from prepcli.drills.reftiming import SAMPLES

REPO = Path(__file__).resolve().parent.parent
PROBE = """
import inspect, json, sys, time
from pathlib import Path
try:
    from prepcli.drills import grader
except ImportError:  # a version from before the package was grouped into folders
    from prepcli import grader
kw = {}
if sys.argv[2:] and "cache_dir" in inspect.signature(grader.grade).parameters:
    kw["cache_dir"] = Path(sys.argv[2])
if sys.argv[3:] == ["ahead"]:  # as a drill grades: its sandbox started a second before
    from prepcli.drills import sandbox
    kw["box"] = sandbox.Sandbox.waiting(Path(sys.argv[1]).name)
    time.sleep(1.0)
shown = []
if "on_verdict" in inspect.signature(grader.grade).parameters:  # as `prep grade` calls it
    kw["on_verdict"] = lambda rep: shown.append(time.perf_counter() - t)
t = time.perf_counter()
rep = grader.grade(Path(sys.argv[1]), **kw)
total = time.perf_counter() - t
compute = sum(c.seconds or 0 for c in rep.cases)
print(json.dumps({"total": total, "verdict": shown[0] if shown else total,
                  "compute": compute, "passed": rep.passed,
                  "sandbox": getattr(rep, "sandbox", ""),
                  "cached": bool((rep.timing or {}).get("reference_cached"))}))
"""


def measure(tree: Path, user_file: Path, cache: Path | None = None, ahead: bool = False
            ) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(user_file)]
                         + ([str(cache)] if cache else []) + (["ahead"] if ahead else []),
                         cwd=tree,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree),
                              "HOME": tempfile.gettempdir()},
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, help="a checkout of the version to compare with")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--exercises", default=",".join(EXERCISES))
    args = ap.parse_args()
    # The figures move with the machine's load: it is printed with them.
    print(f"load average at the start: {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory() as d:
        warm, d = Path(d) / "cache", Path(d)
        # name -> (tree, cache dir or None; "cold": a new empty one for every grade)
        runs = {"new, cached": (REPO, warm), "new, first": (REPO, "cold"),
                "new, ahead": (REPO, warm)}
        runs |= {"old": (args.old, None)} if args.old else {}
        over = {}
        for ex in args.exercises.split(","):
            f = d / f"{ex}.py"
            f.write_text(for_exercise(EXERCISES[ex]), encoding="utf-8")
            for _ in range(SAMPLES):  # the reference's time, cached as a drill leaves it
                measure(REPO, f, warm)
            rows: dict[str, list[dict]] = {k: [] for k in runs}
            for i in range(args.rounds):
                for name, (tree, cache) in runs.items():
                    if cache == "cold":
                        cache = d / f"cold-{ex}-{i}"
                    rows[name].append(measure(tree, f, cache, ahead=name == "new, ahead"))
            for name, rs in rows.items():
                med = statistics.median(r["total"] - r["compute"] for r in rs)
                to_verdict = statistics.median(r["verdict"] - r["compute"] for r in rs)
                total = statistics.median(r["total"] for r in rs)
                comp = statistics.median(r["compute"] for r in rs)
                over.setdefault(name, {})[ex] = med
                over.setdefault(f"{name}, to the verdict", {})[ex] = to_verdict
                print(f"{ex:9} {name:11}: grade {total * 1000:6.0f} ms, user compute "
                      f"{comp * 1000:6.0f} ms, overhead {med * 1000:6.0f} ms, to the verdict "
                      f"{to_verdict * 1000:6.0f} ms "
                      f"(median of {len(rs)}; passed={rs[0]['passed']}; reference cached in "
                      f"{sum(r['cached'] for r in rs)}) {rs[0]['sandbox'][:10]}",
                      flush=True)
    for name, per in over.items():
        print(f"overhead, {name}: " + ", ".join(f"{ex} {s * 1000:.0f}" for ex, s in per.items())
              + f" ms; over 0.5 s: {', '.join(ex for ex, s in per.items() if s > 0.5) or 'none'}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
