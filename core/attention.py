"""The attention layer of notes §2: a query q, inputs X, a similarity f_att, and

    e_i = f_att(q, k_i)          alignment scores
    a   = softmax(e)             attention weights (sum to 1)
    y   = Σ_i a_i v_i            output: a weighted sum of the values

with keys k_i = X_i W_K and values v_i = X_i W_V when the layer learns projections (else k_i = v_i = X_i).
:func:`attend` computes it for one query or many and returns every intermediate in an
:class:`AttentionTrace`; :func:`scaling_study` measures why plain dot products need the 1/√D scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch

from core import device as devices
from core import similarity as similarities
from core.arrays import as_tensor


@dataclass(frozen=True)
class AttentionTrace:
    """Everything :func:`attend` computed. For a single query (D,), the Nq dimension is dropped everywhere."""

    similarity: str
    query: torch.Tensor  # (..., Nq, Dq) queries as scored: q W_Q, or q itself
    keys: torch.Tensor  # (..., Nk, Dq) keys k_i = X_i W_K, or X_i
    values: torch.Tensor  # (..., Nk, Dv) values v_i = X_i W_V, or X_i (or the given values)
    scores: torch.Tensor  # (..., Nq, Nk) alignment scores e = f_att(q, k)
    masked_scores: torch.Tensor  # (..., Nq, Nk) e with −∞ where the mask forbids looking
    weights: torch.Tensor  # (..., Nq, Nk) a = softmax(masked e); exactly 0 at masked cells
    output: torch.Tensor  # (..., Nq, Dv) y = Σ_i a_i v_i
    mask: torch.Tensor | None  # (..., Nq, Nk) bool, True = may attend; None = nothing masked
    fully_masked: torch.Tensor  # (..., Nq) bool: queries that may look at nothing (weights 0, output 0)


def masked_softmax(scores: torch.Tensor, mask: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Softmax over the last axis that honours a boolean mask (True = may attend).

    Returns ``(masked_scores, weights, fully_masked)``. Masked cells get score −∞ and weight exactly 0; a row
    with no visible cell gets weights 0 (not the NaN a plain softmax of all −∞ gives) and is flagged.
    """
    if mask is None:
        return scores, scores.softmax(dim=-1), torch.zeros(scores.shape[:-1], dtype=torch.bool, device=scores.device)
    mask = mask.to(device=scores.device, dtype=torch.bool).expand_as(scores)
    # torch.where picks the same values masked_fill writes, at a fraction of its cost on CPU (N² cells per edit).
    masked_scores = torch.where(mask, scores, torch.tensor(float("-inf"), dtype=scores.dtype, device=scores.device))
    fully_masked = ~mask.any(dim=-1)  # (..., Nq)
    # Fully-masked rows are given finite scores before the softmax and zeroed after: no NaN, even in gradients.
    # Without such rows the fill changes nothing, so the copy is skipped (same values either way).
    safe = masked_scores.masked_fill(fully_masked.unsqueeze(-1), 0.0) if bool(fully_masked.any()) else masked_scores
    weights = torch.where(mask, safe.softmax(dim=-1), torch.tensor(0.0, dtype=scores.dtype, device=scores.device))
    return masked_scores, weights, fully_masked


def mask_like(mask, scores: torch.Tensor, *, single: bool = False) -> torch.Tensor | None:
    """``mask`` (True = may attend) as a bool tensor broadcast to the scores' shape; a clear ValueError when it does
    not fit. ``single``: the scores are one query's, kept with a leading axis of 1 (a (Nk,) mask is one row)."""
    if mask is None:
        return None
    mask_t = torch.as_tensor(mask, device=scores.device).bool()
    if single and mask_t.dim() == 1:
        mask_t = mask_t.unsqueeze(0)
    try:
        return mask_t.expand_as(scores)
    except RuntimeError:
        raise ValueError(f"mask of shape {tuple(mask_t.shape)} does not fit the scores {tuple(scores.shape)}") from None


def _project(x: torch.Tensor, weight: torch.Tensor | None, name: str) -> torch.Tensor:
    if weight is None:
        return x
    if weight.dim() != 2 or weight.shape[0] != x.shape[-1]:
        raise ValueError(f"{name} has shape {tuple(weight.shape)} but the vectors it projects have size {x.shape[-1]}")
    return x @ weight


def attend(
    query,
    keys,
    values=None,
    *,
    similarity: str = "scaled_dot",
    mask=None,
    params: Mapping[str, object] | None = None,
    device: str | torch.device | None = None,
    dtype: torch.dtype | str | None = None,
) -> AttentionTrace:
    """The attention layer: scores e = f_att(q, k), weights a = softmax(e), output y = Σ a_i v_i.

    query:   (D,) one query, or (..., Nq, D) many.
    keys:    (..., Nk, D) the input vectors X (they are the keys, and the values unless ``values`` is given).
    values:  (..., Nk, Dv) optional separate values.
    mask:    bool, broadcastable to (..., Nq, Nk), **True = may attend** (see :mod:`core.masks`).
    params:  optional projections ``W_Q`` (D, Dq), ``W_K`` (D, Dq), ``W_V`` (D, Dv) applied as row vectors
             (q W_Q, X W_K, X W_V, as in the notes), plus what the similarity needs (``W`` for general;
             ``W_q``, ``W_k``, ``v`` for additive; ``temperature`` for cosine).
    device:  None keeps a tensor query's device (else "auto"); dtype defaults to float32.

    Raises ``ValueError`` with a readable message for non-numeric or non-finite input, mismatched sizes,
    zero inputs or an unknown similarity.
    """
    spec = similarities.get(similarity)
    if device is None:
        device = query.device if isinstance(query, torch.Tensor) else "auto"
    device = devices.resolve(device)
    dtype = devices.resolve_dtype(dtype)
    params = dict(params or {})

    q = as_tensor(query, device=device, dtype=dtype, name="query")
    x = as_tensor(keys, device=device, dtype=dtype, name="inputs")
    if x.dim() < 2 or x.shape[-2] == 0:
        raise ValueError("attention needs at least one input vector: inputs must have shape (N ≥ 1, D)")
    single = q.dim() == 1
    if single:
        q = q.unsqueeze(0)  # (1, D)
    v_in = x if values is None else as_tensor(values, device=device, dtype=dtype, name="values")
    if v_in.shape[-2] != x.shape[-2]:
        raise ValueError(f"{x.shape[-2]} inputs but {v_in.shape[-2]} values: they must pair one to one")

    def tensor_param(key: str) -> torch.Tensor | None:
        return None if params.get(key) is None else as_tensor(params[key], device=device, dtype=dtype, name=key)

    q = _project(q, tensor_param("W_Q"), "W_Q")  # (..., Nq, Dq)
    k = _project(x, tensor_param("W_K"), "W_K")  # (..., Nk, Dq)
    v = _project(v_in, tensor_param("W_V"), "W_V")  # (..., Nk, Dv)
    if not spec.needs and q.shape[-1] != k.shape[-1]:
        raise ValueError(f"query size {q.shape[-1]} does not match key size {k.shape[-1]}")
    given = {name: tensor_param(name) for name in spec.needs}
    sim_params: dict[str, object] = {}
    if None in given.values():  # seeded defaults for what the caller did not give
        sim_params = similarities.init_params(spec.name, q.shape[-1], k.shape[-1], device=device, dtype=dtype)
    sim_params.update({name: t for name, t in given.items() if t is not None})
    if "temperature" in params:
        sim_params["temperature"] = float(params["temperature"])
    try:
        scores = spec.score(q, k, sim_params)  # (..., Nq, Nk)
    except RuntimeError as exc:  # shape mismatch inside a learned similarity
        raise ValueError(f"{spec.label}: sizes do not fit ({exc})") from None

    mask_t = mask_like(mask, scores, single=single)
    masked_scores, weights, fully_masked = masked_softmax(scores, mask_t)
    output = weights @ v  # (..., Nq, Dv)

    if single:
        q, scores, masked_scores, weights, output, fully_masked = (
            t.squeeze(-2) if t.dim() >= 2 else t.squeeze(-1)
            for t in (q, scores, masked_scores, weights, output, fully_masked)
        )
        mask_t = None if mask_t is None else mask_t.squeeze(-2)
    return AttentionTrace(spec.name, q, k, v, scores, masked_scores, weights, output, mask_t, fully_masked)


@dataclass(frozen=True)
class ScalingTrace:
    """How a softmax over dot-product scores behaves as the vector size D grows (the "why scale?" argument)."""

    dims: tuple[int, ...]  # the sizes D that were measured
    n_keys: int
    trials: int
    score_std: dict[str, torch.Tensor]  # similarity → (len(dims),) std of the scores e
    max_weight: dict[str, torch.Tensor]  # similarity → (len(dims),) mean of max_i a_i (1 = one-hot, saturated)
    entropy: dict[str, torch.Tensor]  # similarity → (len(dims),) mean entropy of a in nats (log N = uniform)
    grad_norm: dict[str, torch.Tensor]  # similarity → (len(dims),) mean Frobenius norm of the Jacobian ∂a/∂e


def scaling_study(
    dims: Sequence[int] = (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
    *,
    n_keys: int = 16,
    trials: int = 64,
    seed: int = 0,
    similarities_compared: Sequence[str] = ("dot", "scaled_dot"),
    device: str | torch.device | None = "cpu",
    dtype: torch.dtype | str | None = None,
) -> ScalingTrace:
    """Draw q, k_i ~ N(0, I_D); for each D measure the softmax's saturation and its gradient ∂a/∂e.

    With plain dot products the scores' spread grows like √D, the softmax goes one-hot, and ‖∂a/∂e‖ → 0:
    gradients vanish. Dividing by √D keeps all three flat. The Jacobian is taken by autograd (torch.func).
    """
    device = devices.resolve(device)
    dtype = devices.resolve_dtype(dtype)
    generator = torch.Generator().manual_seed(seed)
    jacobian = torch.vmap(torch.func.jacrev(lambda e: e.softmax(dim=-1)))  # (trials, Nk) → (trials, Nk, Nk)
    stats: dict[str, dict[str, list[float]]] = {name: {"std": [], "max": [], "ent": [], "grad": []} for name in similarities_compared}
    for d in dims:
        q = torch.randn(trials, 1, d, generator=generator).to(device, dtype)
        k = torch.randn(trials, n_keys, d, generator=generator).to(device, dtype)
        for name in similarities_compared:
            e = similarities.get(name).score(q, k, {}).squeeze(1)  # (trials, Nk)
            a = e.softmax(dim=-1)
            entropy = -torch.special.xlogy(a, a).sum(dim=-1)
            jac = jacobian(e)  # (trials, Nk, Nk)
            stats[name]["std"].append(e.std(dim=-1).mean().item())
            stats[name]["max"].append(a.max(dim=-1).values.mean().item())
            stats[name]["ent"].append(entropy.mean().item())
            stats[name]["grad"].append(jac.flatten(1).norm(dim=-1).mean().item())

    def column(key: str) -> dict[str, torch.Tensor]:
        return {name: torch.tensor(values[key]) for name, values in stats.items()}

    return ScalingTrace(tuple(dims), n_keys, trials, column("std"), column("max"), column("ent"), column("grad"))
