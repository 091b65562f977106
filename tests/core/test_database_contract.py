"""The public views keep their names and columns: scripts depend on them."""

from __future__ import annotations

import duckdb
import pytest

CONTRACT = {
    "jurisdictions": ["id", "name_en", "name_zh", "pinyin", "level", "parent_id", "province_en"],
    "sources": ["id", "publisher", "title", "published_on", "url", "language"],
    "facts": ["fact_id", "jurisdiction_id", "jurisdiction_en", "jurisdiction_zh", "kind", "metric", "value",
              "unit", "comparator", "period", "source_id", "locator", "note", "increment", "span", "value_high",
              "deadline_wording"],
    "conflicts": ["conflict_id", "fact_ids", "aspects", "summary"],
    "incentive_rules": ["incentive_id", "tier_no", "jurisdiction_id", "recipients", "amount", "currency",
                        "amount_type", "conditions", "covers_subdivisions", "quantified", "share", "share_of", "per",
                        "years", "level", "steps"],
    "metrics": ["id", "label", "unit", "definition"],
    "policies": ["id", "jurisdiction_id", "name_en", "issued", "period_start", "period_end", "source_id", "doc_number",
                 "effective", "expires", "draft", "follows_id", "follows_inferred_from"],
    "source_comparisons": ["source_id", "other_source_id", "link", "jurisdiction_id", "metric", "fact_id", "value",
                           "other_fact_id", "other_value", "agrees"],
    "citations": ["record_id", "source_id", "locator"],
    "exchange_rates": ["id", "cny_per_usd", "source_id"],
    "build_info": ["yaml_sha256", "built_at"],
}


@pytest.fixture(scope="module")
def con(shipped_db):
    con = duckdb.connect(str(shipped_db), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("view", sorted(CONTRACT))
def test_view_has_its_columns(con, view):
    columns = [d[0] for d in con.execute(f"SELECT * FROM {view} LIMIT 0").description]
    missing = [c for c in CONTRACT[view] if c not in columns]
    assert not missing, f"{view} lacks {missing}"
    assert con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] > 0


def test_views_are_views_in_the_main_schema(con):
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal").fetchall()}
    assert set(CONTRACT) <= views


def test_fact_enums_are_from_the_documented_sets(con):
    kinds = {r[0] for r in con.execute("SELECT DISTINCT kind FROM facts").fetchall()}
    assert kinds == {"target", "incentive", "statistic", "event"}
    comparators = {r[0] for r in con.execute("SELECT DISTINCT comparator FROM facts WHERE comparator IS NOT NULL").fetchall()}
    assert comparators <= {"exactly", "more_than", "at_least", "up_to", "about"}


def test_each_incentive_tier_is_its_own_fact(con):
    rows = con.execute("SELECT fact_id, value FROM facts WHERE record_id = 'huadu-house-allowance' ORDER BY tier_no").fetchall()
    assert rows == [("huadu-house-allowance#1", 100_000), ("huadu-house-allowance#2", 300_000),
                    ("huadu-house-allowance#3", 500_000)]


def test_values_are_in_base_units(con):
    assert con.execute("SELECT value FROM facts WHERE fact_id = 'hangzhou-sales-2021-10m'").fetchone()[0] == 503e9
    assert con.execute("SELECT value FROM facts WHERE fact_id = 'china-retail-sales-growth-2022-12'").fetchone()[0] == -1.8


def test_build_records_the_yaml_hash(con, shipped_yaml):
    from lstui.core.freshness import file_sha256

    assert con.execute("SELECT yaml_sha256 FROM build_info").fetchone()[0] == file_sha256(shipped_yaml)


def test_file_is_readable_by_duckdb_1_0_and_later(shipped_db):
    """The storage format is the v1.0 one, and public views use no syntax newer readers alone know."""
    import struct

    header = shipped_db.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] == 64  # storage version of DuckDB 1.0
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        sql = " ".join(s for (s,) in con.execute(
            "SELECT sql FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal").fetchall())
    assert "lambda" not in sql and "->" not in sql


def _list_aggregates(sql: str) -> list[str]:
    """The text of every list(...) aggregate call in `sql`, parentheses balanced."""
    import re

    calls = []
    for match in re.finditer(r"(?<![\w.])list\(", sql):
        depth, i = 1, match.end()
        while depth and i < len(sql):
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            i += 1
        calls.append(sql[match.start():i])
    return calls


def test_every_list_the_build_makes_has_an_order():
    """Lists built without ORDER BY come out in whatever order DuckDB's threads finish: the same
    database would then differ from build to build (and so would the app's screens)."""
    from lstui.core.freshness import CORE_DIR, SQL_FILES

    unordered = [call for name in SQL_FILES for call in _list_aggregates((CORE_DIR / name).read_text())
                 if "ORDER BY" not in call.upper()]
    assert not unordered, unordered
