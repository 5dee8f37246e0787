"""k-means clustering (Lloyd's algorithm) from given initial centres.

Implement `kmeans`. Grade it with `prep grade exercises/kmeans.py`, or work on it in
`prep drill kmeans`.

Conventions (scikit-learn's reading of `max_iter`, except for empty clusters):
- `x` is (N, D) float, `init_centers` is (K, D) float. Start from `init_centers`.
- Repeat at most `max_iter` times:
  1. assign each point to its nearest centre (squared Euclidean distance; a point at equal
     distance from several centres goes to the one with the LOWEST index);
  2. if no assignment changed since the previous round, stop (the first round has no
     previous round);
  3. move each centre to the mean of its points. A centre with no points stays where it is
     (scikit-learn would relocate it; here it does not move).
- Return (centers, labels): centers (K, D) float64, and labels (N,) int64 assigned to those
  FINAL centres (after max_iter rounds without convergence, assign once more).
- Do not modify the inputs.

Examples:
>>> x = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
>>> centers, labels = kmeans(x, np.array([[0.0], [5.0]]))
>>> centers
array([[ 1. ],
       [10.5]])
>>> labels
array([0, 0, 0, 1, 1])
>>> kmeans(np.array([[0.0], [1.0], [2.0]]), np.array([[0.0], [2.0]]))  # 1 is a tie: centre 0
(array([[0.5],
       [2. ]]), array([0, 0, 1]))
>>> kmeans(x, np.array([[0.0], [1.0]]), max_iter=1)  # one move, then labels for the new centres
(array([[0.],
       [6.]]), array([0, 0, 0, 1, 1]))
"""

import numpy as np


def kmeans(x: np.ndarray, init_centers: np.ndarray, max_iter: int = 100):
    """Returns (centers, labels)."""
    raise NotImplementedError
