"""Atomic builds, freshness checks, and never locking anybody out of the database file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from lstui.core.build import build
from lstui.core.store import current, is_fresh, rebuild
from lstui.core.freshness import file_sha256
from lstui.core.errors import DataError
from tests.conftest import run_lstui


@pytest.fixture
def yaml_copy(tmp_path, shipped_yaml):
    path = tmp_path / "policies.yaml"
    shutil.copyfile(shipped_yaml, path)
    return path


def test_failed_build_leaves_previous_database_byte_for_byte(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    rebuild(yaml_copy, db)
    before = db.read_bytes()
    first_screen = (tmp_path / "policies.duckdb.start.json").read_bytes()
    yaml_copy.write_text(yaml_copy.read_text(encoding="utf-8").replace("level: district", "level: distrct", 1),
                         encoding="utf-8")

    with pytest.raises(DataError):
        rebuild(yaml_copy, db)

    assert db.read_bytes() == before
    assert (tmp_path / "policies.duckdb.start.json").read_bytes() == first_screen
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policies.duckdb", "policies.duckdb.built.json",
                                                          "policies.duckdb.start.json", "policies.yaml"]


def test_failed_build_through_the_cli_keeps_the_old_file(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    build(yaml_copy, db)
    before = db.read_bytes()
    yaml_copy.write_text(yaml_copy.read_text(encoding="utf-8") + "\ntargets: [oops\n", encoding="utf-8")

    result = run_lstui("build", "--data", str(yaml_copy), "--db", str(db))

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "nothing was built" in result.stderr
    assert db.read_bytes() == before


def test_build_replaces_the_file_and_records_the_hash(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    build(yaml_copy, db)
    inode = db.stat().st_ino
    build(yaml_copy, db)
    assert db.stat().st_ino != inode  # a new file renamed into place, not rewritten in place
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT yaml_sha256 FROM build_info").fetchone()[0] == file_sha256(yaml_copy)


def ensure_database(yaml_path, db):
    """The one way to a current database, as the commands and the app take it: whether it rebuilt."""
    before = db.stat().st_ino if db.exists() else None
    current(yaml_path, db).close()
    return db.stat().st_ino != before


def test_unchanged_yaml_is_not_rebuilt(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    assert ensure_database(yaml_copy, db)
    stamp = db.stat().st_mtime_ns
    assert not ensure_database(yaml_copy, db)
    assert db.stat().st_mtime_ns == stamp


def test_touching_the_yaml_without_changing_it_does_not_rebuild(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    ensure_database(yaml_copy, db)
    os.utime(yaml_copy, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    assert is_fresh(yaml_copy, db)


def test_changed_yaml_is_rebuilt(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    ensure_database(yaml_copy, db)
    yaml_copy.write_text(yaml_copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not is_fresh(yaml_copy, db)
    assert ensure_database(yaml_copy, db)
    assert is_fresh(yaml_copy, db)


def test_cli_rebuilds_when_yaml_changed_and_reports_it(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    first = run_lstui("path", "--data", str(yaml_copy), "--db", str(db))
    assert first.returncode == 0 and first.stdout.strip() == str(db)
    assert "building" in first.stderr
    again = run_lstui("path", "--data", str(yaml_copy), "--db", str(db))
    assert again.returncode == 0 and "building" not in again.stderr
    yaml_copy.write_text(yaml_copy.read_text(encoding="utf-8").replace("Shenzhen Daily (Shenzhen Government Online)",
                                                                       "Shenzhen Daily"), encoding="utf-8")
    result = run_lstui("query", "SELECT publisher FROM sources WHERE id = 'szdaily-2023-03-28'", "--format", "csv",
                       "--data", str(yaml_copy), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["publisher", "Shenzhen Daily"]


def test_broken_yaml_on_auto_rebuild_reports_and_keeps_old_db(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    build(yaml_copy, db)
    before = db.read_bytes()
    yaml_copy.write_text(yaml_copy.read_text(encoding="utf-8").replace("comparator: at_least", "comparator: atleast", 1),
                         encoding="utf-8")
    result = run_lstui("query", "SELECT 1", "--data", str(yaml_copy), "--db", str(db))
    assert result.returncode == 2
    assert f"{yaml_copy}:" in result.stderr and "'atleast' is not one of" in result.stderr
    assert db.read_bytes() == before


READER = textwrap.dedent("""
    import json, os, sys, time, duckdb
    db, stop, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
    errors, counts, n = [], set(), 0
    deadline = time.time() + 60
    while not os.path.exists(stop) and time.time() < deadline:
        try:
            con = duckdb.connect(db, read_only=True)
            counts.add(con.execute("SELECT count(*) FROM facts").fetchone()[0])
            con.close()
            n += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"errors": errors[:5], "n_errors": len(errors), "counts": sorted(counts), "queries": n}))
""")


@pytest.mark.slow  # processes holding the file while lstui runs
def test_scripts_read_while_lstui_rebuilds_and_queries(tmp_path, yaml_copy):
    db = tmp_path / "policies.duckdb"
    build(yaml_copy, db)
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop), str(expected)],
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for _ in range(3):
            rebuilt = run_lstui("build", "--data", str(yaml_copy), "--db", str(db))
            assert rebuilt.returncode == 0, rebuilt.stderr
            queried = run_lstui("query", "SELECT count(*) AS n FROM facts", "--format", "csv",
                                "--data", str(yaml_copy), "--db", str(db))
            assert queried.returncode == 0, queried.stderr
            assert queried.stdout.split() == ["n", str(expected)]
    finally:
        stop.touch()
        results = [json.loads(r.communicate(timeout=60)[0]) for r in readers]
    for result in results:
        assert result["n_errors"] == 0, result["errors"]
        assert result["counts"] == [expected]
        assert result["queries"] > 0


HOLDER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=(sys.argv[2] == "ro"))
    con.execute("SELECT count(*) FROM facts").fetchone()
    print("ready", flush=True)
    sys.stdin.readline()
    print(con.execute("SELECT count(*) FROM facts").fetchone()[0], flush=True)
""")


@pytest.mark.slow  # processes holding the file while lstui runs
@pytest.mark.parametrize("mode", ["ro", "rw"])
def test_lstui_works_while_another_program_holds_the_file(tmp_path, yaml_copy, mode):
    """A script (read-only) or a duckdb shell (read-write) keeps the file open; lstui still answers.
    A rebuild goes ahead beside readers, and refuses while a writer holds the file (its unsaved
    work would be lost, or replayed onto the new file)."""
    db = tmp_path / "policies.duckdb"
    build(yaml_copy, db)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), mode], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        queried = run_lstui("query", "SELECT count(*) AS n FROM jurisdictions", "--format", "csv",
                            "--data", str(yaml_copy), "--db", str(db))
        assert queried.returncode == 0, queried.stderr
        before = db.read_bytes()
        rebuilt = run_lstui("build", "--data", str(yaml_copy), "--db", str(db))
        if mode == "ro":
            assert rebuilt.returncode == 0, rebuilt.stderr
        else:
            assert rebuilt.returncode == 2 and f"process {holder.pid}" in rebuilt.stderr, rebuilt.stderr
            assert rebuilt.stderr.count("\n") == 1 and db.read_bytes() == before
        out, _ = holder.communicate("go\n", timeout=30)
        assert int(out.strip()) > 0  # the holder still reads its (old) file after the rename
    finally:
        if holder.poll() is None:
            holder.kill()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] > 0


@pytest.mark.slow  # processes holding the file while lstui runs
def test_lstui_never_leaves_a_write_lock(tmp_path, yaml_copy):
    """After any lstui command, a read-write connection (the duckdb shell default) opens at once."""
    db = tmp_path / "policies.duckdb"
    for args in (("build",), ("path",), ("query", "SELECT 1"), ("check",)):
        result = run_lstui(*args, "--data", str(yaml_copy), "--db", str(db))
        assert result.returncode == 0, result.stderr
        duckdb.connect(str(db)).close()
