"""Where the data and the database live: command-line flags, then environment, then defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from lstui.core.errors import LstuiError

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def bundled_data_path() -> Path:
    """The dataset shipped inside the package (or, in a source checkout, data/ at its root)."""
    for candidate in (PACKAGE_DIR / "data" / "policies.yaml",
                      PACKAGE_DIR.parent.parent / "data" / "policies.yaml"):
        if candidate.is_file():
            return candidate
    raise LstuiError("cannot find the bundled dataset; pass --data PATH or set LSTUI_DATA")


def default_db_path() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME")
    if not cache:
        try:
            cache = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no HOME, and no entry in the password database
            raise LstuiError("cannot tell where to keep the database: there is no home directory; "
                             "set LSTUI_DB (or XDG_CACHE_HOME), or pass --db PATH") from None
    return Path(cache) / "lstui" / "policies.duckdb"


class Settings(NamedTuple):
    data_path: Path
    db_path: Path

    @classmethod
    def resolve(cls, data: str | None = None, db: str | None = None, env=None) -> "Settings":
        env = os.environ if env is None else env
        data = data or env.get("LSTUI_DATA")
        db = db or env.get("LSTUI_DB")
        data_path = Path(data).expanduser() if data else bundled_data_path()
        db_path = Path(db).expanduser() if db else default_db_path()
        return cls(data_path=data_path, db_path=db_path)
