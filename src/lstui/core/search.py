"""Normalise what people type when naming a place: 'Huadu Qu', 'huādū', 'hua1du1', '花都' all match.

Must agree with the search keys built in derived.sql (lower case, accents stripped, spaces and
punctuation removed).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from lstui.core.vocab import LEVEL_WORDS

_DROP = re.compile(r"[\s\-_'’.,()·|/]+")
# Pinyin typed with tone numbers: syllables of letters, each followed by a digit 1-5.
_NUMBERED_TONES = re.compile(r"(?:[a-zü]+[1-5])+[a-zü]*")


def search_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = [re.sub(r"[1-5]", "", w) if _NUMBERED_TONES.fullmatch(w) else w for w in stripped.lower().split()]
    return _DROP.sub("", "".join(words))


class Query(NamedTuple):
    """A filter as typed: the name part as a search key, and the levels named by level words."""

    key: str
    level_words: tuple[tuple[str, tuple[str, ...]], ...]  # (the word as a key, the levels it names)


def parse_query(text: str) -> Query:
    """Split 'huadu district' into the name 'huadu' and the level word 'district'."""
    words = (text or "").split()
    levels = tuple((search_key(w), LEVEL_WORDS[w.lower()]) for w in words if w.lower() in LEVEL_WORDS)
    if not levels:
        return Query(search_key(text or ""), ())
    rest = " ".join(w for w in words if w.lower() not in LEVEL_WORDS)
    return Query(search_key(rest), levels)
