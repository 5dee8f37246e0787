"""The kmeans reference against a loop implementation and scikit-learn.

    python -m bench.refs_kmeans [--quick]

The loop implementation is the loop-style solution kept as test data
(tests/data/loop_kmeans.py). scikit-learn runs `KMeans(init=centres, n_init=1, max_iter,
algorithm="lloyd", tol=0)` on blobs with the initial centres drawn from the points, where
(tests/test_ex_kmeans.py checks such data) no cluster empties and both give the same result.
One thread everywhere.
"""

from __future__ import annotations

import warnings

from bench import refs_common as rc  # first: one BLAS / OpenMP thread before NumPy loads
from bench.common import print_rows
from prepcli.catalog import kmeans as KM
from prepcli.catalog.base import np


def rows(quick: bool) -> list[rc.Row]:
    loop = rc.load_loop("loop_kmeans")
    n, k, dim, max_iter = (500, 8, 4, 10) if quick else (5000, 16, 8, 20)
    g = np.random.default_rng(0)
    x = KM._blobs(g, n, k, dim, spread=3.0)
    init = x[g.choice(n, size=k, replace=False)]
    baselines = [("loop implementation", lambda: loop.kmeans(x, init, max_iter))]
    try:
        from sklearn.cluster import KMeans
    except ImportError:
        KMeans = None
    if KMeans is not None:
        def fit():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # ConvergenceWarning when max_iter runs out
                KMeans(n_clusters=k, init=init, n_init=1, max_iter=max_iter,
                       algorithm="lloyd", tol=0).fit(x)
        baselines.append(("scikit-learn KMeans (lloyd, one thread)", fit))
    return rc.compare(f"kmeans: N={n}, K={k}, D={dim}, max_iter={max_iter}",
                      lambda: KM.kmeans(x, init, max_iter), baselines, 3 if quick else 5)


if __name__ == "__main__":
    print_rows("kmeans reference against a loop and scikit-learn", rows)
