"""IncomingPhoneNumber and Account as Restcomm writes them, in JSON and XML.

Both formats walk one ordered layout of (JSON key, XML element, kind) built once from
the route families, so the key order is defined in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping
from xml.sax.saxutils import escape, quoteattr

import orjson

from gateway.domain.route_families import CAPABILITIES, FAMILIES, RouteFamily, SettingKind, camel
from gateway.rest.dates import rfc2822
from gateway.storage.tables import Account, Application, IncomingPhoneNumber
from gateway.web.links import account_uri, number_uri, numbers_uri

Entry = tuple[str, str, Any]  # (json key, XML element, value)


class Kind(Enum):
    VALUE = "value"
    APPLICATION = "application"  # a sid, followed by the application's name when set
    DATE = "date"
    CAPABILITIES = "capabilities"
    URI = "uri"


@dataclass(frozen=True)
class Field:
    key: str  # JSON key
    element: str  # XML element
    kind: Kind = Kind.VALUE

    @property
    def name_key(self) -> str:
        return self.key.replace("_sid", "_name")


def _family_fields(family: RouteFamily) -> list[Field]:
    return [
        Field(s.column, s.rest_name, Kind.APPLICATION if s.kind is SettingKind.APPLICATION else Kind.VALUE)
        for s in family.settings
    ]


def _layout() -> tuple[Field, ...]:
    voice, *messaging = FAMILIES
    return (
        *(Field(key, camel(key)) for key in ("sid", "account_sid", "friendly_name", "phone_number")),
        *_family_fields(voice),
        Field("date_created", "DateCreated", Kind.DATE),
        Field("date_updated", "DateUpdated", Kind.DATE),
        *(f for family in messaging for f in _family_fields(family)),
        Field("capabilities", "Capabilities", Kind.CAPABILITIES),
        Field("api_version", "ApiVersion"),
        Field("uri", "Uri", Kind.URI),
    )


#: Restcomm's order of an IncomingPhoneNumber's fields, computed once (a hot path)
NUMBER_LAYOUT = _layout()
_CAPABILITY_ELEMENTS = tuple((f"{c}_capable", camel(c)) for c in CAPABILITIES)


def _number_json_code() -> Callable[[IncomingPhoneNumber, Mapping[str, Application]], dict[str, Any]]:
    """number_json written out once from NUMBER_LAYOUT: one attribute read per key (a list
    page renders 50 of these; walking the layout per number cost about 2 ms a page)."""
    lines = ["def number_json(n, applications):", "    d = {}"]
    for field in NUMBER_LAYOUT:
        key = repr(field.key)
        if field.kind is Kind.VALUE:
            lines.append(f"    d[{key}] = n.{field.key}")
        elif field.kind is Kind.APPLICATION:
            lines += [f"    sid = d[{key}] = n.{field.key}", "    if sid:",
                      "        application = applications.get(sid)",
                      f"        d[{field.name_key!r}] = application.friendly_name if application else None"]
        elif field.kind is Kind.DATE:
            lines.append(f"    d[{key}] = rfc2822(n.{field.key})")
        elif field.kind is Kind.CAPABILITIES:
            inner = ", ".join(f"{column!r}: n.{column}" for column, _ in _CAPABILITY_ELEMENTS)
            lines.append(f"    d[{key}] = {{{inner}}}")
        else:
            lines.append(f"    d[{key}] = number_uri(n.account_sid, n.sid)")
    lines.append("    return d")
    namespace: dict[str, Any] = {"rfc2822": rfc2822, "number_uri": number_uri}
    exec(compile("\n".join(lines), "<number_json>", "exec"), namespace)  # noqa: S102
    written: Callable[[IncomingPhoneNumber, Mapping[str, Application]], dict[str, Any]] = namespace["number_json"]
    return written


#: a number as Restcomm's JSON, from its row or record (it reads the columns as attributes)
number_json = _number_json_code()


def number_xml(number: IncomingPhoneNumber, applications: Mapping[str, Application]) -> str:
    parts = ["<IncomingPhoneNumber>"]
    for field in NUMBER_LAYOUT:
        kind, element = field.kind, field.element
        if kind is Kind.CAPABILITIES:
            inner = "".join(f"<{e}>{xml_value(getattr(number, column))}</{e}>" for column, e in _CAPABILITY_ELEMENTS)
            parts.append(f"<Capabilities>{inner}</Capabilities>")
        elif kind is Kind.URI:
            parts.append(f"<Uri>{xml_text(number_uri(number.account_sid, number.sid, json=False))}</Uri>")
        elif kind is Kind.DATE:
            parts.append(f"<{element}>{rfc2822(getattr(number, field.key))}</{element}>")
        else:
            value = getattr(number, field.key)
            if value is None:  # Restcomm omits unset URLs and applications
                continue
            parts.append(f"<{element}>{xml_value(value)}</{element}>")
            if kind is Kind.APPLICATION:
                application = applications.get(value)
                if application is not None:
                    name = camel(field.name_key)
                    parts.append(f"<{name}>{xml_value(application.friendly_name)}</{name}>")
    parts.append("</IncomingPhoneNumber>")
    return "".join(parts)


#: characters XML 1.0 cannot carry at all, not even as references (its Char production)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text as XML character data: escaped, and any character XML cannot carry (input
    validation refuses them, but rows may predate it) replaced by U+FFFD, so the document
    is always well-formed."""
    return escape(_NOT_XML.sub("\ufffd", text))


def xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_text(str(value))


def xml_document(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<RestcommResponse>{body}</RestcommResponse>'


def xml_attributes(attributes: Mapping[str, Any]) -> str:
    return "".join(f" {name}={quoteattr(_NOT_XML.sub(chr(0xFFFD), str(value)))}" for name, value in attributes.items())


def dumps(document: Any) -> bytes:
    return orjson.dumps(document)


# ---- accounts -------------------------------------------------------------------


def account_entries(account: Account, auth_token: str | None = None) -> list[Entry]:
    entries: list[Entry] = [
        ("sid", "Sid", account.sid),
        ("friendly_name", "FriendlyName", account.friendly_name),
        ("email_address", "EmailAddress", account.email),
        ("status", "Status", account.status),
        ("type", "Type", "Full"),
        ("role", "Role", account.role),
        ("parent_sid", "ParentSid", account.parent_sid),
        ("date_created", "DateCreated", rfc2822(account.date_created)),
        ("date_updated", "DateUpdated", rfc2822(account.date_updated)),
    ]
    if auth_token is not None:  # shown once, at creation: only its hash is stored
        entries.append(("auth_token", "AuthToken", auth_token))
    entries.append(("uri", "Uri", None))
    return entries


def account_json(account: Account, auth_token: str | None = None) -> dict[str, Any]:
    document = {key: value for key, _, value in account_entries(account, auth_token)}
    document["uri"] = account_uri(account.sid)
    document["subresource_uris"] = {"incoming_phone_numbers": numbers_uri(account.sid)}
    return document


def account_xml(account: Account, auth_token: str | None = None) -> str:
    parts = ["<Account>"]
    for _, element, value in account_entries(account, auth_token):
        if element == "Uri":
            value = account_uri(account.sid, json=False)
        if value is not None:
            parts.append(f"<{element}>{xml_value(value)}</{element}>")
    parts.append("</Account>")
    return "".join(parts)
