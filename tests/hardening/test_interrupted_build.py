"""A build killed midway (SIGKILL: no clean-up runs) leaves the previous database intact and usable."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from lstui.core.build import build
from lstui.core.freshness import file_sha256


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temp_files(db: Path) -> list[Path]:
    return sorted(p for p in db.parent.iterdir() if p.name.startswith(f".{db.name}.") and ".tmp" in p.name)


def start_build(data: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lstui", "build", "--data", str(data), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_temp_file(db: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not temp_files(db):
        assert proc.poll() is None, "the build ended before it wrote anything"
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.005)


def kill_build(data: Path, db: Path, after: float = 0.0) -> subprocess.Popen:
    """Start `lstui build`, and SIGKILL it `after` seconds once its temporary file exists."""
    proc = start_build(data, db)
    try:
        wait_for_temp_file(db, proc)
        time.sleep(after)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    return proc


@pytest.fixture
def old_and_new(tmp_path, shipped_yaml):
    """A database built from the shipped YAML, and a changed YAML whose build would replace it."""
    old_yaml = tmp_path / "old.yaml"
    shutil.copyfile(shipped_yaml, old_yaml)
    db = tmp_path / "policies.duckdb"
    build(old_yaml, db)
    new_yaml = tmp_path / "new.yaml"
    new_yaml.write_text(old_yaml.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    return old_yaml, new_yaml, db


def assert_usable(db: Path, yaml_path: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] > 100
        assert con.execute("SELECT yaml_sha256 FROM internal.build_info").fetchone()[0] == file_sha256(yaml_path)
    finally:
        con.close()


def test_killed_while_writing_leaves_the_previous_database_byte_for_byte(old_and_new):
    """Killed as soon as its temporary file exists: the old file is untouched and still answers."""
    old_yaml, new_yaml, db = old_and_new
    before = digest(db)
    proc = kill_build(new_yaml, db)
    assert proc.returncode == -signal.SIGKILL
    assert digest(db) == before
    assert_usable(db, old_yaml)
    assert temp_files(db), "a killed build cannot clean up; the next build does"


@pytest.mark.parametrize("delay", [0.1, 0.3, 0.6])
def test_killed_at_any_moment_leaves_a_complete_database(old_and_new, delay):
    """Wherever the kill lands, the file at the database path is either the old one or the new one,
    complete; never something in between."""
    old_yaml, new_yaml, db = old_and_new
    before = digest(db)
    kill_build(new_yaml, db, after=delay)  # a moment somewhere inside the build: any moment will do
    if digest(db) == before:
        assert_usable(db, old_yaml)
    else:
        assert_usable(db, new_yaml)


def test_the_next_build_removes_what_killed_builds_left_behind(old_and_new):
    """Temporary files of dead builds are cleared; a running build's file is left alone."""
    old_yaml, new_yaml, db = old_and_new
    kill_build(new_yaml, db)
    leftovers = temp_files(db)
    assert leftovers
    in_progress = db.with_name(f".{db.name}.{os.getpid()}-0123abcd.tmp")  # this process is alive
    in_progress.write_bytes(b"")
    build(new_yaml, db)
    assert temp_files(db) == [in_progress]
    assert_usable(db, new_yaml)


def test_the_app_and_commands_start_normally_after_a_killed_build(old_and_new):
    """After the kill, `lstui show` answers from the previous database without rebuilding it."""
    old_yaml, new_yaml, db = old_and_new
    kill_build(new_yaml, db)
    before = digest(db)
    result = subprocess.run([sys.executable, "-m", "lstui", "show", "huadu", "--data", str(old_yaml), "--db", str(db)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Huadu" in result.stdout
    assert "building" not in result.stderr
    assert digest(db) == before
