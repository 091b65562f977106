-- Derived tables, computed once per build so that listing and searching places stays instant.

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

-- The rate for each incentive's US-dollar comparisons: its own exchange_rate; else the first
-- (by id) that its source states; else the one whose source was published nearest in time
-- (months; a year alone counts as its middle), ties going to the first id.
INSERT INTO internal.incentive_rates
WITH months AS (
    SELECT id,
           CASE WHEN published IS NULL OR published = '' THEN 0
                ELSE CAST(split_part(published, '-', 1) AS INTEGER) * 12
                     + coalesce(TRY_CAST(nullif(split_part(published, '-', 2), '') AS INTEGER), 6) END AS m
      FROM internal.sources
), choices AS (
    SELECT i.id AS incentive_id, x.id AS rate_id, x.cny / x.usd AS cny_per_usd,
           CASE WHEN x.id = i.exchange_rate THEN 0 WHEN x.source = i.source THEN 1 ELSE 2 END AS rank,
           abs(mx.m - mi.m) AS distance
      FROM internal.incentives i
      CROSS JOIN internal.exchange_rates x
      JOIN months mi ON mi.id = i.source
      JOIN months mx ON mx.id = x.source
)
SELECT incentive_id, arg_min(rate_id, (rank, CASE WHEN rank = 2 THEN distance ELSE 0 END, rate_id)),
       arg_min(cny_per_usd, (rank, CASE WHEN rank = 2 THEN distance ELSE 0 END, rate_id))
  FROM choices
 GROUP BY incentive_id;

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
           max(t.amount) FILTER (WHERE list_contains(i.recipients, 'streamer')) AS top_individual,
           arg_max(t.amount_type::VARCHAR, t.amount) FILTER (WHERE list_contains(i.recipients, 'streamer')) AS top_type,
           bool_or(t.amount > 0 AND list_contains(i.recipients, 'streamer')) AS individuals,
           bool_or(t.amount > 0 AND (list_contains(i.recipients, 'mcn') OR list_contains(i.recipients, 'platform')
                                     OR list_contains(i.recipients, 'company'))) AS companies,
           count(DISTINCT i.id) FILTER (WHERE NOT c.inherited) AS own,
           count(DISTINCT i.id) FILTER (WHERE c.inherited) AS inherited
      FROM covering c
      JOIN internal.incentives i ON i.id = c.incentive
      JOIN internal.incentive_tiers t ON t.incentive = i.id
     GROUP BY c.place
), sales AS (
    SELECT jurisdiction AS place,
           arg_max(value, value) AS value,
           arg_max(comparator::VARCHAR, value) AS comparator,
           arg_max(coalesce(deadline, period), value) AS deadline
      FROM internal.targets WHERE metric = 'sales' AND value IS NOT NULL
     GROUP BY jurisdiction
)
SELECT j.id,
       f.search_key,
       f.search_fields,
       (SELECT count(*) FROM internal.targets t WHERE t.jurisdiction = j.id),
       coalesce(m.own, 0),
       coalesce(m.inherited, 0),
       (SELECT count(*) FROM internal.statistics s WHERE s.jurisdiction = j.id),
       (SELECT count(*) FROM internal.events e WHERE e.jurisdiction = j.id),
       s.value, s.comparator, s.deadline,
       m.top_individual, m.top_type,
       coalesce(m.individuals, false),
       coalesce(m.companies, false)
  FROM internal.jurisdictions j
  JOIN keys f ON f.id = j.id
  LEFT JOIN money m ON m.place = j.id
  LEFT JOIN sales s ON s.place = j.id;

INSERT INTO internal.calculator_tiers
SELECT i.id, i.name, list_transform(i.recipients, lambda r: r::VARCHAR), i.quantified, t.tier_no,
       CASE WHEN t.amount IS NULL THEN 0.0
            WHEN t.currency = 'USD' AND r.cny_per_usd IS NOT NULL THEN t.amount * r.cny_per_usd
            ELSE t.amount END,
       t.amount_type::VARCHAR, r.cny_per_usd,
       coalesce((SELECT list({'field': c.field::VARCHAR, 'comparator': c.comparator::VARCHAR, 'value': c.value,
                              'unit': c.unit::VARCHAR} ORDER BY c.cond_no)
                   FROM internal.tier_conditions c
                  WHERE c.incentive = t.incentive AND c.tier_no = t.tier_no), [])
  FROM internal.incentives i
  JOIN internal.incentive_tiers t ON t.incentive = i.id
  LEFT JOIN internal.incentive_rates r ON r.incentive_id = i.id
 WHERE i.alternative_to IS NULL;
