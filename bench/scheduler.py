"""Scheduler quality on a real review log: how well each predicts recall on later reviews.

    python -m bench.scheduler

The log: ../shared/data/review_log_fsrs_josh.csv (a published Anki history, py-fsrs test
data, MIT; see its README). Training items as Anki makes them (prepcli.interop.history); the earlier
80 % (in time order) are for fitting, the later 20 % are scored. Predictors:
- FSRS-6 with default parameters; FSRS-6 fitted on the earlier 80 % (fsrs-rs-python);
- SM-2 (the classic algorithm: ease 2.5, intervals 1, 6, then x ease), turned into a recall
  probability as the srs-benchmark does, 0.9 ** (elapsed / scheduled interval);
- a constant: the pass rate of the earlier 80 %.
Each is scored on the same items with the same code: the plain log loss of
prepcli.review.optimizer (the criterion `prep optimize` decides by), and the RMSE between predicted
and observed recall over 20 equal-width bins of predicted recall (weighted by count). For the
FSRS rows, fsrs-rs's own (recency-weighted) log loss and RMSE(bins) are shown too.
"""

from __future__ import annotations

import math
from pathlib import Path

from prepcli.interop import history
from prepcli.review.optimizer import log_loss, outcomes
from prepcli.review.optimizer import predictions as fsrs_predictions

LOG = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / \
    "review_log_fsrs_josh.csv"


class _Rev:
    __slots__ = ("card_id", "time", "rating", "id")

    def __init__(self, row, i):
        self.card_id, self.time, self.rating, self.id = row.card_id, row.time, row.rating, i


def items_from(path: Path):
    rows = history.read_csv(path)
    return history.training_items([_Rev(r, i) for i, r in enumerate(rows)])


def sm2_predictions(items) -> list[float]:
    out = []
    for _, seq in items:
        ease, interval, reps = 2.5, 0.0, 0
        for rating, dt in seq[:-1]:
            if dt == 0 and reps > 0:
                continue  # same-day repeats do not move SM-2's schedule
            if rating == 1:
                reps, interval = 0, 1.0
            else:
                q = {2: 3, 3: 4, 4: 5}[rating]
                ease = max(1.3, ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))
                reps += 1
                interval = 1.0 if reps == 1 else 6.0 if reps == 2 else interval * ease
        out.append(0.9 ** (seq[-1][1] / max(interval, 1.0)))
    return out


def rmse_calibration(p: list[float], y: list[int], bins: int = 20) -> float:
    groups: dict[int, list[tuple[float, int]]] = {}
    for pi, yi in zip(p, y):
        groups.setdefault(min(bins - 1, int(pi * bins)), []).append((pi, yi))
    total = len(y)
    err = sum(len(g) * (sum(a for a, _ in g) / len(g) - sum(b for _, b in g) / len(g)) ** 2
              for g in groups.values())
    return math.sqrt(err / total)


def rows() -> list[dict]:
    from prepcli.review import optimizer
    from prepcli.review.scheduler import DEFAULT_PARAMETERS

    items = items_from(LOG)
    cut = int(len(items) * optimizer.TRAIN_SHARE)
    train, test = items[:cut], items[cut:]
    y = outcomes(test)
    fitted = optimizer.optimize(items, DEFAULT_PARAMETERS)
    pass_rate = sum(1 for _, seq in train if seq[-1][0] > 1) / len(train)
    preds = {
        "FSRS-6, default parameters": fsrs_predictions(test, DEFAULT_PARAMETERS),
        "FSRS-6, fitted on the earlier 80 %": fsrs_predictions(test, fitted.parameters),
        "SM-2": sm2_predictions(test),
        f"constant ({pass_rate:.2%}, the earlier 80 %'s pass rate)": [pass_rate] * len(test),
    }
    official = {"FSRS-6, default parameters": optimizer.evaluate(test, DEFAULT_PARAMETERS),
                "FSRS-6, fitted on the earlier 80 %": optimizer.evaluate(test, fitted.parameters)}
    out = []
    for name, p in preds.items():
        out.append({"predictor": name, "items": len(test), "log_loss": log_loss(p, y),
                    "rmse_calibration": rmse_calibration(p, y),
                    "fsrs_rs": official.get(name)})
    return out


def main() -> None:
    print(f"# scheduler quality on {LOG.name}: the later 20 % of training items")
    print(f"{'predictor':<48} {'log loss':>9} {'RMSE(20 bins)':>14} {'fsrs-rs log loss / RMSE(bins)':>31}")
    for r in rows():
        off = r["fsrs_rs"]
        off_s = f"{off[0]:.4f} / {off[1]:.4f}" if off else "—"
        print(f"{r['predictor']:<48} {r['log_loss']:>9.4f} {r['rmse_calibration']:>14.4f} {off_s:>31}")


if __name__ == "__main__":
    main()
