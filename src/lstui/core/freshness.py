"""Is the database current? The YAML is read once per command, and its bytes decide.

A build records the SHA-256 of the bytes it parsed. Whether a database is current is decided by
the SHA-256 of the YAML as it is now, never by its size and modification time alone: an edit
that keeps both (`cp -p`, `rsync -t`, two writes within one clock tick) must still rebuild.
Hashing costs about 0.05 ms for the shipped file and 0.6 ms per megabyte (so ~55 ms for a file
a thousand times larger); the same bytes are then parsed if a rebuild is due, so a file that
changes in between can never be built from one version and recorded as another.
"""

from __future__ import annotations

import hashlib
import os
import stat as _stat
from pathlib import Path
from typing import NamedTuple

import lstui
from lstui.core.errors import LstuiError

CORE_DIR = Path(__file__).resolve().parent
SQL_FILES = ("schema.sql", "derived.sql", "views.sql")


def _schema_sha256() -> str:
    digest = hashlib.sha256()
    for name in SQL_FILES:
        digest.update((CORE_DIR / name).read_bytes())
    return digest.hexdigest()


SCHEMA_SHA256 = _schema_sha256()


class DataFile(NamedTuple):
    """The YAML as read once: its bytes, their hash, and the file's size and time when read."""

    path: Path
    raw: bytes
    sha256: str
    size: int
    mtime_ns: int  # 0 for a pipe


def read_data(path: Path | DataFile) -> DataFile:
    """Read the YAML once (a file or a pipe such as `<(cat f)`); retried if it changes meanwhile."""
    if isinstance(path, DataFile):
        return path
    path = Path(path)
    for _ in range(3):
        try:
            with open(path, "rb") as fh:
                before = os.fstat(fh.fileno())
                raw = fh.read()
                after = os.fstat(fh.fileno())
        except FileNotFoundError:
            raise LstuiError(f"{path}: no such data file") from None
        except IsADirectoryError:
            raise LstuiError(f"{path}: is a directory, not a YAML file") from None
        except OSError as exc:
            raise LstuiError(f"{path}: cannot read: {exc.strerror or exc}") from None
        regular = _stat.S_ISREG(after.st_mode)
        if not regular or (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, len(raw)):
            return DataFile(path, raw, hashlib.sha256(raw).hexdigest(), len(raw),
                            after.st_mtime_ns if regular else 0)
    raise LstuiError(f"{path}: the file kept changing while it was read; try again once it is saved")


def file_sha256(path: Path) -> str:
    return read_data(path).sha256


def build_info(con) -> dict | None:
    """The build_info row of an open database, or None if it has none (or is not ours)."""
    import duckdb

    try:
        row = con.execute(
            "SELECT yaml_sha256, yaml_size, yaml_mtime_ns, schema_sha256, lstui_version "
            "FROM internal.build_info").fetchone()
    except duckdb.Error:
        return None
    if row is None:
        return None
    return dict(zip(("yaml_sha256", "yaml_size", "yaml_mtime_ns", "schema_sha256", "lstui_version"), row))


def is_current(con, data: Path | DataFile) -> bool:
    """True if `con` was built from these YAML bytes by this lstui and schema."""
    return matches(build_info(con), read_data(data))


def _same_build(info) -> bool:
    return isinstance(info, dict) and info.get("schema_sha256") == SCHEMA_SHA256 \
        and info.get("lstui_version") == lstui.__version__


def matches(info: dict | None, data: DataFile) -> bool:
    """True if a build record describes these YAML bytes, this lstui and this schema."""
    return _same_build(info) and info.get("yaml_sha256") == data.sha256


def probably_matches(info: dict | None, data_path: Path) -> bool:
    """A cheap guess without reading the YAML: same schema, same size and time as when built.

    Only good enough to paint a first screen that the app then checks properly (`matches`).
    """
    if not _same_build(info):
        return False
    try:
        st = Path(data_path).stat()
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (info.get("yaml_size"), info.get("yaml_mtime_ns"))
