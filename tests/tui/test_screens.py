"""Every screen tells the truth: whole lines, measures counted once, fields that apply, readable layouts."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input, Static

from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle
from tests.conftest import DISTRICTS
from tests.tui.conftest import screen_text, static_text


async def open_calculator(app, pilot, **fields) -> None:
    await settle(app, pilot)
    await pilot.press("f4")
    await settle(app, pilot)
    for field, value in fields.items():
        app.query_one(f"#{field}").value = value
    await settle(app, pilot)


def calc_rows(app) -> list:
    table = app.query_one("#calc-table", VirtualTable)
    return [table.row(i) for i in range(table.total)]


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_best_place_line_is_shown_whole(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_calculator(app, pilot)
        summary = static_text(app.query_one("#calc-summary", Static))
        assert "Most on offer: Yuhang District — certain ¥0, up to ¥5m if every discretionary maximum " \
               "is granted" in summary
        widget = app.query_one("#calc-summary", Static)
        lines = [line for line in screen_text(app).splitlines() if line.strip()]
        assert any("Most on offer" in line for line in lines) and any("is granted" in line for line in lines)
        assert widget.region.height >= 3 and widget.region.bottom <= app.query_one("#calc-form").region.bottom


async def test_an_inherited_measure_is_listed_once_where_it_comes_from(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_calculator(app, pilot)
        rows = calc_rows(app)
        classes = [r for r in rows if r.result.incentive.id == "guangzhou-cloud-class"]
        assert len(classes) == 1
        assert classes[0].result.place.id == "guangzhou"
        assert set(classes[0].also) == {"Huadu District", "Conghua District"}
        ids = [r.result.incentive.id for r in rows]
        assert len(ids) == len(set(ids))  # every measure once
        summary = static_text(app.query_one("#calc-summary", Static))
        eligible = sum(r.result.status == "eligible" for r in rows)
        assert f"{len(rows)} measures for this role · {eligible} eligible" in summary
        app.query_one("#calc-table", VirtualTable).move_to(ids.index("guangzhou-cloud-class"))
        await settle(app, pilot)
        assert "also applies in: Conghua District, Huadu District" in static_text(app.query_one("#calc-detail"))


async def test_the_form_shows_the_fields_the_role_is_asked_about(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_calculator(app, pilot)

        def shown(field_id: str) -> bool:
            return app.query_one(f"#{field_id}-field").display

        assert shown("followers") and shown("annual-sales") and shown("buying-home")
        assert not shown("valuation") and not shown("turnover") and not shown("new-business")
        app.query_one("#role").value = "company"
        await settle(app, pilot)
        assert shown("valuation") and shown("turnover") and shown("new-business") and shown("annual-sales")
        assert shown("listing") and shown("floor-area") and shown("local-sales") and shown("registered")
        assert not shown("followers") and not shown("exclusive") and not shown("tax-paid")
        assert "No company measure asks for: followers" in static_text(app.query_one("#calc-fields-note"))
        app.query_one("#role").value = "streamer"
        await settle(app, pilot)
        assert shown("tax-paid") and shown("exclusive") and not shown("listing") and not shown("floor-area")


async def test_beside_each_entry_it_says_how_it_was_read(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calculator(app, pilot, followers="600k", **{"annual-sales": "1500万"})
        assert str(app.query_one("#followers-error", Static).render()) == "= 600,000"
        assert str(app.query_one("#annual-sales-error", Static).render()) == "= ¥15,000,000"
        app.query_one("#annual-sales").value = "$2m"
        await settle(app, pilot)
        assert str(app.query_one("#annual-sales-error", Static).render()) == "= US$2,000,000"


async def test_a_hidden_field_does_not_count(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_calculator(app, pilot, role="company", valuation="$1.2B")
        assert any(r.result.incentive.id == "yuhang-rd-subsidy" and r.result.status == "eligible"
                   for r in calc_rows(app))
        app.query_one("#role").value = "mcn"
        await settle(app, pilot)
        app.query_one("#role").value = "streamer"  # valuation hidden: the streamer's profile leaves it out
        await settle(app, pilot)
        assert app.query_one("#calculator-pane").read_profile().valuation is None


async def test_the_next_tier_hint_names_the_tier_the_missing_amount_reaches(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_calculator(app, pilot, followers="500k", **{"annual-sales": "50m", "buying-home": "yes"})
        house = next(r.result for r in calc_rows(app) if r.result.incentive.id == "huadu-house-allowance")
        assert house.status == "not_eligible"
        # one follower more meets tier 2 (sales above ¥20m), not only tier 1
        assert house.next_tier.text.endswith("+1 needed) -> up to ¥300k (tier 2)")


async def test_periods_read_as_the_source_words_them(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.query_one("#city-filter", Input).value = "huadu"
        await settle(app, pilot)
        detail = static_text(app.query_one("#city-detail"))
        assert "in 2020" in detail and "by 2022" in detail  # SCMP says "in 2020", People's Daily "by 2022"


# ------------------------------------------------------------------------------------ layouts


async def test_the_filters_do_not_overlap_at_60x16(make_app):
    app = make_app()
    async with app.run_test(size=(60, 16)) as pilot:
        await settle(app, pilot)
        box = app.query_one("#city-filter", Input)
        province = app.query_one("#city-province")
        assert box.region.right < province.region.x  # a gap between them
        assert box.region.width >= len("Filter: name, 汉字, pinyin") + 2  # the whole placeholder
        lines = [line for line in screen_text(app).splitlines() if line.strip()]
        assert "Filter: name, 汉字, pinyin" in lines[3] and "Province" in lines[3]


async def test_the_money_toggles_say_what_they_do_and_show_their_state(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        individuals, companies = app.query_one("#money-individuals"), app.query_one("#money-companies")
        def drawn(toggle) -> str:
            return str(toggle.render()).strip()

        assert (drawn(individuals), drawn(companies)) == ("[ ] pays individuals", "[ ] pays companies")
        assert "Only places offering money to individual" in str(individuals.tooltip)
        individuals.value = True
        await settle(app, pilot)
        assert (drawn(individuals), drawn(companies)) == ("[x] pays individuals", "[ ] pays companies")
        table = app.query_one("#city-table", VirtualTable)
        assert {table.row(i).id for i in range(table.total)} == {"huadu", "yuhang", "tianjin-eco-city"}


async def show_source(app, pilot, source_id: str) -> VirtualTable:
    """The Sources tab with its cursor on this article; its table."""
    await settle(app, pilot)
    await pilot.press("f5")
    await settle(app, pilot)
    table = app.query_one("#sources-table", VirtualTable)
    table.move_to(next(i for i in range(table.total) if table.row(i).id == source_id))
    await settle(app, pilot)
    return table


async def test_a_sources_url_is_readable_whole_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await show_source(app, pilot, "scmp-2020-huadu")
        url = "https://www.scmp.com/tech/e-commerce/article/3088423/birthplace-wechat-now-wants-become-" \
              "chinas-live-streaming-capital"
        pane = app.query_one("#source-info-pane")
        assert pane.region.height >= 4 and pane.max_scroll_y == 0  # nothing of it is scrolled away
        assert url in "".join(line.strip() for line in screen_text(app).splitlines())


async def test_a_reprint_is_shown_figure_by_figure_against_its_original(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await show_source(app, pilot, "scmp-2023-shenzhen")
        text = static_text(app.query_one("#conflicts"))
        assert "Against shenzhen-2023-plan-scmp (the original):" in text
        assert "= hangzhou · Live-streamers (hosts): here 69,000 (para 6); there 69,000 (para 8)" in text
        assert "· shenzhen · Live-streamers (hosts): here 1,000 (para 12); there not stated" in text
        table.move_to(next(i for i in range(table.total) if table.row(i).id == "shenzhen-2023-plan-scmp"))
        await settle(app, pilot)
        text = static_text(app.query_one("#conflicts"))
        assert "Against scmp-2023-shenzhen (a reprint of it):" in text
        assert "there not stated" not in text and "here not stated" in text  # seen from the original's side


# ------------------------------------------------------------------------------------ filters


@pytest.mark.parametrize("typed, expected", [
    ("district", DISTRICTS),  # huadu, conghua, jimo, yuhang and the others
    ("区", DISTRICTS),
    ("village", {"beixiazhu"}),
    ("towns", {"haitou", "xinzhai"}),
    ("zone", {"tianjin-eco-city"}),
    ("huadu district", {"huadu"}),
    ("hua1du1", {"huadu"}),
    ("shen1zhen4", {"shenzhen"}),
])
async def test_the_filter_understands_level_words_and_tone_numbers(make_app, typed, expected):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one("#city-filter", Input).value = typed
        await settle(app, pilot)
        table = app.query_one("#city-table", VirtualTable)
        assert {table.row(i).id for i in range(table.total)} == expected


async def test_a_typo_gets_a_suggestion(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one("#city-filter", Input).value = "shenzen"
        await settle(app, pilot)
        assert "No place matches. Did you mean Shenzhen 深圳市" in screen_text(app)  # the closest first


async def test_a_slow_ranking_says_so_and_the_newest_entry_is_ranked_next(make_app, monkeypatch):
    """Keystrokes that come while a ranking runs are not ranked one by one: the newest is ranked
    next, and meanwhile the summary says the results shown are being updated."""
    import threading

    from lstui.tui.calculator import CalculatorPane
    from lstui.tui.data import ResultSource

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_calculator(app, pilot)
        gate, ranked, fetch = threading.Event(), [], ResultSource.fetch.__func__

        def slow_fetch(cls, data, profile, notation, sort=None):
            ranked.append(profile.followers)
            gate.wait(10)
            return fetch(cls, data, profile, notation, sort)

        monkeypatch.setattr(ResultSource, "fetch", classmethod(slow_fetch))
        monkeypatch.setattr(CalculatorPane, "UPDATING_DELAY", 0.001)
        app.query_one("#followers", Input).focus()
        await pilot.press(*"600k")
        await pilot.pause(0.05)
        summary = static_text(app.query_one("#calc-summary", Static))
        assert summary.startswith("Updating the results for the new entry ...")
        assert ranked == [6]  # the first key's ranking runs; the others wait for it
        gate.set()
        await settle(app, pilot)
        assert ranked == [6, 600_000]  # then the newest entry, once
        summary = static_text(app.query_one("#calc-summary", Static))
        assert "Updating" not in summary and "measures for this role" in summary
        assert app.query_one("#calc-table", VirtualTable).source.profile.followers == 600_000


async def test_tab_skips_a_pane_with_nothing_to_scroll_and_stops_at_one_that_has(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await show_source(app, pilot, "sichuan-2020-plan")
        assert app.query_one("#source-info-pane").max_scroll_y == 0  # its details fit
        await pilot.press("tab")
        assert app.focused is app.query_one("#citing-table")
        await pilot.press("c")  # every conflict: far more than fit
        await settle(app, pilot)
        await pilot.press("tab")
        listing = app.query_one("#all-conflicts-pane")
        assert listing.max_scroll_y > 0 and app.focused is listing
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert listing.scroll_y > 0
