"""The app shell: navigation, undo, geometry, export, the exception hook and the status bar."""

import subprocess
import sys
import textwrap

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from explorer import errors, pages
from explorer.export import csv_text

from .mouse import drag


def test_navigation_lists_only_existing_pages_in_the_notes_order(window):
    ids = [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]
    assert ids == [spec.id for spec in pages.REGISTRY]
    assert ids == sorted(ids, key=pages.PAGE_IDS.index)
    for page_id in ids:
        page = window.show_page(page_id)
        assert window.current_page() is page and page.page_id == page_id and page.isVisible()


def test_ctrl_z_undoes_a_drag_and_ctrl_shift_z_redoes_it(window, attention_page, qtbot):
    page = attention_page
    before = page.store.state
    drag(page.canvas.view.viewport(), page.canvas.widget_pos(*before.inputs[1]), page.canvas.widget_pos(2.0, 2.0))
    after = page.store.state
    assert after != before and window.undo_action.text() == "&Undo Move x2"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.store.state == before
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert page.store.state == after


def test_status_bar_shows_the_device_and_the_last_recompute_time(window, attention_page, qtbot):
    assert window.device_label.text().startswith("Core: CPU")
    qtbot.mouseClick(attention_page.add_input_button, Qt.MouseButton.LeftButton)
    assert window.recompute_label.text().startswith("recomputed in ") and window.recompute_label.text().endswith(" ms")


def test_window_geometry_is_restored_from_settings(qtbot):
    from explorer.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.setGeometry(QRect(30, 40, 710, 520))
    first.show()
    qtbot.waitExposed(first)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (710, 520)


def test_export_writes_png_svg_csv_and_npz_of_the_current_view(window, attention_page, tmp_path):
    paths = {fmt: window.export_current(fmt, str(tmp_path / f"view.{fmt}")) for fmt in ("png", "svg", "csv", "npz")}
    image = QImage(paths["png"])
    assert image.width() == attention_page.width() and image.height() == attention_page.height()
    assert "<svg" in (tmp_path / "view.svg").read_text()[:2000]
    arrays = np.load(paths["npz"])
    np.testing.assert_allclose(arrays["weights"], attention_page.trace.weights.numpy())
    assert arrays["weights__cols"].tolist() == ["x1", "x2", "x3", "x4"]
    text = (tmp_path / "view.csv").read_text()
    assert text == csv_text(attention_page.export_data())
    block = text.split("# weights 1x4\n")[1].splitlines()
    assert block[0] == ",x1,x2,x3,x4"
    assert block[1].split(",")[0] == "q1"
    np.testing.assert_allclose([float(v) for v in block[1].split(",")[1:]], attention_page.trace.weights.numpy()[0], rtol=1e-6)


def test_export_via_the_menu_asks_for_a_file(window, attention_page, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "chosen"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "NumPy arrays (*.npz)"))
    window.export_actions["npz"].trigger()
    assert (tmp_path / "chosen.npz").exists()


def test_an_uncaught_exception_shows_a_dialog_and_the_app_keeps_running(window, attention_page, qtbot):
    errors.install()
    shown = len(errors.shown_errors)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: len(errors.shown_errors) > shown)
    assert errors.shown_errors[-1] == "RuntimeError: boom in a slot"
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and boxes[-1].text() == "RuntimeError: boom in a slot"
    for box in boxes:
        box.close()
    qtbot.mouseClick(attention_page.add_input_button, Qt.MouseButton.LeftButton)  # still alive and editable
    assert len(attention_page.store.state.inputs) == 5
    sys.excepthook = sys.__excepthook__


def test_window_paints_before_torch_and_pyqtgraph_are_imported_and_then_loads_the_core(tmp_path):
    script = textwrap.dedent(
        """
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from explorer.app import application
        app = application()
        from explorer.main_window import MainWindow
        window = MainWindow(restore_geometry=False, autosave=False)
        seen = {}
        window.firstPainted.connect(lambda: seen.setdefault("torch_at_paint", "torch" in sys.modules or "pyqtgraph" in sys.modules))
        window.coreReady.connect(lambda: (seen.setdefault("page", type(window.current_page()).__name__), app.quit()))
        window.show()
        app.exec()
        print(seen["torch_at_paint"], seen["page"], window.busy.isVisible())
        """
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "Seq2SeqPage", "False"]  # the first lesson (§1)


def test_pysides_feature_check_reads_module_files_and_gives_pysides_answers():
    """The app replaces PySide6's check of each imported module (does its source name PySide6?) with one that reads
    the module file's bytes: for every module loaded here (torch, numpy, pyqtgraph, the app's own), the same answer
    as PySide6's own check, which reads the source through inspect."""
    import pyqtgraph  # noqa: F401
    import torch  # noqa: F401

    from explorer.app import application, quicken_feature_checks

    feature = sys.modules["PySide6.support.feature"]
    application()
    check = feature._mod_uses_pyside
    assert check.original is not None and quicken_feature_checks() is False  # installed once
    compared = uses = 0
    for name, module in list(sys.modules.items()):
        if module is None:
            continue
        try:
            expected = check.original(module)
        except Exception:  # PySide6's own check raises for a few odd modules (torch.classes); at import it skips them
            continue
        assert check(module) == expected, name
        compared, uses = compared + 1, uses + expected
    assert compared > 1000 and uses >= 20  # torch's modules, and the app's and pyqtgraph's that name PySide6
    assert check(sys.modules["explorer.app"]) is True and check(sys.modules["torch.nn"]) is False


def test_closing_the_window_stops_a_page_s_background_experiment(window, qtbot):
    from PySide6.QtCore import Qt

    page = window.show_page("vit")
    qtbot.waitUntil(page.isVisible)
    page.tabs.setCurrentIndex(2)
    qtbot.mouseClick(page.rerun, Qt.MouseButton.LeftButton)  # ViT vs CNN: minutes of training in a worker
    job = page.experiment_job
    assert job.running
    window.close()
    assert not job.running and job.cancel_requested  # cancelled at its next report and waited for


def test_recompute_time_is_shown_at_a_readable_rate_and_ends_on_the_last(window, attention_page, qtbot):
    """Sixty recomputes in a burst (a drag) change the status bar a few times, not sixty, and it ends on the last."""
    from PySide6.QtCore import QObject

    shown = []

    class Texts(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == event.Type.Paint:
                shown.append(window.recompute_label.text())
            return False

    texts = Texts()
    window.recompute_label.installEventFilter(texts)
    for i in range(60):
        attention_page.recomputed.emit(float(i))
        window.recompute_label.repaint()  # paint whatever the label holds now
    qtbot.waitUntil(lambda: window.recompute_label.text() == "recomputed in 59.0 ms", timeout=2000)
    assert len(set(shown)) <= 3
