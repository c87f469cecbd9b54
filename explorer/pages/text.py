"""Text Transformers (BERT- and GPT-2-style checkpoints), page id ``text``.

Open a Hugging Face ``save_pretrained`` folder (two tiny models the project trained itself ship with the app), type
text — and a second sentence for BERT pairs — and look inside, every map recomputed by the core
(:mod:`core.text_models`):

- head view: every token joined to every token for one layer, a colour per head; hover or click a token;
- model view: layers × heads thumbnails of the weights; click one to enlarge it;
- query · key view: for one (query, key) pair, each head's q, k, q ⊙ k and the score e = Σ(q ⊙ k)/√D_h.

A loaded model's token embeddings become an embedding source of the sequence pages ("embeddings of …").
"""

from __future__ import annotations

import math
import pathlib
import time
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSizePolicy,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import text_models
from core import tokens as token_core
from core import resources
from core.arrays import to_numpy
from explorer import runtime
from explorer.pages.base import Page, ViewData
from explorer.pages.common import token_labels
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.head_view import KEY, QUERY, HeadView, head_colors
from explorer.widgets.heatmap import Heatmap
from explorer.workers import Job

BUNDLED_DIR = resources.root() / "text"
BUNDLED = ("tiny-bert", "tiny-gpt2")
DEFAULT_TEXT = "the animal did not cross the street because it was too tired ."
THUMBNAIL = 128  # model-view thumbnails show at most this many rows/columns (max-pooled beyond)
RECENT_KEY, MAX_RECENT = "text/recent", 8
TAB_HEAD, TAB_MODEL, TAB_QK = range(3)


WEIGHT_SCALES = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0)  # colour ranges for weights: long texts spread a thin


def weight_levels(values: np.ndarray) -> tuple[float, float]:
    """(0, the smallest scale ≥ the largest weight): a 512-token map is not all dark, and a handful of fixed
    scales keeps the colorbar from re-laying out on every hover."""
    top = float(values.max()) if values.size else 1.0
    return (0.0, next((scale for scale in WEIGHT_SCALES if top <= scale), 1.0))


def sparse_ticks(labels: list[str], pixels: float, spacing: float = 15.0) -> list[tuple[float, str]]:
    """Every k-th label so that labels are at least ``spacing`` pixels apart along an axis ``pixels`` long."""
    step = max(1, math.ceil(len(labels) * spacing / max(pixels, 1.0)))
    return [(float(i), label) for i, label in enumerate(labels) if i % step == 0]


def bundled_models() -> list[pathlib.Path]:
    return [BUNDLED_DIR / name for name in BUNDLED if (BUNDLED_DIR / name / "config.json").exists()]


@dataclass(frozen=True)
class TextState:
    model: str = ""  # the folder of the model shown ("" = none yet)
    text: str = DEFAULT_TEXT
    pair: str = ""  # BERT's sentence B ("" = a single sentence)
    ids: str = ""  # typed token ids (input "ids")
    input: str = "text"  # "text" or "ids"
    layer: int = 0
    heads: tuple[int, ...] = ()  # heads drawn in the head view; () = all
    head: int = 0  # the head enlarged in the model view and mapped in the query·key view
    query: int = 0  # the token pair of the query·key view; the pinned token of the head view
    key: int = 0
    pinned: str = ""  # "query", "key" or "" (nothing pinned in the head view)


@dataclass(frozen=True)
class TextPageTrace:
    model: text_models.TextModel
    encoded: text_models.Encoded
    trace: text_models.TextTrace
    weights: np.ndarray  # (L, H, T, T) float32, the trace's weights at the view boundary
    received: np.ndarray  # (L, H, T) mean weight each key receives over the queries


def mosaic(weights: np.ndarray, size: int = THUMBNAIL) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Layers × heads thumbnails side by side: (image, gap cells, pooling factor f, thumbnail side S).

    Each (T, T) map becomes S × S with S = ⌈T/f⌉ ≤ size, every cell the max over an f × f block (a sharp pattern
    stays visible); one grey cell separates thumbnails.
    """
    layers, heads, n, _ = weights.shape
    factor = max(1, math.ceil(n / size))
    side = math.ceil(n / factor)
    if factor > 1:
        padded = np.zeros((layers, heads, side * factor, side * factor), np.float32)
        padded[:, :, :n, :n] = weights
        weights = padded.reshape(layers, heads, side, factor, side, factor).max(axis=(3, 5))
    step = side + 1
    image = np.zeros((layers * step - 1, heads * step - 1), np.float32)
    gaps = np.ones_like(image, dtype=bool)
    for layer in range(layers):
        for head in range(heads):
            image[layer * step : layer * step + side, head * step : head * step + side] = weights[layer, head]
            gaps[layer * step : layer * step + side, head * step : head * step + side] = False
    return image, gaps, factor, side


class TextPage(Page):
    page_id = "text"
    title = "Text Transformers"

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.models: dict[str, text_models.TextModel] = {}
        self.trace: TextPageTrace | None = None
        self._trace_key: tuple | None = None
        self._mosaic: tuple | None = None  # (trace key, factor, side) of the mosaic shown
        self._job: Job | None = None
        self.loading = False  # a model is being opened in the background
        self._failed: set[str] = set()  # folders that could not be opened (not retried on their own)
        self._labels: list[str] = []  # axis labels of the trace's tokens
        self._focus_values = np.zeros((0, 0), np.float32)
        self._focus_title = ""
        self._combo_shows: tuple = ()
        self._encoded: tuple | None = None  # (what was encoded, Encoded)
        self._input_shown: tuple = ()
        self._button_styles: list[str] = []
        self._build()
        initial = TextState()
        for folder in bundled_models()[:1]:  # the first bundled model opens with the page: something to see at once
            try:
                model = self._register(text_models.load_text_model(folder))
                initial = self._state_for_model(initial, str(folder), model)
                initial = replace(initial, pinned=QUERY)  # BertViz's classic: where does "it" look?
            except (ValueError, OSError) as exc:
                self._show_model_message(self.tr("The bundled model could not be opened: {0}").format(exc))
        self.store = StateStore(initial, undo_stack, self)
        self.store.stateChanged.connect(self._on_state_changed)
        self._on_state_changed(self.store.state)

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("Text Transformers (§6)"),
            self.tr(
                "A BERT-style encoder (every token sees every token) or a GPT-2-style decoder (a causal mask: only earlier "
                "tokens), opened from a Hugging Face save_pretrained folder; every head's weights are recomputed by the core "
                "from the checkpoint's weights. <i>Hover a token in the head view; click a thumbnail in the model view; "
                "pick a (query, key) pair to see how each head scores it.</i>"
            ),
            self.tr(
                "e<sub>h</sub> = q<sub>h</sub>·k<sub>h</sub> / √D<sub>h</sub> &nbsp;&nbsp; a<sub>h</sub> = softmax(e<sub>h</sub>) "
                "over the keys, in every layer and head h"
            ),
        )

        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(180)
        self.model_combo.setToolTip(self.tr("The text model shown: a bundled tiny model or a folder you opened"))
        self.model_combo.activated.connect(self._on_model_chosen)
        self.open_button = QPushButton(self.tr("Open folder…"))
        self.open_button.setToolTip(self.tr("Open a Hugging Face save_pretrained folder (config.json, weights, tokenizer.json)"))
        self.open_button.clicked.connect(self._on_open_clicked)
        self.model_info = QLabel("")
        self.model_info.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(lambda: self._job is not None and self._job.cancel())
        for widget in (self.progress, self.cancel_button):
            widget.hide()
        model_row = QHBoxLayout()
        model_row.addWidget(QLabel(self.tr("Model:")))
        model_row.addWidget(self.model_combo)
        model_row.addWidget(self.open_button)
        model_row.addWidget(self.progress)
        model_row.addWidget(self.cancel_button)
        model_row.addWidget(self.model_info, 1)
        self.model_message = QLabel("")
        self.model_message.setStyleSheet(style.ERROR_STYLE)
        self.model_message.setWordWrap(True)
        self.model_message.hide()

        self.input_mode = QComboBox()
        self.input_mode.addItem(self.tr("text"), "text")
        self.input_mode.addItem(self.tr("token ids"), "ids")
        self.input_mode.activated.connect(lambda _: self._commit_input())
        self.text_field = QLineEdit()
        self.text_field.setPlaceholderText(self.tr("type text, then Enter"))
        self.text_field.editingFinished.connect(self._commit_input)
        self.pair_field = QLineEdit()
        self.pair_field.setPlaceholderText(self.tr("sentence B (optional)"))
        self.pair_field.setToolTip(self.tr("BERT reads two sentences as [CLS] A [SEP] B [SEP], B with segment embedding 1"))
        self.pair_field.editingFinished.connect(self._commit_input)
        input_row = QHBoxLayout()
        input_row.addWidget(self.input_mode)
        input_row.addWidget(self.text_field, 3)
        input_row.addWidget(self.pair_field, 2)
        self.input_message = QLabel("")
        self.input_message.setWordWrap(True)

        self.layer_spin = QSpinBox()
        self.layer_spin.setPrefix(self.tr("layer "))
        self.layer_spin.setToolTip(self.tr("Which layer the head view, the enlarged map and the query · key tab show"))
        self.layer_spin.setKeyboardTracking(False)
        self.layer_spin.valueChanged.connect(lambda v: self._set(self.tr("Show layer {0}").format(v), layer=v - 1))
        self.heads_row = QHBoxLayout()
        self.heads_row.setSpacing(3)
        self.all_heads = QPushButton(self.tr("all heads"))
        self.all_heads.clicked.connect(lambda: self._set(self.tr("Show all heads"), heads=()))
        self.head_buttons: list[QPushButton] = []
        controls = QHBoxLayout()
        controls.addWidget(self.layer_spin)
        controls.addWidget(QLabel(self.tr("Heads:")))
        controls.addLayout(self.heads_row)
        controls.addWidget(self.all_heads)
        controls.addStretch(1)

        self.tabs = QTabWidget()
        head_tab = QWidget()
        head_layout = QVBoxLayout(head_tab)
        self.head_view = HeadView()
        self.head_view.setToolTip(self.tr("Queries on the left, keys on the right; a line per head, its opacity the weight a. Hover a token, click to pin it."))
        self.head_view.tokenClicked.connect(self._on_token_clicked)
        self.head_view.tokenHovered.connect(self._on_token_hovered)
        self.focus_view = Heatmap(self.tr("weights of the focused token, per head"), row_name="token", col_name="head", value_name="a")
        self.focus_view.setToolTip(self.tr("The focused token's weights a, one column per head"))
        head_split = QSplitter()
        head_split.addWidget(self.head_view)
        head_split.addWidget(self.focus_view)
        head_split.setSizes([560, 480])
        self.head_note = QLabel("")
        self.head_note.setWordWrap(True)
        # two lines, fixed: the note changes on every hover and must not relayout the page
        self.head_note.setFixedHeight(2 * self.head_note.fontMetrics().lineSpacing() + 6)
        self.head_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        head_layout.addWidget(head_split, 1)
        head_layout.addWidget(self.head_note)
        self.tabs.addTab(head_tab, self.tr("Head view"))

        self.mosaic_view = Heatmap(self.tr("every layer × head (click one to enlarge)"), value_name="a")
        self.mosaic_view.setToolTip(self.tr("Every head's weight map, one row of thumbnails per layer"))
        self.mosaic_view.describe_cell = self._describe_mosaic_cell
        self.mosaic_view.cellClicked.connect(self._on_mosaic_clicked)
        self._frame = QGraphicsRectItem()
        pen = QPen(style.QUERY, 0)
        pen.setCosmetic(True)
        pen.setWidthF(2.5)
        self._frame.setPen(pen)
        self._frame.setZValue(20)
        self.mosaic_view.plot.addItem(self._frame)
        self.enlarged_view = Heatmap("", value_name="a")
        self.enlarged_view.setToolTip(self.tr("The chosen head's weights a (queries × keys); click a cell to study that pair"))
        self.enlarged_view.cellClicked.connect(lambda row, col: self._set(self.tr("Choose query and key"), query=row, key=col))
        model_split = QSplitter()
        model_split.addWidget(self.mosaic_view)
        model_split.addWidget(self.enlarged_view)
        model_split.setSizes([520, 520])
        self.tabs.addTab(model_split, self.tr("Model view"))

        qk_tab = QWidget()
        qk_layout = QHBoxLayout(qk_tab)
        self.pair_map = Heatmap("", value_name="a")
        self.pair_map.setToolTip(self.tr("The chosen head's weights a (queries × keys); click a cell to choose the (query, key) pair"))
        self.pair_map.cellClicked.connect(lambda row, col: self._set(self.tr("Choose query and key"), query=row, key=col))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.qk_caption = QLabel("")
        self.qk_caption.setWordWrap(True)
        vectors = QHBoxLayout()  # dims × heads, side by side: q, k and their product read across
        self.q_view = Heatmap("q", colormap=style.DIVERGING, levels=None, row_name="dim", col_name="head", value_name="q")
        self.k_view = Heatmap("k", colormap=style.DIVERGING, levels=None, row_name="dim", col_name="head", value_name="k")
        self.product_view = Heatmap("q ⊙ k", colormap=style.DIVERGING, levels=None, row_name="dim", col_name="head", value_name="q⊙k")
        self.q_view.setToolTip(self.tr("The query vector q of every head (dims × heads)"))
        self.k_view.setToolTip(self.tr("The key vector k of every head (dims × heads)"))
        self.product_view.setToolTip(self.tr("q ⊙ k: summed over the dims (and scaled) it gives each head's score e"))
        for view in (self.q_view, self.k_view, self.product_view):
            view.view.setMinimumSize(120, 140)
            view.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # three in a row: may elide
            vectors.addWidget(view)
        bars = QHBoxLayout()
        self.score_chart = BarChart(self.tr("score e per head (click a head to map it)"), value_name="e", color=style.KEY)
        self.weight_chart = BarChart(self.tr("weight a per head"), value_name="a", levels=(0.0, 1.18), color=style.QUERY)
        self.score_chart.setToolTip(self.tr("Each head's score e of the pair, before the softmax"))
        self.weight_chart.setToolTip(self.tr("Each head's weight a of the pair: the softmax of e over all keys"))
        for chart in (self.score_chart, self.weight_chart):
            chart.view.setMinimumSize(140, 90)
            chart.barClicked.connect(lambda head: self._set(self.tr("Map head {0}").format(head + 1), head=head))  # the map on the left
        bars.addWidget(self.score_chart)
        bars.addWidget(self.weight_chart)
        right_layout.addWidget(self.qk_caption)
        right_layout.addLayout(vectors, 3)
        right_layout.addLayout(bars, 2)
        qk_split = QSplitter()
        qk_split.addWidget(self.pair_map)
        qk_split.addWidget(right)
        qk_split.setSizes([420, 640])
        qk_layout.addWidget(qk_split)
        self.tabs.addTab(qk_tab, self.tr("Query · key"))
        self.tabs.currentChanged.connect(lambda _: self._refresh_tab())

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(model_row)
        layout.addWidget(self.model_message)
        layout.addLayout(input_row)
        layout.addWidget(self.input_message)
        layout.addLayout(controls)
        layout.addWidget(self.tabs, 1)

    # ---- models -----------------------------------------------------------------------------------------------
    def _register(self, model: text_models.TextModel) -> text_models.TextModel:
        """Keep the model for this session and offer its embeddings to the sequence pages."""
        key = str(model.path)
        self.models[key] = model
        name = f"embeddings of {model.name}"
        taken = {n for n in token_core.EMBEDDING_SOURCES if n.startswith(name)}
        if name in taken and getattr(token_core.EMBEDDING_SOURCES[name], "model_path", key) != key:
            name = f"{name} ({len(taken) + 1})"
        source = text_models.embedding_source(model)
        source.model_path = key
        token_core.register_source(name, source, model.config.dim)
        self._sync_model_combo(key)
        return model

    def _state_for_model(self, state: TextState, key: str, model: text_models.TextModel) -> TextState:
        """The state showing ``model``: the current text if it can read it, else token ids."""
        config = model.config
        use_ids = model.tokenizer is None or (state.input == "ids" and state.ids)
        ids = state.ids
        if use_ids:
            try:
                text_models.parse_ids(ids, config.vocab_size)
            except ValueError:
                ids = " ".join(str(i) for i in range(min(8, config.vocab_size)))
        state = replace(state, model=key, input="ids" if use_ids else "text", ids=ids, layer=0, heads=(), head=0, query=0, key=0, pinned="")
        try:  # a pair worth looking at: "it" (else the last token) as the query, "animal" (else the first) as the key
            tokens = [t.lstrip("␣") for t in self._encode(model, state).tokens]
        except ValueError:
            return state
        query = tokens.index("it") if "it" in tokens else len(tokens) - 1
        return replace(state, query=query, key=tokens.index("animal") if "animal" in tokens[:query + 1] else 0)

    def _open(self, path: str, then=None) -> None:
        """Load a model in the background; on success ``then(key)`` runs — by default the model becomes the
        page's model (one undoable step)."""
        key = str(pathlib.Path(path).expanduser().resolve())
        then = then or self._use_model
        if key in self.models:
            then(key)
            return
        if self.loading:
            self._show_model_message(self.tr("Still opening the previous model: cancel it first."))
            return
        self._show_model_message("")
        job = Job(lambda progress: text_models.load_text_model(key, progress), self)
        job.progressed.connect(lambda fraction, message, _: (self.progress.setValue(int(100 * fraction)), self.progress.setFormat(message[:40] or "%p%")))
        job.succeeded.connect(lambda model: self._on_model_loaded(key, model, then))
        job.failed.connect(lambda message: self._on_model_failed(key, message))
        job.cancelled.connect(lambda: self._show_model_message("Opening was cancelled; the previous model is kept."))
        job.finished.connect(self._on_job_finished)
        self._job = job
        self.loading = True
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.open_button.setEnabled(False)
        job.start()

    def open_folder(self, path: str) -> None:
        """Open a save_pretrained folder in the background and show its model (the Checkpoints page sends text
        checkpoints here)."""
        self._open(path)

    def _on_job_finished(self) -> None:
        self.loading = False  # after the job's result was handled (signals arrive in order on this thread)
        self.progress.hide()
        self.cancel_button.hide()
        self.open_button.setEnabled(True)
        self._sync_model_combo(self.store.state.model)

    def _on_model_loaded(self, key: str, model: text_models.TextModel, then) -> None:
        self._register(model)
        recent = [p for p in (QSettings().value(RECENT_KEY, []) or []) if p != key]
        QSettings().setValue(RECENT_KEY, [key] + recent[: MAX_RECENT - 1])
        then(key)

    def _on_model_failed(self, key: str, message: str) -> None:
        self._failed.add(key)
        self._show_model_message(self.tr("Could not open {0}: {1}").format(pathlib.Path(key).name, message.split(": ", 1)[-1]))
        if self.store.state.model == key:  # a restored session named it: say so where the views are
            self._clear_views(self.tr("The model this state names could not be opened: open another folder."))

    def _use_model(self, key: str) -> None:
        model = self.models[key]
        if key != self.store.state.model:
            self.store.set(self._state_for_model(self.store.state, key, model), self.tr("Open {0}").format(model.name))

    def _on_model_chosen(self, index: int) -> None:
        path = self.model_combo.itemData(index)
        if path:
            self._open(path)

    def _on_open_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a save_pretrained folder (config.json + weights + tokenizer.json)"), str(pathlib.Path.home()))
        if folder:
            self._open(folder)

    def _sync_model_combo(self, current: str) -> None:
        paths = [str(p) for p in bundled_models()]
        paths += [p for p in self.models if p not in paths]
        paths += [p for p in (QSettings().value(RECENT_KEY, []) or []) if p not in paths and pathlib.Path(p).exists()]
        if (paths, current) == self._combo_shows:
            return
        self._combo_shows = (paths, current)
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for path in paths:
            name = pathlib.Path(path).name + (self.tr(" (bundled)") if pathlib.Path(path).parent == BUNDLED_DIR else "")
            self.model_combo.addItem(name, path)
            self.model_combo.setItemData(self.model_combo.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
        if not paths:
            self.model_combo.addItem(self.tr("no model: open a folder"), "")
        self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(current)))
        self.model_combo.blockSignals(False)

    def _show_model_message(self, text: str) -> None:
        self.model_message.setText(text)
        self.model_message.setVisible(bool(text))

    # ---- edits ------------------------------------------------------------------------------------------------
    def _set(self, label: str, **changes) -> None:
        self.store.set(replace(self.store.state, **changes), label)

    def _commit_input(self) -> None:
        """Text (or ids) typed → the state, when the model can read it; else a message and the last good input."""
        state = self.store.state
        model = self.models.get(state.model)
        if model is None:
            return
        mode = self.input_mode.currentData()
        text, pair = self.text_field.text(), self.pair_field.text()
        if mode == "text" and model.tokenizer is None:
            self._show_input_message(self.tr("This model has no tokenizer.json: type token ids (e.g. 2 17 40 3)."), error=True)
            mode = "ids"
        changes = {"input": mode, "ids": text} if mode == "ids" else {"input": mode, "text": text, "pair": pair if model.family == "bert" else ""}
        candidate = replace(state, **changes)
        try:
            encoded = self._encode(model, candidate)
        except ValueError as exc:
            self._show_input_message(self.tr("{0} — keeping the previous input.").format(exc), error=True, field=True)
            return
        n = len(encoded.ids)
        candidate = replace(candidate, query=min(candidate.query, n - 1), key=min(candidate.key, n - 1))
        if candidate != state:
            self.store.set(candidate, self.tr("Edit text") if mode == "text" else self.tr("Edit token ids"))
        else:
            self._sync_controls(state)  # a refused edit leaves the fields showing the state

    def _on_token_clicked(self, side: str, index: int) -> None:
        state = self.store.state
        if state.pinned == side and (state.query if side == QUERY else state.key) == index:
            self._set(self.tr("Unpin token"), pinned="")
        elif side == QUERY:
            self._set(self.tr("Pin query token"), pinned=QUERY, query=index)
        else:
            self._set(self.tr("Pin key token"), pinned=KEY, key=index)

    def _on_token_hovered(self, side: str, index: int) -> None:
        """A pointer over a token: the head view has drawn its lines and named its strongest partner; the per-head
        strip follows (nothing else changes: a hover must not relayout the page)."""
        if self.trace is not None:
            self._refresh_focus(*self.head_view.focus)

    def _refresh_focus(self, side: str, index: int) -> None:
        """The focused token's weights for every head of the layer: (H, T) — its row (query) or column (key)."""
        trace = self.trace
        layer = self._clamped(self.store.state).layer
        weights = trace.weights[layer]  # (H, T, T)
        heads = [f"h{h + 1}" for h in range(weights.shape[0])]
        labels = self._labels
        if index < 0:
            values = trace.received[layer]  # (H, T): what each key receives, averaged over the queries
            title = self.tr("no token focused: mean a each key receives")
        elif side == QUERY:
            values = weights[:, index, :]
            title = self.tr("focused query: its a over the keys")
        else:
            values = weights[:, :, index]
            title = self.tr("focused key: a of each query on it")
        self._focus_values = values  # (H, T)
        if title != self._focus_title:
            self._focus_title = title
            self.focus_view.set_title(title)
        ticks = (sparse_ticks(labels, self.focus_view.view.height() - 70), [(float(h), name) for h, name in enumerate(heads)])
        self.focus_view.set_data(values.T, labels, heads, levels=weight_levels(values), ticks=ticks)  # tokens down, as in the head view

    def _toggle_head(self, head: int) -> None:
        shown = set(self._heads_shown())
        shown.symmetric_difference_update({head})
        heads = self.trace.model.config.heads if self.trace else 0
        if not shown:
            self._show_input_message(self.tr("At least one head stays shown."), error=True)
            self._sync_controls(self.store.state)
            return
        self._set(self.tr("Toggle head {0}").format(head + 1), heads=() if len(shown) == heads else tuple(sorted(shown)))

    def _on_mosaic_clicked(self, row: int, col: int) -> None:
        if self._mosaic is None:
            return
        side = self._mosaic[2]
        layer, head = divmod(row, side + 1)[0], divmod(col, side + 1)[0]
        self._set(self.tr("Enlarge layer {0} head {1}").format(layer + 1, head + 1), layer=layer, head=head)

    # ---- state → trace → views --------------------------------------------------------------------------------
    def _encode(self, model: text_models.TextModel, state: TextState) -> text_models.Encoded:
        """The state's tokens (remembered: a layer or head change must not re-tokenise 512 tokens)."""
        key = (id(model), state.input, state.ids) if state.input == "ids" else (id(model), state.input, state.text, state.pair)
        if self._encoded is None or self._encoded[0] != key:
            encoded = text_models.encode(model, "", ids_text=state.ids) if state.input == "ids" else text_models.encode(model, state.text, state.pair)
            self._encoded = (key, encoded)
        return self._encoded[1]

    def _on_state_changed(self, state: TextState) -> None:
        start = time.perf_counter()
        model = self.models.get(state.model)
        if model is None:
            self.trace = None
            self._sync_controls(state)
            if state.model and state.model not in self._failed and not self.loading:  # e.g. a session restored
                self._clear_views(self.tr("Opening {0}…").format(pathlib.Path(state.model).name))
                self._open(state.model, then=lambda key: self._on_state_changed(self.store.state))
                return
            self._clear_views(self.tr("Open a BERT- or GPT-2-style save_pretrained folder (config.json, weights, tokenizer.json) to begin."))
            return
        try:
            encoded = self._encode(model, state)
            key = (state.model, encoded.ids, encoded.type_ids)
            if key != self._trace_key:
                trace = text_models.run(model, encoded.ids, encoded.type_ids, device=runtime.core_device())
                weights = to_numpy(trace.weights)
                self.trace = TextPageTrace(model, encoded, trace, weights, weights.mean(axis=2))
                self._trace_key = key
                self._labels = token_labels(list(encoded.tokens))
        except ValueError as exc:
            self._show_input_message(self.tr("{0} — keeping the last valid input.").format(exc), error=True, field=True)
            return
        self._show_input_message(encoded.notice or self.tr("{0} tokens").format(len(encoded.ids)), error=bool(encoded.notice))
        self._sync_controls(state)
        self._refresh_tab()
        self.recomputed.emit((time.perf_counter() - start) * 1000.0)

    def _show_input_message(self, text: str, *, error: bool = False, field: bool = False) -> None:
        """``field``: the typed input was refused (the field turns red and keeps what was typed)."""
        shown = (text, error, field)
        if shown == self._input_shown:  # restyling re-polishes: only when something changed
            return
        self._input_shown = shown
        self.input_message.setText(text)
        self.input_message.setStyleSheet(style.ERROR_STYLE if error else "")
        self.text_field.setStyleSheet(style.FIELD_ERROR_STYLE if field else "")

    def _heads_shown(self) -> list[int]:
        heads = self.trace.model.config.heads if self.trace else 0
        return [h for h in self.store.state.heads if h < heads] or list(range(heads))

    def _clamped(self, state: TextState) -> TextState:
        config, n = self.trace.model.config, self.trace.trace.length
        return replace(
            state,
            layer=min(max(state.layer, 0), config.layers - 1),
            head=min(max(state.head, 0), config.heads - 1),
            query=min(max(state.query, 0), n - 1),
            key=min(max(state.key, 0), n - 1),
        )

    def _sync_controls(self, state: TextState) -> None:
        model = self.models.get(state.model)
        self._sync_model_combo(state.model)
        for widget in (self.input_mode, self.text_field, self.pair_field, self.layer_spin):
            widget.blockSignals(True)
        self.input_mode.setCurrentIndex(self.input_mode.findData(state.input))
        typed = state.ids if state.input == "ids" else state.text
        if self.text_field.text() != typed:
            self.text_field.setText(typed)
        self.text_field.setPlaceholderText(self.tr("token ids, e.g. 2 17 40 3 (| starts sentence B)") if state.input == "ids" else self.tr("type text, then Enter"))
        if self.pair_field.text() != state.pair:
            self.pair_field.setText(state.pair)
        self.pair_field.setVisible(model is not None and model.family == "bert" and state.input == "text")
        text_item = self.input_mode.model().item(0)
        text_item.setEnabled(model is not None and model.tokenizer is not None)
        if model is not None:
            config = model.config
            self.layer_spin.setRange(1, config.layers)
            self.layer_spin.setValue(min(state.layer, config.layers - 1) + 1)
            kind = self.tr("BERT-style encoder") if config.family == "bert" else self.tr("GPT-2-style decoder (causal)")
            self.model_info.setText(
                self.tr("{0} · {1} layers × {2} heads · D = {3} · {4} positions · {5} M parameters").format(
                    kind, config.layers, config.heads, config.dim, config.max_positions, f"{model.parameter_count / 1e6:.2f}"
                )
                + ("" if model.tokenizer else self.tr(" · no tokenizer"))
            )
            self.model_info.setToolTip(
                (self.tr("post-norm encoder with segment embeddings") if config.family == "bert" else self.tr("pre-norm decoder: each token sees only itself and earlier ones"))
                + self.tr("; head size D_h = {0}; {1}; {2}").format(config.head_dim, config.activation, model.path)
            )
            self._sync_head_buttons(config.heads)
        for widget in (self.input_mode, self.text_field, self.pair_field, self.layer_spin):
            widget.blockSignals(False)

    def _sync_head_buttons(self, heads: int) -> None:
        colors = head_colors(heads)
        while len(self.head_buttons) < heads:
            index = len(self.head_buttons)
            button = QPushButton(str(index + 1))
            button.setCheckable(True)
            button.setFixedWidth(30)
            button.clicked.connect(lambda _=False, index=index: self._toggle_head(index))
            self.heads_row.addWidget(button)
            self.head_buttons.append(button)
            self._button_styles.append("")
        shown = set(self._heads_shown()) if self.trace else set()
        for index, button in enumerate(self.head_buttons):
            button.setVisible(index < heads)
            if index >= heads:
                continue
            color = colors[index].name()
            on = index in shown
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)
            sheet = f"QPushButton {{ background: {color if on else '#ffffff'}; color: {'#ffffff' if on else color}; border: 2px solid {color}; border-radius: 4px; font-weight: bold; padding: 2px; }}"
            if self._button_styles[index] != sheet:  # restyling is slow: only when the look changes
                self._button_styles[index] = sheet
                button.setStyleSheet(sheet)
                button.setToolTip((self.tr("head {0}: shown — click to hide") if on else self.tr("head {0}: hidden — click to show")).format(index + 1))

    def _clear_views(self, message: str) -> None:
        self.head_view.set_data(np.zeros((0, 0, 0), np.float32), [], [])
        self.head_note.setText(message)
        self.model_info.setText("")

    def _refresh_tab(self) -> None:
        if self.trace is None:
            return
        tab = self.tabs.currentIndex()
        if tab == TAB_HEAD:
            self._refresh_head_view()
        elif tab == TAB_MODEL:
            self._refresh_model_view()
        elif tab == TAB_QK:
            self._refresh_query_key()

    def _refresh_head_view(self) -> None:
        state = self._clamped(self.store.state)
        trace = self.trace
        self.head_view.set_data(trace.weights[state.layer], trace.encoded.tokens, self._heads_shown())
        self.head_view.set_pinned(state.pinned, state.query if state.pinned == QUERY else state.key)
        self._refresh_focus(*self.head_view.focus)
        self._update_head_note()

    def _update_head_note(self) -> None:
        state, trace = self._clamped(self.store.state), self.trace
        causal = self.tr(" GPT-2 is causal: a token only looks back (lines go up or across, never down).") if trace.model.config.causal else ""
        if state.pinned:
            index = state.query if state.pinned == QUERY else state.key
            if state.pinned == QUERY:
                pinned = self.tr("Pinned query “{0}”: where it looks; click it again to unpin.").format(trace.encoded.tokens[index])
            else:
                pinned = self.tr("Pinned key “{0}”: which tokens look at it; click it again to unpin.").format(trace.encoded.tokens[index])
        else:
            pinned = self.tr("Showing the strongest lines ({0}). Hover a token to see all of its lines; click to pin it.").format(self.head_view.line_count)
        self.head_note.setText(self.tr("Layer {0}: one colour per head, opacity grows with the weight a. {1}").format(state.layer + 1, pinned + causal))

    def _refresh_model_view(self) -> None:
        state = self._clamped(self.store.state)
        trace = self.trace
        config = trace.model.config
        if self._mosaic is None or self._mosaic[0] != self._trace_key:
            image, gaps, factor, side = mosaic(trace.weights)
            step = side + 1
            ticks = ([(layer * step + (side - 1) / 2, f"L{layer + 1}") for layer in range(config.layers)], [(head * step + (side - 1) / 2, f"H{head + 1}") for head in range(config.heads)])
            self.mosaic_view.set_data(image, blocked=gaps, ticks=ticks, levels=weight_levels(image))  # one scale for all
            pooled = self.tr(" (max-pooled {0}×{0})").format(factor) if factor > 1 else ""
            self.mosaic_view.set_title(self.tr("{0} layers × {1} heads{2} — click one to enlarge").format(config.layers, config.heads, pooled))
            self._mosaic = (self._trace_key, factor, side)
        side = self._mosaic[2]
        self._frame.setRect(state.head * (side + 1) - 0.5, state.layer * (side + 1) - 0.5, side, side)
        labels = self._labels
        self.enlarged_view.set_title(self.tr("layer {0}, head {1}").format(state.layer + 1, state.head + 1))
        weights = trace.weights[state.layer, state.head]
        self.enlarged_view.set_data(weights, labels, labels, levels=weight_levels(weights), ticks=self._map_ticks(self.enlarged_view))

    def _map_ticks(self, view: Heatmap) -> tuple:
        """Token ticks of a T × T map, spaced by the room the view has (long bottom labels need more)."""
        widest = max((len(label) for label in self._labels), default=1)
        return (sparse_ticks(self._labels, view.view.height() - 70), sparse_ticks(self._labels, view.view.width() - 120, 7.0 * widest + 8))

    def _describe_mosaic_cell(self, row: int, col: int) -> str:
        if self._mosaic is None or row < 0 or self._mosaic[0] != self._trace_key:  # none, or drawn from an older trace
            return self.tr("hover a thumbnail for its weights; click one to enlarge it")
        _, factor, side = self._mosaic
        (layer, r), (head, c) = divmod(row, side + 1), divmod(col, side + 1)
        if r == side or c == side:
            return " "
        tokens = self.trace.encoded.tokens
        if factor == 1:
            return self.tr("layer {0}, head {1}: query “{2}” ({3}) → key “{4}” ({5}):  a = {6}").format(layer + 1, head + 1, tokens[r], r, tokens[c], c, f"{self.trace.weights[layer, head, r, c]:.4f}")
        n = len(tokens)
        rows, cols = (r * factor, min(n, (r + 1) * factor) - 1), (c * factor, min(n, (c + 1) * factor) - 1)
        value = self.mosaic_view.values[row, col]
        return self.tr("layer {0}, head {1}: queries {2}–{3} → keys {4}–{5}:  max a = {6} (click to enlarge)").format(layer + 1, head + 1, rows[0], rows[1], cols[0], cols[1], f"{value:.4f}")

    def _refresh_query_key(self) -> None:
        state = self._clamped(self.store.state)
        trace = self.trace
        config = trace.model.config
        tokens = trace.encoded.tokens
        labels = self._labels
        self.pair_map.set_title(self.tr("layer {0}, head {1} (click a pair)").format(state.layer + 1, state.head + 1))
        weights = trace.weights[state.layer, state.head]
        self.pair_map.set_data(weights, labels, labels, levels=weight_levels(weights), ticks=self._map_ticks(self.pair_map))
        self.pair_map.set_highlight(row=state.query, col=state.key)
        pair = text_models.query_key(trace.trace, state.layer, state.query, state.key)
        heads = [f"h{h + 1}" for h in range(config.heads)]
        dims = [str(d) for d in range(config.head_dim)]
        q, k, product = to_numpy(pair.q), to_numpy(pair.k), to_numpy(pair.product)
        bound = float(max(np.abs(q).max(), np.abs(k).max(), 1e-6))
        self.q_view.set_title(self.tr("q of “{0}”").format(tokens[state.query]))
        self.q_view.set_data(q.T, dims, heads, levels=(-bound, bound))  # (D_h, H)
        self.k_view.set_title(self.tr("k of “{0}”").format(tokens[state.key]))
        self.k_view.set_data(k.T, dims, heads, levels=(-bound, bound))
        self.product_view.set_data(product.T, dims, heads)
        scores, weights = to_numpy(pair.scores), to_numpy(pair.weights)
        self.score_chart.set_data(scores, heads, highlight=state.head)
        self.weight_chart.set_data(weights, heads, highlight=state.head)
        scale = f"/√{config.head_dim}" if config.scale_attention else ""
        masked = self.tr(" <b>This pair is masked</b> (the key comes after the query): its score never reaches the softmax, so a = 0.") if pair.masked else ""
        self.qk_caption.setText(
            self.tr(
                "Layer {0}: query “{1}” ({2}) → key “{3}” ({4}). Each head scores the pair as "
                "e<sub>h</sub> = Σ<sub>d</sub> (q<sub>h</sub> ⊙ k<sub>h</sub>)<sub>d</sub>{5}; the softmax over all keys gives a<sub>h</sub>.{6}"
            ).format(state.layer + 1, tokens[state.query], state.query, tokens[state.key], state.key, scale, masked)
        )

    # ---- export / screenshot ----------------------------------------------------------------------------------
    def export_view(self) -> QWidget:
        return self.tabs.currentWidget()

    def export_data(self) -> ViewData:
        if self.trace is None:
            return ViewData({})
        state = self._clamped(self.store.state)
        trace = self.trace
        labels = token_labels(list(trace.encoded.tokens))
        pair = text_models.query_key(trace.trace, state.layer, state.query, state.key)
        arrays = {
            "weights": trace.weights[state.layer, state.head],
            "attentions": trace.weights,
            "scores_per_head": to_numpy(pair.scores),
            "q": to_numpy(pair.q),
            "k": to_numpy(pair.k),
            "input_ids": np.array(trace.encoded.ids, np.float32),
        }
        return ViewData(arrays, {"weights": labels}, {"weights": labels})
