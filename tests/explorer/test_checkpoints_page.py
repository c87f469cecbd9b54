"""The Checkpoints page: opening real files in the background, browsing, refusing unsafe files, recognising the
model with an editable config, and handing a ViT to the ViT page."""

import builtins
import os

import numpy as np
import pytest
import torch
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog
from safetensors.torch import save_file

from core.checkpoints import tensor_stats
from core.vit import ViTConfig, vit_forward
from tests.vit_fixtures import TorchvisionViT, timm_state_dict


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
    qtbot.waitUntil(lambda: page.recent.itemData(1) == str(model_file.resolve()))


def test_dropping_a_file_opens_it(page, model_file, qtbot):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(model_file))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(page.checkpointOpened, timeout=10000):
        page.dropEvent(event)
    assert page.opened.checkpoint.path == model_file


def test_recent_checkpoints_menu_reopens_a_file_and_clears_with_the_page_list(window, model_file, tmp_path, qtbot):
    other = tmp_path / "other.safetensors"
    save_file({"w": torch.ones(3)}, str(other))
    page = window.show_page("checkpoints")
    page.open_path(model_file, sync=True)
    page.open_path(other, sync=True)
    qtbot.waitUntil(lambda: page.recent.itemData(1) == str(other.resolve()))
    window.recent_menu.aboutToShow.emit()  # what opening the menu does
    actions = [a for a in window.recent_menu.actions() if not a.isSeparator()]
    assert [a.toolTip() for a in actions[:2]] == [str(other.resolve()), str(model_file.resolve())]
    assert actions[0].text() == "&1  other.safetensors" and window.recent_menu.isEnabled()
    window.show_page("attention-layer")
    with qtbot.waitSignal(page.checkpointOpened, timeout=10000):
        actions[1].trigger()
    assert window.current_page() is page and page.opened.checkpoint.path == model_file
    qtbot.waitUntil(lambda: page.recent.itemData(1) == str(model_file.resolve()))  # reopened: the top of both lists
    actions[-1].trigger()  # Clear the list
    assert not window.recent_menu.isEnabled()
    window.show_page("attention-layer")
    window.show_page("checkpoints")
    assert page.recent.count() == 1 and page.recent.itemText(0) == "—"


def test_a_checkpoint_dropped_on_another_page_opens_on_the_checkpoints_page(window, model_file, qtbot):
    window.show_page("attention-layer")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(model_file))])
    args = (QPointF(300, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPointF(300, 300).toPoint(), *args[1:])
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(QDropEvent(*args))
    page = window.current_page()
    assert page.page_id == "checkpoints"
    qtbot.waitUntil(lambda: page.opened is not None and page.opened.checkpoint.path == model_file, timeout=10000)
    text = QMimeData()
    text.setUrls([QUrl.fromLocalFile(str(model_file.with_suffix(".txt")))])
    refused = QDragEnterEvent(QPointF(300, 300).toPoint(), Qt.DropAction.CopyAction, text, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    refused.ignore()
    window.dragEnterEvent(refused)
    assert not refused.isAccepted()  # not a checkpoint: the window does not take it


def test_open_command_starts_the_app_on_the_checkpoint_before_the_core_has_loaded(model_file, monkeypatch, qtbot):
    """``attention-explorer open PATH`` through the real run_gui: the window asks for the file before torch is
    ready, and the Checkpoints page opens it once the core has loaded."""
    from explorer import app as app_module
    from explorer import cli, errors, main_window

    windows = []

    class TestWindow(main_window.MainWindow):
        def __init__(self):
            super().__init__(restore_geometry=False, autosave=False)
            qtbot.addWidget(self)
            windows.append(self)

    class Application:
        def exec(self):  # instead of the event loop: wait until the checkpoint is shown, then "quit"
            window = windows[0]
            assert not window.core_ready  # asked for before torch is loaded: opened once it is
            qtbot.waitUntil(lambda: getattr(window.current_page(), "opened", None) is not None, timeout=30000)
            return 0

    monkeypatch.setattr(main_window, "MainWindow", TestWindow)
    monkeypatch.setattr(app_module, "application", lambda: Application())
    monkeypatch.setattr(errors, "install", lambda: None)
    assert cli.main(["open", str(model_file)]) == 0
    page = windows[0].current_page()
    assert page.page_id == "checkpoints" and page.opened.checkpoint.path == model_file


def test_loading_runs_in_a_worker_and_the_bar_shows_its_progress(page, tmp_path, qtbot, monkeypatch):
    import threading

    from explorer.pages import checkpoints

    path = tmp_path / "many.safetensors"
    save_file({f"layer.{i}.weight": torch.randn(32, 32) for i in range(200)}, str(path))
    loaded_on = []
    original = checkpoints.load_with_stats
    monkeypatch.setattr(checkpoints, "load_with_stats", lambda *a: (loaded_on.append(threading.get_ident()), original(*a))[1])
    shown = []  # what the bar says while loading
    page.progress.valueChanged.connect(lambda value: shown.append((value, page.progress.format(), page.loading)))
    with qtbot.waitSignal(page.checkpointOpened, timeout=20000):
        page.open_path(path)
        assert page.loading and page.cancel_button.isVisible()  # the bar and Cancel took the recent-files slot
    assert loaded_on and loaded_on[0] != threading.get_ident()  # the worker's thread, not the GUI's
    values = [value for value, _, _ in shown if value > 0]
    assert len(values) > 5 and values == sorted(values) and values[-1] >= 900
    assert any("summarising layer." in text for _, text, _ in shown) and all(loading for value, _, loading in shown if value > 0)
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)  # the job's finished signal follows its result
    assert page.recent.isVisible() and page.opened.checkpoint.path == path


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


# ---- recognising and running ---------------------------------------------------------------------------------
def save_timm(path, config=None):
    timm, canonical = timm_state_dict(config or ViTConfig(dim=192, heads=3, depth=2, mlp_dim=64, num_classes=4), 0, layer_scale=False)
    save_file({k: v.contiguous() for k, v in timm.items()}, str(path))
    return canonical


@pytest.fixture
def torchvision_file(tmp_path):
    torch.manual_seed(2)
    model = TorchvisionViT().eval()  # D = 48: the head count is not stored, and D/64 guesses 1
    path = tmp_path / "vit_tv.pth"
    torch.save(model.state_dict(), path)
    return path, model


def edit(qtbot, field, text):
    """Type ``text`` into a config field as a user does: select what is there, type, press Enter."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_vit_is_recognised_by_the_opening_job_and_its_guess_is_marked(page, tmp_path, qtbot):
    path = tmp_path / "timm.safetensors"
    canonical = save_timm(path)
    with qtbot.waitSignal(page.checkpointOpened, timeout=10000):
        page.open_path(path)  # in the background: recognition is part of the same job
    assert page.details.currentWidget() is page.model_tab
    assert "timm VisionTransformer" in page.model_title.text() and "timm VisionTransformer" in page.summary.text()
    form = page.config_form
    assert form.isVisible() and form.editors["heads"].text() == "3" and form.editors["dim"].text() == "192"
    assert form.is_marked_guessed("heads") and not form.is_marked_guessed("depth")
    assert "3 is the standard for D = 192" in form.guesses["heads"].text()
    assert all(torch.equal(page.recognition.params[k], v) for k, v in canonical.items())
    assert "2 blocks × 3 heads · 65 tokens: CLS + 8×8 patches · 4 classes" in page.model_status.text()


def test_typing_a_config_value_recognises_again_and_a_misfit_is_refused_at_its_field(page, torchvision_file, qtbot):
    page.open_path(torchvision_file[0], sync=True)
    form = page.config_form
    assert form.editors["heads"].text() == "1" and form.is_marked_guessed("heads") and page.reset_button.isHidden()
    edit(qtbot, form.editors["heads"], "4")
    qtbot.waitUntil(lambda: page.recognition.config.heads == 4, timeout=10000)
    assert not form.is_marked_guessed("heads") and page.overrides == {"heads": "4"} and page.reset_button.isVisible()
    assert "2 blocks × 4 heads" in page.model_status.text()

    edit(qtbot, form.editors["heads"], "5")
    qtbot.waitUntil(lambda: form.error("heads") != "", timeout=10000)
    assert "D = 48 is not divisible by H = 5 heads" in form.error("heads") and "keeps heads = 4" in form.error("heads")
    assert page.recognition.config.heads == 4 and form.errors["heads"].isVisible()

    edit(qtbot, form.editors["image_size"], "64")  # the position table has 17 rows: 4×4 patches of 8 px + CLS
    qtbot.waitUntil(lambda: form.error("image_size") != "", timeout=10000)
    assert "encoder.pos_embedding has shape (1, 17, 48), the config implies (1, 65, 48)" in form.error("image_size")

    combo = form.editors["activation"]
    combo.setCurrentText("relu")
    combo.activated.emit(combo.currentIndex())  # what choosing an entry with the mouse emits
    qtbot.waitUntil(lambda: page.recognition.config.activation == "relu", timeout=10000)
    assert page.recognition.config.heads == 4 and form.error("heads") == "" and form.editors["heads"].text() == "4"

    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.overrides == {}, timeout=10000)
    assert page.recognition.config.heads == 1 and form.is_marked_guessed("heads") and form.editors["activation"].currentText() == "gelu"


def test_open_in_vit_page_runs_the_model_the_form_describes(window, torchvision_file, qtbot):
    """A real click hands the edited model to the real ViT page, whose CLS map equals torchvision's MHA weights."""
    path, reference = torchvision_file
    page = window.show_page("checkpoints")
    page.open_path(path, sync=True)
    assert page.vit_button.isVisible() and page.vit_button.isEnabled()
    edit(qtbot, page.config_form.editors["heads"], "4")  # torchvision does not store heads: the form fixes D/64's guess
    qtbot.waitUntil(lambda: page.recognition.config.heads == 4, timeout=10000)
    qtbot.mouseClick(page.vit_button, Qt.MouseButton.LeftButton)
    vit_page = window.current_page()
    assert vit_page.page_id == "vit" and window.nav.currentItem().data(Qt.ItemDataRole.UserRole) == "vit"
    qtbot.waitUntil(lambda: vit_page.model is not None and vit_page.model.name == "vit_tv.pth", timeout=10000)
    model = vit_page.model
    assert vit_page.store.state.model == str(path) and model.config == page.recognition.config and model.config.heads == 4
    assert vit_page.model_combo.currentText() == "vit_tv.pth"
    assert all(torch.equal(model.params[k], v) for k, v in page.recognition.params.items())
    # what the page shows: the CLS token's attention of the last layer, mean of heads, over the 4×4 patch grid
    image = vit_page.image  # (3, 32, 32), a shapes sample at the model's size
    mean, std = torch.tensor(model.config.mean).view(1, 3, 1, 1), torch.tensor(model.config.std).view(1, 3, 1, 1)
    with torch.no_grad():
        logits = reference((image[None] - mean) / std)
    weights = reference.encoder.layers.encoder_layer_1.weights[0]  # (H, N, N), torch's MHA with need_weights
    expected = weights.mean(0)[0, 1:].reshape(4, 4).numpy()
    np.testing.assert_allclose(vit_page.overlay.map_values, expected, atol=1e-5)
    core = vit_forward(image, page.recognition.params, page.recognition.config, need_weights=True)
    np.testing.assert_allclose(vit_page.overlay.map_values, core.attentions[0, -1].mean(0)[0, 1:].reshape(4, 4).numpy(), atol=1e-6)
    np.testing.assert_allclose(vit_page.view_data.probabilities.numpy(), torch.softmax(logits[0], -1).numpy(), atol=1e-5)
    window.undo_stack.undo()  # the hand-over is one undo step on the ViT page
    assert vit_page.store.state.model != str(path)


def test_a_text_folder_is_sent_to_the_text_page(window, tmp_path, qtbot):
    from tests.text_fixtures import save_bert

    folder = tmp_path / "bert"
    save_bert(folder)
    page = window.show_page("checkpoints")
    page.open_path(folder, sync=True)
    assert "BERT-style encoder" in page.model_title.text() and "A text model: 2 layers × 4 heads" in page.model_status.text()
    assert page.config_form.isHidden() and page.vit_button.isHidden() and page.text_button.isVisible()
    qtbot.mouseClick(page.text_button, Qt.MouseButton.LeftButton)
    text_page = window.current_page()
    assert text_page.page_id == "text"
    qtbot.waitUntil(lambda: text_page.store.state.model == str(folder.resolve()), timeout=20000)


def test_an_unknown_layout_is_browsed_and_what_was_looked_for_is_named(page, tmp_path):
    path = tmp_path / "mlp.safetensors"
    save_file({"fc1.weight": torch.zeros(4, 2), "fc2.weight": torch.zeros(2, 4)}, str(path))
    page.open_path(path, sync=True)
    assert sorted(page.visible_tensor_names()) == ["fc1.weight", "fc2.weight"]
    status = page.model_status.text().replace("\u200b", "")
    assert "Not a model this app can run" in page.model_title.text()
    assert "timm VisionTransformer</b>: patch_embed.proj.weight + blocks.0.attn.qkv.weight" in status and "first keys: fc1.weight, fc2.weight" in status
    assert page.config_form.isHidden() and page.vit_button.isHidden() and page.text_button.isHidden()


class Exec:
    def __reduce__(self):
        return (builtins.exec, ("open('pwned-by-checkpoint', 'w')",))


def make_bad(tmp_path, kind):
    path = tmp_path / kind
    if kind == "exec.pt":
        torch.save({"w": torch.zeros(2), "x": Exec()}, path)
    elif kind == "truncated.pt":
        torch.save(vit_like(), path)
        path.write_bytes(path.read_bytes()[:4000])
    elif kind == "garbage.pt":
        path.write_bytes(bytes(range(1, 256)) * 8)
    elif kind == "empty.safetensors":
        path.write_bytes(b"")
    elif kind == "empty_folder":
        path.mkdir()
    elif kind == "bert_without_config":
        path.mkdir()
        save_file({"embeddings.word_embeddings.weight": torch.zeros(8, 4), "encoder.layer.0.attention.self.query.weight": torch.zeros(4, 4)}, str(path / "model.safetensors"))
    elif kind == "wrong_shape.safetensors":
        timm, _ = timm_state_dict(ViTConfig(dim=64, heads=4, depth=2), 0, layer_scale=False)
        save_file({k: v.contiguous() for k, v in (timm | {"blocks.1.mlp.fc2.weight": torch.zeros(64, 7)}).items()}, str(path))
    elif kind == "nan.safetensors":
        timm, _ = timm_state_dict(ViTConfig(dim=64, heads=4, depth=2), 0, layer_scale=False)
        save_file({k: v.contiguous() for k, v in (timm | {"pos_embed": torch.full_like(timm["pos_embed"], float("nan"))}).items()}, str(path))
    return path


@pytest.mark.parametrize(
    "kind, where, expected",
    [
        ("exec.pt", "message", "refused; nothing was run. It asks for: builtins.exec"),
        ("truncated.pt", "message", "cut short"),
        ("garbage.pt", "message", "neither a zip archive nor a pickle"),
        ("empty.safetensors", "message", "empty.safetensors is empty (0 bytes)"),
        ("empty_folder", "message", "holds no weights"),
        ("bert_without_config", "model", "config.json is missing"),
        ("wrong_shape.safetensors", "model", "blocks.1.mlp.fc2.weight has shape (64, 7)"),
        ("nan.safetensors", "model", "hold NaN or Inf values (e.g. pos_embed)"),
    ],
)
def test_bad_input_gets_a_clear_message_and_the_page_keeps_working(page, model_file, tmp_path, monkeypatch, kind, where, expected):
    monkeypatch.chdir(tmp_path)
    page.open_path(make_bad(tmp_path, kind), sync=True)
    shown = page.message.text() if where == "message" else page.model_status.text()
    assert expected in shown
    assert not (tmp_path / "pwned-by-checkpoint").exists()
    if where == "model":  # opened: the tensors are browsed, the model cannot be run
        assert page.opened.checkpoint.path.name == kind and page.recognition is None and page.config_form.isHidden()
    page.open_path(model_file, sync=True)  # the app keeps running: the next file opens
    assert page.opened.checkpoint.path == model_file and page.message.text() == ""
