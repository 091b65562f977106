"""Check the dataset with DuckDB: the schema's own constraints, plus rules across rows.

The YAML rows are loaded into unconstrained staging tables (one per internal table, enums
relaxed to text, plus a `_row` column that points back at the YAML). The NOT NULL, PRIMARY
KEY, FOREIGN KEY, CHECK and ENUM rules are then read from DuckDB's catalog and run as
queries over the staging tables, so every violation is found at once and mapped to a line.
Rules a constraint cannot express (tier ordering, unit agreement, ...) follow as plain SQL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable

from lstui.core.dataset import Dataset
from lstui.core.errors import Problem
from lstui.core.suggest import did_you_mean
from lstui.core.vocab import COUNT_UNITS, MONEY_FIELDS as MONEY_FIELD_NAMES, NUMERIC_FIELDS as NUMERIC_FIELD_NAMES, TABLE_ORDER, sql_list

STAGED = TABLE_ORDER  # every table is staged, and checked, in the order it is filled

NOUNS = {"jurisdictions": "jurisdiction", "sources": "source", "metrics": "metric",
         "policies": "policy", "events": "event", "incentives": "incentive",
         "exchange_rates": "exchange rate", "conflicts": "conflict",
         "records": "record (target, incentive, statistic or event id)"}


def stage_name(table: str) -> str:
    return f"stage_{table}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Violation:
    table: str
    row: int
    column: str
    message: str
    bad_value: object = None
    depends: tuple = ()  # columns of the row whose earlier problems make this one moot


# ---------------------------------------------------------------------------------------------
# Staging


def internal_columns(con) -> dict[str, list[tuple[str, str]]]:
    """Column names and types of every internal table, in order (one catalog query)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for table, name, kind in con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'internal' ORDER BY table_name, column_index"
    ).fetchall():
        out.setdefault(table, []).append((name, kind))
    return out


def _staging_type(data_type: str) -> str:
    if data_type.startswith("ENUM("):
        return "VARCHAR[]" if data_type.endswith("[]") else "VARCHAR"
    return data_type


def stage(con, ds: Dataset) -> None:
    """Create temp staging tables shaped like the internal ones and load the YAML rows."""
    catalog = internal_columns(con)
    for table in STAGED:
        columns = [(name, _staging_type(kind)) for name, kind in catalog[table]]
        columns.append(("_row", "INTEGER"))
        ddl = ", ".join(f"{_quote(n)} {t}" for n, t in columns)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {stage_name(table)} ({ddl})")
        rows = ds.tables.get(table) or []
        if not rows:
            continue
        structure = json.dumps({n: t for n, t in columns}).replace("'", "''")
        names = ", ".join(_quote(n) for n, _ in columns)
        # One JSON document per row: DuckDB parses a list of small documents far faster
        # than one large array.
        encode = json.JSONEncoder(ensure_ascii=False).encode
        payload = [encode({n: r.get(n) for n, _ in columns}) for r in rows]
        con.execute(
            f"INSERT INTO {stage_name(table)} ({names}) "
            f"SELECT {names} FROM (SELECT unnest(from_json(j, '{structure}'), recursive := true) "
            f"FROM (SELECT unnest(?::VARCHAR[]) AS j))",
            [payload],
        )


def drop_staging(con) -> None:
    for table in STAGED:
        con.execute(f"DROP TABLE IF EXISTS {stage_name(table)}")


# ---------------------------------------------------------------------------------------------
# Rules read from the catalog


def _check_message(expression: str, value) -> str:
    """Turn a CHECK expression such as '(amount >= 0)' into words."""
    m = re.fullmatch(r'\("?(\w+)"? (>=|>) 0\)', expression)  # DuckDB may quote the column name
    if m:
        return f"must not be negative (got {value:g})" if m.group(2) == ">=" else f"must be greater than zero (got {value:g})"
    m = re.fullmatch(r'\(\("?(\w+)"? >= (\d+)\) AND \("?(\w+)"? <= (\d+)\)\)', expression) or \
        re.fullmatch(r'\("?(\w+)"? BETWEEN (\d+) AND (\d+)\)', expression)
    if m:
        low, high = (m.group(2), m.group(4)) if len(m.groups()) == 4 else (m.group(2), m.group(3))
        return f"must be between {low} and {high} (got {value})"
    m = re.fullmatch(r'\("?(\w+)"? >= (\d+)\)', expression)
    if m:
        return f"must be at least {m.group(2)} (got {value:g})"
    m = re.fullmatch(r'\(\("?(\w+)"? > 0\) AND \("?(\w+)"? <= (\d+)\)\)', expression)
    if m:
        return f"must be above 0 and at most {m.group(3)} (got {value:g})"
    return f"violates the rule {expression} (got {value})"


def _did_you_mean(value, choices) -> str:
    return did_you_mean(value, choices)


def _not_null(con, table, column) -> list[Violation]:
    rows = con.execute(f"SELECT _row FROM {stage_name(table)} WHERE {_quote(column)} IS NULL").fetchall()
    return [Violation(table, r, column, "required field is missing") for (r,) in rows]


def _unique(con, table, column) -> list[Violation]:
    q = _quote(column)
    rows = con.execute(
        f"SELECT _row, {q}, first_row FROM (SELECT _row, {q}, "
        f"min(_row) OVER (PARTITION BY {q}) AS first_row FROM {stage_name(table)} WHERE {q} IS NOT NULL) "
        f"WHERE _row <> first_row ORDER BY _row"
    ).fetchall()
    return [Violation(table, r, column, f"duplicate id '{v}'", ("first", first)) for r, v, first in rows]


def _foreign(con, table, column, ref_table, ref_column) -> list[Violation]:
    if ref_table not in STAGED:
        return []
    q, rq = _quote(column), _quote(ref_column)
    rows = con.execute(
        f"SELECT _row, {q} FROM {stage_name(table)} s WHERE {q} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {stage_name(ref_table)} r WHERE r.{rq} = s.{q}) ORDER BY _row"
    ).fetchall()
    if not rows:
        return []
    known = [k for (k,) in con.execute(f"SELECT DISTINCT {rq} FROM {stage_name(ref_table)}").fetchall()]
    noun = NOUNS.get(ref_table, ref_table)
    return [Violation(table, r, column, f"unknown {noun} '{v}'{_did_you_mean(v, known)}", v) for r, v in rows]


def _check(con, table, column, expression) -> list[Violation]:
    rows = con.execute(
        f"SELECT _row, {_quote(column)} FROM {stage_name(table)} WHERE NOT coalesce(({expression}), true) ORDER BY _row"
    ).fetchall()
    return [Violation(table, r, column, _check_message(expression, v), v) for r, v in rows]


def _enum(con, table, column, data_type) -> list[Violation]:
    allowed = re.findall(r"'((?:[^']|'')*)'", data_type)
    q = _quote(column)
    if data_type.endswith("[]"):
        sql = (f"SELECT _row, x FROM (SELECT _row, unnest({q}) AS x FROM {stage_name(table)}) "
               f"WHERE x IS NOT NULL AND NOT list_contains(?, x) ORDER BY _row")
    else:
        sql = f"SELECT _row, {q} FROM {stage_name(table)} WHERE {q} IS NOT NULL AND NOT list_contains(?, {q}) ORDER BY _row"
    rows = con.execute(sql, [allowed]).fetchall()
    return [Violation(table, r, column, f"'{v}' is not one of: {', '.join(allowed)}{_did_you_mean(v, allowed)}", v)
            for r, v in rows]


def catalog_violations(con) -> list[Violation]:
    out: list[Violation] = []
    catalog = internal_columns(con)
    constraints = con.execute(
        "SELECT table_name, constraint_type, constraint_column_names, expression, referenced_table, "
        "referenced_column_names FROM duckdb_constraints() WHERE schema_name = 'internal' "
        "ORDER BY table_name, constraint_index"
    ).fetchall()
    for table, kind, columns, expression, ref_table, ref_columns in constraints:
        columns = list(dict.fromkeys(columns))  # a CHECK that names its column twice is about one column
        if table not in STAGED or len(columns) != 1:
            continue  # composite keys are generated (tier_no, cond_no): the final insert guards them
        column = columns[0]
        if kind == "NOT NULL":
            out += _not_null(con, table, column)
        elif kind in ("PRIMARY KEY", "UNIQUE"):
            out += _unique(con, table, column)
        elif kind == "FOREIGN KEY":
            out += _foreign(con, table, column, ref_table, ref_columns[0])
        elif kind == "CHECK":
            out += _check(con, table, column, expression)
    for table in STAGED:
        for column, data_type in catalog[table]:
            if data_type.startswith("ENUM("):
                out += _enum(con, table, column, data_type)
    return out


# ---------------------------------------------------------------------------------------------
# Rules across rows


@dataclass
class Rule:
    """SQL returning (_row, extra...) for each offending row; `message` words it."""

    table: str
    column: str
    sql: str
    message: Callable[..., str]
    depends: tuple = ("value", "amount", "comparator", "unit", "currency", "amount_type", "field",
                      "metric", "period_start", "period_end", "date", "end_date", "converted_value",
                      "converted_unit", "converted_amount", "converted_currency", "locator", "source")


def _n(value) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


S = stage_name
LOCATOR_MAX = "list_max(list_transform(regexp_extract_all(t.locator, '\\d+'), lambda x: x::BIGINT))"


def _locator_rule(table: str) -> Rule:
    return Rule(table, "locator",
                f"SELECT t._row, {LOCATOR_MAX}, s.paragraphs, s.id FROM {S(table)} t "
                f"JOIN {S('sources')} s ON s.id = t.source WHERE {LOCATOR_MAX} > s.paragraphs",
                lambda para, total, src: f"paragraph {para} is past the end of source '{src}' ({total} paragraphs)")


NUMERIC_FIELDS = sql_list(NUMERIC_FIELD_NAMES)  # for the SQL below
MONEY_FIELDS = sql_list(MONEY_FIELD_NAMES)
COUNT_UNIT_CASE = "CASE field " + " ".join(f"WHEN '{f}' THEN '{u}'" for f, u in COUNT_UNITS.items()) + " END"

def _loops(table: str, column: str, longer_than: int = 0) -> str:
    """The rows whose chain of `column` links (parent, follows) comes back to them, in more than
    `longer_than` steps (at most 64 are followed)."""
    return f"""WITH RECURSIVE walk(start, cur, steps) AS (
                SELECT id, {column}, 1 FROM {S(table)} WHERE {column} IS NOT NULL
                UNION ALL
                SELECT w.start, x.{column}, w.steps + 1 FROM walk w JOIN {S(table)} x ON x.id = w.cur
                WHERE w.cur IS NOT NULL AND w.cur <> w.start AND w.steps < 64)
             SELECT DISTINCT x._row, x.id FROM walk w JOIN {S(table)} x ON x.id = w.start
             WHERE w.cur = w.start AND w.steps > {longer_than}"""


RULES: list[Rule] = [
    Rule("jurisdictions", "parent",
         f"SELECT _row FROM {S('jurisdictions')} WHERE parent IS NULL AND level IS DISTINCT FROM 'country'",
         lambda: "required for every place below the national level"),
    Rule("jurisdictions", "parent",
         f"SELECT _row FROM {S('jurisdictions')} WHERE parent IS NOT NULL AND level = 'country'",
         lambda: "a country has no parent"),
    Rule("jurisdictions", "parent", _loops("jurisdictions", "parent"),
         lambda id_: f"'{id_}' is its own ancestor (the parent chain loops)"),
    # A reprint or translation names what it reproduces; what it names is an original (so the
    # links never loop), and a text `reports` a government document other than itself.
    *(Rule("sources", column, f"SELECT _row FROM {S('sources')} WHERE {column} IS NOT NULL "
                              f"AND kind IS DISTINCT FROM '{kind}'",
           lambda kind=kind, column=column: f"only a source of kind {kind} has {column}")
      for column, kind in (("reprint_of", "reprint"), ("translation_of", "translation"))),
    *(Rule("sources", column, f"SELECT s._row, o.id, o.kind FROM {S('sources')} s JOIN {S('sources')} o "
                              f"ON o.id = s.{column} WHERE o.kind IN ('reprint', 'translation')",
           lambda id_, kind: f"'{id_}' is itself a {kind}; name the original")
      for column in ("reprint_of", "translation_of")),
    Rule("sources", "reports",
         f"SELECT s._row, o.id, o.kind FROM {S('sources')} s JOIN {S('sources')} o ON o.id = s.reports "
         f"WHERE o.kind IS DISTINCT FROM 'government_document' OR s.kind = 'government_document'",
         lambda id_, kind: f"'{id_}' is a {kind}: `reports` links a text that is not a government "
                           "document to the government document it describes"),
    Rule("incentives", "recipients",
         f"SELECT _row FROM {S('incentives')} WHERE recipients IS NULL AND quantified IS NOT false",
         lambda: "required for a measure with amounts or criteria; leave it out only for an unquantified "
                 "measure whose source does not say who it is for"),
    Rule("targets", "deadline_inferred_from",
         f"SELECT _row FROM {S('targets')} WHERE deadline_inferred_from IS NOT NULL AND deadline IS NULL",
         lambda: "says what a deadline was inferred from, but there is no deadline"),
    Rule("sources", "original_publisher",
         f"SELECT _row, kind FROM {S('sources')} WHERE kind IN ('reprint', 'translation') "
         "AND original_publisher IS NULL",
         lambda kind: f"a {kind} names the outlet or document it reproduces"),
    *(_locator_rule(t) for t in ("exchange_rates", "policies", "events", "targets", "statistics",
                                 "incentives", "mentions")),
    *(Rule(t, "unit",
           f"SELECT t._row, t.unit, m.unit, m.id FROM {S(t)} t JOIN {S('metrics')} m ON m.id = t.metric "
           f"WHERE t.unit IS DISTINCT FROM m.unit",
           lambda unit, munit, mid: f"'{unit}' does not match the unit '{munit}' of metric '{mid}'")
      for t in ("targets", "statistics")),
    *(Rule(t, "comparator", f"SELECT _row FROM {S(t)} WHERE value IS NOT NULL AND comparator IS NULL",
           lambda: "required when a value is given (exactly, more_than, at_least, up_to or about)")
      for t in ("targets", "statistics")),
    *(Rule(t, "comparator", f"SELECT _row FROM {S(t)} WHERE value IS NULL AND comparator IS NOT NULL",
           lambda: "a comparator needs a value; leave both out when the source gives no number")
      for t in ("targets", "statistics")),
    *(Rule(t, "converted_unit",
           f"SELECT _row FROM {S(t)} WHERE (converted_value IS NULL) <> (converted_unit IS NULL)",
           lambda: "converted_value and converted_unit go together")
      for t in ("targets", "statistics")),
    Rule("policies", "period_end", f"SELECT _row, period_start, period_end FROM {S('policies')} WHERE period_end < period_start",
         lambda a, b: f"ends ({b}) before it starts ({a})"),
    Rule("statistics", "period_end", f"SELECT _row, period_start, period_end FROM {S('statistics')} WHERE period_end < period_start",
         lambda a, b: f"ends ({b}) before it starts ({a})"),
    Rule("events", "end_date", f"SELECT _row, date, end_date FROM {S('events')} WHERE end_date < date",
         lambda a, b: f"ends ({b}) before it starts ({a})"),
    Rule("incentive_tiers", "currency",
         f"SELECT _row FROM {S('incentive_tiers')} WHERE amount IS NOT NULL AND currency IS NULL",
         lambda: "required when an amount is given (CNY or USD)"),
    Rule("incentive_tiers", "amount_type",
         f"SELECT _row FROM {S('incentive_tiers')} WHERE amount IS NOT NULL AND amount_type IS NULL",
         lambda: "required when an amount is given: fixed, or up_to for a discretionary maximum"),
    Rule("incentive_tiers", "amount",
         f"SELECT _row FROM {S('incentive_tiers')} WHERE amount IS NULL AND (currency IS NOT NULL OR amount_type IS NOT NULL)",
         lambda: "currency or amount_type given without an amount"),
    Rule("incentive_tiers", "converted_currency",
         f"SELECT _row FROM {S('incentive_tiers')} WHERE (converted_amount IS NULL) <> (converted_currency IS NULL)",
         lambda: "converted_amount and converted_currency go together"),
    Rule("incentive_tiers", "currency",
         f"SELECT t._row, t.currency, m.unit FROM {S('incentive_tiers')} t JOIN {S('incentives')} i ON i.id = t.incentive "
         f"JOIN {S('metrics')} m ON m.id = i.metric WHERE t.amount IS NOT NULL AND t.currency IS DISTINCT FROM m.unit",
         lambda cur, unit: f"'{cur}' does not match the unit '{unit}' of the incentive's metric"),
    Rule("incentive_tiers", "amount",
         f"SELECT t._row FROM {S('incentive_tiers')} t JOIN {S('incentives')} i ON i.id = t.incentive "
         f"WHERE NOT i.quantified AND t.amount IS NOT NULL",
         lambda: "an incentive marked quantified: false cannot state an amount"),
    Rule("incentive_tiers", "amount",
         f"SELECT t._row, i.benefit FROM {S('incentive_tiers')} t JOIN {S('incentives')} i ON i.id = t.incentive "
         f"WHERE i.quantified AND i.benefit IN ('cash', 'subsidy', 'grant') AND t.amount IS NULL AND t.share_of IS NULL",
         lambda benefit: f"a quantified {benefit} needs an amount or a share of a cost (or mark the incentive "
                         "quantified: false)"),
    Rule("incentive_tiers", "amount",
         f"""SELECT _row, amount, prev FROM (
                SELECT t._row, t.amount, lag(t.amount) OVER (PARTITION BY t.incentive ORDER BY t.tier_no) AS prev
                FROM {S('incentive_tiers')} t JOIN {S('incentives')} i ON i.id = t.incentive
                WHERE i.tier_mode = 'highest' AND t.amount IS NOT NULL)
             WHERE amount < prev""",
         lambda amount, prev: f"tiers out of order: {_n(amount)} is less than the previous tier's {_n(prev)}; list tiers from lowest to highest"),
    Rule("tier_conditions", "value",
         f"""SELECT _row, field, value, prev FROM (
                SELECT c._row, c.field, c.value,
                       lag(c.value) OVER (PARTITION BY c.incentive, c.field ORDER BY c.tier_no) AS prev
                FROM {S('tier_conditions')} c JOIN {S('incentives')} i ON i.id = c.incentive
                WHERE i.tier_mode = 'highest' AND c.value IS NOT NULL)
             WHERE value < prev""",
         lambda field, value, prev: f"tiers out of order: {field} threshold {_n(value)} is below the previous tier's {_n(prev)}; list tiers from lowest to highest"),
    Rule("tier_conditions", "comparator",
         f"SELECT _row, field FROM {S('tier_conditions')} WHERE field IN {NUMERIC_FIELDS} AND comparator IS NULL",
         lambda field: f"a {field} condition needs a comparator (more_than or at_least, as the source words it)"),
    Rule("tier_conditions", "value",
         f"SELECT _row, field FROM {S('tier_conditions')} WHERE field IN {NUMERIC_FIELDS} AND value IS NULL",
         lambda field: f"a {field} condition needs a threshold value"),
    Rule("tier_conditions", "unit",
         f"SELECT _row, field FROM {S('tier_conditions')} WHERE field IN {MONEY_FIELDS} AND unit IS NULL",
         lambda field: f"a {field} condition needs a currency unit (CNY or USD)"),
    Rule("tier_conditions", "unit",
         f"SELECT _row, field, unit FROM {S('tier_conditions')} WHERE unit IS NOT NULL AND "
         f"((field IN {MONEY_FIELDS} AND unit NOT IN ('CNY', 'USD')) OR unit <> {COUNT_UNIT_CASE} "
         f"OR field NOT IN {NUMERIC_FIELDS})",
         lambda field, unit: f"unit '{unit}' does not fit a {field} condition"),
    Rule("tier_conditions", "unit",
         f"SELECT _row, field, {COUNT_UNIT_CASE} FROM {S('tier_conditions')} WHERE {COUNT_UNIT_CASE} IS NOT NULL "
         "AND unit IS NULL",
         lambda field, unit: f"a {field} condition needs its unit ({unit})"),
    Rule("tier_conditions", "comparator",
         f"SELECT _row, field FROM {S('tier_conditions')} WHERE field NOT IN {NUMERIC_FIELDS} "
         f"AND (comparator IS NOT NULL OR value IS NOT NULL)",
         lambda field: f"a {field} condition is a yes/no requirement; it takes no comparator or value"),
    Rule("tier_conditions", "listed_on",
         f"SELECT _row FROM {S('tier_conditions')} WHERE field = 'listing' AND listed_on IS NULL",
         lambda: "a listing condition names the market: domestic or overseas"),
    Rule("tier_conditions", "listed_on",
         f"SELECT _row, field FROM {S('tier_conditions')} WHERE field IS DISTINCT FROM 'listing' AND listed_on IS NOT NULL",
         lambda field: f"only a listing condition has listed_on; this one is on {field}"),
    # Shares of a cost: the amount, if any, is the share's cap; a schedule of shares needs the cost.
    Rule("incentive_tiers", "share_of",
         f"SELECT _row FROM {S('incentive_tiers')} WHERE share IS NOT NULL AND share_of IS NULL",
         lambda: "a share needs share_of: the cost it is a percentage of"),
    Rule("incentive_tiers", "amount_type",
         f"SELECT _row FROM {S('incentive_tiers')} WHERE share_of IS NOT NULL AND amount IS NOT NULL "
         "AND amount_type IS DISTINCT FROM 'up_to'",
         lambda: "the amount of a share of a cost is its cap: amount_type up_to"),
    Rule("incentive_tiers", "share",
         f"SELECT t._row FROM {S('incentive_tiers')} t WHERE t.share IS NOT NULL AND EXISTS "
         f"(SELECT 1 FROM {S('tier_steps')} st WHERE st.incentive = t.incentive AND st.tier_no = t.tier_no)",
         lambda: "give either one share or steps of shares over the years, not both"),
    Rule("tier_steps", "share",
         f"SELECT st._row FROM {S('tier_steps')} st JOIN {S('incentive_tiers')} t "
         "ON t.incentive = st.incentive AND t.tier_no = st.tier_no WHERE t.share_of IS NULL",
         lambda: "steps of shares need the tier's share_of (the cost they are shares of)"),
    Rule("tier_steps", "to_year",
         f"""SELECT _row, to_year, prev FROM (
                SELECT _row, to_year, lag(to_year) OVER (PARTITION BY incentive, tier_no ORDER BY step_no) AS prev
                FROM {S('tier_steps')}) WHERE to_year <= prev""",
         lambda year, prev: f"year {year} is already covered by the step before (to year {prev}); list steps in order"),
    Rule("targets", "value_high",
         f"SELECT _row, value, value_high FROM {S('targets')} WHERE value_high IS NOT NULL AND "
         "(value IS NULL OR value_high <= value)",
         lambda low, high: "the top of a range needs a value below it" if low is None
                           else f"the top of the range ({_n(high)}) is not above its bottom ({_n(low)})"),
    Rule("targets", "deadline_wording",
         f"SELECT _row FROM {S('targets')} WHERE deadline_wording IS NOT NULL AND deadline IS NOT NULL "
         "AND deadline_inferred_from IS NULL",
         lambda: "a deadline in words is for a target without a dated deadline; keep the source's words in "
                 "wording or note instead"),
    Rule("policies", "follows_inferred_from",
         f"SELECT _row FROM {S('policies')} WHERE follows_inferred_from IS NOT NULL AND follows IS NULL",
         lambda: "says what a succession was inferred from, but the policy follows nothing"),
    Rule("policies", "follows", f"SELECT _row FROM {S('policies')} WHERE follows = id",
         lambda: "a policy cannot follow itself"),
    Rule("policies", "follows", _loops("policies", "follows", longer_than=1),  # itself: the rule above
         lambda id_: f"'{id_}' would follow itself through the plans it follows (the chain loops)"),
    # dates as precise as their source: 2025 does not end before 2025-03 (compared at the coarser one)
    Rule("policies", "expires", f"SELECT _row, effective, expires FROM {S('policies')} WHERE "
                                "left(expires, least(length(expires), length(effective))) "
                                "< left(effective, least(length(expires), length(effective)))",
         lambda a, b: f"expires ({b}) before it takes effect ({a})"),
    Rule("incentives", "exchange_rate",
         f"SELECT DISTINCT i._row FROM {S('incentives')} i WHERE i.exchange_rate IS NULL AND ("
         f"EXISTS (SELECT 1 FROM {S('tier_conditions')} c WHERE c.incentive = i.id AND c.unit = 'USD') OR "
         f"EXISTS (SELECT 1 FROM {S('incentive_tiers')} t WHERE t.incentive = i.id AND t.currency = 'USD'))",
         lambda: "US dollar figures need an exchange_rate (the rate stated by a source) so amounts can be compared"),
    Rule("incentives", "recipients", f"SELECT _row FROM {S('incentives')} WHERE len(recipients) = 0",
         lambda: "name at least one recipient: streamer, mcn, platform or company"),
    Rule("incentives", "alternative_to", f"SELECT _row FROM {S('incentives')} WHERE alternative_to = id",
         lambda: "an incentive cannot be an alternative report of itself"),
    Rule("incentives", "alternative_to",
         f"SELECT i._row, a.id FROM {S('incentives')} i JOIN {S('incentives')} a ON a.id = i.alternative_to "
         f"WHERE a.alternative_to IS NOT NULL",
         lambda other: f"'{other}' is itself an alternative report; point at the preferred one"),
    Rule("incentives", "alternative_to",
         f"SELECT i._row, a.jurisdiction FROM {S('incentives')} i JOIN {S('incentives')} a ON a.id = i.alternative_to "
         f"WHERE a.jurisdiction IS DISTINCT FROM i.jurisdiction",
         lambda other: f"an alternative report must be for the same place ('{other}')"),
    Rule("conflicts", "members",
         f"SELECT c._row, count(m.member) FROM {S('conflicts')} c LEFT JOIN {S('conflict_members')} m ON m.conflict = c.id "
         f"GROUP BY c._row HAVING count(m.member) < 2",
         lambda n: f"a conflict needs at least two records that disagree (has {n})"),
    Rule("conflict_members", "member",
         f"SELECT _row, member FROM (SELECT _row, member, row_number() OVER (PARTITION BY conflict, member ORDER BY _row) AS n "
         f"FROM {S('conflict_members')}) WHERE n > 1",
         lambda member: f"'{member}' is listed twice"),
    Rule("conflicts", "preferred",
         f"SELECT c._row, c.preferred FROM {S('conflicts')} c WHERE c.preferred IS NOT NULL AND NOT EXISTS "
         f"(SELECT 1 FROM {S('conflict_members')} m WHERE m.conflict = c.id AND m.member = c.preferred)",
         lambda pref: f"'{pref}' is not one of the conflict's members"),
]


def rule_violations(con) -> list[Violation]:
    out = []
    for rule in RULES:
        for row, *extra in con.execute(rule.sql).fetchall():
            out.append(Violation(rule.table, row, rule.column, rule.message(*extra), depends=rule.depends))
    return out


# ---------------------------------------------------------------------------------------------


def to_problems(ds: Dataset, violations: list[Violation]) -> list[Problem]:
    problems = []
    for v in violations:
        if (v.row, v.column) in ds.reported or any((v.row, d) in ds.reported for d in v.depends):
            continue
        origin = ds.origins[v.row]
        message = v.message
        if isinstance(v.bad_value, tuple) and v.bad_value[:1] == ("first",):
            first_pos, _ = ds.origins[v.bad_value[1]].locate(v.column)
            message += f" (first defined at line {first_pos[0]})"
            pos, path = origin.locate(v.column)
        else:
            pos, path = origin.locate(v.column, v.bad_value)
        if message == "required field is missing" and isinstance(origin.mapping, dict) and v.column in origin.mapping:
            message = "must not be empty"
        problems.append(Problem(ds.filename, pos[0], pos[1], path, message))
    return problems


def check(con, ds: Dataset) -> list[Problem]:
    """Stage the rows and return every problem: Python's type checks plus the database's."""
    stage(con, ds)
    violations = catalog_violations(con) + rule_violations(con)
    return sorted(set(ds.problems + to_problems(ds, violations)))
