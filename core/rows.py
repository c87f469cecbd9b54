"""Scaled dot-product attention computed by blocks of query rows, on the calling thread and one worker.

Each query's row of scores, weights and output depends on that query alone, so the rows can be computed apart
and written into one result. The app runs torch on one thread on a machine with two cores (see
:func:`core.device.configure_threads`): OpenMP's barrier then waits for a thread the painting or another process
may hold. Here the second core takes whole blocks of rows instead, from a shared counter: when it is busy, the
calling thread takes the blocks it left and waits for one block at most, not for a barrier.

benchmarks/rows.py measures it (D = 64, the app's allocator; results in benchmarks/results/rows-stop23*.json): at
N = 1024 the scores, softmax and output run 1.43-1.54× as fast split as on one thread while the other core is free,
and 0.96× as fast while another process spins on it; below :data:`SPLIT_CELLS` handing rows over costs about what
it saves (1.04-1.10× at N = 512 with the other core free, 0.83× with it busy).
"""

from __future__ import annotations

import functools
import itertools
import os
from concurrent.futures import ThreadPoolExecutor

import torch

from core import similarity as similarities
from core.attention import masked_softmax

SPLIT_CELLS = 768 * 768  # fewer score cells: little or nothing to gain (benchmarks/rows.py: 1.04-1.10x at N=512 with the other core free, 0.83x busy)
BLOCKS = 4  # row blocks per matrix: a busy second core delays the result by one block at most

_pool: ThreadPoolExecutor | None = None


def worth_splitting(q: torch.Tensor, k: torch.Tensor) -> bool:
    """True when the rows of ``q`` (Nq, D) against ``k`` (Nk, D) are better computed on two threads: CPU tensors
    outside autograd, torch left on one thread while a second core is there, and at least :data:`SPLIT_CELLS`
    scores."""
    return (  # the size first: most calls are short sequences, decided without the other questions
        q.dim() == 2
        and k.dim() == 2
        and q.shape[0] * k.shape[0] >= SPLIT_CELLS
        and q.shape[0] >= 2 * BLOCKS
        and q.device.type == "cpu"
        and not (torch.is_grad_enabled() and (q.requires_grad or k.requires_grad))
        and torch.get_num_threads() == 1
        and cores() >= 2
    )


@functools.cache
def cores() -> int:
    """The machine's processor count, asked once (os.cpu_count reads it from the system: ~8 µs a call)."""
    return os.cpu_count() or 1


def _worker() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="attention-rows")
    return _pool


def scaled_dot_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None, *, split: bool | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(scores, masked_scores, weights, output, fully_masked)`` of queries ``q`` (Nq, D) on keys ``k`` (Nk, D)
    and values ``v`` (Nk, Dv): e = q kᵀ/√D, a = masked softmax of e (``mask`` (Nq, Nk) bool, True = may attend),
    y = a v. The same values as :func:`core.similarity.scaled_dot` then :func:`core.attention.masked_softmax`.

    ``split``: compute blocks of rows on two threads; None decides by :func:`worth_splitting`."""
    if not (worth_splitting(q, k) if split is None else split):
        scores = similarities.scaled_dot(q, k, {})
        masked_scores, weights, fully_masked = masked_softmax(scores, mask)
        return scores, masked_scores, weights, weights @ v, fully_masked
    rows, keys = q.shape[0], k.shape[0]
    scaled, k_t = similarities.scaled_queries(q), k.transpose(-2, -1)
    scores = q.new_empty((rows, keys))
    weights = q.new_empty((rows, keys))
    output = v.new_empty((rows, v.shape[-1]))
    masked_scores = scores if mask is None else q.new_empty((rows, keys))
    fully_masked = torch.zeros(rows, dtype=torch.bool, device=q.device)
    step = -(-rows // BLOCKS)
    counter = itertools.count()  # next() on it is atomic under the GIL: each block is taken once

    def take_blocks() -> None:
        while (start := next(counter) * step) < rows:
            block = slice(start, min(rows, start + step))
            torch.matmul(scaled[block], k_t, out=scores[block])
            if mask is None:
                torch.softmax(scores[block], -1, out=weights[block])
            else:
                block_masked, block_weights, block_empty = masked_softmax(scores[block], mask[block])
                masked_scores[block], weights[block], fully_masked[block] = block_masked, block_weights, block_empty
            torch.matmul(weights[block], v, out=output[block])

    try:
        helper = _worker().submit(take_blocks)
    except RuntimeError:  # no thread to be had (the interpreter is shutting down): the calling thread takes all
        helper = None
    try:
        take_blocks()
    finally:
        if helper is not None:
            helper.result()  # the worker's block done (or its error raised) before the tensors are handed out
    return scores, masked_scores, weights, output, fully_masked
