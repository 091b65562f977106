"""Headless commands never import Textual: a lookup over SSH should not pay for the UI."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from lstui.cli import main
code = main({args!r})
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
sys.stderr.write("TEXTUAL:" + ",".join(loaded) + "\\n")
sys.exit(code)
"""

COMMANDS = [
    ["check"],
    ["path"],
    ["build"],
    ["query", "SELECT count(*) FROM facts"],
    ["query", "SELECT id FROM jurisdictions", "--format", "json"],
    ["show", "huadu"],
    ["show", "花都", "--format", "json"],
    ["earn", "--role", "streamer", "--followers", "600k", "--annual-sales", "15m", "--buying-home"],
    ["earn", "--role", "company", "--format", "csv"],
    ["cities", "--search", "guang"],
    ["compare", "shenzhen", "jinan"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:3]) for a in COMMANDS])
def test_headless_command_does_not_import_textual(args, shipped_db, shipped_yaml, tmp_path):
    full = [*args, "--data", str(shipped_yaml), "--db", str(shipped_db)]
    if args == ["build"]:
        full[-1] = str(tmp_path / "hygiene.duckdb")
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=full)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL:\n" in result.stderr, result.stderr


def test_export_does_not_import_textual(shipped_db, shipped_yaml, tmp_path):
    args = ["export", "--format", "csv", "--out", str(tmp_path / "out"), "--data", str(shipped_yaml),
            "--db", str(shipped_db)]
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL:\n" in result.stderr
