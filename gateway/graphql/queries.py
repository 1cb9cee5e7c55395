"""The Query type. Every field resolves through the service layer.

Visibility is REST's: an account sees itself and its descendants.
A single object the viewer may not see (another organization's number, its own
parent account) is `null`, never an error, so nobody learns which sids exist; a list
asked for an account the viewer may not act on is a FORBIDDEN error.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.domain.errors import Forbidden, NotFound, ServiceError
from gateway.domain.ids import ACCOUNT, APPLICATION, PHONE_NUMBER, is_sid
from gateway.domain.numbers import NumberFilters
from gateway.graphql import arguments as args
from gateway.graphql import descriptions as text
from gateway.graphql.connection import (
    IncomingPhoneNumberConnection,
    connection,
    page_request,
)
from gateway.graphql.context import Info
from gateway.graphql.errors import raise_query_error
from gateway.graphql.selection import selects, unset_to_none
from gateway.graphql.types import (
    Account,
    Application,
    AvailablePhoneNumber,
    IncomingPhoneNumber,
    Node,
    PhoneNumberType,
    account_node,
    application_node,
    available_node,
    number_node,
)
from gateway.services import accounts, applications, available, listing, numbers


async def visible_account(info: Info, sid: str) -> Account | None:
    try:
        return account_node(await accounts.get_account(db=info.context.db, caller=info.context.viewer, account_sid=sid))
    except (Forbidden, NotFound):
        return None
    except ServiceError as error:
        raise_query_error(info, error)


async def require_visible_account(info: Info, sid: str) -> None:
    """NotFound (naming `sid`) unless the viewer may see the account: as for numbers,
    GraphQL does not tell an account outside the viewer's reach from one that does not exist."""
    if await visible_account(info, sid) is None:
        raise NotFound(f"no account {sid[:40]}", field="sid")


async def visible_application(info: Info, sid: str) -> Application | None:
    try:
        found = await applications.get_application(db=info.context.db, caller=info.context.viewer, application_sid=sid)
    except NotFound:
        return None
    except ServiceError as error:
        raise_query_error(info, error)
    return application_node(found)


async def visible_number(info: Info, sid: str) -> IncomingPhoneNumber | None:
    try:
        return number_node(await numbers.get_number(db=info.context.db, caller=info.context.viewer, number_sid=sid))
    except NotFound:
        return None
    except ServiceError as error:
        raise_query_error(info, error)


@strawberry.type(description="What an account can read: itself, its subaccounts, their numbers, the carrier's offer.")
class Query:
    @strawberry.field(description="The object with this ID (a SID), or null if there is none the viewer may see.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        if is_sid(id, ACCOUNT):
            return await visible_account(info, id)
        if is_sid(id, PHONE_NUMBER):
            return await visible_number(info, id)
        if is_sid(id, APPLICATION):
            return await visible_application(info, id)
        return None

    @strawberry.field(description="The account the request is authenticated as.")
    def viewer(self, info: Info) -> Account:
        return account_node(info.context.viewer)

    @strawberry.field(description="The viewer or one of its subaccounts; null for any other account.")
    async def account(self, info: Info, sid: strawberry.ID) -> Account | None:
        return await visible_account(info, sid)

    @strawberry.field(description="One phone number of the viewer or its subaccounts; null for any other.")
    async def incoming_phone_number(self, info: Info, sid: strawberry.ID) -> IncomingPhoneNumber | None:
        return await visible_number(info, sid)

    @strawberry.field(
        description=(
            "The phone numbers of an account, ordered by phone number, a page at a time "
            "(forward with first/after, backward with last/before)."
        )
    )
    async def incoming_phone_numbers(
        self,
        info: Info,
        account_sid: Annotated[strawberry.ID | None, strawberry.argument(description=text.LIST_FILTERS["account_sid"])] = strawberry.UNSET,
        number_type: args.NumberTypeFilter = strawberry.UNSET,
        phone_number: args.PhoneNumberFilter = strawberry.UNSET,
        friendly_name: args.FriendlyNameFilter = strawberry.UNSET,
        beta: args.BetaFilter = True,
        first: args.First = strawberry.UNSET,
        after: args.After = strawberry.UNSET,
        last: args.Last = strawberry.UNSET,
        before: args.Before = strawberry.UNSET,
    ) -> IncomingPhoneNumberConnection:
        account_sid, number_type, phone_number, friendly_name, first, after, last, before = map(
            unset_to_none, (account_sid, number_type, phone_number, friendly_name, first, after, last, before)
        )
        window = page_request(first, after, last, before)
        filters = NumberFilters.asked(
            number_type=number_type, phone_number=phone_number, friendly_name=friendly_name, beta=beta
        )
        viewer = info.context.viewer
        try:
            found = await listing.list_numbers_window(
                db=info.context.db,
                caller=viewer,
                account_sid=account_sid or viewer.sid,
                filters=filters,
                with_total=selects(info, "totalCount"),  # no COUNT unless asked for
                **window,
            )
        except ServiceError as error:
            raise_query_error(info, error)
        return connection(found)

    @strawberry.field(description="Search the carrier for numbers to buy (AvailablePhoneNumbers).")
    async def available_phone_numbers(
        self,
        info: Info,
        country: Annotated[str, strawberry.argument(description="ISO 3166 two-letter country code.")] = "US",
        number_type: Annotated[
            PhoneNumberType, strawberry.argument(name="type", description="Local, toll-free or mobile numbers.")
        ] = PhoneNumberType.LOCAL,
        area_code: Annotated[str | None, strawberry.argument(description="Three-digit area code (US and Canada).")] = strawberry.UNSET,
        contains: Annotated[
            str | None,
            strawberry.argument(description="Digits the number contains; '*' is any one digit, letters map to the keypad."),
        ] = strawberry.UNSET,
        first: Annotated[int, strawberry.argument(
            description="How many numbers to return (1 to 100); they count towards the request's 10,000 nodes."
        )] = 20,
    ) -> list[AvailablePhoneNumber]:
        viewer = info.context.viewer
        try:
            found = await available.search_available_numbers(
                db=info.context.db,
                provider=info.context.provider,
                caller=viewer,
                account_sid=viewer.sid,
                country=country,
                number_type=number_type,
                search=available.AvailableSearch(
                    area_code=unset_to_none(area_code), contains=unset_to_none(contains), limit=first
                ),
            )
        except ServiceError as error:
            raise_query_error(info, error)
        return [available_node(number) for number in found]

    @strawberry.field(description="The countries the carrier has numbers in (ISO 3166 codes).")
    async def available_countries(self, info: Info) -> list[str]:
        viewer = info.context.viewer
        try:
            return await available.available_countries(
                db=info.context.db, provider=info.context.provider, caller=viewer, account_sid=viewer.sid
            )
        except ServiceError as error:
            raise_query_error(info, error)
