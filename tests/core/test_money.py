"""Amounts as people type them, and as they read them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstui.core.money import (Amount, AmountError, Display, format_count, format_money, format_number,
                              parse_amount, parse_count)


@pytest.mark.parametrize("text, value, currency", [
    ("25000000", 25e6, None),
    ("25,000,000", 25e6, None),
    ("25m", 25e6, None),
    ("25 M", 25e6, None),
    ("2.5e7", 25e6, None),
    ("2500万", 25e6, None),
    ("0.25亿", 25e6, None),
    ("¥25m", 25e6, "CNY"),
    ("$1.5B", 1.5e9, "USD"),
    ("1.5 billion USD", 1.5e9, "USD"),
    ("2500万元", 25e6, "CNY"),
    ("250万美元", 2.5e6, "USD"),
    ("US$ 706,500", 706_500, "USD"),
    ("rmb 5k", 5_000, "CNY"),
    ("２５００万", 25e6, None),  # full-width digits
    ("1万亿", 1e12, None),
    ("0", 0, None),
    (" 12.5 million yuan ", 12.5e6, "CNY"),
])
def test_parses_what_people_type(text, value, currency):
    assert parse_amount(text) == Amount(value, currency)


@pytest.mark.parametrize("text, message", [
    ("-5", "cannot be negative"),
    ("−5m", "cannot be negative"),
    ("", "enter an amount"),
    ("   ", "enter an amount"),
    ("abc", "'abc' is not an amount"),
    ("1e400", "'1e400' is too large"),
    ("12..5", "more than one decimal point"),
    ("$5 CNY", "mixes currencies (CNY and USD)"),
    ("¥5 dollars", "mixes currencies"),
    ("1,2,3", "misplaced thousands separators"),
    ("m", "is not an amount"),
    ("5e", "is not an amount"),
    ("nan", "is not an amount"),
    ("inf", "is not an amount"),
    ("x" * 100, "too long"),
])
def test_rejects_with_a_precise_message(text, message):
    with pytest.raises(AmountError) as excinfo:
        parse_amount(text)
    assert message in str(excinfo.value)


def test_counts_are_whole_and_have_no_currency():
    assert parse_count("500k") == 500_000
    assert parse_count("50万") == 500_000
    with pytest.raises(AmountError, match="no currency"):
        parse_count("$5")
    with pytest.raises(AmountError, match="whole number"):
        parse_count("1.5")


@pytest.mark.parametrize("value, international, chinese", [
    (25e6, "25.0 million", "2,500万"),
    (2.5e8, "250.0 million", "2.5亿"),
    (3e11, "300.0 billion", "3,000亿"),
    (4e12, "4.0 trillion", "4万亿"),
    (51.05e6, "51.05 million", "5,105万"),
    (500_000, "500,000", "50万"),
    (9_845, "9,845", "9,845"),
])
def test_display_styles(value, international, chinese):
    assert format_number(value) == international
    assert format_number(value, "chinese") == chinese


def test_money_reads_the_same_way_everywhere():
    assert format_money(25e6, "CNY") == "¥25m"
    assert format_money(25e6, "CNY", "chinese") == "¥2,500万"
    assert format_money(2.5e6, "USD", "chinese") == "US$250万"
    assert format_money(706_500, "USD") == "US$706.5k"
    assert format_money(706_500, "USD", "chinese") == "US$70.65万"
    assert format_money(3e11, "CNY") == "¥300bn"
    assert format_money(5e5, "CNY", "chinese") == "¥50万"
    assert format_count(600_000) == "600,000"
    assert format_count(600_000, "chinese") == "60万"


@pytest.mark.parametrize("value, short, exact", [
    (9_845, "¥9,845", "¥9,845"),          # below a million, digits unless the short form is exact
    (12_345, "¥12,345", "¥12,345"),
    (20_000, "¥20k", "¥20k"),
    (5_000_001, "¥5m", "¥5,000,001"),     # a gap must not read as a round number
    (14_124_293.79, "¥14.12m", "¥14,124,293.79"),
])
def test_exact_keeps_digits_where_the_short_form_would_round(value, short, exact):
    assert format_money(value, "CNY") == short
    assert format_money(value, "CNY", exact=True) == exact


def test_display_converts_at_the_figures_rate_or_keeps_it_as_stated():
    usd = Display("international", "USD")
    assert usd.money(1e8, "CNY", 7.08) == "US$14.12m"
    assert usd.stated(1e8, "CNY", 7.08) == "US$14.12m (stated: ¥100m)"
    assert usd.money(1e8, "CNY", None) == "¥100m"  # no rate goes with it: as the source states it
    assert not usd.converts("CNY", None) and usd.converts("CNY", 7.08) and usd.converts("USD", None)
    assert Display("chinese", "CNY").offer(1e9, "USD", "up_to", 7.0) == "up to ¥70亿"
    assert Display().stated(5e5, "CNY") == "¥500k"


@settings(max_examples=1000, deadline=None)
@given(st.text())
def test_parser_only_ever_raises_its_own_error(text):
    try:
        amount = parse_amount(text)
    except AmountError:
        return
    assert amount.value >= 0 and amount.currency in (None, "CNY", "USD")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_integers_round_trip(n):
    assert parse_amount(str(n)).value == n
    assert parse_amount(f"{n:,}").value == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["international", "chinese"]))
def test_displayed_amounts_parse_back_close_to_the_value(n, style):
    shown = format_money(float(n), "CNY", style)
    parsed = parse_amount(shown)
    assert parsed.currency == "CNY"
    assert parsed.value == pytest.approx(n, rel=1e-3, abs=0.01)
