"""Read-only access to the database file, so lstui never locks anybody else out of it."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from lstui.core.errors import LstuiError


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "being used by another process" in text


def connect_readonly(db_path: Path, config: dict | None = None):
    """Open the database read-only.

    Any number of read-only connections can share the file. If another program holds it open
    for writing (e.g. a duckdb shell started without -readonly), read a private copy instead of
    failing: lstui's own writes never touch the file in place, so the copy is consistent.
    """
    import duckdb

    path = str(db_path)
    try:
        return duckdb.connect(path, read_only=True, config=config or {})
    except duckdb.IOException as exc:
        if not _is_lock_error(exc):
            raise LstuiError(f"cannot open database {db_path}: {exc}") from None
    except duckdb.Error as exc:
        raise LstuiError(f"cannot open database {db_path}: {exc}") from None
    return _connect_copy(db_path, config)


def _connect_copy(db_path: Path, config: dict | None):
    import duckdb

    tmpdir = Path(tempfile.mkdtemp(prefix="lstui-"))
    copy = tmpdir / Path(db_path).name
    try:
        shutil.copyfile(db_path, copy)
        con = duckdb.connect(str(copy), read_only=True, config=config or {})
    except (OSError, duckdb.Error) as exc:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise LstuiError(f"cannot open database {db_path}: {exc}") from None
    # The copy is unlinked at once; the open connection keeps its inode alive until closed.
    shutil.rmtree(tmpdir, ignore_errors=True)
    return con


def open_current(data_path: Path, db_path: Path, notify=None):
    """A read-only connection to a database built from the current YAML, rebuilding first if not.

    One connection serves both the freshness check and the queries that follow.
    """
    from lstui.core.freshness import is_current

    if Path(db_path).is_file():
        try:
            con = connect_readonly(db_path)
        except LstuiError:
            con = None
        if con is not None:
            if is_current(con, data_path):
                return con
            con.close()
    from lstui.core.build import build  # parses YAML: imported only when a rebuild is due

    if notify is not None:
        notify(f"building {db_path} from {data_path} ...")
    build(data_path, db_path)
    return connect_readonly(db_path)


class BackgroundOpen:
    """`open_current` on a thread, started before a command imports what it needs.

    DuckDB lets go of the interpreter while it starts a database, so opening the file and
    importing the modules that format the answer overlap instead of adding up.
    """

    def __init__(self, data_path: Path, db_path: Path, notify=None):
        self._con = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._open, args=(data_path, db_path, notify),
                                        name="lstui-open-db", daemon=True)
        self._thread.start()

    def _open(self, data_path, db_path, notify) -> None:
        try:
            self._con = open_current(data_path, db_path, notify)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by result()
            self._error = exc

    def result(self):
        """The connection (once), or the error opening it raised."""
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        con, self._con = self._con, None
        if con is None:
            raise LstuiError("the database connection was already taken")
        return con

    def close(self) -> None:
        """Wait for the thread (a rebuild is never cut short) and close a connection nobody took."""
        self._thread.join()
        if self._con is not None:
            self._con.close()
            self._con = None
