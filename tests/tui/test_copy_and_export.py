"""Copying a figure (y with its citation, Y its value), every conflict in Sources, and Compare's exports."""

from __future__ import annotations

import csv

import pytest
from textual.widgets import DataTable, Select

from lstui.core.export import new_file
from lstui.tui import exporting
from lstui.tui.compare import ComparePane
from lstui.tui.sources import SourcesPane
from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle
from tests.tui.conftest import static_text


@pytest.fixture
def clipboard(monkeypatch):
    """What the app puts on the terminal's clipboard, in order."""
    from lstui.tui.app import LstuiApp

    copied: list[str] = []
    monkeypatch.setattr(LstuiApp, "copy_to_clipboard", lambda self, text: copied.append(text))
    return copied


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def show_source(app, pilot, source_id: str, fact_id: str) -> None:
    await pilot.press("f5")
    await settle(app, pilot)
    table = app.query_one("#sources-table", VirtualTable)
    table.move_to(next(i for i in range(table.total) if table.row(i).id == source_id))
    await settle(app, pilot)
    citing = app.query_one("#citing-table", VirtualTable)
    citing.move_to(next(i for i in range(citing.total) if citing.row(i)[0].fact_id == fact_id))
    await settle(app, pilot)


async def test_y_in_sources_copies_the_figure_with_its_citation(make_app, clipboard):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await show_source(app, pilot, "szdaily-2023-03-28", "shenzhen-sales-2025-szdaily")
        await pilot.press("y")
        await settle(app, pilot)
        (text,) = clipboard
        assert text.startswith("Shenzhen 深圳市 · target · Sales / turnover: >¥300bn by 2025 "
                               "[shenzhen-sales-2025-szdaily]\n")
        assert "Shenzhen Daily (Shenzhen Government Online)" in text and "2023-03-28, para 5." in text
        assert "http://www.sz.gov.cn/en_szgov/news/latest/content/post_10507518.html" in text
        assert "Copied shenzhen-sales-2025-szdaily with its citation" in toasts(app)


async def test_shift_y_copies_the_bare_value_as_shown(make_app, clipboard):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await show_source(app, pilot, "szdaily-2023-03-28", "shenzhen-sales-2025-szdaily")
        await pilot.press("Y")
        await settle(app, pilot)
        await pilot.press("ctrl+n", "Y")  # in the notation chosen
        await settle(app, pilot)
        assert clipboard == [">¥300bn", ">¥3,000亿"]
        assert "Copied >¥300bn" in toasts(app)


async def test_compare_copies_every_version_of_the_cell(make_app, clipboard):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.set_marks(["shenzhen", "guangzhou"])
        await pilot.press("f3")
        await settle(app, pilot)
        pane = app.query_one(ComparePane)
        row = next(i for i, r in enumerate(pane.rows) if r.metric == "top_streamers")
        pane.query_one(DataTable).move_cursor(row=row, column=1)
        await settle(app, pilot)
        versions = pane.rows[row].cells["shenzhen"].versions
        assert len(versions) > 1
        await pilot.press("y")
        await settle(app, pilot)
        (text,) = clipboard
        for f in versions:
            assert f"[{f.fact_id}]" in text and f", {f.locator}." in text
        assert f"Copied {len(versions)} versions of" in toasts(app)[-1]


async def test_the_palette_copies_from_the_tab_shown(make_app, clipboard):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.request_copy(True)  # in Cities: nothing to copy, and it says where to go
        await settle(app, pilot)
        assert clipboard == [] and "Compare or Sources" in toasts(app)[-1]
        await show_source(app, pilot, "szdaily-2023-03-28", "shenzhen-sales-2025-szdaily")
        app.request_copy(False)
        await settle(app, pilot)
        assert clipboard == [">¥300bn"]
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Copy the highlighted figure with its citation", "Copy the highlighted figure's value"} <= titles


async def test_the_palette_copies_the_highlighted_place_s_sources_as_cite_prints_them(make_app, clipboard, capsys,
                                                                                       shipped_db, shipped_yaml):
    from tests.cli.conftest import run

    code, expected, _ = run(capsys, "cite", "yiwu", "--data", str(shipped_yaml), "--db", str(shipped_db))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"yiwu")
        await settle(app, pilot)
        assert app.highlighted_place == "yiwu"
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Copy the highlighted place's sources"].callback()
        await settle(app, pilot)
    assert code == 0 and clipboard == [expected]
    assert "Copied the 2 sources of Yiwu" in toasts(app)[-1] and expected.count("https://") == 2


async def test_y_on_the_cities_list_is_filter_text_not_a_copy(make_app, clipboard):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert clipboard == [] and app.query_one("#city-filter").value == "y"


async def test_the_copy_keys_are_in_the_footer_and_the_help(make_app):
    from lstui.tui.help import KEYS

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        shown = {b.key: b.description for _, b, enabled, *_ in app.screen.active_bindings.values() if enabled}
        assert shown["y"] == "Copy+cite" and shown["Y"] == "Copy value" and shown["c"] == "All conflicts"
        assert any(key.startswith("y") for _, keys in KEYS for key, _ in keys)


# ---------------------------------------------------------------------------- every conflict


async def test_sources_lists_every_conflict_and_filters_by_place(make_app, shipped_db):
    import duckdb

    with duckdb.connect(str(shipped_db), read_only=True) as con:
        every = [c for (c,) in con.execute("SELECT conflict_id FROM conflicts ORDER BY 1").fetchall()]
        yiwu = [c for (c,) in con.execute("SELECT conflict_id FROM conflicts "
                                          "WHERE list_contains(jurisdiction_ids, 'yiwu') ORDER BY 1").fetchall()]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        pane = app.query_one(SourcesPane)
        await pilot.press("c")
        await settle(app, pilot)
        assert not pane.query_one("#conflicts-pane").display and pane.query_one("#conflict-list").display
        text = static_text(pane.query_one("#all-conflicts"), width=400)
        assert f"{len(every)} recorded conflicts, about every place" in text
        assert all(f"! {c}" in text for c in every)
        select = pane.query_one("#conflict-place", Select)
        assert "Yiwu 义乌市 (2)" in [str(label) for label, _ in select._options]
        select.value = "yiwu"
        await settle(app, pilot)
        text = static_text(pane.query_one("#all-conflicts"), width=400)
        assert f"{len(yiwu)} recorded conflicts involving Yiwu 义乌市" in text
        assert [c for c in every if f"! {c}" in text] == yiwu
        await pilot.press("c")  # back to the highlighted article's own
        await settle(app, pilot)
        assert pane.query_one("#conflicts-pane").display and not pane.query_one("#conflict-list").display


async def test_conflicts_place_is_typed_into_the_opened_filter_at_80x24(make_app):
    """c puts focus on the place filter; Enter opens it, the letters typed find a place, Enter takes it."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        pane = app.query_one(SourcesPane)
        select = pane.query_one("#conflict-place", Select)
        assert app.focused is select
        assert not pane.query_one("#citing-table").display  # the article's figures give way to the list
        await pilot.press("enter", *"shen", "enter")
        await settle(app, pilot)
        assert select.value == "shenzhen"
        text = static_text(pane.query_one("#all-conflicts"), width=400)
        assert "recorded conflicts involving Shenzhen 深圳市" in text
        await pilot.press("c")  # back: the articles have focus again
        await settle(app, pilot)
        assert app.focused is pane.query_one("#sources-table")


# ------------------------------------------------------------------------------------ export


def test_new_file_never_replaces_one(tmp_path):
    paths = []
    for text in ("first", "second", "third"):
        path, fh = new_file(tmp_path, "lstui-compare-20250101-120000", "csv")
        with fh:
            fh.write(text)
        paths.append(path.name)
    assert paths == ["lstui-compare-20250101-120000.csv", "lstui-compare-20250101-120000-2.csv",
                     "lstui-compare-20250101-120000-3.csv"]
    assert (tmp_path / paths[0]).read_text() == "first"


async def test_two_exports_in_one_second_make_four_files_and_the_csv_is_data(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr(exporting, "stamp", lambda: "20250101-120000")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.set_marks(["shenzhen", "guangzhou"])
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        pane = app.query_one(ComparePane)
    names = sorted(p.name for p in tmp_path.glob("lstui-compare-*"))
    assert names == ["lstui-compare-20250101-120000-2.csv", "lstui-compare-20250101-120000-2.md",
                     "lstui-compare-20250101-120000.csv", "lstui-compare-20250101-120000.md"]
    with open(tmp_path / "lstui-compare-20250101-120000.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:12] == ["metric", "label", "jurisdiction_id", "jurisdiction_en", "fact_id", "value",
                                  "value_high", "unit", "comparator", "period", "deadline", "source_id"]
    versions = [(f.fact_id, p) for r in pane.rows for p, cell in r.cells.items() for f in cell.versions]
    assert sorted((r["fact_id"], r["jurisdiction_id"]) for r in rows) == sorted(versions)
    sales = next(r for r in rows if r["fact_id"] == "shenzhen-sales-2025-szdaily")
    assert (sales["value"], sales["unit"], sales["comparator"], sales["source_id"], sales["locator"]) == \
        ("300000000000", "CNY", "more_than", "szdaily-2023-03-28", "para 5")
    md = (tmp_path / "lstui-compare-20250101-120000.md").read_text(encoding="utf-8")
    assert md.startswith("| metric | label | unit | shenzhen | guangzhou |") and ">¥300bn" in md
