"""`lstui check` on broken files: every problem as FILE:LINE:COL: FIELD: MESSAGE, exit 2, no traceback."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import pytest

from lstui.cli import main
from tests.conftest import MINIMAL, run_lstui

PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<field>\S+): (?P<message>.+)$")


@dataclass
class Case:
    name: str
    old: str
    new: str
    line_of: str | int  # the line the problem must point at, or text found only on that line
    field: str
    message: str
    col: int | None = None


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once in the fixture"
    return text.replace(old, new)


def line_containing(text: str, needle: str) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


SALES_10M = "          - {field: annual_sales, comparator: more_than, value: 10_000_000, unit: CNY}\n"

CASES = [
    Case("syntax error", "    title: Example article\n", "    title: [Example article\n",
         "published: 2020-07-01", "syntax", "(while parsing a flow sequence that starts at line 4, column 12)"),
    Case("tab indentation", "    label: Sales\n", "\tlabel: Sales\n", "\tlabel: Sales", "syntax", "YAML syntax error"),
    Case("wrong type", "    value: 3_000\n", "    value: three thousand\n", "value: three thousand",
         "targets[0].value", "expected a number, got 'three thousand'", col=12),
    Case("unknown jurisdiction", "    jurisdiction: shenzhen\n    metric: streamers",
         "    jurisdiction: shenzen\n    metric: streamers", "jurisdiction: shenzen",
         "targets[0].jurisdiction", "unknown jurisdiction 'shenzen' (did you mean 'shenzhen'?)", col=19),
    Case("duplicate id", "  - id: sz-sales\n", "  - id: sz-streamers\n", 51,
         "targets[1].id", "duplicate id 'sz-streamers' (first defined at line 41)"),
    Case("bad enum", "    level: city\n", "    level: cty\n", "level: cty", "jurisdictions[2].level",
         "'cty' is not one of: country, province, municipality, city, county_city, district, county, town, subdistrict, special_zone, village (did you mean 'city'?)"),
    Case("missing source", "    source: src-a\n    locator: para 3\n", "    locator: para 3\n", "  - id: sz-streamers",
         "targets[0].source", "required field is missing"),
    Case("unknown source", "    source: src-a\n    locator: para 2\n", "    source: src-b\n    locator: para 2\n",
         "source: src-b", "targets[1].source", "unknown source 'src-b' (did you mean 'src-a'?)"),
    Case("negative target", "    value: 3_000\n", "    value: -0.5\n", "value: -0.5", "targets[0].value",
         "must not be negative (got -0.5)"),
    Case("negative amount", "      - amount: 300_000\n", "      - amount: -300_000\n", "amount: -300_000",
         "incentives[0].tiers[1].amount", "must not be negative (got -300000)"),
    Case("tiers out of order", "value: 20_000_000, unit: CNY}", "value: 5_000_000, unit: CNY}",
         "value: 5_000_000", "incentives[0].tiers[1].conditions[1].value",
         "tiers out of order: annual_sales threshold 5,000,000 is below the previous tier's 10,000,000"),
    Case("bad comparator", "    comparator: at_least\n", "    comparator: atleast\n", "comparator: atleast",
         "targets[0].comparator", "'atleast' is not one of: exactly, more_than, at_least, up_to, about (did you mean 'at_least'?)"),
    Case("unknown field", "    note: Sales goal.\n", "    note: Sales goal.\n    vaule: 5\n", "vaule: 5",
         "targets[1].vaule", "unknown field 'vaule'; did you mean 'value'?"),
    Case("impossible date", "    published: 2020-07-01\n", "    published: 2020-13-01\n", "published: 2020-13-01",
         "sources[0].published", "cannot read value '2020-13-01': month must be in 1..12"),
    Case("unit disagrees with metric", "    unit: CNY\n    comparator: more_than", "    unit: USD\n    comparator: more_than",
         "unit: USD", "targets[1].unit", "'USD' does not match the unit 'CNY' of metric 'sales'"),
    Case("locator past the article", "    locator: para 3\n", "    locator: para 30\n", "locator: para 30",
         "targets[0].locator", "paragraph 30 is past the end of source 'src-a' (10 paragraphs)"),
    Case("bad locator format", "    locator: para 3\n", "    locator: page three\n", "locator: page three",
         "targets[0].locator", "is not a locator like 'para 12'"),
    Case("parent loop", "    level: country\n", "    level: country\n    parent: shenzhen\n", "parent: shenzhen",
         "jurisdictions[0].parent", "a country has no parent"),
    Case("duplicate key", "    label: Sales\n", "    label: Sales\n    label: Turnover\n", "label: Turnover",
         "metrics[1].label", "duplicate key 'label' (first written at line 15)"),
    Case("condition without comparator",
         "{field: followers, comparator: more_than, value: 500_000, unit: count}\n          - {field: annual_sales, comparator: more_than, value: 10_000_000",
         "{field: followers, value: 500_000, unit: count}\n          - {field: annual_sales, comparator: more_than, value: 10_000_000",
         "{field: followers, value: 500_000",
         "incentives[0].tiers[0].conditions[0].comparator", "needs a comparator"),
    Case("USD threshold without exchange rate", "value: 10_000_000, unit: CNY}", "value: 10_000_000, unit: USD}",
         "  - id: sz-house", "incentives[0].exchange_rate", "need an exchange_rate"),
    Case("unknown conflict member", "members: [sz-streamers, sz-sales]", "members: [sz-streamers, sz-sale]",
         "members: [sz-streamers, sz-sale]", "conflicts[0].members[1]", "unknown record (target, incentive, statistic or event id) 'sz-sale'"),
    Case("amount without currency", "      - amount: 300_000\n        currency: CNY\n", "      - amount: 300_000\n",
         "      - amount: 300_000", "incentives[0].tiers[1].currency", "required when an amount is given"),
    Case("bad recipient", "recipients: [streamer]", "recipients: [streamer, influencer]", "recipients: [streamer, influencer]",
         "incentives[0].recipients[1]", "'influencer' is not one of: streamer, mcn, platform, company"),
    Case("comparator without value", "    value: 3_000\n", "", "    comparator: at_least",
         "targets[0].comparator", "a comparator needs a value"),
    Case("bad source kind", "    kind: news_report\n", "    kind: blog\n", "kind: blog", "sources[0].kind",
         "'blog' is not one of: government_document, official_media, news_report, reprint, translation"),
    Case("bad language", "    language: en\n", "    language: fr\n", "language: fr", "sources[0].language",
         "'fr' is not one of: zh, zh-Hant, en, other"),
    Case("reprint of nothing named", "    kind: news_report\n", "    kind: reprint\n", "  - id: src-a",
         "sources[0].original_publisher", "a reprint names the outlet or document it reproduces"),
    Case("reprint_of on a news report", "    kind: news_report\n", "    kind: news_report\n    reprint_of: src-a\n",
         "reprint_of: src-a", "sources[0].reprint_of", "only a source of kind reprint has reprint_of"),
    Case("reports an unknown source", "    kind: news_report\nmetrics:", "    kind: news_report\n  - {id: src-b, publisher: B, title: T, language: en, paragraphs: 3, kind: news_report, reports: src-z}\nmetrics:",
         "id: src-b", "sources[1].reports", "unknown source 'src-z'"),
    Case("reports a news report", "    kind: news_report\nmetrics:", "    kind: news_report\n  - {id: src-b, publisher: B, title: T, language: en, paragraphs: 3, kind: news_report, reports: src-a}\nmetrics:",
         "id: src-b", "sources[1].reports", "'src-a' is a news_report: `reports` links"),
    Case("reprint of a reprint", "    kind: news_report\nmetrics:",
         "    kind: reprint\n    original_publisher: X\n  - {id: src-b, publisher: B, title: T, language: en, "
         "paragraphs: 3, kind: reprint, original_publisher: X, reprint_of: src-a}\nmetrics:",
         "id: src-b", "sources[1].reprint_of", "'src-a' is itself a reprint; name the original"),
    # shares of costs, schedules, frequencies and the new conditions
    Case("listing without a market", SALES_10M, "          - {field: listing}\n", "{field: listing}",
         "incentives[0].tiers[0].conditions[1].listed_on", "a listing condition names the market: domestic or overseas"),
    Case("a market on another condition", SALES_10M,
         "          - {field: annual_sales, comparator: more_than, value: 10_000_000, unit: CNY, listed_on: domestic}\n",
         "listed_on: domestic", "incentives[0].tiers[0].conditions[1].listed_on",
         "only a listing condition has listed_on; this one is on annual_sales"),
    Case("floor area in yuan", SALES_10M, "          - {field: floor_area, comparator: more_than, value: 100, unit: CNY}\n",
         "field: floor_area", "incentives[0].tiers[0].conditions[1].unit", "unit 'CNY' does not fit a floor_area condition"),
    Case("floor area without its unit", SALES_10M, "          - {field: floor_area, comparator: more_than, value: 100}\n",
         "field: floor_area", "incentives[0].tiers[0].conditions[1].unit", "a floor_area condition needs its unit (sqm)"),
    Case("a share of nothing", "      - amount: 300_000\n", "      - share: 50\n        amount: 300_000\n",
         "share: 50", "incentives[0].tiers[1].share_of", "a share needs share_of: the cost it is a percentage of"),
    Case("a share's cap as a fixed sum", "      - amount: 300_000\n        currency: CNY\n        amount_type: up_to\n",
         "      - amount: 300_000\n        currency: CNY\n        amount_type: fixed\n        share: 50\n        share_of: rent\n",
         "amount_type: fixed", "incentives[0].tiers[1].amount_type",
         "the amount of a share of a cost is its cap: amount_type up_to"),
    Case("a share above 100%", "      - amount: 300_000\n", "      - share: 150\n        share_of: rent\n        amount: 300_000\n",
         "share: 150", "incentives[0].tiers[1].share", "must be above 0 and at most 100 (got 150)"),
    Case("steps out of order", "      - amount: 300_000\n",
         "      - share_of: rent\n        steps:\n          - {to_year: 3, share: 100}\n          - {to_year: 2, share: 60}\n"
         "        amount: 300_000\n", "{to_year: 2, share: 60}", "incentives[0].tiers[1].steps[1].to_year",
         "year 2 is already covered by the step before (to year 3); list steps in order"),
    Case("steps and one share", "      - amount: 300_000\n",
         "      - share_of: rent\n        share: 50\n        steps:\n          - {to_year: 2, share: 100}\n"
         "        amount: 300_000\n", "share: 50", "incentives[0].tiers[1].share",
         "give either one share or steps of shares over the years, not both"),
    Case("a step before year one", "      - amount: 300_000\n",
         "      - share_of: rent\n        steps: [{to_year: 0, share: 100}]\n        amount: 300_000\n",
         "to_year: 0", "incentives[0].tiers[1].steps[0].to_year", "must be at least 1 (got 0)"),
    Case("a place its own parent", "    level: city\n    parent: guangdong\n", "    level: city\n    parent: shenzhen\n",
         "parent: shenzhen", "jurisdictions[2].parent", "'shenzhen' is its own ancestor (the parent chain loops)"),
    Case("a weekly payment", "      - amount: 300_000\n", "      - amount: 300_000\n        per: weekly\n",
         "per: weekly", "incentives[0].tiers[1].per", "'weekly' is not one of: one_off, yearly"),
    Case("a range upside down", "    value: 3_000\n", "    value: 3_000\n    value_high: 2_000\n", "value_high: 2_000",
         "targets[0].value_high", "the top of the range (2,000) is not above its bottom (3,000)"),
    Case("increment as text", "    value: 3_000\n", "    value: 3_000\n    increment: another\n", "increment: another",
         "targets[0].increment", "expected true or false, got 'another'"),
    Case("a deadline both dated and in words", "    deadline: 2025\n    source: src-a\n    locator: para 3\n",
         "    deadline: 2025\n    deadline_wording: in three years or so\n    source: src-a\n    locator: para 3\n",
         "deadline_wording: in three years", "targets[0].deadline_wording", "a deadline in words is for a target"),
    Case("alias", "    note: Sales goal.\n", "    note: Sales goal.\n    subject: &x [a]\n    wording: *x\n", "wording: *x",
         "targets[1].wording", "anchors and aliases"),
]


def _problems(stderr: str) -> list[dict]:
    return [m.groupdict() for line in stderr.splitlines() if (m := PROBLEM.match(line))]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_broken_file_names_line_and_field(case: Case, tmp_path, capsys, minimal_text):
    text = replace_once(minimal_text, case.old, case.new)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")

    code = main(["check", "--data", str(path)])

    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    problems = _problems(err)
    expected_line = case.line_of if isinstance(case.line_of, int) else line_containing(text, case.line_of)
    matching = [p for p in problems if p["field"] == case.field and case.message in p["message"]]
    assert matching, f"no problem for {case.field!r} containing {case.message!r} in:\n{err}"
    problem = matching[0]
    assert problem["file"] == str(path)
    assert int(problem["line"]) == expected_line, err
    if case.col is not None:
        assert int(problem["col"]) == case.col, err


def test_all_problems_are_reported_at_once(tmp_path, capsys, minimal_text):
    text = replace_once(minimal_text, "    level: city\n", "    level: cty\n")
    text = replace_once(text, "    value: 3_000\n", "    value: lots\n")
    text = replace_once(text, "    source: src-a\n    locator: para 2\n", "    source: nowhere\n    locator: para 2\n")
    path = tmp_path / "three.yaml"
    path.write_text(text, encoding="utf-8")

    assert main(["check", "--data", str(path)]) == 2

    err = capsys.readouterr().err
    fields = [p["field"] for p in _problems(err)]
    assert fields == ["jurisdictions[2].level", "targets[0].value", "targets[1].source"], err


@pytest.mark.parametrize("content, field, message", [
    (b"", "file", "the file is empty"),
    (b"- just\n- a list\n", "file", "expected a mapping with the sections"),
    (b"sources:\n  - id: a\n    title: caf\xe9\n", "encoding", "invalid UTF-8 byte 0xe9"),
    (b"sources: {}\njurisdictions: []\nmetrics: []\n", "sources", "expected a list of entries"),
    (b"sauces: []\n", "sauces", "unknown section 'sauces'; did you mean 'sources'?"),
])
def test_whole_file_problems(content, field, message, tmp_path, capsys):
    path = tmp_path / "odd.yaml"
    path.write_bytes(content)
    assert main(["check", "--data", str(path)]) == 2
    err = capsys.readouterr().err
    assert any(p["field"] == field and message in p["message"] for p in _problems(err)), err


def test_invalid_utf8_points_at_the_byte(tmp_path, capsys):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("sources:\n  - id: a\n    title: caf".encode() + b"\xe9\n")
    main(["check", "--data", str(path)])
    assert f"{path}:3:15: encoding:" in capsys.readouterr().err


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["check", "--data", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert "no such data file" in err and "Traceback" not in err


def test_exit_code_and_no_traceback_in_a_real_process(tmp_path, minimal_text):
    path = tmp_path / "broken.yaml"
    path.write_text(replace_once(minimal_text, "    level: city\n", "    level: [city\n"), encoding="utf-8")
    result = run_lstui("check", "--data", str(path), env={"LSTUI_DB": str(tmp_path / "db.duckdb")})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert _problems(result.stderr), result.stderr
    assert not (tmp_path / "db.duckdb").exists()


def test_the_minimal_fixture_itself_is_valid(capsys):
    assert main(["check", "--data", str(MINIMAL)]) == 0
    assert "ok (3 sourced records)" in capsys.readouterr().out


def test_shipped_dataset_passes_check(shipped_yaml, capsys):
    assert main(["check", "--data", str(shipped_yaml)]) == 0
    assert "ok" in capsys.readouterr().out


def test_a_number_too_large_for_a_double_is_a_problem(tmp_path, capsys, minimal_text):
    path = tmp_path / "huge.yaml"
    path.write_text(replace_once(minimal_text, "    value: 3_000\n", "    value: 1" + "0" * 309 + "\n"), encoding="utf-8")
    assert main(["check", "--data", str(path)]) == 2
    err = capsys.readouterr().err
    assert [p["field"] for p in _problems(err)] == ["targets[0].value"], err
    assert "a number of 310 digits is not a usable number" in err


def test_a_value_with_line_breaks_and_escapes_stays_on_one_visible_line(tmp_path, capsys, minimal_text):
    path = tmp_path / "multiline.yaml"
    path.write_text(replace_once(minimal_text, "    paragraphs: 10\n", '    paragraphs: "ten\\nparagraphs \\e[2J"\n'),
                    encoding="utf-8")
    assert main(["check", "--data", str(path)]) == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 2 and lines[-1] == "1 problem found; nothing was built", err
    assert "'ten␊paragraphs ␛[2J'" in lines[0]
    assert "\x1b" not in err


def test_a_policy_and_a_fact_record_cannot_share_an_id(tmp_path, capsys, minimal_text):
    text = replace_once(minimal_text, "    note: Tiered allowance.\n",
                        "    note: Tiered allowance.\n    also_reported: [{source: src-a, locator: para 5}]\n")
    text += textwrap.dedent("""\
        policies:
          - id: sz-house
            jurisdiction: shenzhen
            name_en: A plan that reuses the incentive's id
            kind: action_plan
            source: src-a
            locator: para 1
            also_reported: [{source: src-a, locator: para 6}]
            note: A plan.
        """)
    path = tmp_path / "shared-id.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", "--data", str(path)]) == 2
    err = capsys.readouterr().err
    problems = _problems(err)
    assert [p["field"] for p in problems] == ["incentives[0].id"], err
    assert "duplicate id 'sz-house': policies[0] already uses it" in problems[0]["message"]
    incentive_line = text.splitlines().index("  - id: sz-house") + 1  # the incentive comes first in the file
    assert int(problems[0]["line"]) == incentive_line


def test_policy_successions_dates_and_drafts_are_checked(tmp_path, capsys, minimal_text):
    text = minimal_text + textwrap.dedent("""\
        policies:
          - id: plan-a
            jurisdiction: shenzhen
            name_en: Plan A
            kind: action_plan
            follows: plan-b
            source: src-a
            locator: para 1
            note: A plan.
          - id: plan-b
            jurisdiction: shenzhen
            name_en: Plan B
            kind: action_plan
            follows: plan-a
            draft: maybe
            source: src-a
            locator: para 1
            note: A plan.
          - id: plan-c
            jurisdiction: shenzhen
            name_en: Plan C
            kind: action_plan
            follows_inferred_from: the years in its title
            effective: 2025-03
            expires: 2024
            source: src-a
            locator: para 1
            note: A plan.
          - id: plan-d
            jurisdiction: shenzhen
            name_en: Plan D
            kind: action_plan
            follows: plan-d
            effective: 2025-03
            expires: 2025
            source: src-a
            locator: para 1
            note: A plan that follows itself, in force within one year.
        """)
    path = tmp_path / "plans.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", "--data", str(path)]) == 2
    problems = {(p["field"], p["message"]) for p in _problems(capsys.readouterr().err)}
    assert ("policies[0].follows", "'plan-a' would follow itself through the plans it follows (the chain loops)") \
        in problems
    assert ("policies[1].draft", "expected true or false, got 'maybe'") in problems
    assert ("policies[2].follows_inferred_from",
            "says what a succession was inferred from, but the policy follows nothing") in problems
    assert ("policies[2].expires", "expires (2024) before it takes effect (2025-03)") in problems
    assert ("policies[3].follows", "a policy cannot follow itself") in problems
    assert not any(field == "policies[3].expires" for field, _ in problems)  # 2025 does not end before 2025-03
