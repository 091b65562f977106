"""The words lstui's data is described in, kept in one place.

What the schema already says (levels, roles, condition fields, units, ...) is read from its
ENUM types, so the database, the validation and every command and pane use one list. What the
schema cannot say (the calculator's statuses, which fields are amounts of money, the order the
tables are filled in) is written here once.
"""

from __future__ import annotations

import re
from pathlib import Path

_SCHEMA = (Path(__file__).resolve().parent / "schema.sql").read_text(encoding="utf-8")
_ENUM = re.compile(r"CREATE TYPE (\w+) AS ENUM \(([^)]*)\);")
ENUMS: dict[str, tuple[str, ...]] = {name: tuple(re.findall(r"'([^']*)'", values))
                                     for name, values in _ENUM.findall(_SCHEMA)}

LEVELS = ENUMS["level_t"]
ROLES = ENUMS["role_t"]
CONDITION_FIELDS = ENUMS["condition_field_t"]
CURRENCIES = ENUMS["currency_t"]

# Condition fields that are amounts of money (compared after converting the profile's currency);
# `followers` and `floor_area` are measures in their own unit (COUNT_UNITS); `listing` names a
# market (LISTINGS); the rest are yes/no requirements or an official designation.
MONEY_FIELDS = ("annual_sales", "valuation", "turnover", "tax_paid", "local_product_sales")
COUNT_UNITS = {"followers": "count", "floor_area": "sqm"}
COUNT_FIELDS = tuple(COUNT_UNITS)
YES_NO_FIELDS = ("new_business", "buying_home", "exclusive_contract", "registered_locally")
NUMERIC_FIELDS = (*COUNT_FIELDS, *MONEY_FIELDS)
LISTINGS = ENUMS["listing_t"]
LISTING_WORDS = {"domestic": "listed on a mainland China exchange", "overseas": "listed on an overseas market",
                 "none": "not listed"}
FREQUENCIES = ENUMS["frequency_t"]

# The calculator's profile fields in words (conditions, profile lines, form labels).
FIELD_WORDS = {"followers": "followers", "floor_area": "floor area", "annual_sales": "annual sales",
               "valuation": "company valuation", "turnover": "annual turnover",
               "tax_paid": "tax paid by the company", "local_product_sales": "sales of local products",
               "new_business": "new business here", "buying_home": "buying a home",
               "exclusive_contract": "exclusively contracted streamer",
               "registered_locally": "registered and operating here", "listing": "listing"}

# The calculator's verdicts, best first: results are ranked in this order.
STATUSES = ("eligible", "needs_designation", "needs_info", "unquantified", "not_eligible", "not_applicable")

# The dataset's tables in the order they are filled (foreign keys point backwards), and the YAML
# sections that feed them, in the order they are read.
TABLE_ORDER = ("sources", "metrics", "jurisdictions", "exchange_rates", "policies", "records", "events",
               "targets", "statistics", "incentives", "incentive_tiers", "tier_conditions", "tier_steps", "conflicts",
               "conflict_members", "mentions")
SECTIONS = ("sources", "metrics", "jurisdictions", "exchange_rates", "policies", "events", "targets",
            "statistics", "incentives", "conflicts")

LEVEL_LABELS = {"county_city": "county-level city", "special_zone": "special zone"}
SOURCE_KINDS = ENUMS["source_kind_t"]
SOURCE_KIND_WORDS = {"government_document": "government document", "official_media": "official media",
                     "news_report": "news report", "reprint": "reprint", "translation": "translation"}
SOURCE_KIND_SHORT = {"government_document": "government", "official_media": "official",
                     "news_report": "news", "reprint": "reprint", "translation": "translation"}
LANGUAGE_WORDS = {"zh": "Chinese", "zh-Hant": "Chinese (traditional characters)", "en": "English",
                  "other": "another language"}
ROLE_LABELS = {"streamer": "streamer (individual)", "mcn": "MCN / agency / brokerage", "platform": "platform",
               "company": "company"}
ROLE_WORDS = {"streamer": "individual streamers", "mcn": "MCNs and agencies", "platform": "platforms",
              "company": "companies"}

# Words that name a level when typed on their own in a filter ("district", "区", "villages").
# 市 ends the names of cities, municipalities and county-level cities alike.
CITY_LIKE = ("city", "county_city", "municipality")
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "country": ("country",), "countries": ("country",), "national": ("country",), "国": ("country",),
    "province": ("province",), "provinces": ("province",), "省": ("province",),
    "municipality": ("municipality",), "municipalities": ("municipality",), "直辖市": ("municipality",),
    "city": CITY_LIKE, "cities": CITY_LIKE, "市": CITY_LIKE,
    "county-level": ("county_city",), "县级市": ("county_city",),
    "district": ("district",), "districts": ("district",), "区": ("district",),
    "county": ("county",), "counties": ("county",), "县": ("county",),
    "town": ("town",), "towns": ("town",), "镇": ("town",), "鎮": ("town",),
    "subdistrict": ("subdistrict",), "subdistricts": ("subdistrict",), "街道": ("subdistrict",),
    "zone": ("special_zone",), "zones": ("special_zone",),
    "village": ("village",), "villages": ("village",), "村": ("village",),
}


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level.replace("_", " "))


def sql_list(names) -> str:
    """A list of these words as SQL text, for an IN (...) in a query the code writes (never user text)."""
    return "(" + ", ".join(f"'{n}'" for n in names) + ")"
