"""Checkpoints, page id ``checkpoints``: open a checkpoint trained elsewhere without running any code from it, and
browse its tensors (a tree by module path with shape, dtype, bytes, mean / std / min / max and NaN / Inf counts,
a name filter, a histogram of one tensor, totals and the file's metadata).

Loading runs in a :class:`~explorer.workers.Job` with progress and cancel, so a multi-GB file never freezes the
window. Files come from the Open button, File → Open checkpoint, recent files, drag and drop, or
``attention-explorer open PATH``.
"""

from __future__ import annotations

import json
import math
import re
import pathlib
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.checkpoints import Checkpoint, CheckpointError, TensorStats, module_tree, open_checkpoint, tensor_stats
from explorer.pages.base import Page, ViewData
from explorer.widgets import style
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.table import TextTable
from explorer.workers import Job

RECENT_KEY = "checkpoints/recent"
MAX_RECENT = 8
HISTOGRAM_SAMPLE = 1 << 20  # values drawn from a large tensor for its histogram
COLUMNS = ("name", "shape", "dtype", "bytes", "mean", "std", "min", "max", "NaN", "Inf")


@dataclass(frozen=True)
class OpenedCheckpoint:
    checkpoint: Checkpoint
    stats: dict[str, TensorStats]


def load_with_stats(path: str | pathlib.Path, progress) -> OpenedCheckpoint:
    """Open the checkpoint (first half of the progress bar), then summarise every tensor (second half)."""
    checkpoint = open_checkpoint(path, lambda f, m="": progress(0.5 * f, m))
    stats = {}
    names = list(checkpoint.tensors)
    for index, name in enumerate(names):
        stats[name] = tensor_stats(name, checkpoint.tensors[name])
        if index % 8 == 0:
            progress(0.5 + 0.5 * index / len(names), f"summarising {name}")
    return OpenedCheckpoint(checkpoint, stats)


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


class CheckpointsPage(Page):
    page_id = "checkpoints"
    title = "Checkpoints"
    checkpointOpened = Signal(object)  # OpenedCheckpoint

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.opened: OpenedCheckpoint | None = None
        self.job: Job | None = None
        self.selected_name: str | None = None
        self.setAcceptDrops(True)
        self._build()
        self._refresh_recent()

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            "Checkpoints",
            "Open a model trained elsewhere — .pt / .pth / .bin, .safetensors or a Hugging Face folder — or drop it here. "
            "Nothing in the file is ever run: torch files are read with the weights-only unpickler, and a file that wants "
            "code is refused with the names of what it asked for.",
        )
        self.open_button = QPushButton("Open…")
        self.open_button.clicked.connect(self.choose_file)
        self.open_folder_button = QPushButton("Open folder…")
        self.open_folder_button.clicked.connect(self.choose_folder)
        self.recent = QComboBox()
        self.recent.setMinimumWidth(220)
        self.recent.activated.connect(self._on_recent)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        # The recent-files row and the progress row take turns in one slot of fixed size: starting or finishing
        # a load changes no geometry, so nothing else on the page is laid out or repainted again.
        recent_row, progress_row = QWidget(), QWidget()
        recent_layout, progress_layout = QHBoxLayout(recent_row), QHBoxLayout(progress_row)
        for row_layout in (recent_layout, progress_layout):
            row_layout.setContentsMargins(0, 0, 0, 0)
        recent_layout.addWidget(QLabel("Recent:"))
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
        self.summary = QLabel("No checkpoint open.")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("filter tensors by name, e.g. attn or blocks.3")
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
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
        self.histogram = pg.PlotWidget(title="histogram of the selected tensor")
        self.histogram.getPlotItem().setMouseEnabled(False, False)
        self.histogram.getPlotItem().hideButtons()
        self.histogram_curve = self.histogram.plot([], [], stepMode="center", fillLevel=0, brush=pg.mkBrush(style.INPUT.lighter(130)), pen=pg.mkPen(style.INPUT))
        self.histogram_note = QLabel("Select a tensor in the tree.")
        self.histogram_note.setWordWrap(True)
        histogram_tab = QWidget()
        histogram_layout = QVBoxLayout(histogram_tab)
        histogram_layout.addWidget(self.histogram, 1)
        histogram_layout.addWidget(self.histogram_note)
        self.details.addTab(histogram_tab, "Histogram")
        self.metadata = TextTable(["value"])
        self.details.addTab(self.metadata, "Metadata")
        self.config_text = QPlainTextEdit()
        self.config_text.setReadOnly(True)
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

    # ---- opening ----------------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open checkpoint", str(self._last_folder()), "Checkpoints (*.pt *.pth *.bin *.ckpt *.safetensors);;All files (*)")
        if path:
            self.open_path(path)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open Hugging Face folder", str(self._last_folder()))
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
        self.job.cancelled.connect(lambda: self._show_message("Opening cancelled; the previous checkpoint is still shown."))
        self.job.finished.connect(self._on_job_finished)
        self.progress.setValue(0)
        self.activity.setCurrentIndex(1)
        self._show_message(f"Opening {path} …", error=False)
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
        text = message.split(": ", 1)[1] if message.startswith(("CheckpointError", "ValueError")) else message
        self._show_message(f"Could not open: {text}")

    def _show_message(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style.ERROR_STYLE if error and text else "")

    def _on_opened(self, opened: OpenedCheckpoint, path: str) -> None:
        self.opened = opened
        self._remember(path)
        checkpoint = opened.checkpoint
        self._show_message("", error=False)
        nan = sum(s.nan_count for s in opened.stats.values())
        inf = sum(s.inf_count for s in opened.stats.values())
        dtypes = sorted({s.dtype for s in opened.stats.values()})
        self.summary.setText(
            f"<b>{checkpoint.path.name}</b> · {checkpoint.format} · {len(checkpoint.tensors)} tensors · "
            f"{checkpoint.parameter_count:,} parameters · {human_bytes(checkpoint.byte_count)} · {', '.join(dtypes)}"
            + (f" · <span style='color:#b00020'>{nan} NaN, {inf} Inf values</span>" if nan or inf else "")
            + (f"<br>{'; '.join(checkpoint.notes)}" if checkpoint.notes else "")
        )
        self._fill_tree()
        rows = sorted(checkpoint.metadata.items())
        self.metadata.set_rows([k for k, _ in rows], [[v] for _, v in rows])
        self.config_text.setPlainText(json.dumps(checkpoint.config, indent=2) if checkpoint.config else "(no config.json: a single file)")
        self.checkpointOpened.emit(opened)

    # ---- recent files -----------------------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = QSettings().value(RECENT_KEY, [])
        return [value] if isinstance(value, str) else list(value or [])

    def _remember(self, path: str) -> None:
        path = str(pathlib.Path(path).absolute())
        recent = [path] + [p for p in self.recent_files() if p != path]
        QSettings().setValue(RECENT_KEY, recent[:MAX_RECENT])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent.blockSignals(True)
        self.recent.clear()
        files = self.recent_files()
        self.recent.addItem("—" if not files else f"{len(files)} recent", None)
        for path in files:
            self.recent.addItem(pathlib.Path(path).name, path)
            self.recent.setItemData(self.recent.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
        self.recent.blockSignals(False)

    def _on_recent(self, index: int) -> None:
        path = self.recent.itemData(index)
        if path:
            self.open_path(path)
        self.recent.setCurrentIndex(0)

    # ---- drag and drop ----------------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_path(urls[0].toLocalFile())
            event.acceptProposedAction()

    # ---- the tree ---------------------------------------------------------------------------------------------
    def _fill_tree(self) -> None:
        self.tree.clear()
        stats = self.opened.stats

        def add(parent: QTreeWidgetItem | None, label: str, node) -> tuple[int, int]:
            if isinstance(node, str):
                s = stats[node]
                cells = [label, "×".join(map(str, s.shape)) or "scalar", s.dtype, human_bytes(s.bytes), _number(s.mean), _number(s.std), _number(s.min), _number(s.max), str(s.nan_count), str(s.inf_count)]
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
            item.setText(1, f"{total_params:,} params")
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
        tensor = self.opened.checkpoint.tensors[name].detach().reshape(-1)
        if tensor.numel() > HISTOGRAM_SAMPLE:
            generator = torch.Generator().manual_seed(0)
            tensor = tensor[torch.randint(tensor.numel(), (HISTOGRAM_SAMPLE,), generator=generator)]
        values = tensor.to(torch.float64).numpy()
        values = values[np.isfinite(values)]
        s = self.opened.stats[name]
        if values.size == 0:
            self.histogram_curve.setData([], [])
            self.histogram_note.setText(f"{name}: no finite values to draw.")
            return
        counts, edges = np.histogram(values, bins=min(100, max(10, int(np.sqrt(values.size)))))
        self.histogram_curve.setData(edges, counts)
        self.histogram.getPlotItem().setTitle(name)
        sampled = " (a random sample of 1M values)" if math.prod(s.shape) > HISTOGRAM_SAMPLE else ""
        self.histogram_note.setText(f"{name}: {'×'.join(map(str, s.shape))} {s.dtype}, mean {_number(s.mean)}, std {_number(s.std)}, range [{_number(s.min)}, {_number(s.max)}]{sampled}.")
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
