"""The one definition of routing settings matches the table, the forms and the renderers."""

from __future__ import annotations

from gateway.domain.route_families import CAPABILITY_COLUMNS, FAMILIES, ROUTE_SETTINGS
from gateway.storage.tables import IncomingPhoneNumber, NumberSettingsBase


def test_every_setting_has_a_column_and_every_settable_column_a_setting() -> None:
    settable = set(NumberSettingsBase.model_fields)
    assert {s.column for s in ROUTE_SETTINGS} | set(CAPABILITY_COLUMNS) == settable
    assert settable <= set(IncomingPhoneNumber.model_fields)


def test_families_and_rest_names() -> None:
    assert [f.name for f in FAMILIES] == ["voice", "sms", "ussd", "refer"]
    names = [s.rest_name for s in ROUTE_SETTINGS]
    assert names[:8] == [
        "VoiceUrl", "VoiceMethod", "VoiceFallbackUrl", "VoiceFallbackMethod",
        "StatusCallback", "StatusCallbackMethod", "VoiceCallerIdLookup", "VoiceApplicationSid",
    ]
    assert "ReferFallbackUrl" not in names and "ReferApplicationSid" in names


# -- the GraphQL types, written out by hand, say the same as the one definition --------

import dataclasses  # noqa: E402
import enum  # noqa: E402

import pytest  # noqa: E402

from gateway.domain.route_families import CAPABILITIES, SettingKind  # noqa: E402
from gateway.graphql import call_routes  # noqa: E402
from gateway.graphql.mutations.inputs import ROUTE_INPUTS, CapabilitiesInput  # noqa: E402

#: GraphQL field type of each kind of setting
KIND_TYPES = {SettingKind.URL: "str | None", SettingKind.METHOD: "HttpMethod", SettingKind.BOOLEAN: "bool",
              SettingKind.APPLICATION: "strawberry.ID | None"}
ROUTE_TYPES = {"voice": call_routes.VoiceRoute, "sms": call_routes.MessagingRoute,
               "ussd": call_routes.MessagingRoute, "refer": call_routes.MessagingRoute}
BUILDERS = {"voice": call_routes.voice_route, "sms": call_routes.sms_route,
            "ussd": call_routes.ussd_route, "refer": call_routes.refer_route}


def fields_of(cls: type) -> dict[str, str]:
    """The type's fields and their annotations, as written in its module."""
    annotations = cls.__annotations__
    return {f.name: annotations[f.name] for f in dataclasses.fields(cls) if f.name in annotations}  # type: ignore[arg-type]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_each_family_has_its_settings_in_graphql(family) -> None:  # type: ignore[no-untyped-def]
    names = [s.name for s in family.settings]
    output = fields_of(ROUTE_TYPES[family.name])
    assert set(names) <= set(output), names  # the output type shows every setting of the family
    for setting in family.settings:
        assert output[setting.name].startswith(KIND_TYPES[setting.kind]), (setting.name, output[setting.name])
    inputs = fields_of(ROUTE_INPUTS[family.name])
    assert list(inputs) == names  # the input takes exactly the family's settings
    for setting in family.settings:  # every one optional: an update gives only what changes
        assert inputs[setting.name].removesuffix(" | None").startswith(KIND_TYPES[setting.kind].removesuffix(" | None"))
        assert inputs[setting.name].endswith("| None"), setting.name


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_each_route_reads_its_own_family_columns(family) -> None:  # type: ignore[no-untyped-def]
    row = IncomingPhoneNumber(sid="PN" + "0" * 32, account_sid="AC" + "0" * 32, organization_sid="AC" + "0" * 32,
                              phone_number="+15105555555", friendly_name="x", number_type="local")
    for index, setting in enumerate(ROUTE_SETTINGS):  # a distinct value in every column, so a mix-up shows
        value = {SettingKind.URL: f"https://{setting.column}.example/",
                 SettingKind.METHOD: "GET" if setting.family == family.name else "POST",
                 SettingKind.BOOLEAN: setting.family == family.name,
                 SettingKind.APPLICATION: f"AP{index:032x}"}[setting.kind]
        setattr(row, setting.column, value)
    route = BUILDERS[family.name](row)
    for setting in family.settings:
        shown = getattr(route, setting.name)
        expected = getattr(row, setting.column)
        assert (shown.value if isinstance(shown, enum.Enum) else shown) == expected, setting.column
    for missing in set(fields_of(type(route))) - {s.name for s in family.settings}:
        assert getattr(route, missing) is None  # refer's fallback: null


def test_capabilities_in_graphql_are_the_capabilities() -> None:
    assert list(fields_of(call_routes.Capabilities)) == list(CAPABILITIES)
    assert list(fields_of(CapabilitiesInput)) == list(CAPABILITIES)
