"""A table that only ever touches the rows on screen.

Rows come from a RowSource: a count and a way to fetch a window of rows. The Cities list
fetches its windows from DuckDB (LIMIT/OFFSET over the filtered, sorted places); the
calculator passes a Python list. Either way nothing is built for rows nobody sees, so the
table costs the same at 25 rows and at 25,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lstui.core.errors import LstuiError
from lstui.core.textsafe import visible

PAGE = 128
PAGE_CACHE = 64  # pages of rows kept (8,192 rows)
LINE_CACHE = 512  # rendered lines kept (a screenful is a few dozen)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None  # fixed width; None shares the space left with other flexible columns
    min_width: int = 4
    ratio: int = 1
    priority: int = 0  # columns with the highest priority number are dropped first when space is short
    justify: str = "left"


class RowSource(Protocol):
    def count(self) -> int: ...

    def window(self, offset: int, limit: int) -> Sequence[Any]: ...


class ListSource:
    """Rows already in memory."""

    def __init__(self, rows: Sequence[Any]):
        self.rows = list(rows)

    def count(self) -> int:
        return len(self.rows)

    def window(self, offset: int, limit: int) -> Sequence[Any]:
        return self.rows[offset: offset + limit]


class VirtualTable(ScrollView, can_focus=True):
    """A keyboard-driven table over a RowSource, rendering visible lines only."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES = {"vtable--header", "vtable--cursor", "vtable--marked", "vtable--dim"}
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; overflow-x: hidden; }
    VirtualTable > .vtable--header { text-style: bold; color: $text-accent; }
    VirtualTable > .vtable--cursor { background: $boost; }
    VirtualTable:focus > .vtable--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    VirtualTable > .vtable--marked { color: $text-success; }
    VirtualTable > .vtable--dim { color: $text-muted; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, table: "VirtualTable", index: int, row: Any) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

        @property
        def control(self) -> "VirtualTable":
            return self.table

    class Selected(Highlighted):
        pass

    class HeaderClicked(Message):
        """A column's header was clicked (the pane decides whether that sorts)."""

        def __init__(self, table: "VirtualTable", column: str) -> None:
            super().__init__()
            self.table, self.column = table, column

        @property
        def control(self) -> "VirtualTable":
            return self.table

    def __init__(self, columns: Sequence[Column], cells: Callable[[Any], dict[str, Text | str]],
                 key: Callable[[Any], str] = str, *, empty: str = "Nothing to show.", id: str | None = None,
                 classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        self._cells = cells
        self._key = key
        self.empty_message = empty
        self.source: RowSource = ListSource([])
        self._total = 0
        self._pages: LRUCache[int, Sequence[Any]] = LRUCache(PAGE_CACHE)
        self._fetching: set[int] = set()  # pages asked for and not yet here (or failed)
        self._generation = 0  # bumped with every new source: pages of an old one are dropped
        self._lines: LRUCache[tuple, Strip] = LRUCache(LINE_CACHE)
        self._layout: list[tuple[Column, int]] = []
        self.marked: set[str] = set()
        self._sorted_by: tuple[str, bool] | None = None  # (column key, descending) the header marks

    # ------------------------------------------------------------------------------- data

    @property
    def total(self) -> int:
        return self._total

    def set_source(self, source: RowSource, total: int | None = None,
                   first_page: Sequence[Any] | None = None, page_no: int = 0) -> None:
        """Show new rows. A source that asks the database comes with its `total` and a first page
        (page `page_no`) fetched by a worker; any other page is fetched when it is first drawn."""
        self._new_source(source)
        self._total = source.count() if total is None else total
        if first_page is not None:
            self._pages.set(page_no, list(first_page))
        self._lines.clear()
        self.virtual_size = Size(self.size.width, self._total + 1)
        self.cursor_row = 0
        self.scroll_to(y=0, animate=False)
        self.refresh()
        self.post_highlight()

    def reload(self, source: RowSource) -> None:
        """The same rows from a new source (reworded, say): the cursor and the scroll stay."""
        self._new_source(source)
        self._lines.clear()
        self.refresh()
        self.row(self.cursor_row)  # fetched at once: its page is the one on screen

    def _new_source(self, source: RowSource) -> None:
        self.source = source
        self._generation += 1
        self._pages.clear()
        self._fetching.clear()

    def row(self, index: int) -> Any | None:
        """The row at `index` if its page is here. If not, None: the page is fetched on a thread
        (the UI never waits for the database) and the table redraws when it arrives."""
        if not 0 <= index < self._total:
            return None
        page = self._pages.get(index // PAGE)
        if page is None:
            self._fetch(index // PAGE)
            return None
        offset = index % PAGE
        return page[offset] if offset < len(page) else None

    class PageReady(Message):
        def __init__(self, generation: int, page_no: int, rows: Sequence[Any] | None) -> None:
            super().__init__()
            self.generation, self.page_no, self.rows = generation, page_no, rows

    def _fetch(self, page_no: int) -> None:
        if page_no in self._fetching:
            return
        self._fetching.add(page_no)
        source, generation = self.source, self._generation

        def fetch() -> None:
            try:
                rows = list(source.window(page_no * PAGE, PAGE))
            except LstuiError:
                rows = None  # the database could not answer (the app repairs it and reloads)
            self.post_message(self.PageReady(generation, page_no, rows))

        self.run_worker(fetch, thread=True, group=f"pages-{id(self)}", exit_on_error=False)

    def on_virtual_table_page_ready(self, message: PageReady) -> None:
        message.stop()
        if message.generation != self._generation or message.rows is None:
            return  # an old source's page, or one that failed (asked for again with the next source)
        self._fetching.discard(message.page_no)
        self._pages.set(message.page_no, message.rows)
        self._lines.clear()
        self.refresh()
        if self.cursor_row // PAGE == message.page_no:
            self.post_highlight()

    @property
    def highlighted(self) -> Any | None:
        return self.row(self.cursor_row)

    def set_marked(self, keys: set[str]) -> None:
        self.marked = set(keys)
        self._lines.clear()
        self.refresh()

    def show_sort(self, column: str | None, descending: bool = False) -> None:
        """Mark in the header the column the rows are sorted by (▲ ascending, ▼ descending); the
        rows themselves come sorted from the source."""
        self._sorted_by = None if column is None else (column, descending)
        self.refresh()

    def redraw(self) -> None:
        """Re-render every line (e.g. after the number style changed)."""
        self._lines.clear()
        self.refresh()

    # ---------------------------------------------------------------------------- cursor

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, self._total - 1)) if self._total else 0

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + self._visible_rows():
            self.scroll_to(y=self.cursor_row - self._visible_rows() + 1, animate=False)

    def post_highlight(self) -> None:
        """Tell the pane which row the cursor is on (it draws the row's details); a row whose page
        is still on its way is told about when it arrives."""
        row = self.highlighted
        if row is not None or not self._total:
            self.post_message(self.Highlighted(self, self.cursor_row, row))

    def move_to(self, index: int) -> None:
        """Put the cursor on a row, scrolled into view."""
        if self._total:
            self.cursor_row = index
            self.post_highlight()

    def action_cursor(self, step: int) -> None:
        if self._total:
            self.cursor_row += step
            self.post_highlight()

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * self._visible_rows())

    def action_jump(self, where: int) -> None:
        if self._total:
            self.cursor_row = 0 if where == 0 else self._total - 1
            self.post_highlight()

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self, self.cursor_row, self.highlighted))

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on the row with this key, if it is among the rows already here (a
        place further down is found by the database: see CitiesPane's go-to)."""
        for page_no in sorted(self._pages.keys()):
            for offset, row in enumerate(self._pages.get(page_no) or ()):
                if self._key(row) == key:
                    self.cursor_row = page_no * PAGE + offset
                    self.post_highlight()
                    return True
        return False

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self.column_at(offset.x)
            if column is not None:
                self.post_message(self.HeaderClicked(self, column))
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < self._total:
            self.focus()
            if index == self.cursor_row and event.chain > 1:
                self.action_select()
            self.cursor_row = index
            self.post_highlight()

    # ---------------------------------------------------------------------------- layout

    def on_resize(self) -> None:
        self._layout = []
        self._lines.clear()
        self.virtual_size = Size(self.size.width, self._total + 1)

    @property
    def visible_columns(self) -> list[str]:
        """The keys of the columns shown at the table's width (the narrower, the fewer)."""
        return [c.key for c, _ in self._current_layout()]

    def column_at(self, x: int) -> str | None:
        """The key of the column under x (a cell of the header, or the space after it)."""
        left = 0
        for column, width in self._current_layout():
            if left <= x <= left + width:
                return column.key
            left += width + 1
        return None

    def _current_layout(self) -> list[tuple[Column, int]]:
        width = self.scrollable_content_region.width
        if not self._layout or sum(w for _, w in self._layout) + len(self._layout) - 1 != width:
            self._layout = self._column_layout(width)
        return self._layout

    def _column_layout(self, width: int) -> list[tuple[Column, int]]:
        columns = sorted(self.columns, key=lambda c: c.priority)
        while columns:
            needed = sum((c.width or c.min_width) for c in columns) + len(columns) - 1
            if needed <= width or len(columns) == 1:
                break
            drop = max(columns, key=lambda c: c.priority)
            columns.remove(drop)
        kept = [c for c in self.columns if c in columns]
        fixed = sum(c.width for c in kept if c.width) + len(kept) - 1
        flexible = [c for c in kept if not c.width]
        # Each flexible column gets its minimum, then a share of what is left by its ratio, so that
        # the line never grows wider than the table.
        spare = max(0, width - fixed - sum(c.min_width for c in flexible))
        ratios = sum(c.ratio for c in flexible) or 1
        layout, given = [], 0
        for c in kept:
            if c.width:
                layout.append((c, c.width))
            else:
                share = spare * c.ratio // ratios
                layout.append((c, c.min_width + share))
                given += share
        if flexible and given < spare:  # rounding leftovers go to the first flexible column
            i = next(i for i, (c, _) in enumerate(layout) if not c.width)
            layout[i] = (layout[i][0], layout[i][1] + spare - given)
        return layout

    # ---------------------------------------------------------------------------- render

    def _line_text(self, values: dict[str, Text | str], layout, style: Style | None = None) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        for i, (column, width) in enumerate(layout):
            value = values.get(column.key, "")
            cell = value.copy() if isinstance(value, Text) else Text(visible(str(value)))
            cell.no_wrap = True
            cell.truncate(width, overflow="ellipsis")
            pad = width - cell.cell_len
            if column.justify == "right":
                cell = Text(" " * pad) + cell
            else:
                cell.append(" " * pad)
            if i:
                line.append(" ")
            line.append_text(cell)
        if style is not None:
            line.stylize(style)
        return line

    def _header(self) -> dict[str, Text | str]:
        labels: dict[str, Text | str] = {c.key: c.label for c, _ in self._layout}
        if self._sorted_by is not None:
            key, descending = self._sorted_by
            for column, width in self._layout:
                if column.key == key:
                    # The arrow always shows: a label too wide for it gives up its last letters.
                    label = Text(visible(column.label), no_wrap=True)
                    gap = " " if label.cell_len + 2 <= width else ""
                    label.truncate(max(0, width - len(gap) - 1), overflow="crop")
                    labels[key] = label + Text(gap + ("▼" if descending else "▲"))
        return labels

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        self._current_layout()
        base = self.rich_style
        if y == 0:
            style = self.get_component_rich_style("vtable--header")
            return self._strip(self._line_text(self._header(), self._layout), width, base + style)
        index = round(self.scroll_y) + y - 1
        if self._total == 0:
            if y == 1:
                return self._strip(Text(self.empty_message), width, base + self.get_component_rich_style("vtable--dim"))
            return Strip.blank(width, base)
        row = self.row(index)
        if row is None:
            return Strip.blank(width, base)
        key = self._key(row)
        is_cursor, is_marked = index == self.cursor_row, key in self.marked
        cache_key = (index, key, width, is_cursor, is_marked, self.has_focus)
        cached = self._lines.get(cache_key)
        if cached is not None:
            return cached
        style = base
        if is_marked:
            style += self.get_component_rich_style("vtable--marked")
        if is_cursor:
            style += self.get_component_rich_style("vtable--cursor")
        strip = self._strip(self._line_text(self._cells(row), self._layout), width, style)
        self._lines.set(cache_key, strip)
        return strip

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, style), width).crop_extend(0, width, style)

    def on_mount(self) -> None:
        # Rows are painted with the theme's colours and kept: a new theme repaints them at once.
        self.watch(self.app, "theme", self.redraw, init=False)

    def on_focus(self) -> None:
        self._lines.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._lines.clear()
        self.refresh()
