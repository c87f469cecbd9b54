"""One paint pass for a page's changed views (an edit usually changes several pyqtgraph views at once)."""

from __future__ import annotations

import pyqtgraph as pg
from pyqtgraph.Qt import compat
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QGraphicsScene, QGraphicsWidget, QWidget
from shiboken6 import isValid


_META_CALL, _LAYOUT_REQUEST = QEvent.Type.MetaCall.value, QEvent.Type.LayoutRequest.value  # .value is a Python property


class _HeldUpdates(QObject):
    """An event filter that holds back a window's UpdateRequests (see :func:`repaint_together`)."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        return event.type() == QEvent.Type.UpdateRequest


_HELD_UPDATES = _HeldUpdates()
_views_made = 0  # pyqtgraph views constructed so far in this process (see views_in)


def _hook_views() -> None:
    """Count pyqtgraph views as they are made (and leave their scenes unindexed, below), so a widget's list of views is searched again only when new ones
    may have appeared (QObject.findChildren wraps every descendant in Python: ~0.2-0.5 ms for a page, per edit).

    Each view's scene also keeps its items unindexed (QGraphicsScene.NoIndex). A view holds 20-80 items whose
    bounds or contents change at every edit; Qt's default BSP tree is kept up to date for each of them and asked
    which items a repaint exposes, where a list of that size is simply walked. Measured in one process, edits
    alternating between the two: 0.27 ± 0.07 ms less per Attention Layer drag, 0.83 ± 0.16 ms per Self-attention
    reorder at N=256. Hit tests (hover, clicks) walk the same few items.

    A view whose background is opaque paints every pixel it repaints, so its viewport is marked so
    (WA_OpaquePaintEvent): Qt filled the repainted region with the palette's colour first, and the view's
    background then covered it again (~0.035 ms of a heatmap's repaint, measured in one process)."""
    original = pg.GraphicsView.__init__
    if getattr(original, "_hooked", False):
        return
    original_background = pg.GraphicsView.setBackground

    def setBackground(self, background):  # noqa: N802 - pyqtgraph's name
        original_background(self, background)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, self.backgroundBrush().isOpaque())

    def __init__(self, *args, **kwargs):  # noqa: N807
        global _views_made
        _views_made += 1
        original(self, *args, **kwargs)
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)

    __init__._hooked = True
    pg.GraphicsView.__init__ = __init__
    pg.GraphicsView.setBackground = setBackground


def _native_bounds() -> None:
    """Leave the bounding rectangle of pyqtgraph's layout widgets (plots, titles, layouts, colour bars) to Qt, and
    the paint of its view boxes.

    Qt asks each item for its bounding rectangle several times per paint. pyqtgraph's GraphicsWidget and
    GraphicsLayout answer in Python: the geometry mapped from the parent (GraphicsWidget, with a cache checked
    in Python) or ``rect()`` (GraphicsLayout). For a widget that is neither transformed nor a window, both are
    ``QGraphicsWidget.boundingRect``: ``rect()``. Set as the class attribute, the C++ method is no Python
    override, so Qt calls it directly: ~25 calls into Python fewer per Self-attention reorder. Items that
    compute bounds of their own (axes, view boxes, our items) keep them. tests/explorer/test_widgets.py checks
    the rectangles against pyqtgraph's on a heatmap and a bar chart.

    A ViewBox's paint outlines its shape with its border pen, which is an empty pen unless a border is asked for;
    the border is drawn anyway by the QGraphicsRectItem the box keeps for it (``borderRect``). Qt called the
    Python paint, and through it the Python shape, at every repaint of each plot: the C++ paint draws nothing.
    The same test checks that a border still shows."""
    from pyqtgraph.graphicsItems.GraphicsLayout import GraphicsLayout
    from pyqtgraph.graphicsItems.GraphicsWidget import GraphicsWidget

    GraphicsWidget.boundingRect = QGraphicsWidget.boundingRect
    GraphicsLayout.boundingRect = QGraphicsWidget.boundingRect
    pg.ViewBox.paint = QGraphicsWidget.paint


_hook_views()
_native_bounds()
_found: dict[int, tuple[int, list]] = {}  # id(widget) → (views made when searched, the views found)


def views_in(widget: QWidget) -> list:
    """The visible pyqtgraph views inside ``widget``; the search is kept until a view is made or one is deleted."""
    made, views = _found.get(id(widget), (-1, []))
    if made != _views_made or not all(isValid(view) for view in views):
        views = widget.findChildren(pg.GraphicsView)
        _found[id(widget)] = (_views_made, views)
    return [view for view in views if view.isVisible()]


def c_array(rows, klass) -> tuple:
    """``rows`` (a C-contiguous numpy array, one row of fields per value: QRectF or QLineF as 4 doubles, QRect as 4
    ints) as the (pointer, count) pair QPainter's drawRects and drawLines take: Qt reads the array itself, where a
    list is converted value by value at every paint. The address comes from ``__array_interface__``: numpy's
    ``ndarray.ctypes`` runs an import statement at each access, and an import goes through PySide6's import hook
    (~8 µs). ``rows`` must stay alive until the draw call returns."""
    return compat.wrapinstance(rows.__array_interface__["data"][0], klass), len(rows)


def repaint_together(window: QWidget, views) -> None:
    """Repaint what changed in ``views`` (pyqtgraph GraphicsViews) and the rest of ``window`` now, in one pass.

    A QGraphicsView whose scene changed sends the window's pending UpdateRequest as soon as the scene has processed
    its dirty items (QGraphicsScenePrivate::_q_processDirtyItems → dispatchPendingUpdateRequests), so six changed
    views cost six paint passes of the window, each painting its parents and flushing. Here each scene does
    pyqtgraph's per-paint work first (view matrices, auto ranges: a change made during the paint would schedule
    another pass), then processes its dirty items while the window holds its UpdateRequests back, so the views only
    collect their dirty regions; one UpdateRequest then paints them all. Pending layouts go first, as in a normal
    event loop pass: a rich-text label laid out during its own paint asks for a second paint (QEvent::UpdateLater).
    """
    window.installEventFilter(_HELD_UPDATES)
    try:
        for view in views:
            scene = view.scene()
            scene.prepareForPaint()
            QCoreApplication.sendPostedEvents(scene, _META_CALL)
    finally:
        window.removeEventFilter(_HELD_UPDATES)
    QCoreApplication.sendPostedEvents(None, _LAYOUT_REQUEST)
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.UpdateRequest))


def update_apart(item, rects) -> None:
    """Repaint the parts ``rects`` (item coordinates) of a graphics item, each on its own.

    Qt keeps one dirty rectangle per item: ``item.update(rect)`` twice repaints everything between the two. One row
    of each of the Multi-head page's eight maps (one image, the maps side by side and stacked) then repainted two
    thirds of the mosaic. Given to the scene, the parts stay apart: the views repaint those strips, and every item
    over them."""
    rects = list(rects)
    scene = item.scene()
    if scene is None or len(rects) < 2:
        for rect in rects:
            item.update(rect)
        return
    for rect in rects:
        scene.update(item.mapRectToScene(rect))
