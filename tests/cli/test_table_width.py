"""Table output fits the terminal on a terminal; into a file or a pipe it is neither padded nor cut."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time

import pytest

from tests.conftest import run_lstui

LONG = "x" * 200
OTHERS = [f"value{i}" for i in range(7)]
# too wide for 80 columns: a terminal gets one block of lines per row instead of a squeezed table
LONG_QUERY = f"SELECT '{LONG}' AS long_text, " + ", ".join(f"'{v}' AS column_{v}" for v in OTHERS)
TABLES = [
    ("cities",),
    ("show", "huadu"),
    ("compare", "shenzhen", "guangzhou", "jinan"),
    ("earn", "--role", "streamer", "--followers", "600k", "--in", "huadu", "yuhang"),
    ("query", "SELECT * FROM sources"),
]


def piped(*args: str, columns: str = "80") -> str:
    result = run_lstui(*args, env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    return result.stdout


def on_terminal(*args: str, columns: int = 80) -> str:
    """stdout a pseudo-terminal, as in an SSH session of `columns` columns."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "lstui", *args], {**os.environ, "COLUMNS": str(columns)})
    out = bytearray()
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.5)[0]:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, out.decode(errors="replace")
    return out.decode().replace("\r\n", "\n")


@pytest.mark.parametrize("command", TABLES, ids=" ".join)
def test_piped_tables_have_no_trailing_spaces_and_ignore_columns(command, db):
    out = piped(*command, *db)
    assert out.strip()
    assert [line for line in out.splitlines() if line != line.rstrip()] == []
    assert piped(*command, *db, columns="40") == out


def test_piped_cells_are_neither_cut_nor_wrapped(db):
    out = piped("query", LONG_QUERY, *db)
    row = next(line for line in out.splitlines() if LONG in line)
    assert row.split() == [LONG, *OTHERS]  # one line, the whole cell, still a table
    assert "…" not in out and "-[ row" not in out


def test_piped_cities_keep_each_place_on_one_line(db):
    lines = piped("cities", *db).splitlines()
    assert any(line.startswith("Yuhang District ") for line in lines)
    assert not any(line.strip() == "District" for line in lines)


def test_piped_compare_keeps_a_metric_label_on_one_line(db):
    out = piped("compare", "shenzhen", "guangzhou", "jinan", *db)
    assert "Enterprises taking part" in out


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_tables_still_fit_its_width(db):
    out = on_terminal("cities", *db)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert any(line.strip() == "District" for line in out.splitlines())  # wrapped to fit, as before
    records = on_terminal("query", LONG_QUERY, *db)
    assert "-[ row 1 ]" in records and max(len(line) for line in records.splitlines()) <= 80


def test_piped_with_forced_colour_still_has_no_trailing_spaces(db):
    result = run_lstui("cities", *db, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in result.stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert [line for line in plain.splitlines() if line != line.rstrip()] == []
