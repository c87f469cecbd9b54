"""Edit → Settings: where the core computes, the theme and the colormaps."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel

from explorer import runtime
from explorer.appearance import DIVERGING_MAPS, SEQUENTIAL_MAPS, THEMES, appearance


class SettingsDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        from core import device

        self.device_combo = QComboBox()
        for name in device.available():
            self.device_combo.addItem(device.describe(device.resolve(name)), name)
        self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(runtime.core_device().split(":")[0])))
        self.theme = QComboBox()
        for name in THEMES:
            self.theme.addItem(name.capitalize(), name)
        self.theme.setCurrentIndex(self.theme.findData(appearance().theme))
        self.sequential = QComboBox()
        for name, label in SEQUENTIAL_MAPS.items():
            self.sequential.addItem(label, name)
        self.sequential.setCurrentIndex(self.sequential.findData(appearance().sequential))
        self.diverging = QComboBox()
        for name, label in DIVERGING_MAPS.items():
            self.diverging.addItem(label, name)
        self.diverging.setCurrentIndex(self.diverging.findData(appearance().diverging))
        from explorer import i18n

        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(i18n.chosen_language()))
        form = QFormLayout(self)
        form.addRow(self.tr("Compute on"), self.device_combo)
        form.addRow(QLabel(self.tr("The lesson pages' small tensors are fastest on the CPU; a GPU helps big checkpoints.")))
        form.addRow(self.tr("Language"), self.language)
        self.language_note = QLabel("")
        form.addRow(self.language_note)
        self.language.currentIndexChanged.connect(lambda: self.language_note.setText(self.tr("The new language applies the next time the app starts.")))
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Colormap for weights"), self.sequential)
        form.addRow(self.tr("Colormap for signed values"), self.diverging)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def device(self) -> str:
        return self.device_combo.currentData()

    def accept(self) -> None:
        from PySide6.QtCore import QSettings

        from explorer import i18n

        QSettings().setValue(i18n.SETTING, self.language.currentData())
        appearance().update(theme=self.theme.currentData(), sequential=self.sequential.currentData(), diverging=self.diverging.currentData())
        super().accept()
