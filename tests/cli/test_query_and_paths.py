"""`lstui query` is read-only; `lstui path`, --data/--db and LSTUI_* choose the files."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lstui.cli import main


@pytest.fixture
def db_args(shipped_db, shipped_yaml):
    return ["--data", str(shipped_yaml), "--db", str(shipped_db)]


@pytest.mark.parametrize("sql, message", [
    ("INSERT INTO internal.sources (id) VALUES ('x')", "INSERT statements are refused"),
    ("CREATE TABLE t (a INT)", "CREATE statements are refused"),
    ("DELETE FROM internal.targets", "DELETE statements are refused"),
    ("DROP VIEW facts", "DROP statements are refused"),
    ("COPY (SELECT 1) TO 'out.csv'", "COPY ... TO needs --allow-files"),
    ("ATTACH 'other.duckdb'", "ATTACH statements are refused"),
    ("INSTALL httpfs", "LOAD statements are refused"),
    ("SET enable_external_access = true", "SET statements are refused"),
    ("SELECT * FROM read_csv('/etc/passwd')", "use --allow-files"),
    ("SELECT 1; DELETE FROM internal.targets", "DELETE statements are refused"),
    ("UPDATE internal.sources SET title = 'x'", "UPDATE statements are refused"),
    ("LOAD httpfs", "LOAD statements are refused"),
    ("SET lock_configuration = false", "SET statements are refused"),
    ("EXPORT DATABASE 'exported'", "EXPORT statements are refused"),
    ("PRAGMA database_size", "PRAGMA statements are refused"),
    ("CALL pragma_version()", "CALL statements are refused"),
    ("DETACH policies", "DETACH statements are refused"),
    ("SELECT * FROM read_text('/etc/hostname')", "use --allow-files"),
    ("SELECT * FROM glob('/etc/*')", "use --allow-files"),
    ("SELECT * FROM read_parquet('elsewhere.parquet')", "use --allow-files"),
])
def test_writes_and_file_access_are_refused(sql, message, db_args, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["query", sql, *db_args]) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_allow_files_lifts_the_file_restriction(db_args, capsys, tmp_path):
    data = tmp_path / "extra.csv"
    data.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["query", f"SELECT b FROM read_csv('{data}')", "--format", "csv", "--allow-files", *db_args]) == 0
    assert capsys.readouterr().out.split() == ["b", "2"]


def test_sql_errors_are_messages(db_args, capsys):
    assert main(["query", "SELECT nope FROM facts", *db_args]) == 2
    err = capsys.readouterr().err
    assert "SQL error" in err and "Traceback" not in err


def test_csv_and_json_output(db_args, capsys):
    sql = "SELECT id, name_zh, parent_id FROM jurisdictions WHERE id IN ('huadu', 'china') ORDER BY id"
    assert main(["query", sql, "--format", "csv", *db_args]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["id", "name_zh", "parent_id"], ["china", "中国", ""], ["huadu", "花都区", "guangzhou"]]
    assert main(["query", sql, "--format", "json", *db_args]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"id": "china", "name_zh": "中国", "parent_id": None},
        {"id": "huadu", "name_zh": "花都区", "parent_id": "guangzhou"}]


def test_table_output_shows_rows(db_args, capsys):
    assert main(["query", "SELECT id, level FROM jurisdictions WHERE id = 'yuhang'", *db_args]) == 0
    out = capsys.readouterr().out
    assert "yuhang" in out and "district" in out


def test_path_prints_the_database(db_args, shipped_db, capsys):
    assert main(["path", *db_args]) == 0
    assert capsys.readouterr().out.strip() == str(shipped_db)


def test_global_options_go_before_or_after_the_command(shipped_db, shipped_yaml, capsys):
    assert main(["--db", str(shipped_db), "--data", str(shipped_yaml), "path"]) == 0
    assert capsys.readouterr().out.strip() == str(shipped_db)


def test_environment_chooses_data_and_database(shipped_db, shipped_yaml, monkeypatch, capsys):
    monkeypatch.setenv("LSTUI_DB", str(shipped_db))
    monkeypatch.setenv("LSTUI_DATA", str(shipped_yaml))
    assert main(["path"]) == 0
    assert capsys.readouterr().out.strip() == str(shipped_db)


def test_default_database_lives_in_the_cache(tmp_path, capsys):
    assert main(["path"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "cache" / "lstui" / "policies.duckdb")


def test_unwritable_database_location_is_a_clear_error(tmp_path, shipped_yaml, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert main(["path", "--data", str(shipped_yaml), "--db", str(blocker / "sub" / "x.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "--db" in err and "Traceback" not in err
