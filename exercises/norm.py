"""Layer normalisation, group normalisation and RMS normalisation, as torch.nn.functional.

Implement `layer_norm`, `group_norm` and `rms_norm`. Grade them with
`prep grade exercises/norm.py`, or work on them in `prep drill norm`.

Every sample is normalised on its own: the statistics never mix the batch axis.
- layer_norm (as F.layer_norm): mean and *biased* variance over the last
  len(normalized_shape) axes; y = (x - mean) / sqrt(var + eps) * weight + bias.
  `normalized_shape` is a tuple or list of ints (those last axes' sizes), or an int for one.
  `weight` and `bias` have shape normalized_shape, or are None (no scaling / no shift).
- group_norm (as F.group_norm): x is (N, C, *) (any number of trailing axes, none included);
  the C channels form `num_groups` groups of C / num_groups *contiguous* channels
  (group 0 is channels 0 ... C/G - 1); mean and biased variance per sample and group, over
  the group's channels and all positions. `weight` and `bias` are per channel (C,), or None.
- rms_norm: y = x / sqrt(mean(x ** 2) + eps) * weight over the last len(normalized_shape)
  axes; no mean is subtracted and there is no bias. The default eps is 1e-6 (LLaMA's RMSNorm;
  torch's F.rms_norm defaults to the dtype's machine epsilon instead).
- The result is float64 with the shape of x. Do not modify the inputs. Inputs may have a large
  offset (1e6 + unit noise): compute the variance from x - mean, not as E[x^2] - E[x]^2.

Examples:
>>> x = np.array([[1.0, 2.0, 3.0, 4.0]])       # mean 2.5, biased variance 1.25
>>> layer_norm(x, (4,)).round(4)
array([[-1.3416, -0.4472,  0.4472,  1.3416]])
>>> layer_norm(x, 4, weight=np.array([1.0, 1.0, 2.0, 2.0]), bias=np.array([0.0, 0.0, 0.0, 1.0]),
...            eps=0.0).round(4)
array([[-1.3416, -0.4472,  0.8944,  3.6833]])
>>> x = np.array([[[1.0], [3.0], [2.0], [10.0]]])   # (1, 4, 1): groups {1, 3} and {2, 10}
>>> group_norm(x, 2, eps=0.0).ravel()
array([-1.,  1., -1.,  1.])
>>> group_norm(x, 2, weight=np.array([1.0, 2.0, 1.0, 1.0]), bias=np.array([0.0, 0.0, 5.0, 5.0]),
...            eps=0.0).ravel()
array([-1.,  2.,  4.,  6.])
>>> rms_norm(np.array([[3.0, 4.0]]), 2, eps=0.0)    # mean of squares 12.5
array([[0.84852814, 1.13137085]])
>>> rms_norm(np.array([[3.0, 4.0]]), (2,), weight=np.array([1.0, -2.0])).round(6)
array([[ 0.848528, -2.262742]])
"""

import numpy as np


def layer_norm(x: np.ndarray, normalized_shape, weight: np.ndarray | None = None,
               bias: np.ndarray | None = None, eps: float = 1e-5) -> np.ndarray:
    raise NotImplementedError


def group_norm(x: np.ndarray, num_groups: int, weight: np.ndarray | None = None,
               bias: np.ndarray | None = None, eps: float = 1e-5) -> np.ndarray:
    raise NotImplementedError


def rms_norm(x: np.ndarray, normalized_shape, weight: np.ndarray | None = None,
             eps: float = 1e-6) -> np.ndarray:
    raise NotImplementedError
