"""conv2d_backward (a part of the conv exercise): its reference against hand-derived vectors,
numerical gradients and torch autograd; its cases, variants and a loop-style solution."""

import dataclasses

import numpy as np
import pytest

import exkit
from prepcli.catalog import conv as CB
from prepcli.catalog.conv import conv2d

# The conv exercise narrowed to this part (its cases and variants only).
EX = dataclasses.replace(CB.EXERCISE, parts=(CB.BACKWARD,), make_cases=CB.backward_cases,
                         variants=CB.BACKWARD_VARIANTS)
PART = (CB.BACKWARD,)


def test_reference_matches_the_hand_derived_vectors():
    for v in exkit.hand_vectors("conv2d_backward"):
        args = [np.asarray(a, dtype=np.float64) for a in v["args"].values()]
        expected = tuple(np.asarray(e, dtype=np.float64) for e in v["expected"].values())
        exkit.assert_same(expected, CB.conv2d_backward(*args, **v["kwargs"]), rtol=0,
                          atol=1e-15)


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), ((2, 3), (1, 0)), (3, 2)])
def test_conv2d_backward_matches_numerical_gradients(stride, padding):
    g = np.random.default_rng(7)
    x, w, b = g.normal(size=(2, 2, 7, 6)), g.normal(size=(3, 2, 3, 2)), g.normal(size=3)
    dout = g.normal(size=conv2d(x, w, b, stride, padding).shape)
    loss = lambda x_, w_, b_: float(np.sum(dout * conv2d(x_, w_, b_, stride, padding)))  # noqa: E731
    dx, dw, db = CB.conv2d_backward(dout, x, w, stride, padding)
    np.testing.assert_allclose(dx, exkit.numerical_gradient(lambda v: loss(v, w, b), x), atol=1e-8)
    np.testing.assert_allclose(dw, exkit.numerical_gradient(lambda v: loss(x, v, b), w), atol=1e-8)
    np.testing.assert_allclose(db, exkit.numerical_gradient(lambda v: loss(x, w, v), b), atol=1e-8)


def test_reference_agrees_with_torch_autograd_on_every_case():
    torch = pytest.importorskip("torch")
    worst = 0.0
    for case in EX.cases():
        dout, x, w = (torch.tensor(a) for a in case.args)
        x.requires_grad_(), w.requires_grad_()
        b = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
        y = torch.nn.functional.conv2d(x, w, b, stride=case.kwargs.get("stride", 1),
                                       padding=case.kwargs.get("padding", 0))
        assert y.shape == dout.shape, case.name
        y.backward(dout)
        worst = max(worst, exkit.assert_same(
            case.expected(), (x.grad.numpy(), w.grad.numpy(), b.grad.numpy())))
    print(f"conv2d_backward vs torch autograd, max abs difference {worst:.3g}")


def test_stub_examples_hold_for_the_reference():
    failures, tries = exkit.stub_doctests("conv")
    assert failures == 0 and tries >= 9


def test_cases_cover_every_category_and_sizes_that_do_not_divide():
    cases = EX.cases()
    assert {c.category for c in cases} == {"example", "edge", "random", "timing"}
    assert all(c.seed is not None for c in cases if c.category in ("random", "timing"))
    undivided = 0
    for c in cases:
        dout, x, w = c.args
        s, p = (CB._pair(c.kwargs.get(k, d)) for k, d in (("stride", 1), ("padding", 0)))
        # the windows do not reach the last rows or columns of the padded input
        undivided += any((x.shape[2 + a] + 2 * p[a] - w.shape[2 + a]) % s[a] for a in (0, 1))
    assert undivided >= 3


def test_benchmark_rows_on_tiny_sizes():
    exkit.check_bench_rows("refs_conv2d_backward")


def test_the_solution_prep_drill_shows_is_complete():
    assert exkit.shown_solution_failures("conv") == []


# --- user files: the loop-style solution, the stub, each known wrong convention -----------


_RIGHT = "\n_right_backward = conv2d_backward\n"
_UNFLIPPED = '''
def conv2d_backward(dout, x, weight, stride=1, padding=0):
    # scatters each output's gradient with the kernel turned by 180 degrees: wrong
    dx, dw, db = _right_backward(dout, x, weight[:, :, ::-1, ::-1], stride, padding)
    return dx, _right_backward(dout, x, weight, stride, padding)[1], db
'''
_UNCROPPED = '''
def conv2d_backward(dout, x, weight, stride=1, padding=0):
    p = padding if isinstance(padding, (tuple, list)) else (padding, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    dxp, dw, db = _right_backward(dout, xp, weight, stride, 0)
    return dxp, dw, db
'''
_OVER_N = '''
def conv2d_backward(dout, x, weight, stride=1, padding=0):
    dx, dw, db = _right_backward(dout, x, weight, stride, padding)
    return dx, dw, dout.sum(axis=0)
'''
_PER_SAMPLE = '''
def conv2d_backward(dout, x, weight, stride=1, padding=0):
    dx, dw, db = _right_backward(dout, x, weight, stride, padding)
    return dx, dw, dout.sum(axis=(2, 3))
'''
VARIANT_FILES = [(_UNFLIPPED, "kernel not flipped in dx"),
                 (_UNCROPPED, "padding not cropped from dx"),
                 (_OVER_N, "dbias not summed over H, W"),
                 (_PER_SAMPLE, "dbias not summed over N")]


def test_every_variant_has_a_test_file():
    assert len({exkit.variant_named(EX, n) for _, n in VARIANT_FILES}) == len(EX.variants)


@pytest.mark.parametrize("override,name", VARIANT_FILES, ids=[n for _, n in VARIANT_FILES])
def test_each_wrong_convention_differs_and_its_variant_explains_it(override, name):
    module = exkit.module_from(exkit.loop_source("loop_conv_backward") + _RIGHT + override)
    differs, unexplained = exkit.variant_agreement("conv", exkit.variant_named(EX, name),
                                                   module, PART)
    assert differs > 0 and unexplained == []


def test_the_conv_stub_has_conv2d_backward_not_implemented(tmp_path):
    stub = (exkit.REPO / "exercises" / "conv.py").read_text(encoding="utf-8")
    r = exkit.grade_source(tmp_path, "conv", stub)
    assert r.exit_code == 1 and r.parts[CB.BACKWARD] == "not implemented"


def test_a_conv_file_without_conv2d_backward_passes_on_its_other_parts(tmp_path):
    """The contract: a conv.py written before conv2d_backward existed still passes."""
    source = exkit.reference_source("conv") + "\ndel conv2d_backward\n"
    r = exkit.grade_source(tmp_path, "conv", source)
    assert r.parts == {"conv2d": "pass", "conv2d (dilation, groups)": "pass",
                       CB.BACKWARD: "not implemented"}
    assert r.passed and r.exit_code == 0


def test_loop_conv2d_backward_passes_the_grader(tmp_path):
    source = (exkit.reference_source("conv") + "\n" + exkit.loop_source("loop_conv_backward"))
    exkit.assert_passes_every_case("conv", exkit.grade_source(tmp_path, "conv", source))


@pytest.mark.slow  # one sandboxed grade per variant (2-3 s each)
@pytest.mark.parametrize("override,name", VARIANT_FILES, ids=[n for _, n in VARIANT_FILES])
def test_each_known_variant_fails_and_is_named(tmp_path, override, name):
    # on the reference rather than the loop solution: the same verdicts, faster
    report = exkit.grade_source(tmp_path, "conv", exkit.reference_source("conv") + _RIGHT
                                + override)
    assert report.first_failure.part == CB.BACKWARD
    exkit.assert_fails_and_is_named(report, exkit.variant_named(EX, name))
