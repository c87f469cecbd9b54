"""Keep the Chinese catalogue in step with the code.

    python tools/translations.py          extract every marked string (pyside6-lupdate), fill the .ts from
                                          explorer/translations/zh_CN.json, compile the .qm, list what is missing
    python tools/translations.py --check  exit 1 if a marked string has no translation (the test suite runs it)

zh_CN.json maps an English source string to its Chinese translation ("context|source" keys override one context).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[1]
FOLDER = ROOT / "explorer" / "translations"
TS = FOLDER / "attention_explorer_zh_CN.ts"
TABLE = FOLDER / "zh_CN.json"
BIN = pathlib.Path(sys.executable).parent


def extract(ts: pathlib.Path) -> None:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "explorer").rglob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)], check=True, cwd=ROOT, capture_output=True)


def fill(ts: pathlib.Path) -> list[tuple[str, str]]:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    tree = ET.parse(ts)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            text = table.get(f"{name}|{source}", table.get(source))
            if text:
                translation.text = text
                translation.attrib.pop("type", None)
            else:
                translation.text = None
                translation.set("type", "unfinished")
                missing.append((name, source))
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return missing


def compile_catalogue() -> None:
    subprocess.run([str(BIN / "pyside6-lrelease"), "-silent", str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:  # work on a copy: checking never rewrites the catalogue in the tree
        import tempfile

        ts = pathlib.Path(tempfile.mkdtemp()) / TS.name
        extract(ts)
        missing = fill(ts)
    else:
        extract(TS)
        missing = fill(TS)
        compile_catalogue()
    for context, source in missing:
        print(f"untranslated [{context}] {source!r}")
    return 1 if (args.check and missing) else 0


if __name__ == "__main__":
    raise SystemExit(main())
