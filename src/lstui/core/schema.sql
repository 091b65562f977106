-- lstui database schema.
--
-- Tables in the `internal` schema hold the normalised records; they may change between
-- versions. The views in the main schema (bottom of this file) are the public contract that
-- scripts query; docs/database.md documents them.
--
-- Validation reads the constraints below from DuckDB's catalog (duckdb_constraints(),
-- duckdb_columns()) and runs them against a staging copy of the YAML, so every rule here
-- is reported with the YAML line that breaks it.

CREATE TYPE level_t AS ENUM ('country', 'province', 'municipality', 'city', 'county_city',
                             'district', 'county', 'town', 'subdistrict', 'special_zone', 'village');
CREATE TYPE unit_t AS ENUM ('CNY', 'USD', 'count', 'percent', 'ratio', 'rank', 'hours', 'sqm', 'none');
CREATE TYPE comparator_t AS ENUM ('exactly', 'more_than', 'at_least', 'up_to', 'about');
CREATE TYPE threshold_t AS ENUM ('more_than', 'at_least');
CREATE TYPE role_t AS ENUM ('streamer', 'mcn', 'platform', 'company');
CREATE TYPE benefit_t AS ENUM ('cash', 'subsidy', 'grant', 'in_kind', 'status', 'training',
                               'unspecified');
CREATE TYPE amount_type_t AS ENUM ('fixed', 'up_to');
CREATE TYPE currency_t AS ENUM ('CNY', 'USD');
CREATE TYPE condition_field_t AS ENUM ('followers', 'annual_sales', 'valuation', 'turnover',
                                       'tax_paid', 'local_product_sales', 'floor_area',
                                       'new_business', 'buying_home', 'exclusive_contract',
                                       'registered_locally', 'listing', 'designation');
CREATE TYPE listing_t AS ENUM ('domestic', 'overseas');
CREATE TYPE frequency_t AS ENUM ('one_off', 'yearly');
CREATE TYPE span_t AS ENUM ('annual', 'cumulative');
CREATE TYPE tier_mode_t AS ENUM ('highest', 'independent');
CREATE TYPE basis_t AS ENUM ('observed', 'forecast', 'estimate');
CREATE TYPE policy_kind_t AS ENUM ('action_plan', 'project', 'policy_package', 'talent_policy',
                                   'incentive_plan', 'development_plan', 'implementation_plan');
CREATE TYPE aspect_t AS ENUM ('deadline', 'comparator', 'amount_type', 'condition', 'value',
                              'wording', 'converted_value', 'ranking', 'recipient', 'issuer', 'location');
CREATE TYPE record_kind_t AS ENUM ('target', 'incentive', 'statistic', 'event');
CREATE TYPE conflict_kind_t AS ENUM ('disagreement', 'rounding');
CREATE TYPE language_t AS ENUM ('zh', 'zh-Hant', 'en', 'other');
CREATE TYPE source_kind_t AS ENUM ('government_document', 'official_media', 'news_report', 'reprint',
                                   'translation');

CREATE SCHEMA internal;

CREATE TABLE internal.sources (
    id             VARCHAR PRIMARY KEY,
    publisher      VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    published      VARCHAR,
    date_note      VARCHAR,
    language       language_t NOT NULL,
    url            VARCHAR,
    original_url   VARCHAR,
    paragraphs     INTEGER NOT NULL CHECK (paragraphs > 0),
    archive_sha256 VARCHAR,
    note           VARCHAR,
    kind           source_kind_t NOT NULL,
    opening_only   BOOLEAN NOT NULL,            -- only the opening of the page is archived
    original_publisher VARCHAR,                 -- the outlet or document a reprint or translation reproduces
    reprint_of     VARCHAR REFERENCES internal.sources (id),
    translation_of VARCHAR REFERENCES internal.sources (id),
    reports        VARCHAR REFERENCES internal.sources (id)  -- the government document a text describes
);

CREATE TABLE internal.metrics (
    id         VARCHAR PRIMARY KEY,
    label      VARCHAR NOT NULL,
    unit       unit_t NOT NULL,
    definition VARCHAR NOT NULL
);

CREATE TABLE internal.jurisdictions (
    id      VARCHAR PRIMARY KEY,
    name_en VARCHAR NOT NULL,
    name_zh VARCHAR NOT NULL,
    pinyin  VARCHAR NOT NULL,
    level   level_t NOT NULL,
    parent  VARCHAR REFERENCES internal.jurisdictions (id),
    aliases VARCHAR[],
    note    VARCHAR
);

-- Filled by the build from internal.jurisdictions: every (place, ancestor-or-self) pair.
CREATE TABLE internal.jurisdiction_paths (
    id          VARCHAR NOT NULL REFERENCES internal.jurisdictions (id),
    ancestor_id VARCHAR NOT NULL REFERENCES internal.jurisdictions (id),
    depth       INTEGER NOT NULL CHECK (depth >= 0),
    PRIMARY KEY (id, ancestor_id)
);

CREATE TABLE internal.exchange_rates (
    id      VARCHAR PRIMARY KEY,
    source  VARCHAR NOT NULL REFERENCES internal.sources (id),
    locator VARCHAR NOT NULL,
    cny     DOUBLE NOT NULL CHECK (cny > 0),
    usd     DOUBLE NOT NULL CHECK (usd > 0),
    note    VARCHAR
);

CREATE TABLE internal.policies (
    id           VARCHAR PRIMARY KEY,
    jurisdiction VARCHAR NOT NULL REFERENCES internal.jurisdictions (id),
    name_en      VARCHAR NOT NULL,
    name_zh      VARCHAR,
    kind         policy_kind_t NOT NULL,
    issued       VARCHAR,
    issued_by    VARCHAR,
    period_start INTEGER CHECK (period_start BETWEEN 1949 AND 2100),
    period_end   INTEGER CHECK (period_end BETWEEN 1949 AND 2100),
    source       VARCHAR NOT NULL REFERENCES internal.sources (id),
    locator      VARCHAR NOT NULL,
    note         VARCHAR NOT NULL,
    doc_number   VARCHAR,                     -- as the document is numbered, e.g. 深府办规〔2020〕9号
    effective    VARCHAR,                     -- in force from
    expires      VARCHAR,                     -- in force until
    draft        BOOLEAN NOT NULL,            -- published for comment, not (yet) adopted
    follows      VARCHAR REFERENCES internal.policies (id),  -- the plan this one succeeds
    follows_inferred_from VARCHAR             -- no source says so: the succession is read off this
);

-- One row per sourced record: ids are unique across targets, incentives, statistics and
-- events, so conflicts can point at any of them.
CREATE TABLE internal.records (
    id   VARCHAR PRIMARY KEY,
    kind record_kind_t NOT NULL
);

CREATE TABLE internal.events (
    id           VARCHAR PRIMARY KEY REFERENCES internal.records (id),
    jurisdiction VARCHAR NOT NULL REFERENCES internal.jurisdictions (id),
    name         VARCHAR NOT NULL,
    date         VARCHAR,
    end_date     VARCHAR,
    policy       VARCHAR REFERENCES internal.policies (id),
    source       VARCHAR NOT NULL REFERENCES internal.sources (id),
    locator      VARCHAR NOT NULL,
    note         VARCHAR NOT NULL
);

CREATE TABLE internal.targets (
    id              VARCHAR PRIMARY KEY REFERENCES internal.records (id),
    jurisdiction    VARCHAR NOT NULL REFERENCES internal.jurisdictions (id),
    policy          VARCHAR REFERENCES internal.policies (id),
    metric          VARCHAR NOT NULL REFERENCES internal.metrics (id),
    subject         VARCHAR,
    value           DOUBLE CHECK (value >= 0),
    unit            unit_t NOT NULL,
    comparator      comparator_t,
    wording         VARCHAR,
    deadline        VARCHAR,
    deadline_inferred_from VARCHAR,  -- the deadline is not stated: read off this (e.g. a plan's title)
    period          VARCHAR,
    converted_value DOUBLE CHECK (converted_value >= 0),
    converted_unit  currency_t,
    source          VARCHAR NOT NULL REFERENCES internal.sources (id),
    locator         VARCHAR NOT NULL,
    note            VARCHAR NOT NULL,
    increment       BOOLEAN NOT NULL,  -- "another 3,000": added to what exists, not a total
    span            span_t,            -- a yearly figure or a sum over the plan; NULL: not stated
    value_high      DOUBLE CHECK (value_high >= 0),  -- the top of a range ("3,000 to 5,000")
    deadline_wording VARCHAR           -- a deadline given only in words ("in the next three years or so")
);

CREATE TABLE internal.statistics (
    id              VARCHAR PRIMARY KEY REFERENCES internal.records (id),
    jurisdiction    VARCHAR NOT NULL REFERENCES internal.jurisdictions (id),
    metric          VARCHAR NOT NULL REFERENCES internal.metrics (id),
    subject         VARCHAR,
    value           DOUBLE,
    unit            unit_t NOT NULL,
    comparator      comparator_t,
    wording         VARCHAR,
    period          VARCHAR,
    period_start    VARCHAR,
    period_end      VARCHAR,
    reported_on     VARCHAR,
    reported_by     VARCHAR,
    basis           basis_t NOT NULL,
    event           VARCHAR REFERENCES internal.events (id),
    policy          VARCHAR REFERENCES internal.policies (id),
    converted_value DOUBLE,
    converted_unit  currency_t,
    source          VARCHAR NOT NULL REFERENCES internal.sources (id),
    locator         VARCHAR NOT NULL,
    note            VARCHAR NOT NULL
);

CREATE TABLE internal.incentives (
    id                  VARCHAR PRIMARY KEY REFERENCES internal.records (id),
    jurisdiction        VARCHAR NOT NULL REFERENCES internal.jurisdictions (id),
    policy              VARCHAR REFERENCES internal.policies (id),
    name                VARCHAR NOT NULL,
    metric              VARCHAR NOT NULL REFERENCES internal.metrics (id),
    recipients          role_t[],  -- NULL: not stated (allowed only where nothing is quantified)
    benefit             benefit_t NOT NULL,
    quantified          BOOLEAN NOT NULL,
    tier_mode           tier_mode_t NOT NULL,
    covers_subdivisions BOOLEAN NOT NULL,
    alternative_to      VARCHAR REFERENCES internal.incentives (id),
    exchange_rate       VARCHAR REFERENCES internal.exchange_rates (id),
    source              VARCHAR NOT NULL REFERENCES internal.sources (id),
    locator             VARCHAR NOT NULL,
    note                VARCHAR NOT NULL
);

CREATE TABLE internal.incentive_tiers (
    incentive          VARCHAR NOT NULL REFERENCES internal.incentives (id),
    tier_no            INTEGER NOT NULL CHECK (tier_no >= 1),
    amount             DOUBLE CHECK (amount >= 0),
    currency           currency_t,
    amount_type        amount_type_t,
    converted_amount   DOUBLE CHECK (converted_amount >= 0),
    converted_currency currency_t,
    description        VARCHAR,
    share              DOUBLE CHECK (share > 0 AND share <= 100),  -- percent of a cost (`share_of`)
    share_of           VARCHAR,       -- the cost a share is of, e.g. logistics costs; the amount is its cap
    per                frequency_t,   -- one_off or yearly; NULL: the source does not say
    years              DOUBLE CHECK (years > 0),  -- paid for at most this many years
    level              VARCHAR,       -- a class or title granted (Yuhang's F-class talent)
    PRIMARY KEY (incentive, tier_no)
);

-- A share that changes over the years of one tier (rent: 100% in years 1-2, 60% in year 3): each
-- step runs from the year after the one before it ends (the first from year 1) to `to_year`.
CREATE TABLE internal.tier_steps (
    incentive  VARCHAR NOT NULL REFERENCES internal.incentives (id),
    tier_no    INTEGER NOT NULL,
    step_no    INTEGER NOT NULL CHECK (step_no >= 1),
    to_year    INTEGER NOT NULL CHECK (to_year >= 1),
    share      DOUBLE NOT NULL CHECK (share > 0 AND share <= 100),
    PRIMARY KEY (incentive, tier_no, step_no)
);

CREATE TABLE internal.tier_conditions (
    incentive  VARCHAR NOT NULL REFERENCES internal.incentives (id),
    tier_no    INTEGER NOT NULL,
    cond_no    INTEGER NOT NULL CHECK (cond_no >= 1),
    field      condition_field_t NOT NULL,
    comparator threshold_t,
    value      DOUBLE CHECK (value >= 0),
    unit       unit_t,
    wording    VARCHAR,
    listed_on  listing_t,  -- a listing condition: the market the company lists on
    PRIMARY KEY (incentive, tier_no, cond_no)
);

CREATE TABLE internal.conflicts (
    id         VARCHAR PRIMARY KEY,
    aspects    aspect_t[] NOT NULL,
    preferred  VARCHAR REFERENCES internal.records (id),
    summary    VARCHAR NOT NULL,
    resolution VARCHAR,
    kind       conflict_kind_t NOT NULL  -- rounding: the figures differ only as one rounds the other
);

CREATE TABLE internal.conflict_members (
    conflict  VARCHAR NOT NULL REFERENCES internal.conflicts (id),
    position  INTEGER NOT NULL,
    member    VARCHAR NOT NULL REFERENCES internal.records (id),
    PRIMARY KEY (conflict, position)
);

-- Further places that report a policy, event or incentive (the record's own source and
-- locator stay on the record).
CREATE TABLE internal.mentions (
    record_id VARCHAR NOT NULL,
    position  INTEGER NOT NULL,
    source    VARCHAR NOT NULL REFERENCES internal.sources (id),
    locator   VARCHAR NOT NULL,
    PRIMARY KEY (record_id, position)
);

CREATE TABLE internal.build_info (
    yaml_path      VARCHAR NOT NULL,
    yaml_sha256    VARCHAR NOT NULL,
    yaml_size      BIGINT NOT NULL,
    yaml_mtime_ns  BIGINT NOT NULL,
    schema_sha256  VARCHAR NOT NULL,
    lstui_version  VARCHAR NOT NULL,
    duckdb_version VARCHAR NOT NULL,
    built_at       TIMESTAMP NOT NULL
);

-- Filled by the build from the tables above: one row per place, for fast listing and search.
CREATE TABLE internal.place_summary (
    id                        VARCHAR PRIMARY KEY REFERENCES internal.jurisdictions (id),
    search_key                VARCHAR NOT NULL,
    search_fields             VARCHAR[] NOT NULL,
    n_targets                 INTEGER NOT NULL,
    n_incentives              INTEGER NOT NULL,
    n_inherited_incentives    INTEGER NOT NULL,
    n_statistics              INTEGER NOT NULL,
    n_events                  INTEGER NOT NULL,
    sales_target              DOUBLE,
    sales_target_comparator   VARCHAR,
    sales_target_deadline     VARCHAR,
    sales_target_cny_per_usd  DOUBLE,   -- the rate that goes with the sales target (record_rates)
    sales_target_period       VARCHAR,  -- its period in the source's words
    top_individual_incentive  DOUBLE,   -- in yuan
    top_individual_amount_type VARCHAR,
    top_individual_cny_per_usd DOUBLE,
    money_for_individuals     BOOLEAN NOT NULL,
    money_for_companies       BOOLEAN NOT NULL
);

-- Filled by the build: which incentives apply to each place (its own, and those of ancestors
-- that cover their subdivisions), preferred reports only. The calculator ranks from this.
CREATE TABLE internal.incentive_coverage (
    place_id     VARCHAR NOT NULL REFERENCES internal.jurisdictions (id),
    place_en     VARCHAR NOT NULL,  -- the place's English name, for ranking without a join
    incentive_id VARCHAR NOT NULL REFERENCES internal.incentives (id),
    inherited    BOOLEAN NOT NULL,
    PRIMARY KEY (place_id, incentive_id)
);

-- Filled by the build: the exchange rate that goes with each target, statistic and incentive
-- (US-dollar comparisons, amounts shown in the other currency): an incentive's own, else one
-- its source states, else the one stated nearest in time to its source (see derived.sql).
CREATE TABLE internal.record_rates (
    record_id    VARCHAR PRIMARY KEY REFERENCES internal.records (id),
    rate_id      VARCHAR NOT NULL REFERENCES internal.exchange_rates (id),
    cny_per_usd  DOUBLE NOT NULL
);

-- Filled by the build: the calculator's rules in one row per preferred incentive: its tiers in
-- order, each with its amounts in yuan and in dollars (at the incentive's rate) and its conditions,
-- and the places it applies in (its own and those below it that it covers). A profile is held
-- against every measure in a single scan, and all a verdict needs is in the measure's row.
CREATE TABLE internal.calculator_tiers (
    incentive_id    VARCHAR PRIMARY KEY REFERENCES internal.incentives (id),
    name            VARCHAR NOT NULL,
    recipients      VARCHAR[],  -- NULL: who it is for is not stated
    quantified      BOOLEAN NOT NULL,
    jurisdiction_id VARCHAR NOT NULL,  -- where the measure comes from
    jurisdiction_en VARCHAR NOT NULL,
    cny_per_usd     DOUBLE,
    tiers           STRUCT(tier_no INTEGER, amount_cny DOUBLE,
                           amount_usd DOUBLE,  -- NULL when the incentive has no rate to convert at
                           amount_type VARCHAR,
                           totalled BOOLEAN,  -- false for a share of a cost or a yearly amount
                           conditions STRUCT(field VARCHAR, comparator VARCHAR, value DOUBLE, unit VARCHAR,
                                             listed_on VARCHAR)[])[] NOT NULL,
    places          STRUCT(id VARCHAR, name_en VARCHAR)[] NOT NULL  -- by English name, then id
);
