"""What the command line says reads as English: no Python None, plurals that agree."""

from __future__ import annotations

import re

import duckdb
import pytest

from lstui.cli import main
from tests.cli.conftest import run


@pytest.fixture(scope="module")
def place_ids(shipped_db):
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        return [pid for (pid,) in con.execute("SELECT id FROM jurisdictions ORDER BY id").fetchall()]


NONE = re.compile(r"\bNone\b")


def test_show_says_resolution_where_no_report_is_preferred(db, capsys):
    _, out, _ = run(capsys, "show", "shenzhen", *db)
    line = next(line for line in out.splitlines() if "artefact of the rewording" in line)
    assert line.strip().startswith("resolution: The SCMP original")


def test_show_names_the_preferred_report_with_its_resolution(db, capsys):
    _, out, _ = run(capsys, "show", "huadu", *db)
    assert "preferred huadu-house-allowance" in out


def test_no_python_none_on_any_page(place_ids, db, capsys):
    for place in place_ids:
        for fmt in ("table", "markdown", "csv"):
            _, out, _ = run(capsys, "show", place, "--format", fmt, *db)
            assert not NONE.search(out), (place, fmt)


@pytest.mark.parametrize("args", [
    ("cities", "--limit", "0"),
    ("compare", "shenzhen", "guangzhou", "jinan", "chongqing", "huadu", "qingdao"),
    ("earn", "--role", "streamer", "--limit", "0", "--all"),
    ("earn", "--role", "company", "--limit", "0", "--all", "--format", "markdown"),
    ("earn", "--role", "mcn", "--limit", "0", "--all", "--format", "csv"),
    ("query", "SELECT * FROM conflicts"),
], ids=" ".join)
def test_no_python_none_in_lists(args, db, capsys):
    code, out, _ = run(capsys, *args, *db)
    assert code == 0 and not NONE.search(out)


# ------------------------------------------------------------------------------- plurals


def test_cities_footer_agrees_with_the_count(db, capsys):
    _, out, _ = run(capsys, "cities", "--search", "huadu", *db)
    assert out.splitlines()[-1] == "1 place"
    _, out, _ = run(capsys, "cities", "--search", "hua", *db)
    assert out.splitlines()[-1] == "4 places"


def test_export_counts_rows_in_words(db, capsys, tmp_path):
    _, out, err = run(capsys, "export", "--out", str(tmp_path), *db)
    assert f"{tmp_path / 'build_info.csv'}\t1 row\n" in out and "\t1 rows" not in out
    assert "exported 15 views" in err


def test_earn_notes_agree_with_their_counts():
    from lstui.cli import _earn_notes

    assert _earn_notes(1, 1) == [
        "1 more place has measures for this role (--limit 0 lists them all; --in PLACE picks some).",
        "1 measure for other roles is not shown (--all shows it)."]
    assert _earn_notes(2, 3) == [
        "2 more places have measures for this role (--limit 0 lists them all; --in PLACE picks some).",
        "3 measures for other roles are not shown (--all shows them)."]
    assert _earn_notes(0, 0) == []


def test_earn_says_how_many_measures_it_hides(db, capsys):
    _, out, _ = run(capsys, "earn", "--role", "mcn", "--in", "huadu", *db)
    note = out.splitlines()[-1]
    n = int(note.split()[0])
    assert note == (f"{n} measure for other roles is not shown (--all shows it)." if n == 1 else
                    f"{n} measures for other roles are not shown (--all shows them).")


# -------------------------------------------------------------------------------- amounts


@pytest.mark.parametrize("value", ["lots", "$5", ""])
def test_follower_errors_give_count_examples(value, db, capsys):
    code, out, err = run(capsys, "earn", "--role", "streamer", f"--followers={value}", *db)
    assert code == 2 and out == ""
    assert "500k" in err and "50万" in err and "$" not in err.replace(f"'{value}'", "")


@pytest.mark.parametrize("flag, value, message", [
    ("--annual-sales", "-1m", "--annual-sales: an amount cannot be negative"),
    ("--valuation", "-5", "--valuation: an amount cannot be negative"),
    ("--turnover", "-2亿", "--turnover: an amount cannot be negative"),
    ("--followers", "-3", "--followers: a follower count cannot be negative"),
    ("--annual-sales", "-$5m", "--annual-sales: an amount cannot be negative"),
    ("--valuation", "-.5b", "--valuation: an amount cannot be negative"),
])
def test_negative_amounts_as_separate_words_are_one_line_errors(flag, value, message, db, capsys):
    code, out, err = run(capsys, "earn", "--role", "streamer", flag, value, *db)
    assert (code, out) == (2, "")
    assert err.strip() == f"lstui: {message}"


def test_an_option_after_an_amount_flag_is_still_an_option(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["earn", "--role", "streamer", "--annual-sales", "--followers", "5", *db])
    assert exit_.value.code == 2 and "--annual-sales: expected one argument" in capsys.readouterr().err


def test_attach_dash_values_touches_only_amount_flags():
    from lstui.parser import attach_dash_values

    assert attach_dash_values(["earn", "--turnover", "-2亿", "--limit", "-1", "--in", "-x"]) == \
        ["earn", "--turnover=-2亿", "--limit", "-1", "--in", "-x"]
    assert attach_dash_values(["earn", "--valuation", "--all"]) == ["earn", "--valuation", "--all"]
    assert attach_dash_values(["earn", "--followers", "-h"]) == ["earn", "--followers", "-h"]
    assert attach_dash_values(["query", "--", "--followers", "-3"]) == ["query", "--", "--followers", "-3"]


@pytest.mark.parametrize("currency", ["usd", "USD", "Usd"])
def test_currency_is_case_insensitive(currency, db, capsys):
    code, out, _ = run(capsys, "earn", "--role", "streamer", "--in", "yuhang", "--currency", currency, *db)
    assert code == 0 and "US$706.5k" in " ".join(out.split())
