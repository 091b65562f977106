"""YAML -> DuckDB file, atomically, and only when the YAML (or the schema) has changed."""

from __future__ import annotations

import hashlib
import os
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

CORE_DIR = Path(__file__).resolve().parent
SCHEMA_SQL = (CORE_DIR / "schema.sql").read_text(encoding="utf-8")
VIEWS_SQL = (CORE_DIR / "views.sql").read_text(encoding="utf-8")
SCHEMA_SHA256 = hashlib.sha256((SCHEMA_SQL + VIEWS_SQL).encode()).hexdigest()

# Insert order follows the foreign keys; self-references are resolved level by level.
LOAD_ORDER = ("sources", "metrics", "jurisdictions", "exchange_rates", "policies", "records", "events",
              "targets", "statistics", "incentives", "incentive_tiers", "tier_conditions", "conflicts",
              "conflict_members", "mentions")
SELF_REFERENCES = {"jurisdictions": "parent", "incentives": "alternative_to"}


@dataclass(frozen=True)
class BuildResult:
    db_path: Path
    records: int
    seconds: float
    rebuilt: bool


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
    con.execute("""
        INSERT INTO internal.jurisdiction_paths
        WITH RECURSIVE p(id, ancestor_id, depth) AS (
            SELECT id, id, 0 FROM internal.jurisdictions
            UNION ALL
            SELECT p.id, j.parent, p.depth + 1
              FROM p JOIN internal.jurisdictions j ON j.id = p.ancestor_id
             WHERE j.parent IS NOT NULL)
        SELECT id, ancestor_id, depth FROM p""")


def compile_into(con, data_path: Path) -> int:
    """Validate the YAML and, if it is clean, fill `con` with tables and views.

    Raises DataError listing every problem. Returns the number of sourced records.
    """
    root, problems = yamlpos.load(data_path)
    ds = dataset.read(root, str(data_path), problems)
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
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    wal = tmp.with_name(tmp.name + ".wal")
    try:
        try:
            con = duckdb.connect(str(tmp))
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
    return BuildResult(db_path, records, time.perf_counter() - started, True)


def stored_build_info(db_path: Path) -> dict | None:
    """The build_info row of an existing database, or None if it is missing or unreadable."""
    if not db_path.is_file():
        return None
    try:
        with connect_readonly(db_path) as con:
            row = con.execute(
                "SELECT yaml_sha256, yaml_size, yaml_mtime_ns, schema_sha256, lstui_version "
                "FROM internal.build_info").fetchone()
    except (duckdb.Error, LstuiError):
        return None
    if row is None:
        return None
    return dict(zip(("yaml_sha256", "yaml_size", "yaml_mtime_ns", "schema_sha256", "lstui_version"), row))


def is_fresh(data_path: Path, db_path: Path) -> bool:
    info = stored_build_info(db_path)
    if info is None or info["schema_sha256"] != SCHEMA_SHA256 or info["lstui_version"] != lstui.__version__:
        return False
    try:
        stat = data_path.stat()
    except OSError as exc:
        raise LstuiError(f"{data_path}: cannot read: {exc.strerror or exc}") from None
    if stat.st_size == info["yaml_size"] and stat.st_mtime_ns == info["yaml_mtime_ns"]:
        return True
    return stat.st_size == info["yaml_size"] and file_sha256(data_path) == info["yaml_sha256"]


def ensure_database(data_path: Path, db_path: Path, notify: Callable[[str], None] | None = None) -> BuildResult:
    """Rebuild the database if the YAML or the schema changed since it was built."""
    if is_fresh(data_path, db_path):
        return BuildResult(db_path, -1, 0.0, False)
    if notify is not None:
        notify(f"building {db_path} from {data_path} ...")
    return build(data_path, db_path)
