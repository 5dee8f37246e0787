"""Backpropagation by hand: a linear layer, ReLU, and the mean cross-entropy.

Implement `linear_backward`, `relu_backward` and `cross_entropy_backward`. Grade them with
`prep grade exercises/backprop.py`, or work on them in `prep drill backprop`.

Conventions (as torch autograd):
- The linear layer is torch's `Linear`: y = x @ weight.T + bias, with x (N, in),
  weight (out, in), bias (out,), y (N, out). `dout` is the gradient of the loss with respect
  to y, (N, out). Return (dx, dweight, dbias), each of the shape of what it differentiates:
  dx (N, in), dweight (out, in), dbias (out,). The bias is shared by the whole batch.
- ReLU: y = max(x, 0) elementwise, any shape. The gradient at x == 0 is 0, as torch.
- Cross-entropy: the loss is the MEAN over the N rows of -log softmax(logits)[i, target[i]],
  logits (N, C) float (they can be +-1000: no overflow), target (N,) int64 class indices.
  Return dlogits (N, C).
- Float64 results. Do not modify the inputs. A function you have not written yet may keep
  raising NotImplementedError: it is reported as "not implemented".

Examples:
>>> x = np.array([[1.0, 2.0], [3.0, 4.0]])
>>> weight = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> dout = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
>>> dx, dweight, dbias = linear_backward(dout, x, weight)
>>> dx                             # dout @ weight
array([[2., 1.],
       [0., 1.]])
>>> dweight                        # dout.T @ x: weight's shape (out, in)
array([[1., 2.],
       [3., 4.],
       [1., 2.]])
>>> dbias                          # summed over the batch
array([1., 1., 1.])
>>> relu_backward(np.array([1.0, 2.0, 3.0, 4.0]), np.array([-1.0, 0.0, 0.5, 2.0]))
array([0., 0., 3., 4.])
>>> cross_entropy_backward(np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]), np.array([2, 0]))
array([[ 0.16666667,  0.16666667, -0.33333333],
       [-0.33333333,  0.16666667,  0.16666667]])
"""

import numpy as np


def linear_backward(dout: np.ndarray, x: np.ndarray, weight: np.ndarray):
    """Returns (dx, dweight, dbias)."""
    raise NotImplementedError


def relu_backward(dout: np.ndarray, x: np.ndarray) -> np.ndarray:
    raise NotImplementedError


def cross_entropy_backward(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    raise NotImplementedError
