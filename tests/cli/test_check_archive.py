"""`lstui check --archive`: every figure against the paragraph it cites, in the archived texts."""

from __future__ import annotations

import hashlib

import pytest

from lstui.cli import main
from lstui.core.archive import numbers_in

# Ten paragraphs in the way Chinese documents write numbers: 3000亿元, full-width digits, 万 and
# 以上 (which includes the number), a per cent sign.
ARTICLE = """深圳市直播电商发展行动方案
到2025年，全市直播电商销售额超过3000亿元。
培育带货达人３０００名以上。
粉丝数50万以上、年销售额超过1000万元的主播，可获最高10万元购房补贴；年销售额超过2000万元的，最高30万元。
第五段。
第六段。
第七段。
第八段。
第九段。
第十段。
"""


@pytest.fixture
def archived(tmp_path, minimal_text):
    """The minimal dataset with its source matched to ARTICLE by SHA-256."""
    folder = tmp_path / "archive"
    folder.mkdir()
    text = folder / "001_example.txt"
    text.write_text(ARTICLE, encoding="utf-8")
    sha = hashlib.sha256(text.read_bytes()).hexdigest()
    data = tmp_path / "policies.yaml"
    data.write_text(minimal_text.replace("    paragraphs: 10\n", f"    paragraphs: 10\n    archive_sha256: {sha}\n", 1),
                    encoding="utf-8")
    return data, folder


@pytest.mark.parametrize("text, value", [
    ("1000万元", 10_000_000), ("1.2亿", 120_000_000), ("10000亿元", 1e12), ("5万", 50_000), ("３０００名", 3000),
    ("50万以上", 500_000), ("超过3000亿元", 3e11), ("1.5万亿", 1.5e12), ("三年", 3), ("二十家", 20), ("50%", 50),
    ("US$1.5 billion", 1.5e9), ("20,000 hosts", 20_000), ("half a million", 500_000),
    ("突破450億元", 45_000_000_000), ("3.49萬億元", 3.49e12), ("2.64萬場", 26_400), ("百家MCN机构", 100),
    ("ranked fourth in the province", 4),
    ("récompensés à hauteur de 500 000 yuans", 500_000), ("建設百萬平方米以上", 1_000_000), ("前2年给予100%租金", 2),
    ("第3年给予60%", 60),
])
def test_numbers_are_read_the_way_they_are_written(text, value):
    assert value in numbers_in(text)


def test_every_figure_found_passes(archived, capsys):
    data, folder = archived
    assert main(["check", "--data", str(data), "--archive", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"{data}: ok (8 figures of 1 source found in the paragraphs they cite)"


def test_a_figure_its_paragraph_does_not_hold_is_reported_where_it_is(archived, capsys):
    data, folder = archived
    data.write_text(data.read_text(encoding="utf-8").replace("value: 3_000\n", "value: 4_000\n"), encoding="utf-8")
    line = next(i for i, text in enumerate(data.read_text(encoding="utf-8").splitlines(), 1) if "value: 4_000" in text)
    assert main(["check", "--data", str(data), "--archive", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{data}:{line}:12: targets[0].value: 4,000 is not in src-a para 3",
                   "1 problem found in the archive check"]


def test_a_source_without_its_file_and_a_file_no_source_uses(archived, capsys):
    data, folder = archived
    (folder / "001_example.txt").write_text(ARTICLE + "另一段。\n", encoding="utf-8")
    assert main(["check", "--data", str(data), "--archive", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "sources[0].archive_sha256: no archived text in the folders has this SHA-256" in err
    assert f"{folder / '001_example.txt'}: no source in {data} uses this file" in err


def test_a_paragraph_count_that_differs_and_a_locator_beyond_the_text(archived, capsys):
    data, folder = archived
    text = data.read_text(encoding="utf-8").replace("paragraphs: 10\n", "paragraphs: 12\n")
    data.write_text(text.replace("locator: para 2\n", "locator: para 11\n"), encoding="utf-8")
    assert main(["check", "--data", str(data), "--archive", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "sources[0].paragraphs: 001_example.txt has 10 paragraphs, not 12" in err
    assert "targets[1].value: the locator 'para 11' names no paragraph of src-a (it has 10)" in err


def test_a_folder_that_is_not_there(archived, tmp_path, capsys):
    data, _ = archived
    assert main(["check", "--data", str(data), "--archive", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: not a folder of archived texts" in capsys.readouterr().err


def test_shares_and_schedules_are_held_to_their_paragraph(archived, capsys):
    """A share of a cost, its years and the steps of a schedule are figures like amounts."""
    data, folder = archived
    text = data.read_text(encoding="utf-8").replace(
        "      - amount: 300_000\n",
        "      - share_of: rent\n        years: 3\n        steps: [{to_year: 2, share: 100}, {to_year: 3, share: 60}]\n"
        "        amount: 300_000\n", 1)
    data.write_text(text, encoding="utf-8")
    assert main(["check", "--data", str(data), "--archive", str(folder)]) == 2
    problems = capsys.readouterr().err.splitlines()[:-1]
    assert {p.split(": ", 2)[1] for p in problems} == {
        "incentives[0].tiers[1].years", "incentives[0].tiers[1].steps[0].to_year",
        "incentives[0].tiers[1].steps[0].share", "incentives[0].tiers[1].steps[1].to_year",
        "incentives[0].tiers[1].steps[1].share"}, problems
