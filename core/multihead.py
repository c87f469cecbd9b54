"""Multi-head attention (notes §5): H heads attend in parallel in smaller subspaces, then are concatenated
and projected back:

    Q_h = X_q W_Q,h   K_h = X_k W_K,h   V_h = X_v W_V,h          per head h, sizes D_Q (queries/keys), D_V
    A_h = softmax(Q_h K_hᵀ / √D_Q)                               (Nq, Nk) per head
    Y   = concat_h(A_h V_h) W_Oᵀ + b_O

Parameters use ``torch.nn.MultiheadAttention``'s state-dict layout, so any nn.MultiheadAttention can be traced:
``in_proj_weight`` (3E, E) + ``in_proj_bias`` (3E,), or separate ``q_proj_weight`` / ``k_proj_weight`` /
``v_proj_weight`` (when key and value sizes differ), and ``out_proj.weight`` / ``out_proj.bias``. The separate
form also admits a per-head query size D_Q ≠ E/H: ``q_proj_weight`` (H·D_Q, E), ``k_proj_weight`` (H·D_Q, E_k),
``v_proj_weight`` (H·D_V, E_v), ``out_proj.weight`` (E_out, H·D_V).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F

from core import device as devices
from core import similarity as similarities
from core.arrays import as_tensor
from core.attention import masked_softmax


@dataclass(frozen=True)
class MultiHeadTrace:
    """Every stage of a multi-head attention. Unbatched input (N, E) drops the leading B everywhere.

    ``scores``, ``masked_scores`` and ``weights`` are None when computed by the fused kernel (need_weights=False).
    """

    num_heads: int
    q: torch.Tensor  # (B, H, Nq, Dq) per-head queries
    k: torch.Tensor  # (B, H, Nk, Dq) per-head keys
    v: torch.Tensor  # (B, H, Nk, Dv) per-head values
    scores: torch.Tensor | None  # (B, H, Nq, Nk) e = Q Kᵀ / √Dq
    masked_scores: torch.Tensor | None  # (B, H, Nq, Nk) e with −∞ where the mask forbids
    weights: torch.Tensor | None  # (B, H, Nq, Nk) a = softmax(masked e)
    head_outputs: torch.Tensor  # (B, H, Nq, Dv) A_h V_h (times the head mask, if one was given)
    concat: torch.Tensor  # (B, Nq, H·Dv) heads side by side
    output: torch.Tensor  # (B, Nq, E) concat W_Oᵀ + b_O
    mask: torch.Tensor | None  # (B, H, Nq, Nk) bool, True = may attend
    fully_masked: torch.Tensor  # (B, H, Nq) bool: queries that see nothing (weights 0, head output 0)

    @property
    def mean_weights(self) -> torch.Tensor | None:
        """Weights averaged over heads, (B, Nq, Nk): nn.MultiheadAttention's ``average_attn_weights=True``."""
        return None if self.weights is None else self.weights.mean(dim=-3)


def split_in_proj(params: Mapping[str, torch.Tensor], num_heads: int) -> tuple[torch.Tensor, ...]:
    """Return (W_q, W_k, W_v, b_q, b_k, b_v, W_o, b_o) from nn.MultiheadAttention-style parameters."""
    unsupported = {"bias_k", "bias_v"} & set(params)
    if unsupported:
        raise ValueError(f"parameters {sorted(unsupported)} (add_bias_kv) are not supported")
    if "in_proj_weight" in params and params["in_proj_weight"] is not None:
        w_q, w_k, w_v = params["in_proj_weight"].chunk(3, dim=0)
    else:
        try:
            w_q, w_k, w_v = (params[f"{n}_proj_weight"] for n in "qkv")
        except KeyError as exc:
            raise ValueError(f"missing parameter {exc.args[0]!r} (need in_proj_weight or q/k/v_proj_weight)") from None
    if w_q.shape[0] != w_k.shape[0]:
        raise ValueError(f"query projection gives {w_q.shape[0]} features but key projection {w_k.shape[0]}")
    for name, w in (("query/key", w_q), ("value", w_v)):
        if w.shape[0] % num_heads:
            raise ValueError(f"{name} projection size {w.shape[0]} is not divisible by {num_heads} heads")
    bias = params.get("in_proj_bias")
    if bias is None:
        b_q = b_k = b_v = None
    else:
        b_q, b_k, b_v = bias.split([w_q.shape[0], w_k.shape[0], w_v.shape[0]])
    try:
        w_o = params["out_proj.weight"]
    except KeyError:
        raise ValueError("missing parameter 'out_proj.weight'") from None
    if w_o.shape[1] != w_v.shape[0]:
        raise ValueError(f"out_proj.weight takes {w_o.shape[1]} features but the heads give {w_v.shape[0]}")
    return w_q, w_k, w_v, b_q, b_k, b_v, w_o, params.get("out_proj.bias")


def attention_heads(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    *,
    mask: torch.Tensor | None = None,
    need_weights: bool = True,
    similarity: str = "scaled_dot",
) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None, torch.Tensor | None, torch.Tensor]:
    """Attention inside the heads, q (..., Nq, Dq), k (..., Nk, Dq), v (..., Nk, Dv), mask True = may attend.

    Returns (outputs, scores, masked_scores, weights, fully_masked). The explicit path computes every
    intermediate; without ``need_weights`` (scaled-dot only) it calls the fused
    ``F.scaled_dot_product_attention`` and the three intermediates are None.
    """
    fully_masked = torch.zeros(q.shape[:-1], dtype=torch.bool, device=q.device) if mask is None else ~mask.any(-1).expand(q.shape[:-1])
    if not need_weights and similarity == "scaled_dot":
        outputs = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # (..., Nq, Dv)
        if mask is not None:  # kernels disagree on rows with nothing visible (NaN or 0): the core defines them as 0
            outputs = outputs.masked_fill(fully_masked.unsqueeze(-1), 0.0)
        return outputs, None, None, None, fully_masked
    if mask is None and similarity == "scaled_dot" and _one_head_at_a_time(q, k, v):
        outputs, scores, weights = _scaled_dot_per_head(q, k, v)
        return outputs, scores, scores, weights, fully_masked
    scores = similarities.get(similarity).score(q, k, {})  # (..., Nq, Nk)
    masked_scores, weights, fully_masked = masked_softmax(scores, mask)
    return weights @ v, scores, masked_scores, weights, fully_masked  # (..., Nq, Dv)


# (Nq × Nk) per head for which heads go one at a time: from where one head's scores outgrow a core's cache (1 MiB
# here) to where they outgrow the shared one too (32 MiB: at N=2048 both ways measured the same, at 4096 it varied).
PER_HEAD_CELLS = 512 * 512
PER_HEAD_MAX_CELLS = 2048 * 2048


def _one_head_at_a_time(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> bool:
    """Large unmasked scaled-dot scores on the CPU without gradients: computed head by head (see
    :func:`_scaled_dot_per_head`)."""
    return (
        q.device.type == "cpu"
        and q.dim() >= 3
        and PER_HEAD_CELLS <= q.shape[-2] * k.shape[-2] < PER_HEAD_MAX_CELLS
        and not (torch.is_grad_enabled() and (q.requires_grad or k.requires_grad or v.requires_grad))
        and q.shape[:-2] == k.shape[:-2] == v.shape[:-2]
    )


def _scaled_dot_per_head(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(outputs, scores, weights) of unmasked scaled-dot attention, the same numbers as the batched expressions
    (``(q/√D) @ kᵀ``, softmax, ``weights @ v``), one head at a time into the kept tensors: each head's scores are
    softmaxed and multiplied while they are still in the processor's cache, instead of all heads' scores going
    to memory and back twice (~5 % of the explicit path at N=1024, H=8 on the development machine)."""
    lead, nq, nk = q.shape[:-2], q.shape[-2], k.shape[-2]
    queries = similarities.scaled_queries(q).reshape(-1, nq, q.shape[-1])
    keys_t = k.reshape(-1, nk, k.shape[-1]).transpose(-2, -1)
    values = v.reshape(-1, nk, v.shape[-1])
    scores = q.new_empty(queries.shape[0], nq, nk)
    weights = torch.empty_like(scores)
    outputs = q.new_empty(queries.shape[0], nq, v.shape[-1])
    for head in range(queries.shape[0]):
        torch.matmul(queries[head], keys_t[head], out=scores[head])
        torch.softmax(scores[head], dim=-1, out=weights[head])
        torch.matmul(weights[head], values[head], out=outputs[head])
    return outputs.view(*lead, nq, v.shape[-1]), scores.view(*lead, nq, nk), weights.view(*lead, nq, nk)


def _heads(x: torch.Tensor, num_heads: int) -> torch.Tensor:
    b, n, hd = x.shape
    return x.view(b, n, num_heads, hd // num_heads).transpose(1, 2)  # (B, N, H·D) → (B, H, N, D)


def multi_head_attention(
    query,
    key,
    value,
    params: Mapping[str, object],
    num_heads: int,
    *,
    mask=None,
    need_weights: bool = True,
    head_mask=None,
    similarity: str = "scaled_dot",
    norm_eps: float = 1e-6,
    device: str | torch.device | None = None,
    dtype: torch.dtype | str | None = None,
) -> MultiHeadTrace:
    """Multi-head attention with nn.MultiheadAttention's parameters and SDPA's mask convention.

    query (B, Nq, E) or (Nq, E); key (B, Nk, E_k); value (B, Nk, E_v) — batch first, or all unbatched.
    mask: bool broadcastable to (B, H, Nq, Nk), **True = may attend** — the opposite of nn.MultiheadAttention's
    boolean attn_mask (convert with :func:`core.masks.from_blocked`). A (Nq, Nk) mask applies to every head.
    head_mask: (H,) multipliers on the head outputs (0 switches a head off, as in "what does head h do?").
    ``q_norm.weight/bias`` and ``k_norm.weight/bias`` in params (size Dq) LayerNorm each head's q and k (ε = norm_eps).
    need_weights=False with the scaled-dot similarity takes the fused
    ``F.scaled_dot_product_attention`` path, whose trace has no scores/weights.
    """
    if num_heads < 1:
        raise ValueError("num_heads must be ≥ 1")
    if device is None:
        device = query.device if isinstance(query, torch.Tensor) else "auto"
    device = devices.resolve(device)
    dtype = devices.resolve_dtype(dtype)
    q_in = as_tensor(query, device=device, dtype=dtype, name="query")
    # Self-attention passes one tensor three times: it is converted and checked once.
    k_in = q_in if key is query else as_tensor(key, device=device, dtype=dtype, name="key")
    v_in = q_in if value is query else k_in if value is key else as_tensor(value, device=device, dtype=dtype, name="value")
    if not q_in.dim() == k_in.dim() == v_in.dim() or q_in.dim() not in (2, 3):
        raise ValueError("query, key and value must all be (N, E) or all be (B, N, E)")
    unbatched = q_in.dim() == 2
    if unbatched:
        q_in, k_in, v_in = q_in.unsqueeze(0), k_in.unsqueeze(0), v_in.unsqueeze(0)
    if k_in.shape[1] != v_in.shape[1] or k_in.shape[1] == 0:
        raise ValueError(f"need as many keys as values, at least one: got {k_in.shape[1]} and {v_in.shape[1]}")
    # Parameters that already are tensors in place are used as they are (a model's weights are checked once, when
    # loaded); numbers typed on a page go through as_tensor's NaN/Inf check.
    tensors = {
        name: t if isinstance(t, torch.Tensor) and t.device == device and t.dtype == dtype else as_tensor(t, device=device, dtype=dtype, name=name)
        for name, t in params.items()
        if t is not None
    }
    w_q, w_k, w_v, b_q, b_k, b_v, w_o, b_o = split_in_proj(tensors, num_heads)
    for name, x, w in (("query", q_in, w_q), ("key", k_in, w_k), ("value", v_in, w_v)):
        if x.shape[-1] != w.shape[1]:
            raise ValueError(f"{name} vectors have size {x.shape[-1]} but its projection expects {w.shape[1]}")

    if k_in is q_in and v_in is q_in and tensors.get("in_proj_weight") is not None:
        # One product with the stacked W_Q, W_K, W_V instead of three (as nn.MultiheadAttention does for self-attention).
        q_lin, k_lin, v_lin = F.linear(q_in, tensors["in_proj_weight"], tensors.get("in_proj_bias")).split([w_q.shape[0], w_k.shape[0], w_v.shape[0]], dim=-1)
    else:
        q_lin, k_lin, v_lin = F.linear(q_in, w_q, b_q), F.linear(k_in, w_k, b_k), F.linear(v_in, w_v, b_v)
    q = _heads(q_lin, num_heads)  # (B, H, Nq, Dq)
    k = _heads(k_lin, num_heads)  # (B, H, Nk, Dq)
    if "q_norm.weight" in tensors:  # qk-norm (timm's qk_norm=True): LayerNorm of each head's queries and keys
        q = F.layer_norm(q, q.shape[-1:], tensors["q_norm.weight"], tensors.get("q_norm.bias"), norm_eps)
        k = F.layer_norm(k, k.shape[-1:], tensors["k_norm.weight"], tensors.get("k_norm.bias"), norm_eps)
    v = _heads(v_lin, num_heads)  # (B, H, Nk, Dv)
    batch, _, n_q, _ = q.shape
    n_k = k.shape[2]

    mask_t = None
    if mask is not None:
        mask_t = torch.as_tensor(mask, device=device).bool()
        try:
            mask_t = mask_t.expand(batch, num_heads, n_q, n_k)
        except RuntimeError:
            raise ValueError(f"mask of shape {tuple(mask_t.shape)} does not broadcast to {(batch, num_heads, n_q, n_k)}") from None

    head_outputs, scores, masked_scores, weights, fully_masked = attention_heads(q, k, v, mask=mask_t, need_weights=need_weights, similarity=similarity)
    if head_mask is not None:
        gate = as_tensor(head_mask, device=device, dtype=dtype, name="head_mask").reshape(-1)
        if gate.numel() != num_heads:
            raise ValueError(f"head_mask has {gate.numel()} entries for {num_heads} heads")
        head_outputs = head_outputs * gate.view(1, num_heads, 1, 1)
    concat = head_outputs.transpose(1, 2).reshape(batch, n_q, -1)  # (B, Nq, H·Dv)
    output = F.linear(concat, w_o, b_o)  # (B, Nq, E)

    if unbatched:
        drop = lambda t: None if t is None else t.squeeze(0)  # noqa: E731
        return MultiHeadTrace(num_heads, *(drop(t) for t in (q, k, v, scores, masked_scores, weights, head_outputs, concat, output, mask_t, fully_masked)))
    return MultiHeadTrace(num_heads, q, k, v, scores, masked_scores, weights, head_outputs, concat, output, mask_t, fully_masked)


def remask(previous: MultiHeadTrace, mask: torch.Tensor, params: Mapping[str, torch.Tensor], *, head_mask=None, rows: torch.Tensor | None = None) -> tuple[MultiHeadTrace, torch.Tensor] | None:
    """``previous`` (unbatched, with weights and a mask) under another (Nq, Nk) mask, the inputs and parameters
    unchanged: the scores do not depend on the mask, so only the query rows whose mask changed are computed again
    (painting one cell changes one row of every head). The result **reuses previous's tensors, updated in
    place**: call it only on a trace nothing else keeps. Returns (trace, rows changed), or None when the change
    is too large to be worth it (more than a quarter of the rows) or previous is not such a trace. ``rows``: the
    query rows whose mask may differ from previous's, when the caller knows them (the rows of the cells painted),
    so the two masks are not compared cell by cell."""
    if previous.weights is None or previous.mask is None or previous.q.dim() != 3:
        return None
    heads, n_q, n_k = previous.weights.shape
    mask = torch.as_tensor(mask, device=previous.weights.device).bool()
    if mask.shape != (n_q, n_k):
        return None
    if rows is None:
        rows = (mask != previous.mask[0]).any(dim=-1).nonzero().flatten()
    if rows.numel() * 4 > n_q:
        return None
    if rows.numel():
        w_o, b_o = split_in_proj(params, heads)[6:]
        row_masked, row_weights, row_empty = masked_softmax(previous.scores[:, rows], mask[rows].expand(heads, -1, -1))
        previous.masked_scores[:, rows], previous.weights[:, rows], previous.fully_masked[:, rows] = row_masked, row_weights, row_empty
        outputs = row_weights @ previous.v  # (H, rows, Dv)
        if head_mask is not None:
            outputs = outputs * as_tensor(head_mask, device=outputs.device, dtype=outputs.dtype, name="head_mask").reshape(-1, 1, 1)
        previous.head_outputs[:, rows] = outputs
        previous.concat[rows] = outputs.transpose(0, 1).reshape(rows.numel(), -1)
        previous.output[rows] = F.linear(previous.concat[rows], w_o, b_o)
    return replace(previous, mask=mask.expand(heads, n_q, n_k)), rows


def init_params(
    embed_dim: int,
    num_heads: int,
    *,
    d_query: int | None = None,
    d_value: int | None = None,
    bias: bool = True,
    seed: int = 0,
    device: str | torch.device = "cpu",
    dtype: torch.dtype = torch.float32,
) -> dict[str, torch.Tensor]:
    """Seeded parameters in the separate-projection layout, per-head sizes D_Q and D_V (default E/H).

    Xavier-uniform weights like nn.MultiheadAttention; biases small but nonzero so they are visible.
    """
    d_query = d_query or max(1, embed_dim // num_heads)
    d_value = d_value or max(1, embed_dim // num_heads)
    generator = torch.Generator().manual_seed(seed)

    def xavier(rows: int, cols: int) -> torch.Tensor:
        bound = math.sqrt(6.0 / (rows + cols))
        return ((torch.rand(rows, cols, generator=generator) * 2 - 1) * bound).to(device, dtype)

    params = {
        "q_proj_weight": xavier(num_heads * d_query, embed_dim),
        "k_proj_weight": xavier(num_heads * d_query, embed_dim),
        "v_proj_weight": xavier(num_heads * d_value, embed_dim),
        "out_proj.weight": xavier(embed_dim, num_heads * d_value),
    }
    if bias:
        total = 2 * num_heads * d_query + num_heads * d_value
        params["in_proj_bias"] = (0.02 * torch.randn(total, generator=generator)).to(device, dtype)
        params["out_proj.bias"] = (0.02 * torch.randn(embed_dim, generator=generator)).to(device, dtype)
    return params
