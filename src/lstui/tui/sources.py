"""Sources tab: every article, the figures that cite the highlighted one, and its conflicts."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from lstui import render
from lstui.core import queries, vocab
from lstui.core.textsafe import visible
from lstui.render import CONFLICT_MARK, T
from lstui.tui.conflicts import ConflictList
from lstui.tui.copying import FigurePane
from lstui.tui.data import db_work
from lstui.tui.keys import TABLE_MOVES
from lstui.tui.messages import CitingReady, PlaceChosen, SourcesReady
from lstui.tui.scrollpane import ScrollPane
from lstui.tui.vtable import Column, ListSource, VirtualTable

SOURCE_COLUMNS = [
    Column("id", "Source", width=18),
    Column("publisher", "Publisher", min_width=12, ratio=2, priority=1),
    Column("kind", "Kind", width=11, priority=3),
    Column("date", "Date", width=10, priority=2),
    Column("title", "Title", min_width=16, ratio=4),
]
CITING_COLUMNS = [
    Column("place", "Place", min_width=10, ratio=2),
    Column("kind", "Kind", width=9, priority=2),
    Column("figure", "Figure", min_width=12, ratio=4),
    Column("value", "Value", width=20, priority=1),
    Column("where", "Where", width=11, priority=3),
]
# Conflicts listed under an article; `lstui query "SELECT * FROM conflicts"` has them all.
CONFLICT_LIMIT = 40


class SourcesPane(FigurePane):
    BINDINGS = [*TABLE_MOVES, Binding("c", "toggle_conflicts", "All conflicts", show=False)]  # on the pane's border

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.current: str | None = None
        self.sources: dict = {}

    def compose(self) -> ComposeResult:
        yield VirtualTable(SOURCE_COLUMNS, self.source_cells, key=lambda s: s.id, empty="No sources.",
                           id="sources-table")
        with ScrollPane(id="source-info-pane"):
            yield Static("", id="source-info")
        yield VirtualTable(CITING_COLUMNS, self.citing_cells, key=lambda row: row[0].fact_id,
                           empty="No figure cites this article.", id="citing-table")
        with ScrollPane(id="conflicts-pane") as conflicts:
            conflicts.border_title = "c: every recorded conflict"  # the footer has no room for it at 80 columns
            yield Static("", id="conflicts")
        yield ConflictList(id="conflict-list")

    def load(self) -> None:
        self.load_sources()
        self.query_one(ConflictList).load()

    def action_toggle_conflicts(self) -> None:
        """Every recorded conflict, filtered by place, or back to those of the highlighted article.
        Focus goes to the place filter, or back to the articles (the figures' table is hidden)."""
        self.toggle_class("-all-conflicts")
        target = "#conflict-place" if self.has_class("-all-conflicts") else "#sources-table"
        self.query_one(target).focus()

    def highlighted_figures(self) -> tuple:
        """The figure under the cursor of the figures citing the article (lstui.tui.copying)."""
        row = self.query_one("#citing-table", VirtualTable).highlighted
        return (row[0],) if row else ()

    @db_work(exclusive=True, group="sources")
    def load_sources(self) -> None:
        self.post_message(SourcesReady(queries.sources(self.lstui.data.cursor())))

    def on_sources_ready(self, message: SourcesReady) -> None:
        self.sources = {s.id: s for s in message.sources}
        table = self.query_one("#sources-table", VirtualTable)
        was, self.current = self.current, None
        table.set_source(ListSource(message.sources))
        if was is not None:
            table.move_to_key(was)  # the data was reloaded: the cursor stays on its source

    def source_cells(self, s) -> dict:
        return {"id": s.id, "publisher": s.publisher, "kind": vocab.SOURCE_KIND_SHORT[s.kind],
                "date": s.published or "?", "title": s.title}

    def citing_cells(self, row) -> dict:
        f, place = row
        figure = f.label or f.subject or f.record_id
        value = render.fact_value(f, self.lstui.notation) if f.kind != "event" and f.unit else ""
        return {"place": place, "kind": f.kind, "figure": figure,
                "value": T(value + (" !" if f.has_conflict else ""), style="yellow" if f.has_conflict else ""),
                "where": f.locator}

    @on(VirtualTable.Highlighted, "#sources-table")
    def source_highlighted(self, event: VirtualTable.Highlighted) -> None:
        if event.row is not None:
            self.show_source(event.row.id)

    def show_source(self, source_id: str) -> None:
        if source_id == self.current:
            return
        self.current = source_id
        s = self.sources[source_id]
        info = Text(overflow="fold")
        info.append(visible(f"{s.publisher}"), style="bold")
        info.append(visible(f" · {vocab.SOURCE_KIND_WORDS[s.kind]} · {s.published or 'date unknown'}"
                            f" · {vocab.LANGUAGE_WORDS[s.language]}\n"))
        info.append(visible(s.url or "no verified URL"), style="underline" if s.url else "dim")
        if s.opening_only:
            info.append(visible("\nonly the opening of the page is archived"), style="yellow")
        for line in self._links(s):
            info.append(visible(f"\n{line}"))
        if s.original_url:
            info.append(visible(f"\noriginal: {s.original_url}"), style="dim")
        if s.date_note:
            info.append(visible(f"\n{s.date_note}"), style="dim")
        self.query_one("#source-info", Static).update(info)
        self.query_one("#source-info-pane").scroll_home(animate=False)
        self.load_citing(source_id)

    def _links(self, s) -> list[str]:
        """What a reprint or translation reproduces, and the document a report describes."""
        lines = []
        for word, target in (("reprint", s.reprint_of), ("translation", s.translation_of)):
            if s.kind == word:  # a reprint or translation always names what it reproduces
                lines.append(f"{word} of {s.original_publisher}" + (f" ({target})" if target else ""))
        if s.reports:
            doc = self.sources.get(s.reports)
            lines.append(f"reports on: {doc.title} ({doc.id})" if doc else f"reports on: {s.reports}")
        for other in sorted(o.id for o in self.sources.values() if o.reports == s.id):
            lines.append(f"reported by: {other}")
        return lines

    @db_work(exclusive=True, group="citing")
    def load_citing(self, source_id: str) -> None:
        cursor = self.lstui.data.cursor()
        self.post_message(CitingReady(source_id, queries.facts_citing(cursor, source_id),
                                      queries.conflicts(cursor, source_id=source_id),
                                      queries.comparisons(cursor, source_id)))

    @on(VirtualTable.Selected, "#citing-table")
    def figure_chosen(self, event: VirtualTable.Selected) -> None:
        """Enter on a figure: its place in the Cities tab."""
        self.post_message(PlaceChosen(event.row[0].jurisdiction_id))

    def on_citing_ready(self, message: CitingReady) -> None:
        if message.source_id != self.current:
            return
        table = self.query_one("#citing-table", VirtualTable)
        table.set_source(ListSource(message.facts))
        table.border_title = f"{len(message.facts):,} figures cite {message.source_id}"
        self.show_conflicts(message.source_id, message.conflicts, message.comparisons)

    def _comparison_text(self, source_id: str, comparisons) -> Text:
        """"The report says X, the document says Y": figure by figure, from this source's side."""
        text = Text()
        notation = self.lstui.notation
        for other in sorted({c.other_source_id if c.source_id == source_id else c.source_id for c in comparisons}):
            rows = [c for c in comparisons if other in (c.source_id, c.other_source_id)]
            mine_first = rows[0].source_id == source_id
            link = rows[0].link
            what = {"reports": ("the document it reports", "a report of it"),
                    "reprint_of": ("the original", "a reprint of it"),
                    "translation_of": ("the original", "a translation of it")}[link][0 if mine_first else 1]
            same = sum(1 for c in rows if c.agrees)
            text.append(visible(f"Against {other} ({what}): {same} of {len(rows)} figures the same\n"), style="bold")
            for c in rows:
                here, there = ((c.value, c.comparator, c.locator), (c.other_value, c.other_comparator, c.other_locator))
                if not mine_first:
                    here, there = there, here
                mark = "=" if c.agrees else ("≠" if c.agrees is False else "·")
                label = f"{c.jurisdiction_id} · {c.label or c.metric}" + (f" (tier {c.tier_no})" if c.tier_no else "")
                text.append(visible(f"  {mark} {label}: here {self._said(here, c.unit, notation)}; "
                                    f"there {self._said(there, c.unit, notation)}\n"),
                            style="" if c.agrees is not False else "yellow")
        return text

    @staticmethod
    def _said(side, unit, notation) -> str:
        value, comparator, locator = side
        if locator is None:
            return "not stated"
        figure = render.SYMBOLS.get(comparator or "exactly", "") + render.value_text(value, unit, notation) \
            if value is not None else "no figure"
        return f"{figure} ({locator})"

    def show_conflicts(self, source_id: str, conflicts, comparisons=()) -> None:
        text = self._comparison_text(source_id, comparisons) if comparisons else Text()
        if not conflicts:
            text.append(visible(f"No recorded conflict involves {source_id}."), style="dim")
        else:
            text.append(visible(f"{len(conflicts):,} recorded conflicts involve {source_id}\n"), style="bold")
        for c in conflicts[:CONFLICT_LIMIT]:
            text.append(visible(f"{CONFLICT_MARK} {c.conflict_id}"), style="bold red")
            text.append(visible(f" ({', '.join(c.aspects)})\n"))
            text.append(visible(f"  {c.summary}\n"))
            text.append(visible(f"  records: {', '.join(c.record_ids)} · sources: {', '.join(c.source_ids)}\n"),
                        style="dim")
            if c.resolution:
                said = f"preferred {c.preferred_record_id}" if c.preferred_record_id else "resolution"
                text.append(visible(f"  {said}: {c.resolution}\n"), style="dim")
        if len(conflicts) > CONFLICT_LIMIT:
            text.append(visible(f"… and {len(conflicts) - CONFLICT_LIMIT:,} more; "
                                "`lstui query \"SELECT * FROM conflicts\"` lists them all"), style="dim italic")
        self.query_one("#conflicts", Static).update(text)

    def redraw(self) -> None:
        self.query_one("#sources-table", VirtualTable).redraw()
        self.query_one("#citing-table", VirtualTable).redraw()
