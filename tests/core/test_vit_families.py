"""ViT checkpoints from other libraries, saved the way their users save them, recognised and run by the core:
every attention map and the logits equal the library's own to 1e-5."""

import json
from dataclasses import replace

import pytest
import torch

from core.checkpoints import open_checkpoint
from core.vit import ViTConfig, init_params, vit_forward
from core.vit_families import UnrecognisedError, apply_overrides, detect, recognise
from tests.vit_fixtures import TorchvisionViT, timm_state_dict

transformers = pytest.importorskip("transformers")


def run(recognition, image):
    return vit_forward(image, recognition.params, recognition.config)


def hf_pixels(image, mean, std):
    return (image - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)


@pytest.mark.parametrize("how", ["save_pretrained", "state_dict"])
def test_hugging_face_vit(tmp_path, how):
    config = transformers.ViTConfig(hidden_size=48, num_hidden_layers=2, num_attention_heads=4, intermediate_size=96, image_size=32, patch_size=8, num_labels=5, attn_implementation="eager")
    torch.manual_seed(0)
    model = transformers.ViTForImageClassification(config).eval()
    if how == "save_pretrained":
        model.save_pretrained(tmp_path)
        checkpoint = open_checkpoint(tmp_path)
        recognition = recognise(checkpoint.tensors, config=checkpoint.config)
        assert recognition.guessed == ()  # heads came from config.json
    else:
        torch.save(model.state_dict(), tmp_path / "vit.pth")
        recognition = recognise(open_checkpoint(tmp_path / "vit.pth").tensors, overrides={"heads": 4})
        assert "in-memory" in recognition.notes[0]
    assert recognition.family == "hf-vit" and recognition.config.heads == 4 and recognition.config.eps == 1e-12
    image = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        expected = model(pixel_values=hf_pixels(image, (0.5,) * 3, (0.5,) * 3), output_attentions=True)
    trace = run(recognition, image)
    assert (trace.logits - expected.logits).abs().max() < 1e-5
    for ours, theirs in zip(trace.encoder.blocks, expected.attentions):
        assert (ours.attention.weights - theirs).abs().max() < 1e-5


@pytest.mark.parametrize("how", ["save_pretrained", "state_dict"])
@pytest.mark.parametrize("model_class", ["DeiTForImageClassificationWithTeacher", "DeiTForImageClassification"])
def test_hugging_face_deit_with_its_distillation_token(tmp_path, how, model_class):
    config = transformers.DeiTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, image_size=16, patch_size=4, num_labels=3, attn_implementation="eager")
    torch.manual_seed(1)
    model = getattr(transformers, model_class)(config).eval()
    if how == "save_pretrained":
        model.save_pretrained(tmp_path)
        checkpoint = open_checkpoint(tmp_path)
        recognition = recognise(checkpoint.tensors, config=checkpoint.config)
        assert recognition.guessed == ()
    else:  # transformers 5.x in-memory names (deit.layers.{i}.attention.q_proj …); heads are not in the weights
        torch.save(model.state_dict(), tmp_path / "deit.pth")
        recognition = recognise(open_checkpoint(tmp_path / "deit.pth").tensors, overrides={"heads": 2})
    assert recognition.family == "hf-deit" and recognition.config.distillation_token and recognition.config.num_prefix_tokens == 2
    image = torch.rand(2, 3, 16, 16)
    with torch.no_grad():
        expected = model(pixel_values=hf_pixels(image, recognition.config.mean, recognition.config.std), output_attentions=True)
    trace = run(recognition, image)
    assert (trace.logits - expected.logits).abs().max() < 1e-5  # with a teacher: the mean of the CLS and distillation heads
    assert len(expected.attentions) == 2
    for layer, theirs in enumerate(expected.attentions):
        assert (trace.attentions[:, layer] - theirs).abs().max() < 1e-5


def test_torchvision_layout_with_heads_from_the_standard_sizes_or_set_by_hand(tmp_path):
    torch.manual_seed(2)
    model = TorchvisionViT().eval()
    torch.save(model.state_dict(), tmp_path / "vit_b.pth")
    tensors = open_checkpoint(tmp_path / "vit_b.pth").tensors
    guessed = recognise(tensors)
    assert guessed.family == "torchvision" and guessed.config.heads == 1 and guessed.guessed[0].startswith("heads:")
    recognition = recognise(tensors, overrides={"heads": "4"})
    assert recognition.guessed == ()
    image = torch.rand(1, 3, 32, 32)
    mean, std = torch.tensor(recognition.config.mean).view(1, 3, 1, 1), torch.tensor(recognition.config.std).view(1, 3, 1, 1)
    with torch.no_grad():
        expected = model((image - mean) / std)
    trace = run(recognition, image)
    assert (trace.logits - expected).abs().max() < 1e-5
    for layer, block in enumerate(model.encoder.layers):  # torch's MultiheadAttention, need_weights, per head
        assert (trace.attentions[0, layer] - block.weights[0]).abs().max() < 1e-5


@pytest.mark.parametrize(
    "config, layer_scale",
    [
        (ViTConfig(dim=192, heads=3, depth=2, mlp_dim=64, num_classes=4), False),
        (ViTConfig(dim=64, heads=4, depth=2, register_tokens=4, no_embed_class=True, qk_norm=True), True),
        (ViTConfig(dim=64, heads=4, depth=2, distillation_token=True, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)), False),
        (ViTConfig(dim=64, heads=4, depth=1, global_pool="avg", fc_norm=True), True),
    ],
)
def test_timm_layouts_with_tokens_layerscale_qk_norm_and_fc_norm(tmp_path, config, layer_scale):
    timm, canonical = timm_state_dict(config, 4, layer_scale=layer_scale)
    from safetensors.torch import save_file

    save_file({k: v.contiguous() for k, v in timm.items()}, str(tmp_path / "model.safetensors"))
    recognition = recognise(open_checkpoint(tmp_path / "model.safetensors").tensors, overrides={"heads": config.heads} if config.dim != 192 and not config.qk_norm else None)
    assert recognition.family == "timm"
    for field in ("image_size", "patch_size", "dim", "depth", "heads", "register_tokens", "no_embed_class", "qk_norm", "distillation_token", "global_pool", "fc_norm"):
        assert getattr(recognition.config, field) == getattr(config, field), field
    image = torch.rand(1, 3, 32, 32)
    expected = vit_forward(image, canonical, recognition.config)
    assert (run(recognition, image).logits - expected.logits).abs().max() < 1e-5


@pytest.mark.parametrize(
    "name, save",
    [("vit_tiny_patch16_224", "safetensors"), ("vit_small_patch16_224", "torch"), ("deit_tiny_distilled_patch16_224", "torch"), ("vit_base_patch16_reg4_gap_256", "safetensors")],
)
def test_real_timm_if_it_imports(tmp_path, name, save):
    timm = pytest.importorskip("timm", reason="timm needs a torchvision that imports beside this torch build")
    from safetensors.torch import save_file

    timm.layers.set_fused_attn(False)  # read at build: the explicit path, whose attn_drop sees the weights
    model = timm.create_model(name, pretrained=False, num_classes=3, img_size=32, depth=2).eval()
    maps = []
    for block in model.blocks:
        block.attn.fused_attn = False
        block.attn.attn_drop.register_forward_hook(lambda module, args, output: maps.append(output.detach()))
    path = tmp_path / f"model.{'safetensors' if save == 'safetensors' else 'pth'}"
    if save == "safetensors":
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(path))
    else:
        torch.save(model.state_dict(), path)
    recognition = recognise(open_checkpoint(path).tensors, overrides={"heads": model.blocks[0].attn.num_heads})
    assert recognition.family == "timm"
    image = torch.rand(2, 3, 32, 32)
    data = model.pretrained_cfg
    mean, std = torch.tensor(data["mean"]).view(1, 3, 1, 1), torch.tensor(data["std"]).view(1, 3, 1, 1)
    with torch.no_grad():
        expected = model((image - mean) / std)
    config = recognition.config
    trace = vit_forward(image, recognition.params, replace(config, mean=tuple(data["mean"]), std=tuple(data["std"])))
    assert (trace.logits - expected).abs().max() < 1e-5
    assert len(maps) == 2
    for layer, theirs in enumerate(maps):
        assert (trace.attentions[:, layer] - theirs).abs().max() < 1e-5


def test_unknown_layouts_and_bad_tensors_are_named():
    with pytest.raises(UnrecognisedError, match="looked for"):
        recognise({"fc.weight": torch.zeros(2, 2)})
    timm, _ = timm_state_dict(ViTConfig(dim=192, heads=3, depth=1), 0, layer_scale=False)
    broken = dict(timm)
    del broken["blocks.0.mlp.fc2.weight"]
    with pytest.raises(UnrecognisedError, match="mlp.fc2.weight"):
        recognise(broken)
    wrong = dict(timm)
    wrong["blocks.0.attn.proj.weight"] = torch.zeros(5, 5)
    with pytest.raises(ValueError, match="shape"):
        recognise(wrong)
    nan = dict(timm)
    nan["head.weight"] = torch.full_like(timm["head.weight"], float("nan"))
    with pytest.raises(ValueError, match="NaN"):
        recognise(nan)
    with pytest.raises(ValueError, match="not divisible"):
        recognise(timm, overrides={"heads": 5})
    assert detect(list(timm)) == "timm"
    assert apply_overrides(ViTConfig(), {"eps": "1e-5", "activation": "gelu_tanh"}).eps == 1e-5
    with pytest.raises(ValueError, match="unknown config field"):
        apply_overrides(ViTConfig(), {"colour": 1})


def test_the_apps_own_checkpoint_carries_its_config(tmp_path):
    from safetensors.torch import save_file

    config = ViTConfig(depth=1)
    save_file(init_params(config), str(tmp_path / "own.safetensors"), metadata={"config": json.dumps(config.to_dict() | {"class_names": list("abcdef")})})
    checkpoint = open_checkpoint(tmp_path / "own.safetensors")
    recognition = recognise(checkpoint.tensors, metadata=checkpoint.metadata)
    assert recognition.family == "attention-explorer" and recognition.config == config and recognition.class_names == list("abcdef")
