"""Opening checkpoints safely: real files in every supported layout, and files that must be refused."""

import builtins
import json
import math
import os

import pytest
import torch
from safetensors.torch import save_file

from core.checkpoints import CheckpointError, module_tree, open_checkpoint, tensor_stats


def weights():
    generator = torch.Generator().manual_seed(0)
    return {"blocks.0.attn.qkv.weight": torch.randn(6, 2, generator=generator), "blocks.0.attn.qkv.bias": torch.randn(6, generator=generator), "head.weight": torch.randn(3, 2, generator=generator)}


def assert_same(tensors, expected):
    assert set(tensors) == set(expected)
    for name, tensor in expected.items():
        assert torch.equal(tensors[name], tensor)


def test_plain_state_dict(tmp_path):
    path = tmp_path / "model.pth"
    torch.save(weights(), path)
    checkpoint = open_checkpoint(path)
    assert checkpoint.format == "torch" and checkpoint.notes == ()
    assert_same(checkpoint.tensors, weights())
    assert checkpoint.parameter_count == 12 + 6 + 6 and checkpoint.byte_count == 24 * 4


def test_training_checkpoint_is_unwrapped_and_prefixes_stripped(tmp_path):
    path = tmp_path / "train.pt"
    torch.save({"epoch": 7, "state_dict": {f"module.{k}": v for k, v in weights().items()}, "optimizer_name": "adamw"}, path)
    checkpoint = open_checkpoint(path)
    assert_same(checkpoint.tensors, weights())
    assert checkpoint.metadata["epoch"] == "7"
    assert any("state_dict" in n for n in checkpoint.notes) and any("module." in n for n in checkpoint.notes)
    path2 = tmp_path / "compiled.pt"
    torch.save({"model": {f"_orig_mod.{k}": v for k, v in weights().items()}}, path2)
    assert_same(open_checkpoint(path2).tensors, weights())


def test_legacy_torch_format_loads_without_mmap(tmp_path):
    path = tmp_path / "old.pt"
    torch.save(weights(), path, _use_new_zipfile_serialization=False)
    assert_same(open_checkpoint(path).tensors, weights())


class Payload:
    def __reduce__(self):
        return (os.system, (f"touch {Payload.marker}",))


def test_a_pickle_that_would_run_code_is_refused_and_nothing_runs(tmp_path):
    Payload.marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save({"state_dict": weights(), "hook": Payload()}, path)
    with pytest.raises(CheckpointError, match="refused; nothing was run") as info:
        open_checkpoint(path)
    assert "system" in str(info.value)  # names what the file asked for
    assert not Payload.marker.exists()


class Exec:
    def __reduce__(self):
        return (builtins.exec, (f"open({str(Payload.marker)!r}, 'w')",))


@pytest.mark.parametrize("legacy", [False, True])
@pytest.mark.parametrize("payload, wanted", [(Payload, "system"), (Exec, "exec")])
def test_code_in_either_torch_format_is_refused_by_name(tmp_path, legacy, payload, wanted):
    Payload.marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save({"w": torch.zeros(2), "hook": payload()}, path, _use_new_zipfile_serialization=not legacy)
    with pytest.raises(CheckpointError, match=f"nothing was run. It asks for: [a-z.]*{wanted}"):
        open_checkpoint(path)
    assert not Payload.marker.exists()


def cut_short(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_safetensors_with_metadata(tmp_path):
    path = tmp_path / "model.safetensors"
    save_file(weights(), str(path), metadata={"format": "pt", "trained_by": "test"})
    checkpoint = open_checkpoint(path)
    assert checkpoint.format == "safetensors" and checkpoint.metadata["trained_by"] == "test"
    assert_same(checkpoint.tensors, weights())


def test_hugging_face_folders_single_and_sharded(tmp_path):
    single = tmp_path / "single"
    single.mkdir()
    save_file(weights(), str(single / "model.safetensors"))
    (single / "config.json").write_text(json.dumps({"model_type": "vit", "hidden_size": 2}))
    checkpoint = open_checkpoint(single)
    assert checkpoint.format == "hf-folder" and checkpoint.config["model_type"] == "vit"
    assert_same(checkpoint.tensors, weights())

    sharded = tmp_path / "sharded"
    sharded.mkdir()
    names = sorted(weights())
    parts = {"model-00001-of-00002.safetensors": names[:2], "model-00002-of-00002.safetensors": names[2:]}
    for file, keys in parts.items():
        save_file({k: weights()[k] for k in keys}, str(sharded / file))
    (sharded / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {k: f for f, keys in parts.items() for k in keys}}))
    assert_same(open_checkpoint(sharded).tensors, weights())

    binary = tmp_path / "binary"
    binary.mkdir()
    torch.save(weights(), binary / "pytorch_model.bin")
    assert_same(open_checkpoint(binary).tensors, weights())


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing.pt", "does not exist"),
        (lambda p: (p / "notes.txt").write_text("hi") and p / "notes.txt", "unknown checkpoint type"),
        (lambda p: (p / "garbage.pt").write_bytes(b"\x00not a checkpoint") and p / "garbage.pt", "not a readable torch checkpoint"),
        (lambda p: (p / "garbage.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{bad json") and p / "garbage.safetensors", "not a readable safetensors"),
        (lambda p: (p / "empty").mkdir() or p / "empty", "holds no weights"),
        (lambda p: torch.save({"epoch": 1}, p / "no_tensors.pt") or p / "no_tensors.pt", "holds no tensors"),
        (lambda p: (p / "empty.pt").write_bytes(b"") and p / "empty.pt" or p / "empty.pt", "is empty .0 bytes"),
        (lambda p: (p / "empty.safetensors").write_bytes(b"") and p / "empty.safetensors" or p / "empty.safetensors", "is empty .0 bytes"),
        (lambda p: (p / "noise.pt").write_bytes(bytes(range(7, 250)) * 20) and p / "noise.pt", "neither a zip archive nor a pickle"),
        (lambda p: torch.save(weights(), p / "cut.pt") or cut_short(p / "cut.pt"), "zip archive whose end is missing"),
        (lambda p: torch.save(weights(), p / "old.pt", _use_new_zipfile_serialization=False) or cut_short(p / "old.pt"), "ends too early"),
        (lambda p: save_file(weights(), str(p / "cut.safetensors")) or cut_short(p / "cut.safetensors"), "cut short"),
    ],
)
def test_bad_files_give_clear_messages(tmp_path, make, message):
    with pytest.raises(CheckpointError, match=message):
        open_checkpoint(make(tmp_path))


def test_a_missing_shard_is_named(tmp_path):
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"a": "model-00001-of-00002.safetensors"}}))
    with pytest.raises(CheckpointError, match="model-00001-of-00002.safetensors"):
        open_checkpoint(tmp_path)


def test_tensor_stats_count_nan_and_inf_and_skip_them():
    stats = tensor_stats("w", torch.tensor([1.0, 3.0, float("nan"), float("inf"), -float("inf")]))
    assert (stats.nan_count, stats.inf_count) == (1, 2)
    assert stats.mean == 2.0 and stats.std == 1.0 and (stats.min, stats.max) == (1.0, 3.0)
    assert stats.bytes == 20 and stats.shape == (5,) and stats.dtype == "float32"
    assert math.isnan(tensor_stats("e", torch.tensor([float("nan")])).mean)
    half = tensor_stats("h", torch.ones(3, dtype=torch.bfloat16))
    assert half.mean == 1.0 and half.bytes == 6


def test_module_tree_groups_by_path():
    tree = module_tree(["blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias", "head.weight", "cls_token"])
    assert tree == {"blocks": {"0": {"attn": {"qkv.weight": "blocks.0.attn.qkv.weight", "qkv.bias": "blocks.0.attn.qkv.bias"}}}, "head.weight": "head.weight", "cls_token": "cls_token"}


def test_a_parameter_of_a_module_with_submodules_sits_in_its_group():
    names = ["encoder.pos_embedding", "encoder.layers.0.ln_1.weight", "encoder.ln.weight", "conv_proj.weight"]
    tree = module_tree(names)
    assert tree == {
        "encoder": {"pos_embedding": "encoder.pos_embedding", "ln.weight": "encoder.ln.weight", "layers": {"0": {"ln_1.weight": "encoder.layers.0.ln_1.weight"}}},
        "conv_proj.weight": "conv_proj.weight",
    }
