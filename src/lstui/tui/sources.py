"""Sources tab: every article, the figures that cite the highlighted one, and every conflict."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from lstui import render
from lstui.core.textsafe import visible
from lstui.render import T
from lstui.core import queries
from lstui.tui.pane import Pane
from lstui.tui.messages import CitingReady


class SourcesPane(Pane):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.current: str | None = None

    def compose(self) -> ComposeResult:
        yield DataTable(id="sources-table", cursor_type="row")
        yield Static("", id="source-info")
        yield DataTable(id="citing-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="conflicts-pane"):
            yield Static("", id="conflicts")

    def load(self) -> None:
        con = self.lstui.data.cursor()
        table = self.query_one("#sources-table", DataTable)
        table.clear(columns=True)
        table.add_column(T("Source"), width=18)
        table.add_column(T("Publisher"), width=26)
        table.add_column(T("Date"), width=10)
        table.add_column(T("Title"))
        self.sources = {s.id: s for s in queries.sources(con)}
        for s in self.sources.values():
            table.add_row(T(s.id, overflow="ellipsis"), T(s.publisher, overflow="ellipsis", no_wrap=True),
                          T(s.published or "?"), T(s.title), key=s.id)
        citing = self.query_one("#citing-table", DataTable)
        citing.clear(columns=True)
        citing.add_column(T("Place"), width=16)
        citing.add_column(T("Kind"), width=9)
        citing.add_column(T("Figure"), width=34)
        citing.add_column(T("Value"), width=20)
        citing.add_column(T("Where"))
        self.show_conflicts(queries.conflicts(con))
        if self.sources:
            self.show_source(next(iter(self.sources)))

    @on(DataTable.RowHighlighted, "#sources-table")
    def source_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            self.show_source(event.row_key.value)

    def show_source(self, source_id: str) -> None:
        if source_id == self.current:
            return
        self.current = source_id
        s = self.sources[source_id]
        info = Text()
        info.append(visible(f"{s.publisher}"), style="bold")
        info.append(visible(f" · {s.published or 'date unknown'} · {s.language}\n"))
        info.append(visible(s.url or "no verified URL"), style="underline" if s.url else "dim")
        if s.original_url:
            info.append(visible(f"\noriginal: {s.original_url}"), style="dim")
        if s.date_note:
            info.append(visible(f"\n{s.date_note}"), style="dim")
        self.query_one("#source-info", Static).update(info)
        self.load_citing(source_id)

    @work(thread=True, exclusive=True, group="citing")
    def load_citing(self, source_id: str) -> None:
        facts = queries.facts_citing(self.lstui.data.cursor(), source_id)
        self.post_message(CitingReady(source_id, facts))

    def on_citing_ready(self, message: CitingReady) -> None:
        if message.source_id != self.current:
            return
        table = self.query_one("#citing-table", DataTable)
        table.clear()
        style = self.lstui.number_style
        names = {pid: p.name_en for pid, p in self.lstui.data.places().items()}
        for f in message.facts:
            figure = f.metric_label or f.subject or f.record_id
            value = render.fact_value(f, style) if f.kind not in ("event",) and f.unit else ""
            mark = " !" if f.has_conflict else ""
            table.add_row(T(names.get(f.jurisdiction_id, f.jurisdiction_id), overflow="ellipsis", no_wrap=True),
                          T(f.kind), T(figure, overflow="ellipsis", no_wrap=True), T(value + mark), T(f.locator),
                          key=f.fact_id)
        self.query_one("#citing-table", DataTable).border_title = f"{len(message.facts)} figures cite {message.source_id}"

    def show_conflicts(self, conflicts) -> None:
        text = Text()
        text.append(visible(f"{len(conflicts)} recorded conflicts between reports\n"), style="bold")
        for c in conflicts:
            text.append(visible(f"! {c.id}"), style="bold red")
            text.append(visible(f" ({', '.join(c.aspects)})\n"))
            text.append(visible(f"  {c.summary}\n"))
            text.append(visible(f"  records: {', '.join(c.record_ids)}\n"), style="dim")
            if c.resolution:
                text.append(visible(f"  preferred {c.preferred}: {c.resolution}\n"), style="dim")
        self.query_one("#conflicts", Static).update(text)

    def redraw(self) -> None:
        if self.current:
            current, self.current = self.current, None
            self.show_source(current)
