"""The help screen (? or F1)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Anywhere, even while typing", [
        ("F2 F3 F4 F5", "Cities, Compare, Calculator, Sources"),
        ("ctrl+p", "command palette: go to a place, export, copy (a place's sources too), toggles"),
        ("ctrl+r", "amounts in CNY or USD (at the rate each figure's source states)"),
        ("ctrl+n", "numbers as ¥25m, ¥300bn or ¥2,500万, ¥3,000亿"),
        ("ctrl+t", "dark or light theme"),
        ("ctrl+l", "reload the data: rebuild the database if the YAML changed (the app offers "
                   "this when it sees the file change); the tab, the marks and the cursors stay"),
        ("F1", "this help (also ? where you are not typing)"),
        ("tab / shift+tab", "move between fields and tables"),
        ("ctrl+q", "quit"),
    ]),
    ("Where nothing is typed (Compare, Sources, the Calculator's results)", [
        ("1 2 3 4", "Cities, Compare, Calculator, Sources"),
        ("j / k", "down / up in a table, as the arrows move (not on the Cities list, where letters filter)"),
        ("q", "quit"),
    ]),
    ("Cities", [
        ("type", "letters, digits and spaces filter the list, from the list or the box: "
                 "English, 汉字 or pinyin (tone marks or numbers optional); level words such as "
                 "district, 区, city or village list places of that level"),
        ("up/down, pgup/pgdn", "move; the detail pane follows"),
        ("space", "mark or unmark the place for comparison, and move down"),
        ("ctrl+u", "unmark every place (on the list; in the box it deletes the text before the cursor)"),
        ("F6 / shift+F6", "sort by the next column (after the last, back to the default order), or "
                          "reverse the sort; a click on a column's header sorts by it, a second click "
                          "reverses. Blanks stay last; the filter, the marks and the cursor's place stay"),
        ("F3", "compare the marked places"),
        ("enter", "read the detail pane (arrows scroll it)"),
        ("escape", "from the box back to the list; on the list, clear the filter"),
        ("/ or ?", "jump to the filter box, or this help: neither is ever part of a name"),
    ]),
    ("Compare", [
        ("arrows", "move between cells; every reported version is shown below"),
        ("e", "export the comparison: a table in Markdown, the figures as data in CSV (new files each time)"),
        ("y / Y", "copy the cell's figures with their citations (every version), or their values only, to the "
                  "terminal's clipboard (OSC 52: over SSH too; in tmux, set-clipboard on)"),
        ("F6 / shift+F6", "order the metrics by a column: Metric alphabetically, a place by its value "
                          "(the largest it reports), blanks last; a click on a header too. The cursor "
                          "stays on its metric and place; exports follow the order"),
    ]),
    ("Calculator", [
        ("type", "results update as you type; amounts like 15m, 1500万, $2m; beside each "
                 "field, how it was read"),
        ("tab", "next field; fields no measure for the role asks about are hidden"),
        ("escape", "to the results"),
        ("F6 / shift+F6", "sort the results by Place, Measure, Status (the ranking's order), Amount "
                          "(in yuan) or Next tier (what it pays), blanks last; a click on a header too; "
                          "after the last column, best first again. The summary stays"),
    ]),
    ("Sources", [
        ("enter", "on a figure citing the article: show its place in the Cities tab"),
        ("y / Y", "copy the figure under the cursor with its citation, or its value only"),
        ("c", "every recorded conflict; its place filter has focus: enter, type part of a name, enter. c again: back"),
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
        sections = []
        for section, keys in KEYS:
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, width=18)
            table.add_column()
            for key, what in keys:
                table.add_row(Text(key), Text(what))
            sections += [Text(section, style="bold underline"), table, Text("")]
        notes = Text(
            "Statuses: eligible · needs designation (an official decision) · needs info (a field you left "
            "empty decides it) · unquantified (announced without figures) · not eligible.\n"
            "\"Up to\" amounts are discretionary maxima and are never added into a certain total.\n"
            "! marks figures that another report gives differently; * the largest value in a compared row. "
            "The Sources tab lists the conflicts each article is party to, and with c every one.",
            style="dim")
        with VerticalScroll(id="help-scroll"):
            yield Static(Text("lstui — keys (arrows, pgup/pgdn scroll; escape closes)", style="bold"))
            yield Static(Group(*sections))
            yield Static(notes)

    def on_mount(self) -> None:
        # Focus the scrolling part, so that arrows and pgdn reach what does not fit at 80x24.
        self.query_one("#help-scroll").focus()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
