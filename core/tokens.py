"""Token sequences and their embeddings, shared by the self-attention, masking, multi-head and Transformer pages.

Text becomes tokens (words or characters); each token gets a deterministic embedding: the same token string,
size D and seed always give the same vector, so repeated words share a vector and reordering the tokens reorders
the rows exactly (what permutation-equivariance experiments need). Other embedding sources (a checkpoint's real
token embeddings) plug in through :data:`EMBEDDING_SOURCES`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import torch

MAX_TOKENS = 1024
MIN_DIM, MAX_DIM = 2, 512
SPACE = "␣"

PRESETS: dict[str, str] = {
    "The cat sat on the mat": "the cat sat on the mat .",
    "Attention is all you need": "attention is all you need",
    "Thinking machines": "the animal did not cross the street because it was too tired",
    "Characters: hello world": "hello world",
}

_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def tokenize(text: str, mode: str = "words") -> list[str]:
    """Split ``text`` into word tokens (punctuation separate) or character tokens (spaces shown as ␣)."""
    if mode == "words":
        return _WORD.findall(text)
    if mode == "chars":
        return [SPACE if ch == " " else ch for ch in text.strip("\n")]
    raise ValueError(f"unknown tokenisation {mode!r}: use 'words' or 'chars'")


def validate(tokens: Sequence[str], *, max_tokens: int = MAX_TOKENS, min_tokens: int = 1) -> None:
    if len(tokens) < min_tokens:
        raise ValueError("type at least one token" if min_tokens == 1 else f"type at least {min_tokens} tokens")
    if len(tokens) > max_tokens:
        raise ValueError(f"{len(tokens)} tokens is more than this page's limit of {max_tokens}")


@lru_cache(maxsize=65536)
def _token_vector(token: str, dim: int, seed: int) -> torch.Tensor:
    digest = hashlib.blake2b(f"{seed}\x00{token}".encode(), digest_size=8).digest()
    generator = torch.Generator().manual_seed(int.from_bytes(digest, "little") & (2**63 - 1))
    return torch.randn(dim, generator=generator)


def hashed_embeddings(tokens: Sequence[str], dim: int, *, seed: int = 0) -> torch.Tensor:
    """(N, D) embeddings, one seeded N(0, 1) vector per distinct token string."""
    if not MIN_DIM <= dim <= MAX_DIM:
        raise ValueError(f"embedding size D must be between {MIN_DIM} and {MAX_DIM}")
    if not tokens:
        return torch.zeros(0, dim)
    return torch.stack([_token_vector(t, dim, seed) for t in tokens])


# name → function(tokens, dim, seed) -> (N, D). A loaded checkpoint adds its real token embeddings (register_source).
EMBEDDING_SOURCES: dict[str, Callable[[Sequence[str], int, int], torch.Tensor]] = {
    "seeded random": lambda tokens, dim, seed: hashed_embeddings(tokens, dim, seed=seed),
}
# name → D for sources whose vectors have a fixed size (a model's embedding table): pages take D from here.
SOURCE_DIMS: dict[str, int] = {}


def register_source(name: str, fn: Callable[[Sequence[str], int, int], torch.Tensor], dim: int | None = None) -> None:
    """Offer ``fn`` to the sequence pages as an embedding source; ``dim`` when its vectors have a fixed size."""
    EMBEDDING_SOURCES[name] = fn
    if dim is not None:
        SOURCE_DIMS[name] = dim
    else:
        SOURCE_DIMS.pop(name, None)


def embed(tokens: Sequence[str], dim: int, *, seed: int = 0, source: str = "seeded random", device="cpu", dtype=torch.float32) -> torch.Tensor:
    try:
        fn = EMBEDDING_SOURCES[source]
    except KeyError:
        raise ValueError(f"unknown embedding source {source!r}") from None
    return fn(tokens, dim, seed).to(device=device, dtype=dtype)
