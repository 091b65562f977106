"""The calculator's questions to the database: every measure held against a profile and ranked in
one pass, the totals per place, and the rows shown with what their results list.

The rules are decided in earn.sql; this module only puts its parts together for a profile (the
query is written for the fields the profile gives; the values stay parameters) and reads the
rows into records. lstui.core.calculator words them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from lstui.core.errors import LstuiError
from lstui.core.models import PlaceTotal, Ranked, Verdict
from lstui.core.queries import all_places, incentives
from lstui.core.vocab import COUNT_FIELDS, MONEY_FIELDS, STATUSES, YES_NO_FIELDS, sql_list

STATUS_ORDER = list(STATUSES)
_SLOT = re.compile(r"\{(\w+)\}")
# The app's results table sorts by any of its columns (the keys are the columns'); each sort's
# terms come before the ranking's own order, which breaks its ties. Blanks (no amount, no next
# tier) come last whichever way a column runs. "next" is what the next tier pays, which only the
# worded rows know: that sort words every card before it takes a window.
RESULT_SORTS: dict[str, tuple[str, ...]] = {
    "place": ("lower(place.name_en)",),
    "measure": ("lower(name)",),
    "status": ("list_position($statuses, status)",),
    "amount": ("nullif(amount_cny, 0)",),
    "next": ("nullif(tiers[reached].amount_cny, 0)",),
}
WORDED_SORTS = {"next"}


def _read_parts(text: str) -> dict[str, str]:
    """The parts of earn.sql by name, without the comment lines that introduce each."""
    parts = {}
    for chunk in re.split(r"^-- name: ", text, flags=re.M)[1:]:
        name, _, body = chunk.partition("\n")
        lines = body.strip().splitlines()
        while lines and lines[0].startswith("--"):
            lines.pop(0)
        parts[name.strip()] = "\n".join(lines).strip()
    return parts


_PARTS = _read_parts((Path(__file__).resolve().parent / "earn.sql").read_text(encoding="utf-8"))


def _fill(part: str, **slots: str) -> str:
    """A part of earn.sql with these of its slots filled in (the others are left for later)."""
    return _SLOT.sub(lambda m: slots.get(m.group(1), m.group(0)), _PARTS[part])


def _query(part: str, **slots: str) -> str:
    """A whole query: every slot filled."""
    sql = _fill(part, **slots)
    left = _SLOT.search(sql)
    if left:
        raise KeyError(f"earn.sql: {part} leaves the slot {left.group(0)} unfilled")
    return sql


# ------------------------------------------------------------------------------- the query text

def _given(known: tuple) -> dict:
    """The profile's values as SQL, for the fields it gives (see _earn_params): parameters for a
    count, a sum and its currency, or a listing; TRUE or FALSE for yes/no."""
    values: dict = {}
    for item in known:
        field, arg = (item, None) if isinstance(item, str) else item
        if field in COUNT_FIELDS:
            values[field] = f"${field}::DOUBLE"
        elif field == "listing":
            values[field] = _PARTS["listing"]
        elif field in MONEY_FIELDS:
            values[field] = (f"${field}::DOUBLE", f"${field}_currency::VARCHAR")
        else:
            values[field] = "TRUE" if arg else "FALSE"
    return values


def _condition(values: dict) -> str:
    """The part `condition` for the fields in `values` (the others are unknown)."""
    counts, yes_no = [], []
    for field, value in values.items():
        if field in COUNT_FIELDS:
            counts.append(_fill("branch", field=field, value=value))
        elif field == "listing":
            yes_no.append(_fill("branch", field=field, value=value))
        elif field in MONEY_FIELDS:
            counts.append(_fill("branch", field=field, value=_fill("in_unit", value=value[0], unit=value[1])))
        else:
            yes_no.append(_fill("branch", field=field, value=_fill("yes_no", value=value)))
    value = _fill("value", branches=" ".join(counts)) if counts else "NULL::DOUBLE"
    return _fill("condition", branches=" ".join(yes_no), threshold=_fill("threshold", value=value))


def _detail(source: str) -> str:
    """The part `detail` for the rows of `source`: what their results list."""
    raised_met = _fill("threshold", value=_fill("in_unit", value="r.value", unit="r.unit")) + " = 0"
    return _fill("detail", source=source, count_needs=_PARTS["count_needs"], sum_needs=_PARTS["sum_needs"],
                 raised_met=raised_met, state=_fill("state", distance="d"), count_fields=sql_list(COUNT_FIELDS),
                 yes_no_fields=sql_list(YES_NO_FIELDS))


def _verdicts(places: bool, other_roles: bool, known: tuple) -> str:
    # every place is shown unless $places says which: then the place a measure comes from is shown
    # too (a measure applies where it comes from)
    return _fill("verdicts", condition=_condition(_given(known)),
                 shown="list_filter(places, lambda p: list_contains($places, p.id))" if places else "places",
                 home_shown="list_contains($places, jurisdiction_id)" if places else "TRUE",
                 where="" if other_roles else "WHERE coalesce(list_contains(recipients, $role), true)")


def result_sort(column: str, descending: bool = False) -> str:
    """The `sort` that orders the results by a column ('-' before its name: descending);
    LstuiError for a name that is not one of RESULT_SORTS."""
    if column not in RESULT_SORTS:
        from lstui.core.suggest import did_you_mean

        raise LstuiError(f"unknown sort column '{column}'{did_you_mean(column, RESULT_SORTS)}; "
                         f"choose one of {', '.join(RESULT_SORTS)}")
    return f"-{column}" if descending else column


def _order(sort: str | None) -> str:
    """The part `order`, after the terms of `sort` (see result_sort), if any."""
    if not sort:
        return _fill("order", sort="")
    column, way = (sort[1:], "DESC") if sort.startswith("-") else (sort, "ASC")
    result_sort(column)
    return _fill("order", sort="".join(f"{term} {way} NULLS LAST, " for term in RESULT_SORTS[column]))


@lru_cache(maxsize=256)
def ranking_sql(places: bool, other_roles: bool, cards: bool, known: tuple = ()) -> str:
    """The query for earn_ranking: `places` if limited to $places, `other_roles` if measures for
    other roles are listed (as not applicable), `cards` for one card per measure; `known` names
    the fields the profile gives (see _earn_params)."""
    group = "cards" if cards else "rows"
    return _query("ranking", verdicts=_verdicts(places, other_roles, known), detail=_detail("verdicts"),
                 group=_fill(group, source="worded"), grouped=group,
                 columns=_fill("columns", also=_PARTS["also"] if cards else "[]::VARCHAR[]"), order=_order(None))


@lru_cache(maxsize=256)
def place_totals_sql(places: bool, other_roles: bool, top: bool, known: tuple = ()) -> str:
    return _query("place_totals", verdicts=_verdicts(places, other_roles, known), totals=_PARTS["totals"],
                 limit="LIMIT $top_places" if top else "")


@lru_cache(maxsize=256)
def page_sql(known: tuple = (), sort: str | None = None) -> str:
    """The query for earn_page; `sort` as result_sort gives it (None: the ranking's order)."""
    worded = bool(sort) and sort.lstrip("-") in WORDED_SORTS
    order = _order(sort)
    window = _fill("window_worded" if worded else "window", detail=_detail("cards" if worded else "page"),
                   order=order)
    return _query("page", verdicts=_verdicts(False, False, known), group=_fill("cards", source="verdicts"),
                 totals=_PARTS["totals"], window=window, columns=_fill("columns", also=_PARTS["also"]),
                 order=order)


def _earn_params(profile) -> tuple[dict, tuple]:
    """Query parameters for a profile, and which of its fields are given: 'followers',
    'annual_sales', ..., ('new_business', True/False), ..."""
    params: dict = {"role": profile.role}
    known: list = []
    for field in COUNT_FIELDS:
        if getattr(profile, field) is not None:
            known.append(field)
            params[field] = getattr(profile, field)
    if profile.listing is not None:
        known.append("listing")
        params["listing"] = profile.listing
    for field in MONEY_FIELDS:
        amount = getattr(profile, field)
        if amount is not None:
            known.append(field)
            params[field], params[f"{field}_currency"] = amount.value, amount.in_currency("CNY")
    for field in YES_NO_FIELDS:
        if getattr(profile, field) is not None:
            known.append((field, bool(getattr(profile, field))))
    return params, tuple(known)


def _ranked(row) -> Ranked:
    """A row in the order of the part `columns`."""
    (place_id, place_en, incentive_id, status, tier, listed, listed_states, hint, hint_states, reached,
     amount_cny, amount_type, also) = row[:13]
    verdict = Verdict(status, tier, listed, tuple(listed_states or ()), hint, tuple(hint_states or ()), reached)
    return Ranked(place_id, place_en, incentive_id, verdict, amount_cny, amount_type, tuple(also or ()))


# ------------------------------------------------------------------------------------ queries

class EarnRanking(NamedTuple):
    rows: list[Ranked]
    places: int  # places with at least one verdict, shown or not
    shown: tuple[str, ...] = ()  # the ids of the places shown
    totals: tuple[PlaceTotal, ...] = ()  # theirs, best first (with top_places or cards)


def place_totals(con, profile, places: list[str] | None = None, other_roles: bool = True,
                 top_places: int | None = None) -> tuple[list[PlaceTotal], int]:
    """Every place with a verdict for `profile` (of those in `places`), with its totals, best first
    (at most `top_places` of them), and how many places there are in all."""
    params, known = _earn_params(profile)
    if places is not None:
        params["places"] = places
    if top_places is not None:
        params["top_places"] = top_places
    rows = con.execute(place_totals_sql(places is not None, other_roles, top_places is not None, known),
                       params).fetchall()
    return [PlaceTotal(*row[:6]) for row in rows], (rows[0][6] if rows else 0)


def earn_ranking(con, profile, places: list[str] | None = None, other_roles: bool = True,
                 top_places: int | None = None, cards: bool = False) -> EarnRanking:
    """(place, measure) verdicts for `profile`, best first, with what their results list.

    `places` limits the places; `other_roles` False leaves out measures for other roles;
    `top_places` keeps only the places with the most on offer (the possible total, then the
    certain one); `cards` gives one card per measure instead of a row per place (see earn.sql).
    """
    totals, count = None, None
    if top_places is not None or cards:
        totals, count = place_totals(con, profile, places, other_roles, top_places)
        if top_places is not None:
            places = [t.place_id for t in totals]
    rows: list[Ranked] = []
    if places != []:
        params, known = _earn_params(profile)
        params["statuses"] = STATUS_ORDER
        if places is not None:
            params["places"] = places
        rows = [_ranked(row) for row in
                con.execute(ranking_sql(places is not None, other_roles, cards, known), params).fetchall()]
    if totals is None:
        shown = tuple(sorted({r.place_id for r in rows}))
        return EarnRanking(rows, len(shown), shown)
    return EarnRanking(rows, count, tuple(t.place_id for t in totals), tuple(totals))


class EarnPage(NamedTuple):
    rows: list[Ranked]  # cards offset .. offset + limit of the ranking (this role only)
    total: int  # measures in the whole ranking
    eligible: int
    best: PlaceTotal | None  # the place with most on offer, if any place offers anything


def earn_page(con, profile, offset: int, limit: int, sort: str | None = None) -> EarnPage:
    """A window of the app's list for `profile` (one card per measure for its role), with its
    summary: what the app's results table needs, without fetching thousands of rows it may never show.
    `sort`: a column of RESULT_SORTS ('-' before it: descending); None ranks best first."""
    params, known = _earn_params(profile)
    params.update(offset=offset, limit=limit, statuses=STATUS_ORDER)
    rows = con.execute(page_sql(known, sort), params).fetchall()
    total, eligible = rows[0][13], rows[0][14]
    best = PlaceTotal(*rows[0][15:21]) if rows[0][15] is not None else None
    return EarnPage([_ranked(r) for r in rows if r[0] is not None], total, eligible, best)


def profile_fields(con) -> dict[str, tuple[str, ...]]:
    """For each role, the profile fields that some measure for that role has a condition on."""
    return {role: tuple(fields) for role, fields in con.execute(_PARTS["profile_fields"]).fetchall()}


def other_role_measures(con, role: str, places: list[str]) -> int:
    """How many measures in these places are meant for other roles than `role`."""
    return con.execute(_PARTS["other_role_measures"], {"places": list(places), "role": role}).fetchone()[0]


def earn_results(con, profile, ranked: list[Ranked], display=None):
    """Full, worded results for these ranked verdicts (loading only the measures and places involved)."""
    from lstui.core.calculator import results_for
    from lstui.core.money import Display

    by_id = {i.id: i for i in incentives(con, ids=sorted({r.incentive_id for r in ranked}))}
    places = all_places(con, ids=sorted({r.place_id for r in ranked}))
    return results_for(profile, ranked, by_id, places, display=display or Display())
