"""Opening and inspecting a ViT-B/16-sized checkpoint (D = 768, 12 blocks × 12 heads, 224 px, 1000 classes, random
weights in timm's layout, 86.6 M parameters), saved as .safetensors and as .pt under a temporary folder:

  open_recognise     core.checkpoints.open_checkpoint + core.families.recognise_checkpoint, minus the raw read of
                     the same file (its bytes read into memory), both with the file in the page cache.
                     Goal: ≤ 1 s beyond the raw read.
  page_open          what the Checkpoints page's job does besides: tensor statistics for the browser (no goal).
  inspect_vs_plain   what ``inspect --image --out`` does once the model is recognised (read and resize the image,
                     the forward on the explicit path with every per-head map, rollout, the NPZ written) against a
                     plain forward of the same model without maps (the fused SDPA path), alternated in one process.
                     Goal: ≤ 1.3×.
  peak_rss           ``attention-explorer inspect PATH --image IMG --out F.npz`` (and ``--json``) as a fresh process,
                     its peak resident set read from getrusage(RUSAGE_CHILDREN) by a parent that runs nothing else.
                     Goal: ≤ file size + 600 MB.

Each timed case runs in a fresh process with the app's thread choice (core.device.configure_threads). The machine
is shared: the load average at start and end says how busy it was. Run: python benchmarks/checkpoints.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import emit, machine, summary  # noqa: E402

MB = 1 << 20


def vit_b16_timm() -> dict:
    """Random ViT-B/16 weights under timm's names (the canonical ones renamed, as timm's state_dict has them)."""
    from core.vit import ViTConfig, init_params

    config = ViTConfig(image_size=224, patch_size=16, dim=768, depth=12, heads=12, mlp_dim=3072, num_classes=1000)
    canonical = init_params(config, seed=0)
    timm = {"patch_embed.proj.weight": canonical["patch_embed.weight"], "patch_embed.proj.bias": canonical["patch_embed.bias"],
            "cls_token": canonical["cls_token"], "pos_embed": canonical["pos_embed"],
            "norm.weight": canonical["encoder.norm.weight"], "norm.bias": canonical["encoder.norm.bias"],
            "head.weight": canonical["head.weight"], "head.bias": canonical["head.bias"]}
    names = {"norm1": "norm1", "norm2": "norm2", "self_attn.in_proj_weight": "attn.qkv.weight", "self_attn.in_proj_bias": "attn.qkv.bias",
             "self_attn.out_proj": "attn.proj", "linear1": "mlp.fc1", "linear2": "mlp.fc2"}
    for key, value in canonical.items():
        if key.startswith("encoder.layers."):
            index, rest = key[len("encoder.layers."):].split(".", 1)
            for ours, theirs in names.items():
                if rest.startswith(ours):
                    timm[f"blocks.{index}.{theirs}{rest[len(ours):]}"] = value
    assert len(timm) == 8 + 12 * 12, len(timm)
    return {k: v.contiguous() for k, v in timm.items()}


def write_files(folder: Path) -> dict[str, Path]:
    import torch
    from PIL import Image
    from safetensors.torch import save_file

    tensors = vit_b16_timm()
    files = {"safetensors": folder / "vit_b16.safetensors", "pt": folder / "vit_b16.pt"}
    save_file(tensors, str(files["safetensors"]))
    torch.save(tensors, files["pt"])
    import numpy as np

    pixels = (np.random.default_rng(0).random((480, 640, 3)) * 255).astype(np.uint8)
    Image.fromarray(pixels).save(folder / "photo.jpg", quality=90)
    files["image"] = folder / "photo.jpg"
    return files


def read_raw(path: Path) -> int:
    """Read every byte of the file into one buffer (what any loader must at least do)."""
    buffer = bytearray(path.stat().st_size)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as handle:
        done = 0
        while done < len(buffer):
            done += handle.readinto(view[done : done + 64 * MB])
    return done


# ---- workers: each runs in a fresh process ----------------------------------------------------------------------
def worker_open(path: Path, repeats: int) -> dict:
    from core import families
    from core.checkpoints import open_checkpoint
    from core.device import configure_threads

    configure_threads()
    raw, opened = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        read_raw(path)
        raw.append(time.perf_counter() - start)
        start = time.perf_counter()
        checkpoint = open_checkpoint(path)
        recognition = families.recognise_checkpoint(checkpoint)
        opened.append(time.perf_counter() - start)
        assert recognition.family == "timm" and recognition.config.heads == 12
        del checkpoint, recognition
    from explorer.pages.checkpoints import load_with_stats  # the page's job: statistics for the browser as well

    start = time.perf_counter()
    load_with_stats(path, lambda *a: None)
    page = time.perf_counter() - start
    beyond = sorted(o - r for o, r in zip(opened, raw))
    return {"raw_read": summary([r * 1000 for r in raw]), "open_recognise": summary([o * 1000 for o in opened]),
            "open_recognise_beyond_raw_read": summary([b * 1000 for b in beyond]), "page_open_with_stats_ms": round(page * 1000, 1)}


def worker_inspect(path: Path, image: Path, repeats: int) -> dict:
    import torch

    from core import families, vit
    from core.checkpoints import open_checkpoint
    from core.device import configure_threads
    from explorer import inspection

    threads = configure_threads()
    recognition = families.recognise_checkpoint(open_checkpoint(path))
    out = str(Path(tempfile.mkdtemp(prefix="ae-bench-")) / "maps.npz")
    pixels = torch.rand(3, 224, 224)

    def plain():
        with torch.no_grad():
            vit.vit_forward(pixels, recognition.params, recognition.config, need_weights=False)

    def inspect():
        arrays, _ = inspection.vision_maps(recognition, str(image))
        inspection.write_npz(out, arrays)

    plain(), inspect()  # warm-up: first-call allocations, the image decoder
    plain_ms, inspect_ms = [], []
    for _ in range(repeats):  # alternated, so both see the same machine load
        start = time.perf_counter()
        plain()
        plain_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        inspect()
        inspect_ms.append((time.perf_counter() - start) * 1000)
    ratios = sorted(i / p for i, p in zip(inspect_ms, plain_ms))
    import statistics

    return {"torch_threads": threads, "plain_forward": summary(plain_ms), "inspect": summary(inspect_ms),
            "ratio_of_medians": round(statistics.median(inspect_ms) / statistics.median(plain_ms), 3),
            "ratio_per_pair": {"min": round(ratios[0], 3), "median": round(statistics.median(ratios), 3), "max": round(ratios[-1], 3)},
            "npz_mb": round(os.path.getsize(out) / MB, 1)}


def peak_rss_mb(args: list[str]) -> tuple[float, float, int]:
    """(peak RSS in MB, wall seconds, exit code) of ``attention-explorer *args`` run by a parent that runs nothing else."""
    code = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        f"done = subprocess.run([sys.executable, '-m', 'explorer', *{args!r}], capture_output=True)\n"
        "wall = time.perf_counter() - start\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, wall, done.returncode)\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    return round(int(output[0]) / 1024, 1), round(float(output[1]), 2), int(output[2])


def in_fresh_process(worker: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--worker", worker, *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worker", choices=("open", "inspect"))
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.worker == "open":
        print(json.dumps(worker_open(Path(args.paths[0]), args.repeats)))
        return
    if args.worker == "inspect":
        print(json.dumps(worker_inspect(Path(args.paths[0]), Path(args.paths[1]), args.repeats)))
        return

    load_start = os.getloadavg()
    results: dict[str, object] = {"benchmark": "checkpoints", "model": "ViT-B/16 sized, timm layout, random weights",
                                  "goals": {"open_recognise_beyond_raw_read_s": 1.0, "inspect_vs_plain_forward": 1.3, "peak_rss_mb": "file size + 600"}}
    with tempfile.TemporaryDirectory(prefix="ae-bench-checkpoints-") as folder:
        files = write_files(Path(folder))
        for fmt in ("safetensors", "pt"):
            path = files[fmt]
            read_raw(path)  # the file in the page cache for every case below
            size_mb = round(path.stat().st_size / MB, 1)
            case: dict[str, object] = {"file_mb": size_mb}
            case |= in_fresh_process("open", "--repeats", str(args.repeats), str(path))
            case |= in_fresh_process("inspect", "--repeats", str(args.repeats), str(path), str(files["image"]))
            rss, wall, code = peak_rss_mb(["inspect", str(path), "--image", str(files["image"]), "--out", str(Path(folder) / f"{fmt}.npz")])
            describe_rss, describe_wall, describe_code = peak_rss_mb(["inspect", str(path), "--json"])
            case["peak_rss_mb"] = {"inspect_image": rss, "inspect_json": describe_rss, "budget": round(size_mb + 600, 1),
                                   "cli_wall_s": {"inspect_image": wall, "inspect_json": describe_wall}, "exit_codes": [code, describe_code]}
            case["meets_goals"] = {
                "open_recognise": case["open_recognise_beyond_raw_read"]["p50_ms"] <= 1000,
                "inspect_vs_plain": case["ratio_of_medians"] <= 1.3,
                "peak_rss": rss <= size_mb + 600,
            }
            results[fmt] = case
    results["load_average"] = {"start": [round(v, 2) for v in load_start], "end": [round(v, 2) for v in os.getloadavg()]}
    import torch  # noqa: F401 - so machine() reports torch's version

    results["machine"] = machine()
    emit(results)


if __name__ == "__main__":
    main()
