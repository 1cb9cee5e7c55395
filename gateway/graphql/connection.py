"""Connections: relay-style pages with opaque keyset cursors and a total.

A cursor encodes the item's position in its list's order, so continuing after it is an
index seek (`storage.queries`, `storage.pages`): page 1,000 costs what page 1 costs, and
rows added or removed meanwhile never shift the pages. Numbers are ordered by
(phone_number, sid), subaccounts and applications by (date_created, sid). Cursors are
opaque: base64url of a versioned JSON triple; a connection refuses another's cursors.

The node types come lazily from `graphql.types`, whose nested fields build these
connections (a plain import would be circular).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry

from gateway.domain.ids import PHONE_NUMBER, is_sid
from gateway.domain.numbers import SortKey
from gateway.domain.paging import CreationKey, Key, Page
from gateway.graphql.errors import client_error
from gateway.services.windows import Window
from gateway.storage import tables

if TYPE_CHECKING:
    from gateway.graphql.types import Account, Application, IncomingPhoneNumber

_TYPES = "gateway.graphql.types"
MAX_PAGE = 100
DEFAULT_PAGE = 50
#: [version, phone_number, sid]
_NUMBER_ORDER = "n1"
#: [version, date_created (ISO 8601), sid]
_CREATION_ORDER = "c1"


def _encode(parts: list[str]) -> str:
    raw = json.dumps(parts, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, version: str, prefix: str) -> tuple[str, str] | None:
    """The cursor's (position, sid) if it is one of `version` naming a `prefix` sid."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        found, position, sid = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return None
    if found == version and isinstance(position, str) and isinstance(sid, str) and is_sid(sid, prefix):
        return position, sid
    return None


def _not_a_cursor(argument: str) -> Exception:
    return client_error(f"{argument} is not a cursor of this connection; use the cursors it returned")


def encode_cursor(key: SortKey) -> str:
    return _encode([_NUMBER_ORDER, key.phone_number, key.sid])


def decode_cursor(cursor: str, argument: str) -> SortKey:
    decoded = _decode(cursor, _NUMBER_ORDER, PHONE_NUMBER)
    if decoded is None:
        raise _not_a_cursor(argument)
    return SortKey(*decoded)


def encode_creation_cursor(key: CreationKey) -> str:
    return _encode([_CREATION_ORDER, key.date_created.isoformat(), key.sid])


def creation_cursors(prefix: str) -> Callable[[str, str], CreationKey]:
    """The cursor decoder of a connection in creation order of `prefix` sids (AC, AP)."""

    def decode(cursor: str, argument: str) -> CreationKey:
        decoded = _decode(cursor, _CREATION_ORDER, prefix)
        moment = _moment(decoded[0]) if decoded is not None else None
        if decoded is None or moment is None:
            raise _not_a_cursor(argument)
        return CreationKey(moment, decoded[1])

    return decode


def _moment(text: str) -> datetime | None:
    """A creation date as cursors carry it: naive UTC, as rows store it (an offset would be
    someone's own cursor, and PostgreSQL would refuse to compare it)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is None else None


@strawberry.type(description="Where a page of a connection lies in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items come before this page.")
    start_cursor: str | None = strawberry.field(description="The cursor of the first item of the page.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last item of the page.")


def _page_info(window: Window[Any], cursor: Callable[[Any], str]) -> PageInfo:
    rows = window.items
    return PageInfo(
        has_next_page=window.has_after,
        has_previous_page=window.has_before,
        start_cursor=cursor(rows[0]) if rows else None,
        end_cursor=cursor(rows[-1]) if rows else None,
    )


def number_cursor(row: tables.IncomingPhoneNumber) -> str:
    return encode_cursor(SortKey.of(row))


def creation_cursor(row: tables.Account | tables.Application) -> str:
    return encode_creation_cursor(CreationKey.of(row))


@strawberry.type(description="A number and its cursor.")
class IncomingPhoneNumberEdge:
    cursor: str = strawberry.field(description="Pass as `after` or `before` to continue from this number.")
    node: Annotated[IncomingPhoneNumber, strawberry.lazy(_TYPES)] = strawberry.field(description="The number.")


@strawberry.type(description="A page of numbers, ordered by phone number (then sid).")
class IncomingPhoneNumberConnection:
    rows: strawberry.Private[list[tables.IncomingPhoneNumber]]
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int = strawberry.field(description="How many numbers match the filters, on every page.")

    @strawberry.field(description="The numbers of this page with their cursors.")
    def edges(self) -> list[IncomingPhoneNumberEdge]:
        return [
            IncomingPhoneNumberEdge(cursor=number_cursor(n), node=cast("IncomingPhoneNumber", n)) for n in self.rows
        ]

    @strawberry.field(description="The numbers of this page (when cursors are not needed).")
    def nodes(self) -> list[Annotated[IncomingPhoneNumber, strawberry.lazy(_TYPES)]]:
        return [cast("IncomingPhoneNumber", n) for n in self.rows]


@strawberry.type(description="An account and its cursor.")
class AccountEdge:
    cursor: str = strawberry.field(description="Pass as `after` or `before` to continue from this account.")
    node: Annotated[Account, strawberry.lazy(_TYPES)] = strawberry.field(description="The account.")


@strawberry.type(description="A page of accounts, oldest first (date created, then sid).")
class AccountConnection:
    rows: strawberry.Private[list[tables.Account]]
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int = strawberry.field(description="How many accounts the list holds, on every page.")

    @strawberry.field(description="The accounts of this page with their cursors.")
    def edges(self) -> list[AccountEdge]:
        return [AccountEdge(cursor=creation_cursor(a), node=cast("Account", a)) for a in self.rows]

    @strawberry.field(description="The accounts of this page (when cursors are not needed).")
    def nodes(self) -> list[Annotated[Account, strawberry.lazy(_TYPES)]]:
        return [cast("Account", a) for a in self.rows]


@strawberry.type(description="An application and its cursor.")
class ApplicationEdge:
    cursor: str = strawberry.field(description="Pass as `after` or `before` to continue from this application.")
    node: Annotated[Application, strawberry.lazy(_TYPES)] = strawberry.field(description="The application.")


@strawberry.type(description="A page of applications, oldest first (date created, then sid).")
class ApplicationConnection:
    rows: strawberry.Private[list[tables.Application]]
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int = strawberry.field(description="How many applications the list holds, on every page.")

    @strawberry.field(description="The applications of this page with their cursors.")
    def edges(self) -> list[ApplicationEdge]:
        return [ApplicationEdge(cursor=creation_cursor(a), node=cast("Application", a)) for a in self.rows]

    @strawberry.field(description="The applications of this page (when cursors are not needed).")
    def nodes(self) -> list[Annotated[Application, strawberry.lazy(_TYPES)]]:
        return [cast("Application", a) for a in self.rows]


def relay_page(
    first: int | None, after: str | None, last: int | None, before: str | None,
    decode: Callable[[str, str], Key],
) -> Page[Key]:
    """The keyset page relay's arguments ask for (cursors read by `decode`), or a client error."""
    if first is not None and last is not None:
        raise client_error("give first or last, not both")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise client_error(f"{name} must be between 0 and {MAX_PAGE}; {value} was given", maximum=MAX_PAGE)
    after_key = decode(after, "after") if after else None
    before_key = decode(before, "before") if before else None
    backwards = last is not None or (first is None and before_key is not None and after_key is None)
    limit = last if last is not None else first if first is not None else DEFAULT_PAGE
    return Page(limit, after_key, before_key, backwards)


def page_request(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> dict[str, Any]:
    """The keyword arguments of list_numbers_window for relay arguments, or a client error."""
    page = relay_page(first, after, last, before, decode_cursor)
    return {"limit": page.limit, "after": page.after, "before": page.before, "from_end": page.from_end}


def connection(window: Window[tables.IncomingPhoneNumber]) -> IncomingPhoneNumberConnection:
    return IncomingPhoneNumberConnection(
        rows=window.items, page_info=_page_info(window, number_cursor), total_count=window.total
    )


def account_connection(window: Window[tables.Account]) -> AccountConnection:
    return AccountConnection(rows=window.items, page_info=_page_info(window, creation_cursor), total_count=window.total)


def application_connection(window: Window[tables.Application]) -> ApplicationConnection:
    return ApplicationConnection(
        rows=window.items, page_info=_page_info(window, creation_cursor), total_count=window.total
    )
