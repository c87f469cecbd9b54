"""The beam-search tree: one column per decoding step, one row per place in the beam, an edge from each hypothesis
to the prefix it extends. Finished hypotheses are squares; the selected branch is drawn thick in the query colour.
Click a node to select the branch that ends there (``nodeClicked``); the readout gives its token and log p.

Built from the shared overlay items (one paint call for all edges and labels), created once and updated in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.widgets import style
from explorer.widgets.items import PointLabels, Segments


@dataclass(frozen=True)
class TreeNode:
    id: int
    parent: int | None  # None for the root
    column: int  # decoding step t (0 = the root <s>)
    row: int  # place in the beam at that step (0 = best)
    label: str  # the token, drawn on the node
    detail: str  # the readout when the node is clicked (token, log p, rank…)
    finished: bool = False


class BeamTree(QWidget):
    nodeClicked = Signal(int)  # the node id

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._nodes: list[TreeNode] = []
        self._selected: set[int] = set()
        self.view = pg.PlotWidget(title=title or None, enableMenu=False)
        self.view.setMinimumSize(200, 140)
        self.plot = self.view.getPlotItem()
        self.plot.invertY(True)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", self.tr("step t"))
        self.plot.setLabel("left", self.tr("place in the beam"))
        self.edges = Segments("#b0b0b0").attach(self.plot, z=1)
        self.path_edges = Segments(style.QUERY).attach(self.plot, z=2)
        self.scatter = pg.ScatterPlotItem(size=18, pen=pg.mkPen("w", width=1.2))
        self.scatter.setZValue(3)
        self.scatter.sigClicked.connect(self._on_clicked)
        self.plot.addItem(self.scatter)
        self.labels = PointLabels("#ffffff", anchor=(0.5, 0.5), offset=(0.0, 0.0)).attach(self.plot, z=4)
        self.readout = QLabel(" ")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.readout)
        self._brushes = {
            "live": pg.mkBrush(style.INPUT),
            "finished": pg.mkBrush(style.KEY),
            "selected": pg.mkBrush(style.QUERY),
        }

    @property
    def nodes(self) -> list[TreeNode]:
        return list(self._nodes)

    @property
    def selected(self) -> set[int]:
        return set(self._selected)

    def set_tree(self, nodes: Sequence[TreeNode], selected_path: Sequence[int] = ()) -> None:
        self._nodes = list(nodes)
        self._selected = set(selected_path)
        by_id = {n.id: n for n in self._nodes}
        points = np.array([[n.column, n.row] for n in self._nodes], float).reshape(-1, 2)
        brushes = [self._brushes["selected" if n.id in self._selected else "finished" if n.finished else "live"] for n in self._nodes]
        symbols = ["s" if n.finished else "o" for n in self._nodes]
        self.scatter.setData(pos=points, brush=brushes, symbol=symbols, data=[n.id for n in self._nodes])
        self.labels.set_labels(points, [n.label for n in self._nodes])
        starts, ends, on_path = [], [], []
        for n in self._nodes:
            if n.parent is not None and n.parent in by_id:
                p = by_id[n.parent]
                starts.append((p.column, p.row))
                ends.append((n.column, n.row))
                on_path.append(n.id in self._selected and p.id in self._selected)
        starts_a, ends_a, mask = np.array(starts, float).reshape(-1, 2), np.array(ends, float).reshape(-1, 2), np.array(on_path, bool)
        self.edges.set_segments(starts_a[~mask], ends_a[~mask], 1.5)
        self.path_edges.set_segments(starts_a[mask], ends_a[mask], 3.5)
        columns = max((n.column for n in self._nodes), default=1)
        rows = max((n.row for n in self._nodes), default=0)
        self.plot.setRange(xRange=(-0.6, columns + 0.6), yRange=(-0.6, rows + 0.6), padding=0)
        self.plot.getAxis("left").setTicks([[(float(r), str(r + 1)) for r in range(rows + 1)], []])
        self.readout.setText(self.tr("{0} hypotheses kept over {1} steps; red: the selected branch — click a node").format(len(self._nodes) - 1, columns))

    def node_pos(self, node_id: int) -> QPointF:
        """Where a node is drawn, in the coordinates of the widget that receives the mouse (for tests)."""
        node = next(n for n in self._nodes if n.id == node_id)
        scene = self.plot.vb.mapViewToScene(QPointF(node.column, node.row))
        return QPointF(self.view.mapFromScene(scene))

    def show_detail(self, node_id: int) -> None:
        node = next((n for n in self._nodes if n.id == node_id), None)
        if node is not None:
            self.readout.setText(node.detail)

    def _on_clicked(self, item, points, event) -> None:
        if len(points):
            node_id = int(points[0].data())
            self.show_detail(node_id)
            self.nodeClicked.emit(node_id)

