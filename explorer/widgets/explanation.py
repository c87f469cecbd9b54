"""The explanation panel at the top of every page: what the page shows, in the lecture's terms, with its formula.
It folds away (the choice is remembered per page) to give the views more room."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget


class ExplanationPanel(QFrame):
    def __init__(self, page_id: str, title: str, body: str, formula: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page_id = page_id
        self.setObjectName("explanation")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{title}</b>")
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self.set_folded)
        self.body = QLabel(body + (f"<br><span style='font-family: serif; font-size: 110%'>{formula}</span>" if formula else ""))
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.body)
        folded = QSettings().value(f"explanation/{page_id}/folded", False, type=bool)
        self.toggle.setChecked(folded)
        self.set_folded(folded)

    def set_folded(self, folded: bool) -> None:
        self.body.setVisible(not folded)
        self.toggle.setText(self.tr("Explain") if folded else self.tr("Hide"))
        self.toggle.setToolTip(self.tr("Show or hide the explanation"))
        QSettings().setValue(f"explanation/{self.page_id}/folded", folded)
