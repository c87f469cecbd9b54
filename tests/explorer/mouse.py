"""Real mouse gestures for pytest-qt tests: press, several moves with the button held, release."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def drag(widget: QWidget, start: QPoint | QPointF, end: QPoint | QPointF, steps: int = 6) -> None:
    start, end = QPointF(start).toPoint(), QPointF(end).toPoint()
    QTest.mousePress(widget, LEFT, NONE, start)
    for i in range(1, steps + 1):
        QTest.mouseMove(widget, start + (end - start) * (i / steps))
    QTest.mouseRelease(widget, LEFT, NONE, end)


def click(widget: QWidget, point: QPoint | QPointF) -> None:
    QTest.mouseClick(widget, LEFT, NONE, QPointF(point).toPoint())


def click_link(qtbot, label: QWidget) -> None:
    """A left click on a label that holds one link (a label as wide as its text), once it is shown."""
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 0)
    click(label, label.rect().center())
