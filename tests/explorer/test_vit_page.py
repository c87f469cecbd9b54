"""The ViT page driven like a user: click patches, switch maps, open images, run a checkpoint's model."""

import numpy as np
import pytest
import torch
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from core.vit import ViTConfig, ViTModel, attention_rollout, gradient_relevance, init_params, relevance_map, vit_forward
from explorer.pages.vit import sample_image

from .mouse import click


@pytest.fixture
def page(window, qtbot):
    page = window.show_page("vit")
    qtbot.waitUntil(page.isVisible)
    return page


def expected_attention(page):
    model, state = page.model, page.store.state
    return vit_forward(page.image, model.params, model.config).attentions[0]


def test_clicking_a_patch_shows_where_it_looks(page, qtbot):
    config = page.model.config
    target = 2 * config.grid + 5
    click(page.overlay.view.viewport(), page.overlay.patch_center(target))
    state = page.store.state
    assert state.map_kind == "patch" and state.patch == target
    layer = state.layer % config.depth
    expected = expected_attention(page)[layer].mean(0)[config.num_prefix_tokens + target, config.num_prefix_tokens :]
    np.testing.assert_allclose(page.view_data.grid_map.flatten().numpy(), expected.numpy(), atol=1e-6)
    np.testing.assert_allclose(page.overlay.map_values, page.view_data.grid_map.numpy(), atol=1e-7)
    assert page.overlay.selection.isVisible() and "patch" in page.map_label.text()
    page.undo_stack.undo()
    assert page.store.state.map_kind == "cls"


def test_cls_map_for_a_chosen_layer_and_head(page, qtbot):
    config = page.model.config
    page.layer_spin.setValue(2)
    page.head_combo.setCurrentIndex(page.head_combo.findData(1))
    page.head_combo.activated.emit(page.head_combo.currentIndex())
    expected = expected_attention(page)[1, 1, 0, config.num_prefix_tokens :]
    np.testing.assert_allclose(page.view_data.grid_map.flatten().numpy(), expected.numpy(), atol=1e-6)


def test_rollout_and_gradient_rollout_match_the_core(page, qtbot):
    config = page.model.config
    page.kind_buttons.button(2).click()
    page.fusion_combo.setCurrentIndex(page.fusion_combo.findData("max"))
    page.fusion_combo.activated.emit(page.fusion_combo.currentIndex())
    page.discard_spin.setValue(0.5)
    expected = relevance_map(attention_rollout(expected_attention(page), fusion="max", discard_ratio=0.5), config)
    np.testing.assert_allclose(page.view_data.grid_map.numpy(), expected.numpy(), atol=1e-6)
    page.kind_buttons.button(3).click()
    page.target_combo.setCurrentIndex(page.target_combo.findData(2))
    page.target_combo.activated.emit(page.target_combo.currentIndex())
    grid, target = gradient_relevance(page.image, page.model.params, config, target=2)
    assert page.view_data.target == 2 == target
    np.testing.assert_allclose(page.view_data.grid_map.numpy(), grid.numpy(), atol=1e-5)
    assert page.model.class_names[2] in page.map_label.text()


def test_prediction_shows_the_top_classes(page, qtbot):
    probabilities = torch.softmax(vit_forward(page.image, page.model.params, page.model.config).logits[0], -1).numpy()
    order = np.argsort(-probabilities)[:5]
    np.testing.assert_allclose(page.prediction.values, probabilities[order], atol=1e-6)
    assert page.prediction._labels[0] == page.model.class_names[order[0]]


def test_the_mosaic_shows_every_layer_and_head_and_a_click_picks_one(page, qtbot):
    config = page.model.config
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(page.mosaic.isVisible)
    assert page.mosaic.values.shape == (config.depth * config.grid, config.heads * config.grid)
    row, col = 2 * config.grid + 1, 3 * config.grid + 2
    click(page.mosaic.view.viewport(), page.mosaic.cell_center(row, col))
    assert (page.store.state.layer, page.store.state.head) == (2, 3)
    tile = page.mosaic.values[2 * config.grid : 3 * config.grid, 3 * config.grid : 4 * config.grid]
    cls_row = expected_attention(page)[2, 3, 0, config.num_prefix_tokens :].numpy()
    np.testing.assert_allclose(tile.flatten(), cls_row / cls_row.max(), atol=1e-5)


def test_opening_images_of_every_kind_and_refusing_bad_ones(page, qtbot, tmp_path):
    rgba = Image.fromarray((np.random.default_rng(0).random((40, 60, 4)) * 255).astype(np.uint8), "RGBA")
    rgba.save(tmp_path / "photo.png")
    page.open_image_file(str(tmp_path / "photo.png"))
    assert page.store.state.image.endswith("photo.png")
    assert page.image.shape == (3, 32, 32) and "alpha" in page.transform_label.text() and "centre-cropped" in page.transform_label.text()
    before = page.store.state
    (tmp_path / "broken.jpg").write_bytes(b"not a jpeg")
    page.open_image_file(str(tmp_path / "broken.jpg"))
    assert page.store.state == before and page.message.isVisible() and "could not be read" in page.message.text()
    gray = tmp_path / "gray.bmp"
    Image.fromarray((np.arange(64 * 64) % 256).astype(np.uint8).reshape(64, 64), "L").save(gray)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(gray))])
    page.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert page.store.state.image == str(gray) and "grayscale" in page.transform_label.text()


def test_a_checkpoints_model_runs_on_the_page(page, qtbot):
    config = ViTConfig(image_size=24, patch_size=6, dim=48, depth=2, heads=3, mlp_dim=64, num_classes=3, register_tokens=1)
    model = ViTModel(config, init_params(config, seed=9), class_names=["a", "b", "c"], name="tiny checkpoint")
    page.use_model(model, source="/models/tiny.safetensors")
    assert page.model is model and page.image.shape == (3, 24, 24)
    assert page.layer_spin.maximum() == 2 and page.head_combo.count() == 4
    expected = vit_forward(sample_image("star", 24), model.params, config).attentions[0][-1].mean(0)[0, 2:]
    np.testing.assert_allclose(page.view_data.grid_map.flatten().numpy(), expected.numpy(), atol=1e-6)
    page.undo_stack.undo()
    assert page.store.state.model == "bundled" and page.model.config.image_size == 32


def test_a_model_without_cls_token_or_head_disables_those_maps(page, qtbot):
    config = ViTConfig(image_size=16, patch_size=4, dim=32, depth=1, heads=2, mlp_dim=32, num_classes=0, class_token=False, global_pool="avg")
    page.use_model(ViTModel(config, init_params(config)), source="features-only")
    assert page.store.state.map_kind == "rollout" and not page.message.isVisible()
    assert not page.kind_buttons.button(1).isEnabled() and not page.kind_buttons.button(3).isEnabled()
    assert page.prediction.values.size == 0 and "no classification head" in page.prediction.title()


def test_the_vit_vs_cnn_tab_plots_the_bundled_curves(page, qtbot):
    import json

    from core import resources

    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    qtbot.waitUntil(lambda: page.tabs.currentIndex() == 2)
    curves = json.loads(resources.path("vit", "vit_vs_cnn.json").read_text())
    for item, kind in ((page.vit_curve, "vit"), (page.cnn_curve, "cnn")):
        x, y = item.xData, item.yData  # as given (getData() is log10 on a log axis)
        assert np.allclose(x, curves["sizes"]) and np.allclose(y, curves[kind])
    ticks = page.curves.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks] == [f"{n:,}" for n in curves["sizes"]]
    assert f"{curves['cnn'][-1]:.0%}" in page.experiment_note.text() and f"{curves['vit'][-1]:.0%}" in page.experiment_note.text()
