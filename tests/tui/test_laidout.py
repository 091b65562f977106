"""The detail pane's page is laid out once per width, and reads as it would laid out each time."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from lstui.tui.laidout import WIDTHS_KEPT, LaidOut


class Counting:
    """A table that counts how often it is laid out."""

    def __init__(self) -> None:
        self.times = 0
        self.table = Table("What", "Value")
        for n in range(40):
            self.table.add_row(Text(f"row {n} with words enough to wrap at a narrow width"), f"{n:,}")

    def __rich_console__(self, console, options):
        self.times += 1
        yield self.table


def lines(console: Console, renderable, width: int, height: int | None = None) -> list[str]:
    options = console.options.update(width=width, height=height)
    return ["".join(s.text for s in line) for line in console.render_lines(renderable, options, pad=False)]


def test_each_width_is_laid_out_once_and_reads_the_same():
    console = Console(width=100, color_system=None, file=open("/dev/null", "w"))
    counting = Counting()
    page = LaidOut(counting)
    for width in (76, 76, 60, 76, 60):
        assert lines(console, page, width) == lines(console, counting.table, width)
    assert counting.times == 2
    assert len(lines(console, page, 76, height=5)) == 5  # the caller's height still crops it


def test_only_a_few_widths_are_kept():
    console = Console(width=100, color_system=None, file=open("/dev/null", "w"))
    counting = Counting()
    page = LaidOut(counting)
    widths = range(40, 40 + WIDTHS_KEPT + 1)
    for width in widths:
        lines(console, page, width)
    assert counting.times == len(widths)
    lines(console, page, widths[0])  # let go of when more widths came: laid out again
    assert counting.times == len(widths) + 1
