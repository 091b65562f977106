"""Every figure can be found in the paragraph its locator names.

Runs when LSTUI_ARCHIVE names the folders holding the archived article texts (several joined
with the path separator, as in PATH), matched to sources by SHA-256; skipped otherwise, since the
articles themselves are not redistributed. The same check as `lstui check --archive`.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from lstui.core.archive import check_archive, cited_numbers, paragraphs, read_folders

ARCHIVE = [Path(p) for p in os.environ.get("LSTUI_ARCHIVE", "").split(os.pathsep) if p]
pytestmark = pytest.mark.skipif(not ARCHIVE, reason="set LSTUI_ARCHIVE to the folder of archived source texts")


def test_every_figure_appears_in_its_paragraph(shipped_yaml):
    report = check_archive(shipped_yaml, ARCHIVE)
    assert not report.problems, "\n".join(map(str, report.problems))
    assert report.figures > 0


def test_policy_and_event_citations_exist(shipped_db):
    by_hash = read_folders(ARCHIVE)
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        texts = {sid: paragraphs(by_hash[sha]) for sid, sha in
                 con.execute("SELECT id, archive_sha256 FROM sources").fetchall()}
        rows = con.execute("SELECT record_id, source_id, locator FROM citations").fetchall()
    for record_id, source_id, locator in rows:
        numbers = cited_numbers(locator)
        assert numbers and all(1 <= n <= len(texts[source_id]) for n in numbers), record_id
        assert " ".join(texts[source_id][n - 1] for n in numbers).strip(), record_id
