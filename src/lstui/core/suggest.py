"""'Did you mean ...?' for every name a user types: places, metrics, levels."""

from __future__ import annotations

import difflib
from typing import Iterable


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to `word`, best first (ties in the candidates' order)."""
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """' (did you mean a, b?)', or '' when nothing is close."""
    close = close_matches(word, candidates, n=n)
    return f" (did you mean {', '.join(close)}?)" if close else ""
