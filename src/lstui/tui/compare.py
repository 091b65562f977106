"""Compare tab: the marked places side by side, a bar chart of one metric, exports."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from lstui import render
from lstui.core import queries
from lstui.core.money import Display
from lstui.core.textsafe import visible
from lstui.render import T
from lstui.tui.data import db_work
from lstui.tui.messages import CompareReady, ComparisonShown, ExportRequested
from lstui.tui.pane import Pane

BAR = "█"
METRIC_WIDTH = 18
CELL_WIDTH = 19


def bar_chart(row, places, notation: Display, width: int = 40) -> Table:
    """Horizontal bars of one metric's largest value per place (the largest also marked with *)."""
    values, rates = {}, {}
    for p in places:
        cell = row.cells.get(p.id)
        numbers = [v for v in cell.versions if v.value is not None] if cell else []
        top = max(numbers, key=lambda v: v.value, default=None)
        values[p.id] = top.value if top is not None else None
        rates[p.id] = top.cny_per_usd if top is not None else None
    top = max((v for v in values.values() if v is not None), default=0) or 1
    best = render.best_place(row)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, max_width=24, overflow="ellipsis")
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    for p in places:
        value = values[p.id]
        name = T(p.name_en)
        if value is None:
            grid.add_row(name, T("no figure", style="dim"), T(""))
            continue
        length = max(1, round(width * value / top))
        shown = render.value_text(value, row.unit, notation, rates[p.id])
        largest = p.id == best
        grid.add_row(name, T(BAR * length, style="bold green" if largest else "cyan"),
                     T(shown + (f" {render.LARGEST_MARK}" if largest else "")))
    return grid


class ComparePane(Pane):
    BINDINGS = [
        Binding("e", "export", "Export md+csv"),
    ]
    HINT = f"{{n}} places · {render.COMPARE_LEGEND}"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rows: list = []
        self.places: list = []

    def compose(self) -> ComposeResult:
        yield Static("", id="compare-hint")
        yield DataTable(id="compare-table", cursor_type="cell", zebra_stripes=True)
        with Horizontal(id="compare-bottom"):
            with VerticalScroll(id="compare-chart-pane"):
                yield Static("", id="compare-chart")
            with VerticalScroll(id="compare-versions-pane"):
                yield Static("", id="compare-versions")

    def load(self) -> None:
        self.refresh_compare()

    def marks_changed(self) -> None:
        self.refresh_compare()

    def refresh_compare(self) -> None:
        marked = list(self.lstui.marked)
        if len(marked) < 1:
            self.rows, self.places = [], []
            self.show_table()
            return
        self.run_compare(marked)

    @db_work(exclusive=True, group="compare")
    def run_compare(self, marked: list[str]) -> None:
        con = self.lstui.data.cursor()
        places = [queries.place(con, pid) for pid in marked]
        rows = queries.compare(con, marked)
        self.post_message(CompareReady(rows, places))

    def on_compare_ready(self, message: CompareReady) -> None:
        self.rows, self.places = message.rows, message.places
        self.post_message(ComparisonShown(self.rows, self.places))
        self.show_table()

    def show_table(self) -> None:
        table = self.query_one(DataTable)
        where = table.cursor_coordinate  # kept across a redraw (a new notation, the same places)
        table.clear(columns=True)
        hint = self.query_one("#compare-hint", Static)
        if not self.places:
            hint.update(T("Mark places in the Cities tab (space) to compare their targets here.", style="dim"))
            self.query_one("#compare-chart", Static).update("")
            self.query_one("#compare-versions", Static).update("")
            return
        hint.update(T(self.HINT.format(n=len(self.places)), style="dim"))
        notation = self.lstui.notation
        table.add_column(T("Metric"), key="metric", width=METRIC_WIDTH)
        for p in self.places:
            table.add_column(T(f"{p.name_en}\n{p.name_zh}", overflow="ellipsis"), key=p.id, width=CELL_WIDTH)
        for row in self.rows:
            best = render.best_place(row)
            cells = [T(row.label, overflow="fold")] + [render.compare_cell(row, p.id, best, notation)
                                                        for p in self.places]
            table.add_row(*cells, key=row.metric, height=None)
        if self.rows:
            row, column = min(where.row, len(self.rows) - 1), min(where.column, len(self.places))
            table.move_cursor(row=row, column=column or 1, animate=False)
            self.show_focus(row, column or 1)

    @on(DataTable.CellHighlighted, "#compare-table")
    def cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_focus(event.coordinate.row, event.coordinate.column)

    def show_focus(self, row_index: int, column: int) -> None:
        if not 0 <= row_index < len(self.rows):
            return
        row = self.rows[row_index]
        notation = self.lstui.notation
        pane_width = self.query_one("#compare-chart-pane").size.width or 40
        names = max((len(p.name_en) for p in self.places), default=8)
        width = max(5, pane_width - min(names, 24) - 16)
        self.query_one("#compare-chart", Static).update(
            Group(T(row.label, style="bold"), bar_chart(row, self.places, notation, width=width)))
        versions = Text()
        if column >= 1 and column - 1 < len(self.places):
            place = self.places[column - 1]
            cell = row.cells.get(place.id)
            versions.append(visible(f"{row.label} · {place.name_en}\n"), style="bold")
            if cell is None:
                versions.append("No target recorded.", style="dim")
            for f in cell.versions if cell else ():
                mark = "! " if f.has_conflict else ""
                versions.append(visible(f"{mark}{render.fact_value(f, notation)} {render.fact_when(f)}\n"),
                                style="bold red" if mark else "")
                versions.append(visible(f"  {f.note}\n  [{f.source_id} {f.locator}]\n"), style="")
        else:
            versions.append("Move to a place's cell to see every reported version and its source.", style="dim")
        self.query_one("#compare-versions", Static).update(versions)

    def redraw(self) -> None:
        self.show_table()

    # ---------------------------------------------------------------------------- export

    def action_export(self) -> None:
        for kind in ("md", "csv"):
            self.post_message(ExportRequested(kind))
