"""DuckDB's ranking (what the app and `lstui earn` use) agrees with the reference evaluation."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lstui.core import earn as queries
from lstui.core.build import build
from lstui.core.calculator import Profile, evaluate, ranked_totals, results_for, summarize
from lstui.core.money import Amount
from tests.conftest import TESTS

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
BOUNDARIES = [0, 1, 99_999, 100_000, 500_000, 500_001, 1_000_000, 1_000_001, 7_000_000, 10_000_000,
              10_000_001, 20_000_000, 50_000_001, 65_000_000, 1_000_000_000, 6_500_000_000, 7_000_000_001]
money = st.one_of(st.none(), st.builds(
    Amount,
    st.one_of(st.sampled_from(BOUNDARIES), st.floats(min_value=0, max_value=1e11, allow_nan=False)).map(float),
    st.sampled_from([None, "CNY", "USD"])))
profiles = st.builds(
    Profile,
    role=st.sampled_from(["streamer", "mcn", "platform", "company"]),
    followers=st.one_of(st.none(), st.sampled_from(BOUNDARIES), st.integers(min_value=0, max_value=10**9)),
    annual_sales=money, valuation=money, turnover=money,
    new_business=st.sampled_from([None, True, False]), buying_home=st.sampled_from([None, True, False]))


def verdicts(results):
    return [(r.place.id, r.incentive.id, r.status, r.tier, pytest.approx(r.amount_cny), r.amount_type)
            for r in results]


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
    totals = [(t.place_id, pytest.approx(t.certain), pytest.approx(t.possible)) for t in ranked_totals(ranked)]
    assert totals == [(s.place.id, s.certain, s.possible) for s in summarize(expected)]
    assert ranking.places == len(totals)

    # What `lstui earn` asks for: this role only, the best few places.
    for top in (1, 3):
        mine = queries.earn_ranking(cons[dataset], profile, other_roles=False, top_places=top)
        listed = [r for r in ranked if r.status != "not_applicable"]
        best = {t.place_id for t in ranked_totals(listed)[:top]}
        assert mine.rows == [r for r in listed if r.place_id in best]
        assert mine.places == len({r.place_id for r in listed})


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
