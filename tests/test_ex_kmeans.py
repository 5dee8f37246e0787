"""The kmeans exercise: its reference against hand-derived vectors and scikit-learn (where the
two coincide), its stub, cases, variants and a loop-style solution."""

import warnings

import numpy as np
import pytest

import exkit
from prepcli.catalog import kmeans as KM

EX = KM.EXERCISE


def test_reference_matches_the_hand_derived_vectors():
    for v in exkit.hand_vectors("kmeans"):
        x, init = (np.asarray(a, dtype=np.float64) for a in v["args"].values())
        centers, labels = KM.kmeans(x, init, **v["kwargs"])
        assert labels.dtype == np.int64
        np.testing.assert_array_equal(labels, v["expected"]["labels"])
        np.testing.assert_allclose(centers, v["expected"]["centers"], rtol=0, atol=1e-15)


def _rounds(x, init, max_iter):
    """The labels of every assignment round the contract makes: with max_iter=m the labels
    returned are those of round m + 1 (assigned to the centres after m moves)."""
    out = []
    for m in range(max_iter + 1):
        labels = KM.kmeans(x, init, max_iter=m)[1]
        if out and np.array_equal(labels, out[-1]):
            break
        out.append(labels)
    return out


def coincides_with_sklearn(x, init, max_iter) -> bool:
    """Where the contract and scikit-learn's Lloyd give the same result: N >= K, no cluster
    empty in any round (scikit-learn relocates an empty cluster's centre to a far point; the
    contract keeps it), and no point within 1e-9 of a tie (scikit-learn computes distances as
    |x|^2 - 2 x.c + |c|^2 on centred data, which rounds ties either way). With tol=0 the
    stopping rules agree: scikit-learn also stops on unchanged labels, and its shift test
    (shift <= 0) only stops a round whose centres did not move, after which the contract's
    next round sees the same labels and stops with the same result; when max_iter runs out
    both assign once more to the final centres."""
    k = len(init)
    if len(x) < k or max_iter < 1:
        return False
    for m, labels in enumerate(_rounds(x, init, max_iter)):
        if np.bincount(labels, minlength=k).min() == 0:
            return False
        centers = KM.kmeans(x, init, max_iter=m)[0]
        d = np.sort(((x[:, None, :] - centers[None]) ** 2).sum(-1), axis=1)
        if k > 1 and np.any(d[:, 1] - d[:, 0] <= 1e-9 * (1 + d[:, 1])):
            return False
    return True


def _sklearn(x, init, max_iter):
    from sklearn.cluster import KMeans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning when max_iter runs out
        km = KMeans(n_clusters=len(init), init=init, n_init=1, max_iter=max_iter,
                    algorithm="lloyd", tol=0).fit(x)
    return km.cluster_centers_, km.labels_.astype(np.int64)


def _sweep():
    for seed in range(40):
        g = np.random.default_rng(1000 + seed)
        n, k, dim = int(g.integers(20, 300)), int(g.integers(2, 9)), int(g.integers(1, 7))
        x = KM._blobs(g, n, k, dim, spread=float(g.uniform(0.5, 5.0)))
        init = x[g.choice(n, size=k, replace=False)]
        yield seed, x, init, int(g.choice([1, 2, 3, 5, 100]))


def test_reference_agrees_with_sklearn_where_the_contracts_coincide():
    pytest.importorskip("sklearn")
    compared, worst = [], 0.0
    for seed, x, init, max_iter in _sweep():
        if not coincides_with_sklearn(x, init, max_iter):
            continue
        compared.append(seed)
        worst = max(worst, exkit.assert_same(_sklearn(x, init, max_iter),
                                             KM.kmeans(x, init, max_iter)))
    cases = [c for c in EX.cases() if coincides_with_sklearn(
        c.args[0], c.args[1], c.kwargs.get("max_iter", 100))]
    for c in cases:
        worst = max(worst, exkit.assert_same(_sklearn(*c.args, c.kwargs.get("max_iter", 100)),
                                             c.expected()))
    assert len(compared) >= 20 and len(cases) >= 5
    print(f"kmeans vs scikit-learn: {len(compared)}/40 sweep seeds and {len(cases)} of "
          f"{len(EX.cases())} cases compared, max abs difference {worst:.3g}")


def test_sklearn_differs_on_an_empty_cluster_as_the_contract_says():
    pytest.importorskip("sklearn")
    (case,) = [c for c in EX.cases() if c.name == "empty cluster keeps its centre"]
    assert not coincides_with_sklearn(case.args[0], case.args[1], 100)
    centers = case.expected()[0]
    np.testing.assert_array_equal(centers[1], [100.0, 100.0])  # kept where it was
    assert not np.allclose(_sklearn(*case.args, 100)[0][1], [100.0, 100.0])  # relocated


def test_stub_examples_hold_for_the_reference():
    failures, tries = exkit.stub_doctests("kmeans")
    assert failures == 0 and tries >= 5


def test_cases_cover_the_edge_cases_the_contract_names():
    cases = EX.cases()
    assert {c.category for c in cases} == {"example", "edge", "random", "timing"}
    assert all(c.seed is not None for c in cases if c.category in ("random", "timing"))
    empties = ties = one_round = 0
    for c in cases:
        x, init = c.args
        max_iter = c.kwargs.get("max_iter", 100)
        rounds = _rounds(x, init, max_iter)
        empties += any(np.bincount(r, minlength=len(init)).min() == 0 for r in rounds)
        d = ((x[:, None, :] - init[None]) ** 2).sum(-1)
        ties += bool(np.any((d == d.min(axis=1, keepdims=True)).sum(axis=1) > 1))
        one_round += max_iter == 1
    assert empties >= 4 and ties >= 3 and one_round >= 2


def test_reference_leaves_its_inputs_alone():
    for case in EX.cases():
        exkit.call(case, case.reference)


def test_benchmark_rows_on_tiny_sizes():
    exkit.check_bench_rows("refs_kmeans")


def test_the_solution_prep_drill_shows_is_complete():
    assert exkit.shown_solution_failures("kmeans") == []


# --- user files: the loop-style solution, the stub, each known wrong convention -----------

# A vectorised k-means written for these tests, with one switch per known wrong convention.
WRONG = '''
import numpy as np

EMPTY, HIGH, BEFORE, EXTRA = {empty!r}, {high}, {before}, {extra}


def _labels(x, c):
    d = ((x[:, None, :] - c[None, :, :]) ** 2).sum(-1)
    if HIGH:
        return (len(c) - 1 - np.argmin(d[:, ::-1], axis=1)).astype(np.int64)
    return np.argmin(d, axis=1).astype(np.int64)


def kmeans(x, init_centers, max_iter=100):
    c = init_centers.astype(np.float64)
    old = labels = None
    for _ in range(max_iter + EXTRA):
        labels = _labels(x, c)
        if old is not None and (labels == old).all():
            return c, labels
        new = np.zeros_like(c)
        np.add.at(new, labels, x)
        counts = np.bincount(labels, minlength=len(c))
        for j in range(len(c)):
            if counts[j]:
                new[j] /= counts[j]
            else:
                new[j] = {{"keep": c[j], "nan": np.nan, "zero": 0.0}}[EMPTY]
        c, old = new, labels
    return c, (labels if BEFORE and labels is not None else _labels(x, c))
'''
RIGHT = dict(empty="keep", high=False, before=False, extra=0)
VARIANT_FILES = [
    (dict(RIGHT, empty="nan"), "empty cluster set to NaN"),
    (dict(RIGHT, empty="zero"), "empty cluster set to zero"),
    (dict(RIGHT, high=True), "ties to the highest index"),
    (dict(RIGHT, before=True), "labels from before the last update"),
    (dict(RIGHT, extra=1), "one update too many"),
]


def test_every_variant_has_a_test_file():
    assert len({exkit.variant_named(EX, n) for _, n in VARIANT_FILES}) == len(EX.variants)


@pytest.mark.parametrize("switches,name", VARIANT_FILES, ids=[n for _, n in VARIANT_FILES])
def test_each_wrong_convention_differs_and_its_variant_explains_it(switches, name):
    module = exkit.module_from(WRONG.format(**switches))
    differs, unexplained = exkit.variant_agreement("kmeans", exkit.variant_named(EX, name),
                                                   module)
    assert differs > 0 and unexplained == []


def test_loop_solution_and_the_switchless_test_file_pass_the_grader(tmp_path):
    for source in (exkit.loop_source("loop_kmeans"), WRONG.format(**RIGHT)):
        exkit.assert_passes_every_case("kmeans", exkit.grade_source(tmp_path, "kmeans", source))


def test_the_stub_is_not_implemented(tmp_path):
    stub = (exkit.REPO / "exercises" / "kmeans.py").read_text(encoding="utf-8")
    exkit.assert_nothing_implemented(exkit.grade_source(tmp_path, "kmeans", stub))


@pytest.mark.slow  # one sandboxed grade per variant (2-3 s each)
@pytest.mark.parametrize("switches,name", VARIANT_FILES, ids=[n for _, n in VARIANT_FILES])
def test_each_wrong_convention_fails_and_is_named(tmp_path, switches, name):
    report = exkit.grade_source(tmp_path, "kmeans", WRONG.format(**switches))
    exkit.assert_fails_and_is_named(report, exkit.variant_named(EX, name))
