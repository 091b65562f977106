"""The first screen of the app, saved beside the database after each build.

Opening DuckDB costs more than drawing a Textual screen. So after each build a small JSON
document is saved next to the database file with what the app shows first: the first rows of
the Cities list, their count, and the provinces for the filter. The app paints that at once and
opens the database in the background, where it checks the database against the YAML properly.
The snapshot carries the same build record as the database; one that no longer seems to
describe the YAML (its size or time changed), or that is damaged in any way, is ignored.

This module never imports DuckDB.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import NamedTuple

from lstui.core.freshness import probably_matches
from lstui.core.models import PlaceRow

ROWS = 200
FORMAT = 3
MAX_BYTES = 4 << 20  # a snapshot is some tens of kilobytes; anything far larger is not one of ours


class Snapshot(NamedTuple):
    total: int
    rows: list[PlaceRow]
    provinces: list[str]


def path_for(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".start.json")


def save(db_path: Path, con) -> None:
    """Record the first screen of the database at `db_path`, open on `con` (after a build). Never
    fails: with no snapshot the app simply waits for the database before showing rows."""
    from lstui.core import queries
    from lstui.core.freshness import build_info

    target = path_for(db_path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        document = {"format": FORMAT, "build": build_info(con), "total": queries.count_places(con),
                    "provinces": queries.provinces(con),
                    "rows": [list(row) for row in queries.search_places(con, limit=ROWS)]}
        tmp.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except Exception:  # noqa: BLE001 - whatever went wrong, a missing snapshot only costs a moment
        tmp.unlink(missing_ok=True)
        target.unlink(missing_ok=True)  # better no snapshot than a stale one


_ROW_TYPES = [(f, str(getattr(t, "__forward_arg__", t))) for f, t in PlaceRow.__annotations__.items()]


def _row(values) -> PlaceRow | None:
    """A Cities row from the snapshot, if every field has the type it should."""
    if not isinstance(values, list) or len(values) != len(PlaceRow._fields):
        return None
    for value, (_, kind) in zip(values, _ROW_TYPES):
        optional = "None" in kind
        if value is None:
            if not optional:
                return None
            continue
        if "str" in kind and not isinstance(value, str):
            return None
        if "int" in kind and (not isinstance(value, int) or isinstance(value, bool)):
            return None
        if "float" in kind and not (isinstance(value, (int, float)) and not isinstance(value, bool)
                                    and math.isfinite(value)):
            return None
        if "bool" in kind and not isinstance(value, bool):
            return None
    return PlaceRow(*values)


def _snapshot(document: dict) -> Snapshot | None:
    if document.get("format") != FORMAT:
        return None
    total, rows, provinces = document.get("total"), document.get("rows"), document.get("provinces")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0 or not isinstance(rows, list) \
            or not isinstance(provinces, list) or not all(isinstance(p, str) for p in provinces):
        return None
    parsed = [_row(r) for r in rows]
    if any(r is None for r in parsed) or len(parsed) > total:
        return None
    return Snapshot(total, parsed, provinces)


def read(db_path: Path, data_path: Path) -> Snapshot | None:
    """The saved first screen, if it exists, is sound, and seems to describe this YAML; else None."""
    path = path_for(db_path)
    try:
        if not Path(db_path).is_file() or path.stat().st_size > MAX_BYTES:
            return None
        document = json.loads(path.read_text(encoding="utf-8"), parse_constant=lambda _: None)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or not probably_matches(document.get("build"), data_path):
        return None
    return _snapshot(document)
