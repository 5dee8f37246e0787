"""The second set's reference kernels against a loop solution and torch / scikit-learn (when
installed), on representative sizes, one BLAS thread, runs alternating, medians:

    python -m bench.references [--quick] [--write]

`--write` puts the table in BENCHMARKS.md (its own section, kept by `python -m bench`).
"""

from __future__ import annotations

import argparse
import importlib
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the grading sandbox runs them
os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.__main__ import REFS  # noqa: E402
from bench.common import machine, write_section  # noqa: E402


def table(quick: bool) -> str:
    lines = ["| exercise | measure | reference | baseline | baseline / reference |",
             "|---|---|---:|---|---:|"]
    for ex in REFS:
        for label, t, base_label, base in importlib.import_module(f"bench.refs_{ex}").rows(quick):
            lines.append(f"| {ex} | {label} | {t * 1000:.1f} ms | {base_label}: "
                         f"{base * 1000:.1f} ms | {base / t:.2f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    ap.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = ap.parse_args()
    text = table(args.quick)
    print(text)
    if args.write:
        write_section("references", "## Second-set references (`python -m bench.references`)"
                      f"\n\n{machine()}. A ratio above 1: the reference is faster than the "
                      "baseline; below 1: slower. torch runs with one thread.\n\n" + text)


if __name__ == "__main__":
    main()
