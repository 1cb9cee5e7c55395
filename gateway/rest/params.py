"""Reading Restcomm's form and query parameters into typed values.

Unknown parameters are ignored, as in Restcomm. Each error names the parameter as the
client spelled it.
"""

from __future__ import annotations

from typing import Any, Mapping

from starlette.requests import Request

from gateway.domain.errors import InvalidParameter
from gateway.domain.route_families import CAPABILITY_COLUMNS, ROUTE_SETTINGS, SettingKind, camel
from gateway.web.forms import Parameters, parse_parameters


async def read_form(request: Request) -> Parameters:
    """The form body, decoded strictly; its size is bounded by `web.body.BodyLimit`."""
    return parse_parameters(await request.body())


def required(params: Mapping[str, str], name: str) -> str:
    """A parameter that must be given, non-empty (InvalidParameter naming it otherwise)."""
    value = params.get(name)
    if not value:
        raise InvalidParameter(f"{name} is required")
    return value


def query(request: Request) -> Parameters:
    """The query string, decoded strictly."""
    return parse_parameters(request.scope.get("query_string", b""))


def boolean(params: Mapping[str, str], name: str, default: bool | None = None) -> bool | None:
    raw = params.get(name)
    if raw is None:
        return default
    text = raw.strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise InvalidParameter(f"{name} {raw[:40]!r} must be true or false", field=None)


def integer(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    digits = text[1:] if text.startswith("-") else text
    # isascii: str.isdigit() also accepts digits such as "²" that int() refuses
    if not (digits.isascii() and digits.isdigit()) or len(text) > 9:
        raise InvalidParameter(f"{name} {raw[:40]!r} must be a whole number", field=None)
    return int(text)


def phone_number_filter(params: Mapping[str, str], name: str = "PhoneNumber") -> str | None:
    """A `PhoneNumber` filter; `?PhoneNumber=+1510` sent unencoded arrives as ` 1510`
    (no stored number holds a space, so a leading one was a `+`)."""
    raw = params.get(name)
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    return "+" + text.lstrip("+") if raw[0] == " " and text[0].isdigit() else text


def number_settings(params: Mapping[str, str]) -> dict[str, Any]:
    """Routing and capability parameters present in the request, keyed by column."""
    settings: dict[str, Any] = {}
    for setting in ROUTE_SETTINGS:
        if setting.rest_name in params:
            raw = params[setting.rest_name]
            settings[setting.column] = (
                boolean(params, setting.rest_name) if setting.kind is SettingKind.BOOLEAN else raw
            )
    for column in CAPABILITY_COLUMNS:
        if camel(column) in params:
            settings[column] = boolean(params, camel(column))
    return settings
