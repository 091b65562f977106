"""`lstui progress` and `lstui timeline` in every --format, and the share marked in `lstui compare`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.conftest import run


def flat(out: str) -> str:
    return " ".join(out.split())  # the terminal may wrap anywhere


# ---------------------------------------------------------------------------------- progress


def test_progress_table_shows_the_share_and_why_pairs_are_not_measured(db, capsys):
    code, out, _ = run(capsys, "progress", "shenzhen", "xiamen", *db)
    text = flat(out)
    assert code == 0
    assert "Shenzhen · Sales / turnover: >¥300bn by 2025" in text and "50.7% reached: ¥152bn" in text
    assert "builds on: ~9,260" in text and "12,260 in all" in text and "cannot be measured yet" in text
    assert "not comparable: 23.4%" in text and "both are percentages" in text
    assert "not placeable" in text and "targets with a statistic of the same place and metric" in text


def test_progress_json_is_the_view_s_records(db, capsys):
    code, out, _ = run(capsys, "progress", "chongqing", "--metric", "streamers", "--format", "json", *db)
    rows = json.loads(out)
    assert code == 0 and {r["metric"] for r in rows} == {"streamers"}
    (p,) = [r for r in rows if r["target_id"] == "chongqing-streamers-2022"]
    assert (p["statistic_id"], p["status"], p["share"], p["share_comparator"], p["deadline"]) == \
        ("chongqing-influential-hosts-2020", "measured", 5, "more_than", "2022")
    assert {"reason", "notes", "as_of", "reported", "baseline_id", "goal", "headline"} <= set(p)


def test_progress_csv_and_markdown_word_each_pair(db, capsys):
    _, out, _ = run(capsys, "progress", "hangzhou", "--format", "csv", *db)
    rows = list(csv.DictReader(io.StringIO(out)))
    sales = [r for r in rows if r["target_id"] == "hangzhou-sales-2022-opinions" and r["headline"] == "true"][0]
    assert (sales["progress"], sales["statistic_id"], sales["as_of"]) == ("50.3% reached", "hangzhou-sales-2021-10m",
                                                                          "2021-10")
    assert float(sales["share"]) == pytest.approx(50.3)
    _, out, _ = run(capsys, "progress", "hangzhou", "--format", "markdown", *db)
    assert out.splitlines()[0].startswith("| jurisdiction_id | place | metric | label | target_id | target |")
    assert "not placeable" in out


def test_progress_of_every_place_and_bad_metrics(db, capsys):
    code, out, _ = run(capsys, "progress", "--format", "json", *db)
    assert code == 0 and {"shenzhen", "hangzhou", "chongqing", "xiamen"} <= {r["jurisdiction_id"] for r in json.loads(out)}
    code, _, err = run(capsys, "progress", "--metric", "streamer", *db)
    assert code == 2 and "unknown metric 'streamer'" in err
    code, out, _ = run(capsys, "progress", "huadu", *db)  # targets, but no statistic of their metrics
    assert code == 0 and "No target here has a statistic" in out


# ---------------------------------------------------------------------------------- timeline


def test_timeline_table_is_in_order_with_undated_items_apart(db, capsys):
    code, out, _ = run(capsys, "timeline", "huadu", *db)
    assert code == 0
    text = flat(out)
    first, rest = text.split("Undated", 1)
    assert first.index("2020-03-24 issued") < first.index("2020-08-20 issued") < first.index("2022 target due")
    assert "inherited from Guangzhou" in first and "Tasks in a plan: 6" in rest


def test_timeline_dates_a_statistic_by_the_span_it_covers(db, capsys):
    """Shenzhen's sales of the first eleven months of 2022 are not dated January 2022."""
    code, out, _ = run(capsys, "timeline", "shenzhen", *db)
    lines = [line for line in out.splitlines() if "¥152bn" in line]
    assert code == 0 and lines and all(line.startswith("2022-01..11 statistic") for line in lines)
    code, out, _ = run(capsys, "timeline", "chongqing", *db)  # January to December: the year
    assert code == 0 and any(line.split()[:4] == ["2020", "statistic", "Sales", "/"] and ">¥10bn 2020" in line
                             for line in out.splitlines())


def test_timeline_json_puts_undated_items_apart(db, capsys):
    code, out, _ = run(capsys, "timeline", "深圳", "--format", "json", *db)
    page = json.loads(out)
    assert code == 0 and set(page) == {"place", "dated", "undated"} and page["place"]["id"] == "shenzhen"
    days = [t["starts_on"] for t in page["dated"]]
    assert days == sorted(days) and all(t["date"] is None and t["starts_on"] is None for t in page["undated"])
    follows = [t for t in page["dated"] if t["kind"] == "follows"]
    assert [(t["record_id"], t["other_id"]) for t in follows] == [("shenzhen-action-plan-2023-2025", "shenzhen-plan-2020")]


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_timeline_rows(fmt, db, capsys):
    code, out, _ = run(capsys, "timeline", "huadu", "--format", fmt, *db)
    assert code == 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[0]["date"] == "2020" and rows[-1]["date"] == "" and rows[-1]["kind"] == "statistic"
        assert {r["inherited"] for r in rows} == {"true", "false"}
    else:
        assert out.splitlines()[0] == "| date | date_end | kind | what | inherited | from_id | record_id | source_id | locator |"


def test_timeline_needs_a_known_place(db, capsys):
    code, _, err = run(capsys, "timeline", "shenzen", *db)
    assert code == 2 and "did you mean shenzhen" in err


# ----------------------------------------------------------------------------------- compare


def test_compare_marks_the_share_a_target_reached(db, capsys):
    code, out, _ = run(capsys, "compare", "shenzhen", "jinan", "--metric", "sales", *db)
    text = flat(out)
    assert code == 0 and "· 50.7%" in text and "· >0.56%" in text and "the share of the target" in text
    _, out, _ = run(capsys, "compare", "shenzhen", "jinan", "--metric", "sales", "--format", "csv", *db)
    assert "%" not in out  # files keep the figures as they were


# ----------------------------------------------------------------------------- headless


@pytest.mark.parametrize("args", [["progress", "shenzhen"], ["timeline", "huadu", "--format", "json"]], ids=" ".join)
def test_progress_and_timeline_do_not_import_textual(args, shipped_db, shipped_yaml):
    import subprocess
    import sys

    from tests.cli.test_import_hygiene import PROBE

    full = [*args, "--data", str(shipped_yaml), "--db", str(shipped_db)]
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=full)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL:\n" in result.stderr, result.stderr
