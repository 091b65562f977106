"""Output into a pipe: a reader that goes away early is not an error."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # real processes writing into pipes that close

COMMANDS = [
    ("earn", "--role", "streamer"),
    ("earn", "--role", "company", "--limit", "0", "--format", "json"),
    ("cities",),
    ("cities", "--format", "csv"),
    ("show", "shenzhen"),
    ("compare", "shenzhen", "guangzhou", "jinan"),
    ("query", "SELECT * FROM facts"),
    ("query", "SELECT * FROM facts", "--format", "json"),
    ("path",),
    ("check",),
]


def run_into_closed_pipe(args: list[str]) -> subprocess.CompletedProcess:
    """stdout is a pipe whose reader has already gone: every write fails, deterministically."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "lstui", *args], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_closed_pipe_exits_0_and_says_nothing(command, db):
    result = run_into_closed_pipe([*command, *db])
    assert (result.returncode, result.stderr) == (0, "")


def test_export_into_a_closed_pipe_still_writes_the_files(db, tmp_path):
    result = run_into_closed_pipe(["export", "--out", str(tmp_path / "out"), *db])
    assert result.returncode == 0 and "Traceback" not in result.stderr and "Broken pipe" not in result.stderr
    assert (tmp_path / "out" / "facts.csv").is_file()


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("head") is None, reason="needs bash and head")
@pytest.mark.parametrize("command", [("earn", "--role", "streamer"), ("earn", "--role", "company", "--limit", "0"),
                                     ("cities",), ("show", "shenzhen")], ids=" ".join)
def test_piped_into_head_exits_0(command, db):
    lstui = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "lstui", *command, *db])
    # pipefail: the pipeline's status is lstui's, as ${PIPESTATUS[0]} would show it
    result = subprocess.run(["bash", "-o", "pipefail", "-c", f"{lstui} | head -1"], capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert len(result.stdout.splitlines()) == 1
