"""Read-only access to the database file, so lstui never locks anybody else out of it; and the
one way to a current database: check it against the YAML, rebuild it if it is stale or damaged."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from lstui.core import cleanup
from lstui.core.errors import LstuiError
from lstui.core.target import is_lock_error


def connect_readonly(db_path: Path, config: dict | None = None):
    """Open the database read-only.

    Any number of read-only connections can share the file. If another program holds it open
    for writing (e.g. a duckdb shell started without -readonly), read a private copy instead of
    failing: lstui's own writes never touch the file in place, so the copy is consistent.
    """
    import duckdb

    path = str(db_path)
    if Path(db_path).is_dir():
        raise LstuiError(f"{db_path} is a directory, not a database file; choose another place with --db PATH")
    try:
        return duckdb.connect(path, read_only=True, config=config or {})
    except duckdb.IOException as exc:
        if not is_lock_error(exc):
            raise LstuiError(f"cannot open database {db_path}: {exc}") from None
    except duckdb.Error as exc:
        raise LstuiError(f"cannot open database {db_path}: {exc}") from None
    return _connect_copy(db_path, config)


def _connect_copy(db_path: Path, config: dict | None):
    import duckdb

    tmpdir = Path(tempfile.mkdtemp(prefix="lstui-"))
    copy = tmpdir / Path(db_path).name
    with cleanup.removed_on_stop(tmpdir):
        try:
            shutil.copyfile(db_path, copy)
            con = duckdb.connect(str(copy), read_only=True, config=config or {})
        except (OSError, duckdb.Error) as exc:
            raise LstuiError(f"cannot open database {db_path}: {exc}") from None
        finally:
            # The copy is unlinked at once; the open connection keeps its inode alive until closed.
            shutil.rmtree(tmpdir, ignore_errors=True)
    return con


def rebuild(data, db_path: Path, notify=None, wait: bool = False, announce: bool = False):
    """Build the database from the YAML, then save the app's first screen beside it.
    `announce`: say "building ..." first (once lstui knows that it may replace the file)."""
    from lstui.core import startup, target
    from lstui.core.build import build  # parses YAML: imported only when a rebuild is due
    from lstui.core.freshness import read_data

    data = read_data(data)
    if announce and notify is not None:
        target.check_replaceable(target.resolve(Path(db_path)), data.path)
        notify(f"building {db_path} from {data.path} ...")
    result = build(data, db_path, wait=wait, notify=notify)
    startup.save(result.db_path)
    return result


def is_fresh(data_path, db_path: Path) -> bool:
    """Whether the database at `db_path` was built from the YAML as it is now."""
    from lstui.core.freshness import is_current

    if not Path(db_path).is_file():
        return False
    try:
        con = connect_readonly(db_path)
    except LstuiError:
        return False
    try:
        return is_current(con, data_path)
    finally:
        con.close()


def ensure_current(data_path, db_path: Path, notify=None):
    """Rebuild the database if the YAML or the schema changed since it was built."""
    from lstui.core.build import BuildResult
    from lstui.core.freshness import read_data

    data = read_data(data_path)
    if is_fresh(data, db_path):
        return BuildResult(Path(db_path), -1, 0.0, False)
    return rebuild(data, db_path, notify, announce=True)


def open_current(data_path: Path, db_path: Path, notify=None):
    """A read-only connection to a database built from the current YAML, rebuilding first if not.

    The YAML is read once: its hash decides, and a rebuild parses the same bytes. One connection
    serves both the freshness check and the queries that follow.
    """
    from lstui.core.freshness import is_current, read_data

    data = read_data(data_path)
    if Path(db_path).is_file():
        try:
            con = connect_readonly(db_path)
        except LstuiError:
            con = None
        if con is not None:
            if is_current(con, data):
                return con
            con.close()
    rebuild(data, db_path, notify, announce=True)
    return connect_readonly(db_path)


def is_damaged(exc: BaseException) -> bool:
    """Whether a DuckDB error says the file itself is damaged (a checksum or a block that cannot
    be read), rather than anything about the question asked."""
    text = str(exc).lower()
    return any(word in text for word in ("corrupt", "checksum", "could not read enough bytes",
                                         "invalid block", "failed to load metadata", "serialization error"))


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
