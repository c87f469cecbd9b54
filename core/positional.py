"""Positional encodings (notes §3): self-attention is permutation-equivariant, so order has to be injected.

    none         X
    sinusoidal   X + PE, PE[p, 2i] = sin(p / 10000^(2i/D)), PE[p, 2i+1] = cos(p / 10000^(2i/D))
    learned      X + P[p], a table of seeded N(0, 0.5²) vectors standing in for trained ones
    rope         rotary: each pair (x_2i, x_2i+1) of q and k rotated by angle p·θ_i, θ_i = 10000^(−2i/D);
                 applied to queries and keys, not added to the inputs, so scores depend on relative offsets
"""

from __future__ import annotations

import math
from functools import lru_cache

import torch

KINDS = ("none", "sinusoidal", "learned", "rope")


def sinusoidal(n: int, dim: int, *, device="cpu", dtype=torch.float32) -> torch.Tensor:
    """(N, D) table of Vaswani et al. 2017."""
    position = torch.arange(n, dtype=torch.float64).unsqueeze(1)  # (N, 1)
    frequency = torch.exp(torch.arange(0, dim, 2, dtype=torch.float64) * (-math.log(10000.0) / dim))  # (⌈D/2⌉,)
    table = torch.zeros(n, dim, dtype=torch.float64)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency[: dim // 2])
    return table.to(device=device, dtype=dtype)


MAX_LEARNED_POSITIONS = 4096


@lru_cache(maxsize=8)
def _learned_table(dim: int, seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(10_007 + seed)
    return 0.5 * torch.randn(MAX_LEARNED_POSITIONS, dim, generator=generator)


def learned(n: int, dim: int, *, seed: int = 0, device="cpu", dtype=torch.float32) -> torch.Tensor:
    """(N, D) seeded table standing in for trained position embeddings (row p is the same whatever N is)."""
    if n > MAX_LEARNED_POSITIONS:
        raise ValueError(f"the learned table has {MAX_LEARNED_POSITIONS} positions")
    return _learned_table(dim, seed)[:n].to(device=device, dtype=dtype)


def rope_angles(n: int, dim: int, *, base: float = 10000.0, device="cpu") -> torch.Tensor:
    """(N, D/2) rotation angles p·θ_i."""
    theta = base ** (-torch.arange(0, dim // 2 * 2, 2, dtype=torch.float64) / dim)
    return (torch.arange(n, dtype=torch.float64).unsqueeze(1) * theta).to(device)


def apply_rope(x: torch.Tensor, angles: torch.Tensor | None = None) -> torch.Tensor:
    """Rotate consecutive pairs of the last axis of x (..., N, D) by ``angles`` (N, D/2); odd D leaves the last."""
    n, dim = x.shape[-2], x.shape[-1]
    if angles is None:
        angles = rope_angles(n, dim, device=x.device)
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    pairs = dim // 2 * 2
    even, odd = x[..., 0:pairs:2], x[..., 1:pairs:2]
    rotated = torch.empty_like(x)
    rotated[..., 0:pairs:2] = even * cos - odd * sin
    rotated[..., 1:pairs:2] = even * sin + odd * cos
    if pairs < dim:
        rotated[..., pairs:] = x[..., pairs:]
    return rotated


def encoding_table(kind: str, n: int, dim: int, *, seed: int = 0, device="cpu", dtype=torch.float32) -> torch.Tensor | None:
    """The (N, D) table added to the inputs, or None for "none" and "rope" (which acts on q and k instead)."""
    if kind not in KINDS:
        raise ValueError(f"unknown positional encoding {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "sinusoidal":
        return sinusoidal(n, dim, device=device, dtype=dtype)
    if kind == "learned":
        return learned(n, dim, seed=seed, device=device, dtype=dtype)
    return None
