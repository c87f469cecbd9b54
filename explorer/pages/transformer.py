"""The Transformer (notes §6), page id ``transformer``.

Follow your token sequence through a block stage by stage — input, self-attention, + residual, LayerNorm, MLP,
+ residual, LayerNorm (or the pre-norm order) — each a tokens × dims heatmap with per-token norms; edit one token
and see which cells of which stages change (only self-attention mixes tokens). Compare LayerNorm with BatchNorm
on the same sample in different batches; measure an RNN, a 1-D convolution and self-attention against N; and see
what pretraining buys a finetuned model with few examples.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import positional, resources
from core import tokens as token_core
from core.arrays import to_numpy
from core.normalization import NormStudy, compare_norms
from core.sequence_models import LENGTHS, WAYS, Measurement, measure, path_length, sequential_steps
from core.sequence_tasks import BOS, get_task, load_classifier
from core.transfer import TransferConfig, TransferCurves, run_transfer
from core.transformer import STAGE_LABELS, TransformerConfig, TransformerTrace, init_params, transformer_forward
from explorer import runtime
from explorer.i18n import QT_TRANSLATE_NOOP, core_text
from explorer.pages.base import Page, ViewData
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.items import nice_step
from explorer.widgets.table import TextTable
from explorer.widgets.token_input import TokenInput
from explorer.workers import Job

MAX_TOKENS = 256
MODELS = {"random": QT_TRANSLATE_NOOP("TransformerPage", "random weights (seeded)"), "counting": QT_TRANSLATE_NOOP("TransformerPage", "counting encoder (trained)")}
POSITIONAL_KINDS = ("none", "sinusoidal", "learned")  # RoPE acts inside attention, which this block keeps plain
COUNTING_EXAMPLE = ("hello world", "chars")
TAB_STAGES, TAB_NORMS, TAB_WAYS, TAB_TRANSFER = range(4)
CHANGE_TOLERANCE = 1e-6  # relative to the stage's largest |value|: float32 noise is ~1e-7
WAY_PENS = {
    "rnn": pg.mkPen(style.VALUE, width=2),
    "conv": pg.mkPen(style.KEY, width=2),
    "attention": pg.mkPen(style.QUERY, width=2),
    "attention_fused": pg.mkPen(style.QUERY, width=2, style=Qt.PenStyle.DashLine),
}
CIRCLED = "①②③④⑤⑥⑦"
TITLE_SIZE = "9pt"
STAGE_HINT = QT_TRANSLATE_NOOP("TransformerPage", "Hover a cell for its stage, token, dim and value; click a row to outline it in every stage.")
# The strip's overlay, by class: 0 clear, 1 the gap's background, 2 a token's norm ‖x_t‖, 3 the norm of a row the
# last edit changed (orange: on no colormap of the page), 4 a cell the last edit left unchanged (washed out).
CLEAR, GAP, BAR, CHANGED_BAR, UNCHANGED = range(5)
OVERLAY_LUT = np.array([(0, 0, 0, 0), (244, 244, 244, 255), (80, 80, 80, 255), (255, 127, 14, 255), (255, 255, 255, 185)], np.uint8)


def premultiplied_argb(rgba: np.ndarray) -> np.ndarray:
    """(..., 4) uint8 RGBA → (...) uint32 pixels of QImage.Format_ARGB32_Premultiplied (0xAARRGGBB)."""
    alpha = rgba[..., 3].astype(np.uint32)
    r, g, b = ((rgba[..., i].astype(np.uint32) * alpha + 127) // 255 for i in range(3))
    return (alpha << 24) | (r << 16) | (g << 8) | b


OVERLAY_PIXELS = premultiplied_argb(OVERLAY_LUT)


class ArgbImage(pg.GraphicsObject):
    """A picture drawn as given: (h, w) uint32 premultiplied ARGB pixels stretched over ``rect`` (data coordinates).

    pg.ImageItem hands Qt an Indexed8 image, which the raster engine converts pixel by pixel on every paint
    (~1.7 ms for the strip at 1000 × 300 pixels); ARGB32_Premultiplied takes its scaling fast path (~0.3 ms)."""

    def __init__(self) -> None:
        super().__init__()
        self._qimage: QImage | None = None
        self._rect = QRectF()

    def set_pixels(self, pixels: np.ndarray, rect: QRectF) -> None:
        self._qimage = pg.functions.ndarray_to_qimage(np.ascontiguousarray(pixels, np.uint32), QImage.Format.Format_ARGB32_Premultiplied)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self._rect)

    def paint(self, painter, *args) -> None:
        if self._qimage is not None:
            painter.drawImage(self._rect, self._qimage)


@dataclass(frozen=True)
class TransformerState:
    """Everything the user set on this page (plain data: it can be compared, undone and saved)."""

    text: str = "the cat sat on the mat ."
    mode: str = "words"
    model: str = "random"  # a key of MODELS
    dim: int = 64  # D
    heads: int = 4  # H
    blocks: int = 2
    mlp_ratio: int = 4  # the MLP's hidden size is mlp_ratio · D
    norm_first: bool = False  # post-norm (the notes) or pre-norm
    positional: str = "sinusoidal"
    seed: int = 0
    block: int = 0  # the block the stage view shows

    def config(self) -> TransformerConfig:
        return TransformerConfig(self.dim, self.heads, self.mlp_ratio * self.dim, self.blocks, self.norm_first)


@dataclass(frozen=True)
class PageTrace:
    """What the views show: the rows' labels, the stack's trace, the counting model's answers."""

    tokens: tuple[str, ...]  # one per row (the counting model adds <s> first)
    model_key: tuple  # equal keys = same weights and pipeline, so two traces can be compared cell by cell
    trace: TransformerTrace  # unbatched: every stage (N, D) of blocks 0…state.block (later ones are not computed)
    stages: np.ndarray  # (blocks computed, 7, N, D) float32, the stages of every computed block in flow order
    predictions: tuple[str, ...] | None  # the counting model's answer per row (None for <s>)


@lru_cache(maxsize=8)
def _random_params(config: TransformerConfig, seed: int, device: str) -> dict[str, torch.Tensor]:
    return init_params(config, seed=seed, device=device)


@lru_cache(maxsize=8)
def _positions(kind: str, n: int, dim: int, seed: int, device: str) -> torch.Tensor | None:
    """The (N, D) positional table (the same for every edit that keeps the number of tokens)."""
    return positional.encoding_table(kind, n, dim, seed=seed, device=device)


@lru_cache(maxsize=1)
def bundled_encoder():
    """The counting encoder in resources/transformer/ (small: loaded on the GUI thread in a few ms)."""
    return load_classifier(resources.path("transformer"))


def bundled_transfer() -> TransferCurves:
    return TransferCurves.from_dict(json.loads(resources.path("transformer", "transfer.json").read_text(encoding="utf-8")))


def validate(state: TransformerState) -> list[str]:
    """The state's tokens, or ValueError saying what cannot run (cheap: nothing is computed)."""
    tokens = token_core.tokenize(state.text, state.mode)
    token_core.validate(tokens, max_tokens=MAX_TOKENS)
    if state.model == "counting":
        bundled_encoder()[0].encode(tokens)
        return tokens
    if state.model not in MODELS:
        raise ValueError(f"unknown model {state.model!r}")
    if state.positional not in POSITIONAL_KINDS:
        raise ValueError(f"unknown positional encoding {state.positional!r}; choose one of {', '.join(POSITIONAL_KINDS)}")
    if not token_core.MIN_DIM <= state.dim <= token_core.MAX_DIM:
        raise ValueError(f"D must be between {token_core.MIN_DIM} and {token_core.MAX_DIM}")
    state.config()
    if not 0 <= state.block < state.blocks:
        raise ValueError(f"there is no block {state.block + 1} in a stack of {state.blocks}")
    return tokens


def compute(state: TransformerState, *, device: str = "cpu") -> PageTrace:
    """The page's one call into the core: the stack on the state's tokens. ValueError for what cannot run."""
    tokens = validate(state)
    with torch.no_grad():
        if state.model == "counting":
            model, _ = bundled_encoder()
            ids = model.encode(tokens)
            trace = model.trace(ids)
            task = get_task(model.config.task)
            classes = model.head(trace.output).argmax(-1).tolist()
            rows = (BOS, *tokens)
            predictions = (None, *(task.class_name(k) for k in classes[1:]))
            key: tuple = ("counting",)
        else:
            config = state.config()
            x = token_core.embed(tokens, state.dim, seed=state.seed, device=device)
            table = _positions(state.positional, len(tokens), state.dim, state.seed, device)
            if table is not None:
                x = x + table
            with torch.inference_mode():  # its tensors are only ever read: no autograd bookkeeping (~10% of the forward)
                # The page shows one block: blocks after it are not computed (half the forward at the default block 0 of 2).
                trace = transformer_forward(x, _random_params(config, state.seed, device), config, blocks=state.block + 1)
            rows, predictions, key = tuple(tokens), None, ("random", config, state.seed, state.positional)
        stages = torch.stack([t for block in trace.blocks for _, t in block.stages]).unflatten(0, (len(trace.blocks), -1))  # (blocks, 7, N, D)
    return PageTrace(rows, key, trace, to_numpy(stages), predictions)


def changed_cells(before: PageTrace, after: PageTrace) -> np.ndarray | None:
    """(blocks, 7, N, D) bool: the cells an edit changed, or None when the two traces are not comparable
    (another model, another number of tokens, or nothing but the view changed)."""
    if before.model_key != after.model_key or before.stages.shape != after.stages.shape or before.tokens == after.tokens:
        return None
    scale = np.abs(before.stages).max(axis=(2, 3), keepdims=True)  # (blocks, 7, 1, 1)
    return np.abs(after.stages - before.stages) > CHANGE_TOLERANCE * np.maximum(scale, 1.0)


def _high_value(stages: np.ndarray) -> float:
    """About the 99.5th percentile of |x| over a sample of the cells (every 7th), by one partial sort."""
    sample = np.abs(stages.ravel()[::7])
    k = min(sample.size - 1, int(0.995 * (sample.size - 1)))
    return float(np.partition(sample, k)[k]) if sample.size else 0.0


def _nice_bound(value: float) -> float:
    """A round upper bound ≥ value, so colour scales and axes stay put while values move inside them."""
    if not value > 0:
        return 1.0
    step = nice_step(value, 4)
    return math.ceil(value / step) * step


def fit_token_axis(heatmap: Heatmap, labels: Sequence[str], axis: str = "left") -> None:
    """Give a token axis a fixed size that fits its labels, changed only in 24-px steps: an axis that sizes
    itself re-lays-out its plot, and the layout request climbs to the window, on every token edit."""
    item = heatmap.plot.getAxis(axis)
    font = item.style.get("tickFont") or heatmap.font()
    metrics = QFontMetrics(font)
    if axis == "left":
        size = 24 * math.ceil((_longest(metrics, (font.family(), font.pointSizeF()), labels) + 14) / 24)
        if item.width() != size or item.fixedWidth is None:
            item.setWidth(size)
    else:
        size = 24 * math.ceil((metrics.height() + 12) / 24)
        if item.fixedHeight != size:
            item.setHeight(size)


_WIDTHS: dict[tuple[str, float], dict[str, int]] = {}  # font → label → width in pixels
_LONGEST: dict[tuple[str, float], tuple[tuple[str, ...], int]] = {}  # font → the labels measured last, their longest


def _longest(metrics: QFontMetrics, font_key: tuple[str, float], labels: Sequence[str]) -> int:
    labels = tuple(labels)
    last = _LONGEST.get(font_key)
    if last is not None and last[0] == labels:  # the stage strip and the attention map have the same rows
        return last[1]
    widths = _WIDTHS.setdefault(font_key, {})
    for label in labels:
        if label not in widths:
            widths[label] = metrics.horizontalAdvance(label)
    longest = max((widths[label] for label in labels), default=0)
    _LONGEST[font_key] = (labels, longest)
    return longest


def set_title(plot: pg.PlotItem, title: str) -> None:
    """A small title, set only when it changes (setting one re-lays-out the plot, even to the same text)."""
    if plot.titleLabel.text != title or not plot.titleLabel.isVisible():
        plot.setTitle(title, size=TITLE_SIZE)


class StageStrip:
    """The seven stages of a block side by side in one heatmap (tokens × [D dims | gap] × 7, one colour scale),
    each followed by a bar per token of its norm ‖x_t‖ drawn in the gap. One view instead of seven keeps a token
    edit's repaint cheap, and rows line up across the stages by construction. The bars and the washed-out cells
    that an edit left unchanged are one overlay image of classes (``OVERLAY_LUT``) at ``RESOLUTION`` pixels per
    column, filled by numpy, not hundreds of items."""

    RESOLUTION = 2

    def __init__(self) -> None:
        self.heatmap = Heatmap("", levels=None, colormap=style.DIVERGING, row_name="token", col_name="dim", value_name="value")
        self.heatmap.readout.hide()  # the page's readout names the stage and the dim
        self.overlay = ArgbImage()
        self.overlay.setZValue(4)
        self.pixels = np.zeros((0, 0), np.uint32)  # (N, 7·width·r) what the overlay shows
        self.heatmap.plot.addItem(self.overlay)
        self.values = np.zeros((7, 0, 0), np.float32)  # (7, N, D)
        self.row_norms = np.zeros((7, 0), np.float32)  # (7, N)
        self.changed: np.ndarray | None = None  # (7, N, D) bool
        self._layout: tuple[int, int, tuple[str, ...]] | None = None
        self._cols: list[str] = []

    def gap(self, dims: int) -> int:
        return max(6, dims // 4)

    def locate(self, col: int) -> tuple[int, int]:
        """Image column → (stage, dim); dim ≥ D means the stage's norm bars."""
        dims = self.values.shape[2]
        return divmod(col, dims + self.gap(dims))

    def set_block(
        self, title: str, labels: list[str], values: np.ndarray, row_norms: np.ndarray, rows: list[str], levels: tuple[float, float], norm_max: float,
        changed: np.ndarray | None,
    ) -> None:
        """``values`` (7, N, D) in flow order, ``row_norms`` (7, N) their ‖x_t‖, ``labels`` the seven stage names,
        ``changed`` (7, N, D) or None."""
        stages, n, dims = values.shape
        gap = self.gap(dims)
        width = dims + gap
        if self._layout != (n, dims, tuple(labels)):
            self._layout = (n, dims, tuple(labels))
            cols = [""] * (stages * width)
            for k, label in enumerate(labels):
                cols[k * width + dims // 2] = f"{CIRCLED[k]} {label}"
            self._cols = cols
        image = np.empty((n, stages, width), np.float32)
        image[:, :, :dims] = values.transpose(1, 0, 2)  # (N, 7, D)
        image[:, :, dims:] = 0.0  # the gaps (the overlay's bars cover them)
        self.values, self.changed = values, changed
        set_title(self.heatmap.plot, title)
        self.heatmap.set_data(image.reshape(n, stages * width), rows, self._cols, levels=levels)
        self.row_norms = row_norms
        self.pixels = self._overlay(norm_max, gap, dims, width)
        self.overlay.set_pixels(self.pixels, QRectF(-0.5, -0.5, stages * width, n))

    def _overlay(self, norm_max: float, gap: int, dims: int, width: int) -> np.ndarray:
        """(N, 7·width·r) the overlay's pixels (premultiplied ARGB of ``OVERLAY_LUT``'s classes), written in place:
        one pass over the picture instead of classes first and colours after."""
        r = self.RESOLUTION
        stages, n = self.row_norms.shape
        pixels = np.empty((n, stages, width, r), np.uint32)
        cells = pixels[:, :, :dims]  # (N, 7, D, r)
        bars = pixels.reshape(n, stages, width * r)[:, :, dims * r:]  # (N, 7, gap·r)
        if self.changed is None:
            cells[...] = OVERLAY_PIXELS[CLEAR]
            bar = OVERLAY_PIXELS[BAR]
        else:
            changed = self.changed.transpose(1, 0, 2)  # (N, 7, D)
            wash = np.where(changed, OVERLAY_PIXELS[CLEAR], OVERLAY_PIXELS[UNCHANGED])  # (N, 7, D)
            for k in range(r):  # one copy per sub-pixel: broadcasting into the short last axis is ~8x slower
                cells[..., k] = wash
            bar = np.where(changed.any(axis=2), OVERLAY_PIXELS[CHANGED_BAR], OVERLAY_PIXELS[BAR])[:, :, None]  # (N, 7, 1)
        sub = np.arange(gap * r)  # sub-pixels of one gap
        length = self.row_norms.T / max(norm_max, 1e-12) * ((gap - 1) * r)  # (N, 7)
        in_bar = (sub >= r // 2) & (sub < r // 2 + length[:, :, None])  # (N, 7, gap·r), half a column of margin
        np.copyto(bars, np.where(in_bar, bar, OVERLAY_PIXELS[GAP]))
        return pixels.reshape(n, stages * width * r)

    def shown_classes(self) -> np.ndarray:
        """(N, 7, width·r) what the overlay shows, as ``OVERLAY_LUT`` classes (read back from its pixels), for tests
        and tours."""
        n = self.values.shape[1]
        classes = (self.pixels[..., None] == OVERLAY_PIXELS).argmax(axis=-1).astype(np.uint8)
        return classes.reshape(n, self.values.shape[0], -1)

    def changed_rows(self, stage: int) -> list[int]:
        """Rows whose cells in ``stage`` the last edit changed (what the unfaded cells show)."""
        if self.changed is None:
            return []
        return [int(i) for i in np.flatnonzero(self.changed[stage].any(axis=1))]


class TransformerPage(Page):
    page_id = "transformer"
    title = "The Transformer"

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.store = StateStore(TransformerState(), undo_stack, self)
        self.page_trace: PageTrace | None = None
        self.changes: np.ndarray | None = None  # (blocks, 7, N, D) bool, from the last token edit
        self._stage_bound: float | None = None  # the stage view's colour bound (see _steady_bound)
        self._trace_state: TransformerState | None = None  # the state page_trace was computed for
        self._edit_base: TransformerState | None = None  # the state before the last token edit (what changes compare with)
        self.edited_rows: list[int] = []
        self.norm_study: NormStudy | None = None
        self.three_ways: dict[str, list[Measurement]] = {}
        self.transfer: TransferCurves | None = None
        self.transfer_live: dict[tuple[str, int], list[tuple[int, float]]] = {}
        self.measure_job: Job | None = None
        self.transfer_job: Job | None = None
        self._norms_for: PageTrace | None = None
        self._counting_error = ""
        try:
            bundled_encoder()
        except (OSError, ValueError) as exc:
            self._counting_error = str(exc)
        self._build()
        self.store.stateChanged.connect(self._on_state_changed)
        self._on_state_changed(self.store.state)
        self._load_bundled_transfer()
        QApplication.instance().aboutToQuit.connect(self.stop_jobs)

    def background_jobs(self) -> list:
        return [self.measure_job, self.transfer_job]

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("The Transformer (§6)"),
            self.tr(
                "A Transformer block: multi-head self-attention → + residual → LayerNorm → MLP → + residual → LayerNorm; a "
                "Transformer is a stack of such blocks. <b>Self-attention is the only place tokens interact</b>: the MLP and "
                "LayerNorm work on each token alone. <i>Edit one token and watch which cells change.</i>"
            ),
            "x′ = LayerNorm(x + MultiHead(x)) &nbsp;&nbsp; y = LayerNorm(x′ + MLP(x′)) &nbsp;&nbsp; "
            "MLP(x) = W<sub>2</sub> ReLU(W<sub>1</sub>x + b<sub>1</sub>) + b<sub>2</sub>",
        )

        self.token_input = TokenInput(max_tokens=MAX_TOKENS)
        self.token_input.validator = self._validate_tokens
        self.token_input.sequenceEdited.connect(self._on_sequence_edited)
        self.model_combo = QComboBox()
        for key, label in MODELS.items():
            self.model_combo.addItem(self.tr(label), key)
        if self._counting_error:
            item = self.model_combo.model().item(self.model_combo.findData("counting"))
            item.setEnabled(False)
            item.setToolTip(self._counting_error)
        self.model_combo.setToolTip(self.tr("Random seeded weights with the shape you choose, or the encoder trained to count letters"))
        self.model_combo.currentIndexChanged.connect(self._on_model_chosen)
        row1 = QHBoxLayout()
        row1.addWidget(self.token_input, 1)
        row1.addWidget(QLabel(self.tr("Model:")))
        row1.addWidget(self.model_combo)

        def spin(prefix: str, low: int, high: int, step: int = 1, tip: str = "") -> QSpinBox:
            box = QSpinBox()
            box.setRange(low, high)
            box.setSingleStep(step)
            box.setPrefix(prefix)
            box.setToolTip(tip)
            box.setKeyboardTracking(False)
            box.valueChanged.connect(self._on_shape_edited)
            return box

        self.dim_spin = spin("D = ", 4, 256, 4, self.tr("size of every token vector"))
        self.heads_spin = spin("H = ", 1, 16, 1, self.tr("attention heads (D must be divisible by H)"))
        self.blocks_spin = spin(self.tr("blocks "), 1, 6, 1, self.tr("how many blocks the stack has"))
        self.mlp_spin = spin("MLP ", 1, 8, 1, self.tr("the MLP's hidden size, in multiples of D"))
        self.mlp_spin.setSuffix("·D")
        self.post_norm = QRadioButton(self.tr("post-norm"))
        self.pre_norm = QRadioButton(self.tr("pre-norm"))
        self.post_norm.setToolTip(self.tr("LayerNorm after each residual (the notes, Vaswani et al. 2017)"))
        self.pre_norm.setToolTip(self.tr("LayerNorm before each sublayer; the residual stream is never normalised (GPT-2, ViT)"))
        self.pre_norm.toggled.connect(lambda on: self._set(self.tr("Switch pre/post-norm"), norm_first=bool(on)))
        self.positional_combo = QComboBox()
        for kind in POSITIONAL_KINDS:
            self.positional_combo.addItem(self.tr("positions: {0}").format(kind), kind)
        self.positional_combo.setToolTip(self.tr("The positional encoding added to the token vectors before the first block"))
        self.positional_combo.currentIndexChanged.connect(lambda i: self._set(self.tr("Choose positional encoding"), positional=self.positional_combo.itemData(i)))
        self.reroll_button = QPushButton(self.tr("Re-roll"))
        self.reroll_button.setToolTip(self.tr("New seeded random weights and embeddings"))
        self.reroll_button.clicked.connect(lambda: self._set(self.tr("Re-roll weights"), seed=self.store.state.seed + 1))
        self.block_combo = QComboBox()
        self.block_combo.setToolTip(self.tr("Which block of the stack the stages show"))
        self.block_combo.currentIndexChanged.connect(lambda i: i >= 0 and self._set(self.tr("Choose block"), block=i))
        row2 = QHBoxLayout()
        for widget in (self.dim_spin, self.heads_spin, self.blocks_spin, self.mlp_spin, self.post_norm, self.pre_norm, self.positional_combo, self.reroll_button):
            row2.addWidget(widget)
        row2.addStretch(1)
        row2.addWidget(QLabel(self.tr("Show:")))
        row2.addWidget(self.block_combo)
        self.message = QLabel("")
        self.message.setStyleSheet(style.ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_stages_tab(), self.tr("Block stages"))
        self.tabs.addTab(self._build_norms_tab(), self.tr("LayerNorm vs BatchNorm"))
        self.tabs.addTab(self._build_ways_tab(), self.tr("Three ways to process sequences"))
        self.tabs.addTab(self._build_transfer_tab(), self.tr("Transfer learning"))
        self.tabs.currentChanged.connect(lambda _: self._refresh_tab())

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

    def _build_stages_tab(self) -> QWidget:
        self.strip = StageStrip()
        self.strip.heatmap.cellHovered.connect(self._on_stage_hovered)
        self.strip.heatmap.cellClicked.connect(lambda row, col: self.strip.heatmap.set_highlight(row=row))
        self.strip.heatmap.setToolTip(self.tr("The seven stages of the block, tokens × dimensions, on one colour scale; the bar after each stage is ‖x‖ of every token"))
        self.stage_readout = QLabel(self.tr(STAGE_HINT))
        self.stage_readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attention_map = Heatmap("", levels=(0.0, 1.0), row_name="query", col_name="key", value_name="a")
        set_title(self.attention_map.plot, self.tr("attention weights (mean of heads)"))
        self.attention_map.setToolTip(self.tr("a_ij averaged over the heads: how much token i (row) reads from token j (column) in this block"))
        self.explanation = QLabel("")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.explanation.setMinimumWidth(220)
        # Its text changes on every edit: with an ignored size hint that never re-lays-out (and repaints) the views.
        self.explanation.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        bottom = QHBoxLayout()
        bottom.addWidget(self.attention_map, 5)
        bottom.addWidget(self.explanation, 4)
        strip_widget, bottom_widget = QWidget(), QWidget()
        strip_layout = QVBoxLayout(strip_widget)
        strip_layout.setContentsMargins(0, 0, 0, 0)
        strip_layout.addWidget(self.strip.heatmap, 1)
        strip_layout.addWidget(self.stage_readout)
        bottom_widget.setLayout(bottom)
        bottom.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(strip_widget)
        splitter.addWidget(bottom_widget)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        return tab

    def _build_norms_tab(self) -> QWidget:
        explanation = QLabel(
            self.tr(
                "The <b>sample</b> is your tokens' input vectors x, normalised alone and inside batches of other sequences "
                "(random tokens, same embedding) of its own length or of lengths 2–64. <b>LayerNorm</b> uses each token's own "
                "D features; <b>BatchNorm</b> (training mode) each feature's mean and variance over every token in the batch. "
                "|Δ|: how far the sample's output (LN: LayerNorm, BN: BatchNorm) moved from its output when alone."
            )
        )
        explanation.setWordWrap(True)
        self.norms_table = TextTable(["LN: max |Δ|", "BN: max |Δ|", self.tr("BN, padded")])
        self.norms_table.setToolTip(self.tr("Per batch: how far the sample's LayerNorm (LN) and BatchNorm (BN) outputs moved from when it was normalised alone"))
        self.norms_table.verticalHeader().setMinimumWidth(150)
        self.norms_table.clicked.connect(lambda index: self._select_norm_case(index.row()))
        self.norms_chart = BarChart("", value_name="max |Δ|", color=style.NEGATIVE)
        set_title(self.norms_chart.plot, self.tr("BatchNorm: max |Δ| vs. alone (LayerNorm: 0)"))
        self.norms_chart.setToolTip(self.tr("BatchNorm's change of the sample's output in each batch (* mixed lengths); click a bar to show that batch"))
        self.norms_chart.barClicked.connect(self._select_norm_case)
        self.case_combo = QComboBox()
        self.case_combo.setToolTip(self.tr("The batch whose normalised sample the maps below show"))
        self.case_combo.currentIndexChanged.connect(lambda i: i >= 0 and self._show_norm_case(i))
        self.ln_map, self.bn_map, self.bn_diff_map = (
            Heatmap("", levels=None, colormap=style.DIVERGING, row_name="token", col_name="dim", value_name=name) for name in ("LN", "BN", "Δ")
        )
        set_title(self.ln_map.plot, self.tr("LayerNorm: the same in every batch"))
        set_title(self.bn_diff_map.plot, self.tr("BatchNorm: this batch − alone"))
        self.ln_map.setToolTip(self.tr("The sample after LayerNorm (tokens × dims): each token normalised over its own D features"))
        self.bn_map.setToolTip(self.tr("The sample after BatchNorm in the chosen batch: each feature normalised over every token of the batch"))
        self.bn_diff_map.setToolTip(self.tr("BatchNorm's output in this batch minus its output when the sample is alone"))
        self.degenerate_label = QLabel("")
        self.degenerate_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.norms_table, 5)
        top.addWidget(self.norms_chart, 4)
        case_row = QHBoxLayout()
        case_row.addWidget(QLabel(self.tr("Show the sample in:")))
        case_row.addWidget(self.case_combo)
        case_row.addStretch(1)
        maps = QHBoxLayout()
        for widget in (self.ln_map, self.bn_map, self.bn_diff_map):
            maps.addWidget(widget)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(explanation)
        layout.addLayout(top, 5)
        layout.addLayout(case_row)
        layout.addLayout(maps, 4)
        layout.addWidget(self.degenerate_label)
        return tab

    def _build_ways_tab(self) -> QWidget:
        explanation = QLabel(
            self.tr(
                "One layer of each on the same input x (N × 64): an <span style='color:#9467bd'>RNN</span> (h<sub>t</sub> "
                "needs h<sub>t−1</sub>), a <span style='color:#2ca02c'>1-D convolution</span> (kernel 3) and "
                "<span style='color:#d62728'>self-attention</span> (4 heads; explicit path keeping every weight, dashed: fused kernel). "
                "Steps and path length are counted; time is the median forward on one thread; memory is the peak of tensor "
                "bytes the forward allocated and held at once (counted per op, like tracemalloc)."
            )
        )
        explanation.setWordWrap(True)
        self.length_slider = QSlider(Qt.Orientation.Horizontal)
        self.length_slider.setRange(0, len(LENGTHS) - 1)
        self.length_slider.setValue(LENGTHS.index(1024))
        self.length_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.length_slider.setPageStep(1)
        self.length_slider.setToolTip(self.tr("The longest sequence length N to measure"))
        self.length_slider.valueChanged.connect(self._on_length_changed)
        self.length_label = QLabel("")
        self.length_label.setMinimumWidth(110)
        self.measure_button = QPushButton(self.tr("Measure"))
        self.measure_button.clicked.connect(lambda: self.measure_three_ways())
        self.measure_cancel = QPushButton(self.tr("Cancel"))
        self.measure_cancel.setEnabled(False)
        self.measure_cancel.clicked.connect(lambda: self.measure_job is not None and self.measure_job.cancel())
        self.measure_progress = QProgressBar()
        self.measure_progress.setRange(0, 1000)
        self.measure_progress.setMaximumWidth(220)
        self.measure_status = QLabel(self.tr("Counted columns are shown; press Measure for time and memory."))
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Longest N:")))
        controls.addWidget(self.length_slider, 1)
        controls.addWidget(self.length_label)
        controls.addWidget(self.measure_button)
        controls.addWidget(self.measure_cancel)
        controls.addWidget(self.measure_progress)
        self.ways_view = pg.GraphicsLayoutWidget()
        self.ways_plots, self.ways_curves = {}, {}
        for column, (key, title) in enumerate(
            (
                ("sequential_steps", self.tr("sequential steps")),
                ("path_length", self.tr("path first → last token")),
                ("forward_ms", self.tr("forward time (ms)")),
                ("peak_mib", self.tr("peak memory (MiB)")),
            )
        ):
            plot = self.ways_view.addPlot(row=0, col=column, enableMenu=False)
            plot.setTitle(title, size=TITLE_SIZE)
            plot.setLogMode(x=True, y=True)
            plot.setLabel("bottom", "N")
            plot.getAxis("bottom").setTicks([[(math.log10(n), str(n)) for n in LENGTHS[::2]], []])
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            self.ways_plots[key] = plot
            for way in WAYS:  # the colours are named in the explanation above (a legend would cover the curves)
                pen = WAY_PENS[way]
                self.ways_curves[key, way] = plot.plot([], [], pen=pen, symbol="o", symbolSize=5, symbolBrush=pen.color(), symbolPen=None)
        self.ways_table = TextTable([self.tr("sequential steps"), self.tr("path first → last"), self.tr("forward (ms)"), self.tr("peak memory (MiB)")])
        self.ways_view.setToolTip(self.tr("Against N (log–log): steps that must run one after another, the longest path from the first to the last token, forward time and peak memory"))
        self.ways_table.setToolTip(self.tr("The same four quantities at the longest N chosen"))
        self.ways_table.setMaximumHeight(125)
        self.ways_at = QLabel("")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(explanation)
        layout.addLayout(controls)
        layout.addWidget(self.measure_status)
        layout.addWidget(self.ways_view, 1)
        layout.addWidget(self.ways_at)
        layout.addWidget(self.ways_table)
        self._on_length_changed(self.length_slider.value())
        return tab

    def _build_transfer_tab(self) -> QWidget:
        self.transfer_intro = QLabel("")
        self.transfer_intro.setWordWrap(True)
        self.transfer_steps = QSpinBox()
        self.transfer_steps.setRange(25, 2000)
        self.transfer_steps.setSingleStep(25)
        self.transfer_steps.setValue(300)
        self.transfer_steps.setPrefix(self.tr("steps "))
        self.transfer_steps.setToolTip(self.tr("Finetuning steps of the rerun"))
        self.transfer_button = QPushButton(self.tr("Rerun in the background"))
        self.transfer_button.clicked.connect(lambda: self.rerun_transfer())
        self.transfer_cancel = QPushButton(self.tr("Cancel"))
        self.transfer_cancel.setEnabled(False)
        self.transfer_cancel.clicked.connect(lambda: self.transfer_job is not None and self.transfer_job.cancel())
        self.transfer_progress = QProgressBar()
        self.transfer_progress.setRange(0, 1000)
        self.transfer_status = QLabel("")
        self.transfer_status.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(self.transfer_steps)
        controls.addWidget(self.transfer_button)
        controls.addWidget(self.transfer_cancel)
        controls.addWidget(self.transfer_progress, 1)
        self.transfer_view = pg.PlotWidget(enableMenu=False)
        self.transfer_plot = self.transfer_view.getPlotItem()
        self.transfer_plot.setLabel("bottom", self.tr("finetuning step"))
        self.transfer_plot.setLabel("left", self.tr("test accuracy"))
        self.transfer_view.setToolTip(self.tr("Test accuracy while finetuning: solid, from the pretrained encoder; dashed, the same model from scratch"))
        self.transfer_plot.showGrid(x=True, y=True, alpha=0.25)
        self.transfer_plot.setMouseEnabled(False, False)
        self.transfer_plot.hideButtons()
        legend = self.transfer_plot.addLegend(offset=(-10, -10), labelTextSize="9pt")
        chance_pen = pg.mkPen("#808080", width=1.5, style=Qt.PenStyle.DotLine)
        self.chance_line = pg.InfiniteLine(angle=0, pen=chance_pen)
        self.transfer_plot.addItem(self.chance_line)
        legend.addItem(pg.PlotDataItem(pen=chance_pen), self.tr("chance: always the commoner class"))
        self.transfer_curves: dict[tuple[str, int], pg.PlotDataItem] = {}
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.transfer_intro)
        layout.addLayout(controls)
        layout.addWidget(self.transfer_view, 1)
        layout.addWidget(self.transfer_status)
        return tab

    # ---- edits → state ----------------------------------------------------------------------------------------
    def _set(self, label: str, *, merge_key=None, **changes) -> None:
        state = replace(self.store.state, **changes)
        try:
            validate(state)  # refuse what cannot run, here, before it is a state
        except ValueError as exc:
            self._show_message(self.tr("{0} — keeping the previous model.").format(exc))
            return
        self._show_message("")
        self.store.set(state, label, merge_key=merge_key)

    def _show_message(self, text: str, *, error: bool = True) -> None:
        sheet = style.ERROR_STYLE if error else "color: #305070;"
        if self.message.styleSheet() != sheet:  # re-styling re-polishes the label, on every edit otherwise
            self.message.setStyleSheet(sheet)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _validate_tokens(self, tokens: list[str]) -> None:
        if self.store.state.model == "counting":
            model, _ = bundled_encoder()
            model.encode(tokens)

    def _on_sequence_edited(self, text: str, mode: str, tokens: list) -> None:
        self._set(self.tr("Edit tokens"), text=text, mode=mode)

    def _on_model_chosen(self, index: int) -> None:
        model = self.model_combo.itemData(index)
        if model == self.store.state.model:
            return
        changes: dict[str, object] = {"model": model, "block": 0}
        note = ""
        if model == "counting":
            encoder, _ = bundled_encoder()
            try:
                encoder.encode(token_core.tokenize(self.store.state.text, self.store.state.mode))
            except ValueError:
                changes.update(text=COUNTING_EXAMPLE[0], mode=COUNTING_EXAMPLE[1])
                note = self.tr("The counting encoder reads lower-case letters and spaces: the tokens are now “{0}”.").format(COUNTING_EXAMPLE[0])
        self._set(self.tr("Choose model"), **changes)
        if note and self.store.state.model == "counting":
            self._show_message(note, error=False)

    def _on_shape_edited(self) -> None:
        self._set(
            self.tr("Change the model's shape"),
            dim=self.dim_spin.value(), heads=self.heads_spin.value(), blocks=self.blocks_spin.value(), mlp_ratio=self.mlp_spin.value(),
            block=min(self.store.state.block, self.blocks_spin.value() - 1),
        )

    # ---- state → trace → views --------------------------------------------------------------------------------
    def _on_state_changed(self, state: TransformerState) -> None:
        start = time.perf_counter()
        try:
            new = compute(state, device=runtime.core_device())
        except ValueError as exc:  # guarded before the state is set; this keeps the last good views if anything slips by
            self._show_message(str(exc))
            return
        old, old_state = self.page_trace, self._trace_state
        if old is not None and (old.model_key != new.model_key or old.tokens != new.tokens):
            self.changes = changed_cells(old, new)
            self.edited_rows = [] if self.changes is None else [i for i, (a, b) in enumerate(zip(old.tokens, new.tokens)) if a != b]
            self._edit_base = old_state
        elif self.changes is not None and self._edit_base is not None and len(self.changes) < len(new.stages):
            # A later block is shown than the last edit's comparison reached (blocks after the shown one are not
            # computed): the sequence before the edit is run as far, once, to compare that block too.
            try:
                base = compute(replace(self._edit_base, block=state.block), device=runtime.core_device())
            except ValueError:
                base = None
            self.changes = None if base is None else changed_cells(base, new)
        self.page_trace, self._trace_state = new, state
        self._sync_controls(state)
        self._refresh_tab()
        self.recomputed.emit((time.perf_counter() - start) * 1000.0)

    def _sync_controls(self, state: TransformerState) -> None:
        """State → widgets, with the widgets' signals blocked so nothing loops back into the state."""
        counting = state.model == "counting"
        shown = bundled_encoder()[0].config.transformer if counting else state.config()
        widgets = [self.model_combo, self.dim_spin, self.heads_spin, self.blocks_spin, self.mlp_spin, self.post_norm, self.pre_norm, self.positional_combo, self.block_combo]
        for widget in widgets:
            widget.blockSignals(True)
        # Each setter only when the value differs: setting a widget to what it shows still repaints it.
        field = self.token_input
        if (field.text.text(), field.mode.currentData()) != (state.text, state.mode) or field.error.isVisible():
            field.set_sequence(state.text, state.mode)
        positional_kind = bundled_encoder()[0].config.positional if counting else state.positional
        for combo, index in ((self.model_combo, self.model_combo.findData(state.model)), (self.positional_combo, self.positional_combo.findData(positional_kind))):
            if combo.currentIndex() != index:
                combo.setCurrentIndex(index)
        for box, value in ((self.dim_spin, shown.dim), (self.heads_spin, shown.num_heads), (self.blocks_spin, shown.num_blocks), (self.mlp_spin, shown.mlp_dim // shown.dim)):
            if box.value() != value:
                box.setValue(value)
        norm_button = self.pre_norm if shown.norm_first else self.post_norm
        if not norm_button.isChecked():
            norm_button.setChecked(True)  # the other radio button unchecks itself (signals blocked)
        names = [self.tr("block {0} of {1}").format(i + 1, shown.num_blocks) for i in range(shown.num_blocks)]
        if [self.block_combo.itemText(i) for i in range(self.block_combo.count())] != names:
            self.block_combo.clear()
            self.block_combo.addItems(names)
        if self.block_combo.currentIndex() != state.block:
            self.block_combo.setCurrentIndex(state.block)
        for widget in widgets:
            widget.blockSignals(False)
        if self.dim_spin.isEnabled() == counting:  # the trained encoder's shape is fixed
            for widget in (self.dim_spin, self.heads_spin, self.blocks_spin, self.mlp_spin, self.post_norm, self.pre_norm, self.positional_combo, self.reroll_button):
                widget.setEnabled(not counting)

    def _refresh_tab(self) -> None:
        """Only the tab the user sees is filled; the others are filled when they are opened."""
        if self.page_trace is None:
            return
        tab = self.tabs.currentIndex()
        if tab == TAB_STAGES:
            self._refresh_stages()
        elif tab == TAB_NORMS and self._norms_for is not self.page_trace:
            self._refresh_norms()

    def _refresh_stages(self) -> None:
        state, page = self.store.state, self.page_trace
        block = min(state.block, len(page.trace.blocks) - 1)
        stages = page.stages[block]  # (7, N, D)
        names = page.trace.blocks[block].stage_names
        rows = list(page.tokens)
        bound = self._steady_bound(_high_value(stages))
        row_norms = np.sqrt(np.einsum("snd,snd->sn", stages, stages))  # (7, N) ‖x_t‖ per stage
        norm_max = _nice_bound(float(row_norms.max()))
        changes = None if self.changes is None else self.changes[block]
        title = (self.tr("block {0} of {1}, pre-norm — tokens × dims per stage, one colour scale; bars: ‖x‖ per token (0…{2})")
                 if page.trace.blocks[block].norm_first
                 else self.tr("block {0} of {1}, post-norm — tokens × dims per stage, one colour scale; bars: ‖x‖ per token (0…{2})")
                 ).format(block + 1, state.config().num_blocks if state.model != "counting" else len(page.trace.blocks), f"{norm_max:g}")
        fit_token_axis(self.strip.heatmap, page.tokens)
        self.strip.set_block(title, [core_text(STAGE_LABELS[name]) for name in names], stages, row_norms, rows, (-bound, bound), norm_max, changes)
        fit_token_axis(self.attention_map, page.tokens)
        fit_token_axis(self.attention_map, page.tokens, "bottom")
        weights = page.trace.blocks[block].attention.mean_weights  # (N, N)
        self.attention_map.set_data(to_numpy(weights), rows, rows)
        text = self._explain(block, names, changes)
        if self.explanation.text() != text:
            self.explanation.setText(text)

    def _steady_bound(self, value: float) -> float:
        """The stage view's colour bound: a round number ≥ ``value`` that stays put until the values outgrow it or
        fall below half of it. Edits whose 99.5th percentile hovers at a round number flipped it (3 ↔ 4) on one
        edit in ten: every cell changed colour though few values did, and the colour bar was laid out again."""
        bound = _nice_bound(value)
        previous = self._stage_bound
        if previous is not None and bound <= previous and value >= 0.5 * previous:
            bound = previous
        self._stage_bound = bound
        return bound

    def _explain(self, block: int, names: tuple[str, ...], changes: np.ndarray | None) -> str:
        """The lesson in words; it only changes when the finding does (a new text re-lays-out the label)."""
        state, page = self.store.state, self.page_trace
        lines = []
        if changes is None:
            lines.append(self.tr("Edit one token (keep the number of tokens) to see which cells change: faded cells did not."))
        else:
            others_changed = changes.any(axis=2)  # (7, N): rows each stage changed …
            others_changed[:, self.edited_rows] = False  # … besides the edited ones
            mixing = np.flatnonzero(others_changed.any(axis=1))
            first_mixing = int(mixing[0]) if mixing.size else None
            if first_mixing is None:
                lines.append(self.tr("Last edit, block {0}: only the edited rows changed.").format(block + 1))
            elif first_mixing == 0:
                lines.append(self.tr("Last edit, block {0}: every row of the input already differs — an earlier block's attention mixed them.").format(block + 1))
            else:
                lines.append(
                    self.tr("Last edit, block {0}: before {1} only the edited rows changed; from there on, other tokens' rows change too.").format(
                        block + 1, f"{CIRCLED[first_mixing]} {core_text(STAGE_LABELS[names[first_mixing]])}"
                    )
                )
        if page.predictions is not None:
            answers = " ".join(f"{t}:{p}" for t, p in zip(page.tokens[1:], page.predictions[1:]))
            lines.append(self.tr("<b>Counts predicted</b> (how often each letter occurs): {0}").format(answers))
        else:
            lines.append(
                (self.tr("Pre-norm, D = {0}, H = {1}, MLP {2}·D, seeded weights #{3}.") if state.norm_first else self.tr("Post-norm, D = {0}, H = {1}, MLP {2}·D, seeded weights #{3}.")).format(
                    state.dim, state.heads, state.mlp_ratio, state.seed
                )
            )
        lines.append(self.tr("Faded cells: unchanged by the last edit; orange bars: ‖x‖ of rows that changed."))
        return "<br>".join(lines)

    def _on_stage_hovered(self, row: int, col: int) -> None:
        if row < 0 or self.page_trace is None:
            self.stage_readout.setText(self.tr(STAGE_HINT))
            return
        stage, dim = self.strip.locate(col)
        name = self.page_trace.trace.blocks[min(self.store.state.block, len(self.page_trace.trace.blocks) - 1)].stage_names[stage]
        where = self.tr("{0} {1} · token “{2}” (row {3})").format(CIRCLED[stage], core_text(STAGE_LABELS[name]), self.page_trace.tokens[row], row + 1)
        value = "" if dim >= self.strip.values.shape[2] else self.tr(" · dim {0}: {1}").format(dim, f"{self.strip.values[stage, row, dim]:.4g}")
        changed = ""
        if self.strip.changed is not None:
            changed = self.tr(" · changed by the edit") if self.strip.changed[stage, row].any() else self.tr(" · unchanged by the edit")
        self.stage_readout.setText(f"{where}{value} · ‖x‖ = {self.strip.row_norms[stage, row]:.3f}{changed}")

    # ---- LayerNorm vs BatchNorm -------------------------------------------------------------------------------
    def _batch_member(self):
        state, page = self.store.state, self.page_trace
        if state.model == "counting":
            model, _ = bundled_encoder()

            def member(index: int, length: int) -> torch.Tensor:
                generator = torch.Generator().manual_seed(index)
                ids = torch.randint(1, len(model.config.vocab), (length,), generator=generator)
                with torch.no_grad():
                    return model.embed(ids)

            return member
        dim = page.stages.shape[-1]

        def member(index: int, length: int) -> torch.Tensor:
            generator = torch.Generator().manual_seed(index)
            words = [f"w{int(k)}" for k in torch.randint(0, 5000, (length,), generator=generator)]
            x = token_core.embed(words, dim, seed=state.seed)
            table = positional.encoding_table(state.positional, length, dim, seed=state.seed)
            return x if table is None else x + table

        return member

    def _refresh_norms(self) -> None:
        page = self.page_trace
        sample = page.trace.blocks[0].input
        with torch.no_grad():
            study = compare_norms(sample, member=self._batch_member())
        self.norm_study, self._norms_for = study, page
        cases = study.cases
        self.norms_table.set_rows(
            [case.label for case in cases],
            [(f"{c.layer_norm_change:.2g}", f"{c.batch_norm_change:.3f}", "—" if c.batch_norm_padded_change is None else f"{c.batch_norm_padded_change:.3f}") for c in cases],
        )
        self.norms_chart.set_data(np.array([c.batch_norm_change for c in cases], np.float32), [c.label.split(",")[0] + ("*" if "–" in c.label else "") for c in cases])
        labels = [c.label for c in cases]
        if [self.case_combo.itemText(i) for i in range(self.case_combo.count())] != labels:
            self.case_combo.blockSignals(True)
            self.case_combo.clear()
            self.case_combo.addItems(labels)
            self.case_combo.setCurrentIndex(min(3, len(labels) - 1))
            self.case_combo.blockSignals(False)
        self._show_norm_case(self.case_combo.currentIndex())
        ln_max = max(c.layer_norm_change for c in cases)
        spread = float((study.single_batch_norm - study.single_batch_norm[0]).abs().max())
        inputs_spread = float((study.single_inputs - study.single_inputs[0]).abs().max())
        same = self.tr("exactly the same output") if ln_max == 0 else self.tr("outputs within {0}").format(f"{ln_max:.2g}")
        self.degenerate_label.setText(
            self.tr(
                "<b>LayerNorm</b> gave the sample {0} in all {1} batches: it only ever looks at one token. <b>BatchNorm</b> moved "
                "it by up to {2} (* mixed lengths; padding counted as tokens moves it further). <b>Batch of one vector, training "
                "mode:</b> {3} different inputs (spread {4}) all come out as β = 0 (spread {5}): x − μ = 0 erases everything. "
                "torch says: “{6}”."
            ).format(
                same, len(cases), f"{max(c.batch_norm_change for c in cases):.2f}", len(study.single_inputs), f"{inputs_spread:.2f}",
                f"{spread:.2g}", study.torch_refusal,
            )
        )

    def _select_norm_case(self, index: int) -> None:
        if 0 <= index < self.case_combo.count():
            self.case_combo.setCurrentIndex(index)

    def _show_norm_case(self, index: int) -> None:
        study = self.norm_study
        if study is None or not 0 <= index < len(study.cases):
            return
        case, alone = study.cases[index], study.cases[0]
        rows = list(self.page_trace.tokens)
        ln, bn = to_numpy(case.layer_norm), to_numpy(case.batch_norm)
        cols = [str(j) for j in range(ln.shape[1])]  # the heatmap shows as many as fit
        bound = _nice_bound(float(max(np.abs(ln).max(), np.abs(bn).max())))
        self.ln_map.set_data(ln, rows, cols, levels=(-bound, bound))
        self.bn_map.set_data(bn, rows, cols, levels=(-bound, bound))
        set_title(self.bn_map.plot, f"BatchNorm: {case.label}")
        diff = bn - to_numpy(alone.batch_norm)
        self.bn_diff_map.set_data(diff, rows, cols, levels=(-bound / 2, bound / 2))
        self.norms_table.selectRow(index)

    # ---- three ways -------------------------------------------------------------------------------------------
    def _chosen_lengths(self) -> tuple[int, ...]:
        return LENGTHS[: self.length_slider.value() + 1]

    def _on_length_changed(self, value: int) -> None:
        self.length_label.setText(f"N = {LENGTHS[value]}")
        self._refresh_ways()

    def measure_three_ways(self, *, sync: bool = False) -> Job | None:
        """Measure the three ways up to the chosen N in a worker (progress, cancel); ``sync`` for tests."""
        if self.measure_job is not None and self.measure_job.running:
            return self.measure_job
        lengths = self._chosen_lengths()
        self.three_ways = {way: [] for way in WAYS}
        job = Job(lambda progress: measure(lengths, progress=progress))
        job.progressed.connect(self._on_measure_progress)
        job.succeeded.connect(lambda _: self.measure_status.setText(self.tr("Measured N = {0}…{1}.").format(lengths[0], lengths[-1])))
        job.failed.connect(lambda message: self.measure_status.setText(self.tr("The measurement failed: {0}").format(message)))
        job.cancelled.connect(lambda: self.measure_status.setText(self.tr("Cancelled; the points measured so far are kept.")))
        job.finished.connect(self._on_measure_finished)
        self.measure_job = job
        self.measure_button.setEnabled(False)
        self.measure_cancel.setEnabled(True)
        self.length_slider.setEnabled(False)
        self.measure_progress.setValue(0)
        self.measure_status.setText(self.tr("Measuring…"))
        if sync:
            job.run_sync()
        else:
            job.start()
        return job

    def _on_measure_progress(self, fraction: float, message: str, payload) -> None:
        self.measure_progress.setValue(int(fraction * 1000))
        self.measure_status.setText(message)
        if isinstance(payload, Measurement):
            self.three_ways.setdefault(payload.way, []).append(payload)
            self._refresh_ways()

    def _on_measure_finished(self) -> None:
        self.measure_button.setEnabled(True)
        self.measure_cancel.setEnabled(False)
        self.length_slider.setEnabled(True)

    def _refresh_ways(self) -> None:
        lengths = np.array(self._chosen_lengths(), float)
        for way in WAYS:
            self.ways_curves["sequential_steps", way].setData(lengths, [sequential_steps(way, int(n)) for n in lengths])
            self.ways_curves["path_length", way].setData(lengths, [max(path_length(way, int(n)), 1) for n in lengths])
            measured = self.three_ways.get(way, [])
            xs = np.array([m.n for m in measured], float)
            self.ways_curves["forward_ms", way].setData(xs, np.array([max(m.forward_ms, 1e-3) for m in measured]))
            self.ways_curves["peak_mib", way].setData(xs, np.array([max(m.peak_bytes / 2**20, 1e-3) for m in measured]))
        for plot in self.ways_plots.values():
            plot.setXRange(math.log10(lengths[0]), math.log10(lengths[-1]), padding=0.12)
        n = int(lengths[-1])
        rows, cells = [], []
        for way, label in WAYS.items():
            at_n = {m.n: m for m in self.three_ways.get(way, [])}
            m = at_n.get(n)
            rows.append(core_text(label))
            cells.append(
                (
                    str(sequential_steps(way, n)),
                    (self.tr("{0} steps") if way == "rnn" else self.tr("{0} layers") if way == "conv" else self.tr("{0} layer")).format(path_length(way, n)),
                    "—" if m is None else f"{m.forward_ms:.2f}",
                    "—" if m is None else f"{m.peak_bytes / 2**20:.2f}",
                )
            )
        self.ways_table.set_rows(rows, cells)
        self.ways_at.setText(self.tr("At N = {0}:").format(n))

    # ---- transfer learning ------------------------------------------------------------------------------------
    def _load_bundled_transfer(self) -> None:
        try:
            self.transfer = bundled_transfer()
        except (OSError, ValueError) as exc:
            self.transfer = None
            self.transfer_status.setText(self.tr("No bundled curves: {0}").format(exc))
        if self._counting_error:
            self.transfer_button.setEnabled(False)
            self.transfer_button.setToolTip(self._counting_error)
        self._refresh_transfer()
        if self.transfer is not None:
            self.transfer_steps.setValue(self.transfer.steps[-1])
            self.transfer_status.setText(self.tr("Bundled curves (resources/transformer/transfer.json). ") + self._transfer_summary())

    def rerun_transfer(self, *, sync: bool = False, steps: int | None = None, examples: tuple[int, ...] | None = None) -> Job | None:
        """Rerun pretrain → finetune vs scratch in a worker, from the bundled pretrained encoder."""
        if self.transfer_job is not None and self.transfer_job.running:
            return self.transfer_job
        base = self.transfer.config if self.transfer is not None else TransferConfig()
        config = replace(base, steps=steps or self.transfer_steps.value(), examples=examples or base.examples)
        config = replace(config, eval_every=max(1, min(config.eval_every, config.steps // 4)))
        model, _ = bundled_encoder()
        self.transfer_live = {}
        job = Job(lambda progress: run_transfer(model, config, progress=progress))
        job.progressed.connect(self._on_transfer_progress)
        job.succeeded.connect(self._on_transfer_done)
        job.failed.connect(lambda message: self._on_transfer_stopped(self.tr("The rerun failed ({0}); showing the previous curves. ").format(message)))
        job.cancelled.connect(lambda: self._on_transfer_stopped(self.tr("Cancelled; showing the previous curves. ")))
        job.finished.connect(self._on_transfer_finished)
        self.transfer_job = job
        self.transfer_button.setEnabled(False)
        self.transfer_cancel.setEnabled(True)
        self.transfer_progress.setValue(0)
        self.transfer_status.setText(self.tr("Training…"))
        if sync:
            job.run_sync()
        else:
            job.start()
        return job

    def _on_transfer_progress(self, fraction: float, message: str, payload) -> None:
        self.transfer_progress.setValue(int(fraction * 1000))
        self.transfer_status.setText(message)
        if payload is not None:
            kind, n, step, acc = payload
            self.transfer_live.setdefault((kind, n), []).append((step, acc))
            self._refresh_transfer(live=True)

    def _on_transfer_done(self, curves: TransferCurves) -> None:
        self.transfer = curves
        self.transfer_live = {}
        self._refresh_transfer()
        self.transfer_status.setText(self.tr("This run's curves (the bundled file is unchanged). ") + self._transfer_summary())

    def _on_transfer_stopped(self, text: str) -> None:
        self.transfer_live = {}
        self._refresh_transfer()
        self.transfer_status.setText(text + self._transfer_summary())

    def _on_transfer_finished(self) -> None:
        self.transfer_button.setEnabled(not self._counting_error)
        self.transfer_cancel.setEnabled(False)

    def _transfer_summary(self) -> str:
        curves = self.transfer
        if curves is None:
            return ""
        final = [
            self.tr("{0} examples: finetuned {1} vs scratch {2}").format(n, f"{curves.pretrained[n][-1]:.0%}", f"{curves.scratch[n][-1]:.0%}")
            for n in sorted(curves.pretrained)
        ]
        return self.tr("After {0} steps — ").format(curves.steps[-1]) + self.tr("; ").join(final) + self.tr(".")

    def _curve(self, kind: str, n: int, index: int) -> pg.PlotDataItem:
        item = self.transfer_curves.get((kind, n))
        if item is None:
            colors = [style.INPUT, style.QUERY, style.KEY, style.VALUE]
            pen = pg.mkPen(colors[index % len(colors)], width=2.5, style=Qt.PenStyle.SolidLine if kind == "pretrained" else Qt.PenStyle.DashLine)
            label = (self.tr("pretrained → finetuned, {0} examples") if kind == "pretrained" else self.tr("from scratch, {0} examples")).format(n)
            item = self.transfer_plot.plot([], [], pen=pen, name=label)
            self.transfer_curves[kind, n] = item
        return item

    def _refresh_transfer(self, live: bool = False) -> None:
        """Plot the live points of a running rerun, or the finished curves (bundled or rerun)."""
        curves = self.transfer
        wanted = set(self.transfer_live) if live else set() if curves is None else {(k, n) for n in curves.pretrained for k in ("pretrained", "scratch")}
        for key in set(self.transfer_curves) - wanted:  # curves of another run leave the plot and its legend
            self.transfer_plot.removeItem(self.transfer_curves.pop(key))
        if live:
            ns = sorted({n for _, n in self.transfer_live})
            for (kind, n), points in self.transfer_live.items():
                steps, accs = zip(*points)
                self._curve(kind, n, ns.index(n)).setData(np.array(steps, float), np.array(accs, float))
        elif curves is not None:
            for index, n in enumerate(sorted(curves.pretrained)):
                self._curve("pretrained", n, index).setData(np.array(curves.steps, float), np.array(curves.pretrained[n]))
                self._curve("scratch", n, index).setData(np.array(curves.steps, float), np.array(curves.scratch[n]))
        self.transfer_plot.setYRange(0.0, 1.02, padding=0)
        if curves is None:
            self.transfer_intro.setText(self.tr("Transfer learning needs the bundled encoder (resources/transformer/)."))
            return
        config = curves.config
        self.chance_line.setValue(curves.chance)
        target, source = get_task(config.target_task), get_task(curves.source_task)
        self.transfer_intro.setText(
            self.tr(
                "<b>Pretrain</b> on “{0}” (the bundled counting encoder, plenty of data), then <b>finetune</b> on “{1}” with only "
                "{2} labelled sequences — against the same model trained <b>from scratch</b> on the same examples (same new head, "
                "optimiser, learning rate {3}, batch {4}). Accuracy on {5} test sequences."
            ).format(
                source.question, target.question, self.tr(" or ").join(str(n) for n in sorted(curves.pretrained)), f"{config.lr:g}",
                config.batch_size, config.test_sequences,
            )
        )

    # ---- screenshot and export --------------------------------------------------------------------------------
    def prepare_screenshot(self) -> None:
        """Show the page's point in a still picture: one token edited, the changed cells standing out."""
        if self.store.state.text == TransformerState.text:
            self._set(self.tr("Edit tokens"), text="the dog sat on the mat .")

    def export_data(self) -> ViewData:
        page, state = self.page_trace, self.store.state
        block = min(state.block, len(page.trace.blocks) - 1)
        names = page.trace.blocks[block].stage_names
        rows = list(page.tokens)
        dims = [str(j) for j in range(page.stages.shape[-1])]
        arrays: dict[str, np.ndarray] = {}
        row_labels: dict[str, list[str]] = {}
        col_labels: dict[str, list[str]] = {}
        for i, name in enumerate(names):
            key = f"block{block + 1}_{i + 1}_{name}"
            arrays[key] = page.stages[block, i]
            row_labels[key], col_labels[key] = rows, dims
            if self.changes is not None:
                arrays[key + "_changed"] = self.changes[block, i].astype(np.float32)
                row_labels[key + "_changed"], col_labels[key + "_changed"] = rows, dims
        arrays["attention_weights"] = to_numpy(page.trace.blocks[block].attention.mean_weights)
        row_labels["attention_weights"] = col_labels["attention_weights"] = rows
        for way, ms in self.three_ways.items():
            if ms:
                arrays[f"three_ways_{way}"] = np.array([[m.n, m.sequential_steps, m.path_length, m.forward_ms, m.peak_bytes] for m in ms], np.float64)
                col_labels[f"three_ways_{way}"] = ["N", "sequential_steps", "path_length", "forward_ms", "peak_bytes"]
        if self.transfer is not None:
            for kind, curves in (("pretrained", self.transfer.pretrained), ("scratch", self.transfer.scratch)):
                for n, accs in curves.items():
                    arrays[f"transfer_{kind}_{n}"] = np.array([self.transfer.steps, accs], np.float64)
                    row_labels[f"transfer_{kind}_{n}"] = ["step", "accuracy"]
        return ViewData(arrays, row_labels, col_labels)

