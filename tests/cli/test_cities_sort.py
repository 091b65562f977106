"""`lstui cities --sort COLUMN [--desc]`: the same order in every format, blanks last, ties in the default order."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lstui.cli import main
from lstui.core.queries import PLACE_SORTS
from tests.cli.conftest import run


def places(capsys, db, *args) -> list[dict]:
    code, out, _ = run(capsys, "cities", "--format", "json", *args, *db)
    assert code == 0
    return json.loads(out)


def test_sort_by_targets_descending_keeps_ties_in_the_default_order(db, capsys):
    everything = places(capsys, db)
    expected = sorted(everything, key=lambda r: (not r["n_targets"], -r["n_targets"]))
    assert [r["id"] for r in places(capsys, db, "--sort", "targets", "--desc")] == [r["id"] for r in expected]


def test_sort_by_name_either_way(db, capsys):
    everything = places(capsys, db)
    expected = [r["id"] for r in sorted(everything, key=lambda r: r["name_en"].lower())]
    assert [r["id"] for r in places(capsys, db, "--sort", "name")] == expected
    assert [r["id"] for r in places(capsys, db, "--sort", "name", "--desc")] == expected[::-1]


@pytest.mark.parametrize("column, field", [("sales", "sales_target"), ("streamer", "top_individual_incentive")])
def test_amounts_sort_by_yuan_and_blanks_come_last_both_ways(column, field, db, capsys):
    for flags, sign in ((), 1), (("--desc",), -1):
        rows = places(capsys, db, "--sort", column, *flags)
        amounts = [r[field] for r in rows]
        known = [a for a in amounts if a is not None]
        assert known and amounts[:len(known)] == sorted(known, key=lambda a: sign * a)
        assert all(a is None for a in amounts[len(known):])


def test_csv_and_table_follow_the_same_order_as_json(db, capsys):
    order = [r["id"] for r in places(capsys, db, "--sort", "sales", "--desc")]
    code, out, _ = run(capsys, "cities", "--sort", "sales", "--desc", "--format", "csv", *db)
    assert code == 0
    assert [row["id"] for row in csv.DictReader(io.StringIO(out))] == order
    code, out, _ = run(capsys, "cities", "--sort", "targets", "--desc", "--limit", "3", *db)
    top = places(capsys, db, "--sort", "targets", "--desc", "--limit", "3")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[0] == "Place"
    assert [line.split()[0] for line in lines[1:4]] == [r["name_en"].split()[0] for r in top]


def test_sort_keeps_filters_and_limit(db, capsys):
    districts = places(capsys, db, "--level", "district")
    sorted_districts = places(capsys, db, "--level", "district", "--sort", "name", "--limit", "2")
    assert [r["id"] for r in sorted_districts] == [r["id"] for r in sorted(districts, key=lambda r: r["name_en"].lower())][:2]


def test_every_column_name_is_accepted(db, capsys):
    count = len(places(capsys, db))
    for column in PLACE_SORTS:
        assert len(places(capsys, db, "--sort", column)) == count, column


@pytest.mark.parametrize("args", [["--sort", "tgts"], ["--sort", "Place"], ["--desc"]])
def test_a_bad_sort_is_a_one_line_error_listing_the_columns(args, db, capsys):
    code, out, err = run(capsys, "cities", *args, *db)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("lstui: ")
    assert "name, zh, level, province, targets, sales, streamer" in err


def test_help_explains_sort(capsys):
    with pytest.raises(SystemExit):
        main(["cities", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--sort COLUMN" in out and "--desc" in out and "name, zh, level, province, targets, sales, streamer" in out
