"""The conv2d_backward reference against a loop implementation and torch autograd.

    python -m bench.refs_conv2d_backward [--quick]

The loop implementation (tests/data/loop_conv_backward.py) loops over the output positions;
torch is timed on its backward pass alone (`torch.autograd.grad` on a graph built once). One
thread everywhere.
"""

from __future__ import annotations

from bench import refs_common as rc  # first: one BLAS thread before NumPy loads
from bench.common import print_rows, torch_one_thread
from prepcli.catalog.conv import conv2d_backward
from prepcli.catalog.base import np


def rows(quick: bool) -> list[rc.Row]:
    loop, torch = rc.load_loop("loop_conv_backward"), torch_one_thread()
    n, c, h, k = (1, 4, 8, 4) if quick else (4, 32, 32, 32)
    g = np.random.default_rng(0)
    x, w = g.normal(size=(n, c, h, h)), g.normal(size=(k, c, 3, 3))
    dout = g.normal(size=(n, k, h, h))
    baselines = [("loop implementation", lambda: loop.conv2d_backward(dout, x, w, 1, 1))]
    if torch is not None:
        tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
        tb = torch.zeros(k, dtype=torch.float64, requires_grad=True)
        y, tdout = torch.nn.functional.conv2d(tx, tw, tb, padding=1), torch.tensor(dout)
        baselines.append(("torch autograd float64 (backward only)",
                          lambda: torch.autograd.grad(y, (tx, tw, tb), tdout, retain_graph=True)))
    return rc.compare(f"conv2d_backward: ({n},{c},{h},{h}) x ({k},{c},3,3), padding 1",
                      lambda: conv2d_backward(dout, x, w, 1, 1), baselines, 3 if quick else 5)


if __name__ == "__main__":
    print_rows("conv2d_backward reference against a loop and torch autograd", rows)
