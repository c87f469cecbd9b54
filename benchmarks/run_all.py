"""Run every benchmark script in this folder and print one JSON object: {script: its JSON, ...}.

Each script runs in its own process (offscreen Qt), one after the other, so none disturbs another's timings.
Run: python benchmarks/run_all.py [--only NAME ...] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK_ARGS = {"interaction.py": ["--repeats", "40", "--sequence-repeats", "10"], "core_attention.py": ["--repeats", "10"], "startup.py": ["--runs", "3"], "rows.py": ["--repeats", "10"]}


def scripts() -> list[Path]:
    return sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != "run_all.py")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="script names (without .py) to run")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    results: dict[str, object] = {}
    for script in scripts():
        if args.only and script.stem not in args.only:
            continue
        start = time.perf_counter()
        command = [sys.executable, str(script), *(QUICK_ARGS.get(script.name, []) if args.quick else [])]
        completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=HERE.parent)
        elapsed = round(time.perf_counter() - start, 1)
        try:
            results[script.stem] = json.loads(completed.stdout) | {"wall_s": elapsed}
        except json.JSONDecodeError:
            results[script.stem] = {"error": (completed.stderr or completed.stdout)[-2000:], "returncode": completed.returncode, "wall_s": elapsed}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
