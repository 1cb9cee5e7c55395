"""Check the trigger-kept totals against a real count."""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import text

SessionMaker = Callable[..., Any]

TRUE_COUNTS = (
    "SELECT account_sid, count(*) FROM incoming_phone_number WHERE status != 'pending' GROUP BY account_sid"
)


async def assert_totals_match(sessionmaker: SessionMaker) -> dict[str, int]:
    async with sessionmaker() as session:
        connection = await session.connection()
        counted = dict((await connection.execute(text(TRUE_COUNTS))).all())
        kept = dict((await connection.execute(text("SELECT account_sid, total FROM account_number_total"))).all())
    assert {k: v for k, v in kept.items() if v} == counted, (kept, counted)
    return counted
