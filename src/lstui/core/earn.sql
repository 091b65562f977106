-- The calculator's rules, decided by DuckDB for every measure at once: lstui.core.earn puts these
-- parts together into a query for a profile, and lstui.core.calculator only words what they decide.
--
-- Each part starts with a line "-- name: <part>". A word in braces is a slot that earn.py fills
-- with SQL text (another part, or the part of a query that depends on which fields the profile
-- gives), never with a user's value: those stay parameters ($role, $followers, $places, ...), so
-- that a field left out costs nothing and a value reaches DuckDB only bound.


-- name: condition
-- How far the condition `c` of a tier is from being met: 0 met, 1 awaits an official designation,
-- 2 unknown (the profile leaves the field out, or a sum in the other currency has no rate to be
-- converted at), 3 not met. {branches} holds a `branch` for each yes/no field with a value,
-- {threshold} judges counts and sums.
CASE c.field WHEN 'designation' THEN 1 {branches} ELSE {threshold} END

-- name: branch
WHEN '{field}' THEN {value}

-- name: threshold
-- A count or a sum against the condition's threshold, honouring the comparator stored with it
-- ("more than" is not met by the threshold itself). {value} is the profile's figure for the
-- condition's field, in its unit (NULL: unknown); the sign of the difference picks "not met"
-- (below), the comparator's answer (at the threshold) or "met" (above), and NULL picks nothing.
coalesce([3, CASE WHEN c.comparator = 'more_than' THEN 3 ELSE 0 END, 0][sign({value} - c.value) + 2], 2)

-- name: value
-- The profile's figure for the condition's field: {branches} holds a `branch` for each count or
-- sum with a value.
CASE c.field {branches} END

-- name: in_unit
-- A sum of money {value} in the currency {unit}, in the condition's currency: converted at the
-- measure's own rate (NULL when it has none).
(CASE WHEN c.unit = {unit} THEN {value}
      WHEN c.unit = 'USD' AND {unit} = 'CNY' THEN {value} / cny_per_usd
      WHEN c.unit = 'CNY' AND {unit} = 'USD' THEN {value} * cny_per_usd END)

-- name: yes_no
(CASE WHEN {value} IS NULL THEN 2 WHEN {value} THEN 0 ELSE 3 END)

-- name: listing
-- Where the profile's company is listed ($listing: domestic, overseas or none) against the market
-- a listing condition names.
(CASE WHEN c.listed_on = $listing::VARCHAR THEN 0 ELSE 3 END)

-- name: state
-- A distance in words, as a result lists its conditions.
['met', 'designation', 'unknown', 'unmet'][{distance} + 1]


-- name: verdicts
-- Each measure's verdict. A tier is as far from being met as its farthest condition, a measure
-- as near as its nearest tier; the highest tier that near applies (`applied`, its position in
-- `tiers`, which are in order). A measure for other roles is not applicable. `shown`: the places
-- shown that the measure applies in ({shown}), by English name; measures in none are left out;
-- `home_shown`: whether the place the measure comes from is one of them ({home_shown}).
measures AS (
    -- a measure that does not say who it is for may be for anyone (it is never quantified)
    SELECT *, coalesce(list_contains(recipients, $role), true) AS for_role, {shown} AS shown, {home_shown} AS home_shown
      FROM internal.calculator_tiers
     {where}
), judged AS (
    -- every condition's distance, tier by tier (`states`)
    SELECT *, CASE WHEN for_role THEN list_transform(tiers, lambda t: list_transform(t.conditions,
                   lambda c: {condition})) END AS states
      FROM measures
     WHERE len(shown) > 0
), tiered AS (
    SELECT *, list_transform(states, lambda d: coalesce(list_max(d), 0)) AS distances FROM judged
), outcome AS (
    SELECT *, list_min(distances) AS distance,
           len(distances) + 1 - list_position(list_reverse(distances), list_min(distances)) AS applied
      FROM tiered
), decided AS (
    -- a measure announced without amounts or criteria is "unquantified" unless no tier can be met
    SELECT *,
           CASE WHEN NOT for_role THEN 'not_applicable'
                WHEN NOT quantified THEN CASE WHEN distance = 3 THEN 'not_eligible' ELSE 'unquantified' END
                ELSE ['eligible', 'needs_designation', 'needs_info', 'not_eligible'][distance + 1] END AS status,
           CASE WHEN for_role AND quantified AND distance <= 1 THEN tiers[applied] END AS paid
      FROM outcome
), verdicts AS MATERIALIZED (
    -- materialised: the list, its counts and the totals all read it, and it is decided once
    SELECT incentive_id, name, quantified, jurisdiction_id, jurisdiction_en, cny_per_usd, tiers, shown, home_shown,
           states, distances, applied, status, paid.tier_no AS tier, coalesce(paid.amount_cny, 0.0) AS amount_cny,
           CASE WHEN paid IS NULL THEN 0.0 ELSE paid.amount_usd END AS amount_usd, paid.amount_type AS amount_type,
           paid.totalled AS totalled
      FROM decided
)

-- name: order
-- {sort}: the terms of a column the user sorts by (lstui.core.earn.RESULT_SORTS), or nothing.
{sort}list_position($statuses, status), amount_cny DESC, place.name_en, name, place.id, incentive_id

-- name: rows
-- One row per place shown and measure.
rows AS (
    SELECT *, unnest(shown) AS place FROM {source}
)

-- name: cards
-- One card per measure, for people: at the place the measure comes from when that place is
-- shown, else at the first place shown (a measure's places are in ranking order); `also`
-- names the other places shown that it applies in.
cards AS (
    SELECT *, CASE WHEN home_shown THEN {'id': jurisdiction_id, 'name_en': jurisdiction_en} ELSE shown[1] END AS place
      FROM {source}
)

-- name: also
-- A card's other places, by English name.
list_transform(list_filter(shown, lambda p: p.id <> place.id), lambda p: p.name_en)

-- name: totals
-- What each place shown offers: the fixed amounts of the measures met (certain), and those plus
-- the discretionary maxima ("up to") of measures met or awaiting a designation (possible); in
-- dollars too, each amount at its own rate, unless some amount counted has no rate. Shares of a
-- cost and yearly amounts are not sums that can be added (`totalled`). A place with nothing
-- counted has no row.
counted AS (
    SELECT unnest(shown) AS place, amount_type, amount_cny, amount_usd
      FROM verdicts
     WHERE totalled
       AND ((status = 'eligible' AND amount_type = 'fixed')
            OR (status IN ('eligible', 'needs_designation') AND amount_type = 'up_to'))
), totals AS (
    SELECT place.id AS place_id, any_value(place.name_en) AS place_en,
           coalesce(sum(amount_cny) FILTER (WHERE amount_type = 'fixed'), 0.0) AS certain,
           sum(amount_cny) AS possible,
           CASE WHEN count(amount_usd) = count(*)
                THEN coalesce(sum(amount_usd) FILTER (WHERE amount_type = 'fixed'), 0.0) END AS certain_usd,
           CASE WHEN count(amount_usd) = count(*) THEN sum(amount_usd) END AS possible_usd
      FROM counted
     GROUP BY place.id
)

-- name: detail
-- What a result lists, for the rows of {source} only (those returned): the tier whose conditions
-- it lists (the one that applies; the lowest with unknown conditions when it needs information;
-- else the lowest), the tier its next-tier hint is about (the one above the tier that applies;
-- the lowest with unknown conditions; the lowest when none is met), the state of each of their
-- conditions, and the best tier the hint's missing amounts reach.
hinted AS (
    SELECT *,
           CASE WHEN status IN ('eligible', 'needs_designation') THEN applied
                WHEN status = 'needs_info' THEN list_position(distances, 2)
                WHEN status <> 'not_applicable' THEN 1 END AS listed,
           CASE WHEN status = 'eligible' THEN CASE WHEN applied < len(tiers) THEN applied + 1 END
                WHEN status = 'needs_info' THEN list_position(distances, 2)
                WHEN status = 'not_eligible' AND quantified THEN 1 END AS hint
      FROM {source}
), raised AS (
    -- what the hint's tier takes: each condition on it that the profile does not meet, or leaves
    -- unknown, raised to just what it needs. A count rises to the smallest whole number that meets
    -- all of them; a sum to the threshold of the last (one unit more for "more than"), in that
    -- condition's currency; yes/no to yes; a listing to the market it names. One entry per such
    -- condition; the last for a field counts.
    SELECT *, list_transform(short, lambda c: {'field': c.field, 'unit': c.unit, 'listed_on': c.listed_on, 'value':
               CASE WHEN c.field IN {count_fields} THEN list_max(list_transform(list_filter(short, lambda x: x.field = c.field),
                                                                            lambda x: {count_needs}))
                    ELSE {sum_needs} END}) AS raised
      FROM (SELECT *, list_filter(tiers[hint].conditions, lambda c, i: states[hint][i] >= 2) AS short FROM hinted)
), reached AS (
    -- the highest tier above the hint's that the profile meets in full once raised: a condition on
    -- a field raised is judged against the raised figure, any other as the profile stands; a
    -- designation counts as met only when the hint's tier awaits one too
    SELECT *,
           CASE WHEN hint IS NOT NULL THEN coalesce(len(tiers) + 1 - list_position(list_reverse(list_transform(tiers,
               lambda t, i: i > hint AND coalesce(list_bool_and(list_transform(t.conditions, lambda c, j:
                   CASE WHEN c.field = 'designation' THEN list_contains(states[hint], 1)
                        ELSE coalesce(list_transform(list_filter(raised, lambda r: r.field = c.field)[-1:],
                                                     lambda r: CASE WHEN r.field = 'listing' THEN r.listed_on = c.listed_on
                                                                    WHEN r.field IN {yes_no_fields} THEN true
                                                                    ELSE {raised_met} END)[1],
                                      states[i][j] = 0) END)), true))), true), hint) END AS reached
      FROM raised
), worded AS (
    SELECT *, tiers[listed].tier_no AS listed_tier, list_transform(states[listed], lambda d: {state}) AS listed_states,
           tiers[hint].tier_no AS hint_tier, list_transform(states[hint], lambda d: {state}) AS hint_states,
           tiers[reached].tier_no AS reached_tier
      FROM reached
)

-- name: count_needs
-- The smallest whole number (of followers, of square metres) that meets the condition `x`.
CASE WHEN x.comparator = 'more_than' THEN floor(x.value) + 1 ELSE ceil(x.value) END

-- name: sum_needs
-- The smallest sum that meets the condition `c`, in its currency.
c.value + CASE WHEN c.comparator = 'more_than' THEN 1 ELSE 0 END

-- name: columns
-- A row as lstui.core.models.Ranked reads it ({also}: `also` for a card, else none).
place.id, place.name_en, incentive_id, status, tier, listed_tier, listed_states, hint_tier, hint_states,
reached_tier, amount_cny, amount_type, {also}


-- name: ranking
-- The verdicts in the places shown (all, or those in $places), best first: one row per place and
-- measure, or one card per measure ({group}).
WITH {verdicts}, {detail}, {group}
SELECT {columns} FROM {grouped} ORDER BY {order}

-- name: place_totals
-- Every place with a verdict, with its totals, best first (`lstui earn` shows the best few), and
-- how many there are.
WITH {verdicts}, {totals}, places AS (
    SELECT DISTINCT place.id AS place_id, place.name_en AS place_en FROM (SELECT unnest(shown) AS place FROM verdicts)
)
SELECT p.place_id, p.place_en, coalesce(t.certain, 0.0) AS certain, coalesce(t.possible, 0.0) AS possible,
       CASE WHEN t.place_id IS NULL THEN 0.0 ELSE t.certain_usd END,
       CASE WHEN t.place_id IS NULL THEN 0.0 ELSE t.possible_usd END,
       count(*) OVER ()
  FROM places p LEFT JOIN totals t ON t.place_id = p.place_id
 ORDER BY possible DESC, certain DESC, p.place_en, p.place_id
 {limit}

-- name: page
-- A window of the app's list (one card per measure for the role, every place shown), with what
-- its summary needs: how many measures, how many met, and the place with most on offer.
-- {window} picks the rows of the window: `window` or `window_worded`.
WITH {verdicts}, {group}, {totals}, {window}, stats AS (
    -- one card per measure
    SELECT count(*) AS n, count(*) FILTER (WHERE status = 'eligible') AS eligible FROM verdicts
), best AS (
    SELECT * FROM totals WHERE possible > 0 ORDER BY possible DESC, certain DESC, place_en, place_id LIMIT 1
)
SELECT {columns}, s.n, s.eligible, b.place_id, b.place_en, b.certain, b.possible, b.certain_usd, b.possible_usd
  FROM stats s
  LEFT JOIN shown ON TRUE
  LEFT JOIN best b ON TRUE
 ORDER BY {order}

-- name: window
-- The cards of the window, then what their results list: only the rows returned are worded.
page AS (
    SELECT * FROM cards ORDER BY {order} LIMIT $limit OFFSET $offset
), {detail}, shown AS (
    SELECT * FROM worded
)

-- name: window_worded
-- Every card worded, then the window: for an order by what a result lists (its next tier).
{detail}, shown AS (
    SELECT * FROM worded ORDER BY {order} LIMIT $limit OFFSET $offset
)


-- name: profile_fields
-- For each role, the profile fields that some measure for that role has a condition on.
SELECT role, list(DISTINCT field ORDER BY field)
  FROM (SELECT unnest(recipients) AS role, fields
          FROM (SELECT recipients, flatten(list_transform(tiers, lambda t: list_transform(t.conditions, lambda c: c.field)))
                       AS fields
                  FROM internal.calculator_tiers)) m,
       unnest(m.fields) AS f(field)
 GROUP BY role
 ORDER BY role

-- name: other_role_measures
-- How many of the measures in these places are meant for other roles than $role.
SELECT count(*)
  FROM internal.calculator_tiers, unnest(places) AS u(place)
 WHERE list_contains($places, u.place.id) AND NOT list_contains(recipients, $role)
