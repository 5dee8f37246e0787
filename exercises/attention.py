"""Scaled dot-product attention and multi-head attention, as PyTorch.

Implement `scaled_dot_product_attention` and `multi_head_attention`. Grade them with
`prep grade exercises/attention.py`, or work on them in `prep drill attention`.

scaled_dot_product_attention (as torch.nn.functional.scaled_dot_product_attention, no dropout):
- `q` is (..., L, E), `k` (..., S, E), `v` (..., S, Ev); the result is (..., L, Ev):
  softmax(q @ k^T * scale + mask) @ v, the softmax over the keys (the last axis).
- `scale` defaults to 1 / sqrt(E).
- `attn_mask` is None, a bool array (True = MAY attend; False hides that key) or a float
  array added to the scores (-inf hides); it broadcasts to (..., L, S).
- `is_causal=True` hides key j from query i when j > i (top-left aligned, also when L != S).
  It is never given together with `attn_mask`.

multi_head_attention (as torch.nn.MultiheadAttention(batch_first=True), no dropout):
- `query` is (N, L, E), `key` and `value` (N, S, E); the result is (N, L, E).
- Rows [0:E], [E:2E], [2E:3E] of `in_proj_weight` (3E, E) and of `in_proj_bias` (3E,)
  project query, key and value: x @ W.T + b. Head h takes the contiguous features
  h*E/num_heads ... (h+1)*E/num_heads - 1 of each; each head scales by 1 / sqrt(E / num_heads).
  The heads' outputs are concatenated in order, then concat @ out_proj_weight.T + out_proj_bias.
- `in_proj_bias` and `out_proj_bias` may be None (no bias). E is divisible by num_heads.
- `attn_mask` follows nn.MultiheadAttention, NOT the function above: a bool mask is True where
  attention is NOT allowed; a float mask is added. Its shape is (L, S), or
  (N * num_heads, L, S) with row n * num_heads + h for batch n, head h.

No row is ever fully masked. Do not modify the inputs.

Examples:
>>> q, k = np.array([[np.log(3)]]), np.array([[0.0], [1.0]])
>>> scaled_dot_product_attention(q, k, np.array([[4.0, 0.0], [0.0, 8.0]]))  # weights 1/4, 3/4
array([[1., 6.]])
>>> scaled_dot_product_attention(np.ones((2, 1)), np.ones((2, 1)), np.array([[2.0], [4.0]]),
...                              is_causal=True)    # query 0 sees key 0 only
array([[2.],
       [3.]])
>>> v = np.array([[1.0], [2.0], [6.0]])
>>> scaled_dot_product_attention(np.zeros((1, 1)), np.zeros((3, 1)), v,
...                              attn_mask=np.array([[True, False, True]]))  # keys 0 and 2
array([[3.5]])
>>> eye = np.eye(2)                        # E = 2, two heads of one feature each
>>> x, kv = np.array([[[np.log(3), 0.0]]]), np.array([[[0.0, 2.0], [1.0, 6.0]]])
>>> multi_head_attention(x, kv, kv, 2, np.vstack([eye, eye, eye]), None, eye, None)
array([[[0.75, 4.  ]]])
>>> multi_head_attention(x, kv, kv, 2, np.vstack([eye, eye, eye]), None, eye,
...                      np.array([1.0, -1.0]), attn_mask=np.array([[False, True]]))
array([[[1., 1.]]])
"""

import numpy as np


def scaled_dot_product_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray,
                                 attn_mask: np.ndarray | None = None, is_causal: bool = False,
                                 scale: float | None = None) -> np.ndarray:
    raise NotImplementedError


def multi_head_attention(query: np.ndarray, key: np.ndarray, value: np.ndarray, num_heads: int,
                         in_proj_weight: np.ndarray, in_proj_bias: np.ndarray | None,
                         out_proj_weight: np.ndarray, out_proj_bias: np.ndarray | None,
                         attn_mask: np.ndarray | None = None) -> np.ndarray:
    raise NotImplementedError
