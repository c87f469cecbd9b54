"""Attention masks: boolean grids where **True means "may attend"** (the query may look at that key).

This is the convention of ``torch.nn.functional.scaled_dot_product_attention``; it is the *opposite* of
``torch.nn.MultiheadAttention``'s boolean ``attn_mask`` / ``key_padding_mask``, where True means "blocked"
(use :func:`from_blocked` to convert). A mask broadcasts to the scores, (B, H, Nq, Nk); the helpers below
return (Nq, Nk) grids unless they say otherwise. Scores at False cells become −∞ before the softmax, so their
weights are exactly 0 (notes §4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch


def _grid(n_query: int, n_key: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    rows = torch.arange(n_query, device=device).unsqueeze(1)  # (Nq, 1)
    cols = torch.arange(n_key, device=device).unsqueeze(0)  # (1, Nk)
    return rows, cols


def full(n_query: int, n_key: int | None = None, *, device="cpu") -> torch.Tensor:
    """Everything visible: the mask that masks nothing."""
    return torch.ones(n_query, n_query if n_key is None else n_key, dtype=torch.bool, device=device)


def causal(n_query: int, n_key: int | None = None, *, device="cpu") -> torch.Tensor:
    """Query i sees keys j ≤ i (+ the offset when there are more keys than queries: a decoder with a cache)."""
    n_key = n_query if n_key is None else n_key
    rows, cols = _grid(n_query, n_key, device)
    return cols <= rows + (n_key - n_query)


def padding(n_query: int, n_key: int | None = None, *, n_pad: int, device="cpu") -> torch.Tensor:
    """The last ``n_pad`` keys are padding: no query may look at them."""
    n_key = n_query if n_key is None else n_key
    if not 0 <= n_pad <= n_key:
        raise ValueError(f"padding count {n_pad} is outside 0…{n_key}")
    _, cols = _grid(n_query, n_key, device)
    return (cols < n_key - n_pad).expand(n_query, n_key).clone()


def key_padding(lengths: Sequence[int], n_key: int, *, device="cpu") -> torch.Tensor:
    """Per-sequence valid lengths → (B, 1, 1, Nk), broadcastable over heads and queries."""
    lengths_t = torch.as_tensor(list(lengths), device=device).view(-1, 1)
    return (torch.arange(n_key, device=device).view(1, -1) < lengths_t).view(len(lengths), 1, 1, n_key)


def local_window(n_query: int, n_key: int | None = None, *, window: int, causal_only: bool = False, device="cpu") -> torch.Tensor:
    """Query i sees keys with |i − j| ≤ window (only j ≤ i when ``causal_only``)."""
    if window < 0:
        raise ValueError("window must be ≥ 0")
    n_key = n_query if n_key is None else n_key
    rows, cols = _grid(n_query, n_key, device)
    near = (rows - cols).abs() <= window
    return near & (cols <= rows) if causal_only else near


def random_sparse(n_query: int, n_key: int | None = None, *, p: float, seed: int = 0, keep_diagonal: bool = True, device="cpu") -> torch.Tensor:
    """Each cell is blocked with probability ``p`` (seeded); the diagonal stays visible by default."""
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    n_key = n_query if n_key is None else n_key
    generator = torch.Generator().manual_seed(seed)
    mask = (torch.rand(n_query, n_key, generator=generator) >= p).to(device)
    if keep_diagonal:
        rows, cols = _grid(n_query, n_key, device)
        mask |= rows == cols
    return mask


def block_diagonal(segments: Sequence[int], *, device="cpu") -> torch.Tensor:
    """Tokens attend only within their own segment (e.g. packed sequences); ``segments`` are lengths."""
    if any(s <= 0 for s in segments):
        raise ValueError("segment lengths must be positive")
    ids = torch.repeat_interleave(torch.arange(len(segments), device=device), torch.as_tensor(list(segments), device=device))
    return ids.unsqueeze(1) == ids.unsqueeze(0)


def from_cells(n_query: int, n_key: int, cells: Iterable[tuple[int, int]], *, visible: bool = False, device="cpu") -> torch.Tensor:
    """An arbitrary set of (query, key) cells: blocked (default) or, with ``visible``, the only visible ones."""
    mask = torch.full((n_query, n_key), not visible, dtype=torch.bool, device=device)
    for i, j in cells:
        if not (0 <= i < n_query and 0 <= j < n_key):
            raise ValueError(f"cell ({i}, {j}) is outside the {n_query}×{n_key} grid")
        mask[i, j] = visible
    return mask


def from_blocked(blocked: torch.Tensor) -> torch.Tensor:
    """Convert an nn.MultiheadAttention-style boolean mask (True = blocked) to this module's convention."""
    return ~blocked.bool()


def fully_masked_rows(mask: torch.Tensor) -> torch.Tensor:
    """True for queries that may look at nothing (their weights and output are defined as 0)."""
    return ~mask.any(dim=-1)


PRESETS = ("none", "causal", "padding", "window", "random", "blocks")


def from_preset(
    name: str,
    n: int,
    *,
    padding_count: int = 1,
    window: int = 2,
    p: float = 0.3,
    seed: int = 0,
    segments: Sequence[int] = (),
    device="cpu",
) -> torch.Tensor:
    """The (N, N) mask of a named preset: none, causal, padding (last k tokens), window (|i − j| ≤ w),
    random (each cell blocked with probability p, diagonal kept), blocks (block-diagonal segments; lengths
    that do not cover N are completed with one last segment)."""
    if name == "none":
        return full(n, device=device)
    if name == "causal":
        return causal(n, device=device)
    if name == "padding":
        return padding(n, n_pad=min(max(padding_count, 0), n), device=device)
    if name == "window":
        return local_window(n, window=window, device=device)
    if name == "random":
        return random_sparse(n, p=p, seed=seed, device=device)
    if name == "blocks":
        lengths, total = [], 0
        for length in segments:
            if length > 0 and total < n:
                lengths.append(min(length, n - total))
                total += lengths[-1]
        if total < n:
            lengths.append(n - total)
        return block_diagonal(lengths, device=device)
    raise ValueError(f"unknown mask preset {name!r}; choose one of {', '.join(PRESETS)}")
