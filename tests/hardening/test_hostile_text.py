"""Hostile text in the data (Rich markup, ANSI and OSC escape sequences, C1 controls, zero-width and
right-to-left characters, emoji, a 10,000-character name) is shown literally by the command line
and the app, the layout holds, and nothing reaches the terminal that would change its state."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import sys
import time

import pytest
from rich.cells import cell_len
from textual.widgets import Input

from lstui.cli import main
from lstui.core.build import build
from lstui.output import write_rows
from lstui.tui.app import LstuiApp
from lstui.tui.data import AppData
from scripts.screenshots import settle
from tests.conftest import MINIMAL

LONG = "L" * 10_000
NAME = ("[red]Evil[/red] \x1b[31mred\x1b[0m \x1b]0;pwned\x07 \u202eRTL\u200b 🎉 [link=http://x]y[/link] " + LONG)
NOTE = "Bold [b]claims[/b] \x1b[2J\x1b[H \x1b]52;c;ZXZpbA==\x07 \x9b31m c1 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ end"
TITLE = "[bold]Title[/] \x1b[5mblink\x1b[0m 👩\u200d👩\u200d👧"

# What a terminal would obey: escape (ESC), bell, C1 controls, bidi overrides and invisible marks.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar (controls and invisible characters as escapes)."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + OBEYED.sub(lambda m: f"\\u{ord(m.group()):04x}", body) + '"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("    name_en: Shenzhen\n", f"    name_en: {yaml_string(NAME)}\n")
    text = text.replace("    note: Tiered allowance.\n", f"    note: {yaml_string(NOTE)}\n")
    text = text.replace("    name: House allowance\n", f"    name: {yaml_string(NOTE)}\n")
    text = text.replace("    title: Example article\n", f"    title: {yaml_string(TITLE)}\n")
    folder = tmp_path_factory.mktemp("hostile")
    data, db = folder / "hostile.yaml", folder / "hostile.duckdb"
    data.write_text(text, encoding="utf-8")
    build(data, db)
    return data, db


def strings(value):
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


COMMANDS = {
    "show": ["show", "shenzhen"],
    "cities": ["cities"],
    "earn": ["earn", "--role", "streamer", "--followers", "600k", "--annual-sales", "15m"],
    "compare": ["compare", "shenzhen", "guangdong"],
}


def run(hostile, capsys, *args) -> str:
    data, db = hostile
    assert main([*args, "--data", str(data), "--db", str(db)]) == 0
    return capsys.readouterr().out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def assert_literal_and_cut(out: str) -> None:
    assert not OBEYED.search(out.replace("\n", ""))
    assert "[red]Evil[/red]" in out
    assert "␛[31m" in out and "<U+202E>" in out
    assert "…" in out and LONG not in out
    assert len(out.splitlines()) < 60


@pytest.mark.parametrize("command", COMMANDS)
def test_tables_show_markup_literally_and_keep_their_shape(command, hostile, monkeypatch):
    """On a terminal of 80 columns: the markup is there as text, escapes are visible stand-ins, no
    line is wider than the terminal, and the 10,000-character name is cut instead of filling screens."""
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    data, db = hostile
    assert main([*COMMANDS[command], "--data", str(data), "--db", str(db)]) == 0
    out = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())  # Rich's own bold and dim (data escapes show as ␛)
    assert_literal_and_cut(out)
    assert max(cell_len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("command", COMMANDS)
def test_piped_tables_show_markup_literally_and_cut_the_long_name(command, hostile, capsys):
    """Into a pipe nothing is fitted to a width, but the name is still cut and nothing is obeyed."""
    out = run(hostile, capsys, *COMMANDS[command])
    assert_literal_and_cut(out)
    assert not [line for line in out.splitlines() if line.endswith(" ")]


@pytest.mark.parametrize("command", COMMANDS)
def test_markdown_is_safe_to_print(command, hostile, capsys):
    out = run(hostile, capsys, *COMMANDS[command], "--format", "markdown")
    assert not OBEYED.search(out.replace("\n", ""))
    if command != "compare":  # compare's markdown names places by id
        assert "[red]Evil[/red]" in out or "[b]claims[/b]" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_json_keeps_the_exact_text_and_is_safe_to_print(command, hostile, capsys):
    """JSON readers get the data byte for byte; the terminal sees only \\u escapes."""
    out = run(hostile, capsys, *COMMANDS[command], "--format", "json")
    assert not OBEYED.search(out.replace("\n", ""))
    texts = set(strings(json.loads(out)))
    assert NAME in texts or command == "compare"  # compare's JSON names places by id
    if command in ("show", "compare"):
        assert "Sales goal." in texts
    if command == "show":
        assert NOTE in texts


def test_csv_is_data_as_it_is_in_a_pipe_and_visible_on_a_terminal(hostile, capsys):
    out = run(hostile, capsys, "cities", "--format", "csv")
    names = [row["name"] for row in csv.DictReader(io.StringIO(out))]
    assert NAME in names

    screen = Terminal()
    write_rows(["name"], [[NAME]], "csv", out=screen)
    assert not OBEYED.search(screen.getvalue().replace("\n", ""))
    assert "␛]0;pwned␇" in screen.getvalue()


def test_a_real_terminal_receives_only_colours(hostile):
    """Through a pseudo-terminal (colour on), the only escape sequences are the colours lstui
    chose: no cursor moves, screen clears, titles, clipboard writes or hyperlinks from the data."""
    data, db = hostile
    pid, fd = pty.fork()
    if pid == 0:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env.update(TERM="xterm-256color", COLUMNS="100")
        os.execve(sys.executable, [sys.executable, "-m", "lstui", "show", "shenzhen", "--data", str(data),
                                   "--db", str(db)], env)
    out = bytearray()
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, out.decode(errors="replace")
    text = out.decode()
    assert "\x1b[" in text, "a terminal gets colour"
    sequences = re.findall(r"\x1b(\[[0-9;?]*[A-Za-z]|.)", text)
    assert all(re.fullmatch(r"\[[0-9;]*m", s) for s in sequences), sorted(set(sequences))
    assert "[red]Evil[/red]" in text and "␛]52;c;ZXZpbA==␇" in text


async def test_the_app_shows_hostile_text_literally_on_every_tab(hostile, tmp_path):
    data, db = hostile
    app = LstuiApp(data, db, AppData.open(db), export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one("#city-filter", Input).value = "evil"
        await settle(app, pilot)
        app.set_marks(["shenzhen", "guangdong"])
        seen = []
        for tab in ("cities", "compare", "calculator", "sources"):
            await app.action_show_tab(tab)
            await settle(app, pilot)
            if tab == "calculator":
                app.query_one("#followers", Input).value = "600k"
                await settle(app, pilot)
            screen = app.export_screenshot()
            assert "\x1b" not in screen and "\x07" not in screen and "\u202e" not in screen
            seen.append(screen)
        everything = "".join(seen)
        assert "[red]Evil[/red]" in everything.replace("&#160;", " ")
        assert "[bold]Title[/]" in everything.replace("&#160;", " ")
        assert LONG[:200] not in everything  # cut, not laid out over screens
