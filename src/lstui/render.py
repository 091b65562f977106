"""How results read: shared by the CLI (Rich renderables, flat rows) and the terminal app.

All data strings become rich.text.Text, never markup, so a title containing "[red]" shows
those characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from lstui.core.calculator import condition_text, pays
from lstui.core.models import CompareRow, Fact, Incentive, Place, PlaceDetail, PlaceRow, PlaceTotal, as_dict
from lstui.core.money import Display, format_money, format_number
from lstui.core.research import (basis_mark, dated, item_kind_text, item_marks, progress_mark, status_text,
                                 undated, why_text)
from lstui.core.textsafe import clip, visible
from lstui.core.vocab import FIELD_WORDS, LISTING_WORDS, MONEY_FIELDS, YES_NO_FIELDS, level_label

if TYPE_CHECKING:
    from lstui.core.calculator import Profile, Result

def T(value: object = "", style: str = "", **kwargs) -> Text:
    """Text for a data string: never markup, and control characters shown, not obeyed."""
    return Text(visible(str(value)), style=style, **kwargs)


SYMBOLS = {"more_than": ">", "at_least": ">=", "up_to": "<=", "about": "~", "exactly": ""}
STATUS_STYLE = {"eligible": "bold green", "needs_designation": "yellow", "needs_info": "cyan",
                "unquantified": "magenta", "not_eligible": "red", "not_applicable": "dim"}
STATUS_WORDS = {"eligible": "eligible", "needs_designation": "needs designation", "needs_info": "needs info",
                "unquantified": "unquantified", "not_eligible": "not eligible", "not_applicable": "other role"}
STATUS_SHORT = {**STATUS_WORDS, "needs_designation": "if designated"}  # for a table's narrow column
CONFLICT_MARK = "!"
LARGEST_MARK = "*"  # beside the largest value of a compared row: visible without colour too


def value_text(value: float | None, unit: str | None, display: Display = Display(),
               cny_per_usd: float | None = None) -> str:
    """A figure in the display's notation; money in the display's currency where a rate allows."""
    if value is None:
        return "(no figure)" if unit == "none" or unit is None else "(no number given)"
    if unit in ("CNY", "USD"):
        return display.money(value, unit, cny_per_usd)
    if unit == "count":
        return display.count(value)
    if unit == "percent":
        return f"{value:g}%"
    if unit == "ratio":
        return f"x{value:g}"
    if unit == "rank":
        return f"#{value:g}"
    if unit == "hours":
        return f"{value:g} h"
    if unit == "sqm":
        return f"{display.count(value)} m²"
    return format_number(value, display.style)


def fact_value(f: Fact, display: Display = Display()) -> str:
    """A figure as the source words it: "+3,000" for an increment ("another 3,000"), "3,000-5,000"
    for a range, "/yr" for a yearly figure."""
    if f.value is None:
        return value_text(None, f.unit)
    text = value_text(f.value, f.unit, display, f.cny_per_usd)
    if f.value_high is not None:
        text += "-" + value_text(f.value_high, f.unit, display, f.cny_per_usd)
    text = ("+" if f.increment else "") + SYMBOLS.get(f.comparator or "exactly", "") + text
    yearly = f.span == "annual" and not any(w in (f.period or "") for w in ("annual", "year", "年"))
    return text + ("/yr" if yearly else "")  # unless its period already says so


def fact_when(f: Fact) -> str:
    """When a figure is for, in the words stored with it ("in 2020" stays "in 2020"); a deadline
    the source does not state, but that was read off something else, says so."""
    when = f.period or (f"by {f.deadline}" if f.deadline else "")
    return f"{when} (inferred: {f.deadline_inferred_from})" if when and f.deadline_inferred_from else when


def place_label(place: Place) -> str:
    return f"{place.name_en} {place.name_zh}"


# --------------------------------------------------------------------------------------- earn


def profile_text(p: Profile, display: Display = Display()) -> str:
    parts = [p.role]
    if p.followers is not None:
        parts.append(f"followers {display.count(p.followers)}")
    if p.floor_area is not None:
        parts.append(f"{FIELD_WORDS['floor_area']} {display.count(p.floor_area)} m²")
    for name in MONEY_FIELDS:
        amount = getattr(p, name)
        if amount is not None:
            label = "valuation" if name == "valuation" else FIELD_WORDS[name]
            parts.append(f"{label} {format_money(amount.value, amount.in_currency('CNY'), display.style, exact=True)}")
    for name in YES_NO_FIELDS:
        value = getattr(p, name)
        if value is not None:
            parts.append(f"{FIELD_WORDS[name]}: {'yes' if value else 'no'}")
    if p.listing is not None:
        parts.append(LISTING_WORDS[p.listing])
    return " · ".join(parts)


def offers_something(r: Result) -> bool:
    """Whether the tier that applies states what it gives: a sum, a share of a cost or a class."""
    tier = next((t for t in r.incentive.tiers if t.tier == r.tier), None)
    return tier is not None and (tier.amount is not None or tier.share_of is not None or tier.level is not None)


def result_amount(r: Result, display: Display = Display()) -> str:
    """What the tier that applies pays, as what it is (a sum, a share of a cost, a yearly amount)."""
    tier = next((t for t in r.incentive.tiers if t.tier == r.tier), None)
    if tier is None:
        return r.description or ""
    return pays(tier, r.incentive.rate, display)


def result_card(r: Result, display: Display = Display(), also: list[str] | None = None) -> Group:
    """One result as a header line and indented details: readable at 80 columns over SSH.
    `also`: the English names of the other places the measure applies in."""
    head = Text()
    head.append("● ", style=STATUS_STYLE[r.status])
    head.append(clip(r.place.name_en), style="bold")
    if r.inherited:
        head.append(f" (measure of {clip(r.incentive.jurisdiction_en)})", style="dim")
    head.append(" · " + clip(r.incentive.name) + "  ")
    head.append(visible(STATUS_WORDS[r.status]), style=STATUS_STYLE[r.status])
    amount = result_amount(r, display)  # a non-monetary benefit says what it is
    details = [T((f"{amount} — " if amount else "") + r.reason)]
    if also:
        details.append(T("also applies in: " + ", ".join(clip(name) for name in also), style="dim"))
    if r.unmet and r.status == "not_eligible" and r.next_tier is None:
        details.append(T("missing: " + "; ".join(r.unmet)))
    if r.next_tier is not None:
        details.append(Text.assemble(("next: ", "bold"), visible(r.next_tier.text)))
    rate = r.rate or (r.incentive.rate if r.currency != display.currency and r.amount is not None else None)
    if rate is not None:
        details.append(T(f"exchange rate: {rate.cny_per_usd:.4f} CNY/USD as stated in {rate.source_id}",
                         style="dim"))
    if r.incentive.alternatives:
        details.append(T(f"reported differently: {', '.join(r.incentive.alternatives)} "
                            f"(lstui show {r.incentive.jurisdiction_id})", style="yellow"))
    details.append(T(f"source: {r.incentive.source_id} {r.incentive.locator}", style="dim"))
    return Group(head, *(Padding(d, (0, 0, 0, 2)) for d in details))


def total_text(cny: float, usd: float | None, display: Display) -> str:
    """A total in the display's currency; in yuan when some amount in it has no stated rate."""
    if display.currency == "USD" and usd is not None:
        return format_money(usd, "USD", display.style)
    return format_money(cny, "CNY", display.style)


def summary_lines(totals: Iterable[PlaceTotal], display: Display = Display()) -> Text:
    """The totals of the places that offer something, as lstui.core.earn computes them."""
    text = Text()
    for s in totals:
        if s.possible <= 0:
            continue
        text.append(f"  {clip(s.place_en)}: ", style="bold")
        text.append(visible(f"certain {total_text(s.certain, s.certain_usd, display)}"))
        if s.possible > s.certain:
            text.append(visible(f"; possible up to {total_text(s.possible, s.possible_usd, display)}"))
        if display.currency == "USD" and s.possible_usd is None:
            text.append(" (in CNY: some amounts have no stated exchange rate)", style="dim")
        text.append("\n")
    return text


def earn_flat(results: Iterable[Result]) -> tuple[list[str], list[list]]:
    columns = ["jurisdiction_id", "jurisdiction_en", "measure_from", "incentive_id", "incentive", "status",
               "tier", "amount", "amount_type", "currency", "reason", "next_tier", "conditions_met",
               "conditions_unmet", "source_id", "locator"]
    rows = [[r.place.id, r.place.name_en, r.incentive.jurisdiction_en, r.incentive.id, r.incentive.name,
             r.status, r.tier, r.amount, r.amount_type, r.currency, r.reason,
             r.next_tier.text if r.next_tier else None, "; ".join(r.met), "; ".join(r.unmet),
             r.incentive.source_id, r.incentive.locator] for r in results]
    return columns, rows


# --------------------------------------------------------------------------------------- show


def tier_lines(inc: Incentive, display: Display = Display()) -> list[str]:
    lines = []
    for t in inc.tiers:
        offered = pays(t, inc.rate, display) if (t.amount is not None or t.share_of or t.level) else None
        offered = offered or t.description or ("amount not stated" if not inc.quantified else "")
        conditions = "; ".join(condition_text(c, display, inc.rate) for c in t.conditions) or "no conditions stated"
        prefix = f"tier {t.tier}: " if len(inc.tiers) > 1 else ""
        lines.append(f"{prefix}{offered}  if {conditions}")
    return lines


def policy_facts(pol) -> str:
    """A policy's status and dates in a line: "draft · No. 深府办规〔2020〕9号 · issued 2020-08-20 · in force
    until 2023-10-30 · covers 2020-2022"."""
    force = " ".join(x for x in (pol.effective and f"from {pol.effective}", pol.expires and f"until {pol.expires}") if x)
    return " · ".join(x for x in (
        "draft for comment" if pol.draft else "", pol.doc_number and f"No. {pol.doc_number}",
        pol.issued and f"issued {pol.issued}", force and f"in force {force}",
        _span(pol) and f"covers {_span(pol)}") if x)


def _indent(text: Text, by: int = 2) -> Padding:
    return Padding(text, (0, 0, 0, by))


def _section(title: str) -> Text:
    return T(f"\n{title}", style="bold underline")


def _facts_table(rows: list[Fact], display: Display, with_period: bool = True) -> Table:
    table = Table(show_header=True, box=None, pad_edge=False, show_edge=False)
    table.add_column("What", ratio=3, overflow="fold")
    with_value = any(f.kind != "event" or f.has_conflict for f in rows)  # events have a date, not a figure
    if with_value:
        table.add_column("Value", ratio=2, overflow="fold")
    if with_period:
        table.add_column("When", ratio=2, overflow="fold")
    table.add_column("Source", ratio=3, overflow="fold")
    for f in rows:
        what = f.label or f.subject or ""
        if f.subject and f.label and f.kind != "event":
            what += f" ({f.subject})"
        value = T(fact_value(f, display) if f.kind != "event" else "")
        if f.has_conflict:
            value.append(f" {CONFLICT_MARK}", style="bold red")
        when = fact_when(f)
        cells = [T(what)] + ([value] if with_value else []) + ([T(when)] if with_period else []) + \
                [T(f"{f.source_id} {f.locator}", style="dim")]
        table.add_row(*cells)
    return table


def show_renderable(d: PlaceDetail, display: Display = Display(), limit: int | None = None) -> Group:
    """The page about one place. `limit` caps each section (the app's detail pane): a place with
    thousands of figures would otherwise be laid out in full on every repaint."""
    p = d.place
    parts: list = [T(f"{clip(p.name_en)}  {clip(p.name_zh)}  {clip(p.pinyin)}", style="bold"),
                   T(f"{level_label(p.level)} · {clip(p.path_en or '', 160)}", style="dim")]

    def capped(items, what: str):
        items = list(items)
        if limit is None or len(items) <= limit:
            return items, None
        more = T(f"… and {len(items) - limit:,} more {what}; `lstui show {p.id}` lists them all", style="dim italic")
        return items[:limit], more

    def section(title: str, items, what: str, draw) -> None:
        if not items:
            return
        shown, more = capped(items, what)
        parts.append(_section(title if more is None else f"{title} ({len(items):,})"))
        draw(shown)
        if more is not None:
            parts.append(more)

    def policies(rows):
        names = {pol.id: pol.name_en for pol in rows}
        for pol in rows:
            when = policy_facts(pol)
            parts.append(T(f"• {pol.name_en}" + (f" ({when})" if when else "")))
            if pol.follows_id:
                inferred = f" (inferred: {pol.follows_inferred_from})" if pol.follows_inferred_from else ""
                parts.append(_indent(T(f"follows {names.get(pol.follows_id, pol.follows_id)}{inferred}")))
            parts.append(_indent(T(f"{pol.note}  [{pol.source_id} {pol.locator}]", style="dim")))

    def incentives(inherited: bool):
        def draw(rows):
            for inc in rows:
                parts.extend(_incentive_block(inc, display, inherited=inherited))
        return draw

    def conflicts(rows):
        for c in rows:
            parts.append(T(f"{CONFLICT_MARK} {c.conflict_id} ({', '.join(c.aspects)}): {c.summary}"))
            # A conflict may be explained without preferring either report, or the reverse.
            if c.resolution:
                label = f"preferred {c.preferred_record_id}" if c.preferred_record_id else "resolution"
                parts.append(_indent(T(f"{label}: {c.resolution}", style="dim")))
            elif c.preferred_record_id:
                parts.append(_indent(T(f"preferred {c.preferred_record_id}", style="dim")))

    def sources(rows):
        for s in rows:
            parts.append(T(f"{s.id}: {s.publisher}, \"{s.title}\" ({s.published or 'date unknown'})"))
            if s.url:
                parts.append(_indent(T(s.url, style="dim")))

    def facts(rows):
        parts.append(_facts_table(list(rows), display))

    def progress(rows):
        for pair in rows:
            parts.extend(progress_lines([pair], display, with_place=False))
        if len(d.progress) > len(rows):
            parts.append(T(f"every pair, and why some are not measured: lstui progress {p.id}", style="dim italic"))

    def timeline(with_date: bool):
        return lambda rows: parts.append(timeline_table(rows, display, with_date))

    section("Policies", d.policies, "policies", policies)
    section("Targets", d.targets, "targets", facts)
    section("Statistics", d.statistics, "statistics", facts)
    section("Progress against targets", [q for q in d.progress if q.headline], "targets", progress)
    section("Incentives", d.incentives, "incentives", incentives(False))
    section("Inherited measures", d.inherited, "measures", incentives(True))
    section("Events", d.events, "events", facts)
    section("Timeline", dated(d.timeline), "dated items", timeline(True))
    section("Timeline: undated", undated(d.timeline), "undated items", timeline(False))
    section("Conflicts between reports", d.conflicts, "conflicts", conflicts)
    section("Sources", d.sources, "sources", sources)
    return Group(*parts)


def _span(pol) -> str:
    if pol.period_start and pol.period_end:
        return f"{pol.period_start}-{pol.period_end}"
    if pol.period_end:
        return f"until {pol.period_end}"
    return str(pol.period_start or "")


def _incentive_block(inc: Incentive, display: Display, inherited: bool) -> list:
    head = T(f"• {inc.name}", style="bold")
    who = ", ".join(inc.recipients) if inc.recipients is not None else "recipients not stated"
    head.append(visible(f"  for {who}") if inc.recipients is not None else visible(f"  ({who})"), style="")
    if inherited:
        head.append(f"  (from {clip(inc.jurisdiction_en)})", style="dim")
    if inc.alternative_to:
        head.append(visible(f"  alternative report of {inc.alternative_to}"), style="yellow")
    out = [head]
    out += [_indent(T(line)) for line in tier_lines(inc, display)]
    out.append(_indent(T(f"{inc.note}  [{inc.source_id} {inc.locator}]", style="dim")))
    return out


def show_dict(d: PlaceDetail) -> dict:
    """The JSON of `lstui show`: every record with its fields as keys (docs/cli.md)."""
    return {"place": as_dict(d.place), "policies": as_dict(d.policies), "targets": as_dict(d.targets),
            "statistics": as_dict(d.statistics), "events": as_dict(d.events), "incentives": as_dict(d.incentives),
            "inherited_measures": as_dict(d.inherited), "conflicts": as_dict(d.conflicts),
            "sources": as_dict(d.sources)}


def show_flat(d: PlaceDetail, display: Display = Display()) -> tuple[list[str], list[list]]:
    """Every figure of a place as rows (for csv and markdown)."""
    columns = ["section", "id", "what", "value", "period", "source_id", "locator", "conflict"]
    rows: list[list] = []
    for section, facts in (("target", d.targets), ("statistic", d.statistics), ("event", d.events)):
        for f in facts:
            rows.append([section, f.fact_id, f.label or f.subject, fact_value(f, display) if f.kind != "event" else "",
                         f.period, f.source_id, f.locator, f.has_conflict])
    for section, incs in (("incentive", d.incentives), ("inherited", d.inherited)):
        for inc in incs:
            for t, line in zip(inc.tiers, tier_lines(inc, display)):
                rows.append([section, f"{inc.id}#{t.tier}", inc.name, line, None, inc.source_id, inc.locator,
                             bool(inc.alternatives or inc.alternative_to)])
    return columns, rows


# ------------------------------------------------------------------------------------ compare


def cell_lines(versions: tuple[Fact, ...], display: Display = Display()) -> list[str]:
    lines = []
    for f in versions:
        mark = f" {CONFLICT_MARK}" if f.has_conflict else ""
        lines.append(" ".join(x for x in (fact_value(f, display), f.when) if x) + mark)
    return lines


def best_place(row: CompareRow) -> str | None:
    """The place with the largest value in a row (ties: none stands out)."""
    tops = {pid: max((v.value for v in cell.versions if v.value is not None), default=None)
            for pid, cell in row.cells.items()}
    values = [v for v in tops.values() if v is not None]
    if len(values) < 2 or values.count(max(values)) > 1:
        return None
    return next(pid for pid, v in tops.items() if v == max(values))


def compare_cell(row: CompareRow, place_id: str, best: str | None, display: Display = Display(),
                 progress: dict | None = None) -> Text:
    """One place's cell of a comparison: every reported version, the largest of the row marked
    with LARGEST_MARK as well as in green, so that it stands out without colour too. `progress`
    (target id -> its headline pair, lstui.core.research.headlines) adds the share reached ("· 62%")."""
    cell = row.cells.get(place_id)
    if cell is None:
        return T("—", style="dim")
    lines = cell_lines(cell.versions, display)
    if place_id == best:  # the mark goes on the line of the version that is the largest
        top = max(range(len(lines)), key=lambda i: (cell.versions[i].value is not None,
                                                   cell.versions[i].value or 0, -i))
        lines[top] += f" {LARGEST_MARK}"
    for i, f in enumerate(cell.versions):  # then the share it reached, after what is said of the figure
        mark = progress_mark((progress or {}).get(f.fact_id))
        lines[i] += f" {mark}" if mark else ""
    text = T("\n".join(lines), overflow="fold")
    if place_id == best:
        text.stylize("bold green")
    return text


def compare_table(rows: list[CompareRow], places: list[Place], display: Display = Display(),
                  progress: dict | None = None) -> Table:
    table = Table(show_lines=True, pad_edge=False)
    table.add_column("Metric", overflow="fold", ratio=2)
    for p in places:
        table.add_column(T(f"{clip(p.name_en)}\n{clip(p.name_zh)}"), overflow="fold", ratio=2)
    for row in rows:
        best = best_place(row)
        table.add_row(T(row.label), *(compare_cell(row, p.id, best, display, progress) for p in places))
    return table


COMPARE_LEGEND = (f"{CONFLICT_MARK} sources disagree (every version is listed); {LARGEST_MARK} largest value in "
                  "the row (green); >, >=, <=, ~: more than, at least, up to, about")


def compare_flat(rows: list[CompareRow], places: list[Place], display: Display = Display()) -> tuple[list[str], list[list]]:
    columns = ["metric", "label", "unit"] + [p.id for p in places]
    out = []
    for row in rows:
        cells = []
        for p in places:
            cell = row.cells.get(p.id)
            cells.append(" | ".join(cell_lines(cell.versions, display)) if cell else "")
        out.append([row.metric, row.label, row.unit] + cells)
    return columns, out


def compare_dict(rows: list[CompareRow], places: list[Place]) -> list[dict]:
    return [{"metric": r.metric, "label": r.label, "unit": r.unit, "largest": best_place(r),
             "cells": {p.id: as_dict(r.cells[p.id].versions) if p.id in r.cells else [] for p in places}}
            for r in rows]


# ------------------------------------------------------------------------------------- cities


def sales_target_text(r: PlaceRow, display: Display = Display()) -> str:
    if r.sales_target is None:
        return ""
    text = SYMBOLS.get(r.sales_target_comparator or "exactly", "") + display.money(
        r.sales_target, "CNY", r.sales_target_cny_per_usd)
    period, deadline = r.sales_target_period or "", r.sales_target_deadline or ""
    if period and len(period) <= 10:  # the source's own words when they are short ("in 2020")
        text += f" {period}"
    elif deadline[:4].isdigit() and len(deadline) <= 10:
        text += f" by {deadline}"
    return text


def top_incentive_text(r: PlaceRow, display: Display = Display()) -> str:
    if r.top_individual_incentive is None:
        return ""
    return display.offer(r.top_individual_incentive, "CNY", r.top_individual_amount_type, r.top_individual_cny_per_usd)


def cities_flat(rows: list[PlaceRow], display: Display = Display()) -> tuple[list[str], list[list]]:
    columns = ["id", "name", "中文", "level", "province", "targets", "sales target", "top individual incentive"]
    out = [[r.id, r.name_en, r.name_zh, r.level, r.province_en or "", r.n_targets, sales_target_text(r, display),
            top_incentive_text(r, display)] for r in rows]
    return columns, out


def cities_table(rows: list[PlaceRow], display: Display = Display()) -> Table:
    table = Table(pad_edge=False, box=None, show_edge=False, header_style="bold")
    table.add_column("Place", overflow="fold", min_width=9)
    table.add_column("中文", overflow="fold", max_width=10)
    table.add_column("Level", no_wrap=True)
    table.add_column("Province", no_wrap=True)
    table.add_column("Tgts", justify="right", no_wrap=True)
    table.add_column("Sales target", overflow="fold")
    table.add_column("Streamer", no_wrap=True)
    for r in rows:
        table.add_row(T(clip(r.name_en)), T(clip(r.name_zh)), T(r.level.replace("_", " ")), T(clip(r.province_en or "")),
                      T(str(r.n_targets) if r.n_targets else ""), T(sales_target_text(r, display)),
                      T(top_incentive_text(r, display)))
    return table


# ------------------------------------------------------------------------ citations, conflicts


def figure_words(f: Fact, display: Display = Display()) -> str:
    """A figure and when it is for, as a citation quotes it: ">¥300bn by 2025" (an event: its date)."""
    stated = f._replace(cny_per_usd=None)  # in the currency its source states it in, whatever the display's
    value = fact_value(stated, display) if f.kind != "event" else ""
    return " ".join(x for x in (value, fact_when(f)) if x)


CONFLICT_COLUMNS = ["conflict_id", "kind", "aspects", "jurisdiction_ids", "record_ids", "fact_ids", "source_ids",
                    "preferred_record_id", "summary", "resolution"]


def conflicts_flat(conflicts: Iterable) -> tuple[list[str], list[list]]:
    """Every conflict as a row (csv, markdown); lists are cells of their own, as `lstui query` writes them."""
    return CONFLICT_COLUMNS, [[getattr(c, name) for name in CONFLICT_COLUMNS] for c in conflicts]


def conflict_lines(c) -> list[Text]:
    """A recorded conflict in words: what disagrees, who says what, and what is preferred."""
    kind = "" if c.kind == "disagreement" else f" · {c.kind} (the figures do not disagree)"
    lines = [T(f"{CONFLICT_MARK} {c.conflict_id}", style="bold red" if c.kind == "disagreement" else "bold"),
             T(f"places: {', '.join(c.jurisdiction_ids)} · {', '.join(c.aspects)}{kind}", style="dim"),
             T(c.summary),
             T(f"records: {', '.join(c.record_ids)} · sources: {', '.join(c.source_ids)}", style="dim")]
    if c.resolution:
        label = f"preferred {c.preferred_record_id}" if c.preferred_record_id else "resolution"
        lines.append(T(f"{label}: {c.resolution}", style="dim"))
    elif c.preferred_record_id:
        lines.append(T(f"preferred {c.preferred_record_id}", style="dim"))
    return lines


def conflicts_renderable(conflicts: Iterable) -> Group:
    """The conflicts for people: one block per conflict, readable at 80 columns."""
    parts: list = []
    for c in conflicts:
        head, *rest = conflict_lines(c)
        parts += [head, *(_indent(line) for line in rest)]
    return Group(*parts)


# --------------------------------------------------------------------------- progress, timeline

PROGRESS_STYLE = {"measured": "bold green", "baseline": "cyan", "not_measurable": "yellow", "not_comparable": "yellow",
                  "after_deadline": "magenta", "not_placeable": "magenta", "no_figure": "dim", "not_latest": "dim",
                  "not_preferred": "dim"}
PROGRESS_LEGEND = ("· N%: the share of the target that its latest statistic reached (lstui progress PLACE lists "
                   "every pair and why a pair is not measured)")


def _figure(value, unit, comparator, rate, display: Display, increment=False, value_high=None, span=None,
            period=None) -> str:
    """A figure of a pair, worded as fact_value words every figure."""
    from types import SimpleNamespace

    return fact_value(SimpleNamespace(value=value, unit=unit, comparator=comparator, cny_per_usd=rate,
                                      increment=increment, value_high=value_high, span=span, period=period), display)


def progress_target_text(p, display: Display = Display()) -> str:
    """A target as a pair states it: "+3,000 by 2025", ">¥45bn by 2026 (live-streaming e-commerce sales)"."""
    figure = _figure(p.target_value, p.target_unit, p.target_comparator, p.target_cny_per_usd, display,
                     p.increment, p.target_value_high, p.span, p.target_period)
    when = (p.target_period or "") + (" (inferred)" if p.deadline_inferred_from else "")
    subject = f"({p.target_subject})" if p.target_subject else ""
    return " ".join(x for x in (figure, when, subject) if x)


def progress_statistic_text(p, display: Display = Display()) -> str:
    """A statistic as a pair states it: its figure, what it counts, its period and when it was reported."""
    figure = _figure(p.statistic_value, p.statistic_unit, p.statistic_comparator, p.statistic_cny_per_usd,
                     display) + basis_mark(p.basis)
    subject = f"({p.statistic_subject})" if p.statistic_subject else ""
    when = p.statistic_period or ""
    text = " ".join(x for x in (figure, subject, when) if x)
    return text + (f", reported {p.reported}" if p.reported else "")


def _pair_line(p, display: Display) -> Text:
    line = T(f"{status_text(p)}: ", style=PROGRESS_STYLE.get(p.status, ""))
    line.append(visible(progress_statistic_text(p, display)))
    if p.status == "baseline" and p.goal is not None:
        line.append(visible(f"; {value_text(p.goal, p.target_unit, display, p.target_cny_per_usd)} in all"))
    line.append(visible(f"  [{p.statistic_source_id} {p.statistic_locator}]"), style="dim")
    return line


def progress_lines(pairs, display: Display = Display(), with_place: bool = True) -> list:
    """One target and its pairs: the target, then each statistic with what can be said of it."""
    p = pairs[0]
    head = T("• " + (f"{clip(p.jurisdiction_en)} · " if with_place else "") + f"{p.label or p.metric}: ", style="bold")
    head.append(visible(progress_target_text(p, display)), style="")
    head.append(visible(f"  [{p.target_source_id} {p.target_locator}]"), style="dim")
    out: list = [head]
    for q in pairs:
        out += [_indent(_pair_line(q, display)), _indent(T(why_text(q), style="dim"), 4)]
    return out


def progress_note(p, display: Display = Display()) -> str:
    """A target's headline pair on one line, for the list of a comparison cell's versions."""
    line = _pair_line(p, display)
    return f"progress: {line.plain}; {why_text(p)}"


def by_target(rows) -> list[list]:
    """Pairs grouped by target, in the order given (each target's headline first)."""
    groups: dict[str, list] = {}
    for p in rows:
        groups.setdefault(p.target_id, []).append(p)
    return list(groups.values())


def progress_renderable(rows, display: Display = Display()) -> Group:
    """`lstui progress` for people: a block per target, readable at 80 columns."""
    parts: list = []
    for pairs in by_target(rows):
        parts += progress_lines(pairs, display)
    return Group(*parts)


PROGRESS_COLUMNS = ["jurisdiction_id", "place", "metric", "label", "target_id", "target", "statistic_id", "statistic",
                    "as_of", "placed_by", "reported", "basis", "status", "progress", "share", "share_comparator",
                    "baseline_id", "goal", "reason", "notes", "target_source", "statistic_source", "headline"]


def progress_flat(rows, display: Display = Display()) -> tuple[list[str], list[list]]:
    """Every pair as a row (csv, markdown): the figures worded, the share as a number too."""
    out = [[p.jurisdiction_id, p.jurisdiction_en, p.metric, p.label, p.target_id, progress_target_text(p, display),
            p.statistic_id, progress_statistic_text(p, display), p.as_of, p.placed_by, p.reported, p.basis, p.status,
            status_text(p), p.share, p.share_comparator, p.baseline_id, p.goal, p.reason, p.notes,
            f"{p.target_source_id} {p.target_locator}", f"{p.statistic_source_id} {p.statistic_locator}", p.headline]
           for p in rows]
    return PROGRESS_COLUMNS, out


def timeline_what(t, display: Display = Display()) -> str:
    """What a timeline item is, in words, with where it comes from when not the place's own."""
    if t.kind == "plan_period":
        span = f"{t.date}-{t.date_end}" if t.date_end else f"from {t.date}"
        what = t.name if span in t.name else f"{t.name} ({span})"  # "Action Plan (2020-2022)" says it already
    elif t.kind == "plan_end":
        what = f"{t.name} (until {t.date})"
    elif t.kind == "follows":
        what = f"{t.name} follows {t.other_name or t.other_id}"
    elif t.kind in ("statistic", "target"):
        figure = " ".join(x for x in (fact_value(t, display), t.period) if x) + basis_mark(t.basis)
        what = f"{t.label or t.metric}: {figure}" + (f" ({t.subject})" if t.subject else "")
    else:
        what = (t.name or t.record_id) + (f" (until {t.date_end})" if t.date_end else "")
        what += " (draft for comment)" if t.draft and t.kind == "issued" and "draft" not in what.lower() else ""
    return what + item_marks(t)


def timeline_when(t) -> str:
    """The date column: a statistic over a span shows the span ("2022-01..11", the first eleven
    months), not only the first month it starts in; other spans are in the item's words."""
    if t.kind != "statistic" or not t.date_end or not t.date:
        return t.date or ""
    start, end = t.date, t.date_end
    if start[:4] == end[:4] and start[4:] == "-01" and end[4:] == "-12":
        return start[:4]  # the whole year
    if len(start) == len(end) and start[:5] == end[:5] and len(start) > 4:
        return f"{start}..{end[5:]}"  # within one year: the months once
    return f"{start}..{end}"


def timeline_table(items, display: Display = Display(), with_date: bool = True) -> Table:
    """Items one a line: date, kind, what, source. Undated items go in a table of their own."""
    grid = Table.grid(padding=(0, 1))
    if with_date:
        grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for t in items:
        what = T(timeline_what(t, display), style="dim" if t.inherited else "")
        what.append(visible(f"  [{t.source_id} {t.locator}]"), style="dim")
        grid.add_row(*([T(timeline_when(t))] if with_date else []), T(item_kind_text(t)), what)
    return grid


def timeline_renderable(place: Place, items, display: Display = Display()) -> Group:
    """`lstui timeline` for people: the dated items in order, then the undated ones apart."""
    parts: list = [T(f"{clip(place.name_en)}  {clip(place.name_zh)}", style="bold")]
    if dated(items):
        parts.append(timeline_table(dated(items), display))
    if undated(items):
        parts += [_section("Undated (listed apart, in no order of time)"), timeline_table(undated(items), display, False)]
    if not items:
        parts.append(T("Nothing dated or undated is recorded for this place.", style="dim"))
    return Group(*parts)


TIMELINE_COLUMNS = ["date", "date_end", "kind", "what", "inherited", "from_id", "record_id", "source_id", "locator"]


def timeline_flat(items, display: Display = Display()) -> tuple[list[str], list[list]]:
    """Every item as a row (csv, markdown), undated ones last with empty dates; `kind` as in the view."""
    return TIMELINE_COLUMNS, [[t.date, t.date_end, t.kind, timeline_what(t, display), t.inherited,
                               t.from_id, t.record_id, t.source_id, t.locator] for t in items]


def timeline_dict(place: Place, items) -> dict:
    """The JSON of `lstui timeline`: the place, its dated items in order and its undated ones apart."""
    return {"place": as_dict(place), "dated": as_dict(dated(items)), "undated": as_dict(undated(items))}
