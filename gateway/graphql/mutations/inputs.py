"""Inputs shared by the number mutations, generated from `services.route_families`.

`voice` is a VoiceRouteInput, `sms` and `ussd` MessagingRouteInputs, `refer` a
ReferRouteInput (Refer has no fallback). Every field defaults to UNSET so an update
can tell "not given" (unchanged) from an explicit null (cleared). The conversion to the
services' `settings` mapping (keyed by column, as REST builds it) lives here too.
"""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from strawberry.types.unset import UnsetType

from gateway.domain.route_families import (
    CAPABILITIES,
    FAMILIES,
    RouteFamily,
    SettingKind,
)
from gateway.graphql import descriptions as text
from gateway.graphql.types import HttpMethod

_INPUT_TYPES: dict[SettingKind, Any] = {
    SettingKind.URL: str | None,
    SettingKind.METHOD: HttpMethod | None,
    SettingKind.BOOLEAN: bool | None,
    SettingKind.APPLICATION: strawberry.ID | None,
}
#: family -> (input type name, wording key, description); families sharing a name must have the same settings
_NAMES = {
    "voice": ("VoiceRouteInput", "voice", text.VOICE_ROUTE_INPUT),
    "sms": ("MessagingRouteInput", "messaging", text.MESSAGING_ROUTE_INPUT),
    "ussd": ("MessagingRouteInput", "messaging", text.MESSAGING_ROUTE_INPUT),
    "refer": ("ReferRouteInput", "messaging", text.REFER_ROUTE_INPUT),
}


def _route_input(family: RouteFamily) -> Any:
    name, wording, description = _NAMES[family.name]
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__annotations__": {s.name: _INPUT_TYPES[s.kind] for s in family.settings},
    }
    for setting in family.settings:
        namespace[setting.name] = strawberry.field(
            default=strawberry.UNSET, description=text.ROUTE_INPUT_FIELDS[(wording, setting.name)]
        )
    return strawberry.input(type(name, (), namespace), description=description)


def _route_inputs() -> dict[str, Any]:
    by_name: dict[str, Any] = {}
    signatures: dict[str, tuple[tuple[str, SettingKind], ...]] = {}
    inputs: dict[str, Any] = {}
    for family in FAMILIES:
        name = _NAMES[family.name][0]
        signature = tuple((s.name, s.kind) for s in family.settings)
        if name in by_name:
            assert signatures[name] == signature, f"{family.name} cannot share {name}: its settings differ"
        else:
            by_name[name], signatures[name] = _route_input(family), signature
        inputs[family.name] = by_name[name]
    return inputs


#: family name -> its input type
ROUTE_INPUTS = _route_inputs()
VoiceRouteInput = ROUTE_INPUTS["voice"]
MessagingRouteInput = ROUTE_INPUTS["sms"]
ReferRouteInput = ROUTE_INPUTS["refer"]

CapabilitiesInput = strawberry.input(
    type(
        "CapabilitiesInput",
        (),
        {
            "__module__": __name__,
            "__annotations__": {c: bool | None for c in CAPABILITIES},
            **{
                c: strawberry.field(default=strawberry.UNSET, description=text.CAPABILITY_FIELDS[c])
                for c in CAPABILITIES
            },
        },
    ),
    description=text.CAPABILITIES_INPUT,
)


def given(value: Any) -> bool:
    return not isinstance(value, UnsetType)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def settings_from(source: Any, *, nulls: bool) -> dict[str, Any]:
    """The `settings` mapping (column → value) for the services from an input with
    `voice`/`sms`/`ussd`/`refer`/`capabilities` fields.

    `nulls=False` (purchase): null is the same as absent. `nulls=True` (update): an
    explicit null is passed on, and the services clear a URL or application with it and
    restore a method to POST (as an empty REST parameter does).
    """
    settings: dict[str, Any] = {}
    for family in FAMILIES:
        route = getattr(source, family.name, strawberry.UNSET)
        if not given(route) or route is None:
            continue
        for setting in family.settings:
            value = getattr(route, setting.name, strawberry.UNSET)
            if given(value) and (value is not None or nulls):
                settings[setting.column] = _plain(value)
    capabilities = getattr(source, "capabilities", strawberry.UNSET)
    if given(capabilities) and capabilities is not None:
        for capability in CAPABILITIES:
            value = getattr(capabilities, capability)
            if given(value) and (value is not None or nulls):
                settings[f"{capability}_capable"] = value
    return settings


def optional(value: Any) -> Any:
    """UNSET → None, for service arguments where absent and null mean the same."""
    return None if not given(value) else value
