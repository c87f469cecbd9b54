"""Keep the Chinese catalogue in step with the code.

    python tools/translations.py          extract every marked string (pyside6-lupdate), fill the .ts from
                                          explorer/translations/zh_CN.json, compile the .qm, list what is missing
    python tools/translations.py --check  exit 1 if a marked string has no translation, a translation loses a
                                          {placeholder}, or zh_CN.json is not sorted (the test suite runs it)

zh_CN.json maps an English source string to its Chinese translation ("context|source" keys override one context).
It is kept sorted by key (the plain run rewrites it so): branches that add entries then rarely touch the same lines.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[1]
FOLDER = ROOT / "explorer" / "translations"
TS = FOLDER / "attention_explorer_zh_CN.ts"
TABLE = FOLDER / "zh_CN.json"
BIN = pathlib.Path(sys.executable).parent


PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def load_table() -> dict[str, str]:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def save_table(table: dict[str, str]) -> None:
    TABLE.write_text(json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def table_problems(table: dict[str, str]) -> list[str]:
    """What is wrong with the table itself: the order, and translations that drop or invent a {placeholder}."""
    problems = []
    if list(table) != sorted(table):
        problems.append("zh_CN.json is not sorted by key: run `python tools/translations.py` to sort it")
    for key, text in table.items():
        sources = [key] + ([key.split("|", 1)[1]] if "|" in key else [])  # "context|source", or a source with a |
        if all(sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)) for source in sources):
            problems.append(f"placeholders differ in the translation of {key!r}")
    return problems


def extract(ts: pathlib.Path) -> None:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "explorer").rglob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)], check=True, cwd=ROOT, capture_output=True)


def fill(ts: pathlib.Path) -> list[tuple[str, str]]:
    table = load_table()
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
        save_table(load_table())
        extract(TS)
        missing = fill(TS)
        compile_catalogue()
    for context, source in missing:
        print(f"untranslated [{context}] {source!r}")
    problems = table_problems(load_table())
    for problem in problems:
        print(problem)
    return 1 if (args.check and (missing or problems)) else 0


if __name__ == "__main__":
    raise SystemExit(main())
