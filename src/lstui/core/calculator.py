"""What would I earn here? A pure function from a profile and the incentive rules to results.

Rules of evaluation:
- A threshold honours the comparator stored in the data: "more than 500,000 followers" is not
  met by exactly 500,000; "at least" is.
- Tiers of one incentive are alternatives (tier_mode 'highest'): the highest tier met applies.
- A field the profile leaves out is unknown, never zero: such a tier "needs info".
- US-dollar thresholds are compared after converting with the rate a source states, and the
  result names that rate.
- "Up to" amounts are discretionary maxima. They are never added into a certain total; the
  summary keeps the certain and the possible amounts apart.
- A place is covered by its own measures and by those of its ancestors that cover subdivisions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import NamedTuple

from lstui.core.models import Condition, Incentive, Place, PlaceTotal, Ranked, Rate, Tier
from lstui.core.money import Amount, Display, convert, format_count, format_money

ROLES = ("streamer", "mcn", "platform", "company")
STATUSES = ("eligible", "needs_designation", "needs_info", "unquantified", "not_eligible", "not_applicable")
MONEY_FIELDS = ("annual_sales", "valuation", "turnover")
FIELD_WORDS = {"followers": "followers", "annual_sales": "annual sales", "valuation": "company valuation",
               "turnover": "annual turnover"}
COMPARATOR_WORDS = {"more_than": "above", "at_least": "at least"}
ROLE_WORDS = {"streamer": "individual streamers", "mcn": "MCNs and agencies", "platform": "platforms",
              "company": "companies"}


@dataclass(frozen=True)
class Profile:
    role: str
    followers: int | None = None
    annual_sales: Amount | None = None
    valuation: Amount | None = None
    turnover: Amount | None = None
    new_business: bool | None = None
    buying_home: bool | None = None

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")


class Check(NamedTuple):
    """One condition held against the profile."""

    state: str  # met | unmet | unknown | designation
    text: str   # the condition, with the profile's value
    gap: str | None = None  # for unmet numeric conditions: what is missing
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

    def sort_key(self):
        return (STATUSES.index(self.status), -self.amount_cny, self.place.name_en, self.incentive.name,
                self.place.id, self.incentive.id)


class Summary(NamedTuple):
    place: Place
    certain: float = 0.0   # fixed amounts the profile qualifies for, CNY
    possible: float = 0.0  # certain plus discretionary maxima (eligible or pending designation), CNY
    results: tuple[Result, ...] = ()
    certain_usd: float | None = None  # the same in US dollars, each amount at its own rate;
    possible_usd: float | None = None  # None when some amount has no stated rate


# ---------------------------------------------------------------------------------- checks


def _needed(threshold: float, value: float, comparator: str) -> float:
    """The smallest whole-unit increase that meets the threshold."""
    if comparator == "more_than":
        return math.floor(threshold - value) + 1
    return math.ceil(threshold - value)


def condition_text(cond: Condition, display: Display = Display(), rate: Rate | None = None) -> str:
    """A condition in words, its threshold in the display's notation ("annual sales above ¥10m");
    yes/no requirements and designations read as the database words them."""
    if cond.field not in FIELD_WORDS or cond.value is None:
        return cond.text
    words = COMPARATOR_WORDS.get(cond.comparator, cond.comparator)
    if cond.field == "followers":
        return f"{FIELD_WORDS[cond.field]} {words} {display.count(cond.value)}"
    return f"{FIELD_WORDS[cond.field]} {words} {display.stated(cond.value, cond.unit, rate.cny_per_usd if rate else None)}"


def _check_numeric(cond: Condition, profile: Profile, rate: Rate | None, display: Display) -> Check:
    wanted = condition_text(cond, display, rate)
    cny_per_usd = rate.cny_per_usd if rate else None
    used_rate = None
    if cond.field == "followers":
        value = profile.followers
        you = display.count(value) if value is not None else None

        def amount(n: float) -> str:
            return format_count(n)
    else:
        given: Amount | None = getattr(profile, cond.field)
        value = you = None
        # exact figures only where nothing was converted: a converted gap is approximate anyway
        exact = given is None or given.in_currency("CNY") == cond.unit == display.currency

        def amount(n: float) -> str:
            return display.money(n, cond.unit, cny_per_usd, exact=exact)
        if given is not None:
            have = given.in_currency("CNY")
            if have != cond.unit and rate is None:
                return Check("unknown", f"{wanted} (you: {format_money(given.value, have, display.style)}; "
                                        "no stated exchange rate)")
            value = convert(given.value, have, cond.unit, rate.cny_per_usd) if have != cond.unit else given.value
            used_rate = rate if have != cond.unit else None
            you = display.money(given.value, have, cny_per_usd, exact=exact)
    if value is None:
        return Check("unknown", f"{wanted} (you: unknown)")
    met = value > cond.value if cond.comparator == "more_than" else value >= cond.value
    if met:
        return Check("met", f"{wanted} (you: {you})", rate=used_rate)
    gap = f"{wanted} (you: {you}; +{amount(_needed(cond.value, value, cond.comparator))} needed)"
    return Check("unmet", gap, gap=gap, rate=used_rate)


def check_condition(cond: Condition, profile: Profile, rate: Rate | None, display: Display = Display()) -> Check:
    if cond.field in ("followers", *MONEY_FIELDS):
        return _check_numeric(cond, profile, rate, display)
    if cond.field == "designation":
        return Check("designation", cond.wording or "an official designation")
    have = getattr(profile, cond.field)
    label = cond.text
    if have is None:
        return Check("unknown", f"{label} (you: unknown)")
    if have:
        return Check("met", label)
    return Check("unmet", f"{label} (you: no)", gap=f"{label} (you: no)")


def _tier_state(checks: list[Check]) -> str:
    states = {c.state for c in checks}
    for state in ("unmet", "unknown", "designation"):
        if state in states:
            return state
    return "met"


# --------------------------------------------------------------------------------- results


def pays(tier: Tier, rate: Rate | None, display: Display = Display()) -> str:
    """What a tier pays, in the display's notation ("up to" for a discretionary maximum)."""
    if tier.amount is None:
        return tier.description or "a benefit without a stated amount"
    return display.offer(tier.amount, tier.currency, tier.amount_type, rate.cny_per_usd if rate else None)


def _reaching(cond: Condition, profile: Profile) -> Profile:
    """`profile` with just enough of the condition's field to meet it (unknowns included)."""
    if cond.field == "followers":
        have = profile.followers or 0
        return replace(profile, followers=max(have, have + _needed(cond.value, have, cond.comparator)))
    if cond.field in MONEY_FIELDS:
        need = cond.value + (1 if cond.comparator == "more_than" else 0)
        return replace(profile, **{cond.field: Amount(need, cond.unit)})
    if cond.field in ("new_business", "buying_home"):
        return replace(profile, **{cond.field: True})
    return profile


def _next_tier(inc: Incentive, target: Tier, checks: list[Check], profile: Profile, display: Display) -> NextTier:
    """What the next tier takes, naming the best tier those missing amounts would reach.

    Tiers share thresholds: one follower more may meet the second tier as well as the first, so
    the hint evaluates the profile with the missing amounts added instead of naming `target`.
    """
    missing = tuple(c.gap or c.text for c in checks if c.state in ("unmet", "unknown"))
    pending = tuple(c.text for c in checks if c.state == "designation")
    better = profile
    for cond, check in zip(target.conditions, checks):
        if check.state in ("unmet", "unknown"):
            better = _reaching(cond, better)
    reached, allowed = target, {"met", "designation"} if pending else {"met"}
    for tier in inc.tiers:
        if tier.tier > target.tier and all(
                check_condition(c, better, inc.rate).state in allowed for c in tier.conditions):
            reached = tier
    parts = list(missing) + [f"if designated: {p}" for p in pending]
    name = f" (tier {reached.tier})" if len(inc.tiers) > 1 else ""
    text = "; ".join(parts) + f" -> {pays(reached, inc.rate, display)}{name}"
    return NextTier(reached.tier, reached.amount, reached.amount_type, reached.currency, missing + pending,
                    text.lstrip("; ") if not parts else text)


def _result(place, inc, status, tier, checks, reason, next_tier) -> Result:
    rate = next((c.rate for c in checks if c.rate is not None), None)
    by = {s: tuple(c.text for c in checks if c.state == s) for s in ("met", "unmet", "unknown", "designation")}
    return Result(place, inc, status, tier.tier if tier else None,
                  tier.amount if tier else None, tier.amount_type if tier else None,
                  tier.currency if tier else None, tier.description if tier else None,
                  by["met"], by["unmet"], by["unknown"], by["designation"], reason, next_tier, rate)


def evaluate_incentive(profile: Profile, inc: Incentive, place: Place, display: Display = Display()) -> Result:
    if profile.role not in inc.recipients:
        who = ", ".join(ROLE_WORDS[r] for r in inc.recipients)
        return _result(place, inc, "not_applicable", None, [], f"for {who} only", None)
    evaluated = [(tier, [check_condition(c, profile, inc.rate, display) for c in tier.conditions])
                 for tier in inc.tiers]
    states = [(tier, checks, _tier_state(checks)) for tier, checks in evaluated]

    def hint(tier, checks):
        return _next_tier(inc, tier, checks, profile, display)
    if not inc.quantified:
        if all(state == "unmet" for _, _, state in states):
            tier, checks, _ = states[0]
            return _result(place, inc, "not_eligible", None, checks, "conditions not met", None)
        tier, checks, _ = states[0]
        return _result(place, inc, "unquantified", None, checks,
                       "announced without amounts or criteria; ask the local government", None)
    met = [s for s in states if s[2] == "met"]
    if met:
        tier, checks, _ = met[-1]
        above = [s for s in states if s[0].tier > tier.tier]
        nxt = hint(above[0][0], above[0][1]) if above else None
        reason = "meets all conditions" if checks else "open to all: no conditions stated"
        if len(states) > 1:
            reason = f"tier {tier.tier} of {len(states)}: " + reason
        return _result(place, inc, "eligible", tier, checks, reason, nxt)
    pending = [s for s in states if s[2] == "designation"]
    if pending:
        tier, checks, _ = pending[-1]
        decided = "; ".join(c.text for c in checks if c.state == "designation")
        return _result(place, inc, "needs_designation", tier, checks,
                       f"if the authority designates you: {decided}", None)
    unknown = [s for s in states if s[2] == "unknown"]
    if unknown:
        tier, checks, _ = unknown[0]
        missing = sorted({c.text.split(" (you")[0] for c in checks if c.state == "unknown"})
        return _result(place, inc, "needs_info", None, checks, "needs to know: " + "; ".join(missing),
                       hint(tier, checks))
    tier, checks, _ = states[0]
    return _result(place, inc, "not_eligible", None, checks, "does not meet the lowest tier", hint(tier, checks))


def covering(places: dict[str, Place], incentives: list[Incentive], only: list[str] | None = None):
    """(place, incentive) pairs: each place with its own measures and those inherited from above."""
    own: dict[str, list[Incentive]] = {}
    for inc in incentives:
        if inc.alternative_to is None:
            own.setdefault(inc.jurisdiction_id, []).append(inc)
    if only is not None:
        targets = [places[p] for p in only]
    else:
        covered = {j for j, incs in own.items() if any(i.covers_subdivisions for i in incs)}
        targets = [p for pid, p in sorted(places.items())
                   if pid in own or any(a in covered for a in p.ancestors)]
    for place in targets:
        yield from ((place, inc) for inc in own.get(place.id, ()))
        for ancestor in reversed(place.ancestors):
            yield from ((place, inc) for inc in own.get(ancestor, ()) if inc.covers_subdivisions)


def evaluate(profile: Profile, incentives: list[Incentive], places: dict[str, Place],
             only: list[str] | None = None, display: Display = Display()) -> list[Result]:
    """One result per applicable incentive per place, best first.

    The reference evaluation over rules in memory. The applications rank through DuckDB
    (lstui.core.earn.earn_ranking, which must agree with this) and word only the rows shown,
    with `results_for`.
    """
    results = [evaluate_incentive(profile, inc, place, display) for place, inc in covering(places, incentives, only)]
    return sorted(results, key=Result.sort_key)


def results_for(profile: Profile, ranked: list[Ranked], incentives: dict[str, Incentive],
                places: dict[str, Place], memo: dict[str, Result] | None = None,
                display: Display = Display()) -> list[Result]:
    """Word ranked verdicts as full results; each measure is evaluated once however many places
    it covers (`memo` carries those evaluations across calls for the same profile and display)."""
    memo = {} if memo is None else memo
    out = []
    for row in ranked:
        base = memo.get(row.incentive_id)
        if base is None:
            base = memo[row.incentive_id] = evaluate_incentive(profile, incentives[row.incentive_id], None, display)
        out.append(base._replace(place=places[row.place_id]))
    return out


def ranked_totals(ranked: list[Ranked]) -> list[PlaceTotal]:
    """`summarize` for ranked verdicts: per place, the certain and the possible total, best first."""
    certain: dict[str, float] = {}
    maxima: dict[str, float] = {}
    names: dict[str, str] = {}
    for r in ranked:
        names[r.place_id] = r.place_en
        certain.setdefault(r.place_id, 0.0)
        maxima.setdefault(r.place_id, 0.0)
        if r.status == "eligible" and r.amount_type == "fixed":
            certain[r.place_id] += r.amount_cny
        elif r.status in ("eligible", "needs_designation") and r.amount_type == "up_to":
            maxima[r.place_id] += r.amount_cny
    totals = [PlaceTotal(p, names[p], certain[p], certain[p] + maxima[p]) for p in names]
    return sorted(totals, key=lambda t: (-t.possible, -t.certain, t.place_en, t.place_id))


def summarize(results: list[Result]) -> list[Summary]:
    """Per place: the certain total (fixed amounts met) and the possible total (plus maxima)."""
    by_place: dict[str, list[Result]] = {}
    for r in results:
        by_place.setdefault(r.place.id, []).append(r)
    out = []
    for group in by_place.values():
        fixed = [r for r in group if r.status == "eligible" and r.amount_type == "fixed"]
        maxima = [r for r in group if r.status in ("eligible", "needs_designation") and r.amount_type == "up_to"]
        certain = sum(r.amount_cny for r in fixed)
        usd = [r.amount_usd for r in fixed + maxima]
        certain_usd = possible_usd = None
        if None not in usd:  # every amount counted has a rate: the totals exist in dollars too
            certain_usd = sum(r.amount_usd for r in fixed)
            possible_usd = certain_usd + sum(r.amount_usd for r in maxima)
        out.append(Summary(group[0].place, certain, certain + sum(r.amount_cny for r in maxima), tuple(group),
                           certain_usd, possible_usd))
    return sorted(out, key=lambda s: (-s.possible, -s.certain, s.place.name_en, s.place.id))


# ------------------------------------------------------------------------------------ JSON

RESULT_KEYS = ("jurisdiction_id", "jurisdiction_en", "jurisdiction_zh", "measure_from_id", "measure_from_en",
               "inherited", "incentive_id", "incentive", "benefit", "recipients", "status", "tier", "tier_count",
               "amount", "amount_type", "currency", "description", "conditions_met", "conditions_unmet",
               "conditions_unknown", "needs_designation", "reason", "next_tier", "exchange_rate",
               "source_id", "locator", "alternative_reports")


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
        "benefit": r.incentive.benefit, "recipients": list(r.incentive.recipients), "status": r.status,
        "tier": r.tier, "tier_count": len(r.incentive.tiers), "amount": r.amount, "amount_type": r.amount_type,
        "currency": r.currency, "description": r.description, "conditions_met": list(r.met),
        "conditions_unmet": list(r.unmet), "conditions_unknown": list(r.unknown),
        "needs_designation": list(r.designation), "reason": r.reason, "next_tier": nxt,
        "exchange_rate": None if rate is None else {"id": rate.id, "cny_per_usd": rate.cny_per_usd,
                                                    "source_id": rate.source_id},
        "source_id": r.incentive.source_id, "locator": r.incentive.locator,
        "alternative_reports": list(r.incentive.alternatives),
    }
