"""The comparison written to a file (Compare's `e`, or the palette)."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from lstui import render
from lstui.core.export import comparison_records, new_file
from lstui.output import markdown_table, write_rows


def stamp() -> str:
    return _dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def write_comparison(rows: list, places: list, notation, folder: Path, kind: str) -> Path:
    """The comparison in a new file in `folder`: CSV ('csv') as data, a row per reported version
    with its number, unit, comparator, period, source and locator; Markdown ('md') as the table
    reads on screen. Raises OSError."""
    path, fh = new_file(folder.resolve(), f"lstui-compare-{stamp()}", kind)
    with fh:
        if kind == "csv":
            write_rows(*comparison_records(rows, places), "csv", out=fh)
        else:
            fh.write(markdown_table(*render.compare_flat(rows, places, notation)))
    return path
