"""Named, parameterised queries over the public views; user text only ever binds as a parameter."""

from __future__ import annotations

from pathlib import Path

import duckdb

from lstui.core.db import connect_readonly
from lstui.core.errors import LstuiError

READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}


def _statement_kinds(con, sql: str) -> list[str]:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise LstuiError(f"SQL error: {exc}") from None
    if not statements:
        raise LstuiError("no SQL statement given")
    return [s.type.name for s in statements]


def run_readonly_sql(db_path: Path, sql: str, allow_files: bool = False) -> tuple[list[str], list[tuple]]:
    """Run user SQL on a read-only connection and return the last statement's result.

    Only reading statements are accepted; DuckDB itself also refuses writes to a read-only
    database and, unless `allow_files`, any access to other files, extensions or settings.
    """
    config = {} if allow_files else READ_ONLY_CONFIG
    allowed = {"SELECT", "EXPLAIN"} | ({"COPY"} if allow_files else set())
    con = connect_readonly(db_path, config=config)
    try:
        for kind in _statement_kinds(con, sql):
            if kind not in allowed:
                what = kind.replace("_STATEMENT", "").replace("_", " ")
                hint = "" if allow_files or kind != "COPY" else " (COPY ... TO needs --allow-files)"
                raise LstuiError(f"only read-only queries are allowed: {what} statements are refused{hint}")
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall() if cursor.description else []
        except duckdb.PermissionException as exc:
            raise LstuiError(f"refused: {_first_line(exc)} (use --allow-files to let a query read or write other files)") from None
        except duckdb.Error as exc:
            raise LstuiError(f"SQL error: {_first_line(exc)}") from None
        return columns, rows
    finally:
        con.close()


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
