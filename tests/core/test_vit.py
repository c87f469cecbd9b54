"""The ViT core against a torch.nn reference, rollout against its definition, the shapes data and images."""

import math

import numpy as np
import pytest
import torch
from PIL import Image

from core import images, shapes
from core.vit import (
    ViT,
    ViTConfig,
    ViTModel,
    attention_rollout,
    check,
    embed_tokens,
    gradient_relevance,
    gradient_rollout,
    init_params,
    normalise,
    relevance_map,
    vit_forward,
)


def reference_logits(pixels, params, config):
    """The same ViT from torch.nn building blocks (pre-norm nn.TransformerEncoder, batch first)."""
    layer = torch.nn.TransformerEncoderLayer(config.dim, config.heads, config.mlp_dim, dropout=0.0, activation="gelu", layer_norm_eps=config.eps, batch_first=True, norm_first=True)
    encoder = torch.nn.TransformerEncoder(layer, config.depth, norm=torch.nn.LayerNorm(config.dim, eps=config.eps), enable_nested_tensor=False).eval()
    state = {k[len("encoder.") :]: v for k, v in params.items() if k.startswith("encoder.")}
    encoder.load_state_dict(state)
    x = torch.nn.functional.conv2d(pixels, params["patch_embed.weight"], params["patch_embed.bias"], stride=config.patch_size).flatten(2).transpose(1, 2)
    x = embed_tokens(x, params, config)
    h = encoder(x)
    pooled = h[:, config.num_prefix_tokens :].mean(1) if config.global_pool == "avg" else h[:, 0]
    return torch.nn.functional.linear(pooled, params["head.weight"], params["head.bias"]), h


@pytest.mark.parametrize(
    "config",
    [
        ViTConfig(),
        ViTConfig(image_size=24, patch_size=6, dim=48, depth=2, heads=3, mlp_dim=96, num_classes=7, register_tokens=2),
        ViTConfig(no_embed_class=True, depth=2),
        ViTConfig(global_pool="avg", depth=2, register_tokens=1),
    ],
)
def test_forward_matches_a_torch_nn_vit(config):
    params = init_params(config, seed=3)
    image = torch.rand(2, 3, config.image_size, config.image_size)
    trace = vit_forward(image, params, config)
    expected, hidden = reference_logits(normalise(image, config), params, config)
    assert (trace.logits - expected).abs().max() < 1e-5
    assert (trace.encoder.output - hidden).abs().max() < 1e-5
    assert trace.attentions.shape == (2, config.depth, config.heads, config.num_tokens, config.num_tokens)
    assert torch.allclose(trace.attentions.sum(-1), torch.ones(()), atol=1e-5)


def test_the_training_module_is_the_same_forward():
    config = ViTConfig(depth=2)
    model = ViT(config, seed=5).eval()
    params = {k: v.detach() for k, v in model.state_dict().items()}
    check(params, config)
    image = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        assert torch.allclose(model(normalise(image, config)), vit_forward(image, params, config).logits, atol=1e-6)


def test_qk_norm_normalises_queries_and_keys():
    config = ViTConfig(depth=1, qk_norm=True)
    params = init_params(config, seed=1)
    params["encoder.layers.0.self_attn.q_norm.weight"] = torch.full((16,), 2.0)
    trace = vit_forward(torch.rand(3, 32, 32), params, config)
    q = trace.encoder.blocks[0].attention.q
    assert torch.allclose(q.mean(-1), torch.zeros(()), atol=1e-5) and torch.allclose(q.std(-1, unbiased=False), torch.full((), 2.0), atol=1e-3)


def numpy_rollout(attentions, fusion, discard):
    n = attentions.shape[-1]
    result = np.eye(n)
    for layer in attentions:
        fused = {"mean": layer.mean(0), "max": layer.max(0), "min": layer.min(0)}[fusion]
        if discard:
            flat = fused.flatten().copy()
            order = np.argsort(flat, kind="stable")[: int(flat.size * discard)]
            flat[order[order != 0]] = 0
            fused = flat.reshape(n, n)
        a = fused + np.eye(n)
        a = a / a.sum(axis=-1, keepdims=True)
        result = a @ result
    return result


@pytest.mark.parametrize("fusion, discard", [("mean", 0.0), ("max", 0.0), ("min", 0.5), ("mean", 0.9)])
def test_rollout_matches_its_definition_and_rows_sum_to_one(fusion, discard):
    generator = torch.Generator().manual_seed(0)
    attentions = torch.softmax(torch.randn(3, 4, 10, 10, generator=generator, dtype=torch.float64), -1)
    rollout = attention_rollout(attentions, fusion=fusion, discard_ratio=discard)
    np.testing.assert_allclose(rollout.numpy(), numpy_rollout(attentions.numpy(), fusion, discard), atol=1e-12)
    assert torch.allclose(rollout.sum(-1), torch.ones(10, dtype=torch.float64))
    with pytest.raises(ValueError):
        attention_rollout(attentions, discard_ratio=1.0)


def test_gradient_rollout_follows_chefer_et_al():
    generator = torch.Generator().manual_seed(1)
    a = [torch.softmax(torch.randn(2, 5, 5, generator=generator), -1) for _ in range(2)]
    g = [torch.randn(2, 5, 5, generator=generator) for _ in range(2)]
    r = torch.eye(5)
    for attention, gradient in zip(a, g):
        mean = torch.stack([(gradient[h] * attention[h]).clamp(min=0) for h in range(2)]).mean(0)
        r = r + mean @ r
    assert torch.allclose(gradient_rollout(a, g), r)


def test_gradient_relevance_is_a_grid_for_the_predicted_or_a_chosen_class():
    config = ViTConfig(depth=2)
    params = init_params(config, seed=2)
    image = torch.rand(3, 32, 32)
    grid, predicted = gradient_relevance(image, params, config)
    assert grid.shape == (8, 8) and predicted == int(vit_forward(image, params, config).logits.argmax())
    other, target = gradient_relevance(image, params, config, target=(predicted + 1) % 6)
    assert target == (predicted + 1) % 6 and not torch.allclose(grid, other)
    assert float(grid.max()) == pytest.approx(1.0)


def test_model_caches_traces_per_image():
    config = ViTConfig(depth=1)
    model = ViTModel(config, init_params(config))
    image = torch.rand(3, 32, 32)
    assert model.trace(image) is model.trace(image.clone())
    assert model.trace(torch.rand(3, 32, 32)) is not model.trace(image)
    with pytest.raises(ValueError, match="missing parameter"):
        ViTModel(config, {})


def test_relevance_map_is_the_cls_row_over_the_patch_grid():
    config = ViTConfig(image_size=8, patch_size=4, register_tokens=1)
    rollout = torch.arange(float(config.num_tokens**2)).view(config.num_tokens, config.num_tokens)
    grid = relevance_map(rollout, config)
    assert grid.shape == (2, 2) and torch.allclose(grid.flatten(), rollout[0, 2:] / rollout[0, 2:].max())


def test_shapes_are_deterministic_balanced_and_in_range():
    x, y = shapes.make_dataset(50, seed=3)
    x2, y2 = shapes.make_dataset(50, seed=3)
    assert torch.equal(x, x2) and torch.equal(y, y2)
    assert x.shape == (50, 3, 32, 32) and 0.0 <= float(x.min()) and float(x.max()) <= 1.0
    assert sorted(torch.bincount(y).tolist()) == [10] * 5


@pytest.mark.parametrize("mode, suffix", [("RGBA", ".png"), ("L", ".bmp"), ("RGB", ".jpg"), ("RGB", ".webp"), ("P", ".png")])
def test_images_of_every_kind_become_rgb_at_the_model_size(tmp_path, mode, suffix):
    array = (np.random.default_rng(0).random((30, 50, 4)) * 255).astype(np.uint8)
    picture = Image.fromarray(array, "RGBA")
    picture = picture.convert(mode) if mode != "RGBA" else picture
    path = tmp_path / f"picture{suffix}"
    picture.save(path)
    prepared = images.load(path, 16)
    assert prepared.image.shape == (3, 16, 16) and prepared.original_size == (50, 30)
    assert "resized 50×30 → 27×16" in prepared.transform and "centre-cropped" in prepared.transform
    if mode == "RGBA":
        assert "alpha" in prepared.transform
    if mode == "L":
        assert "grayscale" in prepared.transform


def test_unreadable_images_give_a_clear_message(tmp_path):
    (tmp_path / "bad.png").write_bytes(b"not a png")
    with pytest.raises(ValueError, match="could not be read"):
        images.load(tmp_path / "bad.png", 16)
    with pytest.raises(ValueError, match="not an image"):
        images.load(tmp_path / "notes.txt", 16)


def test_the_bundled_models_reproduce_their_recorded_accuracy():
    """The tiny ViT and the CNN the app bundles score on the held-out shapes what their JSON records, ≥ 95%."""
    import json

    from core import resources
    from core.vision_training import ViT, evaluate, load_cnn, load_vit, test_set

    config, params, _ = load_vit(resources.path("vit", "shapes_vit.safetensors"))
    vit = ViT(config)
    vit.load_state_dict(params)
    images, labels = test_set(image_size=config.image_size)
    recorded = json.loads(resources.path("vit", "shapes_vit.json").read_text())["test_accuracy"]
    assert recorded >= 0.95
    assert evaluate(vit, images, labels, mean=config.mean, std=config.std) == pytest.approx(recorded, abs=0.002)
    cnn = load_cnn(resources.path("vit", "shapes_cnn.safetensors"))
    recorded = json.loads(resources.path("vit", "shapes_cnn.json").read_text())["test_accuracy"]
    assert recorded >= 0.95
    assert evaluate(cnn, images, labels) == pytest.approx(recorded, abs=0.002)
