"""The help screen (? or F1)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Anywhere", [
        ("1 2 3 4  or  F2-F5", "Cities, Compare, Calculator, Sources"),
        ("ctrl+p", "command palette: jump to a place, export, toggles"),
        ("ctrl+r", "show amounts in CNY or USD"),
        ("ctrl+n", "numbers as 25.0 million or 2,500万"),
        ("ctrl+t", "dark or light theme"),
        ("? or F1", "this help"),
        ("tab / shift+tab", "move between fields and tables"),
        ("q or ctrl+q", "quit"),
    ]),
    ("Cities", [
        ("/", "type to filter by English, 汉字 or pinyin (tones optional)"),
        ("up/down, pgup/pgdn", "move; the detail pane follows"),
        ("space", "mark or unmark the place for comparison"),
        ("c", "compare the marked places"),
        ("u", "unmark all"),
        ("escape", "back from the filter to the table"),
    ]),
    ("Compare", [
        ("arrows", "move between cells; every reported version is shown below"),
        ("e", "export the comparison to Markdown and CSV"),
    ]),
    ("Calculator", [
        ("type", "results update as you type; amounts like 15m, 1500万, $2m"),
        ("tab", "next field"),
    ]),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 96; height: 90%; border: round $accent; background: $panel; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for section, keys in KEYS:
            table.add_row(Text(section, style="bold underline"), "")
            for key, what in keys:
                table.add_row(Text(key), Text(what))
            table.add_row("", "")
        notes = Text(
            "Statuses: eligible · needs designation (an official decision) · needs info (a field you left "
            "empty decides it) · unquantified (announced without figures) · not eligible.\n"
            "\"Up to\" amounts are discretionary maxima and are never added into a certain total.\n"
            "! marks figures that another report gives differently; the Sources tab lists every conflict.",
            style="dim")
        with VerticalScroll():
            yield Static(Text("lstui — keys", style="bold"))
            yield Static(table)
            yield Static(notes)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
