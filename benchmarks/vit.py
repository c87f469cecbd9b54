"""ViT figures (issue 6), one JSON object:

  patch_click        the bundled tiny ViT on the page: a click on a patch → overlay repainted (goal p95 ≤ 16 ms)
  vit_b16            a ViT-B/16-sized random model at 224 px: forward with all 144 maps + rollout against a plain
                     forward without maps, in the same run (goal ≤ 1.3×), and the process's peak RSS
  training           the bundled model's recorded training (goal ≥ 95 % test accuracy in ≤ 120 s); --train retrains

Run: QT_QPA_PLATFORM=offscreen python benchmarks/vit.py [--repeats 60] [--train]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import emit, summary, offscreen_window  # noqa: E402


def patch_clicks(repeats: int) -> dict:
    app, window = offscreen_window()
    page = window.show_page("vit")
    app.processEvents()
    grid = page.model.config.num_patches
    samples = []
    for index in range(repeats):
        start = time.perf_counter()
        page.overlay.patchClicked.emit((index * 7) % grid)  # what a click on the image emits
        app.processEvents()
        samples.append((time.perf_counter() - start) * 1000.0)
    window.undo_stack.clear()
    window.close()
    return summary(samples[3:])


def vit_b16(repeats: int) -> dict:
    import torch

    from core.vit import ViTConfig, attention_rollout, init_params, relevance_map, vit_forward

    config = ViTConfig(image_size=224, patch_size=16, dim=768, depth=12, heads=12, mlp_dim=3072, num_classes=1000)
    params = init_params(config, seed=0)
    image = torch.rand(1, 3, 224, 224)
    plain, maps = [], []
    with torch.no_grad():
        vit_forward(image, params, config, need_weights=False)
        for round_index in range(repeats):
            order = (0, 1) if round_index % 2 == 0 else (1, 0)
            for which in order:
                start = time.perf_counter()
                if which == 0:
                    vit_forward(image, params, config, need_weights=False)
                else:
                    trace = vit_forward(image, params, config, need_weights=True)
                    relevance_map(attention_rollout(trace.attentions[0]), config)
                (plain if which == 0 else maps).append((time.perf_counter() - start) * 1000.0)
    ratios = [m / p for m, p in zip(maps, plain)]
    return {
        "plain_forward_ms": round(statistics.median(plain), 1),
        "forward_with_144_maps_and_rollout_ms": round(statistics.median(maps), 1),
        "ratio": round(statistics.median(ratios), 3),
        "goal_ratio": 1.3,
        "maps": config.depth * config.heads,
        "threads": torch.get_num_threads(),
    }


def training(retrain: bool) -> dict:
    from core import resources

    if retrain:
        import subprocess

        out = Path("/tmp") / "bench_shapes_vit.safetensors"
        subprocess.run([sys.executable, "-m", "explorer", "train", "vit", "--out", str(out)], check=True)
        report = json.loads(out.with_suffix(".json").read_text())
    else:
        report = json.loads(resources.path("vit", "shapes_vit.json").read_text())
    return {"test_accuracy": report["test_accuracy"], "train_seconds": report["train_seconds"], "cpu_seconds": report.get("cpu_seconds"), "steps": report["steps"], "command": report.get("command"), "goal": "≥ 0.95 in ≤ 120 s"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--big-repeats", type=int, default=6)
    parser.add_argument("--train", action="store_true", help="retrain the bundled model instead of reading its record")
    args = parser.parse_args()
    result = {"benchmark": "vit", "patch_click": patch_clicks(args.repeats) | {"goal_p95_ms": 16.0}}
    import torch

    from core import device

    device.configure_threads()
    result["vit_b16"] = vit_b16(args.big_repeats)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    try:
        result["training"] = training(args.train)
    except FileNotFoundError as exc:
        result["training"] = {"error": str(exc)}
    result["torch_threads"] = torch.get_num_threads()
    emit(result)


if __name__ == "__main__":
    main()
