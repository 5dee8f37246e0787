"""2-D convolution, forward and backward, as torch.nn.functional.conv2d and its autograd.

Implement `conv2d`, then `conv2d_backward`. Grade them with `prep grade exercises/conv.py`.

Conventions:
- `x` is (N, C, H, W); `weight` is (K, C // groups, R, S); `bias` is (K,) or None.
- Cross-correlation: no kernel flip. Zero padding on both sides of each spatial axis.
- `stride`, `padding` and `dilation` are an int or an (h, w) pair.
- Output (N, K, Ho, Wo) with, per axis, Ho = floor((H + 2p - d(R - 1) - 1) / s) + 1 (sizes
  that do not divide evenly drop the last partial window).
- Core cases use dilation = 1 and groups = 1; the advanced cases use dilation and groups
  (with groups = g, input channels and output channels are split into g independent groups).
  Raise NotImplementedError for what you have not done yet: it is reported as such.
- `conv2d_backward(dout, x, weight, stride, padding)` returns (dx, dweight, dbias), the
  gradients of sum(dout * conv2d(x, weight, bias, stride, padding)) for dilation 1 and
  groups 1: dx (N, C, H, W) like x, dweight (K, C, R, S) like weight, dbias (K,). `dout` is
  (N, K, Ho, Wo). Rows and columns the windows never reach (sizes that do not divide) get a
  zero gradient.
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
>>> x9 = np.arange(9.0).reshape(1, 1, 3, 3)
>>> w4 = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
>>> dx, dweight, dbias = conv2d_backward(np.ones((1, 1, 2, 2)), x9, w4)
>>> dx[0, 0]                         # each input gets the weights of the windows it is in
array([[ 1.,  3.,  2.],
       [ 4., 10.,  6.],
       [ 3.,  7.,  4.]])
>>> dweight[0, 0]                    # each weight gets the sum of the inputs it multiplied
array([[ 8., 12.],
       [20., 24.]])
>>> dbias                            # dout summed over N, H and W
array([4.])
>>> dout = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
>>> conv2d_backward(dout, x9, w4, stride=2, padding=1)[0][0, 0]   # dx, padding cut off
array([[ 4.,  6.,  8.],
       [ 6.,  4.,  8.],
       [12., 12., 16.]])
"""

import numpy as np


def conv2d(x: np.ndarray, weight: np.ndarray, bias=None, stride=1, padding=0, dilation=1,
           groups=1) -> np.ndarray:
    raise NotImplementedError


def conv2d_backward(dout: np.ndarray, x: np.ndarray, weight: np.ndarray, stride=1, padding=0):
    """Returns (dx, dweight, dbias)."""
    raise NotImplementedError
