"""Checkpoint families: which known model a state dict is, and how to turn it into the core's canonical layout.

This module is the one place that answers "what is this checkpoint?" for the pages and the CLI's ``inspect``,
text and vision alike:

    recognition = recognise_checkpoint(open_checkpoint(path), overrides={"heads": 4})
    recognition.family, recognition.kind, recognition.config, recognition.params, recognition.guessed

Each family is detected by sentinel keys (as timm's ``checkpoint_filter_fn`` does) and converted by one pure
function that asserts shapes key by key, either

- ``to_canonical(state_dict, config_json) -> (canonical config, canonical state dict)`` — families whose
  config.json says everything (BERT, GPT-2: :mod:`core.text_models`), or
- ``convert(state_dict, meta, overrides) -> Recognition`` — families that infer their config from the shapes and
  may have to guess part of it (a ViT's head count: :mod:`core.vit_families`); ``meta`` is
  ``{"config": config.json, "metadata": the file's metadata}`` and ``overrides`` replaces inferred fields.

Modules that define families register them here; :func:`recognise` imports the known modules first, so a caller
needs only this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch

from core.checkpoints import Checkpoint, CheckpointError

# Modules whose import registers families.
FAMILY_MODULES: list[str] = ["core.text_models", "core.vit_families"]


class UnrecognisedError(CheckpointError):
    """The tensors are not a layout this app knows (or lack a tensor their layout needs); the message says what
    was looked for, and when no layout matched, ``looked_for`` lists (family title, its sentinel keys) and
    ``first_keys`` a few of the file's own, so a page can lay them out."""

    def __init__(self, message: str, *, looked_for: tuple[tuple[str, str], ...] = (), first_keys: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.looked_for = looked_for
        self.first_keys = first_keys


@dataclass(frozen=True)
class Recognition:
    """A checkpoint converted to the core's canonical layout, with what had to be inferred."""

    family: str  # the family's name: "timm", "hf-vit", "bert", …
    config: object  # the family's config dataclass (core.vit.ViTConfig, core.text_models.TextConfig)
    params: dict[str, torch.Tensor]  # canonical names (core.vit.param_shapes, core.text_models' docstring)
    guessed: tuple[str, ...] = ()  # config fields not read from the file, each "field: why"
    notes: tuple[str, ...] = ()
    class_names: list[str] | None = None

    @property
    def kind(self) -> str:
        return get(self.family).kind

    @property
    def title(self) -> str:
        return get(self.family).title

    @property
    def guessed_fields(self) -> tuple[str, ...]:
        return tuple(g.split(":", 1)[0] for g in self.guessed)


@dataclass(frozen=True)
class Family:
    name: str  # "bert", "gpt2", "timm", …
    kind: str  # what it reads: "text" or "vision"
    title: str  # for messages: "BERT-style encoder"
    model_types: tuple[str, ...]  # config.json "model_type" values it reads
    sentinels: tuple[str, ...]  # key suffixes that identify the layout (all must be present, under one prefix)
    to_canonical: Callable[[Mapping[str, torch.Tensor], Mapping[str, object] | None], tuple[object, dict[str, torch.Tensor]]] | None = None
    convert: Callable[[Mapping[str, torch.Tensor], Mapping[str, Mapping], Mapping[str, object]], Recognition] | None = None

    def __post_init__(self) -> None:
        if (self.to_canonical is None) == (self.convert is None):
            raise ValueError(f"family {self.name!r} needs exactly one of to_canonical and convert")

    def prefix(self, tensors: Mapping[str, torch.Tensor]) -> str | None:
        """The prefix under which every sentinel key is found ("" or e.g. "bert."), else None."""
        first = self.sentinels[0]
        for name in tensors:
            if name.endswith(first):
                prefix = name[: len(name) - len(first)]
                if all(prefix + s in tensors for s in self.sentinels[1:]):
                    return prefix
        return None

    def canonical(
        self,
        tensors: Mapping[str, torch.Tensor],
        config: Mapping[str, object] | None = None,
        *,
        metadata: Mapping[str, str] | None = None,
        overrides: Mapping[str, object] | None = None,
    ) -> Recognition:
        """Convert ``tensors`` (this family's layout) to the canonical one; ``overrides`` replace inferred config
        fields (families that infer their config only)."""
        if self.convert is None:
            if overrides:
                raise CheckpointError(
                    f"a {self.title} takes its config from config.json; overrides ({', '.join(overrides)}) apply to checkpoints whose config is inferred"
                )
            canonical_config, params = self.to_canonical(tensors, config)
            return Recognition(self.name, canonical_config, params)
        meta = {"config": dict(config or {}), "metadata": dict(metadata or {})}
        try:
            return self.convert(tensors, meta, dict(overrides or {}))
        except KeyError as exc:
            raise UnrecognisedError(f"{self.name} layout, but the tensor {exc.args[0]!r} is missing") from None
        except RuntimeError as exc:  # tensors that cannot be joined (torch.cat, LayerScale folding): shapes disagree
            raise UnrecognisedError(f"{self.name} layout, but its tensors do not fit together: {str(exc).splitlines()[0]}") from None


FAMILIES: list[Family] = []


def register(family: Family) -> Family:
    if all(f.name != family.name for f in FAMILIES):
        FAMILIES.append(family)
    return family


def _load_modules() -> None:
    for module in FAMILY_MODULES:
        importlib.import_module(module)


def get(name: str) -> Family:
    _load_modules()
    for family in FAMILIES:
        if family.name == name:
            return family
    raise KeyError(f"unknown family {name!r}")


def known_model_types(kind: str | None = None) -> list[str]:
    _load_modules()
    return list(dict.fromkeys(t for f in FAMILIES if kind in (None, f.kind) for t in f.model_types))


def recognise(tensors: Mapping[str, torch.Tensor], config: Mapping[str, object] | None = None, *, kind: str | None = None) -> Family:
    """The family whose sentinel keys ``tensors`` hold; an :class:`UnrecognisedError` naming what was looked for.

    ``config`` (config.json) is cross-checked: a model type no family reads is refused even when the keys look
    familiar (RoBERTa has BERT's key names but shifted positions; reading it as BERT would give wrong maps).
    Where several families match, the one reading the config's model type wins. ``kind`` restricts the answer
    ("text" for the Text page, "vision" for ViTs).
    """
    _load_modules()
    model_type = str(config.get("model_type")) if config and config.get("model_type") is not None else None
    matches = [f for f in FAMILIES if f.prefix(tensors) is not None]
    known = ", ".join(known_model_types(kind))
    if not matches:
        if model_type is not None:
            raise UnrecognisedError(f"model type {model_type!r} is not supported here (known: {known})")
        candidates = [f for f in FAMILIES if kind in (None, f.kind)]
        looked_for = "; ".join(f"{f.name}: {' + '.join(f.sentinels)}" for f in candidates)
        first_keys = tuple(list(tensors)[:3])
        sample = ", ".join(first_keys) + (" …" if len(tensors) > 3 else "")
        raise UnrecognisedError(
            f"no known model layout in these weights (looked for {looked_for}); its first keys are {sample}",
            looked_for=tuple((f.title, " + ".join(f.sentinels)) for f in candidates),
            first_keys=first_keys,
        )
    family = next((f for f in matches if model_type in f.model_types), matches[0])
    if model_type is not None and model_type not in family.model_types:
        raise UnrecognisedError(
            f"model type {model_type!r} is not supported (config.json says so, though the weights look like a {family.title}; known: {known})"
        )
    if kind is not None and family.kind != kind:
        raise UnrecognisedError(f"this is a {family.title} ({family.kind} model), not a {kind} model")
    return family


def recognise_checkpoint(checkpoint: Checkpoint, *, overrides: Mapping[str, object] | None = None, kind: str | None = None) -> Recognition:
    """What an opened checkpoint is, converted to the canonical layout (the pages' and ``inspect``'s one call)."""
    family = recognise(checkpoint.tensors, checkpoint.config, kind=kind)
    return family.canonical(checkpoint.tensors, checkpoint.config, metadata=checkpoint.metadata, overrides=overrides)
