"""The numbers connection: relay-style, with opaque keyset cursors and a total.

A cursor encodes the number's position in the list order, (phone_number, sid), so
continuing after it is an index seek (`gateway.services.listing.list_numbers_window`):
page 1,000 costs what page 1 costs, and numbers bought or released meanwhile never
shift the pages. Cursors are opaque: base64url of a versioned JSON pair.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import strawberry

from gateway.domain.ids import PHONE_NUMBER, is_sid
from gateway.graphql.errors import client_error
from gateway.graphql.types import IncomingPhoneNumber, number_node
from gateway.services.listing import NumberWindow, SortKey
from gateway.storage.tables import IncomingPhoneNumber as NumberRow

MAX_PAGE = 100
DEFAULT_PAGE = 50
_VERSION = "n1"


def encode_cursor(key: SortKey) -> str:
    raw = json.dumps([_VERSION, key.phone_number, key.sid], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, argument: str) -> SortKey:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, phone_number, sid = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if version == _VERSION and isinstance(phone_number, str) and isinstance(sid, str) and is_sid(sid, PHONE_NUMBER):
            return SortKey(phone_number, sid)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        pass
    raise client_error(f"{argument} is not a cursor of this connection; use the cursors it returned")


@strawberry.type(description="Where a page of a connection lies in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether numbers follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether numbers come before this page.")
    start_cursor: str | None = strawberry.field(description="The cursor of the first number of the page.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last number of the page.")


@strawberry.type(description="A number and its cursor.")
class IncomingPhoneNumberEdge:
    cursor: str = strawberry.field(description="Pass as `after` or `before` to continue from this number.")
    node: IncomingPhoneNumber = strawberry.field(description="The number.")


@strawberry.type(description="A page of numbers, ordered by phone number (then sid).")
class IncomingPhoneNumberConnection:
    rows: strawberry.Private[list[NumberRow]]
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int = strawberry.field(description="How many numbers match the filters, on every page.")

    @strawberry.field(description="The numbers of this page with their cursors.")
    def edges(self) -> list[IncomingPhoneNumberEdge]:
        return [IncomingPhoneNumberEdge(cursor=encode_cursor(SortKey.of(n)), node=number_node(n)) for n in self.rows]

    @strawberry.field(description="The numbers of this page (when cursors are not needed).")
    def nodes(self) -> list[IncomingPhoneNumber]:
        return [number_node(n) for n in self.rows]


def page_request(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> dict[str, Any]:
    """The keyword arguments of list_numbers_window for relay arguments, or a client error."""
    if first is not None and last is not None:
        raise client_error("give first or last, not both")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise client_error(f"{name} must be between 0 and {MAX_PAGE}; {value} was given", maximum=MAX_PAGE)
    after_key = decode_cursor(after, "after") if after else None
    before_key = decode_cursor(before, "before") if before else None
    backwards = last is not None or (first is None and before_key is not None and after_key is None)
    limit = (last if last is not None else first) if (first is not None or last is not None) else DEFAULT_PAGE
    return {"limit": limit, "after": after_key, "before": before_key, "from_end": backwards}


def connection(window: NumberWindow) -> IncomingPhoneNumberConnection:
    rows = window.items
    return IncomingPhoneNumberConnection(
        rows=rows,
        page_info=PageInfo(
            has_next_page=window.has_after,
            has_previous_page=window.has_before,
            start_cursor=encode_cursor(SortKey.of(rows[0])) if rows else None,
            end_cursor=encode_cursor(SortKey.of(rows[-1])) if rows else None,
        ),
        total_count=window.total,
    )

