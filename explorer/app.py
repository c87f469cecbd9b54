"""Creating the QApplication, and refusing politely when there is no display."""

from __future__ import annotations

import os
import sys

from explorer import APP_NAME, ORGANIZATION

NO_DISPLAY_MESSAGE = (
    "attention-explorer: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
    "run it with QT_QPA_PLATFORM=offscreen, or render a page with `attention-explorer screenshot --page ID --out FILE.png`."
)


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True  # the user chose a platform (offscreen, xcb, wayland…): let Qt use it
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # macOS and Windows always have a window server


def configure_painting() -> None:
    """Qt settings read once, before the first QGuiApplication: call before creating it.

    Qt's raster engine splits fills of more than ~96 spans across its GUI thread pool (QT_THREAD_PARALLEL_FILLS in
    qdrawhelper). The app's views are small: every antialiased arrow or bar became a hand-off to pool threads and a
    wait on a semaphore, and the futex wake-ups cost more than the fill (on the 2-core development machine, an
    Attention Layer drag's p95 went from 38 to 27-31 ms without the pool). A user who sets the variable keeps theirs.
    """
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def quicken_feature_checks() -> bool:
    """Let PySide6 tell whether an imported module names PySide6 from the module file's bytes.

    PySide6 supports ``from __feature__ import snake_case``. To do so it checks every module imported after PySide6
    (its private ``shibokensupport.feature._mod_uses_pyside``): it reads the module's source with
    ``inspect.getsource`` and looks for the word "PySide6". The app imports torch after its window is shown, so that
    check ran for ~880 of torch's modules. It took 0.15-0.2 s of torch's import, on the way to the first page (the
    start-up goal is the core ready within 3 s).

    Here the same test reads the file's bytes. For every module loaded once the app has started, the answer is the
    same (a test checks it); modules without a ``.py`` file go to PySide6's own check. Returns False, and changes
    nothing, when PySide6 has no such check (another version) or it is already replaced."""
    feature = sys.modules.get("PySide6.support.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "original", None) is not None:
        return False

    def mod_uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    mod_uses_pyside.original = original
    feature._mod_uses_pyside = mod_uses_pyside
    return True


def application(argv: list[str] | None = None):
    """The QApplication (created once), with the names QSettings uses."""
    from PySide6.QtWidgets import QApplication

    quicken_feature_checks()  # before torch's import, which the window starts once shown
    app = QApplication.instance()
    if app is None:
        # Workers (training, loading) and the GUI share the GIL: hand it over every 2 ms instead of 5 so a busy
        # worker cannot hold a repaint back for long.
        sys.setswitchinterval(0.002)
        configure_painting()
        QApplication.setOrganizationName(ORGANIZATION)
        QApplication.setApplicationName(APP_NAME)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
        from explorer import i18n

        i18n.install(app)
    return app


def run_gui(page: str | None = None, open_path: str | None = None) -> int:
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    app = application()
    from explorer import errors
    from explorer.main_window import MainWindow

    from explorer import pages

    if page is not None:
        try:
            pages.get(page)
        except KeyError as exc:
            print(f"attention-explorer: {exc.args[0]}", file=sys.stderr)
            return 2
    errors.install()
    window = MainWindow()
    if page:
        window.show_page(page)
    if open_path:
        window.open_checkpoint(open_path)
    window.show()
    return app.exec()
