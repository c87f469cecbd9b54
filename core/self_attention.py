"""Self-attention (notes §3): the queries, keys and values all come from the same inputs X,

    Q = X W_Q,  K = X W_K,  V = X W_V,  A = softmax(Q Kᵀ / √D_Q),  Y = A V

It is permutation-equivariant — permute the inputs and the outputs permute the same way, Y(PX) = P·Y(X) — so it
cannot see order; positional encodings (added to X, or RoPE rotating Q and K) inject it. :func:`self_attention`
returns every stage; :func:`permutation_test` measures the equivariance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import torch

from core import positional as positional_encodings
from core.attention import mask_like, masked_softmax
from core.rows import scaled_dot_attention


@dataclass(frozen=True)
class SelfAttentionConfig:
    dim: int = 16  # D, the size of each input vector
    d_qk: int = 16  # D_Q, the size of queries and keys
    d_v: int = 16  # D_V, the size of values and outputs
    seed: int = 0  # seed of W_Q, W_K, W_V ("re-roll")
    positional: str = "none"  # one of core.positional.KINDS

    def __post_init__(self) -> None:
        for name in ("dim", "d_qk", "d_v"):
            if not 1 <= getattr(self, name) <= 4096:
                raise ValueError(f"{name} must be between 1 and 4096")
        if self.positional not in positional_encodings.KINDS:
            raise ValueError(f"unknown positional encoding {self.positional!r}")


def init_params(config: SelfAttentionConfig, *, device="cpu", dtype=torch.float32) -> dict[str, torch.Tensor]:
    """Seeded W_Q (D, D_Q), W_K (D, D_Q), W_V (D, D_V), scaled 1/√D so q, k, v have unit-size entries."""
    generator = torch.Generator().manual_seed(config.seed)
    scale = 1.0 / math.sqrt(config.dim)
    shapes = {"W_Q": config.d_qk, "W_K": config.d_qk, "W_V": config.d_v}
    return {name: (torch.randn(config.dim, cols, generator=generator) * scale).to(device, dtype) for name, cols in shapes.items()}


@dataclass(frozen=True)
class SelfAttentionTrace:
    x: torch.Tensor  # (N, D) token embeddings, in the order given
    position_table: torch.Tensor | None  # (N, D) encoding added to x (sinusoidal, learned), else None
    inputs: torch.Tensor  # (N, D) x + position table: what W_Q, W_K, W_V see
    q: torch.Tensor  # (N, D_Q) queries (rotated when RoPE)
    k: torch.Tensor  # (N, D_Q) keys (rotated when RoPE)
    v: torch.Tensor  # (N, D_V) values
    scores: torch.Tensor  # (N, N) e = q kᵀ / √D_Q
    masked_scores: torch.Tensor  # (N, N) −∞ where the mask forbids looking
    weights: torch.Tensor  # (N, N) a = softmax(masked e), rows sum to 1 (0 for fully-masked rows)
    output: torch.Tensor  # (N, D_V) y_i = Σ_j a_ij v_j
    mask: torch.Tensor | None  # (N, N) bool, True = may attend
    fully_masked: torch.Tensor  # (N,) bool


def self_attention(
    x: torch.Tensor,
    params: dict[str, torch.Tensor],
    *,
    positional: str = "none",
    mask: torch.Tensor | None = None,
    seed: int = 0,
    check: bool = True,
) -> SelfAttentionTrace:
    """Self-attention of the rows of ``x`` (N, D) with projections ``params`` (see :func:`init_params`).

    ``check=False`` skips the test for NaN and infinite inputs, for rows of an ``x`` already checked (a reordering
    of the same vectors): one more pass over the inputs on every edit of a page."""
    if x.dim() != 2 or x.shape[0] == 0:
        raise ValueError("self-attention needs a sequence of at least one vector, shape (N ≥ 1, D)")
    if check and not torch.isfinite(x).all():  # checked once here: the projections below cannot bring NaN in
        raise ValueError("the inputs contain NaN or infinite values")
    n, dim = x.shape
    table = positional_encodings.encoding_table(positional, n, dim, seed=seed, device=x.device, dtype=x.dtype)
    inputs = x if table is None else x + table
    q, k, v = inputs @ params["W_Q"], inputs @ params["W_K"], inputs @ params["W_V"]
    if positional == "rope":
        q, k = positional_encodings.apply_rope(q), positional_encodings.apply_rope(k)
    # What core.attention.attend computes for scaled dot products, without checking q, k and v (N × D each) again;
    # long sequences by blocks of query rows on two threads where that is faster (core.rows).
    mask_t = mask_like(mask, q.new_empty(()).expand(n, n))  # the scores' shape and device, before they exist
    scores, masked_scores, weights, output, fully_masked = scaled_dot_attention(q, k, v, mask_t)
    return SelfAttentionTrace(x, table, inputs, q, k, v, scores, masked_scores, weights, output, mask_t, fully_masked)


def with_mask(
    trace: SelfAttentionTrace,
    mask: torch.Tensor | None,
    *,
    previous: SelfAttentionTrace | None = None,
    rows: torch.Tensor | None = None,
    in_place: bool = False,
) -> SelfAttentionTrace:
    """``trace`` under another mask: the scores e do not depend on the mask, so only the masked softmax and the
    output are computed again, exactly as :func:`attend` computes them (the same values as a fresh
    :func:`self_attention` with ``mask``). Used when an edit changes the mask and nothing else.

    ``previous``, the result of an earlier call on the same ``trace``: only the query rows whose mask differs are
    computed again (painting one cell changes one row), the others are copied from it. ``rows``: those query rows,
    when the caller knows them (the rows of the cells painted), so the masks are not compared. ``in_place``: the
    rows are written into previous's tensors instead of copies (an N² copy each), for a trace nothing else
    keeps; ``mask`` then becomes the result's mask as it is, not a copy."""
    scores = trace.scores
    mask_t = mask_like(mask, scores)
    if previous is not None and previous.scores is scores and mask_t is not None and previous.mask is not None:
        if rows is None:
            rows = (mask_t != previous.mask).any(dim=-1).nonzero().flatten()
        if rows.numel() * 4 <= scores.shape[0]:
            return _with_rows(previous, mask_t, rows, in_place=in_place)
    masked_scores, weights, fully_masked = masked_softmax(scores, mask_t)
    output = weights @ trace.v
    return replace(trace, masked_scores=masked_scores, weights=weights, output=output, mask=mask_t, fully_masked=fully_masked)


def _with_rows(previous: SelfAttentionTrace, mask: torch.Tensor, rows: torch.Tensor, *, in_place: bool = False) -> SelfAttentionTrace:
    """``previous`` with the masked softmax and the output of query ``rows`` computed again under ``mask``."""
    if not rows.numel():
        return previous  # the same mask: the same trace (it is frozen)
    tensors = (previous.masked_scores, previous.weights, previous.output, previous.fully_masked)
    masked_scores, weights, output, fully_masked = tensors if in_place else (t.clone() for t in tensors)
    row_masked, row_weights, row_empty = masked_softmax(previous.scores[rows], mask[rows])
    masked_scores[rows], weights[rows], fully_masked[rows] = row_masked, row_weights, row_empty
    output[rows] = row_weights @ previous.v
    return replace(previous, masked_scores=masked_scores, weights=weights, output=output, mask=mask if in_place else mask.clone(), fully_masked=fully_masked)


@dataclass(frozen=True)
class PermutationTrace:
    """Y(PX) beside P·Y(X): equal up to rounding when nothing tells positions apart."""

    permutation: tuple[int, ...]  # new position i holds old token permutation[i]
    output_of_permuted: torch.Tensor  # (N, D_V) Y(PX)
    permuted_output: torch.Tensor  # (N, D_V) P·Y(X)
    max_abs_difference: float


def permutation_test(x: torch.Tensor, params: dict[str, torch.Tensor], permutation: Sequence[int], *, positional: str = "none", seed: int = 0) -> PermutationTrace:
    perm = torch.as_tensor(list(permutation), dtype=torch.long, device=x.device)
    if sorted(perm.tolist()) != list(range(x.shape[0])):
        raise ValueError("the permutation must reorder every token exactly once")
    y = self_attention(x, params, positional=positional, seed=seed).output
    y_perm = self_attention(x[perm], params, positional=positional, seed=seed).output
    permuted = y[perm]
    return PermutationTrace(tuple(perm.tolist()), y_perm, permuted, float((y_perm - permuted).abs().max()))
