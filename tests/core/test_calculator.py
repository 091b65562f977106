"""The calculator against the shipped rules (table of cases) and synthetic rules (properties).

The shipped rules are put to the application (DuckDB's verdicts, worded) and to the reference in
tests/oracle.py alike; synthetic rules in memory to the reference, which test_calculator_sql.py
holds the application to."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lstui import render
from lstui.core import earn, queries
from lstui.core.calculator import Profile, result_to_dict, RESULT_KEYS
from lstui.core.models import Condition, Incentive, Place, Tier
from lstui.core.money import Amount, parse_amount, parse_count
from lstui.core.vocab import COUNT_FIELDS, MONEY_FIELDS, YES_NO_FIELDS
from tests import oracle
from tests.oracle import evaluate_incentive

CASES = yaml.safe_load((Path(__file__).parent / "calculator_cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules(shipped_db):
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        return queries.incentives(con), queries.all_places(con)


class Application:
    """Results and totals as `lstui earn` and the app get them: DuckDB decides, calculator words."""

    def __init__(self, con):
        self.con = con

    def evaluate(self, profile, incentives, places, only=None):
        return earn.earn_results(self.con, profile, earn.earn_ranking(self.con, profile, only).rows)

    def totals(self, profile, incentives, places, only=None):
        return earn.place_totals(self.con, profile, only)[0]


class Reference:
    evaluate = staticmethod(oracle.evaluate)

    @staticmethod
    def totals(profile, incentives, places, only=None):
        return oracle.summarize(oracle.evaluate(profile, incentives, places, only=only))


@pytest.fixture(scope="module", params=["application", "oracle"])
def calc(request, shipped_db):
    if request.param == "oracle":
        yield Reference()
        return
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        yield Application(con)


def make_profile(spec: dict) -> Profile:
    money = {k: parse_amount(str(spec[k])) for k in MONEY_FIELDS if k in spec}
    counts = {k: parse_count(str(spec[k])) for k in COUNT_FIELDS if k in spec}
    flags = {k: spec[k] for k in (*YES_NO_FIELDS, "listing") if k in spec}
    return Profile(spec["role"], **money, **counts, **flags)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_calculator_case(case, rules, calc):
    incentives, places = rules
    results = [r for r in calc.evaluate(make_profile(case["profile"]), incentives, places, only=[case["place"]])
               if r.incentive.id == case["incentive"]]
    assert len(results) == 1, [r.incentive.id for r in results]
    got = result_to_dict(results[0])
    expect = case["expect"]
    assert got["status"] == expect["status"], got
    for key in ("tier", "amount", "amount_type", "recipients", "reason"):
        if key in expect:
            assert got[key] == expect[key], (key, got)
    if "next_tier" in expect:
        assert (got["next_tier"] or {}).get("tier") == expect["next_tier"], got["next_tier"]
    if "pays" in expect:
        assert render.result_amount(results[0]) == expect["pays"]
    if "next_tier_text" in expect:
        assert got["next_tier"]["text"] == expect["next_tier_text"]
    if "rate" in expect:
        assert got["exchange_rate"]["id"] == expect["rate"], got
    if "measure_from" in expect:
        assert got["measure_from_id"] == expect["measure_from"] and got["inherited"]


def test_results_have_the_documented_keys(rules, calc):
    incentives, places = rules
    for r in calc.evaluate(Profile("streamer", 600_000, Amount(15e6), buying_home=True), incentives, places):
        assert tuple(result_to_dict(r)) == RESULT_KEYS


def test_best_results_come_first(rules, calc):
    incentives, places = rules
    results = calc.evaluate(Profile("company", turnover=Amount(6e8), valuation=Amount(2e9, "USD"), new_business=True),
                       incentives, places)
    statuses = [r.status for r in results]
    assert statuses[0] == "eligible"
    assert results[0].amount == 100_000_000  # Yuhang's R&D subsidy outranks Huadu's 10 million grant
    assert statuses.index("not_applicable") > statuses.index("eligible")


def test_discretionary_amounts_never_count_as_certain(rules, calc):
    incentives, places = rules
    profile = Profile("company", turnover=Amount(6e8), new_business=True)
    huadu = next(s for s in calc.totals(profile, incentives, places, only=["huadu"]))
    assert huadu.certain == 0  # both of Huadu's business incentives are "up to"
    assert huadu.possible == 10_000_000


def test_shares_of_costs_and_yearly_amounts_are_stated_but_never_totalled(rules, calc):
    incentives, places = rules
    profile = Profile("company", annual_sales=Amount(2e8), floor_area=150, registered_locally=True)
    results = {r.incentive.id: r for r in calc.evaluate(profile, incentives, places, only=["tianjin-eco-city"])}
    for shared in ("eco-city-rent-subsidy", "eco-city-logistics-reward", "eco-city-loan-interest-subsidy"):
        assert results[shared].status == "eligible"
    zone = next(iter(calc.totals(profile, incentives, places, only=["tianjin-eco-city"])))
    # the sales reward (up to 2m) and the award (up to 500k, if designated); not the logistics cap
    # (500k), the yearly interest cap (1m a year) or the rent shares
    assert (zone.certain, zone.possible) == (0, 2_500_000)


def test_alternative_reports_are_not_evaluated_twice(rules, calc):
    incentives, places = rules
    results = calc.evaluate(Profile("streamer", 600_000, Amount(60e6), buying_home=True), incentives, places, only=["huadu"])
    ids = [r.incentive.id for r in results]
    assert "huadu-house-allowance" in ids and "huadu-house-allowance-scmp" not in ids
    house = next(r for r in results if r.incentive.id == "huadu-house-allowance")
    assert house.incentive.alternatives == ("huadu-house-allowance-scmp", "huadu-house-reward-cn-report",
                                            "huadu-house-reward-tiers-report")


def test_profile_rejects_unknown_roles():
    with pytest.raises(ValueError):
        Profile("influencer")


# --- synthetic rules: comparators and monotonicity -----------------------------------------

PLACE = Place("x", "X", "X", "X", "city", None, None, "X")


def tiered(comparator: str, thresholds=(10e6, 20e6, 50e6), amounts=(1e5, 3e5, 5e5), currency="CNY", rate=None):
    tiers = tuple(Tier(n + 1, amount, "CNY", "fixed", None,
                       (Condition("annual_sales", comparator, limit, currency, None, "annual sales"),))
                  for n, (limit, amount) in enumerate(zip(thresholds, amounts)))
    return Incentive("syn", "x", "X", "Synthetic", "cash_bonus", ("streamer",), "cash", True, "highest", False,
                     None, rate, "src", "para 1", "note", tiers)


@pytest.mark.parametrize("sales, more_than, at_least", [
    (10e6 - 1, None, None), (10e6, None, 1), (10e6 + 1, 1, 1), (20e6, 1, 2), (50e6, 2, 3), (50e6 + 1, 3, 3)])
def test_comparator_stored_in_the_data_decides_the_boundary(sales, more_than, at_least):
    for comparator, tier in (("more_than", more_than), ("at_least", at_least)):
        result = evaluate_incentive(Profile("streamer", annual_sales=Amount(sales)), tiered(comparator), PLACE)
        assert result.tier == tier, (comparator, sales, result.reason)


@settings(max_examples=200, deadline=None)
@given(a=st.floats(min_value=0, max_value=1e9), b=st.floats(min_value=0, max_value=1e9),
       comparator=st.sampled_from(["more_than", "at_least"]))
def test_more_sales_never_lowers_the_amount(a, b, comparator):
    low, high = sorted((a, b))
    incentive = tiered(comparator)
    def amount(sales):
        return evaluate_incentive(Profile("streamer", annual_sales=Amount(sales)), incentive, PLACE).amount or 0
    assert amount(high) >= amount(low)


@settings(max_examples=100, deadline=None)
@given(followers=st.integers(min_value=0, max_value=10**9), sales=st.floats(min_value=0, max_value=1e10))
def test_more_sales_never_lowers_huadu_reward(rules, followers, sales):
    incentives, places = rules
    house = next(i for i in incentives if i.id == "huadu-house-allowance")
    def amount(s):
        return evaluate_incentive(Profile("streamer", followers, Amount(s), buying_home=True), house,
                                  places["huadu"]).amount or 0
    assert amount(sales * 1.5 + 1) >= amount(sales)
