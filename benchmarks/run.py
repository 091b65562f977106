"""Benchmarks: what a user would time, at 1x, 10x, 100x and 1000x the shipped dataset.

    python benchmarks/run.py [--quick] [--scales 1,10,100,1000] [--only build,cli,tui,bytes]

--quick (under 3 minutes on 2 cores) runs 3 rounds at 1x, 10x and 100x; the full run adds 1000x
and takes 7 rounds (3 builds at 1000x).

Each figure is the median of several runs, with min and max; where it makes sense it is given
as a ratio to a baseline measured in the same run, interleaved with it, so that a noisy machine
slows both alike. Synthetic datasets (benchmarks/synth.py) are written to a temporary folder
and deleted afterwards. Terminal measurements need tmux.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402  (benchmarks/common.py)
import synth  # noqa: E402
import terminal  # noqa: E402

SECTIONS = ("build", "cli", "tui", "bytes", "harlequin")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="3 runs per figure instead of 7, at 1x, 10x and 100x unless --scales says otherwise")
    parser.add_argument("--scales", help="comma-separated multiples of the shipped dataset (default: 1,10,100,1000)")
    parser.add_argument("--only", default="", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    sections = set(filter(None, args.only.split(","))) or set(SECTIONS)
    scales = args.scales or ("1,10,100" if args.quick else "1,10,100,1000")
    factors = [int(x) for x in scales.split(",")]
    runs = 3 if args.quick else 7
    started = time.perf_counter()
    common.prepare_environment()
    rows: list[common.Row] = []
    shipped = synth.load_shipped()
    try:
        with tempfile.TemporaryDirectory(prefix="lstui-bench-") as tmp:
            workdir = Path(tmp)
            for factor in factors:
                scale = common.Scale(f"{factor}x", factor, workdir / f"policies-{factor}x.yaml",
                                     workdir / f"policies-{factor}x.duckdb")
                progress(f"{scale.label}: writing the dataset")
                synth.write(factor, scale.data, shipped)
                build_runs = min(runs, 3) if factor >= 1000 else runs
                if "build" in sections:
                    progress(f"{scale.label}: build x{build_runs}")
                    rows += common.build_rows(scale, build_runs, workdir)
                else:
                    common.build_rows(scale, 1, workdir)
                if "cli" in sections:
                    progress(f"{scale.label}: show and earn x{runs}")
                    rows += common.cli_rows(scale, runs)
                if "tui" in sections:
                    progress(f"{scale.label}: terminal app x{runs}")
                    rows += common.tui_rows(scale, runs)
                if "bytes" in sections:
                    progress(f"{scale.label}: bytes written to the terminal")
                    rows += common.terminal_bytes_rows(scale, rounds=max(2, runs // 2))
                if "harlequin" in sections:
                    rows += common.harlequin_rows(scale, runs)
                for path in (scale.data, scale.db):
                    path.unlink(missing_ok=True)
    finally:
        terminal.stop_server()
    order = {name: i for i, name in enumerate(dict.fromkeys(r.name for r in rows))}
    rows.sort(key=lambda r: (order[r.name], factors.index(int(r.scale.rstrip("x")))))
    common.print_table(rows)
    print(f"\n{len(factors)} scales ({scales}), {runs} runs per figure; "
          f"took {time.perf_counter() - started:.0f} s")
    return 0


def progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
