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
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
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
from core.vit import FUSIONS, ViTModel, ViTTrace, attention_rollout, gradient_relevance, relevance_map
from explorer.appearance import appearance
from explorer.i18n import QT_TRANSLATE_NOOP
from explorer.pages.base import Page, ViewData
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.heatmap import Heatmap
from explorer.workers import Job, ProcessJob

# The maps, by state value: the radio button's text and its tooltip (translated where shown).
MAP_KINDS = {
    "patch": QT_TRANSLATE_NOOP("VitPage", "Patch"),
    "cls": QT_TRANSLATE_NOOP("VitPage", "CLS"),
    "rollout": QT_TRANSLATE_NOOP("VitPage", "Rollout"),
    "gradient": QT_TRANSLATE_NOOP("VitPage", "Gradient rollout"),
}
MAP_TIPS = {
    "patch": QT_TRANSLATE_NOOP("VitPage", "Attention of the clicked patch: where its query looks among the patches, for the chosen layer and head (or the mean of the heads)"),
    "cls": QT_TRANSLATE_NOOP("VitPage", "The CLS token's attention over the patches, for the chosen layer and head: what the token that makes the prediction reads"),
    "rollout": QT_TRANSLATE_NOOP("VitPage", "Attention rollout (Abnar & Zuidema): each layer's heads fused, the residual added, rows renormalised, and the layers multiplied; the CLS row over the patches"),
    "gradient": QT_TRANSLATE_NOOP("VitPage", "Gradient rollout (Chefer et al.): each head's attention weighted by the gradient of the chosen class's score, negatives dropped, rolled out through the layers"),
}
FUSION_NAMES = {"mean": QT_TRANSLATE_NOOP("VitPage", "mean"), "max": QT_TRANSLATE_NOOP("VitPage", "max"), "min": QT_TRANSLATE_NOOP("VitPage", "min")}
# The shapes' class names, translated for the generated samples and the bundled model (a checkpoint's stay as they are).
SHAPE_NAMES = {
    "circle": QT_TRANSLATE_NOOP("VitPage", "circle"),
    "square": QT_TRANSLATE_NOOP("VitPage", "square"),
    "triangle": QT_TRANSLATE_NOOP("VitPage", "triangle"),
    "cross": QT_TRANSLATE_NOOP("VitPage", "cross"),
    "star": QT_TRANSLATE_NOOP("VitPage", "star"),
}
BUNDLED = "bundled"
BUNDLED_NAME = QT_TRANSLATE_NOOP("VitPage", "tiny ViT on shapes (bundled)")
TOP_K = 5


def bundled_path() -> pathlib.Path:
    return resources.path("vit", "shapes_vit.safetensors")


def load_bundled() -> ViTModel:
    from core.vision_training import load_vit

    config, params, names = load_vit(bundled_path())
    return ViTModel(config, params, class_names=names, name=BUNDLED_NAME)


def _tr(text: str) -> str:
    return QCoreApplication.translate("VitPage", text)


def shape_name(kind: str) -> str:
    """A shape's class name in the interface language (unchanged when it is not one of the shapes)."""
    return _tr(SHAPE_NAMES[kind]) if kind in SHAPE_NAMES else kind


def class_labels(model: ViTModel, source: str) -> list[str]:
    """The class names to show: the bundled model's shapes translated, a checkpoint's own names as they are."""
    names = list(model.class_names)
    return [shape_name(name) for name in names] if source == BUNDLED else names


def heads_text(head: int) -> str:
    return QCoreApplication.translate("VitPage", "mean of heads") if head < 0 else QCoreApplication.translate("VitPage", "head {0}").format(head + 1)


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


def compute_view(model: ViTModel, image: torch.Tensor, state: VitState, *, gradient_cache: dict | None = None, class_names: list[str] | None = None) -> VitView:
    """The view for ``state``; ``describe`` is in the interface language, naming classes by ``class_names``
    (default: the model's own)."""
    config = model.config
    class_names = list(model.class_names) if class_names is None else class_names
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
        describe = QCoreApplication.translate("VitPage", "where patch {0} (row {1}, column {2}) looks, layer {3}, {4}").format(
            patch, patch // config.grid, patch % config.grid, layer + 1, heads_text(head)
        )
        grid_map = row.reshape(config.grid, config.grid)
    elif state.map_kind == "cls":
        if not config.class_token:
            raise ValueError(QCoreApplication.translate("VitPage", "this model has no CLS token: choose a patch, or the rollout"))
        grid_map = fused[0, prefix:].reshape(config.grid, config.grid)
        describe = QCoreApplication.translate("VitPage", "the CLS token's attention over the patches, layer {0}, {1}").format(layer + 1, heads_text(head))
    elif state.map_kind == "rollout":
        rollout = attention_rollout(attention, fusion=state.fusion, discard_ratio=state.discard)
        grid_map = relevance_map(rollout, config)
        describe = QCoreApplication.translate("VitPage", "rollout through all {0} layers (heads fused by {1}, discard {2})").format(
            layers, _tr(FUSION_NAMES.get(state.fusion, state.fusion)), f"{state.discard:.0%}"
        )
    else:
        key = (image.numpy().tobytes(), state.target, id(model))
        cached = None if gradient_cache is None else gradient_cache.get(key)
        if cached is None:
            cached = gradient_relevance(image, model.params, config, target=None if state.target < 0 else state.target)
            if gradient_cache is not None:
                gradient_cache[key] = cached
        grid_map, target = cached
        name = class_names[target] if target < len(class_names) else str(target)
        if state.target < 0:
            describe = QCoreApplication.translate("VitPage", "gradient-weighted rollout for class “{0}” (the prediction)").format(name)
        else:
            describe = QCoreApplication.translate("VitPage", "gradient-weighted rollout for class “{0}”").format(name)
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
        self.accept_file_drops()
        self._build()
        self.store.stateChanged.connect(self._on_state_changed)
        try:
            self.models[BUNDLED] = load_bundled()
        except (FileNotFoundError, OSError, ValueError) as exc:
            self._show_message(self.tr("The bundled model could not be loaded: {0}").format(exc))
        self._load_curves()
        self._on_state_changed(self.store.state)
        QApplication.instance().aboutToQuit.connect(self.stop_jobs)

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("Vision Transformer (§7)"),
            self.tr(
                "An image becomes a sequence: it is cut into P×P patches, each flattened and projected to a token; a CLS "
                "token and position embeddings are added, and a Transformer encoder reads the sequence. <i>Click a patch to "
                "see where it looks; switch to the CLS map, the rollout through all layers, or the gradient rollout for a "
                "class.</i> With little data a CNN wins (its locality is built in); with enough, the ViT catches up."
            ),
            self.tr("tokens = [CLS; x<sub>1</sub>E; …; x<sub>N</sub>E] + E<sub>pos</sub> &nbsp;&nbsp; rollout R = Π<sub>l</sub> norm(Ā<sub>l</sub> + I)"),
        )
        self.image_combo = QComboBox()
        for kind in shapes.CLASSES:
            self.image_combo.addItem(self.tr("sample: {0}").format(shape_name(kind)), f"sample:{kind}")
        self.image_combo.setToolTip(self.tr("A generated shape at the model's input size, or an image you opened (drop one on the page)"))
        self.image_combo.activated.connect(lambda i: self._set(self.tr("Choose image"), image=self.image_combo.itemData(i)))
        self.open_image = QPushButton(self.tr("Open image…"))
        self.open_image.setToolTip(self.tr("Open a PNG, JPEG, BMP or WebP image: it is centre-cropped and resized to the model's input size"))
        self.open_image.clicked.connect(self.choose_image)
        self.model_combo = QComboBox()
        self.model_combo.setToolTip(self.tr("The ViT whose attention is shown: the bundled one, or a checkpoint opened on the Checkpoints page"))
        self.model_combo.activated.connect(lambda i: self._set(self.tr("Choose model"), model=self.model_combo.itemData(i)))
        self.transform_label = QLabel("")
        self.transform_label.setWordWrap(True)
        self.transform_label.setFixedHeight(2 * self.transform_label.fontMetrics().lineSpacing() + 2)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Image:")))
        top.addWidget(self.image_combo)
        top.addWidget(self.open_image)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("Model:")))
        top.addWidget(self.model_combo, 1)

        self.overlay = ImageOverlay()
        self.overlay.patchClicked.connect(lambda index: self._set(self.tr("Choose patch"), patch=index, map_kind="patch"))
        self.kind_buttons = QButtonGroup(self)
        kinds = QHBoxLayout()
        for index, (kind, label) in enumerate(MAP_KINDS.items()):
            button = QRadioButton(self.tr(label))
            button.setToolTip(self.tr(MAP_TIPS[kind]))
            self.kind_buttons.addButton(button, index)
            kinds.addWidget(button)
        self.kind_buttons.idClicked.connect(lambda i: self._set(self.tr("Choose map"), map_kind=list(MAP_KINDS)[i]))
        self.layer_spin = QSpinBox()
        self.layer_spin.setPrefix(self.tr("layer "))
        self.layer_spin.setToolTip(self.tr("The encoder layer whose attention the patch and CLS maps show (1 = nearest the input)"))
        self.layer_spin.valueChanged.connect(lambda v: self._set(self.tr("Choose layer"), layer=v - 1))
        self.head_combo = QComboBox()
        self.head_combo.setToolTip(self.tr("One head's attention, or the mean of the layer's heads"))
        self.head_combo.activated.connect(lambda i: self._set(self.tr("Choose head"), head=self.head_combo.itemData(i)))
        self.fusion_combo = QComboBox()
        for fusion in FUSIONS:
            self.fusion_combo.addItem(self.tr(FUSION_NAMES.get(fusion, fusion)), fusion)
        self.fusion_combo.setToolTip(self.tr("How the rollout fuses the heads of a layer"))
        self.fusion_combo.activated.connect(lambda i: self._set(self.tr("Choose fusion"), fusion=self.fusion_combo.itemData(i)))
        self.discard_spin = QDoubleSpinBox()
        self.discard_spin.setRange(0.0, 0.95)
        self.discard_spin.setSingleStep(0.05)
        self.discard_spin.setPrefix(self.tr("discard "))
        self.discard_spin.setToolTip(self.tr("The fraction of the weakest attention links the rollout drops in each layer"))
        self.discard_spin.setKeyboardTracking(False)
        self.discard_spin.valueChanged.connect(lambda v: self._set(self.tr("Change discard ratio"), discard=round(float(v), 2)))
        self.target_combo = QComboBox()
        self.target_combo.setToolTip(self.tr("The class whose score the gradient rollout explains"))
        self.target_combo.activated.connect(lambda i: self._set(self.tr("Choose class"), target=self.target_combo.itemData(i)))
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self.opacity_slider.setRange(0, 100)
        self.opacity_slider.setToolTip(self.tr("Overlay opacity: how strongly the map covers the image"))
        self.opacity_slider.valueChanged.connect(lambda v: self._set(self.tr("Change opacity"), opacity=v / 100.0, merge_key="opacity"))
        controls = QHBoxLayout()
        for widget in (self.layer_spin, self.head_combo, self.fusion_combo, self.discard_spin, self.target_combo):
            controls.addWidget(widget)
        opacity_row = QHBoxLayout()
        opacity_row.addWidget(QLabel(self.tr("opacity")))
        opacity_row.addWidget(self.opacity_slider, 1)
        self.map_label = QLabel("")
        self.map_label.setWordWrap(True)
        self.map_label.setFixedHeight(2 * self.map_label.fontMetrics().lineSpacing() + 2)  # new text, no relayout
        self.map_label.setToolTip(self.tr("The map laid over the image: which attention, from which layer and head"))
        self.transform_label.setToolTip(self.tr("How the image was made into the model's input"))
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
        self.prediction = BarChart(self.tr("prediction: top classes"), value_name="p", levels=(0.0, 1.15), color=style.VALUE)
        self.prediction.setToolTip(self.tr("Probability p of each class (the softmax of the logits), the {0} most probable; click a bar for its value").format(TOP_K))
        self.tabs.addTab(self.prediction, self.tr("Prediction"))
        self.mosaic = Heatmap(self.tr("every layer × head (rows: layers, columns: heads)"), row_name=self.tr("layer"), col_name=self.tr("head"), value_name="a")
        self.mosaic.describe_cell = self._describe_mosaic_cell
        self.mosaic.cellClicked.connect(self._on_mosaic_clicked)
        self.mosaic.setToolTip(self.tr("Each tile is one head's attention weights a (the clicked patch's row or the CLS row) over the patch grid, scaled to its maximum; click a tile to choose its layer and head"))
        self.tabs.addTab(self.mosaic, self.tr("Layers × heads"))
        self.tabs.addTab(self._build_experiment_tab(), self.tr("ViT vs CNN"))
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
        self.curves = pg.PlotWidget(title=self.tr("test accuracy against training-set size"))
        self.curves.setToolTip(
            self.tr("Accuracy on held-out images of the ViT (red circles) and the CNN (blue squares), each trained on that many images (log scale)")
        )
        plot = self.curves.getPlotItem()
        plot.setLogMode(x=True, y=False)
        plot.setLabel("bottom", self.tr("training images"))
        plot.setLabel("left", self.tr("test accuracy"))
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setYRange(0, 1.02)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        self.vit_curve = plot.plot([], [], pen=pg.mkPen(style.QUERY, width=2.5), symbol="o", symbolBrush=style.QUERY)
        self.cnn_curve = plot.plot([], [], pen=pg.mkPen(style.INPUT, width=2.5), symbol="s", symbolBrush=style.INPUT)
        self.experiment_note = QLabel("")
        self.experiment_note.setWordWrap(True)
        self.experiment_note.setToolTip(self.tr("What the curves measure, and how far apart the two models are at the smallest and largest training set"))
        self.rerun = QPushButton(self.tr("Recompute (a few minutes)"))
        self.rerun.setToolTip(self.tr("Train both models again on 100 to 3,000 images (a short step budget) and redraw the curves as points arrive"))
        self.rerun.clicked.connect(self.recompute_experiment)
        self.experiment_progress = QProgressBar()
        self.experiment_progress.setRange(0, 1000)
        self.experiment_progress.hide()
        self.cancel_experiment = QPushButton(self.tr("Cancel"))
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
        self._set(self.tr("Open model"), model=source, layer=-1, head=-1, patch=-1, target=-1, map_kind=kind)

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open image"), str(pathlib.Path.home()), self.tr("Images ({0})").format("*.png *.jpg *.jpeg *.bmp *.webp"))
        if path:
            self.open_image_file(path)

    def open_image_file(self, path: str) -> None:
        try:
            images.read_rgb(path)  # fail here, at the field, before the state changes
        except ValueError as exc:
            self._show_message(self.tr("{0} — keeping the current image.").format(exc))
            return
        self._set(self.tr("Open image"), image=str(path))

    def open_dropped(self, path: str) -> None:
        self.open_image_file(path)

    def _prepare_image(self, state: VitState, model: ViTModel) -> None:
        size = model.config.image_size
        key = (state.image, size)
        if key == self.image_key:
            return
        if state.image.startswith("sample:"):
            kind = state.image.split(":", 1)[1]
            self.image = sample_image(kind, size)
            self.transform_text = self.tr("a generated {0} at {1}×{1} px, the model's input size").format(shape_name(kind), size)
        else:
            prepared = images.load(state.image, size)
            self.image = prepared.image
            self.transform_text = f"{pathlib.Path(state.image).name}: {prepared.transform}"
        self.image_key = key

    # ---- edits ------------------------------------------------------------------------------------------------
    def _on_mosaic_clicked(self, row: int, col: int) -> None:
        if self.model is None:
            return
        grid = self.model.config.grid
        self._set(self.tr("Choose layer and head"), layer=row // grid, head=col // grid)

    def _describe_mosaic_cell(self, row: int, col: int) -> str:
        if self.model is None or row < 0:
            return self.tr("hover a tile: its layer, head and value; click it to show it on the image")
        grid = self.model.config.grid
        value = float(self.mosaic.values[row, col])
        return self.tr("layer {0}, head {1}, patch ({2}, {3}): a = {4}").format(row // grid + 1, col // grid + 1, row % grid, col % grid, f"{value:.4g}")

    # ---- state → views ----------------------------------------------------------------------------------------
    def _on_state_changed(self, state: VitState) -> None:
        start = time.perf_counter()
        model = self.models.get(state.model)
        if model is None:
            self._show_message(self.tr("The model {0} is not open: open it on the Checkpoints page.").format(state.model))
            return
        try:
            self._prepare_image(state, model)
            view = compute_view(model, self.image, state, gradient_cache=self._gradients, class_names=class_labels(model, state.model))
        except (ValueError, OSError, RuntimeError) as exc:
            self._show_message(self.tr("{0} — keeping the last map.").format(exc))
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
                self.model_combo.addItem(self.tr(BUNDLED_NAME) if source == BUNDLED and name == BUNDLED_NAME else name, source)
        self.model_combo.setCurrentIndex(self.model_combo.findData(state.model))
        if self._listed_for is not self.model:
            self._listed_for = self.model
            self.layer_spin.setRange(1, config.depth)
            self.head_combo.clear()
            self.head_combo.addItem(heads_text(-1), -1)
            for h in range(config.heads):
                self.head_combo.addItem(heads_text(h), h)
            self.target_combo.clear()
            self.target_combo.addItem(self.tr("predicted class"), -1)
            for index, name in enumerate(class_labels(self.model, state.model)):
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
        self.map_label.setText(self.tr("Showing {0}.").format(view.describe))
        self.transform_label.setText(self.tr("Input: {0}.").format(self.transform_text))
        config = self.model.config
        self.overlay.setToolTip(
            self.tr(
                "The image cut into a {0}×{0} grid of {1}×{1}-pixel patches, each one token; the colour over a patch is the "
                "map's value there, scaled to the map's maximum. Click a patch to see where it looks."
            ).format(config.grid, config.patch_size)
        )
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
                self.prediction.set_title(self.tr("this checkpoint has no classification head"))
            else:
                probabilities = to_numpy(view.probabilities)
                order = np.argsort(-probabilities)[:TOP_K]
                labels = class_labels(self.model, self.store.state.model)
                names = [labels[i] if i < len(labels) else str(i) for i in order]
                self.prediction.set_title(self.tr("prediction: {0} ({1})").format(names[0], f"{probabilities[order[0]]:.1%}"))
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
        if source:
            self.mosaic.set_title(self.tr("every layer × head: the clicked patch's row (each tile scaled to its maximum)"))
        else:
            self.mosaic.set_title(self.tr("every layer × head: the CLS row (each tile scaled to its maximum)"))

    # ---- ViT vs CNN -------------------------------------------------------------------------------------------
    def _load_curves(self) -> None:
        try:
            curves = json.loads(resources.path("vit", "vit_vs_cnn.json").read_text())
        except (FileNotFoundError, ValueError):
            self.experiment_note.setText(self.tr("No bundled curves: press Recompute."))
            return
        self._show_curves(curves)

    def _show_curves(self, curves: dict) -> None:
        self.curves_data = curves
        sizes = np.array(curves["sizes"][: len(curves["vit"])], float)
        self.vit_curve.setData(sizes, np.array(curves["vit"], float))
        # one label at each measured size (log axis: tick positions are log10 of the count); pyqtgraph's own minor
        # labels run into each other between decades
        self.curves.getPlotItem().getAxis("bottom").setTicks([[(math.log10(n), f"{n:,}") for n in curves["sizes"]], []])
        self.cnn_curve.setData(np.array(curves["sizes"][: len(curves["cnn"])], float), np.array(curves["cnn"], float))
        if curves["vit"] and curves["cnn"]:
            small, large = 0, min(len(curves["vit"]), len(curves["cnn"])) - 1
            self.experiment_note.setText(
                self.tr(
                    "<span style='color:#d62728'>● ViT</span> ({0} steps) vs <span style='color:#1f77b4'>■ CNN</span> ({1} steps) on the same "
                    "images: with {2} images the CNN reaches {3:.0%} and the ViT {4:.0%}; with {5} images {6:.0%} and {7:.0%}. A convolution's "
                    "locality and weight sharing are built in; a ViT must learn them from data — and it keeps learning long after the CNN "
                    "has stopped (the bundled ViT took 8,000 steps on 30,000 images)."
                ).format(
                    curves.get("steps", "?"), curves.get("cnn_steps", curves.get("steps", "?")), curves["sizes"][small], curves["cnn"][small],
                    curves["vit"][small], curves["sizes"][large], curves["cnn"][large], curves["vit"][large],
                )
            )

    def recompute_experiment(self) -> None:
        from core.vision_training import vit_vs_cnn_reporting

        if self.experiment_job is not None and self.experiment_job.running:
            return
        partial = {"sizes": [100, 300, 1000, 3000], "vit": [], "cnn": [], "steps": 300, "cnn_steps": 100}

        def on_point(fraction: float, text: str, payload) -> None:
            self.experiment_progress.setValue(int(1000 * fraction))
            self.experiment_progress.setFormat(f"{text[:70]}  %p%")
            if payload and "kind" in payload:
                partial[payload["kind"]].append(payload["accuracy"])
                self._show_curves(dict(partial))

        # trained in a process: a thread would share the interpreter lock with the GUI thread and stall it
        self.experiment_job = ProcessJob(vit_vs_cnn_reporting, partial["sizes"], partial["steps"], partial["cnn_steps"], 500, parent=self)
        self.experiment_job.progressed.connect(on_point)
        self.experiment_job.succeeded.connect(self._show_curves)
        self.experiment_job.cancelled.connect(lambda: self.experiment_note.setText(self.tr("Cancelled: the curves show the points measured so far.")))
        self.experiment_job.failed.connect(lambda message: self.experiment_note.setText(self.tr("The experiment failed: {0}").format(message)))
        self.experiment_job.finished.connect(lambda: (self.experiment_progress.hide(), self.cancel_experiment.hide(), self.rerun.setEnabled(True)))
        self.experiment_progress.show()
        self.cancel_experiment.show()
        self.rerun.setEnabled(False)
        self.experiment_job.start()

    def background_jobs(self) -> list:
        return [self.experiment_job]

    def export_data(self) -> ViewData:
        view = self.view_data
        arrays = {"map": to_numpy(view.grid_map), "image": to_numpy(self.image.permute(1, 2, 0)).reshape(self.image.shape[1], -1), "attentions": to_numpy(view.trace.attentions[0]).reshape(-1, view.trace.attentions.shape[-1])}
        if view.probabilities is not None:
            arrays["probabilities"] = to_numpy(view.probabilities)
        return ViewData(arrays, {}, {"probabilities": list(self.model.class_names)} if view.probabilities is not None else {})
