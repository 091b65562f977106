"""Named, parameterised queries over the public views; user text only ever binds as a parameter.

DuckDB itself is imported where a connection is made, so that the terminal app can paint its
first screen before paying for that import.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from lstui.core.db import connect_readonly
from lstui.core.errors import LstuiError
from lstui.core.models import (CompareCell, CompareRow, Condition, Conflict, Fact, Incentive, Place,
                               PlaceDetail, PlaceRow, PlaceTotal, Policy, Ranked, Rate, Source, Tier)
from lstui.core.search import parse_query, search_key
from lstui.core.vocab import LEVELS

READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}


@contextmanager
def open_db(db_path: Path):
    """A short-lived read-only connection, closed (and the file released) on exit."""
    con = connect_readonly(db_path)
    try:
        yield con
    finally:
        con.close()


# ------------------------------------------------------------------------------------ places

PLACE_COLUMNS = "id, name_en, name_zh, pinyin, level, parent_id, province_en, path_en"


def place(con, place_id: str) -> Place:
    row = con.execute(f"SELECT {PLACE_COLUMNS}, ancestor_ids FROM jurisdictions WHERE id = ?",
                      [place_id]).fetchone()
    if row is None:
        raise LstuiError(f"no place with id '{place_id}'")
    return Place(*row[:-1], ancestors=tuple(row[-1] or ()))


def all_places(con, ids: list[str] | None = None) -> dict[str, Place]:
    """Places by id (all of them, or those in `ids`), each with its ancestors, nearest first."""
    rows = con.execute(f"SELECT {PLACE_COLUMNS}, ancestor_ids FROM jurisdictions"
                       " WHERE $ids IS NULL OR list_contains($ids, id)", {"ids": ids}).fetchall()
    return {r[0]: Place(*r[:-1], ancestors=tuple(r[-1])) for r in rows}


PLACE_ROW_COLUMNS = ("id, name_en, name_zh, pinyin, level, province_en, n_targets, n_incentives, "
                     "n_inherited_incentives, sales_target, sales_target_comparator, sales_target_deadline, "
                     "top_individual_incentive, top_individual_amount_type, money_for_individuals, money_for_companies, "
                     "sales_target_cny_per_usd, top_individual_cny_per_usd, sales_target_period")
SORTS = {
    "name": "name_en",
    "level": "level_rank, name_en",
    "targets": "n_targets DESC, name_en",
    "sales": "sales_target DESC NULLS LAST, name_en",
    "incentive": "top_individual_incentive DESC NULLS LAST, name_en",
    "province": "province_en NULLS FIRST, level_rank, name_en",
    "match": "level_rank, name_en",  # with a search text: best matches first (see search_places)
}
def search_places(con, text: str = "", province: str | None = None, level: str | None = None,
                  has_incentives: bool = False, money_for=None, sort: str = "province",
                  limit: int | None = None, offset: int = 0) -> list[PlaceRow]:
    """The Cities list, filtered and sorted by DuckDB.

    `money_for` is 'individuals', 'companies' or both (a tuple): places offering money to them.
    """
    where, params = _place_filter(text, province, level, has_incentives, money_for)
    order = SORTS.get(sort, SORTS["province"])
    params = [list(LEVELS), *params]
    key = parse_query(text).key
    if sort == "match" and key:
        # whole names first, then names that start with the text, then the rest
        order = ("NOT list_contains(search_fields, ?), "
                 "len(list_filter(search_fields, lambda f: starts_with(f, ?))) = 0, level_rank, name_en")
        params += [key, key]
    sql = (f"SELECT {PLACE_ROW_COLUMNS} FROM (SELECT *, list_position(?, level) AS level_rank FROM places) "
           f"WHERE {where} ORDER BY {order}, id")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [PlaceRow(*r) for r in con.execute(sql, params).fetchall()]


def count_places(con, text: str = "", province: str | None = None, level: str | None = None,
                 has_incentives: bool = False, money_for=None) -> int:
    where, params = _place_filter(text, province, level, has_incentives, money_for)
    return con.execute(f"SELECT count(*) FROM places WHERE {where}", params).fetchone()[0]


def _place_filter(text, province, level, has_incentives, money_for) -> tuple[str, list]:
    clauses, params = ["TRUE"], []
    query = parse_query(text)
    if query.key:
        clauses.append("(contains(search_key, ?) OR len(list_filter(search_fields, lambda f: starts_with(f, ?))) > 0)")
        params += [query.key, query.key]
    for word, levels in query.level_words:
        # "district" or 区 lists districts; a name holding the word ("Eco-City") still matches
        clauses.append("(list_contains(?, level) OR contains(search_key, ?))")
        params += [list(levels), word]
    if province:
        # 'Guangdong', 'guangdong sheng', '广东' or the id all name the same province
        clauses.append("province_id IN (SELECT p.id FROM places p WHERE p.level IN ('province', 'municipality') "
                       "AND len(list_filter(p.search_fields, lambda f: starts_with(f, ?))) > 0)")
        params.append(search_key(province))
    if level:
        clauses.append("level = ?")
        params.append(level)
    if has_incentives:
        clauses.append("has_incentives")
    groups = (money_for,) if isinstance(money_for, str) else tuple(money_for or ())
    if "individuals" in groups:
        clauses.append("money_for_individuals")
    if "companies" in groups:
        clauses.append("money_for_companies")
    return " AND ".join(clauses), params


def provinces(con) -> list[str]:
    return [p for (p,) in con.execute(
        "SELECT DISTINCT province_en FROM jurisdictions WHERE province_en IS NOT NULL ORDER BY 1").fetchall()]


def find_place(con, text: str) -> Place:
    """Resolve what a user typed (id, English, 汉字 or pinyin, with or without tones) to one place.

    Raises LstuiError listing the candidates when the name is ambiguous or unknown.
    """
    return place(con, find_place_id(con, text))


def find_place_id(con, text: str) -> str:
    """The id of the one place `text` names (see find_place)."""
    key = search_key(text)
    if not key:
        raise LstuiError("name a place, e.g. huadu, 花都 or 'Huadu Qu'")
    if con.execute("SELECT 1 FROM internal.jurisdictions WHERE id = ?", [text.strip()]).fetchone():
        return text.strip()
    rows = con.execute(
        "SELECT id, name_en, name_zh, rank FROM ("
        "  SELECT id, name_en, name_zh,"
        "         CASE WHEN list_contains(search_fields, $key) THEN 0"
        "              WHEN len(list_filter(search_fields, lambda f: starts_with(f, $key))) > 0 THEN 1"
        "              WHEN contains(search_key, $key) THEN 2 END AS rank"
        "  FROM places) WHERE rank IS NOT NULL ORDER BY rank, name_en", {"key": key}).fetchall()
    if rows:
        best = [r for r in rows if r[3] == rows[0][3]]
        if len(best) == 1:
            return best[0][0]
        names = ", ".join(f"{r[0]} ({r[1]}, {r[2]})" for r in best[:8])
        raise LstuiError(f"'{text}' matches several places: {names}; be more specific or use the id")
    hints = [f"{pid} ({en}, {zh})" for pid, en, zh in suggest_places(con, text)]
    hint = f"; did you mean {', '.join(hints)}?" if hints else "; `lstui cities` lists them all"
    raise LstuiError(f"no place called '{text}'{hint}")


def suggest_places(con, text: str, n: int = 5) -> list[tuple[str, str, str]]:
    """Places whose names are close to a name that matched none: (id, English, 汉字), closest first."""
    from lstui.core.suggest import close_matches

    key = parse_query(text).key
    if not key:
        return []
    everything = con.execute("SELECT id, name_en, name_zh, search_fields FROM places ORDER BY id").fetchall()
    candidates = {f: (pid, en, zh) for pid, en, zh, fields in everything for f in fields}
    out: list[tuple[str, str, str]] = []
    for match in close_matches(key, candidates, n=3 * n):
        if candidates[match] not in out:
            out.append(candidates[match])
    return out[:n]


def place_position(con, place_id: str, text: str = "", province: str | None = None, level: str | None = None,
                   has_incentives: bool = False, money_for=None, sort: str = "province") -> int | None:
    """Where a place stands in the filtered, sorted Cities list (None if the filters leave it out)."""
    where, params = _place_filter(text, province, level, has_incentives, money_for)
    order = SORTS.get(sort, SORTS["province"])
    row = con.execute(
        f"SELECT pos FROM (SELECT id, row_number() OVER (ORDER BY {order}, id) - 1 AS pos "
        f"FROM (SELECT *, list_position(?, level) AS level_rank FROM places) WHERE {where}) WHERE id = ?",
        [list(LEVELS), *params, place_id]).fetchone()
    return row[0] if row else None


def amounts_without_rate(con) -> int:
    """Amounts in yuan or dollars that no exchange rate goes with (they stay as stated)."""
    return con.execute("SELECT count(*) FROM facts WHERE unit IN ('CNY', 'USD') AND value IS NOT NULL "
                       "AND cny_per_usd IS NULL").fetchone()[0]


# -------------------------------------------------------------------------------- incentives


def incentives(con, include_alternatives: bool = True, places: list[str] | None = None,
               ids: list[str] | None = None) -> list[Incentive]:
    """Incentives with their tiers and conditions; `places` limits them to those places' own
    measures, `ids` to those incentives."""
    rows = con.execute(
        "SELECT to_json(item)::VARCHAR FROM internal.m_incentive_docs"
        " WHERE ($places IS NULL OR list_contains($places, jurisdiction_id))"
        "   AND ($ids IS NULL OR list_contains($ids, id))"
        "   AND ($alternatives OR item.alternative_to IS NULL)"
        " ORDER BY jurisdiction_id, id",
        {"places": places, "ids": ids, "alternatives": include_alternatives}).fetchall()
    return [_incentive_from(json.loads(doc)) for (doc,) in rows]


# --------------------------------------------------------------------------------- calculator

STATUS_ORDER = ["eligible", "needs_designation", "needs_info", "unquantified", "not_eligible", "not_applicable"]

# The calculator's verdicts for every place and measure at once, so that DuckDB ranks thousands of
# places in one pass and Python words only the rows a person looks at. It follows
# lstui.core.calculator.evaluate_incentive rule for rule; tests hold the two together.
#
# Each condition gets a distance from being met: 0 met, 1 awaits an official designation,
# 2 unknown (the profile leaves it out), 3 not met. A tier is as far as its farthest condition; a
# measure is as near as its nearest tier (the highest such tier applies). The SQL is written for
# the fields a profile gives (values stay parameters), so that fields left out cost nothing.
_EARN_SQL = """
WITH covered AS (
    SELECT place_id, place_en, incentive_id, inherited FROM internal.incentive_coverage
    {where_places}
), tiers AS (
    SELECT incentive_id, name, quantified, tier_no, amount_cny, amount_usd, amount_type,
           coalesce(list_max(list_transform(conditions, lambda c: {distance})), 0) AS distance
      FROM internal.calculator_tiers
     WHERE list_contains(recipients, $role) {and_covered}
), outcome AS (
    -- one tier per measure, taken whole (arg_min over single columns would skip NULLs)
    SELECT incentive_id, name, quantified, distance, best.tier_no, best.amount_cny, best.amount_usd,
           best.amount_type FROM (
        SELECT incentive_id, any_value(name) AS name, any_value(quantified) AS quantified,
               min(distance) AS distance,
               arg_min({{'tier_no': tier_no, 'amount_cny': amount_cny, 'amount_usd': amount_usd,
                        'amount_type': amount_type}}, (distance, -tier_no)) AS best
          FROM tiers
         GROUP BY incentive_id)
), ranked AS (
    SELECT c.place_id, c.place_en, o.incentive_id, o.name, c.inherited,
           CASE WHEN NOT o.quantified THEN CASE WHEN o.distance = 3 THEN 'not_eligible' ELSE 'unquantified' END
                ELSE ['eligible', 'needs_designation', 'needs_info', 'not_eligible'][o.distance + 1] END AS status,
           CASE WHEN o.quantified AND o.distance <= 1 THEN o.tier_no END AS tier_no,
           CASE WHEN o.quantified AND o.distance <= 1 THEN o.amount_cny ELSE 0.0 END AS amount_cny,
           CASE WHEN o.quantified AND o.distance <= 1 THEN o.amount_usd ELSE 0.0 END AS amount_usd,
           CASE WHEN o.quantified AND o.distance <= 1 THEN o.amount_type END AS amount_type
      FROM covered c JOIN outcome o ON o.incentive_id = c.incentive_id
    {other_roles}
){totals}
{final}
"""
_ORDER = "list_position($statuses, status), amount_cny DESC, place_en, name, place_id, incentive_id"
_ROWS = """SELECT place_id, place_en, incentive_id, status, tier_no, amount_cny, amount_type, {places} AS places
  FROM ranked
 {where_top}
 ORDER BY """ + _ORDER
# One window of the ranking with what a summary needs. A measure that districts inherit from
# their city reads the same in each of them (a verdict depends on the profile and the measure
# only), so the app lists it once, where it comes from, with the places it also applies in; the
# counts are of measures. The place with most on offer still counts what it inherits.
_PAGE = """, measures AS (
    SELECT * FROM ranked WHERE NOT inherited
), stats AS (
    SELECT count(*) AS n, count(*) FILTER (WHERE status = 'eligible') AS eligible FROM measures
), best AS (
    SELECT place_id, place_en, certain, certain + maxima AS possible, certain_usd,
           certain_usd + maxima_usd AS possible_usd
      FROM totals
     ORDER BY possible DESC, certain DESC, place_en, place_id LIMIT 1
)
SELECT r.place_id, r.place_en, r.incentive_id, r.status, r.tier_no, r.amount_cny, r.amount_type,
       s.n, s.eligible, b.place_id, b.place_en, b.certain, b.possible, b.certain_usd, b.possible_usd,
       (SELECT list(c.place_en ORDER BY c.place_en, c.place_id) FROM covered c
         WHERE c.incentive_id = r.incentive_id AND c.inherited) AS also
  FROM stats s
  LEFT JOIN (SELECT * FROM measures ORDER BY """ + _ORDER + """ LIMIT $limit OFFSET $offset) r ON TRUE
  LEFT JOIN best b ON TRUE
 ORDER BY list_position($statuses, r.status), r.amount_cny DESC, r.place_en, r.name, r.place_id, r.incentive_id"""
_OTHER_ROLES = """UNION ALL
    SELECT c.place_id, c.place_en, i.id, i.name, c.inherited, 'not_applicable', NULL, 0.0, 0.0, NULL
      FROM covered c JOIN internal.incentives i ON i.id = c.incentive_id
     WHERE NOT list_contains(i.recipients::VARCHAR[], $role)"""
# Totals per place, in yuan and in dollars (NULL when an amount counted has no stated rate).
_TOTALS = """, totals AS (
    SELECT place_id, place_en,
           coalesce(sum(amount_cny) FILTER (WHERE status = 'eligible' AND amount_type = 'fixed'), 0) AS certain,
           coalesce(sum(amount_cny) FILTER (WHERE status IN ('eligible', 'needs_designation')
                                             AND amount_type = 'up_to'), 0) AS maxima,
           CASE WHEN count(*) FILTER (WHERE amount_usd IS NULL) = 0 THEN
               coalesce(sum(amount_usd) FILTER (WHERE status = 'eligible' AND amount_type = 'fixed'), 0) END
               AS certain_usd,
           CASE WHEN count(*) FILTER (WHERE amount_usd IS NULL) = 0 THEN
               coalesce(sum(amount_usd) FILTER (WHERE status IN ('eligible', 'needs_designation')
                                                 AND amount_type = 'up_to'), 0) END AS maxima_usd
      FROM ranked GROUP BY place_id, place_en
)"""
_TOP = """WHERE place_id IN (SELECT place_id FROM totals
                     ORDER BY certain + maxima DESC, certain DESC, place_en, place_id LIMIT $top_places)"""
MONEY_FIELDS = ("annual_sales", "valuation", "turnover")


def _threshold(value: str) -> str:
    """Distance for a numeric condition given the value in the condition's unit (NULL: unknown)."""
    return (f"CASE WHEN {value} IS NULL THEN 2 WHEN (CASE WHEN c.comparator = 'more_than' "
            f"THEN {value} > c.value ELSE {value} >= c.value END) THEN 0 ELSE 3 END")


@lru_cache(maxsize=256)
def earn_sql(places: bool, other_roles: bool, top: bool, known: tuple = (), page: bool = False) -> str:
    """The ranking query with only the parts a call needs. `known` names the profile's fields that
    are given: 'followers', ('annual_sales', currency), ..., ('new_business', True/False), ..."""
    branches = ["WHEN 'designation' THEN 1"]
    for item in known:
        field, arg = (item, None) if isinstance(item, str) else item
        if field == "followers":
            branches.append(f"WHEN 'followers' THEN {_threshold('$followers::DOUBLE')}")
        elif field in MONEY_FIELDS:
            other = "USD" if arg == "CNY" else "CNY"
            convert = "/" if arg == "CNY" else "*"  # yuan into dollars, or dollars into yuan
            value = (f"(CASE WHEN c.unit = '{arg}' THEN ${field}::DOUBLE WHEN c.unit = '{other}' "
                     f"THEN ${field}::DOUBLE {convert} cny_per_usd END)")
            branches.append(f"WHEN '{field}' THEN {_threshold(value)}")
        elif field in ("new_business", "buying_home"):
            branches.append(f"WHEN '{field}' THEN {0 if arg else 3}")
    distance = "CASE c.field " + " ".join(branches) + " ELSE 2 END"
    return _EARN_SQL.format(
        distance=distance,
        where_places="WHERE list_contains($places, place_id)" if places else "",
        and_covered="AND incentive_id IN (SELECT incentive_id FROM covered)" if places else "",
        other_roles=_OTHER_ROLES if other_roles else "",
        totals=_TOTALS if top or page else "",
        final=_PAGE if page else _ROWS.format(places="(SELECT count(*) FROM totals)" if top else "NULL",
                                              where_top=_TOP if top else ""))


class EarnRanking(NamedTuple):
    rows: list[Ranked]
    places: int  # places with at least one verdict, shown or not


def _earn_params(profile) -> tuple[dict, tuple]:
    """Query parameters for a profile, and which of its fields are given (see earn_sql)."""
    params: dict = {"role": profile.role, "statuses": STATUS_ORDER}
    known: list = []
    if profile.followers is not None:
        known.append("followers")
        params["followers"] = profile.followers
    for field in MONEY_FIELDS:
        amount = getattr(profile, field)
        if amount is not None:
            known.append((field, amount.in_currency("CNY")))
            params[field] = amount.value
    for field in ("new_business", "buying_home"):
        if getattr(profile, field) is not None:
            known.append((field, bool(getattr(profile, field))))
    return params, tuple(known)


def earn_ranking(con, profile, places: list[str] | None = None, other_roles: bool = True,
                 top_places: int | None = None) -> EarnRanking:
    """(place, measure) verdicts for `profile`, best first.

    `places` limits the places; `other_roles` False leaves out measures for other roles;
    `top_places` keeps only the rows of the places with the most on offer (as ranked_totals orders them).
    """
    params, known = _earn_params(profile)
    if places is not None:
        params["places"] = places
    if top_places is not None:
        params["top_places"] = top_places
    sql = earn_sql(places is not None, other_roles, top_places is not None, known)
    rows = con.execute(sql, params).fetchall()
    if top_places is None:
        return EarnRanking([Ranked(*row[:7]) for row in rows], len({row[0] for row in rows}))
    return EarnRanking([Ranked(*row[:7]) for row in rows], rows[0][7] if rows else 0)


class EarnPage(NamedTuple):
    rows: list[Ranked]  # measures offset .. offset + limit of the ranking (this role only)
    total: int  # measures in the whole ranking
    eligible: int
    best: PlaceTotal | None  # the place with most on offer, if any place offers anything


def earn_page(con, profile, offset: int, limit: int) -> EarnPage:
    """A window of the ranking for `profile` (measures for its role), with its summary: what the
    app's results table needs, without fetching thousands of rows it may never show."""
    params, known = _earn_params(profile)
    params.update(offset=offset, limit=limit)
    rows = con.execute(earn_sql(False, False, False, known, page=True), params).fetchall()
    total, eligible = rows[0][7], rows[0][8]
    best = PlaceTotal(*rows[0][9:15]) if rows[0][9] is not None else None
    return EarnPage([Ranked(*r[:7], also=tuple(r[15] or ())) for r in rows if r[0] is not None], total, eligible, best)


def profile_fields(con) -> dict[str, tuple[str, ...]]:
    """For each role, the profile fields that some measure for that role has a condition on."""
    rows = con.execute(
        "SELECT r.role, list(DISTINCT x.cond.field ORDER BY x.cond.field) FROM internal.calculator_tiers t, "
        "unnest(t.recipients) AS r(role), unnest(t.conditions) AS x(cond) GROUP BY r.role ORDER BY r.role").fetchall()
    return {role: tuple(fields) for role, fields in rows}


def other_role_measures(con, role: str, places: list[str]) -> int:
    """How many measures in these places are meant for other roles than `role`."""
    return con.execute(
        "SELECT count(*) FROM internal.incentive_coverage c JOIN internal.incentives i ON i.id = c.incentive_id "
        "WHERE list_contains($places, c.place_id) AND NOT list_contains(i.recipients::VARCHAR[], $role)",
        {"places": places, "role": role}).fetchone()[0]


def earn_results(con, profile, ranked: list[Ranked], display=None):
    """Full, worded results for these ranked verdicts (loading only the measures and places involved)."""
    from lstui.core.calculator import results_for
    from lstui.core.money import Display

    by_id = {i.id: i for i in incentives(con, ids=sorted({r.incentive_id for r in ranked}))}
    places = all_places(con, ids=sorted({r.place_id for r in ranked}))
    return results_for(profile, ranked, by_id, places, display=display or Display())


# ----------------------------------------------------------------------------- place detail

FACT_COLUMNS = ("f.fact_id, f.record_id, f.jurisdiction_id, f.kind, f.metric, m.label, f.subject, f.value, f.unit, "
                "f.comparator, f.comparator_wording, f.period, f.deadline, f.source_id, f.locator, f.note, "
                "f.preferred, f.has_conflict, pol.issued, f.cny_per_usd")
FACT_FROM = ("facts f LEFT JOIN internal.metrics m ON m.id = f.metric "
             "LEFT JOIN internal.policies pol ON pol.id = f.policy_id")


def facts(con, place_id: str, kind: str | None = None) -> list[Fact]:
    rows = con.execute(
        f"SELECT {FACT_COLUMNS} FROM {FACT_FROM} "
        "WHERE f.jurisdiction_id = $place AND ($kind IS NULL OR f.kind = $kind) "
        "ORDER BY coalesce(m.label, ''), f.period_start NULLS LAST, f.fact_id",
        {"place": place_id, "kind": kind}).fetchall()
    return [Fact(*r) for r in rows]


def facts_citing(con, source_id: str) -> list[tuple[Fact, str]]:
    """The figures an article supports, each with the English name of its place."""
    rows = con.execute(
        f"SELECT DISTINCT {FACT_COLUMNS}, j.name_en FROM {FACT_FROM} "
        "JOIN internal.jurisdictions j ON j.id = f.jurisdiction_id "
        "WHERE f.source_id = ? OR f.record_id IN (SELECT record_id FROM citations WHERE source_id = ?) "
        "ORDER BY j.name_en, f.kind, f.fact_id", [source_id, source_id]).fetchall()
    return [(Fact(*r[:-1]), r[-1]) for r in rows]


def policies(con, place_id: str) -> list[Policy]:
    rows = con.execute(
        "SELECT id, jurisdiction_id, name_en, name_zh, kind, issued, issued_by, period_start, period_end, "
        "source_id, locator, note FROM policies WHERE jurisdiction_id = ? ORDER BY issued NULLS LAST, id",
        [place_id]).fetchall()
    return [Policy(*r) for r in rows]


def conflicts(con, place_id: str | None = None, source_id: str | None = None) -> list[Conflict]:
    """Recorded disagreements: all, or those about a place, or those an article is party to."""
    sql = ("SELECT conflict_id, aspects, record_ids, fact_ids, source_ids, preferred_record_id, summary, resolution "
           "FROM conflicts")
    params: list = []
    if place_id is not None:
        sql += " WHERE list_contains(jurisdiction_ids, ?)"
        params.append(place_id)
    elif source_id is not None:
        sql += " WHERE list_contains(source_ids, ?)"
        params.append(source_id)
    sql += " ORDER BY conflict_id"
    return [Conflict(r[0], tuple(r[1]), tuple(r[2]), tuple(r[3]), tuple(r[4]), r[5], r[6], r[7])
            for r in con.execute(sql, params).fetchall()]


def sources(con, ids: list[str] | None = None) -> list[Source]:
    sql = "SELECT id, publisher, title, published, url, original_url, language, date_note, note FROM sources"
    params: list = []
    if ids is not None:
        sql += " WHERE list_contains(?, id)"
        params.append(list(ids))
    sql += " ORDER BY published, id"
    return [Source(*r) for r in con.execute(sql, params).fetchall()]


def _rate_from(d: dict | None) -> Rate | None:
    return Rate(d["id"], d["cny_per_usd"], d["source_id"]) if d else None


def _incentive_from(d: dict) -> Incentive:
    tiers = tuple(Tier(t["tier_no"], t["amount"], t["currency"], t["amount_type"], t["description"],
                       tuple(Condition(c["field"], c["comparator"], c["value"], c["unit"], c["wording"], c["text"])
                             for c in t["conditions"] or ())) for t in d["tiers"])
    return Incentive(d["id"], d["jurisdiction_id"], d["jurisdiction_en"], d["name"], d["metric"],
                     tuple(d["recipients"]), d["benefit"], d["quantified"], d["tier_mode"], d["covers_subdivisions"],
                     d["alternative_to"], _rate_from(d.get("rate")), d["source_id"], d["locator"], d["note"], tiers,
                     tuple(d["alternatives"] or ()))


def place_detail(con, place_id: str) -> PlaceDetail:
    """Everything about one place, from the page the build prepared for it (one lookup)."""
    row = con.execute("SELECT page FROM internal.m_place_pages WHERE id = ?", [place_id]).fetchone()
    if row is None:
        raise LstuiError(f"no place with id '{place_id}'")
    page = json.loads(row[0])
    p = page["place"]
    here = Place(p["id"], p["name_en"], p["name_zh"], p["pinyin"], p["level"], p["parent_id"], p["province_en"],
                 p["path_en"], tuple(p["ancestors"]))
    facts_ = [Fact(**f) for f in page["facts"]]
    return PlaceDetail(
        here,
        tuple(Policy(**pol) for pol in page["policies"]),
        tuple(f for f in facts_ if f.kind == "target"),
        tuple(f for f in facts_ if f.kind == "statistic"),
        tuple(f for f in facts_ if f.kind == "event"),
        tuple(_incentive_from(i) for i in page["incentives"]),
        tuple(_incentive_from(i) for i in page["inherited"]),
        tuple(Conflict(c["id"], tuple(c["aspects"]), tuple(c["record_ids"]), tuple(c["fact_ids"]),
                       tuple(c["source_ids"]), c["preferred"], c["summary"], c["resolution"]) for c in page["conflicts"]),
        tuple(Source(**src) for src in page["sources"]),
    )


# ---------------------------------------------------------------------------------- compare


def metric_ids(con) -> list[str]:
    return [m for (m,) in con.execute("SELECT id FROM metrics ORDER BY id").fetchall()]


def compare(con, place_ids: list[str], metrics: list[str] | None = None) -> list[CompareRow]:
    """Targets side by side: one row per metric that any of the places has, one cell per place."""
    if metrics:
        known = set(metric_ids(con))
        unknown = [m for m in metrics if m not in known]
        if unknown:
            import difflib

            close = difflib.get_close_matches(unknown[0], sorted(known), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else f"; known metrics: {', '.join(sorted(known))}"
            raise LstuiError(f"unknown metric '{unknown[0]}'{hint}")
    # Without --metric, only metrics with a number somewhere in the row (not bare ambitions).
    rows = con.execute(
        f"SELECT {FACT_COLUMNS}, m.unit::VARCHAR AS metric_unit FROM {FACT_FROM} "
        "WHERE f.kind = 'target' AND list_contains($places, f.jurisdiction_id) "
        "  AND (CASE WHEN $metrics IS NULL THEN f.metric IN ("
        "         SELECT metric FROM facts WHERE kind = 'target' AND value IS NOT NULL "
        "         AND list_contains($places, jurisdiction_id)) "
        "       ELSE list_contains($metrics, f.metric) END) "
        "ORDER BY m.label, f.jurisdiction_id, f.preferred DESC, f.deadline DESC NULLS LAST, f.value DESC NULLS LAST, f.fact_id",
        {"places": place_ids, "metrics": metrics or None}).fetchall()
    by_metric: dict[str, CompareRow] = {}
    for r in rows:
        fact = Fact(*r[:-1])
        row = by_metric.setdefault(fact.metric, CompareRow(fact.metric, fact.metric_label, r[-1], {}))
        cell = row.cells.get(fact.jurisdiction_id, CompareCell())
        row.cells[fact.jurisdiction_id] = CompareCell(cell.versions + (fact,))
    order = {m: i for i, m in enumerate(metrics or [])}
    return sorted(by_metric.values(), key=lambda row: (order.get(row.metric, len(order)),
                                                         row.metric == "positioning_goal", row.label))


# ------------------------------------------------------------------------------------ export

PUBLIC_VIEWS = ("jurisdictions", "places", "sources", "metrics", "policies", "facts", "conflicts",
                "incentive_rules", "incentive_conditions", "citations", "exchange_rates", "build_info")


COPY_OPTIONS = {"csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet, COMPRESSION zstd)",
                "json": "(FORMAT json, ARRAY true)"}


def export(db_path: Path, fmt: str, out_dir: Path) -> list[tuple[str, Path, int]]:
    """Write every public view with DuckDB's own COPY; returns (view, file, rows).

    All or nothing: the files are written into a private folder inside `out_dir` (the same file
    system, so a rename moves them, and no need to write beside it), then renamed into place.
    A rename replaces whatever had the name, a symlink included, and never writes through it.
    On any failure `out_dir` is left as it was, and a folder this call created is removed.
    """
    import shutil

    created = _make_folders(out_dir)
    try:
        staging = _staging_folder(out_dir)
        try:
            written = _copy_views(db_path, fmt, staging, out_dir)
            _move_into(out_dir, staging, [f"{view}.{fmt}" for view, _ in written])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        for folder in created:  # innermost first; one that is not empty stays
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    return [(view, out_dir / f"{view}.{fmt}", rows) for view, rows in written]


def _make_folders(out_dir: Path) -> list[Path]:
    """Create `out_dir` and its missing parents; returns those created, innermost first."""
    missing = []
    for folder in (out_dir, *out_dir.parents):
        if os.path.lexists(folder):
            break
        missing.append(folder)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LstuiError(f"cannot create {out_dir}: {exc.strerror or exc}") from None
    return missing


def _staging_folder(out_dir: Path) -> Path:
    import tempfile

    try:
        return Path(tempfile.mkdtemp(prefix=".lstui-export-", dir=out_dir))
    except OSError as exc:
        raise LstuiError(f"cannot write into {out_dir}: {exc.strerror or exc}") from None


def _copy_views(db_path: Path, fmt: str, folder: Path, out_dir: Path) -> list[tuple[str, int]]:
    import duckdb

    written = []
    con = connect_readonly(db_path)  # external access stays on: COPY must write the files
    try:
        for view in PUBLIC_VIEWS:
            target = folder / f"{view}.{fmt}"
            try:
                (rows,) = con.execute(f"COPY (SELECT * FROM {view}) TO $path {COPY_OPTIONS[fmt]}",
                                      {"path": str(target)}).fetchone()
            except duckdb.Error as exc:
                # named as the user will look for it, not by the private folder it was going into
                message = _message(exc).replace(str(folder), str(out_dir))
                raise LstuiError(f"cannot write {out_dir / target.name}: {message}; nothing was exported") from None
            written.append((view, rows))
    finally:
        con.close()
    return written


def _move_into(out_dir: Path, staging: Path, names: list[str]) -> None:
    """Rename the files from `staging` into `out_dir`; if one rename fails, put back what was there."""
    for name in names:
        target = out_dir / name
        if target.is_dir() and not target.is_symlink():
            raise LstuiError(f"cannot write {target}: a folder of that name is in the way; nothing was exported")
    previous = staging / "previous"  # what the new files replace, kept until all of them are in
    previous.mkdir()
    moved: list[tuple[str, bool]] = []
    try:
        for name in names:
            had = os.path.lexists(out_dir / name)
            if had:
                os.replace(out_dir / name, previous / name)
            moved.append((name, had))
            os.replace(staging / name, out_dir / name)
    except BaseException as exc:
        _put_back(out_dir, staging, previous, moved)
        if isinstance(exc, OSError):
            raise LstuiError(f"cannot move the files into {out_dir}: {exc.strerror or exc}; "
                             "nothing was exported") from None
        raise


def _put_back(out_dir: Path, staging: Path, previous: Path, moved: list[tuple[str, bool]]) -> None:
    for name, had in reversed(moved):
        try:
            if not os.path.lexists(staging / name):  # the new file went in: take it out again
                os.replace(out_dir / name, staging / name)
            if had:
                os.replace(previous / name, out_dir / name)
        except OSError:
            continue  # best effort: put back as much as can be


# ------------------------------------------------------------------------------ ad-hoc SQL


class _Token(NamedTuple):
    text: str  # as written, without the whitespace around it
    keyword: bool
    start: int  # byte offset in the UTF-8 text (DuckDB's tokenizer counts bytes)


def _tokens(text: str) -> tuple[bytes, list[_Token]]:
    """The UTF-8 bytes of `text` and its tokens other than comments, by DuckDB's own tokenizer."""
    import duckdb

    data = text.encode("utf-8")
    found = duckdb.tokenize(text)
    ends = [start for start, _ in found[1:]] + [len(data)]
    return data, [_Token(data[start:end].decode("utf-8").strip(), kind == duckdb.token_type.keyword, start)
                  for (start, kind), end in zip(found, ends) if kind != duckdb.token_type.comment]


# A statement DuckDB reports as MULTI (a PIVOT whose columns it finds first) only reads when it
# starts as a query does: SELECT and FROM cannot hold a write, unlike WITH (WITH ... INSERT).
_READING_MULTI = {"PIVOT", "PIVOT_WIDER", "UNPIVOT", "SELECT", "FROM"}


def _judge(con, statement) -> tuple[str, bool]:
    """What DuckDB will run: the statement's kind (for EXPLAIN, the explained statement's) and
    whether it stood under EXPLAIN (EXPLAIN ANALYZE runs what it explains)."""
    explained = False
    while True:
        kind = statement.type.name
        data, tokens = _tokens(statement.query)
        first = tokens[0] if tokens and tokens[0].keyword else None
        if first is None or first.text.upper() != "EXPLAIN":
            break
        statement, explained = _explained(con, data, tokens[1:]), True
    if kind == "MULTI" and first is not None and first.text.upper() in _READING_MULTI:
        kind = "SELECT"
    return kind, explained


def _explained(con, data: bytes, tokens: list[_Token]):
    """The statement after EXPLAIN [ANALYZE] [(options)]."""
    import duckdb

    if tokens and tokens[0].keyword and tokens[0].text.upper() in ("ANALYZE", "ANALYSE"):
        tokens = tokens[1:]
    starts = [tokens[0].start] if tokens else []
    if tokens and tokens[0].text == "(":  # options, as in (FORMAT json), or a statement in brackets
        depth = 0
        for i, token in enumerate(tokens):
            depth += {"(": 1, ")": -1}.get(token.text, 0)
            if depth == 0:
                starts += [tokens[i + 1].start] if i + 1 < len(tokens) else []
                break
    for start in starts:
        try:
            inner = con.extract_statements(data[start:].decode("utf-8"))
        except duckdb.Error:
            continue
        if len(inner) == 1:
            return inner[0]
    raise LstuiError("cannot tell which statement this EXPLAIN explains; it is refused")


def _statement_kinds(con, sql: str) -> list[tuple[str, bool]]:
    """(kind, under EXPLAIN) of each statement in `sql`, as _judge sees it."""
    import duckdb

    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise LstuiError(f"SQL error: {_message(exc)}") from None
    if not statements:
        raise LstuiError("no SQL statement given")
    return [_judge(con, s) for s in statements]


def _refuse_unless_reading(con, sql: str, allow_files: bool) -> None:
    allowed = {"SELECT"} | ({"COPY"} if allow_files else set())
    kinds = _statement_kinds(con, sql)
    for kind, explained in kinds:
        if kind not in allowed:
            what = kind.replace("_STATEMENT", "").replace("_", " ")
            notes = ["also under EXPLAIN"] if explained else []
            notes += ["COPY ... TO needs --allow-files"] if kind == "COPY" and not allow_files else []
            hint = f" ({'; '.join(notes)})" if notes else ""
            raise LstuiError(f"only read-only queries are allowed: {what} statements are refused{hint}")
    if len(kinds) > 1:
        # Only the last result could be shown; the others would run unseen.
        raise LstuiError(f"{len(kinds)} statements given; run them one at a time "
                         "(lstui query shows the result of one statement)")


def run_readonly_sql(db_path: Path, sql: str, allow_files: bool = False) -> tuple[list[str], list[tuple]]:
    """Run one statement of user SQL on a read-only connection and return its result.

    Only reading statements are accepted; DuckDB itself also refuses writes to a read-only
    database and, unless `allow_files`, any access to other files, extensions or settings.
    Ctrl+C stops the statement and is raised as KeyboardInterrupt.
    """
    import duckdb

    config = {} if allow_files else READ_ONLY_CONFIG
    con = connect_readonly(db_path, config=config)
    try:
        _refuse_unless_reading(con, sql, allow_files)
        try:
            return _interruptible(con, sql)
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.PermissionException as exc:
            raise LstuiError(f"refused: {_message(exc)} (use --allow-files to let a query read or write other files)") from None
        except duckdb.Error as exc:
            raise LstuiError(f"SQL error: {_message(exc)}") from None
        except OverflowError as exc:  # e.g. an INTERVAL of more days than Python's timedelta holds
            raise LstuiError(f"a value in the result does not fit Python ({exc}); CAST it to VARCHAR") from None
    finally:
        con.close()


FETCH_ROWS = 10_000  # rows converted to Python at a time, so that a stop is seen between batches


def _interruptible(con, sql: str) -> tuple[list[str], list[tuple]]:
    """Run the statement on a worker thread while this (the main) thread waits.

    Python takes Ctrl+C on the main thread only, and DuckDB running a statement there sometimes
    misses it; waiting here, the main thread always gets it, interrupts DuckDB and re-raises it.
    """
    outcome: dict = {}
    done, stop = threading.Event(), threading.Event()

    def work() -> None:
        try:
            outcome["result"] = _fetch(con, sql, stop)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread below
            outcome["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=work, name="lstui-query", daemon=True)
    worker.start()
    try:
        while not done.wait(0.1):
            pass
    except BaseException:
        stop.set()
        _stop_statement(con, done)
        raise
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _fetch(con, sql: str, stop: threading.Event) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description or []]
    rows: list[tuple] = []
    while cursor.description and not stop.is_set():
        batch = cursor.fetchmany(FETCH_ROWS)
        if not batch:
            break
        rows += batch
    return columns, rows


def _stop_statement(con, done: threading.Event) -> None:
    """Interrupt DuckDB until the worker has finished: an interrupt that comes before the
    statement has started is lost, so it is repeated. The connection is closed only after."""
    while True:
        try:
            con.interrupt()
            if done.wait(0.05):
                return
        except KeyboardInterrupt:
            pass  # pressed again: already stopping


_HINTS = ("Did you mean", "Candidate bindings")


def _message(exc: Exception) -> str:
    """DuckDB's message on one line: the first line and its hints ("Did you mean ...?"), without
    the echo of the query and its caret (the message already names what is wrong)."""
    lines = [line.strip() for line in str(exc).strip().splitlines()]
    return " ".join(lines[:1] + [line for line in lines[1:] if line.startswith(_HINTS)])
