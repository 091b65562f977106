"""Normalise what people type when naming a place: 'Huadu Qu', 'huādū', '花都' all match.

Must agree with the search keys built in derived.sql (lower case, accents stripped, spaces and
punctuation removed).
"""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[\s\-_'’.,()·|/]+")


def search_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DROP.sub("", stripped.lower())
