"""Citations: what each style carries, and an unknown date left unknown."""

from __future__ import annotations

import json

import duckdb
import pytest

from lstui import render
from lstui.core import cite
from lstui.core.errors import LstuiError
from lstui.core.models import Source


@pytest.fixture(scope="module")
def con(shipped_db):
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        yield con


def words(f) -> str:
    return render.figure_words(f)


def source(**changes) -> Source:
    base = Source(id="s1", publisher="Daily", title="A title", published="2020-06-23", url="https://example.com/a",
                  original_url=None, language="en", date_note=None, note=None, kind="news_report")
    return base._replace(**changes)


def test_a_fact_id_finds_its_figure_with_its_source(con):
    found = cite.lookup(con, "shenzhen-sales-2025-szdaily")
    (c,) = found.figures
    assert (c.fact.fact_id, c.place_en, c.reference.source.id, c.fact.locator) == \
        ("shenzhen-sales-2025-szdaily", "Shenzhen", "szdaily-2023-03-28", "para 5")
    assert found.entries == found.figures and found.place is None


def test_an_incentive_id_finds_each_tier_in_order(con):
    found = cite.lookup(con, "huadu-house-reward-cn-report")
    assert [c.fact.fact_id for c in found.figures] == [f"huadu-house-reward-cn-report#{n}" for n in (1, 2, 3)]
    assert found.figures[0].reference.reported.id == "huadu-2020-support-measures-en"


def test_a_place_finds_its_sources_as_show_lists_them(con):
    from lstui.core import queries

    found = cite.lookup(con, "花都")
    assert found.place.id == "huadu" and not found.figures
    assert [r.source.id for r in found.sources] == [s.id for s in queries.place_detail(con, "huadu").sources]


def test_a_reprint_names_its_original(con):
    (c,) = cite.lookup(con, "china-retail-sales-2022-12").figures
    assert c.reference.source.kind == "reprint" and c.reference.original.id == "shenzhen-2023-plan-scmp"
    text = cite.cite([c], "text", words)
    assert "reprint of South China Morning Post" in text and c.reference.original.url in text


def test_further_reports_of_a_record_are_listed(con):
    (c,) = cite.lookup(con, "taobao-live-report-2020").figures
    assert ("thepaper-2020-05", "para 25") in c.also
    assert "also reported in: thepaper-2020-05 (para 25)" in cite.cite([c], "text", words)


def test_unknown_name_is_an_error_with_suggestions(con):
    with pytest.raises(LstuiError, match=r"no figure or place called 'shenzhen-sales-2025'; did you mean "
                                         r"shenzhen-sales-2025-\w+"):
        cite.lookup(con, "shenzhen-sales-2025")


def test_an_ambiguous_place_says_what_show_says(con):
    with pytest.raises(LstuiError, match="matches several places"):
        cite.lookup(con, "guang")


@pytest.mark.parametrize("published, parts", [(None, ()), ("2020", (2020,)), ("2020-06", (2020, 6)),
                                              ("2020-06-23", (2020, 6, 23))])
def test_date_parts_keep_only_what_is_known(published, parts):
    assert cite.date_parts(published) == parts


def test_an_unknown_date_stays_unknown_in_every_style():
    ref = cite.Reference(source(published=None))
    assert "date unknown" in cite.cite([ref], "text", words)
    bib = cite.cite([ref], "bibtex", words)
    assert "year =" not in bib and "date =" not in bib and "origdate" not in bib
    (item,) = json.loads(cite.cite([ref], "csl-json", words))
    assert "issued" not in item
    ris = cite.cite([ref], "ris", words)
    assert "PY  -" not in ris and "DA  -" not in ris


def test_a_partial_date_gives_only_its_parts():
    ref = cite.Reference(source(published="2020-06"))
    assert "year = {2020},\n  date = {2020-06}," in cite.cite([ref], "bibtex", words)
    assert json.loads(cite.cite([ref], "csl-json", words))[0]["issued"] == {"date-parts": [[2020, 6]]}
    assert "PY  - 2020\nDA  - 2020/06//\n" in cite.cite([ref], "ris", words)


def test_tex_escapes_specials_and_keeps_braces_balanced():
    escaped = cite.tex("50% {off} & $5_#~^ \\ end}")
    assert escaped.count("{") == escaped.count("}")
    for raw in ("%", "&", "$", "_", "#"):
        assert f"\\{raw}" in escaped
    assert "\\textbackslash{}" in escaped and "\\textbraceright{}" in escaped


def test_bibtex_keys_and_urls():
    assert cite.bibtex_key("huadu-house#2") == "huadu-house:2"
    assert cite.bibtex_url("https://x.org/{a}") == "https://x.org/%7Ba%7D"


def test_hostile_text_stays_on_one_line_and_visible():
    ref = cite.Reference(source(title="bad\x1b[31m\ntitle", publisher="Pub\nlisher"))
    for style in ("text", "bibtex", "ris"):
        out = cite.cite([ref], style, words)
        assert "\x1b" not in out and "bad␛[31m title" in out
    assert "\\u001b" in cite.cite([ref], "csl-json", words)


def test_csl_json_carries_fact_source_and_locator(con):
    (item,) = json.loads(cite.cite(cite.lookup(con, "shenzhen-sales-2025-szdaily").figures, "csl-json", words))
    assert item["custom"] == {"source_id": "szdaily-2023-03-28", "fact_id": "shenzhen-sales-2025-szdaily",
                              "locator": "para 5"}
    assert item["URL"].startswith("http") and item["issued"] == {"date-parts": [[2023, 3, 28]]}
    assert "locator: para 5" in item["note"] and ">¥300bn by 2025" in item["note"]


def test_a_figure_is_cited_in_the_currency_its_source_states(con):
    from lstui.core.money import Display

    (c,) = cite.lookup(con, "shenzhen-sales-2025-szdaily").figures
    assert render.figure_words(c.fact, Display(currency="USD")) == ">¥300bn by 2025"
