"""The Subscription type: number events, over graphql-transport-ws at /graphql.

`numberEvents(accountSid, types)` streams what happens to the numbers of an account
the viewer may act on (its own by default) and of that account's descendants, from
the moment the subscription starts (`services.events`). Nothing is replayed: after a
reconnection a client re-queries what it shows, then subscribes again. A subscriber
that falls behind by `services.events.QUEUE_SIZE` events, or whose process lost its
event feed, is disconnected with close code 4429 or 4503 and a reason saying so.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from starlette.websockets import WebSocket

from gateway.domain.errors import ErrorCode, Forbidden, NotFound
from gateway.domain.numbers import NumberEventType
from gateway.graphql import websocket
from gateway.graphql.context import Info
from gateway.graphql.errors import client_error
from gateway.graphql.loaders import create_loaders
from gateway.graphql.types import IncomingPhoneNumber, number_node
from gateway.services import accounts
from gateway.services.events import EventHub, FeedLost, FellBehind

# (strawberry.enum registers the GraphQL definition on the domain enum itself, as types.py does.)
strawberry.enum(NumberEventType, description="What happened to a number.")

#: websocket close codes (4000-4999 are the application's)
FELL_BEHIND, FEED_LOST = 4429, 4503


@strawberry.type(description="A change of a number, after its transaction committed.")
class NumberEvent:
    type: NumberEventType = strawberry.field(description="What happened.")
    occurred_at: datetime = strawberry.field(description="When the change committed (to the second).")
    account_sid: strawberry.ID = strawberry.field(description="The account the number belongs to now.")
    previous_account_sid: strawberry.ID | None = strawberry.field(
        description="TRANSFERRED: the account it came from; null otherwise."
    )
    number: IncomingPhoneNumber = strawberry.field(
        description="The number after the change; for RELEASED, as it was (it no longer exists)."
    )


@strawberry.type(description="Live changes, over graphql-transport-ws at /graphql.")
class Subscription:
    @strawberry.subscription(description=(
        "Number events of an account (default: the viewer's) and of its descendants, from now on:"
        " PURCHASED (also when a pending purchase settles), UPDATED, TRANSFERRED (to or from the"
        " subtree), RELEASED (also by closing an account). Nothing is replayed: after reconnecting,"
        " re-query, then subscribe again."
    ))
    async def number_events(
        self, info: Info, account_sid: strawberry.ID | None = None, types: list[NumberEventType] | None = None,
    ) -> AsyncGenerator[NumberEvent, None]:
        ctx = info.context
        account = ctx.viewer
        if account_sid is not None:
            try:
                account = await accounts.get_account(db=ctx.db, caller=ctx.viewer, account_sid=account_sid)
            except (Forbidden, NotFound):  # as everywhere in GraphQL: out of reach reads as unknown
                raise client_error(f"no account {account_sid[:40]}", ErrorCode.NOT_FOUND) from None
        path = account.path
        wanted = set(types) if types else set(NumberEventType)
        hub: EventHub = ctx.request.app.state.events
        async with hub.subscribe() as changes:
            try:
                async for change in changes:
                    if change.type not in wanted or not change.concerns(path):
                        continue
                    if not await websocket.still_signed_in(ctx):
                        if isinstance(ctx.request, WebSocket):
                            await ctx.request.close(code=websocket.SIGNED_OUT,
                                                    reason="the credentials no longer hold; sign in again")
                        return
                    ctx.loaders = create_loaders(ctx.db, ctx.viewer)  # each event reads today's rows
                    yield NumberEvent(
                            type=change.type, occurred_at=change.occurred_at,
                            account_sid=strawberry.ID(change.account_sid),
                            previous_account_sid=(strawberry.ID(change.previous_account_sid)
                                                  if change.previous_account_sid else None),
                            number=number_node(change.number),
                        )
            except (FellBehind, FeedLost) as error:
                if isinstance(ctx.request, WebSocket):
                    code = FELL_BEHIND if isinstance(error, FellBehind) else FEED_LOST
                    await ctx.request.close(code=code, reason=f"{error}; re-query, then subscribe again"[:120])
                raise client_error(str(error), ErrorCode.SERVICE_UNAVAILABLE) from None
