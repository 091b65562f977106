"""What the command-line tests share: the shipped database, and running a command in-process."""

from __future__ import annotations

import pytest

from lstui.cli import main


@pytest.fixture
def db(shipped_db, shipped_yaml):
    """The options that point a command at the shipped dataset and its database."""
    return ["--data", str(shipped_yaml), "--db", str(shipped_db)]


def run(capsys, *args):
    """A command run in-process: its exit code, stdout and stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
