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


def one_line(text: str) -> str:
    """`visible(text)` with line breaks and tabs shown too: one message, one line."""
    return visible(str(text).replace("\n", "\u240a").replace("\t", "\u2409"))


NAME_LIMIT = 80  # characters of a name shown in a table, a heading or a card


def clip(text: str, limit: int = NAME_LIMIT) -> str:
    """`text` made visible and cut to `limit` characters with an ellipsis, so that one absurdly
    long name cannot push everything else off the screen."""
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_escape(match: re.Match) -> str:
    return "".join(f"\\u{unit:04x}" for unit in _utf16_units(match.group()))


def _utf16_units(ch: str) -> list[int]:
    data = ch.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def json_safe(document: str) -> str:
    """JSON text with every control and invisible formatting character written as a \\u escape:
    the same data for any JSON reader, and nothing a terminal would obey when it is printed."""
    return _INVISIBLE.sub(_json_escape, document)
