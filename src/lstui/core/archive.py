"""Every figure against the paragraph its locator cites, in archived copies of the sources.

Archived texts are matched to sources by SHA-256 (`sources[].archive_sha256`); a paragraph is a
non-empty line. A figure passes when its value is one of the numbers the cited paragraphs hold,
read in English ("1.2 million", "half a million", "20,000"), with French spaces ("500 000") or in
Chinese (1000万元, 1.2亿, 10000亿元, 5万, 百萬, full-width digits); a percentage is its number (50%
reads as 50).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from pathlib import Path
from typing import Iterator, NamedTuple

from lstui.core import dataset, yamlpos
from lstui.core.errors import DataError, LstuiError, Problem
from lstui.core.freshness import DataFile, read_data

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
CHINESE_SCALES = {"万亿": 1e12, "萬億": 1e12, "亿": 1e8, "億": 1e8, "万": 1e4, "萬": 1e4, "千": 1e3, "百": 100}
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "fifty": 50, "hundred": 100, "first": 1, "second": 2,
         "third": 3, "fourth": 4, "fifth": 5, "quadrupled": 4, "doubled": 2, "half a million": 500_000}
CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?![\d,.])|\d+(?:\.\d+)?)"
                     r"(?:\s*(?:-|\s)?(thousand|million|billion|trillion|bn)\b)?", re.I)
# Chinese text runs digits into the words around them, so no word boundary is asked for.
_SCALE_WORD = "万亿|萬億|亿|億|万|萬|千|百"
_CHINESE_NUMBER = re.compile(rf"(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*({_SCALE_WORD})?")
_CHINESE_WORD_NUMBER = re.compile(rf"([一二两三四五六七八九十]+)\s*({_SCALE_WORD})?")
_HUNDRED = re.compile(r"(?<![一二两三四五六七八九十\d])百(?=[家个名场万亿萬億])")  # 百家: a hundred
_HUNDRED_SCALED = re.compile(r"(?<![一二两三四五六七八九十\d])百(万|萬|亿|億)")  # 百萬: a million


def numbers_in(text: str) -> set[float]:
    """Every number the text states, with its scale word applied (and also without it)."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits, commas and per cent signs
    found: set[float] = set()
    for digits, scale in _NUMBER.findall(text):
        value = float(digits.replace(",", "").replace(" ", ""))  # 20,000; 500 000 (French)
        found.add(value)
        if scale:
            found.add(value * SCALES[scale.lower()])
    for digits, scale in _CHINESE_NUMBER.findall(text):
        value = float(digits.replace(",", ""))
        found.add(value)
        if scale:
            found.add(value * CHINESE_SCALES[scale])
    for word, scale in _CHINESE_WORD_NUMBER.findall(text):
        value = _chinese_numeral(word)
        if value is not None:
            found.add(value)
            if scale:
                found.add(value * CHINESE_SCALES[scale])
    if _HUNDRED.search(text):
        found.add(100.0)
    for scale in _HUNDRED_SCALED.findall(text):
        found.add(100 * CHINESE_SCALES[scale])
    lowered = text.lower()
    for word, value in WORDS.items():
        if re.search(rf"\b{word}\b", lowered):
            found.add(float(value))
        for scale, factor in SCALES.items():
            if re.search(rf"\b{word} {scale}\b", lowered):
                found.add(float(value) * factor)
    return found


def _chinese_numeral(word: str) -> float | None:
    """一 to 九十九 (十二, 二十, 三十五); longer runs are not read."""
    if len(word) == 1:
        return float(CHINESE_DIGITS[word])
    tens, _, ones = word.partition("十")
    if "十" not in word or "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return float((CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0))


def holds(numbers: set[float], value: float) -> bool:
    return any(math.isclose(abs(value), n, rel_tol=1e-9, abs_tol=1e-9) for n in numbers)


def paragraphs(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cited_numbers(locator: str) -> list[int]:
    """The paragraph numbers a locator names: "para 12", "paras 9-10", "paras 3, 5"."""
    numbers = [int(n) for n in re.findall(r"\d+", locator)]
    if "-" in locator and len(numbers) == 2:
        return list(range(numbers[0], numbers[1] + 1))
    return numbers


class Figure(NamedTuple):
    value: float
    source: str
    locator: str
    origin: dataset.Origin
    column: str


def figures(ds: dataset.Dataset) -> Iterator[Figure]:
    """Every number in the dataset that a source is cited for."""
    origins = ds.origins
    for table in ("targets", "statistics"):
        for row in ds.tables[table]:
            for column in ("value", "converted_value", "value_high"):
                if row.get(column) is not None:
                    yield Figure(row[column], row["source"], row["locator"], origins[row["_row"]], column)
    cited = {row["id"]: (row["source"], row["locator"]) for row in ds.tables["incentives"]}
    for table, columns in (("incentive_tiers", ("amount", "converted_amount", "share", "years")),
                           ("tier_conditions", ("value",)), ("tier_steps", ("to_year", "share"))):
        for row in ds.tables[table]:
            source, locator = cited[row["incentive"]]
            for column in columns:
                if row.get(column) is not None:
                    yield Figure(row[column], source, locator, origins[row["_row"]], column)
    for row in ds.tables["exchange_rates"]:
        for column in ("cny", "usd"):
            yield Figure(row[column], row["source"], row["locator"], origins[row["_row"]], column)


class ArchiveReport(NamedTuple):
    problems: list[Problem]  # figures not held, sources without a file, paragraph counts that differ
    unused: list[Path]  # files in the folders that no source names
    figures: int  # figures checked
    sources: int


def read_folders(folders: list[Path]) -> dict[str, Path]:
    """The archived texts in these folders, by SHA-256 (a folder's README and INDEX are not texts)."""
    by_hash: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise LstuiError(f"{folder}: not a folder of archived texts")
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix == ".txt" and not path.name.startswith("."):
                by_hash.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return by_hash


def check_archive(data: Path | DataFile, folders: list[Path]) -> ArchiveReport:
    """Hold every figure in the YAML against the archived texts in `folders`."""
    data = read_data(data)
    root, problems = yamlpos.loads(data.raw, str(data.path))
    ds = dataset.read(root, str(data.path), problems)
    if ds.problems:
        raise DataError(ds.problems)
    by_hash = read_folders(folders)
    problem = ds.problem_at
    texts: dict[str, list[str]] = {}
    for row in ds.tables["sources"]:
        origin = ds.origins[row["_row"]]
        path = by_hash.get(row["archive_sha256"] or "")
        if path is None:
            problem(*origin.locate("archive_sha256"), "no archived text in the folders has this SHA-256")
            continue
        texts[row["id"]] = paragraphs(path)
        if row["paragraphs"] != len(texts[row["id"]]):
            problem(*origin.locate("paragraphs"), f"{path.name} has {len(texts[row['id']])} paragraphs, "
                                                   f"not {row['paragraphs']}")
    count = 0
    for fig in figures(ds):
        if fig.source not in texts:
            continue  # its source's file is missing: said once, above
        count += 1
        text = texts[fig.source]
        wanted = cited_numbers(fig.locator)
        outside = [n for n in wanted if not 1 <= n <= len(text)]
        pos, path = fig.origin.locate(fig.column)
        if not wanted or outside:
            problem(pos, path, f"the locator '{fig.locator}' names no paragraph of {fig.source} "
                               f"(it has {len(text)})")
        elif not holds(numbers_in(" ".join(text[n - 1] for n in wanted)), fig.value):
            problem(pos, path, f"{fig.value:,g} is not in {fig.source} {fig.locator}")
    used = {row["archive_sha256"] for row in ds.tables["sources"]}
    unused = sorted(p for sha, p in by_hash.items() if sha not in used)
    return ArchiveReport(sorted(ds.problems), unused, count, len(ds.tables["sources"]))
