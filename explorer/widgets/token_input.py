"""Where the user types a token sequence: text, words or characters, presets; validated before it reaches a
page's state (empty or too long → a message at the field, the last good sequence kept)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from core import tokens as token_core
from explorer.i18n import core_text
from explorer.widgets import style


class TokenInput(QWidget):
    """``sequenceEdited(text, mode, tokens)`` fires when the user commits a valid sequence (Enter, focus out,
    a preset or a mode change). ``validator``, if set, is a page's own check of the tokens (e.g. a model's
    vocabulary): it raises ValueError, whose message is shown at the field like any other."""

    sequenceEdited = Signal(str, str, list)

    def __init__(self, *, max_tokens: int = token_core.MAX_TOKENS, min_tokens: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_tokens, self.min_tokens = max_tokens, min_tokens
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("type a sentence, then Enter"))
        self.text.editingFinished.connect(self._commit)
        self.mode = QComboBox()
        self.mode.addItem(self.tr("words"), "words")
        self.mode.addItem(self.tr("characters"), "chars")
        self.mode.currentIndexChanged.connect(self._commit)
        self.presets = QComboBox()
        self.presets.addItem(self.tr("Presets…"), None)
        for label, text in token_core.PRESETS.items():
            self.presets.addItem(core_text(label), text)
        self.presets.activated.connect(self._on_preset)
        self.error = QLabel("")
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Tokens:")))
        row.addWidget(self.text, 1)
        row.addWidget(self.mode)
        row.addWidget(self.presets)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self._committed = ("", "words")
        self.validator: Callable[[list[str]], None] | None = None

    def set_sequence(self, text: str, mode: str) -> None:
        """Show the state's sequence (no signal)."""
        for widget in (self.text, self.mode):
            widget.blockSignals(True)
        if self.text.text() != text:  # re-setting the same text re-lays-out a long sequence for nothing
            self.text.setText(text)
        self.mode.setCurrentIndex(max(0, self.mode.findData(mode)))
        for widget in (self.text, self.mode):
            widget.blockSignals(False)
        self._committed = (text, mode)
        self._show_error("")

    def show_error(self, message: str) -> None:
        """Show a message at the field (empty clears it), e.g. about a sequence the page adjusted."""
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        wanted = style.FIELD_ERROR_STYLE if message else ""
        if self.text.styleSheet() != wanted:  # re-styling repaints (and re-polishes) the field: only when it changes
            self.text.setStyleSheet(wanted)

    def _on_preset(self, index: int) -> None:
        text = self.presets.itemData(index)
        if text:
            self.text.setText(text)
            if text == "hello world":
                self.mode.blockSignals(True)
                self.mode.setCurrentIndex(self.mode.findData("chars"))
                self.mode.blockSignals(False)
            self._commit()
        self.presets.setCurrentIndex(0)

    def _commit(self) -> None:
        text, mode = self.text.text(), self.mode.currentData()
        if (text, mode) == self._committed and not self.error.isVisible():
            return
        tokens = token_core.tokenize(text, mode)
        try:
            token_core.validate(tokens, max_tokens=self.max_tokens, min_tokens=self.min_tokens)
            if self.validator is not None:
                self.validator(tokens)
        except ValueError as exc:
            self._show_error(self.tr("{0} — keeping the previous sequence.").format(exc))
            return
        self._show_error("")
        self._committed = (text, mode)
        self.sequenceEdited.emit(text, mode, tokens)
