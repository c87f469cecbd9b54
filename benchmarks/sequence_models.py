"""Three ways to process a sequence (notes §6), measured: one layer each of an RNN, a 1-D convolution (kernel 3)
and multi-head self-attention (explicit path keeping every weight, and the fused SDPA kernel) on the same input
x (1, N, 64), N = 16 … 4096.

Per way and N: sequential steps and the path length from the first to the last token (counted), the median
forward time, and the peak memory — bytes of tensor storage the forward allocated and held at once, counted by
core.sequence_models.TensorBytes (a TorchDispatchMode: tracemalloc for tensors; kernel-internal scratch is not
seen). Self-attention's explicit path grows like H·N²; the others like N.

Run: .venv/bin/python benchmarks/sequence_models.py [--max-n 4096] [--repeats 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import emit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-n", type=int, default=4096)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads while measuring (default 1)")
    args = parser.parse_args()
    from core.sequence_models import LENGTHS, WAYS, measure

    lengths = tuple(n for n in LENGTHS if n <= args.max_n)
    start = time.perf_counter()
    result = measure(lengths, repeats=args.repeats, threads=args.threads)
    by_way = {}
    for way, measurements in result.measurements.items():
        by_way[way] = {
            "label": WAYS[way],
            "N": [m.n for m in measurements],
            "sequential_steps": [m.sequential_steps for m in measurements],
            "path_length": [m.path_length for m in measurements],
            "forward_ms": [round(m.forward_ms, 3) for m in measurements],
            "peak_mib": [round(m.peak_bytes / 2**20, 3) for m in measurements],
        }
    explicit, fused = result.measurements["attention"][-1], result.measurements["attention_fused"][-1]
    emit(
        {
            "benchmark": "sequence_models",
            "dim": result.dim,
            "heads": result.heads,
            "threads": args.threads,
            "kernel": result.kernel,
            "memory": "peak bytes of tensor storage allocated by the forward and alive at once (TorchDispatchMode accounting)",
            "ways": by_way,
            "at_max_n": {
                "N": explicit.n,
                "attention_peak_mib": round(explicit.peak_bytes / 2**20, 1),
                "attention_weights_mib": round(result.heads * explicit.n**2 * 4 / 2**20, 1),  # one (H, N, N) float32
                "fused_peak_mib": round(fused.peak_bytes / 2**20, 2),
                "rnn_peak_mib": round(result.measurements["rnn"][-1].peak_bytes / 2**20, 2),
            },
            "seconds": round(time.perf_counter() - start, 1),
        }
    )


if __name__ == "__main__":
    main()
