-- Derived tables, computed once per build so that listing and searching places stays instant.

-- Whether a tier's amount is a sum that adds into a total: not a share of a cost, not a yearly
-- amount (those are stated as what they are). Decided here only; views.sql drops it at its end.
CREATE TEMP MACRO lstui_totalled(share_of, per) AS share_of IS NULL AND per IS DISTINCT FROM 'yearly';

INSERT INTO internal.jurisdiction_paths
WITH RECURSIVE p(id, ancestor_id, depth) AS (
    SELECT id, id, 0 FROM internal.jurisdictions
    UNION ALL
    SELECT p.id, j.parent, p.depth + 1
      FROM p JOIN internal.jurisdictions j ON j.id = p.ancestor_id
     WHERE j.parent IS NOT NULL)
SELECT id, ancestor_id, depth FROM p;

-- Preferred incentives that apply to each place: its own, and those of ancestors that cover it.
INSERT INTO internal.incentive_coverage
SELECT p.id, j.name_en, i.id, p.depth > 0
  FROM internal.jurisdiction_paths p
  JOIN internal.jurisdictions j ON j.id = p.id
  JOIN internal.incentives i ON i.jurisdiction = p.ancestor_id
 WHERE i.alternative_to IS NULL AND (p.depth = 0 OR i.covers_subdivisions)
 ORDER BY p.id, i.id;

-- The exchange rate each record's amounts go with (a US-dollar threshold is compared at it, and an
-- amount shown in the other currency is converted at it): an incentive's own exchange_rate; else
-- the first (by id) that the record's source states; else the one stated nearest in time to the
-- source (months; a year alone counts as its middle; ties to the first id). Time decides only
-- between dated sources: a record from an undated source with no rate of its own has none.
INSERT INTO internal.record_rates
WITH months AS (
    SELECT id,
           CAST(split_part(published, '-', 1) AS INTEGER) * 12
           + coalesce(TRY_CAST(nullif(split_part(published, '-', 2), '') AS INTEGER), 6) AS m
      FROM internal.sources
     WHERE published IS NOT NULL AND published <> ''
), rates AS (
    SELECT x.id, x.source, x.cny / x.usd AS cny_per_usd, mx.m FROM internal.exchange_rates x
      LEFT JOIN months mx ON mx.id = x.source
), by_source AS (
    SELECT source, arg_min(id, id) AS rate_id FROM rates GROUP BY source
), by_month AS (
    -- one row per month that some source is dated, so the cost does not grow with the records
    SELECT mo.m, arg_min(r.id, (abs(r.m - mo.m), r.id)) AS rate_id
      FROM (SELECT DISTINCT m FROM months) mo JOIN rates r ON r.m IS NOT NULL
     GROUP BY mo.m
), records AS (
    SELECT id, source, exchange_rate FROM internal.incentives
    UNION ALL SELECT id, source, NULL FROM internal.targets
    UNION ALL SELECT id, source, NULL FROM internal.statistics
), chosen AS (
    SELECT r.id AS record_id, coalesce(r.exchange_rate, s.rate_id, t.rate_id) AS rate_id
      FROM records r
      LEFT JOIN by_source s ON s.source = r.source
      LEFT JOIN months mr ON mr.id = r.source
      LEFT JOIN by_month t ON t.m = mr.m
)
SELECT c.record_id, c.rate_id, r.cny_per_usd
  FROM chosen c JOIN rates r ON r.id = c.rate_id
 ORDER BY c.record_id;

INSERT INTO internal.place_summary
WITH fields AS (
    -- Search keys: lower case, accents (pinyin tones) and spaces/punctuation removed.
    -- `full_keys` keep whole names ('huaduqu', '花都区') for exact and prefix matches; `core_keys` drop the
    -- administrative suffix ('huadu', '花都') and is what substring matches look in, so that typing
    -- "shen" finds Shenzhen rather than every province ("... Sheng").
    SELECT j.id,
           list_transform(
               list_filter([j.id, j.name_en, j.pinyin, j.name_zh] || coalesce(j.aliases, []::VARCHAR[]),
                           lambda x: x IS NOT NULL),
               lambda x: regexp_replace(lower(strip_accents(x)), '[\s\-_''’.,()·|/]+', '', 'g')) AS full_keys,
           list_transform(
               list_filter([j.id,
                            regexp_replace(j.name_en, '\s+(District|Province|Village|County|City)$', ''),
                            regexp_replace(strip_accents(j.pinyin), '\s+(Shi|Sheng|Qu|Xian|Cun|Zhen)$', ''),
                            CASE WHEN length(j.name_zh) > 2 THEN regexp_replace(j.name_zh, '[省市区县村]$', '')
                                 ELSE j.name_zh END] || coalesce(j.aliases, []::VARCHAR[]),
                           lambda x: x IS NOT NULL),
               lambda x: regexp_replace(lower(strip_accents(x)), '[\s\-_''’.,()·|/]+', '', 'g')) AS core_keys
      FROM internal.jurisdictions j
), keys AS (
    SELECT id, array_to_string(list_distinct(core_keys), '|') AS search_key,
           list_distinct(full_keys || core_keys) AS search_fields
      FROM fields
), covering AS (
    SELECT place_id AS place, incentive_id AS incentive, inherited FROM internal.incentive_coverage
), money AS (
    SELECT c.place,
           arg_max({'amount': t.amount_cny, 'type': t.amount_type::VARCHAR, 'rate': t.cny_per_usd},
                   (t.amount_cny, t.amount_type = 'fixed', i.id))
               -- a sum, not a share of a cost or a yearly amount (those are stated, never compared as totals)
               FILTER (WHERE list_contains(i.recipients, 'streamer') AND t.amount_cny IS NOT NULL
                             AND lstui_totalled(t.share_of, t.per)) AS top,
           bool_or(t.amount > 0 AND list_contains(i.recipients, 'streamer')) AS individuals,
           bool_or(t.amount > 0 AND (list_contains(i.recipients, 'mcn') OR list_contains(i.recipients, 'platform')
                                     OR list_contains(i.recipients, 'company'))) AS companies,
           count(DISTINCT i.id) FILTER (WHERE NOT c.inherited) AS own,
           count(DISTINCT i.id) FILTER (WHERE c.inherited) AS inherited
      FROM covering c
      JOIN internal.incentives i ON i.id = c.incentive
      JOIN (SELECT t.*, r.cny_per_usd,
                   CASE WHEN t.currency = 'USD' AND r.cny_per_usd IS NOT NULL THEN t.amount * r.cny_per_usd
                        WHEN t.currency = 'USD' THEN NULL ELSE t.amount END AS amount_cny
              FROM internal.incentive_tiers t
              LEFT JOIN internal.record_rates r ON r.record_id = t.incentive) t ON t.incentive = i.id
     GROUP BY c.place
), sales AS (
    -- the headline sales target: the largest, then the one due latest (one row, so that no
    -- column comes from another target: arg_max would skip a NULL period, for one)
    SELECT place, best.value, best.comparator, best.deadline, best.rate, best.period FROM (
        SELECT t.jurisdiction AS place,
               arg_max({'value': t.value, 'comparator': t.comparator::VARCHAR,
                        'deadline': coalesce(t.deadline, t.period), 'rate': r.cny_per_usd, 'period': t.period},
                       (t.value, coalesce(t.deadline, ''), t.id)) AS best
          FROM internal.targets t LEFT JOIN internal.record_rates r ON r.record_id = t.id
         WHERE t.metric = 'sales' AND t.value IS NOT NULL
         GROUP BY t.jurisdiction)
)
SELECT j.id,
       f.search_key,
       f.search_fields,
       (SELECT count(*) FROM internal.targets t WHERE t.jurisdiction = j.id),
       coalesce(m.own, 0),
       coalesce(m.inherited, 0),
       (SELECT count(*) FROM internal.statistics s WHERE s.jurisdiction = j.id),
       (SELECT count(*) FROM internal.events e WHERE e.jurisdiction = j.id),
       s.value, s.comparator, s.deadline, s.rate, s.period,
       m.top.amount, m.top.type, m.top.rate,
       coalesce(m.individuals, false),
       coalesce(m.companies, false)
  FROM internal.jurisdictions j
  JOIN keys f ON f.id = j.id
  LEFT JOIN money m ON m.place = j.id
  LEFT JOIN sales s ON s.place = j.id;

INSERT INTO internal.calculator_tiers
WITH tiers AS (
    SELECT t.incentive,
           list({'tier_no': t.tier_no,
                 'amount_cny': CASE WHEN t.amount IS NULL THEN 0.0
                                    WHEN t.currency = 'USD' AND r.cny_per_usd IS NOT NULL THEN t.amount * r.cny_per_usd
                                    ELSE t.amount END,
                 'amount_usd': CASE WHEN t.amount IS NULL THEN 0.0
                                    WHEN t.currency = 'USD' THEN t.amount
                                    WHEN r.cny_per_usd IS NOT NULL THEN t.amount / r.cny_per_usd END,
                 'amount_type': t.amount_type::VARCHAR,
                 -- only one-off (or unstated) fixed sums and maxima add up: a share of a cost or a
                 -- yearly amount is stated as what it is, never totalled
                 'totalled': lstui_totalled(t.share_of, t.per),
                 'conditions': coalesce((SELECT list({'field': c.field::VARCHAR, 'comparator': c.comparator::VARCHAR,
                                                      'value': c.value, 'unit': c.unit::VARCHAR,
                                                      'listed_on': c.listed_on::VARCHAR} ORDER BY c.cond_no)
                                           FROM internal.tier_conditions c
                                          WHERE c.incentive = t.incentive AND c.tier_no = t.tier_no), [])}
                ORDER BY t.tier_no) AS tiers
      FROM internal.incentive_tiers t
      LEFT JOIN internal.record_rates r ON r.record_id = t.incentive
     GROUP BY t.incentive
), places AS (
    SELECT incentive_id, list({'id': place_id, 'name_en': place_en} ORDER BY place_en, place_id) AS places
      FROM internal.incentive_coverage
     GROUP BY incentive_id
)
SELECT i.id, i.name, list_transform(i.recipients, lambda r: r::VARCHAR), i.quantified, i.jurisdiction, j.name_en,
       r.cny_per_usd, t.tiers, p.places
  FROM internal.incentives i
  JOIN tiers t ON t.incentive = i.id
  JOIN places p ON p.incentive_id = i.id
  JOIN internal.jurisdictions j ON j.id = i.jurisdiction
  LEFT JOIN internal.record_rates r ON r.record_id = i.id
 WHERE i.alternative_to IS NULL
 ORDER BY i.id;
