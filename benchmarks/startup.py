"""Start-up time of the app, as a user sees it: from launching the process to the first painted window, and
to the core being ready (torch imported, the first page computed and shown).

Goals: first paint ≤ 1.0 s, core ready ≤ 3 s. Each run is a fresh process (offscreen), timed from just
before the process is spawned. Run: python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import emit, summary  # noqa: E402


def one_launch() -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ATTENTION_EXPLORER_TRACE_STARTUP="1")
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="ae-startup-")  # no saved geometry, like a first launch
    start = time.time()
    process = subprocess.Popen([sys.executable, "-m", "explorer"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    marks: dict[str, float] = {}
    try:
        for line in process.stdout:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "startup":
                marks[parts[1]] = (float(parts[2]) - start) * 1000.0
            if "core-ready" in marks:
                break
    finally:
        process.kill()
        process.wait()
    return marks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    one_launch()  # warm the file cache, as a second launch would be
    runs = [one_launch() for _ in range(args.runs)]
    emit(
        {
            "benchmark": "startup",
            "goals_ms": {"first_paint": 1000, "core_ready": 3000},
            "first_paint": summary([r["first-paint"] for r in runs]),
            "core_ready": summary([r["core-ready"] for r in runs]),
            # where core-ready's time goes: torch's import ends (the loader thread starts it after the first paint),
            # the core is loaded, then the first page (pyqtgraph's import, the page built, computed and painted)
            "torch_imported": summary([r["torch-imported"] for r in runs]),
            "first_page_ms": summary([r["core-ready"] - r["core-loaded"] for r in runs]),
        }
    )


if __name__ == "__main__":
    main()
