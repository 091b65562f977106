"""Regenerate screenshots/*.svg: one per tab of the terminal app, and Sources' list of every
conflict (c), at 120x36.

    python scripts/screenshots.py [--out screenshots] [--size 120x36]

The same steps drive the snapshot tests (tests/tui/test_snapshots.py), so the pictures in the
README show exactly what those tests check.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

TABS = ("cities", "compare", "calculator", "sources")
SHOTS = (*TABS, "conflicts")  # conflicts: the Sources tab after c


async def settle(app, pilot) -> None:
    """Wait until no worker is running and the screen has caught up."""
    from textual.worker import WorkerCancelled

    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
    await pilot.pause()


async def show_tab(pilot, tab: str) -> None:
    """Put the app in the state each screenshot shows."""
    app = pilot.app
    await settle(app, pilot)
    if tab == "cities":
        await pilot.press("slash", "g")
        await settle(app, pilot)
        await pilot.press("escape", "down", "down", "space")
    elif tab == "compare":
        app.set_marks(["shenzhen", "guangzhou", "jinan"])
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("down", "down", "down", "right")
    elif tab == "calculator":
        await pilot.press("f4")
        await settle(app, pilot)
        app.query_one("#followers").value = "600k"
        app.query_one("#annual-sales").value = "15m"
        app.query_one("#buying-home").value = "yes"
        await settle(app, pilot)
        app.query_one("#calc-table").focus()
    elif tab == "sources":
        await pilot.press("f5")
        await settle(app, pilot)
        # a reworded copy: what it reprints, the figures that cite it and the conflicts they raise
        table = app.query_one("#sources-table")
        table.move_to(next(i for i in range(table.total) if table.row(i).id == "scmp-2023-shenzhen"))
    elif tab == "conflicts":
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("enter", *"shen", "enter")  # the place filter, as a user picks a place
    await settle(app, pilot)


async def save_all(out: Path, size: tuple[int, int]) -> list[Path]:
    from textual.widgets import Input

    from lstui.core.build import build
    from lstui.core.settings import bundled_data_path
    from lstui.tui.app import LstuiApp
    from lstui.tui.data import AppData

    from lstui.tui.calculator import CalculatorPane
    from lstui.tui.pane import Pane

    Input._toggle_cursor = lambda _self: None  # a steady cursor, as in the snapshot tests
    Pane.DETAIL_DELAY = 0
    CalculatorPane.UPDATING_DELAY = None
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "policies.duckdb"
        build(bundled_data_path(), db)
        for tab in SHOTS:
            app = LstuiApp(bundled_data_path(), db, AppData.open(db), export_dir=Path(tmp))
            async with app.run_test(size=size) as pilot:
                await show_tab(pilot, tab)
                path = out / f"{tab}.svg"
                app.save_screenshot(filename=path.name, path=str(out))
                written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "screenshots"))
    parser.add_argument("--size", default="120x36")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    os.environ.pop("NO_COLOR", None)
    for path in asyncio.run(save_all(Path(args.out), (width, height))):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
