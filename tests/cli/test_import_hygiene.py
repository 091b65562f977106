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
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_headless_command_does_not_import_textual(args, shipped_db, shipped_yaml):
    full = [*args, "--data", str(shipped_yaml), "--db", str(shipped_db)]
    if args == ["build"]:
        full[-1] = str(shipped_db.with_name("hygiene.duckdb"))
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=full)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL:\n" in result.stderr, result.stderr
