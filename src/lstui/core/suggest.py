"""'Did you mean ...?': one way to find the names closest to what was typed, for every name a
user types (places, metrics, fields, sections, enum values)."""

from __future__ import annotations

import difflib
from typing import Iterable


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to `word`, best first (ties in the candidates' order)."""
    if not isinstance(word, str):
        return []
    return difflib.get_close_matches(word, [c for c in candidates if isinstance(c, str)], n=n, cutoff=cutoff)


def did_you_mean(word: str, candidates: Iterable[str], n: int = 1, quote: bool = True,
                 after_semicolon: bool = False) -> str:
    """The hint to add to a message: " (did you mean 'city'?)", "; did you mean 'value'?" when the
    message goes on after a semicolon, or "" when nothing is close."""
    close = close_matches(word, candidates, n=n)
    if not close:
        return ""
    names = ", ".join(f"'{c}'" if quote else c for c in close)
    return f"; did you mean {names}?" if after_semicolon else f" (did you mean {names}?)"
