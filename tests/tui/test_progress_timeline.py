"""Progress against targets and the timeline in the place detail, and the share marked in Compare."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from lstui.tui.compare import ComparePane
from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle
from tests.tui.conftest import static_text


async def detail_of(app, pilot, typed: str, place_id: str) -> str:
    """The detail pane's text once the Cities list, filtered by `typed`, is on `place_id`."""
    app.query_one("#city-filter", Input).value = typed
    await settle(app, pilot)
    table = app.query_one("#city-table", VirtualTable)
    table.move_to(next(i for i in range(table.total) if table.row(i).id == place_id))
    await settle(app, pilot)
    return static_text(app.query_one("#city-detail"), width=400)


async def test_detail_shows_a_pair_with_its_share(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        detail = await detail_of(app, pilot, "chongqing", "chongqing")
        progress = detail.split("Progress against targets", 1)[1]
        assert "Live-streamers (hosts): 10,000 by the end of 2022" in progress
        assert ">5% reached: >500 (influential live-streaming hosts who had emerged) 2020" in progress
        assert "the latest statistic by the deadline" in progress


async def test_detail_gives_the_reason_for_an_increment_and_for_a_pair_that_is_not_comparable(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        shenzhen = (await detail_of(app, pilot, "shenzhen", "shenzhen")).split("Progress against targets", 1)[1]
        assert "+3,000 by 2025" in shenzhen and "builds on: ~9,260" in shenzhen and "12,260 in all" in shenzhen
        assert "no statistic since, so it cannot be measured yet" in shenzhen
        xiamen = (await detail_of(app, pilot, "xiamen", "xiamen")).split("Progress against targets", 1)[1]
        assert "not comparable: 23.4%" in xiamen
        assert "both are percentages, not amounts: no share of one in the other is measured" in xiamen


async def test_detail_timeline_is_in_order_with_undated_items_apart(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        detail = await detail_of(app, pilot, "huadu", "huadu")
        timeline, undated = detail.split("Timeline", 1)[1].split("Timeline: undated", 1)
        assert timeline.index("2020-03-24 issued") < timeline.index("2020-08-20 issued") < \
            timeline.index("2022 target due")
        assert "inherited from Guangzhou" in timeline
        assert "Tasks in a plan: 6" in undated and "Tasks in a plan" not in timeline


async def test_compare_marks_the_share_and_lists_the_progress_of_a_target(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.set_marks(["shenzhen", "jinan"])
        await pilot.press("f3")
        await settle(app, pilot)
        pane = app.query_one(ComparePane)
        row = next(i for i, r in enumerate(pane.rows) if r.metric == "sales")
        pane.query_one(DataTable).move_cursor(row=row, column=1)
        await settle(app, pilot)
        cell = pane.query_one(DataTable).get_cell_at(pane.query_one(DataTable).cursor_coordinate)
        assert "· 50.7%" in cell.plain
        versions = static_text(pane.query_one("#compare-versions", Static), width=400)
        assert "progress: 50.7% reached: ¥152bn" in versions and "the latest statistic by the deadline" in versions
