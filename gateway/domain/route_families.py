"""The one definition of a number's routing settings.

A number routes four kinds of traffic (voice, sms, ussd, refer). Each family has a
subset of the same settings; everything that lists them (form parsing, JSON and XML
rendering, GraphQL types, validation, OpenAPI) is generated from `FAMILIES` so the
families cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SettingKind(str, Enum):
    URL = "url"
    METHOD = "method"
    BOOLEAN = "boolean"
    APPLICATION = "application"


@dataclass(frozen=True)
class RouteSetting:
    family: str
    #: the setting's name inside its family, snake_case (``fallback_url``)
    name: str
    kind: SettingKind
    #: column name == Restcomm JSON key (``voice_fallback_url``; ``status_callback``)
    column: str
    #: Restcomm's form parameter and XML element (``VoiceFallbackUrl``)
    rest_name: str


@dataclass(frozen=True)
class RouteFamily:
    name: str
    settings: tuple[RouteSetting, ...]

    def setting(self, name: str) -> RouteSetting | None:
        return next((s for s in self.settings if s.name == name), None)


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def _family(name: str, *settings: tuple[str, SettingKind]) -> RouteFamily:
    def column(setting: str) -> str:
        # Restcomm names the voice status callback without the family prefix.
        return setting if setting.startswith("status_callback") else f"{name}_{setting}"

    return RouteFamily(
        name,
        tuple(RouteSetting(name, s, kind, column(s), camel(column(s))) for s, kind in settings),
    )


_URL, _METHOD = SettingKind.URL, SettingKind.METHOD
_CALLS = (("url", _URL), ("method", _METHOD))
_FALLBACK = (("fallback_url", _URL), ("fallback_method", _METHOD))
_APPLICATION = (("application_sid", SettingKind.APPLICATION),)

FAMILIES: tuple[RouteFamily, ...] = (
    _family(
        "voice",
        *_CALLS,
        *_FALLBACK,
        ("status_callback", _URL),
        ("status_callback_method", _METHOD),
        ("caller_id_lookup", SettingKind.BOOLEAN),
        *_APPLICATION,
    ),
    _family("sms", *_CALLS, *_FALLBACK, *_APPLICATION),
    _family("ussd", *_CALLS, *_FALLBACK, *_APPLICATION),
    _family("refer", *_CALLS, *_APPLICATION),
)

ROUTE_SETTINGS: tuple[RouteSetting, ...] = tuple(s for f in FAMILIES for s in f.settings)
SETTINGS_BY_COLUMN = {s.column: s for s in ROUTE_SETTINGS}
APPLICATION_COLUMNS: tuple[str, ...] = tuple(s.column for s in ROUTE_SETTINGS if s.kind is SettingKind.APPLICATION)

#: Capabilities are booleans rendered in their own object; unset means false.
CAPABILITIES: tuple[str, ...] = ("voice", "sms", "mms", "fax")
CAPABILITY_COLUMNS: tuple[str, ...] = tuple(f"{c}_capable" for c in CAPABILITIES)
