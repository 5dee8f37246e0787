# exercise: kmeans
"""A correct solution written the plain way, with explicit loops (test data: it must pass
every case of the kmeans exercise)."""

import numpy as np


def _nearest(point, centers):
    best, best_d = 0, None
    for j in range(len(centers)):
        d = float(((point - centers[j]) ** 2).sum())
        if best_d is None or d < best_d:  # strictly closer: ties keep the lower index
            best, best_d = j, d
    return best


def kmeans(x, init_centers, max_iter=100):
    centers = np.array(init_centers, dtype=np.float64)
    k = len(centers)

    def assign():
        return np.array([_nearest(p, centers) for p in x], dtype=np.int64)

    previous = None
    for _ in range(max_iter):
        labels = assign()
        if previous is not None and (labels == previous).all():
            return centers, labels
        for j in range(k):
            members = [x[i] for i in range(len(x)) if labels[i] == j]
            if members:  # an empty cluster keeps its centre
                centers[j] = np.mean(members, axis=0)
        previous = labels
    return centers, assign()
