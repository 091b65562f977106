"""Every recorded conflict between reports, with a filter by place (the Sources tab's `c`)."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Select, Static

from lstui import render
from lstui.core import queries
from lstui.render import T
from lstui.tui.data import db_work
from lstui.tui.messages import ConflictsReady
from lstui.tui.scrollpane import ScrollPane


class ConflictList(Vertical):
    """The conflicts `lstui conflicts [PLACE]` lists, worded as it words them. The filter offers
    the places that conflicts are about; DuckDB picks a place's conflicts (queries.conflicts)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.place: str | None = None  # the filter's place; None: every place
        self.names: dict[str, str] = {}  # the places conflicts are about: id -> "English 汉字"

    def compose(self) -> ComposeResult:
        yield Select([], prompt="Every place", id="conflict-place", compact=True)
        with ScrollPane(id="all-conflicts-pane"):
            yield Static("", id="all-conflicts")

    def load(self) -> None:
        """(Re)load the filter's places, and the conflicts of the place chosen."""
        self.load_conflicts(None)
        if self.place is not None:
            self.load_conflicts(self.place)

    @db_work(group="all-conflicts")
    def load_conflicts(self, place_id: str | None) -> None:
        cursor = self.app.data.cursor()
        rows = queries.conflicts(cursor, place_id=place_id)
        names = {}
        if place_id is None:
            ids = sorted({pid for c in rows for pid in c.jurisdiction_ids})
            names = {pid: render.place_label(p) for pid, p in queries.all_places(cursor, ids).items()}
        self.post_message(ConflictsReady(place_id, rows, names))

    def on_conflicts_ready(self, message: ConflictsReady) -> None:
        message.stop()
        if message.place_id is None:
            self._fill_places(message.conflicts, message.names)
        if message.place_id == self.place:  # not a place chosen before the one now chosen
            self.show(message.conflicts, self.names.get(self.place or "", self.place))

    def _fill_places(self, conflicts: list, names: dict[str, str]) -> None:
        self.names = names
        counts = {pid: sum(pid in c.jurisdiction_ids for c in conflicts) for pid in names}
        options = [(f"{names[pid]} ({counts[pid]})", pid) for pid in sorted(names, key=names.get)]
        select = self.query_one("#conflict-place", Select)
        with select.prevent(Select.Changed):
            select.set_options(options)
            if self.place in names:
                select.value = self.place
        if self.place not in names:
            self.place = None  # its place has no conflict since the data was reloaded

    @on(Select.Changed, "#conflict-place")
    def place_chosen(self, event: Select.Changed) -> None:
        event.stop()
        self.place = None if event.value is Select.NULL else str(event.value)
        self.load_conflicts(self.place)

    def show(self, conflicts: list, place: str | None) -> None:
        about = f" involving {place}" if place else ", about every place"
        parts = [T(f"{len(conflicts):,} recorded conflicts{about} (c: back to this article's)", style="bold")]
        for c in conflicts:
            head, *rest = render.conflict_lines(c)
            parts += [head, *(Padding(line, (0, 0, 0, 2)) for line in rest)]
        self.query_one("#all-conflicts", Static).update(Group(*parts))
