"""Named, parameterised queries over the public views; user text only ever binds as a parameter.

DuckDB itself is imported where a connection is made, so that the terminal app can paint its
first screen before paying for that import.
"""

from __future__ import annotations

from lstui.core.errors import LstuiError
from lstui.core.models import (CompareCell, CompareRow, Comparison, Conflict, Fact, Incentive, Place, PlaceDetail, PlaceRow,
                               Policy, Source, detail_from, incentive_from)
from lstui.core.search import parse_query, search_key
from lstui.core.vocab import LEVELS


# ------------------------------------------------------------------------------------ places

def columns(record, prefix: str = "") -> str:
    """A record's fields as a column list: the views name their columns after the records'
    fields, so each record shape is declared once (in lstui.core.models)."""
    return ", ".join(prefix + name for name in record._fields)


PLACE_COLUMNS = columns(Place).replace("ancestors", "ancestor_ids AS ancestors")


def place(con, place_id: str) -> Place:
    row = con.execute(f"SELECT {PLACE_COLUMNS} FROM jurisdictions WHERE id = ?", [place_id]).fetchone()
    if row is None:
        raise LstuiError(f"no place with id '{place_id}'")
    return Place(*row[:-1], ancestors=tuple(row[-1] or ()))


def all_places(con, ids: list[str] | None = None) -> dict[str, Place]:
    """Places by id (all of them, or those in `ids`), each with its ancestors, nearest first."""
    rows = con.execute(f"SELECT {PLACE_COLUMNS} FROM jurisdictions"
                       " WHERE $ids IS NULL OR list_contains($ids, id)", {"ids": ids}).fetchall()
    return {r[0]: Place(*r[:-1], ancestors=tuple(r[-1])) for r in rows}


PLACE_ROW_COLUMNS = columns(PlaceRow)

# The Cities list's own order: by province (the country first), level, then name.
DEFAULT_ORDER = "province_en NULLS FIRST, level_rank, name_en, id"
# The columns the Cities list sorts by (`lstui cities --sort NAME`, the app's header), each with
# what DuckDB sorts it by: amounts by the stored yuan rather than by their wording, 汉字 by pinyin
# as Chinese lists are. The first term carries the direction; later ones break ties within it,
# and the default order breaks what ties remain, so that every order is stable.
PLACE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("lower(name_en)",),
    "zh": ("strip_accents(lower(pinyin))", "name_zh"),
    "level": ("level_rank",),
    "province": ("province_en",),
    "targets": ("nullif(n_targets, 0)",),  # no target recorded is a blank in the list, and sorts as one
    "sales": ("sales_target",),
    "streamer": ("top_individual_incentive",),
}


def place_sort(column: str, descending: bool = False) -> str:
    """The `sort` that lists places by a column ('-' before its name: descending); LstuiError for
    a name that is not one of PLACE_SORTS."""
    if column not in PLACE_SORTS:
        from lstui.core.suggest import did_you_mean

        raise LstuiError(f"unknown sort column '{column}'{did_you_mean(column, PLACE_SORTS)}; "
                         f"choose one of {', '.join(PLACE_SORTS)}")
    return f"-{column}" if descending else column


def place_order(sort: str | None) -> str:
    """ORDER BY for the Cities list: the default order, or a column's (see place_sort). Blank
    (unknown) values come last whichever way a column runs."""
    if not sort:
        return DEFAULT_ORDER
    if sort == "match":  # the palette's order without a search text (with one, see search_places)
        return "level_rank, name_en, id"
    column, way = (sort[1:], "DESC") if sort.startswith("-") else (sort, "ASC")
    place_sort(column)
    return ", ".join(f"{term} {way} NULLS LAST" for term in PLACE_SORTS[column]) + ", " + DEFAULT_ORDER


def search_places(con, text: str = "", province: str | None = None, level: str | None = None,
                  has_incentives: bool = False, money_for=None, sort: str | None = None,
                  limit: int | None = None, offset: int = 0) -> list[PlaceRow]:
    """The Cities list, filtered and sorted by DuckDB.

    `money_for` is 'individuals', 'companies' or both (a tuple): places offering money to them.
    `sort` is None (the default order), a column of PLACE_SORTS ('-' before it: descending), or
    'match': with a search text, best matches first.
    """
    where, params = _place_filter(text, province, level, has_incentives, money_for)
    order = place_order(sort)
    params = [list(LEVELS), *params]
    key = parse_query(text).key
    if sort == "match" and key:
        # whole names first, then names that start with the text, then the rest
        order = ("NOT list_contains(search_fields, ?), "
                 "len(list_filter(search_fields, lambda f: starts_with(f, ?))) = 0, level_rank, name_en, id")
        params += [key, key]
    sql = (f"SELECT {PLACE_ROW_COLUMNS} FROM (SELECT *, list_position(?, level) AS level_rank FROM places) "
           f"WHERE {where} ORDER BY {order}")
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
    """Places whose names are close to a name that matched none: (id, English, 汉字), closest first.

    DuckDB narrows tens of thousands of names to the few most alike (Jaro-Winkler); the one
    "did you mean" helper (lstui.core.suggest) then chooses among them, as for every other name.
    """
    from lstui.core.suggest import close_matches

    key = parse_query(text).key
    if not key:
        return []
    rows = con.execute(
        "SELECT f, id, name_en, name_zh FROM (SELECT unnest(search_fields) AS f, id, name_en, name_zh FROM places) "
        "ORDER BY jaro_winkler_similarity(f, $key) DESC, f, id LIMIT $many", {"key": key, "many": 20 * n}).fetchall()
    candidates: dict[str, tuple[str, str, str]] = {}
    for field, pid, en, zh in rows:
        candidates.setdefault(field, (pid, en, zh))
    out: list[tuple[str, str, str]] = []
    for match in close_matches(key, candidates, n=3 * n):
        if candidates[match] not in out:
            out.append(candidates[match])
    return out[:n]


def place_position(con, place_id: str, text: str = "", province: str | None = None, level: str | None = None,
                   has_incentives: bool = False, money_for=None, sort: str | None = None) -> int | None:
    """Where a place stands in the filtered, sorted Cities list (None if the filters leave it out)."""
    where, params = _place_filter(text, province, level, has_incentives, money_for)
    order = place_order(sort)
    row = con.execute(
        f"SELECT pos FROM (SELECT id, row_number() OVER (ORDER BY {order}) - 1 AS pos "
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
        "SELECT item FROM internal.m_incentive_docs"
        " WHERE ($places IS NULL OR list_contains($places, jurisdiction_id))"
        "   AND ($ids IS NULL OR list_contains($ids, id))"
        "   AND ($alternatives OR item.alternative_to IS NULL)"
        " ORDER BY jurisdiction_id, id",
        {"places": places, "ids": ids, "alternatives": include_alternatives}).fetchall()
    return [incentive_from(item) for (item,) in rows]


# ----------------------------------------------------------------------------- place detail

FACT_COLUMNS = columns(Fact, "f.")
FACT_FROM = "internal.m_fact_records f"


def facts(con, place_id: str, kind: str | None = None) -> list[Fact]:
    rows = con.execute(
        f"SELECT {FACT_COLUMNS} FROM {FACT_FROM} "
        "WHERE f.jurisdiction_id = $place AND ($kind IS NULL OR f.kind = $kind) "
        "ORDER BY coalesce(f.label, ''), f.period_start NULLS LAST, f.fact_id",
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
    rows = con.execute(f"SELECT {columns(Policy)} FROM policies WHERE jurisdiction_id = ? "
                       "ORDER BY issued NULLS LAST, id", [place_id]).fetchall()
    return [Policy(*r) for r in rows]


def conflicts(con, place_id: str | None = None, source_id: str | None = None) -> list[Conflict]:
    """Recorded disagreements: all, or those about a place, or those an article is party to."""
    sql = f"SELECT {columns(Conflict)} FROM conflicts"
    params: list = []
    if place_id is not None:
        sql += " WHERE list_contains(jurisdiction_ids, ?)"
        params.append(place_id)
    elif source_id is not None:
        sql += " WHERE list_contains(source_ids, ?)"
        params.append(source_id)
    sql += " ORDER BY conflict_id"
    return [Conflict(*(tuple(v) if isinstance(v, list) else v for v in r)) for r in con.execute(sql, params).fetchall()]


def comparisons(con, source_id: str) -> list[Comparison]:
    """A report's figures beside the document it reports (a reprint's beside its original), for
    either side of the link."""
    rows = con.execute(f"SELECT {columns(Comparison)} FROM source_comparisons "
                       "WHERE source_id = $s OR other_source_id = $s", {"s": source_id}).fetchall()
    return [Comparison(*r) for r in rows]


def sources(con, ids: list[str] | None = None) -> list[Source]:
    sql = f"SELECT {columns(Source)} FROM sources"
    params: list = []
    if ids is not None:
        sql += " WHERE list_contains(?, id)"
        params.append(list(ids))
    sql += " ORDER BY published, id"
    return [Source(*r) for r in con.execute(sql, params).fetchall()]


def place_detail(con, place_id: str) -> PlaceDetail:
    """Everything about one place, from the record the build prepared for it (one lookup)."""
    row = con.execute("SELECT page FROM internal.m_place_pages WHERE id = ?", [place_id]).fetchone()
    if row is None:
        raise LstuiError(f"no place with id '{place_id}'")
    return detail_from(row[0])


# ---------------------------------------------------------------------------------- compare


def metric_ids(con) -> list[str]:
    return [m for (m,) in con.execute("SELECT id FROM metrics ORDER BY id").fetchall()]


def compare(con, place_ids: list[str], metrics: list[str] | None = None) -> list[CompareRow]:
    """Targets side by side: one row per metric that any of the places has, one cell per place."""
    if metrics:
        known = set(metric_ids(con))
        unknown = [m for m in metrics if m not in known]
        if unknown:
            from lstui.core.suggest import did_you_mean

            hint = did_you_mean(unknown[0], sorted(known), n=3, quote=False) or \
                f"; known metrics: {', '.join(sorted(known))}"
            raise LstuiError(f"unknown metric '{unknown[0]}'{hint}")
    # Without --metric, only metrics with a number somewhere in the row (not bare ambitions).
    rows = con.execute(
        f"SELECT {FACT_COLUMNS}, f.metric_unit FROM {FACT_FROM} "
        "WHERE f.kind = 'target' AND list_contains($places, f.jurisdiction_id) "
        "  AND (CASE WHEN $metrics IS NULL THEN f.metric IN ("
        "         SELECT metric FROM facts WHERE kind = 'target' AND value IS NOT NULL "
        "         AND list_contains($places, jurisdiction_id)) "
        "       ELSE list_contains($metrics, f.metric) END) "
        "ORDER BY f.label, f.jurisdiction_id, f.preferred DESC, f.deadline DESC NULLS LAST, f.value DESC NULLS LAST, f.fact_id",
        {"places": place_ids, "metrics": metrics or None}).fetchall()
    by_metric: dict[str, CompareRow] = {}
    for r in rows:
        fact = Fact(*r[:-1])
        row = by_metric.setdefault(fact.metric, CompareRow(fact.metric, fact.label, r[-1], {}))
        cell = row.cells.get(fact.jurisdiction_id, CompareCell())
        row.cells[fact.jurisdiction_id] = CompareCell(cell.versions + (fact,))
    order = {m: i for i, m in enumerate(metrics or [])}
    return sorted(by_metric.values(), key=lambda row: (order.get(row.metric, len(order)),
                                                         row.metric == "positioning_goal", row.label))
