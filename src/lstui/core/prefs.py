"""What the app remembers between runs: the places marked, the theme, the currency, the number style.

A small JSON document, settings.json, in the user's config directory: $LSTUI_CONFIG_DIR if set,
else $XDG_CONFIG_HOME/lstui, else ~/.config/lstui. It is read once when the app starts and
written whenever one of them changes, atomically (a temporary file renamed over the old one), so
that a run stopped halfway through a write leaves the old file, never half of a new one.

Nothing in it is needed: a file that is missing or damaged in any way (not JSON, not an object,
a directory, far too large) is ignored, and each setting that is not sound falls back to its
default on its own. Which marked ids are places, and which theme names exist, only the app knows;
it drops the others.

This module never imports Textual.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

from lstui.core.errors import LstuiError
from lstui.core.money import CURRENCIES, STYLES

FILE_NAME = "settings.json"
FORMAT = 1
MAX_BYTES = 1 << 20  # a few hundred bytes is usual; anything far larger is not ours
MAX_MARKS = 1000
MAX_NAME = 200  # characters in a place id or a theme's name


class Prefs(NamedTuple):
    marked: tuple[str, ...] = ()
    theme: str | None = None  # None: Textual's default
    currency: str = CURRENCIES[0]
    number_style: str = STYLES[0]


def config_dir(env=None) -> Path | None:
    """Where settings.json lives (None: no home directory to put it in)."""
    env = os.environ if env is None else env
    if env.get("LSTUI_CONFIG_DIR"):
        return Path(env["LSTUI_CONFIG_DIR"]).expanduser()
    base = env.get("XDG_CONFIG_HOME")
    if not base:
        try:
            base = str(Path.home() / ".config")
        except (RuntimeError, KeyError):  # no HOME, and no entry in the password database
            return None
    return Path(base) / "lstui"


def default_path(env=None) -> Path | None:
    folder = config_dir(env)
    return None if folder is None else folder / FILE_NAME


def _name(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_NAME and value.isprintable()


def _marked(value) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_MARKS:
        return ()
    return tuple(dict.fromkeys(v for v in value if _name(v)))  # in order, once each


def parse(document) -> Prefs:
    """The settings in a decoded document; whatever is not sound is left at its default."""
    if not isinstance(document, dict):
        return Prefs()
    default = Prefs()
    currency, style, theme = document.get("currency"), document.get("number_style"), document.get("theme")
    return Prefs(marked=_marked(document.get("marked")),
                 theme=theme if _name(theme) else default.theme,
                 currency=currency if currency in CURRENCIES else default.currency,
                 number_style=style if style in STYLES else default.number_style)


def load(path: Path | None) -> Prefs:
    """The settings saved at `path`; the defaults if there are none or the file is damaged."""
    if path is None:
        return Prefs()
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return Prefs()
        document = json.loads(raw.decode("utf-8"), parse_constant=lambda _: None)
    except (OSError, ValueError, RecursionError):  # missing, a directory, unreadable, not UTF-8 JSON
        return Prefs()
    return parse(document)


def save(path: Path, prefs: Prefs) -> None:
    """Write the settings at `path` atomically; LstuiError saying why if it cannot."""
    document = {"format": FORMAT, "marked": list(prefs.marked), "theme": prefs.theme,
                "currency": prefs.currency, "number_style": prefs.number_style}
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise LstuiError(f"cannot save the settings in {path}: {exc.strerror or exc}") from None
