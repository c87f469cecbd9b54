"""The Vision Transformer (notes §7), page id ``vit``.

An image is cut into patches; each patch is a token. Click a patch to see where it looks — for a chosen layer and
head, or the mean of the heads — or show the CLS token's attention, the rollout through all layers (Abnar &
Zuidema), or the gradient-weighted rollout for a class (Chefer et al.), laid over the image. Every map comes from
the core's explicit forward of the model (the bundled tiny ViT trained on shapes, or any checkpoint opened on the
Checkpoints page). A grid shows every layer × head at once; the ViT-vs-CNN tab shows why ViTs need data.
"""

from __future__ import annotations

import json
import math
import pathlib
import time
from dataclasses import dataclass, replace

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import QPointF, QRectF, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import images, resources, shapes
from core.arrays import to_numpy
from core.vit import FUSIONS, ViTModel, ViTTrace, attention_rollout, fuse_heads, gradient_relevance, relevance_map
from explorer.appearance import appearance
from explorer.pages.base import Page, ViewData
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.heatmap import Heatmap
from explorer.workers import Job

MAP_KINDS = {"patch": "attention of the clicked patch", "cls": "CLS token's attention", "rollout": "attention rollout", "gradient": "gradient rollout (Chefer)"}
BUNDLED = "bundled"
TOP_K = 5


def bundled_path() -> pathlib.Path:
    return resources.path("vit", "shapes_vit.safetensors")


def load_bundled() -> ViTModel:
    from core.vision_training import load_vit

    config, params, names = load_vit(bundled_path())
    return ViTModel(config, params, class_names=names, name="tiny ViT on shapes (bundled)")


def sample_image(name: str, size: int) -> torch.Tensor:
    """A shapes sample at the model's size (seeded, so the same sample is the same image every time)."""
    kind, _, seed = name.partition("#")
    rng = np.random.default_rng(1000 + shapes.CLASSES.index(kind) * 17 + int(seed or 0))
    return torch.from_numpy(shapes.render(kind, rng, size).astype(np.float32).transpose(2, 0, 1).copy())


@dataclass(frozen=True)
class VitState:
    image: str = "sample:star"  # "sample:<shape>" or a file path
    model: str = BUNDLED  # "bundled" or the checkpoint path it came from
    map_kind: str = "cls"  # one of MAP_KINDS
    layer: int = -1  # −1: the last layer
    head: int = -1  # −1: the mean of the heads
    patch: int = -1  # the clicked patch (−1: the centre one)
    fusion: str = "mean"
    discard: float = 0.0
    target: int = -1  # gradient rollout's class; −1: the predicted one
    opacity: float = 0.6


@dataclass(frozen=True)
class VitView:
    """What the page shows for a state: the trace, the map over the patch grid and the prediction."""

    trace: ViTTrace
    layer: int
    head: int  # −1 = mean
    patch: int
    grid_map: torch.Tensor  # (g, g)
    probabilities: torch.Tensor | None  # (C,)
    target: int | None  # the class the gradient map explains
    describe: str


def compute_view(model: ViTModel, image: torch.Tensor, state: VitState, *, gradient_cache: dict | None = None) -> VitView:
    config = model.config
    trace = model.trace(image)
    layers = config.depth
    layer = state.layer % layers
    head = state.head if 0 <= state.head < config.heads else -1
    patch = state.patch if 0 <= state.patch < config.num_patches else config.num_patches // 2 + config.grid // 2
    attention = trace.attentions[0]  # (L, H, N, N)
    chosen = attention[layer] if head < 0 else attention[layer, head : head + 1]
    fused = chosen.mean(dim=0) if head < 0 else chosen[0]  # (N, N)
    prefix = config.num_prefix_tokens
    target = None
    if state.map_kind == "patch":
        row = fused[prefix + patch, prefix:]
        describe = f"where patch {patch} (row {patch // config.grid}, column {patch % config.grid}) looks, layer {layer + 1}, {'mean of heads' if head < 0 else f'head {head + 1}'}"
        grid_map = row.reshape(config.grid, config.grid)
    elif state.map_kind == "cls":
        if not config.class_token:
            raise ValueError("this model has no CLS token: choose a patch, or the rollout")
        grid_map = fused[0, prefix:].reshape(config.grid, config.grid)
        describe = f"the CLS token's attention over the patches, layer {layer + 1}, {'mean of heads' if head < 0 else f'head {head + 1}'}"
    elif state.map_kind == "rollout":
        rollout = attention_rollout(attention, fusion=state.fusion, discard_ratio=state.discard)
        grid_map = relevance_map(rollout, config)
        describe = f"rollout through all {layers} layers (heads fused by {state.fusion}, discard {state.discard:.0%})"
    else:
        key = (image.numpy().tobytes(), state.target, id(model))
        cached = None if gradient_cache is None else gradient_cache.get(key)
        if cached is None:
            cached = gradient_relevance(image, model.params, config, target=None if state.target < 0 else state.target)
            if gradient_cache is not None:
                gradient_cache[key] = cached
        grid_map, target = cached
        name = model.class_names[target] if target < len(model.class_names) else str(target)
        describe = f"gradient-weighted rollout for class “{name}”{' (the prediction)' if state.target < 0 else ''}"
    probabilities = None if trace.logits is None else torch.softmax(trace.logits[0], dim=-1)
    return VitView(trace, layer, head, patch, grid_map.detach(), probabilities, target, describe)


class ImageOverlay(QWidget):
    """The image with its patch grid, a selected patch and a map laid over it; a click reports the patch."""

    patchClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        self.box = self.view.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.box.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.overlay = pg.ImageItem(axisOrder="row-major")
        self.grid = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(QColor(255, 255, 255, 110), width=1))
        self.selection = QGraphicsRectItem()
        pen = QPen(style.QUERY, 2.5)
        pen.setCosmetic(True)
        self.selection.setPen(pen)
        for z, item in enumerate((self.image, self.overlay, self.grid, self.selection)):
            item.setZValue(z)
            self.box.addItem(item)
        self.size = 0
        self.patch = 1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.view.scene().sigMouseClicked.connect(self._on_clicked)

    def set_image(self, rgb: np.ndarray, patch: int) -> None:
        size = rgb.shape[0]
        self.image.setImage(np.ascontiguousarray(rgb), levels=(0.0, 1.0))
        if (size, patch) != (self.size, self.patch):
            self.size, self.patch = size, patch
            lines = []
            for k in range(0, size + 1, patch):
                lines += [(k, 0), (k, size), (0, k), (size, k)]
            points = np.array(lines, float)
            self.grid.setData(points[:, 0], points[:, 1])
            self.box.setRange(QRectF(0, 0, size, size), padding=0.02)
            self.overlay.setRect(QRectF(0, 0, size, size))

    def set_map(self, grid_map: np.ndarray, opacity: float, colormap: str) -> None:
        """Colour by the colormap and let the image show through where the map is low: alpha grows with the value."""
        peak = float(grid_map.max()) if grid_map.size else 0.0
        scaled = np.clip(grid_map / peak, 0.0, 1.0) if peak > 0 else np.zeros_like(grid_map)
        lut = style.colormap(colormap).getLookupTable(nPts=256, alpha=False)  # (256, 3) uint8
        rgba = np.empty(grid_map.shape + (4,), np.uint8)
        rgba[..., :3] = lut[(scaled * 255).astype(np.int64)]
        rgba[..., 3] = (255 * opacity * (0.1 + 0.9 * scaled)).astype(np.uint8)
        self.overlay.setImage(rgba, autoLevels=False, levels=(0, 255))
        self.overlay.setRect(QRectF(0, 0, self.size, self.size))
        self.map_values = grid_map

    def set_selection(self, patch_index: int | None) -> None:
        if patch_index is None or self.size == 0:
            self.selection.hide()
            return
        grid = self.size // self.patch
        row, col = divmod(patch_index, grid)
        self.selection.setRect(QRectF(col * self.patch, row * self.patch, self.patch, self.patch))
        self.selection.show()

    def patch_center(self, index: int) -> QPointF:
        """Where patch ``index`` is on screen (widget coordinates), for tests and tours."""
        grid = self.size // self.patch
        row, col = divmod(index, grid)
        scene = self.box.mapViewToScene(QPointF((col + 0.5) * self.patch, (row + 0.5) * self.patch))
        return QPointF(self.view.mapFromScene(scene))

    def _on_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.size == 0:
            return
        point = self.box.mapSceneToView(event.scenePos())
        x, y = point.x(), point.y()
        if 0 <= x < self.size and 0 <= y < self.size:
            grid = self.size // self.patch
            self.patchClicked.emit(int(y // self.patch) * grid + int(x // self.patch))


class VitPage(Page):
    page_id = "vit"
    title = "Vision Transformer"

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.store = StateStore(VitState(), undo_stack, self)
        self.models: dict[str, ViTModel] = {}
        self.model: ViTModel | None = None
        self.image: torch.Tensor | None = None
        self.image_key: tuple | None = None
        self.transform_text = ""
        self.view_data: VitView | None = None
        self._gradients: dict = {}
        self._listed_models: list = []
        self._listed_for: ViTModel | None = None
        self._shown_image: tuple | None = None
        self._shown_trace: ViTTrace | None = None
        self.experiment_job: Job | None = None
        self.setAcceptDrops(True)
        self._build()
        self.store.stateChanged.connect(self._on_state_changed)
        try:
            self.models[BUNDLED] = load_bundled()
        except (FileNotFoundError, OSError, ValueError) as exc:
            self._show_message(f"The bundled model could not be loaded: {exc}")
        self._load_curves()
        self._on_state_changed(self.store.state)
        QApplication.instance().aboutToQuit.connect(self.stop_jobs)

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            "Vision Transformer (§7)",
            "An image becomes a sequence: it is cut into P×P patches, each flattened and projected to a token; a CLS "
            "token and position embeddings are added, and a Transformer encoder reads the sequence. <i>Click a patch to "
            "see where it looks; switch to the CLS map, the rollout through all layers, or the gradient rollout for a "
            "class.</i> With little data a CNN wins (its locality is built in); with enough, the ViT catches up.",
            "tokens = [CLS; x<sub>1</sub>E; …; x<sub>N</sub>E] + E<sub>pos</sub> &nbsp;&nbsp; rollout R = Π<sub>l</sub> norm(Ā<sub>l</sub> + I)",
        )
        self.image_combo = QComboBox()
        for kind in shapes.CLASSES:
            self.image_combo.addItem(f"sample: {kind}", f"sample:{kind}")
        self.image_combo.activated.connect(lambda i: self._set("Choose image", image=self.image_combo.itemData(i)))
        self.open_image = QPushButton("Open image…")
        self.open_image.clicked.connect(self.choose_image)
        self.model_combo = QComboBox()
        self.model_combo.activated.connect(lambda i: self._set("Choose model", model=self.model_combo.itemData(i)))
        self.transform_label = QLabel("")
        self.transform_label.setWordWrap(True)
        self.transform_label.setFixedHeight(2 * self.transform_label.fontMetrics().lineSpacing() + 2)
        top = QHBoxLayout()
        top.addWidget(QLabel("Image:"))
        top.addWidget(self.image_combo)
        top.addWidget(self.open_image)
        top.addSpacing(12)
        top.addWidget(QLabel("Model:"))
        top.addWidget(self.model_combo, 1)

        self.overlay = ImageOverlay()
        self.overlay.setToolTip("Click a patch to see where it looks. The map is scaled to its maximum.")
        self.overlay.patchClicked.connect(lambda index: self._set("Choose patch", patch=index, map_kind="patch"))
        self.kind_buttons = QButtonGroup(self)
        kinds = QHBoxLayout()
        for index, (kind, label) in enumerate(MAP_KINDS.items()):
            button = QRadioButton({"patch": "Patch", "cls": "CLS", "rollout": "Rollout", "gradient": "Gradient rollout"}[kind])
            button.setToolTip(label)
            self.kind_buttons.addButton(button, index)
            kinds.addWidget(button)
        self.kind_buttons.idClicked.connect(lambda i: self._set("Choose map", map_kind=list(MAP_KINDS)[i]))
        self.layer_spin = QSpinBox()
        self.layer_spin.setPrefix("layer ")
        self.layer_spin.valueChanged.connect(lambda v: self._set("Choose layer", layer=v - 1))
        self.head_combo = QComboBox()
        self.head_combo.activated.connect(lambda i: self._set("Choose head", head=self.head_combo.itemData(i)))
        self.fusion_combo = QComboBox()
        for fusion in FUSIONS:
            self.fusion_combo.addItem(fusion, fusion)
        self.fusion_combo.setToolTip("How the rollout fuses the heads of a layer")
        self.fusion_combo.activated.connect(lambda i: self._set("Choose fusion", fusion=self.fusion_combo.itemData(i)))
        self.discard_spin = QDoubleSpinBox()
        self.discard_spin.setRange(0.0, 0.95)
        self.discard_spin.setSingleStep(0.05)
        self.discard_spin.setPrefix("discard ")
        self.discard_spin.setToolTip("The fraction of the weakest attention links the rollout drops in each layer")
        self.discard_spin.setKeyboardTracking(False)
        self.discard_spin.valueChanged.connect(lambda v: self._set("Change discard ratio", discard=round(float(v), 2)))
        self.target_combo = QComboBox()
        self.target_combo.activated.connect(lambda i: self._set("Choose class", target=self.target_combo.itemData(i)))
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self.opacity_slider.setRange(0, 100)
        self.opacity_slider.setToolTip("Overlay opacity")
        self.opacity_slider.valueChanged.connect(lambda v: self._set("Change opacity", opacity=v / 100.0, merge_key="opacity"))
        controls = QHBoxLayout()
        for widget in (self.layer_spin, self.head_combo, self.fusion_combo, self.discard_spin, self.target_combo):
            controls.addWidget(widget)
        opacity_row = QHBoxLayout()
        opacity_row.addWidget(QLabel("opacity"))
        opacity_row.addWidget(self.opacity_slider, 1)
        self.map_label = QLabel("")
        self.map_label.setWordWrap(True)
        self.map_label.setFixedHeight(2 * self.map_label.fontMetrics().lineSpacing() + 2)  # new text, no relayout
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(kinds)
        left_layout.addLayout(controls)
        left_layout.addWidget(self.overlay, 1)
        left_layout.addLayout(opacity_row)
        left_layout.addWidget(self.map_label)
        left_layout.addWidget(self.transform_label)

        self.tabs = QTabWidget()
        self.prediction = BarChart("prediction: top classes", value_name="p", levels=(0.0, 1.15), color=style.VALUE)
        self.prediction.setToolTip("softmax of the logits, the classes with the highest probability")
        self.tabs.addTab(self.prediction, "Prediction")
        self.mosaic = Heatmap("every layer × head (rows: layers, columns: heads)", row_name="layer", col_name="head", value_name="a")
        self.mosaic.describe_cell = self._describe_mosaic_cell
        self.mosaic.cellClicked.connect(self._on_mosaic_clicked)
        self.mosaic.setToolTip("Each tile is one head's map (the clicked patch's or the CLS row) over the patch grid; click a tile to choose its layer and head")
        self.tabs.addTab(self.mosaic, "Layers × heads")
        self.tabs.addTab(self._build_experiment_tab(), "ViT vs CNN")
        self.tabs.currentChanged.connect(lambda _: self._refresh_tab())

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setSizes([560, 520])
        self.message = QLabel("")
        self.message.setStyleSheet(style.ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    def _build_experiment_tab(self) -> QWidget:
        self.curves = pg.PlotWidget(title="test accuracy against training-set size")
        plot = self.curves.getPlotItem()
        plot.setLogMode(x=True, y=False)
        plot.setLabel("bottom", "training images")
        plot.setLabel("left", "test accuracy")
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setYRange(0, 1.02)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        self.vit_curve = plot.plot([], [], pen=pg.mkPen(style.QUERY, width=2.5), symbol="o", symbolBrush=style.QUERY)
        self.cnn_curve = plot.plot([], [], pen=pg.mkPen(style.INPUT, width=2.5), symbol="s", symbolBrush=style.INPUT)
        self.experiment_note = QLabel("")
        self.experiment_note.setWordWrap(True)
        self.rerun = QPushButton("Recompute (a few minutes)")
        self.rerun.clicked.connect(self.recompute_experiment)
        self.experiment_progress = QProgressBar()
        self.experiment_progress.setRange(0, 1000)
        self.experiment_progress.hide()
        self.cancel_experiment = QPushButton("Cancel")
        self.cancel_experiment.clicked.connect(lambda: self.experiment_job is not None and self.experiment_job.cancel())
        self.cancel_experiment.hide()
        row = QHBoxLayout()
        row.addWidget(self.rerun)
        row.addWidget(self.experiment_progress, 1)
        row.addWidget(self.cancel_experiment)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.curves, 1)
        layout.addWidget(self.experiment_note)
        layout.addLayout(row)
        return tab

    # ---- models and images ------------------------------------------------------------------------------------
    def use_model(self, model: ViTModel, *, source: str) -> None:
        """Run ``model`` (e.g. a checkpoint recognised on the Checkpoints page) on this page; undoable."""
        self.models[source] = model
        kind = self.store.state.map_kind
        if (kind == "cls" and not model.config.class_token) or (kind == "gradient" and not model.config.num_classes):
            kind = "rollout"
        self._set("Open model", model=source, layer=-1, head=-1, patch=-1, target=-1, map_kind=kind)

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open image", str(pathlib.Path.home()), "Images (*.png *.jpg *.jpeg *.bmp *.webp)")
        if path:
            self.open_image_file(path)

    def open_image_file(self, path: str) -> None:
        try:
            images.read_rgb(path)  # fail here, at the field, before the state changes
        except ValueError as exc:
            self._show_message(f"{exc} — keeping the current image.")
            return
        self._set("Open image", image=str(path))

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_image_file(urls[0].toLocalFile())
            event.acceptProposedAction()

    def _prepare_image(self, state: VitState, model: ViTModel) -> None:
        size = model.config.image_size
        key = (state.image, size)
        if key == self.image_key:
            return
        if state.image.startswith("sample:"):
            self.image = sample_image(state.image.split(":", 1)[1], size)
            self.transform_text = f"a generated {state.image.split(':', 1)[1]} at {size}×{size} px, the model's input size"
        else:
            prepared = images.load(state.image, size)
            self.image = prepared.image
            self.transform_text = f"{pathlib.Path(state.image).name}: {prepared.transform}"
        self.image_key = key

    # ---- edits ------------------------------------------------------------------------------------------------
    def _set(self, text: str, merge_key=None, **changes) -> None:
        self._show_message("")
        self.store.set(replace(self.store.state, **changes), text, merge_key=merge_key)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_mosaic_clicked(self, row: int, col: int) -> None:
        if self.model is None:
            return
        grid = self.model.config.grid
        self._set("Choose layer and head", layer=row // grid, head=col // grid)

    def _describe_mosaic_cell(self, row: int, col: int) -> str:
        if self.model is None or row < 0:
            return "hover a tile: its layer, head and value; click it to show it on the image"
        grid = self.model.config.grid
        value = float(self.mosaic.values[row, col])
        return f"layer {row // grid + 1}, head {col // grid + 1}, patch ({row % grid}, {col % grid}): {value:.4g}"

    # ---- state → views ----------------------------------------------------------------------------------------
    def _on_state_changed(self, state: VitState) -> None:
        start = time.perf_counter()
        model = self.models.get(state.model)
        if model is None:
            self._show_message(f"The model {state.model} is not open: open it on the Checkpoints page.")
            return
        try:
            self._prepare_image(state, model)
            view = compute_view(model, self.image, state, gradient_cache=self._gradients)
        except (ValueError, OSError, RuntimeError) as exc:
            self._show_message(f"{exc} — keeping the last map.")
            return
        self.model, self.view_data = model, view
        self._sync_controls(state)
        self._refresh()
        self.recomputed.emit((time.perf_counter() - start) * 1000.0)

    def _sync_controls(self, state: VitState) -> None:
        config = self.model.config
        widgets = (self.image_combo, self.model_combo, self.layer_spin, self.head_combo, self.fusion_combo, self.discard_spin, self.target_combo, self.opacity_slider)
        for widget in widgets:
            widget.blockSignals(True)
        if state.image.startswith("sample:"):
            self.image_combo.setCurrentIndex(self.image_combo.findData(state.image))
        else:
            if self.image_combo.findData(state.image) < 0:
                self.image_combo.addItem(pathlib.Path(state.image).name, state.image)
            self.image_combo.setCurrentIndex(self.image_combo.findData(state.image))
        models = [(source, model.name) for source, model in self.models.items()]
        if models != self._listed_models:  # rebuilt only when the set of models changes (a relayout otherwise)
            self._listed_models = models
            self.model_combo.clear()
            for source, name in models:
                self.model_combo.addItem(name, source)
        self.model_combo.setCurrentIndex(self.model_combo.findData(state.model))
        if self._listed_for is not self.model:
            self._listed_for = self.model
            self.layer_spin.setRange(1, config.depth)
            self.head_combo.clear()
            self.head_combo.addItem("mean of heads", -1)
            for h in range(config.heads):
                self.head_combo.addItem(f"head {h + 1}", h)
            self.target_combo.clear()
            self.target_combo.addItem("predicted class", -1)
            for index, name in enumerate(self.model.class_names):
                self.target_combo.addItem(name, index)
        self.layer_spin.setValue(self.view_data.layer + 1)
        self.head_combo.setCurrentIndex(self.head_combo.findData(self.view_data.head))
        self.fusion_combo.setCurrentIndex(self.fusion_combo.findData(state.fusion))
        self.discard_spin.setValue(state.discard)
        self.target_combo.setCurrentIndex(max(0, self.target_combo.findData(state.target)))
        self.opacity_slider.setValue(round(state.opacity * 100))
        for widget in widgets:
            widget.blockSignals(False)
        kind = state.map_kind
        self.kind_buttons.button(list(MAP_KINDS).index(kind)).setChecked(True)
        per_layer = kind in ("patch", "cls")
        self.layer_spin.setEnabled(per_layer)
        self.head_combo.setEnabled(per_layer)
        self.fusion_combo.setEnabled(kind == "rollout")
        self.discard_spin.setEnabled(kind == "rollout")
        self.target_combo.setEnabled(kind == "gradient" and bool(config.num_classes))
        self.kind_buttons.button(1).setEnabled(config.class_token)
        self.kind_buttons.button(3).setEnabled(bool(config.num_classes))

    def _refresh(self) -> None:
        view, state = self.view_data, self.store.state
        if self._shown_image != (self.image_key, id(self.model)):
            self._shown_image = (self.image_key, id(self.model))
            self.overlay.set_image(to_numpy(self.image.permute(1, 2, 0)), self.model.config.patch_size)
        self.overlay.set_map(to_numpy(view.grid_map), state.opacity, appearance().sequential)
        self.overlay.set_selection(view.patch if state.map_kind == "patch" else None)
        self.map_label.setText(f"Showing {view.describe}.")
        self.transform_label.setText(f"Input: {self.transform_text}.")
        self._refresh_tab()

    def _refresh_tab(self) -> None:
        view = self.view_data
        if view is None:
            return
        tab = self.tabs.currentIndex()
        if tab == 0:
            if view.trace is self._shown_trace:
                return  # the prediction depends on the image and the model only
            self._shown_trace = view.trace
            if view.probabilities is None:
                self.prediction.set_data(np.zeros(0, np.float32), [])
                self.prediction.set_title("this checkpoint has no classification head")
            else:
                probabilities = to_numpy(view.probabilities)
                order = np.argsort(-probabilities)[:TOP_K]
                names = [self.model.class_names[i] if i < len(self.model.class_names) else str(i) for i in order]
                self.prediction.set_title(f"prediction: {names[0]} ({probabilities[order[0]]:.1%})")
                self.prediction.set_data(probabilities[order], names, highlight=0)
        elif tab == 1:
            self._refresh_mosaic()

    def _refresh_mosaic(self) -> None:
        """All layers × heads as one image: tile (l, h) is that head's map for the current patch or the CLS row."""
        view, config = self.view_data, self.model.config
        attention = view.trace.attentions[0]  # (L, H, N, N)
        prefix, grid = config.num_prefix_tokens, config.grid
        source = prefix + view.patch if self.store.state.map_kind == "patch" or not config.class_token else 0
        rows = attention[:, :, source, prefix:]  # (L, H, Np)
        tiles = rows / rows.amax(dim=-1, keepdim=True).clamp(min=1e-12)
        mosaic = tiles.reshape(config.depth, config.heads, grid, grid).permute(0, 2, 1, 3).reshape(config.depth * grid, config.heads * grid)
        ticks = ([((l + 0.5) * grid - 0.5, f"L{l + 1}") for l in range(config.depth)], [((h + 0.5) * grid - 0.5, f"H{h + 1}") for h in range(config.heads)])
        self.mosaic.set_data(to_numpy(mosaic), levels=(0.0, 1.0), ticks=ticks)
        self.mosaic.set_title("every layer × head: " + ("the clicked patch's row" if source else "the CLS row") + " (each tile scaled to its maximum)")

    # ---- ViT vs CNN -------------------------------------------------------------------------------------------
    def _load_curves(self) -> None:
        try:
            curves = json.loads(resources.path("vit", "vit_vs_cnn.json").read_text())
        except (FileNotFoundError, ValueError):
            self.experiment_note.setText("No bundled curves: press Recompute.")
            return
        self._show_curves(curves)

    def _show_curves(self, curves: dict) -> None:
        self.curves_data = curves
        sizes = np.array(curves["sizes"][: len(curves["vit"])], float)
        self.vit_curve.setData(sizes, np.array(curves["vit"], float))
        self.cnn_curve.setData(np.array(curves["sizes"][: len(curves["cnn"])], float), np.array(curves["cnn"], float))
        if curves["vit"] and curves["cnn"]:
            small, large = 0, min(len(curves["vit"]), len(curves["cnn"])) - 1
            self.experiment_note.setText(
                f"<span style='color:#d62728'>● ViT</span> vs <span style='color:#1f77b4'>■ CNN</span>, the same {curves.get('steps', '?')} training steps on the "
                f"same images: with {curves['sizes'][small]} images the CNN reaches {curves['cnn'][small]:.0%} and the ViT {curves['vit'][small]:.0%}; "
                f"with {curves['sizes'][large]} images {curves['cnn'][large]:.0%} and {curves['vit'][large]:.0%}. A convolution's locality and "
                "weight sharing are built in; a ViT must learn them from data."
            )

    def recompute_experiment(self) -> None:
        from core.vision_training import vit_vs_cnn

        if self.experiment_job is not None and self.experiment_job.running:
            return
        partial = {"sizes": [100, 300, 1000, 3000], "vit": [], "cnn": [], "steps": 300}

        def work(progress):
            return vit_vs_cnn(tuple(partial["sizes"]), steps=partial["steps"], test_size=500, callback=progress)

        def on_point(fraction: float, text: str, payload) -> None:
            self.experiment_progress.setValue(int(1000 * fraction))
            self.experiment_progress.setFormat(f"{text[:70]}  %p%")
            if payload and "kind" in payload:
                partial[payload["kind"]].append(payload["accuracy"])
                self._show_curves(dict(partial))

        self.experiment_job = Job(work, self)
        self.experiment_job.progressed.connect(on_point)
        self.experiment_job.succeeded.connect(self._show_curves)
        self.experiment_job.cancelled.connect(lambda: self.experiment_note.setText("Cancelled: the curves show the points measured so far."))
        self.experiment_job.failed.connect(lambda message: self.experiment_note.setText(f"The experiment failed: {message}"))
        self.experiment_job.finished.connect(lambda: (self.experiment_progress.hide(), self.cancel_experiment.hide(), self.rerun.setEnabled(True)))
        self.experiment_progress.show()
        self.cancel_experiment.show()
        self.rerun.setEnabled(False)
        self.experiment_job.start()

    def stop_jobs(self, wait_ms: int = 10_000) -> None:
        """Cancel a running experiment and wait for its worker (it stops at its next progress report)."""
        if self.experiment_job is not None and self.experiment_job.running:
            self.experiment_job.cancel()
            QThreadPool.globalInstance().waitForDone(wait_ms)

    def export_data(self) -> ViewData:
        view = self.view_data
        arrays = {"map": to_numpy(view.grid_map), "image": to_numpy(self.image.permute(1, 2, 0)).reshape(self.image.shape[1], -1), "attentions": to_numpy(view.trace.attentions[0]).reshape(-1, view.trace.attentions.shape[-1])}
        if view.probabilities is not None:
            arrays["probabilities"] = to_numpy(view.probabilities)
        return ViewData(arrays, {}, {"probabilities": list(self.model.class_names)} if view.probabilities is not None else {})
