"""The sandbox carrier's ledger of what it sold, kept in the gateway's database so that
sales survive restarts (`providers.sandbox.SalesLedger`, handed over at assembly)."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from gateway.storage.database import Database
from gateway.storage.tables import SandboxSoldNumber


class DatabaseLedger:
    def __init__(self, database: Database) -> None:
        self._database = database

    async def record_sale(self, phone_number: str) -> bool:
        async with self._database.session() as session:
            session.add(SandboxSoldNumber(phone_number=phone_number))
            try:
                await session.commit()
            except IntegrityError:
                return False
        return True

    async def cancel_sale(self, phone_number: str) -> None:
        async with self._database.session() as session:
            await session.exec(delete(SandboxSoldNumber).where(col(SandboxSoldNumber.phone_number) == phone_number))
            await session.commit()

    async def sold_among(self, phone_numbers: Sequence[str]) -> set[str]:
        if not phone_numbers:
            return set()
        async with self._database.session() as session:
            found = await session.exec(
                select(SandboxSoldNumber.phone_number).where(col(SandboxSoldNumber.phone_number).in_(phone_numbers))
            )
            return set(found)

    async def sold_count(self, prefix: str) -> int:
        # A range on the primary key: an index seek, where LIKE 'prefix%' might scan.
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        column = col(SandboxSoldNumber.phone_number)
        async with self._database.session() as session:
            counted = await session.exec(select(func.count()).where(column >= prefix, column < upper))
            return int(counted.one())

    async def sold(self) -> list[str]:
        async with self._database.session() as session:
            return list(await session.exec(select(SandboxSoldNumber.phone_number).order_by(SandboxSoldNumber.phone_number)))
