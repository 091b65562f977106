"""The versions installed are the ones pyproject.toml promises (and says the tests run on)."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def requirement(name: str) -> str:
    """The requirement string for a dependency, as written in pyproject.toml's dependencies."""
    text = PYPROJECT.read_text(encoding="utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M).group(1)
    return next(d for d in re.findall(r'"([^"]+)"', block) if re.match(rf"{name}\b", d))


def parts(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def test_textual_is_within_the_pinned_range():
    spec = requirement("textual")
    low, high = re.search(r">=([\d.]+),<([\d.]+)", spec).groups()
    installed = version("textual")
    assert parts(low) <= parts(installed) < parts(high), f"textual {installed} is outside {spec}"


def test_every_runtime_dependency_is_installed_at_its_minimum_or_later():
    for name in ("textual", "rich", "duckdb", "pyyaml"):
        low = re.search(r">=([\d.]+)", requirement(name)).group(1)
        assert parts(version(name)) >= parts(low), (name, version(name), low)
