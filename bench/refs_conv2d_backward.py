"""The conv2d_backward reference against a loop implementation and torch autograd.

    python -m bench.refs_conv2d_backward [--quick]

One thread for NumPy's BLAS and torch alike, as in the grading sandbox. The loop
implementation (tests/data/loop_conv_backward.py) loops over the output positions; torch is
timed on its backward pass alone (`torch.autograd.grad` on a graph built once).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402

import numpy as np  # noqa: E402

from bench.refs_common import alternating_medians, load_loop, print_rows, torch_one_thread  # noqa: E402
from prepcli.catalog._conv_backward import conv2d_backward  # noqa: E402


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    """(label, reference seconds, baseline label, baseline seconds), medians of alternating
    runs."""
    loop = load_loop("loop_conv_backward")
    torch = torch_one_thread()
    n, c, h, k = (1, 4, 8, 4) if quick else (4, 32, 32, 32)
    g = np.random.default_rng(0)
    x, w, dout = g.normal(size=(n, c, h, h)), g.normal(size=(k, c, 3, 3)), g.normal(size=(n, k, h, h))
    fns = [lambda: conv2d_backward(dout, x, w, 1, 1), lambda: loop.conv2d_backward(dout, x, w, 1, 1)]
    if torch is not None:
        tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
        tb = torch.zeros(k, dtype=torch.float64, requires_grad=True)
        y = torch.nn.functional.conv2d(tx, tw, tb, padding=1)
        tdout = torch.tensor(dout)
        fns.append(lambda: torch.autograd.grad(y, (tx, tw, tb), tdout, retain_graph=True))
    times = alternating_medians(fns, 3 if quick else 5)
    label = f"conv2d_backward: ({n},{c},{h},{h}) x ({k},{c},3,3), padding 1"
    out = [(label, times[0], "loop implementation", times[1])]
    if torch is not None:
        out.append((label, times[0], "torch autograd float64 (backward only)", times[2]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print_rows(rows(ap.parse_args().quick))


if __name__ == "__main__":
    main()
