"""The attention references against a loop implementation and torch (when installed).

    python -m bench.refs_attention [--quick]

One thread for NumPy's BLAS and torch alike, as in the grading sandbox. Runs alternate
(reference, loop, torch, reference, ...) and each figure is a median.
- scaled_dot_product_attention on q, k, v of (8, 8, 512, 64) (batch, heads, length, width),
  causal: against a loop over batch, heads and query rows (one softmax per row), and against
  torch.nn.functional.scaled_dot_product_attention (float64);
- multi_head_attention with N = 8, L = S = 512, E = 512, 8 heads: against a loop over batch
  and heads, and against torch.nn.MultiheadAttention (float64).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import math  # noqa: E402

import numpy as np  # noqa: E402

from bench.common import alternating_medians, print_rows, torch_one_thread  # noqa: E402
from prepcli.catalog import attention as A  # noqa: E402


def loop_sdpa(q, k, v, is_causal=False):
    """Loops over batch, heads and query rows: one scores row and one softmax each."""
    b, h, L, e = q.shape
    out = np.empty(q.shape[:-1] + (v.shape[-1],))
    scale = 1.0 / math.sqrt(e)
    for i in range(b):
        for j in range(h):
            for r in range(L):
                s = (k[i, j] @ q[i, j, r]) * scale
                if is_causal:
                    s[r + 1:] = -np.inf
                w = np.exp(s - s.max())
                out[i, j, r] = (w / w.sum()) @ v[i, j]
    return out


def loop_mha(x, heads, w_in, b_in, w_out, b_out):
    """Self-attention with loops over batch and heads (one (L, S) matrix each)."""
    n, L, e = x.shape
    d = e // heads
    out = np.empty(x.shape)
    for i in range(n):
        concat = np.empty((L, e))
        for h in range(heads):
            cols = slice(h * d, (h + 1) * d)
            q, k, v = (x[i] @ w_in[p * e:(p + 1) * e][cols].T + b_in[p * e:(p + 1) * e][cols]
                       for p in range(3))
            s = q @ k.T / math.sqrt(d)
            w = np.exp(s - s.max(axis=1, keepdims=True))
            concat[:, cols] = (w / w.sum(axis=1, keepdims=True)) @ v
        out[i] = concat @ w_out.T + b_out
    return out


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    rng = np.random.default_rng(0)
    torch = torch_one_thread()
    repeat = 3 if quick else 5
    out = []

    shape = (2, 2, 64, 16) if quick else (8, 8, 512, 64)
    q, k, v = (rng.normal(size=shape) for _ in range(3))
    ref = A.scaled_dot_product_attention(q, k, v, is_causal=True)
    np.testing.assert_allclose(loop_sdpa(q, k, v, True), ref, rtol=1e-10, atol=1e-12)
    fns = {"ref": lambda: A.scaled_dot_product_attention(q, k, v, is_causal=True),
           "loop": lambda: loop_sdpa(q, k, v, True)}
    if torch is not None:
        F = torch.nn.functional
        tq, tk, tv = (torch.from_numpy(a) for a in (q, k, v))
        np.testing.assert_allclose(F.scaled_dot_product_attention(tq, tk, tv, is_causal=True)
                                   .numpy(), ref, rtol=1e-10, atol=1e-12)
        fns["torch"] = lambda: F.scaled_dot_product_attention(tq, tk, tv, is_causal=True)
    t = alternating_medians(fns, repeat)
    label = f"scaled_dot_product_attention {shape} causal"
    out.append((label, t["ref"], "loop over batch, heads, query rows", t["loop"]))
    if "torch" in t:
        out.append((label, t["ref"], "torch F.scaled_dot_product_attention (1 thread)",
                    t["torch"]))

    n, L, e, heads = (2, 64, 32, 4) if quick else (8, 512, 512, 8)
    x = rng.normal(size=(n, L, e))
    w_in, b_in = rng.normal(size=(3 * e, e)) / math.sqrt(e), rng.normal(size=3 * e)
    w_out, b_out = rng.normal(size=(e, e)) / math.sqrt(e), rng.normal(size=e)
    args = (x, x, x, heads, w_in, b_in, w_out, b_out)
    ref = A.multi_head_attention(*args)
    np.testing.assert_allclose(loop_mha(x, heads, w_in, b_in, w_out, b_out), ref, rtol=1e-10,
                               atol=1e-10)
    fns = {"ref": lambda: A.multi_head_attention(*args),
           "loop": lambda: loop_mha(x, heads, w_in, b_in, w_out, b_out)}
    if torch is not None:
        m = torch.nn.MultiheadAttention(e, heads, batch_first=True, dtype=torch.float64)
        with torch.no_grad():
            for p, a in ((m.in_proj_weight, w_in), (m.in_proj_bias, b_in),
                         (m.out_proj.weight, w_out), (m.out_proj.bias, b_out)):
                p.copy_(torch.from_numpy(a))
        tx = torch.from_numpy(x)

        def run_torch():
            with torch.no_grad():
                return m(tx, tx, tx, need_weights=False)[0]

        np.testing.assert_allclose(run_torch().numpy(), ref, rtol=1e-10, atol=1e-10)
        fns["torch"] = run_torch
    t = alternating_medians(fns, repeat)
    label = f"multi_head_attention N={n}, L=S={L}, E={e}, {heads} heads"
    out.append((label, t["ref"], "loop over batch and heads", t["loop"]))
    if "torch" in t:
        out.append((label, t["ref"], "torch nn.MultiheadAttention (1 thread)", t["torch"]))
    return out


if __name__ == "__main__":
    print_rows("attention references", rows)
