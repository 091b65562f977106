"""Sorting the Cities list: F6 / shift+F6 and the column headers; DuckDB does the ordering.

The expected orders are worked out here from the default order with Python's stable sort, so
that ties keep the default order, as the list promises.
"""

from __future__ import annotations

from textual.widgets import Input, Select

from lstui.core import queries
from lstui.tui.help import KEYS
from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle
from tests.tui.conftest import screen_text

WIDE = (160, 40)  # every column shows, Tgts included


def ids(app) -> list[str]:
    table = app.query_one("#city-table", VirtualTable)
    return [table.row(i).id for i in range(table.total)]


def default_rows(app, **filters) -> list:
    return queries.search_places(app.data.cursor(), **filters)


def by_targets(rows, descending: bool) -> list[str]:
    """Places by their number of targets; none recorded (a blank in the list) last either way."""
    return [r.id for r in sorted(rows, key=lambda r: (not r.n_targets, -r.n_targets if descending else r.n_targets))]


def by_name(rows) -> list[str]:
    return [r.id for r in sorted(rows, key=lambda r: r.name_en.lower())]


def header(app) -> str:
    return next(line for line in screen_text(app).splitlines() if "Place" in line and "Streamer" in line)


async def click_header(app, pilot, column: str) -> None:
    table = app.query_one("#city-table", VirtualTable)
    x = next(x for x in range(table.size.width) if table.column_at(x) == column)
    await pilot.click("#city-table", offset=(x, 0))
    await settle(app, pilot)


async def test_f6_cycles_the_sort_column_and_shift_f6_reverses_it(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        everything = default_rows(app)
        assert ids(app) == [r.id for r in everything]
        assert "shift+f6" not in app.screen.active_bindings  # nothing to reverse yet
        await pilot.press("f6")
        await settle(app, pilot)
        assert ids(app) == by_name(everything)
        assert "Place ▲" in header(app)
        await pilot.press("f6", "f6", "f6", "f6")  # 中文, Level, Province, Tgts
        await settle(app, pilot)
        assert ids(app) == by_targets(everything, descending=False)
        await pilot.press("shift+f6")
        await settle(app, pilot)
        assert ids(app) == by_targets(everything, descending=True)
        assert "Tgt▼" in header(app) and "▲" not in header(app)
        await pilot.press("f6", "f6", "f6")  # Sales target, Streamer, then the default order again
        await settle(app, pilot)
        assert ids(app) == [r.id for r in everything]
        assert "▲" not in header(app) and "▼" not in header(app)


async def test_a_click_on_a_header_sorts_and_a_second_click_reverses(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        everything = default_rows(app)
        await click_header(app, pilot, "targets")
        assert ids(app) == by_targets(everything, descending=False)
        await click_header(app, pilot, "targets")
        assert ids(app) == by_targets(everything, descending=True)
        await click_header(app, pilot, "name")  # another column starts ascending
        assert ids(app) == by_name(everything)
        await click_header(app, pilot, "name")
        assert ids(app) == list(reversed(by_name(everything)))  # names are unique: an exact reversal
        await click_header(app, pilot, "mark")  # the marks' column does not sort
        assert ids(app) == list(reversed(by_name(everything)))


async def test_amounts_sort_by_yuan_with_blanks_last(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        everything = default_rows(app)
        await click_header(app, pilot, "sales")
        await click_header(app, pilot, "sales")
        known = [r for r in everything if r.sales_target is not None]
        expected = sorted(known, key=lambda r: -r.sales_target) + [r for r in everything if r.sales_target is None]
        assert ids(app) == [r.id for r in expected]


async def test_sorting_keeps_the_cursor_the_marks_and_the_filters(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        table = app.query_one("#city-table", VirtualTable)
        app.set_marks(["shenzhen"])
        app.query_one("#city-level", Select).value = "district"
        await settle(app, pilot)
        districts = default_rows(app, level="district")
        assert ids(app) == [r.id for r in districts]
        table.move_to(ids(app).index("huadu"))
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert ids(app) == by_name(districts)
        assert table.highlighted.id == "huadu" and table.cursor_row == by_name(districts).index("huadu")
        assert app.marked == ("shenzhen",) and table.marked == {"shenzhen"}
        await pilot.press("shift+f6")
        await settle(app, pilot)
        assert ids(app) == list(reversed(by_name(districts)))
        assert table.highlighted.id == "huadu"


async def test_typing_after_sorting_still_filters_the_sorted_list(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await click_header(app, pilot, "name")
        await click_header(app, pilot, "name")
        assert app.focused is app.query_one("#city-table")
        await pilot.press(*"gu")  # letters go into the filter, not to a shortcut
        await settle(app, pilot)
        assert app.query_one("#city-filter", Input).value == "gu"
        matches = default_rows(app, text="gu")
        assert len(matches) > 1
        assert ids(app) == list(reversed(by_name(matches)))
        await pilot.press("f6")  # the keys work from the filter box too: Place is followed by 中文
        await settle(app, pilot)
        assert app.query_one("#city-filter", Input).value == "gu"
        assert "中文 ▲" in header(app)


def test_the_help_names_the_sort_keys():
    cities = dict(dict(KEYS)["Cities"])
    assert "F6 / shift+F6" in cities and "header" in cities["F6 / shift+F6"]
