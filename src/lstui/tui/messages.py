"""Messages that workers post back to the UI thread."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class PlacesFiltered(Message):
    """A filter's rows are ready: the first page, and where the cursor goes (`goto`, an index) or
    what the user may have meant when nothing matched (`suggestions`, place labels)."""

    def __init__(self, generation: int, source: Any, total: int, first_page: list, goto: int | None = None,
                 suggestions: tuple[str, ...] = (), page_no: int = 0) -> None:
        super().__init__()
        self.generation, self.source, self.total, self.first_page = generation, source, total, first_page
        self.goto, self.suggestions, self.page_no = goto, suggestions, page_no


class DetailReady(Message):
    def __init__(self, place_id: str, detail: Any) -> None:
        super().__init__()
        self.place_id, self.detail = place_id, detail


class ResultsReady(Message):
    def __init__(self, generation: int, source, first_page: list) -> None:
        super().__init__()
        self.generation, self.source, self.first_page = generation, source, first_page


class CompareReady(Message):
    def __init__(self, rows: list, places: list, progress: dict | None = None) -> None:
        super().__init__()
        self.rows, self.places = rows, places
        self.progress = progress or {}  # target id -> the pair that answers for it (lstui.core.research)


class CitingReady(Message):
    def __init__(self, source_id: str, facts: list, conflicts: list, comparisons: list = ()) -> None:
        super().__init__()
        self.source_id, self.facts, self.conflicts = source_id, facts, conflicts
        self.comparisons = list(comparisons)  # its figures beside the document it reports, or its original


class DatabaseReady(Message):
    """The database was opened (or rebuilt and opened): panes can load."""


class MarkRequested(Message):
    """Mark or unmark a place for comparison (None: unmark every place)."""

    def __init__(self, place_id: str | None) -> None:
        super().__init__()
        self.place_id = place_id


class PlaceHighlighted(Message):
    """The Cities cursor is on this place."""

    def __init__(self, place_id: str | None) -> None:
        super().__init__()
        self.place_id = place_id


class ComparisonShown(Message):
    """What Compare now shows: the rows and the places (the app exports them)."""

    def __init__(self, rows: list, places: list) -> None:
        super().__init__()
        self.rows, self.places = rows, places


class ExportRequested(Message):
    """Write the comparison to a file: 'md' or 'csv'."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind


class ProfileFieldsReady(Message):
    """For each role, the profile fields its measures have conditions on."""

    def __init__(self, fields: dict) -> None:
        super().__init__()
        self.fields = fields


class DatabaseDamaged(Message):
    """DuckDB found the database file damaged while answering a query."""

    def __init__(self, detail: str) -> None:
        super().__init__()
        self.detail = detail


class ProvincesReady(Message):
    def __init__(self, provinces: list[str]) -> None:
        super().__init__()
        self.provinces = provinces


class SourcesReady(Message):
    def __init__(self, sources: list) -> None:
        super().__init__()
        self.sources = sources


class BuildingStarted(Message):
    """The database is being rebuilt (the YAML changed, or there was none): say so on screen."""


class OpenFailed(Message):
    """The database could not be opened or rebuilt: the app ends with these problems or this error."""

    def __init__(self, problems: list, error: str | None) -> None:
        super().__init__()
        self.problems, self.error = problems, error


class Notice(Message):
    """A message for the user from a worker (shown as a toast)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class MarkedNames(Message):
    """The names of the places marked for comparison (id -> "English 汉字")."""

    def __init__(self, marked: tuple[str, ...], names: dict[str, str]) -> None:
        super().__init__()
        self.marked, self.names = marked, names


class PlaceChosen(Message):
    """Show this place in the Cities tab (Enter on a figure in Sources)."""

    def __init__(self, place_id: str) -> None:
        super().__init__()
        self.place_id = place_id


class KnownPlaces(Message):
    """Which of the places marked are places of the database (marks of others are dropped)."""

    def __init__(self, marked: tuple[str, ...], known: frozenset[str]) -> None:
        super().__init__()
        self.marked, self.known = marked, known


class DataFileChanged(Message):
    """The YAML is no longer what the database was built from."""


class DataReloaded(Message):
    """The database was rebuilt from the changed YAML (or found current) and opened: `data`."""

    def __init__(self, data: Any) -> None:
        super().__init__()
        self.data = data


class ReloadFailed(Message):
    """The changed YAML could not be built (its problems) or opened (an error); the data shown stays."""

    def __init__(self, problems: list, error: str | None) -> None:
        super().__init__()
        self.problems, self.error = problems, error


class CopyText(Message):
    """Put this text on the terminal's clipboard; `what` says in the toast what was copied."""

    def __init__(self, text: str, what: str) -> None:
        super().__init__()
        self.text, self.what = text, what


class ConflictsReady(Message):
    """Every recorded conflict, or a place's (`place_id`), for the Sources tab; `names`: place id ->
    "English 汉字" for every place a conflict is about (the filter's choices)."""

    def __init__(self, place_id: str | None, conflicts: list, names: dict[str, str]) -> None:
        super().__init__()
        self.place_id, self.conflicts, self.names = place_id, conflicts, names
