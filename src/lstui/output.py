"""Write rows to stdout as a Rich table, CSV, JSON or Markdown; messages go to stderr."""

from __future__ import annotations

import csv
import datetime as _dt
import decimal
import errno
import functools
import json
import math
import os
import re
import sys
from typing import Any, Iterable, Sequence

from lstui.core.textsafe import json_safe

FORMATS = ("table", "csv", "json", "markdown")


def jsonable(value: Any) -> Any:
    """A value from DuckDB (or from lstui's records) as JSON can hold it; the rules per type are in
    docs/cli.md (`lstui query`). Nothing is left that strict JSON lacks (NaN, Infinity)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, decimal.Decimal):
        return _json_decimal(value)
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return iso_duration(value)
    if isinstance(value, dict):
        return {_json_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)  # UUID, and any other type a driver may hand over: its text


NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}  # the words JavaScript prints


def _json_float(value: float) -> float | int | str:
    if not math.isfinite(value):
        return NON_FINITE[repr(value)]
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _json_decimal(value: decimal.Decimal) -> int | float | str:
    """A number when the JSON number reads back as exactly this value; else its digits as a string."""
    if value == value.to_integral_value():
        return int(value)  # JSON integers have no size limit, and Python writes every digit
    number = float(value)
    return number if decimal.Decimal(repr(number)) == value else format(value, "f")


def _json_key(key: Any) -> str:
    """JSON object keys are strings: a MAP's DATE, UUID or STRUCT keys become their JSON text."""
    if isinstance(key, str):
        return key
    value = jsonable(key)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


_MICROS = {"D": 86_400_000_000, "H": 3_600_000_000, "M": 60_000_000}


def iso_duration(value: _dt.timedelta) -> str:
    """An ISO 8601 duration in days, hours, minutes and seconds, "-" first when negative:
    P1DT2H3M4.5S. A timedelta has no months, so none are written (see docs/cli.md)."""
    micros = value // _dt.timedelta(microseconds=1)
    rest, parts = abs(micros), {}
    for unit, size in _MICROS.items():
        parts[unit], rest = divmod(rest, size)
    seconds, fraction = divmod(rest, 1_000_000)
    days = f"{parts['D']}D" if parts["D"] else ""
    time = "".join(f"{parts[u]}{u}" for u in ("H", "M") if parts[u])
    if seconds or fraction:
        time += f"{seconds}.{fraction:06d}".rstrip("0").rstrip(".") + "S"
    if not days and not time:
        return "PT0S"
    return ("-" if micros < 0 else "") + "P" + days + (f"T{time}" if time else "")


def cell_text(value: Any) -> str:
    """How a value reads in a table or CSV cell (data as it is: see `shown` for the screen)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return NON_FINITE[repr(value)]
        if value.is_integer() and abs(value) < 1e18:
            return f"{value:,.0f}"
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.2f}"
    if isinstance(value, decimal.Decimal):
        return format(value, "f")  # every digit DuckDB gave, never in exponent notation
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False)
    return str(jsonable(value))


def _color_system() -> str | None:
    # NO_COLOR (no-color.org) means no escape sequences at all, even if FORCE_COLOR is set.
    return None if os.environ.get("NO_COLOR") else "auto"


@functools.cache  # made on first use: json and csv output never import Rich
def _console_classes():
    from rich.console import Console

    class PipeAwareConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich's default exits with status 1; a reader that stops early (`| head`) is not an
            # error, so the write fails like any other and the command's caller decides.
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe")

    class UnboundedConsole(PipeAwareConsole):
        """For a file or a pipe: there is no width to fit, so each print is laid out at its
        natural width (a padded block would otherwise be as wide as the console)."""

        def print(self, *objects, **kwargs) -> None:
            if objects and kwargs.get("width") is None:
                kwargs["width"] = max(1, sum(self.measure(o).maximum for o in objects) + len(objects) - 1)
            super().print(*objects, **kwargs)

    return PipeAwareConsole, UnboundedConsole


UNBOUNDED_WIDTH = 1_000_000  # a console width no real line reaches


def stdout_is_terminal() -> bool:
    return _is_terminal(sys.stdout)


def stdout_console():
    """On a terminal, Rich fits its width (COLUMNS, else the terminal's). Into a file or a pipe,
    nothing is wrapped, cut or padded: lines are as long as their content, without trailing spaces."""
    terminal, unbounded = _console_classes()
    if stdout_is_terminal():
        return terminal(highlight=False, soft_wrap=False, color_system=_color_system())
    return unbounded(file=TrimmedLines(sys.stdout), width=UNBOUNDED_WIDTH, highlight=False, soft_wrap=False,
                     color_system=_color_system())


class TrimmedLines:
    """A text stream that drops the spaces at the end of each line: Rich pads every line of a
    table or an indented block to its width, which a file or a pipe has no use for."""

    _TRAILING = re.compile(r"(?:[ ]|\x1b\[[0-9;]*m)+\Z")  # spaces, perhaps among colour codes
    _CODES = re.compile(r"\x1b\[[0-9;]*m")

    def __init__(self, out):
        self._out = out
        self._partial = ""

    def write(self, text: str) -> int:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        if lines:
            self._out.write("".join(self._trim(line) + "\n" for line in lines))
        return len(text)

    def _trim(self, line: str) -> str:
        if "\x1b" not in line:
            return line.rstrip(" ")
        return self._TRAILING.sub(lambda m: "".join(self._CODES.findall(m.group())), line)

    def flush(self) -> None:
        # A line still open stays as it is: the next print may continue it.
        if self._partial:
            self._out.write(self._partial)
            self._partial = ""
        self._out.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._out.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._out, "encoding", None) or "utf-8"


def stderr_console():
    # soft_wrap: messages stay one line each, whatever the terminal width, so they can be grepped
    return _console_classes()[0](stderr=True, highlight=False, soft_wrap=True, color_system=_color_system())


def shown(value: Any) -> str:
    """A cell as it may appear on a terminal: control characters made visible."""
    from lstui.core.textsafe import visible

    return visible(cell_text(value))


def plural(n: int, one: str, many: str | None = None) -> str:
    """The noun for `n` things: plural(1, "place") is "place", plural(3, "place") "places"."""
    return one if n == 1 else (many or one + "s")


def error(message: str) -> None:
    """An error message on stderr, plain text (never interpreted as markup)."""
    from rich.text import Text

    from lstui.core.textsafe import visible

    stderr_console().print(Text(visible(message), style="bold red"))


def info(message: str) -> None:
    from rich.text import Text

    stderr_console().print(Text(message, style="dim"))


def print_json(data, out=None) -> None:
    out = out or sys.stdout
    out.write(json_safe(json_text(data)) + "\n")


def json_text(data) -> str:
    # allow_nan=False: should a value ever slip past jsonable, fail rather than write NaN, which is not JSON
    return json.dumps(jsonable(data), ensure_ascii=False, indent=2, allow_nan=False)


def write_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, title: str | None = None,
               out=None) -> None:
    out = out or sys.stdout
    rows = list(rows)
    if fmt == "json":
        out.write(json_safe(json_text([dict(zip(columns, row)) for row in rows])) + "\n")
    elif fmt == "csv":
        # Data as it is for files and pipes; on a terminal, control characters are made visible.
        cell = shown if _is_terminal(out) else cell_text
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_number(v) if _is_number(v) else cell(v) for v in row] for row in rows)
    elif fmt == "markdown":
        out.write(markdown_table(columns, rows))
    else:
        print_table(columns, rows, title)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _csv_number(value: int | float) -> str:
    # digits a CSV reader takes for a number: no thousands separators, every digit of a HUGEINT
    return str(value) if isinstance(value, int) else repr_number(value)


def repr_number(value: float) -> str:
    if not math.isfinite(value):
        return NON_FINITE[repr(value)]
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def _is_terminal(out) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def esc(value: Any) -> str:
        return shown(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(c) for c in columns) + " |",
             "|" + "|".join(" --- " for _ in columns) + "|"]
    lines += ["| " + " | ".join(esc(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """A Rich table; if it cannot fit the terminal, one block of `column: value` lines per row."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = stdout_console()
    cells = [[shown(v) for v in row] for row in rows]
    from rich.cells import cell_len

    widths = [max([cell_len(str(c))] + [cell_len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    # Allow folding long text, but not squeezing every column to a few letters. A file or a
    # pipe has no width to fit: it always gets the table, one line per row, the same shape whatever
    # the terminal it was started from.
    squeezed = sum(min(w, 12) + 3 for w in widths) > console.width
    if squeezed and len(columns) > 2 and stdout_is_terminal():
        print_records(columns, cells, title, console)
        return
    table = Table(title=Text(title) if title else None, box=box.SIMPLE_HEAD, show_lines=False)
    for column in columns:
        table.add_column(Text(shown(column)), overflow="fold")
    for row in cells:
        table.add_row(*(Text(v) for v in row))
    console.print(table)


def print_records(columns: Sequence[str], cells: Sequence[Sequence[str]], title: str | None, console) -> None:
    from rich.table import Table
    from rich.text import Text

    if title:
        console.print(Text(shown(title), style="bold"))
    label_width = max(len(str(c)) for c in columns)
    for n, row in enumerate(cells, 1):
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", width=label_width, no_wrap=True)
        grid.add_column(overflow="fold")
        for column, value in zip(columns, row):
            grid.add_row(Text(shown(column)), Text(value))
        console.print(Text(f"-[ row {n} ]" + "-" * max(0, min(console.width, 60) - 12 - len(str(n))), style="dim"))
        console.print(grid)
