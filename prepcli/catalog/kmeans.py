"""k-means: Lloyd's algorithm from given centres, stopping and labelling as scikit-learn reads
`max_iter`, except that an empty cluster keeps its centre (../design/exercises.md, "kmeans").
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern

SEED = 20241402  # every random case is generated from its own seed, so it can be replayed


# --- reference --------------------------------------------------------------------------

def _assign(x, centers, highest=False):
    """Nearest centre by squared Euclidean distance, ties to the lowest index (the highest with
    `highest`). |x - c|^2 = |x|^2 - 2 x.c + |c|^2, and |x|^2 is the same for every centre of a
    row, so one matrix product ranks them (as scikit-learn does; an einsum over an (N, K, D)
    difference array was 8x slower). Exact, ties included, on small-integer data."""
    d = np.einsum("kd,kd->k", centers, centers) - 2.0 * (x @ centers.T)
    if highest:
        k = centers.shape[0]
        return (k - 1 - np.argmin(d[:, ::-1], axis=1)).astype(np.int64)
    return np.argmin(d, axis=1).astype(np.int64)


def _update(x, labels, centers, empty="keep"):
    """Each centre moved to the mean of its points; an empty cluster keeps its centre."""
    k = centers.shape[0]
    counts = np.bincount(labels, minlength=k)
    sums = (labels[None, :] == np.arange(k)[:, None]).astype(np.float64) @ x
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts[:, None]
    fill = {"keep": centers, "nan": np.full_like(centers, np.nan), "zero": np.zeros_like(centers)}
    return np.where(counts[:, None] > 0, means, fill[empty])


def _lloyd(x, init_centers, max_iter, empty="keep", highest=False, labels_before=False):
    x = np.asarray(x, dtype=np.float64)
    centers = np.array(init_centers, dtype=np.float64)  # a copy: the input stays as it was
    labels = previous = None
    # The only Python loop: Lloyd's rounds are sequential (each assignment needs the centres
    # the previous round moved), and there are at most max_iter of them.
    for _ in range(int(max_iter)):
        labels = _assign(x, centers, highest)
        if previous is not None and np.array_equal(labels, previous):
            return centers, labels
        centers = _update(x, labels, centers, empty)
        previous = labels
    if labels_before and labels is not None:
        return centers, labels
    return centers, _assign(x, centers, highest)


def kmeans(x, init_centers, max_iter=100):
    """(centers (K, D) float64, labels (N,) int64) of Lloyd's algorithm from `init_centers`."""
    return _lloyd(x, init_centers, max_iter)


# --- known wrong conventions ------------------------------------------------------------

def _variant(**how):
    def compute(case: Case):
        x, init = case.args
        return _lloyd(x, init, case.kwargs.get("max_iter", 100), **how)
    return compute


def _one_more(case: Case):
    x, init = case.args
    return _lloyd(x, init, case.kwargs.get("max_iter", 100) + 1)


_EMPTY_FIX = "a centre with no points stays where it is (np.where(counts > 0, means, centers))"

VARIANTS = (
    # The contract's "empty cluster set to NaN or zero": one variant each, as the outputs differ.
    Variant("empty cluster set to NaN (the mean of no points)", _EMPTY_FIX,
            _variant(empty="nan")),
    Variant("empty cluster set to zero", _EMPTY_FIX, _variant(empty="zero")),
    Variant("ties to the highest index",
            "a point at equal distance from two centres goes to the lower index (np.argmin)",
            _variant(highest=True)),
    Variant("labels from before the last update",
            "when max_iter runs out, assign the points once more to the final centres",
            _variant(labels_before=True)),
    Variant("one update too many (max_iter + 1 rounds)",
            "move the centres at most max_iter times", _one_more),
)


# --- cases ------------------------------------------------------------------------------

def _case(name, category, x, init, seed=None, **kw) -> Case:
    return Case(name, "kmeans", "kmeans", category,
                (np.asarray(x, dtype=np.float64), np.asarray(init, dtype=np.float64)), kw,
                arg_names=("x", "init_centers"), seed=seed)


def _blobs(g, n, k, dim, spread=1.0):
    means = g.uniform(-10, 10, size=(k, dim))
    return means[g.integers(0, k, size=n)] + spread * g.normal(size=(n, dim))


def make_cases() -> list[Case]:
    line = [[0.0], [1.0], [2.0], [10.0], [11.0]]
    out = [
        _case("example 1: two groups on a line", "example", line, [[0.0], [5.0]]),
        # x = 1 is as far from 0 as from 2 at the start: it goes to centre 0
        _case("example 2: a tie goes to the lower index", "example", [[0.0], [1.0], [2.0]],
              [[0.0], [2.0]]),
        _case("example 3: max_iter=1 (labels for the moved centres)", "example", line,
              [[0.0], [1.0]], max_iter=1),
        # centre 1 at 100 never gets a point: it stays at 100 (NaN or 0 is the variant)
        _case("empty cluster keeps its centre", "edge", [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0],
                                                         [5.0, 5.0], [6.0, 5.0]],
              [[0.0, 0.0], [100.0, 100.0], [5.0, 5.0]]),
        # cluster 0 gets two points in round 1, moves to (3.5, 2) and loses both in round 2
        _case("a cluster empties in the second round", "edge",
              [[5, 4], [6, 5], [2, 0], [1, 1]], [[7, 1], [7, 7], [1, 5]]),
        _case("two identical initial centres (the second stays empty)", "edge",
              [[0.0, 0.0], [2.0, 0.0], [8.0, 8.0], [9.0, 8.0]],
              [[1.0, 1.0], [1.0, 1.0], [8.0, 8.0]]),
        _case("ties in 2-D with small integers", "edge",
              [[0, 0], [2, 0], [1, 0], [1, 1], [-1, 0], [3, 0]], [[0, 0], [2, 0]]),
        _case("ties between three centres", "edge",
              [[0, 0], [2, 0], [1, 0], [1, 2], [0, 2], [2, 2]], [[0, 0], [2, 0], [1, 2]]),
        _case("max_iter=1 on blobs", "edge", _blobs(np.random.default_rng(SEED), 40, 3, 2),
              [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], seed=SEED, max_iter=1),
        _case("max_iter=2, not converged", "edge",
              [[0.0], [1.0], [2.0], [3.0], [4.0], [10.0], [11.0], [12.0]], [[0.0], [1.0]],
              max_iter=2),
        # (no round at all: the given centres and the labels they give; a loop that always
        # ran once passed: fault hunt 20)
        _case("max_iter=0: the initial centres and their labels", "edge",
              [[0.0], [1.0], [4.0], [5.0], [9.0]], [[1.0], [6.0]], max_iter=0),
        _case("already converged init", "edge", [[0.0, 0.0], [2.0, 0.0], [10.0, 0.0],
                                                 [12.0, 0.0]],
              [[1.0, 0.0], [11.0, 0.0]]),
        _case("N=1", "edge", [[3.0, -4.0]], [[0.0, 0.0], [10.0, 10.0]]),
        _case("K=1", "edge", [[1.0, 2.0], [3.0, 5.0], [-1.0, 0.5]], [[0.0, 0.0]]),
        _case("K = N, every point its own centre", "edge", [[0.0], [5.0], [9.0]],
              [[9.0], [0.0], [5.0]]),
        _case("duplicate points", "edge", [[1.0, 1.0]] * 4 + [[3.0, 3.0]] * 2,
              [[0.0, 0.0], [4.0, 4.0]]),
    ]
    for i in range(8):
        seed = SEED + 10 + i
        g = np.random.default_rng(seed)
        n, k, dim = int(g.integers(10, 200)), int(g.integers(2, 8)), int(g.integers(1, 6))
        x = _blobs(g, n, k, dim, spread=float(g.uniform(0.5, 4.0)))
        init = x[g.choice(n, size=k, replace=False)] if i % 2 == 0 else \
            g.uniform(-10, 10, size=(k, dim))  # random init: some clusters may end empty
        kw = {} if i < 4 else {"max_iter": int(g.integers(1, 6))}
        out.append(_case(f"random {i + 1} (N={n}, K={k}, D={dim})", "random", x, init,
                         seed=seed, **kw))
    seed = SEED + 90
    g = np.random.default_rng(seed)
    x = _blobs(g, 3000, 10, 8, spread=3.0)
    out.append(_case("timing: N=3000, K=10, D=8, max_iter=30", "timing", x,
                     x[g.choice(3000, size=10, replace=False)], seed=seed, max_iter=30))
    return out


EXERCISE = Exercise(
    id="kmeans",
    title="k-means (Lloyd's algorithm)",
    parts=("kmeans",),
    card_pattern=pattern(r"k-?means|k均值|聚类"),
    hints=(
        "One round is two steps: assign every point to its nearest centre, then move every "
        "centre to the mean of its points. Decide when to stop before you write the loop, and "
        "which centres the labels you return belong to.",
        "Assign without a loop over points: the (N, K) matrix of squared distances "
        "((x[:, None, :] - centers[None]) ** 2).sum(-1), then np.argmin (ties: lowest index).",
        "Move with counts = np.bincount(labels, minlength=K) and per-cluster sums "
        "(np.add.at); where counts == 0 keep the old centre. Stop when the labels did not "
        "change; after max_iter rounds, assign once more to the final centres.",
    ),
    references={"kmeans": kmeans},
    make_cases=make_cases,
    variants=VARIANTS,
    outputs={"kmeans": ("centers", "labels")},
)
