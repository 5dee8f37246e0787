"""The backprop references against a loop implementation and torch autograd.

    python -m bench.refs_backprop [--quick]

One thread for NumPy's BLAS and torch alike, as in the grading sandbox. The loop
implementation is the loop-style solution kept as test data (tests/data/loop_backprop.py);
torch is timed on its backward pass alone (`torch.autograd.grad` on a graph built once).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402

import numpy as np  # noqa: E402

from bench.refs_common import alternating_medians, load_loop, print_rows, torch_one_thread  # noqa: E402
from prepcli.catalog import backprop as B  # noqa: E402


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    """(label, reference seconds, baseline label, baseline seconds), medians of alternating
    runs."""
    loop = load_loop("loop_backprop")
    torch = torch_one_thread()
    rep = 3 if quick else 7
    g = np.random.default_rng(0)
    n, fin, fout = (32, 64, 32) if quick else (256, 512, 256)
    x, w, dout = g.normal(size=(n, fin)), g.normal(size=(fout, fin)), g.normal(size=(n, fout))
    shape = (2, 8, 16, 16) if quick else (16, 64, 32, 32)
    rx, rdout = g.normal(size=shape), g.normal(size=shape)
    ln, lc = (64, 100) if quick else (2048, 1000)
    logits, target = 3 * g.normal(size=(ln, lc)), g.integers(0, lc, size=ln)
    jobs = [
        (f"linear_backward N={n}, in={fin}, out={fout}", lambda: B.linear_backward(dout, x, w),
         lambda: loop.linear_backward(dout, x, w), "torch_linear"),
        (f"relu_backward {shape}", lambda: B.relu_backward(rdout, rx),
         lambda: loop.relu_backward(rdout, rx), "torch_relu"),
        (f"cross_entropy_backward N={ln}, C={lc}", lambda: B.cross_entropy_backward(logits, target),
         lambda: loop.cross_entropy_backward(logits, target), "torch_ce"),
    ]
    out = []
    for label, ref, base, torch_job in jobs:
        fns = [ref, base]
        if torch is not None:
            fns.append(_torch_backward(torch, torch_job, x, w, dout, rx, rdout, logits, target))
        times = alternating_medians(fns, rep)
        out.append((f"backprop: {label}", times[0], "loop implementation", times[1]))
        if torch is not None:
            out.append((f"backprop: {label}", times[0], "torch autograd (backward only)",
                        times[2]))
    return out


def _torch_backward(torch, job, x, w, dout, rx, rdout, logits, target):
    F = torch.nn.functional
    if job == "torch_linear":
        tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
        tb = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
        y, g, inputs = F.linear(tx, tw, tb), torch.tensor(dout), (tx, tw, tb)
    elif job == "torch_relu":
        tx = torch.tensor(rx, requires_grad=True)
        y, g, inputs = torch.relu(tx), torch.tensor(rdout), (tx,)
    else:
        tl = torch.tensor(logits, requires_grad=True)
        y, g, inputs = F.cross_entropy(tl, torch.tensor(target)), None, (tl,)
    return lambda: torch.autograd.grad(y, inputs, g, retain_graph=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print_rows(rows(ap.parse_args().quick))


if __name__ == "__main__":
    main()
