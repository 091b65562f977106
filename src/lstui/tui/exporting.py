"""The comparison written to a file (Compare's `e`, or the palette)."""

from __future__ import annotations

import csv
import datetime as _dt
from pathlib import Path

from lstui import render
from lstui.output import markdown_table


def write_comparison(rows: list, places: list, notation, folder: Path, kind: str) -> Path:
    """The comparison as Markdown ('md') or CSV ('csv') in `folder`; raises OSError."""
    columns, cells = render.compare_flat(rows, places, notation)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = (folder / f"lstui-compare-{stamp}.{kind}").resolve()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if kind == "csv":
            csv.writer(fh).writerows([columns, *cells])
        else:
            fh.write(markdown_table(columns, cells))
    return path
