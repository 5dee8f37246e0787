"""The whole `prep grade FILE` command, as a user runs it (a new process: interpreter, CLI,
grade, record, report), against another version of prep:

    python -m bench.grade_command --old TREE [--rounds N] [--exercises nms,iou]

TREE is a checkout of the version to compare with (`git archive <commit> | tar -x -C
/tmp/old`). The reference solution is graded, in turn old, new, old, new ... (after two
untimed grades each, which also cache the reference's time in each version's own PREP_HOME);
medians and their ratio are printed. Bytecode is written (PYTHONDONTWRITEBYTECODE is dropped)
so neither pays for compiling.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import cli_env
from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--exercises", default="nms,iou,norm")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        trees = {"old": args.old.resolve(), "new": REPO}

        def grade(name: str, f: Path) -> float:
            env = cli_env(PREP_HOME=str(d / f"home-{name}"), PYTHONPATH=str(trees[name]))
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "from prepcli.cli import main; main()",
                            "grade", str(f)], env=env, cwd=d, capture_output=True)
            return time.perf_counter() - t

        for ex in args.exercises.split(","):
            f = d / f"{ex}.py"
            f.write_text(for_exercise(EXERCISES[ex]), encoding="utf-8")
            times = {name: [] for name in trees}
            for name in trees:
                grade(name, f), grade(name, f)
            for _ in range(args.rounds):
                for name in trees:
                    times[name].append(grade(name, f))
            old, new = (statistics.median(times[n]) for n in ("old", "new"))
            print(f"{ex:9} prep grade: old {old * 1000:5.0f} ms, new {new * 1000:5.0f} ms, "
                  f"new/old {new / old:.3f} (medians of {args.rounds}, alternating)",
                  flush=True)


if __name__ == "__main__":
    main()
