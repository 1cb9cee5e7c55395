"""GraphQL output types.

Resolvers hand back the storage rows themselves (`tables.IncomingPhoneNumber`,
`tables.Account`, `tables.Application`): fields named like a column resolve with the
default attribute look-up, the cheapest a field can be. `node()` and `row()` state that
in one typed place each (a row *is* served as its GraphQL type), and `is_type_of` tells
Strawberry which row is which for the `Node` interface. Row columns a resolver reads are
declared `strawberry.Private`, so they are typed and stay out of the schema.

A number's routes (`voice`, `sms`, `ussd`, `refer`) and capabilities are written out in
`graphql.call_routes`; `tests/test_route_families.py` keeps them equal to
`domain.route_families`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol, cast

import strawberry

from gateway.domain.accounts import AccountRole, AccountStatus
from gateway.domain.numbers import NumberFilters, NumberType
from gateway.graphql import arguments as args
from gateway.graphql import descriptions as text
from gateway.graphql import nested
from gateway.graphql.call_routes import (
    Capabilities,
    MessagingRoute,
    VoiceRoute,
    capabilities_of,
    refer_route,
    sms_route,
    ussd_route,
    voice_route,
)
from gateway.graphql.connection import AccountConnection, ApplicationConnection, IncomingPhoneNumberConnection
from gateway.graphql.context import Info

# UserError lives with the errors it shows; the mutations find it here with their other types.
from gateway.graphql.errors import UserError as UserError
from gateway.graphql.loaders import later
from gateway.graphql.selection import unset_to_none
from gateway.providers.base import AvailableNumber
from gateway.services.access import can_act_on
from gateway.services.api_keys import may_manage
from gateway.storage import tables
from gateway.storage.records import is_number
from gateway.web.links import number_uri

# -- Scalars -----------------------------------------------------------------------


def _serialize_datetime(value: datetime) -> str:
    # Rows hold naive UTC (tables.utcnow): say so on the wire (what value.replace(tzinfo=UTC)
    # would print, without building the aware copy: two of these a number).
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
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
# The domain's own enums, served as they are: their str values are what rows store
# ("tollfree", "active"), so rows serialise without conversion, and nothing is listed twice.

# (strawberry.enum registers the GraphQL definition on the class itself and returns it.)
strawberry.enum(NumberType, name="PhoneNumberType", description=text.PHONE_NUMBER_TYPE)
strawberry.enum(AccountStatus, description="The status of an account; only active accounts may sign in and change things.")
strawberry.enum(AccountRole, description="The role of an account.")
PhoneNumberType = NumberType

# -- Node, Application, Account ----------------------------------------------------


@strawberry.interface(
    description="An object with an ID. IDs are SIDs: globally unique by their two-letter prefix (AC, PN, AP)."
)
class Node:
    @strawberry.field(description="The object's SID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(cast(_Identified, self).sid)


class _Identified(Protocol):
    """What every Node is at run time: a row with a sid."""

    sid: str


@strawberry.type(description=text.APPLICATION)
class Application(Node):
    sid: str = strawberry.field(description=text.APPLICATION_FIELDS["sid"])
    friendly_name: str = strawberry.field(description=text.APPLICATION_FIELDS["friendly_name"])
    date_created: datetime = strawberry.field(description=text.APPLICATION_FIELDS["date_created"])
    date_updated: datetime = strawberry.field(description=text.APPLICATION_FIELDS["date_updated"])
    account_sid: strawberry.Private[str]

    @strawberry.field(description=text.APPLICATION_FIELDS["account"])
    async def account(self, info: Info) -> Account | None:
        return await _visible_account(info, self.account_sid)

    @strawberry.field(description=text.APPLICATION_FIELDS["incoming_phone_numbers"])
    async def incoming_phone_numbers(
        self,
        info: Info,
        first: args.First = strawberry.UNSET,
        after: args.After = strawberry.UNSET,
        last: args.Last = strawberry.UNSET,
        before: args.Before = strawberry.UNSET,
    ) -> IncomingPhoneNumberConnection:
        return await nested.application_numbers(
            info, cast(tables.Application, self), *map(unset_to_none, (first, after, last, before))
        )

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, (tables.Application, cls))


def application_node(row: tables.Application) -> Application:
    """An application row, served as the GraphQL Application (its fields are the row's columns)."""
    return cast(Application, row)


async def _visible_account(info: Info, sid: str) -> Account | None:
    """The account if the viewer may see it: an account never sees above itself."""
    account = await info.context.loaders.accounts.load(sid)
    if account is None or not can_act_on(info.context.viewer, account):
        return None
    return account_node(account)


@strawberry.type(description=text.ACCOUNT)
class Account(Node):
    sid: str = strawberry.field(description=text.ACCOUNT_FIELDS["sid"])
    friendly_name: str = strawberry.field(description=text.ACCOUNT_FIELDS["friendly_name"])
    email: str = strawberry.field(description=text.ACCOUNT_FIELDS["email"])
    status: AccountStatus = strawberry.field(description=text.ACCOUNT_FIELDS["status"])
    role: AccountRole = strawberry.field(description=text.ACCOUNT_FIELDS["role"])
    date_created: datetime = strawberry.field(description=text.ACCOUNT_FIELDS["date_created"])
    date_updated: datetime = strawberry.field(description=text.ACCOUNT_FIELDS["date_updated"])
    parent_sid: strawberry.Private[str | None]

    @strawberry.field(description=text.ACCOUNT_FIELDS["parent"])
    async def parent(self, info: Info) -> Account | None:
        return await _visible_account(info, self.parent_sid) if self.parent_sid is not None else None

    @strawberry.field(description=text.ACCOUNT_FIELDS["incoming_phone_numbers"])
    async def incoming_phone_numbers(
        self,
        info: Info,
        number_type: args.NumberTypeFilter = strawberry.UNSET,
        phone_number: args.PhoneNumberFilter = strawberry.UNSET,
        friendly_name: args.FriendlyNameFilter = strawberry.UNSET,
        beta: args.BetaFilter = True,
        first: args.First = strawberry.UNSET,
        after: args.After = strawberry.UNSET,
        last: args.Last = strawberry.UNSET,
        before: args.Before = strawberry.UNSET,
    ) -> IncomingPhoneNumberConnection:
        filters = NumberFilters.asked(
            number_type=unset_to_none(number_type), phone_number=unset_to_none(phone_number),
            friendly_name=unset_to_none(friendly_name), beta=beta,
        )
        return await nested.account_numbers(
            info, account_row(self), filters, *map(unset_to_none, (first, after, last, before))
        )

    @strawberry.field(description=text.ACCOUNT_FIELDS["subaccounts"])
    async def subaccounts(
        self,
        info: Info,
        first: args.First = strawberry.UNSET,
        after: args.After = strawberry.UNSET,
        last: args.Last = strawberry.UNSET,
        before: args.Before = strawberry.UNSET,
    ) -> AccountConnection:
        return await nested.subaccounts(info, account_row(self), *map(unset_to_none, (first, after, last, before)))

    @strawberry.field(description=text.ACCOUNT_FIELDS["applications"])
    async def applications(
        self,
        info: Info,
        first: args.First = strawberry.UNSET,
        after: args.After = strawberry.UNSET,
        last: args.Last = strawberry.UNSET,
        before: args.Before = strawberry.UNSET,
    ) -> ApplicationConnection:
        return await nested.account_applications(
            info, account_row(self), *map(unset_to_none, (first, after, last, before))
        )

    @strawberry.field(description=text.ACCOUNT_API_KEYS)
    async def api_keys(self, info: Info) -> list[ApiKey] | None:
        account = account_row(self)
        if not may_manage(info.context.viewer, account, with_api_key=info.context.signed_in_with_key):
            return None
        return [api_key_node(key) for key in await info.context.loaders.api_keys.load(account.sid)]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, (tables.Account, cls))


@strawberry.type(description=text.API_KEY)
class ApiKey:
    sid: strawberry.ID = strawberry.field(description=text.API_KEY_FIELDS["sid"])
    friendly_name: str = strawberry.field(description=text.API_KEY_FIELDS["friendly_name"])
    date_created: datetime = strawberry.field(description=text.API_KEY_FIELDS["date_created"])


def api_key_node(row: tables.ApiKey) -> ApiKey:
    """An API key row, served as the GraphQL ApiKey (its fields are the row's columns)."""
    return cast(ApiKey, row)


def account_node(row: tables.Account) -> Account:
    """An account row, served as the GraphQL Account (its fields are the row's columns)."""
    return cast(Account, row)


def account_row(node: Account) -> tables.Account:
    """What `account_node` made a node of: the row, with every column."""
    return cast(tables.Account, node)


# -- IncomingPhoneNumber -----------------------------------------------------------


@strawberry.type(description=text.NUMBER)
class IncomingPhoneNumber(Node):
    sid: str = strawberry.field(description=text.NUMBER_FIELDS["sid"])
    phone_number: str = strawberry.field(description=text.NUMBER_FIELDS["phone_number"])
    friendly_name: str = strawberry.field(description=text.NUMBER_FIELDS["friendly_name"])
    number_type: PhoneNumberType = strawberry.field(name="type", description=text.NUMBER_FIELDS["type"])
    is_sip: bool = strawberry.field(description=text.NUMBER_FIELDS["is_sip"])
    beta: bool = strawberry.field(description=text.NUMBER_FIELDS["beta"])
    api_version: str = strawberry.field(description=text.NUMBER_FIELDS["api_version"])
    date_created: datetime = strawberry.field(description=text.NUMBER_FIELDS["date_created"])
    date_updated: datetime = strawberry.field(description=text.NUMBER_FIELDS["date_updated"])
    account_sid: strawberry.Private[str]

    @strawberry.field(description=text.NUMBER_FIELDS["account"])
    def account(self, info: Info) -> Account:
        return later(info.context.loaders.accounts.load(self.account_sid))

    @strawberry.field(description=text.NUMBER_FIELDS["capabilities"])
    def capabilities(self) -> Capabilities:
        return capabilities_of(number_row(self))

    @strawberry.field(description=text.NUMBER_FIELDS["voice"])
    def voice(self) -> VoiceRoute:
        return voice_route(number_row(self))

    @strawberry.field(description=text.NUMBER_FIELDS["sms"])
    def sms(self) -> MessagingRoute:
        return sms_route(number_row(self))

    @strawberry.field(description=text.NUMBER_FIELDS["ussd"])
    def ussd(self) -> MessagingRoute:
        return ussd_route(number_row(self))

    @strawberry.field(description=text.NUMBER_FIELDS["refer"])
    def refer(self) -> MessagingRoute:
        return refer_route(number_row(self))

    @strawberry.field(description=text.NUMBER_FIELDS["uri"])
    def uri(self) -> str:
        return number_uri(self.account_sid, self.sid)

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return is_number(obj) or isinstance(obj, cls)  # a row, or a list's record of one


def number_node(row: tables.IncomingPhoneNumber) -> IncomingPhoneNumber:
    """A number row, served as the GraphQL IncomingPhoneNumber (its fields are the row's columns)."""
    return cast(IncomingPhoneNumber, row)


def number_row(node: IncomingPhoneNumber) -> tables.IncomingPhoneNumber:
    """What `number_node` made a node of: the row, with every column."""
    return cast(tables.IncomingPhoneNumber, node)


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
    voice_capable: strawberry.Private[bool]
    sms_capable: strawberry.Private[bool]
    mms_capable: strawberry.Private[bool]
    fax_capable: strawberry.Private[bool]

    @strawberry.field(description="What the number can receive.")
    def capabilities(self) -> Capabilities:
        return capabilities_of(self)


def available_node(number: AvailableNumber) -> AvailablePhoneNumber:
    """A number the carrier offers, served as the GraphQL AvailablePhoneNumber."""
    return cast(AvailablePhoneNumber, number)

