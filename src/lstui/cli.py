"""Command line: bare `lstui` opens the terminal app; subcommands answer headlessly.

Subcommands never import Textual, so a lookup over SSH costs little more than starting
Python with DuckDB and Rich.
"""

from __future__ import annotations

import argparse
import os
import sys

from lstui import __version__
from lstui.core.errors import DataError, LstuiError


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog):
        super().__init__(prog, max_help_position=30)


def _common() -> argparse.ArgumentParser:
    """--data/--db accepted before or after the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="PATH", default=argparse.SUPPRESS,
                        help="dataset YAML (default: $LSTUI_DATA, else the bundled data/policies.yaml)")
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="database file (default: $LSTUI_DB, else ~/.cache/lstui/policies.duckdb)")
    return common


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="lstui", parents=[common], formatter_class=_Formatter,
        description="Chinese live-streaming e-commerce policies: a sourced dataset, a DuckDB file "
                    "and a terminal app. Without a command, opens the terminal app.",
        epilog=_examples("lstui                      # open the terminal app",
                         "lstui check                # validate the dataset",
                         'duckdb -readonly "$(lstui path)"   # query the database yourself'),
    )
    parser.add_argument("--version", action="version", version=f"lstui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_: str, examples: list[str]) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_, description=help_,
                              formatter_class=_Formatter, epilog=_examples(*examples))

    p = add("check", "validate the dataset YAML; every problem as FILE:LINE:COL: FIELD: MESSAGE",
            ["lstui check", "lstui check --data my-policies.yaml"])
    p.set_defaults(func=cmd_check)

    p = add("build", "rebuild the database from the YAML (atomically; the old file stays until the new one is complete)",
            ["lstui build", "lstui build --data my.yaml --db /tmp/policies.duckdb"])
    p.set_defaults(func=cmd_build)

    p = add("path", "print the database path (building it first if the YAML changed)",
            ['duckdb -readonly "$(lstui path)"', "python -c \"import duckdb; duckdb.connect('$(lstui path)', read_only=True)\""])
    p.set_defaults(func=cmd_path)

    p = add("query", "run read-only SQL against the database",
            ['lstui query "SELECT id, name_en, province_en FROM jurisdictions"',
             "lstui query \"SELECT * FROM facts WHERE jurisdiction_id = 'shenzhen'\" --format csv"])
    p.add_argument("sql", help="one or more SELECT statements")
    p.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table")
    p.add_argument("--allow-files", action="store_true",
                   help="let the SQL read and write other files (read_csv, COPY ... TO); off by default")
    p.set_defaults(func=cmd_query)
    return parser


# ------------------------------------------------------------------------------------------


def settings_from(args):
    from lstui.core.settings import Settings

    return Settings.resolve(getattr(args, "data", None), getattr(args, "db", None))


def ensure_db(args):
    """The database path, rebuilt first if the YAML or schema changed."""
    from lstui.core.build import ensure_database
    from lstui.output import info

    settings = settings_from(args)
    ensure_database(settings.data_path, settings.db_path, notify=info)
    return settings.db_path


def cmd_check(args) -> int:
    from lstui.core.build import check

    settings = settings_from(args)
    records = check(settings.data_path)
    print(f"{settings.data_path}: ok ({records} sourced records)")
    return 0


def cmd_build(args) -> int:
    from lstui.core.build import build
    from lstui.output import info

    settings = settings_from(args)
    result = build(settings.data_path, settings.db_path)
    info(f"built {result.db_path} ({result.records} sourced records) in {result.seconds:.2f} s")
    return 0


def cmd_path(args) -> int:
    print(ensure_db(args))
    return 0


def cmd_query(args) -> int:
    from lstui.core.queries import run_readonly_sql
    from lstui.output import write_rows

    db_path = ensure_db(args)
    columns, rows = run_readonly_sql(db_path, args.sql, allow_files=args.allow_files)
    write_rows(columns, rows, args.format)
    return 0


def run_app(args) -> int:
    build_parser().print_help()
    return 0


# ------------------------------------------------------------------------------------------


def _report_data_error(exc: DataError) -> None:
    for problem in exc.problems:
        sys.stderr.write(f"{problem}\n")
    count = len(exc.problems)
    sys.stderr.write(f"{count} problem{'s' if count != 1 else ''} found; nothing was built\n")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", run_app)
    try:
        return func(args)
    except DataError as exc:
        _report_data_error(exc)
        return 2
    except LstuiError as exc:
        from lstui.output import error

        error(f"lstui: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `lstui query ... | head`); that is not an error.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: a message, not a traceback
        if os.environ.get("LSTUI_DEBUG"):
            raise
        sys.stderr.write(f"lstui: internal error: {type(exc).__name__}: {exc}\n"
                         "(set LSTUI_DEBUG=1 to see the traceback)\n")
        return 1
