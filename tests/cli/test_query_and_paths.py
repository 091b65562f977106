"""`lstui query` is read-only; `lstui path`, --data/--db and LSTUI_* choose the files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

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


@pytest.mark.parametrize("sql, hint", [
    ("SELECT * FROM fact", 'Did you mean "facts"?'),
    ("SELECT jurisdiction_idd FROM facts", 'Candidate bindings: "jurisdiction_id"'),
])
def test_sql_errors_keep_duckdbs_hint_on_one_line(sql, hint, db_args, capsys):
    assert main(["query", sql, *db_args]) == 2
    err = capsys.readouterr().err
    assert hint in err and "Traceback" not in err and "LINE 1" not in err
    assert len(err.strip().splitlines()) == 1


def test_sql_errors_show_control_characters(db_args, capsys):
    assert main(["query", 'SELECT * FROM "fa\x1b[31mct"', *db_args]) == 2
    err = capsys.readouterr().err
    assert "fa␛[31mct" in err and "\x1b" not in err and "Did you mean" in err


@pytest.mark.parametrize("sql, count", [("SELECT 1; SELECT 2", 2), ("SELECT 1; SELECT 2; EXPLAIN SELECT 3", 3)])
def test_more_than_one_statement_is_refused(sql, count, db_args, capsys):
    assert main(["query", sql, "--format", "csv", *db_args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"{count} statements given; run them one at a time" in err


def test_one_statement_with_a_trailing_semicolon_is_fine(db_args, capsys):
    assert main(["query", "SELECT 1 AS one;", "--format", "csv", *db_args]) == 0
    assert capsys.readouterr().out.split() == ["one", "1"]


def test_dash_reads_the_statement_from_stdin(db_args, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT id\nFROM jurisdictions\nWHERE id = 'huadu'\n"))
    assert main(["query", "-", "--format", "csv", *db_args]) == 0
    assert capsys.readouterr().out.split() == ["id", "huadu"]


def test_dash_from_a_real_pipe(db_args):
    def query_stdin(data: bytes) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "lstui", "query", "-", "--format", "json", *db_args],
                              input=data, capture_output=True, timeout=60)

    result = query_stdin(b"SELECT 42 AS answer")
    assert result.returncode == 0 and json.loads(result.stdout) == [{"answer": 42}]
    result = query_stdin(b"")
    assert result.returncode == 2 and b"no SQL statement given" in result.stderr
    result = query_stdin(b"SELECT '\xff'")
    assert result.returncode == 2 and result.stderr.decode().strip() == "lstui: the SQL is not UTF-8 text"


def test_query_help_explains_the_dash(capsys):
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "or - to read it from stdin" in out and "lstui query - < report.sql" in out


@pytest.mark.parametrize("argv, command", [
    (["--data", "policies.yaml", "--db", "policies.duckdb"], None),  # the app: it handles its own signals
    (["--db", "show"], None),
    (["--data", "policies.yaml", "show", "huadu"], "show"),
    (["earn", "--role", "streamer", "--followers", "1m"], "earn"),
])
def test_the_command_is_told_apart_from_option_values(argv, command):
    from lstui.parser import parse

    assert parse(argv).command == command
