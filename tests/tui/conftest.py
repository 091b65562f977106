from __future__ import annotations

import html
import re

import pytest
from textual.widgets import Input

from lstui.tui.app import LstuiApp
from lstui.tui.data import AppData


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """A blinking cursor would make screenshots depend on timing."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)


@pytest.fixture(autouse=True)
def detail_at_once(monkeypatch):
    """The detail pane waits for the cursor to rest; tests need no clock, so it follows at once."""
    from lstui.tui.calculator import CalculatorPane
    from lstui.tui.pane import Pane

    monkeypatch.setattr(Pane, "DETAIL_DELAY", 0)
    monkeypatch.setattr(CalculatorPane, "UPDATING_DELAY", None)  # results never said to be updating


@pytest.fixture(autouse=True)
def colours(monkeypatch):
    """The app in colour, as most terminals show it (test_no_color turns it off)."""
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def make_app(shipped_db, shipped_yaml, tmp_path):
    """An app on the shipped database, exporting into tmp_path."""

    def make(data: bool = True, data_path=None, db_path=None) -> LstuiApp:
        db = db_path or shipped_db
        return LstuiApp(data_path or shipped_yaml, db, AppData.open(db) if data else None, export_dir=tmp_path)

    return make


def screen_text(app) -> str:
    """The visible text of the screen, line after line (from the SVG screenshot)."""
    svg = app.export_screenshot()
    lines: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]* y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        lines.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(lines.items(), key=lambda kv: float(kv[0])))


def static_text(widget, width: int = 200) -> str:
    """What a Static shows, as plain text on one line (its content rendered by Rich)."""
    from rich.console import Console

    console = Console(width=width, color_system=None, record=True, file=open("/dev/null", "w"))
    console.print(widget.content)
    return " ".join(console.export_text().split())
