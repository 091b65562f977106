"""Keys go where the user means: typing on Cities filters, shortcuts never steal text."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, TabbedContent

from tests.conftest import PLACES
from lstui.tui.help import HelpScreen
from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle
from tests.tui.conftest import screen_text


def city_rows(app) -> list:
    table = app.query_one("#city-table", VirtualTable)
    return [table.row(i) for i in range(table.total)]


async def type_on_the_list(app, pilot, text: str) -> None:
    """Back on the list with an empty filter (escape twice), then the text, a key at a time."""
    await pilot.press("escape", "escape")
    await settle(app, pilot)
    assert app.focused is app.query_one("#city-table")
    await pilot.press(*text)
    await settle(app, pilot)


@pytest.mark.parametrize("name, expected", [("qingdao", "qingdao"), ("chongqing", "chongqing"),
                                            ("yuhang", "yuhang")])
async def test_a_name_typed_on_the_list_goes_into_the_filter_whole(make_app, name, expected):
    """q used to quit, c to jump to Compare, u to unmark everything: now each is a letter."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.set_marks(["shenzhen"])
        await type_on_the_list(app, pilot, name)
        assert app.return_code is None and app.is_running
        assert app.query_one(TabbedContent).active == "cities"
        assert app.query_one("#city-filter", Input).value == name
        assert [r.id for r in city_rows(app)] == [expected]
        assert app.marked == ("shenzhen",)


async def test_digits_and_spaces_typed_on_the_list_are_text_too(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_on_the_list(app, pilot, "2")
        assert app.query_one(TabbedContent).active == "cities"  # not Compare
        assert app.query_one("#city-filter", Input).value == "2"
        await type_on_the_list(app, pilot, "huadu qu")
        assert app.query_one("#city-filter", Input).value == "huadu qu"
        assert [r.id for r in city_rows(app)] == ["huadu"]
        assert app.marked == ()  # the space was part of the name, not a mark


async def test_no_printable_shortcut_is_offered_where_typing_filters(make_app):
    """The footer tells the truth: on the list, q is no key for quitting; ctrl+q is."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = set(app.screen.active_bindings)
        assert not {"q", "1", "2", "3", "4", "c", "u"} & keys
        assert {"ctrl+q", "space", "f3"} <= keys
        footer = screen_text(app).splitlines()[-1]
        assert "^q Quit" in footer and "q Quit" not in footer.replace("^q Quit", "")


async def test_q_and_digits_work_where_nothing_is_typed(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "compare"
        await pilot.press("3")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "calculator"
        await pilot.press(*"12")  # in a field, digits are the amount
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "calculator"
        assert app.query_one("#followers", Input).value == "12"
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("q")
    assert app.return_code == 0


async def test_digits_on_a_menu_of_the_calculator_form_do_not_switch_tabs(make_app):
    """Tabbing past a menu and typing an amount: the digits are not tab keys anywhere on the form,
    and q does not quit there; on the results they are (the help says so)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        app.query_one("#buying-home").focus()
        await pilot.press(*"1500", "q")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "calculator" and app.return_code is None
        app.query_one("#calc-table").focus()
        await pilot.press("1")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "cities"


async def test_help_lists_as_working_anywhere_only_keys_that_do(make_app):
    from lstui.tui.help import KEYS

    anywhere = dict(KEYS[0][1])
    assert "F2 F3 F4 F5" in anywhere and not any("1 2 3 4" in k for k in anywhere)
    assert not any(key in ("q", "q or ctrl+q") for key in anywhere)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"shen", "f4")  # F-keys switch tabs even from the filter box
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "calculator"
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "cities"


async def test_go_to_a_place_moves_the_cursor_and_clears_the_filter(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"shen")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"yuhang")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        table = app.query_one("#city-table", VirtualTable)
        assert app.query_one("#city-filter", Input).value == ""  # what filters the list is what shows
        assert table.total == PLACES  # every place, not a hidden one-place filter
        assert table.highlighted.id == "yuhang"
        assert "Yúháng" in screen_text(app)  # the detail pane follows the cursor
        await pilot.press("down")  # and the list goes on from there
        await settle(app, pilot)
        assert table.highlighted.id != "yuhang"


async def test_help_scrolls_from_the_keyboard_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one(VerticalScroll)
        assert app.focused is scroll and scroll.max_scroll_y > 0  # it overflows, and it has the keys
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert scroll.scroll_y > 0


async def test_compare_keeps_its_cursor_when_the_notation_changes(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.set_marks(["shenzhen", "guangzhou", "jinan"])
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("down", "down", "down", "right", "right")
        await settle(app, pilot)
        table = app.query_one("#compare-table", DataTable)
        where = table.cursor_coordinate
        assert (where.row, where.column) == (3, 3)  # Jinan (the cursor starts on the first place)
        for key in ("ctrl+r", "ctrl+n", "ctrl+r"):
            await pilot.press(key)
            await settle(app, pilot)
            assert table.cursor_coordinate == where, key


async def test_space_marks_and_moves_to_the_next_place(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.query_one("#city-table", VirtualTable)
        first, second = table.row(0).id, table.row(1).id
        await pilot.press("space", "space")
        await settle(app, pilot)
        assert app.marked == (first, second)
        assert table.cursor_row == 2
        await pilot.press("up", "space")  # unmarking works the same way
        await settle(app, pilot)
        assert app.marked == (first,)
        await pilot.press("ctrl+u")
        await settle(app, pilot)
        assert app.marked == ()


async def test_clearing_the_filter_keeps_the_cursor_on_its_place(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"shenzhen", "enter")
        await settle(app, pilot)
        table = app.query_one("#city-table", VirtualTable)
        assert app.focused is table and table.highlighted.id == "shenzhen"
        await pilot.press("escape")  # on the list: clears the filter
        await settle(app, pilot)
        assert app.query_one("#city-filter", Input).value == "" and table.total == PLACES
        assert table.highlighted.id == "shenzhen"
        await pilot.press("space")
        assert app.marked == ("shenzhen",)
