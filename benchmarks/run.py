"""Benchmarks: what a user would time, as ratios to a baseline measured in the same run.

    python benchmarks/run.py [--quick] [--only cli,build]

Each figure is the median of several runs, with min and max. Runs of a measurement and of its
baseline are interleaved, so that a noisy machine slows both alike.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402  (benchmarks/common.py)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs and only the 1x and 10x scales")
    parser.add_argument("--only", default="", help="comma-separated sections: cli, build, tui")
    args = parser.parse_args(argv)
    sections = set(filter(None, args.only.split(","))) or {"cli", "build", "tui"}
    runs = 5 if args.quick else 11
    common.prepare_environment()
    rows: list[common.Row] = []
    with tempfile.TemporaryDirectory(prefix="lstui-bench-") as tmp:
        workdir = Path(tmp)
        data = common.shipped_yaml()
        db = workdir / "policies.duckdb"
        common.lstui("build", "--data", str(data), "--db", str(db))
        if "cli" in sections:
            rows += common.cli_rows(data, db, runs, scale="1x")
        if "build" in sections:
            rows += common.build_rows(data, workdir, runs, scale="1x")
        if "tui" in sections:
            rows += common.tui_rows(data, db, runs, scale="1x")
    common.print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
