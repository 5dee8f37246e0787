"""Exercise `attention`: scaled dot-product attention and multi-head attention, as PyTorch.

The two functions take opposite boolean masks, as PyTorch does: for
`F.scaled_dot_product_attention` True means "may attend", for `nn.MultiheadAttention` True
means "not allowed". Cases never mask a whole row (and their bool masks leave every row with
both allowed and hidden keys, so a mask read the wrong way round hides no whole row either).
"""

from __future__ import annotations

import math

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern

SEED = 20240614  # the sweep is the same on every run, so a failure can be replayed
SDPA, MHA = "scaled_dot_product_attention", "multi_head_attention"
SDPA_ARGS = ("q", "k", "v")
MHA_ARGS = ("query", "key", "value", "num_heads", "in_proj_weight", "in_proj_bias",
            "out_proj_weight", "out_proj_bias")


# --- reference ----------------------------------------------------------------------------

def _softmax_(scores, axis=-1):
    """Softmax in place (the scores are (..., L, S): no more full-size temporaries). Only the
    wrong variants meet an all -inf slice (a masked column read as a row): NaN, quietly."""
    with np.errstate(invalid="ignore"):
        scores -= scores.max(axis=axis, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=axis, keepdims=True)
    return scores


def _attend(q, k, v, attn_mask=None, is_causal=False, scale=None, axis=-1):
    """SDPA with the softmax over `axis` (-1 is right; -2 is a known wrong variant), a block
    of (L, S) score matrices at a time (the batch axes of q, k, v and the mask broadcast).

    Blocks of about 2 MiB of scores: the softmax makes four passes over them, and on the whole
    (N, h, L, S) array (134 MB at 8 x 8 x 512 x 512) each pass went to main memory, which
    made this slower than a loop over heads."""
    block = 1 << 18
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    m = None if attn_mask is None else np.asarray(attn_mask)
    L, S = q.shape[-2], k.shape[-2]
    lead = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2],
                               *(() if m is None else (m.shape[:-2],)))
    q, k, v = (np.broadcast_to(a, lead + a.shape[-2:]) for a in (q, k, v))
    if m is not None:
        m = np.broadcast_to(m, lead + (L, S))
    hidden = ~np.tri(L, S, dtype=bool) if is_causal else None  # top-left aligned, L != S too
    split = 0  # blocks are indexed by lead[:split] and each holds lead[split:] score matrices
    while split < len(lead) and math.prod(lead[split:]) * L * S > block:
        split += 1
    out = np.empty(lead + (L, v.shape[-1]))
    for i in np.ndindex(*lead[:split]):
        scores = q[i] @ np.swapaxes(k[i], -1, -2)
        scores *= scale
        if hidden is not None:
            np.copyto(scores, -np.inf, where=hidden)
        if m is not None:
            if m.dtype == bool:
                np.copyto(scores, -np.inf, where=~m[i])
            else:
                scores += m[i]
        out[i] = _softmax_(scores, axis) @ v[i]
    return out


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, scale=None):
    return _attend(q, k, v, attn_mask, is_causal, scale)


def _split(x, h, transposed=True):
    """(N, T, E) -> (N, h, T, E/h): head h takes the contiguous features h*E/h ... .
    (transposed=False, a known wrong variant: a bare reshape to (N, h, T, E/h).)"""
    n, t, e = x.shape
    if not transposed:
        return x.reshape(n, h, t, e // h)
    return x.reshape(n, t, h, e // h).transpose(0, 2, 1, 3)


def _merge(o, transposed=True):
    """(N, h, T, E/h) -> (N, T, E), the heads' features side by side: _split undone."""
    n, h, t, d = o.shape
    if not transposed:
        return o.reshape(n, t, h * d)
    return o.transpose(0, 2, 1, 3).reshape(n, t, h * d)


def _mha(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight,
         out_proj_bias, attn_mask=None, *, scale=None, axis=-1, transposed=True):
    """Multi-head attention; the keyword-only arguments let the wrong variants reuse it."""
    n, L, e = query.shape
    S = key.shape[1]
    w = np.split(np.asarray(in_proj_weight, dtype=np.float64), 3)
    b = ([None] * 3 if in_proj_bias is None
         else np.split(np.asarray(in_proj_bias, dtype=np.float64), 3))
    q, k, v = (_split(x @ wi.T + (0.0 if bi is None else bi), num_heads, transposed)
               for x, wi, bi in zip((query, key, value), w, b))
    mask = None
    if attn_mask is not None:
        mask = np.asarray(attn_mask)
        if mask.ndim == 3:  # row n * num_heads + h is batch n, head h
            mask = mask.reshape(n, num_heads, L, S)
        if mask.dtype == bool:  # nn.MultiheadAttention: True = NOT allowed; SDPA: allowed
            mask = ~mask
    if scale is None:
        scale = 1.0 / math.sqrt(e // num_heads)
    out = _merge(_attend(q, k, v, mask, False, scale, axis), transposed)
    out = out @ np.asarray(out_proj_weight, dtype=np.float64).T
    return out if out_proj_bias is None else out + out_proj_bias


def multi_head_attention(query, key, value, num_heads, in_proj_weight, in_proj_bias,
                         out_proj_weight, out_proj_bias, attn_mask=None):
    return _mha(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj_weight,
                out_proj_bias, attn_mask)


# --- cases --------------------------------------------------------------------------------

def _bool_mask(rng, shape):
    """A random bool mask in which every row has both True and False (so neither reading of
    the polarity masks a whole row)."""
    m = rng.uniform(size=shape) < 0.6
    S = shape[-1]
    flat = m.reshape(-1, S)
    rows = np.arange(flat.shape[0])
    a = rng.integers(0, S, size=flat.shape[0])
    flat[rows, a] = True
    flat[rows, (a + 1 + rng.integers(0, S - 1, size=flat.shape[0])) % S] = False
    return flat.reshape(shape)


def _sdpa(name, cat, q, k, v, seed=None, **kw):
    return Case(name, SDPA, SDPA, cat, tuple(np.asarray(a, dtype=np.float64) for a in (q, k, v)),
                kw, SDPA_ARGS, seed=seed)


def _mha_case(name, cat, args, seed=None, **kw):
    return Case(name, MHA, MHA, cat, args, kw, MHA_ARGS, seed=seed)


def _mha_args(rng, n, L, S, e, h, biases=True):
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    return (r(n, L, e), r(n, S, e), r(n, S, e), h, r(3 * e, e) / math.sqrt(e),
            r(3 * e) if biases else None, r(e, e) / math.sqrt(e), r(e) if biases else None)


def _sdpa_cases() -> list[Case]:
    ln3 = math.log(3.0)
    rng = np.random.default_rng(SEED)
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    out = [
        _sdpa("example 1: weights 1/4 and 3/4", "example", [[ln3]], [[0.0], [1.0]],
              [[4.0, 0.0], [0.0, 8.0]]),
        _sdpa("example 2: causal", "example", [[1.0], [1.0]], [[1.0], [1.0]], [[2.0], [4.0]],
              is_causal=True),
        _sdpa("example 3: bool mask, True = may attend", "example", [[0.0]],
              [[0.0], [0.0], [0.0]], [[1.0], [2.0], [6.0]],
              attn_mask=np.array([[True, False, True]])),
        _sdpa("one key", "edge", r(2, 3, 4), r(2, 1, 4), r(2, 1, 5)),
        _sdpa("one query", "edge", r(3, 1, 8), r(3, 6, 8), r(3, 6, 2)),
        _sdpa("Ev different from E, several batch axes", "edge", r(2, 3, 5, 4), r(2, 3, 7, 4),
              r(2, 3, 7, 6)),
        _sdpa("bool mask (L, S) broadcast over the batch", "edge", r(2, 4, 5, 3), r(2, 4, 6, 3),
              r(2, 4, 6, 3), attn_mask=_bool_mask(rng, (5, 6))),
        _sdpa("bool mask (N, 1, L, S) broadcast over heads", "edge", r(2, 3, 4, 3),
              r(2, 3, 5, 3), r(2, 3, 5, 2), attn_mask=_bool_mask(rng, (2, 1, 4, 5))),
        _sdpa("float mask added to the scores", "edge", r(2, 4, 5), r(2, 6, 5), r(2, 6, 3),
              attn_mask=r(2, 4, 6)),
        _sdpa("float mask with -inf entries, broadcast (L, S)", "edge", r(2, 3, 4),
              r(2, 5, 4), r(2, 5, 4),
              attn_mask=np.where(_bool_mask(rng, (3, 5)), 0.0, -np.inf)),
        _sdpa("is_causal, L < S (top-left aligned)", "edge", r(2, 3, 4), r(2, 5, 4),
              r(2, 5, 3), is_causal=True),
        _sdpa("is_causal, L > S (top-left aligned)", "edge", r(2, 6, 4), r(2, 3, 4),
              r(2, 3, 3), is_causal=True),
        _sdpa("scale given", "edge", r(2, 4, 8), r(2, 5, 8), r(2, 5, 3), scale=0.7),
        # (0 is a scale given, not the default: every key weighs the same. `scale or
        # 1/sqrt(E)` passed: fault hunt 20)
        _sdpa("scale 0: every key weighs the same", "edge", [[1.0, 2.0], [0.5, -1.0]],
              [[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]], [[1.0, 0.0], [0.0, 1.0], [3.0, 3.0]],
              scale=0.0),
        _sdpa("large scores (no overflow)", "edge", 30 * r(2, 4, 8), 30 * r(2, 5, 8),
              r(2, 5, 3)),
    ]
    for i in range(6):
        rng = np.random.default_rng(SEED + i)
        b = tuple(int(x) for x in rng.integers(1, 4, size=int(rng.integers(1, 3))))
        L, S, E, Ev = (int(x) for x in rng.integers(1, 9, size=4))
        S = max(S, 2)
        kw = {}
        kind = i % 4
        if kind == 1:
            kw["attn_mask"] = _bool_mask(rng, (L, S))
        elif kind == 2:
            kw["attn_mask"] = rng.normal(size=b + (L, S))
        elif kind == 3:
            kw["is_causal"] = True
        if i == 4:
            kw["scale"] = float(rng.uniform(0.1, 1.0))
        out.append(_sdpa(f"random {i + 1} {b + (L, S, E)}", "random", rng.normal(size=b + (L, E)),
                         rng.normal(size=b + (S, E)), rng.normal(size=b + (S, Ev)),
                         seed=SEED + i, **kw))
    rng = np.random.default_rng(SEED + 100)
    shape = (2, 4, 256, 64)
    out.append(_sdpa(f"timing: {shape}, causal", "timing", rng.normal(size=shape),
                     rng.normal(size=shape), rng.normal(size=shape), seed=SEED + 100,
                     is_causal=True))
    return out


def _mha_cases() -> list[Case]:
    ln3 = math.log(3.0)
    eye = np.eye(2)
    proj = np.vstack([eye, eye, eye])
    kv = np.array([[[0.0, 2.0], [1.0, 6.0]]])
    rng = np.random.default_rng(SEED + 50)
    out = [
        _mha_case("example 1: identity projections, two heads", "example",
                  (np.array([[[ln3, 0.0]]]), kv, kv, 2, proj, None, eye, None)),
        _mha_case("example 2: bool mask, True = NOT allowed", "example",
                  (np.array([[[ln3, 0.0]]]), kv, kv, 2, proj, None, eye, np.array([1.0, -1.0])),
                  attn_mask=np.array([[False, True]])),
        _mha_case("one head", "edge", _mha_args(rng, 2, 3, 4, 6, 1)),
        _mha_case("heads = E (one feature each)", "edge", _mha_args(rng, 2, 3, 4, 4, 4)),
        _mha_case("biases None", "edge", _mha_args(rng, 2, 4, 5, 8, 2, biases=False)),
        _mha_case("L != S (cross-attention)", "edge", _mha_args(rng, 3, 2, 7, 8, 4)),
        _mha_case("bool mask (L, S)", "edge", _mha_args(rng, 2, 4, 5, 8, 2),
                  attn_mask=_bool_mask(rng, (4, 5))),
        _mha_case("bool mask (N*num_heads, L, S)", "edge", _mha_args(rng, 2, 3, 4, 8, 4),
                  attn_mask=_bool_mask(rng, (8, 3, 4))),
        _mha_case("float mask (L, S)", "edge", _mha_args(rng, 2, 4, 5, 6, 3),
                  attn_mask=rng.normal(size=(4, 5))),
        _mha_case("float mask (N*num_heads, L, S) with -inf", "edge",
                  _mha_args(rng, 3, 4, 4, 4, 2),
                  attn_mask=np.where(_bool_mask(rng, (6, 4, 4)), 0.0, -np.inf)),
    ]
    for i in range(6):
        rng = np.random.default_rng(SEED + 60 + i)
        h = int(rng.integers(1, 5))
        e = h * int(rng.integers(1, 5))
        n, L, S = (int(x) for x in rng.integers(1, 7, size=3))
        S = max(S, 2)
        kw = {}
        if i % 3 == 1:
            kw["attn_mask"] = _bool_mask(rng, (L, S) if i < 3 else (n * h, L, S))
        elif i % 3 == 2:
            kw["attn_mask"] = rng.normal(size=(n * h, L, S) if i < 3 else (L, S))
        out.append(_mha_case(f"random {i + 1} (N={n}, L={L}, S={S}, E={e}, heads={h})", "random",
                             _mha_args(rng, n, L, S, e, h, biases=i != 3), seed=SEED + 60 + i,
                             **kw))
    rng = np.random.default_rng(SEED + 200)
    out.append(_mha_case("timing: N=2, L=S=256, E=128, 8 heads", "timing",
                         _mha_args(rng, 2, 256, 256, 128, 8), seed=SEED + 200))
    return out


def make_cases() -> list[Case]:
    return _sdpa_cases() + _mha_cases()


# --- known wrong conventions --------------------------------------------------------------

def _scale_1_over_e(case):
    if case.fn == SDPA:
        if case.kwargs.get("scale") is not None:
            return None
        return _attend(*case.args, **{**case.kwargs, "scale": 1.0 / case.args[0].shape[-1]})
    # multi-head: 1 / (E / num_heads), the per-head width without its square root
    return _mha(*case.args, **case.kwargs, scale=case.args[3] / case.args[0].shape[-1])


def _scale_model_width(case):
    if case.fn != MHA:
        return None
    return _mha(*case.args, **case.kwargs, scale=1.0 / math.sqrt(case.args[0].shape[-1]))


def _query_axis(case):
    if case.fn == SDPA:
        return _attend(*case.args, **case.kwargs, axis=-2)
    return _mha(*case.args, **case.kwargs, axis=-2)


def _mask_inverted(case):
    m = case.kwargs.get("attn_mask")
    if m is None or m.dtype != bool:
        return None
    if case.fn == SDPA:
        return _attend(*case.args, **{**case.kwargs, "attn_mask": ~m})
    return _mha(*case.args, **{**case.kwargs, "attn_mask": ~m})


def _reshape_heads(case):
    if case.fn != MHA:
        return None
    return _mha(*case.args, **case.kwargs, transposed=False)


VARIANTS = (
    Variant("scale 1/E instead of 1/sqrt(E)",
            "divide the scores by sqrt(E), the square root of the (per-head) feature size",
            _scale_1_over_e),
    Variant("scale 1/sqrt(E) of the whole model in multi-head attention",
            "each head scales by 1/sqrt(E / num_heads), its own width", _scale_model_width),
    Variant("softmax over the query axis",
            "normalise each query's row of scores: softmax over the keys (the last axis)",
            _query_axis),
    Variant("bool mask polarity inverted",
            "F.scaled_dot_product_attention: True = may attend; nn.MultiheadAttention: True = "
            "NOT allowed (they are opposite)", _mask_inverted),
    Variant("heads split across the wrong axis (reshape without transpose)",
            "reshape (N, L, E) to (N, L, heads, E/heads) and then transpose to (N, heads, L, "
            "E/heads); undo it the same way before the output projection", _reshape_heads),
)

EXERCISE = Exercise(
    id="attention",
    title="Scaled dot-product and multi-head attention",
    parts=(SDPA, MHA),
    card_pattern=pattern(r"attention|注意力|transformer|(?<![a-z])qkv(?![a-z])"),
    hints=(
        "Scores are q @ k.swapaxes(-1, -2) times the scale, then a softmax over the keys (the "
        "last axis), then @ v. Masked scores become -inf before the softmax.",
        "Subtract each row's max before np.exp. Causal: np.tri(L, S, dtype=bool) is the "
        "top-left aligned lower triangle. In SDPA a bool mask is True where attention is "
        "allowed; a float mask is added.",
        "Multi-head: project with x @ W.T + b using rows [0:E], [E:2E], [2E:3E] of "
        "in_proj_weight, reshape to (N, L, heads, E/heads) and transpose to (N, heads, L, "
        "E/heads); scale 1/sqrt(E/heads); the bool mask there is True where NOT allowed "
        "(pass ~mask to your SDPA); a 3-D mask reshapes to (N, heads, L, S).",
    ),
    references={SDPA: scaled_dot_product_attention, MHA: multi_head_attention},
    make_cases=make_cases,
    variants=VARIANTS,
)
