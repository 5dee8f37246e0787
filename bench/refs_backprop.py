"""The backprop references against a loop implementation and torch autograd.

    python -m bench.refs_backprop [--quick]

The loop implementation is the loop-style solution kept as test data
(tests/data/loop_backprop.py); torch is timed on its backward pass alone
(`torch.autograd.grad` on a graph built once). One thread everywhere.
"""

from __future__ import annotations

from bench import refs_common as rc  # first: one BLAS thread before NumPy loads
from bench.common import print_rows, torch_one_thread
from prepcli.catalog import backprop as B
from prepcli.catalog.base import np


def rows(quick: bool) -> list[rc.Row]:
    loop, torch = rc.load_loop("loop_backprop"), torch_one_thread()
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
         lambda: loop.linear_backward(dout, x, w)),
        (f"relu_backward {shape}", lambda: B.relu_backward(rdout, rx),
         lambda: loop.relu_backward(rdout, rx)),
        (f"cross_entropy_backward N={ln}, C={lc}", lambda: B.cross_entropy_backward(logits, target),
         lambda: loop.cross_entropy_backward(logits, target)),
    ]
    grads = _torch_backwards(torch, x, w, dout, rx, rdout, logits, target) if torch else None
    out = []
    for i, (label, ref, base) in enumerate(jobs):
        baselines = [("loop implementation", base)]
        if grads:
            baselines.append(("torch autograd float64 (backward only)", grads[i]))
        out += rc.compare(f"backprop: {label}", ref, baselines, rep)
    return out


def _torch_backwards(torch, x, w, dout, rx, rdout, logits, target) -> list:
    """The three backward passes in torch, each on a graph built once."""
    F = torch.nn.functional
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    tb = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
    lin, tdout = F.linear(tx, tw, tb), torch.tensor(dout)
    trx = torch.tensor(rx, requires_grad=True)
    relu, trdout = torch.relu(trx), torch.tensor(rdout)
    tl = torch.tensor(logits, requires_grad=True)
    ce = F.cross_entropy(tl, torch.tensor(target))
    grad = torch.autograd.grad
    return [lambda: grad(lin, (tx, tw, tb), tdout, retain_graph=True),
            lambda: grad(relu, (trx,), trdout, retain_graph=True),
            lambda: grad(ce, (tl,), retain_graph=True)]


if __name__ == "__main__":
    print_rows("backprop references against loops and torch autograd", rows)
