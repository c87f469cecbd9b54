"""The attention layer (notes §2), page id ``attention-layer``.

Drag a query q and input vectors X_i on a 2-D canvas and watch the alignment scores e_i = f_att(q, x_i), the
weights a = softmax(e) and the output y = Σ a_i v_i change live. Choose f_att from the core's registry, split
the inputs into keys and values with learned projections W_K, W_V (and project the query with W_Q), add more
queries to get a weight matrix, and measure why plain dot products need the 1/√D scale.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import similarity as similarities
from core.arrays import to_numpy
from core.attention import AttentionTrace, attend, scaling_study
from explorer import runtime
from explorer.i18n import core_text
from explorer.pages.base import Page, ViewData
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.heatmap import Heatmap
from explorer.readout import ReadoutLabel
from explorer.widgets.matrix_editor import MatrixEditor, VectorListEditor
from explorer.widgets.table import TextTable
from explorer.widgets.vector_canvas import VectorCanvas

MAX_VECTORS = 16
TAB_SCORES, TAB_MATRIX, TAB_SCALING, TAB_TEXT = range(4)
Vec = tuple[float, float]
Mat = tuple[Vec, Vec]
IDENTITY: Mat = ((1.0, 0.0), (0.0, 1.0))


@dataclass(frozen=True)
class AttentionLayerState:
    """Everything the user set on this page (plain data: it can be compared, undone and saved)."""

    queries: tuple[Vec, ...] = ((1.2, 0.6),)
    inputs: tuple[Vec, ...] = ((1.6, 0.3), (0.4, 1.5), (-1.2, 0.9), (-0.5, -1.3))
    similarity: str = "scaled_dot"
    temperature: float = 0.5  # τ of the cosine similarity
    similarity_seed: int = 0  # seed of the learned similarity parameters (general W; additive W_q, W_k, v)
    projections: bool = False  # keys and values as projections of the inputs (and q W_Q)
    w_q: Mat = IDENTITY
    w_k: Mat = IDENTITY
    w_v: Mat = IDENTITY
    random_seed: int = 0  # how many times "Random" was pressed (reproducible matrices)


def _tool_button(text: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


def _as_mat(matrix: np.ndarray) -> Mat:
    return tuple(tuple(float(v) for v in row) for row in np.asarray(matrix))  # type: ignore[return-value]


def compute(state: AttentionLayerState, *, device: str = "cpu") -> AttentionTrace:
    """The page's one call into the core: the attention layer for the state's queries and inputs."""
    params: dict[str, object] = {}
    if state.projections:
        params.update(W_Q=np.array(state.w_q), W_K=np.array(state.w_k), W_V=np.array(state.w_v))
    if similarities.get(state.similarity).needs:
        params.update(similarities.init_params(state.similarity, 2, 2, seed=state.similarity_seed))
    if state.similarity == "cosine":
        params["temperature"] = state.temperature
    with torch.no_grad():
        return attend(np.array(state.queries), np.array(state.inputs), similarity=state.similarity, params=params, device=device)


class AttentionLayerPage(Page):
    page_id = "attention-layer"
    title = "The attention layer"

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.store = StateStore(AttentionLayerState(), undo_stack, self)
        self.trace: AttentionTrace | None = None
        self.selected_query = 0
        self._synced_controls: tuple | None = None  # what the controls show (see _sync_controls)
        self._drag_serial = 0
        self._scaling_done = False
        self._build()
        self.store.stateChanged.connect(self._on_state_changed)
        self._on_state_changed(self.store.state)
        self.canvas.fit(np.vstack([self.store.state.inputs, self.store.state.queries]))

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("The attention layer (§2)"),
            self.tr(
                "A query <span style='color:#d62728'>q</span> scores every input <span style='color:#1f77b4'>x<sub>i</sub></span> "
                "with a similarity f<sub>att</sub>; the softmax turns the scores into weights that sum to 1, and the output is the "
                "weighted sum of the values. <i>Drag the points; arrow width shows a<sub>i</sub>. Tick “Project” to learn keys and "
                "values separately; open “Why scale?” to see why plain dot products saturate the softmax.</i>"
            ),
            "e<sub>i</sub> = f<sub>att</sub>(q, k<sub>i</sub>) &nbsp;&nbsp; a = softmax(e) &nbsp;&nbsp; y = Σ<sub>i</sub> a<sub>i</sub> v<sub>i</sub>",
        )

        # left: the canvas
        self.canvas = VectorCanvas()
        self.canvas.add_segments("attention", color=style.QUERY, arrows=True, end_gap=8.0)
        self.canvas.add_segments("output", color=style.OUTPUT, arrows=True, z=1)
        self.canvas.add_layer("inputs", color=style.INPUT, symbol="o", draggable=True, z=1)
        self.canvas.add_layer("keys", color=style.KEY, symbol="t1", size=12)
        self.canvas.add_layer("values", color=style.VALUE, symbol="d", size=12)
        self.canvas.add_layer("projected_queries", color=style.QUERY.lighter(140), symbol="s", size=11)
        self.canvas.add_layer("queries", color=style.QUERY, symbol="s", draggable=True, z=2)
        self.canvas.add_layer("outputs", color=style.OUTPUT, symbol="star", size=18, z=3)
        self.canvas.pointDragged.connect(self._on_point_dragged)
        self.canvas.dragFinished.connect(self._on_drag_finished)
        self.canvas.pointClicked.connect(self._on_point_clicked)

        self.add_input_button = _tool_button(self.tr("+ input"))
        self.remove_input_button = _tool_button(self.tr("− input"))
        self.add_query_button = _tool_button(self.tr("+ query"))
        self.remove_query_button = _tool_button(self.tr("− query"))
        fit_button = _tool_button(self.tr("Fit"))
        fit_button.setToolTip(self.tr("Fit the view to all points"))
        self.add_input_button.clicked.connect(lambda: self._change_count("inputs", +1))
        self.remove_input_button.clicked.connect(lambda: self._change_count("inputs", -1))
        self.add_query_button.clicked.connect(lambda: self._change_count("queries", +1))
        self.remove_query_button.clicked.connect(lambda: self._change_count("queries", -1))
        fit_button.clicked.connect(self._fit)
        buttons = QHBoxLayout()
        for button in (self.add_input_button, self.remove_input_button, self.add_query_button, self.remove_query_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(fit_button)
        self.message = QLabel("")
        self.message.setStyleSheet(style.ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        legend = QLabel(
            self.tr(
                "<span style='color:#1f77b4'>●</span> inputs x &nbsp; <span style='color:#d62728'>■</span> queries q &nbsp; "
                "<span style='color:#2ca02c'>▲</span> keys k &nbsp; <span style='color:#9467bd'>◆</span> values v &nbsp; "
                "★ outputs y &nbsp; → arrow width ∝ a<sub>i</sub> of the selected query"
            )
        )
        legend.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.message)
        left_layout.addWidget(self.canvas, 1)
        left_layout.addWidget(legend)

        # right: controls and views
        self.similarity_combo = QComboBox()
        for spec in similarities.REGISTRY.values():
            self.similarity_combo.addItem(core_text(spec.label), spec.name)
        self.similarity_combo.setToolTip(self.tr("The similarity f_att that scores the query against each key"))
        self.similarity_combo.currentIndexChanged.connect(self._on_similarity_chosen)
        self.formula = QLabel("")
        self.formula.setToolTip(self.tr("The chosen similarity's formula"))
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.01, 10.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setDecimals(2)
        self.temperature.setPrefix("τ = ")
        self.temperature.setToolTip(self.tr("Temperature τ: smaller τ, sharper weights"))
        self.temperature.valueChanged.connect(lambda v: self._set(self.tr("Change temperature"), temperature=float(v), merge_key="temperature"))
        self.reroll_similarity = QPushButton(self.tr("Re-roll f_att weights"))
        self.reroll_similarity.setToolTip(self.tr("New seeded random parameters for the learned similarity (W, or W_q, W_k, v)"))
        self.reroll_similarity.clicked.connect(lambda: self._set(self.tr("Re-roll similarity weights"), similarity_seed=self.store.state.similarity_seed + 1))
        sim_row = QHBoxLayout()
        sim_row.addWidget(self.similarity_combo, 1)
        sim_row.addWidget(self.temperature)
        sim_row.addWidget(self.reroll_similarity)
        sim_box = QGroupBox(self.tr("Similarity f_att(q, k)"))
        sim_layout = QVBoxLayout(sim_box)
        sim_layout.addLayout(sim_row)
        sim_layout.addWidget(self.formula)

        self.projections = QCheckBox(self.tr("Project: k = x W_K, v = x W_V, q W_Q"))
        self.projections.setToolTip(self.tr("Learned projections: keys and values become different vectors made from each input"))
        self.projections.toggled.connect(lambda on: self._set(self.tr("Toggle projections"), projections=bool(on)))
        self.matrix_editors = {name: MatrixEditor(label) for name, label in (("w_q", "W_Q"), ("w_k", "W_K"), ("w_v", "W_V"))}
        for name, editor in self.matrix_editors.items():
            editor.matrixEdited.connect(lambda m, name=name: self._set(self.tr("Edit {0}").format(self.matrix_editors[name].name), **{name: _as_mat(m)}))
        self.random_button = QPushButton(self.tr("Random"))
        self.random_button.setToolTip(self.tr("Seeded random W_Q, W_K, W_V"))
        self.random_button.clicked.connect(self._randomise_projections)
        matrices = QHBoxLayout()
        for editor in self.matrix_editors.values():
            matrices.addWidget(editor, 0, Qt.AlignmentFlag.AlignTop)
        matrices.addStretch(1)
        toggle_row = QHBoxLayout()
        toggle_row.addWidget(self.projections)
        toggle_row.addStretch(1)
        toggle_row.addWidget(self.random_button)
        proj_box = QGroupBox(self.tr("Keys and values"))
        proj_layout = QVBoxLayout(proj_box)
        proj_layout.addLayout(toggle_row)
        proj_layout.addLayout(matrices)

        self.canvas.setToolTip(self.tr("Inputs x (blue, draggable), queries q (red, draggable), keys k and values v (when projected), outputs y = Σ a_i v_i (stars)"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_scores_tab(), self.tr("e and a"))
        self.heatmap = Heatmap(self.tr("weights a (queries × inputs)"), row_name="query", col_name="input", value_name="a")
        self.heatmap.cellClicked.connect(lambda row, col: self._select_query(row))
        self.heatmap.setToolTip(self.tr("Weights a_ij of query i over input j; each row sums to 1. Click a row to select the query."))
        self.tabs.addTab(self.heatmap, self.tr("Matrix"))
        self.tabs.addTab(self._build_scaling_tab(), self.tr("Why scale?"))
        self.tabs.addTab(self._build_text_tab(), self.tr("As text"))
        self.tabs.currentChanged.connect(self._on_tab_changed)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(sim_box)
        right_layout.addWidget(proj_box)
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)

    def _build_scores_tab(self) -> QWidget:
        self.query_combo = QComboBox()
        self.query_combo.currentIndexChanged.connect(lambda i: i >= 0 and self._select_query(i))
        self.scores_chart = BarChart(self.tr("scores e"), value_name="e", color=style.KEY)
        self.weights_chart = BarChart(self.tr("weights a = softmax(e)"), value_name="a", levels=(0.0, 1.08), color=style.QUERY)
        self.scores_chart.setToolTip(self.tr("Alignment scores e_i = f_att(q, k_i): how well the selected query matches each key"))
        self.weights_chart.setToolTip(self.tr("Attention weights a = softmax(e): non-negative, sum to 1"))
        self.table = TextTable([self.tr("key k"), self.tr("value v"), "e", "a", "a·v"])
        self.table.setToolTip(self.tr("Per input: its key, its value, the score e_i, the weight a_i and its contribution a_i·v_i to y"))
        self.output_label = ReadoutLabel("y16 = Σ a·v = (−888.888, −888.888)")
        self.output_label.setToolTip(self.tr("The selected query's output y = Σ_i a_i v_i"))
        self.output_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Query:")))
        top.addWidget(self.query_combo)
        top.addStretch(1)
        top.addWidget(self.output_label)
        charts = QHBoxLayout()
        charts.addWidget(self.scores_chart)
        charts.addWidget(self.weights_chart)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addLayout(charts, 3)
        layout.addWidget(self.table, 2)
        return tab

    def _build_scaling_tab(self) -> QWidget:
        self.scaling_keys = QSpinBox()
        self.scaling_keys.setRange(2, 512)
        self.scaling_keys.setValue(16)
        self.scaling_keys.setPrefix("N = ")
        self.scaling_keys.setToolTip(self.tr("N: how many keys each trial scores"))
        self.scaling_trials = QSpinBox()
        self.scaling_trials.setRange(1, 1024)
        self.scaling_trials.setValue(64)
        self.scaling_trials.setSuffix(self.tr(" trials"))
        self.scaling_button = QPushButton(self.tr("Measure"))
        self.scaling_button.clicked.connect(self.measure_scaling)
        controls = QHBoxLayout()
        controls.addWidget(self.scaling_keys)
        controls.addWidget(self.scaling_trials)
        controls.addWidget(self.scaling_button)
        controls.addStretch(1)
        self.scaling_view = pg.GraphicsLayoutWidget()
        self.scaling_plots = {}
        self.scaling_curves = {}
        for column, (key, title) in enumerate((("max_weight", self.tr("max a")), ("entropy", self.tr("entropy of a (nats)")), ("grad_norm", "‖∂a/∂e‖"))):
            plot = self.scaling_view.addPlot(row=0, col=column, title=title)
            plot.setLogMode(x=True, y=False)
            plot.setLabel("bottom", "D")
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            if column == 0:
                plot.addLegend(offset=(5, 5))
            self.scaling_plots[key] = plot
            for name, color in (("dot", style.POSITIVE), ("scaled_dot", style.NEGATIVE)):
                label = {"dot": "q·k", "scaled_dot": "q·k/√D"}[name] if column == 0 else None
                self.scaling_curves[key, name] = plot.plot([], [], pen=pg.mkPen(color, width=2), symbol="o", symbolSize=5, symbolBrush=color, name=label)
        self.scaling_view.setToolTip(self.tr("Against the dimension D (log scale): the largest weight, the entropy of a and the gradient norm, for q·k (plain) and q·k/√D (scaled)"))
        self.scaling_summary = QLabel(self.tr("Press Measure (or open this tab) to run the experiment."))
        self.scaling_summary.setWordWrap(True)
        explanation = QLabel(self.tr("Random q and keys k ~ N(0, I) in D = 2…1024: how peaked is a = softmax(e), and how large is its gradient?"))
        explanation.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(explanation)
        layout.addLayout(controls)
        layout.addWidget(self.scaling_view, 1)
        layout.addWidget(self.scaling_summary)
        return tab

    def _build_text_tab(self) -> QWidget:
        self.inputs_editor = VectorListEditor(2, min_count=1, max_count=MAX_VECTORS)
        self.queries_editor = VectorListEditor(2, min_count=1, max_count=MAX_VECTORS)
        self.inputs_editor.vectorsEdited.connect(lambda v: self._set_vectors("inputs", v))
        self.queries_editor.vectorsEdited.connect(lambda v: self._set_vectors("queries", v))
        tab = QWidget()
        layout = QHBoxLayout(tab)
        for title, editor in ((self.tr("Inputs x (one per line)"), self.inputs_editor), (self.tr("Queries q"), self.queries_editor)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(editor)
            layout.addWidget(box)
        return tab

    # ---- edits (widget → state) -------------------------------------------------------------------------------
    def _on_point_dragged(self, layer: str, index: int, x: float, y: float) -> None:
        if layer not in ("inputs", "queries"):
            return
        vectors = list(getattr(self.store.state, layer))
        vectors[index] = (round(float(np.clip(x, -50, 50)), 4), round(float(np.clip(y, -50, 50)), 4))
        self._set(self.tr("Move {0}").format(f"{'x' if layer == 'inputs' else 'q'}{index + 1}"), merge_key=("drag", layer, index, self._drag_serial), **{layer: tuple(vectors)})
        if layer == "queries":
            self._select_query(index)

    def _on_drag_finished(self, layer: str, index: int) -> None:
        self._drag_serial += 1

    def _on_point_clicked(self, layer: str, index: int) -> None:
        if layer == "queries":
            self._select_query(index)

    def _change_count(self, layer: str, delta: int) -> None:
        vectors = list(getattr(self.store.state, layer))
        inputs = layer == "inputs"
        if delta < 0 and len(vectors) <= 1:
            self._show_message(
                self.tr("At least one input is needed: attention over nothing is undefined.") if inputs else self.tr("At least one query is needed: attention over nothing is undefined.")
            )
            return
        if delta > 0 and len(vectors) >= MAX_VECTORS:
            self._show_message((self.tr("At most {0} inputs on this page.") if inputs else self.tr("At most {0} queries on this page.")).format(MAX_VECTORS))
            return
        if delta > 0:
            angle = 2.399963 * len(vectors) + (0.0 if layer == "inputs" else 1.0)  # golden-angle spiral: new points spread out
            radius = 1.0 + 0.12 * len(vectors)
            vectors.append((round(radius * np.cos(angle), 3), round(radius * np.sin(angle), 3)))
            self._set(self.tr("Add input") if inputs else self.tr("Add query"), **{layer: tuple(vectors)})
        else:
            vectors.pop()
            self._set(self.tr("Remove input") if inputs else self.tr("Remove query"), **{layer: tuple(vectors)})

    def _set_vectors(self, layer: str, vectors: np.ndarray) -> None:
        self._set(self.tr("Type inputs") if layer == "inputs" else self.tr("Type queries"), **{layer: tuple((float(x), float(y)) for x, y in vectors)})
        self._fit()

    def _on_similarity_chosen(self, index: int) -> None:
        self._set(self.tr("Choose similarity"), similarity=self.similarity_combo.itemData(index))

    def _randomise_projections(self) -> None:
        seed = self.store.state.random_seed + 1
        rng = np.random.default_rng(seed)
        w_q, w_k, w_v = (_as_mat(np.round(rng.normal(0, 1, (2, 2)), 2)) for _ in range(3))
        self._set(self.tr("Random W_Q, W_K, W_V"), projections=True, w_q=w_q, w_k=w_k, w_v=w_v, random_seed=seed)

    def _select_query(self, index: int) -> None:
        if index == self.selected_query or not 0 <= index < len(self.store.state.queries):
            return
        self.selected_query = index
        self.query_combo.blockSignals(True)
        self.query_combo.setCurrentIndex(index)
        self.query_combo.blockSignals(False)
        self._refresh_views()

    def _fit(self) -> None:
        if self.trace is None:
            return
        t = self.trace
        points = [np.array(self.store.state.inputs), np.array(self.store.state.queries), to_numpy(t.output), to_numpy(t.keys), to_numpy(t.values)]
        self.canvas.fit(np.vstack(points))

    def _on_tab_changed(self, index: int) -> None:
        self._refresh_tab()
        if index == TAB_SCALING and not self._scaling_done:
            self.measure_scaling()

    # ---- state → trace → views --------------------------------------------------------------------------------
    def _on_state_changed(self, state: AttentionLayerState) -> None:
        start = time.perf_counter()
        try:
            self.trace = compute(state, device=runtime.core_device())
        except ValueError as exc:  # guarded at the inputs; this keeps the last good views if anything slips by
            self._synced_controls = None  # the controls may show what was refused: set them all on the next state
            self._show_message(str(exc))
            return
        self.selected_query = min(self.selected_query, len(state.queries) - 1)
        self._sync_controls(state)
        self._refresh_views()
        self.recomputed.emit((time.perf_counter() - start) * 1000.0)

    def _sync_controls(self, state: AttentionLayerState) -> None:
        """State → widgets, with the widgets' signals blocked so nothing loops back into the state; skipped when
        what they show did not change (a drag moves points and changes nothing here: ~0.3 ms of a drag's edit)."""
        controls = (replace(state, queries=(), inputs=()), len(state.queries), len(state.inputs), self.selected_query)
        if controls == self._synced_controls:
            return
        self._synced_controls = controls
        spec = similarities.get(state.similarity)
        widgets = [self.similarity_combo, self.temperature, self.projections, self.query_combo]
        for widget in widgets:
            widget.blockSignals(True)
        self.similarity_combo.setCurrentIndex(self.similarity_combo.findData(state.similarity))
        self.temperature.setValue(state.temperature)
        self.temperature.setVisible(state.similarity == "cosine")
        self.reroll_similarity.setVisible(bool(spec.needs))
        self.projections.setChecked(state.projections)
        names = [f"q{i + 1}" for i in range(len(state.queries))]
        if [self.query_combo.itemText(i) for i in range(self.query_combo.count())] != names:
            self.query_combo.clear()
            self.query_combo.addItems(names)
        self.query_combo.setCurrentIndex(self.selected_query)
        for widget in widgets:
            widget.blockSignals(False)
        self.formula.setText(f"{spec.formula}" + (f"   (τ = {state.temperature:g})" if state.similarity == "cosine" else ""))
        for name, editor in self.matrix_editors.items():
            editor.set_matrix(np.array(getattr(state, name)))
            editor.setEnabled(state.projections)
        self.add_input_button.setEnabled(len(state.inputs) < MAX_VECTORS)
        self.add_query_button.setEnabled(len(state.queries) < MAX_VECTORS)

    def _refresh_views(self) -> None:
        self._refresh_canvas()
        self._refresh_tab()

    def _refresh_canvas(self) -> None:
        state, trace = self.store.state, self.trace
        if trace is None:
            return
        selected = self.selected_query
        queries, inputs = np.array(state.queries), np.array(state.inputs)
        keys, values = to_numpy(trace.keys), to_numpy(trace.values)
        projected, outputs = to_numpy(trace.query), to_numpy(trace.output)
        row = to_numpy(trace.weights[selected])
        n_inputs, n_queries = len(inputs), len(queries)
        canvas = self.canvas
        canvas.set_points("inputs", inputs, [f"x{i + 1}" for i in range(n_inputs)])
        canvas.set_points("queries", queries, [f"q{j + 1}" for j in range(n_queries)], sizes=[18 if j == selected else 12 for j in range(n_queries)])
        if state.projections or canvas.layer_visible("keys"):
            canvas.set_points("keys", keys, [f"k{i + 1}" for i in range(n_inputs)], visible=state.projections)
            canvas.set_points("values", values, [f"v{i + 1}" for i in range(n_inputs)], visible=state.projections)
            canvas.set_points("projected_queries", projected, [f"q{j + 1}W_Q" for j in range(n_queries)], visible=state.projections)
        canvas.set_points("outputs", outputs, [f"y{j + 1}" for j in range(n_queries)])
        anchor = projected[selected] if state.projections else queries[selected]
        canvas.set_segments("attention", np.repeat(anchor[None], n_inputs, 0), keys, widths=1.0 + 9.0 * row, opacities=0.15 + 0.85 * row)
        canvas.set_segments("output", np.zeros_like(outputs), outputs, widths=[3.0 if j == selected else 1.5 for j in range(n_queries)])

    def _refresh_tab(self) -> None:
        """Only the tab the user sees is filled; the others are filled when they are opened."""
        state, trace = self.store.state, self.trace
        if trace is None:
            return
        selected, tab = self.selected_query, self.tabs.currentIndex()
        n_inputs, n_queries = len(state.inputs), len(state.queries)
        input_labels = [f"x{i + 1}" for i in range(n_inputs)]
        if tab == TAB_SCORES:
            scores, row = to_numpy(trace.scores[selected]), to_numpy(trace.weights[selected])
            key_labels = [f"k{i + 1}" for i in range(n_inputs)] if state.projections else input_labels
            self.scores_chart.set_data(scores, key_labels)
            self.weights_chart.set_data(row, key_labels, highlight=int(np.argmax(row)))
            self._fill_table(to_numpy(trace.keys), to_numpy(trace.values), scores, row)
            y = to_numpy(trace.output[selected])
            self.output_label.setText(f"y{selected + 1} = Σ a·v = ({y[0]:.3f}, {y[1]:.3f})")
        elif tab == TAB_MATRIX:
            self.heatmap.set_data(to_numpy(trace.weights), [f"q{j + 1}" for j in range(n_queries)], input_labels)
            self.heatmap.set_highlight(row=selected)
        elif tab == TAB_TEXT:
            self.inputs_editor.set_vectors(np.array(state.inputs))
            self.queries_editor.set_vectors(np.array(state.queries))

    def _fill_table(self, keys: np.ndarray, values: np.ndarray, scores: np.ndarray, weights: np.ndarray) -> None:
        contributions = weights[:, None] * values
        # Python floats (the same values): numpy scalars format several times slower, at every drag
        rows = zip(keys.tolist(), values.tolist(), scores.tolist(), weights.tolist(), contributions.tolist())
        self.table.set_rows(
            [f"x{i + 1}" for i in range(len(keys))],
            [(f"({k[0]:.2f}, {k[1]:.2f})", f"({v[0]:.2f}, {v[1]:.2f})", f"{e:.4f}", f"{a:.4f}", f"({c[0]:.2f}, {c[1]:.2f})") for k, v, e, a, c in rows],
        )

    # ---- why scale? -------------------------------------------------------------------------------------------
    def measure_scaling(self) -> None:
        dims = tuple(2**p for p in range(1, 11))
        with torch.no_grad():
            study = scaling_study(dims, n_keys=self.scaling_keys.value(), trials=self.scaling_trials.value(), device="cpu")
        self.scaling = study
        for key in ("max_weight", "entropy", "grad_norm"):
            for name in ("dot", "scaled_dot"):
                self.scaling_curves[key, name].setData(np.array(dims, float), to_numpy(getattr(study, key)[name]))
        uniform = np.log(study.n_keys)
        self.scaling_plots["entropy"].setYRange(0, uniform * 1.05)
        self.scaling_plots["max_weight"].setYRange(0, 1.02)
        d = dims[-1]
        self.scaling_summary.setText(
            self.tr(
                "At D = {0} with N = {1} keys: plain q·k gives max a = {2:.2f}, ‖∂a/∂e‖ = {3:.3f} (the softmax saturates, "
                "gradients vanish); q·k/√D keeps max a = {4:.2f}, ‖∂a/∂e‖ = {5:.3f}. Uniform attention would have entropy "
                "log N = {6:.2f}."
            ).format(
                d, study.n_keys, study.max_weight["dot"][-1], study.grad_norm["dot"][-1],
                study.max_weight["scaled_dot"][-1], study.grad_norm["scaled_dot"][-1], uniform,
            )
        )
        self._scaling_done = True

    # ---- export -----------------------------------------------------------------------------------------------
    def export_data(self) -> ViewData:
        trace, state = self.trace, self.store.state
        inputs = [f"x{i + 1}" for i in range(len(state.inputs))]
        queries = [f"q{j + 1}" for j in range(len(state.queries))]
        arrays = {
            "queries": np.array(state.queries, np.float32),
            "inputs": np.array(state.inputs, np.float32),
            "keys": to_numpy(trace.keys),
            "values": to_numpy(trace.values),
            "scores": to_numpy(trace.scores),
            "weights": to_numpy(trace.weights),
            "outputs": to_numpy(trace.output),
        }
        xy = ["x", "y"]
        rows = {"queries": queries, "inputs": inputs, "keys": inputs, "values": inputs, "scores": queries, "weights": queries, "outputs": queries}
        cols = {name: xy for name in ("queries", "inputs", "keys", "values", "outputs")} | {"scores": inputs, "weights": inputs}
        return ViewData(arrays, rows, cols)
