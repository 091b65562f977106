"""Timing helpers shared by the benchmark runner."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

BASELINE_IMPORT = "import duckdb, rich.console"


@dataclass
class Row:
    name: str
    scale: str
    median: float
    low: float
    high: float
    unit: str = "ms"
    baseline: str = ""
    ratio: float | None = None


def prepare_environment() -> None:
    """Time what users get: bytecode cached, as after a normal pip install."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    import lstui

    compileall.compile_dir(Path(lstui.__file__).parent, quiet=1)


def shipped_yaml() -> Path:
    from lstui.core.settings import bundled_data_path

    return bundled_data_path()


def lstui_command() -> list[str]:
    exe = Path(sys.executable).with_name("lstui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "lstui"]


def lstui(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*lstui_command(), *args], capture_output=True, text=True, check=True)


def wall(cmd: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return (time.perf_counter() - started) * 1000


def interleaved(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, cmd in commands.items():  # warm-up: page cache, bytecode
        wall(cmd, env)
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(wall(cmd, env))
    return times


def summarize(name: str, scale: str, samples: list[float], unit: str = "ms", baseline: list[float] | None = None,
              baseline_name: str = "") -> Row:
    median = statistics.median(samples)
    ratio = median / statistics.median(baseline) if baseline else None
    return Row(name, scale, median, min(samples), max(samples), unit, baseline_name, ratio)


def cli_rows(data: Path, db: Path, runs: int, scale: str) -> list[Row]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    common_args = ["--data", str(data), "--db", str(db)]
    commands = {
        "baseline": [sys.executable, "-c", BASELINE_IMPORT],
        "lstui show huadu": [*lstui_command(), "show", "huadu", *common_args],
        "lstui earn (streamer)": [*lstui_command(), "earn", "--role", "streamer", "--followers", "600k",
                                  "--annual-sales", "15m", "--buying-home", *common_args],
        "lstui cities": [*lstui_command(), "cities", *common_args],
    }
    times = interleaved(commands, runs, env)
    base = times.pop("baseline")
    rows = [summarize('python -c "import duckdb, rich.console"', scale, base)]
    rows += [summarize(name, scale, samples, baseline=base, baseline_name="import") for name, samples in times.items()]
    return rows


def build_rows(data: Path, workdir: Path, runs: int, scale: str) -> list[Row]:
    """Build time against parsing the same YAML with PyYAML's C loader (the floor for any build)."""
    from lstui.core.build import build

    parse, builds = [], []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for i in range(runs):
        started = time.perf_counter()
        yaml.load(data.read_bytes(), Loader=loader)
        parse.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        build(data, workdir / f"bench-{i % 2}.duckdb")
        builds.append((time.perf_counter() - started) * 1000)
    size = (workdir / "bench-0.duckdb").stat().st_size / 1e6
    return [summarize("parse YAML (C loader)", scale, parse),
            summarize("lstui build", scale, builds, baseline=parse, baseline_name="parse"),
            Row("database size", scale, size, size, size, "MB")]


def print_table(rows: list[Row]) -> None:
    header = f"{'measurement':42} {'scale':>6} {'median':>10} {'min':>10} {'max':>10}  {'ratio':>12}"
    print(header)
    print("-" * len(header))
    for r in rows:
        ratio = f"{r.ratio:.2f}x {r.baseline}" if r.ratio is not None else ""
        print(f"{r.name:42} {r.scale:>6} {r.median:>8.1f}{r.unit:>2} {r.low:>8.1f}{r.unit:>2} "
              f"{r.high:>8.1f}{r.unit:>2}  {ratio:>12}")


def tui_rows(data: Path, db: Path, runs: int, scale: str, size=(80, 24)) -> list[Row]:
    """Time to first frame (Cities rows on screen) against a hello-world Textual app, and
    keystroke -> updated screen in the filter box and the calculator, seen through tmux."""
    import terminal

    if not terminal.available():
        return []
    env = {"LSTUI_DATA": str(data), "LSTUI_DB": str(db)}
    hello = [sys.executable, str(Path(__file__).with_name("hello.py"))]
    app = lstui_command()
    first_row = first_place_name(db)
    base, ours = [], []
    for _ in range(runs):
        base.append(terminal.time_to_first_frame(hello, "Hello, world", size=size))
        ours.append(terminal.time_to_first_frame(app, first_row, env=env, size=size))
    filter_keys = terminal.keystroke_latencies(
        app, first_row, [(["!"], "No place matches"), (["BSpace"], first_row)], rounds=runs, env=env, size=size,
        setup=["/"])
    calc_keys = terminal.keystroke_latencies(
        app, first_row, [(["m"], "needs info"), (["BSpace"], "not eligible")], rounds=runs, env=env, size=(120, 36),
        setup=["F4", "6", "0", "0", "k", "Tab", "1", "5"]) if scale == "1x" else []
    rows = [summarize("hello-world Textual app, first frame", scale, base),
            summarize("lstui, first frame with Cities rows", scale, ours, baseline=base, baseline_name="hello"),
            summarize("filter keystroke -> table updated", scale, filter_keys)]
    if calc_keys:
        rows.append(summarize("calculator keystroke -> results updated", scale, calc_keys))
    return rows


def first_place_name(db: Path) -> str:
    """The English name of the first row of the Cities list (what a person sees first)."""
    from lstui.core import startup
    from lstui.core.settings import bundled_data_path

    snapshot = startup.read(db, bundled_data_path())
    if snapshot is not None and snapshot.rows:
        return snapshot.rows[0].name_en
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT name_en FROM places ORDER BY province_en NULLS FIRST LIMIT 1").fetchone()[0]
