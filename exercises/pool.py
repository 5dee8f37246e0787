"""Max and average pooling, forward and backward, as torch.nn.functional.max_pool2d/avg_pool2d.

Implement the four functions (each is graded as its own part). Grade them with
`prep grade exercises/pool.py`.

Conventions:
- `x` is (N, C, H, W). `kernel_size`, `stride`, `padding` are an int or an (h, w) pair;
  `stride=None` means stride = kernel_size. Output size per axis:
  floor((H + 2p - k) / s) + 1. Padding is at most kernel_size // 2.
- Max pooling pads with -inf (an all-negative input must not see a zero from the padding)
  and propagates NaN (a window containing NaN gives NaN).
- Average pooling with count_include_pad=True divides by the full window size, padded cells
  included; with False, by the number of real cells in the window.
- Backward: the gradient of sum(dout * forward(x)) with respect to x. For max pooling, the
  whole gradient of a window goes to its first maximum in row-major order; where windows
  overlap, gradients add up. `avg_pool2d_backward` gets the input's shape, not the input.
- Do not modify the inputs.

Examples:
>>> x = np.arange(16, dtype=float).reshape(1, 1, 4, 4)
>>> max_pool2d(x, 2)[0, 0]
array([[ 5.,  7.],
       [13., 15.]])
>>> avg_pool2d(x, 2)[0, 0]
array([[ 2.5,  4.5],
       [10.5, 12.5]])
>>> max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2)[0, 0]
array([[0., 0., 0., 0.],
       [0., 1., 0., 1.],
       [0., 0., 0., 0.],
       [0., 1., 0., 1.]])
"""

import numpy as np


def max_pool2d(x: np.ndarray, kernel_size, stride=None, padding=0) -> np.ndarray:
    raise NotImplementedError


def avg_pool2d(x: np.ndarray, kernel_size, stride=None, padding=0,
               count_include_pad: bool = True) -> np.ndarray:
    raise NotImplementedError


def max_pool2d_backward(dout: np.ndarray, x: np.ndarray, kernel_size, stride=None,
                        padding=0) -> np.ndarray:
    raise NotImplementedError


def avg_pool2d_backward(dout: np.ndarray, x_shape, kernel_size, stride=None, padding=0,
                        count_include_pad: bool = True) -> np.ndarray:
    raise NotImplementedError
