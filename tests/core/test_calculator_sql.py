"""DuckDB's verdicts (what the app and `lstui earn` use) agree with the reference in tests/oracle.py."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lstui.core import earn as queries
from lstui.core.build import build
from lstui.core.calculator import Profile, result_to_dict, results_for
from lstui.core.money import Amount
from tests import oracle
from tests.conftest import TESTS
from tests.oracle import evaluate, ranked_totals, summarize

EDGES = TESTS / "data" / "calculator_edges.yaml"


@pytest.fixture(scope="module")
def edges_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("edges") / "edges.duckdb"
    build(EDGES, path)
    return path


@pytest.fixture(scope="module")
def connections(shipped_db, edges_db):
    cons = {name: duckdb.connect(str(path), read_only=True) for name, path in
            (("shipped", shipped_db), ("edges", edges_db))}
    rules = {name: (queries.incentives(con), queries.all_places(con)) for name, con in cons.items()}
    yield cons, rules
    for con in cons.values():
        con.close()


# Thresholds in the data and either side of them, so that comparators are tested at the boundary.
BOUNDARIES = [0, 1, 100, 101, 999, 1_000, 2_999, 3_000, 99_999, 100_000, 499_999, 500_000, 500_001, 999_999,
              1_000_000, 1_000_001, 2_999_999, 3_000_000, 7_000_000, 9_999_999, 10_000_000, 10_000_001, 20_000_000,
              50_000_000, 50_000_001, 65_000_000, 100_000_000, 200_000_000, 1_000_000_000, 6_500_000_000,
              7_000_000_001]
money = st.one_of(st.none(), st.builds(
    Amount,
    st.one_of(st.sampled_from(BOUNDARIES), st.floats(min_value=0, max_value=1e11, allow_nan=False)).map(float),
    st.sampled_from([None, "CNY", "USD"])))
profiles = st.builds(
    Profile,
    role=st.sampled_from(["streamer", "mcn", "platform", "company"]),
    followers=st.one_of(st.none(), st.sampled_from(BOUNDARIES), st.integers(min_value=0, max_value=10**9)),
    annual_sales=money, valuation=money, turnover=money,
    new_business=st.sampled_from([None, True, False]), buying_home=st.sampled_from([None, True, False]),
    tax_paid=money, local_product_sales=money,
    floor_area=st.one_of(st.none(), st.sampled_from(BOUNDARIES), st.integers(min_value=0, max_value=10**6)),
    exclusive_contract=st.sampled_from([None, True, False]), registered_locally=st.sampled_from([None, True, False]),
    listing=st.sampled_from([None, "domestic", "overseas", "none"]))


def verdicts(results):
    return [(r.place.id, r.incentive.id, r.status, r.tier, pytest.approx(r.amount_cny), r.amount_type)
            for r in results]


def place_totals(summaries):
    """The oracle's totals as the database gives them (USD to the cent; None stays None)."""
    return [(s.place.id, s.place.name_en, pytest.approx(s.certain), pytest.approx(s.possible),
             None if s.certain_usd is None else pytest.approx(s.certain_usd),
             None if s.possible_usd is None else pytest.approx(s.possible_usd)) for s in summaries]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles, dataset=st.sampled_from(["shipped", "edges"]))
def test_ranking_matches_the_reference(connections, profile, dataset):
    cons, rules = connections
    incentives, places = rules[dataset]
    expected = evaluate(profile, incentives, places)
    ranking = queries.earn_ranking(cons[dataset], profile)
    ranked = ranking.rows
    got = [(r.place_id, r.incentive_id, r.status, r.tier, r.amount_cny, r.amount_type) for r in ranked]
    assert got == verdicts(expected)
    by_id = {i.id: i for i in incentives}
    assert verdicts(results_for(profile, ranked, by_id, places)) == verdicts(expected)
    totals = [(t.place_id, pytest.approx(t.certain), pytest.approx(t.possible)) for t in ranked_totals(ranked, by_id)]
    assert totals == [(s.place.id, s.certain, s.possible) for s in summarize(expected)]
    assert ranking.places == len(totals)

    # What `lstui earn` asks for: this role only, the best few places.
    for top in (1, 3):
        mine = queries.earn_ranking(cons[dataset], profile, other_roles=False, top_places=top)
        listed = [r for r in ranked if r.status != "not_applicable"]
        best = {t.place_id for t in ranked_totals(listed, by_id)[:top]}
        assert mine.rows == [r for r in listed if r.place_id in best]
        assert mine.places == len({r.place_id for r in listed})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles, dataset=st.sampled_from(["shipped", "edges"]))
def test_what_a_result_lists_matches_the_reference(connections, profile, dataset):
    """The listed tier and its conditions' states, the hint's tier and its states, the tier the
    hint reaches: the SQL's, and the results worded from them, are the oracle's."""
    cons, rules = connections
    incentives, places = rules[dataset]
    by_id = {i.id: i for i in incentives}
    ranked = queries.earn_ranking(cons[dataset], profile).rows
    assert [(r.incentive_id, r.verdict) for r in ranked] == \
        [(r.incentive_id, oracle.verdict(profile, by_id[r.incentive_id])) for r in ranked]
    worded = [result_to_dict(r) for r in results_for(profile, ranked, by_id, places)]
    assert worded == [result_to_dict(r) for r in evaluate(profile, incentives, places)]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles, dataset=st.sampled_from(["shipped", "edges"]),
       top=st.sampled_from([None, 1, 2, 5]), other_roles=st.booleans())
def test_totals_match_the_reference(connections, profile, dataset, top, other_roles):
    cons, rules = connections
    incentives, places = rules[dataset]
    expected = [r for r in evaluate(profile, incentives, places) if other_roles or r.status != "not_applicable"]
    totals, count = queries.place_totals(cons[dataset], profile, other_roles=other_roles, top_places=top)
    assert [tuple(t) for t in totals] == place_totals(summarize(expected))[:top]
    assert count == len({r.place.id for r in expected})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles, dataset=st.sampled_from(["shipped", "edges"]), top=st.sampled_from([None, 1, 2, 5]),
       chosen=st.one_of(st.none(), st.lists(st.sampled_from(
           ["huadu", "conghua", "guangzhou", "yuhang", "yiwu", "port", "harbour", "hills", "lake"]),
           min_size=1, max_size=4, unique=True)))
def test_cards_group_a_measure_as_the_reference_does(connections, profile, dataset, top, chosen):
    """One card per measure: where it comes from when that place is shown, else at the first
    place shown, the others listed; with the totals of the places shown."""
    cons, rules = connections
    incentives, places = rules[dataset]
    chosen = None if chosen is None else [p for p in chosen if p in places] or None
    ranking = queries.earn_ranking(cons[dataset], profile, chosen, other_roles=False, top_places=top, cards=True)
    expected = [r for r in evaluate(profile, incentives, places, only=chosen) if r.status != "not_applicable"]
    summaries = summarize(expected)[:top]
    shown = {s.place.id for s in summaries}
    assert set(ranking.shown) == shown and [tuple(t) for t in ranking.totals] == place_totals(summaries)
    got = [(r.place_id, r.incentive_id, r.also) for r in ranking.rows]
    assert got == [(card.place.id, card.incentive.id, tuple(also))
                   for card, also in oracle.cards([r for r in expected if r.place.id in shown])]


def test_the_app_page_lists_each_measure_once_with_its_summary(connections):
    cons, rules = connections
    incentives, places = rules["shipped"]
    profile = Profile("streamer", 600_000, Amount(15e6), buying_home=True)
    page = queries.earn_page(cons["shipped"], profile, 0, 1000)
    expected = [r for r in evaluate(profile, incentives, places) if r.status != "not_applicable"]
    assert [(r.place_id, r.incentive_id, r.also) for r in page.rows] == \
        [(c.place.id, c.incentive.id, tuple(also)) for c, also in oracle.cards(expected)]
    assert (page.total, page.eligible) == (len(page.rows), sum(r.status == "eligible" for r in page.rows))
    best = summarize(expected)[0]
    assert tuple(page.best) == place_totals([best])[0]
    window = queries.earn_page(cons["shipped"], profile, 2, 3)
    assert window.rows == page.rows[2:5] and window.total == page.total


def test_places_limit_the_ranking(connections):
    cons, _ = connections
    profile = Profile("streamer", 2_000_000, Amount(20e6), buying_home=True)
    ranked = queries.earn_ranking(cons["edges"], profile, places=["hills"]).rows
    assert {r.place_id for r in ranked} == {"hills"}
    # hills has its own measures and inherits Port City's dollar grant
    assert {r.incentive_id for r in ranked} == {"unquantified-relocation", "designation-only", "dollar-grant"}


@pytest.mark.parametrize("incentive, rate", [
    ("valuation-own-rate", "r-2019"),   # its own exchange_rate
    ("sales-source-rate", "r-2021a"),   # its source states two; the first by id
    ("sales-nearest-rate", "r-2021a"),  # 2020-07: 2021 (read as mid-2021) is 12 months away, 2019-01 is 18
    ("dollar-grant", "r-2021b"),        # its own, though its source states another first
])
def test_each_measure_uses_the_documented_exchange_rate(connections, incentive, rate):
    cons, _ = connections
    [inc] = queries.incentives(cons["edges"], ids=[incentive])
    assert inc.rate.id == rate


def test_a_dollar_entry_is_converted_with_that_rate(connections):
    cons, rules = connections
    incentives, places = rules["edges"]
    # 1,000,000 USD at 6.5 (r-2021a) is 6.5 million yuan: the 10 million tier is not met,
    # 1,600,000 USD (10.4 million yuan) meets it.
    for usd, status in ((1_000_000, "not_eligible"), (1_600_000, "eligible")):
        profile = Profile("streamer", annual_sales=Amount(usd, "USD"))
        [row] = [r for r in queries.earn_ranking(cons["edges"], profile).rows if r.incentive_id == "sales-source-rate"]
        assert row.status == status
