"""The page registry: one entry per lesson of the notes, in the notes' order.

Entries name their class by import path so the navigation can be drawn before torch is imported; a page module
is imported only when the core is ready. A page that does not exist yet is simply not listed (no placeholders):
later work adds its ``PageSpec`` here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

# Every page id the app will ever have, in the order of the notes (used by the CLI and by later pages).
PAGE_IDS = ("seq2seq", "attention-layer", "self-attention", "masked", "multi-head", "transformer", "vit", "checkpoints", "text")


@dataclass(frozen=True)
class PageSpec:
    id: str
    lesson: str  # where it sits in the notes, e.g. "§2"
    title: str
    target: str  # "module:Class"

    def translated_title(self) -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("pages", self.title)

    def load(self):
        module_name, class_name = self.target.split(":")
        return getattr(importlib.import_module(module_name), class_name)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    return text


REGISTRY: tuple[PageSpec, ...] = (
    PageSpec("attention-layer", "§2", QT_TRANSLATE_NOOP("pages", "The attention layer"), "explorer.pages.attention_layer:AttentionLayerPage"),
    PageSpec("self-attention", "§3", QT_TRANSLATE_NOOP("pages", "Self-attention"), "explorer.pages.self_attention:SelfAttentionPage"),
    PageSpec("masked", "§4", QT_TRANSLATE_NOOP("pages", "Masked self-attention"), "explorer.pages.masked:MaskedPage"),
    PageSpec("multi-head", "§5", QT_TRANSLATE_NOOP("pages", "Multi-head attention"), "explorer.pages.multi_head:MultiHeadPage"),
    PageSpec("transformer", "§6", QT_TRANSLATE_NOOP("pages", "The Transformer"), "explorer.pages.transformer:TransformerPage"),
    PageSpec("vit", "§7", QT_TRANSLATE_NOOP("pages", "Vision Transformer"), "explorer.pages.vit:VitPage"),
    PageSpec("checkpoints", "", QT_TRANSLATE_NOOP("pages", "Checkpoints"), "explorer.pages.checkpoints:CheckpointsPage"),
    PageSpec("text", "", QT_TRANSLATE_NOOP("pages", "Text Transformers"), "explorer.pages.text:TextPage"),  # last: after checkpoints
)


def get(page_id: str) -> PageSpec:
    for spec in REGISTRY:
        if spec.id == page_id:
            return spec
    known = ", ".join(spec.id for spec in REGISTRY)
    raise KeyError(f"unknown page {page_id!r}; available: {known}")
