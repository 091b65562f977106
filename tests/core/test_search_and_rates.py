"""What people type to find a place, and the exchange rate each amount goes with."""

from __future__ import annotations

import duckdb
import pytest

from lstui.core import queries
from lstui.core.build import build
from lstui.core.search import parse_query, search_key
from tests.conftest import MINIMAL


@pytest.mark.parametrize("typed, key", [("hua1du1", "huadu"), ("Huādū Qū", "huaduqu"), ("shen1 zhen4", "shenzhen"),
                                        ("lü3", "lu"), ("shenzhen2023", "shenzhen2023"), ("花都区", "花都区")])
def test_tone_numbers_are_dropped_like_tone_marks(typed, key):
    assert search_key(typed) == key


def test_level_words_are_read_apart_from_the_name():
    assert parse_query("huadu district") == ("huadu", (("district", ("district",)),))
    assert parse_query("区").key == "" and parse_query("区").level_words[0][1] == ("district",)
    assert parse_query("Cities").level_words[0][1] == ("city", "county_city", "municipality")
    assert parse_query("shenzhen") == ("shenzhen", ())


@pytest.fixture(scope="module")
def con(shipped_db):
    con = duckdb.connect(str(shipped_db), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("typed, levels, expected", [
    ("district", ("district",), {"huadu", "conghua", "jimo", "yuhang"}),
    ("villages", ("village",), {"beixiazhu"}),
    ("市", ("city", "county_city", "municipality"),
     {"beijing", "chongqing", "guangzhou", "shenzhen", "wuhan", "lianyungang", "suqian", "jinan", "qingdao",
      "shanghai", "hangzhou", "jinhua", "yiwu"}),
    ("guangdong province", None, {"guangdong"}),
])
def test_level_words_list_the_places_of_that_level(con, typed, levels, expected):
    """Every place of the level, and only those (`expected`: some of them, named for the reader)."""
    if levels is not None:  # and a place whose own name holds the word (市中区 for 市)
        of_level = {r[0] for r in con.execute("SELECT id FROM jurisdictions WHERE list_contains(?, level)",
                                              [list(levels)]).fetchall()}
        named = {r[0] for r in con.execute("SELECT id FROM jurisdictions WHERE list_contains(?, level) = false "
                                           "AND contains(name_zh, ?)", [list(levels), typed]).fetchall()}
        assert expected <= of_level
        expected = of_level | named
    assert {r.id for r in queries.search_places(con, typed)} == expected
    assert queries.count_places(con, typed) == len(expected)


def test_a_name_that_matches_nothing_gets_the_closest_names(con):
    assert queries.suggest_places(con, "shenzen")[0] == ("shenzhen", "Shenzhen", "深圳市")
    assert queries.suggest_places(con, "") == []


def test_a_place_position_in_the_list_follows_filters_and_sort(con):
    everything = [r.id for r in queries.search_places(con)]
    assert queries.place_position(con, "yuhang") == everything.index("yuhang")
    assert queries.place_position(con, "yuhang", text="shen") is None
    districts = [r.id for r in queries.search_places(con, level="district")]
    assert districts.index("conghua") < districts.index("huadu")  # in the list's order, by name
    assert queries.place_position(con, "huadu", level="district") == districts.index("huadu")


def test_each_amount_goes_with_the_rate_its_source_states(con):
    rates = dict(con.execute("SELECT fact_id, exchange_rate_id FROM facts WHERE unit IN ('CNY', 'USD')").fetchall())
    assert rates["shenzhen-sales-2025-szdaily"] == "szdaily-2023-usd"  # its own article's conversion
    assert rates["huadu-house-allowance#1"] == "pdo-2020-usd"
    # an amount without a rate is one whose source is undated and states none (they stay as stated)
    without = con.execute("SELECT count(*) FROM facts f JOIN sources s ON s.id = f.source_id WHERE f.unit IN "
                          "('CNY', 'USD') AND f.value IS NOT NULL AND f.cny_per_usd IS NULL").fetchone()[0]
    assert without == queries.amounts_without_rate(con)
    assert con.execute("SELECT count(*) FROM facts f JOIN sources s ON s.id = f.source_id WHERE f.unit IN "
                       "('CNY', 'USD') AND f.cny_per_usd IS NULL AND s.published IS NOT NULL").fetchone()[0] == 0


def test_an_undated_source_without_a_rate_of_its_own_gets_none(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("sources:\n", "sources:\n  - {id: src-rate, publisher: P, title: T, published: 2020-06, "
                                      "language: en, paragraphs: 5, kind: news_report}\n  - {id: src-undated, publisher: P, "
                                      "title: U, language: en, paragraphs: 5, kind: news_report}\n", 1)
    text = text.replace("targets:\n", "exchange_rates:\n  - {id: r1, source: src-rate, locator: para 1, cny: 7, usd: 1}\n"
                                      "targets:\n", 1)
    text = text.replace("    source: src-a\n    locator: para 2\n", "    source: src-undated\n    locator: para 2\n", 1)
    data = tmp_path / "rates.yaml"
    data.write_text(text, encoding="utf-8")
    db = tmp_path / "rates.duckdb"
    build(data, db)
    with duckdb.connect(str(db), read_only=True) as c:
        got = dict(c.execute("SELECT fact_id, exchange_rate_id FROM facts WHERE unit = 'CNY'").fetchall())
        assert got == {"sz-sales": None, "sz-house#1": "r1", "sz-house#2": "r1"}  # dated: nearest in time
        assert queries.amounts_without_rate(c) == 1
