"""Settings kept between two runs of the app (in a temporary config directory), and the data
reloaded in place when the YAML changes while the app runs."""

from __future__ import annotations

import json
import shutil

import pytest
from textual.widgets import DataTable, TabbedContent

from lstui.core import prefs, store
from lstui.tui.app import LstuiApp
from lstui.tui.data import AppData
from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle

# A figure that the shipped data does not have: Guangzhou's target for professionals.
NEW_FIGURE = """targets:
  - id: guangzhou-professionals-added
    jurisdiction: guangzhou
    metric: professionals
    value: 12_345
    unit: count
    comparator: exactly
    source: pdo-2020-07-01
    locator: para 18
    note: A figure added while the app runs.
"""
BROKEN_FIGURE = NEW_FIGURE.replace("jurisdiction: guangzhou", "jurisdiction: nowhere-at-all")


def run(shipped_db, shipped_yaml, tmp_path) -> LstuiApp:
    """One run of the app, remembering its settings where LSTUI_CONFIG_DIR says."""
    return LstuiApp(shipped_yaml, shipped_db, AppData.open(shipped_db), export_dir=tmp_path,
                    prefs_path=prefs.default_path())


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    folder = tmp_path / "my-config"
    monkeypatch.setenv("LSTUI_CONFIG_DIR", str(folder))
    return folder


async def test_marks_theme_currency_and_number_style_outlive_the_run(shipped_db, shipped_yaml, tmp_path,
                                                                    config_dir):
    app = run(shipped_db, shipped_yaml, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.query_one("#city-table", VirtualTable)
        first = table.highlighted.id
        await pilot.press("space", "space", "ctrl+t", "ctrl+r", "ctrl+n")  # marks the first two places
        await settle(app, pilot)
        marked = app.marked
        assert len(marked) == 2 and marked[0] == first
        theme = app.theme
        assert app.currency == "USD" and app.number_style == "chinese"
    saved = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["marked"] == list(marked) and saved["theme"] == theme

    again = run(shipped_db, shipped_yaml, tmp_path)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(again, pilot)
        assert again.marked == marked and again.theme == theme
        assert again.currency == "USD" and again.number_style == "chinese"
        table = again.query_one("#city-table", VirtualTable)
        assert table.marked == set(marked)  # shown as marked on the list
        await pilot.press("f3")
        await settle(again, pilot)
        assert [p.id for p in again.query_one("#compare-pane").places] == list(marked)
        await pilot.press("ctrl+r")  # back to yuan: remembered too
        await settle(again, pilot)
    assert prefs.load(config_dir / "settings.json").currency == "CNY"


@pytest.mark.parametrize("content", [b"{not json", b'["shenzhen"]', b'{"marked": 3, "currency": "EUR", "theme": []}'],
                         ids=["bad-json", "a-list", "wrong-types"])
async def test_a_damaged_settings_file_is_ignored(shipped_db, shipped_yaml, tmp_path, config_dir, content):
    config_dir.mkdir()
    (config_dir / "settings.json").write_bytes(content)
    app = run(shipped_db, shipped_yaml, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert (app.marked, app.currency, app.number_style) == ((), "CNY", "international")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
    assert prefs.load(config_dir / "settings.json").currency == "USD"  # replaced by a sound one


async def test_marks_of_places_no_longer_in_the_data_are_dropped(shipped_db, shipped_yaml, tmp_path, config_dir):
    config_dir.mkdir()
    (config_dir / "settings.json").write_text(json.dumps(
        {"marked": ["nowhere-at-all", "shenzhen"], "theme": "no-such-theme", "currency": "USD"}), encoding="utf-8")
    app = run(shipped_db, shipped_yaml, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.marked == ("shenzhen",) and app.currency == "USD"
        assert app.theme == "textual-dark"  # a theme this Textual does not have is not applied
    assert prefs.load(config_dir / "settings.json").marked == ("shenzhen",)


async def test_a_directory_where_the_file_should_be_is_no_crash(shipped_db, shipped_yaml, tmp_path, config_dir):
    (config_dir / "settings.json").mkdir(parents=True)
    app = run(shipped_db, shipped_yaml, tmp_path)
    said = record_notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r", "ctrl+n")
        await settle(app, pilot)
        assert app.is_running and app.currency == "USD"
    warnings = [m for m in said if "cannot save the settings" in m]
    assert len(warnings) == 1 and "will not be remembered" in warnings[0]  # said once


async def test_nothing_is_remembered_without_a_settings_path(make_app, config_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
    assert not config_dir.exists()


# --------------------------------------------------------------------------------- reloading

def record_notices(app) -> list[str]:
    said: list[str] = []
    notify = app.notify

    def recording(message, **kwargs):
        said.append(str(message))
        return notify(message, **kwargs)

    app.notify = recording
    return said


@pytest.fixture
def data_copy(shipped_yaml, tmp_path):
    """A copy of the shipped YAML and a database built from it, both under tmp_path."""
    yaml_path, db_path = tmp_path / "policies.yaml", tmp_path / "policies.duckdb"
    shutil.copyfile(shipped_yaml, yaml_path)
    store.rebuild(yaml_path, db_path)
    return yaml_path, db_path


def edit(yaml_path, figure: str) -> None:
    text = yaml_path.read_text(encoding="utf-8")
    assert text.count("\ntargets:\n") == 1
    yaml_path.write_text(text.replace("\ntargets:\n", "\n" + figure, 1), encoding="utf-8")


def compared(app) -> list[str]:
    return [key.value for key in app.query_one("#compare-table", DataTable).rows]


async def test_a_changed_yaml_is_offered_then_reloaded_in_place(make_app, data_copy):
    yaml_path, db_path = data_copy
    app = make_app(data_path=yaml_path, db_path=db_path)
    said = record_notices(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.set_marks(["guangzhou", "shenzhen"])
        await pilot.press("f3")
        await settle(app, pilot)
        table = app.query_one("#compare-table", DataTable)
        assert "professionals" in compared(app)  # Shenzhen has one; Guangzhou not yet
        row = compared(app).index("professionals")
        table.move_cursor(row=row, column=1)
        assert app.query_one("#compare-pane").rows[row].cells.get("guangzhou") is None
        app.look_at_data_file()  # what the timer does every few seconds
        await settle(app, pilot)
        assert not app.data_stale and not said  # nothing changed: nothing offered

        edit(yaml_path, NEW_FIGURE)
        app.look_at_data_file()
        await settle(app, pilot)
        assert app.data_stale
        offer = said[-1]
        assert str(yaml_path) in offer and "ctrl+l" in offer and "Reload data" in offer
        app.look_at_data_file()  # offered once, not at every look
        await settle(app, pilot)
        assert said[-1] == offer and said.count(offer) == 1

        old = app.data
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.data is not old and not app.data_stale
        assert app.query_one(TabbedContent).active == "compare"
        assert app.marked == ("guangzhou", "shenzhen")
        pane = app.query_one("#compare-pane")
        cell = pane.rows[compared(app).index("professionals")].cells["guangzhou"]
        assert [f.value for f in cell.versions] == [12_345]  # the new figure
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "professionals"
        assert any("Reloaded" in m for m in said)


async def test_a_broken_yaml_says_where_and_keeps_the_data_shown(make_app, data_copy):
    yaml_path, db_path = data_copy
    app = make_app(data_path=yaml_path, db_path=db_path)
    said = record_notices(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.set_marks(["guangzhou"])
        await pilot.press("f3")
        await settle(app, pilot)
        before, old = compared(app), app.data
        edit(yaml_path, BROKEN_FIGURE)
        app.look_at_data_file()
        await settle(app, pilot)
        assert app.data_stale
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        problem = said[-1]
        line = yaml_path.read_text(encoding="utf-8").splitlines().index("    jurisdiction: nowhere-at-all") + 1
        assert f"{yaml_path}:{line}:" in problem and "nowhere-at-all" in problem
        assert "unchanged" in problem
        assert app.data is old and compared(app) == before and app.is_running

        # the file is fixed: the next change is offered again
        yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("nowhere-at-all", "guangzhou"),
                             encoding="utf-8")
        app.look_at_data_file()
        await settle(app, pilot)
        assert app.data_stale and "ctrl+l" in said[-1]
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        await settle(app, pilot)
        assert "professionals" in compared(app)
