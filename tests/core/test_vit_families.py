"""ViT checkpoints from other libraries, saved the way their users save them, recognised and run by the core:
every attention map and the logits equal the library's own to 1e-5."""

import json
from collections import OrderedDict

import pytest
import torch
from torch import nn

from core.checkpoints import open_checkpoint
from core.vit import ViTConfig, init_params, vit_forward
from core.vit_families import UnrecognisedError, apply_overrides, detect, recognise

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


def test_hugging_face_deit_with_its_distillation_token(tmp_path):
    config = transformers.DeiTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, image_size=16, patch_size=4, num_labels=3, attn_implementation="eager")
    torch.manual_seed(1)
    model = transformers.DeiTForImageClassificationWithTeacher(config).eval()
    model.save_pretrained(tmp_path)
    checkpoint = open_checkpoint(tmp_path)
    recognition = recognise(checkpoint.tensors, config=checkpoint.config)
    assert recognition.family == "hf-deit" and recognition.config.distillation_token and recognition.config.num_prefix_tokens == 2
    image = torch.rand(1, 3, 16, 16)
    with torch.no_grad():
        expected = model(pixel_values=hf_pixels(image, recognition.config.mean, recognition.config.std), output_attentions=True)
    trace = run(recognition, image)
    assert (trace.logits - expected.logits).abs().max() < 1e-5
    assert (trace.attentions[0, -1] - expected.attentions[-1][0]).abs().max() < 1e-5


class TorchvisionEncoderBlock(nn.Module):
    """torchvision.models.vision_transformer.EncoderBlock, module names and forward as there."""

    def __init__(self, heads, dim, mlp_dim):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim, eps=1e-6)
        self.self_attention = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_dim), nn.GELU(), nn.Dropout(0.0), nn.Linear(mlp_dim, dim), nn.Dropout(0.0))

    def forward(self, x):
        y = self.ln_1(x)
        y, self.weights = self.self_attention(y, y, y, need_weights=True, average_attn_weights=False)
        x = x + y
        return x + self.mlp(self.ln_2(x))


class TorchvisionViT(nn.Module):
    """torchvision.models.VisionTransformer's layout (torchvision does not import beside this torch build)."""

    def __init__(self, image_size=32, patch=8, layers=2, heads=4, dim=48, mlp_dim=96, classes=5):
        super().__init__()
        self.patch = patch
        self.conv_proj = nn.Conv2d(3, dim, patch, stride=patch)
        self.class_token = nn.Parameter(torch.randn(1, 1, dim))
        self.encoder = nn.Module()
        self.encoder.pos_embedding = nn.Parameter(torch.randn(1, (image_size // patch) ** 2 + 1, dim) * 0.02)
        self.encoder.layers = nn.Sequential(OrderedDict((f"encoder_layer_{i}", TorchvisionEncoderBlock(heads, dim, mlp_dim)) for i in range(layers)))
        self.encoder.ln = nn.LayerNorm(dim, eps=1e-6)
        self.heads = nn.Sequential(OrderedDict(head=nn.Linear(dim, classes)))

    def forward(self, x):
        x = self.conv_proj(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.class_token.expand(x.shape[0], -1, -1), x], dim=1) + self.encoder.pos_embedding
        x = self.encoder.ln(self.encoder.layers(x))
        return self.heads(x[:, 0])


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
    assert (trace.attentions[0, 1] - model.encoder.layers.encoder_layer_1.weights[0]).abs().max() < 1e-5


def timm_state_dict(config: ViTConfig, seed: int, *, layer_scale: bool) -> tuple[dict, dict]:
    """A timm VisionTransformer state dict (names as timm writes them) and the canonical equivalent."""
    canonical = init_params(config, seed=seed)
    generator = torch.Generator().manual_seed(seed)
    timm = {"patch_embed.proj.weight": canonical["patch_embed.weight"], "patch_embed.proj.bias": canonical["patch_embed.bias"], "pos_embed": canonical["pos_embed"]}
    for name in ("cls_token", "reg_token", "dist_token"):
        if name in canonical:
            timm[name] = canonical[name]
    for i in range(config.depth):
        c, b = f"encoder.layers.{i}.", f"blocks.{i}."
        out_w, out_b = canonical[c + "self_attn.out_proj.weight"], canonical[c + "self_attn.out_proj.bias"]
        fc2_w, fc2_b = canonical[c + "linear2.weight"], canonical[c + "linear2.bias"]
        if layer_scale:  # store un-scaled weights and γ, as timm does; the canonical ones carry γ folded in
            g1, g2 = 0.5 + torch.rand(config.dim, generator=generator), 0.5 + torch.rand(config.dim, generator=generator)
            timm |= {b + "ls1.gamma": g1, b + "ls2.gamma": g2}
            out_w, out_b, fc2_w, fc2_b = out_w / g1[:, None], out_b / g1, fc2_w / g2[:, None], fc2_b / g2
        timm |= {
            b + "norm1.weight": canonical[c + "norm1.weight"], b + "norm1.bias": canonical[c + "norm1.bias"],
            b + "attn.qkv.weight": canonical[c + "self_attn.in_proj_weight"], b + "attn.qkv.bias": canonical[c + "self_attn.in_proj_bias"],
            b + "attn.proj.weight": out_w, b + "attn.proj.bias": out_b,
            b + "norm2.weight": canonical[c + "norm2.weight"], b + "norm2.bias": canonical[c + "norm2.bias"],
            b + "mlp.fc1.weight": canonical[c + "linear1.weight"], b + "mlp.fc1.bias": canonical[c + "linear1.bias"],
            b + "mlp.fc2.weight": fc2_w, b + "mlp.fc2.bias": fc2_b,
        }
        if config.qk_norm:
            for n in "qk":
                timm[f"{b}attn.{n}_norm.weight"] = canonical[f"{c}self_attn.{n}_norm.weight"]
                timm[f"{b}attn.{n}_norm.bias"] = canonical[f"{c}self_attn.{n}_norm.bias"]
    if config.fc_norm:
        timm |= {"fc_norm.weight": canonical["fc_norm.weight"], "fc_norm.bias": canonical["fc_norm.bias"]}
    else:
        timm |= {"norm.weight": canonical["encoder.norm.weight"], "norm.bias": canonical["encoder.norm.bias"]}
    timm |= {"head.weight": canonical["head.weight"], "head.bias": canonical["head.bias"]}
    if config.distillation_token:
        timm |= {"head_dist.weight": canonical["head_dist.weight"], "head_dist.bias": canonical["head_dist.bias"]}
    return timm, canonical


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


def test_real_timm_if_it_imports():
    timm = pytest.importorskip("timm", reason="timm needs a torchvision that imports beside this torch build")
    model = timm.create_model("vit_tiny_patch16_224", pretrained=False, num_classes=3, img_size=32, depth=2).eval()
    timm.layers.set_fused_attn(False)
    recognition = recognise(model.state_dict())
    image = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        expected = model((image - 0.5) / 0.5)
    assert (run(recognition, image).logits - expected).abs().max() < 1e-5


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
