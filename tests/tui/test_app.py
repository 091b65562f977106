"""The terminal app driven as a person would, with Textual's Pilot (no sleeps: wait on workers)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from lstui.core.build import build
from lstui.core.store import rebuild
from lstui.tui.app import LstuiApp
from lstui.tui.cities import CitiesPane
from lstui.tui.compare import ComparePane
from lstui.tui.help import HelpScreen
from lstui.tui.sources import SourcesPane
from lstui.tui.vtable import VirtualTable
from tests.conftest import PLACES, MINIMAL
from scripts.screenshots import settle
from tests.tui.conftest import screen_text


def rows(table: VirtualTable) -> list:
    return [table.row(i) for i in range(table.total)]


# ---------------------------------------------------------------------------------- Cities


async def test_first_screen_shows_cities_with_real_rows(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.query_one("#city-table", VirtualTable)
        assert table.total == PLACES
        assert app.query_one(TabbedContent).active == "cities"
        assert "Chongqing" in screen_text(app)  # among the first rows, by province
        assert app.focused is table


async def test_typing_filters_to_shenzhen(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"shenz")
        await settle(app, pilot)
        table = app.query_one("#city-table", VirtualTable)
        assert [r.id for r in rows(table)] == ["shenzhen"]
        assert table.highlighted.id == "shenzhen"
        assert "Shēnzhèn Shì" in screen_text(app)  # the detail pane follows the cursor
        assert "深圳市" in screen_text(app)
        assert app.query_one(CitiesPane).current_place == "shenzhen"


@pytest.mark.parametrize("typed, expected", [("花都", "huadu"), ("深圳", "shenzhen"), ("huadu qu", "huadu")])
async def test_filter_by_hanzi_and_pinyin(make_app, typed, expected):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one("#city-filter", Input).value = typed
        await settle(app, pilot)
        assert [r.id for r in rows(app.query_one("#city-table", VirtualTable))] == [expected]


async def test_province_level_and_money_filters(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.query_one("#city-province", Select).value = "Guangdong"
        await settle(app, pilot)
        assert {r.id for r in rows(app.query_one("#city-table", VirtualTable))} == {
            "guangdong", "guangzhou", "shenzhen", "huadu", "conghua", "luohu", "longgang"}
        app.query_one("#city-level", Select).value = "district"
        await settle(app, pilot)
        assert {r.id for r in rows(app.query_one("#city-table", VirtualTable))} == {"huadu", "conghua", "luohu",
                                                                                     "longgang"}
        await pilot.click("#money-individuals")
        await settle(app, pilot)
        assert [r.id for r in rows(app.query_one("#city-table", VirtualTable))] == ["huadu"]


async def test_no_match_says_so(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one("#city-filter", Input).value = "atlantis"
        await settle(app, pilot)
        assert app.query_one("#city-table", VirtualTable).total == 0
        assert "No place matches" in screen_text(app)


# ---------------------------------------------------------------------------------- Compare


async def test_mark_three_places_and_compare_them(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        for name in ("shenzhen", "jinan", "chongqing"):
            app.query_one("#city-filter", Input).value = name
            await settle(app, pilot)
            app.query_one("#city-table", VirtualTable).focus()
            await pilot.press("space")
        await settle(app, pilot)
        assert app.marked == ("shenzhen", "jinan", "chongqing")
        assert "3 marked" in str(app.query_one("#marked-count", Static).render())
        await pilot.press("f3")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "compare"
        pane = app.query_one(ComparePane)
        assert [p.id for p in pane.places] == ["shenzhen", "jinan", "chongqing"]
        table = pane.query_one(DataTable)
        assert [c.key.value for c in table.ordered_columns] == ["metric", "shenzhen", "jinan", "chongqing"]
        sales = next(r for r in pane.rows if r.metric == "sales")
        assert set(sales.cells) == {"shenzhen", "jinan", "chongqing"}


async def test_compare_shows_conflicting_versions_on_focus_and_exports(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.set_marks(["shenzhen", "guangzhou"])
        await pilot.press("f3")
        await settle(app, pilot)
        pane = app.query_one(ComparePane)
        table = pane.query_one(DataTable)
        row = next(i for i, r in enumerate(pane.rows) if r.metric == "top_streamers")
        table.move_cursor(row=row, column=1)
        await settle(app, pilot)
        versions = str(pane.query_one("#compare-versions", Static).render())
        assert "! >50 by 2025" in versions and "! 50" in versions
        assert "szdaily-2023-03-28 paras 9-10" in versions and "scmp-2023-shenzhen para 8" in versions
        await pilot.press("e")
        await settle(app, pilot)
        md = sorted(tmp_path.glob("lstui-compare-*.md"))
        csv_files = sorted(tmp_path.glob("lstui-compare-*.csv"))
        assert md and csv_files
        assert md[0].read_text(encoding="utf-8").startswith("| metric | label | unit | shenzhen | guangzhou |")
        assert "top_streamers" in csv_files[0].read_text(encoding="utf-8")
        assert any(str(md[0]) in str(n.message) for n in app._notifications)


async def test_compare_without_marks_explains_what_to_do(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert "Mark places in the Cities tab" in screen_text(app)


# ------------------------------------------------------------------------------- Calculator


async def fill(app, pilot, **fields):
    for field, value in fields.items():
        widget = app.query_one(f"#{field}")
        widget.value = value
    await settle(app, pilot)


def calc_rows(app) -> list:
    """Every row of the calculator's results table, as the table would show them."""
    table = app.query_one("#calc-table", VirtualTable)
    return [table.row(i).result for i in range(table.total)]


def calc_result(app, incentive_id, place_id="huadu"):
    return next(r for r in calc_rows(app) if r.incentive.id == incentive_id and r.place.id == place_id)


async def test_calculator_shows_huadu_tier_and_next_tier_as_you_type(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        assert app.focused.id == "followers"
        await pilot.press(*"600k")
        await fill(app, pilot, **{"annual-sales": "15m", "buying-home": "yes"})
        house = calc_result(app, "huadu-house-allowance")
        assert (house.status, house.tier, house.amount) == ("eligible", 1, 100_000)
        assert house.next_tier.text == ("annual sales above ¥20m (you: ¥15m; +¥5,000,001 needed) "
                                        "-> up to ¥300k (tier 2)")
        await fill(app, pilot, **{"annual-sales": "25m"})
        house = calc_result(app, "huadu-house-allowance")
        assert (house.tier, house.amount) == (2, 300_000)
        assert "up to ¥300k" in screen_text(app)


async def test_keys_typed_ahead_land_in_the_right_fields(make_app):
    """Over a slow link keystrokes arrive in a burst: Tab must move on before the next key is read."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        burst = [*"600k", "tab", *"15m", "tab", "shift+tab", "shift+tab", *"0"]
        for key in burst:  # posted at once, without waiting for any to be handled
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(app, pilot)
        values = {f: app.query_one(f"#{f}", Input).value for f in ("followers", "annual-sales")}
        # tabbing into a filled field selects its text, so typing replaces it (as in a browser form)
        assert values == {"followers": "0", "annual-sales": "15m"}
        assert app.focused.id == "followers"


async def test_keys_typed_right_after_switching_tabs_land_in_the_form(make_app):
    from textual import events

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key in ["f4", *"600k"]:  # the Calculator tab is mounted on first use, while these wait
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(app, pilot)
        assert app.query_one("#followers", Input).value == "600k"
        for key in ["f2", *"shenz"]:  # back in Cities, typing filters the list
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(app, pilot)
        assert app.query_one("#city-filter", Input).value == "shenz"
        assert [r.id for r in rows(app.query_one("#city-table", VirtualTable))] == ["shenzhen"]
        for key in ["escape", "slash", *"hua"]:  # "/" returns to the filter box
            app.post_message(events.Key(key, key if len(key) == 1 else ("/" if key == "slash" else None)))
        await settle(app, pilot)
        assert app.query_one("#city-filter", Input).value == "shenzhua"  # the box keeps its text


async def test_bad_input_shows_a_message_beside_the_field_and_keeps_results(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        await fill(app, pilot, followers="600k", **{"annual-sales": "15m", "buying-home": "yes"})
        before = calc_rows(app)
        await fill(app, pilot, **{"annual-sales": "12..5"})
        error = str(app.query_one("#annual-sales-error", Static).render())
        assert "more than one decimal point" in error
        assert calc_rows(app) == before
        await fill(app, pilot, **{"annual-sales": "-5"})
        assert "cannot be negative" in str(app.query_one("#annual-sales-error", Static).render())
        await fill(app, pilot, **{"annual-sales": "55m"})
        assert str(app.query_one("#annual-sales-error", Static).render()) == "= ¥55,000,000"  # how it was read
        assert calc_result(app, "huadu-house-allowance").tier == 3


async def test_roles_change_what_applies(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        await fill(app, pilot, role="company", valuation="$1.2B")
        ids = {r.incentive.id for r in calc_rows(app)}
        assert "yuhang-rd-subsidy" in ids and "huadu-house-allowance" not in ids
        assert calc_result(app, "yuhang-rd-subsidy", "yuhang").status == "eligible"


async def test_currency_and_number_style_toggles(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        await fill(app, pilot, followers="10m")
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert app.number_style == "chinese"
        assert "up to ¥500万" in screen_text(app)  # Yuhang's bonus, up to 5 million yuan
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert app.currency == "USD"
        assert "up to US$70.65万" in screen_text(app)  # at the rate the article states


# ---------------------------------------------------------------------------------- Sources


async def test_sources_show_the_facts_citing_an_article_and_its_conflicts(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        sources = app.query_one("#sources-table", VirtualTable)
        assert sources.move_to_key("szdaily-2023-03-28")
        await settle(app, pilot)
        citing = app.query_one("#citing-table", VirtualTable)
        rows = [citing.row(i) for i in range(citing.total)]
        keys = {fact.fact_id for fact, _ in rows}
        assert "shenzhen-sales-2025-szdaily" in keys and "china-livestream-users-2022-12" in keys
        assert ("china-livestream-users-2022-12", "China") in {(f.fact_id, place) for f, place in rows}
        assert citing.border_title == f"{len(rows)} figures cite szdaily-2023-03-28"
        text = str(app.query_one("#conflicts", Static).render())
        # szdaily and the SCMP copy disagree about Shenzhen's 2025 goals; Huadu's conflicts are elsewhere
        assert "involve szdaily-2023-03-28" in text and "shenzhen" in text
        assert "huadu-house-allowance-amount-type" not in text
        assert sources.move_to_key("pdo-2020-07-01")
        await settle(app, pilot)
        assert "huadu-house-allowance-amount-type" in str(app.query_one("#conflicts", Static).render())


# ----------------------------------------------------------------------- keys, palette, help


async def test_help_screen_on_question_mark_and_f1(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_jumps_to_a_place(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")  # from another tab
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"yuhang")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "cities"
        assert app.query_one("#city-table", VirtualTable).highlighted.id == "yuhang"
        assert app.query_one(CitiesPane).current_place == "yuhang"


async def test_function_keys_switch_tabs_even_while_typing(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "s", "f4")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "calculator"
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "sources"
        assert app.query_one(SourcesPane) is not None


# ----------------------------------------------------------------------------- terminals


async def test_resizing_down_to_40x12_and_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for size in ((60, 16), (40, 12), (250, 70), (40, 30), (120, 12), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            too_small = app.query_one("#too-small").display
            assert too_small == (size[0] < 60 or size[1] < 16), size
        assert app.query_one("#city-table", VirtualTable).total == PLACES


async def test_missing_database_is_built_with_a_visible_status(make_app, tmp_path):
    db = tmp_path / "fresh.duckdb"
    app = make_app(data=False, db_path=db)
    shown = []
    original = app._show_building

    def show_building():
        original()
        shown.append(str(app.query_one("#building-status", Static).render()))

    app._show_building = show_building
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert shown and "Building the database" in shown[0]  # a status, not a frozen or empty screen
        assert not list(app.query("#building"))
        assert app.query_one("#city-table", VirtualTable).total == PLACES
    assert db.is_file()


async def test_saved_first_screen_shows_rows_before_the_database_opens(tmp_path, shipped_yaml):
    from lstui.core import startup

    db = tmp_path / "policies.duckdb"
    rebuild(shipped_yaml, db)
    snapshot = startup.read(db, shipped_yaml)
    assert snapshot is not None and snapshot.total == PLACES
    app = LstuiApp(shipped_yaml, db, snapshot=snapshot, export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one("#city-table", VirtualTable)
        assert table.total == PLACES and not list(app.query("#building"))  # rows at once, from the snapshot
        await pilot.press("slash", *"shenz")  # typing while the database opens is not lost
        await settle(app, pilot)
        assert app.data is not None
        assert [r.id for r in rows(table)] == ["shenzhen"]
        assert app.query_one(CitiesPane).current_place == "shenzhen"


def test_a_stale_snapshot_is_ignored(tmp_path, shipped_yaml):
    import shutil

    from lstui.core import startup

    data = tmp_path / "policies.yaml"
    shutil.copyfile(shipped_yaml, data)
    db = tmp_path / "policies.duckdb"
    rebuild(data, db)
    assert startup.read(db, data) is not None
    data.write_text(data.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert startup.read(db, data) is None


async def test_broken_yaml_at_start_exits_with_code_2_and_the_problems(make_app, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINIMAL.read_text(encoding="utf-8").replace("level: city", "level: cty"), encoding="utf-8")
    app = make_app(data=False, data_path=broken, db_path=tmp_path / "x.duckdb")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
    assert app.return_code == 2
    assert [p.field for p in app.problems] == ["jurisdictions[2].level"]


def test_missing_yaml_exits_2_before_the_app_starts(tmp_path, capsys):
    from lstui.cli import main

    assert main(["--data", str(tmp_path / "none.yaml"), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "no such data file" in capsys.readouterr().err


# ---------------------------------------------------------------------------- untrusted text

HOSTILE_NAME = "[red]Evil[/red] [link=http://example.com]click[/link]"


@pytest.fixture
def hostile_db(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("    name_en: Shenzhen\n", '    name_en: "[red]Evil[/red] [link=http://example.com]click[/link]"\n')
    text = text.replace("    note: Tiered allowance.\n",
                        '    note: "Bold [b]claims[/b] \\e[31mred\\e[0m \\e]8;;http://x\\e\\\\link\\e]8;;\\e\\\\ end"\n')
    data = tmp_path / "hostile.yaml"
    data.write_text(text, encoding="utf-8")
    db = tmp_path / "hostile.duckdb"
    build(data, db)
    return data, db


async def test_markup_and_escape_sequences_in_data_are_shown_literally(hostile_db, tmp_path):
    from lstui.tui.data import AppData

    data, db = hostile_db
    app = LstuiApp(data, db, AppData.open(db), export_dir=tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.query_one("#city-filter", Input).value = "evil"
        await settle(app, pilot)
        text = screen_text(app)
        assert "[red]Evil[/red]" in text
        assert "[link=http://example.com]click[/link]" in text
        assert "[b]claims[/b]" in text
        assert "\x1b" not in app.export_screenshot()
        for line in app.query_one("#city-table", VirtualTable).render_lines(
                app.query_one("#city-table", VirtualTable).region.reset_offset):
            assert all("\x1b" not in seg.text for seg in line)


# ------------------------------------------------------------------------ never locking out

PROBE = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
    print(con.execute("SELECT count(*) FROM facts").fetchone()[0])
    con.close()
""")


async def test_database_file_stays_free_while_the_app_runs(make_app, shipped_db):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for mode in ("ro", "rw"):  # a script, and even a duckdb shell opened for writing
            result = subprocess.run([sys.executable, "-c", PROBE, str(shipped_db), mode], capture_output=True,
                                    text=True, timeout=60)
            assert result.returncode == 0, result.stderr
            assert int(result.stdout) > 100
        assert app.query_one("#city-table", VirtualTable).total == PLACES


async def test_no_color(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.no_color
        assert "Chongqing" in screen_text(app)
        svg = app.export_screenshot()
    colours = set(re.findall(r"fill: (#[0-9a-f]{6})", svg))

    def grey(c: str) -> bool:
        rgb = [int(c[i:i + 2], 16) for i in (1, 3, 5)]
        return max(rgb) - min(rgb) <= 8

    assert all(grey(c) for c in colours), {c for c in colours if not grey(c)}  # monochrome


async def test_typing_on_the_table_starts_filtering(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"jinan")
        await settle(app, pilot)
        assert app.query_one("#city-filter", Input).value == "jinan"
        assert [r.id for r in rows(app.query_one("#city-table", VirtualTable))] == ["jinan"]
        await pilot.press("escape", "space")  # back on the table, keys keep their bindings
        assert app.marked == ("jinan",)


async def test_a_corrupt_database_file_is_rebuilt(make_app, tmp_path, shipped_yaml):
    """A database lstui built, overwritten with garbage later, is derived data: it is rebuilt."""
    db = tmp_path / "policies.duckdb"
    build(shipped_yaml, db)
    with open(db, "r+b") as fh:
        fh.write(b"this is not a database" * 100)
    app = make_app(data=False, db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.return_code is None
        assert app.query_one("#city-table", VirtualTable).total == PLACES
    assert db.read_bytes()[8:12] == b"DUCK"


async def test_a_file_lstui_did_not_build_is_left_alone(make_app, tmp_path):
    db = tmp_path / "policies.duckdb"
    db.write_bytes(b"somebody's notes" * 100)
    app = make_app(data=False, db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
    assert app.return_code == 2 and "lstui replaces only a database it built" in app.error
    assert db.read_bytes() == b"somebody's notes" * 100
