"""The interp references (bilinear_resize, roi_align) against a loop implementation and
torch / torchvision.

    python -m bench.refs_interp [--quick]

One thread everywhere (NumPy's BLAS and torch), as in the grading sandbox; float64 on both
sides; the runs alternate and each figure is a median. The loop implementation is the
loop-style solution kept as test data (tests/data/loop_interp.py): loops over output pixels,
bins and samples, NumPy across channels.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from bench.common import alternating_medians, machine  # noqa: E402
from prepcli.catalog.interp import bilinear_resize, roi_align  # noqa: E402

LOOP = Path(__file__).resolve().parent.parent / "tests" / "data" / "loop_interp.py"


def _loop():
    spec = importlib.util.spec_from_file_location("loop_interp", LOOP)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _torch():
    try:
        import torch
        import torchvision  # noqa: F401  (registers torch.ops.torchvision)
    except Exception:  # not installed, or a torchvision that does not match this torch
        return None
    torch.set_num_threads(1)
    return torch


def boxes(rng, k, n, h, w, lo=4.0, hi=48.0):
    """k boxes (batch, x1, y1, x2, y2) of 4 to 48 pixels, anywhere on the map."""
    wh = rng.uniform(lo, hi, size=(k, 2))
    xy = rng.uniform(0, 1, size=(k, 2)) * (np.array([w, h]) - wh)
    return np.hstack([rng.integers(0, n, size=(k, 1)), xy, xy + wh]).astype(np.float64)


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    """(measure, reference seconds, baseline, baseline seconds)."""
    rng = np.random.default_rng(0)
    loop, torch = _loop(), _torch()
    repeat = 3 if quick else 5
    out = []

    shape, size = ((2, 8, 32, 32), (48, 48)) if quick else ((8, 64, 128, 128), (256, 256))
    x = rng.normal(size=shape)
    label = f"bilinear_resize {shape} -> {size}"
    ref, base = alternating_medians([lambda: bilinear_resize(x, size),
                                     lambda: loop.bilinear_resize(x, size)], repeat)
    out.append((label, ref, "loop over output pixels", base))
    if torch is not None:
        tx = torch.from_numpy(x)
        f = torch.nn.functional.interpolate
        ref, base = alternating_medians([lambda: bilinear_resize(x, size),
                                         lambda: f(tx, size=size, mode="bilinear",
                                                   align_corners=False)], repeat)
        out.append((label, ref, "torch interpolate (1 thread)", base))

    shape, k = ((1, 16, 32, 32), 32) if quick else ((2, 256, 64, 64), 512)
    x = rng.normal(size=shape)
    b = boxes(rng, k, shape[0], shape[2], shape[3], 2.0 if quick else 4.0,
              16.0 if quick else 48.0)
    label = f"roi_align {k} boxes on {shape}, 7x7"
    # The loop takes ~10 s at full size: one run of each there.
    ref, base = alternating_medians([lambda: roi_align(x, b, 7),
                                     lambda: loop.roi_align(x, b, 7)], 3 if quick else 1)
    out.append((label, ref, "loop over boxes, bins, samples", base))
    if torch is not None:
        tx, tb = torch.from_numpy(x), torch.from_numpy(b)
        kernel = torch.ops.torchvision.roi_align
        ref, base = alternating_medians([lambda: roi_align(x, b, 7),
                                         lambda: kernel(tx, tb, 1.0, 7, 7, -1, False)], repeat)
        out.append((label, ref, "torchvision roi_align (1 thread)", base))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = ap.parse_args()
    print(f"# interp references ({machine()})")
    print(f"{'measure':<50} {'prep s':>9} {'baseline':<34} {'base s':>9} {'base/prep':>9}")
    for label, t, base_label, base in rows(args.quick):
        print(f"{label:<50} {t:>9.4f} {base_label:<34} {base:>9.4f} {base / t:>9.2f}")


if __name__ == "__main__":
    main()
