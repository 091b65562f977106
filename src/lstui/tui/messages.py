"""Messages that workers post back to the UI thread."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class PlacesFiltered(Message):
    def __init__(self, generation: int, source: Any, total: int, first_page: list) -> None:
        super().__init__()
        self.generation, self.source, self.total, self.first_page = generation, source, total, first_page


class DetailReady(Message):
    def __init__(self, place_id: str, detail: Any) -> None:
        super().__init__()
        self.place_id, self.detail = place_id, detail


class ResultsReady(Message):
    def __init__(self, generation: int, source, first_page: list) -> None:
        super().__init__()
        self.generation, self.source, self.first_page = generation, source, first_page


class CompareReady(Message):
    def __init__(self, rows: list, places: list) -> None:
        super().__init__()
        self.rows, self.places = rows, places


class CitingReady(Message):
    def __init__(self, source_id: str, facts: list, conflicts: list) -> None:
        super().__init__()
        self.source_id, self.facts, self.conflicts = source_id, facts, conflicts


class DatabaseReady(Message):
    """The database was opened (or rebuilt and opened): panes can load."""
