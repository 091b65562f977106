"""YAML -> DuckDB file, atomically, and only when the YAML (or the schema) has changed."""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb

import lstui
from lstui.core import dataset, validate, yamlpos
from lstui.core.db import connect_readonly
from lstui.core.errors import DataError, LstuiError
from lstui.core.memory import gc_paused
from lstui.core.freshness import CORE_DIR, SCHEMA_SHA256, file_sha256, is_current

SCHEMA_SQL = (CORE_DIR / "schema.sql").read_text(encoding="utf-8")
VIEWS_SQL = (CORE_DIR / "views.sql").read_text(encoding="utf-8")
DERIVED_SQL = (CORE_DIR / "derived.sql").read_text(encoding="utf-8")

# Insert order follows the foreign keys; self-references are resolved level by level.
LOAD_ORDER = ("sources", "metrics", "jurisdictions", "exchange_rates", "policies", "records", "events",
              "targets", "statistics", "incentives", "incentive_tiers", "tier_conditions", "conflicts",
              "conflict_members", "mentions")
SELF_REFERENCES = {"jurisdictions": "parent", "incentives": "alternative_to"}
STORAGE_VERSION = "v1.0.0"


@dataclass(frozen=True)
class BuildResult:
    db_path: Path
    records: int
    seconds: float
    rebuilt: bool


def _load_internal(con) -> None:
    catalog = validate.internal_columns(con)
    for table in LOAD_ORDER:
        cols = ", ".join(f'"{name}"' for name, _ in catalog[table])
        stage = validate.stage_name(table)
        ref = SELF_REFERENCES.get(table)
        if ref is None:
            con.execute(f"INSERT INTO internal.{table} ({cols}) SELECT {cols} FROM {stage}")
            continue
        while True:  # parents before children; validation has already ruled out cycles
            inserted = con.execute(
                f"INSERT INTO internal.{table} ({cols}) SELECT {cols} FROM {stage} s "
                f"WHERE NOT EXISTS (SELECT 1 FROM internal.{table} x WHERE x.id = s.id) "
                f"AND (s.{ref} IS NULL OR EXISTS (SELECT 1 FROM internal.{table} p WHERE p.id = s.{ref}))"
            ).fetchone()[0]
            if not inserted:
                break
    con.execute(DERIVED_SQL)


def compile_into(con, data_path: Path) -> int:
    """Validate the YAML and, if it is clean, fill `con` with tables and views.

    Raises DataError listing every problem. Returns the number of sourced records.
    """
    with gc_paused():  # large acyclic structures; collection passes only cost time
        root, problems = yamlpos.load(data_path)
        ds = dataset.read(root, str(data_path), problems)
        del root
        con.execute(SCHEMA_SQL)
        problems = validate.check(con, ds)
    if problems:
        raise DataError(problems)
    _load_internal(con)
    validate.drop_staging(con)
    con.execute(VIEWS_SQL)
    return len(ds.tables["records"])


def check(data_path: Path) -> int:
    """Validate without writing anything; returns the number of records."""
    con = duckdb.connect(":memory:")
    try:
        return compile_into(con, data_path)
    finally:
        con.close()


def _remove_quietly(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
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


def build(data_path: Path, db_path: Path) -> BuildResult:
    """Build into a temporary file beside `db_path`, then rename it over the old one.

    Readers that have the old file open keep reading it; a failed build leaves it untouched.
    """
    started = time.perf_counter()
    data_path, db_path = Path(data_path), Path(db_path)
    try:
        stat = data_path.stat()
    except OSError as exc:
        raise LstuiError(f"{data_path}: cannot read: {exc.strerror or exc}") from None
    sha = file_sha256(data_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LstuiError(f"cannot create {db_path.parent}: {exc.strerror or exc}; choose another place with --db PATH") from None
    _remove_abandoned_builds(db_path)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    wal = tmp.with_name(tmp.name + ".wal")
    try:
        try:
            # Written in the oldest storage format that holds our types, so that any DuckDB
            # from 1.0 on (an older duckdb shell, another Python) can read the file.
            con = duckdb.connect(str(tmp), config={"storage_compatibility_version": STORAGE_VERSION})
        except duckdb.Error as exc:
            raise LstuiError(f"cannot write the database beside {db_path}: {exc}; choose another place with --db PATH") from None
        try:
            records = compile_into(con, data_path)
            con.execute(
                "INSERT INTO internal.build_info VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [str(data_path.resolve()), sha, stat.st_size, stat.st_mtime_ns, SCHEMA_SHA256,
                 lstui.__version__, duckdb.__version__],
            )
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        _remove_quietly(tmp, wal)
    _write_startup(db_path)
    return BuildResult(db_path, records, time.perf_counter() - started, True)


def _write_startup(db_path: Path) -> None:
    """Save the app's first screen beside the new database (see lstui.core.startup)."""
    from lstui.core import startup

    try:
        with connect_readonly(db_path) as con:
            startup.write(db_path, con)
    except (LstuiError, duckdb.Error):
        _remove_quietly(startup.path_for(db_path))


def is_fresh(data_path: Path, db_path: Path) -> bool:
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


def ensure_database(data_path: Path, db_path: Path, notify: Callable[[str], None] | None = None) -> BuildResult:
    """Rebuild the database if the YAML or the schema changed since it was built."""
    if is_fresh(data_path, db_path):
        return BuildResult(db_path, -1, 0.0, False)
    if notify is not None:
        notify(f"building {db_path} from {data_path} ...")
    return build(data_path, db_path)
