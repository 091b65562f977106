"""earn, cities, show, compare and export as a script or a person over SSH would use them."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest

from lstui.cli import main
from lstui.parser import build_parser
from tests.conftest import run_lstui
from tests.cli.conftest import run


# ------------------------------------------------------------------------------------- show


@pytest.mark.parametrize("name", ["huadu", "花都", "huadu qu", "Huādū Qū", "HUADU DISTRICT", "花都区"])
def test_show_finds_huadu_by_any_name(name, db, capsys):
    code, out, _ = run(capsys, "show", name, "--format", "json", *db)
    assert code == 0
    assert json.loads(out)["place"]["id"] == "huadu"


def test_show_lists_everything_about_a_place(db, capsys):
    code, out, _ = run(capsys, "show", "huadu", *db)
    assert code == 0
    out = " ".join(out.split())
    for expected in ("Huadu District", "花都区", "Policies", "Targets", "Incentives", "Inherited measures",
                     "Conflicts between reports", "Sources", "up to ¥500k", "from Guangzhou",
                     "huadu-goal-deadline-bases", "pdo-2020-07-01"):
        assert expected in out, expected


def test_show_json_has_all_sections(db, capsys):
    code, out, _ = run(capsys, "show", "shenzhen", "--format", "json", *db)
    page = json.loads(out)
    assert set(page) == {"place", "policies", "targets", "statistics", "events", "incentives",
                         "inherited_measures", "conflicts", "sources"}
    sales = [t for t in page["targets"] if t["fact_id"] == "shenzhen-sales-2025-szdaily"][0]
    assert (sales["value"], sales["comparator"], sales["deadline"]) == (300e9, "more_than", "2025")


def test_show_csv_rows(db, capsys):
    code, out, _ = run(capsys, "show", "jinan", "--format", "csv", *db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["id"] for r in rows} >= {"jinan-headquarters", "jinan-turnover"}


def test_ambiguous_name_lists_candidates_and_exits_2(db, capsys):
    code, out, err = run(capsys, "show", "guang", *db)
    assert code == 2 and out == ""
    assert "guangdong" in err and "guangzhou" in err


def test_unknown_name_suggests_close_matches_and_exits_2(db, capsys):
    code, _, err = run(capsys, "show", "shenzen", *db)
    assert code == 2
    assert "did you mean shenzhen" in err


# -------------------------------------------------------------------------------------- earn


def test_earn_table_shows_tier_and_next_tier_hint(db, capsys):
    code, out, _ = run(capsys, "earn", "--role", "streamer", "--followers", "600k", "--annual-sales", "15m",
                       "--buying-home", "--in", "huadu", *db)
    assert code == 0
    text = " ".join(out.split())  # the terminal may wrap anywhere
    assert "House-purchase reward" in text
    assert "up to ¥100k" in text
    assert "+¥5,000,001 needed" in text  # a gap in exact digits: "more than" needs the one yuan too
    assert "measure of Guangzhou" in text  # inherited measures say where they come from


def test_earn_json_is_a_list_of_results_with_stable_keys(db, capsys):
    from lstui.core.calculator import RESULT_KEYS

    code, out, _ = run(capsys, "earn", "--role", "company", "--valuation", "$1.2B", "--format", "json", *db)
    results = json.loads(out)
    assert code == 0 and results
    assert all(tuple(r) == RESULT_KEYS for r in results)
    rd = next(r for r in results if r["incentive_id"] == "yuhang-rd-subsidy")
    assert (rd["status"], rd["amount"], rd["amount_type"]) == ("eligible", 100_000_000, "up_to")


def test_earn_csv_and_markdown(db, capsys):
    code, out, _ = run(capsys, "earn", "--role", "streamer", "--followers", "500001", "--annual-sales", "60m",
                       "--buying-home", "--in", "huadu", "--format", "csv", *db)
    rows = list(csv.DictReader(io.StringIO(out)))
    house = next(r for r in rows if r["incentive_id"] == "huadu-house-allowance")
    assert (house["status"], house["tier"], house["amount"]) == ("eligible", "3", "500000")
    code, out, _ = run(capsys, "earn", "--role", "streamer", "--in", "yuhang", "--format", "markdown", *db)
    assert out.startswith("| jurisdiction_id |") and "needs_designation" in out


def test_earn_hides_other_roles_unless_asked(db, capsys):
    _, out, _ = run(capsys, "earn", "--role", "platform", "--in", "yiwu", *db)
    assert "No measure in the data applies" in out
    _, out, _ = run(capsys, "earn", "--role", "platform", "--in", "yiwu", "--all", *db)
    assert "other role" in out


@pytest.mark.parametrize("flag, value, message", [
    ("--annual-sales", "-5m", "--annual-sales: an amount cannot be negative"),
    ("--annual-sales", "12..5", "more than one decimal point"),
    ("--valuation", "$5 CNY", "mixes currencies"),
    ("--followers", "lots", "--followers: 'lots' is not a follower count"),
    ("--turnover", "", "--turnover: enter an amount"),
])
def test_earn_bad_amounts_are_clear_errors(flag, value, message, db, capsys):
    code, out, err = run(capsys, "earn", "--role", "streamer", f"{flag}={value}", *db)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_earn_limit_keeps_the_places_with_most_on_offer(db, capsys):
    args = ("earn", "--role", "company", "--turnover", "6亿", "--valuation", "$1.2B", "--new-business")
    _, out, _ = run(capsys, *args, "--format", "json", *db)
    everything = json.loads(out)
    offered = {r["jurisdiction_id"] for r in everything if r["status"] != "not_applicable"}
    assert len(offered) > 2
    _, out, _ = run(capsys, *args, "--limit", "1", "--format", "json", *db)
    best = json.loads(out)
    assert {r["jurisdiction_id"] for r in best} == {"yuhang"}  # 100 million yuan R&D subsidy
    assert best == [r for r in everything if r["jurisdiction_id"] == "yuhang"]
    _, out, _ = run(capsys, *args, "--limit", "1", *db)
    text = " ".join(out.split())
    assert f"{len(offered) - 1} more places have measures for this role (--limit 0 lists them all" in text
    assert "Totals per place" in text and "Huadu" not in text
    _, out, _ = run(capsys, *args, "--limit", "0", *db)
    assert "more places" not in out and "Huadu" in out


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_earn_limit_must_be_a_whole_number(value, db, capsys):
    with pytest.raises(SystemExit) as exit_:  # argparse's usage error
        main(["earn", "--role", "streamer", f"--limit={value}", *db])
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == "" and "argument --limit:" in err


def test_earn_unknown_place_exits_2(db, capsys):
    code, _, err = run(capsys, "earn", "--role", "streamer", "--in", "atlantis", *db)
    assert code == 2 and "no place called 'atlantis'" in err


# ------------------------------------------------------------------------------------ cities


@pytest.mark.parametrize("search, expected", [
    ("shen", {"shenzhen", "tianjin-eco-city"}),  # Shēngtàichéng
    ("深圳", {"shenzhen"}),
    ("广", {"guangdong", "guangzhou"}),
    ("huadu qu", {"huadu"}),
    ("Huādū", {"huadu"}),
    ("jinan shi", {"jinan"}),
])
def test_cities_search_by_english_chinese_and_pinyin(search, expected, db, capsys):
    code, out, _ = run(capsys, "cities", "--search", search, "--format", "json", *db)
    assert code == 0
    assert {r["id"] for r in json.loads(out)} == expected


def test_cities_filters(db, capsys):
    _, out, _ = run(capsys, "cities", "--province", "guangdong", "--format", "json", *db)
    assert {r["id"] for r in json.loads(out)} == {"guangdong", "guangzhou", "shenzhen", "huadu", "conghua",
                                                  "luohu", "longgang"}
    _, out, _ = run(capsys, "cities", "--province", "广东", "--level", "district", "--format", "json", *db)
    assert {r["id"] for r in json.loads(out)} == {"huadu", "conghua", "luohu", "longgang"}
    _, out, _ = run(capsys, "cities", "--has-incentives", "--format", "json", *db)
    assert {r["id"] for r in json.loads(out)} == {"guangzhou", "huadu", "conghua", "shenzhen", "yuhang", "yiwu",
                                                  "luohu", "longgang", "tianjin-eco-city", "wuxi", "xiamen"}
    _, out, _ = run(capsys, "cities", "--money-for", "individuals", "--format", "json", *db)
    assert {r["id"] for r in json.loads(out)} == {"huadu", "yuhang", "tianjin-eco-city"}


def test_cities_table(db, capsys):
    code, out, _ = run(capsys, "cities", "--search", "huadu", *db)
    assert code == 0 and "花都区" in out and "up to ¥500k" in out and "1 place" in out and "1 places" not in out


def test_cities_limit(db, capsys):
    _, out, _ = run(capsys, "cities", "--format", "json", *db)
    everything = json.loads(out)
    _, out, _ = run(capsys, "cities", "--limit", "3", "--format", "json", *db)
    assert json.loads(out) == everything[:3]
    _, out, _ = run(capsys, "cities", "--limit", "3", *db)
    assert f"3 of {len(everything)} places; --limit 0 lists them all" in " ".join(out.split())
    _, out, _ = run(capsys, "cities", "--limit", "0", *db)
    assert f"{len(everything)} places" in out and " of " not in out.splitlines()[-1]


# ----------------------------------------------------------------------------------- compare


def test_compare_puts_metrics_in_rows_and_places_in_columns(db, capsys):
    code, out, _ = run(capsys, "compare", "shenzhen", "guangzhou", "jinan", "--format", "json", *db)
    rows = {r["metric"]: r for r in json.loads(out)}
    assert code == 0
    assert set(rows["streamers"]["cells"]) == {"shenzhen", "guangzhou", "jinan"}
    sz = rows["top_streamers"]["cells"]["shenzhen"]
    assert {v["comparator"] for v in sz} == {"more_than", "exactly"} and all(v["has_conflict"] for v in sz)
    _, out, _ = run(capsys, "compare", "shenzhen", "jinan", "--metric", "sales", "--format", "json", *db)
    assert json.loads(out)[0]["largest"] == "shenzhen"  # 300 billion yuan against 180 billion


def test_compare_table_flags_conflicts(db, capsys):
    code, out, _ = run(capsys, "compare", "重庆", "qingdao", "huadu", "--metric", "streamers", "sales", *db)
    assert code == 0
    assert "10,000 by 2022" in out and ">1,000 by 2022 !" in out and "sources disagree" in out


def test_compare_markdown_and_csv(db, capsys):
    _, out, _ = run(capsys, "compare", "shenzhen", "jinan", "--format", "markdown", *db)
    assert out.splitlines()[0] == "| metric | label | unit | shenzhen | jinan |"
    _, out, _ = run(capsys, "compare", "shenzhen", "jinan", "--metric", "brands", "--format", "csv", *db)
    # Jinan's brands: "more than 300" in People's Daily, "300 or more" (以上) in the plan's report
    assert list(csv.reader(io.StringIO(out)))[1] == ["brands", "Brands cultivated", "count", "",
                                                     ">300 ! | >=300 2020 plan !"]


def test_compare_needs_known_metrics_and_two_places(db, capsys):
    code, _, err = run(capsys, "compare", "shenzhen", "jinan", "--metric", "streamer", *db)
    assert code == 2 and "unknown metric 'streamer'" in err and "streamers" in err
    code, _, err = run(capsys, "compare", "shenzhen", *db)
    assert code == 2 and "at least two places" in err


# ------------------------------------------------------------------------------------ export


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_export_writes_every_public_view(fmt, db, capsys, tmp_path):
    out_dir = tmp_path / "export"
    code, out, _ = run(capsys, "export", "--format", fmt, "--out", str(out_dir), *db)
    assert code == 0
    names = {p.name for p in out_dir.iterdir()}
    for view in ("jurisdictions", "sources", "facts", "conflicts", "incentive_rules", "places"):
        assert f"{view}.{fmt}" in names
    reader = {"csv": "read_csv", "parquet": "read_parquet", "json": "read_json"}[fmt]
    with duckdb.connect() as con:
        n = con.execute(f"SELECT count(*) FROM {reader}(?)", [str(out_dir / f"facts.{fmt}")]).fetchone()[0]
    assert n > 100 and f"facts.{fmt}\t{n} rows" in out


def test_export_to_an_unwritable_place_is_a_clear_error(db, capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "export", "--format", "csv", "--out", str(blocker / "sub"), *db)
    assert code == 2 and "cannot create" in err


# -------------------------------------------------------------------------------- conventions


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, subparser in sub.choices.items():
        assert "examples:" in subparser.format_help(), name


def test_data_on_stdout_messages_on_stderr(tmp_path, shipped_yaml):
    """Even when a rebuild announces itself, stdout stays clean JSON."""
    result = run_lstui("cities", "--format", "json", "--data", str(shipped_yaml), "--db", str(tmp_path / "new.duckdb"))
    assert result.returncode == 0
    assert "building" in result.stderr
    assert json.loads(result.stdout)


def test_no_colour_when_piped_or_with_no_color(shipped_db, shipped_yaml):
    for env in ({"NO_COLOR": "1", "FORCE_COLOR": ""}, {"NO_COLOR": "", "TERM": "xterm-256color"}):
        result = run_lstui("show", "huadu", "--data", str(shipped_yaml), "--db", str(shipped_db), env=env)
        assert result.returncode == 0
        assert "\x1b[" not in result.stdout


def test_colour_on_a_terminal_but_not_with_no_color(shipped_db, shipped_yaml):
    forced = run_lstui("earn", "--role", "streamer", "--in", "yuhang", "--data", str(shipped_yaml),
                       "--db", str(shipped_db), env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in forced.stdout
    plain = run_lstui("earn", "--role", "streamer", "--in", "yuhang", "--data", str(shipped_yaml),
                      "--db", str(shipped_db), env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout


def test_show_accepts_a_name_split_over_several_words(db, capsys):
    code, out, _ = run(capsys, "show", "huadu", "qu", "--format", "json", *db)
    assert code == 0 and json.loads(out)["place"]["id"] == "huadu"


def test_earn_in_us_dollars_and_chinese_style(db, capsys):
    _, out, _ = run(capsys, "earn", "--role", "streamer", "--in", "yuhang", "--currency", "USD", *db)
    text = " ".join(out.split())
    assert "up to US$706.5k" in text  # 5 million yuan at the rate the article states
    assert "possible up to US$706.5k" in text  # the totals too
    _, out, _ = run(capsys, "earn", "--role", "streamer", "--in", "yuhang", "--style", "chinese", *db)
    assert "¥500万" in out


def test_show_lists_events_without_an_empty_value_column(db, capsys):
    code, out, _ = run(capsys, "show", "jimo", *db)
    header = out.splitlines()[out.splitlines().index("Events") + 1]
    assert code == 0 and header.split() == ["What", "When", "Source"]
    code, out, _ = run(capsys, "show", "chongqing", *db)
    lines = out.splitlines()
    assert code == 0 and lines[lines.index("Targets") + 1].split()[:2] == ["What", "Value"]
