"""Small immutable records returned by the named queries.

NamedTuples rather than dataclasses: they cost a fraction to define, which matters for a
command that should answer in about the time Python takes to import DuckDB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import datetime


class Place(NamedTuple):
    id: str
    name_en: str
    name_zh: str
    pinyin: str
    level: str
    parent_id: str | None
    province_en: str | None
    path_en: str
    ancestors: tuple[str, ...] = ()  # nearest first, excluding the place itself


class PlaceRow(NamedTuple):
    """A line of the Cities list."""

    id: str
    name_en: str
    name_zh: str
    pinyin: str
    level: str
    province_en: str | None
    n_targets: int
    n_incentives: int
    n_inherited_incentives: int
    sales_target: float | None
    sales_target_comparator: str | None
    sales_target_deadline: str | None
    top_individual_incentive: float | None
    top_individual_amount_type: str | None
    money_for_individuals: bool
    money_for_companies: bool
    sales_target_cny_per_usd: float | None = None  # the rate that goes with each figure (record_rates)
    top_individual_cny_per_usd: float | None = None
    sales_target_period: str | None = None  # the sales target's period in the source's words


class Condition(NamedTuple):
    field: str
    comparator: str | None
    value: float | None
    unit: str | None
    wording: str | None
    text: str
    listed_on: str | None = None  # a listing condition: domestic or overseas


class Step(NamedTuple):
    from_year: int
    to_year: int
    share: float


class Tier(NamedTuple):
    tier: int
    amount: float | None  # for a share of a cost: its cap
    currency: str | None
    amount_type: str | None
    description: str | None
    conditions: tuple[Condition, ...]
    share: float | None = None  # percent of `share_of`
    share_of: str | None = None  # the cost shared (rent, logistics costs, loan interest)
    per: str | None = None  # one_off | yearly; None: not stated
    years: float | None = None  # paid for at most this many years
    level: str | None = None  # a class or title granted
    steps: tuple[Step, ...] = ()  # shares that change over the years
    totalled: bool = True  # a sum that adds into a total (not a share of a cost, not yearly): see derived.sql


class Rate(NamedTuple):
    id: str
    cny_per_usd: float
    source_id: str


class Incentive(NamedTuple):
    id: str
    jurisdiction_id: str
    jurisdiction_en: str
    name: str
    metric: str
    recipients: tuple[str, ...] | None  # None: the source does not say who it is for
    benefit: str
    quantified: bool
    tier_mode: str
    covers_subdivisions: bool
    alternative_to: str | None
    rate: Rate | None  # the source's stated rate for US-dollar figures (or the nearest stated one)
    source_id: str
    locator: str
    note: str
    tiers: tuple[Tier, ...]
    alternatives: tuple[str, ...] = ()  # ids of other reports of this incentive


class Verdict(NamedTuple):
    """What the calculator decides about one measure for a profile: the same in every place the
    measure applies in. DuckDB decides it (lstui.core.earn); lstui.core.calculator words it."""

    status: str
    tier: int | None  # the tier that applies
    listed: int | None = None  # the tier whose conditions a result lists
    listed_states: tuple[str, ...] = ()  # met | designation | unknown | unmet: one per condition of that tier
    hint: int | None = None  # the tier the next-tier hint is about
    hint_states: tuple[str, ...] = ()  # the same for the conditions of that tier
    reached: int | None = None  # the best tier the hint's missing amounts reach


class Ranked(NamedTuple):
    """The calculator's verdict on one measure in one place, as DuckDB ranks them."""

    place_id: str
    place_en: str
    incentive_id: str
    verdict: Verdict
    amount_cny: float  # 0 when no amount applies
    amount_type: str | None
    also: tuple[str, ...] = ()  # English names of the other places shown that the measure applies in (a card)

    @property
    def status(self) -> str:
        return self.verdict.status

    @property
    def tier(self) -> int | None:
        return self.verdict.tier


class PlaceTotal(NamedTuple):
    """What one place offers a profile: fixed amounts met, and those plus discretionary maxima (CNY)."""

    place_id: str
    place_en: str
    certain: float
    possible: float
    certain_usd: float | None = None  # in US dollars, each amount at its own rate; None when
    possible_usd: float | None = None  # some amount counted has no stated rate


class Fact(NamedTuple):
    fact_id: str
    record_id: str
    jurisdiction_id: str
    kind: str
    metric: str | None
    label: str | None  # the metric's label
    subject: str | None
    value: float | None
    unit: str | None
    comparator: str | None
    wording: str | None  # the source's words for the comparator
    period: str | None
    deadline: str | None
    source_id: str
    locator: str
    note: str
    preferred: bool
    has_conflict: bool
    policy_issued: str | None = None  # when the policy behind a target was issued
    cny_per_usd: float | None = None  # the rate that goes with the figure (record_rates)
    deadline_inferred_from: str | None = None  # the deadline is not stated but read off this
    increment: bool = False  # a target to add this much ("another 3,000"), not a total
    span: str | None = None  # annual | cumulative; None: not stated
    value_high: float | None = None  # the top of a range whose bottom is `value`
    deadline_wording: str | None = None  # a deadline stated only in words

    @property
    def when(self) -> str:
        """A short 'when' for a table cell: the period in the words stored with it ("in 2020" stays
        "in 2020"), else the deadline, else the year of the plan behind it."""
        inferred = " (inferred)" if self.deadline_inferred_from else ""
        if self.period and len(self.period) <= 24:
            return self.period + inferred
        if self.deadline:
            return f"by {self.deadline}{inferred}"
        if self.policy_issued:
            return f"{self.policy_issued[:4]} plan"
        return ""


class Source(NamedTuple):
    id: str
    publisher: str
    title: str
    published: str | None
    url: str | None
    original_url: str | None
    language: str
    date_note: str | None
    note: str | None
    kind: str  # government_document, official_media, news_report, reprint or translation
    opening_only: bool = False  # only the opening of the page is archived
    original_publisher: str | None = None  # what a reprint or translation reproduces
    reprint_of: str | None = None
    translation_of: str | None = None
    reports: str | None = None  # the government document the text describes


class Policy(NamedTuple):
    id: str
    jurisdiction_id: str
    name_en: str
    name_zh: str | None
    kind: str
    issued: str | None
    issued_by: str | None
    period_start: int | None
    period_end: int | None
    source_id: str
    locator: str
    note: str
    doc_number: str | None = None
    effective: str | None = None
    expires: str | None = None
    draft: bool = False  # published for comment
    follows_id: str | None = None  # the plan this one succeeds
    follows_inferred_from: str | None = None  # the succession is not stated but read off this


class Comparison(NamedTuple):
    """A figure of a report (or reprint, translation) beside the same figure in the document it
    reports (or its original): the `source_comparisons` view."""

    source_id: str
    other_source_id: str
    link: str  # reports | reprint_of | translation_of
    jurisdiction_id: str
    kind: str
    metric: str
    label: str | None
    tier_no: int | None
    fact_id: str | None  # None: only the other source states it
    value: float | None
    unit: str | None
    comparator: str | None
    period: str | None
    locator: str | None
    other_fact_id: str | None  # None: the other source does not state it
    other_value: float | None
    other_comparator: str | None
    other_period: str | None
    other_locator: str | None
    agrees: bool | None  # None: one side is missing


class Conflict(NamedTuple):
    conflict_id: str
    aspects: tuple[str, ...]
    record_ids: tuple[str, ...]
    fact_ids: tuple[str, ...]
    source_ids: tuple[str, ...]
    preferred_record_id: str | None
    summary: str
    resolution: str | None
    kind: str = "disagreement"  # or rounding: recorded, but the figures do not disagree
    jurisdiction_ids: tuple[str, ...] = ()  # the places of the figures that disagree


class Progress(NamedTuple):
    """A target beside a statistic of its place and metric: the `progress` view, one row per pair.
    DuckDB decides the status (views.sql); lstui.core.research and lstui.render only word it."""

    jurisdiction_id: str
    jurisdiction_en: str
    metric: str
    label: str | None
    target_id: str
    target_value: float | None
    target_value_high: float | None
    target_unit: str
    target_comparator: str | None
    increment: bool
    span: str | None
    deadline: str | None
    deadline_inferred_from: str | None
    target_period: str | None
    target_subject: str | None
    policy_id: str | None
    plan_issued: str | None
    target_source_id: str
    target_locator: str
    target_preferred: bool
    target_cny_per_usd: float | None
    statistic_id: str
    statistic_value: float | None
    statistic_unit: str
    statistic_comparator: str | None
    statistic_period: str | None
    statistic_subject: str | None
    as_of: str | None  # where the statistic stands: the end of its period, else its report; None: not known
    placed_by: str | None  # period | report
    reported: str | None
    basis: str
    statistic_source_id: str
    statistic_locator: str
    statistic_preferred: bool
    statistic_cny_per_usd: float | None
    baseline_id: str | None  # the statistic an increment builds on
    baseline_value: float | None  # in the target's unit
    baseline_as_of: str | None
    goal: float | None  # the total the target comes to (an increment: on top of its baseline)
    progress_value: float | None  # what counts toward the target, in its unit
    share: float | None  # percent of the target reached
    share_comparator: str | None
    status: str  # measured, baseline, not_latest, not_measurable, not_comparable, after_deadline, ...
    reason: str
    notes: str | None
    pair_no: int  # 1: the pair that answers for the target
    headline: bool


class TimelineItem(NamedTuple):
    """One dated (or undated) item of a place's timeline: the `timeline` view."""

    jurisdiction_id: str
    date: str | None  # None: undated, listed apart
    date_end: str | None
    starts_on: datetime.date | None  # the first day `date` can mean
    ends_on: datetime.date | None  # the last day `date_end` (else `date`) can mean
    kind: str  # issued, in_force, plan_period, plan_end, follows, expires, event, statistic, target
    record_id: str
    record_kind: str  # policy, event, statistic, target
    name: str | None  # a policy's or an event's name
    other_id: str | None  # the plan a plan follows
    other_name: str | None
    inferred_from: str | None
    draft: bool
    metric: str | None
    label: str | None
    subject: str | None
    value: float | None
    value_high: float | None
    unit: str | None
    comparator: str | None
    increment: bool | None
    span: str | None
    period: str | None
    basis: str | None
    cny_per_usd: float | None
    preferred: bool
    inherited: bool  # a policy of a place above, whose measures apply here
    from_id: str
    from_en: str
    source_id: str
    locator: str
    item_no: int


class PlaceDetail(NamedTuple):
    place: Place
    policies: tuple[Policy, ...]
    targets: tuple[Fact, ...]
    statistics: tuple[Fact, ...]
    events: tuple[Fact, ...]
    incentives: tuple[Incentive, ...]
    inherited: tuple[Incentive, ...]
    conflicts: tuple[Conflict, ...]
    sources: tuple[Source, ...]
    progress: tuple[Progress, ...] = ()  # its targets beside its statistics (preferred reports)
    timeline: tuple[TimelineItem, ...] = ()


class CompareCell(NamedTuple):
    """All reports of one metric for one place (several when sources disagree)."""

    versions: tuple[Fact, ...] = ()

    @property
    def conflicting(self) -> bool:
        return any(v.has_conflict for v in self.versions)


class CompareRow(NamedTuple):
    metric: str
    label: str
    unit: str
    cells: dict  # place id -> CompareCell


# ------------------------------------------------------------------ records as DuckDB gives them
# The views build each record as a STRUCT whose keys are the fields above; these turn one into
# the record, with lists as tuples (records are immutable and hashable).


def place_from(d: dict) -> Place:
    return Place(**{**d, "ancestors": tuple(d["ancestors"] or ())})


def condition_from(d: dict) -> Condition:
    return Condition(**d)


def tier_from(d: dict) -> Tier:
    return Tier(**{**d, "conditions": tuple(condition_from(c) for c in d["conditions"] or ()),
                   "steps": tuple(Step(**s) for s in d.get("steps") or ())})


def incentive_from(d: dict) -> Incentive:
    return Incentive(**{**d, "recipients": tuple(d["recipients"]) if d["recipients"] is not None else None, "rate": Rate(**d["rate"]) if d["rate"] else None,
                        "tiers": tuple(tier_from(t) for t in d["tiers"]),
                        "alternatives": tuple(d["alternatives"] or ())})


def conflict_from(d: dict) -> Conflict:
    return Conflict(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


def detail_from(page: dict) -> PlaceDetail:
    facts = [Fact(**f) for f in page["facts"]]
    return PlaceDetail(
        place_from(page["place"]),
        tuple(Policy(**p) for p in page["policies"]),
        tuple(f for f in facts if f.kind == "target"),
        tuple(f for f in facts if f.kind == "statistic"),
        tuple(f for f in facts if f.kind == "event"),
        tuple(incentive_from(i) for i in page["incentives"]),
        tuple(incentive_from(i) for i in page["inherited"]),
        tuple(conflict_from(c) for c in page["conflicts"]),
        tuple(Source(**s) for s in page["sources"]),
        tuple(Progress(**p) for p in page.get("progress") or ()),
        tuple(TimelineItem(**t) for t in page.get("timeline") or ()),
    )


def as_dict(value):
    """A record, and the records inside it, as plain dicts and lists (for JSON): keys are fields."""
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: as_dict(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [as_dict(v) for v in value]
    if isinstance(value, dict):
        return {k: as_dict(v) for k, v in value.items()}
    return value
