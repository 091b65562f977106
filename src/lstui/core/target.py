"""Which file a build may replace, and how it replaces one without losing anybody's data.

lstui replaces only a path where nothing exists (or an empty file), or a database it built:
one whose build record says so, or the very file it wrote last time (same device, inode and
size, as noted beside it), which covers a file of ours whose blocks were damaged later. It
refuses the dataset itself, directories, FIFOs, devices and every other file, such as a DuckDB
database of the user's own that a typo in --db named.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from pathlib import Path
from typing import Callable

from lstui.core.connect import is_lock_error
from lstui.core.errors import LstuiError

WAIT_STEP = 0.25  # seconds between looks while waiting for a writer to let go
_PID = re.compile(r"PID (\d+)")


def resolve(db_path: Path) -> Path:
    """Where a build writes: a symlinked database path is followed, so the link stays a link."""
    try:
        return Path(os.path.realpath(db_path)) if db_path.is_symlink() else db_path
    except OSError:
        return db_path


def record_path(db_path: Path) -> Path:
    """The note of what lstui last wrote at `db_path`."""
    return db_path.with_name(db_path.name + ".built.json")


def record_build(db_path: Path) -> None:
    """Note the identity of the file just written, so that lstui knows it for its own later."""
    st = db_path.stat()
    note = record_path(db_path)
    tmp = note.with_name(f".{note.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"device": st.st_dev, "inode": st.st_ino, "size": st.st_size}), encoding="utf-8")
        os.replace(tmp, note)
    except OSError:
        tmp.unlink(missing_ok=True)


def _written_by_us(db_path: Path, st: os.stat_result) -> bool:
    try:
        note = json.loads(record_path(db_path).read_text(encoding="utf-8"))
        return isinstance(note, dict) and (note.get("device"), note.get("inode"), note.get("size")) == (
            st.st_dev, st.st_ino, st.st_size)
    except (OSError, ValueError):
        return False


def _kind(mode: int) -> str:
    for test, word in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return word
    return "not a regular file"


def _refuse(db_path: Path, why: str) -> LstuiError:
    return LstuiError(f"{db_path}: {why}; lstui replaces only a database it built or a path where nothing "
                      "exists, so it leaves this alone (choose another place with --db PATH or LSTUI_DB)")


def check_replaceable(db_path: Path, data_path: Path) -> None:
    """Raise LstuiError unless a build may replace whatever is at `db_path`."""
    try:
        st = db_path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _refuse(db_path, f"cannot be examined ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(db_path, f"is {_kind(st.st_mode)}, not a database file")
    try:
        if os.path.samefile(db_path, data_path):
            raise _refuse(db_path, "is the dataset itself (--db and --data name the same file)")
    except OSError:
        pass  # the data is a pipe or gone: it cannot be this file
    if st.st_size == 0 or _written_by_us(db_path, st):
        return
    verdict = _inspect(db_path)
    if verdict is not None:
        raise _refuse(db_path, verdict)


def _inspect(db_path: Path) -> str | None:
    """None if the file is a database lstui built (or is held by a writer: decided later), else why not."""
    import duckdb

    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        if _lock_holder(exc) is not None:
            return None  # open for writing elsewhere: wait_for_writers decides
        return "is not a database lstui built (it does not open as a DuckDB file)"
    try:
        row = con.execute("SELECT count(*) FROM internal.build_info").fetchone()
        return None if row and row[0] else "is a DuckDB database that lstui did not build (it has no build record)"
    except duckdb.Error:
        return "is a DuckDB database that lstui did not build (it has no build record)"
    finally:
        con.close()


def _lock_holder(exc: Exception) -> str | None:
    """The process holding a DuckDB file lock, from DuckDB's error ("PID 123"), or None."""
    text = str(exc)
    if not is_lock_error(exc):
        return None
    match = _PID.search(text)
    return f"process {match.group(1)}" if match else "another program"


def writer(db_path: Path) -> str | None:
    """Who holds `db_path` open for writing (None if nobody: read-only users do not count)."""
    import duckdb

    if not db_path.exists():
        return None
    try:
        duckdb.connect(str(db_path), read_only=True).close()
    except duckdb.Error as exc:
        return _lock_holder(exc)
    return None


def wait_for_writers(db_path: Path, wait: bool, notify: Callable[[str], None] | None) -> None:
    """Refuse (or with `wait`, wait) while another program holds the database open for writing.

    Its changes live in the database's write-ahead log until it closes; DuckDB would replay that
    log onto the new file, and renaming under the writer would silently drop its work.
    """
    holder = writer(db_path)
    if holder is None:
        return
    if not wait:
        raise LstuiError(f"{db_path} is open for writing in {holder}; close it there (or pass --wait) and "
                         "build again. Keep tables of your own in a database of your own that ATTACHes "
                         "lstui's read-only (see the README)")
    if notify is not None:
        notify(f"waiting for {holder} to close {db_path} ...")
    while writer(db_path) is not None:
        time.sleep(WAIT_STEP)


def set_aside_orphaned_log(db_path: Path, notify: Callable[[str], None] | None) -> Path | None:
    """Move aside the write-ahead log of a program that stopped while writing to the old file.

    It belongs to the old file: left in place it would be replayed onto the new one. It is kept,
    under a name that says so, rather than deleted.
    """
    log = db_path.with_name(db_path.name + ".wal")
    if not log.exists():
        return None
    kept = db_path.with_name(f"{db_path.name}.wal.orphaned-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    try:
        os.replace(log, kept)
    except OSError as exc:
        raise LstuiError(f"cannot move aside {log} (the unsaved changes of a program that stopped while "
                         f"writing to the old database): {exc.strerror or exc}") from None
    if notify is not None:
        notify(f"moved aside {log.name}, changes another program had not saved to the old database, as "
               f"{kept.name}; they are not applied to the new one")
    return kept
