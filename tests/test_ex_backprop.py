"""The backprop exercise: its reference against hand-derived vectors, numerical gradients and
torch autograd; its stub, cases, variants and a loop-style solution."""

import numpy as np
import pytest

import exkit
from prepcli.catalog import backprop as B

EX = B.EXERCISE


def test_reference_matches_the_hand_derived_vectors():
    for v in exkit.hand_vectors("backprop"):
        args = [np.asarray(a, dtype=np.int64 if name == "target" else np.float64)
                for name, a in v["args"].items()]
        got = getattr(B, v["fn"])(*args)
        expected = tuple(np.asarray(e, dtype=np.float64) for e in v["expected"].values())
        exkit.assert_same(expected if len(expected) > 1 else expected[0], got, rtol=0,
                          atol=1e-15)


@pytest.mark.parametrize("seed", range(3))
def test_linear_backward_matches_numerical_gradients(seed):
    g = np.random.default_rng(seed)
    n, fin, fout = 4, 3, 5
    x, w, b = g.normal(size=(n, fin)), g.normal(size=(fout, fin)), g.normal(size=fout)
    dout = g.normal(size=(n, fout))
    loss = lambda x_, w_, b_: float(np.sum(dout * (x_ @ w_.T + b_)))  # noqa: E731
    dx, dw, db = B.linear_backward(dout, x, w)
    np.testing.assert_allclose(dx, exkit.numerical_gradient(lambda v: loss(v, w, b), x), atol=1e-8)
    np.testing.assert_allclose(dw, exkit.numerical_gradient(lambda v: loss(x, v, b), w), atol=1e-8)
    np.testing.assert_allclose(db, exkit.numerical_gradient(lambda v: loss(x, w, v), b), atol=1e-8)


@pytest.mark.parametrize("seed", range(3))
def test_relu_backward_matches_numerical_gradients(seed):
    g = np.random.default_rng(seed)
    x = g.normal(size=(3, 4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # central differences need to stay on one side of the kink
    dout = g.normal(size=x.shape)
    num = exkit.numerical_gradient(lambda v: float(np.sum(dout * np.maximum(v, 0))), x)
    np.testing.assert_allclose(B.relu_backward(dout, x), num, atol=1e-8)


def _mean_ce(logits, target):
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(target)), target].mean())


@pytest.mark.parametrize("seed", range(3))
def test_cross_entropy_backward_matches_numerical_gradients(seed):
    g = np.random.default_rng(seed)
    logits = 3 * g.normal(size=(6, 4))
    target = g.integers(0, 4, size=6)
    num = exkit.numerical_gradient(lambda v: _mean_ce(v, target), logits, h=1e-5)
    np.testing.assert_allclose(B.cross_entropy_backward(logits, target), num, atol=1e-9)


def test_reference_agrees_with_torch_autograd_on_every_case():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    worst = {}
    for case in EX.cases():
        if case.fn == "linear_backward":
            dout, x, w = (torch.tensor(a) for a in case.args)
            x.requires_grad_(), w.requires_grad_()
            b = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
            F.linear(x, w, b).backward(dout)
            got = (x.grad, w.grad, b.grad)
        elif case.fn == "relu_backward":
            dout, x = (torch.tensor(a) for a in case.args)
            x.requires_grad_()
            torch.relu(x).backward(dout)
            got = (x.grad,)
        else:
            logits = torch.tensor(case.args[0], requires_grad=True)
            F.cross_entropy(logits, torch.tensor(case.args[1])).backward()
            got = (logits.grad,)
        got = tuple(t.numpy() if t is not None else np.zeros(0) for t in got)
        err = exkit.assert_same(case.expected(), got if len(got) > 1 else got[0])
        worst[case.fn] = max(worst.get(case.fn, 0.0), err)
    print("backprop vs torch autograd, max abs difference:", worst)


def test_stub_examples_hold_for_the_reference():
    failures, tries = exkit.stub_doctests("backprop")
    assert failures == 0 and tries >= 6


def test_cases_cover_every_category_and_replay_from_their_seed():
    cases = EX.cases()
    assert {c.part for c in cases} == set(EX.parts)
    for part in EX.parts:
        assert {c.category for c in cases if c.part == part} == {"example", "edge", "random",
                                                                 "timing"}
    assert all(c.seed is not None for c in cases if c.category in ("random", "timing"))
    again = EX.cases()
    for a, b in zip(cases, again):
        assert a.name == b.name and all(np.array_equal(x, y) for x, y in zip(a.args, b.args))
    assert any(np.any(c.args[1] == 0) for c in cases if c.fn == "relu_backward"
               and c.category == "random")


def test_reference_leaves_its_inputs_alone_and_returns_float64():
    for case in EX.cases():
        for item in exkit.as_tuple(exkit.call(case, case.reference)):
            assert item.dtype == np.float64, case.name


def test_benchmark_rows_on_tiny_sizes():
    exkit.check_bench_rows("refs_backprop")


def test_the_solution_prep_drill_shows_is_complete():
    assert exkit.shown_solution_failures("backprop") == []


# --- user files: the loop-style solution, the stub, each known wrong convention -----------

_RIGHT = "\n_right_linear, _right_ce = linear_backward, cross_entropy_backward\n"
VARIANT_FILES = [
    ("def linear_backward(dout, x, weight):\n"
     "    dx, dw, db = _right_linear(dout, x, weight)\n    return dx, dw.T, db\n",
     "dweight transposed"),
    ("def linear_backward(dout, x, weight):\n"
     "    dx, dw, db = _right_linear(dout, x, weight)\n    return dx, dw, np.array(dout)\n",
     "dbias not summed over the batch"),
    ("def cross_entropy_backward(logits, target):\n"
     "    return _right_ce(logits, target) * len(logits)\n", "missing 1/N"),
]


def test_every_variant_has_a_test_file():
    assert len({exkit.variant_named(EX, n) for _, n in VARIANT_FILES}) == len(EX.variants)


@pytest.mark.parametrize("override,name", VARIANT_FILES, ids=[n for _, n in VARIANT_FILES])
def test_each_wrong_convention_differs_and_its_variant_explains_it(override, name):
    module = exkit.module_from(exkit.loop_source("loop_backprop") + _RIGHT + override)
    differs, unexplained = exkit.variant_agreement("backprop", exkit.variant_named(EX, name),
                                                   module)
    assert differs > 0 and unexplained == []


def test_loop_solution_passes_the_grader_and_is_told_no_variant(tmp_path):
    report = exkit.grade_source(tmp_path, "backprop", exkit.loop_source("loop_backprop"))
    exkit.assert_passes_every_case("backprop", report)


def test_the_stub_is_not_implemented(tmp_path):
    stub = (exkit.REPO / "exercises" / "backprop.py").read_text(encoding="utf-8")
    exkit.assert_nothing_implemented(exkit.grade_source(tmp_path, "backprop", stub))


@pytest.mark.slow  # one sandboxed grade per variant (2-3 s each)
@pytest.mark.parametrize("override,name", VARIANT_FILES, ids=[n for _, n in VARIANT_FILES])
def test_each_wrong_convention_fails_and_is_named(tmp_path, override, name):
    # on the reference rather than the loop solution: the same verdicts, faster
    source = exkit.reference_source("backprop") + _RIGHT + override
    report = exkit.grade_source(tmp_path, "backprop", source)
    exkit.assert_fails_and_is_named(report, exkit.variant_named(EX, name))


def test_a_mistake_that_is_no_known_variant_is_not_named(tmp_path):
    override = ("def linear_backward(dout, x, weight):\n"
                "    dx, dw, db = _right_linear(dout, x, weight)\n    return 2 * dx, dw, db\n")
    source = exkit.reference_source("backprop") + _RIGHT + override
    report = exkit.grade_source(tmp_path, "backprop", source)
    assert report.exit_code == 1 and report.first_failure.variant == "", report.first_failure


@pytest.mark.parametrize("question,exercise", [
    ("反向传播算法", "backprop"), ("梯度消失与梯度爆炸", "backprop"),
    ("Backprop through a linear layer, by hand", "backprop"),
    ("在机器学习中为什么经常使用梯度下降而不使用牛顿法？", None),
    ("k-means 聚类的步骤", "kmeans"), ("KMeans: how does Lloyd's algorithm stop?", "kmeans"),
])
def test_card_questions_link_to_the_right_exercise(question, exercise):
    from prepcli.catalog import exercise_for

    assert exercise_for(question) == exercise


def test_the_cs231n_reshape_idiom_passes(tmp_path):
    # `x.reshape(N, -1)` (the course's affine_backward, and many ports of it) cannot reshape
    # an empty batch; the contract promises no empty batch for backprop, so none is graded
    source = ("import numpy as np\n\n"
              "def linear_backward(dout, x, weight):\n"
              "    n = x.shape[0]\n"
              "    flat = x.reshape(n, -1)\n"
              "    dx = (dout @ weight).reshape(x.shape)\n"
              "    return dx, dout.T @ flat, dout.sum(axis=0)\n")
    report = exkit.grade_source(tmp_path, "backprop", source)
    assert report.parts["linear_backward"] == "pass", report.first_failure
