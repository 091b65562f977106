"""Synthetic datasets at N times the shipped one, for benchmarks only (written to a temp dir).

    python benchmarks/synth.py 100 /tmp/policies-100x.yaml

Scale 1 is the shipped file itself. Scale N keeps it and adds N-1 synthetic copies of its
records, each attached to its own invented places: a pool of 31 invented provinces (as many as
China has) holding, per copy, new prefecture-level cities, districts, county-level cities,
villages and ten extra counties, named in pinyin and 汉字. Each copy keeps the shipped records'
shapes (tiered incentives with conditions, targets, statistics, events, policies, conflicts
between reports) with figures multiplied by a per-copy factor, and cites its own invented
sources, so every copy passes `lstui check` and the whole file is valid.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from pathlib import Path

import yaml

# (汉字, pinyin with tone mark): syllables for invented place names.
SYLLABLES = [
    ("安", "ān"), ("宁", "níng"), ("平", "píng"), ("江", "jiāng"), ("山", "shān"), ("河", "hé"),
    ("东", "dōng"), ("西", "xī"), ("南", "nán"), ("北", "běi"), ("华", "huá"), ("新", "xīn"),
    ("长", "cháng"), ("永", "yǒng"), ("兴", "xīng"), ("丰", "fēng"), ("龙", "lóng"), ("泉", "quán"),
    ("海", "hǎi"), ("阳", "yáng"), ("城", "chéng"), ("清", "qīng"), ("明", "míng"), ("德", "dé"),
    ("春", "chūn"), ("云", "yún"), ("石", "shí"), ("湖", "hú"), ("林", "lín"), ("桥", "qiáo"),
    ("金", "jīn"), ("玉", "yù"), ("白", "bái"), ("青", "qīng"), ("临", "lín"), ("宝", "bǎo"),
]
TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")
SUFFIX = {  # level -> (English word, 汉字, pinyin)
    "province": ("Province", "省", "Shěng"),
    "city": ("", "市", "Shì"),
    "county_city": ("", "市", "Shì"),
    "district": ("District", "区", "Qū"),
    "county": ("County", "县", "Xiàn"),
    "town": ("Town", "镇", "Zhèn"),
    "subdistrict": ("Subdistrict", "街道", "Jiēdào"),
    "special_zone": ("Zone", "区", "Qū"),
    "village": ("Village", "村", "Cūn"),
}
PROVINCE_LEVELS = {"province", "municipality"}
PROVINCES = 31
EXTRA_COUNTIES = 10
FACTORS = [0.5, 1, 1.5, 2, 3, 5]
REF_FIELDS = ("policy", "event", "alternative_to", "follows")
RECORD_SECTIONS = ("policies", "events", "targets", "statistics", "incentives")


class Names:
    """Invented place names: unique ids, English and 汉字 names, pinyin with tone marks."""

    def __init__(self, seed: int = 20200701):
        self.random = random.Random(seed)
        self.used: set[str] = set()

    def make(self, level: str) -> dict:
        length = 3 if self.random.random() < 0.2 else 2
        chars = self.random.sample(SYLLABLES, length)
        zh = "".join(c for c, _ in chars)
        pinyin = "".join(p for _, p in chars)
        base = pinyin.translate(TONELESS).replace("ü", "v")
        plain, pinyin = base.capitalize(), pinyin[0].upper() + pinyin[1:]
        slug, n = base, 1
        while slug in self.used:
            n += 1
            slug = f"{base}-{n}"
        self.used.add(slug)
        en_word, zh_word, py_word = SUFFIX[level]
        return {
            "id": slug,
            "name_en": f"{plain} {en_word}".strip(),
            "name_zh": zh + zh_word,
            "pinyin": f"{pinyin} {py_word}",
            "level": level,
            "aliases": [zh] + ([plain] if en_word else []),
        }


def scale_number(value, factor):
    if value is None or isinstance(value, bool):
        return value
    scaled = value * factor
    return int(round(scaled)) if isinstance(value, int) else scaled


SCALED_UNITS = {"CNY", "USD", "count"}


def generate(shipped: dict, scale: int, seed: int = 20200701) -> dict:
    """The shipped dataset plus scale-1 synthetic copies of its records, as plain YAML data."""
    out = copy.deepcopy(shipped)
    if scale <= 1:
        return out
    names = Names(seed)
    names.used.update(j["id"] for j in shipped["jurisdictions"])
    rng = random.Random(seed + 1)
    country = next(j["id"] for j in shipped["jurisdictions"] if j["level"] == "country")
    provinces = []
    for _ in range(PROVINCES):
        p = names.make("province")
        p["parent"] = country
        provinces.append(p)
    out["jurisdictions"].extend(provinces)
    shipped_provinces = [j["id"] for j in shipped["jurisdictions"] if j["level"] in PROVINCE_LEVELS]
    record_ids = {r["id"] for s in RECORD_SECTIONS for r in shipped.get(s, [])}

    for k in range(1, scale):
        suffix = f"-s{k}"
        factor = rng.choice(FACTORS)
        place = {country: country}
        for i, pid in enumerate(shipped_provinces):
            place[pid] = provinces[(k * len(shipped_provinces) + i) % PROVINCES]["id"]
        cities = []
        for j in shipped["jurisdictions"]:  # parents come before children in the shipped file
            if j["id"] in place:
                continue
            new = names.make(j["level"])
            new["parent"] = place[j["parent"]]
            place[j["id"]] = new["id"]
            out["jurisdictions"].append(new)
            if j["level"] == "city":
                cities.append(new["id"])
        extra = []
        for i in range(EXTRA_COUNTIES):
            county = names.make("county")
            county["parent"] = cities[i % len(cities)]
            out["jurisdictions"].append(county)
            extra.append(county["id"])

        sources = {}
        for s in shipped["sources"]:
            new_id = s["id"] + suffix
            sources[s["id"]] = new_id
            out["sources"].append({
                "id": new_id, "publisher": f"Synthetic Daily {k}", "title": f"Invented report {k} on {s['title']}",
                "published": s.get("published"), "language": s["language"], "paragraphs": s["paragraphs"],
                "note": "Invented for benchmarks; not a real article.",
                **{k: s[k] for k in ("kind", "opening_only", "original_publisher") if k in s},
            })
        for s, copied in zip(shipped["sources"], out["sources"][-len(shipped["sources"]):]):
            for ref in ("reprint_of", "translation_of", "reports"):  # within the same copy
                if s.get(ref):
                    copied[ref] = sources[s[ref]]

        def relink(record: dict) -> dict:
            r = copy.deepcopy(record)
            r["id"] += suffix
            if "jurisdiction" in r:
                r["jurisdiction"] = place[r["jurisdiction"]]
            if "source" in r:
                r["source"] = sources[r["source"]]
            for ref in REF_FIELDS:
                if r.get(ref) is not None and r[ref] in record_ids:
                    r[ref] += suffix
            for also in r.get("also_reported") or []:
                also["source"] = sources[also["source"]]
            return r

        for section in ("policies", "events"):
            out[section].extend(relink(r) for r in shipped[section])
        for section in ("targets", "statistics"):
            for n, record in enumerate(shipped[section]):
                r = relink(record)
                if r.get("unit") in SCALED_UNITS:
                    r["value"] = scale_number(r.get("value"), factor)
                if r.get("converted_unit") in SCALED_UNITS:
                    r["converted_value"] = scale_number(r.get("converted_value"), factor)
                if section == "statistics" and n % 5 == 0 and record["jurisdiction"] != country:
                    r["jurisdiction"] = extra[(n // 5) % EXTRA_COUNTIES]
                out[section].append({k2: v for k2, v in r.items() if v is not None})
        for record in shipped["incentives"]:
            r = relink(record)
            for tier in r.get("tiers") or []:
                tier["amount"] = scale_number(tier.get("amount"), factor)
                tier["converted_amount"] = scale_number(tier.get("converted_amount"), factor)
                for cond in tier.get("conditions") or []:
                    if cond.get("unit") in SCALED_UNITS:
                        cond["value"] = scale_number(cond.get("value"), factor)
                for key in ("amount", "converted_amount"):
                    if tier.get(key) is None:
                        tier.pop(key, None)
            out["incentives"].append(r)
        for conflict in shipped["conflicts"]:
            c = copy.deepcopy(conflict)
            c["id"] += suffix
            c["members"] = [m + suffix for m in c["members"]]
            if c.get("preferred"):
                c["preferred"] += suffix
            out["conflicts"].append(c)
    return out


def load_shipped() -> dict:
    from lstui.core.settings import bundled_data_path

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(bundled_data_path().read_bytes(), Loader=loader)


def write(scale: int, path: Path, shipped: dict | None = None) -> Path:
    """Write the dataset at `scale` to `path` (the shipped file copied as-is at scale 1)."""
    if scale <= 1:
        from lstui.core.settings import bundled_data_path

        path.write_bytes(bundled_data_path().read_bytes())
        return path
    data = generate(shipped or load_shipped(), scale)
    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
        def ignore_aliases(self, data):  # write shared values out, as a person would
            return True

    header = f"# Synthetic lstui dataset at {scale}x the shipped one, for benchmarks. Not real data.\n"
    with path.open("w", encoding="utf-8") as f:
        f.write(header)
        yaml.dump(data, f, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=4096)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scale", type=int, help="multiple of the shipped dataset, e.g. 10, 100, 1000")
    parser.add_argument("output", type=Path, help="YAML file to write")
    args = parser.parse_args(argv)
    write(args.scale, args.output)
    print(f"{args.output}: {args.output.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
