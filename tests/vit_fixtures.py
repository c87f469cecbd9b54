"""Small ViT checkpoints in other libraries' layouts, built offline for the tests (nothing downloaded):
torchvision's VisionTransformer layout (torchvision does not import beside this torch build) and timm's
VisionTransformer state dict, each beside the canonical weights it must convert to."""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from core.vit import ViTConfig, init_params


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
