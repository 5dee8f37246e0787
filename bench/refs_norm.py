"""The norm references against a loop implementation and torch (when installed).

    python -m bench.refs_norm [--quick]

One thread for NumPy's BLAS and torch alike, as in the grading sandbox. Runs alternate
(reference, loop, torch, reference, ...) and each figure is a median.
- layer_norm and rms_norm over the last axis of (32, 128, 768) (batch, tokens, width), with
  weight (and bias): against a loop over the rows, and torch F.layer_norm / F.rms_norm;
- group_norm on (8, 64, 56, 56), 32 groups, with weight and bias: against a loop over samples
  and groups, and torch F.group_norm.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"


import numpy as np  # noqa: E402

from bench.common import alternating_medians, print_rows, torch_one_thread  # noqa: E402
from prepcli.catalog import norm as Nm  # noqa: E402


def loop_rows(x, weight, bias, eps, centre=True):
    """layer_norm (centre) or rms_norm over the last axis, one row at a time."""
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty(rows.shape)
    for i, r in enumerate(rows):
        d = r - r.mean() if centre else r
        out[i] = d / np.sqrt(d @ d / d.size + eps)
    out = out * weight
    return (out if bias is None else out + bias).reshape(x.shape)


def loop_group_norm(x, groups, weight, bias, eps):
    n, c = x.shape[:2]
    per = c // groups
    out = np.empty(x.shape)
    for i in range(n):
        for g in range(groups):
            chunk = x[i, g * per:(g + 1) * per]
            d = chunk - chunk.mean()
            out[i, g * per:(g + 1) * per] = d / np.sqrt((d * d).mean() + eps)
    shape = (c,) + (1,) * (x.ndim - 2)
    return out * weight.reshape(shape) + bias.reshape(shape)


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    rng = np.random.default_rng(0)
    torch = torch_one_thread()
    F = torch.nn.functional if torch is not None else None
    T = torch.from_numpy if torch is not None else None
    repeat = 3 if quick else 7
    out = []

    shape = (4, 16, 64) if quick else (32, 128, 768)
    x = rng.normal(size=shape)
    w, b = rng.normal(size=shape[-1]), rng.normal(size=shape[-1])
    for name, ref, loop, theirs in (
            ("layer_norm", lambda: Nm.layer_norm(x, (shape[-1],), w, b),
             lambda: loop_rows(x, w, b, 1e-5),
             lambda: F.layer_norm(T(x), (shape[-1],), T(w), T(b), 1e-5)),
            ("rms_norm", lambda: Nm.rms_norm(x, (shape[-1],), w),
             lambda: loop_rows(x, w, None, 1e-6, centre=False),
             lambda: F.rms_norm(T(x), (shape[-1],), T(w), 1e-6))):
        out += _rows(f"{name} {shape} over the last axis", ref, loop, "loop over rows",
                     theirs if torch is not None else None, f"torch F.{name} (1 thread)", repeat)

    shape = (2, 16, 14, 14) if quick else (8, 64, 56, 56)
    groups = 4 if quick else 32
    x = rng.normal(size=shape)
    w, b = rng.normal(size=shape[1]), rng.normal(size=shape[1])
    out += _rows(f"group_norm {shape}, {groups} groups",
                 lambda: Nm.group_norm(x, groups, w, b),
                 lambda: loop_group_norm(x, groups, w, b, 1e-5), "loop over samples and groups",
                 (lambda: F.group_norm(T(x), groups, T(w), T(b), 1e-5))
                 if torch is not None else None, "torch F.group_norm (1 thread)", repeat)
    return out


def _rows(label, ref, loop, loop_label, theirs, their_label, repeat):
    expected = ref()
    np.testing.assert_allclose(loop(), expected, rtol=1e-10, atol=1e-10)
    fns = {"ref": ref, "loop": loop}
    if theirs is not None:
        np.testing.assert_allclose(theirs().numpy(), expected, rtol=1e-10, atol=1e-10)
        fns["torch"] = theirs
    t = alternating_medians(fns, repeat)
    out = [(label, t["ref"], loop_label, t["loop"])]
    if "torch" in t:
        out.append((label, t["ref"], their_label, t["torch"]))
    return out


if __name__ == "__main__":
    print_rows("norm references", rows)
