"""The first screen of the app, saved beside the database by each build.

Opening DuckDB costs more than drawing a Textual screen. So each build also writes, next to the
database file, a small JSON document with what the app shows first: the first rows of the
Cities list, their count, and the provinces for the filter. The app paints that at once and
opens the database in the background. The snapshot carries the same build record as the
database (YAML hash, size and time, schema, version); a snapshot that no longer matches the
YAML is ignored, and the app then opens (or rebuilds) the database before showing rows.

This module never imports DuckDB.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

from lstui.core.errors import LstuiError
from lstui.core.freshness import matches
from lstui.core.models import PlaceRow

ROWS = 200
FORMAT = 2


class Snapshot(NamedTuple):
    total: int
    rows: list[PlaceRow]
    provinces: list[str]


def path_for(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".start.json")


def write(db_path: Path, con) -> None:
    """Record the first screen of the database open on `con` (called by the build)."""
    from lstui.core import queries
    from lstui.core.freshness import build_info

    info = build_info(con)
    document = {
        "format": FORMAT,
        "build": info,
        "total": queries.count_places(con),
        "provinces": queries.provinces(con),
        "rows": [list(row) for row in queries.search_places(con, limit=ROWS)],
    }
    target = path_for(db_path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        target.unlink(missing_ok=True)  # better no snapshot than a stale one


def read(db_path: Path, data_path: Path) -> Snapshot | None:
    """The saved first screen, if it exists and still describes this YAML; else None."""
    try:
        document = json.loads(path_for(db_path).read_text(encoding="utf-8"))
        if document.get("format") != FORMAT or not Path(db_path).is_file():
            return None
        if not matches(document.get("build"), data_path):
            return None
        return Snapshot(int(document["total"]), [PlaceRow(*row) for row in document["rows"]],
                        list(document["provinces"]))
    except (OSError, ValueError, TypeError, KeyError, LstuiError):
        return None
