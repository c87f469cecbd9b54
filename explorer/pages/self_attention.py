"""Self-attention (notes §3), page id ``self-attention``.

The queries, keys and values all come from the typed tokens. Drag tokens in the strip (or shuffle) to permute the
inputs: the page computes Y(PX) beside P·Y(X) and their largest difference — about 1e-7 without positional
encodings (permutation equivariance, measured), large with them.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace

import numpy as np
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from core import positional as positional_encodings
from core.arrays import to_numpy
from core.self_attention import SelfAttentionConfig, SelfAttentionTrace, init_params, self_attention
from explorer import runtime
from explorer.i18n import QT_TRANSLATE_NOOP
from explorer.pages.base import Page, ViewData
from explorer.pages.common import SequenceBar, SequenceState, set_quietly, size_boxes, token_labels
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.heatmap import Heatmap
from explorer.readout import ReadoutLabel
from explorer.widgets.token_strip import TokenStrip

TAB_QUERY, TAB_QKVY, TAB_PERMUTATION, TAB_POSITIONS = range(4)
POSITIONAL_LABELS = {
    "none": QT_TRANSLATE_NOOP("SelfAttentionPage", "no positional encoding"),
    "sinusoidal": QT_TRANSLATE_NOOP("SelfAttentionPage", "sinusoidal (added)"),
    "learned": QT_TRANSLATE_NOOP("SelfAttentionPage", "learned table (added)"),
    "rope": QT_TRANSLATE_NOOP("SelfAttentionPage", "RoPE (rotates q, k)"),
}


@dataclass(frozen=True)
class SelfAttentionState:
    sequence: SequenceState = SequenceState()
    order: tuple[int, ...] = ()  # permutation of the typed tokens: position i shows typed token order[i]; () = as typed
    d_qk: int = 16
    d_v: int = 16
    positional: str = "none"


@dataclass(frozen=True)
class SelfAttentionPageTrace:
    tokens: tuple[str, ...]  # in the shown (permuted) order
    order: tuple[int, ...]
    attention: SelfAttentionTrace  # of the shown sequence PX
    permuted_output: torch.Tensor  # (N, D_V) P·Y(X): the outputs of the typed order, reordered
    max_abs_difference: float  # max |Y(PX) − P·Y(X)|
    position_table: torch.Tensor | None  # (N, D) for the "Positions" view (RoPE: cos of its angles, (N, D/2))


def compute(state: SelfAttentionState, *, device: str = "cpu", cache: dict | None = None) -> SelfAttentionPageTrace:
    """``cache`` (a dict the page keeps) holds the embeddings, the weights and the trace of the typed order: a
    reorder (a dragged token) then computes only the reordered sequence."""
    sequence = state.sequence
    typed = sequence.page_tokens()
    n = len(typed)
    order = state.order if sorted(state.order) == list(range(n)) else tuple(range(n))
    config = SelfAttentionConfig(dim=sequence.dim, d_qk=state.d_qk, d_v=state.d_v, seed=sequence.seed, positional=state.positional)
    cache = {} if cache is None else cache
    key = (sequence, config, str(device))
    perm = torch.from_numpy(np.fromiter(order, np.int64, n)).to(device)  # ~15× faster than torch.tensor(order)
    with torch.no_grad():
        if cache.get("key") != key:
            cache.clear()
            params, x = init_params(config, device=device), sequence.embeddings(device)
            cache.update(key=key, params=params, x=x, original=self_attention(x, params, positional=state.positional, seed=sequence.seed))
        params, x, original = cache["params"], cache["x"], cache["original"]
        # x was checked for NaN when the typed order was computed: its rows reordered need no second check
        shown = original if order == tuple(range(n)) else self_attention(x[perm], params, positional=state.positional, seed=sequence.seed, check=False)
        permuted_output = original.output[perm]
        difference = float((shown.output - permuted_output).abs().max())
    table = shown.position_table
    if state.positional == "rope":
        table = positional_encodings.rope_angles(n, state.d_qk).cos().float()
    return SelfAttentionPageTrace(tuple([typed[i] for i in order]), order, shown, permuted_output, difference, table)


class SelfAttentionPage(Page):
    page_id = "self-attention"
    title = "Self-attention"

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.store = StateStore(SelfAttentionState(), undo_stack, self)
        self.trace: SelfAttentionPageTrace | None = None
        self._cache: dict = {}  # the typed order's trace (see compute)
        self._synced_controls: SelfAttentionState | None = None  # the state (order aside) the controls show
        self.selected = 0
        self._random = random.Random(0)
        self._build()
        self.store.stateChanged.connect(self._on_state_changed)
        self._on_state_changed(self.store.state)

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("Self-attention (§3)"),
            self.tr(
                "Queries, keys and values all come from the same inputs. Self-attention is permutation-equivariant: "
                "<i>drag tokens (or Shuffle)</i> and the outputs only reorder with them — it sees a set, not a sequence — "
                "until a positional encoding tells positions apart."
            ),
            "Q = XW<sub>Q</sub>, K = XW<sub>K</sub>, V = XW<sub>V</sub> &nbsp;&nbsp; Y = softmax(QKᵀ/√D<sub>Q</sub>) V &nbsp;&nbsp; Y(PX) = P·Y(X)",
        )
        self.sequence_bar = SequenceBar()
        self.sequence_bar.sequenceEdited.connect(lambda text, mode: self._set(self.tr("Edit tokens"), sequence=replace(self.store.state.sequence, text=text, mode=mode), order=()))
        self.sequence_bar.dimChanged.connect(lambda d: self._set(self.tr("Change D"), sequence=replace(self.store.state.sequence, dim=d)))
        self.sequence_bar.rerolled.connect(lambda: self._set(self.tr("Re-roll"), sequence=replace(self.store.state.sequence, seed=self.store.state.sequence.seed + 1)))
        self.sequence_bar.sourceChanged.connect(lambda source, dim: self._set(self.tr("Choose embeddings"), sequence=replace(self.store.state.sequence, source=source, dim=dim)))

        self.d_qk, self.d_v = size_boxes(self)
        self.positional = QComboBox()
        for kind in positional_encodings.KINDS:
            self.positional.addItem(self.tr(POSITIONAL_LABELS[kind]), kind)
        self.positional.currentIndexChanged.connect(lambda i: self._set(self.tr("Choose positional encoding"), positional=self.positional.itemData(i)))
        self.shuffle = QPushButton(self.tr("Shuffle"))
        self.shuffle.setToolTip(self.tr("Apply a random permutation P to the tokens"))
        self.shuffle.clicked.connect(self._shuffle)
        self.reset_order = QPushButton(self.tr("Typed order"))
        self.reset_order.setToolTip(self.tr("Undo the permutation: P = identity"))
        self.reset_order.clicked.connect(lambda: self._set(self.tr("Restore typed order"), order=()))
        controls = QHBoxLayout()
        for widget in (self.d_qk, self.d_v, QLabel(self.tr("Positions:")), self.positional, self.shuffle, self.reset_order):
            controls.addWidget(widget)
        controls.addStretch(1)

        self.strip = TokenStrip()
        self.strip.orderChanged.connect(self._on_strip_reordered)
        self.strip.tokenClicked.connect(self._select)
        strip_scroll = QScrollArea()
        strip_scroll.setWidget(self.strip)
        strip_scroll.setWidgetResizable(False)
        strip_scroll.setFixedHeight(self.strip.sizeHint().height() + 16)
        strip_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        strip_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        strip_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.strip_scroll = strip_scroll
        # The measured number changes on every reorder: it sits in a label of fixed size, so a new value repaints that
        # label alone; the verdict beside it (wrapped text, re-laid-out when set) changes only when its words do.
        # The number is plain text in a bold font, after a label that never changes: a rich-text label ("<b>…</b>")
        # laid its text out as a document at each new value (0.14 ms to set and repaint, 0.03 ms plain).
        equivariance_name = QLabel("max |Y(PX) − P·Y(X)| =")
        self.equivariance_value = ReadoutLabel("8.88e-888 →")
        self.equivariance_value.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.equivariance_value.font()
        bold.setBold(True)
        self.equivariance_value.setFont(bold)  # (a font change sizes the label again for its template)
        self.equivariance = QLabel("")
        self.equivariance.setWordWrap(True)
        for label in (equivariance_name, self.equivariance_value, self.equivariance):
            label.setToolTip(self.tr("The largest difference between attending to the permuted tokens and permuting the outputs: ≈1e-7 means equivariant"))
        equivariance_row = QHBoxLayout()
        measured = QHBoxLayout()  # the name and its value read as one line: a space apart, not the layout's spacing
        measured.setSpacing(equivariance_name.fontMetrics().horizontalAdvance(" "))
        measured.addWidget(equivariance_name)
        measured.addWidget(self.equivariance_value)
        equivariance_row.addLayout(measured)
        equivariance_row.setAlignment(measured, Qt.AlignmentFlag.AlignTop)
        equivariance_row.addWidget(self.equivariance, 1)

        self.weights_view = Heatmap(self.tr("weights a (queries × keys) — click a row"), value_name="a")
        self.weights_view.cellClicked.connect(lambda row, col: self._select(row))
        self.weights_view.setToolTip(self.tr("a_ij = softmax_j(q_i·k_j/√D_Q): how much token i (row) attends to token j (column)"))
        self.strip.setToolTip(self.tr("Drag a token to reorder the inputs (a permutation P); click one to select it as the query"))

        self.tabs = QTabWidget()
        query_tab = QWidget()
        query_layout = QVBoxLayout(query_tab)
        self.scores_chart = BarChart(self.tr("scores e of the selected query"), value_name="e", color=style.KEY)
        self.row_chart = BarChart(self.tr("weights a"), value_name="a", levels=(0.0, 1.08), color=style.QUERY)
        self.output_chart = BarChart(self.tr("output y (D_V values)"), value_name="y", color=style.OUTPUT)
        self.scores_chart.setToolTip(self.tr("Scores e_j = q·k_j/√D_Q of the selected query against every key"))
        self.row_chart.setToolTip(self.tr("Weights a = softmax(e): non-negative, sum to 1"))
        self.output_chart.setToolTip(self.tr("The selected token's output y = Σ_j a_j v_j, one bar per dimension"))
        for chart in (self.scores_chart, self.row_chart, self.output_chart):
            query_layout.addWidget(chart)
        self.tabs.addTab(query_tab, self.tr("Query"))
        qkvy = QWidget()
        grid = QGridLayout(qkvy)
        self.matrix_views = {}
        for index, (name, title) in enumerate((("q", "Q = XW_Q"), ("k", "K = XW_K"), ("v", "V = XW_V"), ("output", "Y = AV"))):
            view = Heatmap(title, colormap=style.DIVERGING, levels=None, row_name="token", col_name="dim", value_name=name)
            view.setToolTip(self.tr("{0}: one row per token, one column per dimension").format(title))
            self.matrix_views[name] = view
            grid.addWidget(view, index // 2, index % 2)
        self.tabs.addTab(qkvy, self.tr("Q, K, V, Y"))
        permutation = QWidget()
        perm_layout = QVBoxLayout(permutation)
        self.perm_views = {}
        row = QHBoxLayout()
        for name, title in (
            ("shown", self.tr("Y(PX): attention of the reordered tokens")),
            ("permuted", self.tr("P·Y(X): outputs of the typed order, reordered")),
            ("difference", "|Y(PX) − P·Y(X)|"),
        ):
            view = Heatmap(title, colormap=style.DIVERGING if name != "difference" else style.SEQUENTIAL, levels=None, row_name="position", col_name="dim", value_name="y")
            view.setToolTip(title)
            self.perm_views[name] = view
            row.addWidget(view)
        perm_layout.addLayout(row, 1)
        self.perm_explanation = QLabel("")
        self.perm_explanation.setWordWrap(True)
        perm_layout.addWidget(self.perm_explanation)
        self.tabs.addTab(permutation, self.tr("Permutation"))
        positions = QWidget()
        pos_layout = QVBoxLayout(positions)
        self.position_view = Heatmap(self.tr("positional encoding (positions × dims)"), colormap=style.DIVERGING, levels=(-1.5, 1.5), row_name="position", col_name="dim", value_name="PE")
        self.position_view.setToolTip(self.tr("The position table: row p is what is added to (or, for RoPE, how q and k are rotated at) position p"))
        self.position_note = QLabel("")
        self.position_note.setWordWrap(True)
        pos_layout.addWidget(self.position_view, 1)
        pos_layout.addWidget(self.position_note)
        self.tabs.addTab(positions, self.tr("Positions"))
        self.tabs.currentChanged.connect(lambda _: self._refresh_tab())

        splitter = QSplitter()
        splitter.addWidget(self.weights_view)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([520, 560])
        self.message = QLabel("")
        self.message.setStyleSheet(style.ERROR_STYLE)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.sequence_bar)
        layout.addLayout(controls)
        layout.addWidget(self.strip_scroll)
        layout.addLayout(equivariance_row)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    # ---- edits ------------------------------------------------------------------------------------------------
    def _set(self, text: str, **changes) -> None:
        self.message.hide()
        self.store.set(replace(self.store.state, **changes), text)

    def _current_order(self) -> tuple[int, ...]:
        return self.trace.order

    def _on_strip_reordered(self, permutation: list) -> None:
        order = self._current_order()
        self._set(self.tr("Reorder tokens"), order=tuple([order[i] for i in permutation]))

    def _shuffle(self) -> None:
        order = list(self._current_order())
        if len(order) < 2:
            self.message.setText(self.tr("One token cannot be reordered: type at least two."))
            self.message.show()
            return
        previous = list(order)
        while order == previous:
            self._random.shuffle(order)
        self._set(self.tr("Shuffle tokens"), order=tuple(order))

    def _select(self, index: int) -> None:
        if self.trace is not None and 0 <= index < len(self.trace.tokens) and index != self.selected:
            self.selected = index
            self._refresh_selection()

    # ---- state → trace → views --------------------------------------------------------------------------------
    def _on_state_changed(self, state: SelfAttentionState) -> None:
        start = time.perf_counter()
        try:
            self.trace = compute(state, device=runtime.core_device(), cache=self._cache)
        except ValueError as exc:
            self._synced_controls = None  # the controls may show what was refused: set them all on the next state
            self.message.setText(str(exc))
            self.message.show()
            return
        self.selected = min(self.selected, len(self.trace.tokens) - 1)
        self._sync_controls(state)
        self._refresh()
        self.recomputed.emit((time.perf_counter() - start) * 1000.0)

    def _sync_controls(self, state: SelfAttentionState) -> None:
        """The controls from the state; the strip (the state's order) is set with the selection (_refresh_selection)."""
        controls = replace(state, order=())
        if controls != self._synced_controls:  # a reorder changes the strip alone
            self._synced_controls = controls
            self.sequence_bar.set_state(state.sequence)
            for widget, value in ((self.d_qk, state.d_qk), (self.d_v, state.d_v)):
                set_quietly(widget, value)
            self.positional.blockSignals(True)
            self.positional.setCurrentIndex(self.positional.findData(state.positional))
            self.positional.blockSignals(False)

    def _refresh(self) -> None:
        trace = self.trace
        labels = token_labels(list(trace.tokens))
        weights = to_numpy(trace.attention.weights)
        weights.flags.writeable = False  # a trace is never changed: the map keeps this array rather than a copy
        self.weights_view.set_data(weights, labels, labels)
        difference = trace.max_abs_difference
        permuted = trace.order != tuple(range(len(trace.order)))
        positional = self.store.state.positional
        verdict = (
            self.tr("equivariant: reordering the inputs only reordered the outputs — self-attention alone cannot see order.")
            if difference < 1e-4
            else self.tr("not equivariant: with {0} the same token computes something different at another position.").format(self.tr(POSITIONAL_LABELS[positional]))
        )
        self.equivariance_value.setText(f"{difference:.2e} →")
        text = verdict + (" " + self.tr("P = identity (drag or shuffle tokens to permute). ").strip() if not permuted else "")
        if self.equivariance.text() != text:
            self.equivariance.setText(text)
        self._refresh_selection(tab=False)
        self._refresh_tab()

    def _refresh_selection(self, *, tab: bool = True) -> None:
        self.weights_view.set_highlight(row=self.selected)
        self.strip.set_tokens(self.trace.tokens, self.selected)
        hint = self.strip.sizeHint()
        if self.strip.size() != hint:  # new tokens, not a reorder: the scroll area takes the strip's new width
            self.strip.resize(hint)
        if tab and self.tabs.currentIndex() == TAB_QUERY:
            self._refresh_tab()

    def _refresh_tab(self) -> None:
        trace, tab, i = self.trace, self.tabs.currentIndex(), self.selected
        if trace is None:
            return
        labels = token_labels(list(trace.tokens))
        attention = trace.attention
        if tab == TAB_QUERY:
            self.scores_chart.set_title(self.tr("scores e of query “{0}”").format(trace.tokens[i]))
            self.scores_chart.set_data(to_numpy(attention.scores[i]), labels)
            self.row_chart.set_data(to_numpy(attention.weights[i]), labels, highlight=int(attention.weights[i].argmax()))
            self.output_chart.set_data(to_numpy(attention.output[i]), [str(d) for d in range(attention.output.shape[1])])
        elif tab == TAB_QKVY:
            for name, view in self.matrix_views.items():
                matrix = to_numpy(getattr(attention, name))
                view.set_data(matrix, labels, [str(d) for d in range(matrix.shape[1])])
        elif tab == TAB_PERMUTATION:
            shown, permuted = to_numpy(attention.output), to_numpy(trace.permuted_output)
            dims = [str(d) for d in range(shown.shape[1])]
            bound = float(max(np.abs(shown).max(), np.abs(permuted).max(), 1e-6))
            self.perm_views["shown"].set_data(shown, labels, dims, levels=(-bound, bound))
            self.perm_views["permuted"].set_data(permuted, labels, dims, levels=(-bound, bound))
            difference = np.abs(shown - permuted)
            self.perm_views["difference"].set_data(difference, labels, dims, levels=(0.0, max(float(difference.max()), 1e-6)))
            self.perm_explanation.setText(
                self.tr(
                    "Left: run self-attention on the reordered tokens. Middle: run it on the typed order, then reorder the outputs. "
                    "Right: their difference, at most {0}. Without positional encodings this is rounding "
                    "error (≈1e-7): attention sees a set, not a sequence. With an encoding each token's input depends on where it "
                    "stands, so the two differ."
                ).format(f"{trace.max_abs_difference:.2e}")
            )
        elif tab == TAB_POSITIONS:
            positional = self.store.state.positional
            if trace.position_table is None:
                self.position_view.set_data(np.zeros((len(labels), 1), np.float32), [str(p) for p in range(len(labels))], ["—"])
                self.position_note.setText(self.tr("No positional encoding: the inputs carry no information about where a token stands."))
            else:
                table = to_numpy(trace.position_table)
                self.position_view.set_data(table, [str(p) for p in range(table.shape[0])], [str(d) for d in range(table.shape[1])])
                notes = {
                    "sinusoidal": self.tr("PE[p, 2i] = sin(p/10000^(2i/D)), PE[p, 2i+1] = cos(…): each dimension pair is a clock of its own frequency; added to X."),
                    "learned": self.tr("A table of vectors, one per position (seeded here, trained in a real model); added to X."),
                    "rope": self.tr("RoPE rotates each (q, k) dimension pair by the angle p·θ_i (shown: cos p·θ_i). Scores then depend on the offset between positions."),
                }
                self.position_note.setText(notes[positional])

    def export_data(self) -> ViewData:
        trace = self.trace
        labels = token_labels(list(trace.tokens))
        attention = trace.attention
        arrays = {
            "weights": to_numpy(attention.weights),
            "scores": to_numpy(attention.scores),
            "q": to_numpy(attention.q),
            "k": to_numpy(attention.k),
            "v": to_numpy(attention.v),
            "output": to_numpy(attention.output),
            "permuted_output": to_numpy(trace.permuted_output),
            "order": np.array(trace.order, np.float32),
        }
        rows = {name: labels for name in arrays if name != "order"}
        return ViewData(arrays, rows, {"weights": labels, "scores": labels})
