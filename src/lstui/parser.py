"""The command line's words: every command, its options and its help, parsed with argparse.

Kept apart from the commands (lstui.cli), which run what `args.command` names; nothing here
imports more than the vocabulary its choices come from.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from lstui import __version__
from lstui.core import vocab

Add = Callable[[str, str, list], argparse.ArgumentParser]  # a subcommand's parser, from its name, help and examples


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


EARN_TABLE_PLACES = 10  # places `lstui earn` prints as cards unless --limit says otherwise
CITIES_TABLE_ROWS = 100  # rows `lstui cities` prints as a table unless --limit says otherwise


MAX_LIMIT = 2 ** 62  # far more rows than any dataset has; a larger --limit means the same


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return min(value, MAX_LIMIT)


def _format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table",
                   help="table (default, for people), csv, json or markdown")


def _style(p: argparse.ArgumentParser) -> None:
    p.add_argument("--style", choices=("international", "chinese"), default="international",
                   help="numbers as ¥25m (international) or ¥2,500万 (chinese)")
    p.add_argument("--currency", type=str.upper, choices=("CNY", "USD"), default="CNY",
                   help="amounts in yuan (default) or US dollars, at the exchange rate that goes with each figure")


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

    for commands in (_files, _earn, _lookups, _research):
        commands(add)
    return parser


def _files(add: Add) -> None:
    """The data and the database: check, build, path, query, export."""
    p = add("check", "validate the dataset YAML; every problem as FILE:LINE:COL: FIELD: MESSAGE",
            ["lstui check", "lstui check --data my-policies.yaml",
             "lstui check --archive ../shared/seeds ../shared/sources"])
    p.add_argument("--archive", nargs="+", type=Path, metavar="DIR",
                   help="also hold every figure against the paragraph its locator cites, in the archived "
                        "texts in these folders (matched to sources by SHA-256)")

    p = add("build", "rebuild the database from the YAML (atomically; the old file stays until the new one is complete)",
            ["lstui build", "lstui build --data my.yaml --db /tmp/policies.duckdb", "lstui build --wait"])
    p.add_argument("--wait", action="store_true",
                   help="if another program has the database open for writing, wait until it closes it "
                        "(without --wait: refuse, exit 2)")

    p = add("path", "print the database path (building it first if the YAML changed)",
            ['duckdb -readonly "$(lstui path)"', "python -c \"import duckdb; duckdb.connect('$(lstui path)', read_only=True)\""])

    p = add("query", "run one read-only SQL statement against the database",
            ['lstui query "SELECT id, name_en, province_en FROM jurisdictions"',
             "lstui query \"SELECT * FROM facts WHERE jurisdiction_id = 'shenzhen'\" --format csv",
             "lstui query - < report.sql      # the statement from stdin"])
    p.add_argument("sql", help="one SELECT statement, or - to read it from stdin")
    _format(p)
    p.add_argument("--allow-files", action="store_true",
                   help="let the SQL read and write other files (read_csv, COPY ... TO); off by default")

    p = add("export", "write every public view to files with DuckDB's COPY (csv, parquet or json)",
            ["lstui export --format parquet --out data-export/",
             "python -c \"import pandas; print(pandas.read_parquet('data-export/facts.parquet'))\""])
    p.add_argument("--format", choices=("csv", "parquet", "json"), default="csv")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="directory to write (created if missing); all files are replaced, or none")


def _earn(add: Add) -> None:
    """`lstui earn`: what a streamer or business would get, and the profile's flags."""
    p = add("earn", "what would a streamer or business get in each place, and what would the next tier take",
            ["lstui earn --role streamer --followers 600k --annual-sales 15m --buying-home",
             "lstui earn --role company --valuation '$1.2B' --turnover 6亿 --new-business --in yuhang huadu",
             "lstui earn --role streamer --followers 500000 --format json"])
    p.add_argument("--role", required=True, choices=vocab.ROLES,
                   help="streamer (individual), mcn (MCN, agency or brokerage), platform, or company")
    p.add_argument("--followers", metavar="N", help="followers, e.g. 500000, 500k, 50万")
    p.add_argument("--annual-sales", metavar="AMOUNT", help="annual sales, e.g. 15m, 1500万, '$2m' (yuan unless a currency is given)")
    p.add_argument("--valuation", metavar="AMOUNT", help="company valuation, e.g. '$1.5B', 100亿")
    p.add_argument("--turnover", metavar="AMOUNT", help="annual turnover, e.g. 600m, 6亿")
    p.add_argument("--new-business", action=argparse.BooleanOptionalAction, default=None,
                   help="the business is newly setting up or relocating in the place (default: unknown)")
    p.add_argument("--buying-home", action=argparse.BooleanOptionalAction, default=None,
                   help="would buy a home there (default: unknown)")
    p.add_argument("--tax-paid", metavar="AMOUNT",
                   help="tax the company pays a year (for a streamer: the agency that would recommend them), e.g. 100万")
    p.add_argument("--local-product-sales", metavar="AMOUNT", help="sales of the place's own products, e.g. 1m, 100万")
    p.add_argument("--floor-area", metavar="M2", help="floor area rented there, in square metres, e.g. 150")
    p.add_argument("--exclusive-contract", action=argparse.BooleanOptionalAction, default=None,
                   help="the streamer is exclusively contracted to a local company (default: unknown)")
    p.add_argument("--registered-locally", action=argparse.BooleanOptionalAction, default=None,
                   help="registered and operating in the place (default: unknown)")
    p.add_argument("--listing", choices=(*vocab.LISTINGS, "none"),
                   help="where the company is listed: domestic (a mainland China exchange), overseas, or none "
                        "(default: unknown)")
    p.add_argument("--in", dest="places", nargs="+", metavar="PLACE", help="only these places (id, English, 汉字 or pinyin)")
    p.add_argument("--all", action="store_true", help="also list measures meant for other roles")
    p.add_argument("--limit", type=_non_negative, metavar="N",
                   help=f"only the N places with the most on offer (default: {EARN_TABLE_PLACES} in the table, "
                        "every place in csv, json and markdown; 0: every place)")
    _format(p)
    _style(p)


def _lookups(add: Add) -> None:
    """Places: cities, show, compare."""
    p = add("cities", "list places, filtered by name (English, 汉字 or pinyin), province, level or incentives",
            ["lstui cities", "lstui cities --search 广", "lstui cities --province guangdong --has-incentives",
             "lstui cities --level district --format csv", "lstui cities --sort targets --desc"])
    from lstui.core.queries import PLACE_SORTS

    p.add_argument("--search", metavar="TEXT", default="", help="part of a name in English, 汉字 or pinyin (tones optional)")
    p.add_argument("--province", metavar="P", help="only places in this province or municipality")
    p.add_argument("--level", choices=vocab.LEVELS, help="only places of this level")
    p.add_argument("--has-incentives", action="store_true", help="only places with incentives (own or inherited)")
    p.add_argument("--money-for", choices=("individuals", "companies"), help="only places that offer money to these")
    p.add_argument("--limit", type=_non_negative, metavar="N",
                   help=f"at most N places (default: {CITIES_TABLE_ROWS} in the table, every place in csv, json "
                        "and markdown; 0: every place)")
    p.add_argument("--sort", metavar="COLUMN",
                   help=f"order by a column: {', '.join(PLACE_SORTS)} (sales and streamer by their amount in "
                        "yuan; zh by pinyin); blanks come last, ties keep the default order (by province, "
                        "level and name)")
    p.add_argument("--desc", action="store_true", help="with --sort: largest, or last in the alphabet, first")
    _format(p)
    _style(p)

    p = add("show", "everything about one place: policies, targets, incentives, statistics, sources, conflicts",
            ["lstui show huadu", "lstui show 花都", "lstui show 'huadu qu' --format json"])
    p.add_argument("place", nargs="+", metavar="PLACE",
                   help="one place: id, English, 汉字 or pinyin name (its words may be given apart: Huadu District)")
    _format(p)
    _style(p)

    p = add("compare", "targets side by side: one row per metric, one column per place",
            ["lstui compare shenzhen guangzhou jinan", "lstui compare 重庆 qingdao --metric streamers sales",
             "lstui compare huadu shenzhen --format markdown"])
    p.add_argument("places", nargs="+", metavar="PLACE", help="two or more places")
    p.add_argument("--metric", nargs="+", metavar="M", help="only these metrics (see `lstui query 'SELECT * FROM metrics'`)")
    _format(p)
    _style(p)


def _research(add: Add) -> None:
    """The research workflow: progress, timeline, cite, conflicts."""
    p = add("progress", "how far each target went: its latest statistic by the deadline and the share reached, "
                        "or why a pair cannot be measured",
            ["lstui progress shenzhen", "lstui progress 重庆 hangzhou --metric streamers",
             "lstui progress --format csv > progress.csv"])
    p.add_argument("places", nargs="*", metavar="PLACE", help="only these places (default: every place)")
    p.add_argument("--metric", nargs="+", metavar="M", help="only these metrics")
    p.add_argument("--all", action="store_true",
                   help="also pair reports set aside for another (only preferred ones are paired by default)")
    _format(p)
    _style(p)

    p = add("timeline", "every dated item of a place in order (policies, plan successions, events, target "
                        "deadlines, statistics), the policies of inherited measures too; undated items apart",
            ["lstui timeline shenzhen", "lstui timeline 花都 --format json"])
    p.add_argument("place", nargs="+", metavar="PLACE",
                   help="one place: id, English, 汉字 or pinyin name (its words may be given apart: Huadu District)")
    _format(p)
    _style(p)

    from lstui.core.cite import STYLES

    p = add("cite", "a figure with its source (publisher, title, date, URL, the original of a reprint) and "
                    "its locator, or every source of a place; as text, BibTeX, CSL-JSON or RIS",
            ["lstui cite shenzhen-sales-2025-szdaily", "lstui cite huadu --style bibtex > huadu.bib",
             "lstui cite shenzhen-sales-2025-szdaily yiwu-hosts-2020 --style bibtex",
             "lstui cite 'huadu-house-reward-cn-report#1' --style ris"])
    p.add_argument("what", nargs="+", metavar="FACT_ID|PLACE",
                   help="a figure's id (fact_id in the facts view; an incentive's id cites each of its tiers), "
                        "or a place: id, English, 汉字 or pinyin name; several of them cite each")
    p.add_argument("--style", choices=STYLES, default="text",
                   help="text (default, for people), bibtex, csl-json (Zotero, Pandoc) or ris")

    p = add("conflicts", "every recorded conflict between reports, or those a place's figures are party to",
            ["lstui conflicts", "lstui conflicts shenzhen", "lstui conflicts 义乌 --format json"])
    p.add_argument("place", nargs="*", metavar="PLACE", help="only this place's conflicts (id, English, 汉字 or pinyin)")
    _format(p)


AMOUNT_FLAGS = ("--followers", "--annual-sales", "--valuation", "--turnover", "--tax-paid", "--local-product-sales",
                "--floor-area")


def attach_dash_values(argv: list[str]) -> list[str]:
    """`--annual-sales -1m` as `--annual-sales=-1m`.

    argparse takes a word after a flag that starts with '-' (other than a plain negative number)
    for another option and answers with its usage. An amount flag followed by such a word that
    is not an option (options are --word or -h) gets it as its value, so that the amount parser
    can say what is wrong with it. Nothing after a bare `--` is touched.
    """
    out, i = [], 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return out + argv[i:]
        if word in AMOUNT_FLAGS and i + 1 < len(argv) and _dash_value(argv[i + 1]):
            out.append(f"{word}={argv[i + 1]}")
            i += 2
        else:
            out.append(word)
            i += 1
    return out


def _dash_value(word: str) -> bool:
    return word.startswith("-") and word != "-" and not word.startswith("--") and not word[1:2].isalpha()


def parse(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(attach_dash_values(argv))
