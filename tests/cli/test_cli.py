"""The attention-explorer command as a user runs it, in a subprocess."""

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage


def run(*args, env_extra=None, drop=(), timeout=180):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "explorer", *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_without_a_display_it_says_so_in_one_line_instead_of_aborting():
    result = run(drop=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]


def test_screenshot_renders_a_page_to_a_png_of_the_asked_size(tmp_path):
    out = tmp_path / "layer.png"
    result = run("screenshot", "--page", "attention-layer", "--out", str(out), "--size", "1100x760", drop=("QT_QPA_PLATFORM",))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1100, 760)
    colours = {image.pixel(x, y) for x in range(0, 1100, 37) for y in range(0, 760, 29)}
    assert len(colours) > 20  # a real page, not a blank or single-colour frame


@pytest.mark.parametrize(
    "args, message",
    [
        (("screenshot", "--page", "nope", "--out", "x.png"), "invalid choice"),
        (("screenshot", "--page", "attention-layer", "--out", "x.png", "--size", "big"), "size must look like"),
        (("screenshot", "--page", "attention-layer", "--out", "x.png", "--lang", "fr"), "invalid choice: 'fr'"),
    ],
)
def test_bad_arguments_give_a_clear_message(args, message):
    result = run(*args)
    assert result.returncode == 2 and message in result.stderr


def test_screenshot_with_a_checkpoint_open_and_open_of_a_missing_path(tmp_path):
    import torch
    from safetensors.torch import save_file

    path = tmp_path / "weights.safetensors"
    save_file({"blocks.0.attn.qkv.weight": torch.randn(24, 8)}, str(path))
    out = tmp_path / "checkpoints.png"
    result = run("screenshot", "--page", "checkpoints", "--open", str(path), "--out", str(out), "--size", "1000x700", drop=("QT_QPA_PLATFORM",))
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 1000
    result = run("screenshot", "--page", "checkpoints", "--open", str(tmp_path / "nope.pt"), "--out", str(out), drop=("QT_QPA_PLATFORM",))
    assert result.returncode == 1 and "nope.pt does not exist" in result.stderr
    result = run("open", str(tmp_path / "nope.pt"))
    assert result.returncode == 2 and result.stderr.strip() == f"attention-explorer: {tmp_path / 'nope.pt'} does not exist"


def test_pages_lists_the_registered_page_ids():
    result = run("pages")
    assert result.returncode == 0 and "attention-layer" in result.stdout.split()


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "attention-explorer")
    result = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "screenshot" in result.stdout


@pytest.mark.slow
def test_train_transformer_writes_a_loadable_checkpoint_and_curves(tmp_path):
    result = run("train", "transformer", "--out", str(tmp_path), "--steps", "3", "--transfer-steps", "2", timeout=300)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"encoder.safetensors", "encoder.json", "transfer.json"}
    import json

    from core.sequence_tasks import load_classifier

    model, meta = load_classifier(tmp_path)
    assert 0.0 <= meta["accuracy"] <= 1.0 and meta["training"]["steps"] == 3
    assert meta["training"]["command"] == f"attention-explorer train transformer --out {tmp_path} --steps 3 --seed 0 --threads 1 --transfer-steps 2"
    curves = json.loads((tmp_path / "transfer.json").read_text())
    assert curves["steps"] == [0, 2] and set(curves["pretrained"]) == {"16", "128"}
    assert "Test accuracy" in result.stdout


def test_train_rejects_bad_arguments_before_importing_torch():
    result = run("train", "transformer", "--steps", "0")
    assert result.returncode == 2 and "must be at least 1" in result.stderr
    result = run("train", "vision")
    assert result.returncode == 2 and "invalid choice" in result.stderr
