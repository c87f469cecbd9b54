"""Labels whose text changes on every edit (numbers, readouts) without re-laying-out the window.

Outside ``explorer.widgets`` on purpose: the main window's status bar uses it, and that package imports pyqtgraph
(~0.5 s), which must not happen before the window's first paint.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget


class ReadoutLabel(QLabel):
    """A one-line label sized once for its widest expected text (``template``).

    A QLabel whose size hint changes with its text asks its parent layout to be redone on every new number; the
    layout pass then repaints the whole area it manages (a drag on the Attention Layer page repainted the tab bar,
    the table's frame and the charts' captions 21 times out of 21 for a label of 220 × 22 pixels). With a fixed size
    a new text repaints the label alone. The size follows font changes (presentation mode, themes).
    """

    def __init__(self, template: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._template = template
        self._fit()

    def _fit(self) -> None:
        """The size of the template shown in this label's font and format (rich text measured as rich text)."""
        probe = QLabel(self._template)
        probe.setFont(self.font())
        probe.setTextFormat(self.textFormat())
        probe.setMargin(self.margin())
        probe.setIndent(self.indent())
        probe.setContentsMargins(self.contentsMargins())
        hint = probe.sizeHint()
        self.setFixedSize(hint.width() + 8, hint.height() + 4)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()
