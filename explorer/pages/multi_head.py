"""Multi-head self-attention (notes §5), page id ``multi-head``.

H heads attend in parallel, each in its own D_Q-sized subspace; their outputs are concatenated and projected by
W_O. The page shows every head's weights, their average and entropy, the concatenation and the output — and what
the output loses when a head is switched off. A painted mask applies to every head.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QSpinBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from core.arrays import to_numpy
from core.multihead import MultiHeadTrace, init_params, multi_head_attention, remask
from explorer import runtime
from explorer.appearance import appearance
from explorer.pages.base import Page, ViewData
from explorer.pages.common import MaskControls, MaskState, RowHints, SequenceBar, SequenceState, build_mask, flag_rows, set_quietly, token_labels
from explorer.state import StateStore
from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.cell_image import downsample
from explorer.widgets.explanation import ExplanationPanel
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.items import PointLabels
from explorer.widgets.mask_painter import MaskPainter

MAX_HEAD_VIEWS = 16  # head maps drawn at once; the rest are reachable with "first head"
MAP_GAP_PX = 8.0  # pixels between two heads' maps side by side
TAB_AVERAGE, TAB_ENTROPY, TAB_CONCAT, TAB_EFFECT = range(4)
PARITY_LIMIT = 256  # tokens up to which the page re-checks itself against nn.MultiheadAttention live


def divisors(n: int) -> list[int]:
    return [h for h in range(1, n + 1) if n % h == 0]


def _gap_cells(n: int, maps: int, pixels: float, wanted: float) -> int:
    """Cells to put before each of ``maps`` n-cell maps laid in a row of ``pixels`` so that a gap spans at least
    ``wanted`` pixels: g with g · pixels / (maps · (n + g)) ≥ wanted; at least 1."""
    room = pixels - wanted * maps
    if room <= 0:
        return max(1, n)
    return max(1, math.ceil(wanted * maps * n / room))


class MosaicLayout(NamedTuple):
    columns: int
    gap_rows: int  # empty rows above each map, for its title
    gap_cols: int  # empty columns between two maps
    factor: int  # f: a map is shown as f × f block means
    side: int  # a map's side in the mosaic, ⌈n / f⌉


def head_mosaic_layout(count: int, n: int, width: float, height: float, title_px: float) -> MosaicLayout:
    """How ``count`` heads' (n × n) maps share one view of ``width`` × ``height`` pixels. A map longer than its pixels
    is shown as block means of f × f cells (what a view shows of it anyway), so the mosaic holds about a cell per pixel
    whatever n is. Gaps are in cells, worked out from the pixels a cell gets: the titles keep their height."""
    columns = 1 if count <= 1 else 2 if count <= 4 else 3 if count <= 9 else 4
    tile_rows = math.ceil(max(count, 1) / columns)
    map_px = min((height - tile_rows * title_px) / tile_rows, (width - (columns - 1) * MAP_GAP_PX) / columns)
    factor = max(1, math.ceil(n / map_px)) if map_px >= 1 else max(1, n)
    side = math.ceil(n / factor)
    return MosaicLayout(columns, _gap_cells(side, tile_rows, height, title_px), _gap_cells(side, columns, width, MAP_GAP_PX), factor, side)


def head_map_origins(count: int, layout: MosaicLayout) -> list[tuple[int, int]]:
    """(first row, first column) of each head's map in the mosaic, head by head."""
    columns, gap_rows, gap_cols, _, side = layout
    return [((k // columns) * (gap_rows + side) + gap_rows, (k % columns) * (side + gap_cols)) for k in range(count)]


def pooled(weights: np.ndarray, factor: int, rows: slice = slice(None)) -> np.ndarray:
    """Means of ``factor`` × ``factor`` blocks of a (n × n) map (the last blocks shorter), for block rows ``rows``."""
    if factor == 1:
        return weights[rows]
    start = 0 if rows.start is None else rows.start * factor
    stop = weights.shape[0] if rows.stop is None else min(rows.stop * factor, weights.shape[0])
    return downsample(weights[start:stop], None, (factor, factor))[0]


@dataclass(frozen=True)
class MultiHeadState:
    sequence: SequenceState = SequenceState(dim=16)
    heads: int = 4  # H, a divisor of D
    d_qk: int = 0  # D_Q per head; 0 = D / H (nn.MultiheadAttention's choice)
    heads_off: frozenset = frozenset()  # heads switched off (their output is zeroed before W_O)
    mask: MaskState = MaskState()


@dataclass(frozen=True)
class MultiHeadPageTrace:
    tokens: tuple[str, ...]
    full: MultiHeadTrace  # all heads on
    gated: MultiHeadTrace | None  # with the switched-off heads zeroed (None when all are on)
    entropy: torch.Tensor  # (H,) mean over queries of the entropy of a, in nats
    parity: float | None  # max |Δ| against torch.nn.MultiheadAttention with the same weights (when D_Q = D/H)
    mean_weights: torch.Tensor | None = None  # (N, N) the heads' average
    rows_changed: torch.Tensor | None = None  # the query rows that differ from the previous trace (None: all may)

    @property
    def shown(self) -> MultiHeadTrace:
        return self.gated or self.full


def _row_entropy(weights: torch.Tensor) -> torch.Tensor:
    """(..., Nq) entropy of each query's weights, in nats (0 log 0 = 0)."""
    return -torch.special.xlogy(weights, weights).sum(-1)


def _reference(params, heads: int, dim: int, device) -> torch.nn.MultiheadAttention:
    """torch.nn.MultiheadAttention holding the page's weights (D_Q = D/H, its layout)."""
    reference = torch.nn.MultiheadAttention(dim, heads, batch_first=True, device=device)
    reference.load_state_dict(
        {
            "in_proj_weight": torch.cat([params["q_proj_weight"], params["k_proj_weight"], params["v_proj_weight"]]),
            "in_proj_bias": params["in_proj_bias"],
            "out_proj.weight": params["out_proj.weight"],
            "out_proj.bias": params["out_proj.bias"],
        }
    )
    return reference


def _row_parity(reference, x, mask, full, rows=None) -> torch.Tensor:
    """Per query row (all, or ``rows``): max |Δ| between the reference's output and ours; 0 where a row sees
    nothing (nn.MultiheadAttention gives NaN there, the core 0)."""
    queries = x if rows is None else x[rows]
    row_mask = mask if rows is None else mask[rows]
    ours = full.output if rows is None else full.output[rows]
    out, _ = reference(queries, x, x, attn_mask=~row_mask, need_weights=False)
    visible = row_mask.any(dim=-1)
    return torch.where(visible, (out - ours).abs().amax(dim=-1), torch.zeros((), dtype=out.dtype, device=out.device))


def compute(state: MultiHeadState, *, device: str = "cpu", cache: dict | None = None) -> MultiHeadPageTrace:
    """``cache`` (a dict the page keeps) holds the last traces: when only the mask changed, only the query rows
    whose mask changed are computed again, in those traces (see :func:`core.multihead.remask`)."""
    sequence = state.sequence
    dim, heads = sequence.dim, state.heads
    if dim % heads:
        raise ValueError(f"H = {heads} does not divide D = {dim}: each head gets D/H dimensions of the output")
    d_qk = state.d_qk or dim // heads
    tokens = sequence.page_tokens()
    check_parity = d_qk == dim // heads and len(tokens) <= PARITY_LIMIT
    key = (sequence, heads, d_qk, state.heads_off, str(device))
    with torch.no_grad():
        if cache is not None and cache.get("key") == key:
            gate = cache["gate"]
            mask, painted_rows = build_mask(state.mask, len(tokens), cache, device)
            full = remask(cache["full"], mask, cache["params"], rows=painted_rows)
            gated = remask(cache["gated"], mask, cache["params"], head_mask=gate, rows=painted_rows) if cache["gated"] is not None and full is not None else None
            if full is not None and (cache["gated"] is None or gated is not None):
                (full, rows), gated = full, None if gated is None else gated[0]
                row_entropy, mean_weights = cache["row_entropy"], cache["mean_weights"]
                if rows.numel():
                    row_entropy[:, rows] = _row_entropy(full.weights[:, rows])
                    mean_weights[rows] = full.weights[:, rows].mean(dim=0)
                parity = None
                if check_parity:
                    row_parity = cache["row_parity"]
                    if rows.numel():
                        row_parity[rows] = _row_parity(cache["reference"], cache["x"], mask, full, rows)
                    parity = float(row_parity.max())
                cache.update(full=full, gated=gated)
                return MultiHeadPageTrace(tuple(tokens), full, gated, row_entropy.mean(-1), parity, mean_weights, rows)
        if cache is not None:
            cache.clear()
        mask = state.mask.build(len(tokens)).to(device) if cache is None else build_mask(state.mask, len(tokens), cache, device)[0]
        x = sequence.embeddings(device)
        params = init_params(dim, heads, d_query=d_qk, d_value=dim // heads, seed=sequence.seed, device=device)
        full = multi_head_attention(x, x, x, params, heads, mask=mask)
        gated = gate = None
        if state.heads_off:
            gate = torch.tensor([0.0 if h in state.heads_off else 1.0 for h in range(heads)], device=device)
            gated = multi_head_attention(x, x, x, params, heads, mask=mask, head_mask=gate)
        row_entropy = _row_entropy(full.weights)  # (H, N)
        mean_weights = full.weights.mean(dim=0)
        parity = reference = row_parity = None
        if check_parity:
            reference = _reference(params, heads, dim, device)
            row_parity = _row_parity(reference, x, mask, full)
            parity = float(row_parity.max())
        if cache is not None:
            cache.update(key=key, x=x, params=params, gate=gate, full=full, gated=gated, row_entropy=row_entropy, mean_weights=mean_weights, reference=reference, row_parity=row_parity)
    return MultiHeadPageTrace(tuple(tokens), full, gated, row_entropy.mean(-1), parity, mean_weights)


class MultiHeadPage(Page):
    page_id = "multi-head"
    title = "Multi-head attention"

    def __init__(self, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(undo_stack, parent)
        self.store = StateStore(MultiHeadState(), undo_stack, self)
        self.trace: MultiHeadPageTrace | None = None
        self._cache: dict = {}  # the last traces, for edits of the mask alone (see compute)
        self.hints = RowHints()  # which rows a mask edit changed, for the views that show them
        self.first_head = 0
        self.head_toggles: list[QCheckBox] = []
        # The heads' maps share one view (a view per head cost ~0.5 ms a head per edit in set-up and paint): the
        # mosaic shown, its gaps, and (heads shown, n, layout) it was built for.
        self._mosaic: np.ndarray | None = None
        self._mosaic_gaps: np.ndarray | None = None
        self._mosaic_key: tuple | None = None
        self._synced_controls: MultiHeadState | None = None  # the state (mask aside) the controls show
        self._toggles_for: tuple | None = None  # (heads shown, heads off) the on/off boxes show
        self._title_px_for: tuple[float, float] | None = None  # (appearance scale, a title's height in pixels)
        self._build()
        self.store.stateChanged.connect(self._on_state_changed)
        self._on_state_changed(self.store.state)

    # ---- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = ExplanationPanel(
            self.page_id,
            self.tr("Multi-head attention (§5)"),
            self.tr(
                "H heads attend in parallel, each in its own D<sub>Q</sub>-sized subspace, so each can look for something "
                "different; their outputs are concatenated and projected by W<sub>O</sub>. <i>Untick a head to switch it off; "
                "paint on the average grid to mask every head.</i>"
            ),
            "head<sub>h</sub> = softmax(Q<sub>h</sub>K<sub>h</sub>ᵀ/√D<sub>Q</sub>) V<sub>h</sub> &nbsp;&nbsp; Y = concat(head<sub>1</sub>, …, head<sub>H</sub>) W<sub>O</sub>",
        )
        self.sequence_bar = SequenceBar()
        self.sequence_bar.sequenceEdited.connect(lambda text, mode: self._set_sequence(self.tr("Edit tokens"), text=text, mode=mode))
        self.sequence_bar.dimChanged.connect(self._on_dim_changed)
        self.sequence_bar.rerolled.connect(lambda: self._set_sequence(self.tr("Re-roll"), seed=self.store.state.sequence.seed + 1))
        self.sequence_bar.sourceChanged.connect(lambda source, dim: self._on_dim_changed(dim, source=source))
        self.heads = QComboBox()
        self.heads.setToolTip(self.tr("H: how many heads (a divisor of D)"))
        self.heads.currentIndexChanged.connect(lambda i: i >= 0 and self._set(self.tr("Change H"), heads=int(self.heads.itemData(i)), heads_off=frozenset(), d_qk=0))
        self.d_qk = QSpinBox()
        self.d_qk.setRange(1, 512)
        self.d_qk.setPrefix("D_Q = ")
        self.d_qk.setKeyboardTracking(False)
        self.d_qk.setToolTip(self.tr("D_Q: each head's query/key size (D/H by default, as in nn.MultiheadAttention)"))
        self.d_qk.valueChanged.connect(lambda v: self._set(self.tr("Change D_Q"), d_qk=v))
        self.first_head_spin = QSpinBox()
        self.first_head_spin.setPrefix(self.tr("first head "))
        self.first_head_spin.setToolTip(self.tr("The grid shows 16 heads at a time, from this one"))
        self.first_head_spin.valueChanged.connect(self._on_first_head)
        self.mask_controls = MaskControls()
        self.mask_controls.maskEdited.connect(lambda mask: self._set(self.tr("Change mask"), mask=mask))
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Heads H =")))
        controls.addWidget(self.heads)
        controls.addWidget(self.d_qk)
        controls.addWidget(self.first_head_spin)
        controls.addWidget(self.mask_controls, 1)

        self.heads_view = Heatmap("", compact=True, value_name="a", blocked_colour=QColor(0, 0, 0, 0))
        self.heads_view.setToolTip(self.tr("Each head's weights a (queries × keys), one map per head, on one scale (0 to 1, or fitted to them with the average's “fit colours”); H(a): the head's mean entropy in nats"))
        self.heads_view.describe_cell = self._describe_head_cell
        self.heads_view.view.setMinimumSize(200, 160)
        for side in ("top", "right"):  # no frame around the mosaic: each map's edge is its own
            self.heads_view.plot.hideAxis(side)
        self.head_titles = PointLabels(anchor=(0.0, 1.0), offset=(0.0, -3.0)).attach(self.heads_view.plot, z=6)
        self.heads_view.plot.vb.sigResized.connect(self._on_heads_view_resized)
        self.toggles_widget = QWidget()
        self.toggles_grid = QGridLayout(self.toggles_widget)
        self.toggles_grid.setContentsMargins(0, 0, 0, 0)
        self.toggles_grid.setSpacing(2)
        self.grid_note = QLabel("")

        self.tabs = QTabWidget()
        self.average_view = Heatmap(self.tr("average over heads (paint to mask)"), value_name="mean a")
        self.painter = MaskPainter(self.average_view, self._is_blocked)
        self.painter.cellsPainted.connect(lambda cells, block, stroke: self._set(self.tr("Paint mask") if block else self.tr("Erase mask"), merge_key=("paint", stroke), mask=self.store.state.mask.paint(cells, block)))
        self.painter.paintedOutside.connect(lambda: self._show_message(self.tr("That press was outside the grid: nothing was painted.")))
        self.average_view.setToolTip(self.tr("The weights averaged over heads (nn.MultiheadAttention's average_attn_weights); paint here to mask every head"))
        self.average_view.fittedChanged.connect(self.heads_view.set_fitted)  # the heads' maps take its "fit colours" too
        self.tabs.addTab(self.average_view, self.tr("Average"))
        self.entropy_chart = BarChart(self.tr("mean entropy of a per head (nats)"), value_name="H(a)", color=style.VALUE)
        self.entropy_chart.setToolTip(self.tr("Entropy of each head's attention rows, averaged over queries: low = focused, log N = uniform"))
        self.tabs.addTab(self.entropy_chart, self.tr("Entropy"))
        concat_tab = QWidget()
        concat_layout = QVBoxLayout(concat_tab)
        self.concat_view = Heatmap(self.tr("concat of head outputs (tokens × H·D_V)"), colormap=style.DIVERGING, levels=None, row_name="token", col_name="dim", value_name="concat")
        self.output_view = Heatmap(self.tr("output Y = concat · W_Oᵀ + b (tokens × D)"), colormap=style.DIVERGING, levels=None, row_name="token", col_name="dim", value_name="y")
        self.concat_view.setToolTip(self.tr("Every head's output side by side: head h fills columns h·D_V … (h+1)·D_V − 1"))
        self.output_view.setToolTip(self.tr("The layer's output: the concatenation projected by W_O"))
        concat_layout.addWidget(self.concat_view)
        concat_layout.addWidget(self.output_view)
        self.tabs.addTab(concat_tab, self.tr("Concat → output"))
        effect_tab = QWidget()
        effect_layout = QVBoxLayout(effect_tab)
        self.effect_chart = BarChart(self.tr("‖y_all heads − y_with heads off‖ per token"), value_name="‖Δy‖", color=style.QUERY)
        self.effect_chart.setToolTip(self.tr("How far each token's output moves when the unticked heads are switched off"))
        self.effect_note = QLabel("")
        self.effect_note.setWordWrap(True)
        effect_layout.addWidget(self.effect_chart, 1)
        effect_layout.addWidget(self.effect_note)
        self.tabs.addTab(effect_tab, self.tr("Heads off"))
        self.tabs.currentChanged.connect(lambda _: self._refresh_tab())

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.heads_view, 1)
        left_layout.addWidget(self.toggles_widget)
        left_layout.addWidget(self.grid_note)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setSizes([600, 480])
        self.message = QLabel("")
        self.message.setStyleSheet(style.ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.parity_label = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.sequence_bar)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.parity_label)

    # ---- edits ------------------------------------------------------------------------------------------------
    def _set_sequence(self, label: str, **changes) -> None:
        self._set(label, sequence=replace(self.store.state.sequence, **changes))

    def _on_dim_changed(self, dim: int, source: str | None = None) -> None:
        state = self.store.state
        heads = state.heads if dim % state.heads == 0 else max(h for h in divisors(dim) if h <= state.heads)
        if heads != state.heads:
            self._show_message(self.tr("H = {0} does not divide D = {1}; using H = {2}.").format(state.heads, dim, heads))
        sequence = replace(state.sequence, dim=dim, source=source or state.sequence.source)
        self.store.set(replace(state, sequence=sequence, heads=heads, heads_off=frozenset(), d_qk=0), self.tr("Choose embeddings") if source else self.tr("Change D"))

    def _on_first_head(self, value: int) -> None:
        self.first_head = value - 1
        self._rebuild_head_grid()
        self._refresh_heads()

    def _toggle_head(self, head: int, on: bool) -> None:
        off = set(self.store.state.heads_off)
        (off.discard if on else off.add)(head)
        self._set((self.tr("Switch head {0} on") if on else self.tr("Switch head {0} off")).format(head + 1), heads_off=frozenset(off))

    def _is_blocked(self, row: int, col: int) -> bool:
        mask = self.trace.full.mask if self.trace is not None else None
        return mask is not None and not bool(mask[0, row, col])

    # ---- state → trace → views --------------------------------------------------------------------------------
    def _on_state_changed(self, state: MultiHeadState) -> None:
        start = time.perf_counter()
        try:
            self.trace = compute(state, device=runtime.core_device(), cache=self._cache)
            self.hints.new_trace(self.trace.rows_changed)
        except ValueError as exc:
            self._synced_controls = None  # the controls may show what was refused: set them all on the next state
            self._show_message(self.tr("{0} — keeping the last valid setting.").format(exc))
            return
        self._sync_controls(state)
        self._refresh()
        self.recomputed.emit((time.perf_counter() - start) * 1000.0)

    def _sync_controls(self, state: MultiHeadState) -> None:
        self.mask_controls.set_state(state.mask)
        controls = replace(state, mask=MaskState())
        if controls == self._synced_controls:  # a mask edit changes the mask controls alone
            return
        self._synced_controls = controls
        self.sequence_bar.set_state(state.sequence)
        options = divisors(state.sequence.dim)
        self.heads.blockSignals(True)
        if [self.heads.itemData(i) for i in range(self.heads.count())] != options:
            self.heads.clear()
            for h in options:
                self.heads.addItem(str(h), h)
        self.heads.setCurrentIndex(options.index(state.heads))
        self.heads.blockSignals(False)
        set_quietly(self.d_qk, state.d_qk or state.sequence.dim // state.heads)
        self.first_head = min(self.first_head, max(0, state.heads - MAX_HEAD_VIEWS))
        set_quietly(self.first_head_spin, self.first_head + 1, minimum=1, maximum=max(1, state.heads - MAX_HEAD_VIEWS + 1))
        self.first_head_spin.setVisible(state.heads > MAX_HEAD_VIEWS)

    def _visible_heads(self) -> range:
        heads = self.store.state.heads
        return range(self.first_head, min(heads, self.first_head + MAX_HEAD_VIEWS))

    def _rebuild_head_grid(self) -> None:
        """One "on" box per head shown, in as many columns as the maps."""
        shown = len(self._visible_heads())
        while len(self.head_toggles) < shown:
            toggle = QCheckBox(self.tr("on"), self.toggles_widget)
            index = len(self.head_toggles)
            toggle.toggled.connect(lambda on, index=index: self._toggle_head(self.first_head + index, on))
            self.head_toggles.append(toggle)
        columns = head_mosaic_layout(shown, 1, 1.0, 1.0, 1.0).columns
        if getattr(self, "_grid_shape", None) == (shown, columns, len(self.head_toggles)):
            return  # the same boxes in the same places: moving them again would re-lay-out the page
        self._grid_shape = (shown, columns, len(self.head_toggles))
        for index, toggle in enumerate(self.head_toggles):
            self.toggles_grid.removeWidget(toggle)
            if index < shown:
                self.toggles_grid.addWidget(toggle, index // columns, index % columns)
            toggle.setVisible(index < shown)

    def _title_px(self) -> float:
        """The height a head's title needs above its map, in pixels (at the appearance's scale)."""
        scale = appearance().scale
        if self._title_px_for is None or self._title_px_for[0] != scale:
            self._title_px_for = (scale, QFontMetricsF(self.head_titles.font).height() * scale + 5.0)
        return self._title_px_for[1]

    def _head_layout(self, count: int, n: int) -> MosaicLayout:
        box = self.heads_view.plot.vb
        return head_mosaic_layout(count, n, box.width(), box.height(), self._title_px())

    def _on_heads_view_resized(self, *args) -> None:
        key = self._mosaic_key
        if key is not None and self.trace is not None and self._head_layout(len(key[0]), key[1]) != key[2]:
            self._refresh_heads()  # the gaps follow the view's size

    def head_map(self, index: int) -> np.ndarray:
        """What the mosaic shows for the ``index``-th head shown: its weights (n × n), or their block means when
        the map is pooled."""
        shown, _, layout = self._mosaic_key
        row, col = head_map_origins(len(shown), layout)[index]
        return self.heads_view.values[row : row + layout.side, col : col + layout.side]

    def _describe_head_cell(self, row: int, col: int) -> str:
        if self._mosaic_key is None or row < 0:
            return self.tr("hover a head's map for its weights")
        shown, n, (columns, gap_rows, gap_cols, factor, side) = self._mosaic_key
        (tile_row, r), (tile_col, c) = divmod(row, gap_rows + side), divmod(col, side + gap_cols)
        r -= gap_rows
        index = tile_row * columns + tile_col
        if r < 0 or c >= side or index >= len(shown):
            return " "
        tokens, head, value = self.trace.tokens, shown[index] + 1, f"{self._mosaic[row, col]:.4f}"
        if factor == 1:
            return self.tr("head {0}: query “{1}” ({2}) → key “{3}” ({4}):  a = {5}").format(head, tokens[r], r, tokens[c], c, value)
        rows, cols = (r * factor, min(n, (r + 1) * factor) - 1), (c * factor, min(n, (c + 1) * factor) - 1)
        return self.tr("head {0}: queries {1}–{2} → keys {3}–{4}:  mean a = {5}").format(head, rows[0], rows[1], cols[0], cols[1], value)

    def _refresh(self) -> None:
        self._rebuild_head_grid()
        self._refresh_heads()
        trace = self.trace
        if trace.parity is not None:
            self.parity_label.setText(self.tr("Same weights in torch.nn.MultiheadAttention: max |Δ output| = {0}").format(f"{trace.parity:.1e}"))
        else:
            self.parity_label.setText(self.tr("Parity with torch.nn.MultiheadAttention is checked when D_Q = D/H (its layout) and N ≤ 256."))
        self._refresh_tab()

    def _refresh_heads(self) -> None:
        trace, state = self.trace, self.store.state
        weights = to_numpy(trace.full.weights)  # (H, N, N)
        entropy = to_numpy(trace.entropy)
        shown = tuple(self._visible_heads())
        n = weights.shape[-1]
        key = (shown, n, self._head_layout(len(shown), n))
        origins = head_map_origins(len(shown), key[2])
        factor, side = key[2].factor, key[2].side
        rows = self.hints.for_view(self.heads_view, key)
        if key != self._mosaic_key or rows is None:
            mosaic = np.zeros((max(row for row, _ in origins) + side, max(col for _, col in origins) + side), np.float32)
            gaps = np.ones(mosaic.shape, bool)
            for (row, col), head in zip(origins, shown):
                mosaic[row : row + side, col : col + side] = pooled(weights[head], factor)
                gaps[row : row + side, col : col + side] = False
            self._mosaic, self._mosaic_gaps, self._mosaic_key = mosaic, gaps, key
            self.heads_view.set_data(mosaic, blocked=gaps)
        else:  # a mask edit: the same query rows (block rows when pooled) of every head, in place
            mosaic = self._mosaic
            blocks = sorted({row // factor for row in rows.tolist()})
            for block in blocks:
                start, stop = block * factor, min((block + 1) * factor, n)
                if stop - start == factor:  # every head's slab at once: the same sums, in the same order, as pooled()
                    means = downsample(weights[list(shown), start:stop].reshape(-1, n), None, (factor, factor))[0]
                else:  # the shorter last block row, head by head as the whole map was pooled
                    means = [pooled(weights[head], factor, slice(block, block + 1))[0] for head in shown]
                for (row, col), values in zip(origins, means):
                    mosaic[row + block, col : col + side] = values
            starts = sorted({row for row, _ in origins})
            changed = np.array([start + block for start in starts for block in blocks], np.int64)
            self.heads_view.set_data(mosaic, blocked=self._mosaic_gaps, rows_changed=changed)
        self.head_titles.set_labels(
            np.array([(col - 0.5, row - 0.5) for row, col in origins], float).reshape(-1, 2),
            [self.tr("head {0} · H(a) = {1:.2f}").format(head + 1, entropy[head]) for head in shown],
        )
        if (shown, state.heads_off) != self._toggles_for:  # a mask edit leaves the boxes as they are
            self._toggles_for = (shown, state.heads_off)
            for index, head in enumerate(shown):
                toggle = self.head_toggles[index]
                toggle.blockSignals(True)
                toggle.setChecked(head not in state.heads_off)
                toggle.setText(self.tr("head {0} on").format(head + 1))
                toggle.blockSignals(False)
        heads = state.heads
        self.grid_note.setText(
            self.tr("{0} heads × D_Q = {1}").format(heads, state.d_qk or state.sequence.dim // heads)
            + (self.tr("; showing heads {0}–{1} of {2}").format(shown[0] + 1, shown[-1] + 1, heads) if heads > MAX_HEAD_VIEWS else "")
            + (self.tr("; off: {0}").format(", ".join(str(h + 1) for h in sorted(state.heads_off))) if state.heads_off else "")
        )

    def _refresh_tab(self) -> None:
        trace, tab = self.trace, self.tabs.currentIndex()
        if trace is None:
            return
        labels = token_labels(list(trace.tokens))
        if tab == TAB_AVERAGE:
            empty = to_numpy(trace.full.fully_masked[0]).astype(bool)
            self.average_view.set_data(to_numpy(trace.mean_weights), flag_rows(labels, empty), labels, rows_changed=self.hints.for_view(self.average_view, "average"))
        elif tab == TAB_ENTROPY:
            self.entropy_chart.set_data(to_numpy(trace.entropy), [f"h{h + 1}" for h in range(self.store.state.heads)])
        elif tab == TAB_CONCAT:
            shown = trace.shown
            concat, output = to_numpy(shown.concat), to_numpy(shown.output)
            self.concat_view.set_data(concat, labels, [str(d) for d in range(concat.shape[1])])
            self.output_view.set_data(output, labels, [str(d) for d in range(output.shape[1])])
        elif tab == TAB_EFFECT:
            if trace.gated is None:
                self.effect_chart.set_data(np.zeros(len(labels), np.float32), labels)
                self.effect_note.setText(self.tr("All heads are on. Untick a head in the grid to see how much each token's output depends on it."))
            else:
                delta = to_numpy((trace.full.output - trace.gated.output).norm(dim=-1))
                self.effect_chart.set_data(delta, labels)
                off = ", ".join(str(h + 1) for h in sorted(self.store.state.heads_off))
                self.effect_note.setText(self.tr("With head(s) {0} off, their slice of the concatenation is 0, so W_O receives nothing from them; bars show how far each token's output moved.").format(off))

    def export_data(self) -> ViewData:
        trace = self.trace
        labels = token_labels(list(trace.tokens))
        arrays = {
            "weights": to_numpy(trace.full.weights),
            "mean_weights": to_numpy(trace.full.mean_weights),
            "entropy": to_numpy(trace.entropy),
            "concat": to_numpy(trace.shown.concat),
            "output": to_numpy(trace.shown.output),
        }
        return ViewData(arrays, {"mean_weights": labels, "concat": labels, "output": labels}, {"mean_weights": labels})
