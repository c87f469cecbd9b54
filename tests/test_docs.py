"""The project's documents point at files that exist: a moved result file or a renamed module breaks a link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _local_links(document: Path) -> list[str]:
    links = []
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor in the same page
        links.append(target.split("#", 1)[0])
    return links


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_local_link_of_a_document_names_a_file_that_exists(document):
    links = _local_links(document)
    missing = [link for link in links if not (document.parent / link).exists()]
    assert not missing, f"{document.name} links to missing files: {missing}"


def test_the_link_check_reads_links_relative_to_the_document(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "data.json").write_text("{}")
    page = tmp_path / "docs" / "page.md"
    page.write_text("[up](../data.json), [here](data.json), [web](https://example.org), [anchor](#figures)")
    assert _local_links(page) == ["../data.json", "data.json"]
    assert [(page.parent / link).exists() for link in _local_links(page)] == [True, False]
