"""Two languages: the Chinese catalogue covers every marked string, and installing it translates the window."""

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_every_marked_string_has_a_chinese_translation():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "translations.py"), "--check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_the_window_speaks_chinese_when_chosen(qtbot):
    from explorer.main_window import MainWindow

    app = QApplication.instance()
    assert i18n.install(app, "zh_CN") == "zh_CN"
    try:
        window = MainWindow(restore_geometry=False, autosave=False)
        qtbot.addWidget(window)
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus[:3] == ["文件(&F)", "编辑(&E)", "视图(&V)"]
        layer = next(window.nav.item(i) for i in range(window.nav.count()) if window.nav.item(i).data(Qt.ItemDataRole.UserRole) == "attention-layer")
        assert layer.text().endswith("注意力层")
        assert window.loading_label.text() == "正在加载注意力内核（torch）…"
    finally:
        i18n.install(app, "en")
    english = MainWindow(restore_geometry=False, autosave=False)
    qtbot.addWidget(english)
    assert english.menuBar().actions()[0].text() == "&File"
