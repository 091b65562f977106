"""Measurements shared by the benchmark runner; each returns rows for the printed table."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE_IMPORT = "import duckdb, rich.console"
HELLO = [sys.executable, str(HERE / "hello.py")]


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


@dataclass
class Scale:
    """One dataset size: its YAML and the database built from it."""

    label: str  # "1x", "10x", ...
    factor: int
    data: Path
    db: Path


def prepare_environment() -> None:
    """Time what users get: bytecode cached, as after a normal pip install."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    import lstui

    compileall.compile_dir(Path(lstui.__file__).parent, quiet=1)


def lstui_command() -> list[str]:
    exe = Path(sys.executable).with_name("lstui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "lstui"]


def wall(cmd: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return (time.perf_counter() - started) * 1000


def wall_and_rss(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall time (ms) and peak resident memory (MB) of one run of `cmd`."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = (time.perf_counter() - started) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return elapsed, usage.ru_maxrss / 1024


def interleaved(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, list[float]]:
    """Run each command `runs` times, alternating between them, after one warm-up run each."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():  # warm-up: page cache, bytecode
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


# --------------------------------------------------------------------------------- commands

def cli_rows(scale: Scale, runs: int) -> list[Row]:
    """`lstui show` and `lstui earn` against importing what they need, in the same run."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "LSTUI_DATA": str(scale.data), "LSTUI_DB": str(scale.db)}
    commands = {
        "baseline": [sys.executable, "-c", BASELINE_IMPORT],
        "lstui show huadu": [*lstui_command(), "show", "huadu"],
        "lstui earn (streamer, best places)": [*lstui_command(), "earn", "--role", "streamer", "--followers", "600k",
                                               "--annual-sales", "15m", "--buying-home"],
    }
    times = interleaved(commands, runs, env)
    base = times.pop("baseline")
    rows = [summarize(f'python -c "{BASELINE_IMPORT}"', scale.label, base)]
    rows += [summarize(name, scale.label, samples, baseline=base, baseline_name="import")
             for name, samples in times.items()]
    return rows


def build_rows(scale: Scale, runs: int, workdir: Path) -> list[Row]:
    """`lstui build` (time and peak memory) against parsing the same YAML with PyYAML's C loader,
    the floor for any build; the database it leaves is `scale.db`."""
    parse = [sys.executable, "-c",
             "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)", str(scale.data)]
    parses, builds, peaks = [], [], []
    for i in range(runs):
        parses.append(wall(parse))
        target = scale.db if i == runs - 1 else workdir / f"scratch-{scale.label}.duckdb"
        elapsed, rss = wall_and_rss([*lstui_command(), "build", "--data", str(scale.data), "--db", str(target)])
        builds.append(elapsed)
        peaks.append(rss)
    size = scale.db.stat().st_size / 1e6
    return [summarize("parse the YAML (PyYAML C loader)", scale.label, parses),
            summarize("lstui build", scale.label, builds, baseline=parses, baseline_name="parse"),
            summarize("lstui build, peak memory", scale.label, peaks, unit="MB"),
            Row("database size", scale.label, size, size, size, "MB")]


# --------------------------------------------------------------------------------- terminal

def first_place(scale: Scale):
    """The first row of the Cities list (what a person sees first)."""
    from lstui.core import startup

    snapshot = startup.read(scale.db, scale.data)
    if snapshot is not None and snapshot.rows:
        return snapshot.rows[0]
    raise RuntimeError(f"no start-up snapshot beside {scale.db}")


def first_place_name(scale: Scale) -> str:
    return first_place(scale).name_en


def calculator_states(scale: Scale) -> tuple[str, str]:
    """The calculator's summary line for 15m and for 15 yuan of sales (600k followers): typing
    "m" and deleting it flips between them."""
    from lstui.core import earn
    from lstui.core.calculator import Profile
    from lstui.core.connect import connect_readonly
    from lstui.core.money import Amount

    lines = []
    with connect_readonly(scale.db) as con:
        for sales in (15e6, 15):
            page = earn.earn_page(con, Profile("streamer", 600_000, Amount(sales)), 0, 1)
            lines.append(f"{page.total:,} measure{'s' if page.total != 1 else ''} for this role · "
                         f"{page.eligible:,} eligible")
    if lines[0] == lines[1]:
        raise RuntimeError(f"the calculator reads the same for both profiles: {lines[0]}")
    return lines[0], lines[1]


def tui_rows(scale: Scale, runs: int, size=(80, 24)) -> list[Row]:
    """Time to first frame (Cities rows on screen) against a hello-world Textual app, keystroke ->
    updated screen in the filter box and in the calculator, and peak memory, seen through tmux."""
    import terminal

    if not terminal.available():
        return [Row("(tmux not found: terminal measurements skipped)", scale.label, 0, 0, 0, "")]
    env = {"LSTUI_DATA": str(scale.data), "LSTUI_DB": str(scale.db)}
    app = lstui_command()
    first_row = first_place_name(scale)
    # The detail pane's heading is the only place the pinyin is shown: the page of the first
    # place, laid out and painted.
    detail = first_place(scale).pinyin
    base, ours, detailed = [], [], []
    for _ in range(runs):
        base.append(terminal.time_to_first_frame(HELLO, "Hello, world", size=size))
        ours.append(terminal.time_to_first_frame(app, first_row, env=env, size=size))
        detailed.append(terminal.time_to_first_frame(app, detail, env=env, size=size))
    filter_keys, rss = terminal.keystroke_latencies(
        app, first_row, [(["!"], "No place matches"), (["BSpace"], first_row)], rounds=runs, env=env, size=size,
        setup=["/"])
    with_m, without_m = calculator_states(scale)
    calc_keys, calc_rss = terminal.keystroke_latencies(
        app, first_row, [(["BSpace"], without_m), (["m"], with_m)], rounds=runs, env=env, size=(120, 36),
        setup=["F4", "6", "0", "0", "k", "Tab", "1", "5", "m"])
    _, hello_rss = terminal.keystroke_latencies(HELLO, "Hello, world", [], rounds=0, size=size)
    peak = max(x for x in (rss, calc_rss) if x is not None) if (rss or calc_rss) else 0.0
    return [summarize("hello-world Textual app, first frame", scale.label, base),
            summarize("lstui, first frame with Cities rows", scale.label, ours, baseline=base, baseline_name="hello"),
            summarize("lstui, the first place's detail shown", scale.label, detailed, baseline=base,
                      baseline_name="hello"),
            summarize("filter keystroke -> table updated", scale.label, filter_keys),
            summarize("calculator keystroke -> results updated", scale.label, calc_keys),
            Row("lstui app, peak memory", scale.label, peak, peak, peak, "MB", "hello",
                peak / hello_rss if hello_rss else None)]


def terminal_bytes_rows(scale: Scale, rounds: int, size=(80, 24)) -> list[Row]:
    """Bytes written to an 80x24 terminal: start-up, and each filter keystroke."""
    import ptyterm

    env = {"LSTUI_DATA": str(scale.data), "LSTUI_DB": str(scale.db), "TERM": "xterm-256color"}
    startup, per_key = ptyterm.startup_and_keystroke_bytes(lstui_command(), env, "hua", rounds, size=size)
    hello, _ = ptyterm.startup_and_keystroke_bytes(HELLO, {"TERM": "xterm-256color"}, "", 0, size=size)
    kb = [b / 1024 for b in per_key]
    return [Row("terminal output, start-up", scale.label, startup / 1024, startup / 1024, startup / 1024, "KB",
                "hello", startup / hello if hello else None),
            summarize("terminal output per filter keystroke", scale.label, kb, unit="KB")]


def harlequin_rows(scale: Scale, runs: int, size=(80, 24)) -> list[Row]:
    """Harlequin (a DuckDB terminal IDE), where installed, opening the same database read-only."""
    import shutil

    import terminal

    exe = shutil.which("harlequin")
    if exe is None or not terminal.available():
        return []
    base, theirs = [], []
    for _ in range(runs):
        base.append(terminal.time_to_first_frame(HELLO, "Hello, world", size=size))
        theirs.append(terminal.time_to_first_frame([exe, "--read-only", str(scale.db)], "internal", size=size))
    return [summarize("harlequin, first frame with its catalog", scale.label, theirs, baseline=base,
                      baseline_name="hello")]


# ------------------------------------------------------------------------------------ table

def print_table(rows: list[Row], out=sys.stdout) -> None:
    header = f"{'measurement':42} {'scale':>6} {'median':>10} {'min':>10} {'max':>10}  {'ratio':>14}"
    print(header, file=out)
    print("-" * len(header), file=out)
    for r in rows:
        ratio = f"{r.ratio:.2f}x {r.baseline}" if r.ratio is not None else ""
        print(f"{r.name:42} {r.scale:>6} {r.median:>8.1f}{r.unit:>2} {r.low:>8.1f}{r.unit:>2} "
              f"{r.high:>8.1f}{r.unit:>2}  {ratio:>14}", file=out)
