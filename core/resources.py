"""Where bundled data lives: the ``resources/`` folder beside ``core/`` (the source tree, which an editable
install runs from). ``ATTENTION_EXPLORER_RESOURCES`` points elsewhere (a packaged build, a test)."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "ATTENTION_EXPLORER_RESOURCES"


def root() -> Path:
    return Path(os.environ.get(ENV) or Path(__file__).resolve().parents[1] / "resources")


def path(*parts: str) -> Path:
    """The bundled file or folder ``resources/<parts…>``; FileNotFoundError saying what is missing and why."""
    target = root().joinpath(*parts)
    if not target.exists():
        raise FileNotFoundError(f"bundled resource {'/'.join(parts)} is missing (looked in {root()}); its folder's README.md says how it is made")
    return target
