"""Command line: bare `lstui` opens the terminal app; subcommands answer headlessly.

Subcommands never import Textual, so a lookup over SSH costs little more than starting
Python with DuckDB and Rich.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lstui.core.errors import DataError, LstuiError
from lstui.parser import CITIES_TABLE_ROWS, EARN_TABLE_PLACES, parse



def _display(args):
    from lstui.core.money import Display

    return Display(args.style, args.currency)


# ------------------------------------------------------------------------------------------


def settings_from(args):
    from lstui.core.settings import Settings

    return Settings.resolve(getattr(args, "data", None), getattr(args, "db", None))


def open_db(args):
    """A read-only connection to the current database (rebuilt first if the YAML changed)."""
    opening = getattr(args, "opening", None)
    if opening is not None:
        return opening.result()
    from lstui.core.store import current
    from lstui.output import info

    settings = settings_from(args)
    return current(settings.data_path, settings.db_path, notify=info)


def start_opening(args) -> None:
    """Open the database on a thread while the command imports what it needs (see BackgroundOpen)."""
    import duckdb  # noqa: F401 - imported here, not on the thread: only DuckDB's own start-up runs alongside

    from lstui.core.store import BackgroundOpen
    from lstui.output import info

    settings = settings_from(args)
    args.opening = BackgroundOpen(settings.data_path, settings.db_path, notify=info)


def ensure_db(args):
    """The database path, rebuilt first if the YAML or schema changed."""
    open_db(args).close()
    return settings_from(args).db_path


def cmd_check(args) -> int:
    from lstui.core.build import check
    from lstui.output import plural

    settings = settings_from(args)
    records = check(settings.data_path)
    if args.archive:
        return _check_archive(settings.data_path, args.archive)
    print(f"{settings.data_path}: ok ({records} sourced {plural(records, 'record')})")
    return 0


def _check_archive(data_path: Path, folders: list[Path]) -> int:
    from lstui.core.archive import check_archive
    from lstui.core.textsafe import one_line
    from lstui.output import info, plural

    report = check_archive(data_path, folders)
    for path in report.unused:
        info(f"{path}: no source in {data_path} uses this file")
    for problem in report.problems:
        sys.stderr.write(f"{one_line(str(problem))}\n")
    if report.problems:
        sys.stderr.write(f"{len(report.problems)} {plural(len(report.problems), 'problem')} found in the archive "
                         f"check\n")
        return 2
    print(f"{data_path}: ok ({report.figures} {plural(report.figures, 'figure')} of {report.sources} "
          f"{plural(report.sources, 'source')} found in the paragraphs they cite)")
    return 0


def cmd_build(args) -> int:
    from lstui.core.store import rebuild
    from lstui.output import info, plural

    settings = settings_from(args)
    result = rebuild(settings.data_path, settings.db_path, notify=info, wait=args.wait)
    info(f"built {result.db_path} ({result.records} sourced {plural(result.records, 'record')}) "
         f"in {result.seconds:.2f} s")
    return 0


def cmd_path(args) -> int:
    print(ensure_db(args))
    return 0


def cmd_query(args) -> int:
    from lstui.core.sql import run_readonly_sql
    from lstui.output import write_rows

    sql = _read_stdin() if args.sql == "-" else args.sql
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, passed through by Python as surrogates
        raise LstuiError("the SQL is not UTF-8 text") from None
    # Ctrl+C (or SIGTERM, SIGHUP passed on as SIGINT) stops the statement and ends in main
    columns, rows = run_readonly_sql(ensure_db(args), sql, allow_files=args.allow_files)
    write_rows(columns, rows, args.format)
    return 0


def _read_stdin() -> str:
    from lstui.output import info

    if sys.stdin is None:
        raise LstuiError("query -: there is no stdin to read the SQL from")
    if sys.stdin.isatty():
        info("reading the SQL statement from the terminal; end it with Ctrl-D")
    try:
        return sys.stdin.read()
    except UnicodeDecodeError:
        raise LstuiError("the SQL is not UTF-8 text") from None


def _amount(text: str | None, flag: str):
    from lstui.core.money import AmountError, parse_amount

    if text is None:
        return None
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise LstuiError(f"{flag}: {exc}") from None


def _profile(args):
    from lstui.core.calculator import Profile
    from lstui.core.money import AmountError, parse_count

    counts = {}
    for field, flag, what in (("followers", "--followers", "a follower count"),
                              ("floor_area", "--floor-area", "a floor area in square metres")):
        text = getattr(args, field)
        if text is not None:
            try:
                counts[field] = parse_count(text, what=what)
            except AmountError as exc:
                raise LstuiError(f"{flag}: {exc}") from None
    return Profile(args.role, counts.get("followers"), _amount(args.annual_sales, "--annual-sales"),
                   _amount(args.valuation, "--valuation"), _amount(args.turnover, "--turnover"),
                   args.new_business, args.buying_home, _amount(args.tax_paid, "--tax-paid"),
                   _amount(args.local_product_sales, "--local-product-sales"), counts.get("floor_area"),
                   args.exclusive_contract, args.registered_locally, args.listing)


def cmd_earn(args) -> int:
    from lstui.core import earn, queries
    from lstui.core.calculator import result_to_dict
    from lstui.output import print_json, stdout_console, write_rows
    from lstui import render

    profile = _profile(args)
    with open_db(args) as con:
        only = [queries.find_place(con, name).id for name in args.places] if args.places else None
        # DuckDB ranks every place and measure; only the places shown are worded in Python.
        limit = args.limit if args.limit is not None else (EARN_TABLE_PLACES if args.format == "table" else 0)
        other_roles = args.all or args.format == "json"
        ranking = earn.earn_ranking(con, profile, only, other_roles=other_roles, top_places=limit or None,
                                    cards=args.format == "table")
        results = earn.earn_results(con, profile, ranking.rows, _display(args))
        hidden = 0 if other_roles else earn.other_role_measures(con, profile.role, list(ranking.shown))
    if args.format == "json":
        print_json([result_to_dict(r) for r in results])
        return 0
    if args.format != "table":
        write_rows(*render.earn_flat(results), args.format)
        return 0
    from rich.text import Text

    console = stdout_console()
    display = _display(args)
    console.print(Text(f"Profile: {render.profile_text(profile, display)}", style="bold"))
    for result, row in zip(results, ranking.rows):
        console.print(render.result_card(result, display, list(row.also)))
    if not results:
        console.print(Text("No measure in the data applies to this role in these places."))
    totals = render.summary_lines(ranking.totals, display)
    if totals:
        console.print(Text("\nTotals per place (discretionary maxima are never counted as certain; shares of costs "
                           "and yearly amounts are not added):", style="bold"))
        console.print(totals, end="")
    for note in _earn_notes(ranking.places - len(ranking.shown), hidden):
        console.print(Text(note, style="dim"))
    return 0


def _earn_notes(more_places: int, hidden_measures: int) -> list[str]:
    """What the cards leave out, and how to see it."""
    from lstui.output import plural

    notes = []
    if more_places > 0:
        have = plural(more_places, "place has", "places have")
        notes.append(f"{more_places:,} more {have} measures for this role "
                     "(--limit 0 lists them all; --in PLACE picks some).")
    if hidden_measures > 0:
        are = plural(hidden_measures, "measure for other roles is", "measures for other roles are")
        notes.append(f"{hidden_measures:,} {are} not shown (--all shows {plural(hidden_measures, 'it', 'them')}).")
    return notes


def cmd_cities(args) -> int:
    from lstui.core import queries
    from lstui.output import plural, print_json, stdout_console, write_rows
    from lstui import render

    limit = args.limit if args.limit is not None else (CITIES_TABLE_ROWS if args.format == "table" else 0)
    filters = (args.search, args.province, args.level, args.has_incentives, args.money_for)
    if args.desc and args.sort is None:
        raise LstuiError(f"--desc needs --sort COLUMN ({', '.join(queries.PLACE_SORTS)})")
    sort = queries.place_sort(args.sort.lower(), args.desc) if args.sort is not None else None
    with open_db(args) as con:
        rows = queries.search_places(con, *filters, sort=sort, limit=limit or None)
        total = queries.count_places(con, *filters) if limit and len(rows) == limit else len(rows)
    if args.format == "json":
        print_json([r._asdict() for r in rows])
        return 0
    if args.format == "table":
        from rich.text import Text

        console = stdout_console()
        console.print(render.cities_table(rows, _display(args)))
        if total > len(rows):
            console.print(Text(f"{len(rows):,} of {total:,} places; --limit 0 lists them all, or narrow them with "
                               "--search, --province or --level", style="dim"))
        else:
            console.print(Text(f"{len(rows):,} {plural(len(rows), 'place')}", style="dim"))
        return 0
    write_rows(*render.cities_flat(rows, _display(args)), args.format)
    return 0


def cmd_show(args) -> int:
    from lstui.core import queries
    from lstui.output import print_json, stdout_console, write_rows
    from lstui import render

    with open_db(args) as con:
        detail = queries.place_detail(con, queries.find_place_id(con, " ".join(args.place)))
    if args.format == "json":
        print_json(render.show_dict(detail))
    elif args.format == "table":
        stdout_console().print(render.show_renderable(detail, _display(args)))
    else:
        write_rows(*render.show_flat(detail, _display(args)), args.format)
    return 0


def cmd_compare(args) -> int:
    from lstui.core import queries, research
    from lstui.output import print_json, stdout_console, write_rows
    from lstui import render

    if len(args.places) < 2:
        raise LstuiError("name at least two places to compare")
    with open_db(args) as con:
        places = [queries.find_place(con, name) for name in args.places]
        rows = queries.compare(con, [p.id for p in places], args.metric)
        progress = research.headlines(con, [p.id for p in places]) if args.format == "table" else {}
    if args.format == "json":
        print_json(render.compare_dict(rows, places))
    elif args.format == "table":
        from rich.text import Text

        console = stdout_console()
        console.print(render.compare_table(rows, places, _display(args), progress))
        console.print(Text(render.COMPARE_LEGEND, style="dim"))
        if any(research.progress_mark(p) for p in progress.values()):
            console.print(Text(render.PROGRESS_LEGEND, style="dim"))
    else:
        write_rows(*render.compare_flat(rows, places, _display(args)), args.format)
    return 0


def cmd_cite(args) -> int:
    from lstui.core import cite
    from lstui.output import info
    from lstui import render

    with open_db(args) as con:
        found = cite.lookup_all(con, args.what)
    if not found.entries:
        info(f"no source is recorded for {found.place.name_en if found.place else ' '.join(args.what)}")
    sys.stdout.write(cite.cite(found.entries, args.style, render.figure_words))
    return 0


def cmd_conflicts(args) -> int:
    from lstui.core import queries
    from lstui.core.models import as_dict
    from lstui.output import plural, print_json, stdout_console, write_rows
    from lstui import render

    with open_db(args) as con:
        place = queries.find_place(con, " ".join(args.place)) if args.place else None
        rows = queries.conflicts(con, place_id=place.id if place else None)
    if args.format == "json":
        print_json(as_dict(rows))
    elif args.format == "table":
        from rich.text import Text

        console = stdout_console()
        console.print(render.conflicts_renderable(rows))
        about = f" involving {place.name_en}" if place else ""
        console.print(Text(f"{len(rows):,} recorded {plural(len(rows), 'conflict')}{about}", style="dim"))
    else:
        write_rows(*render.conflicts_flat(rows), args.format)
    return 0


def cmd_progress(args) -> int:
    from lstui.core import queries, research
    from lstui.core.models import as_dict
    from lstui.output import print_json, stdout_console, write_rows
    from lstui import render

    with open_db(args) as con:
        places = [queries.find_place_id(con, name) for name in args.places] or None
        rows = research.progress(con, places, args.metric, everything=args.all)
    if args.format == "json":
        print_json(as_dict(rows))
    elif args.format == "table":
        from rich.text import Text

        console = stdout_console()
        console.print(render.progress_renderable(rows, _display(args)))
        targets = len(render.by_target(rows))
        console.print(Text(f"{targets:,} {'target' if targets == 1 else 'targets'} with a statistic of the same "
                           "place and metric" if rows else
                           "No target here has a statistic of its place and metric to be measured by.", style="dim"))
    else:
        write_rows(*render.progress_flat(rows, _display(args)), args.format)
    return 0


def cmd_timeline(args) -> int:
    from lstui.core import queries, research
    from lstui.output import print_json, stdout_console, write_rows
    from lstui import render

    with open_db(args) as con:
        place = queries.find_place(con, " ".join(args.place))
        items = research.timeline(con, place.id)
    if args.format == "json":
        print_json(render.timeline_dict(place, items))
    elif args.format == "table":
        stdout_console().print(render.timeline_renderable(place, items, _display(args)))
    else:
        write_rows(*render.timeline_flat(items, _display(args)), args.format)
    return 0


def cmd_export(args) -> int:
    from pathlib import Path

    from lstui.core.export import export
    from lstui.output import info, plural

    if not args.out:
        raise LstuiError("--out: name the folder to write into (an empty name would mean the current folder)")
    if sys.stdout is None:  # started with stdout closed (`lstui export ... >&-`): the list goes nowhere
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    written = export(ensure_db(args), args.format, Path(args.out))
    for view, path, rows in written:
        print(f"{path}\t{rows} {plural(rows, 'row')}")
    info(f"exported {len(written)} {plural(len(written), 'view')} to {args.out}")
    return 0


def run_app(args) -> int:
    """Open the terminal app: it paints the saved first screen, then opens the database behind it."""
    from lstui.core import startup

    from lstui.core import cleanup

    settings = settings_from(args)
    if not settings.data_path.exists():
        raise LstuiError(f"{settings.data_path}: no such data file (set --data PATH or LSTUI_DATA)")
    if settings.db_path.is_dir():
        raise LstuiError(f"{settings.db_path} is a directory, not a database file; choose another place "
                         "with --db PATH or LSTUI_DB")
    from lstui.tui.app import LstuiApp

    from lstui.core import prefs

    app = LstuiApp(settings.data_path, settings.db_path, snapshot=startup.read(settings.db_path, settings.data_path),
                   prefs_path=prefs.default_path())
    try:
        app.run()
    except OSError:
        if app.return_code not in STOPPED:  # the terminal went away while the app let go of it
            raise
    finally:
        cleanup.remove_registered()
    if app.problems:
        raise DataError(app.problems)
    if app.error:
        raise LstuiError(app.error)
    return app.return_code or 0


# ------------------------------------------------------------------------------------------


def _report_data_error(exc: DataError) -> None:
    from lstui.core.textsafe import one_line

    for problem in exc.problems:
        sys.stderr.write(f"{one_line(problem)}\n")
    count = len(exc.problems)
    sys.stderr.write(f"{count} problem{'s' if count != 1 else ''} found; nothing was built\n")


def run() -> None:
    """Console entry point.

    Read-only commands end with os._exit once their output is flushed: interpreter teardown
    (and closing DuckDB) costs some 20 ms that a lookup over SSH should not pay. Anything that
    writes (build) or holds a UI exits normally. A command stopped by a signal removes what it
    created and exits at once with the signal's code, without waiting for work on other threads.
    """
    from lstui.core import cleanup

    argv = sys.argv[1:]
    args = parse(argv)
    command = getattr(args, "command", None)
    if command is not None:  # the app handles its signals itself, to restore the terminal
        cleanup.pass_stop_signals_on()
    code = main(argv, args)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
    except (OSError, ValueError):
        pass  # stdout was closed (`>&-`): what was written went nowhere, which is not an error
    if command in FAST_EXIT or code in STOPPED:
        cleanup.remove_registered()
        try:
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os._exit(code)
    sys.exit(code)


def _reader_gone() -> None:
    """The reader of stdout went away (`lstui ... | head`): not an error. What is still buffered
    goes to /dev/null, so that the flush at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # stdout is not a file (tests capture it): nothing left to silence


FAST_EXIT = {"show", "earn", "cities", "compare", "progress", "timeline", "path", "query", "check", "cite", "conflicts"}


STOPPED = (130, 143, 129)  # SIGINT, SIGTERM, SIGHUP


COMMANDS = {"check": cmd_check, "build": cmd_build, "path": cmd_path, "query": cmd_query, "export": cmd_export,
            "earn": cmd_earn, "cities": cmd_cities, "show": cmd_show, "compare": cmd_compare,
            "progress": cmd_progress, "timeline": cmd_timeline, "cite": cmd_cite, "conflicts": cmd_conflicts}
# These open the database on a thread while they import what formats their answer.
OPEN_EARLY = {"earn", "cities", "show", "compare", "progress", "timeline", "cite", "conflicts"}


def main(argv: list[str] | None = None, args: argparse.Namespace | None = None) -> int:
    """Run one command line (`args`: the same line already parsed)."""
    if args is None:
        args = parse(sys.argv[1:] if argv is None else argv)
    command = getattr(args, "command", None)
    func = COMMANDS.get(command, run_app)
    stopped = False
    try:
        if command in OPEN_EARLY:
            start_opening(args)
        return _run_command(func, args)
    except DataError as exc:
        _report_data_error(exc)
        return 2
    except LstuiError as exc:
        from lstui.output import error

        error(f"lstui: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        stopped = True
        return _stopped()
    except BrokenPipeError:
        _reader_gone()
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: a message, not a traceback
        if _interrupted(exc):
            stopped = True
            return _stopped()
        if os.environ.get("LSTUI_DEBUG"):
            raise
        sys.stderr.write(f"lstui: internal error: {type(exc).__name__}: {exc}\n"
                         "(set LSTUI_DEBUG=1 to see the traceback)\n")
        return 1
    finally:
        opening = getattr(args, "opening", None)
        if opening is not None and not stopped:  # a stop does not wait for a rebuild on its thread
            opening.close()


def _run_command(func, args) -> int:
    """Run the command; a database file found damaged (it is derived data) is rebuilt once and
    the command run again."""
    try:
        return func(args)
    except Exception as exc:  # noqa: BLE001 - only DuckDB's word that the file is damaged is handled
        if func is run_app or not _damaged(exc):
            raise
    from lstui.core.store import rebuild
    from lstui.output import info

    settings = settings_from(args)
    info(f"{settings.db_path} is damaged; rebuilding it from {settings.data_path} ...")
    args.opening = None
    try:
        rebuild(settings.data_path, settings.db_path, notify=info)
        return func(args)
    except Exception as exc:  # noqa: BLE001
        if _damaged(exc):
            raise LstuiError(f"{settings.db_path} is still damaged after a rebuild ({_first_line(exc)}); "
                             "remove it and run lstui build") from None
        raise


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _is_duckdb_error(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in ("duckdb", "_duckdb")


def _damaged(exc: BaseException) -> bool:
    from lstui.core.connect import is_damaged

    return _is_duckdb_error(exc) and is_damaged(exc)


def _interrupted(exc: BaseException) -> bool:
    """DuckDB's way of saying a statement was stopped by Ctrl+C (or a signal passed on as one)."""
    return (_is_duckdb_error(exc) or isinstance(exc, RuntimeError)) and "interrupted" in str(exc).lower()


def _stopped() -> int:
    from lstui.core import cleanup

    cleanup.remove_registered()
    code = cleanup.exit_code()
    words = {130: "interrupted", 143: "stopped (SIGTERM)", 129: "stopped (the terminal went away)"}
    try:
        sys.stderr.write(f"lstui: {words.get(code, 'stopped')}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return code
