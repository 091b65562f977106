"""Read-only SQL that users write themselves (`lstui query`): judged before it runs, run so that
Ctrl+C always stops it, and its errors worded on one line."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import NamedTuple

from lstui.core.connect import connect_readonly
from lstui.core.errors import LstuiError

READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}

class _Token(NamedTuple):
    text: str  # as written, without the whitespace around it
    keyword: bool
    start: int  # byte offset in the UTF-8 text (DuckDB's tokenizer counts bytes)


def _tokens(text: str) -> tuple[bytes, list[_Token]]:
    """The UTF-8 bytes of `text` and its tokens other than comments, by DuckDB's own tokenizer."""
    import duckdb

    data = text.encode("utf-8")
    found = duckdb.tokenize(text)
    ends = [start for start, _ in found[1:]] + [len(data)]
    return data, [_Token(data[start:end].decode("utf-8").strip(), kind == duckdb.token_type.keyword, start)
                  for (start, kind), end in zip(found, ends) if kind != duckdb.token_type.comment]


# A statement DuckDB reports as MULTI (a PIVOT whose columns it finds first) only reads when it
# starts as a query does: SELECT and FROM cannot hold a write, unlike WITH (WITH ... INSERT).
_READING_MULTI = {"PIVOT", "PIVOT_WIDER", "UNPIVOT", "SELECT", "FROM"}


def _judge(con, statement) -> tuple[str, bool]:
    """What DuckDB will run: the statement's kind (for EXPLAIN, the explained statement's) and
    whether it stood under EXPLAIN (EXPLAIN ANALYZE runs what it explains)."""
    explained = False
    while True:
        kind = statement.type.name
        data, tokens = _tokens(statement.query)
        first = tokens[0] if tokens and tokens[0].keyword else None
        if first is None or first.text.upper() != "EXPLAIN":
            break
        statement, explained = _explained(con, data, tokens[1:]), True
    if kind == "MULTI" and first is not None and first.text.upper() in _READING_MULTI:
        kind = "SELECT"
    return kind, explained


def _explained(con, data: bytes, tokens: list[_Token]):
    """The statement after EXPLAIN [ANALYZE] [(options)]."""
    import duckdb

    if tokens and tokens[0].keyword and tokens[0].text.upper() in ("ANALYZE", "ANALYSE"):
        tokens = tokens[1:]
    starts = [tokens[0].start] if tokens else []
    if tokens and tokens[0].text == "(":  # options, as in (FORMAT json), or a statement in brackets
        depth = 0
        for i, token in enumerate(tokens):
            depth += {"(": 1, ")": -1}.get(token.text, 0)
            if depth == 0:
                starts += [tokens[i + 1].start] if i + 1 < len(tokens) else []
                break
    for start in starts:
        try:
            inner = con.extract_statements(data[start:].decode("utf-8"))
        except duckdb.Error:
            continue
        if len(inner) == 1:
            return inner[0]
    raise LstuiError("cannot tell which statement this EXPLAIN explains; it is refused")


def _statement_kinds(con, sql: str) -> list[tuple[str, bool]]:
    """(kind, under EXPLAIN) of each statement in `sql`, as _judge sees it."""
    import duckdb

    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise LstuiError(f"SQL error: {error_message(exc)}") from None
    if not statements:
        raise LstuiError("no SQL statement given")
    return [_judge(con, s) for s in statements]


def _refuse_unless_reading(con, sql: str, allow_files: bool) -> None:
    allowed = {"SELECT"} | ({"COPY"} if allow_files else set())
    kinds = _statement_kinds(con, sql)
    for kind, explained in kinds:
        if kind not in allowed:
            what = kind.replace("_STATEMENT", "").replace("_", " ")
            notes = ["also under EXPLAIN"] if explained else []
            notes += ["COPY ... TO needs --allow-files"] if kind == "COPY" and not allow_files else []
            hint = f" ({'; '.join(notes)})" if notes else ""
            raise LstuiError(f"only read-only queries are allowed: {what} statements are refused{hint}")
    if len(kinds) > 1:
        # Only the last result could be shown; the others would run unseen.
        raise LstuiError(f"{len(kinds)} statements given; run them one at a time "
                         "(lstui query shows the result of one statement)")


def run_readonly_sql(db_path: Path, sql: str, allow_files: bool = False) -> tuple[list[str], list[tuple]]:
    """Run one statement of user SQL on a read-only connection and return its result.

    Only reading statements are accepted; DuckDB itself also refuses writes to a read-only
    database and, unless `allow_files`, any access to other files, extensions or settings.
    Ctrl+C stops the statement and is raised as KeyboardInterrupt.
    """
    import duckdb

    config = {} if allow_files else READ_ONLY_CONFIG
    con = connect_readonly(db_path, config=config)
    try:
        _refuse_unless_reading(con, sql, allow_files)
        try:
            return _interruptible(con, sql)
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.PermissionException as exc:
            raise LstuiError(f"refused: {error_message(exc)} (use --allow-files to let a query read or write other files)") from None
        except duckdb.Error as exc:
            raise LstuiError(f"SQL error: {error_message(exc)}") from None
        except OverflowError as exc:  # e.g. an INTERVAL of more days than Python's timedelta holds
            raise LstuiError(f"a value in the result does not fit Python ({exc}); CAST it to VARCHAR") from None
    finally:
        con.close()


FETCH_ROWS = 10_000  # rows converted to Python at a time, so that a stop is seen between batches


def _interruptible(con, sql: str) -> tuple[list[str], list[tuple]]:
    """Run the statement on a worker thread while this (the main) thread waits.

    Python takes Ctrl+C on the main thread only, and DuckDB running a statement there sometimes
    misses it; waiting here, the main thread always gets it, interrupts DuckDB and re-raises it.
    """
    outcome: dict = {}
    done, stop = threading.Event(), threading.Event()

    def work() -> None:
        try:
            outcome["result"] = _fetch(con, sql, stop)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread below
            outcome["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=work, name="lstui-query", daemon=True)
    worker.start()
    try:
        while not done.wait(0.1):
            pass
    except BaseException:
        stop.set()
        _stop_statement(con, done)
        raise
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _fetch(con, sql: str, stop: threading.Event) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description or []]
    rows: list[tuple] = []
    while cursor.description and not stop.is_set():
        batch = cursor.fetchmany(FETCH_ROWS)
        if not batch:
            break
        rows += batch
    return columns, rows


def _stop_statement(con, done: threading.Event) -> None:
    """Interrupt DuckDB until the worker has finished: an interrupt that comes before the
    statement has started is lost, so it is repeated. The connection is closed only after."""
    while True:
        try:
            con.interrupt()
            if done.wait(0.05):
                return
        except KeyboardInterrupt:
            pass  # pressed again: already stopping


_HINTS = ("Did you mean", "Candidate bindings")


def error_message(exc: Exception) -> str:
    """DuckDB's message on one line: the first line and its hints ("Did you mean ...?"), without
    the echo of the query and its caret (the message already names what is wrong)."""
    lines = [line.strip() for line in str(exc).strip().splitlines()]
    return " ".join(lines[:1] + [line for line in lines[1:] if line.startswith(_HINTS)])
