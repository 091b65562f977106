"""The calculator's questions to the database: every measure for a role, held against a profile
and ranked in one pass; the place with most on offer; the measures shown, worded."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from lstui.core.models import PlaceTotal, Ranked
from lstui.core.queries import all_places, incentives
from lstui.core.vocab import MONEY_FIELDS, STATUSES

STATUS_ORDER = list(STATUSES)

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

