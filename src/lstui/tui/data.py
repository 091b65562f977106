"""The app's handle on the database: a private read-only copy, so the file itself stays free.

Widgets never write SQL: they call the named queries in lstui.core.queries with a cursor from
here. Each worker thread takes its own cursor.
"""

from __future__ import annotations

import copy
import os
import threading
from pathlib import Path
from typing import Callable, NamedTuple

from lstui.core import earn, queries
from lstui.core.connect import connect_private, is_damaged
from lstui.core.errors import LstuiError
from lstui.core.calculator import Result, results_for
from lstui.core.models import Incentive, Place, PlaceRow, Ranked
from lstui.core.money import Display


class RankedResult(NamedTuple):
    """A row of the calculator's table: a measure's result at the place its card is shown at
    (where it comes from), and the English names of the other places it applies in."""

    result: Result
    also: tuple[str, ...]


class PlaceSource:
    """The Cities list as a RowSource: DuckDB filters, sorts and pages it."""

    def __init__(self, data: "AppData", text: str = "", province: str | None = None, level: str | None = None,
                 money_for: str | None = None, sort: str | None = None):
        self.data = data
        self.filters = dict(text=text, province=province, level=level, money_for=money_for)
        self.sort = sort
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = queries.count_places(self.data.cursor(), **self.filters)
        return self._count

    def window(self, offset: int, limit: int) -> list[PlaceRow]:
        return queries.search_places(self.data.cursor(), **self.filters, sort=self.sort, limit=limit, offset=offset)

    def position(self, place_id: str) -> int | None:
        """The row a place is on, or None if these filters leave it out."""
        return queries.place_position(self.data.cursor(), place_id, **self.filters, sort=self.sort)


class ResultSource:
    """The calculator's results as a RowSource: DuckDB ranks them and hands over a window at a
    time, with what the results in it list; only the rows in a window are worded."""

    CHUNK = 128  # rows asked for at a time: a page of the table (vtable.PAGE)

    def __init__(self, data: "AppData", profile, first: earn.EarnPage, notation: Display, sort: str | None = None):
        self.data, self.profile, self.notation, self.sort = data, profile, notation, sort
        self.total, self.eligible, self.best = first.total, first.eligible, first.best
        self._chunks: dict[int, list[Ranked]] = {0: first.rows}
        self._memo: dict = {}

    def reworded(self, notation: Display) -> "ResultSource":
        """The same ranking, worded in another notation (after ctrl+r or ctrl+n): nothing is re-ranked."""
        other = copy.copy(self)
        other.notation, other._memo = notation, {}
        return other

    @classmethod
    def fetch(cls, data: "AppData", profile, notation: Display, sort: str | None = None) -> "ResultSource":
        """`sort`: see lstui.core.earn.result_sort (None: best first)."""
        return cls(data, profile, earn.earn_page(data.cursor(), profile, 0, cls.CHUNK, sort), notation, sort)

    def count(self) -> int:
        return self.total

    def ranked(self, offset: int, limit: int) -> list[Ranked]:
        out: list[Ranked] = []
        for chunk in range(offset // self.CHUNK, (offset + limit - 1) // self.CHUNK + 1):
            rows = self._chunks.get(chunk)
            if rows is None:
                rows = self._chunks[chunk] = earn.earn_page(
                    self.data.cursor(), self.profile, chunk * self.CHUNK, self.CHUNK, self.sort).rows
            out += rows
        start = offset - (offset // self.CHUNK) * self.CHUNK
        return out[start: start + limit]

    def window(self, offset: int, limit: int) -> list[Result]:
        ranked = self.ranked(offset, limit)
        results = self.data.results(self.profile, ranked, self._memo, self.notation)
        return [RankedResult(result, row.also) for result, row in zip(results, ranked)]


def db_work(**kwargs):
    """A thread worker that asks the database. It does not end the app when the file turns out to
    be damaged: the app rebuilds it and the panes load again (LstuiApp.on_worker_state_changed
    still ends it on any other error)."""
    from textual import work

    return work(thread=True, exit_on_error=False, **kwargs)


class DamagedDatabase(LstuiError):
    """DuckDB found the file damaged while answering (a block failed its checksum)."""


class _Guarded:
    """A cursor that tells the app when DuckDB says the file is damaged, instead of failing in
    whichever widget happened to ask. Other errors pass through unchanged."""

    def __init__(self, cursor, on_damage: Callable[[BaseException], None]):
        self._cursor, self._on_damage = cursor, on_damage

    def execute(self, *args, **kwargs) -> "_Guarded":
        self._call(self._cursor.execute, *args, **kwargs)
        return self

    def fetchall(self):
        return self._call(self._cursor.fetchall)

    def fetchone(self):
        return self._call(self._cursor.fetchone)

    def _call(self, method, *args, **kwargs):
        import duckdb

        try:
            return method(*args, **kwargs)
        except duckdb.Error as exc:
            if not is_damaged(exc):
                raise
            self._on_damage(exc)
            raise DamagedDatabase(f"the database is damaged: {exc}") from None

    def __getattr__(self, name):
        return getattr(self._cursor, name)


class AppData:
    def __init__(self, con, db_path: Path, on_damage: Callable[[BaseException], None] | None = None):
        self.con = con
        # The app shares the machine's cores with its own UI thread: DuckDB leaves one of them to
        # it (on two cores a second DuckDB thread slows a keystroke's ranking rather than helping).
        con.execute(f"SET threads = {max(1, (os.cpu_count() or 1) - 1)}")
        self.db_path = db_path
        self.on_damage = on_damage or (lambda exc: None)
        self._local = threading.local()
        self._incentives: dict[str, Incentive] = {}
        self._places: dict[str, Place] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(cls, db_path: Path, on_damage: Callable[[BaseException], None] | None = None) -> "AppData":
        """A private copy of the file, so that no lock is ever held on the original."""
        return cls(connect_private(db_path, fallback=True), db_path, on_damage)

    def cursor(self):
        """A cursor for the calling thread (see _Guarded)."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            raw = self.con if threading.current_thread() is threading.main_thread() else self.con.cursor()
            cursor = self._local.cursor = _Guarded(raw, self.on_damage)
        return cursor

    def incentives_by_id(self, ids) -> dict[str, Incentive]:
        """These incentives (with tiers, conditions and rate), fetched once and kept."""
        with self._lock:
            missing = sorted(set(ids) - self._incentives.keys())
            if missing:
                self._incentives.update((i.id, i) for i in queries.incentives(self.cursor(), ids=missing))
            return {i: self._incentives[i] for i in ids if i in self._incentives}

    def places_by_id(self, ids) -> dict[str, Place]:
        """These places (with their ancestors), fetched once and kept."""
        with self._lock:
            missing = sorted(set(ids) - self._places.keys())
            if missing:
                self._places.update(queries.all_places(self.cursor(), ids=missing))
            return {p: self._places[p] for p in ids if p in self._places}

    def results(self, profile, ranked: list[Ranked], memo: dict, notation: Display) -> list[Result]:
        """Calculator results for these ranked rows, worded (see lstui.core.calculator.results_for)."""
        incentives = self.incentives_by_id({r.incentive_id for r in ranked})
        places = self.places_by_id({r.place_id for r in ranked})
        return results_for(profile, ranked, incentives, places, memo, notation)

    def close(self) -> None:
        import duckdb

        try:
            self.con.close()
        except duckdb.Error:
            pass
