"""Validation of the values a client may set on a number, shared by every front-end.

Front-ends hand over already-typed values (REST parses its strings first); the checks
here are the domain rules: URLs absolute http(s), methods GET or POST, names ≤ 64.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import urlsplit

from gateway.services.errors import InvalidParameter, InvalidUrl
from gateway.services.ids import APPLICATION, is_sid
from gateway.services.route_families import CAPABILITY_COLUMNS, SETTINGS_BY_COLUMN, SettingKind

MAX_FRIENDLY_NAME = 64
MAX_URL = 2048
METHODS = ("GET", "POST")
API_VERSIONS = ("2012-04-24",)


def has_control_characters(text: str) -> bool:
    """C0 controls and DEL belong in no name, number, address or URL (and PostgreSQL
    text cannot even hold NUL: letting one through would fail in the database)."""
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def friendly_name(value: str, *, field: str = "friendly_name") -> str:
    name = value.strip()
    if not name:
        raise InvalidParameter("{field} must not be empty", field=field)
    if has_control_characters(name):
        raise InvalidParameter("{field} must not contain control characters", field=field)
    if len(name) > MAX_FRIENDLY_NAME:
        raise InvalidParameter(
            f"{{field}} is {len(name)} characters long; the maximum is {MAX_FRIENDLY_NAME}",
            field=field,
        )
    return name


def api_version(value: str, *, field: str = "api_version") -> str:
    version = value.strip()
    if version not in API_VERSIONS:
        raise InvalidParameter(
            f"{{field}} {version!r} is not supported; use {', '.join(API_VERSIONS)}", field=field
        )
    return version


def url(value: str | None, *, field: str) -> str | None:
    """An absolute http(s) URL; empty or None clears the setting."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number 0..65535)
    except ValueError:  # e.g. "http://[::1" (unclosed IPv6 literal)
        parts = None
    if (
        parts is None or has_control_characters(text) or parts.scheme.lower() not in ("http", "https")
        or not parts.netloc or len(text) > MAX_URL
    ):
        raise InvalidUrl(
            f"{{field}} {text[:100]!r} is not an absolute http or https URL", field=field
        )
    return text


def method(value: str, *, field: str) -> str:
    upper = value.strip().upper()
    if upper not in METHODS:
        raise InvalidParameter(f"{{field}} {value!r} must be GET or POST", field=field)
    return upper


def application_sid(value: str | None, *, field: str) -> str | None:
    """Shape only; whether the account may use it is checked against the database."""
    if value is None or not value.strip():
        return None
    sid = value.strip()
    if not is_sid(sid, APPLICATION):
        raise InvalidParameter(
            f"{{field}} {sid[:40]!r} is not an application sid (AP followed by 32 hex digits)",
            field=field,
        )
    return sid


def number_settings(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate routing and capability values keyed by column name."""
    validated: dict[str, Any] = {}
    for column, value in changes.items():
        setting = SETTINGS_BY_COLUMN.get(column)
        if setting is None:
            if column not in CAPABILITY_COLUMNS:
                raise InvalidParameter(f"unknown setting {column!r}", field=column)
            validated[column] = _boolean(value, column)
        elif setting.kind is SettingKind.URL:
            validated[column] = url(value, field=column)
        elif setting.kind is SettingKind.METHOD:
            # An empty method restores the default rather than storing nothing.
            validated[column] = method(value, field=column) if value and str(value).strip() else "POST"
        elif setting.kind is SettingKind.BOOLEAN:
            validated[column] = _boolean(value, column)
        else:
            validated[column] = application_sid(value, field=column)
    return validated


def _boolean(value: Any, column: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidParameter("{field} must be true or false", field=column)
    return value
