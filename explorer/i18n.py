"""The interface language: English (the source strings) or Simplified Chinese (the lecture notes' language).

Strings are marked with ``self.tr(...)`` in widgets and ``translate(context, ...)`` elsewhere; the project's
``explorer/translations/*.ts`` files are compiled to ``.qm`` by ``pyside6-lrelease`` (``make`` does it; the
app also builds a missing or stale one when it can). Qt's own dialogs are translated by Qt's catalogues.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SETTING = "ui/language"
FOLDER = pathlib.Path(__file__).resolve().parent / "translations"

_installed: list[QTranslator] = []


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def chosen_language() -> str:
    value = QSettings().value(SETTING)
    if value in LANGUAGES:
        return str(value)
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def compiled_catalogue(language: str) -> pathlib.Path | None:
    """The .qm file for ``language``, compiled from its .ts when missing or older (if lrelease is at hand)."""
    source = FOLDER / f"attention_explorer_{language}.ts"
    target = source.with_suffix(".qm")
    if not source.exists():
        return None
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        lrelease = shutil.which("pyside6-lrelease") or str(pathlib.Path(sys.executable).with_name("pyside6-lrelease"))
        try:
            subprocess.run([lrelease, "-silent", str(source), "-qm", str(target)], check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return target if target.exists() else None
    return target


def install(app, language: str | None = None) -> str:
    """Load the catalogues of ``language`` (default: the setting, else the system's) into ``app``."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = language or chosen_language()
    if language == "en":
        return language
    catalogue = compiled_catalogue(language)
    if catalogue is not None:
        translator = QTranslator(app)
        if translator.load(str(catalogue)):
            app.installTranslator(translator)
            _installed.append(translator)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return language


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Mark ``text`` for the catalogue where it is defined (a module-level table); translate it where it is shown."""
    return text


# Labels that come from core/ (which has no Qt): marked here so the catalogue holds them, shown via core_text().
CORE_TEXTS = (
    # core.transformer.STAGE_LABELS
    QT_TRANSLATE_NOOP("core", "input x"),
    QT_TRANSLATE_NOOP("core", "self-attention"),
    QT_TRANSLATE_NOOP("core", "+ residual"),
    QT_TRANSLATE_NOOP("core", "LayerNorm"),
    QT_TRANSLATE_NOOP("core", "MLP"),
    # core.sequence_models.WAYS
    QT_TRANSLATE_NOOP("core", "RNN"),
    QT_TRANSLATE_NOOP("core", "1-D convolution"),
    QT_TRANSLATE_NOOP("core", "self-attention (fused kernel)"),
    # core.similarity.REGISTRY labels
    QT_TRANSLATE_NOOP("core", "Dot product"),
    QT_TRANSLATE_NOOP("core", "Scaled dot product"),
    QT_TRANSLATE_NOOP("core", "General (bilinear)"),
    QT_TRANSLATE_NOOP("core", "Additive (Bahdanau MLP)"),
    QT_TRANSLATE_NOOP("core", "Cosine / temperature"),
    # core.tokens.PRESETS names
    QT_TRANSLATE_NOOP("core", "The cat sat on the mat"),
    QT_TRANSLATE_NOOP("core", "Attention is all you need"),
    QT_TRANSLATE_NOOP("core", "Thinking machines"),
    QT_TRANSLATE_NOOP("core", "Characters: hello world"),
    # core.seq2seq.TASKS labels
    QT_TRANSLATE_NOOP("core", "Reverse"),
    QT_TRANSLATE_NOOP("core", "Copy"),
    QT_TRANSLATE_NOOP("core", "Sort"),
    QT_TRANSLATE_NOOP("core", "Date normalisation"),
    # core.tokens.EMBEDDING_SOURCES
    QT_TRANSLATE_NOOP("core", "seeded random"),
)


def core_text(text: str) -> str:
    """A label from core/ in the interface language (unchanged when the catalogue lacks it)."""
    return QCoreApplication.translate("core", text)
