# exercise: attention
"""A correct solution written the straightforward way (loops over batch entries, heads and
query rows, one softmax per row), independent of the reference: every case must pass."""

import math

import numpy as np


def _row(qi, k, v, scale, allowed, added):
    """Attention of one query row: allowed[j] False hides key j, added[j] is added."""
    scores = np.where(allowed, (k @ qi) * scale + added, -math.inf)
    weights = np.exp(scores - scores.max())
    return (weights / weights.sum()) @ v


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, scale=None):
    L, E = q.shape[-2:]
    S, Ev = v.shape[-2:]
    scale = 1.0 / math.sqrt(E) if scale is None else scale
    mask = np.zeros((L, S)) if attn_mask is None else np.asarray(attn_mask)
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2], mask.shape[:-2])
    q = np.broadcast_to(q, batch + (L, E))
    k = np.broadcast_to(k, batch + (S, E))
    v = np.broadcast_to(v, batch + (S, Ev))
    mask = np.broadcast_to(mask, batch + (L, S))
    out = np.zeros(batch + (L, Ev))
    for b in np.ndindex(*batch):
        for i in range(L):
            m = mask[b][i]
            if m.dtype == bool:
                allowed, added = m, 0.0
            else:
                allowed, added = True, m
            if is_causal:
                allowed = np.arange(S) <= i
            out[b][i] = _row(q[b][i], k[b], v[b], scale, allowed, added)
    return out


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias,
                         out_proj_weight, out_proj_bias, attn_mask=None):
    N, L, E = query.shape
    S = key.shape[1]
    d = E // num_heads
    out = np.zeros((N, L, E))
    for n in range(N):
        concat = np.zeros((L, E))
        for h in range(num_heads):
            rows = slice(h * d, (h + 1) * d)
            proj = []
            for which, x in enumerate((query[n], key[n], value[n])):
                w = in_proj_weight[which * E:(which + 1) * E][rows]
                b = 0.0 if in_proj_bias is None else in_proj_bias[which * E:(which + 1) * E][rows]
                proj.append(x @ w.T + b)
            qh, kh, vh = proj
            if attn_mask is None:
                m = None
            else:
                m = attn_mask if attn_mask.ndim == 2 else attn_mask[n * num_heads + h]
            for i in range(L):
                if m is None:
                    allowed, added = True, 0.0
                elif m.dtype == bool:  # nn.MultiheadAttention: True = not allowed
                    allowed, added = ~m[i], 0.0
                else:
                    allowed, added = True, m[i]
                concat[i, rows] = _row(qh[i], kh, vh, 1.0 / math.sqrt(d), allowed, added)
        out[n] = concat @ out_proj_weight.T
        if out_proj_bias is not None:
            out[n] += out_proj_bias
    return out
