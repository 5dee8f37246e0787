"""Every benchmark, one table, written to BENCHMARKS.md.

    python -m bench            # the full suite (a few minutes on 2 cores)
    python -m bench --quick    # tiny sizes: a smoke run that checks the suite works

Each figure is shown against a baseline measured in the same run; the ratio is
baseline time / prep time for speed (above 1: prep is faster), prep / baseline for losses.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import machine, wall

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("prepcli", "numpy", "typer", "rich", "prompt-toolkit", "pyyaml", "markdown-it-py",
            "fsrs", "fsrs-rs-python", "torch", "anki")


REFS = ("softmax", "losses", "attention", "norm", "backprop", "kmeans", "interp", "ap",
        "conv2d_backward")


def rows(quick: bool) -> list[tuple[str, str, str, str, str]]:
    """(group, measure, prep, baseline (what = value), ratio)."""
    out = []
    rep = 3 if quick else 9
    prep = [sys.executable, "-c", "from prepcli.cli import main; main()"]
    t = wall(prep + ["--help"], None, rep)
    b = wall([sys.executable, "-c", "import typer"], None, rep)
    out.append(("start-up", "prep --help", f"{t * 1000:.0f} ms",
                f"python -c 'import typer' = {b * 1000:.0f} ms", f"{b / t:.2f}"))

    from bench import import_notes
    for label, size, t, base in import_notes.run(0.5 if quick else 10.0, 1 if quick else 3):
        out.append(("import notes", f"{label} ({size:.2f} MB)", f"{size / t:.2f} MB/s",
                    f"markdown-it parse = {size / base:.2f} MB/s", f"{base / t:.2f}"))

    from bench import study
    cards, reviews = (2_000, 20_000) if quick else (20_000, 200_000)
    s = study.measure(cards, reviews, 2 if quick else 5)
    size = f"{cards:,} cards / {reviews:,} reviews"
    out.append(("study", f"time to first card ({size})", f"{s['first'] * 1000:.0f} ms",
                f"prep --version = {s['first_base'] * 1000:.0f} ms",
                f"{s['first_base'] / s['first']:.2f}"))
    out.append(("study", "time per answer (schedule + committed transaction)",
                f"{s['answer'] * 1000:.2f} ms",
                f"one committed INSERT = {s['answer_base'] * 1000:.2f} ms",
                f"{s['answer_base'] / s['answer']:.2f}"))

    from bench import stats as statsbench
    m = statsbench.measure(cards, reviews, 2 if quick else 7)
    out.append(("stats", f"prep stats ({size})", f"{m['screen'] * 1000:.0f} ms",
                f"prep --version = {m['base'] * 1000:.0f} ms", f"{m['base'] / m['screen']:.2f}"))
    out.append(("stats", f"prep stats --json ({size})", f"{m['json'] * 1000:.0f} ms",
                f"prep --version = {m['base'] * 1000:.0f} ms", f"{m['base'] / m['json']:.2f}"))

    from bench import anki_compare
    if anki_compare.available():
        got, _ = anki_compare.measure(cards, reviews, 2 if quick else 5)
        for name, p, a in got:
            out.append(("prep / Anki", f"{name} ({size})", f"{p * 1000:.2f} ms",
                        f"Anki {a * 1000:.2f} ms (prep / Anki = {p / a:.2f})", f"{a / p:.2f}"))

    from bench import kernels
    for label, t, base_label, base in kernels.rows(quick):
        out.append(("exercises", label, f"{t * 1000:.1f} ms", f"{base_label} = {base * 1000:.1f} ms",
                    f"{base / t:.2f}"))

    # the second set's references against a loop solution and torch / scikit-learn (when
    # installed): one module per exercise, bench/refs_<id>.py
    import importlib
    for ex in REFS:
        for label, t, base_label, base in importlib.import_module(f"bench.refs_{ex}").rows(quick):
            out.append((f"reference: {ex}", label, f"{t * 1000:.1f} ms",
                        f"{base_label} = {base * 1000:.1f} ms", f"{base / t:.2f}"))

    from bench import scheduler
    sched = scheduler.rows()
    fsrs_default = sched[0]["log_loss"]
    for r in sched:
        off = r["fsrs_rs"]
        extra = f"; fsrs-rs: {off[0]:.4f} / {off[1]:.4f}" if off else ""
        out.append(("scheduler quality (later 20 % of the real log)", r["predictor"],
                    f"log loss {r['log_loss']:.4f}, RMSE(20 bins) {r['rmse_calibration']:.4f}"
                    + extra, f"FSRS-6 default log loss = {fsrs_default:.4f}",
                    f"{r['log_loss'] / fsrs_default:.3f}"))
    return out


def versions() -> str:
    found = []
    for p in PACKAGES:
        try:
            found.append(f"{p} {md.version(p)}")
        except md.PackageNotFoundError:
            found.append(f"{p} (not installed)")
    return ", ".join(found)


def markdown(table, seconds: float, quick: bool) -> str:
    lines = [
        "# Benchmarks", "",
        f"Run with `python -m bench{' --quick' if quick else ''}` on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {seconds:.0f} s in all.",
        f"Machine: {machine()}, {platform.platform()}.",
        f"Packages: {versions()}.", "",
        "Ratios: baseline time / prep time for speed (above 1: prep is faster); for scheduler "
        "quality, log loss / FSRS-6 default's (below 1: better). Every baseline was measured in "
        "the same run. Exercise kernels run on one thread (NumPy's BLAS and torch), as in the "
        "grading sandbox.", "",
        "| group | measure | prep | baseline | ratio |", "|---|---|---|---|---|",
    ]
    lines += [f"| {g} | {m} | {p} | {b} | {r} |" for g, m, p, b, r in table]
    lines += ["", "Notes:",
              "- The collection of 20,000 cards and 200,000 reviews (study, stats, prep / Anki "
              "rows) is a simulated user (bench/study.py, `simulate`): one session a day for 624 "
              "days, about one day in 20 skipped, 25 new cards a day, Again 10% of the time. prep "
              "commands are timed in a new process each, with Python's bytecode cache present, "
              "as in an installed package.",
              ("- prep / Anki rows: both in-process through their own Python APIs on the same "
               "cards and review history (bench/anki_compare.py); present only when the "
               "optional `anki` package is installed (`pip install '.[bench]'`)."
               if "anki (not" not in versions() else
               "- Not measured: the same operations through Anki's Python API (the optional "
               "`anki` package is not installed: `pip install '.[bench]'`)."),
              "- Scheduler quality: one plain (unweighted) log loss and a calibration RMSE over "
              "20 bins of predicted recall, computed by the same code for every predictor. "
              "fsrs-rs's own `evaluate` (shown for the FSRS rows, and quoted in "
              "../shared/data/README.md: 0.4347 default, 0.4341 fitted on this split) weights "
              "items by recency (fsrs-rs pull request #260), so its figures are lower and not "
              "comparable with the plain ones; by the plain log loss the fitted parameters are "
              "no better than the defaults on these later reviews.", ""]
    return "\n".join(lines)


def _kept_blocks(path: Path) -> str:
    """Sections other benchmarks keep in the file between `<!-- name:begin -->` and
    `<!-- name:end -->` (import quality, ...): carried over, not lost, when the table is
    rewritten."""
    import re

    old = path.read_text(encoding="utf-8") if path.exists() else ""
    found = re.finditer(r"<!-- ([\w-]+):begin -->.*?<!-- \1:end -->", old, flags=re.S)
    return "".join("\n" + m.group(0) + "\n" for m in found)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md",
                    help="where to write the table ('-' prints only)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    table = rows(args.quick)
    text = markdown(table, time.perf_counter() - t0, args.quick)
    print(text)
    if str(args.out) != "-":
        args.out.write_text(text + _kept_blocks(args.out), encoding="utf-8")
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
