"""Recognising ViT checkpoints trained elsewhere and converting them to the canonical layout of :mod:`core.vit`.

One pure ``to_canonical(tensors, meta) -> Recognition`` per family, chosen by sentinel keys, with every shape
asserted against the inferred config (nanoGPT's from_pretrained, timm's checkpoint_filter_fn):

    timm          VisionTransformer / DeiT distilled: blocks.{i}.attn.qkv, cls/dist/reg tokens, no_embed_class,
                  LayerScale (ls1/ls2, folded into the projections), qk_norm, fc_norm + average pooling
    torchvision   VisionTransformer: conv_proj, encoder.layers.encoder_layer_{i}.self_attention (nn.MHA layout)
    hf-vit        Hugging Face ViT, the names save_pretrained writes (vit.encoder.layer.{i}.attention.attention.query)
                  and the in-memory names of transformers 5.x (vit.layers.{i}.attention.q_proj, mlp.fc1)
    hf-deit       Hugging Face DeiT (deit.*, distillation token, cls_classifier + distillation_classifier)
    attention-explorer   the app's own models (already canonical; config in the safetensors metadata)

The head count is not stored in the weights of most families: it comes from config.json, from q_norm shapes,
from the standard sizes (Ti 192/3, S 384/6, B 768/12, L 1024/16, H 1280/16), else D/64 — and is then listed in
``guessed`` so the page can say so and let the user override it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import fields, replace

import torch

from core import families
from core.families import Recognition, UnrecognisedError
from core.vit import ViTConfig, check

STANDARD_HEADS = {192: 3, 384: 6, 768: 12, 1024: 16, 1280: 16}
IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
EDITABLE = ("image_size", "patch_size", "dim", "depth", "heads", "mlp_dim", "num_classes", "register_tokens", "eps", "activation", "global_pool")


def _depth(keys: list[str], pattern: str) -> int:
    indices = {int(m.group(1)) for k in keys if (m := re.match(pattern, k))}
    if not indices:
        raise UnrecognisedError("no transformer blocks found")
    if indices != set(range(max(indices) + 1)):
        raise UnrecognisedError(f"blocks {sorted(set(range(max(indices) + 1)) - indices)} are missing")
    return max(indices) + 1


def _heads(dim: int, meta: Mapping, q_norm: torch.Tensor | None) -> tuple[int, str | None]:
    config = meta.get("config") or {}
    for key in ("num_attention_heads", "num_heads", "heads"):
        if isinstance(config.get(key), int):
            return config[key], None
    if q_norm is not None:
        return dim // q_norm.shape[0], None
    if dim in STANDARD_HEADS:
        return STANDARD_HEADS[dim], f"heads: not stored in the weights; {STANDARD_HEADS[dim]} is the standard for D = {dim}"
    heads = max(1, dim // 64)
    return heads, f"heads: not stored in the weights; guessed D/64 = {heads}"


def _grid_from_positions(length: int, prefix: int, patch: int) -> tuple[int, bool]:
    """(image size, no_embed_class) from the position table's length."""
    for no_embed_class, patches in ((False, length - prefix), (True, length)):
        grid = math.isqrt(max(patches, 0))
        if grid * grid == patches and patches > 0 and (no_embed_class or prefix == 0 or length != grid * grid):
            return grid * patch, no_embed_class and prefix > 0
    raise UnrecognisedError(f"a position table of length {length} fits no square patch grid")


def _finish(family: str, source: Mapping[str, torch.Tensor], config: ViTConfig, params: dict[str, torch.Tensor], guessed: list[str], notes: list[str], overrides: Mapping[str, object], class_names=None) -> Recognition:
    """Apply the overrides, then assert every canonical shape against the config (messages name the ``source``
    tensor a canonical one was taken from) and refuse NaN / Inf weights."""
    if overrides:
        config = apply_overrides(config, overrides)
        guessed = [g for g in guessed if g.split(":")[0] not in overrides]
        notes.append("overridden: " + ", ".join(f"{k}={v}" for k, v in overrides.items()))
    source_names = {id(tensor): name for name, tensor in source.items()}
    check(params, config, names={key: source_names[id(v)] for key, v in params.items() if id(v) in source_names})
    bad = [k for k, v in params.items() if v.is_floating_point() and not torch.isfinite(v).all()]
    if bad:
        raise ValueError(f"{len(bad)} tensor(s) hold NaN or Inf values (e.g. {bad[0]}): the model cannot be run")
    return Recognition(family, config, params, tuple(guessed), tuple(notes), class_names)


def apply_overrides(config: ViTConfig, overrides: Mapping[str, object]) -> ViTConfig:
    """``{"heads": "4"}`` → a config with those fields replaced (values parsed from text)."""
    types = {f.name: f.type for f in fields(ViTConfig)}
    values = {}
    for key, value in overrides.items():
        if key not in types:
            raise ValueError(f"unknown config field {key!r}; editable: {', '.join(EDITABLE)}")
        current = getattr(config, key)
        try:
            if isinstance(current, bool):
                text = str(value).strip().lower()
                if text not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
                    raise ValueError
                values[key] = text in ("1", "true", "yes", "on")
            elif isinstance(current, tuple):  # mean / std: "0.485,0.456,0.406"
                values[key] = tuple(float(v) for v in (value if isinstance(value, (list, tuple)) else str(value).split(",")))
                if len(values[key]) != len(current):
                    raise ValueError
            elif isinstance(current, int):
                values[key] = int(value)
            elif isinstance(current, float):
                values[key] = float(value)
            else:
                values[key] = str(value)
        except ValueError:
            kind = f"list of {len(current)} numbers" if isinstance(current, tuple) else type(current).__name__
            raise ValueError(f"{key}={value!r}: not a valid {kind}") from None
    return replace(config, **values)


# ---- timm ----------------------------------------------------------------------------------------------------
def _timm(t: Mapping[str, torch.Tensor], meta: Mapping, overrides) -> Recognition:
    keys = list(t)
    depth = _depth(keys, r"blocks\.(\d+)\.")
    proj = t["patch_embed.proj.weight"]
    dim, channels, patch = proj.shape[0], proj.shape[1], proj.shape[2]
    class_token, dist_token = "cls_token" in t, "dist_token" in t
    registers = t["reg_token"].shape[1] if "reg_token" in t else 0
    prefix = int(class_token) + int(dist_token) + registers
    image_size, no_embed_class = _grid_from_positions(t["pos_embed"].shape[1], prefix, patch)
    q_norm = t.get("blocks.0.attn.q_norm.weight")
    heads, heads_guess = _heads(dim, meta, q_norm)
    fc_norm = "fc_norm.weight" in t
    head = t.get("head.weight")
    config = ViTConfig(
        image_size=image_size, patch_size=patch, in_chans=channels, dim=dim, depth=depth, heads=heads,
        mlp_dim=t["blocks.0.mlp.fc1.weight"].shape[0], num_classes=0 if head is None else head.shape[0],
        class_token=class_token, distillation_token=dist_token, register_tokens=registers, no_embed_class=no_embed_class,
        qk_norm=q_norm is not None, global_pool="avg" if fc_norm or not class_token else "token", fc_norm=fc_norm,
        eps=1e-6, mean=IMAGENET_MEAN if dist_token else (0.5, 0.5, 0.5), std=IMAGENET_STD if dist_token else (0.5, 0.5, 0.5),
    )
    params = {"patch_embed.weight": proj, "patch_embed.bias": t.get("patch_embed.proj.bias", torch.zeros(dim)), "pos_embed": t["pos_embed"]}
    for name in ("cls_token", "dist_token", "reg_token"):
        if name in t:
            params[name] = t[name]
    notes = []
    for i in range(depth):
        b, c = f"blocks.{i}.", f"encoder.layers.{i}."
        out_w, out_b = t[b + "attn.proj.weight"], t[b + "attn.proj.bias"]
        fc2_w, fc2_b = t[b + "mlp.fc2.weight"], t[b + "mlp.fc2.bias"]
        if b + "ls1.gamma" in t:  # LayerScale γ·f(x) folds into f's last linear map
            g1, g2 = t[b + "ls1.gamma"], t[b + "ls2.gamma"]
            out_w, out_b, fc2_w, fc2_b = out_w * g1[:, None], out_b * g1, fc2_w * g2[:, None], fc2_b * g2
            if i == 0:
                notes.append("LayerScale folded into the output projections")
        params |= {
            c + "norm1.weight": t[b + "norm1.weight"], c + "norm1.bias": t[b + "norm1.bias"],
            c + "norm2.weight": t[b + "norm2.weight"], c + "norm2.bias": t[b + "norm2.bias"],
            c + "self_attn.in_proj_weight": t[b + "attn.qkv.weight"],
            c + "self_attn.in_proj_bias": t.get(b + "attn.qkv.bias", torch.zeros(3 * dim)),
            c + "self_attn.out_proj.weight": out_w, c + "self_attn.out_proj.bias": out_b,
            c + "linear1.weight": t[b + "mlp.fc1.weight"], c + "linear1.bias": t[b + "mlp.fc1.bias"],
            c + "linear2.weight": fc2_w, c + "linear2.bias": fc2_b,
        }
        for n in "qk":
            if f"{b}attn.{n}_norm.weight" in t:
                params[f"{c}self_attn.{n}_norm.weight"] = t[f"{b}attn.{n}_norm.weight"]
                params[f"{c}self_attn.{n}_norm.bias"] = t[f"{b}attn.{n}_norm.bias"]
    if fc_norm:
        params |= {"fc_norm.weight": t["fc_norm.weight"], "fc_norm.bias": t["fc_norm.bias"]}
    else:
        params |= {"encoder.norm.weight": t["norm.weight"], "encoder.norm.bias": t["norm.bias"]}
    if head is not None:
        params |= {"head.weight": head, "head.bias": t["head.bias"]}
        if dist_token:
            params |= {"head_dist.weight": t["head_dist.weight"], "head_dist.bias": t["head_dist.bias"]}
    unsupported = [k for k in ("norm_pre.weight", "attn_pool.latent", "head.fc.weight") if k in t]
    if unsupported:
        raise UnrecognisedError(f"timm layout with parts this app does not run: {', '.join(unsupported)}")
    return _finish("timm", t, config, params, [heads_guess] if heads_guess else [], notes, overrides)


# ---- torchvision ---------------------------------------------------------------------------------------------
def _torchvision(t: Mapping[str, torch.Tensor], meta: Mapping, overrides) -> Recognition:
    keys = list(t)
    depth = _depth(keys, r"encoder\.layers\.encoder_layer_(\d+)\.")
    proj = t["conv_proj.weight"]
    dim, patch = proj.shape[0], proj.shape[2]
    image_size, _ = _grid_from_positions(t["encoder.pos_embedding"].shape[1], 1, patch)
    heads, heads_guess = _heads(dim, meta, None)
    mlp_names = ("mlp.0", "mlp.3") if "encoder.layers.encoder_layer_0.mlp.0.weight" in t else ("mlp.linear_1", "mlp.linear_2")
    if "heads.pre_logits.weight" in t:
        raise UnrecognisedError("torchvision ViT with a representation layer (heads.pre_logits) is not supported")
    head = t.get("heads.head.weight")
    config = ViTConfig(
        image_size=image_size, patch_size=patch, in_chans=proj.shape[1], dim=dim, depth=depth, heads=heads,
        mlp_dim=t[f"encoder.layers.encoder_layer_0.{mlp_names[0]}.weight"].shape[0], num_classes=0 if head is None else head.shape[0],
        eps=1e-6, mean=IMAGENET_MEAN, std=IMAGENET_STD,
    )
    params = {"patch_embed.weight": proj, "patch_embed.bias": t["conv_proj.bias"], "cls_token": t["class_token"], "pos_embed": t["encoder.pos_embedding"], "encoder.norm.weight": t["encoder.ln.weight"], "encoder.norm.bias": t["encoder.ln.bias"]}
    for i in range(depth):
        b, c = f"encoder.layers.encoder_layer_{i}.", f"encoder.layers.{i}."
        params |= {
            c + "norm1.weight": t[b + "ln_1.weight"], c + "norm1.bias": t[b + "ln_1.bias"],
            c + "norm2.weight": t[b + "ln_2.weight"], c + "norm2.bias": t[b + "ln_2.bias"],
            c + "self_attn.in_proj_weight": t[b + "self_attention.in_proj_weight"], c + "self_attn.in_proj_bias": t[b + "self_attention.in_proj_bias"],
            c + "self_attn.out_proj.weight": t[b + "self_attention.out_proj.weight"], c + "self_attn.out_proj.bias": t[b + "self_attention.out_proj.bias"],
            c + "linear1.weight": t[f"{b}{mlp_names[0]}.weight"], c + "linear1.bias": t[f"{b}{mlp_names[0]}.bias"],
            c + "linear2.weight": t[f"{b}{mlp_names[1]}.weight"], c + "linear2.bias": t[f"{b}{mlp_names[1]}.bias"],
        }
    if head is not None:
        params |= {"head.weight": head, "head.bias": t["heads.head.bias"]}
    return _finish("torchvision", t, config, params, [heads_guess] if heads_guess else [], [], overrides)


# ---- Hugging Face ViT and DeiT -------------------------------------------------------------------------------
def _hf(t: Mapping[str, torch.Tensor], meta: Mapping, overrides, *, family: str) -> Recognition:
    keys = list(t)
    base = next((p for p in ("vit.", "deit.", "") if f"{p}embeddings.cls_token" in t), None)
    if base is None:
        raise UnrecognisedError("no embeddings.cls_token")
    e = f"{base}embeddings."
    classic = any(k.startswith(f"{base}encoder.layer.") for k in keys)
    depth = _depth(keys, rf"{re.escape(base)}encoder\.layer\.(\d+)\." if classic else rf"{re.escape(base)}layers\.(\d+)\.")
    proj = t[f"{e}patch_embeddings.projection.weight"]
    dim, patch = proj.shape[0], proj.shape[2]
    dist = f"{e}distillation_token" in t
    image_size, _ = _grid_from_positions(t[f"{e}position_embeddings"].shape[1], 1 + int(dist), patch)
    config_json = meta.get("config") or {}
    heads, heads_guess = _heads(dim, meta, None)
    names = {"cls": "classifier", "dist": None}
    if "cls_classifier.weight" in t:
        names = {"cls": "cls_classifier", "dist": "distillation_classifier"}
    head = t.get(f"{names['cls']}.weight")
    first_fc1 = f"{base}encoder.layer.0.intermediate.dense.weight" if classic else f"{base}layers.0.mlp.fc1.weight"
    activation = {"gelu": "gelu", "gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh", "relu": "relu"}.get(str(config_json.get("hidden_act", "gelu")))
    if activation is None:
        raise UnrecognisedError(f"activation {config_json.get('hidden_act')!r} is not supported")
    config = ViTConfig(
        image_size=int(config_json.get("image_size", image_size)), patch_size=patch, in_chans=proj.shape[1], dim=dim, depth=depth, heads=heads,
        mlp_dim=t[first_fc1].shape[0], num_classes=0 if head is None else head.shape[0], distillation_token=dist,
        eps=float(config_json.get("layer_norm_eps", 1e-12)), activation=activation,
        mean=IMAGENET_MEAN if family == "hf-deit" else (0.5, 0.5, 0.5), std=IMAGENET_STD if family == "hf-deit" else (0.5, 0.5, 0.5),
    )
    params = {
        "patch_embed.weight": proj, "patch_embed.bias": t[f"{e}patch_embeddings.projection.bias"], "cls_token": t[f"{e}cls_token"],
        "pos_embed": t[f"{e}position_embeddings"], "encoder.norm.weight": t[f"{base}layernorm.weight"], "encoder.norm.bias": t[f"{base}layernorm.bias"],
    }
    if dist:
        params["dist_token"] = t[f"{e}distillation_token"]
    for i in range(depth):
        c = f"encoder.layers.{i}."
        if classic:
            b = f"{base}encoder.layer.{i}."
            q, k, v = (f"{b}attention.attention.{n}" for n in ("query", "key", "value"))
            o, fc1, fc2 = f"{b}attention.output.dense", f"{b}intermediate.dense", f"{b}output.dense"
        else:
            b = f"{base}layers.{i}."
            q, k, v, o = (f"{b}attention.{n}_proj" for n in "qkvo")
            fc1, fc2 = f"{b}mlp.fc1", f"{b}mlp.fc2"
        params |= {
            c + "norm1.weight": t[b + "layernorm_before.weight"], c + "norm1.bias": t[b + "layernorm_before.bias"],
            c + "norm2.weight": t[b + "layernorm_after.weight"], c + "norm2.bias": t[b + "layernorm_after.bias"],
            c + "self_attn.in_proj_weight": torch.cat([t[q + ".weight"], t[k + ".weight"], t[v + ".weight"]]),
            c + "self_attn.in_proj_bias": torch.cat([t.get(n + ".bias", torch.zeros(dim)) for n in (q, k, v)]),
            c + "self_attn.out_proj.weight": t[o + ".weight"], c + "self_attn.out_proj.bias": t[o + ".bias"],
            c + "linear1.weight": t[fc1 + ".weight"], c + "linear1.bias": t[fc1 + ".bias"],
            c + "linear2.weight": t[fc2 + ".weight"], c + "linear2.bias": t[fc2 + ".bias"],
        }
    if head is not None:
        params |= {"head.weight": head, "head.bias": t[f"{names['cls']}.bias"]}
        if names["dist"]:
            params |= {"head_dist.weight": t[f"{names['dist']}.weight"], "head_dist.bias": t[f"{names['dist']}.bias"]}
        elif dist:  # DeiTForImageClassification without the teacher head: classify from CLS only
            config = replace(config, distillation_token=True)
            params |= {"head_dist.weight": head, "head_dist.bias": t[f"{names['cls']}.bias"]}
    labels = config_json.get("id2label")
    class_names = [labels.get(str(i), str(i)) for i in range(config.num_classes)] if isinstance(labels, dict) else None
    notes = ["names written by save_pretrained" if classic else "in-memory names of transformers 5.x"]
    return _finish(family, t, config, params, [heads_guess] if heads_guess else [], notes, overrides, class_names)


# ---- the app's own -------------------------------------------------------------------------------------------
def _own(t: Mapping[str, torch.Tensor], meta: Mapping, overrides) -> Recognition:
    raw = (meta.get("metadata") or {}).get("config") or meta.get("config")
    if not raw:
        raise UnrecognisedError("an Attention Explorer ViT without its config (the 'config' metadata entry)")
    values = json.loads(raw) if isinstance(raw, str) else dict(raw)
    class_names = values.pop("class_names", None)
    config = ViTConfig.from_dict(values)
    return _finish("attention-explorer", t, config, dict(t), [], [], overrides, class_names)


def _hf_vit(t: Mapping[str, torch.Tensor], meta: Mapping, overrides) -> Recognition:
    """HF ViT key names; a config.json that says model_type "deit" is read as DeiT (its normalisation)."""
    return _hf(t, meta, overrides, family="hf-deit" if meta["config"].get("model_type") == "deit" else "hf-vit")


# Registered with core.families (kind "vision"), in the order they are tried: the most specific sentinels first.
FAMILIES = tuple(
    families.register(families.Family(name, "vision", title, model_types, sentinels, convert=convert))
    for name, title, model_types, sentinels, convert in (
        ("attention-explorer", "Attention Explorer ViT", (), ("patch_embed.weight", "encoder.layers.0.self_attn.in_proj_weight"), _own),
        ("timm", "timm VisionTransformer", (), ("patch_embed.proj.weight", "blocks.0.attn.qkv.weight"), _timm),
        ("torchvision", "torchvision VisionTransformer", (), ("conv_proj.weight", "encoder.layers.encoder_layer_0.self_attention.in_proj_weight"), _torchvision),
        ("hf-deit", "Hugging Face DeiT", ("deit",), ("embeddings.distillation_token", "embeddings.patch_embeddings.projection.weight"), lambda t, m, o: _hf(t, m, o, family="hf-deit")),
        ("hf-vit", "Hugging Face ViT", ("vit", "deit"), ("embeddings.patch_embeddings.projection.weight",), _hf_vit),
    )
)


def detect(keys) -> str | None:
    """The name of the vision family whose sentinel keys are among ``keys``, else None."""
    names = dict.fromkeys(keys)
    return next((family.name for family in FAMILIES if family.prefix(names) is not None), None)


def recognise(tensors: Mapping[str, torch.Tensor], *, config: Mapping | None = None, metadata: Mapping | None = None, overrides: Mapping[str, object] | None = None) -> Recognition:
    """Convert a checkpoint's tensors (from core.checkpoints) to a runnable canonical ViT, or raise
    UnrecognisedError naming what was looked for. ``config`` is a folder's config.json; ``metadata`` the file's.
    (:func:`core.families.recognise_checkpoint` does the same for any opened checkpoint, text or vision.)"""
    family = families.recognise(tensors, config, kind="vision")
    return family.canonical(tensors, config, metadata=metadata, overrides=overrides)
