"""The Checkpoints page: opening real files in the background, browsing, refusing unsafe files."""

import os

import numpy as np
import pytest
import torch
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog
from safetensors.torch import save_file

from core.checkpoints import tensor_stats


def vit_like(blocks: int = 2) -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(1)
    tensors = {"cls_token": torch.randn(1, 1, 8, generator=generator), "patch_embed.proj.weight": torch.randn(8, 3, 4, 4, generator=generator)}
    for i in range(blocks):
        tensors[f"blocks.{i}.attn.qkv.weight"] = torch.randn(24, 8, generator=generator)
        tensors[f"blocks.{i}.attn.proj.weight"] = torch.randn(8, 8, generator=generator)
        tensors[f"blocks.{i}.mlp.fc1.weight"] = torch.randn(32, 8, generator=generator)
    return tensors


@pytest.fixture
def page(window, qtbot):
    page = window.show_page("checkpoints")
    qtbot.waitUntil(page.isVisible)
    return page


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "vit.safetensors"
    save_file(vit_like(), str(path), metadata={"source": "test"})
    return path


def test_opening_shows_the_tree_with_stats_totals_and_metadata(page, model_file, qtbot):
    page.open_path(model_file, sync=True)
    tensors = vit_like()
    assert sorted(page.visible_tensor_names()) == sorted(tensors)
    item = page.item_for("blocks.1.attn.qkv.weight")
    stats = tensor_stats("x", tensors["blocks.1.attn.qkv.weight"])
    assert item.text(0) == "qkv.weight" and item.text(1) == "24×8" and item.text(2) == "float32"
    assert item.text(4) == f"{stats.mean:.4g}" and item.text(7) == f"{stats.max:.4g}"
    total = sum(t.numel() for t in tensors.values())
    assert f"{total:,} parameters" in page.summary.text() and "safetensors" in page.summary.text()
    assert page.metadata.text(0, 0) == "test"


def test_filter_and_histogram_of_a_clicked_tensor(page, model_file, qtbot):
    page.open_path(model_file, sync=True)
    qtbot.keyClicks(page.filter, "fc1")
    assert page.visible_tensor_names() == ["blocks.0.mlp.fc1.weight", "blocks.1.mlp.fc1.weight"]
    item = page.item_for("blocks.1.mlp.fc1.weight")
    rect = page.tree.visualItemRect(item)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_name == "blocks.1.mlp.fc1.weight"
    assert page.histogram_counts.sum() == 32 * 8
    values = vit_like()["blocks.1.mlp.fc1.weight"].numpy()
    assert page.histogram_edges[0] == pytest.approx(values.min()) and page.histogram_edges[-1] == pytest.approx(values.max())


def test_nan_and_inf_are_counted_and_flagged(page, tmp_path):
    path = tmp_path / "broken.pt"
    torch.save({"w": torch.tensor([1.0, float("nan"), float("inf")]), "b": torch.zeros(2)}, path)
    page.open_path(path, sync=True)
    item = page.item_for("w")
    assert (item.text(8), item.text(9)) == ("1", "1")
    assert "1 NaN, 1 Inf" in page.summary.text()


class Payload:
    def __reduce__(self):
        return (os.system, ("echo never",))


def test_an_unsafe_file_is_refused_and_the_open_checkpoint_stays(page, model_file, tmp_path):
    page.open_path(model_file, sync=True)
    evil = tmp_path / "evil.pt"
    torch.save({"state_dict": vit_like(), "x": Payload()}, evil)
    page.open_path(evil, sync=True)
    assert "refused" in page.message.text() and "system" in page.message.text()
    assert page.opened.checkpoint.path == model_file


def test_file_menu_open_runs_in_the_background(window, model_file, qtbot, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(model_file), ""))
    page = window.show_page("checkpoints")
    with qtbot.waitSignal(page.checkpointOpened, timeout=10000):
        window.open_checkpoint_action.trigger()
    assert page.opened.checkpoint.path == model_file
    assert page.recent.itemData(1) == str(model_file.resolve())


def test_dropping_a_file_opens_it(page, model_file, qtbot):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(model_file))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(page.checkpointOpened, timeout=10000):
        page.dropEvent(event)
    assert page.opened.checkpoint.path == model_file


def test_cancelling_keeps_the_previous_checkpoint(page, model_file, tmp_path, qtbot):
    page.open_path(model_file, sync=True)
    big = tmp_path / "many.safetensors"
    save_file({f"layer.{i}.weight": torch.randn(64, 64) for i in range(400)}, str(big))
    page.open_path(big)
    job = page.job
    page.cancel()
    qtbot.waitUntil(lambda: not job.running and not page.loading, timeout=10000)
    assert "cancelled" in page.message.text()
    assert page.opened.checkpoint.path == model_file and not page.loading
