"""The calculator's rules once more, in plain Python over rules in memory: the reference that the
tests hold DuckDB's verdicts (lstui.core.earn, earn.sql) against.

It decides what the SQL decides (each condition's state, the status, the tier that applies, the
tier a result lists, the tier of the next-tier hint and the best tier its missing amounts reach,
the totals per place, the grouping of a measure's places into one card) and words its verdicts
with the application's own wording (lstui.core.calculator.worded_result), so that a result from
either side reads the same when they agree.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import NamedTuple

from lstui.core.calculator import Profile, Result, worded_result
from lstui.core.models import Condition, Incentive, Place, PlaceTotal, Ranked, Rate, Tier, Verdict
from lstui.core.money import Amount, Display, convert
from lstui.core.vocab import COUNT_FIELDS, MONEY_FIELDS, STATUSES, YES_NO_FIELDS


# ---------------------------------------------------------------------------------- states


def state(cond: Condition, profile: Profile, rate: Rate | None) -> str:
    """met | unmet | unknown | designation: a threshold honours its comparator; a field left out
    is unknown; a sum in the other currency is converted at the measure's rate (unknown without)."""
    if cond.field == "designation":
        return "designation"
    if cond.field == "listing":
        return "unknown" if profile.listing is None else ("met" if profile.listing == cond.listed_on else "unmet")
    if cond.field in COUNT_FIELDS:
        value = getattr(profile, cond.field)
    elif cond.field in MONEY_FIELDS:
        given: Amount | None = getattr(profile, cond.field)
        if given is None:
            return "unknown"
        have = given.in_currency("CNY")
        if have != cond.unit and rate is None:
            return "unknown"
        value = convert(given.value, have, cond.unit, rate.cny_per_usd) if have != cond.unit else given.value
    else:
        have = getattr(profile, cond.field)
        return "unknown" if have is None else ("met" if have else "unmet")
    if value is None:
        return "unknown"
    met = value > cond.value if cond.comparator == "more_than" else value >= cond.value
    return "met" if met else "unmet"


def tier_state(states: list[str]) -> str:
    """A tier is as far from being met as its farthest condition."""
    for s in ("unmet", "unknown", "designation"):
        if s in states:
            return s
    return "met"


# ----------------------------------------------------------------------------- next tier


def _needed(threshold: float, value: float, comparator: str) -> float:
    if comparator == "more_than":
        return math.floor(threshold - value) + 1
    return math.ceil(threshold - value)


def _reaching(cond: Condition, profile: Profile) -> Profile:
    """`profile` with just enough of the condition's field to meet it (unknowns included)."""
    if cond.field in COUNT_FIELDS:
        have = getattr(profile, cond.field) or 0
        return replace(profile, **{cond.field: max(have, have + _needed(cond.value, have, cond.comparator))})
    if cond.field == "listing":
        return replace(profile, listing=cond.listed_on)
    if cond.field in MONEY_FIELDS:
        need = cond.value + (1 if cond.comparator == "more_than" else 0)
        return replace(profile, **{cond.field: Amount(need, cond.unit)})
    if cond.field in YES_NO_FIELDS:
        return replace(profile, **{cond.field: True})
    return profile


def reached(inc: Incentive, target: Tier, states: list[str], profile: Profile) -> Tier:
    """The best tier that the missing amounts of `target` reach: the profile with each unmet or
    unknown field raised to what `target` needs, the highest tier above it met in full (a
    designation counts only if `target` awaits one too)."""
    better = profile
    for cond, s in zip(target.conditions, states):
        if s in ("unmet", "unknown"):
            better = _reaching(cond, better)
    best, allowed = target, {"met", "designation"} if "designation" in states else {"met"}
    for tier in inc.tiers:
        if tier.tier > target.tier and all(state(c, better, inc.rate) in allowed for c in tier.conditions):
            best = tier
    return best


# ------------------------------------------------------------------------------- verdicts


def _with_hint(status: str, tier: Tier | None, listed: tuple, hint: tuple | None, inc: Incentive,
               profile: Profile) -> Verdict:
    """A verdict; `listed` and `hint` are (tier, states) or None."""
    v = Verdict(status, tier.tier if tier else None, listed[0].tier, tuple(listed[1]))
    if hint is None:
        return v
    return v._replace(hint=hint[0].tier, hint_states=tuple(hint[1]), reached=reached(inc, *hint, profile).tier)


def verdict(profile: Profile, inc: Incentive) -> Verdict:
    """What the calculator decides about a measure for a profile (the same in every place)."""
    if inc.recipients is not None and profile.role not in inc.recipients:
        return Verdict("not_applicable", None)
    states = [(t, [state(c, profile, inc.rate) for c in t.conditions]) for t in inc.tiers]
    overall = [tier_state(s) for _, s in states]
    if not inc.quantified:
        return Verdict("not_eligible" if all(s == "unmet" for s in overall) else "unquantified", None,
                       states[0][0].tier, tuple(states[0][1]))
    for status, wanted in (("eligible", "met"), ("needs_designation", "designation")):
        found = [i for i, s in enumerate(overall) if s == wanted]
        if found:
            i = found[-1]
            hint = states[i + 1] if status == "eligible" and i + 1 < len(states) else None
            return _with_hint(status, states[i][0], states[i], hint, inc, profile)
    unknown = [i for i, s in enumerate(overall) if s == "unknown"]
    if unknown:
        return _with_hint("needs_info", None, states[unknown[0]], states[unknown[0]], inc, profile)
    return _with_hint("not_eligible", None, states[0], states[0], inc, profile)


def evaluate_incentive(profile: Profile, inc: Incentive, place: Place, display: Display = Display()) -> Result:
    return worded_result(verdict(profile, inc), inc, place, profile, display)


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


def sort_key(r: Result):
    """Best first: by status, then amount, then place and measure."""
    return (STATUSES.index(r.status), -r.amount_cny, r.place.name_en, r.incentive.name, r.place.id, r.incentive.id)


def evaluate(profile: Profile, incentives: list[Incentive], places: dict[str, Place],
             only: list[str] | None = None, display: Display = Display()) -> list[Result]:
    """One result per applicable incentive per place, best first."""
    results = [evaluate_incentive(profile, inc, place, display) for place, inc in covering(places, incentives, only)]
    return sorted(results, key=sort_key)


# ---------------------------------------------------------------------------------- totals


class Summary(NamedTuple):
    place: Place
    certain: float = 0.0   # fixed amounts the profile qualifies for, CNY
    possible: float = 0.0  # certain plus discretionary maxima (eligible or pending designation), CNY
    results: tuple[Result, ...] = ()
    certain_usd: float | None = None  # the same in US dollars, each amount at its own rate;
    possible_usd: float | None = None  # None when some amount has no stated rate


def _totalled(r: Result) -> bool:
    """Shares of a cost and yearly amounts are stated, never added into a total."""
    return _sum(next(t for t in r.incentive.tiers if t.tier == r.tier))


def _sum(tier: Tier) -> bool:
    return tier.share_of is None and tier.per != "yearly"


def summarize(results: list[Result]) -> list[Summary]:
    """Per place: the certain total (fixed amounts met) and the possible total (plus maxima)."""
    by_place: dict[str, list[Result]] = {}
    for r in results:
        by_place.setdefault(r.place.id, []).append(r)
    out = []
    for group in by_place.values():
        fixed = [r for r in group if r.status == "eligible" and r.amount_type == "fixed" and _totalled(r)]
        maxima = [r for r in group if r.status in ("eligible", "needs_designation") and r.amount_type == "up_to"
                  and _totalled(r)]
        certain = sum(r.amount_cny for r in fixed)
        usd = [r.amount_usd for r in fixed + maxima]
        certain_usd = possible_usd = None
        if None not in usd:  # every amount counted has a rate: the totals exist in dollars too
            certain_usd = sum(r.amount_usd for r in fixed)
            possible_usd = certain_usd + sum(r.amount_usd for r in maxima)
        out.append(Summary(group[0].place, certain, certain + sum(r.amount_cny for r in maxima), tuple(group),
                           certain_usd, possible_usd))
    return sorted(out, key=lambda s: (-s.possible, -s.certain, s.place.name_en, s.place.id))


def ranked_totals(ranked: list[Ranked], incentives: dict[str, Incentive]) -> list[PlaceTotal]:
    """`summarize` for ranked verdicts: per place, the certain and the possible total, best first."""
    certain: dict[str, float] = {}
    maxima: dict[str, float] = {}
    names: dict[str, str] = {}
    for r in ranked:
        names[r.place_id] = r.place_en
        certain.setdefault(r.place_id, 0.0)
        maxima.setdefault(r.place_id, 0.0)
        if r.tier is not None and not _sum(next(t for t in incentives[r.incentive_id].tiers if t.tier == r.tier)):
            continue
        if r.status == "eligible" and r.amount_type == "fixed":
            certain[r.place_id] += r.amount_cny
        elif r.status in ("eligible", "needs_designation") and r.amount_type == "up_to":
            maxima[r.place_id] += r.amount_cny
    totals = [PlaceTotal(p, names[p], certain[p], certain[p] + maxima[p]) for p in names]
    return sorted(totals, key=lambda t: (-t.possible, -t.certain, t.place_en, t.place_id))


# -------------------------------------------------------------------------------- grouping


def cards(results: list[Result]) -> list[tuple[Result, list[str]]]:
    """One card per measure, in ranking order: at the place it comes from when that place is among
    the results, else at the first place listed, with the English names of the other places."""
    by_measure: dict[str, list[Result]] = {}
    for r in results:
        by_measure.setdefault(r.incentive.id, []).append(r)
    chosen = {}
    for inc_id, group in by_measure.items():
        home = [r for r in group if not r.inherited]
        card = home[0] if home else group[0]
        chosen[inc_id] = (card, [r.place.name_en for r in group if r is not card])
    return [chosen[r.incentive.id] for r in results if chosen[r.incentive.id][0] is r]
