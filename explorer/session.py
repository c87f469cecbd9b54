"""Session files: every page's state as JSON (with a schema version), saved on request and autosaved on change.

Page states are frozen dataclasses of plain values, so one codec serves every page: dataclasses become objects,
tuples and frozensets become lists, and :func:`decode` rebuilds them from the dataclass's type hints.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import tempfile
import types
import typing
from typing import Any

SCHEMA_VERSION = 1


class SessionError(ValueError):
    pass


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: encode(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, frozenset):
        return sorted((encode(v) for v in value), key=repr)
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise SessionError(f"cannot save a value of type {type(value).__name__}")


def _freeze(value: Any) -> Any:
    """Lists of unknown type become tuples (hashable, as frozen states need)."""
    return tuple(_freeze(v) for v in value) if isinstance(value, list) else value


def decode(annotation: Any, value: Any) -> Any:
    """Rebuild ``value`` as ``annotation`` (a dataclass, tuple[...], frozenset[...], Optional, a primitive)."""
    if dataclasses.is_dataclass(annotation):
        if not isinstance(value, dict):
            raise SessionError(f"expected an object for {annotation.__name__}")
        hints = typing.get_type_hints(annotation)
        known = {f.name for f in dataclasses.fields(annotation) if f.init}
        return annotation(**{name: decode(hints[name], v) for name, v in value.items() if name in known})
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        for option in args:
            if option is type(None):
                continue
            try:
                return decode(option, value)
            except (SessionError, TypeError, ValueError):
                continue
        raise SessionError(f"{value!r} fits none of {annotation}")
    if annotation is frozenset or origin is frozenset:
        inner = args[0] if args else None
        return frozenset(decode(inner, v) if inner else _freeze(v) for v in value)
    if annotation is tuple or origin is tuple:
        if not isinstance(value, list):
            raise SessionError(f"expected a list, got {value!r}")
        if not args:
            return _freeze(value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in value)
        return tuple(decode(a, v) for a, v in zip(args, value))
    if origin is dict or annotation is dict:
        return dict(value)
    if annotation is float:
        return float(value)
    if annotation in (int, str, bool):
        if not isinstance(value, annotation) or (annotation is int and isinstance(value, bool)):
            raise SessionError(f"expected {annotation.__name__}, got {value!r}")
        return value
    return _freeze(value)


def write_atomically(path: pathlib.Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it over: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise


def session_document(page_states: dict[str, Any], current_page: str | None, extra: dict | None = None) -> dict:
    return {"schema": SCHEMA_VERSION, "app": "attention-explorer", "current_page": current_page, "pages": {k: encode(v) for k, v in page_states.items()}, **(extra or {})}


def read_document(path: str | pathlib.Path) -> dict:
    try:
        document = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SessionError(f"{pathlib.Path(path).name} is not a readable session file: {exc}") from exc
    if not isinstance(document, dict) or document.get("app") != "attention-explorer":
        raise SessionError(f"{pathlib.Path(path).name} is not an Attention Explorer session")
    if document.get("schema", 0) > SCHEMA_VERSION:
        raise SessionError(f"{pathlib.Path(path).name} was written by a newer version (schema {document['schema']})")
    return document
