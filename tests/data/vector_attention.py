# exercise: attention
"""A correct vectorised solution as a user would write it (independent of the reference).
tests/test_ex_attention.py edits single lines of it to make each known wrong convention."""

import numpy as np


def _softmax(s, axis):
    s = s - s.max(axis=axis, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=axis, keepdims=True)


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, scale=None):
    if scale is None:
        scale = 1 / np.sqrt(q.shape[-1])
    s = q @ np.swapaxes(k, -1, -2) * scale
    L, S = s.shape[-2:]
    if is_causal:
        s = np.where(np.tril(np.ones((L, S), dtype=bool)), s, -np.inf)
    if attn_mask is not None:
        if attn_mask.dtype == bool:
            s = np.where(attn_mask, s, -np.inf)
        else:
            s = s + attn_mask
    return _softmax(s, axis=-1) @ v


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias,
                         out_proj_weight, out_proj_bias, attn_mask=None):
    N, L, E = query.shape
    S = key.shape[1]
    d = E // num_heads
    w_q, w_k, w_v = in_proj_weight[:E], in_proj_weight[E:2 * E], in_proj_weight[2 * E:]
    b_q = b_k = b_v = 0.0
    if in_proj_bias is not None:
        b_q, b_k, b_v = in_proj_bias[:E], in_proj_bias[E:2 * E], in_proj_bias[2 * E:]

    def split(x):
        return x.reshape(N, -1, num_heads, d).transpose(0, 2, 1, 3)

    q, k, v = split(query @ w_q.T + b_q), split(key @ w_k.T + b_k), split(value @ w_v.T + b_v)
    mask = attn_mask
    if mask is not None:
        if mask.ndim == 3:
            mask = mask.reshape(N, num_heads, L, S)
        if mask.dtype == bool:
            mask = ~mask  # nn.MultiheadAttention: True = not allowed
    o = scaled_dot_product_attention(q, k, v, mask, scale=1 / np.sqrt(d))
    o = o.transpose(0, 2, 1, 3).reshape(N, L, E)
    out = o @ out_proj_weight.T
    return out if out_proj_bias is None else out + out_proj_bias
