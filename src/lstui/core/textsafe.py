"""Data strings made safe to show on a terminal.

A note or name may hold escape sequences, other control characters, or invisible characters
that reorder text (bidi overrides). Shown raw, they would recolour, move or hide things on
the user's screen. `visible` replaces each with a visible stand-in, so such text is shown
literally and nothing else on screen changes.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _stand_in(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␛ for ESC, ␀ for NUL, ...
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with control and invisible formatting characters replaced by visible stand-ins."""
    if not isinstance(text, str):
        text = str(text)
    return _INVISIBLE.sub(_stand_in, text)


def has_invisible(text: str) -> bool:
    return bool(_INVISIBLE.search(text))
