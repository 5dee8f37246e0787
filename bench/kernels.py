"""Exercise benchmarks: grading end to end, and the reference kernels against baselines.

    python -m bench.kernels [--quick]

Everything runs on one thread (NumPy's BLAS and torch alike), as the grading sandbox does.

- grading each exercise end to end (`prep grade` on the reference written as a user file);
  baseline: the same grade of the untouched stub (sandbox start-up with nothing to run);
- reference conv2d on (8, 64, 56, 56) x (64, 64, 3, 3), padding 1, against a straightforward
  loop implementation (loops over output pixels, one dot product each), and against
  torch.nn.functional.conv2d when torch is installed (float32 and float64);
- reference max/avg pooling on (8, 64, 112, 112), 2x2, against a loop over output pixels and
  torch when installed;
- reference NMS on 2,000 boxes against a brute-force loop over box pairs, and against
  torchvision.ops.nms when installed.
"""

from __future__ import annotations

import os

# One BLAS thread, as in the grading sandbox, and torch below gets one too: like for like.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import tempfile
from pathlib import Path

import numpy as np  # noqa: E402

from bench.common import best_of, machine
from prepcli.catalog import EXERCISES
from prepcli.catalog.conv import conv2d
from prepcli.catalog.nms import nms
from prepcli.catalog.pool import avg_pool2d, max_pool2d
from prepcli.catalog.standalone import for_exercise
from prepcli.drills.grader import grade



def loop_conv(x, w, pad):
    n, c, h, wd = x.shape
    k, _, r, s = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho, wo = h + 2 * pad - r + 1, wd + 2 * pad - s + 1
    out = np.zeros((n, k, ho, wo), dtype=x.dtype)
    wf = w.reshape(k, -1)
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = xp[:, :, i:i + r, j:j + s].reshape(n, -1) @ wf.T
    return out


def naive_conv(x, w, pad):
    """The textbook version: four loops (N, K, Ho, Wo), one window sum per output value."""
    n, c, h, wd = x.shape
    k, _, r, s = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho, wo = h + 2 * pad - r + 1, wd + 2 * pad - s + 1
    out = np.zeros((n, k, ho, wo), dtype=x.dtype)
    for i in range(n):
        for f in range(k):
            for y in range(ho):
                for z in range(wo):
                    out[i, f, y, z] = np.sum(xp[i, :, y:y + r, z:z + s] * w[f])
    return out


def loop_pool(x, k, op):
    n, c, h, w = x.shape
    out = np.zeros((n, c, h // k, w // k), dtype=x.dtype)
    for i in range(h // k):
        for j in range(w // k):
            out[:, :, i, j] = op(x[:, :, i * k:i * k + k, j * k:j * k + k], axis=(2, 3))
    return out


def loop_nms(boxes, scores, thr):
    """NMS as written by hand without NumPy: a loop over box pairs, float arithmetic."""
    b = boxes.tolist()
    order = sorted(range(len(b)), key=lambda i: (-scores[i], i))
    keep, dead = [], [False] * len(b)
    for a, i in enumerate(order):
        if dead[i]:
            continue
        keep.append(i)
        x1, y1, x2, y2 = b[i]
        area_i = (x2 - x1) * (y2 - y1)
        for j in order[a + 1:]:
            if dead[j]:
                continue
            u1, v1, u2, v2 = b[j]
            w = min(x2, u2) - max(x1, u1)
            h = min(y2, v2) - max(y1, v1)
            if w > 0 and h > 0:
                inter = w * h
                if inter / (area_i + (u2 - u1) * (v2 - v1) - inter) > thr:
                    dead[j] = True
    return np.array(keep)


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    out = []
    rng = np.random.default_rng(0)
    try:
        import torch
        import torch.nn.functional as F

        torch.set_num_threads(1)
    except ImportError:
        torch = None
    # grading end to end
    with tempfile.TemporaryDirectory() as tmp:
        for ex in EXERCISES:
            f = Path(tmp) / f"{ex}.py"
            f.write_text(for_exercise(EXERCISES[ex]))
            t = best_of(lambda: grade(f), 1 if quick else 3)
            base = best_of(lambda: grade(EXERCISES[ex].stub_path), 1 if quick else 3)
            out.append((f"grade {ex} (reference as user file)", t, "grading the pristine stub",
                        base))
    # conv
    shape_x, shape_w = ((2, 16, 28, 28), (16, 16, 3, 3)) if quick else ((8, 64, 56, 56),
                                                                        (64, 64, 3, 3))
    for dtype in (np.float64, np.float32):
        x = rng.normal(size=shape_x).astype(dtype)
        w = rng.normal(size=shape_w).astype(dtype)
        ref = best_of(lambda: conv2d(x, w, padding=1), 3)
        label = f"conv2d {shape_x}x{shape_w} {np.dtype(dtype).name}"
        if dtype == np.float64:
            np.testing.assert_allclose(conv2d(x, w, padding=1), loop_conv(x, w, 1), atol=1e-9)
            out.append((label, ref, "loop over output pixels (GEMM each)",
                        best_of(lambda: loop_conv(x, w, 1), 1)))
            out.append((label, ref, "naive loops over N, K, Ho, Wo",
                        best_of(lambda: naive_conv(x, w, 1), 1)))
        if torch is not None:
            tx, tw = torch.from_numpy(x), torch.from_numpy(w)
            t = best_of(lambda: F.conv2d(tx, tw, padding=1), 3)
            np.testing.assert_allclose(conv2d(x, w, padding=1), F.conv2d(tx, tw, padding=1).numpy(),
                                       rtol=1e-3 if dtype == np.float32 else 1e-9, atol=1e-3)
            out.append((label, ref, "torch F.conv2d (1 thread)", t))
    # pooling
    xs = (2, 16, 56, 56) if quick else (8, 64, 112, 112)
    x = rng.normal(size=xs)
    for name, fn, op, tfn in (("max_pool2d", max_pool2d, np.max, "max_pool2d"),
                              ("avg_pool2d", avg_pool2d, np.mean, "avg_pool2d")):
        ref = best_of(lambda: fn(x, 2), 3)
        np.testing.assert_allclose(fn(x, 2), loop_pool(x, 2, op), atol=1e-12)
        out.append((f"{name} {xs} 2x2", ref, "loop over output pixels",
                    best_of(lambda: loop_pool(x, 2, op), 1)))
        if torch is not None:
            tx = torch.from_numpy(x)
            out.append((f"{name} {xs} 2x2", ref, "torch (1 thread)",
                        best_of(lambda: getattr(F, tfn)(tx, 2), 3)))
    # nms
    n = 2000
    xy = rng.uniform(0, 1000, size=(n, 2))
    boxes = np.hstack([xy, xy + rng.uniform(10, 80, size=(n, 2))])
    scores = rng.uniform(size=n)
    ref = best_of(lambda: nms(boxes, scores, 0.5), 5)
    assert nms(boxes, scores, 0.5).tolist() == loop_nms(boxes, scores, 0.5).tolist()
    out.append((f"nms {n} boxes", ref, "loop over box pairs", best_of(
        lambda: loop_nms(boxes, scores, 0.5), 1)))
    try:
        import torchvision

        tb, ts = torch.from_numpy(boxes), torch.from_numpy(scores)
        out.append((f"nms {n} boxes", ref, "torchvision.ops.nms",
                    best_of(lambda: torchvision.ops.nms(tb, ts, 0.5), 5)))
    except Exception:  # torchvision absent (or broken beside this torch): no such row
        pass
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = ap.parse_args()
    print(f"# exercise benchmarks ({machine()})")
    print(f"{'measure':<52} {'prep s':>9} {'baseline':<28} {'base s':>9} {'base/prep':>9}")
    for label, t, base_label, base in rows(args.quick):
        print(f"{label:<52} {t:>9.4f} {base_label:<28} {base:>9.4f} {base / t:>9.2f}")


if __name__ == "__main__":
    main()
