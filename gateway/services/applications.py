"""Applications: what a number's `*ApplicationSid` may point at."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import InvalidParameter
from gateway.domain.ids import APPLICATION, new_sid
from gateway.domain.route_families import APPLICATION_COLUMNS
from gateway.services import validation
from gateway.services.access import require_account
from gateway.storage.database import Sessions
from gateway.storage.queries import applications_by_sid
from gateway.storage.tables import Account, Application, IncomingPhoneNumber


def usable_by(application: Application, account: Account) -> bool:
    """An application serves its own account and every account below it."""
    return f"/{application.account_sid}/" in account.path


async def create_application(*, db: Sessions, caller: Account, account_sid: str, friendly_name: str) -> Application:
    name = validation.friendly_name(friendly_name)
    async with db.session() as session:
        account = await require_account(session=session, caller=caller, account_sid=account_sid, write=True)
        application = Application(sid=new_sid(APPLICATION), account_sid=account.sid, friendly_name=name)
        session.add(application)
        await session.commit()
    return application


async def list_applications(*, db: Sessions, caller: Account, account_sid: str) -> list[Application]:
    async with db.session() as session:
        account = await require_account(session=session, caller=caller, account_sid=account_sid)
        statement = select(Application).where(Application.account_sid == account.sid).order_by(col(Application.sid))
        return list(await session.exec(statement))


async def applications_of(*, db: Sessions, numbers: Iterable[IncomingPhoneNumber]) -> dict[str, Application]:
    """The applications the numbers route to, by sid (no query when they route to none)."""
    return await applications_named(db=db, sids=application_sids(numbers))


async def applications_named(*, db: Sessions, sids: Iterable[str]) -> dict[str, Application]:
    """Applications by sid, in one query (none for no sids)."""
    wanted = list(sids)
    if not wanted:
        return {}
    async with db.session() as session:
        return await applications_by_sid(session, wanted)


def application_sids(numbers: Iterable[IncomingPhoneNumber]) -> list[str]:
    return [sid for n in numbers for column in APPLICATION_COLUMNS if (sid := getattr(n, column))]


async def check_usable(
    *, session: AsyncSession, account: Account, values: Mapping[str, Any]
) -> None:
    """Every `*_application_sid` in `values` names an application `account` may use."""
    wanted = {column: sid for column, sid in values.items() if column in APPLICATION_COLUMNS and sid}
    if not wanted:
        return
    found = await applications_by_sid(session, wanted.values())
    for column, sid in wanted.items():
        application = found.get(sid)
        if application is None or not usable_by(application, account):
            raise InvalidParameter(
                f"{{field}} {sid} is not an application of account {account.sid} or its parents",
                field=column,
            )
