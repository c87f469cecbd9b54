"""Self-attention's scores, softmax and output on one thread vs by blocks of query rows on two (core.rows).

The app runs torch on one thread on a machine with two cores (core.device.configure_threads); core.rows hands
blocks of rows to a second thread instead when the scores have at least core.rows.SPLIT_CELLS cells. For each N
(D = 64, no mask) the two are timed in alternating rounds, so a slow spell of the machine hits both:
  one_thread_ms, two_threads_ms   p50 and p95 of the attention alone
  speedup                         median over rounds of one thread's time / two threads' time
  chosen                          whether core.rows splits at this N on this machine
With ``--busy``, a second process spins on a core during the measurement: what a training in the background or
another program does to the split (the calling thread then takes the blocks the busy core does not).
Memory is allocated as in the app (core.memory.reuse_freed_memory, set at start-up): with glibc's defaults each
fresh N² tensor is a new mapping whose pages fault in on first touch, which the split then shares between two
threads; before stop 23 this script measured that, not the app (one thread read ~10 ms at N=1024, ~5 ms in the
app's setting).
Run: python benchmarks/rows.py [--sizes 256 512 1024 2048] [--repeats 40] [--busy]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from benchmarks._common import emit, summary  # noqa: E402
from core import rows  # noqa: E402
from core.memory import reuse_freed_memory  # noqa: E402


def measure(n: int, dim: int, repeats: int) -> dict[str, object]:
    generator = torch.Generator().manual_seed(n)
    q, k, v = (torch.randn(n, dim, generator=generator) for _ in range(3))
    one, two, ratios = [], [], []
    with torch.no_grad():
        for split in (False, True):  # first calls: the worker thread and the kernels' set-up
            rows.scaled_dot_attention(q, k, v, split=split)
        for _ in range(repeats):
            times = {}
            for split in (False, True):
                start = time.perf_counter()
                rows.scaled_dot_attention(q, k, v, split=split)
                times[split] = (time.perf_counter() - start) * 1000.0
            one.append(times[False])
            two.append(times[True])
            ratios.append(times[False] / times[True])
        chosen = rows.worth_splitting(q, k)
    return {"n": n, "one_thread_ms": summary(one), "two_threads_ms": summary(two), "speedup": round(statistics.median(ratios), 3), "chosen": chosen}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024, 2048])
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--busy", action="store_true", help="keep one core busy with another process meanwhile")
    args = parser.parse_args()
    torch.set_num_threads(1)  # as the app does on a machine with two cores
    allocator = "reuse_freed_memory (as in the app)" if reuse_freed_memory() else "default (mallopt unavailable)"
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy else None
    try:
        results = [measure(n, args.dim, args.repeats) for n in args.sizes]
    finally:
        if spinner is not None:
            spinner.kill()
    emit({"benchmark": "rows", "dim": args.dim, "busy_core": args.busy, "allocator": allocator, "split_cells": rows.SPLIT_CELLS, "results": results})


if __name__ == "__main__":
    main()
