"""Reference kernels: published vectors, brute-force versions, gradients, stub docstrings."""

import doctest
import importlib.util
import itertools
import types

import numpy as np
import pytest

from conftest import REPO
from prepcli.catalog import EXERCISES

# Every reference function of the bundled exercises, by name.
K = types.SimpleNamespace(**{name: fn for ex in ("nms", "iou", "conv", "bn", "pool")
                             for name, fn in EXERCISES[ex].references.items()})


def test_conv_matches_cs231n_conv_forward_naive_vector():
    # CS231n assignment 2, "Convolution: Naive forward pass"
    x = np.linspace(-0.1, 0.5, num=2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    w = np.linspace(-0.2, 0.3, num=3 * 3 * 4 * 4).reshape(3, 3, 4, 4)
    b = np.linspace(-0.1, 0.2, num=3)
    correct = np.array([
        [[[-0.08759809, -0.10987781], [-0.18387192, -0.2109216]],
         [[0.21027089, 0.21661097], [0.22847626, 0.23004637]],
         [[0.50813986, 0.54309974], [0.64082444, 0.67101435]]],
        [[[-0.98053589, -1.03143541], [-1.19128892, -1.24695841]],
         [[0.69108355, 0.66880383], [0.59480972, 0.56776003]],
         [[2.36270298, 2.36904306], [2.38090835, 2.38247847]]]])
    np.testing.assert_allclose(K.conv2d(x, w, b, stride=2, padding=1), correct, atol=1e-8)


def test_max_pool_matches_cs231n_max_pool_forward_naive_vector():
    x = np.linspace(-0.3, 0.4, num=2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    correct = np.array([
        [[[-0.26315789, -0.24842105], [-0.20421053, -0.18947368]],
         [[-0.14526316, -0.13052632], [-0.08631579, -0.07157895]],
         [[-0.02736842, -0.01263158], [0.03157895, 0.04631579]]],
        [[[0.09052632, 0.10526316], [0.14947368, 0.16421053]],
         [[0.20842105, 0.22315789], [0.26736842, 0.28210526]],
         [[0.32631579, 0.34105263], [0.38526316, 0.4]]]])
    np.testing.assert_allclose(K.max_pool2d(x, 2, 2), correct, atol=1e-8)


def test_iou_matches_torchvision_test_vectors():
    # torchvision test/test_ops.py, TestBoxIou and TestGeneralizedBoxIou
    ints = [[0, 0, 100, 100], [0, 0, 50, 50], [200, 200, 300, 300]]
    floats = [[285.3538, 185.5758, 1193.5110, 851.4551],
              [285.1472, 188.7374, 1192.4984, 851.0669],
              [279.2440, 197.9812, 1189.4746, 849.2019]]
    f_expected = [[1.0, 0.9933, 0.9673], [0.9933, 1.0, 0.9737], [0.9673, 0.9737, 1.0]]
    np.testing.assert_allclose(K.box_iou(np.array(ints), np.array(ints)),
                               [[1.0, 0.25, 0.0], [0.25, 1.0, 0.0], [0.0, 0.0, 1.0]], atol=1e-4)
    np.testing.assert_allclose(K.box_iou(floats, floats), f_expected, atol=1e-3)
    np.testing.assert_allclose(K.generalized_box_iou(np.array(ints), np.array(ints)),
                               [[1.0, 0.25, -0.7778], [0.25, 1.0, -0.8611],
                                [-0.7778, -0.8611, 1.0]], atol=1e-4)
    np.testing.assert_allclose(K.generalized_box_iou(floats, floats), f_expected, atol=1e-3)
    assert K.box_iou(np.array(ints), np.array(ints)).dtype == np.float64


def naive_conv(x, w, b, s, p, d, g):
    n, c, h, wd = x.shape
    k, cg, r, ss = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    ho, wo = (h + 2 * p - d * (r - 1) - 1) // s + 1, (wd + 2 * p - d * (ss - 1) - 1) // s + 1
    out = np.zeros((n, k, ho, wo))
    for i, kk, y, z in itertools.product(range(n), range(k), range(ho), range(wo)):
        gi = kk // (k // g)
        patch = xp[i, gi * cg:(gi + 1) * cg, y * s:y * s + d * (r - 1) + 1:d,
                   z * s:z * s + d * (ss - 1) + 1:d]
        out[i, kk, y, z] = (patch * w[kk]).sum() + b[kk]
    return out


@pytest.mark.parametrize("s,p,d,g", [(1, 0, 1, 1), (2, 1, 1, 1), (3, 2, 2, 1), (1, 1, 1, 2),
                                     (2, 0, 2, 4), (1, 1, 1, 4)])
def test_conv_agrees_with_a_loop_to_1e_12(s, p, d, g):
    rng = np.random.default_rng(s * 100 + p * 10 + d + g)
    x = rng.normal(size=(2, 4, 9, 7))
    w = rng.normal(size=(8, 4 // g, 3, 2))
    b = rng.normal(size=8)
    np.testing.assert_allclose(K.conv2d(x, w, b, s, p, d, g), naive_conv(x, w, b, s, p, d, g),
                               rtol=0, atol=1e-12)


def brute_nms(boxes, scores, thr):
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    keep = []
    for i in order:
        if all(K.box_iou(boxes[i:i + 1], boxes[j:j + 1])[0, 0] <= thr for j in keep):
            keep.append(i)
    return keep


def test_nms_agrees_with_brute_force_including_ties():
    rng = np.random.default_rng(7)
    for trial in range(30):
        n = int(rng.integers(0, 40))
        xy = rng.uniform(0, 50, size=(n, 2))
        boxes = np.hstack([xy, xy + rng.uniform(0, 20, size=(n, 2))])
        scores = rng.integers(0, 5, size=n).astype(float)  # many ties
        thr = float(rng.choice([0.0, 0.3, 0.5, 0.7, 1.0]))
        got = K.nms(boxes, scores, thr)
        assert got.dtype == np.int64
        assert got.tolist() == brute_nms(boxes, scores, thr)


def brute_pool(x, k, s, p, op, fill):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=fill)
    ho, wo = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    out = np.zeros((n, c, ho, wo))
    for i, j in itertools.product(range(ho), range(wo)):
        out[:, :, i, j] = op(xp[:, :, i * s:i * s + k, j * s:j * s + k])
    return out


def test_pooling_forward_agrees_with_loops_and_handles_negatives_and_nan():
    rng = np.random.default_rng(3)
    x = -np.abs(rng.normal(size=(2, 3, 7, 6)))  # all negative: a zero pad would show
    for k, s, p in [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 1, 1)]:
        np.testing.assert_array_equal(
            K.max_pool2d(x, k, s, p), brute_pool(x, k, s, p, lambda v: v.max(axis=(2, 3)), -np.inf))
        np.testing.assert_allclose(
            K.avg_pool2d(x, k, s, p), brute_pool(x, k, s, p, lambda v: v.mean(axis=(2, 3)), 0.0),
            atol=1e-12)
    y = x.copy()
    y[0, 0, 0, 0] = np.nan
    assert np.isnan(K.max_pool2d(y, 2)[0, 0, 0, 0]) and not np.isnan(K.max_pool2d(y, 2)[0, 0, 0, 1])
    # count_include_pad=False divides by the real cells: a constant input stays constant
    np.testing.assert_allclose(K.avg_pool2d(np.ones((1, 1, 4, 4)), 3, 1, 1, False), 1.0)
    assert K.avg_pool2d(np.ones((1, 1, 4, 4)), 3, 1, 1, True)[0, 0, 0, 0] == pytest.approx(4 / 9)


def numeric_grad(f, x, dout, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = ((f(xp) - f(xm)) * dout).sum() / (2 * eps)
    return g


@pytest.mark.parametrize("k,s,p", [(2, None, 0), (3, 2, 1), (3, 1, 1)])
def test_pooling_backward_matches_numerical_gradients(k, s, p):
    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, 2, 7, 6))
    dout = rng.normal(size=K.max_pool2d(x, k, s, p).shape)
    np.testing.assert_allclose(K.max_pool2d_backward(dout, x, k, s, p),
                               numeric_grad(lambda v: K.max_pool2d(v, k, s, p), x, dout),
                               atol=1e-6)
    for inc in (True, False):
        np.testing.assert_allclose(
            K.avg_pool2d_backward(dout, x.shape, k, s, p, inc),
            numeric_grad(lambda v: K.avg_pool2d(v, k, s, p, inc), x, dout), atol=1e-6)


def test_max_pool_backward_gives_ties_to_the_first_maximum():
    x = np.zeros((1, 1, 2, 2))
    np.testing.assert_array_equal(K.max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2)[0, 0],
                                  [[1, 0], [0, 0]])


def test_batchnorm_running_stats_follow_pytorch():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(4, 3, 5, 5))
    rm, rv = rng.normal(size=3), rng.uniform(0.5, 2, size=3)
    y, nrm, nrv = K.batchnorm(x, np.ones(3), np.zeros(3), rm, rv, True, 0.2, 1e-5)
    per = x.transpose(1, 0, 2, 3).reshape(3, -1)
    np.testing.assert_allclose(nrm, 0.8 * rm + 0.2 * per.mean(1), atol=1e-12)
    np.testing.assert_allclose(nrv, 0.8 * rv + 0.2 * per.var(1, ddof=1), atol=1e-12)
    np.testing.assert_allclose(y.transpose(1, 0, 2, 3).reshape(3, -1).mean(1), 0, atol=1e-12)
    ye, erm, erv = K.batchnorm(x, np.ones(3), np.zeros(3), rm, rv, training=False)
    np.testing.assert_array_equal(erm, rm)
    assert erm is not rm


@pytest.mark.parametrize("ex", sorted(EXERCISES))
def test_stub_docstring_examples_hold_for_the_reference(ex):
    """Every worked example in exercises/<id>.py is what the reference kernel returns."""
    spec = importlib.util.spec_from_file_location(f"stub_{ex}", EXERCISES[ex].stub_path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    globs = {"np": np, **{fn: EXERCISES[ex].references[fn] for fn in EXERCISES[ex].functions}}
    test = doctest.DocTestParser().get_doctest(mod.__doc__, globs, ex, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 3
