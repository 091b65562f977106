"""Opening the database file, and nothing else: read-only, or a private copy of it.

lstui never opens its database for writing (a build writes a new file and renames it into
place), so it never locks anybody else out: any number of read-only connections share a file.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from lstui.core import cleanup
from lstui.core.errors import LstuiError


def is_lock_error(exc: Exception) -> bool:
    """DuckDB could not lock the file because another process holds it ("block" is no lock)."""
    text = str(exc).lower()
    return "could not set lock" in text or "conflicting lock" in text or "being used by another process" in text


def is_damaged(exc: BaseException) -> bool:
    """Whether a DuckDB error says the file itself is damaged (a checksum or a block that cannot
    be read), rather than anything about the question asked."""
    text = str(exc).lower()
    return any(word in text for word in ("corrupt", "checksum", "could not read enough bytes",
                                         "invalid block", "failed to load metadata", "serialization error"))


def connect_readonly(db_path: Path, config: dict | None = None):
    """Open the database read-only.

    If another program holds it open for writing (e.g. a duckdb shell started without
    -readonly), read a private copy instead of failing: lstui's own writes never touch the file
    in place, so the copy is consistent.
    """
    import duckdb

    if Path(db_path).is_dir():
        raise LstuiError(f"{db_path} is a directory, not a database file; choose another place with --db PATH")
    try:
        return duckdb.connect(str(db_path), read_only=True, config=config or {})
    except duckdb.IOException as exc:
        if not is_lock_error(exc):
            raise LstuiError(f"cannot open database {db_path}: {exc}") from None
    except duckdb.Error as exc:
        raise LstuiError(f"cannot open database {db_path}: {exc}") from None
    return connect_private(db_path, config)


def connect_private(db_path: Path, config: dict | None = None, fallback: bool = False):
    """Open a private copy of the file: nobody's lock, ours included, is ever held on the original.

    The copy is unlinked at once (the open connection keeps it alive until it is closed).
    `fallback`: with no room for a copy, open the original read-only instead.
    """
    import duckdb

    tmpdir = Path(tempfile.mkdtemp(prefix="lstui-"))
    copy = tmpdir / Path(db_path).name
    with cleanup.removed_on_stop(tmpdir):
        try:
            shutil.copyfile(db_path, copy)
            return duckdb.connect(str(copy), read_only=True, config=config or {})
        except OSError as exc:
            if fallback:
                return connect_readonly(db_path, config)
            raise LstuiError(f"cannot open database {db_path}: {exc.strerror or exc}") from None
        except duckdb.Error as exc:
            raise LstuiError(f"cannot open database {db_path}: {exc}") from None
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
