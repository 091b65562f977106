"""Sorting Compare and the Calculator's results (F6, shift+F6, a click on a header), j/k in the
tables, and Enter on a figure in Sources.

The expected orders are worked out here with Python's stable sort from the default order, so
that ties keep the default order, as the tables promise.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input, TabbedContent

from lstui.core.earn import STATUS_ORDER
from lstui.tui.help import KEYS
from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle
from tests.tui.conftest import screen_text

WIDE = (160, 40)
PLACES = ["shenzhen", "guangzhou", "jinan"]
PROFILE = {"followers": "600k", "annual-sales": "15m", "buying-home": "yes"}


# ------------------------------------------------------------------------------------ Compare

async def open_compare(app, pilot) -> DataTable:
    await settle(app, pilot)
    app.set_marks(PLACES)
    await pilot.press("f3")
    await settle(app, pilot)
    return app.query_one("#compare-table", DataTable)


def metrics(table: DataTable) -> list[str]:
    return [key.value for key in table.rows]


def top(row, place: str):
    cell = row.cells.get(place)
    values = [v.value for v in cell.versions if v.value is not None] if cell else []
    return max(values) if values else None


def by_place(rows, place: str, descending: bool = False) -> list[str]:
    known = [r for r in rows if top(r, place) is not None]
    return [r.metric for r in sorted(known, key=lambda r: top(r, place), reverse=descending)] + \
        [r.metric for r in rows if top(r, place) is None]


async def click_header(app, pilot, column: str) -> None:
    table = app.query_one("#compare-table", DataTable)
    x = 0
    for key, header in table.columns.items():
        if key.value == column:
            break
        x += header.get_render_width(table)
    await pilot.click("#compare-table", offset=(x + 1, 0))
    await settle(app, pilot)


def cursor_at(table: DataTable) -> tuple[str, str]:
    keys = table.coordinate_to_cell_key(table.cursor_coordinate)
    return keys.row_key.value, keys.column_key.value


async def test_the_metric_column_stays_in_view_when_compare_scrolls_right_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_compare(app, pilot)
        await pilot.press("right", "right")  # to the third place, past the right edge
        await settle(app, pilot)
        assert cursor_at(table)[1] == PLACES[-1] and table.scroll_x > 0
        header = next(line for line in screen_text(app).splitlines() if "Jinan" in line)
        assert header.lstrip().startswith("Metric")


async def test_compare_shares_a_wider_terminal_among_the_places_and_keeps_the_cursor(make_app):
    from lstui.tui.compare import CELL_WIDTH, WIDEST_CELL

    def widths(table: DataTable) -> list[int]:
        return [c.width for key, c in table.columns.items() if key.value != "metric"]

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_compare(app, pilot)
        await pilot.press("down", "right")
        await settle(app, pilot)
        where = cursor_at(table)
        assert widths(table) == [CELL_WIDTH] * 3  # the least: the table scrolls instead
        await pilot.resize_terminal(120, 36)
        await settle(app, pilot)
        table = app.query_one("#compare-table", DataTable)
        assert CELL_WIDTH < widths(table)[0] <= WIDEST_CELL and len(set(widths(table))) == 1
        assert sum(widths(table)) + 2 * 3 <= table.size.width - 20 and cursor_at(table) == where
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert widths(app.query_one("#compare-table", DataTable)) == [CELL_WIDTH] * 3


async def test_f6_orders_the_metrics_by_each_column_in_turn_and_shift_f6_reverses(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        table = await open_compare(app, pilot)
        pane = app.query_one("#compare-pane")
        rows = list(pane.loaded)
        default = [r.metric for r in rows]
        assert metrics(table) == default
        assert "shift+f6" not in app.screen.active_bindings  # nothing to reverse yet
        await pilot.press("f6")
        assert metrics(table) == [r.metric for r in sorted(rows, key=lambda r: r.label.lower())]
        assert "Metric ▲" in screen_text(app)
        await pilot.press("f6")  # the first place, smallest first, blanks last
        assert metrics(table) == by_place(rows, "shenzhen")
        assert any(top(r, "shenzhen") is None for r in rows)  # there are blanks to put last
        await pilot.press("shift+f6")
        assert metrics(table) == by_place(rows, "shenzhen", descending=True)
        assert "Shenzhen ▼" in screen_text(app)
        await pilot.press("f6", "f6", "f6")  # Guangzhou, Jinan, then the default order
        assert metrics(table) == default
        assert "▲" not in screen_text(app) and "▼" not in screen_text(app)


async def test_a_click_on_a_header_sorts_and_the_cursor_stays_on_its_metric_and_place(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        table = await open_compare(app, pilot)
        rows = list(app.query_one("#compare-pane").loaded)
        await pilot.press("down", "down", "down", "right")
        await settle(app, pilot)
        before = cursor_at(table)
        assert before[1] == "guangzhou"
        await click_header(app, pilot, "guangzhou")
        assert metrics(table) == by_place(rows, "guangzhou")
        assert cursor_at(table) == before
        await click_header(app, pilot, "guangzhou")
        assert metrics(table) == by_place(rows, "guangzhou", descending=True)
        assert cursor_at(table) == before
        # the chart and the versions below follow the cursor's metric, not its old line
        versions = str(app.query_one("#compare-versions").render())
        label = next(r.label for r in rows if r.metric == before[0])
        assert label in versions


async def test_the_sort_outlives_new_marks_and_ends_with_its_place(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        table = await open_compare(app, pilot)
        await pilot.press("f6", "f6", "f6")  # by Guangzhou
        app.set_marks(["guangzhou", "shenzhen"])
        await settle(app, pilot)
        pane = app.query_one("#compare-pane")
        assert pane.sort_column == "guangzhou" and metrics(table) == by_place(pane.loaded, "guangzhou")
        app.set_marks(["shenzhen"])
        await settle(app, pilot)
        assert pane.sort_column is None and metrics(table) == [r.metric for r in pane.loaded]


# --------------------------------------------------------------------------------- Calculator

async def open_results(app, pilot) -> VirtualTable:
    await settle(app, pilot)
    await pilot.press("f4")
    await settle(app, pilot)
    for field, value in PROFILE.items():
        app.query_one(f"#{field}").value = value
    await settle(app, pilot)
    table = app.query_one("#calc-table", VirtualTable)
    table.focus()
    await settle(app, pilot)
    return table


def results(table: VirtualTable) -> list:
    return [table.row(i).result for i in range(table.total)]


def keys(rows) -> list[str]:
    return [f"{r.place.id}/{r.incentive.id}" for r in rows]


def in_yuan(amount, currency, incentive) -> float | None:
    if not amount:
        return None
    return amount * incentive.rate.cny_per_usd if currency == "USD" else amount


def next_pays(r) -> float | None:
    if r.next_tier is None:
        return None
    return in_yuan(r.next_tier.amount, r.next_tier.currency, r.incentive)


def ordered(rows, key, descending: bool = False) -> list[str]:
    """Rows by `key`, blanks (None) last either way, ties in the given order."""
    known = [r for r in rows if key(r) is not None]
    return keys(sorted(known, key=key, reverse=descending)) + keys(r for r in rows if key(r) is None)


EXPECTED = {
    "place": lambda r: r.place.name_en.lower(),
    "measure": lambda r: r.incentive.name.lower(),
    "status": lambda r: STATUS_ORDER.index(r.status),
    "amount": lambda r: in_yuan(r.amount, r.currency, r.incentive),
    "next": next_pays,
}


async def test_f6_sorts_the_results_by_every_column_and_the_summary_stays(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        table = await open_results(app, pilot)
        best_first = results(table)
        summary = str(app.query_one("#calc-summary").render())
        assert len(best_first) > 5
        for column in EXPECTED:
            await pilot.press("f6")
            await settle(app, pilot)
            assert keys(results(table)) == ordered(best_first, EXPECTED[column]), column
            await pilot.press("shift+f6")
            await settle(app, pilot)
            assert keys(results(table)) == ordered(best_first, EXPECTED[column], descending=True), column
            assert str(app.query_one("#calc-summary").render()) == summary
        assert any(next_pays(r) for r in best_first) and any(r.next_tier is None for r in best_first)
        await pilot.press("f6")  # after the last column: best first again
        await settle(app, pilot)
        assert keys(results(table)) == keys(best_first)


async def test_a_click_on_a_results_header_sorts_and_the_cursor_stays_on_its_result(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        table = await open_results(app, pilot)
        best_first = results(table)
        await pilot.press("down", "down")
        await settle(app, pilot)
        chosen = keys([table.highlighted.result])[0]
        x = next(x for x in range(table.size.width) if table.column_at(x) == "amount")
        await pilot.click("#calc-table", offset=(x, 0))
        await settle(app, pilot)
        assert keys(results(table)) == ordered(best_first, EXPECTED["amount"])
        assert keys([table.highlighted.result]) == [chosen]
        assert "Amount ▲" in screen_text(app)
        await pilot.click("#calc-table", offset=(x, 0))
        await settle(app, pilot)
        assert keys(results(table)) == ordered(best_first, EXPECTED["amount"], descending=True)
        assert "Amount ▼" in screen_text(app)
        app.query_one("#followers", Input).value = "700k"  # a new entry keeps the sort
        await settle(app, pilot)
        assert keys(results(table)) == ordered(results(table), EXPECTED["amount"], descending=True)


# ------------------------------------------------------------------------------------- j and k

async def test_j_and_k_move_in_compare_sources_and_the_results(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await open_compare(app, pilot)
        start = table.cursor_coordinate.row
        await pilot.press("j", "j")
        assert table.cursor_coordinate.row == start + 2
        await pilot.press("k")
        assert table.cursor_coordinate.row == start + 1
        await pilot.press("f5")
        await settle(app, pilot)
        for selector in ("#sources-table", "#citing-table"):
            vtable = app.query_one(selector, VirtualTable)
            vtable.focus()
            await settle(app, pilot)
            assert vtable.total > 2, selector
            before = vtable.cursor_row
            await pilot.press("j", "j", "k")
            assert vtable.cursor_row == before + 1, selector
        results_table = await open_results(app, pilot)
        await pilot.press("j", "j", "j", "k")
        assert results_table.cursor_row == 2


async def test_j_and_k_are_text_in_the_form_and_never_start_the_cities_filter(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        results_table = await open_results(app, pilot)
        followers = app.query_one("#followers", Input)
        followers.value = ""
        followers.focus()
        await pilot.press("j", "k")
        assert followers.value == "jk" and results_table.cursor_row == 0
        app.query_one("#buying-home").focus()  # a menu of the form: its keys are the form's
        await pilot.press("j")
        assert results_table.cursor_row == 0
        await open_compare(app, pilot)
        await pilot.press("j", "k", "j")
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.query_one("#city-filter", Input).value == ""
        assert app.query_one(TabbedContent).active == "cities"
        await pilot.press("j")  # on the Cities list a letter is filter text
        await settle(app, pilot)
        assert app.query_one("#city-filter", Input).value == "j"


# ------------------------------------------------------------------------------------- Sources

async def test_enter_on_a_figure_shows_its_place_in_cities(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"zzz")  # a filter that hides the place: going there clears it
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        sources = app.query_one("#sources-table", VirtualTable)
        sources.move_to(next(i for i in range(sources.total) if sources.row(i).id == "scmp-2023-shenzhen"))
        await settle(app, pilot)
        citing = app.query_one("#citing-table", VirtualTable)
        citing.focus()
        await pilot.press("j")
        await settle(app, pilot)
        figure = citing.highlighted[0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "cities"
        cities = app.query_one("#city-table", VirtualTable)
        assert cities.highlighted.id == figure.jurisdiction_id
        assert app.focused is cities and app.query_one("#city-filter", Input).value == ""


def test_the_help_names_the_keys():
    sections = {name: dict(keys) for name, keys in KEYS}
    assert "F6 / shift+F6" in sections["Compare"] and "F6 / shift+F6" in sections["Calculator"]
    assert "enter" in sections["Sources"]
    nothing_typed = next(keys for name, keys in sections.items() if name.startswith("Where nothing is typed"))
    assert "Cities list" in nothing_typed["j / k"]
    assert "ctrl+l" in sections["Anywhere, even while typing"]
