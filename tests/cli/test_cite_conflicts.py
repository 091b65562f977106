"""`lstui cite` in every style and `lstui conflicts` in every format, as a script would read them."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import duckdb
import pytest

from tests.cli.conftest import run
from tests.cli.test_import_hygiene import PROBE

FACT = "shenzhen-sales-2025-szdaily"
URL = "http://www.sz.gov.cn/en_szgov/news/latest/content/post_10507518.html"


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """Entries as (type, key, fields); fails on anything that is not an entry of braced fields.
    Braces are counted as BibTeX counts them, a backslash before one included."""
    entries, i = [], 0
    head, field, comma, close = (re.compile(p) for p in (r"\s*@(\w+)\{([^,\s{}]+),", r"\s*(\w+) = \{", r",",
                                                                r"\s*\}"))
    while text[i:].strip():
        m = head.match(text, i)
        assert m, f"not an entry at {text[i:i + 40]!r}"
        kind, key, fields, i = m.group(1), m.group(2), {}, m.end()
        while (f := field.match(text, i)) is not None:
            depth, j = 1, f.end()
            while depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            assert f.group(1) not in fields, f"{key}: {f.group(1)} twice"
            fields[f.group(1)] = text[f.end():j - 1]
            i = comma.match(text, j).end() if comma.match(text, j) else j
        end = close.match(text, i)
        assert end, f"{key}: no closing brace at {text[i:i + 40]!r}"
        entries.append((kind, key, fields))
        i = end.end()
    return entries


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    records, current = [], {}
    for line in text.splitlines():
        if not line:
            continue
        m = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert m, line
        if m.group(1) == "ER":
            records.append(current)
            current = {}
        else:
            current.setdefault(m.group(1), []).append(m.group(2))
    assert not current, "a record without ER"
    return records


# --------------------------------------------------------------------------------------- cite


def test_cite_text_gives_the_figure_source_date_url_and_locator(db, capsys):
    code, out, err = run(capsys, "cite", FACT, *db)
    assert code == 0 and err == ""
    first, second = out.splitlines()
    assert first == f"Shenzhen 深圳市 · target · Sales / turnover: >¥300bn by 2025 [{FACT}]"
    assert second == ("  Shenzhen Daily (Shenzhen Government Online), “SZ rolls out action plan to boost its "
                      f"livestreaming e-commerce”, 2023-03-28, para 5. {URL}")


def test_cite_bibtex_parses_and_carries_the_url_and_locator(db, capsys):
    code, out, _ = run(capsys, "cite", FACT, "--style", "bibtex", *db)
    assert code == 0
    ((kind, key, fields),) = parse_bibtex(out)
    assert (kind, key) == ("misc", FACT)
    assert fields["url"] == URL and "locator: para 5" in fields["note"]
    assert fields["author"] == "{Shenzhen Daily (Shenzhen Government Online)}"
    assert (fields["year"], fields["date"]) == ("2023", "2023-03-28")


def test_cite_bibtex_of_a_place_parses_with_one_entry_per_source(db, capsys, shipped_db):
    code, out, _ = run(capsys, "cite", "huadu", "--style", "bibtex", *db)
    entries = parse_bibtex(out)
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        undated = {i for (i,) in con.execute("SELECT id FROM sources WHERE published IS NULL").fetchall()}
    assert code == 0 and len(entries) == len({key for _, key, _ in entries}) > 3
    for _, key, fields in entries:
        assert "url" in fields
        assert ("year" in fields) == (key not in undated)  # an unknown date is left out, not guessed


def test_cite_bibtex_of_incentive_tiers_has_keys_bibtex_takes(db, capsys):
    code, out, _ = run(capsys, "cite", "huadu-house-reward-cn-report", "--style", "bibtex", *db)
    keys = [key for _, key, _ in parse_bibtex(out)]
    assert code == 0 and keys == [f"huadu-house-reward-cn-report:{n}" for n in (1, 2, 3)]


def test_cite_csl_json(db, capsys):
    code, out, _ = run(capsys, "cite", FACT, "--style", "csl-json", *db)
    (item,) = json.loads(out)
    assert code == 0
    assert (item["id"], item["type"], item["URL"]) == (FACT, "article-newspaper", URL)
    assert item["issued"] == {"date-parts": [[2023, 3, 28]]} and item["custom"]["locator"] == "para 5"


def test_cite_ris(db, capsys):
    code, out, _ = run(capsys, "cite", FACT, "--style", "ris", *db)
    (record,) = parse_ris(out)
    assert code == 0
    assert record["TY"] == ["NEWS"] and record["ID"] == [FACT] and record["UR"] == [URL]
    assert record["DA"] == ["2023/03/28/"] and "locator: para 5" in record["N1"][0]


@pytest.mark.parametrize("style", ["text", "bibtex", "csl-json", "ris"])
def test_cite_of_an_undated_source_makes_up_no_date(style, db, capsys):
    code, out, _ = run(capsys, "cite", "shenzhen-top-streamers-scmp-original", "--style", style, *db)
    assert code == 0 and "2023" not in out.replace("2023-plan", "")  # the source gives no date
    assert ("date unknown" in out) == (style == "text")


def test_cite_of_a_reprint_names_the_original_outlet(db, capsys):
    code, out, _ = run(capsys, "cite", "china-retail-sales-2022-12", "--style", "csl-json", *db)
    (item,) = json.loads(out)
    assert code == 0 and item["original-publisher"] == "South China Morning Post"
    assert "reprint of South China Morning Post" in item["note"]


def test_cite_of_nothing_known_is_one_line_exit_2_with_a_suggestion(db, capsys):
    code, out, err = run(capsys, "cite", "shenzen-sales-2025-szdaily", *db)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no figure or place called 'shenzen-sales-2025-szdaily'; did you mean shenzhen-sales-2025-szdaily" in err


def test_cite_of_a_misspelt_place_suggests_the_place(db, capsys):
    code, _, err = run(capsys, "cite", "shenzen", *db)
    assert code == 2 and "shenzhen (Shenzhen, 深圳市)" in err


def test_cite_of_several_ids_and_places_cites_each_once(db, capsys):
    code, out, _ = run(capsys, "cite", FACT, "yiwu-hosts-2020", FACT, "--style", "bibtex", *db)
    assert code == 0 and [key for _, key, _ in parse_bibtex(out)] == [FACT, "yiwu-hosts-2020"]
    _, yiwu, _ = run(capsys, "cite", "yiwu", "--style", "bibtex", *db)
    code, out, _ = run(capsys, "cite", FACT, "yiwu", "--style", "bibtex", *db)
    keys = [key for _, key, _ in parse_bibtex(out)]
    assert code == 0 and keys == [FACT, *(key for _, key, _ in parse_bibtex(yiwu))]


def test_cite_reads_a_name_of_several_words_as_one_place(db, capsys):
    code, out, _ = run(capsys, "cite", "Huadu", "District", *db)
    _, huadu, _ = run(capsys, "cite", "huadu", *db)
    assert code == 0 and out == huadu


def test_cite_of_several_names_one_unknown_says_which(db, capsys):
    code, out, err = run(capsys, "cite", FACT, "yiwu-hostz", *db)
    assert code == 2 and out == "" and "no figure or place called 'yiwu-hostz'; did you mean yiwu-hosts-2020" in err


def test_cite_takes_only_its_styles(db, capsys):
    with pytest.raises(SystemExit) as stop:
        run(capsys, "cite", FACT, "--style", "apa", *db)
    assert stop.value.code == 2


# ---------------------------------------------------------------------------------- conflicts


def all_conflicts(shipped_db, place: str | None = None) -> list[str]:
    with duckdb.connect(str(shipped_db), read_only=True) as con:
        return [c for (c,) in con.execute("SELECT conflict_id FROM conflicts WHERE $p IS NULL "
                                          "OR list_contains(jurisdiction_ids, $p) ORDER BY 1", {"p": place}).fetchall()]


def test_conflicts_table_lists_every_conflict(db, capsys, shipped_db):
    code, out, _ = run(capsys, "conflicts", *db)
    ids = all_conflicts(shipped_db)
    assert code == 0 and len(ids) > 10
    assert [line[2:] for line in out.splitlines() if line.startswith("! ")] == ids
    assert out.splitlines()[-1] == f"{len(ids)} recorded conflicts"


def test_conflicts_of_a_place_by_its_chinese_name(db, capsys, shipped_db):
    code, out, _ = run(capsys, "conflicts", "义乌", *db)
    assert code == 0 and all_conflicts(shipped_db, "yiwu") == ["beixiazhu-streamers-exceed-yiwu",
                                                               "yiwu-first-certificates-count"]
    assert "! beixiazhu-streamers-exceed-yiwu" in out and "places: beixiazhu, yiwu · value, location" in out
    assert out.splitlines()[-1] == "2 recorded conflicts involving Yiwu"


def test_conflicts_json(db, capsys, shipped_db):
    code, out, _ = run(capsys, "conflicts", "yiwu", "--format", "json", *db)
    rows = json.loads(out)
    assert code == 0 and [r["conflict_id"] for r in rows] == all_conflicts(shipped_db, "yiwu")
    assert rows[0]["jurisdiction_ids"] == ["beixiazhu", "yiwu"] and rows[0]["kind"] == "disagreement"
    assert set(rows[0]) >= {"aspects", "record_ids", "fact_ids", "source_ids", "preferred_record_id", "summary",
                            "resolution"}


def test_conflicts_csv(db, capsys, shipped_db):
    code, out, _ = run(capsys, "conflicts", "--format", "csv", *db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["conflict_id"] for r in rows] == all_conflicts(shipped_db)
    assert all(json.loads(r["source_ids"]) for r in rows)  # lists as JSON text, as `lstui query` writes them


def test_conflicts_markdown(db, capsys, shipped_db):
    code, out, _ = run(capsys, "conflicts", "yiwu", "--format", "markdown", *db)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("| conflict_id | kind | aspects | jurisdiction_ids |")
    assert len(lines) == 2 + len(all_conflicts(shipped_db, "yiwu"))


def test_conflicts_of_a_place_without_any(db, capsys):
    code, out, _ = run(capsys, "conflicts", "wuhan", "--format", "json", *db)
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, "conflicts", "wuhan", *db)
    assert code == 0 and out.strip() == "0 recorded conflicts involving Wuhan"


def test_conflicts_of_an_unknown_place_exit_2(db, capsys):
    code, out, err = run(capsys, "conflicts", "shenzen", *db)
    assert code == 2 and out == "" and "did you mean shenzhen" in err


@pytest.mark.parametrize("args", [["cite", FACT], ["cite", "huadu", "--style", "ris"], ["conflicts", "yiwu"]])
def test_cite_and_conflicts_do_not_import_textual(args, shipped_db, shipped_yaml):
    full = [*args, "--data", str(shipped_yaml), "--db", str(shipped_db)]
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=full)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL:\n" in result.stderr
