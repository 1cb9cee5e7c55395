"""Arranging a graph quickly for the GraphQL connection tests: accounts, applications and
numbers written as rows (a purchase through the services costs a dozen statements and a
carrier call; the tests of purchase are elsewhere), and creation dates set by hand
(they have second resolution, so tests set them instead of sleeping)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from gateway.domain.ids import APPLICATION, PHONE_NUMBER, new_sid
from gateway.services.accounts import create_account
from gateway.storage.database import Database
from gateway.storage.tables import Account, Application, IncomingPhoneNumber
from tests.graphql_helpers import number
from tests.support.accounts import Credentials

#: creation dates the tests give, one second apart from this one
EPOCH = datetime(2026, 1, 1, 12, 0, 0)


async def account_row(database: Database, sid: str) -> Account:
    async with database.session() as session:
        account = await session.get(Account, sid)
    assert account is not None
    return account


async def add_subaccounts(database: Database, parent: Credentials, count: int) -> list[Credentials]:
    """`count` Developer subaccounts of `parent`, created one second apart in that order."""
    parent_row = await account_row(database, parent.sid)
    made = []
    for i in range(count):
        created = await create_account(db=database, email=f"{new_sid('AC')[2:14]}@example.com", parent=parent_row)
        await set_created(database, Account, created.account.sid, EPOCH + timedelta(seconds=i))
        made.append(Credentials(created.account.sid, created.auth_token, created.account.email))
    return made


async def add_applications(database: Database, account_sid: str, names: list[str]) -> list[str]:
    """Applications of the account, created one second apart in the order of `names`."""
    async with database.session() as session:
        rows = [
            Application(sid=new_sid(APPLICATION), account_sid=account_sid, friendly_name=name,
                        date_created=EPOCH + timedelta(seconds=i), date_updated=EPOCH)
            for i, name in enumerate(names)
        ]
        session.add_all(rows)
        await session.commit()
    return [row.sid for row in rows]


async def add_numbers(
    database: Database, account_sid: str, count: int, *, start: int = 0, settings: Mapping[str, Any] | None = None,
) -> list[str]:
    """Numbers `number(start)`… of the account, active, routed as `settings` says (columns)."""
    account = await account_row(database, account_sid)
    async with database.session() as session:
        rows = [
            IncomingPhoneNumber(
                sid=new_sid(PHONE_NUMBER), account_sid=account.sid, organization_sid=account.organization_sid,
                phone_number=number(i), friendly_name=f"({i:04d})", **{"number_type": "local", **(settings or {})},
            )
            for i in range(start, start + count)
        ]
        session.add_all(rows)
        await session.commit()
    return [row.sid for row in rows]


async def set_created(database: Database, table: type[Account] | type[Application], sid: str, when: datetime) -> None:
    async with database.session() as session:
        await session.exec(update(table).where(col(table.sid) == sid).values(date_created=when))
        await session.commit()
