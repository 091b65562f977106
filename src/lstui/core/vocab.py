"""The words lstui's data is described in, kept in one place: administrative levels and the
words people type for them.

The schema's enums (schema.sql) are the authority for what the data may hold; these tuples
follow them, and a test holds the two together.
"""

from __future__ import annotations

LEVELS = ("country", "province", "municipality", "city", "county_city", "district", "county", "village")
LEVEL_LABELS = {"county_city": "county-level city"}

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
    "village": ("village",), "villages": ("village",), "村": ("village",),
}


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level.replace("_", " "))
