"""YAML -> DuckDB file, atomically, and only into a file that lstui may replace.

A build writes a temporary file beside the database and renames it over the old one, so that
readers keep the old file until the new one is complete. Before it renames, it makes sure it
loses nobody's data (see `target.py`): it replaces only a database that lstui built, or a path
where nothing exists; it refuses while another program holds the file open for writing (that
program's unsaved work lives in the file's write-ahead log, which DuckDB would otherwise
replay onto the new file); and a write-ahead log left by a program that stopped is moved aside,
never applied to the new database.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb

import lstui
from lstui.core import cleanup, dataset, target, validate, yamlpos
from lstui.core.errors import DataError, LstuiError
from lstui.core.freshness import CORE_DIR, SCHEMA_SHA256, DataFile, read_data
from lstui.core.memory import gc_paused
from lstui.core.vocab import TABLE_ORDER

SCHEMA_SQL = (CORE_DIR / "schema.sql").read_text(encoding="utf-8")
VIEWS_SQL = (CORE_DIR / "views.sql").read_text(encoding="utf-8")
DERIVED_SQL = (CORE_DIR / "derived.sql").read_text(encoding="utf-8")

# Insert order follows the foreign keys (vocab.TABLE_ORDER); self-references are resolved level by level.
SELF_REFERENCES = {"jurisdictions": ("parent",), "incentives": ("alternative_to",), "policies": ("follows",),
                   "sources": ("reprint_of", "translation_of", "reports")}
STORAGE_VERSION = "v1.0.0"


@dataclass(frozen=True)
class BuildResult:
    db_path: Path
    records: int
    seconds: float
    rebuilt: bool


def _load_internal(con) -> None:
    catalog = validate.internal_columns(con)
    for table in TABLE_ORDER:
        cols = ", ".join(f'"{name}"' for name, _ in catalog[table])
        stage = validate.stage_name(table)
        refs = SELF_REFERENCES.get(table)
        if refs is None:
            con.execute(f"INSERT INTO internal.{table} ({cols}) SELECT {cols} FROM {stage}")
            continue
        ready = " AND ".join(f"(s.{ref} IS NULL OR EXISTS (SELECT 1 FROM internal.{table} p WHERE p.id = s.{ref}))"
                             for ref in refs)
        while True:  # what is referred to before what refers to it; validation has ruled out cycles
            inserted = con.execute(
                f"INSERT INTO internal.{table} ({cols}) SELECT {cols} FROM {stage} s "
                f"WHERE NOT EXISTS (SELECT 1 FROM internal.{table} x WHERE x.id = s.id) AND {ready}"
            ).fetchone()[0]
            if not inserted:
                break
    con.execute(DERIVED_SQL)


def compile_into(con, data: DataFile) -> int:
    """Validate the YAML and, if it is clean, fill `con` with tables and views.

    Raises DataError listing every problem. Returns the number of sourced records.
    """
    with gc_paused():  # large acyclic structures; collection passes only cost time
        root, problems = yamlpos.loads(data.raw, str(data.path))
        ds = dataset.read(root, str(data.path), problems)
        del root
        con.execute(SCHEMA_SQL)
        problems = validate.check(con, ds)
    if problems:
        raise DataError(problems)
    _load_internal(con)
    validate.drop_staging(con)
    con.execute(VIEWS_SQL)
    return len(ds.tables["records"])


def check(data_path: Path | DataFile) -> int:
    """Validate without writing anything; returns the number of records."""
    data = read_data(data_path)
    con = duckdb.connect(":memory:")
    try:
        return compile_into(con, data)
    finally:
        con.close()


def _remove_quietly(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass


def _remove_abandoned_builds(db_path: Path) -> None:
    """Delete the temporary files of builds that were killed (their process no longer exists).

    A build's temporary file is named after its process id; one whose process is still running
    is another build in progress and is left alone.
    """
    pattern = re.compile(rf"\.{re.escape(db_path.name)}\.(\d+)-[0-9a-f]+\.tmp(\.wal)?")
    try:
        entries = list(db_path.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            _remove_quietly(entry)
        except (PermissionError, OverflowError):
            pass  # alive under another user, or not a process id: not ours to remove


def _write_error(exc: BaseException, db_path: Path) -> LstuiError:
    """A failed write in words: a full disk or a file-size limit says so."""
    text = str(exc)
    number = getattr(exc, "errno", None)
    if number in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) or any(
            word in text for word in ("No space left", "File too large", "Disk quota")):
        why = "the disk is full or a file-size limit was reached"
    else:
        why = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return LstuiError(f"cannot write the database beside {db_path}: {why}; the previous database is "
                      "unchanged (free some space, or choose another place with --db PATH)")


def _write_new_file(tmp: Path, data: DataFile) -> int:
    """The whole database, in a file nobody else knows yet. Returns the number of records."""
    # Written in the oldest storage format that holds our types, so that any DuckDB from 1.0 on
    # (an older duckdb shell, another Python) can read the file.
    con = duckdb.connect(str(tmp), config={"storage_compatibility_version": STORAGE_VERSION})
    try:
        with cleanup.interruptible(con):
            records = compile_into(con, data)
            con.execute(
                "INSERT INTO internal.build_info VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [str(Path(data.path).resolve()), data.sha256, data.size, data.mtime_ns, SCHEMA_SHA256,
                 lstui.__version__, duckdb.__version__],
            )
            con.execute("CHECKPOINT")
    finally:
        con.close()
    return records


def build(data_path: Path | DataFile, db_path: Path, wait: bool = False,
          notify: Callable[[str], None] | None = None) -> BuildResult:
    """Build into a temporary file beside `db_path`, then rename it over the old one.

    Readers that have the old file open keep reading it; a failed or interrupted build leaves it
    untouched. `wait`: if another program holds the database open for writing, wait until it
    lets go instead of refusing.
    """
    started = time.perf_counter()
    data = read_data(data_path)
    db_path = target.resolve(Path(db_path))
    target.check_replaceable(db_path, data.path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LstuiError(f"cannot create {db_path.parent}: {exc.strerror or exc}; choose another place with --db PATH") from None
    _remove_abandoned_builds(db_path)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    wal = tmp.with_name(tmp.name + ".wal")
    with cleanup.removed_on_stop(tmp, wal):
        try:
            records = _write_new_file(tmp, data)
            target.wait_for_writers(db_path, wait, notify)
            target.set_aside_orphaned_log(db_path, notify)
            os.replace(tmp, db_path)
            target.record_build(db_path)
        except (DataError, LstuiError):
            raise
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except (duckdb.Error, OSError) as exc:
            if "interrupted" in str(exc).lower():
                raise KeyboardInterrupt from None
            raise _write_error(exc, db_path) from None
        finally:
            _remove_quietly(tmp, wal)
    return BuildResult(db_path, records, time.perf_counter() - started, True)
