"""Errors that reach the user as messages, never as tracebacks."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with a data file, located at a 1-based line and column (sorts in file order)."""

    file: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.field}: {self.message}"


class LstuiError(Exception):
    """A problem the user can fix (bad input, unknown name, unreadable file). Exit code 2."""

    exit_code = 2


class DataError(LstuiError):
    """The YAML dataset is invalid; carries every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found")
        return "\n".join(lines)
