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
