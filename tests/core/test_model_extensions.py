"""The model's extensions, as the shipped data uses them: shares of costs over the years, talent
classes, listings, increments and yearly targets, plan successions and drafts, towns and special
zones, and each report beside the text it reports."""

from __future__ import annotations

import duckdb
import pytest

from lstui.core import queries
from tests.conftest import PLACES


@pytest.fixture(scope="module")
def con(shipped_db):
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        yield con


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


def test_places_at_the_new_size_have_their_parents(con):
    assert 55 <= PLACES <= 60
    assert one(con, "SELECT level, parent_id FROM jurisdictions WHERE id = 'tianjin-eco-city'") == \
        ("special_zone", "tianjin")
    assert one(con, "SELECT level, path_en FROM jurisdictions WHERE id = 'xinzhai'") == \
        ("town", "China > Zhejiang > Jinhua > Wuyi County > Xinzhai")
    assert one(con, "SELECT count(*) FROM jurisdictions WHERE parent_id IS NULL") == (1,)


def test_a_schedule_of_shares_reads_year_by_year(con):
    steps, share_of, amount, per = one(con, "SELECT steps, share_of, amount, per FROM incentive_rules "
                                            "WHERE incentive_id = 'eco-city-rent-subsidy'")
    assert steps == [{"from_year": 1, "to_year": 2, "share": 100.0}, {"from_year": 3, "to_year": 3, "share": 60.0}]
    assert (share_of, amount, per) == ("rent and property fees", None, "yearly")


def test_a_share_with_a_cap_and_a_duration(con):
    assert one(con, "SELECT share, share_of, amount, amount_type, years, per FROM incentive_rules "
                    "WHERE incentive_id = 'eco-city-logistics-reward'") == \
        (50.0, "logistics costs", 500_000.0, "up_to", 3.0, None)  # whether the cap is yearly is not said


def test_talent_classes_are_levels_with_their_meaning(con):
    rows = con.execute("SELECT tier_no, level, description FROM incentive_rules "
                       "WHERE incentive_id = 'yuhang-talent-classes' ORDER BY tier_no").fetchall()
    assert rows == [(1, "class F talent", "district-level mid-to-senior talent"),
                    (2, "class E talent", "district-level leading talent"),
                    (3, "class D talent", "city-level leading talent")]


def test_a_listing_condition_names_its_market(con):
    rows = con.execute("SELECT tier_no, amount, conditions[1].listed_on, conditions[1].text FROM incentive_rules "
                       "WHERE incentive_id = 'huadu-listing-reward' ORDER BY tier_no").fetchall()
    assert rows == [(1, 8_000_000.0, "overseas", "listed on an overseas market"),
                    (2, 10_000_000.0, "domestic", "listed on a mainland China exchange")]


def test_increments_yearly_figures_and_deadlines_in_words(con):
    assert one(con, "SELECT increment, span FROM facts WHERE fact_id = 'shenzhen-streamers-scmp-original'") == \
        (True, None)
    assert one(con, "SELECT increment, span FROM facts WHERE fact_id = 'heilongjiang-online-retail-increase-2027'") == \
        (True, "annual")
    assert one(con, "SELECT deadline, deadline_wording, period FROM facts "
                    "WHERE fact_id = 'shenzhen-agencies-scmp-original'") == \
        (None, "in the next three years or so", "in the next three years or so")
    assert one(con, "SELECT count(*) FROM facts WHERE kind <> 'target' AND (increment OR span IS NOT NULL)") == (0,)


def test_plans_follow_their_predecessors_and_drafts_say_so(con):
    rows = dict(con.execute("SELECT id, follows_id FROM policies WHERE follows_id IS NOT NULL").fetchall())
    assert rows == {"shenzhen-action-plan-2023-2025": "shenzhen-plan-2020",
                    "guangzhou-opinions-2025": "guangzhou-action-plan-2020-2022",
                    "heilongjiang-ten-actions-2025-2027": "heilongjiang-livestream-three-year-plan-2020-2022"}
    inferred = one(con, "SELECT follows_inferred_from FROM policies WHERE id = 'guangzhou-opinions-2025'")[0]
    assert inferred and "does not name the earlier plan" in inferred
    assert one(con, "SELECT follows_inferred_from FROM policies WHERE id = 'shenzhen-action-plan-2023-2025'") == (None,)
    drafts = {r[0] for r in con.execute("SELECT id FROM policies WHERE draft").fetchall()}
    assert drafts == {"heilongjiang-ten-actions-2025-2027", "heilongjiang-twenty-measures-draft-2025",
                      "xiamen-base-support-draft"}
    assert one(con, "SELECT doc_number, expires FROM policies WHERE id = 'heilongjiang-helping-firms-action-2022'") == \
        (None, "2023-10-30")
    assert one(con, "SELECT doc_number FROM policies WHERE id = 'huadu-support-measures-2020-2022'") == \
        ("Regulation No.2 [2020]",)


def test_a_reprint_beside_its_original(con):
    rows = {(c.fact_id, c.other_fact_id): c.agrees for c in queries.comparisons(con, "scmp-2023-shenzhen")}
    assert rows[("hangzhou-hosts-2021", "hangzhou-hosts-scmp-original")] is True
    assert rows[("shenzhen-streamers-scmp", "shenzhen-streamers-scmp-original")] is True
    assert rows[("shenzhen-2020-streamers", None)] is None  # the original does not state it
    assert all(other is None or other.endswith("original") for _, other in rows)
    # seen from the original, the same pairs
    assert {(c.fact_id, c.other_fact_id) for c in queries.comparisons(con, "shenzhen-2023-plan-scmp")} == set(rows)


def test_a_report_beside_a_document_whose_opening_holds_no_figure(con):
    rows = queries.comparisons(con, "huadu-2020-measures-tiers-report")
    assert rows and all(c.other_fact_id is None and c.agrees is None for c in rows)
    assert {c.jurisdiction_id for c in rows} == {"huadu"}  # places the document does not cover are left out


def test_the_top_individual_amount_is_a_sum_not_a_share_or_a_yearly_amount(con):
    # Eco-City: the house subsidy (up to 500k), not the yearly 20k allowance
    assert one(con, "SELECT top_individual_incentive, top_individual_amount_type FROM places "
                    "WHERE id = 'tianjin-eco-city'") == (500_000.0, "up_to")
