"""Rows as lists read them: the columns of a row as a named tuple, without the ORM.

A list page reads 50 to 1,000 numbers and changes none of them. As ORM instances each
cost about 20 µs to build (identity map, instance state) and 0.35 µs an attribute read
(instrumented descriptors; a GraphQL page reads 45 a number); as named tuples, about 1 µs
and 0.04 µs. A NumberRecord has every column of `tables.IncomingPhoneNumber` under the
same name, so everything that reads a number (REST's rendering, GraphQL's fields, sort
keys, routes) reads either; the services type them as the row they stand for.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.storage.tables import IncomingPhoneNumber

_TABLE: Any = IncomingPhoneNumber.__table__  # type: ignore[attr-defined]
#: the table's columns, in the order `select(table)` returns them
NUMBER_COLUMNS: tuple[str, ...] = tuple(_TABLE.c.keys())
NumberRecord = namedtuple("NumberRecord", NUMBER_COLUMNS)  # type: ignore[misc]


def number_table() -> Any:
    """The numbers table (Core), for statements whose rows become records."""
    return _TABLE


async def core_rows(session: AsyncSession, statement: Any) -> list[Row[Any]]:
    """The rows of a Core statement, run on the session's own connection and transaction."""
    connection = await session.connection()
    return list((await connection.execute(statement)).all())


def number_records(rows: Iterable[Sequence[Any]]) -> list[IncomingPhoneNumber]:
    """Rows of `select(number_table())` as records, typed as the rows they read like."""
    make = NumberRecord._make
    return cast(list[IncomingPhoneNumber], [make(row) for row in rows])


def is_number(value: object) -> bool:
    """A number row, ORM or record (what GraphQL's IncomingPhoneNumber serves)."""
    return isinstance(value, (IncomingPhoneNumber, NumberRecord))
