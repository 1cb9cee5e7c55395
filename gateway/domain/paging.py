"""Keyset pages: where a row lies in its list's order, and which rows a page asks for.

Numbers are listed by (phone_number, sid) (`numbers.SortKey`); subaccounts and
applications in the order they were made, (date_created, sid), so a new one lands at
the end and never shifts a page someone is reading. A `Page` is the same whether one
list or many parents' lists are read: `limit` rows after `after` (or before `before`),
the last ones with `from_end`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from gateway.domain.numbers import SortKey


class Created(Protocol):
    date_created: datetime
    sid: str


@dataclass(frozen=True)
class CreationKey:
    """A row's place in creation order: (date_created, sid)."""

    date_created: datetime
    sid: str

    @classmethod
    def of(cls, row: Created) -> "CreationKey":
        return cls(row.date_created, row.sid)


Key = TypeVar("Key", SortKey, CreationKey)


@dataclass(frozen=True)
class Page(Generic[Key]):
    """`limit` rows after `after` and before `before`; with `from_end`, the last `limit` of them."""

    limit: int
    after: Key | None = None
    before: Key | None = None
    from_end: bool = False
