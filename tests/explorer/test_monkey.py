"""A seeded monkey: thousands of random clicks, drags, key presses and value changes across every page.

It passes when nothing raised (pytest-qt fails a test on any exception in a Qt callback), no error dialog was
shown, and no view shows a NaN — whatever the monkey did.
"""

import random

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

from explorer import errors, pages
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.token_strip import TokenStrip

TOTAL_EVENTS = 2100
SKIPPED_BUTTONS = ("Open…", "Open folder…")  # file dialogs (patched anyway), not the monkey's business
TEXTS = ["the cat sat", "a", "", "x y z w v u", "1, 2\n3, 4", "nan", "-1e9", "hello world", "  ", "数 字", "0.5", "abc, 1"]


def widgets_of(page: QWidget, kind) -> list:
    return [w for w in page.findChildren(kind) if w.isVisible() and w.isEnabled()]


def assert_no_nan_shown(page: QWidget) -> None:
    for view in page.findChildren(Heatmap):
        if view.isVisible():
            assert not np.isnan(view.values).any(), f"NaN shown in {view.title()!r}"
    for chart in page.findChildren(BarChart):
        if chart.isVisible():
            assert not np.isnan(chart.values).any(), f"NaN shown in {chart.title()!r}"


def random_point(widget: QWidget, rng: random.Random) -> QPoint:
    return QPoint(rng.randrange(max(widget.width(), 1)), rng.randrange(max(widget.height(), 1)))


def act(page: QWidget, rng: random.Random, qtbot) -> None:
    choice = rng.random()
    if choice < 0.25:
        views = [v.viewport() for v in widgets_of(page, pg.GraphicsView)]
        if views:
            viewport = rng.choice(views)
            start, end = random_point(viewport, rng), random_point(viewport, rng)
            QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
            for step in range(1, 4):
                QTest.mouseMove(viewport, start + (end - start) * (step / 3))
            QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
            return
    if choice < 0.45:
        buttons = [b for b in widgets_of(page, QAbstractButton) if b.text() not in SKIPPED_BUTTONS]
        if buttons:
            button = rng.choice(buttons)
            if isinstance(button, QCheckBox):
                button.click()
            else:
                qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    if choice < 0.6:
        combos = widgets_of(page, QComboBox)
        if combos:
            combo = rng.choice(combos)
            if combo.count():
                combo.setCurrentIndex(rng.randrange(combo.count()))
                combo.activated.emit(combo.currentIndex())
            return
    if choice < 0.72:
        spins = [s for s in widgets_of(page, QAbstractSpinBox) if isinstance(s, (QSpinBox, QDoubleSpinBox))]
        if spins:
            spin = rng.choice(spins)
            low, high = spin.minimum(), min(spin.maximum(), spin.minimum() + 64)
            spin.setValue(rng.uniform(low, high) if isinstance(spin, QDoubleSpinBox) else rng.randint(int(low), int(high)))
            return
    if choice < 0.84:
        fields = widgets_of(page, QLineEdit) + widgets_of(page, QPlainTextEdit)
        fields = [f for f in fields if not f.isReadOnly()]
        if fields:
            field = rng.choice(fields)
            text = rng.choice(TEXTS)
            if isinstance(field, QLineEdit):
                field.selectAll()
                if text.isascii() and "\n" not in text:
                    qtbot.keyClicks(field, text)
                else:  # QTest can only type ASCII keys: paste the rest, as a user would
                    field.insert(text)
                qtbot.keyClick(field, Qt.Key.Key_Return)
            else:
                field.setPlainText(text)
            return
    if choice < 0.9:
        strips = widgets_of(page, TokenStrip)
        if strips and strips[0].tokens:
            strip = strips[0]
            a, b = rng.randrange(len(strip.tokens)), rng.randrange(len(strip.tokens))
            QTest.mousePress(strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, strip.chip_rect(a).center())
            QTest.mouseMove(strip, strip.chip_rect(b).center() + QPoint(3, 0))
            QTest.mouseRelease(strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, strip.chip_rect(b).center() + QPoint(3, 0))
            return
    if choice < 0.95:
        tabs = widgets_of(page, QTabWidget)
        if tabs:
            tab = rng.choice(tabs)
            tab.setCurrentIndex(rng.randrange(tab.count()))
            return
    trees = widgets_of(page, QTreeWidget)
    if trees and rng.random() < 0.5:
        tree = trees[0]
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=random_point(tree.viewport(), rng))
        return
    key = rng.choice([Qt.Key.Key_Z, Qt.Key.Key_Z, Qt.Key.Key_Y, Qt.Key.Key_Tab, Qt.Key.Key_Up, Qt.Key.Key_Down])
    modifiers = Qt.KeyboardModifier.ControlModifier if key in (Qt.Key.Key_Z, Qt.Key.Key_Y) else Qt.KeyboardModifier.NoModifier
    if key == Qt.Key.Key_Z and rng.random() < 0.3:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(page.window(), key, modifiers)


@pytest.mark.slow
def test_monkey_two_thousand_random_events_across_every_page(window, qtbot, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    errors.install()
    shown = len(errors.shown_errors)
    rng = random.Random(20261129)
    total = 0
    per_page = -(-TOTAL_EVENTS // len(pages.REGISTRY))
    for spec in pages.REGISTRY:
        page = window.show_page(spec.id)
        qtbot.waitUntil(page.isVisible)
        for _ in range(per_page):
            act(page, rng, qtbot)
            total += 1
            if window.current_page() is not page:  # an undo may bring another page forward
                window.show_page(spec.id)
        assert_no_nan_shown(page)
    assert total >= 2000
    assert window.undo_stack.count() > 100  # the monkey really edited things
    assert errors.shown_errors[shown:] == []
