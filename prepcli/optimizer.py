"""Fitting FSRS parameters to the user's own history with fsrs-rs-python (the Rust engine
Anki uses), judged on reviews the fit has not seen.

The training items (history.training_items) are split in time order: the fit sees the
earlier 80 %, and both the parameters in force and the fitted ones are evaluated on the later
20 % (log loss and RMSE(bins), as fsrs-rs computes them). The fitted parameters are kept only
when their log loss there is lower.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_ITEMS = 400  # below this the hold-out is too small to tell a better fit from noise
TRAIN_SHARE = 0.8


@dataclass
class Result:
    items: int
    train: int
    test: int
    current: tuple[float, float]  # (log loss, RMSE(bins)) on the hold-out
    fitted: tuple[float, float]
    parameters: list[float]

    @property
    def better(self) -> bool:
        return self.fitted[0] < self.current[0]


def needed(items: int) -> int:
    """How many more training items a fit needs (0 when there are enough)."""
    return max(0, MIN_ITEMS - items)


def optimize(items: list[tuple[int, list[tuple[int, int]]]],
             current: list[float] | tuple[float, ...]) -> Result:
    import fsrs_rs_python as F

    objs = [F.FSRSItem([F.FSRSReview(r, dt) for r, dt in seq]) for _, seq in items]
    cut = int(len(objs) * TRAIN_SHARE)
    train, test = objs[:cut], objs[cut:]
    fitted = list(F.FSRS(list(current)).compute_parameters(train))
    before = F.FSRS(list(current)).evaluate(test)
    after = F.FSRS(fitted).evaluate(test)
    return Result(len(objs), len(train), len(test), (before.log_loss, before.rmse_bins),
                  (after.log_loss, after.rmse_bins), fitted)


def evaluate(items, parameters) -> tuple[float, float]:
    """(log loss, RMSE(bins)) of `parameters` on `items`."""
    import fsrs_rs_python as F

    objs = [F.FSRSItem([F.FSRSReview(r, dt) for r, dt in seq]) for _, seq in items]
    e = F.FSRS(list(parameters)).evaluate(objs)
    return e.log_loss, e.rmse_bins
