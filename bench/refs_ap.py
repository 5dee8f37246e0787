"""The ap references (average_precision, detection_ap) against a loop implementation and
scikit-learn.

    python -m bench.refs_ap [--quick]

The runs alternate and each figure is a median. The loop implementation is the loop-style
solution kept as test data (tests/data/loop_ap.py), plain Python. torch has no AP; the
counterpart for average_precision is sklearn.metrics.average_precision_score, and detection
AP has none installed here, so it is measured against the loop only.
"""

from __future__ import annotations

import argparse
import importlib.util
import warnings
from pathlib import Path

import numpy as np

from bench.common import alternating_medians, machine
from prepcli.catalog.ap import _random_detections, average_precision, detection_ap

LOOP = Path(__file__).resolve().parent.parent / "tests" / "data" / "loop_ap.py"


def _loop():
    spec = importlib.util.spec_from_file_location("loop_ap", LOOP)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    """(measure, reference seconds, baseline, baseline seconds)."""
    rng = np.random.default_rng(0)
    loop = _loop()
    repeat = 3 if quick else 5
    out = []

    n = 10_000 if quick else 1_000_000
    scores = np.round(rng.uniform(size=n), 4)  # ties, as real scores have
    labels = rng.integers(0, 2, size=n)
    label = f"average_precision N={n:,}"
    ref, base = alternating_medians([lambda: average_precision(scores, labels),
                                     lambda: loop.average_precision(scores, labels)], repeat)
    out.append((label, ref, "loop over the ranking", base))
    try:
        from sklearn.metrics import average_precision_score
    except ImportError:
        average_precision_score = None
    if average_precision_score is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref, base = alternating_medians(
                [lambda: average_precision(scores, labels),
                 lambda: average_precision_score(labels, scores)], repeat)
        out.append((label, ref, "sklearn average_precision_score", base))

    images = 100 if quick else 5000
    det = _random_detections(rng, images, 12, 10)
    label = f"detection_ap {len(det[1]):,} predictions, {len(det[4]):,} ground truth"
    ref, base = alternating_medians([lambda: detection_ap(*det), lambda: loop.detection_ap(*det)],
                                    repeat)
    out.append((label, ref, "loop over predictions and boxes", base))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = ap.parse_args()
    print(f"# ap references ({machine()})")
    print(f"{'measure':<58} {'prep s':>9} {'baseline':<34} {'base s':>9} {'base/prep':>9}")
    for label, t, base_label, base in rows(args.quick):
        print(f"{label:<58} {t:>9.4f} {base_label:<34} {base:>9.4f} {base / t:>9.2f}")


if __name__ == "__main__":
    main()
