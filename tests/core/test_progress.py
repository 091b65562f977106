"""Progress against targets and place timelines, as the `progress` and `timeline` views decide them."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from lstui.core import research
from lstui.core.build import build
from lstui.core.settings import bundled_data_path

STATUSES = {"measured", "baseline", "not_latest", "not_measurable", "not_comparable", "after_deadline",
            "not_placeable", "no_figure", "not_preferred"}


@pytest.fixture(scope="module")
def con(shipped_db):
    con = duckdb.connect(str(shipped_db), read_only=True)
    yield con
    con.close()


def pairs(con, target_id: str) -> dict:
    return {p.statistic_id: p for p in research.progress(con, everything=True) if p.target_id == target_id}


# ------------------------------------------------------------------------ the shipped data


def test_a_total_is_measured_by_its_latest_statistic_by_the_deadline(con):
    p = pairs(con, "chongqing-streamers-2022")["chongqing-influential-hosts-2020"]
    assert (p.status, p.share, p.share_comparator, p.as_of, p.placed_by) == ("measured", 5, "more_than", "2020", "period")
    assert research.share_text(p) == ">5%" and p.headline
    sales = pairs(con, "hangzhou-sales-2022-opinions")["hangzhou-sales-2021-10m"]
    assert (sales.status, round(sales.share, 1), sales.as_of, sales.reported) == ("measured", 50.3, "2021-10", "2022")


def test_an_increment_builds_on_the_statistic_before_its_plan(con):
    by = pairs(con, "shenzhen-streamers-scmp-original")
    base = by["shenzhen-hosts-2022-11"]
    assert base.status == "baseline" and base.baseline_id == "shenzhen-hosts-2022-11"
    assert (base.baseline_value, base.goal, base.share) == (9260, 12260, None)  # 9,260 in November 2022, plus 3,000
    assert "2023-03-24" in base.reason and "cannot be measured yet" in base.reason
    assert not any(p.status == "measured" for p in by.values())


def test_a_percentage_is_not_measured_as_a_share(con):
    p = pairs(con, "xiamen-livestream-sales-growth-2026")["xiamen-online-retail-growth-2020-7m"]
    assert (p.status, p.share) == ("not_comparable", None)
    assert "percentages" in p.reason and "covers 7 months" in p.notes  # a yearly rate against seven months


def test_a_statistic_that_cannot_be_dated_is_not_placed(con):
    p = pairs(con, "hangzhou-streamers-2022-opinions")["hangzhou-hosts-scmp-original"]
    assert (p.status, p.as_of, p.placed_by) == ("not_placeable", None, None)
    reported = pairs(con, "hangzhou-streamers-2022-opinions")["hangzhou-hosts-2021"]
    assert (reported.status, reported.placed_by, reported.as_of) == ("measured", "report", "2022")


def test_every_target_has_one_headline_and_shares_only_where_measured(con):
    rows = con.execute("SELECT target_id, count(*) FILTER (WHERE headline), bool_and(status IN ?), "
                       "bool_and((share IS NOT NULL) = (status = 'measured')) FROM progress GROUP BY 1",
                       [sorted(STATUSES)]).fetchall()
    assert rows and all(n == 1 and known and shares for _, n, known, shares in rows)


def test_a_comparison_marks_the_share_of_a_measured_target(con):
    heads = research.headlines(con, ["shenzhen"])
    assert research.progress_mark(heads["shenzhen-sales-2025-szdaily"]) == "· 50.7%"
    assert research.progress_mark(heads["shenzhen-streamers-scmp-original"]) == ""  # a baseline, nothing measured


def test_unknown_metric_is_refused_with_a_hint(con):
    from lstui.core.errors import LstuiError

    with pytest.raises(LstuiError, match="unknown metric 'streamer'.*streamers"):
        research.progress(con, metrics=["streamer"])


# --------------------------------------------------------------- figures the data lacks so far


def stat(id_, place, metric, value, unit, **kw):
    return {"id": id_, "jurisdiction": place, "metric": metric, "value": value, "unit": unit, "comparator": "exactly",
            "basis": kw.pop("basis", "observed"), "source": kw.pop("source", "chongqing-2020-results"),
            "locator": "para 3", "note": "A figure for the tests.", **kw}


def increment(id_, place, policy, metric, value, source, locator):
    return {"id": id_, "jurisdiction": place, "increment": True, "policy": policy, "metric": metric, "value": value,
            "unit": "count", "comparator": "exactly", "deadline": 2026, "source": source, "locator": locator,
            "note": "A target for the tests."}


@pytest.fixture(scope="module")
def extra(tmp_path_factory):
    """The shipped data and some figures it lacks: a later count, a count in other units (which the
    checks refuse, so that the view's own guard is what is tested), dollars, a forecast, increments."""
    import lstui.core.validate as validate

    d = yaml.safe_load(bundled_data_path().read_text(encoding="utf-8"))
    d["statistics"] += [
        stat("t-cq-streamers-2023", "chongqing", "streamers", 20000, "count", period_start="2023-01", period_end="2023-06"),
        stat("t-cq-streamers-share", "chongqing", "streamers", 12, "percent", period="2021"),
        stat("t-sz-sales-usd", "shenzhen", "sales", 25e9, "USD", period_start="2024-01", period_end="2024-06",
             source="scmp-2023-shenzhen"),
        stat("t-hz-sales-forecast", "hangzhou", "sales", 800e9, "CNY", period="2022", basis="forecast"),
        stat("t-sz-hosts-2024", "shenzhen", "streamers", 11000, "count", period_end="2024-06", source="scmp-2023-shenzhen"),
    ]
    d["targets"] += [increment("t-xm-bases-more", "xiamen", "xiamen-livestream-action-plan-2020", "bases", 5,
                               "xiamen-2020-plan", "para 5"),
                     increment("t-hz-streamers-more", "hangzhou", "hangzhou-base-plan-2020", "streamers", 1000,
                               "thepaper-2020-05", "para 24")]
    folder = tmp_path_factory.mktemp("progress")
    data = folder / "extra.yaml"
    data.write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), encoding="utf-8")
    check = validate.check
    validate.check = lambda c, ds: [p for p in check(c, ds) if "does not match the unit" not in str(p)]
    try:
        build(data, folder / "extra.duckdb")
    finally:
        validate.check = check
    con = duckdb.connect(str(folder / "extra.duckdb"), read_only=True)
    yield con
    con.close()


def test_an_increment_is_measured_from_what_it_builds_on(extra):
    p = pairs(extra, "shenzhen-streamers-scmp-original")["t-sz-hosts-2024"]
    assert (p.status, p.baseline_id, p.progress_value, p.goal) == ("measured", "shenzhen-hosts-2022-11", 1740, 12260)
    assert round(p.share) == 58 and research.share_text(p) == "~58%"  # on "about 9,260"


def test_an_increment_without_a_statistic_before_a_dated_plan_cannot_be_measured(extra):
    (p,) = [q for q in pairs(extra, "t-hz-streamers-more").values() if q.headline]
    assert p.status == "not_measurable" and "no statistic comes before its plan (issued 2020-04-28)" in p.reason
    (q,) = pairs(extra, "t-xm-bases-more").values()
    assert q.status == "not_measurable" and "the plan's date is not known" in q.reason


def test_units_that_differ_and_times_after_the_deadline_are_said_so(extra):
    by = pairs(extra, "chongqing-streamers-2022")
    assert by["t-cq-streamers-share"].status == "not_comparable"
    assert by["t-cq-streamers-share"].reason == "units differ: the target is a count, the statistic a percentage"
    assert by["t-cq-streamers-2023"].status == "after_deadline" and "(2022)" in by["t-cq-streamers-2023"].reason
    assert by["chongqing-influential-hosts-2020"].status == "measured"  # still the latest by the deadline


def test_dollars_are_measured_at_their_stated_rate_and_forecasts_are_marked(extra):
    usd = pairs(extra, "shenzhen-sales-2025-szdaily")["t-sz-sales-usd"]
    assert usd.status == "measured" and round(usd.progress_value) == round(25e9 * usd.statistic_cny_per_usd)
    assert "CNY per USD" in usd.notes
    forecast = pairs(extra, "hangzhou-sales-2022-opinions")["t-hz-sales-forecast"]
    assert forecast.status == "measured" and "forecast" in forecast.notes


# --------------------------------------------------------------------------------- timeline


def test_a_timeline_is_in_order_with_undated_items_apart(con):
    items = research.timeline(con, "shenzhen")
    dated, undated = research.dated(items), research.undated(items)
    assert items == dated + undated and dated and undated
    assert [t.starts_on for t in dated] == sorted(t.starts_on for t in dated)
    assert all(t.date is None for t in undated)
    kinds = {(t.kind, t.record_id) for t in dated}
    assert ("follows", "shenzhen-action-plan-2023-2025") in kinds  # the 2023 plan after the 2020 one
    assert ("issued", "shenzhen-action-plan-2023-2025") in kinds and ("statistic", "shenzhen-hosts-2022-11") in kinds


def test_a_timeline_has_the_policies_of_the_measures_a_place_inherits(con):
    items = research.timeline(con, "huadu")
    inherited = [t for t in items if t.inherited]
    assert {t.record_id for t in inherited} == {"guangzhou-action-plan-2020-2022"}
    assert all(t.from_id == "guangzhou" and t.record_kind == "policy" for t in inherited)
