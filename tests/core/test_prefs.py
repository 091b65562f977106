"""The settings file: where it lives, what a damaged one gives (the defaults), and atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lstui.core import prefs
from lstui.core.errors import LstuiError
from lstui.core.prefs import Prefs


def test_the_file_lives_in_the_config_directory_unless_lstui_config_dir_says_otherwise(tmp_path):
    assert prefs.default_path({"LSTUI_CONFIG_DIR": str(tmp_path)}) == tmp_path / "settings.json"
    assert prefs.default_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "lstui" / "settings.json"
    both = {"LSTUI_CONFIG_DIR": str(tmp_path / "mine"), "XDG_CONFIG_HOME": str(tmp_path)}
    assert prefs.default_path(both) == tmp_path / "mine" / "settings.json"
    assert prefs.default_path({}) == Path.home() / ".config" / "lstui" / "settings.json"


def test_what_is_saved_is_read_back(tmp_path):
    path = tmp_path / "deep" / "er" / "settings.json"  # the folders are made
    saved = Prefs(("shenzhen", "huadu"), "textual-light", "USD", "chinese")
    prefs.save(path, saved)
    assert prefs.load(path) == saved
    assert json.loads(path.read_text(encoding="utf-8"))["marked"] == ["shenzhen", "huadu"]
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporary file left


def test_no_file_gives_the_defaults(tmp_path):
    assert prefs.load(tmp_path / "settings.json") == Prefs()
    assert prefs.load(None) == Prefs()


@pytest.mark.parametrize("content", [
    b"", b"{", b"not json", b"[1, 2]", b"null", b'"marked"', b"\xff\xfe{}", b"{" * 100_000,
    b'{"marked": NaN}', b" " * (prefs.MAX_BYTES + 1),
], ids=["empty", "cut-short", "text", "list", "null", "string", "not-utf8", "deep", "nan", "huge"])
def test_a_damaged_file_gives_the_defaults(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert prefs.load(path) == Prefs()


def test_a_directory_in_its_place_gives_the_defaults_and_saving_says_why_it_cannot(tmp_path):
    path = tmp_path / "settings.json"
    path.mkdir()
    assert prefs.load(path) == Prefs()
    with pytest.raises(LstuiError, match="cannot save the settings"):
        prefs.save(path, Prefs(currency="USD"))
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_each_unsound_setting_falls_back_on_its_own():
    document = {"marked": ["shenzhen", 3, "", None, "shenzhen", "a\nb", "huadu"], "theme": 7,
                "currency": "EUR", "number_style": "chinese", "unknown": True}
    assert prefs.parse(document) == Prefs(("shenzhen", "huadu"), None, "CNY", "chinese")
    assert prefs.parse({"marked": "shenzhen", "currency": "USD"}) == Prefs((), None, "USD", "international")
    assert prefs.parse({"marked": ["x"] * (prefs.MAX_MARKS + 1)}).marked == ()
    assert prefs.parse({"theme": "t" * (prefs.MAX_NAME + 1)}).theme is None


def test_a_save_replaces_the_file_whole(tmp_path, monkeypatch):
    """The new settings are written beside the file and renamed over it: a failed write leaves
    the old file as it was."""
    path = tmp_path / "settings.json"
    prefs.save(path, Prefs(currency="USD"))

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(LstuiError, match="No space left on device"):
        prefs.save(path, Prefs(currency="CNY"))
    assert prefs.load(path).currency == "USD"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
