"""Shared by the benchmark scripts: percentiles, machine facts, one JSON object on stdout."""

from __future__ import annotations

import json
import os
import platform
import sys
import time

import numpy as np


def summary(samples_ms) -> dict[str, float]:
    samples = np.asarray(samples_ms, float)
    return {
        "p50_ms": round(float(np.percentile(samples, 50)), 3),
        "p95_ms": round(float(np.percentile(samples, 95)), 3),
        "max_ms": round(float(samples.max()), 3),
        "n": int(samples.size),
    }


def cpu_model() -> str:
    """The processor's name as Linux reports it (``platform.processor()`` is often empty there)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def python_loop_us() -> float:
    """Microseconds for ``sum(range(10000))``, the best of five: a yardstick of the interpreter's speed on this
    machine. The interaction figures are mostly Python and Qt work on one core, so figures from two machines compare
    only next to this number (the 2-core development VM measures ~180-200 µs)."""
    import timeit

    return round(min(timeit.repeat("sum(range(10000))", number=200, repeat=5)) / 200 * 1e6, 1)


def machine() -> dict[str, object]:
    info: dict[str, object] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu": cpu_model(),
        "python_loop_us": python_loop_us(),
        "platform": platform.platform(),
    }
    if "torch" in sys.modules:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    return info


def emit(result: dict) -> None:
    result.setdefault("machine", machine())
    print(json.dumps(result, indent=2))


def timed_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


def offscreen_window(size: tuple[int, int] = (1280, 800)):
    """(app, window): the main window at ``size`` with the core loaded and shown; no autosave, no saved geometry."""
    from explorer.app import application

    app = application()
    from explorer.main_window import MainWindow

    window = MainWindow(restore_geometry=False, autosave=False)
    window.resize(*size)
    window.start_core(sync=True)
    window.show()
    app.processEvents()
    return app, window
