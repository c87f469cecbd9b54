"""The main window: lessons on the left in the notes' order, the current page on the right, one undo stack,
File → Open checkpoint / Recent checkpoints / Export (a checkpoint may also be dropped on any page), the device and the last recompute time in the status bar.

The window paints before torch is imported: a :class:`CoreLoader` thread imports the core while a busy bar
runs, and pages are built when it is ready (each on first visit).
"""

from __future__ import annotations

import json
import os
import pathlib
import time

from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QPaintEvent, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.memory import freeze_long_lived
from explorer import APP_NAME, pages, runtime
from explorer.appearance import DIVERGING_MAPS, SEQUENTIAL_MAPS, appearance
from explorer.recent import forget_checkpoints, looks_like_checkpoint, recent_checkpoints
from explorer.readout import ReadoutLabel

STARTUP_TRACE = os.environ.get("ATTENTION_EXPLORER_TRACE_STARTUP") == "1"
RECOMPUTE_SHOWN_EVERY_MS = 200


def _trace(event: str) -> None:
    if STARTUP_TRACE:
        print(f"startup {event} {time.time():.6f}", flush=True)


class CoreLoader(QThread):
    """Imports torch and the core off the GUI thread."""

    loaded = Signal(str)  # where the core runs, for the status bar
    failed = Signal(str)

    def __init__(self, device_name: str, parent=None) -> None:
        super().__init__(parent)
        self.device_name = device_name

    def run(self) -> None:
        try:
            self.loaded.emit(load_core(self.device_name))
        except Exception as exc:  # a broken torch install must not take the window down
            self.failed.emit(f"{type(exc).__name__}: {exc}")


def load_core(device_name: str) -> str:
    import torch

    _trace("torch-imported")
    import safetensors.torch  # noqa: F401 - its first import holds the GIL ~0.2 s: not while a page waits on it

    import core.attention  # noqa: F401
    import core.checkpoints  # noqa: F401
    import core.multihead  # noqa: F401
    from core import device
    from core.memory import reuse_freed_memory

    _trace("core-imported")
    reuse_freed_memory()  # explicit attention writes fresh (H, N, N) tensors: reuse them instead of page-faulting
    device.configure_threads()

    return f"{device.describe(device.resolve(device_name))} · torch {torch.__version__.split('+')[0]}"


class PageFrame(QWidget):
    """Holds one page in the stack and gives it all its room.

    A page re-lays itself out whenever a label gets new text or a spin box a new range. Qt then carries the
    request up through the stack and the main splitter, and the stack asks every page it holds for its height
    for the width: a new layout of every rich-text label of every page opened so far (about 10 ms an edit here,
    growing with each page visited). The frame stops those requests and passes one on only when the page's
    minimum size really changed; having no layout of its own, it also gives the stack no height-for-width to ask.
    """

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.page = page
        page.setParent(self)
        self._minimum = page.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self._minimum

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.page.sizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.page.setGeometry(self.rect())

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            minimum = self.page.minimumSizeHint()
            if minimum != self._minimum:
                self._minimum = minimum
                self.updateGeometry()
            return True
        return super().event(event)


class MainWindow(QMainWindow):
    firstPainted = Signal()
    coreReady = Signal()

    def __init__(self, *, restore_geometry: bool = True, autosave: bool = True) -> None:
        super().__init__()
        self.autosave_enabled = autosave
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)  # checkpoints dropped on any page (see dropEvent)
        self.undo_stack = QUndoStack(self)
        self._pages: dict[str, QWidget] = {}
        self._wanted_page = pages.REGISTRY[0].id
        self._core_ready = False
        self._loader: CoreLoader | None = None
        self._painted = False
        self._restore_offered = False
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(800)
        self._autosave_timer.timeout.connect(self._autosave)
        if autosave:
            self.undo_stack.indexChanged.connect(lambda _: self._autosave_timer.start())

        self.nav = QListWidget()
        self.nav.setObjectName("lessons")
        for spec in pages.REGISTRY:
            item = QListWidgetItem(f"{spec.lesson}  {spec.translated_title()}" if spec.lesson else f"      {spec.translated_title()}")
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            self.nav.addItem(item)
        self.nav.setMinimumWidth(150)
        self.nav.setMaximumWidth(260)
        self.nav.currentItemChanged.connect(self._on_nav_changed)

        self.stack = QStackedWidget()
        self.loading_panel = QWidget()
        loading_layout = QVBoxLayout(self.loading_panel)
        loading_layout.addStretch(1)
        self.loading_label = QLabel(self.tr("Loading the attention core (torch)…"))
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        loading_bar = QProgressBar()
        loading_bar.setRange(0, 0)
        loading_bar.setMaximumWidth(320)
        loading_layout.addWidget(self.loading_label)
        loading_layout.addWidget(loading_bar, 0, Qt.AlignmentFlag.AlignHCenter)
        loading_layout.addStretch(2)
        self.stack.addWidget(self.loading_panel)

        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([170, 1110])
        self.setCentralWidget(splitter)

        self.device_label = QLabel(self.tr("Core: loading…"))
        self.recompute_label = ReadoutLabel(self.tr("recomputed in {ms} ms").format(ms="88888.8"))
        self._last_recompute = 0.0
        self._recompute_shown_at = -1.0
        self._recompute_timer = QTimer(self)
        self._recompute_timer.setSingleShot(True)
        self._recompute_timer.timeout.connect(self._show_recompute)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.statusBar().addPermanentWidget(self.recompute_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.statusBar().addPermanentWidget(self.busy)
        self._build_menus()
        appearance().apply_application()
        appearance().changed.connect(self._on_appearance_changed)

        self.resize(1280, 820)
        if restore_geometry:
            settings = QSettings()
            geometry, state = settings.value("window/geometry"), settings.value("window/state")
            if geometry is not None:
                self.restoreGeometry(geometry)
            if state is not None:
                self.restoreState(state)
        self.nav.setCurrentRow(0)

    # ---- menus ------------------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_session_action = file_menu.addAction(self.tr("Open &session…"))
        self.open_session_action.triggered.connect(lambda: self.open_session(None))
        self.save_session_action = file_menu.addAction(self.tr("&Save session…"))
        self.save_session_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_session_action.triggered.connect(lambda: self.save_session(None))
        file_menu.addSeparator()
        self.open_checkpoint_action = file_menu.addAction(self.tr("&Open checkpoint…"))
        self.open_checkpoint_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_checkpoint_action.triggered.connect(lambda: self.open_checkpoint(None))
        self.recent_menu = file_menu.addMenu(self.tr("Recent &checkpoints"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        export_menu = file_menu.addMenu(self.tr("&Export current view"))
        self.export_actions: dict[str, QAction] = {}
        for fmt, label in (("png", self.tr("View as &PNG…")), ("svg", self.tr("View as &SVG…")), ("csv", self.tr("Data as &CSV…")), ("npz", self.tr("Data as &NPZ…"))):
            action = export_menu.addAction(label)
            action.triggered.connect(lambda checked=False, fmt=fmt: self.export_current(fmt))
            self.export_actions[fmt] = action
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        edit_menu.addSeparator()
        settings_action = edit_menu.addAction(self.tr("&Settings…"))
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.show_settings)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.presentation_action = view_menu.addAction(self.tr("&Presentation mode"))
        self.presentation_action.setCheckable(True)
        self.presentation_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.presentation_action.toggled.connect(self.set_presentation)
        self.fullscreen_action = view_menu.addAction(self.tr("&Full screen"))
        self.fullscreen_action.setCheckable(True)
        self.fullscreen_action.setShortcut(QKeySequence("F11"))
        self.fullscreen_action.toggled.connect(lambda on: self.showFullScreen() if on else self.showNormal())
        view_menu.addSeparator()
        self.theme_actions = {}
        theme_group = QActionGroup(self)
        for name, label in (("light", self.tr("&Light theme")), ("dark", self.tr("&Dark theme"))):
            action = view_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(appearance().theme == name)
            action.triggered.connect(lambda checked=False, name=name: appearance().update(theme=name))
            theme_group.addAction(action)
            self.theme_actions[name] = action
        colormaps = view_menu.addMenu(self.tr("&Colormap for weights"))
        diverging = view_menu.addMenu(self.tr("Colormap for &signed values"))
        for menu, maps, key in ((colormaps, SEQUENTIAL_MAPS, "sequential"), (diverging, DIVERGING_MAPS, "diverging")):
            group = QActionGroup(self)
            for name, label in maps.items():
                action = menu.addAction(self.tr(label))
                action.setCheckable(True)
                action.setChecked(getattr(appearance(), key) == name)
                action.triggered.connect(lambda checked=False, key=key, name=name: appearance().update(**{key: name}))
                group.addAction(action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = help_menu.addAction(self.tr("&About"))
        about.triggered.connect(
            lambda: QMessageBox.about(self, APP_NAME, self.tr("Attention Explorer: build, see and inspect attention, computed live by a torch core."))
        )

    # ---- core loading -----------------------------------------------------------------------------------------
    def start_core(self, *, sync: bool = False) -> None:
        """Import the core (in a thread unless ``sync``) and show the wanted page when it is ready."""
        if self._core_ready or self._loader is not None:
            return
        if sync:
            self._on_core_loaded(load_core(runtime.core_device()))
            return
        self._loader = CoreLoader(runtime.core_device(), self)
        self._loader.loaded.connect(self._on_core_loaded)
        self._loader.failed.connect(self._on_core_failed)
        self._loader.start()

    def _on_core_loaded(self, where: str) -> None:
        self._core_ready = True
        self.device_label.setText(self.tr("Core: {where}").format(where=where))
        self.busy.hide()
        _trace("core-loaded")
        self.show_page(self._wanted_page)
        freeze_long_lived()
        _trace("core-ready")
        self.coreReady.emit()
        if self.autosave_enabled:
            QTimer.singleShot(0, self._offer_restore)

    def _on_core_failed(self, message: str) -> None:
        self.busy.hide()
        self.device_label.setText(self.tr("Core: unavailable"))
        self.loading_label.setText(self.tr("The core could not be loaded: {message}\nReinstall with `make run`.").format(message=message))

    @property
    def core_ready(self) -> bool:
        return self._core_ready

    # ---- pages ------------------------------------------------------------------------------------------------
    def _on_nav_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.show_page(current.data(Qt.ItemDataRole.UserRole))

    def show_page(self, page_id: str) -> QWidget | None:
        spec = pages.get(page_id)
        self._wanted_page = page_id
        row = next(i for i in range(self.nav.count()) if self.nav.item(i).data(Qt.ItemDataRole.UserRole) == page_id)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        if not self._core_ready:
            self.stack.setCurrentWidget(self.loading_panel)
            return None
        page = self._pages.get(page_id)
        if page is None:
            page = spec.load()(self.undo_stack)
            page.recomputed.connect(self._on_recomputed)
            store = getattr(page, "store", None)
            if store is not None:
                store.revisited.connect(lambda page_id=page_id: self.show_page(page_id))
            self._pages[page_id] = page
            self.stack.addWidget(PageFrame(page))
            appearance().apply_to(page)
            freeze_long_lived()  # the page's widgets live as long as the window
        self.stack.setCurrentWidget(page.parentWidget())
        self.setWindowTitle(f"{spec.translated_title()} — {APP_NAME}")
        return page

    # ---- appearance and settings ------------------------------------------------------------------------------
    def _on_appearance_changed(self) -> None:
        appearance().apply_to(self)
        for name, action in self.theme_actions.items():
            action.setChecked(appearance().theme == name)

    def set_presentation(self, on: bool) -> None:
        """Larger fonts and lines for a lecture hall; the lesson list and the status bar step aside."""
        self.presentation_action.blockSignals(True)
        self.presentation_action.setChecked(on)
        self.presentation_action.blockSignals(False)
        self.nav.setVisible(not on)
        self.statusBar().setVisible(not on)
        appearance().update(presentation=on)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and appearance().presentation:
            self.set_presentation(False)
            self.fullscreen_action.setChecked(False)
            return
        super().keyPressEvent(event)

    def show_settings(self) -> None:
        from explorer.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self)
        if dialog.exec():
            self.apply_device(dialog.device())

    def apply_device(self, name: str) -> None:
        """Compute on ``name`` from now on: the status bar says so and the current page recomputes there."""
        from core import device

        runtime.set_core_device(name)
        if self._core_ready:
            self.device_label.setText(self.tr("Core: {where}").format(where=device.describe(device.resolve(name))))
            for page in self._pages.values():
                store = getattr(page, "store", None)
                if store is not None and hasattr(page, "_on_state_changed"):
                    page._on_state_changed(store.state)

    def current_page(self) -> QWidget | None:
        widget = self.stack.currentWidget()
        return widget.page if isinstance(widget, PageFrame) else None

    def _on_recomputed(self, milliseconds: float) -> None:
        """The last recompute time, shown at most every RECOMPUTE_SHOWN_EVERY_MS: a drag recomputes 60 times a second,
        a number changing that fast cannot be read, and each new one repainted the status bar."""
        self._last_recompute = milliseconds
        if self._recompute_timer.isActive():
            return  # the timer shows the latest
        wait = RECOMPUTE_SHOWN_EVERY_MS - (time.monotonic() - self._recompute_shown_at) * 1000.0
        if wait <= 0:
            self._show_recompute()
        else:
            self._recompute_timer.start(int(wait) + 1)

    def _show_recompute(self) -> None:
        self._recompute_shown_at = time.monotonic()
        self.recompute_label.setText(self.tr("recomputed in {ms} ms").format(ms=f"{self._last_recompute:.1f}"))

    # ---- sessions ---------------------------------------------------------------------------------------------
    def page_states(self) -> dict[str, object]:
        return {page_id: page.store.state for page_id, page in self._pages.items() if getattr(page, "store", None) is not None}

    def session_document(self) -> dict:
        from explorer import session

        current = self.current_page()
        return session.session_document(self.page_states(), current.page_id if current is not None else self._wanted_page)

    def save_session(self, path: str | None) -> str | None:
        from explorer import session

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save session"), str(pathlib.Path.home() / "session.attention.json"), self.tr("Sessions (*.json)"))
            if not path:
                return None
        try:
            session.write_atomically(pathlib.Path(path), json.dumps(self.session_document(), indent=1))
        except (OSError, session.SessionError) as exc:
            QMessageBox.warning(self, self.tr("Save failed"), str(exc))
            return None
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return path

    def open_session(self, path: str | None) -> bool:
        from explorer import session

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open session"), str(pathlib.Path.home()), self.tr("Sessions (*.json)"))
            if not path:
                return False
        try:
            self.apply_session(session.read_document(path))
        except session.SessionError as exc:
            QMessageBox.warning(self, self.tr("Could not open the session"), str(exc))
            return False
        return True

    def apply_session(self, document: dict) -> None:
        """Give each page in ``document`` its saved state (one undoable step per page); unknown pages are skipped."""
        from explorer import session

        known = {spec.id for spec in pages.REGISTRY}
        decoded = {}
        for page_id, data in document.get("pages", {}).items():
            if page_id not in known:
                continue
            page = self.show_page(page_id)
            if page is None or getattr(page, "store", None) is None:
                continue
            try:
                decoded[page_id] = (page, session.decode(type(page.store.state), data))
            except (session.SessionError, TypeError, ValueError) as exc:
                raise session.SessionError(f"the saved state of page {page_id!r} does not fit this version: {exc}") from exc
        for page, state in decoded.values():
            page.store.set(state, self.tr("Open session"))
        if document.get("current_page") in known:
            self.show_page(document["current_page"])

    def autosave_path(self) -> pathlib.Path:
        from PySide6.QtCore import QStandardPaths

        return pathlib.Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "autosave.json"

    def _autosave(self) -> None:
        from explorer import session

        try:
            session.write_atomically(self.autosave_path(), json.dumps(self.session_document()))
        except (OSError, session.SessionError) as exc:
            self.statusBar().showMessage(self.tr("Autosave failed: {error}").format(error=exc), 5000)

    def _offer_restore(self) -> None:
        """After a crash or kill, the autosave of the last run is still there: offer to bring it back."""
        from explorer import session

        path = self.autosave_path()
        if not path.exists() or self._restore_offered:
            return
        self._restore_offered = True
        try:
            document = session.read_document(path)
        except session.SessionError:
            return
        if not document.get("pages"):
            return
        answer = self.ask_restore()
        if answer:
            self.apply_session(document)

    def ask_restore(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Restore your work?"), self.tr("Attention Explorer did not close normally last time."), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(self.tr("Restore every page as it was when it was last changed?"))
        return box.exec() == QMessageBox.StandardButton.Yes

    def open_checkpoint(self, path: str | None) -> None:
        """Show the Checkpoints page and open ``path`` there (or ask for a file)."""
        self._pending_checkpoint = path
        page = self.show_page("checkpoints")
        if page is None:  # the core is still loading: opened once it is ready
            self.coreReady.connect(self._open_pending_checkpoint, Qt.ConnectionType.SingleShotConnection)
            return
        self._open_pending_checkpoint()

    def _fill_recent_menu(self) -> None:
        """File → Recent checkpoints from QSettings (the list the Checkpoints page keeps), rebuilt when it opens."""
        self.recent_menu.clear()
        files = recent_checkpoints()
        for index, path in enumerate(files):
            action = self.recent_menu.addAction(f"&{index + 1}  {pathlib.Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, path=path: self.open_checkpoint(path))
        if files:
            self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("Clear the list"))
        clear.setStatusTip(self.tr("Forget the recently opened checkpoints (the files themselves stay)"))
        clear.setEnabled(bool(files))
        clear.triggered.connect(self._clear_recent)
        self.recent_menu.setEnabled(bool(files))

    def _clear_recent(self) -> None:
        forget_checkpoints()
        self._fill_recent_menu()

    def _open_pending_checkpoint(self) -> None:
        page = self.show_page("checkpoints")
        if self._pending_checkpoint:
            page.open_path(self._pending_checkpoint)
        else:
            page.choose_file()

    # ---- export -----------------------------------------------------------------------------------------------
    def export_current(self, fmt: str, path: str | None = None) -> str | None:
        from explorer import export

        page = self.current_page()
        if page is None:
            return None
        if path is None:
            settings = QSettings()
            folder = str(settings.value("export/folder", str(pathlib.Path.home())))
            suggestion = str(pathlib.Path(folder) / f"{page.page_id}.{fmt}")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), suggestion, export.FORMATS[fmt])
            if not path:
                return None
            settings.setValue("export/folder", str(pathlib.Path(path).parent))
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        try:
            export.export(page.export_view(), page.export_data(), path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return None
        self.statusBar().showMessage(self.tr("Exported {path}").format(path=path), 5000)
        return path

    # ---- window -----------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            _trace("first-paint")
            self.firstPainted.emit()
            QTimer.singleShot(0, self.start_core)  # import torch only once the window is on screen

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        """A checkpoint dropped anywhere a page does not take drops itself opens on the Checkpoints page."""
        if any(u.isLocalFile() and looks_like_checkpoint(u.toLocalFile()) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile() and looks_like_checkpoint(u.toLocalFile())]
        if paths:
            event.acceptProposedAction()
            self.open_checkpoint(paths[0])

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.autosave_enabled:  # a normal close: nothing to restore next time
            self._autosave_timer.stop()
            self.autosave_path().unlink(missing_ok=True)
        for page in self._pages.values():  # a training or an experiment must not outlive its window (and its signals)
            page.stop_jobs()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        if self._loader is not None:
            self._loader.wait(5000)
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        QTimer.singleShot(500, self.start_core)  # in case no paint event arrives (e.g. a minimised start)
