"""LayerNorm vs BatchNorm (notes §6): why the Transformer normalises each token on its own.

    LayerNorm  x̂_t = (x_t − mean_d x_t) / √(var_d x_t + ε)      statistics over the D features of one token
    BatchNorm  x̂_t = (x_t − μ) / √(σ² + ε),  μ, σ² per feature over every token of every sequence in the batch

LayerNorm's output for a token depends on that token only. BatchNorm's depends on whatever else is in the batch:
the batch size, the other sequences, their lengths — and on padding, if padded positions are counted. With one
vector per example and a batch of one, BatchNorm in training mode is degenerate: x − μ = 0, so every input comes
out as β (torch's nn.BatchNorm1d refuses such a batch outright).
:func:`compare_norms` computes all of this for one sample placed in batches of different sizes and lengths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F

EPS = 1e-5


def layer_norm(x: torch.Tensor, eps: float = EPS) -> torch.Tensor:
    """(..., D) → each vector normalised over its own D features (γ = 1, β = 0)."""
    return F.layer_norm(x, x.shape[-1:], eps=eps)


def batch_norm(tokens: torch.Tensor, eps: float = EPS) -> torch.Tensor:
    """(T, D) → each feature normalised over the T rows, training mode (batch statistics, biased variance).

    Written out rather than F.batch_norm, which refuses T = 1: here a batch of one is computed, not refused."""
    mean = tokens.mean(dim=0, keepdim=True)  # (1, D) μ
    var = tokens.var(dim=0, unbiased=False, keepdim=True)  # (1, D) σ²
    return (tokens - mean) / torch.sqrt(var + eps)


@dataclass(frozen=True)
class BatchCase:
    """The sample (always member 0) inside one batch."""

    label: str
    lengths: tuple[int, ...]  # every member's sequence length, the sample's first
    layer_norm: torch.Tensor  # (N, D) the sample's rows after LayerNorm in this batch
    batch_norm: torch.Tensor  # (N, D) the sample's rows after BatchNorm over the real tokens of the batch
    batch_norm_padded: torch.Tensor | None  # (N, D) BatchNorm over the batch zero-padded to its longest member
    layer_norm_change: float  # max |LN here − LN with the sample alone|
    batch_norm_change: float  # max |BN here − BN with the sample alone|
    batch_norm_padded_change: float | None

    @property
    def batch_size(self) -> int:
        return len(self.lengths)


@dataclass(frozen=True)
class NormStudy:
    sample: torch.Tensor  # (N, D) the sample's token vectors
    cases: tuple[BatchCase, ...]
    single_inputs: torch.Tensor  # (K, D) K different vectors, each normalised alone in a batch of one
    single_batch_norm: torch.Tensor  # (K, D) BatchNorm of each in its batch of one: all β = 0
    single_layer_norm: torch.Tensor  # (K, D) LayerNorm of each: still different
    torch_refusal: str  # what nn.BatchNorm1d says to a training batch of one vector


def random_member(index: int, length: int, dim: int, *, seed: int = 0) -> torch.Tensor:
    """(length, dim) seeded N(0.3, 1.2²) vectors: stand-ins for other sequences in the batch."""
    generator = torch.Generator().manual_seed(seed * 1_000_003 + index)
    return 0.3 + 1.2 * torch.randn(length, dim, generator=generator)


def _torch_refusal(dim: int) -> str:
    try:
        torch.nn.BatchNorm1d(dim).train()(torch.ones(1, dim))
    except ValueError as exc:
        return str(exc)
    return "nn.BatchNorm1d accepted a training batch of one"  # pragma: no cover - torch has always refused


def compare_norms(
    sample: torch.Tensor,
    *,
    batch_sizes: Sequence[int] = (1, 2, 8, 32),
    mixed_sizes: Sequence[int] = (2, 8, 32),
    mixed_lengths: tuple[int, int] = (2, 64),
    member: Callable[[int, int], torch.Tensor] | None = None,
    seed: int = 0,
    eps: float = EPS,
) -> NormStudy:
    """Normalise ``sample`` (N, D) inside batches of ``batch_sizes`` sequences of its own length, and of
    ``mixed_sizes`` sequences of lengths drawn from ``mixed_lengths``. ``member(index, length)`` gives the
    other sequences ((length, D) each; default :func:`random_member`); member i is the same in every batch."""
    sample = torch.as_tensor(sample, dtype=torch.float32)
    if sample.dim() != 2 or sample.shape[0] < 1 or sample.shape[1] < 2:
        raise ValueError(f"the sample must be (N ≥ 1 tokens, D ≥ 2 features), got {tuple(sample.shape)}")
    n, dim = sample.shape
    if member is None:
        member = lambda index, length: random_member(index, length, dim, seed=seed)  # noqa: E731
    generator = torch.Generator().manual_seed(seed + 7)
    longest = max([*batch_sizes, *mixed_sizes], default=1)
    random_lengths = torch.randint(mixed_lengths[0], mixed_lengths[1] + 1, (longest,), generator=generator).tolist()

    alone_ln, alone_bn = layer_norm(sample, eps), batch_norm(sample, eps)

    def case(label: str, lengths: list[int]) -> BatchCase:
        members = [sample] + [member(i, length) for i, length in enumerate(lengths[1:], start=1)]
        ln = layer_norm(torch.cat(members), eps)[:n]
        bn = batch_norm(torch.cat(members), eps)[:n]
        padded = None
        if len(set(lengths)) > 1:  # statistics over a (B, N_max) grid whose short rows are padded with zeros
            grid = torch.zeros(len(members), max(lengths), dim)
            for row, m in enumerate(members):
                grid[row, : len(m)] = m
            padded = batch_norm(grid.flatten(0, 1), eps)[:n]
        return BatchCase(
            label, tuple(lengths), ln, bn, padded,
            float((ln - alone_ln).abs().max()), float((bn - alone_bn).abs().max()),
            None if padded is None else float((padded - alone_bn).abs().max()),
        )

    cases = [case(f"B = {b}, all length {n}", [n] * b) for b in batch_sizes]
    cases += [case(f"B = {b}, lengths {mixed_lengths[0]}–{mixed_lengths[1]}", [n] + random_lengths[: b - 1]) for b in mixed_sizes]
    # One vector per example (a sequence of one token, a pooled sequence): each alone in a batch of one.
    singles = sample[: min(n, 8)]
    single_bn = torch.stack([batch_norm(row.unsqueeze(0), eps)[0] for row in singles])
    return NormStudy(sample, tuple(cases), singles, single_bn, layer_norm(singles, eps), _torch_refusal(dim))
