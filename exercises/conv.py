"""2-D convolution forward pass, as torch.nn.functional.conv2d.

Implement `conv2d`. Grade it with `prep grade exercises/conv.py`.

Conventions:
- `x` is (N, C, H, W); `weight` is (K, C // groups, R, S); `bias` is (K,) or None.
- Cross-correlation: no kernel flip. Zero padding on both sides of each spatial axis.
- `stride`, `padding` and `dilation` are an int or an (h, w) pair.
- Output (N, K, Ho, Wo) with, per axis, Ho = floor((H + 2p - d(R - 1) - 1) / s) + 1 (sizes
  that do not divide evenly drop the last partial window).
- Core cases use dilation = 1 and groups = 1; the advanced cases use dilation and groups
  (with groups = g, input channels and output channels are split into g independent groups).
  Raise NotImplementedError for what you have not done yet: it is reported as such.
- Do not modify the inputs.

Examples:
>>> x = np.arange(1, 17, dtype=float).reshape(1, 1, 4, 4)
>>> w = np.ones((1, 1, 2, 2))
>>> conv2d(x, w)[0, 0]               # each output is the sum of a 2 x 2 window
array([[14., 18., 22.],
       [30., 34., 38.],
       [46., 50., 54.]])
>>> conv2d(x, w, stride=2, padding=1)[0, 0]
array([[ 1.,  5.,  4.],
       [14., 34., 20.],
       [13., 29., 16.]])
>>> conv2d(np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3)), bias=np.arange(4.0)).shape
(2, 4, 3, 3)
"""

import numpy as np


def conv2d(x: np.ndarray, weight: np.ndarray, bias=None, stride=1, padding=0, dilation=1,
           groups=1) -> np.ndarray:
    raise NotImplementedError
