"""What the command line says reads as English: no Python None, plurals that agree."""

from __future__ import annotations

import re

import duckdb
import pytest

from lstui.cli import main


@pytest.fixture
def db(shipped_db, shipped_yaml):
    return ["--data", str(shipped_yaml), "--db", str(shipped_db)]


@pytest.fixture(scope="module")
def place_ids(shipped_db):
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        return [pid for (pid,) in con.execute("SELECT id FROM jurisdictions ORDER BY id").fetchall()]


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


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
