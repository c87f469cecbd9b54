"""Checkpoint families: which known model a state dict is, and how to turn it into the core's canonical layout.

Each family is detected by sentinel keys (as timm's ``checkpoint_filter_fn`` does) and has one pure function
``to_canonical(state_dict, config) -> (canonical config, canonical state dict)`` that asserts shapes key by key.
Modules that define families register them here; :func:`recognise` imports the known modules first, so a caller
(the CLI's ``inspect``, the pages) needs only this module.

    family = recognise(checkpoint.tensors, checkpoint.config)          # or kind="text" / "vision"
    config, weights = family.to_canonical(checkpoint.tensors, checkpoint.config)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch

from core.checkpoints import CheckpointError

# Modules whose import registers families. Later work (vision checkpoints) appends its module here.
FAMILY_MODULES: list[str] = ["core.text_models"]


@dataclass(frozen=True)
class Family:
    name: str  # "bert", "gpt2", …
    kind: str  # what it reads: "text" or "vision"
    title: str  # for messages: "BERT-style encoder"
    model_types: tuple[str, ...]  # config.json "model_type" values it reads
    sentinels: tuple[str, ...]  # key suffixes that identify the layout (all must be present, under one prefix)
    to_canonical: Callable[[Mapping[str, torch.Tensor], Mapping[str, object] | None], tuple[object, dict[str, torch.Tensor]]]

    def prefix(self, tensors: Mapping[str, torch.Tensor]) -> str | None:
        """The prefix under which every sentinel key is found ("" or e.g. "bert."), else None."""
        first = self.sentinels[0]
        for name in tensors:
            if name.endswith(first):
                prefix = name[: len(name) - len(first)]
                if all(prefix + s in tensors for s in self.sentinels[1:]):
                    return prefix
        return None


FAMILIES: list[Family] = []


def register(family: Family) -> Family:
    if all(f.name != family.name for f in FAMILIES):
        FAMILIES.append(family)
    return family


def _load_modules() -> None:
    for module in FAMILY_MODULES:
        importlib.import_module(module)


def known_model_types(kind: str | None = None) -> list[str]:
    _load_modules()
    return [t for f in FAMILIES if kind in (None, f.kind) for t in f.model_types]


def recognise(tensors: Mapping[str, torch.Tensor], config: Mapping[str, object] | None = None, *, kind: str | None = None) -> Family:
    """The family whose sentinel keys ``tensors`` hold; a :class:`CheckpointError` naming what was not recognised.

    ``config`` (config.json) is cross-checked: a model type no family reads is refused even when the keys look
    familiar (RoBERTa has BERT's key names but shifted positions; reading it as BERT would give wrong maps).
    ``kind`` restricts the answer ("text" for the Text page).
    """
    _load_modules()
    model_type = str(config.get("model_type")) if config and config.get("model_type") is not None else None
    matches = [f for f in FAMILIES if f.prefix(tensors) is not None]
    known = ", ".join(known_model_types(kind))
    if not matches:
        if model_type is not None:
            raise CheckpointError(f"model type {model_type!r} is not supported here (known: {known})")
        sample = ", ".join(list(tensors)[:3]) + (" …" if len(tensors) > 3 else "")
        raise CheckpointError(f"no known model layout in these weights (known: {known}); its first keys are {sample}")
    family = matches[0]
    if model_type is not None and model_type not in family.model_types:
        raise CheckpointError(
            f"model type {model_type!r} is not supported (config.json says so, though the weights look like a {family.title}; known: {known})"
        )
    if kind is not None and family.kind != kind:
        raise CheckpointError(f"this is a {family.title} ({family.kind} model), not a {kind} model")
    return family
