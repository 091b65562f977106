"""`lstui query` and `lstui export` under faults: Ctrl+C on a long statement, values JSON has no
word for, statements that hide a write, a stdout that is closed, a planted symlink, a failure
half-way through an export."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import errno
import io
import json
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstui.cli import main
from lstui.core import export as queries
from lstui.output import write_rows


@pytest.fixture
def db(shipped_db, shipped_yaml) -> list[str]:
    return ["--data", str(shipped_yaml), "--db", str(shipped_db)]


def lstui_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "lstui", *args]


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, which are not JSON (RFC 8259)."""
    def refuse(word):
        raise ValueError(f"{word} is not JSON")

    return json.loads(text, parse_constant=refuse)


def query(capsys, sql: str, db: list[str], fmt: str = "json") -> tuple[int, str, str]:
    code = main(["query", sql, "--format", fmt, *db])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------- Ctrl+C on a long query


def default_sigint() -> None:
    # A test runner started in the background of a shell ignores SIGINT, and its children would
    # inherit that; a terminal's Ctrl+C always finds Python's own handler.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_query(sql: str, db: list[str]) -> subprocess.Popen:
    return subprocess.Popen(lstui_command("query", sql, "--allow-files", *db), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)


def opened_by_query(fifo: Path, proc: subprocess.Popen, timeout: float = 60) -> int:
    """Our write end of `fifo`, once the query has opened it for reading: its statement is running."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: nobody reads it yet
                raise
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"the query never started: {proc.communicate()}")
        time.sleep(0.01)


def long_query(fifo: Path) -> str:
    """A statement that first reads `fifo` (the sign that it runs), then works for minutes."""
    return ("SELECT sum(hash(range)) FROM range(100000000000) "
            f"WHERE (SELECT max(length(content)) FROM read_text('{fifo}')) >= 0")


@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_stops_a_long_query_with_130_and_one_line(attempt, db, tmp_path):
    fifo = tmp_path / "started"
    os.mkfifo(fifo)
    proc = start_query(long_query(fifo), db)
    os.close(opened_by_query(fifo, proc))  # end of file: the statement goes on to its long part
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError(f"Ctrl+C did not stop the query: {proc.communicate()}") from None
    assert time.monotonic() - sent < 5
    assert (proc.returncode, out, err) == (130, "", "lstui: interrupted\n")


def test_a_running_query_holds_a_shared_lock_that_read_write_opens_wait_for(shipped_db, shipped_yaml, tmp_path):
    """What the README says about locks: readers share the file, a read-write open fails meanwhile."""
    copy = tmp_path / "policies.duckdb"  # not the session's database: no other connection in this process
    shutil.copyfile(shipped_db, copy)
    fifo = tmp_path / "started"
    os.mkfifo(fifo)
    proc = start_query(f"SELECT max(length(content)) AS n FROM read_text('{fifo}')",
                       ["--data", str(shipped_yaml), "--db", str(copy)])
    writer = opened_by_query(fifo, proc)  # held open: the statement waits for it, and holds the file
    try:
        duckdb.connect(str(copy), read_only=True).close()
        with pytest.raises(duckdb.IOException, match="Could not set lock on file .*Conflicting lock is held"):
            duckdb.connect(str(copy))
    finally:
        os.close(writer)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    duckdb.connect(str(copy)).close()  # the query is over: the lock went with it


# ---------------------------------------------------------------- every type as valid JSON


UUID = "6b1f0d4c-6b2e-4a8e-9c53-2d1c3f0f9a10"
# name: (SQL for one value, what --format json gives for it, as documented in docs/cli.md)
TYPES = {
    "double_nan": ("'nan'::DOUBLE", "NaN"),
    "double_inf": ("'inf'::DOUBLE", "Infinity"),
    "double_minus_inf": ("'-inf'::DOUBLE", "-Infinity"),
    "float_inf": ("'-inf'::FLOAT", "-Infinity"),
    "double": ("0.1::DOUBLE", 0.1),
    "interval_day": ("INTERVAL 1 DAY", "P1D"),
    "interval_month": ("INTERVAL 1 MONTH", "P30D"),
    "interval_year": ("INTERVAL 1 YEAR", "P360D"),
    "interval_mixed": ("INTERVAL '1 day 2 hours 3 minutes 4.5 seconds'", "P1DT2H3M4.5S"),
    "interval_negative": ("INTERVAL '-1 day 2 hours'", "-PT22H"),
    "interval_zero": ("INTERVAL 0 SECOND", "PT0S"),
    "interval_micro": ("INTERVAL 1 MICROSECOND", "PT0.000001S"),
    "uuid": (f"'{UUID}'::UUID", UUID),
    "decimal": ("1.10::DECIMAL(5, 2)", 1.1),
    "decimal_small": ("0.0000001::DECIMAL(10, 8)", 1e-07),
    "decimal_whole": ("12345678901234567890::DECIMAL(38, 0)", 12345678901234567890),
    "decimal_long": ("12345678901234567890.123456789::DECIMAL(38, 9)", "12345678901234567890.123456789"),
    "decimal_third": ("'0.33333333333333333'::DECIMAL(18, 17)", "0.33333333333333333"),
    "bigint": ("9007199254740993::BIGINT", 9007199254740993),
    "hugeint": ("170141183460469231731687303715884105727::HUGEINT", 2**127 - 1),
    "uhugeint": ("340282366920938463463374607431768211455::UHUGEINT", 2**128 - 1),
    "blob": (r"'\xAA\x00'::BLOB", "aa00"),
    "bit": ("'0101'::BIT", "0101"),
    "time_tz": ("'12:00:00+05'::TIMETZ", "12:00:00+05:00"),
    "date": ("DATE '2024-02-29'", "2024-02-29"),
    "timestamp": ("TIMESTAMP '2024-02-29 12:34:56.5'", "2024-02-29T12:34:56.500000"),
    "enum": ("'b'::ENUM('a', 'b')", "b"),
    "map": ("MAP {'k': 1}", {"k": 1}),
    "map_date_keys": ("MAP {DATE '2024-01-01': 'x'}", {"2024-01-01": "x"}),
    "struct": ("{'x': 1, 'y': [1.5, 'nan'::DOUBLE]}", {"x": 1, "y": [1.5, "NaN"]}),
    "list": ("[1, NULL, 3]", [1, None, 3]),
    "array": ("[1, 2]::INTEGER[2]", [1, 2]),
    "union": ("union_value(num := 2)::UNION(num INTEGER, s VARCHAR)", 2),
    "boolean": ("true", True),
    "null": ("NULL", None),
}
EVERY_TYPE = ("SELECT " + ", ".join(f"{sql} AS {name}" for name, (sql, _) in TYPES.items())
              + ", '2024-01-01 12:00:00+05'::TIMESTAMPTZ AS timestamp_tz")


def test_every_type_gives_valid_json_with_the_documented_values(db, capsys):
    code, out, err = query(capsys, EVERY_TYPE, db)
    assert (code, err) == (0, "")
    (row,) = strict_json(out)
    # an instant, written in the session's time zone (whatever the machine's is)
    assert dt.datetime.fromisoformat(row.pop("timestamp_tz")) == dt.datetime(2024, 1, 1, 7, tzinfo=dt.timezone.utc)
    assert row == {name: value for name, (_, value) in TYPES.items()}


@pytest.mark.parametrize("fmt", ["csv", "table", "markdown"])
def test_every_type_prints_as_csv_table_and_markdown(fmt, db, capsys):
    code, out, err = query(capsys, EVERY_TYPE, db, fmt)
    assert (code, err) == (0, "")
    for text in ("NaN", "-Infinity", "P1DT2H3M4.5S", "-PT22H", UUID, "12345678901234567890.123456789", "aa00"):
        assert text in out, (fmt, text)


def test_csv_writes_numbers_a_reader_takes_for_numbers(db, capsys):
    code, out, _ = query(capsys, EVERY_TYPE, db, "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["hugeint"] == str(2**127 - 1) and row["bigint"] == "9007199254740993"  # no thousands separators
    assert row["decimal"] == "1.10" and row["decimal_small"] == "0.00000010"  # DuckDB's digits, as they are
    assert (row["double_nan"], row["double_inf"], row["double"]) == ("NaN", "Infinity", "0.1")
    assert json.loads(row["struct"]) == {"x": 1, "y": [1.5, "NaN"]} and row["null"] == ""


def test_an_interval_python_cannot_hold_is_a_message(db, capsys):
    code, out, err = query(capsys, "SELECT INTERVAL 100000000 YEAR AS forever", db)
    assert code == 2 and out == "" and "CAST it to VARCHAR" in err and len(err.splitlines()) == 1


def json_rows(columns, rows) -> str:
    out = io.StringIO()
    write_rows(columns, rows, "json", out=out)
    return out.getvalue()


def same(got, value: float) -> bool:
    """A float as JSON gives it back: itself, or the word for a value JSON has no number for."""
    if isinstance(got, str):
        return not math.isfinite(value) and got == ("NaN" if math.isnan(value) else
                                                    "Infinity" if value > 0 else "-Infinity")
    return got == value


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(), min_size=1, max_size=8))
def test_any_float_gives_strict_json_that_reads_back(values):
    parsed = strict_json(json_rows(["x", "all"], [(v, values) for v in values]))
    for row, value in zip(parsed, values):
        assert same(row["x"], value)
        assert len(row["all"]) == len(values) and all(same(g, v) for g, v in zip(row["all"], values))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 38).flatmap(lambda places: st.decimals(
    min_value=-10**20, max_value=10**20, places=places, allow_nan=False, allow_infinity=False)))
def test_a_decimal_reads_back_exactly(value):
    (row,) = json.loads(json_rows(["d"], [(value,)]), parse_float=decimal.Decimal, parse_int=decimal.Decimal)
    assert decimal.Decimal(row["d"]) == value
    a_number_says_it = value == int(value) or decimal.Decimal(repr(float(value))) == value
    assert isinstance(row["d"], str) != a_number_says_it


# ------------------------------------------------------------- statements that hide a write


@pytest.mark.parametrize("sql, kind", [
    ("EXPLAIN ANALYZE CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
    ("EXPLAIN ANALYZE INSERT INTO internal.sources (id) VALUES ('x')", "INSERT"),
    ("EXPLAIN ANALYZE COPY (SELECT 1) TO 'out.csv'", "COPY"),
    ("EXPLAIN ANALYZE UPDATE internal.sources SET title = 'x'", "UPDATE"),
    ("EXPLAIN ANALYZE DELETE FROM internal.targets", "DELETE"),
    ("EXPLAIN CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
    ("explain analyse create temp table t as select 1", "CREATE"),
    ("/* x */ EXPLAIN -- y\n ANALYZE CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
    ("/* 注释 */ EXPLAIN /* ANALYZE */ ANALYZE CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
    ("EXPLAIN (FORMAT json) CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
    ("EXPLAIN (ANALYZE) CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
    ("CREATE TEMP TABLE t AS PIVOT facts ON kind USING count(*)", "MULTI"),
    ("EXPLAIN ANALYZE CREATE TEMP TABLE t AS PIVOT facts ON kind USING count(*)", "MULTI"),
    ("WITH f AS (SELECT 1) INSERT INTO internal.sources (id) SELECT * FROM f", "INSERT"),
])
def test_a_write_under_explain_is_refused_by_its_kind(sql, kind, db, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = query(capsys, sql, db)
    assert code == 2 and out == "", err
    assert f"{kind} statements are refused" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out.csv").exists()


def test_explain_analyze_attach_is_refused(db, capsys):
    code, _, err = query(capsys, "EXPLAIN ANALYZE ATTACH 'other.duckdb'", db)
    assert code == 2 and 'syntax error at or near "ATTACH"' in err


# Everything tests/cli/test_query_and_paths.py shows refused stays refused, with EXPLAIN ANALYZE too.
REFUSED = ["INSERT INTO internal.sources (id) VALUES ('x')", "CREATE TABLE t (a INT)", "DELETE FROM internal.targets",
           "DROP VIEW facts", "COPY (SELECT 1) TO 'out.csv'", "ATTACH 'other.duckdb'", "INSTALL httpfs",
           "SET enable_external_access = true", "SELECT * FROM read_csv('/etc/passwd')",
           "SELECT 1; DELETE FROM internal.targets", "UPDATE internal.sources SET title = 'x'", "LOAD httpfs",
           "SET lock_configuration = false", "EXPORT DATABASE 'exported'", "PRAGMA database_size",
           "CALL pragma_version()", "DETACH policies", "SELECT * FROM read_text('/etc/hostname')",
           "SELECT * FROM glob('/etc/*')", "SELECT * FROM read_parquet('elsewhere.parquet')",
           "PIVOT facts ON kind; DELETE FROM internal.targets"]


@pytest.mark.parametrize("prefix", ["", "EXPLAIN ", "EXPLAIN ANALYZE ", "/* c */ EXPLAIN ANALYZE "])
@pytest.mark.parametrize("sql", REFUSED)
def test_what_was_refused_stays_refused(prefix, sql, db, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = query(capsys, prefix + sql, db)
    assert code == 2 and out == "" and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sql", [
    "EXPLAIN SELECT 1", "EXPLAIN ANALYZE SELECT count(*) FROM facts", "EXPLAIN ANALYSE SELECT 1",
    "EXPLAIN (FORMAT json) SELECT 1", "EXPLAIN (SELECT 1)", "EXPLAIN /* ANALYZE */ SELECT 1",
    "/* 注释 */ EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE PIVOT facts ON kind USING count(*)",
])
def test_explain_of_a_query_runs(sql, db, capsys):
    code, out, err = query(capsys, sql, db)
    assert (code, err) == (0, "") and strict_json(out)


@pytest.mark.parametrize("sql", [
    "PIVOT (SELECT * FROM facts) ON kind USING count(*)",
    "/* wide */ PIVOT_WIDER facts ON kind USING count(*) GROUP BY jurisdiction_id",
    "SELECT * FROM (PIVOT facts ON kind USING count(*) GROUP BY jurisdiction_id)",
    "FROM (PIVOT facts ON kind USING count(*) GROUP BY jurisdiction_id)",
])
def test_pivot_reads(sql, db, capsys):
    code, out, err = query(capsys, sql, db)
    assert (code, err) == (0, "")
    rows = strict_json(out)
    assert rows and {"target", "statistic"} <= set(rows[0])


def test_unpivot_reads(db, capsys):
    code, out, err = query(capsys, "UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b INTO NAME k VALUE v", db)
    assert (code, err) == (0, "") and strict_json(out) == [{"k": "a", "v": 1}, {"k": "b", "v": 2}]


# ----------------------------------------------------------------------------------- export


def contents(folder: Path) -> dict:
    """Names in `folder` and what each is: bytes, a symlink's target, or a folder."""
    def what(path: Path):
        if path.is_symlink():
            return ("symlink", os.readlink(path))
        return ("folder", contents(path)) if path.is_dir() else path.read_bytes()

    return {p.name: what(p) for p in folder.iterdir()}


@pytest.fixture
def earlier_export(tmp_path) -> Path:
    """A folder holding an earlier export, a file of the user's, and a planted symlink."""
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "facts.csv").write_text("an earlier export\n")
    (folder / "notes.txt").write_text("mine\n")
    (tmp_path / "outside.txt").write_text("not to be touched\n")
    (folder / "places.csv").symlink_to(tmp_path / "outside.txt")
    return folder


def test_export_replaces_a_planted_symlink_and_never_writes_through_it(earlier_export, db, capsys, tmp_path):
    assert main(["export", "--out", str(earlier_export), *db]) == 0
    assert (tmp_path / "outside.txt").read_text() == "not to be touched\n"
    places = earlier_export / "places.csv"
    assert not places.is_symlink() and places.read_text().startswith("id,")
    assert (earlier_export / "notes.txt").read_text() == "mine\n"
    assert sorted(p.name for p in earlier_export.iterdir()) == sorted(
        [f"{view}.csv" for view in queries.PUBLIC_VIEWS] + ["notes.txt"])  # no temporary folder left


def test_a_symlink_to_a_file_outside_at_facts_csv(db, capsys, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    target = tmp_path / "elsewhere" / "precious.csv"
    target.parent.mkdir()
    target.write_bytes(b"precious\n")
    (folder / "facts.csv").symlink_to(target)
    assert main(["export", "--out", str(folder), *db]) == 0
    assert target.read_bytes() == b"precious\n"
    assert (folder / "facts.csv").is_file() and not (folder / "facts.csv").is_symlink()


def test_a_dangling_symlink_creates_nothing_where_it_points(db, capsys, tmp_path):
    """DuckDB's COPY would create the file a dangling link names (1.3), or fail half-way (2.0)."""
    folder = tmp_path / "export"
    folder.mkdir()
    target = tmp_path / "elsewhere" / "planted.csv"
    target.parent.mkdir()
    (folder / "places.csv").symlink_to(target)
    assert main(["export", "--out", str(folder), *db]) == 0
    assert not target.exists() and list(target.parent.iterdir()) == []
    assert (folder / "places.csv").is_file() and not (folder / "places.csv").is_symlink()


def test_a_view_failing_half_way_leaves_the_folder_as_it_was(earlier_export, db, capsys, monkeypatch, tmp_path):
    before = contents(earlier_export)
    views = list(queries.PUBLIC_VIEWS)
    monkeypatch.setattr(queries, "PUBLIC_VIEWS", tuple(views[:5] + ["no_such_view"] + views[5:]))
    assert main(["export", "--out", str(earlier_export), *db]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert f"cannot write {earlier_export / 'no_such_view.csv'}" in err and "nothing was exported" in err
    assert contents(earlier_export) == before
    assert (tmp_path / "outside.txt").read_text() == "not to be touched\n"


def test_a_rename_failing_half_way_puts_everything_back(earlier_export, db, capsys, monkeypatch):
    before = contents(earlier_export)
    real_replace, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 8:  # five new files are in, and the earlier facts.csv is moved aside
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    assert main(["export", "--out", str(earlier_export), *db]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "nothing was exported" in err
    assert contents(earlier_export) == before


def test_a_folder_in_the_way_is_refused_before_anything_moves(earlier_export, db, capsys):
    (earlier_export / "sources.csv").mkdir()
    before = contents(earlier_export)
    assert main(["export", "--out", str(earlier_export), *db]) == 2
    assert "a folder of that name is in the way" in capsys.readouterr().err
    assert contents(earlier_export) == before


def test_a_failed_export_into_a_new_folder_leaves_no_folder(db, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(queries, "PUBLIC_VIEWS", ("jurisdictions", "no_such_view"))
    assert main(["export", "--out", str(tmp_path / "new" / "export"), *db]) == 2
    assert not (tmp_path / "new").exists()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for ulimit")
def test_a_full_disk_half_way_leaves_the_folder_as_it_was(earlier_export, db):
    before = contents(earlier_export)
    # 20 KiB per file: the small views fit, the large ones do not (Python ignores SIGXFSZ: writes fail with EFBIG)
    command = shlex.join(lstui_command("export", "--out", str(earlier_export), *db))
    result = subprocess.run(["bash", "-c", f"ulimit -f 20 && exec {command}"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert re.match(rf"lstui: cannot write {re.escape(str(earlier_export))}/\w+\.csv: ", result.stderr), result.stderr
    assert "nothing was exported" in result.stderr and len(result.stderr.splitlines()) == 1
    assert contents(earlier_export) == before


def test_an_empty_out_is_refused(db, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    assert main(["export", "--out", "", *db]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("lstui: --out: ") and len(err.splitlines()) == 1
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_export_with_stdout_closed_writes_the_files_and_exits_0(db, tmp_path):
    out_dir = tmp_path / "export"
    result = subprocess.run(["bash", "-c", 'exec "$@" >&-', "bash", *lstui_command("export", "--out", str(out_dir), *db)],
                            stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [f"exported {len(queries.PUBLIC_VIEWS)} views to {out_dir}"]
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"{v}.csv" for v in queries.PUBLIC_VIEWS)
