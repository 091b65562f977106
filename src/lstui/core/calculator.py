"""What would I earn here? The calculator's answers, in words.

DuckDB decides (lstui.core.earn, the rules in earn.sql) and this module only words what it
decided: each condition with the profile's value and what is missing, the reason, the next-tier
hint. The rules, as docs/cli.md states them:
- A threshold honours the comparator stored in the data: "more than 500,000 followers" is not
  met by exactly 500,000; "at least" is.
- Tiers of one incentive are alternatives (tier_mode 'highest'): the highest tier met applies.
- A field the profile leaves out is unknown, never zero: such a tier "needs info".
- US-dollar thresholds are compared after converting with the rate a source states, and the
  result names that rate.
- "Up to" amounts are discretionary maxima. They are never added into a certain total; the
  totals keep the certain and the possible amounts apart.
- A place is covered by its own measures and by those of its ancestors that cover subdivisions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from lstui.core.models import Condition, Incentive, Place, Ranked, Rate, Tier, Verdict
from lstui.core.money import Amount, Display, convert, format_count, format_money
from lstui.core.vocab import COUNT_FIELDS, FIELD_WORDS, LISTING_WORDS, LISTINGS, MONEY_FIELDS, NUMERIC_FIELDS, ROLE_WORDS, ROLES

COMPARATOR_WORDS = {"more_than": "above", "at_least": "at least"}
UNIT_WORDS = {"sqm": " m²"}


@dataclass(frozen=True)
class Profile:
    role: str
    followers: int | None = None
    annual_sales: Amount | None = None
    valuation: Amount | None = None
    turnover: Amount | None = None
    new_business: bool | None = None
    buying_home: bool | None = None
    tax_paid: Amount | None = None  # by the company (for a streamer: the agency that recommends them)
    local_product_sales: Amount | None = None
    floor_area: float | None = None  # square metres rented
    exclusive_contract: bool | None = None
    registered_locally: bool | None = None
    listing: str | None = None  # domestic | overseas | none; None: unknown

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if self.listing is not None and self.listing not in (*LISTINGS, "none"):
            raise ValueError(f"listing must be one of {', '.join((*LISTINGS, 'none'))}")


class Check(NamedTuple):
    """One condition held against the profile, in words."""

    state: str  # met | unmet | unknown | designation, as the calculator found it
    text: str   # the condition, with the profile's value
    gap: str | None = None  # for unmet conditions: what is missing
    rate: Rate | None = None  # set when a currency conversion was needed


class NextTier(NamedTuple):
    tier: int
    amount: float | None
    amount_type: str | None
    currency: str | None
    missing: tuple[str, ...]
    text: str


class Result(NamedTuple):
    place: Place
    incentive: Incentive
    status: str
    tier: int | None
    amount: float | None
    amount_type: str | None
    currency: str | None
    description: str | None
    met: tuple[str, ...]
    unmet: tuple[str, ...]
    unknown: tuple[str, ...]
    designation: tuple[str, ...]
    reason: str
    next_tier: NextTier | None
    rate: Rate | None

    @property
    def inherited(self) -> bool:
        return self.incentive.jurisdiction_id != self.place.id

    @property
    def amount_cny(self) -> float:
        if self.amount is None:
            return 0.0
        if self.currency == "USD" and self.incentive.rate:
            return self.amount * self.incentive.rate.cny_per_usd
        return self.amount

    @property
    def amount_usd(self) -> float | None:
        """The amount in US dollars at the measure's rate (None: no rate to convert it at)."""
        if self.amount is None:
            return 0.0
        if self.currency == "USD":
            return self.amount
        return self.amount / self.incentive.rate.cny_per_usd if self.incentive.rate else None


# ------------------------------------------------------------------------------- conditions


def needed(threshold: float, value: float, comparator: str) -> float:
    """The smallest whole-unit increase that takes `value` past the threshold (to word a gap)."""
    if comparator == "more_than":
        return math.floor(threshold - value) + 1
    return math.ceil(threshold - value)


def condition_text(cond: Condition, display: Display = Display(), rate: Rate | None = None) -> str:
    """A condition in words, its threshold in the display's notation ("annual sales above ¥10m");
    yes/no requirements and designations read as the database words them."""
    if cond.field not in NUMERIC_FIELDS or cond.value is None:
        return cond.text
    words = COMPARATOR_WORDS.get(cond.comparator, cond.comparator)
    if cond.field in COUNT_FIELDS:
        return f"{FIELD_WORDS[cond.field]} {words} {display.count(cond.value)}{UNIT_WORDS.get(cond.unit, '')}"
    return f"{FIELD_WORDS[cond.field]} {words} {display.stated(cond.value, cond.unit, rate.cny_per_usd if rate else None)}"


def _worded_count(cond: Condition, state: str, profile: Profile, display: Display) -> Check:
    wanted = condition_text(cond, display)
    value = getattr(profile, cond.field)
    if state == "unknown":
        return Check(state, f"{wanted} (you: unknown)")
    unit = UNIT_WORDS.get(cond.unit, "")
    you = f"{wanted} (you: {display.count(value)}{unit}"
    if state == "met":
        return Check(state, you + ")")
    gap = f"{you}; +{format_count(needed(cond.value, value, cond.comparator))}{unit} needed)"
    return Check(state, gap, gap=gap)


def _worded_sum(cond: Condition, state: str, profile: Profile, rate: Rate | None, display: Display) -> Check:
    wanted = condition_text(cond, display, rate)
    given: Amount | None = getattr(profile, cond.field)
    if given is None:
        return Check(state, f"{wanted} (you: unknown)")
    have = given.in_currency("CNY")
    if state == "unknown":  # given in the other currency, with no rate to convert it at
        return Check(state, f"{wanted} (you: {format_money(given.value, have, display.style)}; "
                            "no stated exchange rate)")
    cny_per_usd = rate.cny_per_usd if rate else None
    # exact figures only where nothing was converted: a converted gap is approximate anyway
    exact = have == cond.unit == display.currency
    used = rate if have != cond.unit else None
    you = f"{wanted} (you: {display.money(given.value, have, cny_per_usd, exact=exact)}"
    if state == "met":
        return Check(state, you + ")", rate=used)
    value = convert(given.value, have, cond.unit, cny_per_usd) if used else given.value
    gap = f"{you}; +{display.money(needed(cond.value, value, cond.comparator), cond.unit, cny_per_usd, exact=exact)} needed)"
    return Check(state, gap, gap=gap, rate=used)


def worded_condition(cond: Condition, state: str, profile: Profile, rate: Rate | None,
                     display: Display = Display()) -> Check:
    """A condition in words, in the state the calculator found it in, with the profile's value
    and, when it is not met, what is missing ("+¥5,000,001 needed")."""
    if cond.field in COUNT_FIELDS:
        return _worded_count(cond, state, profile, display)
    if cond.field in MONEY_FIELDS:
        return _worded_sum(cond, state, profile, rate, display)
    if cond.field == "designation":
        return Check(state, cond.wording or "an official designation")
    if state == "unknown":
        return Check(state, f"{cond.text} (you: unknown)")
    if state == "met":
        return Check(state, cond.text)
    you = LISTING_WORDS[profile.listing] if cond.field == "listing" else "no"
    return Check(state, f"{cond.text} (you: {you})", gap=f"{cond.text} (you: {you})")


def _worded_tier(tier: Tier, states: tuple[str, ...], profile: Profile, rate: Rate | None,
                 display: Display) -> list[Check]:
    return [worded_condition(c, s, profile, rate, display) for c, s in zip(tier.conditions, states)]


# ---------------------------------------------------------------------------------- results


def _share(tier: Tier) -> str:
    """A share of a cost: "50% of logistics costs", "rent: 100% in years 1-2, 60% in year 3"."""
    if tier.steps:
        steps = ", ".join(f"{s.share:g}% in year{'s' if s.to_year > s.from_year else ''} "
                          f"{s.from_year}{'-' + str(s.to_year) if s.to_year > s.from_year else ''}" for s in tier.steps)
        return f"{tier.share_of}: {steps}"
    if tier.share is None:
        return f"a share (not stated) of {tier.share_of}"
    return f"{tier.share:g}% of {tier.share_of}"


def pays(tier: Tier, rate: Rate | None, display: Display = Display()) -> str:
    """What a tier pays, as what it is, in the display's notation: a sum ("up to" for a discretionary
    maximum), a share of a cost with its cap, a yearly amount, for how many years; a class granted."""
    parts = []
    if tier.share_of is not None:
        parts.append(_share(tier))
    if tier.amount is not None:
        money = display.money(tier.amount, tier.currency, rate.cny_per_usd if rate else None)
        yearly = " a year" if tier.per == "yearly" else ""
        if tier.share_of is not None:
            parts.append(f"at most {money}{yearly}")
        else:
            parts.append(("up to " if tier.amount_type == "up_to" else "") + money + yearly
                         + (", once" if tier.per == "one_off" else ""))
    if tier.years is not None:
        parts.append(f"for at most {tier.years:g} year{'s' if tier.years != 1 else ''}")
    if tier.level is not None:
        parts.insert(0, tier.level + (f" ({tier.description})" if tier.description else ""))
    elif not parts:
        return tier.description or "a benefit without a stated amount"
    return ", ".join(parts)


def _next_tier(inc: Incentive, checks: list[Check], reached: Tier, display: Display) -> NextTier:
    """What the hint's tier is missing, and what the best tier those missing amounts reach pays
    (tiers share thresholds: one follower more may meet the second tier as well as the first)."""
    missing = tuple(c.gap or c.text for c in checks if c.state in ("unmet", "unknown"))
    pending = tuple(c.text for c in checks if c.state == "designation")
    parts = list(missing) + [f"if designated: {p}" for p in pending]
    name = f" (tier {reached.tier})" if len(inc.tiers) > 1 else ""
    text = "; ".join(parts) + f" -> {pays(reached, inc.rate, display)}{name}"
    return NextTier(reached.tier, reached.amount, reached.amount_type, reached.currency, missing + pending,
                    text.lstrip("; ") if not parts else text)


def _reason(status: str, inc: Incentive, tier: int | None, checks: list[Check]) -> str:
    """The status in plain words."""
    if status == "eligible":
        reason = "meets all conditions" if checks else "open to all: no conditions stated"
        return f"tier {tier} of {len(inc.tiers)}: {reason}" if len(inc.tiers) > 1 else reason
    if status == "needs_designation":
        return "if the authority designates you: " + "; ".join(c.text for c in checks if c.state == "designation")
    if status == "needs_info":
        return "needs to know: " + "; ".join(sorted({c.text.split(" (you")[0] for c in checks if c.state == "unknown"}))
    if status == "unquantified":
        if inc.recipients is None:
            return "announced without amounts, criteria or who it is for; ask the local government"
        return "announced without amounts or criteria; ask the local government"
    if status == "not_applicable":
        return f"for {', '.join(ROLE_WORDS[r] for r in inc.recipients)} only"
    return "does not meet the lowest tier" if inc.quantified else "conditions not met"


def worded_result(verdict: Verdict, inc: Incentive, place: Place | None, profile: Profile,
                  display: Display = Display()) -> Result:
    """The calculator's verdict on a measure, in words: the conditions of the tier it lists (the
    met, the unmet, the unknown and those awaiting a designation), the reason and the hint."""
    tiers = {t.tier: t for t in inc.tiers}
    checks = _worded_tier(tiers[verdict.listed], verdict.listed_states, profile, inc.rate, display) \
        if verdict.listed is not None else []
    hint = None
    if verdict.hint is not None:
        hint_checks = _worded_tier(tiers[verdict.hint], verdict.hint_states, profile, inc.rate, display)
        hint = _next_tier(inc, hint_checks, tiers[verdict.reached], display)
    tier = tiers.get(verdict.tier)
    by = {s: tuple(c.text for c in checks if c.state == s) for s in ("met", "unmet", "unknown", "designation")}
    return Result(place, inc, verdict.status, verdict.tier, tier.amount if tier else None,
                  tier.amount_type if tier else None, tier.currency if tier else None,
                  tier.description if tier else None, by["met"], by["unmet"], by["unknown"], by["designation"],
                  _reason(verdict.status, inc, verdict.tier, checks), hint,
                  next((c.rate for c in checks if c.rate is not None), None))


def results_for(profile: Profile, ranked: list[Ranked], incentives: dict[str, Incentive],
                places: dict[str, Place], memo: dict[str, Result] | None = None,
                display: Display = Display()) -> list[Result]:
    """Word ranked verdicts as full results; each measure is worded once however many places it
    covers (`memo` carries those across calls for the same profile and display)."""
    memo = {} if memo is None else memo
    out = []
    for row in ranked:
        base = memo.get(row.incentive_id)
        if base is None:
            base = memo[row.incentive_id] = worded_result(row.verdict, incentives[row.incentive_id], None,
                                                          profile, display)
        out.append(base._replace(place=places[row.place_id]))
    return out


# ------------------------------------------------------------------------------------ JSON

RESULT_KEYS = ("jurisdiction_id", "jurisdiction_en", "jurisdiction_zh", "measure_from_id", "measure_from_en",
               "inherited", "incentive_id", "incentive", "benefit", "recipients", "status", "tier", "tier_count",
               "amount", "amount_type", "currency", "description", "conditions_met", "conditions_unmet",
               "conditions_unknown", "needs_designation", "reason", "next_tier", "exchange_rate",
               "source_id", "locator", "alternative_reports", "share", "share_of", "per", "years", "steps", "level",
               "totalled")


def result_to_dict(r: Result) -> dict:
    """The stable JSON shape of a result (documented in docs/cli.md)."""
    rate = r.rate or (r.incentive.rate if r.currency == "USD" else None)
    nxt = None
    if r.next_tier is not None:
        n = r.next_tier
        nxt = {"tier": n.tier, "amount": n.amount, "amount_type": n.amount_type, "currency": n.currency,
               "missing": list(n.missing), "text": n.text}
    return {
        "jurisdiction_id": r.place.id, "jurisdiction_en": r.place.name_en, "jurisdiction_zh": r.place.name_zh,
        "measure_from_id": r.incentive.jurisdiction_id, "measure_from_en": r.incentive.jurisdiction_en,
        "inherited": r.inherited, "incentive_id": r.incentive.id, "incentive": r.incentive.name,
        "benefit": r.incentive.benefit, "recipients": list(r.incentive.recipients) if r.incentive.recipients is not None else None, "status": r.status,
        "tier": r.tier, "tier_count": len(r.incentive.tiers), "amount": r.amount, "amount_type": r.amount_type,
        "currency": r.currency, "description": r.description, "conditions_met": list(r.met),
        "conditions_unmet": list(r.unmet), "conditions_unknown": list(r.unknown),
        "needs_designation": list(r.designation), "reason": r.reason, "next_tier": nxt,
        "exchange_rate": None if rate is None else {"id": rate.id, "cny_per_usd": rate.cny_per_usd,
                                                    "source_id": rate.source_id},
        "source_id": r.incentive.source_id, "locator": r.incentive.locator,
        "alternative_reports": list(r.incentive.alternatives),
        **_tier_terms(next((t for t in r.incentive.tiers if t.tier == r.tier), None)),
    }


def _tier_terms(tier: Tier | None) -> dict:
    """How the tier that applies pays: a share of a cost, yearly or once, for how long, a class."""
    if tier is None:
        return {"share": None, "share_of": None, "per": None, "years": None, "steps": [], "level": None,
                "totalled": None}
    return {"share": tier.share, "share_of": tier.share_of, "per": tier.per, "years": tier.years,
            "steps": [s._asdict() for s in tier.steps], "level": tier.level, "totalled": tier.totalled}
