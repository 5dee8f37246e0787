"""The grader's overhead: a grade's wall time minus the user's own compute (the sum of the
case times the sandbox measured around each call), for the reference written as a user file.

    python -m bench.grader_overhead [--old TREE] [--rounds N]

Each grade runs in a fresh process (as `prep grade` does). With --old (a checkout of another
version, e.g. `git archive <commit> | tar -x -C /tmp/old`), old and new alternate round by
round, so both see the same machine load; the medians are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise

REPO = Path(__file__).resolve().parent.parent
PROBE = """
import json, sys, time
from pathlib import Path
from prepcli import grader
t = time.perf_counter()
rep = grader.grade(Path(sys.argv[1]))
total = time.perf_counter() - t
compute = sum(c.seconds or 0 for c in rep.cases)
print(json.dumps({"total": total, "compute": compute, "passed": rep.passed,
                  "sandbox": getattr(rep, "sandbox", "")}))
"""


def measure(tree: Path, user_file: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(user_file)], cwd=tree,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree),
                              "HOME": tempfile.gettempdir()},
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, help="a checkout of the version to compare with")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--exercises", default="nms,iou,conv,bn,pool")
    args = ap.parse_args()
    trees = {"new": REPO} | ({"old": args.old} if args.old else {})
    with tempfile.TemporaryDirectory() as d:
        for ex in args.exercises.split(","):
            f = Path(d) / f"{ex}.py"
            f.write_text(for_exercise(EXERCISES[ex]), encoding="utf-8")
            rows: dict[str, list[dict]] = {k: [] for k in trees}
            for _ in range(args.rounds):
                for name, tree in trees.items():
                    rows[name].append(measure(tree, f))
            for name, rs in rows.items():
                over = statistics.median(r["total"] - r["compute"] for r in rs)
                total = statistics.median(r["total"] for r in rs)
                comp = statistics.median(r["compute"] for r in rs)
                print(f"{ex:5} {name}: grade {total * 1000:6.0f} ms, user compute "
                      f"{comp * 1000:6.0f} ms, overhead {over * 1000:6.0f} ms "
                      f"(median of {len(rs)}; passed={rs[0]['passed']}) {rs[0]['sandbox'][:10]}")


if __name__ == "__main__":
    main()
