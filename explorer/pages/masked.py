"""Masked self-attention (notes §4), page id ``masked``.

Paint on the score grid to forbid (or allow) a query from looking at a key; presets give the usual masks. The
page shows the raw scores e, the masked scores (−∞ cells in grey, outside the colour scale) and the weights a,
where masked cells are exactly 0 and every row still sums to 1. The causal check replaces a later token and
measures that, under a causal mask, no earlier output moves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QSplitter, QVBoxLayout, QWidget

from core.arrays import to_numpy
from core.self_attention import SelfAttentionConfig, SelfAttentionTrace, init_params, self_attention, with_mask
from explorer import runtime
from explorer.pages.base import Page, ViewData
from explorer.pages.common import MaskControls, MaskState, RowHints, SequenceBar, SequenceState, build_mask, flag_rows, set_quietly, size_boxes, token_labels
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.mask_painter import MaskPainter


@dataclass(frozen=True)
class MaskedState:
    sequence: SequenceState = SequenceState()
    mask: MaskState = MaskState(preset="causal")
    probe_position: int = 3  # the later token the causal check replaces
    probe_token: str = "dog"
    d_qk: int = 16  # D_Q, the size of queries and keys
    d_v: int = 16  # D_V, the size of values and outputs


@dataclass(frozen=True)
class MaskedTrace:
    tokens: tuple[str, ...]
    attention: SelfAttentionTrace
    probe_position: int  # clamped into the sequence
    probe_change: torch.Tensor | None  # (N,) max_d |y'_i − y_i| after replacing token probe_position
    rows_changed: torch.Tensor | None = None  # query rows that differ from the previous trace (None: all may)


def compute(state: MaskedState, *, device: str = "cpu", probe: bool = True, cache: dict | None = None) -> MaskedTrace:
    """``cache`` (a dict the page keeps) holds the unmasked traces of the last sequence and probe, and the last
    masked ones: an edit of the mask alone (painting a cell) then recomputes only the masked softmax and the
    outputs of the query rows whose mask changed, with the same values."""
    sequence = state.sequence
    tokens = sequence.page_tokens()
    n = len(tokens)
    cache = {} if cache is None else cache
    with torch.no_grad():
        base_key = (sequence, state.d_qk, state.d_v, str(device))
        if cache.get("base_key") != base_key:
            config = SelfAttentionConfig(dim=sequence.dim, d_qk=state.d_qk, d_v=state.d_v, seed=sequence.seed)
            params = init_params(config, device=device)
            cache.clear()
            cache.update(base_key=base_key, params=params, base=self_attention(sequence.embeddings(device), params))
        mask, rows = build_mask(state.mask, n, cache, device)
        previous = cache.get("masked")
        if previous is None:
            rows = None
        trace = with_mask(cache["base"], mask, previous=previous, rows=rows)
        cache["masked"] = trace
        position = min(max(state.probe_position, 0), n - 1)
        change = None
        if probe:
            probe_key = (position, state.probe_token)
            if cache.get("probe_key") != probe_key:
                changed = list(tokens)
                changed[position] = state.probe_token
                cache.update(probe_key=probe_key, probe=self_attention(sequence.embed(changed, device), cache["params"]), probe_masked=None)
            probe_previous = cache.get("probe_masked")
            # Only its output is read, and only here: its rows are recomputed in place (no N² copies).
            changed_trace = with_mask(cache["probe"], mask, previous=probe_previous, rows=rows if probe_previous is not None else None, in_place=True)
            cache["probe_masked"] = changed_trace
            change = (changed_trace.output - trace.output).abs().amax(dim=-1)
        else:
            cache["probe_masked"] = None  # it would miss the mask edits made meanwhile
    return MaskedTrace(tuple(tokens), trace, position, change, rows)


class MaskedPage(Page):
    page_id = "masked"
    title = "Masked self-attention"

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.store = StateStore(MaskedState(), undo_stack, self)
        self.trace: MaskedTrace | None = None
        self._cache: dict = {}  # unmasked traces of the current sequence (see compute)
        self.hints = RowHints()  # which rows a mask edit changed, for the views that show them
        self._scores_shown: tuple | None = None  # (scores tensor, labels) the scores view shows
        self._probe_shown: tuple | None = None  # (changes, labels, position) the causal-check chart shows
        self._build()
        self.store.stateChanged.connect(self._on_state_changed)
        self._on_state_changed(self.store.state)

    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("Masked self-attention (§4)"),
            self.tr(
                "Where a query may not look (the future, padding, another segment), its score is set to −∞ before the softmax: "
                "the weight becomes exactly 0 and the rest of the row renormalises. <i>Click or drag on a grid to paint (or erase) "
                "masked cells; the causal check measures that no earlier output moves when a later token changes.</i>"
            ),
            self.tr("e′<sub>ij</sub> = e<sub>ij</sub> if query i may see key j, else −∞ &nbsp;&nbsp; a<sub>i</sub> = softmax(e′<sub>i</sub>)"),
        )
        self.sequence_bar = SequenceBar()
        self.sequence_bar.sequenceEdited.connect(lambda text, mode: self._set_sequence(self.tr("Edit tokens"), text=text, mode=mode))
        self.sequence_bar.dimChanged.connect(lambda d: self._set_sequence(self.tr("Change D"), dim=d))
        self.sequence_bar.rerolled.connect(lambda: self._set_sequence(self.tr("Re-roll"), seed=self.store.state.sequence.seed + 1))
        self.sequence_bar.sourceChanged.connect(lambda source, dim: self._set_sequence(self.tr("Choose embeddings"), source=source, dim=dim))
        self.mask_controls = MaskControls()
        self.mask_controls.maskEdited.connect(lambda mask: self._set(self.tr("Change mask"), mask=mask))
        self.d_qk, self.d_v = size_boxes(self)
        controls = QHBoxLayout()
        controls.addWidget(self.mask_controls, 1)
        controls.addWidget(self.d_qk)
        controls.addWidget(self.d_v)

        self.scores_view = Heatmap(self.tr("scores e = q·k/√D_Q"), colormap=style.DIVERGING, levels=None, value_name="e")
        self.masked_view = Heatmap(self.tr("masked scores (grey = −∞)"), colormap=style.DIVERGING, levels=None, value_name="e")
        self.weights_view = Heatmap(self.tr("weights a = softmax"), value_name="a")
        self.scores_view.setToolTip(self.tr("Raw scores e_ij = q_i·k_j/√D_Q before masking"))
        self.masked_view.setToolTip(self.tr("Scores after masking: grey cells are −∞, outside the colour scale"))
        self.weights_view.setToolTip(self.tr("Weights a = softmax of the masked scores: masked cells are exactly 0, rows sum to 1 (∅: a row that sees nothing)"))
        self.mask_painters = []
        for view in (self.scores_view, self.masked_view, self.weights_view):
            painter = MaskPainter(view, self._is_blocked)
            painter.cellsPainted.connect(self._on_cells_painted)
            painter.paintedOutside.connect(lambda: self._show_message(self.tr("That press was outside the grid: nothing was painted.")))
            self.mask_painters.append(painter)
        grids = QSplitter()
        for view in (self.scores_view, self.masked_view, self.weights_view):
            grids.addWidget(view)

        self.message = QLabel("")
        self.message.setStyleSheet(style.ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.empty_rows = QLabel("")
        self.empty_rows.setWordWrap(True)

        self.probe_box = QGroupBox(self.tr("Causal check: replace a later token and measure every output's change"))
        self.probe_box.setCheckable(True)
        self.probe_box.toggled.connect(lambda on: self._on_state_changed(self.store.state))
        self.probe_position = QSpinBox()
        self.probe_position.setPrefix(self.tr("position "))
        self.probe_position.setKeyboardTracking(False)
        self.probe_position.valueChanged.connect(lambda v: self._set(self.tr("Choose probe position"), probe_position=v - 1))
        self.probe_token = QLineEdit()
        self.probe_token.setFixedWidth(110)
        self.probe_token.setToolTip(self.tr("The token put in its place (one token)"))
        self.probe_token.editingFinished.connect(self._on_probe_token)
        self.probe_chart = BarChart(self.tr("max |Δy_i| per position"), value_name="|Δy|", color=style.QUERY)
        self.probe_chart.setToolTip(self.tr("How far each output y_i moved when the chosen token was replaced"))
        self.probe_summary = QLabel("")
        self.probe_summary.setWordWrap(True)
        probe_controls = QHBoxLayout()
        probe_controls.addWidget(QLabel(self.tr("Replace")))
        probe_controls.addWidget(self.probe_position)
        probe_controls.addWidget(QLabel(self.tr("by")))
        probe_controls.addWidget(self.probe_token)
        probe_controls.addWidget(self.probe_summary, 1)
        probe_layout = QVBoxLayout(self.probe_box)
        probe_layout.addLayout(probe_controls)
        probe_layout.addWidget(self.probe_chart, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(grids, 1)
        top_layout.addWidget(self.empty_rows)
        splitter.addWidget(top)
        splitter.addWidget(self.probe_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.sequence_bar)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    # ---- edits ------------------------------------------------------------------------------------------------
    def _set_sequence(self, label: str, **changes) -> None:
        self._set(label, sequence=replace(self.store.state.sequence, **changes))

    def _is_blocked(self, row: int, col: int) -> bool:
        mask = self.trace.attention.mask if self.trace is not None else None
        return mask is not None and not bool(mask[row, col])

    def _on_cells_painted(self, cells: list, block: bool, stroke: int) -> None:
        state = self.store.state
        self._set(self.tr("Paint mask") if block else self.tr("Erase mask"), merge_key=("paint", stroke), mask=state.mask.paint(cells, block))

    def _on_probe_token(self) -> None:
        token = self.probe_token.text().strip()
        if not token or " " in token:
            self._show_message(self.tr("The replacement must be one token (no spaces)."))
            self.probe_token.setStyleSheet(style.FIELD_ERROR_STYLE)
            return
        self.probe_token.setStyleSheet("")
        self._set(self.tr("Change probe token"), probe_token=token)

    # ---- state → trace → views --------------------------------------------------------------------------------
    def _on_state_changed(self, state: MaskedState) -> None:
        start = time.perf_counter()
        try:
            self.trace = compute(state, device=runtime.core_device(), probe=self.probe_box.isChecked(), cache=self._cache)
            self.hints.new_trace(self.trace.rows_changed)
        except ValueError as exc:
            self._show_message(str(exc))
            return
        self._sync_controls(state)
        self._refresh()
        self.recomputed.emit((time.perf_counter() - start) * 1000.0)

    def _sync_controls(self, state: MaskedState) -> None:
        self.sequence_bar.set_state(state.sequence)
        self.mask_controls.set_state(state.mask)
        set_quietly(self.d_qk, state.d_qk)
        set_quietly(self.d_v, state.d_v)
        n = len(self.trace.tokens)
        set_quietly(self.probe_position, self.trace.probe_position + 1, minimum=1, maximum=n)
        if not self.probe_token.hasFocus() and self.probe_token.text() != state.probe_token:
            self.probe_token.setText(state.probe_token)

    def _refresh(self) -> None:
        trace = self.trace
        attention = trace.attention
        labels = token_labels(list(trace.tokens))
        empty = to_numpy(attention.fully_masked).astype(bool)
        shown = self._scores_shown
        if shown is None or shown[0] is not attention.scores or shown[1] != labels:  # raw scores stay when only the mask moves
            self._scores_shown = (attention.scores, labels)
            self.scores_view.set_data(to_numpy(attention.scores), labels, labels)
        self.masked_view.set_data(to_numpy(attention.masked_scores), labels, labels, rows_changed=self.hints.for_view(self.masked_view, "masked"))
        self.weights_view.set_data(to_numpy(attention.weights), flag_rows(labels, empty), labels, rows_changed=self.hints.for_view(self.weights_view, "weights"))
        if empty.any():
            names = ", ".join(labels[i] for i in np.flatnonzero(empty)[:8]) + (" …" if empty.sum() > 8 else "")
            count = int(empty.sum())
            text = self.tr("⚠ 1 query may look at nothing ({0}): marked ∅, weights 0 and output 0 — never NaN.") if count == 1 else self.tr(
                "⚠ {1} queries may look at nothing ({0}): marked ∅, weights 0 and output 0 — never NaN."
            )
            self._set_label(self.empty_rows, text.format(names, count), style.ERROR_STYLE)
        else:
            self._set_label(self.empty_rows, self.tr("Every row of a sums to 1; masked cells are exactly 0."), "")
        if trace.probe_change is not None:
            change = to_numpy(trace.probe_change)
            j = trace.probe_position
            shown = self._probe_shown
            if shown is None or shown[1:] != (labels, j) or not np.array_equal(shown[0], change):  # most cells painted move no bar
                self._probe_shown = (change, labels, j)
                self.probe_chart.set_data(change, labels, highlight=j)
            before = float(change[:j].max()) if j > 0 else 0.0
            after = float(change[j:].max())
            self._set_label(
                self.probe_summary,
                self.tr("Token {0} “{1}” → “{2}”: earlier positions change by at most {3}{4}; from position {0} on by up to {5}.").format(
                    j + 1, trace.tokens[j], self.store.state.probe_token, f"{before:.3g}",
                    self.tr(" (exactly 0: they cannot see it)") if before == 0.0 else "", f"{after:.3g}",
                )
            )

    @staticmethod
    def _set_label(label: QLabel, text: str, sheet: str | None = None) -> None:
        """Only what changed: a new text or style sheet re-lays-out (and re-polishes) the word-wrapped label."""
        if label.text() != text:
            label.setText(text)
        if sheet is not None and label.styleSheet() != sheet:
            label.setStyleSheet(sheet)

    def export_data(self) -> ViewData:
        attention = self.trace.attention
        labels = token_labels(list(self.trace.tokens))
        arrays = {
            "scores": to_numpy(attention.scores),
            "masked_scores": to_numpy(attention.masked_scores),
            "weights": to_numpy(attention.weights),
            "mask": to_numpy(attention.mask) if attention.mask is not None else np.ones((len(labels),) * 2, np.float32),
            "output": to_numpy(attention.output),
        }
        rows = {name: labels for name in arrays}
        cols = {name: labels for name in ("scores", "masked_scores", "weights", "mask")}
        return ViewData(arrays, rows, cols)
