"""Validation of the values a client may set on a number, shared by every front-end.

Front-ends hand over already-typed values (REST parses its strings first); the checks
here are the domain rules: URLs absolute http(s), methods GET or POST, names ≤ 64.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Mapping
from urllib.parse import urlsplit

from gateway.domain.errors import InvalidParameter, InvalidUrl
from gateway.domain.ids import APPLICATION, is_sid
from gateway.domain.route_families import CAPABILITY_COLUMNS, SETTINGS_BY_COLUMN, SettingKind

MAX_FRIENDLY_NAME = 64
MAX_URL = 2048
METHODS = ("GET", "POST")
API_VERSIONS = ("2012-04-24",)


#: characters that make a URL read other than it is: bidi controls and invisible ones
_DECEPTIVE = frozenset("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                       "\u2066\u2067\u2068\u2069\ufeff")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_HEX_LABEL = re.compile(r"^0x[0-9a-f]*$")


def forbidden_character(text: str) -> str | None:
    """The first character no text parameter may hold, described, or None.

    C0 and C1 controls and DEL belong in no name, number, address or URL (PostgreSQL
    cannot even hold NUL); lone surrogates cannot be stored as UTF-8 at all; U+FFFE,
    U+FFFF and the other noncharacters would make the XML representation ill-formed.
    """
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return f"a control character (U+{code:04X})"
        if 0xD800 <= code <= 0xDFFF:
            return f"a lone surrogate (U+{code:04X}), which is not text"
        if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            return f"a noncharacter (U+{code:04X})"
    return None


def has_control_characters(text: str) -> bool:
    return forbidden_character(text) is not None


def text(value: str, *, field: str) -> str:
    """`value` unchanged, or InvalidParameter naming `field` and the character at fault."""
    problem = forbidden_character(value)
    if problem is not None:
        raise InvalidParameter(f"{{field}} must not contain {problem}", field=field)
    return value


def friendly_name(value: str, *, field: str = "friendly_name") -> str:
    name = text(value, field=field).strip()
    if not name:
        raise InvalidParameter("{field} must not be empty", field=field)
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
            f"{{field}} {version[:40]!r} is not supported; use {', '.join(API_VERSIONS)}", field=field
        )
    return version


def url(value: str | None, *, field: str) -> str | None:
    """An absolute http(s) URL naming a host by DNS name or standard IP address; empty or
    None clears the setting."""
    if value is None or not value.strip():
        return None
    address = value.strip()
    problem = _url_problem(address)
    if problem is not None:
        shown = f" {address[:100]!r}" if forbidden_character(address) is None else ""
        raise InvalidUrl(f"{{field}}{shown} is not an absolute http or https URL: {problem}", field=field)
    return address


def _url_problem(address: str) -> str | None:
    if len(address) > MAX_URL:
        return f"longer than {MAX_URL} characters"
    character = forbidden_character(address)
    if character is not None:
        return f"it contains {character}"
    if any(ch.isspace() for ch in address):
        return "it contains a space; write it as %20"
    if any(ch in _DECEPTIVE for ch in address):
        return "it contains an invisible or text-direction character"
    try:
        parts = urlsplit(address)
        port = parts.port  # raises ValueError for a port that is not a number 0..65535
    except ValueError:  # e.g. "http://[::1" (unclosed IPv6 literal), "http://h:99999"
        return "its host or port is malformed"
    if parts.scheme.lower() not in ("http", "https"):
        return "the scheme must be http or https"
    if "@" in parts.netloc:
        return "it must not carry a user name or password"
    if port == 0:
        return "port 0 is not a port"
    return _host_problem(parts.hostname or "", bracketed=parts.netloc.startswith("["))


def _host_problem(host: str, *, bracketed: bool) -> str | None:
    if not host:
        return "it has no host"
    if bracketed:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"{host!r} is not an IPv6 address"
        if "%" in host:  # a zone names an interface of one machine, meaningless to whoever calls the URL
            return f"{host!r} is an IPv6 address with a zone"
        return None
    name = host[:-1] if host.endswith(".") else host
    last = name.rsplit(".", 1)[-1]
    if last.isdigit() or _HEX_LABEL.match(last):  # WHATWG reads such a host as an IPv4 address
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            return f"{host!r} is not a standard IPv4 address (four decimal numbers 0-255)"
        return None
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        return f"{host!r} is not a valid host name"
    if len(ascii_name) > 253 or not all(_LABEL.match(label) for label in ascii_name.split(".")):
        return f"{host!r} is not a valid host name (letters, digits and hyphens, in labels of up to 63)"
    return None


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
