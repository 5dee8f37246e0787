"""The kmeans reference against a loop implementation and scikit-learn.

    python -m bench.refs_kmeans [--quick]

One thread everywhere, as in the grading sandbox. The loop implementation is the loop-style
solution kept as test data (tests/data/loop_kmeans.py). scikit-learn runs
`KMeans(init=centres, n_init=1, max_iter, algorithm="lloyd", tol=0)` on blobs with the initial
centres drawn from the points, where (tests/test_ex_kmeans.py checks) no cluster empties and
the two give the same result.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

from bench.refs_common import alternating_medians, load_loop, print_rows  # noqa: E402
from prepcli.catalog import kmeans as KM  # noqa: E402


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    """(label, reference seconds, baseline label, baseline seconds), medians of alternating
    runs."""
    loop = load_loop("loop_kmeans")
    n, k, dim, max_iter = (500, 8, 4, 10) if quick else (5000, 16, 8, 20)
    g = np.random.default_rng(0)
    x = KM._blobs(g, n, k, dim, spread=3.0)
    init = x[g.choice(n, size=k, replace=False)]
    fns = [lambda: KM.kmeans(x, init, max_iter), lambda: loop.kmeans(x, init, max_iter)]
    try:
        from sklearn.cluster import KMeans
    except ImportError:
        KMeans = None
    if KMeans is not None:
        def fit():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                KMeans(n_clusters=k, init=init, n_init=1, max_iter=max_iter,
                       algorithm="lloyd", tol=0).fit(x)
        fns.append(fit)
    times = alternating_medians(fns, 3 if quick else 5)
    label = f"kmeans: N={n}, K={k}, D={dim}, max_iter={max_iter}"
    out = [(label, times[0], "loop implementation", times[1])]
    if KMeans is not None:
        out.append((label, times[0], "scikit-learn KMeans (lloyd, one thread)", times[2]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print_rows(rows(ap.parse_args().quick))


if __name__ == "__main__":
    main()
