"""The one way to a current database: check it against the YAML, rebuild it if it is stale (or
damaged), open it, and save the app's first screen after every build.

The command line, the app and the tests all get their database here.
"""

from __future__ import annotations

import threading
from pathlib import Path

from lstui.core.connect import connect_private, connect_readonly
from lstui.core.errors import LstuiError
from lstui.core.freshness import DataFile, is_current, read_data


def rebuild(data: Path | DataFile, db_path: Path, notify=None, wait: bool = False, announce: bool = False):
    """Build the database from the YAML, then save the app's first screen beside it.

    `announce`: say "building ..." first, once lstui knows that it may replace the file.
    """
    from lstui.core import startup, target
    from lstui.core.build import build  # parses YAML: imported only when a rebuild is due

    data = read_data(data)
    if announce and notify is not None:
        target.check_replaceable(target.resolve(Path(db_path)), data.path)
        notify(f"building {db_path} from {data.path} ...")
    result = build(data, db_path, wait=wait, notify=notify)
    try:
        con = connect_readonly(result.db_path)
    except LstuiError:
        return result
    with con:
        startup.save(result.db_path, con)
    return result


def current(data_path: Path | DataFile, db_path: Path, notify=None, private: bool = False):
    """A read-only connection to a database built from the YAML as it is now, rebuilt first if not.

    The YAML is read once: its hash decides, and a rebuild parses the same bytes. `private`:
    open a private copy of the file (the app's way: it holds no lock on the file while it runs).
    """
    data = read_data(data_path)
    con = _open(db_path, private)
    if con is not None:
        if is_current(con, data):
            return con
        con.close()
    rebuild(data, db_path, notify, announce=True)
    return _connect(db_path, private)


def _connect(db_path: Path, private: bool):
    return connect_private(db_path, fallback=True) if private else connect_readonly(db_path)


def _open(db_path: Path, private: bool):
    """The database if it opens at all (else None: a rebuild decides whether it may replace it)."""
    if not Path(db_path).is_file():
        return None
    try:
        return _connect(db_path, private)
    except LstuiError:
        return None


def is_fresh(data_path: Path | DataFile, db_path: Path) -> bool:
    """Whether the database at `db_path` was built from the YAML as it is now."""
    con = _open(db_path, private=False)
    if con is None:
        return False
    with con:
        return is_current(con, data_path)


class BackgroundOpen:
    """`current` on a thread, started before a command imports what it needs.

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
            self._con = current(data_path, db_path, notify)
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
