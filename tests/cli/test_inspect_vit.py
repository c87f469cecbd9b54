"""`attention-explorer inspect` on ViT checkpoints, as a user runs it (subprocess): the maps equal the reference
library's, ``--set`` fixes what the weights do not record, and every bad file is one line on stderr."""

import builtins
import json
import os

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import save_file

from core import images
from core.vit import ViTConfig, attention_rollout, relevance_map
from tests.vit_fixtures import TorchvisionViT, timm_state_dict

from .test_cli import run

transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("inspect_vit")
    config = transformers.ViTConfig(hidden_size=48, num_hidden_layers=2, num_attention_heads=4, intermediate_size=96, image_size=32, patch_size=8, num_labels=5, attn_implementation="eager")
    torch.manual_seed(0)
    model = transformers.ViTForImageClassification(config).eval()
    model.save_pretrained(root / "hf")
    torch.manual_seed(2)
    torchvision_model = TorchvisionViT().eval()
    torch.save(torchvision_model.state_dict(), root / "vit_tv.pth")
    timm, _ = timm_state_dict(ViTConfig(dim=192, heads=3, depth=1, mlp_dim=64, num_classes=4), 0, layer_scale=False)
    wrong = dict(timm, **{"blocks.0.attn.proj.weight": torch.zeros(5, 5)})
    save_file({k: v.contiguous() for k, v in wrong.items()}, str(root / "wrong_shape.safetensors"))
    nan = dict(timm, **{"head.weight": torch.full_like(timm["head.weight"], float("nan"))})
    save_file({k: v.contiguous() for k, v in nan.items()}, str(root / "nan.safetensors"))
    save_file({"fc.weight": torch.zeros(2, 2)}, str(root / "mlp.safetensors"))
    pixels = (np.random.default_rng(0).random((40, 56, 3)) * 255).astype(np.uint8)
    Image.fromarray(pixels).save(root / "photo.png")
    return {"root": root, "hf_model": model, "tv_model": torchvision_model}


def test_hf_vit_maps_rollout_and_logits_equal_hf_eager(files, tmp_path):
    root, out = files["root"], tmp_path / "maps.npz"
    result = run("inspect", str(root / "hf"), "--image", str(root / "photo.png"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 layers × 4 heads × 17 tokens" in result.stdout and result.stderr == ""
    data = np.load(out)
    image = images.load(root / "photo.png", 32).image  # what the CLI fed the model: resized, centre-cropped
    with torch.no_grad():
        expected = files["hf_model"](pixel_values=((image - 0.5) / 0.5)[None], output_attentions=True)
    reference = torch.cat(expected.attentions)  # (L, H, N, N)
    assert data["attentions"].shape == (2, 4, 17, 17) and data["attentions"].dtype == np.float32
    assert np.abs(data["attentions"] - reference.numpy()).max() <= 1e-5
    assert np.abs(data["logits"] - expected.logits[0].numpy()).max() <= 1e-5
    config = json.loads(str(data["config"]))
    assert config["family"] == "hf-vit" and config["heads"] == 4 and config["eps"] == 1e-12
    rollout = relevance_map(attention_rollout(reference), ViTConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in config.items() if k != "family"}))
    assert data["rollout"].shape == (4, 4) and np.abs(data["rollout"] - rollout.numpy()).max() <= 1e-5
    assert list(data["tokens"][:2]) == ["CLS", "p0,0"]


def test_json_marks_the_guessed_head_count_and_set_replaces_it(files, tmp_path):
    path = files["root"] / "vit_tv.pth"
    guessed = run("inspect", str(path), "--json")
    assert guessed.returncode == 0, guessed.stderr
    info = json.loads(guessed.stdout)
    assert (info["family"], info["kind"], info["config"]["heads"]) == ("torchvision", "vision", 1)
    assert info["guessed"][0].startswith("heads: not stored in the weights")
    fixed = json.loads(run("inspect", str(path), "--json", "--set", "heads=4", "--set", "eps=1e-6").stdout)
    assert fixed["config"]["heads"] == 4 and fixed["guessed"] == [] and "overridden: heads=4, eps=1e-6" in fixed["notes"]
    out = tmp_path / "tv.npz"
    result = run("inspect", str(path), "--set", "heads=4", "--image", str(files["root"] / "photo.png"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    image = images.load(files["root"] / "photo.png", 32).image[None]
    mean, std = torch.tensor((0.485, 0.456, 0.406)).view(1, 3, 1, 1), torch.tensor((0.229, 0.224, 0.225)).view(1, 3, 1, 1)
    model = files["tv_model"]
    with torch.no_grad():
        logits = model((image - mean) / std)
    data = np.load(out)
    assert np.abs(data["logits"] - logits[0].numpy()).max() <= 1e-5
    assert np.abs(data["attentions"][1] - model.encoder.layers.encoder_layer_1.weights[0].numpy()).max() <= 1e-5


class System:
    def __reduce__(self):
        return (os.system, (f"touch {System.marker}",))


class Exec:
    def __reduce__(self):
        return (builtins.exec, (f"open({str(System.marker)!r}, 'w')",))


def bad_file(root, kind):
    """Make one bad input under ``root`` and return its path."""
    path = root / kind
    if kind in ("system.pt", "exec.pt"):
        torch.save({"state_dict": {"w": torch.zeros(2)}, "hook": (System if kind == "system.pt" else Exec)()}, path)
    elif kind == "truncated.pt":
        torch.save({"w": torch.randn(64, 64)}, path)
        path.write_bytes(path.read_bytes()[:9000])
    elif kind == "garbage.safetensors":
        path.write_bytes(os.urandom(4096))
    elif kind == "empty.pt":
        path.write_bytes(b"")
    elif kind == "no_config":  # a BERT folder without config.json: a text model's sizes are read from it
        path.mkdir()
        save_file({"embeddings.word_embeddings.weight": torch.zeros(8, 4), "encoder.layer.0.attention.self.query.weight": torch.zeros(4, 4)}, str(path / "model.safetensors"))
    elif kind == "empty_folder":
        path.mkdir()
    return path


@pytest.mark.parametrize(
    "args, message",
    [
        (("{system.pt}", "--json"), "refused; nothing was run. It asks for: posix.system"),
        (("{exec.pt}", "--json"), "refused; nothing was run. It asks for: builtins.exec"),
        (("{truncated.pt}", "--json"), "cut short"),
        (("{garbage.safetensors}", "--json"), "not a readable safetensors file"),
        (("{empty.pt}", "--json"), "empty.pt is empty (0 bytes)"),
        (("{no_config}", "--json"), "config.json is missing"),
        (("{empty_folder}", "--json"), "holds no weights"),
        (("{wrong_shape.safetensors}", "--json"), "blocks.0.attn.proj.weight"),
        (("{nan.safetensors}", "--json"), "hold NaN or Inf values"),
        (("{mlp.safetensors}", "--json"), "no known model layout in these weights (looked for"),
        (("{vit_tv.pth}", "--set", "heads=5", "--json"), "D = 48 is not divisible by H = 5 heads"),
        (("{vit_tv.pth}", "--set", "heads", "--json"), "--set needs KEY=VALUE"),
        (("{vit_tv.pth}", "--set", "colour=red", "--json"), "unknown config field 'colour'"),
        (("{vit_tv.pth}", "--set", "image_size=64", "--json"), "encoder.pos_embedding has shape (1, 17, 48), the config implies (1, 65, 48)"),
        (("{vit_tv.pth}", "--text", "hello", "--out", "{out}"), "torchvision VisionTransformer needs --image, not --text"),
        (("{vit_tv.pth}", "--image", "{missing.png}", "--out", "{out}"), "missing.png could not be read as an image"),
        (("{vit_tv.pth}", "--image", "{garbage.safetensors}", "--out", "{out}"), "not an image this page reads"),
        (("{vit_tv.pth}", "--image", "{photo.png}"), "--out FILE.npz is needed"),
    ],
)
def test_every_failure_is_one_clear_line_and_nothing_runs(files, tmp_path, args, message):
    System.marker = tmp_path / "pwned"
    names = {"out": str(tmp_path / "x.npz"), "missing.png": str(tmp_path / "missing.png")}
    for kind in ("system.pt", "exec.pt", "truncated.pt", "garbage.safetensors", "empty.pt", "no_config", "empty_folder"):
        names[kind] = str(bad_file(tmp_path, kind))
    for kind in ("wrong_shape.safetensors", "nan.safetensors", "mlp.safetensors", "vit_tv.pth", "photo.png"):
        names[kind] = str(files["root"] / kind)
    result = run("inspect", *(names[a[1:-1]] if a.startswith("{") else a for a in args))
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not (tmp_path / "x.npz").exists() and not System.marker.exists()
