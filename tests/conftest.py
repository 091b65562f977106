from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lstui.core.build import build
from lstui.core.settings import bundled_data_path

TESTS = Path(__file__).resolve().parent
# A small valid dataset; the validation tests break it one line at a time (they name its lines,
# so a field added to it replaces a line rather than moving the rest).
MINIMAL = TESTS / "data" / "minimal.yaml"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test reads or writes the user's cache or honours the caller's overrides."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LSTUI_CONFIG_DIR", str(tmp_path / "config"))  # the app's remembered settings
    monkeypatch.delenv("LSTUI_DATA", raising=False)
    monkeypatch.delenv("LSTUI_DB", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")  # what an SSH session commonly has; also makes wrapping deterministic
    monkeypatch.setenv("LINES", "24")


@pytest.fixture(scope="session")
def shipped_yaml() -> Path:
    return bundled_data_path()


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory, shipped_yaml) -> Path:
    """The shipped dataset built once per test session (read-only use only)."""
    path = tmp_path_factory.mktemp("db") / "policies.duckdb"
    build(shipped_yaml, path)
    return path


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def run_lstui(*args: str, env: dict | None = None, cwd=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python -m lstui ARGS` in a fresh interpreter, as a user's shell would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "lstui", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=timeout)


def pytest_report_header(config):
    """Which versions this run tested (the pinned ranges are in pyproject.toml)."""
    import duckdb
    import rich
    import textual
    import yaml
    from importlib.metadata import version

    return (f"lstui tested with textual {textual.__version__}, duckdb {duckdb.__version__}, "
            f"rich {version('rich')}, pyyaml {yaml.__version__}")


def pytest_collection_modifyitems(config, items):
    """The hardening tests (subprocesses, real terminals, property-based mutations) are `slow`."""
    for item in items:
        if "hardening" in item.path.parts:
            item.add_marker(pytest.mark.slow)


def shipped_place_count() -> int:
    """How many places the shipped dataset has (tests that list every place count them from it)."""
    import yaml

    from lstui.core.settings import bundled_data_path

    return len(yaml.safe_load(bundled_data_path().read_text(encoding="utf-8"))["jurisdictions"])


PLACES = shipped_place_count()


def shipped_places_of_level(level: str) -> set[str]:
    import yaml

    from lstui.core.settings import bundled_data_path

    return {j["id"] for j in yaml.safe_load(bundled_data_path().read_text(encoding="utf-8"))["jurisdictions"]
            if j["level"] == level}


DISTRICTS = shipped_places_of_level("district")
