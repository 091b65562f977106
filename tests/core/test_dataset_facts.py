"""The shipped dataset against what the source articles say."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(shipped_db):
    con = duckdb.connect(str(shipped_db), read_only=True)
    yield con
    con.close()


def one(con, sql, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_shenzhen_300_billion_sales_target_by_2025(con):
    value, unit, comparator, deadline, source, locator, conv, conv_unit = one(
        con, "SELECT value, unit, comparator, deadline, source_id, locator, converted_value, converted_unit "
             "FROM facts WHERE fact_id = 'shenzhen-sales-2025-szdaily'")
    assert (value, unit, comparator, deadline) == (300e9, "CNY", "more_than", "2025")
    assert (source, locator) == ("szdaily-2023-03-28", "para 5")
    assert (conv, conv_unit) == (43.68e9, "USD")


def test_huadu_house_allowance_has_three_tiers_with_conditions(con):
    rows = con.execute(
        "SELECT tier_no, amount, currency, amount_type, conditions FROM incentive_rules "
        "WHERE incentive_id = 'huadu-house-allowance' ORDER BY tier_no").fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (1, 100_000, "CNY", "up_to"), (2, 300_000, "CNY", "up_to"), (3, 500_000, "CNY", "up_to")]
    for (_, _, _, _, conditions), sales in zip(rows, (10e6, 20e6, 50e6)):
        by_field = {c["field"]: c for c in conditions}
        assert by_field["followers"]["comparator"] == "more_than"
        assert by_field["followers"]["value"] == 500_000
        assert by_field["annual_sales"]["comparator"] == "more_than"
        assert by_field["annual_sales"]["value"] == sales
        assert by_field["annual_sales"]["unit"] == "CNY"
        assert "buying_home" in by_field


def test_huadu_house_allowance_alternative_report_is_kept_not_preferred(con):
    rows = con.execute(
        "SELECT DISTINCT amount_type, preferred, alternative_to FROM incentive_rules "
        "WHERE incentive_id = 'huadu-house-allowance-scmp'").fetchall()
    assert rows == [("fixed", False, "huadu-house-allowance")]
    assert one(con, "SELECT bool_and(NOT preferred) FROM facts WHERE record_id = 'huadu-house-allowance-scmp'") == (True,)


def test_jinan_targets(con):
    rows = dict(con.execute(
        "SELECT metric, (value, comparator) FROM facts WHERE jurisdiction_id = 'jinan' AND kind = 'target' "
        "AND source_id = 'pdo-2020-07-01'").fetchall())
    assert rows == {
        "headquarters": (20, "more_than"),
        "mcn_agencies": (100, "more_than"),
        "brands": (300, "more_than"),
        "accounts": (5_000, "more_than"),
        "streamers": (10_000, "more_than"),
        "sales": (180e9, "exactly"),
    }
    period, = one(con, "SELECT period FROM facts WHERE fact_id = 'jinan-turnover'")
    assert "two to three years" in period


def test_national_livestreaming_users_december_2022(con):
    value, unit, period_end, source = one(
        con, "SELECT value, unit, period_end, source_id FROM facts WHERE fact_id = 'china-livestream-users-2022-12'")
    assert (value, unit, period_end, source) == (751e6, "count", "2022-12", "szdaily-2023-03-28")
    assert one(con, "SELECT value, unit FROM facts WHERE fact_id = 'china-livestream-users-share-2022-12'") == (70.3, "percent")
    assert one(con, "SELECT value FROM facts WHERE fact_id = 'china-livestream-ecommerce-users-2022-12'") == (515e6,)


def test_yuhang_thresholds_in_us_dollars_with_the_articles_rate(con):
    conditions, rate, rate_id = one(
        con, "SELECT conditions, cny_per_usd, exchange_rate_id FROM incentive_rules WHERE incentive_id = 'yuhang-rd-subsidy'")
    assert conditions[0]["field"] == "valuation"
    assert (conditions[0]["value"], conditions[0]["unit"], conditions[0]["comparator"]) == (1e9, "USD", "more_than")
    assert rate_id == "pdo-2020-usd"
    assert rate == pytest.approx(5_000_000 / 706_500)


def test_conghua_is_unquantified(con):
    quantified, amount = one(con, "SELECT quantified, amount FROM incentive_rules WHERE incentive_id = 'conghua-incentive-plan'")
    assert quantified is False and amount is None


def test_unknown_values_are_null_not_zero(con):
    value, = one(con, "SELECT value FROM facts WHERE fact_id = 'wechat-livestream-merchants-2020'")
    assert value is None
    assert one(con, "SELECT count(*) FROM facts WHERE value = 0") == (0,)


def test_every_fact_has_a_source_and_locator_that_exist(con):
    missing = con.execute(
        "SELECT fact_id FROM facts f WHERE source_id IS NULL OR locator IS NULL OR note IS NULL "
        "OR NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = f.source_id)").fetchall()
    assert missing == []
    assert one(con, "SELECT count(*) > 100 FROM facts") == (True,)


def test_every_source_has_publisher_title_language_and_kind(con):
    rows = con.execute("SELECT id, publisher, title, language, kind FROM sources").fetchall()
    assert len(rows) == 52  # the five seed articles and the 47 stored page openings, each a source
    assert all(all(r) for r in rows)


def test_reprints_and_translations_say_what_they_reproduce(con):
    rows = con.execute("SELECT id, original_publisher FROM sources WHERE kind IN ('reprint', 'translation')").fetchall()
    assert rows and all(publisher for _, publisher in rows)
    assert one(con, "SELECT reprint_of FROM sources WHERE id = 'scmp-2023-shenzhen'") == ("shenzhen-2023-plan-scmp",)
    reported = con.execute("SELECT id FROM sources WHERE reports = 'huadu-2020-support-measures-en' ORDER BY id").fetchall()
    assert [r[0] for r in reported] == ["huadu-2020-measures-listing-rewards", "huadu-2020-measures-tiers-report"]


def test_conflicts_recorded_between_articles(con):
    conflicts = {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT conflict_id, aspects, record_ids FROM conflicts").fetchall()}
    assert set(conflicts["huadu-goal-deadline-bases"][1]) == {"huadu-bases-pdo", "huadu-bases-scmp"}
    assert "deadline" in conflicts["huadu-goal-deadline-bases"][0]
    assert conflicts["huadu-house-allowance-amount-type"][0] == ["amount_type"]
    assert "condition" in conflicts["huadu-house-allowance-sales-basis"][0]
    assert "comparator" in conflicts["shenzhen-top-streamers-comparator"][0]
    deadlines = dict(con.execute(
        "SELECT fact_id, deadline FROM facts WHERE fact_id IN ('huadu-bases-pdo', 'huadu-bases-scmp')").fetchall())
    assert deadlines == {"huadu-bases-pdo": "2022", "huadu-bases-scmp": "2020"}


def test_conflict_fact_ids_point_at_facts(con):
    dangling = con.execute(
        "SELECT c.conflict_id, f FROM conflicts c, unnest(c.fact_ids) AS t(f) "
        "WHERE f NOT IN (SELECT fact_id FROM facts)").fetchall()
    assert dangling == []
    flagged = one(con, "SELECT has_conflict FROM facts WHERE fact_id = 'huadu-bases-pdo'")
    assert flagged == (True,)


def test_hierarchy_huadu_guangzhou_guangdong(con):
    assert one(con, "SELECT parent_id, province_en, name_zh FROM jurisdictions WHERE id = 'huadu'") == (
        "guangzhou", "Guangdong", "花都区")
    assert one(con, "SELECT parent_id FROM jurisdictions WHERE id = 'guangzhou'") == ("guangdong",)
    assert one(con, "SELECT province_en FROM jurisdictions WHERE id = 'chongqing'") == ("Chongqing",)


def test_metrics_line_up_across_places(con):
    places = {r[0] for r in con.execute(
        "SELECT jurisdiction_id FROM facts WHERE kind = 'target' AND metric = 'streamers'").fetchall()}
    assert {"qingdao", "chongqing", "guangzhou", "jinan", "shenzhen"} <= places


# --- What an audit of the seed data found, each held here -----------------------------------------

def test_a_growth_worded_two_ways_keeps_its_words_and_no_guessed_multiple(con):
    value, comparator, wording, note = one(
        con, "SELECT value, comparator, comparator_wording, note FROM facts WHERE fact_id = 'double-festival-growth'")
    assert (value, comparator, wording) == (None, None, "an increase of 1.37 times")
    assert "2.37" in note and "1.37" in note


def test_conghuas_plan_guesses_neither_recipients_nor_what_it_offers(con):
    recipients, metric, quantified = one(
        con, "SELECT recipients, metric, quantified FROM incentive_rules WHERE incentive_id = 'conghua-incentive-plan'")
    assert (recipients, metric, quantified) == (None, "unspecified_measure", False)


def test_hemas_stores_across_the_country_are_a_national_figure(con):
    rows = con.execute("SELECT jurisdiction_id FROM facts WHERE fact_id LIKE 'shanghai-hema-%'").fetchall()
    assert rows and {r[0] for r in rows} == {"china"}


def test_radio_hosts_are_not_counted_as_streamers(con):
    assert one(con, "SELECT metric FROM facts WHERE fact_id = 'shanghai-may5-radio-hosts'") == ("event_participants",)
    streamers = con.execute("SELECT fact_id FROM facts WHERE metric = 'streamers' AND jurisdiction_id = 'shanghai'")
    assert streamers.fetchall() == []


def test_huadus_talent_benefits_follow_the_article(con):
    conditions = one(con, "SELECT conditions FROM incentive_rules WHERE fact_id = 'huadu-talent-benefits#1'")[0]
    assert [c["field"] for c in conditions] == ["followers", "annual_sales"]  # no home purchase is stated
    assert "for certain enterprises" in conditions[1]["wording"]
    assert "on well-known platforms" in conditions[0]["wording"]


def test_no_invented_precision(con):
    periods = dict(con.execute("SELECT fact_id, period FROM facts WHERE fact_id IN "
                               "('wechat-livestream-merchants-2020', 'jinan-turnover')").fetchall())
    assert "spring" not in periods["wechat-livestream-merchants-2020"]
    assert "mid-2020" not in periods["jinan-turnover"]
    assert one(con, "SELECT deadline FROM facts WHERE fact_id = 'shenzhen-positioning-scmp'") == (None,)
    assert "first for" not in one(con, "SELECT note FROM facts WHERE fact_id = 'hangzhou-rank-streamers-2020'")[0]


def test_the_may_festival_and_the_4_may_broadcast_are_two_events(con):
    events = dict(con.execute("SELECT fact_id, period FROM facts WHERE kind = 'event' AND fact_id IN "
                              "('shanghai-may5-festival-2020', 'shanghai-may4-global-broadcast-2020')").fetchall())
    assert events == {"shanghai-may5-festival-2020": "2020-05", "shanghai-may4-global-broadcast-2020": "2020-05-04"}
    by_event = dict(con.execute("SELECT id, event FROM internal.statistics WHERE id LIKE 'shanghai-may5-%'").fetchall())
    assert by_event["shanghai-may5-presales"] == by_event["shanghai-may5-audience"] == \
        by_event["shanghai-may5-broadcast-length"] == "shanghai-may4-global-broadcast-2020"
    assert by_event["shanghai-may5-radio-hosts"] == "shanghai-may5-festival-2020"


def test_a_deadline_cites_the_paragraph_that_states_it_or_says_it_is_inferred(con):
    locators = dict(con.execute("SELECT fact_id, locator FROM facts WHERE fact_id IN ('shenzhen-top-streamers-2025-szdaily', "
                                "'shenzhen-streamers-2025-szdaily', 'shenzhen-professionals-2025-szdaily')").fetchall())
    assert set(locators.values()) == {"paras 9-10"}
    inferred = con.execute("SELECT fact_id, deadline_inferred_from FROM facts WHERE fact_id LIKE 'shanghai-%-2022' "
                           "AND deadline = '2022'").fetchall()
    assert len(inferred) == 5 and all("title" in why for _, why in inferred)


def test_city_measures_reaching_the_districts_say_that_this_is_inferred(con):
    notes = con.execute("SELECT incentive_id, any_value(note) FROM incentive_rules WHERE covers_subdivisions "
                        "GROUP BY incentive_id").fetchall()
    assert notes and all("inferred" in note for _, note in notes)


def test_who_made_huaduss_plan_and_where_hangzhous_base_sits_are_recorded_disagreements(con):
    aspects = dict(con.execute("SELECT conflict_id, aspects FROM conflicts WHERE conflict_id IN "
                               "('huadu-plan-issuer', 'hangzhou-base-opened-or-launched')").fetchall())
    assert aspects == {"huadu-plan-issuer": ["issuer"], "hangzhou-base-opened-or-launched": ["wording", "location"]}


def test_figures_that_only_round_each_other_are_recorded_as_rounding(con):
    kinds = dict(con.execute("SELECT conflict_id, kind FROM conflicts WHERE conflict_id IN "
                             "('shenzhen-sales-wording', 'shenzhen-sales-usd-rounding')").fetchall())
    assert kinds == {"shenzhen-sales-wording": "disagreement", "shenzhen-sales-usd-rounding": "rounding"}


@pytest.mark.parametrize("kind, disputed", [("disagreement", True), ("rounding", False)])
def test_only_a_disagreement_marks_figures_as_disputed(tmp_path, kind, disputed):
    from lstui.core.build import build
    from tests.conftest import MINIMAL

    data = tmp_path / "policies.yaml"
    data.write_text(MINIMAL.read_text(encoding="utf-8").replace(
        "    aspects: [comparator]\n", f"    aspects: [comparator]\n    kind: {kind}\n", 1), encoding="utf-8")
    build(data, tmp_path / "policies.duckdb")
    with duckdb.connect(str(tmp_path / "policies.duckdb"), read_only=True) as c:
        flags = {r[0] for r in c.execute("SELECT has_conflict FROM facts WHERE fact_id IN ('sz-streamers', 'sz-sales')").fetchall()}
        assert flags == {disputed}
        assert c.execute("SELECT kind FROM conflicts").fetchall() == [(kind,)]
