"""Three ways to process a sequence (notes §6): a recurrent layer, a 1-D convolution, self-attention.

For one layer of each on the same input x (N, D):

                      sequential steps   path from first to last token        work / memory
    RNN               N  (h_t needs h_t−1)   N − 1 steps                          O(N·D²) / O(N·D)
    1-D conv (k)      1                      ⌈(N − 1)/(k − 1)⌉ stacked layers      O(N·k·D²) / O(N·D)
    self-attention    1                      1                                    O(N²·D) / O(H·N²)

The first two columns are counted; :func:`measure` also times each forward (median of repeats) and measures its
peak memory: the most bytes of tensor storage that the forward's own operations had allocated and still alive at
one time — tracemalloc for tensors (:class:`TensorBytes`, a ``TorchDispatchMode``: each op's freshly allocated
output storage is added when it appears and removed when its last tensor dies; inputs and weights are not counted).
Scratch space that lives only inside one kernel is not seen. The mode is thread-local, so a measurement in a
worker thread counts that thread's tensors only. (``torch.profiler``'s allocator events would see scratch space
too, but its Kineto backend must run on the thread that first started it, which a worker is not.)
Self-attention is measured twice: on the explicit path the app uses (every (H, N, N) weight kept) and on the fused
``F.scaled_dot_product_attention`` kernel, which never holds the N × N matrix.
"""

from __future__ import annotations

import math
import statistics
from contextlib import contextmanager
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

from core.multihead import init_params, multi_head_attention

WAYS: dict[str, str] = {
    "rnn": "RNN",
    "conv": "1-D convolution",
    "attention": "self-attention",
    "attention_fused": "self-attention (fused kernel)",
}
LENGTHS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
Progress = Callable[..., None]


def sequential_steps(way: str, n: int) -> int:
    """Operations of one layer that must run one after another."""
    return n if way == "rnn" else 1


def path_length(way: str, n: int, kernel: int = 3) -> int:
    """Steps a signal from the first token takes to reach the last: RNN steps, stacked conv layers, or one
    attention layer (the receptive field of one conv layer is only k tokens)."""
    if n <= 1:
        return 0
    if way == "rnn":
        return n - 1
    if way == "conv":
        return math.ceil((n - 1) / (kernel - 1))
    return 1


@dataclass(frozen=True)
class Measurement:
    way: str
    n: int
    sequential_steps: int
    path_length: int
    forward_ms: float  # median wall time of one forward
    peak_bytes: int  # most bytes held at once by torch's CPU allocator during one forward


@dataclass(frozen=True)
class ThreeWays:
    dim: int
    heads: int
    kernel: int
    lengths: tuple[int, ...]
    measurements: dict[str, tuple[Measurement, ...]] = field(default_factory=dict)  # way → one per length

    def series(self, way: str, key: str) -> list[float]:
        return [float(getattr(m, key)) for m in self.measurements.get(way, ())]


def build_layers(dim: int = 64, heads: int = 4, kernel: int = 3, *, seed: int = 0) -> dict[str, Callable[[torch.Tensor], torch.Tensor]]:
    """One layer of each way as a function x (1, N, D) → (1, N, D)."""
    torch.manual_seed(seed)
    rnn = nn.RNN(dim, dim, batch_first=True).eval()
    conv = nn.Conv1d(dim, dim, kernel, padding=kernel // 2).eval()
    params = init_params(dim, heads, seed=seed)
    return {
        "rnn": lambda x: rnn(x)[0],
        "conv": lambda x: conv(x.transpose(1, 2)).transpose(1, 2),  # (1, N, D) → (1, D, N) → back
        "attention": lambda x: multi_head_attention(x, x, x, params, heads, need_weights=True, device=x.device).output,
        "attention_fused": lambda x: multi_head_attention(x, x, x, params, heads, need_weights=False, device=x.device).output,
    }


class TensorBytes(TorchDispatchMode):
    """Counts the bytes of tensor storage that operations allocate while the mode is active, and the peak of
    those alive at once. A storage counts from the op that created it until the last tensor on it is gone;
    an output that shares storage with an input (a view, an in-place op) allocates nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.live: dict[int, list[int]] = {}  # storage address → [bytes, tensors on it]
        self.current = 0
        self.peak = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        inputs = {t.untyped_storage().data_ptr() for t in tree_flatten((args, kwargs))[0] if isinstance(t, torch.Tensor)}
        for tensor in tree_flatten(out)[0]:
            if isinstance(tensor, torch.Tensor):
                self._track(tensor, inputs)
        return out

    def _track(self, tensor: torch.Tensor, inputs: set[int]) -> None:
        storage = tensor.untyped_storage()
        key = storage.data_ptr()
        entry = self.live.get(key)
        if entry is None:
            if key == 0 or key in inputs:  # empty, or a view of memory this mode did not see allocated
                return
            entry = self.live[key] = [storage.nbytes(), 0]
            self.current += entry[0]
            self.peak = max(self.peak, self.current)
        entry[1] += 1
        weakref.finalize(tensor, self._release, key)

    def _release(self, key: int) -> None:
        entry = self.live.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del self.live[key]
            self.current -= entry[0]


def peak_bytes(fn: Callable[[], object]) -> int:
    """Peak bytes of tensor storage allocated by ``fn`` and alive at once (see :class:`TensorBytes`)."""
    with TensorBytes() as counter:
        result = fn()
        del result
    return counter.peak


def measure(
    lengths: Sequence[int] = LENGTHS,
    *,
    ways: Sequence[str] = tuple(WAYS),
    dim: int = 64,
    heads: int = 4,
    kernel: int = 3,
    repeats: int = 3,
    seed: int = 0,
    threads: int | None = 1,
    progress: Progress | None = None,
) -> ThreeWays:
    """Time and measure one layer of each way at every length. ``progress(fraction, message, payload)`` gets
    each :class:`Measurement` as it is made and may raise to stop (a worker's cancel).

    ``threads``: torch's intra-op threads during the measurement (restored after; None keeps the setting). One
    by default: the comparison is between the algorithms, not how well each kernel spreads over cores, and on a
    shared machine more threads than free cores make timings erratic."""
    unknown = [w for w in ways if w not in WAYS]
    if unknown:
        raise ValueError(f"unknown ways {unknown}; choose from {', '.join(WAYS)}")
    if not lengths or min(lengths) < 1:
        raise ValueError("lengths must be positive")
    layers = build_layers(dim, heads, kernel, seed=seed)
    generator = torch.Generator().manual_seed(seed)
    results: dict[str, list[Measurement]] = {way: [] for way in ways}
    total, done = len(lengths) * len(ways), 0
    with torch.no_grad(), _intra_op_threads(threads):
        for n in lengths:
            x = torch.randn(1, n, dim, generator=generator)
            for way in ways:
                layer = layers[way]
                start = time.perf_counter()
                layer(x)  # warm-up (first-call allocations, kernel selection)
                slow = time.perf_counter() - start > 0.5  # one more run is enough where one takes seconds
                times = []
                for _ in range(1 if slow else repeats):
                    start = time.perf_counter()
                    layer(x)
                    times.append((time.perf_counter() - start) * 1000.0)
                m = Measurement(way, n, sequential_steps(way, n), path_length(way, n, kernel), statistics.median(times), peak_bytes(lambda: layer(x)))
                results[way].append(m)
                done += 1
                if progress is not None:
                    progress(done / total, f"{WAYS[way]}, N = {n}: {m.forward_ms:.2f} ms, {m.peak_bytes / 2**20:.2f} MiB", m)
    return ThreeWays(dim, heads, kernel, tuple(lengths), {way: tuple(ms) for way, ms in results.items()})


@contextmanager
def _intra_op_threads(threads: int | None):
    previous = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
