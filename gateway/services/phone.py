"""Phone number parsing, normalisation and classification (wrapping `phonenumbers`).

A number is accepted when it is *possible* for its country: its length and shape fit
the numbering plan (`phonenumbers.is_possible_number`, plus the North American plan's
own rules: area code and exchange start with 2-9 and are not N11, and the area code
is not one kept for expansion: N9X, 37X, 96X). Whether it exists
is the carrier's answer: `phonenumbers`' metadata lags behind the carriers (area codes
420 and 421 opened before the library knew them), so it decides the number's type
where it knows the number, and nothing more.
"""

from __future__ import annotations

import re

import phonenumbers

from gateway.domain.errors import InvalidAreaCode, InvalidPhoneNumber
from gateway.domain.numbers import NumberType

_TYPES = {
    phonenumbers.PhoneNumberType.TOLL_FREE: NumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.MOBILE: NumberType.MOBILE,
}
#: what a subresource accepts, by phonenumbers' classification
_REJECTED_BY = {
    NumberType.LOCAL: {phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.MOBILE},
    NumberType.MOBILE: {phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.FIXED_LINE},
    NumberType.TOLL_FREE: None,  # only TOLL_FREE itself
}
#: the North American toll-free area codes, assigned and reserved (8NN)
NANP_TOLL_FREE = frozenset({"800", "822", "833", "844", "855", "866", "877", "888"})
#: what a number may be written with besides its digits
_PUNCTUATION = re.compile(r"[\s().\-]")
#: a North American exchange: starts with 2-9, and is not N11 (service codes)
_NANP_EXCHANGE = re.compile(r"^[2-9](?!11)\d\d$")
#: a North American area code: an exchange-shaped code, but not N9X, 37X or 96X (kept for expansion)
_NANP_AREA_CODE = re.compile(r"^(?!\d9\d|37\d|96\d)[2-9](?!11)\d\d$")


class ParsedNumber:
    __slots__ = ("e164", "national", "number_type", "country")

    def __init__(self, e164: str, national: str, number_type: NumberType, country: str) -> None:
        self.e164, self.national, self.number_type, self.country = e164, national, number_type, country


def clean(raw: str) -> str:
    """Undo form decoding of an unencoded ``+`` (it arrives as a space) and trim."""
    text = raw.strip()
    return text if not text else ("+" + text.lstrip("+") if text[0] in "+0123456789" else text)


def parse_did(raw: str, *, wanted_type: NumberType | None = None, field: str = "phone_number") -> ParsedNumber:
    text = clean(raw)
    shown = repr(raw.strip()[:40])
    if not text:
        raise InvalidPhoneNumber("{field} is empty", field=field)
    if any(ch.isalpha() for ch in text):
        raise InvalidPhoneNumber(
            f"{{field}} {shown} contains letters; send the number's digits in E.164, e.g. +15105555555"
            " (keypad letters belong to the search's {field:contains})",
            field=field,
        )
    digits = _PUNCTUATION.sub("", text.removeprefix("+"))
    if not digits.isascii() or not digits.isdigit():
        raise InvalidPhoneNumber(f"{{field}} {shown} is not a phone number; send E.164, e.g. +15105555555",
                                 field=field)
    try:
        parsed = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber(
            f"{{field}} {shown} is not a phone number; send E.164, e.g. +15105555555", field=field
        ) from None
    if not phonenumbers.is_possible_number(parsed) or not _fits_plan(parsed):
        raise InvalidPhoneNumber(
            f"{{field}} {shown} is not a possible phone number: its length or shape does not fit its country's plan",
            field=field,
        )
    number_type = _classify(parsed, wanted_type)
    if wanted_type is not None and number_type is not wanted_type:
        raise InvalidPhoneNumber(
            f"{{field}} {_e164(parsed)} is a {_describe(number_type)} number, not a {_describe(wanted_type)} one",
            field=field,
        )
    return ParsedNumber(
        e164=_e164(parsed),
        national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        number_type=number_type,
        country=phonenumbers.region_code_for_number(parsed) or "",
    )


def _fits_plan(parsed: phonenumbers.PhoneNumber) -> bool:
    """A number the metadata knows fits its plan; an unknown North American one must look assignable."""
    if parsed.country_code != 1 or phonenumbers.is_valid_number(parsed):
        return True
    national = str(parsed.national_number)
    return len(national) == 10 and bool(_NANP_AREA_CODE.match(national[:3])) and bool(_NANP_EXCHANGE.match(national[3:6]))


def _classify(parsed: phonenumbers.PhoneNumber, wanted: NumberType | None) -> NumberType:
    """The number's type: `phonenumbers`' where it knows the number, else what can be told."""
    if phonenumbers.is_valid_number(parsed):
        classified = phonenumbers.number_type(parsed)
        if wanted is None:
            return _TYPES.get(classified, NumberType.LOCAL)
        rejected = _REJECTED_BY[wanted]
        fits = classified == phonenumbers.PhoneNumberType.TOLL_FREE if rejected is None else classified not in rejected
        return wanted if fits else _TYPES.get(classified, NumberType.LOCAL)
    # Unknown to the metadata: in North America a toll-free area code says it; otherwise
    # the subresource's word stands, and the carrier refuses a number it does not sell.
    if parsed.country_code == 1 and str(parsed.national_number)[:3] in NANP_TOLL_FREE:
        return NumberType.TOLL_FREE
    if wanted is NumberType.TOLL_FREE and parsed.country_code == 1:
        return NumberType.LOCAL
    return wanted or NumberType.LOCAL


def area_code_country(area_code: str, *, field: str = "area_code") -> str:
    """The country (US or CA) of a three-digit North American area code."""
    code = area_code.strip()
    if len(code) != 3 or not (code.isascii() and code.isdigit()):
        raise InvalidAreaCode(f"{{field}} {area_code[:20]!r} must be three digits, e.g. 510", field=field)
    if not _NANP_AREA_CODE.match(code):
        raise InvalidAreaCode(f"{{field}} {code} is not a North American area code", field=field)
    # A number in the 555-01xx fictional range is valid in every assigned area code;
    # an area code the metadata does not know yet is most likely a new US one.
    parsed = phonenumbers.parse(f"+1{code}5550123")
    return phonenumbers.region_code_for_number(parsed) or "US"


def _e164(parsed: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _describe(number_type: NumberType) -> str:
    return {"local": "local", "tollfree": "toll-free", "mobile": "mobile"}[number_type.value]
