"""Amounts as people type them (25m, 2500万, $1.5B, 1.5 billion USD) and as they read them.

Every way of failing raises :class:`AmountError` with a message fit to show beside an input
field; nothing else escapes :func:`parse_amount`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

CURRENCIES = ("CNY", "USD")
MAX_AMOUNT = 1e18  # far above any real figure; stops 1e300 and friends

# Scale words, longest first so that 万亿 wins over 亿 and "mn" over "m".
_SCALES = [
    ("万亿", 1e12), ("trillion", 1e12), ("tn", 1e12), ("t", 1e12),
    ("billion", 1e9), ("bn", 1e9), ("b", 1e9), ("亿", 1e8),
    ("million", 1e6), ("mn", 1e6), ("mm", 1e6), ("m", 1e6), ("百万", 1e6),
    ("万", 1e4), ("thousand", 1e3), ("千", 1e3), ("k", 1e3),
]
# Currency markers, longest first. Prefixes and suffixes may both name a currency only if they agree.
_CURRENCY_WORDS = [
    ("us dollars", "USD"), ("us dollar", "USD"), ("dollars", "USD"), ("dollar", "USD"), ("usd", "USD"),
    ("us$", "USD"), ("美元", "USD"), ("$", "USD"),
    ("renminbi", "CNY"), ("yuan", "CNY"), ("rmb", "CNY"), ("cny", "CNY"), ("cn¥", "CNY"),
    ("人民币", "CNY"), ("元", "CNY"), ("¥", "CNY"), ("￥", "CNY"),
]
_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|\.[0-9]+(?:e[+-]?[0-9]+)?", re.I)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?\Z|[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?\Z", re.I)
EXAMPLES = "try 25m, 2500万, 25,000,000 or $1.5B"
COUNT_EXAMPLES = "try 500000, 500,000, 500k or 50万"  # a count has no currency: no $ in its examples


class AmountError(ValueError):
    """The text is not a usable amount; str(error) says why, in words for the user."""


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str | None = None  # None: the text named no currency

    def in_currency(self, default: str = "CNY") -> str:
        return self.currency or default


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width digits and signs become ASCII
    return " ".join(text.strip().lower().split())


def _take_currencies(text: str) -> tuple[str, list[str]]:
    """Remove currency markers from both ends; return the rest and the currencies named."""
    found: list[str] = []
    changed = True
    while changed and text:
        changed = False
        for word, code in _CURRENCY_WORDS:
            if text.startswith(word):
                text, changed = text[len(word):].strip(), True
                found.append(code)
                break
            if text.endswith(word):
                text, changed = text[: -len(word)].strip(), True
                found.append(code)
                break
    return text, found


def _take_scale(text: str) -> tuple[str, float]:
    for word, factor in _SCALES:
        if text.endswith(word):
            rest = text[: -len(word)].strip()
            if rest and (rest[-1].isdigit() or rest[-1] == "."):
                return rest, factor
    return text, 1.0


def parse_amount(text: str, *, what: str = "an amount", examples: str = EXAMPLES) -> Amount:
    """Parse '25000000', '25,000,000', '25m', '2.5e7', '2500万', '0.25亿', '¥25m', '$1.5B', '1.5 billion USD'.

    `what` and `examples` word the errors ("'x' is not a follower count; try 500k ...")."""
    if not isinstance(text, str):
        raise AmountError(f"enter {what}; {examples}")
    original = text.strip()
    if not original:
        raise AmountError(f"enter {what}; {examples}")
    if len(original) > 64:
        raise AmountError(f"that is too long to be {what}")
    rest = _normalise(original)
    negative = rest.startswith("-") or rest.startswith("−")
    if negative:
        rest = rest[1:].strip()
    rest, currencies = _take_currencies(rest)
    if rest.startswith("-"):
        negative, rest = True, rest[1:].strip()
    rest, factor = _take_scale(rest)
    rest, more = _take_currencies(rest)
    currencies += more
    if len(set(currencies)) > 1:
        raise AmountError(f"'{original}' mixes currencies ({' and '.join(sorted(set(currencies)))}); use one")
    number = rest.replace(" ", "")
    if number.count(".") > 1:
        raise AmountError(f"'{original}' has more than one decimal point")
    if not number or not _NUMBER.fullmatch(number):
        raise AmountError(f"'{original}' is not {what}; {examples}")
    if "," in number and not _GROUPED.fullmatch(number):
        raise AmountError(f"'{original}' has misplaced thousands separators; write 25,000,000 or 25000000")
    try:
        value = float(number.replace(",", "")) * factor
    except (ValueError, OverflowError):
        raise AmountError(f"'{original}' is not {what}; {examples}") from None
    if not math.isfinite(value) or value > MAX_AMOUNT:
        raise AmountError(f"'{original}' is too large")
    if negative and value != 0:
        raise AmountError(f"{what} cannot be negative")
    return Amount(value, currencies[0] if currencies else None)


def parse_count(text: str, *, what: str = "a number") -> int:
    """A count such as followers: '500000', '500,000', '500k', '1.2m', '50万'. No currency."""
    amount = parse_amount(text, what=what, examples=COUNT_EXAMPLES)
    if amount.currency is not None:
        raise AmountError(f"{what} has no currency; {COUNT_EXAMPLES}")
    if not amount.value.is_integer() and abs(amount.value - round(amount.value)) > 1e-6:
        raise AmountError(f"{what} must be a whole number")
    return int(round(amount.value))


# ----------------------------------------------------------------------------------- display


def _trim(number: float, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_number(value: float | None, style: str = "international") -> str:
    """25000000 -> '25.0 million' (international) or '2,500万' (chinese); small numbers with commas."""
    if value is None:
        return "?"
    sign = "-" if value < 0 else ""
    v = abs(value)
    if style == "chinese":
        if v >= 1e12:
            return sign + _trim(v / 1e12, 4) + "万亿"
        if v >= 1e8:
            return sign + _trim(v / 1e8, 4) + "亿"
        if v >= 1e4:
            return sign + _trim(v / 1e4, 4) + "万"
        return sign + _trim(v, 2)
    for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if v >= factor:
            scaled = v / factor
            text = _trim(scaled, 3)
            if "." not in text:
                text += ".0"
            return f"{sign}{text} {word}"
    return sign + _trim(v, 2)


SYMBOLS = {"CNY": "¥", "USD": "US$"}


def _compact(v: float, style: str) -> tuple[str, float] | None:
    """A large magnitude in words of scale ('300bn', '3,000亿') and the value that text stands for."""
    scales = ((1e8, "亿"), (1e4, "万")) if style == "chinese" else ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k"))
    for factor, suffix in scales:
        if v >= factor:
            number = _trim(v / factor, 3 if v < 10 * factor else 2)  # 1.071bn, 10.71bn: four digits at least
            return number + suffix, float(number.replace(",", "")) * factor
    return None


def format_money(value: float | None, currency: str | None = "CNY", style: str = "international",
                 exact: bool = False, approximate: bool = False) -> str:
    """The one notation for money everywhere: ¥300bn, ¥1.4m, US$706.5k; chinese style ¥3,000亿, ¥50万.

    Below a million the number stays in digits unless it is a round hundred (¥500k, ¥70.65万, but
    ¥9,845). `exact` keeps digits whenever the short form would round (a gap such as
    "+¥5,000,001 needed" must not read as "+¥5m"); `approximate` (a converted amount) never
    shows digits it does not have (US$70.65k, not US$70,650).
    """
    if value is None:
        return "?"
    v = abs(value)
    number = _trim(v, 2)
    compact = _compact(v, style)
    if compact is not None:
        short, stands_for = compact
        rounded = abs(stands_for - v) > 1e-9 * max(v, 1)
        if not (rounded and exact) and (v >= 1e6 or v % 100 == 0 or approximate):
            number = short
    symbol = SYMBOLS.get(currency or "", "")
    text = ("-" if value < 0 else "") + symbol + number
    return text if symbol or currency is None else f"{text} {currency}"


def format_count(value: float | None, style: str = "international") -> str:
    if value is None:
        return "?"
    if style == "chinese":
        return format_number(value, style)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def convert(value: float, from_currency: str, to_currency: str, cny_per_usd: float) -> float:
    if from_currency == to_currency:
        return value
    if (from_currency, to_currency) == ("CNY", "USD"):
        return value / cny_per_usd
    if (from_currency, to_currency) == ("USD", "CNY"):
        return value * cny_per_usd
    raise ValueError(f"cannot convert {from_currency} to {to_currency}")


STYLES = ("international", "chinese")


class Display(NamedTuple):
    """How every amount on screen reads: one number style and one currency for the whole view.

    An amount stated in the other currency is converted at the rate that goes with its figure
    (`cny_per_usd`, see the record_rates table); a figure with no such rate stays as stated, and
    `converts` tells the caller so that it can say so once.
    """

    style: str = "international"
    currency: str = "CNY"

    def converts(self, currency: str | None, cny_per_usd: float | None) -> bool:
        """False if an amount in `currency` cannot be shown in this display's currency."""
        return currency not in CURRENCIES or currency == self.currency or bool(cny_per_usd)

    def amount(self, value: float, currency: str | None, cny_per_usd: float | None = None) -> tuple[float, str | None]:
        """The value and currency as shown: converted where a rate allows, else as stated."""
        if currency in CURRENCIES and currency != self.currency and cny_per_usd:
            return convert(value, currency, self.currency, cny_per_usd), self.currency
        return value, currency

    def money(self, value: float | None, currency: str | None, cny_per_usd: float | None = None,
              exact: bool = False) -> str:
        if value is None:
            return "?"
        shown, unit = self.amount(value, currency, cny_per_usd)
        converted = unit != currency
        return format_money(shown, unit, self.style, exact=exact and not converted, approximate=converted)

    def offer(self, value: float, currency: str | None, amount_type: str | None,
              cny_per_usd: float | None = None) -> str:
        """What a measure pays: "up to ¥500k" for a discretionary maximum, "¥20k" for a fixed amount."""
        money = self.money(value, currency, cny_per_usd)
        return f"up to {money}" if amount_type == "up_to" else money

    def stated(self, value: float | None, currency: str | None, cny_per_usd: float | None = None) -> str:
        """`money`, followed by the figure as its source states it when that differs."""
        text = self.money(value, currency, cny_per_usd)
        if value is not None and self.amount(value, currency, cny_per_usd)[1] != currency:
            text += f" (stated: {format_money(value, currency, self.style)})"
        return text

    def count(self, value: float | None) -> str:
        return format_count(value, self.style)
