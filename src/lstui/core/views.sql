-- The public views: stable names and columns that scripts can rely on (docs/database.md).
-- Enumerated columns are exposed as plain VARCHAR so every client reads them as text.
--
-- The views that join and aggregate are computed once per build: their logic is written as
-- temporary views (v_*), materialised into internal.m_* tables, and the public view of the same
-- name reads the table. Lookups from the command line and the app are then plain scans.

CREATE TEMP VIEW v_jurisdictions AS
SELECT j.id,
       j.name_en,
       j.name_zh,
       j.pinyin,
       j.level::VARCHAR AS level,
       j.parent AS parent_id,
       prov.name_en AS province_en,
       prov.id AS province_id,
       (SELECT max(depth) FROM internal.jurisdiction_paths p WHERE p.id = j.id) AS depth,
       (SELECT string_agg(a.name_en, ' > ' ORDER BY p.depth DESC)
          FROM internal.jurisdiction_paths p JOIN internal.jurisdictions a ON a.id = p.ancestor_id
         WHERE p.id = j.id) AS path_en,
       coalesce(j.aliases, []::VARCHAR[]) AS aliases,
       j.note,
       coalesce((SELECT list(p.ancestor_id ORDER BY p.depth) FROM internal.jurisdiction_paths p
                  WHERE p.id = j.id AND p.depth > 0), []::VARCHAR[]) AS ancestor_ids
  FROM internal.jurisdictions j
  LEFT JOIN LATERAL (
       SELECT a.id, a.name_en
         FROM internal.jurisdiction_paths p JOIN internal.jurisdictions a ON a.id = p.ancestor_id
        WHERE p.id = j.id AND a.level IN ('province', 'municipality')
        ORDER BY p.depth
        LIMIT 1) prov ON TRUE;

CREATE VIEW sources AS
SELECT id,
       publisher,
       title,
       CASE WHEN length(published) = 10 THEN published::DATE END AS published_on,
       published,
       date_note,
       url,
       original_url,
       language::VARCHAR AS language,
       paragraphs,
       archive_sha256,
       note,
       kind::VARCHAR AS kind,
       opening_only,
       original_publisher,
       reprint_of,
       translation_of,
       reports
  FROM internal.sources;

CREATE VIEW metrics AS
SELECT id, label, unit::VARCHAR AS unit, definition FROM internal.metrics;

CREATE VIEW exchange_rates AS
SELECT id, cny, usd, cny / usd AS cny_per_usd, source AS source_id, locator, note
  FROM internal.exchange_rates;

CREATE VIEW policies AS
SELECT p.id,
       p.jurisdiction AS jurisdiction_id,
       j.name_en AS jurisdiction_en,
       p.name_en,
       p.name_zh,
       p.kind::VARCHAR AS kind,
       p.issued,
       CASE WHEN length(p.issued) = 10 THEN p.issued::DATE END AS issued_on,
       p.issued_by,
       p.period_start,
       p.period_end,
       p.source AS source_id,
       p.locator,
       p.note,
       p.doc_number,
       p.effective,
       p.expires,
       p.draft,
       p.follows AS follows_id,
       p.follows_inferred_from
  FROM internal.policies p JOIN internal.jurisdictions j ON j.id = p.jurisdiction;

-- Every source passage behind a record: its own citation first, then further reports.
CREATE TEMP VIEW v_citations AS
SELECT id AS record_id, 'policy' AS record_kind, source AS source_id, locator, TRUE AS primary_citation FROM internal.policies
UNION ALL SELECT id, 'target', source, locator, TRUE FROM internal.targets
UNION ALL SELECT id, 'statistic', source, locator, TRUE FROM internal.statistics
UNION ALL SELECT id, 'event', source, locator, TRUE FROM internal.events
UNION ALL SELECT id, 'incentive', source, locator, TRUE FROM internal.incentives
UNION ALL SELECT id, 'exchange_rate', source, locator, TRUE FROM internal.exchange_rates
UNION ALL
SELECT m.record_id,
       coalesce(r.kind::VARCHAR, 'policy'),
       m.source, m.locator, FALSE
  FROM internal.mentions m LEFT JOIN internal.records r ON r.id = m.record_id;

-- Conditions of each incentive tier, in words (used by facts and incentive_rules).
CREATE TEMP VIEW v_incentive_conditions AS
SELECT c.incentive AS incentive_id,
       c.incentive || '#' || c.tier_no AS fact_id,
       c.tier_no,
       c.cond_no,
       c.field::VARCHAR AS field,
       c.comparator::VARCHAR AS comparator,
       c.value,
       c.unit::VARCHAR AS unit,
       c.wording,
       CASE
         WHEN c.field = 'new_business' THEN 'newly setting up or relocating there'
         WHEN c.field = 'buying_home' THEN 'buying a home there'
         WHEN c.field = 'designation' THEN 'officially designated: ' || coalesce(c.wording, 'by the authority')
         WHEN c.field = 'exclusive_contract' THEN 'an exclusively contracted streamer'
         WHEN c.field = 'registered_locally' THEN 'registered and operating there'
         WHEN c.field = 'listing' THEN CASE c.listed_on WHEN 'domestic' THEN 'listed on a mainland China exchange'
                                                        ELSE 'listed on an overseas market' END
         ELSE replace(c.field::VARCHAR, '_', ' ') || ' ' || replace(c.comparator::VARCHAR, '_', ' ') || ' '
              || format('{:,.0f}', c.value)
              || CASE WHEN c.unit IN ('CNY', 'USD') THEN ' ' || c.unit::VARCHAR
                      WHEN c.unit = 'sqm' THEN ' square metres' ELSE '' END
       END AS text,
       c.listed_on::VARCHAR AS listed_on
  FROM internal.tier_conditions c;

CREATE TEMP VIEW v_facts AS
WITH conditions AS (
    SELECT fact_id, string_agg(text, '; ' ORDER BY cond_no) AS text
      FROM v_incentive_conditions GROUP BY fact_id
), not_preferred AS (
    SELECT m.member AS record_id
      FROM internal.conflict_members m JOIN internal.conflicts c ON c.id = m.conflict
     WHERE c.preferred IS NOT NULL AND m.member <> c.preferred
    UNION
    SELECT id FROM internal.incentives WHERE alternative_to IS NOT NULL
), conflicted AS (
    -- figures that only round one another are recorded, but do not disagree
    SELECT DISTINCT m.member AS record_id
      FROM internal.conflict_members m JOIN internal.conflicts c ON c.id = m.conflict
     WHERE c.kind = 'disagreement'
), raw AS (
    SELECT t.id AS fact_id, t.id AS record_id, 'target' AS kind, t.jurisdiction, t.metric, t.subject,
           t.value, t.unit::VARCHAR AS unit, t.comparator::VARCHAR AS comparator,
           t.wording AS comparator_wording,
           coalesce(t.period, 'by ' || t.deadline, t.deadline_wording) AS period, t.deadline, t.deadline_inferred_from,
           t.policy, t.converted_value, t.converted_unit::VARCHAR AS converted_unit,
           t.source, t.locator, t.note, t.increment, t.span::VARCHAR AS span, t.value_high, t.deadline_wording
      FROM internal.targets t
    UNION ALL BY NAME
    SELECT s.id AS fact_id, s.id AS record_id, 'statistic' AS kind, s.jurisdiction, s.metric, s.subject,
           s.value, s.unit::VARCHAR AS unit, s.comparator::VARCHAR AS comparator,
           s.wording AS comparator_wording,
           coalesce(s.period, concat_ws(' to ', s.period_start, s.period_end)) AS period,
           s.period_start, s.period_end, s.reported_on, s.basis::VARCHAR AS basis, s.policy,
           s.converted_value, s.converted_unit::VARCHAR AS converted_unit,
           s.source, s.locator, s.note
      FROM internal.statistics s
    UNION ALL BY NAME
    SELECT e.id AS fact_id, e.id AS record_id, 'event' AS kind, e.jurisdiction, e.name AS subject,
           concat_ws(' to ', e.date, e.end_date) AS period,
           e.date AS period_start, coalesce(e.end_date, e.date) AS period_end, e.policy,
           e.source, e.locator, e.note
      FROM internal.events e
    UNION ALL BY NAME
    SELECT i.id || '#' || t.tier_no AS fact_id, i.id AS record_id, 'incentive' AS kind, i.jurisdiction,
           i.metric, i.name AS subject, t.amount AS value,
           CASE WHEN t.amount IS NOT NULL THEN t.currency::VARCHAR END AS unit,
           CASE t.amount_type WHEN 'up_to' THEN 'up_to' WHEN 'fixed' THEN 'exactly' END AS comparator,
           CASE WHEN p.period_start IS NOT NULL THEN concat_ws('-', p.period_start, p.period_end) END AS period,
           i.policy, t.tier_no, c.text AS conditions,
           t.converted_amount AS converted_value, t.converted_currency::VARCHAR AS converted_unit,
           i.source, i.locator,
           CASE WHEN t.description IS NOT NULL THEN t.description || '. ' ELSE '' END || i.note AS note
      FROM internal.incentives i
      JOIN internal.incentive_tiers t ON t.incentive = i.id
      LEFT JOIN internal.policies p ON p.id = i.policy
      LEFT JOIN conditions c ON c.fact_id = i.id || '#' || t.tier_no
)
SELECT r.fact_id,
       r.record_id,
       r.jurisdiction AS jurisdiction_id,
       j.name_en AS jurisdiction_en,
       j.name_zh AS jurisdiction_zh,
       r.kind,
       r.metric,
       r.subject,
       r.value,
       r.unit,
       r.comparator,
       r.comparator_wording,
       r.period,
       r.deadline,
       r.period_start,
       r.period_end,
       r.reported_on,
       r.basis,
       r.policy AS policy_id,
       r.tier_no,
       r.conditions,
       r.converted_value,
       r.converted_unit,
       r.source AS source_id,
       r.locator,
       r.note,
       r.record_id NOT IN (SELECT record_id FROM not_preferred) AS preferred,
       r.record_id IN (SELECT record_id FROM conflicted) AS has_conflict,
       x.rate_id AS exchange_rate_id,
       x.cny_per_usd,
       r.deadline_inferred_from,
       r.increment,
       r.span,
       r.value_high,
       r.deadline_wording
  FROM raw r JOIN internal.jurisdictions j ON j.id = r.jurisdiction
  LEFT JOIN internal.record_rates x ON x.record_id = r.record_id;

CREATE TEMP VIEW v_conflicts AS
SELECT c.id AS conflict_id,
       list_transform(c.aspects, lambda a: a::VARCHAR) AS aspects,
       (SELECT list(f.fact_id ORDER BY m.position, f.tier_no)
          FROM internal.conflict_members m JOIN v_facts f ON f.record_id = m.member
         WHERE m.conflict = c.id) AS fact_ids,
       (SELECT list(m.member ORDER BY m.position) FROM internal.conflict_members m
         WHERE m.conflict = c.id) AS record_ids,
       (SELECT list(DISTINCT f.jurisdiction_id ORDER BY f.jurisdiction_id)
          FROM internal.conflict_members m JOIN v_facts f ON f.record_id = m.member
         WHERE m.conflict = c.id) AS jurisdiction_ids,
       (SELECT list(DISTINCT f.source_id ORDER BY f.source_id)
          FROM internal.conflict_members m JOIN v_facts f ON f.record_id = m.member
         WHERE m.conflict = c.id) AS source_ids,
       c.preferred AS preferred_record_id,
       c.summary,
       c.resolution,
       c.kind::VARCHAR AS kind
  FROM internal.conflicts c;

-- The machine-readable rules the calculator evaluates: one row per incentive tier.
CREATE TEMP VIEW v_incentive_rules AS
SELECT i.id AS incentive_id,
       i.id || '#' || t.tier_no AS fact_id,
       t.tier_no,
       (SELECT count(*) FROM internal.incentive_tiers x WHERE x.incentive = i.id) AS tier_count,
       i.jurisdiction AS jurisdiction_id,
       j.name_en AS jurisdiction_en,
       i.name,
       i.metric,
       list_transform(i.recipients, lambda r: r::VARCHAR) AS recipients,
       i.benefit::VARCHAR AS benefit,
       i.quantified,
       i.tier_mode::VARCHAR AS tier_mode,
       i.covers_subdivisions,
       i.alternative_to,
       i.alternative_to IS NULL AS preferred,
       t.amount,
       t.currency::VARCHAR AS currency,
       t.amount_type::VARCHAR AS amount_type,
       t.converted_amount,
       t.converted_currency::VARCHAR AS converted_currency,
       t.description,
       coalesce((SELECT list({'field': c.field, 'comparator': c.comparator, 'value': c.value,
                              'unit': c.unit, 'wording': c.wording, 'text': c.text,
                              'listed_on': c.listed_on} ORDER BY c.cond_no)
                   FROM v_incentive_conditions c
                  WHERE c.incentive_id = i.id AND c.tier_no = t.tier_no),
                []) AS conditions,
       i.exchange_rate AS exchange_rate_id,
       x.cny / x.usd AS cny_per_usd,
       i.policy AS policy_id,
       i.source AS source_id,
       i.locator,
       i.note,
       t.share,
       t.share_of,
       t.per::VARCHAR AS per,
       t.years,
       t.level,
       coalesce((SELECT list({'from_year': coalesce(st.prev_to + 1, 1), 'to_year': st.to_year, 'share': st.share}
                             ORDER BY st.step_no)
                   FROM (SELECT *, lag(to_year) OVER (PARTITION BY incentive, tier_no ORDER BY step_no) AS prev_to
                           FROM internal.tier_steps) st
                  WHERE st.incentive = i.id AND st.tier_no = t.tier_no),
                []) AS steps,
       lstui_totalled(t.share_of, t.per::VARCHAR) AS totalled
  FROM internal.incentives i
  JOIN internal.incentive_tiers t ON t.incentive = i.id
  JOIN internal.jurisdictions j ON j.id = i.jurisdiction
  LEFT JOIN internal.exchange_rates x ON x.id = i.exchange_rate;

CREATE VIEW build_info AS
SELECT yaml_path, yaml_sha256, yaml_size, schema_sha256, lstui_version, duckdb_version, built_at
  FROM internal.build_info;

-- One row per place with what the Cities list shows: counts, the headline sales target and the
-- largest incentive an individual streamer can get (including measures inherited from above).
CREATE TEMP VIEW v_places AS
SELECT j.id,
       j.name_en,
       j.name_zh,
       j.pinyin,
       j.level,
       j.parent_id,
       j.province_en,
       j.province_id,
       j.path_en,
       s.n_targets,
       s.n_incentives,
       s.n_inherited_incentives,
       s.n_statistics,
       s.n_events,
       s.sales_target,
       s.sales_target_comparator,
       s.sales_target_deadline,
       s.top_individual_incentive,
       s.top_individual_amount_type,
       s.money_for_individuals,
       s.money_for_companies,
       s.n_incentives + s.n_inherited_incentives > 0 AS has_incentives,
       s.search_key,
       s.search_fields,
       s.sales_target_cny_per_usd,
       s.top_individual_cny_per_usd,
       s.sales_target_period
  FROM v_jurisdictions j JOIN internal.place_summary s ON s.id = j.id;


-- A report beside the document it reports, a reprint or translation beside its original: their
-- figures on the same place, kind, metric (and tier), paired one to one: equal values first, then
-- in order of deadline or period; a figure only one side states has a blank other side. Only places
-- the other source covers are compared. `agrees`: the same value and comparator (blank when one
-- side is missing).
CREATE TEMP VIEW v_source_comparisons AS
WITH links AS (
    SELECT id AS source_id, reports AS other_source_id, 'reports' AS link FROM internal.sources WHERE reports IS NOT NULL
    UNION ALL SELECT id, reprint_of, 'reprint_of' FROM internal.sources WHERE reprint_of IS NOT NULL
    UNION ALL SELECT id, translation_of, 'translation_of' FROM internal.sources WHERE translation_of IS NOT NULL
), figures AS (
    SELECT fact_id, source_id, jurisdiction_id, kind, metric, coalesce(tier_no, 0) AS tier, value, unit, comparator,
           period, coalesce(deadline, period_end, period) AS sort_when, locator
      FROM v_facts WHERE kind <> 'event' AND metric IS NOT NULL
), covered AS (
    SELECT DISTINCT source_id, jurisdiction_id FROM v_facts
    UNION SELECT source, jurisdiction FROM internal.policies
), sides AS (
    SELECT l.source_id AS pair_source, l.other_source_id, l.link, 'mine' AS side, f.*
      FROM links l JOIN figures f ON f.source_id = l.source_id
      JOIN covered c ON c.source_id = l.other_source_id AND c.jurisdiction_id = f.jurisdiction_id
    UNION ALL
    SELECT l.source_id, l.other_source_id, l.link, 'theirs', f.*
      FROM links l JOIN figures f ON f.source_id = l.other_source_id
), exact AS (
    -- the n-th figure of a value on one side pairs with the n-th of that value on the other
    SELECT *, row_number() OVER (PARTITION BY pair_source, side, jurisdiction_id, kind, metric, tier, value
                                 ORDER BY sort_when, fact_id) AS n
      FROM sides
), matched AS (
    SELECT m.fact_id AS mine, t.fact_id AS theirs
      FROM exact m JOIN exact t
        ON m.side = 'mine' AND t.side = 'theirs' AND t.pair_source = m.pair_source AND t.jurisdiction_id = m.jurisdiction_id
       AND t.kind = m.kind AND t.metric = m.metric AND t.tier = m.tier AND t.value IS NOT DISTINCT FROM m.value AND t.n = m.n
), rest AS (
    SELECT *, row_number() OVER (PARTITION BY pair_source, side, jurisdiction_id, kind, metric, tier
                                 ORDER BY sort_when, value, fact_id) AS n
      FROM sides s
     WHERE NOT EXISTS (SELECT 1 FROM matched x WHERE (s.side = 'mine' AND x.mine = s.fact_id AND x.theirs IS NOT NULL)
                                                 OR (s.side = 'theirs' AND x.theirs = s.fact_id))
), pairs AS (
    SELECT x.mine, x.theirs FROM matched x
    UNION ALL
    SELECT m.fact_id, t.fact_id
      FROM (SELECT * FROM rest WHERE side = 'mine') m
      FULL OUTER JOIN (SELECT * FROM rest WHERE side = 'theirs') t
        ON t.pair_source = m.pair_source AND t.jurisdiction_id = m.jurisdiction_id AND t.kind = m.kind
       AND t.metric = m.metric AND t.tier = m.tier AND t.n = m.n
)
SELECT l.source_id, l.other_source_id, l.link,
       coalesce(m.jurisdiction_id, t.jurisdiction_id) AS jurisdiction_id,
       coalesce(m.kind, t.kind) AS kind,
       coalesce(m.metric, t.metric) AS metric,
       met.label,
       nullif(coalesce(m.tier, t.tier), 0) AS tier_no,
       m.fact_id, m.value, m.unit, m.comparator, m.period, m.locator,
       t.fact_id AS other_fact_id, t.value AS other_value, t.comparator AS other_comparator,
       t.period AS other_period, t.locator AS other_locator,
       CASE WHEN m.fact_id IS NOT NULL AND t.fact_id IS NOT NULL
            THEN m.value IS NOT DISTINCT FROM t.value AND m.comparator IS NOT DISTINCT FROM t.comparator END AS agrees
  FROM pairs p
  LEFT JOIN (SELECT * FROM sides WHERE side = 'mine') m ON m.fact_id = p.mine
  LEFT JOIN (SELECT * FROM sides WHERE side = 'theirs') t ON t.fact_id = p.theirs
  JOIN links l ON l.source_id = coalesce(m.pair_source, t.pair_source)
  LEFT JOIN internal.metrics met ON met.id = coalesce(m.metric, t.metric);

-- Partial dates ('2020', '2020-06', '2020-06-20') as the first and the last day they can mean:
-- "by 2022" holds until the last day of 2022, and a plan of 2020 may date from its first.
CREATE TEMP MACRO lstui_first_day(d) AS CASE
    WHEN regexp_full_match(d, '[0-9]{4}') THEN TRY_CAST(d || '-01-01' AS DATE)
    WHEN regexp_full_match(d, '[0-9]{4}-[0-9]{2}') THEN TRY_CAST(d || '-01' AS DATE)
    WHEN regexp_full_match(d, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(d AS DATE) END;
CREATE TEMP MACRO lstui_last_day(d) AS CASE
    WHEN regexp_full_match(d, '[0-9]{4}') THEN TRY_CAST(d || '-12-31' AS DATE)
    WHEN regexp_full_match(d, '[0-9]{4}-[0-9]{2}') THEN last_day(TRY_CAST(d || '-01' AS DATE))
    WHEN regexp_full_match(d, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(d AS DATE) END;
CREATE TEMP MACRO lstui_unit_words(u) AS CASE u
    WHEN 'CNY' THEN 'in yuan' WHEN 'USD' THEN 'in US dollars' WHEN 'count' THEN 'a count'
    WHEN 'percent' THEN 'a percentage' WHEN 'ratio' THEN 'a multiple' WHEN 'rank' THEN 'a rank'
    WHEN 'hours' THEN 'in hours' WHEN 'sqm' THEN 'in square metres' ELSE 'without a unit' END;

-- Materialise, in dependency order, and publish.
CREATE TABLE internal.m_jurisdictions AS SELECT * FROM v_jurisdictions ORDER BY path_en;
CREATE TABLE internal.m_incentive_conditions AS SELECT * FROM v_incentive_conditions ORDER BY incentive_id, tier_no, cond_no;
CREATE TABLE internal.m_facts AS SELECT * FROM v_facts ORDER BY jurisdiction_id, kind, fact_id;

-- (defined here, once the figures are a table: read from v_facts they would be computed again)
-- Progress against targets: each target beside every statistic of its place and metric, and
-- what can be said of the pair (docs/database.md). A statistic stands at the end of the period
-- it describes when that is dated, else at when it was reported (it describes no later time);
-- it counts for a target when it stands by the deadline. An increment ("another 3,000") is
-- measured from the latest statistic before its plan was issued. `status` decides; `reason`
-- and `notes` say why in words.
CREATE TEMP VIEW v_progress AS
WITH targets AS (
    SELECT f.*, m.label, pol.issued AS plan_issued, lstui_last_day(f.deadline) AS due_by,
           lstui_first_day(pol.issued) AS plan_from
      FROM internal.m_facts f
      LEFT JOIN internal.metrics m ON m.id = f.metric
      LEFT JOIN internal.policies pol ON pol.id = f.policy_id
     WHERE f.kind = 'target'
), dated AS (
    SELECT f.*, coalesce(f.reported_on, src.published) AS reported,
           coalesce(f.period_end, CASE WHEN f.period_start IS NULL AND lstui_first_day(f.period) IS NOT NULL
                                       THEN f.period END) AS dated_end
      FROM internal.m_facts f JOIN internal.sources src ON src.id = f.source_id
     WHERE f.kind = 'statistic'
), statistics AS (
    SELECT *, CASE WHEN dated_end IS NOT NULL THEN 'period'
                   WHEN lstui_last_day(reported) IS NOT NULL THEN 'report' END AS placed_by,
           lstui_last_day(coalesce(dated_end, reported)) AS as_of_last,
           date_diff('month', lstui_first_day(period_start), lstui_last_day(period_end)) + 1 AS months
      FROM dated
), pairs AS (
    SELECT t.fact_id AS target_id, s.fact_id AS statistic_id, t.increment, t.due_by, t.plan_from,
           s.placed_by, s.as_of_last,
           -- what puts the statistic in the target's unit; NULL: no share can be taken
           CASE WHEN t.unit = s.unit AND t.unit IN ('CNY', 'USD', 'count', 'sqm', 'hours') THEN 1.0
                WHEN t.unit = 'CNY' AND s.unit = 'USD' THEN s.cny_per_usd
                WHEN t.unit = 'USD' AND s.unit = 'CNY' THEN 1 / s.cny_per_usd END AS factor
      FROM targets t JOIN statistics s ON s.jurisdiction_id = t.jurisdiction_id AND s.metric = t.metric
), checked AS (
    SELECT p.*,
           CASE WHEN NOT t.preferred OR NOT s.preferred THEN 'not_preferred'
                WHEN t.value IS NULL OR s.value IS NULL THEN 'no_figure'
                WHEN p.factor IS NULL THEN 'not_comparable'
                WHEN p.placed_by IS NULL THEN 'not_placeable'
                WHEN p.due_by IS NOT NULL AND p.as_of_last > p.due_by
                     THEN CASE p.placed_by WHEN 'period' THEN 'after_deadline' ELSE 'not_placeable' END
                WHEN p.increment AND p.plan_from IS NULL THEN 'not_measurable'
                ELSE 'eligible' END AS checked,
           p.increment AND p.as_of_last <= p.plan_from AS before_plan
      FROM pairs p
      JOIN targets t ON t.fact_id = p.target_id
      JOIN statistics s ON s.fact_id = p.statistic_id
), ranked AS (
    -- the latest first; of two as late, the one dated by its period, then by id
    SELECT target_id, statistic_id, before_plan, as_of_last,
           row_number() OVER (PARTITION BY target_id, before_plan
                              ORDER BY as_of_last DESC, placed_by = 'period' DESC, statistic_id) AS n
      FROM checked WHERE checked = 'eligible'
), baselines AS (
    SELECT target_id, statistic_id AS baseline_id FROM ranked WHERE before_plan AND n = 1
), latest AS (
    SELECT r.target_id, r.statistic_id AS latest_id, r.as_of_last AS latest_last
      FROM ranked r JOIN targets t ON t.fact_id = r.target_id
      LEFT JOIN baselines b ON b.target_id = r.target_id
     WHERE NOT r.before_plan AND r.n = 1 AND (NOT t.increment OR b.baseline_id IS NOT NULL)
), decided AS (
    SELECT c.*, b.baseline_id, l.latest_id, l.latest_last,
           CASE WHEN c.checked <> 'eligible' THEN c.checked
                WHEN c.increment AND b.baseline_id IS NULL THEN 'not_measurable'
                WHEN c.statistic_id = b.baseline_id THEN 'baseline'
                WHEN c.statistic_id = l.latest_id THEN 'measured'
                ELSE 'not_latest' END AS status
      FROM checked c
      LEFT JOIN baselines b ON b.target_id = c.target_id
      LEFT JOIN latest l ON l.target_id = c.target_id
), figures AS (
    SELECT d.*, t.value AS t_value, bs.value * bp.factor AS base_value, bs.comparator AS base_comparator,
           CASE WHEN d.status = 'measured' THEN s.value * d.factor - coalesce(bs.value * bp.factor, 0) END AS gained
      FROM decided d
      JOIN targets t ON t.fact_id = d.target_id
      JOIN statistics s ON s.fact_id = d.statistic_id
      LEFT JOIN statistics bs ON bs.fact_id = d.baseline_id
      LEFT JOIN pairs bp ON bp.target_id = d.target_id AND bp.statistic_id = d.baseline_id
)
SELECT t.jurisdiction_id, t.jurisdiction_en, t.metric, t.label,
       t.fact_id AS target_id, t.value AS target_value, t.value_high AS target_value_high, t.unit AS target_unit,
       t.comparator AS target_comparator, t.increment, t.span, t.deadline, t.deadline_inferred_from,
       t.period AS target_period, t.subject AS target_subject, t.policy_id, t.plan_issued,
       t.source_id AS target_source_id, t.locator AS target_locator, t.preferred AS target_preferred,
       t.cny_per_usd AS target_cny_per_usd,
       s.fact_id AS statistic_id, s.value AS statistic_value, s.unit AS statistic_unit,
       s.comparator AS statistic_comparator, s.period AS statistic_period, s.subject AS statistic_subject,
       CASE WHEN s.placed_by IS NOT NULL THEN coalesce(s.dated_end, s.reported) END AS as_of, s.placed_by,
       s.reported, s.basis, s.source_id AS statistic_source_id, s.locator AS statistic_locator,
       s.preferred AS statistic_preferred, s.cny_per_usd AS statistic_cny_per_usd,
       f.baseline_id, f.base_value AS baseline_value,
       (SELECT coalesce(x.dated_end, x.reported) FROM statistics x WHERE x.fact_id = f.baseline_id) AS baseline_as_of,
       CASE WHEN NOT t.increment THEN t.value WHEN f.baseline_id IS NOT NULL THEN t.value + f.base_value END AS goal,
       f.gained AS progress_value,
       100 * f.gained / nullif(t.value, 0) AS share,
       CASE WHEN f.status <> 'measured' THEN NULL
            WHEN NOT t.increment OR coalesce(f.base_comparator, 'exactly') = 'exactly' THEN coalesce(s.comparator, 'exactly')
            ELSE 'about' END AS share_comparator,
       f.status,
       CASE f.status
         WHEN 'not_preferred' THEN CASE WHEN NOT t.preferred THEN 'the target' ELSE 'the statistic' END
                                   || ' is a report set aside for another (see conflicts)'
         WHEN 'no_figure' THEN CASE WHEN t.value IS NULL THEN 'the target' ELSE 'the statistic' END || ' gives no number'
         WHEN 'not_comparable' THEN CASE
              WHEN t.unit = s.unit THEN 'both are ' || CASE t.unit WHEN 'percent' THEN 'percentages'
                   WHEN 'ratio' THEN 'multiples' WHEN 'rank' THEN 'ranks' ELSE 'without a unit' END
                   || ', not amounts: no share of one in the other is measured'
              WHEN t.unit IN ('CNY', 'USD') AND s.unit IN ('CNY', 'USD')
                   THEN 'the target is ' || lstui_unit_words(t.unit) || ', the statistic ' || lstui_unit_words(s.unit)
                        || ', and no exchange rate goes with the statistic'
              ELSE 'units differ: the target is ' || lstui_unit_words(t.unit) || ', the statistic '
                   || lstui_unit_words(s.unit) END
         WHEN 'not_placeable' THEN CASE WHEN s.placed_by IS NULL
              THEN 'when it stands is not known: the period it describes is not dated, nor is its report'
              ELSE 'reported after the deadline (' || t.deadline || ') without dating the period it describes' END
         WHEN 'after_deadline' THEN 'describes a time after the deadline (' || t.deadline || ')'
         WHEN 'not_measurable' THEN 'an increment ("another ...") is measured from the statistic before its plan, and '
              || CASE WHEN t.policy_id IS NULL THEN 'it belongs to no plan'
                      WHEN t.plan_from IS NULL THEN 'the plan''s date is not known'
                      ELSE 'no statistic comes before its plan (issued ' || t.plan_issued || ')' END
         WHEN 'baseline' THEN 'the latest statistic before its plan (issued ' || t.plan_issued || '): the increment builds on it'
              || CASE WHEN f.latest_id IS NULL THEN '; no statistic since, so it cannot be measured yet' ELSE '' END
         WHEN 'measured' THEN CASE WHEN t.increment THEN 'the latest statistic since the one it builds on'
                                   WHEN t.due_by IS NULL THEN 'the latest statistic (the target has no dated deadline)'
                                   ELSE 'the latest statistic by the deadline' END
         ELSE CASE WHEN f.before_plan THEN 'earlier than the statistic the increment builds on'
                   WHEN f.as_of_last = f.latest_last THEN 'as recent as the one measured (another report)'
                   ELSE 'a later statistic is measured' END
       END AS reason,
       nullif(concat_ws('; ',
           CASE s.basis WHEN 'forecast' THEN 'the statistic is a forecast' WHEN 'estimate' THEN 'the statistic is an estimate' END,
           CASE WHEN s.placed_by = 'report' THEN 'placed by its report: the period it describes is not dated' END,
           CASE WHEN t.span = 'annual' AND s.months < 12
                THEN 'the target is a yearly figure; the statistic covers ' || s.months || ' months' END,
           CASE WHEN t.value_high IS NOT NULL THEN 'measured against the lower end of the range' END,
           CASE WHEN f.factor IS NOT NULL AND f.factor <> 1
                THEN 'converted at ' || round(s.cny_per_usd, 4) || ' CNY per USD' END,
           CASE WHEN t.deadline_inferred_from IS NOT NULL THEN 'the deadline is inferred' END,
           -- one metric can hold figures about different things: say so, do not decide it
           CASE WHEN t.subject IS NOT NULL AND s.subject IS NOT NULL AND lower(t.subject) <> lower(s.subject)
                THEN 'check that they count the same thing: the target is about ' || t.subject
                     || ', the statistic about ' || s.subject END,
           CASE WHEN t.has_conflict OR s.has_conflict THEN 'sources report '
                || CASE WHEN t.has_conflict AND s.has_conflict THEN 'both' WHEN t.has_conflict THEN 'the target'
                        ELSE 'the statistic' END || ' differently' END), '') AS notes,
       row_number() OVER (PARTITION BY t.fact_id ORDER BY
           list_position(['measured', 'baseline', 'not_measurable', 'not_comparable', 'after_deadline', 'not_placeable',
                          'no_figure', 'not_latest', 'not_preferred'], f.status),
           f.as_of_last DESC NULLS LAST, s.fact_id) AS pair_no
  FROM figures f
  JOIN targets t ON t.fact_id = f.target_id
  JOIN statistics s ON s.fact_id = f.statistic_id;

-- Every dated item of a place in order, with the policies of the measures it inherits from the
-- places above it (`inherited`): policies issued, in force, expiring and the years they cover,
-- the plans they follow, events, target deadlines and statistics by the period they describe.
-- An item without a date has NULL dates (docs/database.md).
CREATE TEMP VIEW v_timeline AS
WITH place_policies AS (
    SELECT p.jurisdiction AS place_id, p.id AS policy_id, FALSE AS inherited FROM internal.policies p
    UNION
    SELECT c.place_id, i.policy, TRUE
      FROM internal.incentive_coverage c JOIN internal.incentives i ON i.id = c.incentive_id
     WHERE c.inherited AND i.policy IS NOT NULL
), policy_dates AS (
    SELECT pp.place_id, pp.inherited, p.id AS policy_id, d.kind, d.date, d.date_end
      FROM place_policies pp JOIN internal.policies p ON p.id = pp.policy_id,
           LATERAL (SELECT 'issued' AS kind, p.issued AS date, NULL::VARCHAR AS date_end
                     WHERE p.issued IS NOT NULL OR coalesce(p.effective, p.expires, p.period_start::VARCHAR,
                                                            p.period_end::VARCHAR) IS NULL  -- listed once, undated
                    UNION ALL SELECT 'in_force', p.effective, NULL WHERE p.effective IS NOT NULL
                    UNION ALL SELECT 'expires', p.expires, NULL WHERE p.expires IS NOT NULL
                    UNION ALL SELECT 'plan_period', p.period_start::VARCHAR, p.period_end::VARCHAR
                               WHERE p.period_start IS NOT NULL
                    UNION ALL SELECT 'plan_end', p.period_end::VARCHAR, NULL
                               WHERE p.period_start IS NULL AND p.period_end IS NOT NULL
                    UNION ALL SELECT 'follows', p.issued, NULL WHERE p.follows IS NOT NULL AND NOT pp.inherited) d
), policy_items AS (
    SELECT d.place_id AS jurisdiction_id, d.date, d.date_end, d.kind, p.id AS record_id, 'policy' AS record_kind,
           p.name_en AS name, CASE WHEN d.kind = 'follows' THEN p.follows END AS other_id,
           CASE WHEN d.kind = 'follows' THEN prev.name_en END AS other_name,
           CASE WHEN d.kind = 'follows' THEN p.follows_inferred_from END AS inferred_from, p.draft,
           NULL::VARCHAR AS metric, NULL::VARCHAR AS label, NULL::VARCHAR AS subject, NULL::DOUBLE AS value,
           NULL::DOUBLE AS value_high, NULL::VARCHAR AS unit, NULL::VARCHAR AS comparator, NULL::BOOLEAN AS increment,
           NULL::VARCHAR AS span, NULL::VARCHAR AS period, NULL::VARCHAR AS basis, NULL::DOUBLE AS cny_per_usd,
           TRUE AS preferred, d.inherited, p.jurisdiction AS from_id, j.name_en AS from_en,
           p.source AS source_id, p.locator
      FROM policy_dates d
      JOIN internal.policies p ON p.id = d.policy_id
      JOIN internal.jurisdictions j ON j.id = p.jurisdiction
      LEFT JOIN internal.policies prev ON prev.id = p.follows
), fact_items AS (
    SELECT f.jurisdiction_id,
           CASE f.kind WHEN 'target' THEN f.deadline
                       WHEN 'event' THEN f.period_start
                       ELSE coalesce(f.period_start, f.period_end,
                                     CASE WHEN lstui_first_day(f.period) IS NOT NULL THEN f.period END) END AS date,
           CASE WHEN f.kind <> 'target' AND f.period_start IS NOT NULL AND f.period_end <> f.period_start
                THEN f.period_end END AS date_end,
           f.kind, f.fact_id AS record_id, f.kind AS record_kind,
           CASE WHEN f.kind = 'event' THEN f.subject END AS name, NULL::VARCHAR AS other_id, NULL::VARCHAR AS other_name,
           f.deadline_inferred_from AS inferred_from, FALSE AS draft,
           f.metric, m.label, CASE WHEN f.kind <> 'event' THEN f.subject END AS subject, f.value, f.value_high, f.unit,
           f.comparator, f.increment, f.span, f.period, f.basis, f.cny_per_usd, f.preferred, FALSE AS inherited,
           f.jurisdiction_id AS from_id, f.jurisdiction_en AS from_en, f.source_id, f.locator
      FROM internal.m_facts f LEFT JOIN internal.metrics m ON m.id = f.metric
     WHERE f.kind IN ('target', 'statistic', 'event')
), items AS (
    SELECT * FROM policy_items UNION ALL BY NAME SELECT * FROM fact_items
)
SELECT jurisdiction_id, date, date_end, lstui_first_day(date) AS starts_on,
       lstui_last_day(coalesce(date_end, date)) AS ends_on, kind, record_id, record_kind, name, other_id, other_name,
       inferred_from, draft, metric, label, subject, value, value_high, unit, comparator, increment, span, period,
       basis, cny_per_usd, preferred, inherited, from_id, from_en, source_id, locator,
       -- in order of the first day each can mean, then the last; what starts a plan before what ends it
       row_number() OVER (PARTITION BY jurisdiction_id ORDER BY starts_on NULLS LAST, ends_on,
           list_position(['issued', 'in_force', 'plan_period', 'follows', 'event', 'statistic', 'target', 'plan_end',
                          'expires'], kind), record_id) AS item_no
  FROM items;

CREATE TABLE internal.m_conflicts AS SELECT * FROM v_conflicts ORDER BY conflict_id;
CREATE TABLE internal.m_incentive_rules AS SELECT * FROM v_incentive_rules ORDER BY jurisdiction_id, incentive_id, tier_no;
CREATE TABLE internal.m_citations AS SELECT * FROM v_citations ORDER BY record_id, primary_citation DESC, source_id;
CREATE TABLE internal.m_places AS SELECT * FROM v_places ORDER BY path_en;
CREATE TABLE internal.m_source_comparisons AS
SELECT * FROM v_source_comparisons ORDER BY source_id, jurisdiction_id, label, tier_no NULLS FIRST, fact_id NULLS LAST,
                                            other_fact_id NULLS LAST;
CREATE TABLE internal.m_progress AS
SELECT *, pair_no = 1 AS headline FROM v_progress ORDER BY jurisdiction_id, label, deadline NULLS LAST, target_id, pair_no;
CREATE TABLE internal.m_timeline AS SELECT * FROM v_timeline ORDER BY jurisdiction_id, item_no;

-- Each incentive with its tiers, conditions, the rate its US-dollar figures are compared at and
-- its other reports: what the calculator and the place pages need, in one row.
CREATE TABLE internal.m_incentive_docs AS
SELECT r.incentive_id AS id, any_value(r.jurisdiction_id) AS jurisdiction_id, any_value(r.preferred) AS preferred,
       any_value(r.covers_subdivisions) AS covers_subdivisions,
       {'id': r.incentive_id, 'jurisdiction_id': any_value(r.jurisdiction_id),
        'jurisdiction_en': any_value(r.jurisdiction_en), 'name': any_value(r.name), 'metric': any_value(r.metric),
        'recipients': any_value(r.recipients), 'benefit': any_value(r.benefit), 'quantified': any_value(r.quantified),
        'tier_mode': any_value(r.tier_mode), 'covers_subdivisions': any_value(r.covers_subdivisions),
        'alternative_to': any_value(r.alternative_to), 'source_id': any_value(r.source_id),
        'locator': any_value(r.locator), 'note': any_value(r.note),
        'rate': CASE WHEN any_value(x.id) IS NOT NULL
                     THEN {'id': any_value(x.id), 'cny_per_usd': any_value(x.cny / x.usd), 'source_id': any_value(x.source)}
                END,
        'alternatives': (SELECT list(DISTINCT a.incentive_id ORDER BY a.incentive_id) FROM internal.m_incentive_rules a
                          WHERE a.alternative_to = r.incentive_id),
        'tiers': list({'tier': r.tier_no, 'amount': r.amount, 'currency': r.currency, 'amount_type': r.amount_type,
                       'description': r.description, 'conditions': r.conditions, 'share': r.share,
                       'share_of': r.share_of, 'per': r.per, 'years': r.years, 'level': r.level,
                       'steps': r.steps, 'totalled': r.totalled} ORDER BY r.tier_no)} AS item
  FROM internal.m_incentive_rules r
  LEFT JOIN internal.record_rates ir ON ir.record_id = r.incentive_id
  LEFT JOIN internal.exchange_rates x ON x.id = ir.rate_id
 GROUP BY r.incentive_id
 ORDER BY r.incentive_id;

-- Every figure as the app and the commands read it: the columns are the fields of
-- lstui.core.models.Fact, in order (a test holds the two together).
CREATE TABLE internal.m_fact_records AS
SELECT f.fact_id, f.record_id, f.jurisdiction_id, f.kind, f.metric, m.label, f.subject, f.value, f.unit,
       f.comparator, f.comparator_wording AS wording, f.period, f.deadline, f.source_id, f.locator, f.note,
       f.preferred, f.has_conflict, pol.issued AS policy_issued, f.cny_per_usd, f.deadline_inferred_from,
       coalesce(f.increment, false) AS increment, f.span, f.value_high, f.deadline_wording,
       f.period_start, m.unit::VARCHAR AS metric_unit
  FROM internal.m_facts f
  LEFT JOIN internal.metrics m ON m.id = f.metric
  LEFT JOIN internal.policies pol ON pol.id = f.policy_id
 ORDER BY f.jurisdiction_id, f.kind, f.fact_id;

-- Everything `lstui show` and the detail pane display for a place, as one nested record per
-- place (its keys are the fields of the models): one indexed lookup instead of a dozen queries.
CREATE TABLE internal.m_place_pages AS
WITH progress_items AS (
    -- preferred reports only, as `lstui progress` pairs them
    SELECT p.jurisdiction_id AS id, list(p ORDER BY p.label, p.deadline NULLS LAST, p.target_id, p.pair_no) AS items
      FROM internal.m_progress p
     WHERE p.target_preferred AND p.statistic_preferred
     GROUP BY p.jurisdiction_id
), timeline_items AS (
    SELECT t.jurisdiction_id AS id, list(t ORDER BY t.item_no) AS items
      FROM internal.m_timeline t GROUP BY t.jurisdiction_id
), fact_items AS (
    SELECT f.jurisdiction_id AS id,
           list({'fact_id': f.fact_id, 'record_id': f.record_id, 'jurisdiction_id': f.jurisdiction_id,
                 'kind': f.kind, 'metric': f.metric, 'label': f.label, 'subject': f.subject,
                 'value': f.value, 'unit': f.unit, 'comparator': f.comparator,
                 'wording': f.wording, 'period': f.period, 'deadline': f.deadline,
                 'source_id': f.source_id, 'locator': f.locator, 'note': f.note, 'preferred': f.preferred,
                 'has_conflict': f.has_conflict, 'policy_issued': f.policy_issued, 'cny_per_usd': f.cny_per_usd,
                 'deadline_inferred_from': f.deadline_inferred_from, 'increment': f.increment, 'span': f.span,
                 'value_high': f.value_high, 'deadline_wording': f.deadline_wording}
                ORDER BY coalesce(f.label, ''), f.period_start NULLS LAST, f.fact_id) AS facts
      FROM internal.m_fact_records f
     WHERE f.kind <> 'incentive'
     GROUP BY f.jurisdiction_id
), incentive_items AS (
    SELECT id AS incentive_id, jurisdiction_id, preferred, covers_subdivisions, item FROM internal.m_incentive_docs
), own AS (
    SELECT jurisdiction_id AS id, list(item ORDER BY item.id) AS items
      FROM incentive_items GROUP BY jurisdiction_id
), inherited AS (
    SELECT p.id, list(i.item ORDER BY p.depth, i.incentive_id) AS items
      FROM internal.jurisdiction_paths p
      JOIN incentive_items i ON i.jurisdiction_id = p.ancestor_id
     WHERE p.depth > 0 AND i.covers_subdivisions AND i.preferred
     GROUP BY p.id
), policy_items AS (
    SELECT p.jurisdiction AS id,
           list({'id': p.id, 'jurisdiction_id': p.jurisdiction, 'name_en': p.name_en, 'name_zh': p.name_zh,
                 'kind': p.kind::VARCHAR, 'issued': p.issued, 'issued_by': p.issued_by,
                 'period_start': p.period_start, 'period_end': p.period_end, 'source_id': p.source,
                 'locator': p.locator, 'note': p.note, 'doc_number': p.doc_number, 'effective': p.effective,
                 'expires': p.expires, 'draft': p.draft, 'follows_id': p.follows,
                 'follows_inferred_from': p.follows_inferred_from}
                ORDER BY p.issued NULLS LAST, p.id) AS items
      FROM internal.policies p GROUP BY p.jurisdiction
), conflict_items AS (
    SELECT j AS id,
           list({'conflict_id': c.conflict_id, 'aspects': c.aspects, 'record_ids': c.record_ids,
                 'fact_ids': c.fact_ids, 'source_ids': c.source_ids, 'preferred_record_id': c.preferred_record_id,
                 'summary': c.summary, 'resolution': c.resolution, 'kind': c.kind,
                 'jurisdiction_ids': c.jurisdiction_ids} ORDER BY c.conflict_id) AS items
      FROM internal.m_conflicts c, unnest(c.jurisdiction_ids) AS t(j)
     GROUP BY j
), cited AS (
    -- Every source behind what the page shows: facts, own and inherited incentives, policies,
    -- and further reports of those records.
    SELECT DISTINCT place, source_id FROM (
        SELECT f.jurisdiction_id AS place, c.source_id
          FROM internal.m_facts f JOIN internal.m_citations c ON c.record_id = f.record_id
        UNION ALL
        SELECT p.jurisdiction, c.source_id
          FROM internal.policies p JOIN internal.m_citations c ON c.record_id = p.id
        UNION ALL
        SELECT p.id, i.source_id
          FROM internal.jurisdiction_paths p
          JOIN internal.m_incentive_rules i ON i.jurisdiction_id = p.ancestor_id
         WHERE p.depth > 0 AND i.covers_subdivisions AND i.preferred)
), source_items AS (
    SELECT c.place AS id,
           list({'id': s.id, 'publisher': s.publisher, 'title': s.title, 'published': s.published,
                 'url': s.url, 'original_url': s.original_url, 'language': s.language::VARCHAR,
                 'date_note': s.date_note, 'note': s.note, 'kind': s.kind::VARCHAR,
                 'opening_only': s.opening_only, 'original_publisher': s.original_publisher,
                 'reprint_of': s.reprint_of, 'translation_of': s.translation_of, 'reports': s.reports}
                ORDER BY s.published, s.id) AS items
      FROM cited c JOIN internal.sources s ON s.id = c.source_id
     GROUP BY c.place
)
SELECT j.id,
       {'place': {'id': j.id, 'name_en': j.name_en, 'name_zh': j.name_zh, 'pinyin': j.pinyin,
                          'level': j.level, 'parent_id': j.parent_id, 'province_en': j.province_en,
                          'path_en': j.path_en, 'ancestors': j.ancestor_ids},
                'policies': coalesce(pol.items, []),
                'facts': coalesce(f.facts, []),
                'incentives': coalesce(o.items, []),
                'inherited': coalesce(inh.items, []),
                'conflicts': coalesce(con.items, []),
                'sources': coalesce(src.items, []),
                'progress': coalesce(prg.items, []),
                'timeline': coalesce(tl.items, [])} AS page
  FROM internal.m_jurisdictions j
  LEFT JOIN progress_items prg ON prg.id = j.id
  LEFT JOIN timeline_items tl ON tl.id = j.id
  LEFT JOIN policy_items pol ON pol.id = j.id
  LEFT JOIN fact_items f ON f.id = j.id
  LEFT JOIN own o ON o.id = j.id
  LEFT JOIN inherited inh ON inh.id = j.id
  LEFT JOIN conflict_items con ON con.id = j.id
  LEFT JOIN source_items src ON src.id = j.id;

CREATE VIEW jurisdictions AS SELECT * FROM internal.m_jurisdictions;
CREATE VIEW incentive_conditions AS SELECT * FROM internal.m_incentive_conditions;
CREATE VIEW facts AS SELECT * FROM internal.m_facts;
CREATE VIEW conflicts AS SELECT * FROM internal.m_conflicts;
CREATE VIEW incentive_rules AS SELECT * FROM internal.m_incentive_rules;
CREATE VIEW citations AS SELECT * FROM internal.m_citations;
CREATE VIEW places AS SELECT * FROM internal.m_places;
CREATE VIEW source_comparisons AS SELECT * FROM internal.m_source_comparisons;
CREATE VIEW progress AS SELECT * FROM internal.m_progress;
CREATE VIEW timeline AS SELECT * FROM internal.m_timeline;

DROP VIEW v_timeline;
DROP VIEW v_progress;
DROP VIEW v_places;
DROP VIEW v_source_comparisons;
DROP VIEW v_citations;
DROP VIEW v_incentive_rules;
DROP VIEW v_conflicts;
DROP VIEW v_facts;
DROP VIEW v_incentive_conditions;
DROP VIEW v_jurisdictions;
DROP MACRO lstui_unit_words;
DROP MACRO lstui_last_day;
DROP MACRO lstui_first_day;
DROP MACRO lstui_totalled;

-- Point lookups by id (a place's page, the places and measures a calculator answer words)
-- stay index lookups however many places the dataset holds.
CREATE UNIQUE INDEX m_jurisdictions_id ON internal.m_jurisdictions (id);
CREATE UNIQUE INDEX m_incentive_docs_id ON internal.m_incentive_docs (id);
CREATE UNIQUE INDEX m_place_pages_id ON internal.m_place_pages (id);
