"""GraphQL output types.

Resolvers hand back the storage rows themselves (`tables.IncomingPhoneNumber`,
`tables.Account`, `tables.Application`): fields named like a column resolve with the
default attribute look-up, which is the cheapest a field can be (FIELD-NOTES: keep
leaves sync). `is_type_of` tells Strawberry which row is which for the `Node` interface.

The route types (`VoiceRoute`, `MessagingRoute`) are generated from
`gateway.domain.route_families.FAMILIES`, the one definition of the voice, sms, ussd
and refer settings; a number's `voice` field is a thin view mapping the route's field
names onto that family's columns.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from gateway.domain.errors import ErrorCode as ServiceErrorCode
from gateway.domain.route_families import (
    CAPABILITIES,
    FAMILIES,
    RouteFamily,
    SettingKind,
)
from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.providers.base import NumberType
from gateway.services.access import can_act_on
from gateway.services.accounts import ROLES, STATUSES
from gateway.storage import tables
from gateway.web.links import number_uri  # where REST serves the number

# -- Scalars -----------------------------------------------------------------------


def _serialize_datetime(value: datetime) -> str:
    # Rows hold naive UTC (tables.utcnow): say so on the wire.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError("DateTime must be an ISO 8601 string")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


DateTime = strawberry.scalar(
    name="DateTime",
    description="A date and time in ISO 8601 format with its UTC offset, e.g. 2013-11-04T12:14:11+00:00.",
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339",
    serialize=_serialize_datetime,
    parse_value=_parse_datetime,
)
#: for StrawberryConfig(scalar_map=…): every `datetime` field is this DateTime
SCALAR_MAP: dict[object, Any] = {datetime: DateTime}

# -- Enums -------------------------------------------------------------------------


# str-valued members equal the stored strings ("tollfree"), so rows serialise as they are.
# (strawberry.enum_value would describe each value but breaks that equality.)
@strawberry.enum(description=text.PHONE_NUMBER_TYPE)
class PhoneNumberType(str, enum.Enum):
    LOCAL = NumberType.LOCAL.value
    TOLL_FREE = NumberType.TOLL_FREE.value
    MOBILE = NumberType.MOBILE.value

    def to_service(self) -> NumberType:
        return NumberType(self.value)


@strawberry.enum(description=text.HTTP_METHOD)
class HttpMethod(str, enum.Enum):
    GET = "GET"
    POST = "POST"


# Generated from the services' own lists so they cannot drift apart. The members are
# str-valued, so a row's "active" or "Developer" serialises without conversion.
AccountStatus = strawberry.enum(
    enum.Enum("AccountStatus", {s.upper(): s for s in STATUSES}, type=str),  # type: ignore[call-overload]
    description="The status of an account; only active accounts may sign in and change things.",
)
AccountRole = strawberry.enum(
    enum.Enum("AccountRole", {r.upper(): r for r in ROLES}, type=str),  # type: ignore[call-overload]
    description="The role of an account.",
)
ErrorCode = strawberry.enum(
    enum.Enum("ErrorCode", {c.name: c.value for c in ServiceErrorCode}),  # type: ignore[call-overload]
    description=(
        "The kind of an expected failure; mirrors the gateway's error codes (REST answers the "
        "same failure with the matching restcommCode)."
    ),
)


def error_code(code: ServiceErrorCode) -> Any:
    return ErrorCode[code.name]


# -- Node, Application, Account ----------------------------------------------------


@strawberry.interface(description="An object with an ID. IDs are SIDs: globally unique by their two-letter prefix (AC, PN).")
class Node:
    @strawberry.field(description="The object's SID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.sid)  # type: ignore[attr-defined]  # self is the row


@strawberry.type(description=text.APPLICATION)
class Application:
    sid: str = strawberry.field(description=text.APPLICATION_FIELDS["sid"])
    friendly_name: str = strawberry.field(description=text.APPLICATION_FIELDS["friendly_name"])


@strawberry.type(description=text.ACCOUNT)
class Account(Node):
    sid: str = strawberry.field(description=text.ACCOUNT_FIELDS["sid"])
    friendly_name: str = strawberry.field(description=text.ACCOUNT_FIELDS["friendly_name"])
    email: str = strawberry.field(description=text.ACCOUNT_FIELDS["email"])
    status: AccountStatus = strawberry.field(description=text.ACCOUNT_FIELDS["status"])  # type: ignore[valid-type]
    role: AccountRole = strawberry.field(description=text.ACCOUNT_FIELDS["role"])  # type: ignore[valid-type]

    @strawberry.field(description=text.ACCOUNT_FIELDS["parent"])
    async def parent(self, info: Info) -> Account | None:
        row: tables.Account = self  # type: ignore[assignment]
        if row.parent_sid is None:
            return None
        parent = await info.context.loaders.accounts.load(row.parent_sid)
        if parent is None or not can_act_on(info.context.viewer, parent):
            return None  # an account never sees above itself
        return parent  # type: ignore[return-value]

    date_created: datetime = strawberry.field(description=text.ACCOUNT_FIELDS["date_created"])
    date_updated: datetime = strawberry.field(description=text.ACCOUNT_FIELDS["date_updated"])

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, (tables.Account, cls))


# -- Capabilities ------------------------------------------------------------------

Capabilities = strawberry.type(
    type(
        "Capabilities",
        (),
        {
            "__module__": __name__,
            "__annotations__": {c: bool for c in CAPABILITIES},
            **{c: strawberry.field(description=text.CAPABILITY_FIELDS[c]) for c in CAPABILITIES},
        },
    ),
    description=text.CAPABILITIES,
)


def capabilities_of(row: Any) -> Any:
    """The capabilities of a number row or an available number (`*_capable` attributes)."""
    return Capabilities(**{c: bool(getattr(row, f"{c}_capable")) for c in CAPABILITIES})


# -- Routes, generated from route_families -----------------------------------------

#: family name -> (GraphQL type name, key of its wording in descriptions.ROUTE_FIELDS)
ROUTE_TYPE_NAMES = {"voice": ("VoiceRoute", "voice")}
_MESSAGING = ("MessagingRoute", "messaging")  # every other family (sms, ussd, refer)

_OUTPUT_TYPES: dict[SettingKind, Any] = {
    SettingKind.URL: str | None,
    SettingKind.METHOD: HttpMethod,
    SettingKind.BOOLEAN: bool,
    SettingKind.APPLICATION: strawberry.ID | None,
}


def _resolve_application(root: Any, info: Info) -> Application | None:
    sid = root.application_sid
    # The loader's future is awaited by graphql-core; a sync resolver avoids a coroutine.
    return info.context.loaders.applications.load(sid) if sid else None  # type: ignore[return-value]


_resolve_application.__annotations__ = {"root": Any, "info": Info, "return": Application | None}


def setting_names(families: Sequence[RouteFamily]) -> list[str]:
    """The union of the families' setting names, in definition order."""
    names: list[str] = []
    for family in families:
        names += [s.name for s in family.settings if s.name not in names]
    return names


def _route_type(name: str, wording: str, families: Sequence[RouteFamily], description: str) -> Any:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__}
    for setting_name in setting_names(families):
        settings = [f.setting(setting_name) for f in families]
        present = [s for s in settings if s is not None]
        kinds = {s.kind for s in present}
        assert len(kinds) == 1, f"{setting_name} has different kinds across {name}'s families"
        kind = kinds.pop()
        field_type = _OUTPUT_TYPES[kind]
        if len(present) < len(settings) and kind in (SettingKind.METHOD, SettingKind.BOOLEAN):
            field_type = field_type | None  # absent from a family (refer's fallback): null there
        annotations[setting_name] = field_type
        namespace[setting_name] = strawberry.field(description=text.ROUTE_FIELDS[(wording, setting_name)])
        if kind is SettingKind.APPLICATION:
            namespace["application"] = strawberry.field(
                resolver=_resolve_application, description=text.APPLICATION_FIELD
            )
    namespace["__annotations__"] = annotations
    return strawberry.type(type(name, (), namespace), description=description)


def _route_families() -> dict[tuple[str, str], list[RouteFamily]]:
    grouped: dict[tuple[str, str], list[RouteFamily]] = {}
    for family in FAMILIES:
        grouped.setdefault(ROUTE_TYPE_NAMES.get(family.name, _MESSAGING), []).append(family)
    return grouped


_DESCRIPTIONS = {"VoiceRoute": text.VOICE_ROUTE, "MessagingRoute": text.MESSAGING_ROUTE}
ROUTE_TYPES: dict[str, Any] = {
    name: _route_type(name, wording, families, _DESCRIPTIONS[name])
    for (name, wording), families in _route_families().items()
}
VoiceRoute = ROUTE_TYPES["VoiceRoute"]
MessagingRoute = ROUTE_TYPES["MessagingRoute"]


def _route_view(family: RouteFamily, field_names: Sequence[str]) -> type:
    """A class viewing one family's columns of a number under the route type's field names."""
    columns = {s.name: s.column for s in family.settings}

    def __init__(self: Any, number: tables.IncomingPhoneNumber) -> None:
        self.number = number

    namespace: dict[str, Any] = {"__slots__": ("number",), "__init__": __init__}
    for field_name in field_names:
        column = columns.get(field_name)
        namespace[field_name] = property(attrgetter(f"number.{column}") if column else (lambda self: None))
    return type(f"{family.name.capitalize()}RouteView", (), namespace)


def route_field(family_name: str) -> StrawberryField:
    """The `voice`/`sms`/`ussd`/`refer` field of IncomingPhoneNumber."""
    family = next(f for f in FAMILIES if f.name == family_name)
    type_name, _ = ROUTE_TYPE_NAMES.get(family_name, _MESSAGING)
    route_type = ROUTE_TYPES[type_name]
    view = _route_view(family, setting_names(_route_families()[(type_name, _)]))

    def resolve(root: Any) -> Any:
        return view(root)

    resolve.__name__ = family_name
    resolve.__annotations__ = {"root": Any, "return": route_type}
    return strawberry.field(resolver=resolve, description=text.NUMBER_FIELDS[family_name])


# -- IncomingPhoneNumber -----------------------------------------------------------


@strawberry.type(description=text.NUMBER)
class IncomingPhoneNumber(Node):
    sid: str = strawberry.field(description=text.NUMBER_FIELDS["sid"])

    @strawberry.field(description=text.NUMBER_FIELDS["account"])
    def account(self, info: Info) -> Account:
        # A future the loader resolves for the whole page in one query.
        return info.context.loaders.accounts.load(self.account_sid)  # type: ignore[attr-defined,return-value]

    phone_number: str = strawberry.field(description=text.NUMBER_FIELDS["phone_number"])
    friendly_name: str = strawberry.field(description=text.NUMBER_FIELDS["friendly_name"])
    number_type: PhoneNumberType = strawberry.field(name="type", description=text.NUMBER_FIELDS["type"])
    is_sip: bool = strawberry.field(description=text.NUMBER_FIELDS["is_sip"])
    beta: bool = strawberry.field(description=text.NUMBER_FIELDS["beta"])
    api_version: str = strawberry.field(description=text.NUMBER_FIELDS["api_version"])

    @strawberry.field(description=text.NUMBER_FIELDS["capabilities"])
    def capabilities(self) -> Capabilities:  # type: ignore[valid-type]
        return capabilities_of(self)

    voice = route_field("voice")
    sms = route_field("sms")
    ussd = route_field("ussd")
    refer = route_field("refer")

    date_created: datetime = strawberry.field(description=text.NUMBER_FIELDS["date_created"])
    date_updated: datetime = strawberry.field(description=text.NUMBER_FIELDS["date_updated"])

    @strawberry.field(description=text.NUMBER_FIELDS["uri"])
    def uri(self) -> str:
        return number_uri(self.account_sid, self.sid)  # type: ignore[attr-defined]  # self is the row

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, (tables.IncomingPhoneNumber, cls))


# -- Available numbers (search before purchase) ------------------------------------


@strawberry.type(description="A number the carrier offers, to buy with purchaseNumber.")
class AvailablePhoneNumber:
    phone_number: str = strawberry.field(description="The number, in E.164 format.")
    friendly_name: str = strawberry.field(description="A nicely formatted version of the number.")
    iso_country: str = strawberry.field(description="The ISO 3166 country of the number.")
    number_type: PhoneNumberType = strawberry.field(name="type", description="The kind of the number.")
    region: str | None = strawberry.field(description="The state or province, if the carrier says.")
    postal_code: str | None = strawberry.field(description="The postal code, if the carrier says.")
    rate_center: str | None = strawberry.field(description="The rate center, if the carrier says.")
    lata: str | None = strawberry.field(description="The LATA, if the carrier says.")
    latitude: float | None = strawberry.field(description="The latitude, if the carrier says.")
    longitude: float | None = strawberry.field(description="The longitude, if the carrier says.")
    cost: str | None = strawberry.field(description="The monthly cost, if the carrier says.")

    @strawberry.field(description="What the number can receive.")
    def capabilities(self) -> Capabilities:  # type: ignore[valid-type]
        return capabilities_of(self)


# -- Errors ------------------------------------------------------------------------


@strawberry.type(description=text.USER_ERROR)
class UserError:
    field: list[str] | None = strawberry.field(description=text.USER_ERROR_FIELDS["field"])
    message: str = strawberry.field(description=text.USER_ERROR_FIELDS["message"])
    code: ErrorCode = strawberry.field(description=text.USER_ERROR_FIELDS["code"])  # type: ignore[valid-type]
    restcomm_code: int | None = strawberry.field(description=text.USER_ERROR_FIELDS["restcomm_code"])
