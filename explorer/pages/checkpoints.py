"""Checkpoints, page id ``checkpoints``: open a checkpoint trained elsewhere without running any code from it,
browse its tensors (a tree by module path with shape, dtype, bytes, mean / std / min / max and NaN / Inf counts,
a name filter, a histogram of one tensor, totals and the file's metadata), and see what model it is.

Loading runs in a :class:`~explorer.workers.Job` with progress and cancel, so a multi-GB file never freezes the
window; the same job recognises the model (:func:`core.families.recognise_checkpoint`, the call ``inspect`` makes).
A ViT's inferred config is an editable form — guesses marked, a value the weights do not fit refused at its
field — and "Open in ViT page" hands the canonical model to the ViT page. Files come from the Open button,
File → Open checkpoint, recent files, drag and drop, or ``attention-explorer open PATH``.

The config overrides are view state, not undoable page state: they only mean something together with the
opened file, and opening a file is not an undo step either (Undo would otherwise change the config of
whatever file is open by then)."""

from __future__ import annotations

import html
import json
import math
import re
import pathlib
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import families
from core.checkpoints import Checkpoint, TensorStats, module_tree, open_checkpoint, tensor_stats
from core.transformer import ACTIVATIONS
from core.vit import ViTModel
from core.vit_families import EDITABLE
from explorer.i18n import core_text
from explorer.pages import QT_TRANSLATE_NOOP
from explorer.recent import recent_checkpoints, remember_checkpoint
from explorer.pages.base import Page, ViewData
from explorer.widgets import style
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.table import TextTable
from explorer.workers import Job

HISTOGRAM_SAMPLE = 1 << 20  # values drawn from a large tensor for its histogram
COLUMNS = ("name", "shape", "dtype", "bytes", "mean", "std", "min", "max", "NaN", "Inf")
# The tree's column headers and what each one measures (shown in the interface language; COLUMNS stays the key).
COLUMN_TITLES = {
    "name": QT_TRANSLATE_NOOP("CheckpointsPage", "name"),
    "shape": QT_TRANSLATE_NOOP("CheckpointsPage", "shape"),
    "dtype": QT_TRANSLATE_NOOP("CheckpointsPage", "dtype"),
    "bytes": QT_TRANSLATE_NOOP("CheckpointsPage", "bytes"),
    "mean": QT_TRANSLATE_NOOP("CheckpointsPage", "mean"),
    "std": QT_TRANSLATE_NOOP("CheckpointsPage", "std"),
    "min": QT_TRANSLATE_NOOP("CheckpointsPage", "min"),
    "max": QT_TRANSLATE_NOOP("CheckpointsPage", "max"),
    "NaN": QT_TRANSLATE_NOOP("CheckpointsPage", "NaN"),
    "Inf": QT_TRANSLATE_NOOP("CheckpointsPage", "Inf"),
}
COLUMN_TIPS = {
    "name": QT_TRANSLATE_NOOP("CheckpointsPage", "The tensor's name, grouped by module path (a row with children is a module: its parameter count and bytes are the sum of its tensors)"),
    "shape": QT_TRANSLATE_NOOP("CheckpointsPage", "The tensor's shape, e.g. 768×3072 (a module row: its parameter count)"),
    "dtype": QT_TRANSLATE_NOOP("CheckpointsPage", "The element type stored in the file, e.g. float32, float16, bfloat16"),
    "bytes": QT_TRANSLATE_NOOP("CheckpointsPage", "Memory the tensor takes: number of elements × bytes per element"),
    "mean": QT_TRANSLATE_NOOP("CheckpointsPage", "Mean of the tensor's finite values"),
    "std": QT_TRANSLATE_NOOP("CheckpointsPage", "Standard deviation of the tensor's finite values"),
    "min": QT_TRANSLATE_NOOP("CheckpointsPage", "Smallest finite value"),
    "max": QT_TRANSLATE_NOOP("CheckpointsPage", "Largest finite value"),
    "NaN": QT_TRANSLATE_NOOP("CheckpointsPage", "How many values are NaN (not a number): a sign of a broken training run or file"),
    "Inf": QT_TRANSLATE_NOOP("CheckpointsPage", "How many values are +∞ or −∞"),
}
# Model titles that come from core/ (core.text_models' families) and are words, not names: shown via core_text().
# The ViT families' titles (timm, torchvision, Hugging Face ViT / DeiT, Attention Explorer ViT) are names and stay.
CORE_TITLES = (
    QT_TRANSLATE_NOOP("core", "BERT-style encoder"),
    QT_TRANSLATE_NOOP("core", "GPT-2-style decoder"),
)


@dataclass(frozen=True)
class OpenedCheckpoint:
    checkpoint: Checkpoint
    stats: dict[str, TensorStats]
    family: families.Family | None = None  # the layout its keys match, if any
    recognition: families.Recognition | None = None  # the model, converted; None when it cannot be run
    unrecognised: Exception | None = None  # why not (core.families.UnrecognisedError names what was looked for)


def plain_message(message: str) -> str:
    """A Job's "ValueError: text" without the exception's name."""
    head, sep, rest = message.partition(": ")
    return rest if sep and re.fullmatch(r"\w*(Error|Exception)", head) else message


def recognise(checkpoint: Checkpoint) -> tuple[families.Family | None, families.Recognition | None, Exception | None]:
    """(family, recognition, None), or with None where it failed and why: a checkpoint that is not a model the
    app can run is still browsed (:func:`core.families.recognise_checkpoint`, in its two steps)."""
    family = None
    try:
        family = families.recognise(checkpoint.tensors, checkpoint.config)
        return family, family.canonical(checkpoint.tensors, checkpoint.config, metadata=checkpoint.metadata), None
    except Exception as exc:  # noqa: BLE001 - any reason is a message beside the tensor browser, never a crash
        return family, None, exc


def load_with_stats(path: str | pathlib.Path, progress) -> OpenedCheckpoint:
    """Open the checkpoint (first half of the progress bar), summarise every tensor, then recognise the model."""
    checkpoint = open_checkpoint(path, lambda f, m="": progress(0.45 * f, m))
    stats = {}
    names = list(checkpoint.tensors)
    for index, name in enumerate(names):
        stats[name] = tensor_stats(name, checkpoint.tensors[name])
        if index % 8 == 0:
            progress(0.45 + 0.45 * index / len(names), QCoreApplication.translate("CheckpointsPage", "summarising {name}").format(name=name))
    progress(0.9, QCoreApplication.translate("CheckpointsPage", "recognising the model"))
    return OpenedCheckpoint(checkpoint, stats, *recognise(checkpoint))


def natural_key(text: str) -> list:
    """blocks.2 before blocks.10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def human_bytes(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"


def _number(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.4g}"


def breakable(name: str) -> str:
    """HTML for a long dotted tensor name that may wrap after any dot (a zero-width space follows each)."""
    return html.escape(name).replace(".", ".\u200b")


# The editable fields of a ViT config (core.vit_families.EDITABLE), labelled for people.
FIELD_LABELS = {
    "image_size": QT_TRANSLATE_NOOP("ConfigForm", "image size (px)"),
    "patch_size": QT_TRANSLATE_NOOP("ConfigForm", "patch size P"),
    "dim": QT_TRANSLATE_NOOP("ConfigForm", "token size D"),
    "depth": QT_TRANSLATE_NOOP("ConfigForm", "blocks"),
    "heads": QT_TRANSLATE_NOOP("ConfigForm", "heads H"),
    "mlp_dim": QT_TRANSLATE_NOOP("ConfigForm", "MLP size"),
    "num_classes": QT_TRANSLATE_NOOP("ConfigForm", "classes"),
    "register_tokens": QT_TRANSLATE_NOOP("ConfigForm", "register tokens"),
    "eps": QT_TRANSLATE_NOOP("ConfigForm", "LayerNorm ε"),
    "activation": QT_TRANSLATE_NOOP("ConfigForm", "activation"),
    "global_pool": QT_TRANSLATE_NOOP("ConfigForm", "pooling"),
}
# What each field means, as its tooltip (with the name `inspect --set` takes, which stays English).
FIELD_TIPS = {
    "image_size": QT_TRANSLATE_NOOP("ConfigForm", "The side of the square input image, in pixels"),
    "patch_size": QT_TRANSLATE_NOOP("ConfigForm", "The side P of each square patch, in pixels: the image is cut into (image size / P)² patches"),
    "dim": QT_TRANSLATE_NOOP("ConfigForm", "The size D of every token vector (the embedding dimension)"),
    "depth": QT_TRANSLATE_NOOP("ConfigForm", "The number of encoder blocks (layers)"),
    "heads": QT_TRANSLATE_NOOP("ConfigForm", "The number H of attention heads per block; D must be divisible by H"),
    "mlp_dim": QT_TRANSLATE_NOOP("ConfigForm", "The hidden size of each block's MLP"),
    "num_classes": QT_TRANSLATE_NOOP("ConfigForm", "The number of classes of the classification head (0: no head)"),
    "register_tokens": QT_TRANSLATE_NOOP("ConfigForm", "Extra learned tokens after the CLS token that hold no patch"),
    "eps": QT_TRANSLATE_NOOP("ConfigForm", "The small ε LayerNorm adds to the variance before dividing by its square root"),
    "activation": QT_TRANSLATE_NOOP("ConfigForm", "The nonlinearity inside each MLP"),
    "global_pool": QT_TRANSLATE_NOOP("ConfigForm", "What the classification head reads: the CLS token, or the mean of the patch tokens"),
}
CHOICES = {"activation": tuple(ACTIVATIONS), "global_pool": ("token", "avg")}
# Choices shown in words (the value, which core parses, stays the item's data); the others are shown as they are.
CHOICE_TITLES = {
    "token": QT_TRANSLATE_NOOP("ConfigForm", "CLS token (token)"),
    "avg": QT_TRANSLATE_NOOP("ConfigForm", "mean of patches (avg)"),
}
GUESS_COLOUR = "#c77c00"  # amber: readable on the light and the dark theme


def field_text(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class ConfigForm(QWidget):
    """A ViT config as a form: one editor per editable field, guessed fields marked (with why), and a message at
    a field whose value the weights do not fit. It holds no truth: the page sets the config and the errors."""

    fieldEdited = Signal(str, str)  # field name, the text the user entered

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.guesses: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in EDITABLE:
            if name in CHOICES:
                editor = QComboBox()
                for value in CHOICES[name]:
                    editor.addItem(self.tr(CHOICE_TITLES[value]) if value in CHOICE_TITLES else value, value)
                editor.activated.connect(lambda _, name=name: self.fieldEdited.emit(name, self.editors[name].currentData()))
            else:
                editor = QLineEdit()
                editor.editingFinished.connect(lambda name=name: self._on_line_edited(name))
            editor.setObjectName(name)
            guess = QLabel("")
            guess.setStyleSheet(f"color: {GUESS_COLOUR};")
            guess.setWordWrap(True)
            error = QLabel("")
            error.setStyleSheet(style.ERROR_STYLE)
            error.setWordWrap(True)
            error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(1)
            for widget in (editor, guess, error):
                cell_layout.addWidget(widget)
            guess.hide()
            error.hide()
            label = QLabel(self.tr(FIELD_LABELS[name]))
            tip = self.tr("{meaning}<br>Command line: <code>inspect --set {name}=…</code>").format(meaning=self.tr(FIELD_TIPS[name]), name=name)
            label.setToolTip(tip)
            editor.setToolTip(tip)
            layout.addRow(label, cell)
            self.editors[name], self.labels[name], self.guesses[name], self.errors[name] = editor, label, guess, error

    def _on_line_edited(self, name: str) -> None:
        editor = self.editors[name]
        if editor.isModified():  # Enter or leaving a field the user typed in, not a focus change alone
            editor.setModified(False)
            self.fieldEdited.emit(name, editor.text().strip())

    def set_config(self, config, guessed: dict[str, str]) -> None:
        """Show ``config``'s values (signals blocked), mark the ``guessed`` fields with why, clear every error."""
        for name, editor in self.editors.items():
            value = field_text(getattr(config, name))
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                if editor.findData(value) < 0:
                    editor.addItem(value, value)
                editor.setCurrentIndex(editor.findData(value))
            else:
                editor.setText(value)
                editor.setModified(False)
            editor.blockSignals(False)
            why = guessed.get(name, "")
            self.guesses[name].setText(self.tr("guessed: {why}").format(why=why) if why else "")
            self.guesses[name].setVisible(bool(why))
            self.labels[name].setStyleSheet(f"color: {GUESS_COLOUR}; font-weight: bold;" if why else "")
            self.show_error(name, "")

    def show_error(self, name: str, message: str) -> None:
        self.errors[name].setText(message)
        self.errors[name].setVisible(bool(message))
        self.editors[name].setStyleSheet(style.FIELD_ERROR_STYLE if message else "")

    def error(self, name: str) -> str:
        return self.errors[name].text()

    def is_marked_guessed(self, name: str) -> bool:
        return not self.guesses[name].isHidden()


class CheckpointsPage(Page):
    page_id = "checkpoints"
    title = "Checkpoints"
    checkpointOpened = Signal(object)  # OpenedCheckpoint

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.opened: OpenedCheckpoint | None = None
        self.recognition: families.Recognition | None = None  # the last config the weights fit
        self.overrides: dict[str, str] = {}  # fields the user set on the form (view state: see the module docstring)
        self.job: Job | None = None
        self.recognise_job: Job | None = None
        self.selected_name: str | None = None
        self.accept_file_drops()
        self._build()
        self._refresh_recent()

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("Checkpoints"),
            self.tr(
                "Open a model trained elsewhere — .pt / .pth / .bin, .safetensors or a Hugging Face folder — or drop it here. "
                "Nothing in the file is ever run: torch files are read with the weights-only unpickler, and a file that wants "
                "code is refused with the names of what it asked for. The Model tab says which model the weights are; a ViT's "
                "config, inferred from the tensor shapes, can be corrected there (guesses are marked) before it is run."
            ),
        )
        self.open_button = QPushButton(self.tr("Open…"))
        self.open_button.setToolTip(self.tr("Open a checkpoint file: .pt, .pth, .bin, .ckpt or .safetensors"))
        self.open_button.clicked.connect(self.choose_file)
        self.open_folder_button = QPushButton(self.tr("Open folder…"))
        self.open_folder_button.setToolTip(self.tr("Open a Hugging Face save_pretrained folder (config.json beside the weights)"))
        self.open_folder_button.clicked.connect(self.choose_folder)
        self.recent = QComboBox()
        self.recent.setMinimumWidth(220)
        self.recent.setToolTip(self.tr("Checkpoints opened recently (the same list as File → Recent checkpoints); choose one to open it again"))
        self.recent.activated.connect(self._on_recent)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setToolTip(self.tr("Reading the file, summarising every tensor, then recognising the model"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop opening; the checkpoint shown now stays"))
        self.cancel_button.clicked.connect(self.cancel)
        # The recent-files row and the progress row take turns in one slot of fixed size: starting or finishing
        # a load changes no geometry, so nothing else on the page is laid out or repainted again.
        recent_row, progress_row = QWidget(), QWidget()
        recent_layout, progress_layout = QHBoxLayout(recent_row), QHBoxLayout(progress_row)
        for row_layout in (recent_layout, progress_layout):
            row_layout.setContentsMargins(0, 0, 0, 0)
        recent_layout.addWidget(QLabel(self.tr("Recent:")))
        recent_layout.addWidget(self.recent, 1)
        progress_layout.addWidget(self.progress, 1)
        progress_layout.addWidget(self.cancel_button)
        self.activity = QStackedWidget()
        self.activity.addWidget(recent_row)
        self.activity.addWidget(progress_row)
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.open_folder_button)
        top.addWidget(self.activity, 1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setFixedHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel(self.tr("No checkpoint open."))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setToolTip(self.tr("The file: its format, how many tensors, parameters (the elements of every tensor) and bytes, the dtypes, any NaN / Inf values, and the model the weights are"))

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("filter tensors by name, e.g. attn or blocks.3"))
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels([self.tr(COLUMN_TITLES[c]) for c in COLUMNS])
        for column, key in enumerate(COLUMNS):
            self.tree.headerItem().setToolTip(column, self.tr(COLUMN_TIPS[key]))
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setUniformRowHeights(True)
        self.tree.currentItemChanged.connect(self._on_item_selected)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.tree, 1)

        self.details = QTabWidget()
        self.model_tab = self._build_model_tab()
        self.details.addTab(self.model_tab, self.tr("Model"))
        self.histogram = pg.PlotWidget(title=self.tr("histogram of the selected tensor"))
        self.histogram.getPlotItem().setMouseEnabled(False, False)
        self.histogram.getPlotItem().hideButtons()
        self.histogram.getPlotItem().setLabel("bottom", self.tr("value"))
        self.histogram.getPlotItem().setLabel("left", self.tr("count"))
        for side in ("bottom", "left"):  # the ticks show the values themselves, never rescaled by an SI prefix
            self.histogram.getPlotItem().getAxis(side).enableAutoSIPrefix(False)
        self.histogram.setToolTip(self.tr("How many of the tensor's finite values fall in each bin (at most 1M values, drawn at random, for a larger tensor)"))
        self.histogram_curve = self.histogram.plot([], [], stepMode="center", fillLevel=0, brush=pg.mkBrush(style.INPUT.lighter(130)), pen=pg.mkPen(style.INPUT))
        self.histogram_note = QLabel(self.tr("Select a tensor in the tree."))
        self.histogram_note.setWordWrap(True)
        self.histogram_note.setToolTip(self.tr("The selected tensor's shape, dtype, mean, standard deviation and range of its finite values"))
        histogram_tab = QWidget()
        histogram_layout = QVBoxLayout(histogram_tab)
        histogram_layout.addWidget(self.histogram, 1)
        histogram_layout.addWidget(self.histogram_note)
        self.histogram_tab = histogram_tab
        self.details.addTab(histogram_tab, self.tr("Histogram"))
        self.metadata = TextTable([self.tr("value")])
        self.metadata.setToolTip(self.tr("The file's own metadata (key → value), as stored: safetensors' header, or the entries beside the weights"))
        self.details.addTab(self.metadata, self.tr("Metadata"))
        self.config_text = QPlainTextEdit()
        self.config_text.setReadOnly(True)
        self.config_text.setToolTip(self.tr("The config.json of a Hugging Face folder, as written"))
        self.details.addTab(self.config_text, "config.json")

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setSizes([700, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def _build_model_tab(self) -> QWidget:
        self.model_title = QLabel(self.tr("No checkpoint open."))
        self.model_title.setWordWrap(True)
        self.model_status = QLabel("")
        self.model_status.setWordWrap(True)
        self.model_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model_status.setToolTip(self.tr("The model's shape as the weights give it: blocks (layers), heads, tokens, patches and classes"))
        self.vit_button = QPushButton(self.tr("Open in ViT page"))
        self.vit_button.setToolTip(self.tr("Run this model on your images, with every attention map and the rollout"))
        self.vit_button.clicked.connect(self.open_in_vit_page)
        self.text_button = QPushButton(self.tr("Open on the Text page"))
        self.text_button.setToolTip(self.tr("Type text and see every head's attention on the Text page"))
        self.text_button.clicked.connect(self.open_on_text_page)
        self.reset_button = QPushButton(self.tr("Reset to the inferred config"))
        self.reset_button.setToolTip(self.tr("Forget the fields you set and use the config inferred from the weights"))
        self.reset_button.clicked.connect(lambda: self._recognise_with({}, None))
        buttons = QHBoxLayout()
        for button in (self.vit_button, self.text_button, self.reset_button):
            button.hide()
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.config_form = ConfigForm()
        self.config_form.fieldEdited.connect(self._on_field_edited)
        self.config_form.hide()
        self.model_notes = QLabel("")
        self.model_notes.setWordWrap(True)
        self.model_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model_notes.setToolTip(self.tr("What was read from the weights, what was guessed, and notes from the conversion"))
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.model_title)
        layout.addWidget(self.model_status)
        layout.addLayout(buttons)
        layout.addWidget(self.config_form)
        layout.addWidget(self.model_notes)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        return scroll

    # ---- opening ----------------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open checkpoint"), str(self._last_folder()), self.tr("Checkpoints (*.pt *.pth *.bin *.ckpt *.safetensors);;All files (*)"))
        if path:
            self.open_path(path)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Open Hugging Face folder"), str(self._last_folder()))
        if path:
            self.open_path(path)

    def _last_folder(self) -> pathlib.Path:
        recent = self.recent_files()
        return pathlib.Path(recent[0]).parent if recent else pathlib.Path.home()

    def open_path(self, path: str | pathlib.Path, *, sync: bool = False) -> None:
        """Open in the background (``sync`` for tests and the CLI); the current checkpoint stays until it succeeds."""
        if self.job is not None and self.job.running:
            self.job.cancel()
        path = str(path)
        self.job = Job(lambda progress: load_with_stats(path, progress), self)
        self.job.progressed.connect(lambda fraction, text, payload: (self.progress.setValue(int(1000 * fraction)), self.progress.setFormat(f"{text[:60]}  %p%")))
        self.job.succeeded.connect(lambda opened, path=path: self._on_opened(opened, path))
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(lambda: self._show_message(self.tr("Opening cancelled; the previous checkpoint is still shown.")))
        self.job.finished.connect(self._on_job_finished)
        self.progress.setValue(0)
        self.activity.setCurrentIndex(1)
        self._show_message(self.tr("Opening {path} …").format(path=path), error=False)
        self._sync = sync
        if sync:
            self.job.run_sync()
        else:
            self.job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_job_finished(self) -> None:
        self.activity.setCurrentIndex(0)

    @property
    def loading(self) -> bool:
        return self.activity.currentIndex() == 1

    def _on_failed(self, message: str) -> None:
        self._show_message(self.tr("Could not open: {problem}").format(problem=plain_message(message)))

    def _show_message(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style.ERROR_STYLE if error and text else "")

    def _on_opened(self, opened: OpenedCheckpoint, path: str) -> None:
        self.opened = opened
        # QSettings writes its file when the object goes: ~15 ms, done in the next turn of the event loop so that
        # the tree's fill and the settings' write never block the window together
        QTimer.singleShot(0, lambda: self._remember(path))
        checkpoint = opened.checkpoint
        self._show_message("", error=False)
        nan = sum(s.nan_count for s in opened.stats.values())
        inf = sum(s.inf_count for s in opened.stats.values())
        dtypes = sorted({s.dtype for s in opened.stats.values()})
        parts = [
            f"<b>{html.escape(checkpoint.path.name)}</b>",
            checkpoint.format,
            self.tr("{0} tensors").format(len(checkpoint.tensors)),
            self.tr("{0} parameters").format(f"{checkpoint.parameter_count:,}"),
            human_bytes(checkpoint.byte_count),
            ", ".join(dtypes),
        ]
        if nan or inf:
            parts.append("<span style='color:#b00020'>" + self.tr("{0} NaN, {1} Inf values").format(nan, inf) + "</span>")
        parts.append(self._model_in_words(opened))
        self.summary.setText(" · ".join(parts) + (f"<br>{html.escape('; '.join(checkpoint.notes))}" if checkpoint.notes else ""))
        self._fill_tree()
        if getattr(self, "_sync", True):
            self._show_details(opened)
        else:  # the tree and the Model tab each cost a repaint: two turns of the event loop, neither blocks it long
            QTimer.singleShot(0, lambda: self._show_details(opened) if self.opened is opened else None)

    def _show_details(self, opened: OpenedCheckpoint) -> None:
        checkpoint = opened.checkpoint
        rows = sorted(checkpoint.metadata.items())
        self.metadata.set_rows([k for k, _ in rows], [[v] for _, v in rows])
        self.config_text.setPlainText(json.dumps(checkpoint.config, indent=2) if checkpoint.config else self.tr("(no config.json: a single file)"))
        self.recognition, self.overrides = opened.recognition, {}
        self._show_recognition()
        self.details.setCurrentWidget(self.model_tab)
        self.checkpointOpened.emit(opened)

    # ---- the model: recognition, config overrides, where to run it --------------------------------------------
    def _model_in_words(self, opened: OpenedCheckpoint) -> str:
        if opened.family is None:
            return self.tr("not a model this app recognises")
        title = f"<b>{html.escape(core_text(opened.family.title))}</b>"
        return title if opened.recognition is not None else self.tr("{title} (cannot be run)").format(title=title)

    def _show_recognition(self) -> None:
        opened, recognition = self.opened, self.recognition
        vision = recognition is not None and recognition.kind == "vision"
        text = recognition is not None and recognition.kind == "text"
        self.config_form.setVisible(vision)
        self.vit_button.setVisible(vision)
        self.text_button.setVisible(text)
        self.reset_button.setVisible(vision and bool(self.overrides))
        self.model_status.setStyleSheet(style.ERROR_STYLE if recognition is None else "")
        if recognition is None:
            self.model_title.setText(self._model_in_words(opened) if opened.family is not None else f"<b>{self.tr('Not a model this app can run')}</b>")
            problem = opened.unrecognised
            looked_for = getattr(problem, "looked_for", ())
            if looked_for:  # no layout matched: what each family looks for, one per line
                self.model_status.setText(
                    self.tr("None of the layouts this app knows is in these weights. It looked for:")
                    + "<ul style='margin-left: -20px'>" + "".join(f"<li><b>{html.escape(core_text(title))}</b>: {breakable(keys)}</li>" for title, keys in looked_for) + "</ul>"
                    + self.tr("This file's first keys: {keys}").format(keys=html.escape(", ".join(problem.first_keys)))
                )
            else:
                self.model_status.setText(html.escape(str(problem) or type(problem).__name__))
            self.model_notes.setText(self.tr("The tensors can still be browsed on the left."))
            return
        self.model_title.setText(f"<b>{html.escape(core_text(recognition.title))}</b> ({recognition.family})")
        config = recognition.config
        if text:
            self.model_status.setText(
                self.tr("A text model: {layers} layers × {heads} heads, D = {dim}, read from config.json. Open it on the Text page to type text and see its heads.").format(
                    layers=config.layers, heads=config.heads, dim=config.dim
                )
            )
            self.model_notes.setText("")
            return
        prefix = [n for n in config.token_names()[: config.num_prefix_tokens]]
        self.model_status.setText(
            self.tr("{depth} blocks × {heads} heads · {tokens} tokens: {prefix} + {grid}×{grid} patches · {classes}").format(
                depth=config.depth, heads=config.heads, tokens=config.num_tokens, prefix=", ".join(prefix) or self.tr("no prefix token"), grid=config.grid,
                classes=self.tr("{n} classes").format(n=config.num_classes) if config.num_classes else self.tr("no classification head"),
            )
        )
        guessed = {field: why.strip() for field, _, why in (g.partition(":") for g in recognition.guessed)}
        self.config_form.set_config(config, guessed)
        facts = [
            self.tr("Read from the weights: q/k norm {qk}, final norm {norm}, input normalisation mean {mean}, std {std}.").format(
                qk=self.tr("yes") if config.qk_norm else self.tr("no"), norm="fc_norm" if config.fc_norm else "LayerNorm", mean=config.mean, std=config.std
            )
        ]
        if recognition.guessed:
            facts.append(f"<span style='color:{GUESS_COLOUR}'>" + self.tr("Guessed, not stored in the file: check the marked fields, or set them.") + "</span>")
        self.model_notes.setText("<br>".join(facts + list(recognition.notes)))

    def _on_field_edited(self, name: str, text: str) -> None:
        if self.recognition is None or self.recognition.kind != "vision":
            return
        self._recognise_with({**self.overrides, name: text}, name)

    def _recognise_with(self, overrides: dict[str, str], field: str | None) -> None:
        """Recognise again with ``overrides`` in the background; the weights' verdict comes back to ``field``."""
        checkpoint = self.opened.checkpoint
        job = Job(lambda progress: families.recognise_checkpoint(checkpoint, overrides=overrides), self)
        job.succeeded.connect(lambda recognition: self._on_recognised(job, overrides, recognition))
        job.failed.connect(lambda message: self._on_override_refused(job, field, message))
        self.recognise_job = job
        job.start()

    def _on_recognised(self, job: Job, overrides: dict[str, str], recognition: families.Recognition) -> None:
        if job is not self.recognise_job:  # a later edit (or another file) superseded it
            return
        self.recognition, self.overrides = recognition, overrides
        self._show_recognition()

    def _on_override_refused(self, job: Job, field: str | None, message: str) -> None:
        if job is not self.recognise_job or field is None:
            return
        value = field_text(getattr(self.recognition.config, field))
        self.config_form.show_error(field, self.tr("{problem} — the model keeps {field} = {value}.").format(problem=plain_message(message), field=field, value=value))

    def open_in_vit_page(self) -> None:
        """Hand the canonical model to the ViT page, which runs it on the user's images with every map."""
        recognition, path = self.recognition, self.opened.checkpoint.path
        model = ViTModel(recognition.config, recognition.params, class_names=recognition.class_names, name=path.name)
        page = self.window().show_page("vit")
        if page is not None:
            page.use_model(model, source=str(path))

    def open_on_text_page(self) -> None:
        path = self.opened.checkpoint.path
        page = self.window().show_page("text")
        opener = getattr(page, "open_folder", None)
        if opener is not None:
            opener(str(path if path.is_dir() else path.parent))

    # ---- recent files -----------------------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        return recent_checkpoints()

    def _remember(self, path: str) -> None:
        remember_checkpoint(path)
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent.blockSignals(True)
        self.recent.clear()
        files = self.recent_files()
        self.recent.addItem("—" if not files else self.tr("{n} recent").format(n=len(files)), None)
        for path in files:
            self.recent.addItem(pathlib.Path(path).name, path)
            self.recent.setItemData(self.recent.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
        self.recent.blockSignals(False)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._refresh_recent()  # File → Recent checkpoints may have cleared the list meanwhile

    def _on_recent(self, index: int) -> None:
        path = self.recent.itemData(index)
        if path:
            self.open_path(path)
        self.recent.setCurrentIndex(0)

    # ---- drag and drop ----------------------------------------------------------------------------------------
    def open_dropped(self, path: str) -> None:
        self.open_path(path)

    # ---- the tree ---------------------------------------------------------------------------------------------
    def _fill_tree(self) -> None:
        self.tree.clear()
        stats = self.opened.stats
        scalar, params = self.tr("scalar"), self.tr("{0} params")

        def add(parent: QTreeWidgetItem | None, label: str, node) -> tuple[int, int]:
            if isinstance(node, str):
                s = stats[node]
                cells = [label, "×".join(map(str, s.shape)) or scalar, s.dtype, human_bytes(s.bytes), _number(s.mean), _number(s.std), _number(s.min), _number(s.max), str(s.nan_count), str(s.inf_count)]
                item = QTreeWidgetItem(cells)
                item.setData(0, Qt.ItemDataRole.UserRole, node)
                item.setToolTip(0, node)
                if s.nan_count or s.inf_count:
                    for column in (8, 9):
                        item.setForeground(column, style.QUERY)
                (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
                return math.prod(s.shape), s.bytes
            item = QTreeWidgetItem([label])
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            total_params = total_bytes = 0
            for key, child in sorted(node.items(), key=lambda kv: natural_key(kv[0])):
                p, b = add(item, key, child)
                total_params += p
                total_bytes += b
            item.setText(1, params.format(f"{total_params:,}"))
            item.setText(3, human_bytes(total_bytes))
            return total_params, total_bytes

        for key, node in sorted(module_tree(list(stats)).items(), key=lambda kv: natural_key(kv[0])):
            add(None, key, node)
        if self.tree.topLevelItemCount() <= 12:
            self.tree.expandToDepth(0)
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        text = text.strip().lower()

        def visit(item: QTreeWidgetItem) -> bool:
            name = item.data(0, Qt.ItemDataRole.UserRole)
            if name is not None:
                visible = not text or text in name.lower()
            else:
                visible = any([visit(item.child(i)) for i in range(item.childCount())])
                if text and visible:
                    item.setExpanded(True)
            item.setHidden(not visible)
            return visible

        for i in range(self.tree.topLevelItemCount()):
            visit(self.tree.topLevelItem(i))

    def visible_tensor_names(self) -> list[str]:
        names = []

        def visit(item: QTreeWidgetItem) -> None:
            if item.isHidden():
                return
            name = item.data(0, Qt.ItemDataRole.UserRole)
            if name is not None:
                names.append(name)
            for i in range(item.childCount()):
                visit(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            visit(self.tree.topLevelItem(i))
        return names

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        for item in self.tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive):
            if item.data(0, Qt.ItemDataRole.UserRole) == name:
                return item
        return None

    def _on_item_selected(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if name is None or self.opened is None:
            return
        self.selected_name = name
        self.details.setCurrentWidget(self.histogram_tab)
        tensor = self.opened.checkpoint.tensors[name].detach().reshape(-1)
        if tensor.numel() > HISTOGRAM_SAMPLE:
            generator = torch.Generator().manual_seed(0)
            tensor = tensor[torch.randint(tensor.numel(), (HISTOGRAM_SAMPLE,), generator=generator)]
        values = tensor.to(torch.float64).numpy()
        values = values[np.isfinite(values)]
        s = self.opened.stats[name]
        if values.size == 0:
            self.histogram_curve.setData([], [])
            self.histogram_note.setText(self.tr("{0}: no finite values to draw.").format(name))
            return
        counts, edges = np.histogram(values, bins=min(100, max(10, int(np.sqrt(values.size)))))
        self.histogram_curve.setData(edges, counts)
        self.histogram.getPlotItem().setTitle(name)
        note = self.tr("{0}: {1} {2}, mean {3}, std {4}, range [{5}, {6}].").format(
            name, "×".join(map(str, s.shape)) or self.tr("scalar"), s.dtype, _number(s.mean), _number(s.std), _number(s.min), _number(s.max)
        )
        if math.prod(s.shape) > HISTOGRAM_SAMPLE:
            note += " " + self.tr("(drawn from a random sample of 1M values)")
        self.histogram_note.setText(note)
        self.histogram_counts, self.histogram_edges = counts, edges

    def export_data(self) -> ViewData:
        if self.opened is None:
            return ViewData({})
        stats = list(self.opened.stats.values())
        table = np.array([[math.prod(s.shape), s.bytes, s.mean, s.std, s.min, s.max, s.nan_count, s.inf_count] for s in stats], np.float64)
        arrays = {"tensor_stats": table}
        cols = {"tensor_stats": ["numel", "bytes", "mean", "std", "min", "max", "nan", "inf"]}
        rows = {"tensor_stats": [s.name for s in stats]}
        if self.selected_name is not None and hasattr(self, "histogram_counts"):
            arrays["histogram_counts"] = self.histogram_counts.astype(np.float64)
            arrays["histogram_edges"] = self.histogram_edges
        return ViewData(arrays, rows, cols)
