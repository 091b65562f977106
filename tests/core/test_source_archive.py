"""Every figure can be found in the paragraph its locator names.

Runs when LSTUI_ARCHIVE points at a folder holding the archived article texts (matched to
sources by SHA-256); skipped otherwise, since the articles themselves are not redistributed.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import duckdb
import pytest

ARCHIVE = os.environ.get("LSTUI_ARCHIVE")
pytestmark = pytest.mark.skipif(not ARCHIVE, reason="set LSTUI_ARCHIVE to the folder of archived source texts")

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "eleven": 11, "fifty": 50,
         "hundred": 100, "first": 1, "quadrupled": 4, "half a million": 500_000}
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:-|\s)?(thousand|million|billion|trillion)\b)?", re.I)


def figures_in(text: str) -> set[float]:
    found: set[float] = set()
    for digits, scale in NUMBER.findall(text):
        value = float(digits.replace(",", ""))
        found.add(value)
        if scale:
            found.add(value * SCALES[scale.lower()])
    lowered = text.lower()
    for word, value in WORDS.items():
        if re.search(rf"\b{word}\b", lowered):
            found.add(float(value))
        for scale, factor in SCALES.items():
            if re.search(rf"\b{word} {scale}\b", lowered):
                found.add(float(value) * factor)
    return found


def paragraphs(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def archive(shipped_db) -> dict[str, list[str]]:
    by_hash = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in Path(ARCHIVE).iterdir() if p.is_file()}
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        sources = con.execute("SELECT id, archive_sha256, paragraphs FROM sources").fetchall()
    texts = {}
    for source_id, sha, count in sources:
        assert sha in by_hash, f"no archived text for {source_id}"
        texts[source_id] = paragraphs(by_hash[sha])
        assert len(texts[source_id]) == count, f"{source_id}: paragraph count differs from the archive"
    return texts


def cited(texts, source_id: str, locator: str) -> str:
    numbers = [int(n) for n in re.findall(r"\d+", locator)]
    if "-" in locator:
        numbers = list(range(numbers[0], numbers[-1] + 1))
    return " ".join(texts[source_id][n - 1] for n in numbers)


def test_every_figure_appears_in_its_paragraph(shipped_db, archive):
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        figures = con.execute(
            "SELECT fact_id, value, source_id, locator FROM facts WHERE value IS NOT NULL "
            "UNION ALL SELECT fact_id, converted_value, source_id, locator FROM facts WHERE converted_value IS NOT NULL "
            "UNION ALL SELECT c.fact_id || ' condition ' || c.field, c.value, r.source_id, r.locator "
            "  FROM incentive_conditions c JOIN incentive_rules r USING (fact_id) WHERE c.value IS NOT NULL "
            "UNION ALL SELECT id, cny, source_id, locator FROM exchange_rates "
            "UNION ALL SELECT id, usd, source_id, locator FROM exchange_rates").fetchall()
    missing = []
    for fact_id, value, source_id, locator in figures:
        if abs(value) not in figures_in(cited(archive, source_id, locator)):
            missing.append(f"{fact_id}: {value:g} not in {source_id} {locator}")
    assert not missing, "\n".join(missing)


def test_policy_and_event_citations_exist(shipped_db, archive):
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        rows = con.execute("SELECT record_id, source_id, locator FROM citations").fetchall()
    for record_id, source_id, locator in rows:
        assert cited(archive, source_id, locator).strip(), record_id
