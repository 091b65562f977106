"""Cities tab: filter places as you type, mark them for comparison, read one in full."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.lazy import Lazy as _Lazy
from textual.widget import MountError
from textual.widgets import Checkbox, Input, Select, Static

from lstui import render
from lstui.core.textsafe import visible
from lstui.render import T
from lstui.core import queries
from lstui.core.models import PlaceRow
from lstui.tui.data import PlaceSource
from lstui.tui.pane import Pane
from lstui.tui.messages import DetailReady, PlacesFiltered
from lstui.tui.vtable import Column, ListSource, VirtualTable

LEVELS = [("country", "country"), ("province", "province"), ("municipality", "municipality"), ("city", "city"),
          ("county-level city", "county_city"), ("district", "district"), ("county", "county"),
          ("village", "village")]

# Rows per section of the detail pane; `lstui show` prints everything.
DETAIL_LIMIT = 60

COLUMNS = [
    Column("mark", "", width=1, priority=0),
    Column("name", "Place", min_width=14, ratio=3, priority=0),
    Column("zh", "中文", width=8, priority=1),
    Column("level", "Level", width=12, priority=4),
    Column("province", "Province", width=10, priority=3),
    Column("targets", "Tgts", width=4, justify="right", priority=2),
    Column("sales", "Sales target", width=15, priority=1),
    Column("top", "Streamer", width=11, priority=2),
]


class Lazy(_Lazy):
    """Textual's Lazy, except that a widget whose place is already gone (the app quit before its
    first refresh, e.g. on a q typed ahead) is dropped instead of failing to mount."""

    async def mount_composed_widgets(self, widgets) -> None:
        parent = self.parent
        if parent is None:
            return

        async def mount() -> None:
            try:
                await parent.mount(self._replace_widget, after=self)
            except MountError:
                if parent.is_attached:
                    raise
                return
            await self.remove()

        self.call_after_refresh(mount)


class CitiesPane(Pane):
    # The detail pane follows the cursor after a short pause, so that typing or scrolling through
    # the list repaints only the list; the detail is drawn once the cursor rests.
    DETAIL_DELAY = 0.06

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("space", "toggle_mark", "Mark"),
        Binding("c", "compare", "Compare marked"),
        Binding("u", "clear_marks", "Unmark all", show=False),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.generation = 0
        self.current_place: str | None = None
        self._detail_timer = None

    def on_mount(self) -> None:
        if self.lstui.data is not None:
            self.load()
        elif self.lstui.snapshot is not None:  # the first screen saved by the build, shown meanwhile
            snapshot = self.lstui.snapshot
            self.query_one(VirtualTable).set_source(ListSource(snapshot.rows), snapshot.total,
                                                    first_page=snapshot.rows)

    def compose(self) -> ComposeResult:
        # The table is the first thing anyone looks at; the filter widgets arrive a frame later.
        with Horizontal(id="city-filters"):
            yield Input(placeholder="Filter: English, 汉字 or pinyin", id="city-filter", compact=True,
                        select_on_focus=False)
            yield Lazy(Select(self.province_options(), prompt="Province", id="city-province", compact=True))
            yield Lazy(Select(LEVELS, prompt="Level", id="city-level", compact=True))
        with Horizontal(id="city-toggles"):
            yield Lazy(Checkbox("money for individuals", id="money-individuals", compact=True))
            yield Lazy(Checkbox("for companies", id="money-companies", compact=True))
            yield Static("", id="marked-count")
        with Horizontal(id="city-body"):
            yield VirtualTable(COLUMNS, self.cells, key=lambda r: r.id, empty="No place matches.", id="city-table")
            with VerticalScroll(id="city-detail-pane"):
                yield Static(T("Highlight a place to read about it.", style="dim"), id="city-detail")

    # ------------------------------------------------------------------------------- load

    def province_options(self) -> list[tuple[str, str]]:
        data, snapshot = self.lstui.data, self.lstui.snapshot
        if data is not None:
            return [(p, p) for p in queries.provinces(data.cursor())]
        return [(p, p) for p in snapshot.provinces] if snapshot is not None else []

    def _fill_provinces(self, select: Select) -> None:
        if len(select._options) <= 1 and select.is_attached:
            select.set_options(self.province_options())

    def load(self) -> None:
        """Show the database's rows, with whatever filters were set while it opened."""
        for select in self.query("#city-province").results(Select):
            # Queued on the Select itself: it runs once the Select has composed its overlay, even
            # if the database opened while the Select was still being mounted.
            select.call_later(self._fill_provinces, select)
        table = self.query_one(VirtualTable)
        keep = table.highlighted.id if table.highlighted is not None else None
        source = PlaceSource(self.lstui.data, **self.filters())
        table.set_source(source, source.count(), first_page=source.window(0, 128))
        if keep is not None and keep != getattr(table.highlighted, "id", None):
            table.move_to_key(keep)
        self.current_place = None
        table._post_highlight()
        self.update_marked()

    def cells(self, row: PlaceRow) -> dict:
        style = self.lstui.number_style
        return {
            "mark": T("●", style="bold") if row.id in self.lstui.marked else "",
            "name": row.name_en,
            "zh": row.name_zh,
            "level": row.level.replace("_", " "),
            "province": row.province_en or "",
            "targets": str(row.n_targets) if row.n_targets else "",
            "sales": render.sales_target_text(row, style, short=True),
            "top": render.top_incentive_text(row, style, short=True),
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
        self.run_filter(self.generation, self.filters())

    @work(thread=True, exclusive=True, group="city-filter")
    def run_filter(self, generation: int, filters: dict) -> None:
        source = PlaceSource(self.lstui.data, **filters)
        total = source.count()
        first = source.window(0, 128) if total else []
        self.post_message(PlacesFiltered(generation, source, total, first))

    def on_places_filtered(self, message: PlacesFiltered) -> None:
        if message.generation != self.generation:
            return  # a newer keystroke is on its way
        self.query_one(VirtualTable).set_source(message.source, message.total, first_page=message.first_page)

    # ----------------------------------------------------------------------------- detail

    @on(VirtualTable.Highlighted, "#city-table")
    def highlighted(self, event: VirtualTable.Highlighted) -> None:
        row = event.row
        if row is None:
            self.current_place = None
            self.query_one("#city-detail", Static).update(T("No place matches the filter.", style="dim"))
            return
        if row.id != self.current_place:
            self.current_place = row.id
            if self._detail_timer is not None:
                self._detail_timer.stop()
            if self.DETAIL_DELAY:
                self._detail_timer = self.set_timer(self.DETAIL_DELAY, lambda pid=row.id: self.load_detail(pid))
            else:
                self.load_detail(row.id)

    @work(thread=True, exclusive=True, group="city-detail")
    def load_detail(self, place_id: str) -> None:
        if self.lstui.data is None or place_id != self.current_place:
            return  # moved on, or the database is still opening (load() highlights the row again)
        detail = queries.place_detail(self.lstui.data.cursor(), place_id)
        self.post_message(DetailReady(place_id, detail))

    def on_detail_ready(self, message: DetailReady) -> None:
        if message.place_id == self.current_place:
            self.show_detail(message.detail)

    def show_detail(self, detail) -> None:
        self._detail = detail
        self.query_one("#city-detail", Static).update(render.show_renderable(detail, self.lstui.number_style, DETAIL_LIMIT))
        self.query_one("#city-detail-pane").scroll_home(animate=False)

    def redraw(self) -> None:
        """Numbers changed style: repaint the table and the detail."""
        self.query_one(VirtualTable).redraw()
        detail = getattr(self, "_detail", None)
        if detail is not None:
            self.query_one("#city-detail", Static).update(render.show_renderable(detail, self.lstui.number_style, DETAIL_LIMIT))

    # ----------------------------------------------------------------------------- marks

    def action_toggle_mark(self) -> None:
        row = self.query_one(VirtualTable).highlighted
        if row is not None:
            self.lstui.toggle_mark(row.id)

    def action_clear_marks(self) -> None:
        self.lstui.set_marks(())

    def update_marked(self) -> None:
        marked = self.lstui.marked
        self.query_one(VirtualTable).set_marked(set(marked))
        names = ", ".join(self.lstui.place_name(p) for p in marked)
        text = T(f"{len(marked)} marked", style="bold" if marked else "dim")
        if marked:
            text.append(visible(f": {names}"), style="")
        self.query_one("#marked-count", Static).update(text, layout=False)

    async def action_compare(self) -> None:
        await self.lstui.action_show_tab("compare")

    def action_focus_filter(self) -> None:
        # set_focus is immediate, unlike focus(): keys typed right after "/" land in the box.
        self.screen.set_focus(self.query_one("#city-filter", Input))

    def on_key(self, event) -> None:
        """Typing a letter on the table starts filtering with it (keys with a binding keep theirs).

        Keys typed in a quick burst may already be on their way to the table when the first one
        moves focus to the filter box; the box has no use for them itself (it takes printable
        keys before they could get here), so they are added to it too.
        """
        if not (event.is_printable and event.character and not event.character.isspace()):
            return
        table, box = self.query_one(VirtualTable), self.query_one("#city-filter", Input)
        focused = self.screen.focused
        if focused is table and event.key in self.screen.active_bindings:
            return
        if focused is not table and focused is not box:
            return
        self.screen.set_focus(box)
        box.insert_text_at_cursor(event.character)
        event.stop()

    def action_focus_table(self) -> None:
        self.query_one(VirtualTable).focus()

    @on(VirtualTable.Selected, "#city-table")
    def action_focus_detail(self) -> None:
        """Enter moves into the detail pane (arrows scroll it; escape comes back)."""
        self.query_one("#city-detail-pane").focus()

    @on(Input.Submitted, "#city-filter")
    def filter_done(self) -> None:
        self.query_one(VirtualTable).focus()

    def select_place(self, place_id: str) -> None:
        """Jump to a place (from the command palette): clear filters and put the cursor on it."""
        self.query_one("#city-filter", Input).value = ""
        self.query_one("#city-province", Select).clear()
        self.query_one("#city-level", Select).clear()
        for wid in ("#money-individuals", "#money-companies"):
            self.query_one(wid, Checkbox).value = False
        table = self.query_one(VirtualTable)
        source = PlaceSource(self.lstui.data, text=self.lstui.place_name(place_id, english_only=True))
        table.set_source(source)
        table.move_to_key(place_id)
        table.focus()
