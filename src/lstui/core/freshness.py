"""Is the database current? Cheap enough to ask on every command (no YAML parsing here)."""

from __future__ import annotations

import hashlib
from pathlib import Path

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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise LstuiError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()


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


def is_current(con, data_path: Path) -> bool:
    """True if `con` was built from this YAML (same bytes) by this lstui and schema."""
    return matches(build_info(con), data_path)


def matches(info: dict | None, data_path: Path) -> bool:
    """True if a build record (from the database or its snapshot) describes this YAML, lstui and schema."""
    if not info or info.get("schema_sha256") != SCHEMA_SHA256 or info.get("lstui_version") != lstui.__version__:
        return False
    try:
        stat = Path(data_path).stat()
    except OSError as exc:
        raise LstuiError(f"{data_path}: cannot read: {exc.strerror or exc}") from None
    if stat.st_size != info["yaml_size"]:
        return False
    if stat.st_mtime_ns == info["yaml_mtime_ns"]:
        return True
    return file_sha256(data_path) == info["yaml_sha256"]
