"""YAML that is refused, or read one way only: explicit tags, characters YAML forbids, and number
forms whose meaning depends on the YAML version (017 is 15 to YAML 1.1 and 17 to YAML 1.2).

Each ends in `PATH:LINE:COL: FIELD: MESSAGE` lines that point at the spot, with exit code 2, or
in a valid build: never in an internal error, and never in a value that silently means something
other than what a reader of the file sees.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lstui.core import yamlpos
from lstui.core.errors import DataError
from tests.cli.test_check_errors import line_containing, replace_once
from tests.conftest import MINIMAL
from tests.hardening.test_broken_data import (MUTATIONS, SafeLoader, assert_no_crash, assert_problem_report,
                                              check_and_build_agree, draw_offset, run_cli, scattered)
from tests.hardening.test_broken_data import base, shipped  # noqa: F401 - fixtures, used by name

MINIMAL_TEXT = MINIMAL.read_text(encoding="utf-8")

# Places in the minimal fixture: a number field, a text field that is required, one that is
# optional (added after the note), and a true/false field (added to the incentive).
NUMBER = "    value: 3_000\n"  # targets[0].value
NOTE = "    note: Hosts to cultivate.\n"  # targets[0].note
WORDING_AFTER = NOTE  # targets[0].wording is written on the line after the note
FLAG_AFTER = "    benefit: cash\n"  # incentives[0].covers_subdivisions, on the line after


def check(tmp_path: Path, text: str) -> list[tuple[int, int, str, str]]:
    """`lstui check` of `text`: [] when it passes, else its problems as (line, col, field, message)."""
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--data", str(path))
    assert_no_crash(result)
    if result.code == 0:
        return []
    return assert_problem_report(result.err, path, path.read_bytes())


def with_number(form: str, text: str = MINIMAL_TEXT) -> str:
    return replace_once(text, NUMBER, f"    value: {form}\n")


def with_note(form: str, text: str = MINIMAL_TEXT) -> str:
    return replace_once(text, NOTE, f"    note: {form}\n")


def with_wording(form: str, text: str = MINIMAL_TEXT) -> str:
    return replace_once(text, WORDING_AFTER, f"{WORDING_AFTER}    wording: {form}\n")


def with_flag(form: str, text: str = MINIMAL_TEXT) -> str:
    return replace_once(text, FLAG_AFTER, f"{FLAG_AFTER}    covers_subdivisions: {form}\n")


def loaded(text: str) -> dict:
    """What the loader reads from `text` (its problems are left to `check`)."""
    return yamlpos.loads(text)[0]


# A target per written form, its `value:` (a number field) and its `wording:` (a text field) both
# written as the form: one file for many forms, checked once.
TARGET = """\
  - id: form-{n}
    jurisdiction: shenzhen
    metric: streamers
    value: {form}
    unit: count
    comparator: at_least
    source: src-a
    locator: para 3
    note: Hosts to cultivate.
    wording: {form}
"""
FIRST_TARGET_LINE = line_containing(MINIMAL_TEXT, "targets:") + 1


@dataclass
class Written:
    """A form as one field read it: the value, and the problems reported on its line."""

    value: object
    field: str
    problems: list[tuple[int, str, str]]  # (column, field, message)


def check_each(folder: Path, forms) -> dict[str, tuple[Written, Written]]:
    """Each form in a number field and in a text field, from one file checked once."""
    forms = list(forms)
    blocks = "".join(TARGET.format(n=n, form=form) for n, form in enumerate(forms))
    text = replace_once(MINIMAL_TEXT, "targets:\n", "targets:\n" + blocks)
    by_line: dict[int, list] = {}
    for line, col, field, message in check(folder, text):
        by_line.setdefault(line, []).append((col, field, message))
    targets = loaded(text)["targets"]
    out = {}
    for n, form in enumerate(forms):
        first = FIRST_TARGET_LINE + n * TARGET.count("\n")
        out[form] = (Written(targets[n]["value"], f"targets[{n}].value", by_line.pop(first + 3, [])),
                     Written(targets[n]["wording"], f"targets[{n}].wording", by_line.pop(first + 9, [])))
    assert not by_line, f"problems away from the forms: {by_line}"
    return out


NUMBER_AT = (44, 12, "targets[0].value")
NOTE_AT = (50, 11, "targets[0].note")
FLAG_AT = (68, 26, "incentives[0].covers_subdivisions")


def test_the_places_used_below_are_where_the_tests_say():
    assert line_containing(MINIMAL_TEXT, "value: 3_000") == NUMBER_AT[0]
    assert line_containing(MINIMAL_TEXT, "note: Hosts to cultivate.") == NOTE_AT[0]
    assert line_containing(with_flag("true"), "covers_subdivisions") == FLAG_AT[0]


# ------------------------------------------------------------------------------------------
# Explicit tags: refused everywhere except !!str on a single value (the same as quoting it)


def tag_message(tag: str, what: str = "value") -> str:
    hint = " (in quotes if it is text)" if what == "value" else ""
    return f"tags are not supported here: {tag}; write the {what} without a tag{hint}"


SCALAR_TAGS = {  # what is written after `value:` -> the tag as the message shows it
    "!!timestamp notadate": "!!timestamp",
    "!!timestamp 2020-06-20": "!!timestamp",
    "!!bool maybe": "!!bool",
    "!!bool true": "!!bool",
    '!!int ""': "!!int",
    "!!int 3_000": "!!int",
    '!!float ""': "!!float",
    "!!float 1e400": "!!float",
    '!!binary "@@@"': "!!binary",
    "!!binary aGVsbG8=": "!!binary",
    "!!null": "!!null",
    "!!null ''": "!!null",
    "!!merge <<": "!!merge",
    "!!value =": "!!value",
    "!!python/object:os.system x": "!!python/object:os.system",
    "!!python/name:os.system ''": "!!python/name:os.system",
    "!!omap x": "!!omap",
    "!!set x": "!!set",
    "!!pairs x": "!!pairs",
    "!!map x": "!!map",
    "!foo x": "!foo",
    "! x": "!",
    "!<tag:example.com,2000:thing> x": "!<tag:example.com,2000:thing>",
}


COLLECTION_TAGS = {  # what is written after `value:` -> (the tag as shown, list or mapping)
    "!!omap [a: 1]": ("!!omap", "list"),
    "!!pairs [a: 1, a: 2]": ("!!pairs", "list"),
    "!!set {a, b}": ("!!set", "mapping"),
    "!!str {a: 1}": ("!!str", "mapping"),
    "!!str [a]": ("!!str", "list"),
    "!!seq [1]": ("!!seq", "list"),
    "!!map {a: 1}": ("!!map", "mapping"),
    "!!python/object/apply:os.system [ls]": ("!!python/object/apply:os.system", "list"),
    "!!python/object:collections.OrderedDict {a: 1}": ("!!python/object:collections.OrderedDict", "mapping"),
}


@pytest.fixture(scope="module")
def tags_checked(tmp_path_factory):
    return check_each(tmp_path_factory.mktemp("tags"), [*SCALAR_TAGS, *COLLECTION_TAGS])


@pytest.mark.parametrize("written", SCALAR_TAGS)
def test_a_tagged_value_is_one_problem_at_the_tag(written, tags_checked):
    for place, col in zip(tags_checked[written], (12, 14)):
        assert place.value is None
        assert place.problems == [(col, place.field, tag_message(SCALAR_TAGS[written]))]


@pytest.mark.parametrize("written", COLLECTION_TAGS)
def test_a_tagged_list_or_mapping_where_a_value_goes_is_reported_at_the_tag(written, tags_checked):
    """Both things wrong are said, at the tag: the tag, and a list or mapping where one value goes."""
    tag, what = COLLECTION_TAGS[written]
    number, text = tags_checked[written]
    assert number.problems == [(12, number.field, f"expected a number, got a {what}"),
                               (12, number.field, tag_message(tag, what))]
    assert text.problems == [(14, text.field, f"expected text, got a {what}"),
                             (14, text.field, tag_message(tag, what))]


def test_a_tagged_section_is_one_problem_and_its_entries_are_still_checked(tmp_path):
    text = replace_once(MINIMAL_TEXT, "jurisdictions:\n", "jurisdictions: !!seq\n")
    text = replace_once(text, "    level: city\n", "    level: cty\n")
    problems = check(tmp_path, text)
    assert [p[:3] for p in problems] == [(22, 16, "jurisdictions"), (line_containing(text, "level: cty"), 12,
                                                                     "jurisdictions[2].level")]
    assert problems[0][3] == tag_message("!!seq", "list")
    assert problems[1][3].startswith("'cty' is not one of: ")


def test_a_tagged_root_is_one_problem_at_the_top(tmp_path):
    assert check(tmp_path, "--- !!map\n" + MINIMAL_TEXT) == [(1, 5, "yaml", tag_message("!!map", "mapping"))]


def test_a_tagged_key_is_one_problem_and_the_key_still_counts(tmp_path):
    text = replace_once(MINIMAL_TEXT, NOTE, "    !!python/name:os.system note: Hosts to cultivate.\n")
    assert check(tmp_path, text) == [(50, 5, "targets[0].note", tag_message("!!python/name:os.system", "key"))]


def test_every_tagged_value_is_reported_at_once_with_the_other_problems(tmp_path):
    text = replace_once(MINIMAL_TEXT, NUMBER, "    value: !!bool maybe\n")
    text = replace_once(text, NOTE, "    note: !!timestamp notadate\n")
    text = replace_once(text, "    level: city\n", "    level: cty\n")
    text = replace_once(text, "    paragraphs: 10\n", "    paragraphs: !!int 10\n")
    fields = [field for _, _, field, _ in check(tmp_path, text)]
    assert fields == ["sources[0].paragraphs", "jurisdictions[2].level", "targets[0].value", "targets[0].note"]


def test_str_is_the_one_tag_accepted_and_makes_text(tmp_path):
    text = replace_once(with_note("!!str 017"), "    name: House allowance\n", "    !!str name: House allowance\n")
    assert check(tmp_path, text) == []
    root = loaded(text)
    assert root["targets"][0]["note"] == "017"
    assert root["incentives"][0]["name"] == "House allowance"
    assert loaded(with_wording("!!str"))["targets"][0]["wording"] == ""
    assert check(tmp_path, with_number("!!str 3000")) == [
        (*NUMBER_AT, "expected a number, got '3000' (write numbers without quotes or units, e.g. 300_000_000_000)")]


def test_a_tag_is_shown_legibly_whatever_it_holds(tmp_path):
    """A tag may carry %-escaped control characters; the message shows them as visible stand-ins."""
    path = tmp_path / "data.yaml"
    path.write_text(with_note("!foo%1B%5B2J%07%0A x"), encoding="utf-8")
    result = run_cli("check", "--data", str(path))
    assert result.code == 2
    assert f"{path}:50:11: targets[0].note: {tag_message('!foo␛[2J␇␊')}\n" in result.err
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", result.err)


# ------------------------------------------------------------------------------------------
# Characters YAML forbids: reported where they are, named, and not repeated raw


FORBIDDEN = {"\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x0b": "VT", "\x1b": "ESC", "\x1f": "US",
             "\x7f": "DEL", "\x80": "a C1 control character", "\x9b": "a C1 control character",
             "\ufffe": "a noncharacter", "\uffff": "a noncharacter"}


def forbidden_message(char: str) -> str:
    return f"the character U+{ord(char):04X} ({FORBIDDEN[char]}) is not allowed in YAML; remove it"


def places_in(text: str) -> dict[str, int]:
    """Character offsets in the shipped data, one for each kind of place a stray character may be."""
    def after(pattern: str, into: int = 0) -> int:
        match = re.search(pattern, text, re.MULTILINE)
        assert match, pattern
        return match.end() + into

    line_276 = sum(len(line) + 1 for line in text.split("\n")[:275])
    return {
        "start of the file": 0,
        "inside a single-quoted string": after(r"^    name: '", 4),
        "inside a block scalar": after(r"^    note: >-\n      ", 6),
        "in a plain scalar": after(r"^    title: ", 8),
        "in a key": after(r"^    pub"),
        "in a key of a flow mapping": after(r"\{fie"),
        "in a flow sequence": after(r"aliases: \[P"),
        "in a comment": after(r"^# Conventions"),
        "at the start of line 276": line_276,
        "in the indentation": line_276 + 2,
        "at the end of the file": len(text),
    }


def line_and_column(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


@pytest.fixture(scope="module")
def shipped_text(shipped) -> str:
    text = shipped.raw.decode("utf-8")
    # The expected positions count lines by LF alone, as the shipped file breaks its lines.
    assert not re.search("[\r\x85\u2028\u2029]", text)
    return text


@pytest.mark.parametrize("char", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_a_forbidden_character_is_reported_where_it_was_put(char, shipped_text, tmp_path):
    path = tmp_path / "data.yaml"
    for place, at in places_in(shipped_text).items():
        path.write_text(shipped_text[:at] + char + shipped_text[at:], encoding="utf-8")
        result = run_cli("check", "--data", str(path))
        assert_no_crash(result)
        assert result.code == 2, place
        line, col = line_and_column(shipped_text, at)
        assert result.err == f"{path}:{line}:{col}: encoding: {forbidden_message(char)}\n" \
                             "1 problem found; nothing was built\n", place


def test_line_276_is_line_276(shipped_text):
    at = places_in(shipped_text)["at the start of line 276"]
    assert line_and_column(shipped_text, at) == (276, 1)
    assert line_and_column(shipped_text, at + 7) == (276, 8)


def test_the_first_forbidden_character_is_the_one_reported():
    with pytest.raises(DataError) as caught:
        yamlpos.loads("a: b\nc: 中文 \x1b and \x00\n# \x07\n", "f.yaml")
    assert [str(p) for p in caught.value.problems] == [f"f.yaml:2:7: encoding: {forbidden_message(chr(27))}"]


def test_lines_are_counted_as_yaml_counts_them():
    """YAML breaks lines at CR, NEL, LS and PS as well as LF; the parser's other positions count
    them too, so the position of a forbidden character agrees with them."""
    for brk in ("\r", "\r\n", "\x85", "\u2028", "\u2029"):
        with pytest.raises(DataError) as caught:
            yamlpos.loads(f"a: 'one{brk}two'\nb: x\x7f\n")
        ((problem,),) = [caught.value.problems]
        assert (problem.line, problem.col) == (3, 5), repr(brk)


def test_a_lone_surrogate_in_text_given_to_the_loader_is_a_problem():
    """Text that never was UTF-8 (a str holding a lone surrogate) is refused like any other character."""
    with pytest.raises(DataError) as caught:
        yamlpos.loads("a: b\nc: x\ud800\n", "f.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "f.yaml:2:5: encoding: the character U+D800 (a lone surrogate) is not allowed in YAML; remove it"]


def test_characters_yaml_allows_are_kept():
    """Tab, NEL, BOM inside the text, the last characters before the forbidden U+FFFE, and astral ones."""
    root, problems = yamlpos.loads("a: \"x\ty\"\nb: 'é\ufeff\ufffd\U0001f600\U0010fffd'\n")
    assert (root, problems) == ({"a": "x\ty", "b": "é\ufeff\ufffd\U0001f600\U0010fffd"}, [])


# ------------------------------------------------------------------------------------------
# Plain scalars: YAML 1.2's core schema, '_' between digits, dates; ambiguous numbers refused


@dataclass(frozen=True)
class Reads:
    """In a number field and in a text field: the value read, and the problem `check` reports at
    it (None: the file passes)."""

    number: object
    number_problem: str | None
    text: object
    text_problem: str | None


def refused(message: str) -> Reads:
    return Reads(None, message, None, message)


def as_number(value) -> Reads:
    return Reads(value, None, value, f"expected text, got the number {value}")


def as_text(form: str) -> Reads:
    hint = " (write numbers without quotes or units, e.g. 300_000_000_000)"
    return Reads(form, f"expected a number, got '{form}'{hint}", form, None)


def leading_zeros(shown: str) -> Reads:
    return refused(f"leading zeros are not allowed in numbers (write {shown}, or quote it as text)")


def based(name: str, shown: str) -> Reads:
    return refused(f"{name} numbers are not allowed (write {shown}, or quote it as text)")


def not_usable(value: float) -> Reads:
    return Reads(value, f"the number {value} is not a usable number (at most 1e18)",
                 value, f"expected text, got the number {value}")


FORMS = {
    # Decimal numbers, with '_' between digits as the shipped data writes them.
    "3000": as_number(3000), "+3000": as_number(3000), "-0": as_number(0), "0": as_number(0),
    "3_000": as_number(3000), "300_000_000_000": as_number(300_000_000_000),
    "1.5": as_number(1.5), "+1.5": as_number(1.5), "0.5": as_number(0.5), ".5": as_number(0.5),
    "+.5": as_number(0.5), "3.": as_number(3.0), "1_000.25": as_number(1000.25),
    "1e5": as_number(100000.0), "1.5E+3": as_number(1500.0), "25e-1": as_number(2.5),
    # YAML 1.1 octal, YAML 1.2 decimal: refused, as are other numbers written with leading zeros.
    "017": leading_zeros("17"), "-017": leading_zeros("-17"), "+017": leading_zeros("17"),
    "00": leading_zeros("0"), "0_017": leading_zeros("17"), "0_300_000": leading_zeros("300_000"),
    "09": leading_zeros("9"), "00.5": leading_zeros("0.5"), "017.5": leading_zeros("17.5"), "012.5e3": leading_zeros("12.5e3"),
    # Other bases: YAML 1.1 and 1.2 disagree on which exist; none belongs in a dataset of figures.
    "0x1F": based("hexadecimal", "31"), "-0x1F": based("hexadecimal", "-31"), "0xff_ff": based("hexadecimal", "65535"),
    "0o17": based("octal", "15"), "0b101": based("binary", "5"), "0b1010_1010": based("binary", "170"),
    "0x" + "f" * 30: based("hexadecimal", "it in decimal"),
    # YAML 1.1 base 60 (1:30 was 90): text, as YAML 1.2 reads it.
    "1:30": as_text("1:30"), "190:20:30": as_text("190:20:30"), "1:30.5": as_text("1:30.5"), "-1:30": as_text("-1:30"),
    # Not numbers in any reading: text.
    "0X1F": as_text("0X1F"), "0b102": as_text("0b102"), "1_000_": as_number(1000), "1__000": as_number(1000),
    "1e": as_text("1e"), "1.2.3": as_text("1.2.3"), "+": as_text("+"), ".": as_text("."),
    "1,000": as_text("1,000"), "100+": as_text("100+"), "3 000": as_text("3 000"), "½": as_text("½"),
    # Infinity and NaN are numbers to YAML; no field accepts them.
    ".inf": not_usable(math.inf), "-.Inf": not_usable(-math.inf), "+.INF": not_usable(math.inf),
    "1e999": not_usable(math.inf), ".nan": not_usable(math.nan), ".NaN": not_usable(math.nan),
    # YAML 1.1 booleans other than true/false: text, as YAML 1.2 reads them.
    **{word: as_text(word) for word in ("yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF")},
    # The only booleans.
    **{word: Reads(word.lower() == "true", f"expected a number, got the boolean {word.lower()}",
                   word.lower() == "true", f"expected text, got the boolean {word.lower()}")
       for word in ("true", "True", "TRUE", "false", "False", "FALSE")},
    # YAML 1.1 tags written as plain text (merge, value): text.
    "=": as_text("="), "<<": as_text("<<"),
}


def same(a, b) -> bool:
    """Equal and of the same type (True is not 1, 1.0 is not 1); NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@pytest.fixture(scope="module")
def forms_checked(tmp_path_factory):
    return check_each(tmp_path_factory.mktemp("forms"), FORMS)


@pytest.mark.parametrize("form", FORMS)
def test_a_number_form_in_a_number_field(form, forms_checked):
    expected, (number, _) = FORMS[form], forms_checked[form]
    assert same(number.value, expected.number)
    assert number.problems == ([] if expected.number_problem is None else [(12, number.field, expected.number_problem)])


@pytest.mark.parametrize("form", FORMS)
def test_a_number_form_in_a_text_field(form, forms_checked):
    expected, (_, text) = FORMS[form], forms_checked[form]
    assert same(text.value, expected.text)
    assert text.problems == ([] if expected.text_problem is None else [(14, text.field, expected.text_problem)])


@pytest.mark.parametrize("form, expected", [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_true_and_false_are_the_booleans(form, expected, tmp_path):
    text = with_flag(form)
    assert loaded(text)["incentives"][0]["covers_subdivisions"] is expected
    assert check(tmp_path, text) == []


@pytest.mark.parametrize("form", ["yes", "no", "on", "off", "y", "n", "Yes", "OFF", "1", "0"])
def test_other_words_in_a_true_or_false_field_are_refused(form, tmp_path):
    shown = f"the number {form}" if form.isdigit() else f"'{form}'"
    assert check(tmp_path, with_flag(form)) == [(*FLAG_AT, f"expected true or false, got {shown}")]


@pytest.mark.parametrize("form", ["~", "null", "Null", "NULL", ""])
def test_null_is_a_value_left_out(form, tmp_path):
    """Left out: fine in an optional field; a required one is empty; a value needs no comparator."""
    text = with_flag(form, with_note(form, with_wording(form, with_number(form))))
    target = loaded(text)["targets"][0]
    assert target["value"] is None and target["note"] is None and target["wording"] is None
    shift = 1 if form == "" else 0  # nothing is written: the position is just after the colon
    comparator = line_containing(MINIMAL_TEXT, "comparator: at_least")
    assert check(tmp_path, text) == [
        (comparator, 17, "targets[0].comparator",
         "a comparator needs a value; leave both out when the source gives no number"),
        (NOTE_AT[0], NOTE_AT[1] - shift, "targets[0].note", "must not be empty"),
        (FLAG_AT[0] + 1, FLAG_AT[1] - shift, FLAG_AT[2], "must not be empty"),
    ]


@pytest.mark.parametrize("form", ["NUll", "nil", "None", "none", "~~"])
def test_other_words_for_nothing_are_text(form):
    assert loaded(with_wording(form))["targets"][0]["wording"] == form


def test_quoted_forms_are_always_text(tmp_path):
    for form in ("017", "0x1F", "1:30", "yes", "~", "true", "1e5", "2020-06-20"):
        for quoted in (f"'{form}'", f'"{form}"'):
            assert loaded(with_wording(quoted))["targets"][0]["wording"] == form
    assert check(tmp_path, with_wording("'017'")) == []


DATES = {
    "2020-06-20": dt.date(2020, 6, 20),
    "2020-6-20": "2020-6-20",  # a date needs two-digit month and day, as in YAML 1.1
    "2020-06-20T10:30:00Z": dt.datetime(2020, 6, 20, 10, 30, tzinfo=dt.timezone.utc),
    "2020-06-20 10:30:00": dt.datetime(2020, 6, 20, 10, 30),
    "2020-06-20 10:30": "2020-06-20 10:30",
}


@pytest.mark.parametrize("form", DATES)
def test_dates_are_read_as_before(form):
    assert same(loaded(f"a: {form}\n")["a"], DATES[form])


@pytest.mark.parametrize("form, message", [
    ("2020-13-01", "month must be in 1..12"),
    ("2020-02-30", "day is out of range for month"),
    ("0000-01-01", "year 0 is out of range"),
    ("2020-06-20 25:00:00", "hour must be in 0..23"),
    ("2020-06-20 10:00:00 +99:00", "offset must be a timedelta strictly between"),
])
def test_an_impossible_date_is_one_problem(form, message, tmp_path):
    text = replace_once(MINIMAL_TEXT, "    published: 2020-07-01\n", f"    published: {form}\n")
    ((line, col, field, said),) = check(tmp_path, text)
    assert (line, col, field) == (line_containing(text, "published:"), 16, "sources[0].published")
    assert said.startswith(f"cannot read value '{form}': {message}")


def test_a_number_too_long_to_convert_is_one_problem(tmp_path):
    digits = "1" * 5000
    assert check(tmp_path, with_number(digits)) == [(*NUMBER_AT, "cannot read a number of 5,000 digits")]


def test_the_shipped_data_reads_the_same_as_yaml_1_1_would(shipped):
    """Every value in the shipped file means what PyYAML's YAML 1.1 reading made of it."""
    root, problems = yamlpos.loads(shipped.raw)
    assert problems == []
    assert root == shipped.tree


# ------------------------------------------------------------------------------------------
# Mutations of the shipped file: tags, number forms and forbidden characters anywhere


@dataclass(frozen=True)
class Node:
    """A scalar or a flow collection of the shipped file: where it starts (a character offset, and
    as line and column), where a one-line scalar ends (else None), and whether it is a key."""

    start: int
    end: int | None
    line: int
    col: int
    is_key: bool


def nodes_of(text: str) -> list[Node]:
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = []
    for event in yaml.parse(text, Loader=SafeLoader):
        scalar = isinstance(event, yaml.ScalarEvent)
        if not scalar and not (isinstance(event, yaml.CollectionStartEvent) and event.flow_style):
            continue  # a block collection starts where its first key or item does
        start = line_starts[event.start_mark.line] + event.start_mark.column
        end = None
        if scalar and event.start_mark.line == event.end_mark.line:
            end = line_starts[event.end_mark.line] + event.end_mark.column
        out.append(Node(start, end, event.start_mark.line + 1, event.start_mark.column + 1,
                        end is not None and text[end:end + 1] == ":"))
    return out


REFUSED_TAGS = ["!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!!omap", "!!set",
                "!!pairs", "!!map", "!!seq", "!!merge", "!!value", "!!python/object:os.system",
                "!!python/name:os.system", "!!python/object/apply:os.system", "!local", "!",
                "!<tag:example.com,2000:x>"]


@pytest.fixture(scope="module")
def nodes(shipped_text) -> list[Node]:
    return scattered(nodes_of(shipped_text))


@settings(MUTATIONS, max_examples=15)
@given(data=st.data())
def test_a_tag_put_before_any_value_or_key_is_reported_there(data, shipped, shipped_text, nodes, base):
    node = data.draw(st.sampled_from(nodes), label="node")
    tag = data.draw(st.sampled_from(REFUSED_TAGS + ["!!str"]), label="tag")
    mutated = shipped_text[:node.start] + tag + " " + shipped_text[node.start:]
    verdict = check_and_build_agree(mutated.encode("utf-8"), base, shipped)
    if tag != "!!str":
        assert verdict.code == 2
        assert any((line, col) == (node.line, node.col) and message.startswith("tags are not supported here: ")
                   for line, col, _, message in verdict.problems), verdict.err


NUMBER_FORMS = [form for form in FORMS if form not in ("+", ".", "=", "<<")] + ["~", "null"]


@settings(MUTATIONS, max_examples=15)
@given(data=st.data())
def test_a_number_form_in_place_of_any_value_or_key_is_reported_or_harmless(data, shipped, shipped_text, nodes,
                                                                          base):
    node = data.draw(st.sampled_from([n for n in nodes if n.end is not None]), label="node")
    # A key holding a space would give a FIELD with a space in it, a defect of its own that these
    # tests do not look for.
    form = data.draw(st.sampled_from([f for f in NUMBER_FORMS if not (node.is_key and " " in f)]), label="form")
    tagged = data.draw(st.booleans(), label="with a tag")
    written = f"!!int {form}" if tagged else form
    mutated = shipped_text[:node.start] + written + shipped_text[node.end:]
    verdict = check_and_build_agree(mutated.encode("utf-8"), base, shipped)
    expected = FORMS.get(form)
    # (A tag before 1:30 inside a flow mapping may not parse: a syntax problem, reported elsewhere.)
    if (tagged and ":" not in form) or (expected is not None and expected.number is None
                                        and expected.number_problem):
        # Refused wherever it is written: as a value by the loader, as a key as an unknown name.
        assert verdict.code == 2
        assert any((line, col) == (node.line, node.col) for line, col, _, _ in verdict.problems), verdict.err
        if not node.is_key:
            message = tag_message("!!int") if tagged else expected.number_problem
            assert (node.line, node.col, message) in {(p[0], p[1], p[3]) for p in verdict.problems}, verdict.err


@settings(MUTATIONS, max_examples=10)
@given(data=st.data())
def test_a_forbidden_character_anywhere_is_one_problem_where_it_is(data, shipped, shipped_text, base):
    at = data.draw(st.integers(0, len(shipped_text)), label="offset")
    char = data.draw(st.sampled_from(sorted(FORBIDDEN)), label="character")
    mutated = shipped_text[:at] + char + shipped_text[at:]
    verdict = check_and_build_agree(mutated.encode("utf-8"), base, shipped)
    assert verdict.problems == [(*line_and_column(shipped_text, at), "encoding", forbidden_message(char))]


@settings(MUTATIONS, max_examples=15)
@given(data=st.data())
def test_a_tag_or_number_form_inserted_at_any_byte_is_reported_or_harmless(data, shipped, base):
    """Anywhere at all, even inside a word, a comment or a character: never a crash, and check and
    build agree."""
    at = draw_offset(data, shipped, "insert")
    written = data.draw(st.sampled_from([f"{tag} " for tag in REFUSED_TAGS] + NUMBER_FORMS), label="inserted")
    check_and_build_agree(shipped.raw[:at] + written.encode("utf-8") + shipped.raw[at:], base, shipped)
