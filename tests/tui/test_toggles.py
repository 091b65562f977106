"""Every toggle applies everywhere: currency, number style and theme, in every tab."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle
from tests.tui.conftest import screen_text, static_text


async def show_place(app, pilot, name: str) -> None:
    app.query_one("#city-filter").value = name
    await settle(app, pilot)


async def show_metric(app, pilot, metric: str) -> None:
    """Put Compare's cursor on a metric's row (it scrolls into view)."""
    pane = app.query_one("#compare-pane")
    row = next(i for i, r in enumerate(pane.rows) if r.metric == metric)
    app.query_one("#compare-table").move_cursor(row=row, column=1)
    await settle(app, pilot)


def detail_text(app) -> str:
    return static_text(app.query_one("#city-detail", Static))


async def test_usd_converts_cities_detail_compare_and_calculator(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await show_place(app, pilot, "shenzhen")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        # Cities: the sales target column and the detail pane, at the rate Shenzhen Daily states
        assert ">US$43.68bn by 2025" in screen_text(app)
        # every amount with a rate is in dollars; the SCMP original is undated and states none: it stays in yuan
        detail = detail_text(app)
        assert ">US$43.68bn" in detail and "US$22.14bn" in detail  # 152 billion yuan at the SCMP copy's rate
        assert "converted at the rate its source states" in " ".join(str(n.message) for n in app._notifications)
        app.set_marks(["shenzhen", "jinan"])
        await pilot.press("f3")
        await settle(app, pilot)
        await show_metric(app, pilot, "sales")
        text = screen_text(app)
        assert ">US$43.68bn" in text and "US$25.43bn" in text  # Compare's cells and chart
        await pilot.press("f4")
        await settle(app, pilot)
        app.query_one("#followers").value = "10m"
        await settle(app, pilot)
        summary = " ".join(str(app.query_one("#calc-summary", Static).render()).split())
        assert "certain US$0, up to US$706.5k" in summary  # the totals, not only the rows
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        summary = " ".join(str(app.query_one("#calc-summary", Static).render()).split())
        assert "up to ¥5m" in summary


async def test_one_notation_per_setting_in_every_view(make_app):
    """Tables, detail panes and the calculator write an amount the same way."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await show_place(app, pilot, "huadu")
        text = screen_text(app)
        assert "¥1,000亿 by 2022" in text  # the list's sales target
        assert "up to ¥50万" in text  # the list's streamer incentive
        assert "up to ¥50万" in detail_text(app) and "元" not in detail_text(app)
        await pilot.press("f4")
        await settle(app, pilot)
        app.query_one("#followers").value = "600k"
        app.query_one("#annual-sales").value = "15m"
        app.query_one("#buying-home").value = "yes"
        await settle(app, pilot)
        table = app.query_one("#calc-table", VirtualTable)
        house = next(table.row(i).result for i in range(table.total)
                     if table.row(i).result.incentive.id == "huadu-house-allowance")
        assert house.next_tier.text == ("annual sales above ¥2,000万 (you: ¥1,500万; +¥5,000,001 needed) "
                                        "-> up to ¥30万 (tier 2)")


def line_styles(table: VirtualTable, y: int) -> list:
    return [segment.style for segment in table.render_line(y)]


@pytest.mark.parametrize("tab, table_id", [("f2", "#city-table"), ("f5", "#sources-table")])
async def test_a_new_theme_repaints_the_rows_at_once(make_app, tab, table_id):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(tab)
        await settle(app, pilot)
        table = app.query_one(table_id, VirtualTable)
        before = line_styles(table, 1)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        after = line_styles(table, 1)  # the cursor has not moved
        assert after != before
        table.redraw()
        assert line_styles(table, 1) == after  # what a fresh paint gives


async def test_without_colour_the_largest_value_is_marked_with_a_character(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.set_marks(["shenzhen", "jinan"])
        await pilot.press("f3")
        await settle(app, pilot)
        await show_metric(app, pilot, "sales")
        text = screen_text(app)
        assert "* largest value in the row" in text
        assert ">¥300bn by 2025 ! *" in text  # Shenzhen's sales target beats Jinan's ¥180bn
