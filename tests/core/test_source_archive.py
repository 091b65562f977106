"""Every figure can be found in the paragraph its locator names.

Runs when LSTUI_ARCHIVE names the folders holding the archived article texts (several joined
with the path separator, as in PATH), matched to sources by SHA-256; skipped otherwise, since the
articles themselves are not redistributed. The same check as `lstui check --archive`.
"""

from __future__ import annotations

import os
import re
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


def _runs(text: str, n: int = 12) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_no_note_repeats_a_run_of_twelve_words_from_an_archived_text(shipped_db):
    """Notes are in our own words: none shares twelve words in a row with any archived text."""
    archived: set = set()
    for path in read_folders(ARCHIVE).values():
        archived |= _runs(path.read_text(encoding="utf-8"))
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        notes = con.execute(
            "SELECT 'source ' || id, note FROM sources UNION ALL SELECT 'source ' || id, date_note FROM sources "
            "UNION ALL SELECT fact_id, note FROM facts UNION ALL SELECT id, note FROM policies "
            "UNION ALL SELECT conflict_id, summary FROM conflicts").fetchall()
    copied = [(what, " ".join(next(iter(_runs(note or "") & archived)))) for what, note in notes
              if _runs(note or "") & archived]
    assert not copied, copied
