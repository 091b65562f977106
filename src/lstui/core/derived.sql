-- Derived tables, computed once per build so that listing and searching places stays instant.

INSERT INTO internal.jurisdiction_paths
WITH RECURSIVE p(id, ancestor_id, depth) AS (
    SELECT id, id, 0 FROM internal.jurisdictions
    UNION ALL
    SELECT p.id, j.parent, p.depth + 1
      FROM p JOIN internal.jurisdictions j ON j.id = p.ancestor_id
     WHERE j.parent IS NOT NULL)
SELECT id, ancestor_id, depth FROM p;

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
    -- Preferred incentives that apply to each place: its own, and those of ancestors that cover it.
    SELECT p.id AS place, i.id AS incentive, p.depth > 0 AS inherited
      FROM internal.jurisdiction_paths p
      JOIN internal.incentives i ON i.jurisdiction = p.ancestor_id
     WHERE i.alternative_to IS NULL AND (p.depth = 0 OR i.covers_subdivisions)
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
