"""The losses exercise's reference against a loop implementation and torch / torchvision.

    python -m bench.refs_losses [--quick]

sigmoid_focal_loss and bce_with_logits (with pos_weight) on RetinaNet-sized (8192, 80)
float64 logits, smooth_l1_loss (beta 1/9) on (100000, 4) box deltas, mean reduction, one
thread. Baselines: the loop-style solution kept as test data (tests/data/loop_losses.py: plain
Python per element), torchvision.ops.sigmoid_focal_loss and torch.nn.functional when
installed. Runs alternate between the reference and the baseline; medians.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

from bench.common import alternating  # noqa: E402
from bench.refs_softmax import _torch, loop_solution, main  # noqa: E402
from prepcli.catalog import losses as L  # noqa: E402


def _torch_fns(torch):
    if torch is None:
        return {}
    import torch.nn.functional as F

    fns = {"smooth_l1_loss": F.smooth_l1_loss, "bce_with_logits": F.binary_cross_entropy_with_logits}
    try:
        from torchvision.ops import sigmoid_focal_loss

        fns["sigmoid_focal_loss"] = sigmoid_focal_loss
    except Exception:  # torchvision absent, or broken beside this torch: no such row
        pass
    return fns


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    n, boxes = (256, 2000) if quick else (8192, 100_000)
    repeat, loop_repeat = (3, 1) if quick else (7, 3)
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=3, size=(n, 80))
    targets = (rng.uniform(size=(n, 80)) < 0.01).astype(np.float64)
    pos_weight = rng.uniform(0.5, 3, size=80)
    deltas, goal = rng.normal(size=(boxes, 4)), rng.normal(size=(boxes, 4))
    inputs = {
        "sigmoid_focal_loss": ((logits, targets), dict(reduction="mean"), f"({n}, 80)"),
        "smooth_l1_loss": ((deltas, goal), dict(beta=1 / 9), f"({boxes}, 4)"),
        "bce_with_logits": ((logits, targets), dict(pos_weight=pos_weight), f"({n}, 80)"),
    }
    loop = loop_solution("losses")
    torch = _torch()
    theirs = _torch_fns(torch)
    out = []
    for name, (args, kw, size) in inputs.items():
        label = f"{name} {size} float64"
        ref, slow = getattr(L, name), getattr(loop, name)
        np.testing.assert_allclose(ref(*args, **kw), slow(*args, **kw), rtol=1e-9)
        t, base = alternating(lambda: ref(*args, **kw), lambda: slow(*args, **kw), loop_repeat)
        out.append((label, t, "loop, Python per element", base))
        if name in theirs:
            targs = [torch.from_numpy(a) for a in args]
            tkw = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v
                   for k, v in kw.items()}
            fn = theirs[name]
            np.testing.assert_allclose(ref(*args, **kw), fn(*targs, **tkw).numpy(), rtol=1e-10)
            t, base = alternating(lambda: ref(*args, **kw), lambda: fn(*targs, **tkw), repeat)
            out.append((label, t, "torch / torchvision (1 thread)", base))
    return out


if __name__ == "__main__":
    main("losses reference", rows)
