"""One registry answers "what is this checkpoint?" for text and vision alike (core.families)."""

import json

import pytest
import torch
from safetensors.torch import save_file

from core import families
from core.checkpoints import CheckpointError, open_checkpoint
from core.vit import ViTConfig, init_params
from tests.vit_fixtures import timm_state_dict


def test_every_vision_family_is_registered_beside_the_text_ones():
    assert families.get("timm").title == "timm VisionTransformer"  # loads every family module
    by_kind = {kind: {f.name for f in families.FAMILIES if f.kind == kind} for kind in ("text", "vision")}
    assert by_kind == {"text": {"bert", "gpt2"}, "vision": {"attention-explorer", "timm", "torchvision", "hf-deit", "hf-vit"}}


def test_a_vit_file_is_recognised_converted_and_its_guess_marked(tmp_path):
    timm, canonical = timm_state_dict(ViTConfig(dim=192, heads=3, depth=2, mlp_dim=64, num_classes=4), 0, layer_scale=False)
    save_file({k: v.contiguous() for k, v in timm.items()}, str(tmp_path / "vit.safetensors"))
    recognition = families.recognise_checkpoint(open_checkpoint(tmp_path / "vit.safetensors"))
    assert (recognition.family, recognition.kind, recognition.title) == ("timm", "vision", "timm VisionTransformer")
    assert recognition.config.heads == 3 and recognition.guessed_fields == ("heads",)
    assert all(torch.equal(recognition.params[k], v) for k, v in canonical.items())
    overridden = families.recognise_checkpoint(open_checkpoint(tmp_path / "vit.safetensors"), overrides={"heads": "6"})
    assert overridden.config.heads == 6 and overridden.guessed == () and "overridden: heads=6" in overridden.notes


def test_a_text_folder_is_recognised_by_the_same_call_and_refuses_overrides(tmp_path):
    from tests.text_fixtures import save_bert

    save_bert(tmp_path, tokenizer=False)
    checkpoint = open_checkpoint(tmp_path)
    recognition = families.recognise_checkpoint(checkpoint)
    assert (recognition.family, recognition.kind) == ("bert", "text") and recognition.config.heads == 4
    with pytest.raises(CheckpointError, match="takes its config from config.json"):
        families.recognise_checkpoint(checkpoint, overrides={"heads": 2})
    with pytest.raises(CheckpointError, match="not a vision model"):
        families.recognise_checkpoint(checkpoint, kind="vision")


def test_unknown_weights_name_what_every_family_looks_for():
    with pytest.raises(families.UnrecognisedError) as info:
        families.recognise({"fc.weight": torch.zeros(2, 2)})
    message = str(info.value)
    for expected in ("bert: embeddings.word_embeddings.weight", "timm: patch_embed.proj.weight + blocks.0.attn.qkv.weight", "conv_proj.weight", "fc.weight"):
        assert expected in message


def test_hf_vit_names_with_a_deit_config_read_as_deit():
    config = ViTConfig(dim=32, heads=2, depth=1, patch_size=8, image_size=16, num_classes=0)
    params = init_params(config)
    hf = {"vit.embeddings.cls_token": params["cls_token"], "vit.embeddings.position_embeddings": params["pos_embed"],
          "vit.embeddings.patch_embeddings.projection.weight": params["patch_embed.weight"], "vit.embeddings.patch_embeddings.projection.bias": params["patch_embed.bias"],
          "vit.layernorm.weight": params["encoder.norm.weight"], "vit.layernorm.bias": params["encoder.norm.bias"]}
    b, c = "vit.encoder.layer.0.", "encoder.layers.0."
    q, k, v = params[c + "self_attn.in_proj_weight"].chunk(3)
    qb, kb, vb = params[c + "self_attn.in_proj_bias"].chunk(3)
    hf |= {b + "attention.attention.query.weight": q, b + "attention.attention.key.weight": k, b + "attention.attention.value.weight": v,
           b + "attention.attention.query.bias": qb, b + "attention.attention.key.bias": kb, b + "attention.attention.value.bias": vb,
           b + "attention.output.dense.weight": params[c + "self_attn.out_proj.weight"], b + "attention.output.dense.bias": params[c + "self_attn.out_proj.bias"],
           b + "layernorm_before.weight": params[c + "norm1.weight"], b + "layernorm_before.bias": params[c + "norm1.bias"],
           b + "layernorm_after.weight": params[c + "norm2.weight"], b + "layernorm_after.bias": params[c + "norm2.bias"],
           b + "intermediate.dense.weight": params[c + "linear1.weight"], b + "intermediate.dense.bias": params[c + "linear1.bias"],
           b + "output.dense.weight": params[c + "linear2.weight"], b + "output.dense.bias": params[c + "linear2.bias"]}
    as_vit = families.recognise(hf, {"model_type": "vit", "num_attention_heads": 2}).canonical(hf, {"model_type": "vit", "num_attention_heads": 2})
    as_deit = families.recognise(hf, {"model_type": "deit", "num_attention_heads": 2}).canonical(hf, {"model_type": "deit", "num_attention_heads": 2})
    assert (as_vit.family, as_deit.family) == ("hf-vit", "hf-deit")
    assert as_vit.config.mean == (0.5, 0.5, 0.5) and as_deit.config.mean == (0.485, 0.456, 0.406)
    with pytest.raises(CheckpointError, match="model type 'swin' is not supported"):
        families.recognise(hf, {"model_type": "swin"})
    assert json.loads(json.dumps(as_vit.config.to_dict()))["heads"] == 2
