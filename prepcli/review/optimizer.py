"""Fitting FSRS parameters to the user's own history with fsrs-rs-python (the Rust engine
Anki uses), judged on reviews the fit has not seen.

The training items (history.training_items) are split in time order: the fit sees the
earlier 80 %, and both the parameters in force and the fitted ones are scored on the later
20 %. One criterion decides: the plain (unweighted) log loss of the predicted recall on that
hold-out, computed here by `log_loss(predictions(...))` — the same code `bench/scheduler.py`
scores every predictor with. fsrs-rs's own `evaluate` weights items by recency, so its log
loss can favour a fit that the plain one does not; it is reported beside the criterion (with
its RMSE(bins)) but decides nothing. The fitted parameters are kept only when the plain log
loss is lower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_ITEMS = 400  # below this the hold-out is too small to tell a better fit from noise
TRAIN_SHARE = 0.8


@dataclass
class Result:
    items: int
    train: int
    test: int
    current: tuple[float, float]  # (plain log loss, fsrs-rs RMSE(bins)) on the hold-out
    fitted: tuple[float, float]
    parameters: list[float]
    current_fsrs_rs: float = math.nan  # fsrs-rs's recency-weighted log loss, for the report
    fitted_fsrs_rs: float = math.nan

    @property
    def better(self) -> bool:
        return self.fitted[0] < self.current[0]


def needed(items: int) -> int:
    """How many more training items a fit needs (0 when there are enough)."""
    return max(0, MIN_ITEMS - items)


def optimize(items: list[tuple[int, list[tuple[int, int]]]],
             current: list[float] | tuple[float, ...]) -> Result:
    import fsrs_rs_python as F

    cut = int(len(items) * TRAIN_SHARE)
    train, test = items[:cut], items[cut:]
    fitted = list(F.FSRS(list(current)).compute_parameters(_fsrs_items(train)))
    y = outcomes(test)
    before = F.FSRS(list(current)).evaluate(_fsrs_items(test))
    after = F.FSRS(fitted).evaluate(_fsrs_items(test))
    return Result(len(items), len(train), len(test),
                  (log_loss(predictions(test, current), y), before.rmse_bins),
                  (log_loss(predictions(test, fitted), y), after.rmse_bins), fitted,
                  before.log_loss, after.log_loss)


def evaluate(items, parameters) -> tuple[float, float]:
    """fsrs-rs's own (recency-weighted log loss, RMSE(bins)) of `parameters` on `items`."""
    import fsrs_rs_python as F

    e = F.FSRS(list(parameters)).evaluate(_fsrs_items(items))
    return e.log_loss, e.rmse_bins


def _fsrs_items(items):
    import fsrs_rs_python as F

    return [F.FSRSItem([F.FSRSReview(r, dt) for r, dt in seq]) for _, seq in items]


def predictions(items, params) -> list[float]:
    """FSRS's predicted recall at each item's last review, from the reviews before it."""
    import fsrs_rs_python as F

    f = F.FSRS(list(params))
    decay = -params[20]
    factor = 0.9 ** (1 / decay) - 1
    states = f.memory_state_batch(
        [F.FSRSItem([F.FSRSReview(r, dt) for r, dt in seq[:-1]]) for _, seq in items])
    return [(1 + factor * seq[-1][1] / s.stability) ** decay
            for (_, seq), s in zip(items, states)]


def outcomes(items) -> list[int]:
    """1 where the item's last review was recalled (any rating but Again), else 0."""
    return [1 if seq[-1][0] > 1 else 0 for _, seq in items]


def log_loss(p: list[float], y: list[int]) -> float:
    """Plain (unweighted) mean log loss."""
    eps = 1e-7
    return -sum(yi * math.log(min(max(pi, eps), 1 - eps)) + (1 - yi) *
                math.log(1 - min(max(pi, eps), 1 - eps)) for pi, yi in zip(p, y)) / len(y)
