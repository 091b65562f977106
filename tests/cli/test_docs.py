"""What the README and docs/cli.md say about the command line is what it does."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from lstui.cli import main
from lstui.parser import build_parser

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


# ------------------------------------------------------------------- your own tables


def readme_attach_commands() -> list[str]:
    """The SQL of the README's `duckdb mine.duckdb -c "..."` examples."""
    text = DOCS["README.md"].read_text(encoding="utf-8")
    return re.findall(r'^duckdb mine\.duckdb -c "(.*?)"$', text, flags=re.M | re.S)


def test_the_readme_says_a_rebuild_replaces_the_file():
    text = " ".join(DOCS["README.md"].read_text(encoding="utf-8").split())
    assert "replace the whole file, so a table or view you create in it" in text
    assert len(readme_attach_commands()) == 2


def test_a_table_made_in_lstuis_database_is_gone_after_a_build(tmp_path, shipped_yaml, capsys):
    db = tmp_path / "policies.duckdb"
    assert main(["build", "--data", str(shipped_yaml), "--db", str(db)]) == 0
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE my_notes AS SELECT 1 AS a")
    assert main(["build", "--data", str(shipped_yaml), "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name = 'my_notes'").fetchall()


def test_the_readmes_own_database_example_runs_and_survives_a_build(tmp_path, shipped_yaml, capsys):
    db = tmp_path / "policies.duckdb"
    assert main(["build", "--data", str(shipped_yaml), "--db", str(db)]) == 0
    create, select = (sql.replace("$(lstui path)", str(db)) for sql in readme_attach_commands())
    mine = str(tmp_path / "mine.duckdb")
    with duckdb.connect(mine) as con:
        con.execute(create)
    assert main(["build", "--data", str(shipped_yaml), "--db", str(db)]) == 0
    with duckdb.connect(mine) as con:
        rows = con.execute(select).fetchall()
        assert rows and "my_notes" in {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("CREATE TABLE lstui.mine (a INT)")
