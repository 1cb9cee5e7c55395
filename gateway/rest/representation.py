"""IncomingPhoneNumber and Account as Restcomm writes them, in JSON and XML.

Both formats walk one ordered list of (JSON key, XML element, value) built from the
route families, so the key order is defined once.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

import orjson

from gateway.rest.dates import rfc2822
from gateway.services.route_families import CAPABILITIES, FAMILIES, RouteSetting, SettingKind, camel
from gateway.storage.tables import Account, Application, IncomingPhoneNumber

API_VERSION = "2012-04-24"
Entry = tuple[str, str, Any]  # (json key, XML element, value)


def number_uri(number: IncomingPhoneNumber, *, json: bool = True) -> str:
    suffix = ".json" if json else ""
    return f"/{API_VERSION}/Accounts/{number.account_sid}/IncomingPhoneNumbers/{number.sid}{suffix}"


def _setting_entries(
    number: IncomingPhoneNumber, setting: RouteSetting, applications: Mapping[str, Application]
) -> Iterable[Entry]:
    value = getattr(number, setting.column)
    yield setting.column, setting.rest_name, value
    if setting.kind is SettingKind.APPLICATION and value:
        application = applications.get(value)
        name_key = setting.column.replace("_sid", "_name")
        yield name_key, camel(name_key), application.friendly_name if application else None


def number_entries(number: IncomingPhoneNumber, applications: Mapping[str, Application]) -> list[Entry]:
    entries: list[Entry] = [
        ("sid", "Sid", number.sid),
        ("account_sid", "AccountSid", number.account_sid),
        ("friendly_name", "FriendlyName", number.friendly_name),
        ("phone_number", "PhoneNumber", number.phone_number),
    ]
    voice, *messaging = FAMILIES
    for setting in voice.settings:
        entries.extend(_setting_entries(number, setting, applications))
    entries.append(("date_created", "DateCreated", rfc2822(number.date_created)))
    entries.append(("date_updated", "DateUpdated", rfc2822(number.date_updated)))
    for family in messaging:
        for setting in family.settings:
            entries.extend(_setting_entries(number, setting, applications))
    entries.append(("capabilities", "Capabilities", {c: getattr(number, f"{c}_capable") for c in CAPABILITIES}))
    entries.append(("api_version", "ApiVersion", number.api_version))
    entries.append(("uri", "Uri", None))
    return entries


def number_json(number: IncomingPhoneNumber, applications: Mapping[str, Application]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, _, value in number_entries(number, applications):
        if key == "capabilities":
            value = {f"{c}_capable": v for c, v in value.items()}
        elif key == "uri":
            value = number_uri(number)
        document[key] = value
    return document


def number_xml(number: IncomingPhoneNumber, applications: Mapping[str, Application]) -> str:
    parts = ["<IncomingPhoneNumber>"]
    for _, element, value in number_entries(number, applications):
        if element == "Capabilities":
            inner = "".join(f"<{camel(c)}>{xml_value(v)}</{camel(c)}>" for c, v in value.items())
            parts.append(f"<Capabilities>{inner}</Capabilities>")
        elif element == "Uri":
            parts.append(f"<Uri>{escape(number_uri(number, json=False))}</Uri>")
        elif value is not None:  # Restcomm omits unset URLs and applications
            parts.append(f"<{element}>{xml_value(value)}</{element}>")
    parts.append("</IncomingPhoneNumber>")
    return "".join(parts)


def xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def xml_document(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<RestcommResponse>{body}</RestcommResponse>'


def xml_attributes(attributes: Mapping[str, Any]) -> str:
    return "".join(f" {name}={quoteattr(str(value))}" for name, value in attributes.items())


def dumps(document: Any) -> bytes:
    return orjson.dumps(document)


# ---- accounts -------------------------------------------------------------------


def account_uri(account: Account, *, json: bool = True) -> str:
    return f"/{API_VERSION}/Accounts/{account.sid}{'.json' if json else ''}"


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
    document["uri"] = account_uri(account)
    document["subresource_uris"] = {
        "incoming_phone_numbers": f"/{API_VERSION}/Accounts/{account.sid}/IncomingPhoneNumbers.json"
    }
    return document


def account_xml(account: Account, auth_token: str | None = None) -> str:
    parts = ["<Account>"]
    for _, element, value in account_entries(account, auth_token):
        if element == "Uri":
            value = account_uri(account, json=False)
        if value is not None:
            parts.append(f"<{element}>{xml_value(value)}</{element}>")
    parts.append("</Account>")
    return "".join(parts)
