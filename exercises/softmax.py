"""Numerically stable softmax, log-softmax and cross-entropy.

Implement `softmax`, `log_softmax` and `cross_entropy`. Grade them with
`prep grade exercises/softmax.py`, or work on them in `prep drill softmax`.

Conventions (as torch.nn.functional.softmax / log_softmax / cross_entropy):
- `softmax(x, axis)` and `log_softmax(x, axis)` work along `axis` of an array of any shape.
  No intermediate may overflow for finite input: logits of +-1000 and rows with one huge
  value must give the exact result, not inf or NaN.
- `-inf` entries have probability 0 (log-probability -inf) as long as their row has a finite
  entry. log_softmax must be exact where the value is representable: log_softmax of
  [1000, 0] is [0, -1000], not [0, -inf].
- `cross_entropy(logits, target, ...)`: `logits` (N, C) finite, `target` (N,) int64 class
  indices. loss_i = (1 - eps) * (-log p_i[t_i]) + (eps / C) * sum over c of (-log p_i[c]),
  eps = `label_smoothing` (spread over all C classes, the target included); p = softmax(logits).
- A row whose target equals `ignore_index` has loss 0 and does not count: reduction "mean"
  is the sum divided by the number of rows not ignored (NaN when every row is ignored, as
  torch), "sum" the sum (0.0 then), "none" the (N,) array of losses.
- "mean" and "sum" return a float (a Python float or a NumPy float64 scalar).
- Do not modify the inputs.

Examples:
>>> x = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]])
>>> softmax(x).round(4)
array([[0.09  , 0.2447, 0.6652],
       [0.5   , 0.5   , 0.    ]])
>>> softmax(np.array([0.0, -np.inf, 0.0]))
array([0.5, 0. , 0.5])
>>> log_softmax(np.array([0.0, -np.inf, 0.0]))
array([-0.69314718,        -inf, -0.69314718])
>>> log_softmax(np.array([[1000.0, 0.0]]))      # not log(0) = -inf
array([[    0., -1000.]])
>>> logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
>>> round(float(cross_entropy(logits, np.array([0, 1]))), 6)
0.31854
>>> cross_entropy(logits, np.array([0, -100]), reduction="none").round(6)
array([0.41703, 0.     ])
>>> round(float(cross_entropy(logits, np.array([0, 1]), label_smoothing=0.1)), 6)
0.436873
"""

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    raise NotImplementedError


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    raise NotImplementedError


def cross_entropy(logits: np.ndarray, target: np.ndarray, ignore_index: int = -100,
                  label_smoothing: float = 0.0, reduction: str = "mean"):
    raise NotImplementedError
