"""Cities tab: filter places as you type, mark them for comparison, read one in full."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import MountError
from textual.widgets import Checkbox, Input, Select, Static

from lstui import render
from lstui.core import queries, vocab
from lstui.core.models import PlaceRow
from lstui.core.textsafe import visible
from lstui.render import T
from lstui.tui.data import PlaceSource, db_work
from lstui.tui.keys import PRINTABLE_ACTIONS
from lstui.tui.messages import (DetailReady, MarkedNames, MarkRequested, PlaceHighlighted, PlacesFiltered,
                               ProvincesReady)
from lstui.tui.laidout import LaidOut
from lstui.tui.pane import Pane
from lstui.tui.vtable import PAGE, Column, ListSource, VirtualTable

LEVELS = [(vocab.level_label(level), level) for level in vocab.LEVELS]

# Rows per section of the detail pane; `lstui show` prints everything.
DETAIL_LIMIT = 60

COLUMNS = [
    Column("mark", "", width=1, priority=0),
    Column("name", "Place", min_width=16, ratio=3, priority=0),
    Column("zh", "中文", width=8, priority=1),
    Column("level", "Level", width=12, priority=4),
    Column("province", "Province", width=10, priority=2),
    Column("targets", "Tgts", width=4, justify="right", priority=3),
    Column("sales", "Sales target", width=19, priority=1),  # ">US$43.68bn by 2025"
    Column("streamer", "Streamer", width=15, priority=2),  # "up to US$70.65k"
]
# Every column but the marks sorts the list; the columns' keys are the sorts' names.
SORTABLE = [c.key for c in COLUMNS if c.key in queries.PLACE_SORTS]

# Characters that never occur in a place's name, so that on the list they can keep a meaning of
# their own: "/" goes to the filter box, "?" opens the help. Every other printable key is text.
NOT_NAME_KEYS = {"/", "?"}


class Toggle(Checkbox):
    """A checkbox that shows its state without colour: [x] when on, [ ] when off."""

    BUTTON_LEFT, BUTTON_RIGHT = "[", "]"

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "x" if self.value else " "
        super().watch_value()
        self.refresh()


class CitiesPane(Pane):
    TYPED_IN = ("#city-table", "#city-filter")  # typing on the list filters it
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("space", "toggle_mark", "Mark"),
        Binding("ctrl+u", "clear_marks", "Unmark all"),
        # Function keys, not letters: a letter typed on the list goes into its filter.
        Binding("f6", "cycle_sort", "Sort", key_display="F6"),
        Binding("shift+f6", "reverse_sort", "Reverse", key_display="⇧F6"),
        Binding("escape", "escape", "Back", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.generation = 0
        self.current_place: str | None = None
        self._detail = None
        self._goto: str | None = None  # a place the cursor goes to once the list is refiltered
        self._provinces: list[str] | None = None
        self._any_marked = False
        self.sort_column: str | None = None  # None: the default order (by province, level, name)
        self.sort_descending = False

    def on_mount(self) -> None:
        self.watch(self.app, "goto_place", self.go_to_place, init=False)
        self.watch(self.app, "typed_ahead", self.type_into_filter, init=False)
        if self.lstui.data is None and self.lstui.snapshot is not None:
            snapshot = self.lstui.snapshot  # the first screen saved by the build, shown meanwhile
            self.query_one(VirtualTable).set_source(ListSource(snapshot.rows), snapshot.total,
                                                    first_page=snapshot.rows)
        self.call_after_refresh(self._mount_filters)

    def compose(self) -> ComposeResult:
        # The table is the first thing anyone looks at; the other filters arrive a frame later.
        with Horizontal(id="city-filters"):
            yield Input(placeholder="Filter: name, 汉字, pinyin", id="city-filter", compact=True,
                        select_on_focus=False)
        with Horizontal(id="city-toggles"):
            yield Static("", id="marked-count")
        with Horizontal(id="city-body"):
            yield VirtualTable(COLUMNS, self.cells, key=lambda r: r.id, empty="No place matches.", id="city-table")
            with VerticalScroll(id="city-detail-pane"):
                yield Static(T("Highlight a place to read about it.", style="dim"), id="city-detail")

    async def _mount_filters(self) -> None:
        try:
            await self.query_one("#city-filters").mount(
                Select(self.province_options(), prompt="Province", id="city-province", compact=True),
                Select(LEVELS, prompt="Level", id="city-level", compact=True))
            await self.query_one("#city-toggles").mount(
                Toggle("pays individuals", id="money-individuals", compact=True,
                       tooltip="Only places offering money to individual streamers"),
                Toggle("pays companies", id="money-companies", compact=True,
                       tooltip="Only places offering money to MCNs, platforms or companies"),
                before="#marked-count")
        except MountError:
            if self.is_attached:
                raise  # the app quit before its first frame (a ctrl+q typed ahead): nothing to mount

    # ------------------------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Printable shortcuts are off where typing filters; list keys only on the list."""
        if action in PRINTABLE_ACTIONS:
            return super().check_action(action, parameters)
        table_focused = self.screen.focused is self.query_one(VirtualTable)
        if action == "toggle_mark":
            return table_focused
        if action == "clear_marks":
            return table_focused and bool(self.lstui.marked)
        if action == "reverse_sort":
            return self.sort_column is not None  # in the footer once there is a sort to reverse
        return True

    def on_key(self, event) -> None:
        """Typing on the list filters it: the key goes into the filter box, and focus with it.

        Keys typed in a quick burst may already be on their way to the list when the first one
        moves focus to the box; they are added to the box too, spaces included, so that a name
        typed fast arrives whole.
        """
        if not (event.is_printable and event.character):
            return
        table, box = self.query_one(VirtualTable), self.query_one("#city-filter", Input)
        focused = self.screen.focused
        if focused is table:
            if event.character in NOT_NAME_KEYS or event.character == " ":
                return  # the list's own keys: "/", "?", and space to mark
        elif focused is not box:
            return
        self.screen.set_focus(box)
        box.insert_text_at_cursor(event.character)
        event.stop()

    def type_into_filter(self, character: str) -> None:
        """Text that reached the app before the list had focus (keys typed ahead of the first frame)."""
        box = self.query_one("#city-filter", Input)
        self.screen.set_focus(box)
        box.insert_text_at_cursor(character)

    def action_escape(self) -> None:
        """From the filter box back to the list; on the list, clear the filter (the cursor stays
        on the place it was on, now among all the others)."""
        box = self.query_one("#city-filter", Input)
        if self.screen.focused is box:
            self.query_one(VirtualTable).focus()
        elif box.value:
            highlighted = self.query_one(VirtualTable).highlighted
            self._goto = highlighted.id if highlighted is not None else None
            box.value = ""

    def action_focus_filter(self) -> None:
        # set_focus is immediate, unlike focus(): keys typed right after "/" land in the box.
        self.screen.set_focus(self.query_one("#city-filter", Input))

    def action_cycle_sort(self) -> None:
        """Sort by the next column shown (after the last, back to the default order)."""
        shown = [key for key in SORTABLE if key in self.query_one(VirtualTable).visible_columns] or SORTABLE
        order: list[str | None] = [None, *shown]
        at = order.index(self.sort_column) if self.sort_column in order else 0
        self.sort_by(order[(at + 1) % len(order)])

    def action_reverse_sort(self) -> None:
        if self.sort_column is not None:
            self.sort_by(self.sort_column, not self.sort_descending)

    @on(VirtualTable.HeaderClicked, "#city-table")
    def header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        """A click on a header sorts by its column; another click on the same one reverses it."""
        if event.column in SORTABLE:
            same = event.column == self.sort_column
            self.sort_by(event.column, not self.sort_descending if same else False)

    def sort_by(self, column: str | None, descending: bool = False) -> None:
        """Sort the list (filters and marks stay; the cursor stays on its place)."""
        self.sort_column, self.sort_descending = column, descending and column is not None
        table = self.query_one(VirtualTable)
        table.show_sort(column, self.sort_descending)
        highlighted = table.highlighted
        if highlighted is not None:
            self._goto = highlighted.id
        self.refresh_bindings()
        self.refilter()

    @on(VirtualTable.Selected, "#city-table")
    def action_focus_detail(self) -> None:
        """Enter moves into the detail pane (arrows scroll it; escape comes back)."""
        self.query_one("#city-detail-pane").focus()

    @on(Input.Submitted, "#city-filter")
    def filter_done(self) -> None:
        self.query_one(VirtualTable).focus()

    # ------------------------------------------------------------------------------- load

    def province_options(self) -> list[tuple[str, str]]:
        provinces = self._provinces
        if provinces is None and self.lstui.snapshot is not None:
            provinces = self.lstui.snapshot.provinces
        return [(p, p) for p in provinces or ()]

    def _fill_provinces(self, select: Select) -> None:
        if select.is_attached and select.selection is None:
            with select.prevent(Select.Changed):
                select.set_options(self.province_options())

    def load(self) -> None:
        """Show the database's rows (with whatever filters were set while it opened), the cursor on
        the place it was on; the provinces for the filter's menu come from the database too."""
        self.load_provinces()
        highlighted = self.query_one(VirtualTable).highlighted
        self._goto = highlighted.id if highlighted is not None else None
        self.current_place = None
        self.refilter()
        self.marks_changed()

    @db_work(exclusive=True, group="city-provinces")
    def load_provinces(self) -> None:
        self.post_message(ProvincesReady(queries.provinces(self.lstui.data.cursor())))

    def on_provinces_ready(self, message: ProvincesReady) -> None:
        self._provinces = message.provinces
        for select in self.query("#city-province").results(Select):
            # Queued on the Select itself: it runs once the Select has composed its overlay, even
            # if the database opened while the Select was still being mounted.
            select.call_later(self._fill_provinces, select)

    def cells(self, row: PlaceRow) -> dict:
        notation = self.lstui.notation
        return {
            "mark": T("●", style="bold") if row.id in self.lstui.marked else "",
            "name": row.name_en,
            "zh": row.name_zh,
            "level": row.level.replace("_", " "),
            "province": row.province_en or "",
            "targets": str(row.n_targets) if row.n_targets else "",
            "sales": render.sales_target_text(row, notation),
            "streamer": render.top_incentive_text(row, notation),
        }

    # ----------------------------------------------------------------------------- filter

    def _value(self, selector: str, kind, default):
        """A filter widget's value; the widgets mount a frame after the table, so they may not exist yet."""
        widgets = list(self.query(selector).results(kind))
        value = widgets[0].value if widgets else default
        return default if value is Select.NULL else value

    def filters(self) -> dict:
        province = self._value("#city-province", Select, None)
        level = self._value("#city-level", Select, None)
        money = tuple(g for g, wid in (("individuals", "#money-individuals"), ("companies", "#money-companies"))
                      if self._value(wid, Checkbox, False))
        return dict(text=self.query_one("#city-filter", Input).value, province=province, level=level,
                    money_for=money)

    @on(Input.Changed, "#city-filter")
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def refilter(self) -> None:
        if self.lstui.data is None:
            return
        self.generation += 1
        sort = queries.place_sort(self.sort_column, self.sort_descending) if self.sort_column else None
        self.run_filter(self.generation, self.filters(), self._goto, sort)

    @db_work(exclusive=True, group="city-filter")
    def run_filter(self, generation: int, filters: dict, goto: str | None, sort: str | None) -> None:
        source = PlaceSource(self.lstui.data, **filters, sort=sort)
        total = source.count()
        index = source.position(goto) if goto is not None else None
        page_no = 0 if index is None else index // PAGE  # the page the cursor goes to comes along
        first = source.window(page_no * PAGE, PAGE) if total else []
        suggestions = () if total or not filters["text"].strip() else tuple(
            f"{en} {zh}" for _, en, zh in queries.suggest_places(self.lstui.data.cursor(), filters["text"]))
        self.post_message(PlacesFiltered(generation, source, total, first, index, suggestions, page_no))

    def on_places_filtered(self, message: PlacesFiltered) -> None:
        if message.generation != self.generation:
            return  # a newer keystroke is on its way
        table = self.query_one(VirtualTable)
        empty = "No place matches."
        if message.suggestions:
            empty = f"No place matches. Did you mean {' or '.join(message.suggestions[:3])}?"
        table.empty_message = empty
        table.set_source(message.source, message.total, first_page=message.first_page, page_no=message.page_no)
        if message.goto is not None:
            self._goto = None
            table.move_to(message.goto)

    def go_to_place(self, place_id: str | None) -> None:
        """Clear the filters and put the cursor on the place (the palette's "Go to ...")."""
        if place_id is None:
            return
        self._goto = place_id
        box = self.query_one("#city-filter", Input)
        with box.prevent(Input.Changed):
            box.value = ""
        for select in self.query(Select).results(Select):
            with select.prevent(Select.Changed):
                select.clear()
        for toggle in self.query(Checkbox).results(Checkbox):
            with toggle.prevent(Checkbox.Changed):
                toggle.value = False
        self.refilter()
        self.query_one(VirtualTable).focus()

    # ----------------------------------------------------------------------------- detail

    @on(VirtualTable.Highlighted, "#city-table")
    def highlighted(self, event: VirtualTable.Highlighted) -> None:
        row = event.row
        self.post_message(PlaceHighlighted(row.id if row is not None else None))
        if row is None:
            self.current_place = None
            self.query_one("#city-detail", Static).update(T("No place matches the filter.", style="dim"))
            return
        if row.id != self.current_place:
            self.current_place = row.id
            if self._detail is None:  # the first page: no cursor is moving yet, nothing to wait for
                self.load_detail(row.id)
            else:
                self.after_pause(self.load_detail, row.id)

    @db_work(exclusive=True, group="city-detail")
    def load_detail(self, place_id: str) -> None:
        if self.lstui.data is None or place_id != self.current_place:
            return  # moved on, or the database is still opening (load() highlights the row again)
        detail = queries.place_detail(self.lstui.data.cursor(), place_id)
        self.post_message(DetailReady(place_id, detail))

    def on_detail_ready(self, message: DetailReady) -> None:
        if message.place_id == self.current_place:
            self._detail = message.detail
            self._show_detail()
            self.query_one("#city-detail-pane").scroll_home(animate=False)

    def _show_detail(self) -> None:
        self.query_one("#city-detail", Static).update(
            LaidOut(render.show_renderable(self._detail, self.lstui.notation, DETAIL_LIMIT)))

    def redraw(self) -> None:
        """Numbers changed style or currency: repaint the table and the detail."""
        self.query_one(VirtualTable).redraw()
        if self._detail is not None:
            self._show_detail()

    # ----------------------------------------------------------------------------- marks

    def action_toggle_mark(self, advance: bool = True) -> None:
        """Mark or unmark the highlighted place and move on to the next, as list tools do."""
        table = self.query_one(VirtualTable)
        row = table.highlighted
        if row is not None:
            self.post_message(MarkRequested(row.id))
            if advance:
                table.action_cursor(1)

    def action_clear_marks(self) -> None:
        self.post_message(MarkRequested(None))

    def marks_changed(self) -> None:
        marked = self.lstui.marked
        self.query_one(VirtualTable).set_marked(set(marked))
        self._show_marked(marked, {})
        if marked and self.lstui.data is not None:
            self.load_marked_names(marked)
        if bool(marked) != self._any_marked:  # "unmark all" comes and goes with the marks
            self._any_marked = bool(marked)
            self.refresh_bindings()

    @db_work(exclusive=True, group="city-marked")
    def load_marked_names(self, marked: tuple[str, ...]) -> None:
        places = self.lstui.data.places_by_id(marked)
        self.post_message(MarkedNames(marked, {pid: f"{p.name_en} {p.name_zh}" for pid, p in places.items()}))

    def on_marked_names(self, message: MarkedNames) -> None:
        if message.marked == self.lstui.marked:
            self._show_marked(message.marked, message.names)

    def _show_marked(self, marked: tuple[str, ...], names: dict[str, str]) -> None:
        text = T(f"{len(marked)} marked", style="bold" if marked else "dim")
        if marked:
            listed = ", ".join(names.get(p, p) for p in marked)
            text.append(visible(f" (F3 compares them): {listed}"), style="")
        self.query_one("#marked-count", Static).update(text, layout=False)
