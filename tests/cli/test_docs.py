"""What the README and docs/cli.md say about the command line is what it does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lstui.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = {"README.md": ROOT / "README.md", "docs/cli.md": ROOT / "docs" / "cli.md"}
# "`earn`, `cities` and `query` take `--format a|b|c`", "`check` takes no `--format`"
CLAIM = re.compile(r"((?:`[a-z]+`(?:, | and |, and ))*`[a-z]+`) takes? (no )?`(--format|--style)(?: ([a-z|]+))?`")


def subcommands() -> dict:
    parser = build_parser()
    return next(a for a in parser._actions if a.dest == "command").choices


def accepted(command: str, option: str) -> set[str]:
    """The choices `lstui COMMAND --help` offers for the option (empty if it has none)."""
    found = re.search(rf"{option} \{{([^}}]*)\}}", subcommands()[command].format_help())
    return set(found.group(1).split(",")) if found else set()


def claims(text: str):
    flat = " ".join(text.split())
    for names, none, option, values in CLAIM.findall(flat):
        commands = re.findall(r"`([a-z]+)`", names)
        yield commands, option, set() if none else set(values.split("|"))


@pytest.mark.parametrize("doc", DOCS)
def test_the_docs_say_which_commands_take_which_formats(doc):
    text = DOCS[doc].read_text(encoding="utf-8")
    assert "Every command takes `--format" not in " ".join(text.split())
    told = {}
    for commands, option, values in claims(text):
        for command in commands:
            assert accepted(command, option) == values, (doc, command, option)
            told.setdefault(option, set()).add(command)
    assert told["--format"] == set(subcommands()), f"{doc} should say what --format every command takes"
