"""Seq2seq with RNNs (notes §1), page id ``seq2seq``.

A GRU encoder reads the input into states h_i; a GRU decoder writes the output one token at a time. Without
attention every step reads the same context c (the bottleneck); with Bahdanau attention step t scores s_{t-1}
against every h_i (e_t), normalises (a_t) and reads c_t = Σ a_t,i h_i. Step / Run / Back / Reset walk through the
decode with real trained models (bundled, trained here, or opened); click an input position to force a_t there;
compare greedy with beam search; measure the bottleneck (accuracy against input length); train a model.
"""

from __future__ import annotations

import html
import json
import math
import random
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGraphicsItem,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import seq2seq as s2s
from core import similarity as similarities
from core.arrays import to_numpy
from explorer.appearance import appearance
from explorer.i18n import QT_TRANSLATE_NOOP, core_text
from explorer.pages.base import Page, ViewData
from explorer.pages.common import set_quietly
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.beam_tree import BeamTree, TreeNode
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.repaint import repaint_together
from explorer.widgets.table import TextTable
from explorer.workers import Job, ProcessJob, prewarm

TAB_STEP, TAB_BEAM, TAB_BOTTLENECK, TAB_TRAIN = range(4)
TOP_K = 5  # probabilities shown per step
VECTOR_ROWS = ("s_t−1", "c_t", "s_t")  # the vectors view: the state before the step, what it read, the state after
BAD_CHAR = "background:#ffd6d6; color:#b00020; font-weight:bold;"
Forced = tuple[tuple[int, tuple[float, ...]], ...]
BOTTLENECK_NOTES = {
    "reverse": QT_TRANSLATE_NOOP(
        "Seq2SeqPage",
        "One fixed vector c has to carry the whole input: as inputs grow, the decoder without attention loses them. "
        "With attention each step reads the states it needs, and accuracy holds.",
    ),
    "sort": QT_TRANSLATE_NOOP(
        "Seq2SeqPage",
        "Sorting needs counts, not positions: 26 letter counts fit in one vector c, so the fixed context copes here, "
        "and the attention model (trained as briefly) does worse. The bottleneck bites when positions matter: try reverse or copy.",
    ),
    "date": QT_TRANSLATE_NOOP(
        "Seq2SeqPage",
        "Dates have at most 18 characters: short enough for one vector c, so both decoders are near 100 %. "
        "The bottleneck bites on long inputs: try reverse or copy.",
    ),
}
BOTTLENECK_NOTES["copy"] = BOTTLENECK_NOTES["reverse"]


@dataclass(frozen=True)
class Seq2SeqState:
    """What the user set on this page (plain data: compared, undone, redone)."""

    task: str = "reverse"
    model: str = "bundled:reverse-bahdanau"  # a key of the page's model catalogue
    text: str = "attention"  # the last valid input
    steps: int = 0  # decoder steps asked for; Run asks for the model's maximum (decoding stops at </s>)
    forced: Forced = ()  # (t, a_t) the user imposed at step t
    beam_width: int = 3


@dataclass
class ModelEntry:
    key: str
    label: str
    model: s2s.Seq2Seq
    info: dict  # what the sidecar (or the training run) records: {"test": {...}, ...}


def _accuracy_text(info: dict) -> str:
    test = info.get("test", {})
    if "exact_match" in test:
        return QCoreApplication.translate("Seq2SeqPage", "test {0}").format(f"{test['exact_match']:.1%}")
    if "held_out_exact_match" in info:
        return QCoreApplication.translate("Seq2SeqPage", "held-out {0}").format(f"{info['held_out_exact_match']:.1%}")
    return ""


def _model_label(config: s2s.Seq2SeqConfig, source: str, info: dict) -> str:
    if config.attention:
        kind = QCoreApplication.translate("Seq2SeqPage", "Bahdanau attention ({0})").format(config.scoring)
    else:
        kind = QCoreApplication.translate("Seq2SeqPage", "no attention (fixed c)")
    if source == "bundled":
        source = QCoreApplication.translate("Seq2SeqPage", "bundled")
    chars = QCoreApplication.translate("Seq2SeqPage", "≤ {0} chars").format(config.max_input_len)
    extra = ", ".join(x for x in (source, _accuracy_text(info), chars) if x)
    return f"{kind} — {extra}"


def _escape(text: str) -> str:
    """Text for a rich-text label (quotes stay as they are)."""
    return html.escape(text, quote=False)


class _LineSlot(QWidget):
    """The space of one label in a layout, the label kept at exactly that size.

    QLabel.setText asks its parent's layout to lay out again unless the label's size is fixed, and the request climbs
    every layout up to the window: a Step set three labels (the output, the step, the matrix readout) and paid a layout
    pass of the page (with the rich-text labels' size hints) and the repaint of what it touched, ~5 ms. The slot takes
    the width the layout gives it and fixes its label to it, so a new text only repaints the label.
    """

    def __init__(self, label: QLabel, lines: float) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(int(label.fontMetrics().height() * lines))
        self.label = label

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.label.setFixedSize(self.size())
        super().resizeEvent(event)


def _one_line(label: QLabel, lines: float) -> QWidget:
    """A label whose new text never re-lays out the page: fixed height, width taken from the layout. Returns what to
    add to a layout in its place (the label already in a layout is replaced there)."""
    slot = _LineSlot(label, lines)
    holder = label.parentWidget()
    if holder is not None and holder.layout() is not None:
        holder.layout().replaceWidget(label, slot)
    label.setParent(slot)
    return slot


def _cache_drawn_items(view) -> None:
    """Keep the left, bottom and top axes and the colorbar's bar of a heatmap or bar chart as pixmaps, redrawn only
    when they change.

    A step changes the data of every view but the axes of few: yet each paint of a view region that an axis touches
    (its ticks reach 5 px into the plot) replays the axis's recorded tick labels, shaping every label again, about
    0.5 ms an axis. pyqtgraph calls update() on an axis whose ticks, range, pens, font or label change, which redraws
    its cache. Right axes (the plot's and the colorbar's) stay uncached: the cache loses their line (a screenshot
    differs), which no other item's cache does; nor the title, whose cached text lands a subpixel off.
    """
    plot = view.plot
    cached = [entry["item"] for key, entry in plot.axes.items() if key != "right"]
    colorbar = getattr(view, "colorbar", None)
    if colorbar is not None:
        cached.append(colorbar.bar)
    for item in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def highlighted(text: str, positions: tuple[int, ...]) -> str:
    """The input as rich text with the characters at ``positions`` marked."""
    bad = set(positions)
    cells = [f"<span style='{BAD_CHAR}'>{_escape(s2s.shown(ch))}</span>" if i in bad else _escape(ch) for i, ch in enumerate(text)]
    return "".join(cells)


class Seq2SeqPage(Page):
    page_id = "seq2seq"
    title = "Seq2seq with RNNs"
    repaint_on_recompute = False  # it knows which of its views changed (_refresh_step_views)

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.models: dict[str, ModelEntry] = {}
        self._bundled = {f"bundled:{m.name}": m for m in s2s.bundled()}
        self._trained_count = 0
        self.encoder_trace: s2s.EncoderTrace | None = None
        self._encoded_by: s2s.Seq2Seq | None = None  # the model that made encoder_trace
        self._shown_encoder: s2s.EncoderTrace | None = None  # what the encoder heatmap shows
        self._titles: dict[int, str] = {}
        self._catalogue_listed: tuple | None = None  # (task, model keys) the model list was last filled for
        self._changed_views: list = []  # views set since the last repaint (see repaint_together)
        self.decoding: s2s.Decoding | None = None
        self.beam: s2s.BeamTrace | None = None
        self.view_step: int | None = None  # the step whose details are shown (None: the last)
        self.selected_hypothesis = 0
        self.train_job: Job | None = None
        self.train_job_limit_s: float | None = None
        self.trained: ModelEntry | None = None
        self.bottleneck_job: Job | None = None
        self.bottleneck: dict[str, dict[int, float]] = {}
        self._bottleneck_key: tuple | None = None
        self._bottleneck_seed = 0
        initial = Seq2SeqState()
        if initial.model not in self._bundled:  # resources missing: start without a model
            initial = replace(initial, model=self._default_model(initial.task))
        self._build()
        self.store = StateStore(initial, undo_stack, self)
        self.store.stateChanged.connect(self._on_state_changed)
        self._on_state_changed(self.store.state)
        QApplication.instance().aboutToQuit.connect(self.stop_jobs)

    def background_jobs(self) -> list:
        return [self.train_job, self.bottleneck_job]

    # ---- the model catalogue --------------------------------------------------------------------------------------
    def _default_model(self, task: str) -> str:
        keys = [k for k, m in self._bundled.items() if m.config.task == task]
        return keys[0] if keys else ""

    def model_entry(self, key: str) -> ModelEntry | None:
        if not key:
            return None
        entry = self.models.get(key)
        if entry is None and key.startswith("file:"):  # e.g. a restored session: open the file again
            try:
                self._add_file_model(key[len("file:"):])
            except s2s.CheckpointError:
                return None
            entry = self.models.get(key)
        if entry is None and key in self._bundled:
            bundled = self._bundled[key]
            try:
                model = s2s.load(bundled.path, task=bundled.config.task)
            except s2s.CheckpointError as exc:  # a damaged install: say so, keep the page alive
                self.show_message(self.tr("The bundled model {0} cannot be read: {1}").format(bundled.name, _escape(str(exc))))
                return None
            info = {"test": bundled.test, "training": bundled.training}
            entry = ModelEntry(key, _model_label(model.config, "bundled", info), model, info)
            self.models[key] = entry
        return entry

    def _catalogue(self, task: str) -> list[tuple[str, str]]:
        """(key, label) of every model for ``task``: bundled first, then trained here or opened."""
        rows = []
        for key, bundled in self._bundled.items():
            if bundled.config.task == task:
                info = {"test": bundled.test}
                rows.append((key, _model_label(bundled.config, "bundled", info)))
        rows += [(key, e.label) for key, e in self.models.items() if not key.startswith("bundled:") and e.model.config.task == task]
        return rows

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("Seq2seq with RNNs (§1)"),
            self.tr(
                "An encoder GRU reads the input into states h<sub>i</sub>; a decoder GRU writes the output one token at a time "
                "from its state s<sub>t</sub>. Without attention every step reads one fixed context c — the whole input squeezed "
                "into one vector, a bottleneck. With Bahdanau attention step t scores s<sub>t−1</sub> against every h<sub>i</sub>, "
                "normalises the scores and reads its own context. <i>Step through a real trained model, click a weight bar to "
                "force the attention elsewhere, compare beam search, measure the bottleneck, train your own.</i>"
            ),
            "e<sub>t,i</sub> = f<sub>att</sub>(s<sub>t−1</sub>, h<sub>i</sub>) &nbsp;&nbsp; a<sub>t</sub> = softmax(e<sub>t</sub>) "
            "&nbsp;&nbsp; c<sub>t</sub> = Σ<sub>i</sub> a<sub>t,i</sub> h<sub>i</sub> &nbsp;&nbsp; "
            "s<sub>t</sub> = GRU([y<sub>t−1</sub> ; c<sub>t</sub>], s<sub>t−1</sub>)",
        )

        self.task_combo = QComboBox()
        for task in s2s.TASKS.values():
            label = core_text(task.label)
            self.task_combo.addItem(f"{label}  ({task.description.split(',')[0]}…)" if task.name == "date" else f"{label}  ({task.description})", task.name)
        self.task_combo.setToolTip(self.tr("The task the bundled models were trained on: the input and the output it should give"))
        self.task_combo.currentIndexChanged.connect(self._on_task_chosen)
        self.model_combo = QComboBox()
        self.model_combo.setMinimumContentsLength(24)
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setToolTip(self.tr("The trained model that decodes: with Bahdanau attention or with one fixed context c"))
        self.model_combo.currentIndexChanged.connect(self._on_model_chosen)
        self.open_button = QPushButton(self.tr("Open…"))
        self.open_button.setToolTip(self.tr("Load a seq2seq checkpoint (.safetensors) trained with `attention-explorer train seq2seq`"))
        self.open_button.clicked.connect(self._on_open_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Task")))
        top.addWidget(self.task_combo)
        top.addWidget(QLabel(self.tr("Model")))
        top.addWidget(self.model_combo, 1)
        top.addWidget(self.open_button)

        self.input_field = QLineEdit()
        self.input_field.setPlaceholderText(self.tr("type an input"))
        self.input_field.textEdited.connect(self._on_text_edited)
        self.example_button = QPushButton(self.tr("Example"))
        self.example_button.setToolTip(self.tr("A random input of this task"))
        self.example_button.clicked.connect(self._on_example_clicked)
        self.step_button = QPushButton(self.tr("Step ▸"))
        self.step_button.setToolTip(self.tr("One decoder step: score, weigh, read c_t, update s_t, emit y_t"))
        self.run_button = QPushButton(self.tr("Run ▸▸"))
        self.run_button.setToolTip(self.tr("Decode to </s>"))
        self.back_button = QPushButton(self.tr("◂ Back"))
        self.back_button.setToolTip(self.tr("Undo the last decoder step"))
        self.reset_button = QPushButton(self.tr("Reset"))
        self.reset_button.setToolTip(self.tr("Back to before the first step"))
        self.clear_forcing_button = QPushButton(self.tr("Clear forcing"))
        self.clear_forcing_button.setToolTip(self.tr("Let the model compute a_t again at every step"))
        self.step_button.clicked.connect(self.step)
        self.run_button.clicked.connect(self.run)
        self.back_button.clicked.connect(self.back)
        self.reset_button.clicked.connect(self.reset)
        self.clear_forcing_button.clicked.connect(self._clear_forcing)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Input")))
        controls.addWidget(self.input_field, 1)
        controls.addWidget(self.example_button)
        controls.addSpacing(12)
        for button in (self.step_button, self.run_button, self.back_button, self.reset_button, self.clear_forcing_button):
            controls.addWidget(button)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.hide()
        self.output_label = QLabel("")
        self.output_label.setTextFormat(Qt.TextFormat.RichText)
        output_line = _one_line(self.output_label, 1.9)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_step_tab(), self.tr("Step through"))
        # The other tabs are built when first needed (see __getattr__): about 140 ms of the page's 320, on the path
        # from launch to the first page shown, for tabs a user may never open.
        for title in (self.tr("Beam search"), self.tr("Bottleneck"), self.tr("Train")):
            slot = QWidget()
            QVBoxLayout(slot).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(slot, title)
        self._later_tabs_built = False
        self.tabs.currentChanged.connect(self._on_tab_changed)

        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(output_line)
        layout.addWidget(self.tabs, 1)

    def _build_later_tabs(self) -> None:
        """Build the beam, bottleneck and train tabs into their slots (once)."""
        if self.__dict__.get("_later_tabs_built", True):
            return
        self._later_tabs_built = True
        for index, build in ((TAB_BEAM, self._build_beam_tab), (TAB_BOTTLENECK, self._build_bottleneck_tab), (TAB_TRAIN, self._build_train_tab)):
            tab = build()
            self.tabs.widget(index).layout().addWidget(tab)
            appearance().apply_to(tab)  # the theme, colormaps and font scale chosen since the page was made
        if "store" in self.__dict__:
            set_quietly(self.beam_width, self.store.state.beam_width)

    # What the beam, bottleneck and train tabs' builders make (a test checks the list against them).
    LATER_TAB_WIDGETS = frozenset(
        "accuracy_curve accuracy_plot beam_matrix beam_table beam_tree beam_width bottleneck_button bottleneck_curves "
        "bottleneck_note bottleneck_per_length bottleneck_plot bottleneck_progress bottleneck_summary cancel_button "
        "loss_curve loss_plot save_button train_bidirectional train_button train_decoder train_hidden train_max_len "
        "train_progress train_scoring train_status train_steps train_time train_view use_button".split()
    )

    def __getattr__(self, name: str):
        """Reached only for an attribute not found: a widget of a tab not built yet is built with its tab (the page's
        code and its tests use them as if they had always been there). Anything else is the usual AttributeError."""
        if name in self.LATER_TAB_WIDGETS and not self.__dict__.get("_later_tabs_built", True):
            self._build_later_tabs()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _build_step_tab(self) -> QWidget:
        self.encoder_map = Heatmap(self.tr("encoder states h<sub>i</sub>"), colormap=style.DIVERGING, levels=(-1.0, 1.0), row_name="dimension", col_name="input", value_name="h")
        self.encoder_map.cellClicked.connect(lambda row, col: self.force_attention(col))
        self.scores_chart = BarChart(self.tr("scores e<sub>t,i</sub>"), value_name="e", color=style.KEY)
        self.weights_chart = BarChart(self.tr("weights a<sub>t</sub>"), value_name="a", levels=(0.0, 1.25), color=style.QUERY)
        self.weights_chart.barClicked.connect(self.force_attention)
        self.matrix = Heatmap(self.tr("attention a (outputs × inputs)"), row_name="output", col_name="input", value_name="a")
        self.matrix.cellClicked.connect(lambda row, col: self._select_step(row + 1))
        self.vectors = Heatmap("s<sub>t−1</sub>, c<sub>t</sub>, s<sub>t</sub>", colormap=style.DIVERGING, levels=(-1.0, 1.0), row_name="vector", col_name="dimension", value_name="value")
        self.matrix.idle_text = self.tr("row t = a_t of step t: hover for values, click a row to see its step")
        for view in (self.vectors, self.matrix):  # their grey cells are what the next step computes, not masked ones
            view.blocked_text, view.blocked_cell_text = self.tr("not computed yet (press Step)"), ""
        self.probs_chart = BarChart("p(y<sub>t</sub> | y<sub>&lt;t</sub>, x)", value_name="p", levels=(0.0, 1.25), color=style.INPUT)
        self.step_label = QLabel("")
        self.step_label.setTextFormat(Qt.TextFormat.RichText)
        step_line = _one_line(self.step_label, 1.6)
        for view in (self.encoder_map, self.scores_chart, self.weights_chart, self.matrix, self.vectors, self.probs_chart):
            _one_line(view.readout, 1.3)
        for view, height in ((self.encoder_map, 110), (self.scores_chart, 90), (self.weights_chart, 90), (self.vectors, 120), (self.probs_chart, 90)):
            view.view.setMinimumHeight(height)
        self.encoder_map.setToolTip(self.tr("h_i = [→h_i ; ←h_i], one column per input character. Click a column to put all of a_t there."))
        self.scores_chart.setToolTip(self.tr("e_t,i = f_att(s_t−1, h_i): how well the decoder state before step t matches input i"))
        self.weights_chart.setToolTip(self.tr("a_t = softmax(e_t): where step t reads. Click a bar to force all the weight there (“what if?”)."))
        self.matrix.setToolTip(self.tr("Row t is a_t: filled one row per step. Click a row to see that step's details."))
        self.vectors.setToolTip(self.tr("s_t−1 (the state before the step), c_t = Σ a_t,i h_i (what it read) and s_t (the state after)"))
        self.probs_chart.setToolTip(self.tr("The five most likely next tokens; greedy decoding emits the first"))
        for view, width in ((self.matrix, 46), (self.scores_chart, 34), (self.weights_chart, 34), (self.probs_chart, 34)):
            view.plot.getAxis("left").setWidth(width)  # new tick labels at each step must not re-lay out the plot
        for chart in (self.scores_chart, self.weights_chart, self.probs_chart):
            for side in ("left", "bottom", "right", "top"):  # no axis has a title to carry an SI prefix: without this,
                chart.plot.getAxis(side).enableAutoSIPrefix(False)  # each range change re-set its hidden title's HTML
        for view in (self.encoder_map, self.scores_chart, self.weights_chart, self.matrix, self.vectors, self.probs_chart):
            _cache_drawn_items(view)
        for heatmap, axis in ((self.encoder_map, "left"), (self.vectors, "bottom")):  # 64–256 dimensions: the readout names them
            heatmap.plot.getAxis(axis).setStyle(showValues=False)
            heatmap.plot.setLabel(axis, self.tr("dimension"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.encoder_map, 4)
        left_layout.addWidget(self.scores_chart, 3)
        left_layout.addWidget(self.weights_chart, 3)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.matrix, 5)
        right_layout.addWidget(self.vectors, 3)
        right_layout.addWidget(self.probs_chart, 3)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(step_line)
        layout.addWidget(splitter, 1)
        return tab

    def _build_beam_tab(self) -> QWidget:
        self.beam_width = QSpinBox()
        self.beam_width.setRange(1, 8)
        self.beam_width.setPrefix(self.tr("width k = "))
        self.beam_width.setToolTip(self.tr("Beam width k: how many prefixes are kept at each step"))
        self.beam_width.valueChanged.connect(lambda k: self._set(self.tr("Beam width"), merge_key="beam_width", beam_width=int(k)))
        explanation = QLabel(self.tr("Keep the k most likely prefixes (sum of log p) at each step; each proposes its k best next tokens. k = 1 is greedy decoding."))
        explanation.setWordWrap(True)
        self.beam_tree = BeamTree(self.tr("beam tree: ● prefix, ■ ended by &lt;/s&gt;"))
        self.beam_tree.setToolTip(self.tr("Every kept hypothesis, one column per step; click a node for its log p"))
        self.beam_tree.nodeClicked.connect(self._on_beam_node_clicked)
        self.beam_table = TextTable([self.tr("output"), "log p", self.tr("steps"), self.tr("correct")])
        self.beam_table.setToolTip(self.tr("The finished hypotheses, best first: output, total log-probability, length, and whether it is right"))
        self.beam_table.clicked.connect(lambda index: self._select_hypothesis(index.row()))
        self.beam_matrix = Heatmap(self.tr("attention of the selected branch"), row_name="output", col_name="input", value_name="a")
        row = QHBoxLayout()
        row.addWidget(self.beam_width)
        row.addWidget(explanation, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.beam_table)
        right.addWidget(self.beam_matrix)
        right.setStretchFactor(1, 2)
        splitter = QSplitter()
        splitter.addWidget(self.beam_tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        return tab

    def _build_bottleneck_tab(self) -> QWidget:
        self.bottleneck_per_length = QSpinBox()
        self.bottleneck_per_length.setRange(10, 2000)
        self.bottleneck_per_length.setValue(100)
        self.bottleneck_per_length.setSuffix(self.tr(" inputs per length"))
        self.bottleneck_button = QPushButton(self.tr("Recompute on fresh test sets"))
        self.bottleneck_button.clicked.connect(self.recompute_bottleneck)
        self.bottleneck_progress = QProgressBar()
        self.bottleneck_progress.setMaximumWidth(200)
        self.bottleneck_progress.hide()
        controls = QHBoxLayout()
        controls.addWidget(self.bottleneck_per_length)
        controls.addWidget(self.bottleneck_button)
        controls.addWidget(self.bottleneck_progress)
        controls.addStretch(1)
        self.bottleneck_plot = pg.PlotWidget(title=self.tr("exact-match accuracy against input length (bundled models, greedy)"))
        self.bottleneck_plot.setToolTip(self.tr("Share of test inputs decoded exactly right, by input length, with attention and with one fixed c"))
        plot = self.bottleneck_plot.getPlotItem()
        plot.setLabel("bottom", self.tr("input length N"))
        plot.setLabel("left", self.tr("exact match (%)"))
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        plot.setYRange(0, 102, padding=0)
        plot.addLegend(offset=(-10, -10))
        self.bottleneck_curves = {
            "attention": plot.plot([], [], pen=pg.mkPen(style.QUERY, width=2.5), symbol="o", symbolSize=7, symbolBrush=style.QUERY, name=self.tr("with attention")),
            "none": plot.plot([], [], pen=pg.mkPen(style.INPUT, width=2.5), symbol="s", symbolSize=7, symbolBrush=style.INPUT, name=self.tr("no attention (fixed c)")),
        }
        self.bottleneck_summary = QLabel(self.tr("Open this tab (or press Recompute) to measure."))
        self.bottleneck_summary.setWordWrap(True)
        self.bottleneck_note = QLabel("")
        self.bottleneck_note.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.bottleneck_note)
        layout.addLayout(controls)
        layout.addWidget(self.bottleneck_plot, 1)
        layout.addWidget(self.bottleneck_summary)
        return tab

    def _build_train_tab(self) -> QWidget:
        self.train_decoder = QComboBox()
        self.train_decoder.addItem(self.tr("Bahdanau attention"), "bahdanau")
        self.train_decoder.addItem(self.tr("no attention (fixed c)"), "none")
        self.train_scoring = QComboBox()
        for name in s2s.SCORINGS:
            self.train_scoring.addItem(core_text(similarities.get(name).label), name)
        self.train_bidirectional = QCheckBox(self.tr("bidirectional encoder"))
        self.train_bidirectional.setChecked(True)
        self.train_hidden = QSpinBox()
        self.train_hidden.setRange(4, 256)
        self.train_hidden.setValue(32)
        self.train_hidden.setSuffix(self.tr(" units per direction"))
        self.train_max_len = QSpinBox()
        self.train_max_len.setRange(2, 40)
        self.train_max_len.setValue(12)
        self.train_max_len.setSuffix(self.tr(" characters"))
        self.train_steps = QSpinBox()
        self.train_steps.setRange(10, 100_000)
        self.train_steps.setValue(1500)
        self.train_time = QSpinBox()
        self.train_time.setRange(5, 3600)
        self.train_time.setValue(90)
        self.train_time.setSuffix(self.tr(" s at most"))
        form = QFormLayout()
        form.addRow(self.tr("Decoder"), self.train_decoder)
        form.addRow(self.tr("Scoring f_att"), self.train_scoring)
        form.addRow("", self.train_bidirectional)
        form.addRow(self.tr("GRU size"), self.train_hidden)
        form.addRow(self.tr("Longest input"), self.train_max_len)
        form.addRow(self.tr("Steps"), self.train_steps)
        form.addRow(self.tr("Time"), self.train_time)
        self.train_steps.valueChanged.connect(lambda _: self._plan_changed())
        self.train_button = QPushButton(self.tr("Train"))
        self.train_button.clicked.connect(self.start_training)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_training)
        self.save_button = QPushButton(self.tr("Save…"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.use_button = QPushButton(self.tr("Use this model"))
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.use_trained)
        buttons = QGridLayout()
        buttons.addWidget(self.train_button, 0, 0)
        buttons.addWidget(self.cancel_button, 0, 1)
        buttons.addWidget(self.use_button, 1, 0)
        buttons.addWidget(self.save_button, 1, 1)
        self.train_progress = QProgressBar()
        self.train_status = QLabel(self.tr("Trains on the selected task in the background; the page stays usable."))
        self.train_status.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.train_progress)
        left_layout.addWidget(self.train_status)
        left_layout.addStretch(1)
        self.train_view = pg.GraphicsLayoutWidget()
        self.loss_plot = self.train_view.addPlot(row=0, col=0, title=self.tr("training loss (cross-entropy per token)"))
        self.accuracy_plot = self.train_view.addPlot(row=1, col=0, title=self.tr("held-out exact match (%)"))
        self.train_view.setToolTip(self.tr("The training loss per step, and the share of held-out inputs decoded exactly right"))
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setLabel("bottom", self.tr("step"))
        self.accuracy_plot.setYRange(0, 102, padding=0)
        self.accuracy_plot.setXLink(self.loss_plot)  # one step axis for both curves
        self.loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen(style.INPUT, width=2))
        self.accuracy_curve = self.accuracy_plot.plot([], [], pen=pg.mkPen(style.QUERY, width=2), symbol="o", symbolSize=5, symbolBrush=style.QUERY)
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.addWidget(left, 2)
        layout.addWidget(self.train_view, 3)
        return tab

    # ---- edits (widget → state) -------------------------------------------------------------------------------
    def _set(self, undo_text: str, merge_key=None, **changes) -> None:
        self.store.set(replace(self.store.state, **changes), undo_text, merge_key=merge_key)

    def show_message(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style.ERROR_STYLE if error else "color: #205020;")
        self.message.setVisible(bool(text))

    def _on_task_chosen(self, index: int) -> None:
        task = self.task_combo.itemData(index)
        if task == self.store.state.task:
            return
        self.show_message("")
        self._set(self.tr("Task: {0}").format(task), task=task, model=self._default_model(task), text=s2s.get_task(task).example, steps=0, forced=())
        if not self.store.state.model:
            self.show_message(self.tr("No model for the {0} task is bundled here: train one in the Train tab, or Open… a checkpoint.").format(task))

    def _on_model_chosen(self, index: int) -> None:
        key = self.model_combo.itemData(index)
        if key and key != self.store.state.model:
            self.choose_model(key)

    def choose_model(self, key: str) -> bool:
        """Use the model ``key`` if it can read the current input (else say why and keep the current one)."""
        entry = self.model_entry(key)
        state = self.store.state
        try:
            s2s.check_input(entry.model.config, state.text)
        except s2s.InputError as exc:
            self._sync_controls(state)
            self.show_message(self.tr("That model cannot read “{0}”: {1}").format(_escape(state.text), _escape(str(exc))))
            return False
        self.show_message("")
        self._set(self.tr("Choose model"), model=key, forced=())
        return True

    def _on_text_edited(self, text: str) -> None:
        entry = self.model_entry(self.store.state.model)
        if entry is None:
            return
        try:
            s2s.check_input(entry.model.config, text)
        except s2s.InputError as exc:
            self.input_field.setStyleSheet(style.FIELD_ERROR_STYLE)
            shown = highlighted(text, exc.positions) if text else self.tr("(empty)")
            self.show_message(self.tr("{0} — {1} Keeping “{2}”.").format(shown, _escape(str(exc)), _escape(self.store.state.text)))
            return
        self.input_field.setStyleSheet("")
        self.show_message("")
        self._set(self.tr("Type input"), merge_key="typing", text=text, forced=())

    def _on_example_clicked(self) -> None:
        entry = self.model_entry(self.store.state.model)
        task = s2s.get_task(self.store.state.task)
        rng = random.Random(time.time_ns())
        longest = entry.model.config.max_input_len if entry else task.max_len
        for _ in range(1000):
            source = task.generate(rng, rng.randint(task.min_len, min(task.max_len, longest, 16)) if task.name != "date" else None)
            if len(source) <= longest:
                break
        self.input_field.setStyleSheet("")
        self.show_message("")
        self._set(self.tr("Example input"), text=source, forced=())

    def step(self) -> None:
        decoding = self.decoding
        if decoding is None or decoding.finished or len(decoding.steps) >= self._max_steps():
            return
        self._set(self.tr("Step"), steps=len(decoding.steps) + 1)

    def run(self) -> None:
        if self.decoding is not None and not self.decoding.finished:
            self._set(self.tr("Run"), steps=self._max_steps())

    def back(self) -> None:
        if self.decoding is None or not self.decoding.steps:
            return
        steps = len(self.decoding.steps) - 1
        self._set(self.tr("Back"), steps=steps, forced=tuple((t, w) for t, w in self.store.state.forced if t <= steps))

    def reset(self) -> None:
        self._set(self.tr("Reset"), steps=0, forced=())

    def _clear_forcing(self) -> None:
        self._set(self.tr("Clear forcing"), forced=())

    def _max_steps(self) -> int:
        entry = self.model_entry(self.store.state.model)
        return entry.model.config.max_output_len if entry else 0

    def force_attention(self, position: int, weights=None) -> None:
        """Put all of a_t on input ``position`` (or use ``weights``) at the shown step; later steps are recomputed."""
        decoding, entry = self.decoding, self.model_entry(self.store.state.model)
        if decoding is None or entry is None:
            return
        if not entry.model.config.attention:
            self.show_message(self.tr("This model has no attention to force: every step reads the same fixed context c."))
            return
        if not decoding.steps:
            self.show_message(self.tr("Press Step first: attention is forced at a decoder step."), error=False)
            return
        t = self.shown_step()
        n = len(decoding.encoder.tokens)
        if weights is None:
            weights = tuple(1.0 if i == position else 0.0 for i in range(n))
        forced = tuple((u, w) for u, w in self.store.state.forced if u < t) + ((t, tuple(float(w) for w in weights)),)
        self.show_message("")
        self.view_step = t
        self._set(self.tr("Force attention at step {0}").format(t), forced=forced, steps=max(self.store.state.steps, len(decoding.steps)))

    def _select_step(self, t: int) -> None:
        if self.decoding is not None and 1 <= t <= len(self.decoding.steps):
            self.view_step = t
            self._refresh_step_views()
            self._repaint_changed()

    def shown_step(self) -> int:
        """The step whose e_t, a_t, vectors and p(y_t) are shown (the last one unless a matrix row was clicked)."""
        n = len(self.decoding.steps) if self.decoding is not None else 0
        return min(self.view_step, n) if self.view_step else n

    def _on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a seq2seq checkpoint"), str(Path.home()), "safetensors (*.safetensors)")
        if path:
            self.open_checkpoint(path)

    def _add_file_model(self, path: str) -> str:
        """Load a checkpoint for the current task into the catalogue; its key. Raises CheckpointError."""
        model = s2s.load(path, task=self.store.state.task)
        info = {}
        meta = s2s.sidecar(path)
        if meta.is_file():
            try:
                info = json.loads(meta.read_text(encoding="utf-8"))
            except ValueError:
                info = {}
        key = f"file:{Path(path).resolve()}"
        self.models[key] = ModelEntry(key, _model_label(model.config, Path(path).name, info), model, info)
        return key

    def open_checkpoint(self, path: str) -> bool:
        try:
            key = self._add_file_model(path)
        except s2s.CheckpointError as exc:
            self.show_message(self.tr("Could not open it: {0}").format(_escape(str(exc))))
            return False
        if not self.choose_model(key):
            self._sync_controls(self.store.state)
            return False
        self.show_message(self.tr("Opened {0}.").format(_escape(Path(path).name)), error=False)
        return True

    # ---- state → traces → views -------------------------------------------------------------------------------
    def _on_state_changed(self, state: Seq2SeqState) -> None:
        start = time.perf_counter()
        entry = self.model_entry(state.model)
        if entry is None:
            self.encoder_trace = self.decoding = self.beam = None
            if state.model:  # e.g. a session that used a model trained in another run and never saved
                self.show_message(self.tr("The model “{0}” is not available any more: pick another one.").format(_escape(state.model)))
        else:
            enc = self.encoder_trace
            if enc is None or enc.text != state.text or self._encoded_by is not entry.model:
                try:
                    enc = s2s.encode(entry.model, state.text)
                except s2s.InputError as exc:  # guarded at the field; keeps the last good views if anything slips by
                    self.show_message(_escape(str(exc)))
                    return
                self._encoded_by = entry.model
                self.decoding = None
            previous = self.decoding if self.decoding is not None and self.decoding.encoder is enc else None
            self.encoder_trace = enc
            self.decoding = s2s.decode(entry.model, enc, max_steps=state.steps, forced=dict(state.forced), previous=previous)
            if self.beam is not None and (self.beam.encoder is not enc or self.beam.width != state.beam_width):
                self.beam = None
        if self.view_step is not None and (self.decoding is None or self.view_step > len(self.decoding.steps)):
            self.view_step = None
        self._sync_controls(state)
        self._refresh_views()
        self.recomputed.emit((time.perf_counter() - start) * 1000.0)
        self._repaint_changed()

    def _sync_controls(self, state: Seq2SeqState) -> None:
        """State → widgets, with the widgets' signals blocked so nothing loops back into the state."""
        widgets = (self.task_combo, self.model_combo, self.input_field) + ((self.beam_width,) if self._later_tabs_built else ())
        for widget in widgets:
            widget.blockSignals(True)
        self.task_combo.setCurrentIndex(self.task_combo.findData(state.task))
        listed = (state.task, tuple((key, e.label) for key, e in self.models.items()))  # what the list follows: a step changes neither
        if listed != self._catalogue_listed:
            self._catalogue_listed = listed
            rows = self._catalogue(state.task)
            if [(self.model_combo.itemData(i), self.model_combo.itemText(i)) for i in range(self.model_combo.count())] != rows:
                self.model_combo.clear()
                for key, label in rows:
                    self.model_combo.addItem(label, key)
        self.model_combo.setCurrentIndex(self.model_combo.findData(state.model))
        if self.input_field.text() != state.text:
            self.input_field.setText(state.text)
            self.input_field.setStyleSheet("")
        if self._later_tabs_built:
            self.beam_width.setValue(state.beam_width)
        for widget in widgets:
            widget.blockSignals(False)
        decoding = self.decoding
        can_step = decoding is not None and not decoding.finished and len(decoding.steps) < self._max_steps()
        self.step_button.setEnabled(can_step)
        self.run_button.setEnabled(can_step)
        self.back_button.setEnabled(decoding is not None and bool(decoding.steps))
        self.reset_button.setEnabled(decoding is not None and bool(decoding.steps or state.forced))
        self.clear_forcing_button.setVisible(bool(state.forced))
        for widget in (self.input_field, self.example_button):
            widget.setEnabled(bool(state.model))

    def _refresh_views(self) -> None:
        self._refresh_output_label()
        tab = self.tabs.currentIndex()
        if tab == TAB_STEP:
            self._refresh_step_views()
        elif tab == TAB_BEAM:
            self._refresh_beam()
        elif tab == TAB_BOTTLENECK:
            self._refresh_bottleneck()

    def _on_tab_changed(self, index: int) -> None:
        if index != TAB_STEP:
            self._build_later_tabs()
        self._refresh_views()
        if index == TAB_BOTTLENECK and self._bottleneck_key != self._bottleneck_wanted():
            self.recompute_bottleneck(fresh=False)
        if index == TAB_TRAIN:
            self.train_max_len.setMaximum(s2s.get_task(self.store.state.task).max_len)
            prewarm()  # a training process, ready before the user presses Train
            if self.train_job is None or not self.train_job.running:
                self._prepare_training_axes()

    def _refresh_output_label(self) -> None:
        decoding, state = self.decoding, self.store.state
        if decoding is None:
            self.output_label.setText("")
            return
        target = s2s.get_task(state.task).target(state.text)
        vocab = self.model_entry(state.model).model.vocab
        out = vocab.decode(decoding.tokens)
        if not decoding.steps:
            status = self.tr("Press <b>Step</b> to decode one token, <b>Run</b> to decode to &lt;/s&gt;.")
        elif decoding.finished:
            verdict = "<span style='color:#207020'>{0}</span>".format(self.tr("✓ correct")) if out == target else "<span style='color:#b00020'>{0}</span>".format(self.tr("✗ expected “{0}”").format(_escape(target)))
            status = self.tr("finished after {0} steps — {1}").format(len(decoding.steps), verdict)
        else:
            status = self.tr("step {0}: emitted “{1}”").format(len(decoding.steps), _escape(decoding.steps[-1].symbol))
        forced = self.tr(" — a<sub>t</sub> forced at step {0}").format(", ".join(str(t) for t, _ in state.forced)) if state.forced else ""
        self.output_label.setText(self.tr("Output: {0} &nbsp; {1}").format(f"<b style='font-family:monospace; font-size:13pt'>{_escape(out) or '–'}</b>", status + forced))

    def _title(self, view, text: str) -> None:
        """Set a plot title only when it changes: a new title re-lays out the plot and repaints its axes."""
        if self._titles.get(id(view)) != text:
            self._titles[id(view)] = text
            view.set_title(text)

    def _repaint_changed(self) -> None:
        views, self._changed_views = self._changed_views, []
        repaint_together(self.window(), [view.view for view in views])

    def _refresh_step_views(self) -> None:
        """Set every view of the Step tab; they repaint together at the next :meth:`_repaint_changed`."""
        views = [self.matrix, self.vectors, self.scores_chart, self.weights_chart, self.probs_chart]
        self._changed_views = views if self._shown_encoder is self.encoder_trace else [self.encoder_map, *views]
        enc, decoding = self.encoder_trace, self.decoding
        if enc is None or decoding is None:
            for view in (self.encoder_map, self.matrix, self.vectors):
                view.set_data(np.zeros((1, 1), np.float32), [""], [""])
            for chart in (self.scores_chart, self.weights_chart, self.probs_chart):
                chart.set_data(np.zeros(1, np.float32), [" "])  # the bar chart needs at least one bar
            self._shown_encoder = None
            self.step_label.setText("")
            return
        entry = self.model_entry(self.store.state.model)
        vocab, attention = entry.model.vocab, entry.model.config.attention
        tokens = list(enc.tokens)
        dims = [str(d + 1) for d in range(enc.states.shape[1])]
        if self._shown_encoder is not enc:  # the encoder states change with the input, not with the steps
            self._shown_encoder = enc
            self.encoder_map.set_data(to_numpy(enc.states.T), dims, tokens)  # (D, N): one column per input, under its bars
        t = self.shown_step()
        current = decoding.steps[t - 1] if t else None

        rows = [f"{s.t}{'*' if s.forced else ''} {s.symbol}" for s in decoding.steps]
        matrix = decoding.attention()
        if not attention:
            self._title(self.matrix, self.tr("no attention: one fixed c"))
            self.matrix.set_data(np.zeros((max(1, len(rows)), len(tokens)), np.float32), rows or [""], tokens)
        elif matrix is None:
            self._title(self.matrix, self.tr("attention a (outputs × inputs)"))
            self.matrix.set_data(np.zeros((1, len(tokens)), np.float32), [""], tokens, blocked=np.ones((1, len(tokens)), bool))  # a_1: grey until step 1
        else:
            self._title(self.matrix, self.tr("attention a (outputs × inputs)") + (self.tr(" — * forced") if self.store.state.forced else ""))
            self.matrix.set_data(to_numpy(matrix), rows, tokens)
        self.matrix.set_highlight(row=(t - 1) if t else None)

        if attention:
            self._title(self.scores_chart, self.tr("scores e<sub>t,i</sub> = f<sub>att</sub>(s<sub>t−1</sub>, h<sub>i</sub>)"))
            forced = current is not None and current.forced
            self._title(self.weights_chart, self.tr("weights a<sub>t</sub>, forced by you") if forced else self.tr("weights a<sub>t</sub> = softmax(e<sub>t</sub>)"))
        else:
            self._title(self.scores_chart, self.tr("no scores: no attention"))
            self._title(self.weights_chart, self.tr("no weights: c<sub>t</sub> = c always"))
        if current is None:
            # The views keep the shapes a step gives them (three vectors, TOP_K bars), so the first step only
            # changes values: the rows step 1 computes are grey until then.
            vectors = np.zeros((3, len(dims)), np.float32)
            vectors[0] = to_numpy(enc.initial_state)
            pending = np.zeros(vectors.shape, bool)
            pending[1:] = True
            self.vectors.set_data(vectors, VECTOR_ROWS, dims, blocked=pending)
            zeros = np.zeros(len(tokens), np.float32)
            self.scores_chart.set_data(zeros, tokens)
            self.weights_chart.set_data(zeros, tokens)
            self.probs_chart.set_data(np.zeros(TOP_K, np.float32), [" "] * TOP_K)  # blank, not empty: the axis keeps its height
            self.step_label.setText(
                self.tr("Before the first step: the decoder starts from s<sub>0</sub> = tanh(W<sub>init</sub> c), the top row of the vectors. Press <b>Step</b>.")
            )
            return
        vectors = np.stack([to_numpy(current.prev_state), to_numpy(current.context), to_numpy(current.state)])
        self.vectors.set_data(vectors, VECTOR_ROWS, dims)
        if attention:
            weights = to_numpy(current.weights)
            self.scores_chart.set_data(to_numpy(current.scores), tokens)
            self.weights_chart.set_data(weights, tokens, highlight=int(np.argmax(weights)))
        else:
            zeros = np.zeros(len(tokens), np.float32)
            self.scores_chart.set_data(zeros, tokens)
            self.weights_chart.set_data(zeros, tokens)
        probs = current.log_probs.exp()
        top = torch.topk(probs, min(TOP_K, probs.numel()))
        labels = [vocab.symbols[i] if i < len(s2s.SPECIALS) else vocab.label(i) for i in top.indices.tolist()]
        self.probs_chart.set_data(to_numpy(top.values), labels, highlight=0)
        symbol = "&lt;/s&gt;" if current.token == s2s.EOS else _escape(current.symbol)
        looked = (
            self.tr("looked most at “{0}” (position {1})").format(_escape(tokens[int(np.argmax(weights))]), int(np.argmax(weights)) + 1)
            if attention
            else self.tr("read the fixed c")
        )
        self.step_label.setText(
            self.tr("<b>Step {0}</b> of {1}: from s<sub>{2}</sub> it {3}, updated to s<sub>{0}</sub> and emitted <b>{4}</b> (p = {5}).").format(
                t, len(decoding.steps), t - 1, looked, symbol, f"{float(top.values[0]):.2f}"
            )
        )

    # ---- beam search ------------------------------------------------------------------------------------------
    def _refresh_beam(self) -> None:
        enc, state = self.encoder_trace, self.store.state
        entry = self.model_entry(state.model)
        if enc is None or entry is None:
            self.beam_tree.set_tree([])
            self.beam_table.set_rows([], [])
            return
        if self.beam is None:
            self.beam = s2s.beam_search(entry.model, enc, state.beam_width)
            self.selected_hypothesis = 0
        beam, vocab = self.beam, entry.model.vocab
        target = s2s.get_task(state.task).target(state.text)
        self.selected_hypothesis = min(self.selected_hypothesis, len(beam.hypotheses) - 1)
        rows = []
        for rank, node_id in enumerate(beam.hypotheses):
            text = vocab.decode(beam.tokens(node_id))
            node = beam.nodes[node_id]
            rows.append((text or self.tr("(empty)"), f"{node.log_prob:.3f}", str(node.t), "✓" if text == target and node.finished else "✗"))
        self.beam_table.set_rows([str(i + 1) for i in range(len(rows))], rows)
        self.beam_table.selectRow(self.selected_hypothesis)
        selected = beam.hypotheses[self.selected_hypothesis]
        self._show_branch(selected)

    def _tree_nodes(self) -> list[TreeNode]:
        beam = self.beam
        nodes = []
        for n in beam.nodes:
            if not n.kept:
                continue
            label = "</s>" if n.token == s2s.EOS else n.symbol
            detail = self.tr("step {0}: “{1}”, log p = {2}, place {3} in the beam").format(n.t, label, f"{n.log_prob:.4f}", n.rank + 1) + (self.tr(" — finished") if n.finished else "")
            shown = "" if n.token == s2s.EOS or n.parent is None else label  # squares are </s>; the root is <s>
            nodes.append(TreeNode(n.id, n.parent, n.t, max(n.rank, 0), shown, detail, n.finished))
        return nodes

    def _show_branch(self, node_id: int) -> None:
        beam = self.beam
        path = [0] + [n.id for n in beam.path(node_id)]
        self.beam_tree.set_tree(self._tree_nodes(), path)
        matrix = beam.attention(node_id)
        tokens = list(beam.encoder.tokens)
        rows = [("</s>" if n.token == s2s.EOS else n.symbol) for n in beam.path(node_id)]
        if matrix is None:
            self.beam_matrix.set_title(self.tr("no attention in this model"))
            self.beam_matrix.set_data(np.zeros((max(1, len(rows)), len(tokens)), np.float32), rows or [""], tokens)
        else:
            self.beam_matrix.set_title(self.tr("attention along the branch"))
            self.beam_matrix.set_data(to_numpy(matrix), rows, tokens)

    def _on_beam_node_clicked(self, node_id: int) -> None:
        if self.beam is None or node_id == 0:
            return
        if node_id in self.beam.hypotheses:
            self.selected_hypothesis = self.beam.hypotheses.index(node_id)
            self.beam_table.selectRow(self.selected_hypothesis)
        self._show_branch(node_id)
        self.beam_tree.show_detail(node_id)

    def _select_hypothesis(self, index: int) -> None:
        if self.beam is not None and 0 <= index < len(self.beam.hypotheses):
            self.selected_hypothesis = index
            self._show_branch(self.beam.hypotheses[index])

    # ---- the bottleneck ---------------------------------------------------------------------------------------
    def _bottleneck_models(self) -> dict[str, s2s.BundledModel]:
        task = self.store.state.task
        found = {}
        for bundled in self._bundled.values():
            if bundled.config.task == task:
                found.setdefault("attention" if bundled.config.attention else "none", bundled)
        return found

    def _bottleneck_lengths(self) -> list[int]:
        task = s2s.get_task(self.store.state.task)
        if task.name == "date":
            return list(task.lengths())
        return [n for n in range(4, task.max_len + 1, 4)]

    def _bottleneck_wanted(self) -> tuple:
        return (self.store.state.task, self.bottleneck_per_length.value(), self._bottleneck_seed)

    def recompute_bottleneck(self, fresh: bool = True) -> Job | None:
        """Measure both bundled models of the task on new test sets, in a worker."""
        if self.bottleneck_job is not None and self.bottleneck_job.running:
            return self.bottleneck_job
        if fresh is not False:
            self._bottleneck_seed += 1
        models = self._bottleneck_models()
        if not models:
            self.bottleneck_summary.setText(self.tr("No bundled models for this task."))
            return None
        key = self._bottleneck_wanted()
        lengths, per_length, seed = self._bottleneck_lengths(), key[1], 1000 + key[2]

        measuring = self.tr("measuring {0}")  # translated here: the worker thread must not touch the page

        def measure(progress):
            results = {}
            for k, (kind, bundled) in enumerate(models.items()):
                model = s2s.load(bundled.path)  # its own copy: the GUI thread keeps using the page's
                results[kind] = s2s.accuracy_by_length(
                    model, lengths, per_length=per_length, seed=seed,
                    progress=lambda f, k=k: progress((k + f) / len(models), measuring.format(kind)),
                )
            return key, results

        job = Job(measure)  # no Qt parent: the page's destruction cancels it (below) instead of deleting it mid-run
        job.progressed.connect(self._on_bottleneck_progress)
        job.succeeded.connect(self._on_bottleneck_measured)
        job.failed.connect(self._on_bottleneck_failed)
        job.finished.connect(self.bottleneck_progress.hide)
        self.destroyed.connect(job.cancel)
        self.bottleneck_job = job
        self.bottleneck_progress.setValue(0)
        self.bottleneck_progress.show()
        self.bottleneck_summary.setText(self.tr("Measuring {0} models on {1} lengths × {2} fresh inputs…").format(len(models), len(lengths), per_length))
        job.start()
        return job

    def _on_bottleneck_progress(self, fraction: float, message: str, payload) -> None:
        self.bottleneck_progress.setValue(int(100 * fraction))

    def _on_bottleneck_failed(self, message: str) -> None:
        self.bottleneck_summary.setText(self.tr("The measurement failed: {0}").format(message))

    def _on_bottleneck_measured(self, result) -> None:
        key, results = result
        self._bottleneck_key = key
        self.bottleneck = results
        self._refresh_bottleneck()

    def _refresh_bottleneck(self) -> None:
        self.bottleneck_note.setText(self.tr(BOTTLENECK_NOTES[self.store.state.task]))
        if self._bottleneck_key is None or self._bottleneck_key[0] != self.store.state.task:
            for curve in self.bottleneck_curves.values():
                curve.setData([], [])
            return
        parts = []
        for kind, curve in self.bottleneck_curves.items():
            values = self.bottleneck.get(kind, {})
            curve.setData(np.array(list(values), float), 100.0 * np.array(list(values.values()), float))
            if values:
                longest = max(values)
                parts.append(
                    (self.tr("With attention: {0} at N = {1}, {2} at N = {3}") if kind == "attention" else self.tr("without: {0} at N = {1}, {2} at N = {3}")).format(
                        f"{values[longest]:.0%}", longest, f"{values[min(values)]:.0%}", min(values)
                    )
                )
        self.bottleneck_plot.getPlotItem().setXRange(min(self._bottleneck_lengths()) - 1, max(self._bottleneck_lengths()) + 1, padding=0)
        self.bottleneck_summary.setText(
            self.tr("{0} fresh inputs per length (test sets #{1}). ").format(self._bottleneck_key[1], self._bottleneck_key[2] + 1) + self.tr("; ").join(parts) + self.tr(".")
        )

    # ---- training ---------------------------------------------------------------------------------------------
    def training_config(self) -> tuple[s2s.Seq2SeqConfig, s2s.TrainOptions]:
        task = s2s.get_task(self.store.state.task)
        longest = min(self.train_max_len.value(), task.max_len)
        hidden = self.train_hidden.value()
        config = s2s.Seq2SeqConfig(
            task=task.name,
            decoder=self.train_decoder.currentData(),
            scoring=self.train_scoring.currentData(),
            bidirectional=self.train_bidirectional.isChecked(),
            hidden=hidden,
            embed_dim=max(8, hidden // 2),
            attention_dim=hidden,
            max_input_len=longest if task.name != "date" else task.max_len,
            seed=self._trained_count,
        )
        options = s2s.TrainOptions(steps=self.train_steps.value(), time_limit_s=float(self.train_time.value()), eval_every=100, seed=self._trained_count)
        return config, options

    def start_training(self) -> Job | None:
        if self.train_job is not None and self.train_job.running:
            return self.train_job
        config, options = self.training_config()

        training = self.tr("training")  # translated here: the worker must not touch the page
        # A process, not a thread: a training thread shares the interpreter lock with the GUI thread and held it
        # for 60-110 ms at a time (the first optimiser steps, each held-out evaluation), stalling paint and input.
        job = ProcessJob(s2s.train_reporting, config, options, training)
        self.destroyed.connect(job.terminate)
        job.progressed.connect(self._on_train_progress)
        job.succeeded.connect(self._on_trained)
        job.failed.connect(self._on_train_failed)
        job.cancelled.connect(self._on_train_cancelled)
        self.destroyed.connect(job.cancel)
        self.train_job = job
        self.train_job_limit_s = options.time_limit_s
        self._loss_points: list[tuple[int, float]] = []
        self._accuracy_points: list[tuple[int, float]] = []
        self._curves_drawn_at = 0.0
        self._prepare_training_axes(config, options)
        self.loss_curve.setData([], [])
        self.accuracy_curve.setData([], [])
        self.train_progress.setValue(0)
        self.train_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.train_status.setText(self.tr("Training {0}: {1}, inputs ≤ {2}…").format(config.task, config.describe(), config.max_input_len))
        job.start()
        return job

    def _prepare_training_axes(self, config=None, options=None) -> None:
        """Fixed axes for the planned run: an axis whose range moves regenerates and repaints its ticks and grid, the
        bulk of a repaint that would otherwise hold the GUI thread past 50 ms on every report. Set when the Train tab
        is shown and when the plan changes, so that pressing Train redraws nothing but the emptied curves. An
        untrained model's loss is about ln(vocabulary size): the loss axis starts there with 25% room."""
        if config is None:
            config, options = self.training_config()
        self.loss_plot.enableAutoRange(x=False, y=False)
        self.loss_plot.setXRange(0, options.steps, padding=0.02)
        self._loss_top = 1.25 * math.log(max(2, len(config.vocab)))
        self.loss_plot.setYRange(0, self._loss_top, padding=0)

    def _plan_changed(self) -> None:
        if self.tabs.currentIndex() == TAB_TRAIN and (self.train_job is None or not self.train_job.running):
            self._prepare_training_axes()

    def cancel_training(self) -> None:
        if self.train_job is not None:
            self.train_job.cancel()
            self.cancel_button.setEnabled(False)

    def _on_train_progress(self, fraction: float, message: str, progress) -> None:
        if progress is None:
            self.train_progress.setValue(int(100 * fraction))
            return
        limit = self.train_job_limit_s
        self.train_progress.setValue(int(100 * max(fraction, progress.elapsed_s / limit if limit else 0.0)))  # steps or time, whichever ends first
        self._loss_points.append((progress.step, progress.loss))
        if progress.loss > self._loss_top:  # the y axis grows only in steps of 25%
            self._loss_top = 1.25 * progress.loss
            self.loss_plot.setYRange(0, self._loss_top, padding=0)
        if progress.accuracy is not None:
            self._accuracy_points.append((progress.step, 100.0 * progress.accuracy))
        now = time.perf_counter()
        if progress.accuracy is not None or now - self._curves_drawn_at >= 0.25:  # a repaint of both plots costs ~30 ms:
            self._draw_training_curves()  # at most four a second, however often the worker reports
            self._curves_drawn_at = now
        accuracy = self.tr(", held-out exact match {0}%").format(f"{self._accuracy_points[-1][1]:.1f}") if self._accuracy_points else ""
        self.train_status.setText(self.tr("step {0}/{1}, loss {2}{3}, {4} s").format(progress.step, progress.total, f"{progress.loss:.3f}", accuracy, f"{progress.elapsed_s:.0f}"))

    def _draw_training_curves(self) -> None:
        drawn = (len(self._loss_points), len(self._accuracy_points))
        if drawn == getattr(self, "_curves_drawn", None):
            return  # nothing new since the last draw (the end of a run follows its last report)
        self._curves_drawn = drawn
        if self._loss_points:
            self.loss_curve.setData(*np.array(self._loss_points, float).T)
        if self._accuracy_points:
            self.accuracy_curve.setData(*np.array(self._accuracy_points, float).T)

    def _on_trained(self, result: s2s.TrainResult) -> None:
        self._draw_training_curves()
        self._trained_count += 1
        key = f"trained:{self._trained_count}"
        info = {"held_out_exact_match": result.accuracy, "training": {"steps": result.steps, "seconds": round(result.elapsed_s, 1), "stopped": result.stopped}}
        self.trained = ModelEntry(key, _model_label(result.model.config, self.tr("trained #{0}").format(self._trained_count), info), result.model, info)
        self.models[key] = self.trained
        self._training_done()
        self.use_button.setEnabled(result.model.config.task == self.store.state.task)
        self.save_button.setEnabled(True)
        self.train_progress.setValue(100)
        self.train_status.setText(
            self.tr("Done: {0} steps in {1} s (stopped by {2}); held-out exact match {3}. Use it on this page, or save it.").format(
                result.steps, f"{result.elapsed_s:.0f}", result.stopped, f"{result.accuracy:.1%}"
            )
        )
        self._sync_controls(self.store.state)

    def _on_train_failed(self, message: str) -> None:
        self._training_done()
        self.train_status.setText(self.tr("Training failed: {0}").format(message))

    def _on_train_cancelled(self) -> None:
        self._training_done()
        self.train_status.setText(self.tr("Training cancelled: nothing was kept, and the page still uses the model it had."))

    def _training_done(self) -> None:
        self.train_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def use_trained(self) -> None:
        if self.trained is not None and self.trained.model.config.task == self.store.state.task:
            if self.choose_model(self.trained.key):
                self.tabs.setCurrentIndex(TAB_STEP)

    def _on_save_clicked(self) -> None:
        if self.trained is None:
            return
        suggestion = str(Path.home() / f"{self.trained.model.config.task}-{self.trained.model.config.decoder}.safetensors")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the trained model"), suggestion, "safetensors (*.safetensors)")
        if path:
            self.save_trained(path)

    def save_trained(self, path: str) -> bool:
        if not path.endswith(".safetensors"):
            path += ".safetensors"
        try:
            s2s.save(self.trained.model, path, info=self.trained.info)
        except (OSError, ValueError) as exc:
            self.train_status.setText(self.tr("Could not save: {0}").format(exc))
            return False
        self.train_status.setText(self.tr("Saved {0} (and its .json sidecar).").format(path))
        return True

    # ---- screenshot and export --------------------------------------------------------------------------------
    def prepare_screenshot(self) -> None:
        """A few steps in, so the picture shows the attention matrix filling row by row."""
        if self.decoding is not None and not self.decoding.steps:
            self._set(self.tr("Steps"), steps=6)

    def export_data(self) -> ViewData:
        enc, decoding = self.encoder_trace, self.decoding
        if enc is None or decoding is None:
            return ViewData({})
        tokens = list(enc.tokens)
        arrays = {"encoder_states": to_numpy(enc.states), "initial_state": to_numpy(enc.initial_state)[None, :]}
        rows = {"encoder_states": tokens, "initial_state": ["s_0"]}
        cols = {"attention": tokens} if decoding.attention() is not None else {}
        if decoding.steps:
            arrays["decoder_states"] = np.stack([to_numpy(s.state) for s in decoding.steps])
            arrays["contexts"] = np.stack([to_numpy(s.context) for s in decoding.steps])
            labels = [f"{s.t} {s.symbol}" for s in decoding.steps]
            rows.update(decoder_states=labels, contexts=labels)
            if decoding.attention() is not None:
                arrays["scores"] = np.stack([to_numpy(s.scores) for s in decoding.steps])
                arrays["attention"] = to_numpy(decoding.attention())
                rows.update(scores=labels, attention=labels)
                cols["scores"] = tokens
        return ViewData(arrays, rows, cols)
