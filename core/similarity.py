"""Similarity functions f_att(q, k): how well a query q matches each key k (the alignment scores e).

Each entry of :data:`REGISTRY` is a plain function with one signature,

    score(q, k, params) -> e        q: (..., Nq, Dq)   k: (..., Nk, Dk)   e: (..., Nq, Nk)

so a page can list them by name and the attention layer can call any of them. ``params`` holds the learned
parameters a function needs (see each ``needs``); :func:`init_params` makes seeded ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch
import torch.nn.functional as F

Params = Mapping[str, "torch.Tensor | float"]


def dot(q: torch.Tensor, k: torch.Tensor, params: Params) -> torch.Tensor:
    """e_i = q · k_i. Grows like √D for random vectors, which saturates the softmax."""
    return q @ k.transpose(-2, -1)


def scaled_queries(q: torch.Tensor) -> torch.Tensor:
    """q / √D, as :func:`scaled_dot` scales it: the (N, D) queries are scaled, not the (N, N) scores."""
    return q * (1.0 / math.sqrt(q.shape[-1]))


def scaled_dot(q: torch.Tensor, k: torch.Tensor, params: Params) -> torch.Tensor:
    """e_i = q · k_i / √D: the Transformer's choice, keeps the score variance ≈ 1 whatever D is."""
    return scaled_queries(q) @ k.transpose(-2, -1)


def general(q: torch.Tensor, k: torch.Tensor, params: Params) -> torch.Tensor:
    """e_i = q W k_iᵀ (Luong's "general"), W: (Dq, Dk) learned; lets q and k live in different spaces."""
    W = params["W"]
    return (q @ W) @ k.transpose(-2, -1)


def additive(q: torch.Tensor, k: torch.Tensor, params: Params) -> torch.Tensor:
    """e_i = vᵀ tanh(W_q q + W_k k_i) (Bahdanau's alignment MLP); W_q: (H, Dq), W_k: (H, Dk), v: (H,).

    ``params["W_k k"]`` (..., Nk, H), when :func:`prepare_keys` put it there, is the key half already computed.
    """
    hidden_q = q @ params["W_q"].transpose(0, 1)  # (..., Nq, H)
    hidden_k = params["W_k k"] if "W_k k" in params else k @ params["W_k"].transpose(0, 1)  # (..., Nk, H)
    hidden = torch.tanh(hidden_q.unsqueeze(-2) + hidden_k.unsqueeze(-3))  # (..., Nq, Nk, H)
    return hidden @ params["v"]  # (..., Nq, Nk)


def cosine(q: torch.Tensor, k: torch.Tensor, params: Params) -> torch.Tensor:
    """e_i = cos(q, k_i) / τ: direction only, bounded in [-1/τ, 1/τ]; τ ("temperature", default 0.1)."""
    temperature = float(params.get("temperature", 0.1))
    if not temperature > 0:
        raise ValueError("cosine temperature must be positive")
    return F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).transpose(-2, -1) / temperature


@dataclass(frozen=True)
class Similarity:
    name: str
    label: str
    formula: str  # plain-text formula, shown on the pages
    score: Callable[[torch.Tensor, torch.Tensor, Params], torch.Tensor]
    needs: tuple[str, ...] = ()  # parameter names the function reads from ``params``


REGISTRY: dict[str, Similarity] = {
    s.name: s
    for s in (
        Similarity("dot", "Dot product", "e = q · k", dot),
        Similarity("scaled_dot", "Scaled dot product", "e = q · k / √D", scaled_dot),
        Similarity("general", "General (bilinear)", "e = q W kᵀ", general, ("W",)),
        Similarity("additive", "Additive (Bahdanau MLP)", "e = vᵀ tanh(W_q q + W_k k)", additive, ("W_q", "W_k", "v")),
        Similarity("cosine", "Cosine / temperature", "e = cos(q, k) / τ", cosine),
    )
}


def get(name: str) -> Similarity:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown similarity {name!r}; choose one of {', '.join(REGISTRY)}") from None


def prepare_keys(name: str, k: torch.Tensor, params: Params) -> dict[str, object]:
    """``params`` plus the work on the keys that no query changes, done once when many queries score the same keys.

    A seq2seq decoder scores the same encoder states h_i at every output step; Bahdanau et al. (2015, appendix A)
    precompute U_a h_j for that reason. Only "additive" has such work; the others return ``params`` unchanged.
    """
    prepared = dict(params)
    if get(name).name == "additive":
        prepared["W_k k"] = k @ params["W_k"].transpose(0, 1)  # (..., Nk, H)
    return prepared


def init_params(
    name: str,
    d_query: int,
    d_key: int,
    *,
    hidden: int = 16,
    seed: int = 0,
    device: torch.device | str = "cpu",
    dtype: torch.dtype = torch.float32,
) -> dict[str, torch.Tensor]:
    """Seeded parameters for similarity ``name`` (empty for the parameter-free ones)."""
    generator = torch.Generator().manual_seed(seed)

    def randn(*shape: int, fan_in: int) -> torch.Tensor:
        return (torch.randn(*shape, generator=generator) / math.sqrt(fan_in)).to(device, dtype)

    if name == "general":
        return {"W": randn(d_query, d_key, fan_in=d_query)}
    if name == "additive":
        return {
            "W_q": randn(hidden, d_query, fan_in=d_query),
            "W_k": randn(hidden, d_key, fan_in=d_key),
            "v": randn(hidden, fan_in=hidden),
        }
    get(name)  # raises for unknown names
    return {}
