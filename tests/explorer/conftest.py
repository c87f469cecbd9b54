import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

from explorer.app import configure_painting  # noqa: E402

configure_painting()  # pytest-qt creates the QApplication: the same Qt settings as the app's

import pyqtgraph as pg  # noqa: E402

# pyqtgraph drops mouse moves that come within 10 ms of the last one (a throttle for real mice); QTest sends a drag's
# moves within microseconds, so which of them counted (and whether a drag began at all) depended on the clock.
pg.setConfigOptions(mouseRateLimit=0)


@pytest.fixture(scope="session", autouse=True)
def isolated_settings(tmp_path_factory):
    """QSettings of the tests go to a temporary folder, never to the user's real configuration."""
    QCoreApplication.setOrganizationName("AttentionExplorerTests")
    QCoreApplication.setApplicationName("Attention Explorer Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("settings")))
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("data"))  # autosave files of the tests


@pytest.fixture
def window(qtbot):
    from explorer.main_window import MainWindow

    main = MainWindow(restore_geometry=False, autosave=False)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.start_core(sync=True)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.undo_stack.clear()


@pytest.fixture
def attention_page(window, qtbot):
    page = window.show_page("attention-layer")
    qtbot.waitUntil(lambda: page.isVisible())
    # the first layout of the canvas's plot (its axes' widths, then the aspect-locked range) is still queued: a test
    # that maps data to pixels before it would drag with a mapping the first repaint changes
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    return page
