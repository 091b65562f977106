"""Progress against targets and place timelines: the named queries over the `progress` and
`timeline` views, and the words for what those views decide.

DuckDB decides (views.sql): which statistic a target is measured by, the share reached, and why
a pair cannot be measured. This module only fetches and names those decisions; lstui.render lays
them out with the figures in the display's notation.
"""

from __future__ import annotations

from lstui.core.errors import LstuiError
from lstui.core.models import Progress, TimelineItem
from lstui.core.queries import columns, metric_ids

PROGRESS_COLUMNS = columns(Progress)
TIMELINE_COLUMNS = columns(TimelineItem)

# What each status of a pair is called where it heads a line.
STATUS_WORDS = {
    "measured": "reached",
    "baseline": "builds on",
    "not_latest": "not measured",
    "not_measurable": "cannot be measured",
    "not_comparable": "not comparable",
    "after_deadline": "after the deadline",
    "not_placeable": "not placeable",
    "no_figure": "no figure",
    "not_preferred": "set aside",
}

# What each kind of timeline item is called in the list.
KIND_WORDS = {
    "issued": "issued",
    "in_force": "in force",
    "plan_period": "plan period",
    "plan_end": "plan ends",
    "follows": "succession",
    "event": "event",
    "statistic": "statistic",
    "target": "target due",
    "expires": "expires",
}

SHARE_SYMBOLS = {"more_than": ">", "at_least": ">=", "up_to": "<=", "about": "~", "exactly": ""}


# ------------------------------------------------------------------------------------ queries


def check_metrics(con, metrics: list[str] | None) -> None:
    """LstuiError naming the first metric that is not one of the metrics view's ids."""
    if not metrics:
        return
    known = set(metric_ids(con))
    unknown = [m for m in metrics if m not in known]
    if unknown:
        from lstui.core.suggest import did_you_mean

        hint = did_you_mean(unknown[0], sorted(known), n=3, quote=False) or f"; known metrics: {', '.join(sorted(known))}"
        raise LstuiError(f"unknown metric '{unknown[0]}'{hint}")


def progress(con, place_ids: list[str] | None = None, metrics: list[str] | None = None,
             everything: bool = False) -> list[Progress]:
    """Every target beside every statistic of its place and metric, each target's pairs in order
    (its headline first). Only pairs of preferred reports unless `everything`."""
    check_metrics(con, metrics)
    rows = con.execute(
        f"SELECT {PROGRESS_COLUMNS} FROM progress"
        " WHERE ($places IS NULL OR list_contains($places, jurisdiction_id))"
        "   AND ($metrics IS NULL OR list_contains($metrics, metric))"
        "   AND ($everything OR (target_preferred AND statistic_preferred))"
        " ORDER BY jurisdiction_en, jurisdiction_id, label, deadline NULLS LAST, target_id, pair_no",
        {"places": place_ids, "metrics": metrics or None, "everything": everything}).fetchall()
    return [Progress(*r) for r in rows]


def headlines(con, place_ids: list[str]) -> dict[str, Progress]:
    """The pair that answers for each preferred target of these places, by target id."""
    rows = con.execute(
        f"SELECT {PROGRESS_COLUMNS} FROM progress"
        " WHERE list_contains($places, jurisdiction_id) AND headline AND target_preferred AND statistic_preferred",
        {"places": place_ids}).fetchall()
    return {p.target_id: p for p in (Progress(*r) for r in rows)}


def timeline(con, place_id: str) -> list[TimelineItem]:
    """A place's items in order, with the policies of the measures it inherits; undated ones last."""
    rows = con.execute(f"SELECT {TIMELINE_COLUMNS} FROM timeline WHERE jurisdiction_id = ? ORDER BY item_no",
                       [place_id]).fetchall()
    return [TimelineItem(*r) for r in rows]


# -------------------------------------------------------------------------------------- words


def dated(items) -> list[TimelineItem]:
    return [t for t in items if t.starts_on is not None]


def undated(items) -> list[TimelineItem]:
    """Items with no date: listed apart, never given one."""
    return [t for t in items if t.starts_on is None]


def share_text(p: Progress) -> str:
    """The share reached, as precisely as it means anything: "~309%", ">5%", "0.075%"."""
    if p.share is None:
        return ""
    number = f"{p.share:,.0f}" if abs(p.share) >= 1000 else f"{p.share:.3g}" if abs(p.share) >= 1 else f"{p.share:.2g}"
    return SHARE_SYMBOLS.get(p.share_comparator or "exactly", "") + number + "%"


def status_text(p: Progress) -> str:
    """What heads a pair's line: "~309% reached", "builds on", "not comparable"."""
    if p.status == "measured":
        return f"{share_text(p)} {STATUS_WORDS['measured']}" if p.share is not None else STATUS_WORDS["measured"]
    return STATUS_WORDS.get(p.status, p.status.replace("_", " "))


def progress_mark(p: Progress | None) -> str:
    """The short mark beside a target in a comparison ("· 62%"); empty when no share is measured."""
    if p is None or p.status != "measured" or p.share is None:
        return ""
    return f"· {share_text(p)}"


def why_text(p: Progress) -> str:
    """The reason, and whatever else a reader should weigh, in one sentence."""
    return "; ".join(x for x in (p.reason, p.notes) if x)


def basis_mark(basis: str | None) -> str:
    return f" ({basis})" if basis in ("forecast", "estimate") else ""


def item_kind_text(t: TimelineItem) -> str:
    if t.kind == "issued" and t.draft:
        return "draft"
    if t.kind == "target" and t.starts_on is None:
        return "target"
    return KIND_WORDS.get(t.kind, t.kind)


def item_marks(t: TimelineItem) -> str:
    """Where an item comes from when it is not the place's own, and a report set aside."""
    marks = []
    if t.inherited:
        marks.append(f"inherited from {t.from_en}")
    if not t.preferred:
        marks.append("a report set aside")
    if t.inferred_from:
        marks.append(f"inferred: {t.inferred_from}")
    return f" ({'; '.join(marks)})" if marks else ""
