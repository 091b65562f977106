"""YAML dataset -> typed rows, one list per database table, each row traceable to its YAML spot.

This module checks what only Python can see in the YAML: the shape of each entry, unknown
fields, and the type and format of each value. Everything expressible as a database rule
(required fields, enumerations, references, duplicate ids, value ranges) is left to the
constraints in schema.sql, which :mod:`lstui.core.validate` runs against these rows.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from typing import Callable

from lstui.core.errors import Problem
from lstui.core.suggest import did_you_mean
from lstui.core.vocab import SECTIONS, TABLE_ORDER
from lstui.core.yamlpos import PosDict, PosList

ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
LOCATOR_RE = re.compile(r"paras? \d+(?:(?:-|, ?)\d+)*\Z")
URL_RE = re.compile(r"https?://[^\s]+\Z")
SHA256_RE = re.compile(r"[0-9a-f]{64}\Z")
PDATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")
INT_MAX = 2**31 - 1


class Bad(ValueError):
    """A value of the wrong type or format; the message says what was expected."""


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (PosDict, dict)):
        return "a mapping"
    if isinstance(value, (PosList, list)):
        return "a list"
    if isinstance(value, int) and len(str(abs(value))) > 24:
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"the date {value}"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def as_text(value):
    if not isinstance(value, str):
        raise Bad(f"expected text, got {_describe(value)}")
    if not value.strip():
        raise Bad("must not be empty")
    return value


def as_id(value):
    value = as_text(value)
    if not ID_RE.match(value):
        raise Bad(f"'{value}' is not a valid id (use lowercase letters, digits, '-', '_' or '.')")
    return value


def as_int(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad(f"expected a whole number, got {_describe(value)}")
    if abs(value) > INT_MAX:
        raise Bad(f"{value} is out of range")
    return value


def as_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = " (write numbers without quotes or units, e.g. 300_000_000_000)" if isinstance(value, str) else ""
        raise Bad(f"expected a number, got {_describe(value)}{hint}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or abs(number) > 1e18:
        raise Bad(f"{_describe(value)} is not a usable number (at most 1e18)")
    return number


def as_bool(value):
    if not isinstance(value, bool):
        raise Bad(f"expected true or false, got {_describe(value)}")
    return value


def as_pdate(value):
    """A date as precise as the source: 2020, '2020-06' or 2020-06-20."""
    if isinstance(value, _dt.datetime):
        raise Bad("expected a date without a time of day")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise Bad(f"expected a date like 2020, 2020-06 or 2020-06-20, got {_describe(value)}")
    match = PDATE_RE.match(value)
    if not match:
        raise Bad(f"'{value}' is not a date like 2020, 2020-06 or 2020-06-20")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        _dt.date(year, month or 1, day or 1)
    except ValueError:
        raise Bad(f"'{value}' is not a real date") from None
    if not 1900 <= year <= 2100:
        raise Bad(f"year {year} is out of range")
    return value


def _pattern(regex: re.Pattern, what: str) -> Callable:
    def check(value):
        value = as_text(value)
        if not regex.match(value):
            raise Bad(f"'{value}' is not {what}")
        return value

    return check


as_locator = _pattern(LOCATOR_RE, "a locator like 'para 12', 'paras 12-13' or 'paras 6, 23'")
as_url = _pattern(URL_RE, "an http(s) URL")
as_sha256 = _pattern(SHA256_RE, "a lowercase hex SHA-256 digest")


def list_of(item: Callable) -> Callable:
    def check(value):
        if not isinstance(value, list):
            raise Bad(f"expected a list, got {_describe(value)}")
        return [item(v) for v in value]

    return check


TEXT, ID, INT, NUM, BOOL, PDATE = as_text, as_id, as_int, as_number, as_bool, as_pdate
REF = ENUM = as_id  # existence and membership are checked by the database
ENUMS = list_of(as_text)  # each item is checked against its ENUM by the database
CITE = {"source": REF, "locator": as_locator}

SOURCE_FIELDS = {"id": ID, "publisher": TEXT, "title": TEXT, "published": PDATE, "date_note": TEXT,
                 "language": TEXT, "url": as_url, "original_url": as_url, "paragraphs": INT,
                 "archive_sha256": as_sha256, "note": TEXT, "kind": TEXT, "opening_only": BOOL,
                 "original_publisher": TEXT, "reprint_of": REF, "translation_of": REF, "reports": REF}
SOURCE_DEFAULTS = {"opening_only": False}  # an archived text is the whole page unless it says so
METRIC_FIELDS = {"id": ID, "label": TEXT, "unit": TEXT, "definition": TEXT}
JURISDICTION_FIELDS = {"id": ID, "name_en": TEXT, "name_zh": TEXT, "pinyin": TEXT, "level": TEXT,
                       "parent": REF, "aliases": list_of(as_text), "note": TEXT}
RATE_FIELDS = {"id": ID, **CITE, "cny": NUM, "usd": NUM, "note": TEXT}
POLICY_FIELDS = {"id": ID, "jurisdiction": REF, "name_en": TEXT, "name_zh": TEXT, "kind": TEXT,
                 "issued": PDATE, "issued_by": TEXT, "period_start": INT, "period_end": INT,
                 **CITE, "note": TEXT, "doc_number": TEXT, "effective": PDATE, "expires": PDATE,
                 "draft": BOOL, "follows": REF, "follows_inferred_from": TEXT}
POLICY_DEFAULTS = {"draft": False}
EVENT_FIELDS = {"id": ID, "jurisdiction": REF, "name": TEXT, "date": PDATE, "end_date": PDATE,
                "policy": REF, **CITE, "note": TEXT}
TARGET_FIELDS = {"id": ID, "jurisdiction": REF, "policy": REF, "metric": REF, "subject": TEXT,
                 "value": NUM, "unit": TEXT, "comparator": TEXT, "wording": TEXT, "deadline": PDATE,
                 "deadline_inferred_from": TEXT, "period": TEXT, "converted_value": NUM, "converted_unit": TEXT,
                 **CITE, "note": TEXT, "increment": BOOL, "span": TEXT, "value_high": NUM, "deadline_wording": TEXT}
TARGET_DEFAULTS = {"increment": False}
STATISTIC_FIELDS = {"id": ID, "jurisdiction": REF, "metric": REF, "subject": TEXT, "value": NUM,
                    "unit": TEXT, "comparator": TEXT, "wording": TEXT, "period": TEXT,
                    "period_start": PDATE, "period_end": PDATE, "reported_on": PDATE,
                    "reported_by": TEXT, "basis": TEXT, "event": REF, "policy": REF,
                    "converted_value": NUM, "converted_unit": TEXT, **CITE, "note": TEXT}
INCENTIVE_FIELDS = {"id": ID, "jurisdiction": REF, "policy": REF, "name": TEXT, "metric": REF,
                    "recipients": ENUMS, "benefit": TEXT, "quantified": BOOL, "tier_mode": TEXT,
                    "covers_subdivisions": BOOL, "alternative_to": REF, "exchange_rate": REF,
                    **CITE, "note": TEXT}
TIER_FIELDS = {"amount": NUM, "currency": TEXT, "amount_type": TEXT, "converted_amount": NUM,
               "converted_currency": TEXT, "description": TEXT, "share": NUM, "share_of": TEXT, "per": TEXT,
               "years": NUM, "level": TEXT}
STEP_FIELDS = {"to_year": INT, "share": NUM}
CONDITION_FIELDS = {"field": TEXT, "comparator": TEXT, "value": NUM, "unit": TEXT, "wording": TEXT,
                    "listed_on": TEXT}
CONFLICT_FIELDS = {"id": ID, "aspects": ENUMS, "preferred": REF, "summary": TEXT, "resolution": TEXT,
                   "kind": TEXT}
CONFLICT_DEFAULTS = {"kind": "disagreement"}

# Defaults applied when a field is left out.
INCENTIVE_DEFAULTS = {"quantified": True, "tier_mode": "highest", "covers_subdivisions": False}



@dataclass
class Origin:
    """Where a row came from: the YAML mapping, its field path, and per-column overrides."""

    mapping: PosDict
    path: str
    overrides: dict = field(default_factory=dict)  # column -> (pos, path)

    def locate(self, column: str, bad_value=None) -> tuple[tuple[int, int], str]:
        if column in self.overrides:
            return self.overrides[column]
        value = self.mapping.get(column) if isinstance(self.mapping, dict) else None
        if isinstance(value, PosList) and bad_value is not None:
            for i, item in enumerate(value):
                if item == bad_value:
                    return value.where(i), f"{self.path}.{column}[{i}]"
        pos = self.mapping.where(column) if column in self.mapping else self.mapping.pos
        return pos, f"{self.path}.{column}"


@dataclass
class Dataset:
    """Rows per table (column -> value, plus `_row`), with the origin of every row."""

    filename: str
    tables: dict[str, list[dict]] = field(default_factory=dict)
    origins: list[Origin] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reported: set[tuple[int, str]] = field(default_factory=set)
    # Where the loader reported a problem: a value found empty there is one it could not read
    # (a refused tag or number form, an impossible date), already reported, not a missing one.
    unreadable: set[tuple[int, int]] = field(default_factory=set)

    def add_row(self, table: str, row: dict, origin: Origin, quiet: tuple = ()) -> dict:
        """Append a row; columns in `quiet` were already reported and are not checked again."""
        row["_row"] = len(self.origins)
        self.origins.append(origin)
        self.tables.setdefault(table, []).append(row)
        for column in quiet:
            self.reported.add((row["_row"], column))
        return row

    def problem_at(self, pos, path: str, message: str) -> None:
        self.problems.append(Problem(self.filename, pos[0], pos[1], path, message))


class _Reader:
    def __init__(self, dataset: Dataset):
        self.ds = dataset
        # Policies, events, incentives, targets and statistics share one space of ids (other
        # reports of any of them are kept by id): the first section that used each id.
        self.record_ids: dict[str, tuple[str, str]] = {}

    def claim_id(self, section: str, row: dict, item: PosDict, path: str) -> None:
        """Report a policy id that a fact record also uses, or the other way round (repeats among
        policies, or among records, are reported by the database's own unique keys)."""
        rid = row.get("id")
        if not isinstance(rid, str):
            return
        first = self.record_ids.setdefault(rid, (section, path))
        if (first[0] == "policies") != (section == "policies"):
            self.ds.problem_at(item.where("id"), f"{path}.id",
                               f"duplicate id '{rid}': {first[1]} already uses it (ids are shared by policies, "
                               "events, incentives, targets and statistics)")

    def entry(self, value, pos, path: str) -> PosDict | None:
        if not isinstance(value, PosDict):
            self.ds.problem_at(pos, path, f"each entry must be a mapping of field: value, got {_describe(value)}")
            return None
        return value

    def fields(self, item: PosDict, path: str, spec: dict, defaults: dict | None = None,
               extra: tuple = ()) -> tuple[dict, Origin]:
        """Type-check `item` against `spec`; return the row (bad values become None)."""
        origin = Origin(item, path)
        row: dict = {}
        for key in item:
            if key not in spec and key not in extra:
                hint = did_you_mean(key, [*spec, *extra], after_semicolon=True)
                self.ds.problem_at(item.keypos[key], f"{path}.{key}", f"unknown field '{key}'{hint}")
        for column, check in spec.items():
            value = item.get(column, (defaults or {}).get(column))
            if value is None:
                row[column] = None
                if self.ds.unreadable and item.valpos.get(column) in self.ds.unreadable:
                    self.ds.reported.add((len(self.ds.origins), column))
                continue
            try:
                row[column] = check(value)
            except Bad as exc:
                row[column] = None
                self.ds.reported.add((len(self.ds.origins), column))
                self.ds.problem_at(item.where(column), f"{path}.{column}", str(exc))
        return row, origin

    def section(self, root: PosDict, name: str) -> list[tuple[PosDict, str]]:
        value = root.get(name)
        if value is None:
            return []
        if not isinstance(value, PosList):
            self.ds.problem_at(root.where(name), name, f"expected a list of entries, got {_describe(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            entry = self.entry(item, value.where(i), f"{name}[{i}]")
            if entry is not None:
                out.append((entry, f"{name}[{i}]"))
        return out

    def simple(self, root: PosDict, name: str, spec: dict, extra: tuple = (),
               defaults: dict | None = None) -> list[tuple[dict, PosDict, str]]:
        rows = []
        for item, path in self.section(root, name):
            row, origin = self.fields(item, path, spec, defaults, extra=extra)
            self.ds.add_row(name, row, origin)
            rows.append((row, item, path))
        return rows

    def entries(self, item: PosDict, key: str, path: str, what: str):
        """(number, path, mapping) for each item of the list at `key`; problems for what is not one."""
        items = item.get(key)
        if items is None:
            return
        if not isinstance(items, PosList):
            self.ds.problem_at(item.where(key), f"{path}.{key}", f"expected a list of {what}, got {_describe(items)}")
            return
        for i, entry in enumerate(items):
            epath = f"{path}.{key}[{i}]"
            entry = self.entry(entry, items.where(i), epath)
            if entry is not None:
                yield i, epath, entry

    def mentions(self, record_id, item: PosDict, path: str) -> None:
        for i, cpath, cite in self.entries(item, "also_reported", path, "{source, locator}"):
            row, origin = self.fields(cite, cpath, CITE)
            row.update(record_id=record_id, position=i + 1)
            self.ds.add_row("mentions", row, origin, quiet=("record_id",) if record_id is None else ())

    def record(self, kind: str, row: dict, item: PosDict, path: str) -> None:
        self.claim_id(kind, row, item, path)
        if row["id"] is not None:  # a missing id is reported once, on the record itself
            self.ds.add_row("records", {"id": row["id"], "kind": kind}, Origin(item, path))


def _read_incentive(reader: _Reader, item: PosDict, path: str) -> None:
    ds = reader.ds
    row, origin = reader.fields(item, path, INCENTIVE_FIELDS, INCENTIVE_DEFAULTS,
                                extra=("tiers", "also_reported"))
    ds.add_row("incentives", row, origin)
    reader.record("incentive", row, item, path)
    reader.mentions(row["id"], item, path)
    quiet = ("incentive",) if row["id"] is None else ()
    tiers = item.get("tiers")
    if tiers is None:
        # An incentive without tiers is one unconditional tier whose size is not stated.
        ds.add_row("incentive_tiers", {**dict.fromkeys(TIER_FIELDS), "incentive": row["id"], "tier_no": 1},
                   Origin(item, path), quiet=quiet)
        return
    if not isinstance(tiers, PosList) or not tiers:
        ds.problem_at(item.where("tiers"), f"{path}.tiers", f"expected a non-empty list of tiers, got {_describe(tiers)}")
        return
    for t, tier in enumerate(tiers):
        tpath = f"{path}.tiers[{t}]"
        tier = reader.entry(tier, tiers.where(t), tpath)
        if tier is None:
            continue
        trow, torigin = reader.fields(tier, tpath, TIER_FIELDS, extra=("conditions", "steps"))
        trow.update(incentive=row["id"], tier_no=t + 1)
        ds.add_row("incentive_tiers", trow, torigin, quiet=quiet)
        _read_conditions(reader, tier, tpath, row["id"], t + 1)
        for s, spath, step in reader.entries(tier, "steps", tpath, "steps {to_year, share}"):
            srow, sorigin = reader.fields(step, spath, STEP_FIELDS)
            srow.update(incentive=row["id"], tier_no=t + 1, step_no=s + 1)
            ds.add_row("tier_steps", srow, sorigin, quiet=quiet)


def _read_conditions(reader: _Reader, tier: PosDict, tpath: str, incentive_id, tier_no: int) -> None:
    for c, cpath, cond in reader.entries(tier, "conditions", tpath, "conditions"):
        crow, corigin = reader.fields(cond, cpath, CONDITION_FIELDS)
        crow.update(incentive=incentive_id, tier_no=tier_no, cond_no=c + 1)
        reader.ds.add_row("tier_conditions", crow, corigin, quiet=("incentive",) if incentive_id is None else ())


def _read_conflict(reader: _Reader, item: PosDict, path: str) -> None:
    ds = reader.ds
    row, origin = reader.fields(item, path, CONFLICT_FIELDS, CONFLICT_DEFAULTS, extra=("members",))
    ds.add_row("conflicts", row, origin)
    members = item.get("members")
    if not isinstance(members, PosList):
        ds.problem_at(item.where("members"), f"{path}.members",
                      "expected a list of the ids of the records that disagree" if members is None
                      else f"expected a list of record ids, got {_describe(members)}")
        return
    for m, member in enumerate(members):
        mpath = f"{path}.members[{m}]"
        if member is None and members.where(m) in ds.unreadable:
            continue
        morigin = Origin(item, path, {"member": (members.where(m), mpath)})
        try:
            value = as_id(member)
        except Bad as exc:
            ds.problem_at(members.where(m), mpath, str(exc))
            continue
        ds.add_row("conflict_members", {"conflict": row["id"], "position": m + 1, "member": value}, morigin,
                   quiet=("conflict",) if row["id"] is None else ())


def read(root, filename: str, problems: list[Problem] | None = None) -> Dataset:
    """Turn the parsed YAML into typed rows; type problems are collected, not raised."""
    problems = list(problems or [])
    ds = Dataset(filename, problems=problems, unreadable={(p.line, p.col) for p in problems})
    for table in TABLE_ORDER:
        ds.tables[table] = []
    if not isinstance(root, PosDict):
        pos = getattr(root, "pos", (1, 1))
        ds.problem_at(pos, "file", f"expected a mapping with the sections {', '.join(SECTIONS)}; got {_describe(root)}")
        return ds
    for key in root:
        if key not in SECTIONS:
            hint = did_you_mean(key, SECTIONS, after_semicolon=True)
            ds.problem_at(root.keypos[key], key, f"unknown section '{key}'{hint}")
    for name in ("sources", "jurisdictions", "metrics"):
        if not root.get(name):
            ds.problem_at(root.pos, name, f"the '{name}' section is missing or empty")
    reader = _Reader(ds)
    reader.simple(root, "sources", SOURCE_FIELDS, defaults=SOURCE_DEFAULTS)
    reader.simple(root, "metrics", METRIC_FIELDS)
    reader.simple(root, "jurisdictions", JURISDICTION_FIELDS)
    reader.simple(root, "exchange_rates", RATE_FIELDS)
    for row, item, path in reader.simple(root, "policies", POLICY_FIELDS, extra=("also_reported",),
                                         defaults=POLICY_DEFAULTS):
        reader.claim_id("policies", row, item, path)
        reader.mentions(row["id"], item, path)
    for row, item, path in reader.simple(root, "events", EVENT_FIELDS, extra=("also_reported",)):
        reader.record("event", row, item, path)
        reader.mentions(row["id"], item, path)
    for kind, name, spec, defaults in (("target", "targets", TARGET_FIELDS, TARGET_DEFAULTS),
                                       ("statistic", "statistics", STATISTIC_FIELDS, None)):
        for row, item, path in reader.simple(root, name, spec, defaults=defaults):
            reader.record(kind, row, item, path)
    for item, path in reader.section(root, "incentives"):
        _read_incentive(reader, item, path)
    for item, path in reader.section(root, "conflicts"):
        _read_conflict(reader, item, path)
    return ds
