"""Batch normalisation forward pass, with running statistics, as torch.nn.BatchNorm.

Implement `batchnorm`. Grade it with `prep grade exercises/bn.py`.

Conventions:
- `x` is (N, C) or (N, C, H, W); statistics are per channel C (over N, or over N, H, W).
- `gamma`, `beta`, `running_mean`, `running_var` are (C,).
- Training: normalise with the batch mean and the *biased* batch variance:
  y = gamma * (x - mean) / sqrt(var + eps) + beta.
  Running statistics: new = (1 - momentum) * old + momentum * batch, where the batch variance
  stored is the *unbiased* one (n / (n - 1) times the biased; n values per channel).
- Eval (`training=False`): normalise with the running statistics; return them unchanged.
- Return (y, new_running_mean, new_running_var) as new arrays: the caller's running arrays
  must not be modified.

Examples:
>>> x = np.array([[1.0, 2.0], [3.0, 6.0]])
>>> y, rm, rv = batchnorm(x, np.ones(2), np.zeros(2), np.zeros(2), np.ones(2))
>>> y.round(4)                     # mean (2, 4), biased var (1, 4)
array([[-1., -1.],
       [ 1.,  1.]])
>>> rm, rv                         # 0.9 * old + 0.1 * batch; unbiased var (2, 8)
(array([0.2, 0.4]), array([1.1, 1.7]))
>>> batchnorm(x, np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), training=False)[0].round(5)
array([[1.     , 1.99999],
       [2.99999, 5.99997]])
"""

import numpy as np


def batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
              running_var: np.ndarray, training: bool = True, momentum: float = 0.1,
              eps: float = 1e-5):
    raise NotImplementedError
