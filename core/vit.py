"""The Vision Transformer (notes §7): an image becomes a sequence of patches, and a pre-norm Transformer reads it.

    patches  = the image cut into P×P squares, each flattened and projected to D (a P-strided convolution)
    tokens   = [CLS, (DIST), (REG ×R), patch tokens] + position embeddings
    encoder  = the blocks of :mod:`core.transformer` (pre-norm) and a final LayerNorm
    logits   = head(CLS)  — or the mean of the patch tokens (global average pooling, then fc_norm)

:func:`vit_forward` recomputes every layer's per-head attention on the explicit path (never hooks, which fused
kernels bypass). :func:`attention_rollout` (Abnar & Zuidema 2020) and :func:`gradient_rollout` (Chefer et al.
2021) turn the maps of all layers into one relevance map over the patch grid.

Canonical parameters (what every checkpoint family is converted to; see core/vit_families.py):
``patch_embed.weight`` (D, C, P, P), ``patch_embed.bias``, ``cls_token`` (1, 1, D), ``dist_token``,
``reg_token`` (1, R, D), ``pos_embed`` (1, L, D), ``encoder.layers.{i}.*`` (core.transformer's block layout),
``encoder.norm.*``, ``fc_norm.*``, ``head.*``, ``head_dist.*``.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

import torch
import torch.nn.functional as F
from torch import nn

from core.transformer import Transformer, TransformerConfig, TransformerTrace, transformer_forward
from core.transformer import init_params as init_transformer_params


@dataclass(frozen=True)
class ViTConfig:
    image_size: int = 32
    patch_size: int = 4
    in_chans: int = 3
    dim: int = 64  # D
    depth: int = 4  # number of blocks
    heads: int = 4  # H
    mlp_dim: int = 128
    num_classes: int = 6  # 0: no head (features only)
    class_token: bool = True
    distillation_token: bool = False  # DeiT's second prefix token with its own head
    register_tokens: int = 0  # Darcet et al. 2024: extra prefix tokens, no position embedding of their own
    no_embed_class: bool = False  # position embeddings for the patches only (DeiT-3, big_vision)
    qk_norm: bool = False
    global_pool: str = "token"  # "token": the CLS output; "avg": the mean of the patch tokens
    fc_norm: bool = False  # a LayerNorm after pooling instead of after the last block (timm's avg-pool models)
    eps: float = 1e-6  # LayerNorm ε (timm 1e-6, HF ViT 1e-12, torchvision 1e-6)
    activation: str = "gelu"
    mean: tuple[float, ...] = (0.5, 0.5, 0.5)  # the normalisation the model was trained with
    std: tuple[float, ...] = (0.5, 0.5, 0.5)

    def __post_init__(self) -> None:
        if self.image_size % self.patch_size:
            raise ValueError(f"image size {self.image_size} is not a multiple of the patch size {self.patch_size}")
        if self.dim % self.heads:
            raise ValueError(f"D = {self.dim} is not divisible by H = {self.heads} heads")
        if self.global_pool not in ("token", "avg"):
            raise ValueError("global_pool must be 'token' or 'avg'")
        if self.global_pool == "token" and not self.class_token:
            raise ValueError("token pooling needs a class token")
        if min(self.depth, self.dim, self.heads, self.mlp_dim, self.patch_size, self.in_chans) < 1 or self.register_tokens < 0:
            raise ValueError("sizes must be positive")

    @property
    def grid(self) -> int:
        return self.image_size // self.patch_size

    @property
    def num_patches(self) -> int:
        return self.grid * self.grid

    @property
    def num_prefix_tokens(self) -> int:
        return int(self.class_token) + int(self.distillation_token) + self.register_tokens

    @property
    def num_tokens(self) -> int:
        return self.num_prefix_tokens + self.num_patches

    @property
    def pos_embed_len(self) -> int:
        """timm: prefix tokens other than registers share the table unless no_embed_class."""
        return self.num_patches if self.no_embed_class else self.num_patches + self.num_prefix_tokens

    def token_names(self) -> list[str]:
        names = (["CLS"] if self.class_token else []) + (["DIST"] if self.distillation_token else [])
        names += [f"REG{i}" for i in range(self.register_tokens)]
        return names + [f"p{r},{c}" for r in range(self.grid) for c in range(self.grid)]

    def transformer_config(self) -> TransformerConfig:
        return TransformerConfig(
            dim=self.dim, num_heads=self.heads, mlp_dim=self.mlp_dim, num_blocks=self.depth, norm_first=True,
            activation=self.activation, eps=self.eps, final_norm=not self.fc_norm, qk_norm=self.qk_norm,
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> "ViTConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown ViT config keys {sorted(unknown)}")
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
        return cls(**values)  # type: ignore[arg-type]


def param_shapes(config: ViTConfig) -> dict[str, tuple[int, ...]]:
    d = config.dim
    shapes: dict[str, tuple[int, ...]] = {
        "patch_embed.weight": (d, config.in_chans, config.patch_size, config.patch_size),
        "patch_embed.bias": (d,),
        "pos_embed": (1, config.pos_embed_len, d),
    }
    if config.class_token:
        shapes["cls_token"] = (1, 1, d)
    if config.distillation_token:
        shapes["dist_token"] = (1, 1, d)
    if config.register_tokens:
        shapes["reg_token"] = (1, config.register_tokens, d)
    from core.transformer import param_shapes as transformer_shapes

    shapes |= {f"encoder.{k}": v for k, v in transformer_shapes(config.transformer_config()).items()}
    if config.fc_norm:
        shapes |= {"fc_norm.weight": (d,), "fc_norm.bias": (d,)}
    if config.num_classes:
        shapes |= {"head.weight": (config.num_classes, d), "head.bias": (config.num_classes,)}
        if config.distillation_token:
            shapes |= {"head_dist.weight": (config.num_classes, d), "head_dist.bias": (config.num_classes,)}
    return shapes


def check(params: Mapping[str, torch.Tensor], config: ViTConfig, *, names: Mapping[str, str] | None = None) -> None:
    """Assert key by key that ``params`` hold the ViT ``config`` describes (a readable ValueError otherwise).
    ``names`` maps canonical keys to the checkpoint's own, so a message names the tensor the user's file holds."""
    names = names or {}
    for key, shape in param_shapes(config).items():
        if key not in params:
            raise ValueError(f"missing parameter {names.get(key, key)!r}")
        if tuple(params[key].shape) != shape:
            raise ValueError(f"{names.get(key, key)} has shape {tuple(params[key].shape)}, the config implies {shape}")


def init_params(config: ViTConfig, *, seed: int = 0, device="cpu", dtype=torch.float32) -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    params = {f"encoder.{k}": v for k, v in init_transformer_params(config.transformer_config(), seed=seed).items()}
    for key, shape in param_shapes(config).items():
        if key in params:
            continue
        if key.endswith("norm.weight"):
            params[key] = torch.ones(shape)
        elif key.endswith("bias") or key.endswith("norm.bias"):
            params[key] = torch.zeros(shape)
        elif key == "pos_embed":  # 2-D sine-cosine table (MAE); a small ViT learns much faster from it than from noise
            table = sincos_2d(config.grid, config.dim)
            if not config.no_embed_class:
                table = torch.cat([torch.zeros(config.pos_embed_len - config.num_patches, config.dim), table])
            params[key] = table.unsqueeze(0)
        elif key == "patch_embed.weight":
            fan_in = math.prod(shape[1:])
            params[key] = (torch.rand(shape, generator=generator) * 2 - 1) / math.sqrt(fan_in)
        else:  # tokens, position embeddings, heads
            params[key] = 0.02 * torch.randn(shape, generator=generator)
    return {k: v.to(device=device, dtype=dtype) for k, v in params.items()}


def sincos_2d(grid: int, dim: int) -> torch.Tensor:
    """(grid², dim): half the dimensions encode the row, half the column, with sines and cosines of many frequencies."""
    quarter = dim // 4
    omega = 1.0 / 10000 ** (torch.arange(quarter, dtype=torch.float64) / max(quarter, 1))
    rows, cols = torch.meshgrid(torch.arange(grid, dtype=torch.float64), torch.arange(grid, dtype=torch.float64), indexing="ij")
    parts = [f(axis.reshape(-1, 1) * omega) for axis in (rows, cols) for f in (torch.sin, torch.cos)]
    table = torch.cat(parts, dim=1)
    if table.shape[1] < dim:
        table = torch.cat([table, torch.zeros(grid * grid, dim - table.shape[1], dtype=torch.float64)], dim=1)
    return table.float()


@dataclass(frozen=True)
class ViTTrace:
    config: ViTConfig
    pixels: torch.Tensor  # (B, C, S, S) the normalised image the model saw
    patches: torch.Tensor  # (B, Np, D) patch embeddings before position embeddings
    tokens: torch.Tensor  # (B, N, D) the encoder's input (prefix tokens + patches + positions)
    encoder: TransformerTrace  # every block, weights (B, H, N, N) on the explicit path
    features: torch.Tensor  # (B, D) the pooled representation
    logits: torch.Tensor | None  # (B, num_classes)

    @property
    def attentions(self) -> torch.Tensor:
        """(B, L, H, N, N) every layer's per-head attention."""
        return torch.stack([block.attention.weights for block in self.encoder.blocks], dim=1)


def patch_embed(pixels: torch.Tensor, params: Mapping[str, torch.Tensor], config: ViTConfig) -> torch.Tensor:
    """(B, C, S, S) → (B, Np, D): each P×P patch projected to D (row-major over the grid)."""
    x = F.conv2d(pixels, params["patch_embed.weight"], params["patch_embed.bias"], stride=config.patch_size)  # (B, D, g, g)
    return x.flatten(2).transpose(1, 2)


def embed_tokens(patches: torch.Tensor, params: Mapping[str, torch.Tensor], config: ViTConfig) -> torch.Tensor:
    """Prepend the prefix tokens and add the position embeddings, exactly as timm's ``_pos_embed``."""
    batch = patches.shape[0]
    prefix = [params[name].expand(batch, -1, -1) for name, on in (("cls_token", config.class_token), ("dist_token", config.distillation_token)) if on]
    registers = [params["reg_token"].expand(batch, -1, -1)] if config.register_tokens else []
    pos = params["pos_embed"]
    if config.no_embed_class:
        x = patches + pos
        return torch.cat(prefix + registers + [x], dim=1)
    if registers:  # timm puts registers after the class token and counts them in the table
        return torch.cat(prefix + registers + [patches], dim=1) + pos
    return torch.cat(prefix + [patches], dim=1) + pos


def normalise(image: torch.Tensor, config: ViTConfig) -> torch.Tensor:
    """Image in [0, 1], (C, S, S) or (B, C, S, S) → the model's normalisation."""
    if image.dim() == 3:
        image = image.unsqueeze(0)
    mean = torch.tensor(config.mean, dtype=image.dtype, device=image.device).view(1, -1, 1, 1)
    std = torch.tensor(config.std, dtype=image.dtype, device=image.device).view(1, -1, 1, 1)
    return (image - mean) / std


def vit_forward(image: torch.Tensor, params: Mapping[str, torch.Tensor], config: ViTConfig, *, need_weights: bool = True, normalised: bool = False) -> ViTTrace:
    """The ViT on ``image`` (C, S, S) or (B, C, S, S), values in [0, 1] unless ``normalised``."""
    pixels = image if normalised else normalise(image, config)
    if pixels.dim() == 3:
        pixels = pixels.unsqueeze(0)
    if tuple(pixels.shape[1:]) != (config.in_chans, config.image_size, config.image_size):
        raise ValueError(f"the model takes {config.in_chans}×{config.image_size}×{config.image_size} images, got {tuple(pixels.shape[1:])}")
    patches = patch_embed(pixels, params, config)
    tokens = embed_tokens(patches, params, config)
    encoder = transformer_forward(tokens, params, config.transformer_config(), need_weights=need_weights, prefix="encoder.")
    h = encoder.output
    if config.global_pool == "avg":
        features = h[:, config.num_prefix_tokens :].mean(dim=1)
    else:
        features = h[:, 0]
    if config.fc_norm:
        features = F.layer_norm(features, features.shape[-1:], params["fc_norm.weight"], params["fc_norm.bias"], config.eps)
    logits = None
    if config.num_classes:
        logits = F.linear(features, params["head.weight"], params["head.bias"])
        if config.distillation_token:  # DeiT at inference: the mean of the two heads
            dist = F.linear(h[:, 1], params["head_dist.weight"], params["head_dist.bias"])
            logits = (logits + dist) / 2
    return ViTTrace(config, pixels, patches, tokens, encoder, features, logits)


# ---- rollout -------------------------------------------------------------------------------------------------
FUSIONS = ("mean", "max", "min")


def fuse_heads(attention: torch.Tensor, fusion: str = "mean") -> torch.Tensor:
    """(..., H, N, N) → (..., N, N)."""
    if fusion == "mean":
        return attention.mean(dim=-3)
    if fusion == "max":
        return attention.amax(dim=-3)
    if fusion == "min":
        return attention.amin(dim=-3)
    raise ValueError(f"unknown head fusion {fusion!r}; choose one of {', '.join(FUSIONS)}")


def attention_rollout(attentions: torch.Tensor, *, fusion: str = "mean", discard_ratio: float = 0.0) -> torch.Tensor:
    """Abnar & Zuidema (2020): fuse heads, optionally drop the weakest links, add the residual (identity),
    renormalise each row, and multiply the layers: R = Â_L ⋯ Â_1. attentions (L, H, N, N) → R (N, N).

    discard_ratio drops that fraction of the smallest fused weights per layer (never a token's weight on the
    class token, row 0 column 0 is kept as vit-explain does). Rows are renormalised with keepdim — the sum of
    each row, not of the whole matrix (vit-explain issue #16).
    """
    if not 0.0 <= discard_ratio < 1.0:
        raise ValueError("discard ratio must be in [0, 1)")
    n = attentions.shape[-1]
    eye = torch.eye(n, dtype=attentions.dtype, device=attentions.device)
    result = eye.clone()
    for layer in attentions:
        fused = fuse_heads(layer, fusion)  # (N, N)
        if discard_ratio > 0:
            flat = fused.flatten()
            count = int(flat.numel() * discard_ratio)
            if count:
                _, lowest = flat.topk(count, largest=False)
                lowest = lowest[lowest != 0]  # keep the class token's own weight
                flat = flat.clone()
                flat[lowest] = 0
                fused = flat.view(n, n)
        a = fused + eye
        a = a / a.sum(dim=-1, keepdim=True)
        result = a @ result
    return result


def gradient_rollout(attentions: list[torch.Tensor] | torch.Tensor, gradients: list[torch.Tensor] | torch.Tensor) -> torch.Tensor:
    """Chefer, Gur & Wolf (2021): Ā = E_h[(∇A ⊙ A)⁺], R ← R + Ā·R from R = I. Each (H, N, N) → R (N, N)."""
    n = attentions[0].shape[-1]
    result = torch.eye(n, dtype=attentions[0].dtype, device=attentions[0].device)
    for attention, gradient in zip(attentions, gradients):
        relevance = (gradient * attention).clamp(min=0).mean(dim=0)  # (N, N)
        result = result + relevance @ result
    return result


def relevance_map(rollout: torch.Tensor, config: ViTConfig, *, source: int | None = 0) -> torch.Tensor:
    """The row of ``source`` (the class token) over the patch tokens, as a (g, g) grid scaled to max 1. A model
    without a class token pools the patches: ``source=None`` averages the rows of every patch token."""
    if source is None or not config.class_token:
        row = rollout[config.num_prefix_tokens :, config.num_prefix_tokens :].mean(dim=0)
    else:
        row = rollout[source, config.num_prefix_tokens :]
    grid = row.reshape(config.grid, config.grid)
    peak = grid.max()
    return grid / peak if peak > 0 else grid


def gradient_relevance(image: torch.Tensor, params: Mapping[str, torch.Tensor], config: ViTConfig, *, target: int | None = None) -> tuple[torch.Tensor, int]:
    """Gradient-weighted rollout for class ``target`` (default: the predicted one) → ((g, g) map, target)."""
    if not config.num_classes:
        raise ValueError("gradient rollout needs a classification head")
    with torch.enable_grad():
        image = image.detach().clone().requires_grad_(True)  # builds the graph through every attention map
        trace = vit_forward(image, params, config, need_weights=True)
        weights = [block.attention.weights for block in trace.encoder.blocks]
        for w in weights:
            w.retain_grad()
        logits = trace.logits[0]
        target = int(logits.argmax()) if target is None else int(target)
        if not 0 <= target < config.num_classes:
            raise ValueError(f"class {target} is outside 0…{config.num_classes - 1}")
        logits[target].backward()
    rollout = gradient_rollout([w.detach()[0] for w in weights], [w.grad[0] for w in weights])
    return relevance_map(rollout, config), target


# ---- a trainable module and an interface for the page ----------------------------------------------------------
class ViT(nn.Module):
    """The ViT as an ``nn.Module`` for training; its state_dict has the canonical keys and its forward is
    :func:`vit_forward`, so training and the page run the same code."""

    def __init__(self, config: ViTConfig, *, seed: int = 0) -> None:
        super().__init__()
        self.config = config
        initial = init_params(config, seed=seed)
        self.patch_embed = nn.Conv2d(config.in_chans, config.dim, config.patch_size, stride=config.patch_size)
        for name in ("cls_token", "dist_token", "reg_token", "pos_embed"):
            if name in initial:
                setattr(self, name, nn.Parameter(initial[name].clone()))
        self.encoder = Transformer(config.transformer_config(), seed=seed)
        if config.fc_norm:
            self.fc_norm = nn.LayerNorm(config.dim, eps=config.eps)
        if config.num_classes:
            self.head = nn.Linear(config.dim, config.num_classes)
            if config.distillation_token:
                self.head_dist = nn.Linear(config.dim, config.num_classes)
        with torch.no_grad():
            for key, value in initial.items():
                self.get_parameter(key).copy_(value)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """Normalised pixels (B, C, S, S) → logits, on the fused attention path (no maps)."""
        return vit_forward(pixels, dict(self.named_parameters()), self.config, need_weights=False, normalised=True).logits


class ViTModel:
    """A ViT behind one interface for the page, whatever checkpoint it came from: the config, the canonical
    parameters, class names, and traces cached per image (a click on a patch never recomputes the forward)."""

    def __init__(self, config: ViTConfig, params: Mapping[str, torch.Tensor], *, class_names: list[str] | None = None, name: str = "ViT", cache_size: int = 4) -> None:
        check(params, config)
        self.config = config
        self.params = {k: v.detach() for k, v in params.items()}
        self.class_names = class_names or [str(i) for i in range(config.num_classes)]
        self.name = name
        self._cache: OrderedDict[bytes, ViTTrace] = OrderedDict()
        self._cache_size = cache_size

    def with_config(self, **changes) -> "ViTModel":
        return ViTModel(replace(self.config, **changes), self.params, class_names=self.class_names, name=self.name)

    def trace(self, image: torch.Tensor) -> ViTTrace:
        key = image.detach().to(torch.float32).cpu().numpy().tobytes()
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        with torch.no_grad():
            trace = vit_forward(image, self.params, self.config, need_weights=True)
        self._cache[key] = trace
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return trace
