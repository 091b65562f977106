"""A Rich renderable laid out once per width.

Textual asks a Static's content for its height, then for its lines, and again when a scrollbar
appears or the terminal is resized; a place's page of Rich tables costs tens of milliseconds
each time, on the UI thread. This keeps the lines of each width asked for.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from textual.cache import LRUCache

WIDTHS_KEPT = 4  # a few widths: a resize back and forth does not lay it out again


class LaidOut:
    def __init__(self, renderable) -> None:
        self.renderable = renderable
        self._lines: LRUCache[int, list[list[Segment]]] = LRUCache(WIDTHS_KEPT)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = self._lines.get(width)
        if lines is None:
            # Laid out whole (no height): the caller crops to the height it wants.
            lines = console.render_lines(self.renderable, options.update(height=None), pad=False, new_lines=False)
            self._lines[width] = lines
        new_line = Segment.line()
        for line in lines:
            yield from line
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)
