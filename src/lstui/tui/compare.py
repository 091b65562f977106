"""Compare tab: the marked places side by side, a bar chart of one metric, exports."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from lstui import render
from lstui.core import queries, research
from lstui.core.money import Display
from lstui.core.textsafe import visible
from lstui.render import T
from lstui.tui.copying import FigurePane
from lstui.tui.data import db_work
from lstui.tui.keys import TABLE_MOVES
from lstui.tui.messages import CompareReady, ComparisonShown, ExportRequested
from lstui.tui.scrollpane import ScrollPane

BAR = "█"
METRIC_WIDTH = 18
CELL_WIDTH = 19  # at the least; a wider table shares its width among the places
WIDEST_CELL = 36  # past this a cell's few words gain nothing from more room


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


def top_value(row, place_id: str) -> float | None:
    """The largest value a place reports for a row's metric (the one its bar shows), if any."""
    cell = row.cells.get(place_id)
    return max((v.value for v in cell.versions if v.value is not None), default=None) if cell else None


def sorted_rows(rows: list, column: str | None, descending: bool = False) -> list:
    """The metric rows by a column: "metric" alphabetically, a place's id by the place's value;
    blanks last either way, ties in the default order (None: the default order itself)."""
    if column is None:
        return list(rows)
    if column == "metric":
        return sorted(rows, key=lambda r: r.label.lower(), reverse=descending)
    known = [r for r in rows if top_value(r, column) is not None]
    return sorted(known, key=lambda r: top_value(r, column), reverse=descending) + \
        [r for r in rows if top_value(r, column) is None]


def sort_label(text: str, width: int, arrow: str | None) -> str:
    """A header's first line, with the sort's arrow (▲ ▼) kept in sight: a long label gives way."""
    if arrow is None:
        return text
    return (text if len(text) + 2 <= width else text[: max(0, width - 3)] + "…") + " " + arrow


class ComparePane(FigurePane):
    BINDINGS = [
        Binding("e", "export", "Export md+csv"),
        # The Cities list's keys, so that one habit sorts every table.
        Binding("f6", "cycle_sort", "Sort", key_display="F6"),
        Binding("shift+f6", "reverse_sort", "Reverse", key_display="⇧F6"),
        *TABLE_MOVES,
    ]
    HINT = f"{{n}} places · {render.COMPARE_LEGEND}"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rows: list = []  # as shown: sorted_rows of those loaded
        self.loaded: list = []  # in the comparison's own order
        self.places: list = []
        self.progress: dict = {}  # target id -> the pair that answers for it: the share marked in its cell
        self.sort_column: str | None = None  # "metric", a place's id, or None (the default order)
        self.sort_descending = False
        self.cell_width = CELL_WIDTH  # the places' columns, as last drawn

    def compose(self) -> ComposeResult:
        yield Static("", id="compare-hint")
        yield DataTable(id="compare-table", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        with Horizontal(id="compare-bottom"):
            with ScrollPane(id="compare-chart-pane"):
                yield Static("", id="compare-chart")
            with ScrollPane(id="compare-versions-pane"):
                yield Static("", id="compare-versions")

    def load(self) -> None:
        self.refresh_compare()

    def marks_changed(self) -> None:
        self.refresh_compare()

    def refresh_compare(self) -> None:
        marked = list(self.lstui.marked)
        if len(marked) < 1:
            self.rows, self.loaded, self.places = [], [], []
            self.show_table()
            return
        self.run_compare(marked)

    @db_work(exclusive=True, group="compare")
    def run_compare(self, marked: list[str]) -> None:
        con = self.lstui.data.cursor()
        places = [queries.place(con, pid) for pid in marked]
        rows = queries.compare(con, marked)
        self.post_message(CompareReady(rows, places, research.headlines(con, marked)))

    def on_compare_ready(self, message: CompareReady) -> None:
        self.loaded, self.places = message.rows, message.places
        self.progress = message.progress
        if self.sort_column not in ("metric", *(p.id for p in self.places)):
            self.sort_column, self.sort_descending = None, False  # its place is no longer marked
        self.rows = sorted_rows(self.loaded, self.sort_column, self.sort_descending)
        self.post_message(ComparisonShown(self.rows, self.places))
        self.show_table()

    def show_table(self) -> None:
        table = self.query_one(DataTable)
        where = table.cursor_coordinate  # kept across a redraw (a new notation, the same places)
        metric = table.coordinate_to_cell_key(where).row_key.value if table.is_valid_coordinate(where) else None
        table.clear(columns=True)
        hint = self.query_one("#compare-hint", Static)
        if not self.places:
            hint.update(T("Mark places in the Cities tab (space) to compare their targets here.", style="dim"))
            self.query_one("#compare-chart", Static).update("")
            self.query_one("#compare-versions", Static).update("")
            return
        hint.update(T(self.HINT.format(n=len(self.places)), style="dim"))
        notation = self.lstui.notation
        self.cell_width = width = self._cell_width(table.size.width)
        table.add_column(T(sort_label("Metric", METRIC_WIDTH, self._arrow("metric"))), key="metric",
                         width=METRIC_WIDTH)
        for p in self.places:
            table.add_column(T(f"{sort_label(p.name_en, width, self._arrow(p.id))}\n{p.name_zh}",
                               overflow="ellipsis"), key=p.id, width=width)
        for row in self.rows:
            best = render.best_place(row)
            cells = [T(row.label, overflow="fold")] + [render.compare_cell(row, p.id, best, notation, self.progress)
                                                        for p in self.places]
            table.add_row(*cells, key=row.metric, height=None)
        if self.rows:
            # The cursor stays on its metric when the rows move (a sort), else on its line.
            keys = [r.metric for r in self.rows]
            row = keys.index(metric) if metric in keys else min(where.row, len(self.rows) - 1)
            column = min(where.column, len(self.places))
            table.move_cursor(row=row, column=column or 1, animate=False)
            self.show_focus(row, column or 1)

    def _cell_width(self, table_width: int) -> int:
        """The places' share of the table's width (each column has a space either side, and the
        scrollbar two), between CELL_WIDTH and WIDEST_CELL."""
        if not self.places or table_width <= 0:
            return CELL_WIDTH
        share = (table_width - 2 - (METRIC_WIDTH + 2)) // len(self.places) - 2
        return max(CELL_WIDTH, min(WIDEST_CELL, share))

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_cells)  # once the table has its new size

    def _fit_cells(self) -> None:
        if self.places and self._cell_width(self.query_one(DataTable).size.width) != self.cell_width:
            self.show_table()

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
                if f.fact_id in self.progress:
                    versions.append(visible(f"  {render.progress_note(self.progress[f.fact_id], notation)}\n"),
                                    style="cyan")
        else:
            versions.append("Move to a place's cell to see every reported version and its source.", style="dim")
        self.query_one("#compare-versions", Static).update(versions)

    def redraw(self) -> None:
        self.show_table()

    def highlighted_figures(self) -> tuple:
        """The versions in the cell under the cursor: the copy keys cite each (lstui.tui.copying)."""
        where = self.query_one(DataTable).cursor_coordinate
        if not (0 <= where.row < len(self.rows) and 1 <= where.column <= len(self.places)):
            return ()
        cell = self.rows[where.row].cells.get(self.places[where.column - 1].id)
        return cell.versions if cell else ()

    # ---------------------------------------------------------------------------- sort

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reverse_sort":
            return self.sort_column is not None  # in the footer once there is a sort to reverse
        return super().check_action(action, parameters)

    def _arrow(self, column: str) -> str | None:
        if column != self.sort_column:
            return None
        return "▼" if self.sort_descending else "▲"

    def action_cycle_sort(self) -> None:
        """Sort by the next column: Metric, then each place (after the last, the default order)."""
        order: list[str | None] = [None, "metric", *(p.id for p in self.places)]
        at = order.index(self.sort_column) if self.sort_column in order else 0
        self.sort_by(order[(at + 1) % len(order)])

    def action_reverse_sort(self) -> None:
        if self.sort_column is not None:
            self.sort_by(self.sort_column, not self.sort_descending)

    @on(DataTable.HeaderSelected, "#compare-table")
    def header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by its column; another click on the same one reverses it."""
        column = event.column_key.value
        same = column == self.sort_column
        self.sort_by(column, not self.sort_descending if same else False)

    def sort_by(self, column: str | None, descending: bool = False) -> None:
        """Order the metric rows (the cursor stays on its metric and place; exports follow)."""
        self.sort_column, self.sort_descending = column, descending and column is not None
        self.rows = sorted_rows(self.loaded, column, self.sort_descending)
        self.refresh_bindings()
        if self.places:
            self.post_message(ComparisonShown(self.rows, self.places))
        self.show_table()

    # ---------------------------------------------------------------------------- export

    def action_export(self) -> None:
        for kind in ("md", "csv"):
            self.post_message(ExportRequested(kind))
