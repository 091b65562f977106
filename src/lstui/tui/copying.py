"""Copying the figure under the cursor: `y` with its citation, `Y` its bare value.

The text goes to the terminal's clipboard with an OSC 52 sequence (the app's copy_to_clipboard),
which terminals pass on over SSH and tmux can forward. Sources and Compare have nothing to type
in, so the letters are free there; the Cities list, where letters filter, has no copy keys.
"""

from __future__ import annotations

from textual.binding import Binding

from lstui import render
from lstui.core import cite
from lstui.tui.data import db_work
from lstui.tui.messages import CopyText
from lstui.tui.pane import Pane

COPY_ACTIONS = {"copy_figure"}


def bare_value(f, notation) -> str:
    """A figure as its cell shows it (an event, which has no figure: its date)."""
    return render.fact_when(f) if f.kind == "event" else render.fact_value(f, notation)


class FigurePane(Pane):
    """A pane whose cursor is on figures (`highlighted_figures`): the copy keys, and the palette's
    copy commands, which the app sends down as its `copy_request` (pane id, with citation)."""

    BINDINGS = [
        Binding("y", "copy_figure(True)", "Copy+cite"),
        Binding("Y", "copy_figure(False)", "Copy value", key_display="Y"),
    ]

    def highlighted_figures(self) -> tuple:
        """The figures under the cursor (a Compare cell has one per reported version)."""
        return ()

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "copy_request", self._copy_requested, init=False)

    def _copy_requested(self, request) -> None:
        if request is not None and request[0] == self.id:
            self.action_copy_figure(request[1])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in COPY_ACTIONS and self.typing_here():
            return False  # a letter typed in a field is text
        return super().check_action(action, parameters)

    def action_copy_figure(self, with_citation: bool) -> None:
        facts = self.highlighted_figures()
        if not facts:
            self.notify("Move the cursor to a figure first.", severity="warning")
        elif with_citation:
            self.cite_figures(tuple(facts))
        else:
            value = "; ".join(bare_value(f, self.lstui.notation) for f in facts)
            self.post_message(CopyText(value, value))

    @db_work(exclusive=True, group="copy")
    def cite_figures(self, facts: tuple) -> None:
        notation = self.lstui.notation
        found = cite.figure_citations(self.lstui.data.cursor(), [f.fact_id for f in facts])
        text = cite.cite(found, "text", lambda f: render.figure_words(f, notation))
        what = (f"{facts[0].fact_id} with its citation" if len(facts) == 1 else
                f"{len(facts)} versions of {cite.figure_label(facts[0])} with their citations")
        self.post_message(CopyText(text, what))
