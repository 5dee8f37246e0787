"""Detection losses: sigmoid focal loss, smooth L1, binary cross-entropy with logits.

Implement `sigmoid_focal_loss`, `smooth_l1_loss` and `bce_with_logits`. Grade them with
`prep grade exercises/losses.py`, or work on them in `prep drill losses`.

Conventions (as torchvision.ops.sigmoid_focal_loss and torch.nn.functional.smooth_l1_loss /
binary_cross_entropy_with_logits). Inputs are float arrays of any shape; targets are floats
in [0, 1] of the same shape. `reduction` is "none" (the element-wise losses), "sum", or
"mean" (the average over every element; NaN for an empty input). "sum" and "mean" return a
float (a Python float or a NumPy float64 scalar). Do not modify the inputs.

- `bce_with_logits(logits, targets, pos_weight=None)`: with s = sigmoid(logits),
  loss = -[w * t * log(s) + (1 - t) * log(1 - s)], w = `pos_weight` (shape (C,), broadcast
  over the last axis; 1 when None). It must stay exact for logits of +-1000.
- `sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0)`: with p = sigmoid(logits),
  p_t = p * t + (1 - p) * (1 - t) and alpha_t = alpha * t + (1 - alpha) * (1 - t),
  loss = alpha_t * (1 - p_t) ** gamma * bce_with_logits(logits, targets) element-wise.
  alpha = -1 disables the alpha_t weighting. Its default reduction is "none".
- `smooth_l1_loss(input, target, beta=1.0)`: with n = |input - target|, 0.5 * n**2 / beta
  where n < beta, else n - 0.5 * beta; beta = 0 is plain L1 (n).

Examples:
>>> logits, targets = np.array([2.0, -1.0, 0.0]), np.array([1.0, 0.0, 1.0])
>>> sigmoid_focal_loss(logits, targets).round(6)
array([0.000451, 0.016994, 0.043322])
>>> round(float(sigmoid_focal_loss(logits, targets, reduction="mean")), 6)
0.020255
>>> sigmoid_focal_loss(logits, targets, alpha=-1).round(6)
array([0.001804, 0.022658, 0.173287])
>>> x = np.array([0.5, 2.0, -3.0])
>>> smooth_l1_loss(x, np.zeros(3), reduction="none")
array([0.125, 1.5  , 2.5  ])
>>> round(float(smooth_l1_loss(x, np.zeros(3))), 6)
1.375
>>> smooth_l1_loss(x, np.array([0.25, 1.5, -3.5]), beta=0.5, reduction="none")
array([0.0625, 0.25  , 0.25  ])
>>> bce_with_logits(np.array([1.0, -2.0, 0.0]), np.array([1.0, 0.0, 0.5]), reduction="none").round(6)
array([0.313262, 0.126928, 0.693147])
>>> round(float(bce_with_logits(np.array([1.0, -2.0, 0.0]), np.array([1.0, 0.0, 0.5]))), 6)
0.377779
>>> bce_with_logits(np.array([[1.0, -2.0], [0.0, 3.0]]), np.array([[1.0, 1.0], [0.0, 1.0]]),
...                 pos_weight=np.array([2.0, 0.5]), reduction="none").round(6)
array([[0.626523, 1.063464],
       [0.693147, 0.024294]])
"""

import numpy as np


def sigmoid_focal_loss(logits: np.ndarray, targets: np.ndarray, alpha: float = 0.25,
                       gamma: float = 2.0, reduction: str = "none"):
    raise NotImplementedError


def smooth_l1_loss(input: np.ndarray, target: np.ndarray, beta: float = 1.0,
                   reduction: str = "mean"):
    raise NotImplementedError


def bce_with_logits(logits: np.ndarray, targets: np.ndarray, pos_weight=None,
                    reduction: str = "mean"):
    raise NotImplementedError
