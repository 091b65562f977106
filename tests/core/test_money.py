"""Amounts as people type them, and as they read them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstui.core.money import (Amount, AmountError, format_count, format_money, format_number, format_short,
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


def test_money_and_counts_with_currency():
    assert format_money(25e6, "CNY") == "25.0 million CNY"
    assert format_money(25e6, "CNY", "chinese") == "2,500万元"
    assert format_money(2.5e6, "USD", "chinese") == "250万美元"
    assert format_money(706_500, "USD") == "706,500 USD"
    assert format_count(600_000) == "600,000"
    assert format_count(600_000, "chinese") == "60万"
    assert format_short(3e11, "CNY") == "¥300bn"
    assert format_short(5e5, "CNY", "chinese") == "¥50万"


@settings(max_examples=1000, deadline=None)
@given(st.text())
def test_parser_only_ever_raises_its_own_error(text):
    try:
        amount = parse_amount(text)
    except AmountError:
        return
    assert amount.value >= 0 and amount.currency in (None, "CNY", "USD")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,e-+kmbtKMB万亿元$¥ usdcnyUSDCNY", max_size=20))
def test_parser_on_number_like_text(text):
    try:
        parse_amount(text)
    except AmountError:
        pass


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
