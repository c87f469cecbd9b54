"""State and controls shared by the sequence pages (self-attention, masked, multi-head): the typed token
sequence with its embedding size and seed, and the mask (a preset plus painted cells)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import torch
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from core import masks
from core import tokens as token_core
from explorer.i18n import QT_TRANSLATE_NOOP, core_text
from explorer.widgets import style
from explorer.widgets.token_input import TokenInput

PAGE_TOKEN_LIMIT = 1024  # past this the pages refuse (N² weights for every view); documented in the README
EMBEDDING_SEED = 0  # the seeded embeddings stay when the weights are re-rolled: the same token, the same vector


@dataclass(frozen=True)
class SequenceState:
    text: str = "the cat sat on the mat ."
    mode: str = "words"
    dim: int = 16  # D
    seed: int = 0  # seeds the layer's weights W_Q, W_K, W_V ("re-roll"); the tokens keep their embeddings
    source: str = "seeded random"  # a key of core.tokens.EMBEDDING_SOURCES (e.g. a loaded text model's embeddings)

    def tokens(self) -> list[str]:
        return list(_tokenize(self.text, self.mode))

    def page_tokens(self) -> list[str]:
        """The tokens a page computes, refused (ValueError) when there are none or more than PAGE_TOKEN_LIMIT: the token
        field refuses such a sequence, but a state can also come from a session file."""
        tokens = self.tokens()
        token_core.validate(tokens, max_tokens=PAGE_TOKEN_LIMIT)
        return tokens

    def embeddings(self, device="cpu") -> torch.Tensor:
        """(N, D) embeddings of the tokens from the chosen source (seeded: the same token string, the same vector)."""
        return self.embed(self.tokens(), device)

    def embed(self, tokens: Sequence[str], device="cpu") -> torch.Tensor:
        """(N, D) embeddings of any ``tokens`` (one vector per string) from this sequence's source and size."""
        return token_core.embed(tokens, self.dim, seed=EMBEDDING_SEED, source=self.source, device=device)


@lru_cache(maxsize=8)
def _tokenize(text: str, mode: str) -> tuple[str, ...]:
    """The pages ask for the tokens on every edit (a mask edit too): split a long text once."""
    return tuple(token_core.tokenize(text, mode))


def token_labels(tokens: Sequence[str]) -> list[str]:
    """Axis labels: the token, with its position when the same token occurs twice."""
    return list(_token_labels(tuple(tokens)))


@lru_cache(maxsize=16)
def _token_labels(tokens: tuple[str, ...]) -> tuple[str, ...]:
    # Cached: every edit of a page labels its views again (1 ms for 1024 tokens), and the same label strings
    # (the same objects) let a view see at once that its labels did not change.
    if len(set(tokens)) == len(tokens):  # no token twice (a reorder gives a new tuple each time): ~7x faster at 1024
        return tokens
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    return tuple(f"{t}·{i}" if counts[t] > 1 else t for i, t in enumerate(tokens))


@dataclass(frozen=True)
class MaskState:
    preset: str = "none"
    padding_count: int = 1
    window: int = 2
    p: float = 0.3
    seed: int = 0
    segments: tuple[int, ...] = (3, 3)
    blocked: frozenset = frozenset()  # cells painted blocked on top of the preset
    opened: frozenset = frozenset()  # cells painted open on top of the preset

    def build(self, n: int) -> torch.Tensor:
        """(N, N) bool, True = may attend: the preset, then the painted cells (those inside the grid)."""
        return self._painted(self._preset_grid(n), n)

    def _preset_grid(self, n: int) -> torch.Tensor:
        return masks.from_preset(self.preset, n, padding_count=self.padding_count, window=self.window, p=self.p, seed=self.seed, segments=self.segments)

    def _painted(self, mask: torch.Tensor, n: int) -> torch.Tensor:
        """``mask`` (the preset's grid) with the painted cells set, in place."""
        for cells, value in ((self.blocked, False), (self.opened, True)):
            inside = [(i, j) for i, j in cells if i < n and j < n]
            if inside:
                index = torch.tensor(inside)
                mask[index[:, 0], index[:, 1]] = value
        return mask

    def paint(self, cells: list[tuple[int, int]], block: bool) -> "MaskState":
        cells = frozenset(tuple(c) for c in cells)
        if block:
            return replace(self, blocked=self.blocked | cells, opened=self.opened - cells)
        return replace(self, blocked=self.blocked - cells, opened=self.opened | cells)

    def cleared(self) -> "MaskState":
        return replace(self, blocked=frozenset(), opened=frozenset())


def build_mask(state: MaskState, n: int, cache: dict, device="cpu") -> tuple[torch.Tensor, torch.Tensor | None]:
    """(mask, rows): ``state``'s (N, N) mask on ``device`` and the query rows where it may differ from the mask
    built last with ``cache`` (None: anywhere). ``cache``, a dict the page keeps, holds the preset's grid and the
    last mask: painting a cell then sets the cells painted or erased since in a copy of the last mask, rather than
    building the grid again and comparing N² cells to find the changed rows."""
    key = (replace(state, blocked=frozenset(), opened=frozenset()), n, str(device))
    if cache.get("mask_key") != key:
        preset = state._preset_grid(n)
        mask = state._painted(preset.clone(), n).to(device)
        cache.update(mask_key=key, mask_preset=preset, mask_last=(state, mask))
        return mask, None
    last_state, last_mask = cache["mask_last"]
    cells = sorted((i, j) for i, j in (state.blocked ^ last_state.blocked) | (state.opened ^ last_state.opened) if i < n and j < n)
    mask = last_mask.clone()  # the last mask belongs to the last trace, which stays as it was
    preset = cache["mask_preset"].numpy()  # built on the CPU
    # Each cell as the state wants it: painted (blocked or opened), else the preset's (after "Clear painting").
    wanted = [(i, j, (i, j) in state.opened if (i, j) in state.blocked or (i, j) in state.opened else bool(preset[i, j])) for i, j in cells]
    if mask.device.type == "cpu":  # the few cells of a stroke one by one in a numpy view: ~1 µs a cell, not ~20 µs a torch op
        grid, changed = mask.numpy(), set()
        for i, j, value in wanted:
            if grid[i, j] != value:  # painting over a cell the preset already blocks changes nothing
                grid[i, j] = value
                changed.add(i)
        rows = torch.tensor(sorted(changed), dtype=torch.long)
    elif wanted:
        index = torch.tensor(cells, device=mask.device)
        values = torch.tensor([value for _, _, value in wanted], device=mask.device)
        differs = mask[index[:, 0], index[:, 1]] != values
        mask[index[:, 0], index[:, 1]] = values
        rows = torch.unique(index[differs, 0])
    else:
        rows = torch.zeros(0, dtype=torch.long, device=mask.device)
    cache["mask_last"] = (state, mask)
    return mask, rows


class SequenceBar(QWidget):
    """Token input, embedding size D, a re-roll button, and the embedding source once there is more than one
    (a text model loaded on the Text page offers its real token embeddings)."""

    sequenceEdited = Signal(str, str)  # text, mode
    dimChanged = Signal(int)
    rerolled = Signal()
    sourceChanged = Signal(str, int)  # source name, the D it needs (the current D when the source has no fixed size)

    def __init__(self, *, min_tokens: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.token_input = TokenInput(max_tokens=PAGE_TOKEN_LIMIT, min_tokens=min_tokens)
        self.token_input.sequenceEdited.connect(lambda text, mode, tokens: self.sequenceEdited.emit(text, mode))
        self.dim = QSpinBox()
        self.dim.setRange(token_core.MIN_DIM, token_core.MAX_DIM)
        self.dim.setPrefix("D = ")
        self.dim.setKeyboardTracking(False)
        self.dim.setToolTip(self.tr("D: the size of every token vector"))
        self.dim.valueChanged.connect(self.dimChanged.emit)
        self.reroll = QPushButton(self.tr("Re-roll"))
        self.reroll.setToolTip(self.tr("New random weights W_Q, W_K, W_V (each token keeps its embedding)"))
        self.reroll.clicked.connect(self.rerolled.emit)
        self.source = QComboBox()
        self.source.setToolTip(self.tr("Where the token vectors come from: seeded random, or a loaded model's embedding table"))
        self.source.activated.connect(self._on_source_chosen)
        self._source_state = "seeded random"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.token_input, 1)
        layout.addWidget(self.source)
        layout.addWidget(self.dim)
        layout.addWidget(self.reroll)
        self._sync_sources()

    def _sync_sources(self) -> None:
        names = list(token_core.EMBEDDING_SOURCES)
        self.source.blockSignals(True)
        if [self.source.itemData(i) for i in range(self.source.count())] != names:
            self.source.clear()
            for name in names:
                self.source.addItem(core_text(name), name)
        self.source.setCurrentIndex(max(0, self.source.findData(self._source_state)))
        self.source.blockSignals(False)
        self.source.setVisible(len(names) > 1)
        fixed = token_core.SOURCE_DIMS.get(self._source_state)
        self.dim.setEnabled(fixed is None)
        self.dim.setToolTip(self.tr("D is the size of {0}").format(self._source_state) if fixed else self.tr("D: the size of every token vector"))

    def _on_source_chosen(self, index: int) -> None:
        name = self.source.itemData(index)
        if name != self._source_state:
            self.sourceChanged.emit(name, token_core.SOURCE_DIMS.get(name, self.dim.value()))

    def showEvent(self, event) -> None:  # noqa: N802 - sources appear when a model is loaded on another page
        self._sync_sources()
        super().showEvent(event)

    def set_state(self, sequence: SequenceState) -> None:
        self.token_input.set_sequence(sequence.text, sequence.mode)
        self._source_state = sequence.source
        set_quietly(self.dim, sequence.dim, maximum=max(token_core.MAX_DIM, sequence.dim))
        self._sync_sources()


class MaskControls(QWidget):
    """Mask preset and its parameter; "Clear" removes the painted cells."""

    maskEdited = Signal(object)  # a new MaskState

    LABELS = {
        "none": QT_TRANSLATE_NOOP("MaskControls", "none"),
        "causal": QT_TRANSLATE_NOOP("MaskControls", "causal"),
        "padding": QT_TRANSLATE_NOOP("MaskControls", "padding (last k)"),
        "window": QT_TRANSLATE_NOOP("MaskControls", "local window w"),
        "random": QT_TRANSLATE_NOOP("MaskControls", "random sparse p"),
        "blocks": QT_TRANSLATE_NOOP("MaskControls", "block-diagonal"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = MaskState()
        self.preset = QComboBox()
        for name in masks.PRESETS:
            self.preset.addItem(self.tr(self.LABELS[name]), name)
        self.preset.setToolTip(self.tr("Which (query, key) pairs are blocked before the softmax; paint on a grid to change single cells"))
        self.preset.currentIndexChanged.connect(lambda i: self._emit(preset=self.preset.itemData(i)))
        self.count = QSpinBox()
        self.count.setRange(0, 1024)
        self.count.setKeyboardTracking(False)
        self.count.valueChanged.connect(self._on_count)
        self.p = QDoubleSpinBox()
        self.p.setRange(0.0, 1.0)
        self.p.setSingleStep(0.05)
        self.p.setPrefix("p = ")
        self.p.setKeyboardTracking(False)
        self.p.valueChanged.connect(lambda v: self._emit(p=float(v)))
        self.segments = QLineEdit()
        self.segments.setPlaceholderText(self.tr("segment lengths, e.g. 3, 4"))
        self.segments.setFixedWidth(120)
        self.segments.editingFinished.connect(self._on_segments)
        self.clear = QPushButton(self.tr("Clear painting"))
        self.clear.clicked.connect(lambda: self.maskEdited.emit(self._state.cleared()))
        self.error = QLabel("")
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Mask:")))
        layout.addWidget(self.preset)
        layout.addWidget(self.count)
        layout.addWidget(self.p)
        layout.addWidget(self.segments)
        layout.addWidget(self.clear)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def _emit(self, **changes) -> None:
        self.error.hide()
        self.maskEdited.emit(replace(self._state, **changes))

    def _on_count(self, value: int) -> None:
        self._emit(**({"padding_count": value} if self._state.preset == "padding" else {"window": value}))

    def _on_segments(self) -> None:
        try:
            lengths = tuple(int(part) for part in self.segments.text().replace(",", " ").split())
            if not lengths or min(lengths) <= 0:
                raise ValueError
        except ValueError:
            self.error.setText(self.tr("segment lengths must be positive whole numbers"))
            self.error.show()
            return
        if lengths != self._state.segments:
            self._emit(segments=lengths)

    def set_state(self, state: MaskState) -> None:
        self._state = state
        for widget in (self.preset, self.count, self.p, self.segments):
            widget.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData(state.preset))
        self.count.setVisible(state.preset in ("padding", "window"))
        set_quietly(self.count, state.padding_count if state.preset == "padding" else state.window, prefix="k = " if state.preset == "padding" else "w = ")
        self.p.setVisible(state.preset == "random")
        set_quietly(self.p, state.p)
        self.segments.setVisible(state.preset == "blocks")
        segments = ", ".join(str(s) for s in state.segments)
        if self.segments.text() != segments:
            self.segments.setText(segments)
        self.clear.setEnabled(bool(state.blocked or state.opened))
        for widget in (self.preset, self.count, self.p, self.segments):
            widget.blockSignals(False)


def _size_box(prefix: str, tooltip: str, on_change) -> QSpinBox:
    """A spin box for a layer size (D_Q, D_V: 1–512) that reports a value once it is entered, not at every keystroke."""
    box = QSpinBox()
    box.setRange(1, 512)
    box.setPrefix(prefix)
    box.setKeyboardTracking(False)
    box.setToolTip(tooltip)
    box.valueChanged.connect(on_change)
    return box


def size_boxes(page) -> tuple[QSpinBox, QSpinBox]:
    """The D_Q and D_V boxes of a sequence page: each entered value is one undo step, ``page._set(text, d_qk=…)``."""

    def translated(text: str) -> str:
        return QCoreApplication.translate("SizeBoxes", text)

    d_qk = _size_box("D_Q = ", translated(_SIZE_TEXTS["d_qk"]), lambda v: page._set(translated(_SIZE_TEXTS["change d_qk"]), d_qk=v))
    d_v = _size_box("D_V = ", translated(_SIZE_TEXTS["d_v"]), lambda v: page._set(translated(_SIZE_TEXTS["change d_v"]), d_v=v))
    return d_qk, d_v


_SIZE_TEXTS = {  # marked for pyside6-lupdate in the context size_boxes translates them in
    "d_qk": QT_TRANSLATE_NOOP("SizeBoxes", "D_Q: the size of queries and keys (the scores are divided by √D_Q)"),
    "change d_qk": QT_TRANSLATE_NOOP("SizeBoxes", "Change D_Q"),
    "d_v": QT_TRANSLATE_NOOP("SizeBoxes", "D_V: the size of values, and so of the outputs y"),
    "change d_v": QT_TRANSLATE_NOOP("SizeBoxes", "Change D_V"),
}


def set_quietly(spin, value, *, minimum=None, maximum=None, prefix: str | None = None) -> None:
    """Show ``value`` in a spin box without its signal, touching only what differs: setting a spin box (even to the
    value it has) repaints it and re-lays-out its row, on every edit of the page."""
    spin.blockSignals(True)
    if prefix is not None and spin.prefix() != prefix:
        spin.setPrefix(prefix)
    low = spin.minimum() if minimum is None else minimum
    high = spin.maximum() if maximum is None else maximum
    if (spin.minimum(), spin.maximum()) != (low, high):
        spin.setRange(low, high)
    if spin.value() != value:
        spin.setValue(value)
    spin.blockSignals(False)


def flag_rows(labels: list[str], fully_masked: np.ndarray) -> list[str]:
    """Mark queries that may look at nothing (their weights and output are 0)."""
    return [f"∅ {label}" if empty else label for label, empty in zip(labels, fully_masked)]


class RowHints:
    """Which rows of a view's matrix an edit changed, when the page knows: painting one mask cell changes one
    query's row. A view gets the hint only when it shows the same content of the trace just before; anything
    else (another head in the thumbnail, a tab that was hidden, a full recompute) gets None: compare everything."""

    def __init__(self) -> None:
        self.generation = 0
        self.rows = None  # rows changed by the newest trace, or None

    def new_trace(self, rows) -> None:
        self.generation += 1
        self.rows = None if rows is None else np.asarray(rows.cpu() if hasattr(rows, "cpu") else rows, np.int64)

    def for_view(self, view, content) -> np.ndarray | None:
        last, view._shown_content = getattr(view, "_shown_content", None), (self.generation, content)
        return None if self.rows is None or last != (self.generation - 1, content) else self.rows
