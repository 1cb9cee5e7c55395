"""Phone number parsing, normalisation and classification (wrapping `phonenumbers`)."""

from __future__ import annotations

import phonenumbers

from gateway.providers.base import NumberType
from gateway.services.errors import InvalidAreaCode, InvalidPhoneNumber

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
    if not text:
        raise InvalidPhoneNumber("{field} is empty", field=field)
    try:
        parsed = phonenumbers.parse(text if text.startswith("+") else "+" + text)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber(
            f"{{field}} {raw.strip()!r} is not a phone number; send E.164, e.g. +15105555555",
            field=field,
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(
            f"{{field}} {raw.strip()!r} is not a valid phone number in any numbering plan",
            field=field,
        )
    classified = phonenumbers.number_type(parsed)
    number_type = _TYPES.get(classified, NumberType.LOCAL)
    if wanted_type is not None:
        rejected = _REJECTED_BY[wanted_type]
        fits = classified == phonenumbers.PhoneNumberType.TOLL_FREE if rejected is None else classified not in rejected
        if not fits:
            raise InvalidPhoneNumber(
                f"{{field}} {phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)}"
                f" is a {_describe(number_type)} number, not a {_describe(wanted_type)} one",
                field=field,
            )
        number_type = wanted_type
    return ParsedNumber(
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        number_type=number_type,
        country=phonenumbers.region_code_for_number(parsed) or "",
    )


def area_code_country(area_code: str, *, field: str = "area_code") -> str:
    """The country (US or CA) of a three-digit North American area code."""
    code = area_code.strip()
    if len(code) != 3 or not (code.isascii() and code.isdigit()):
        raise InvalidAreaCode(f"{{field}} {area_code!r} must be three digits, e.g. 510", field=field)
    # A number in the 555-01xx fictional range is valid in every real area code.
    parsed = phonenumbers.parse(f"+1{code}5550123")
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidAreaCode(f"{{field}} {code} is not a North American area code", field=field)
    return phonenumbers.region_code_for_number(parsed) or "US"


def _describe(number_type: NumberType) -> str:
    return {"local": "local", "tollfree": "toll-free", "mobile": "mobile"}[number_type.value]
