"""Applications: what a number's `*ApplicationSid` may point at.

An application belongs to one account and serves that account and its descendants. It
is read and changed by whoever may act on its account (writes need that account and
its ancestors up to the caller active, as for numbers). Deleting one clears it from
every number that routed to it, in every family, in the same transaction (Twilio's
rule): a number never names an application that is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import Conflict, InvalidParameter, NotFound, ServiceError
from gateway.domain.ids import APPLICATION, is_sid, new_sid
from gateway.domain.numbers import SortKey
from gateway.domain.paging import CreationKey, Page
from gateway.domain.route_families import APPLICATION_COLUMNS
from gateway.services import validation
from gateway.services.access import can_act_on, require_account, require_visible, require_writable
from gateway.services.windows import Window, cut
from gateway.storage.database import Sessions
from gateway.storage.pages import (
    application_number_totals,
    application_totals,
    applications_per_account,
    numbers_per_application,
)
from gateway.storage.queries import applications_by_sid
from gateway.storage.tables import Account, Application, IncomingPhoneNumber, utcnow


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


async def get_application(
    *, db: Sessions, caller: Account, application_sid: str, account_sid: str | None = None
) -> Application:
    """The application, in `account_sid` if given (REST's URL), else wherever the caller may see it."""
    async with db.session() as session:
        return await _locate(session, caller, application_sid, account_sid)


async def update_application(
    *, db: Sessions, caller: Account, application_sid: str, friendly_name: str | None = None,
    account_sid: str | None = None,
) -> Application:
    """Change what is given (the name); nothing given answers the application unchanged."""
    name = validation.friendly_name(friendly_name) if friendly_name is not None else None
    async with db.session() as session:
        application = await _locate(session, caller, application_sid, account_sid, write=True)
        if name is None:
            return application
        written = await session.exec(
            update(Application).where(col(Application.sid) == application.sid)
            .values(friendly_name=name, date_updated=utcnow())
        )
        if written.rowcount != 1:
            raise NotFound(f"application {application.sid} was deleted meanwhile", field="sid")
        await session.commit()
        changed = await session.get(Application, application.sid, populate_existing=True)
    if changed is None:  # deleted between our commit and this read: as if deleted first
        raise NotFound(f"application {application_sid} was deleted meanwhile", field="sid")
    return changed


@dataclass(frozen=True)
class DeletedApplication:
    #: as it was just before
    application: Application
    #: how many numbers routed to it (in any family) and now route by their URLs
    cleared_numbers: int


async def delete_application(
    *, db: Sessions, caller: Account, application_sid: str, account_sid: str | None = None
) -> DeletedApplication:
    """Delete the application and clear it from every number that used it, in one transaction.

    Carriers route by URL and are never told an application sid, so this is the
    database's change alone. One UPDATE clears every family (each column's index finds
    its numbers) and bumps `date_updated` of each number once, as any change of a number.
    """
    async with db.session() as session:
        application = await _locate(session, caller, application_sid, account_sid, write=True)
        sid = application.sid
        columns = {column: getattr(IncomingPhoneNumber, column) for column in APPLICATION_COLUMNS}
        cleared = await session.exec(
            update(IncomingPhoneNumber)
            .where(or_(*(column == sid for column in columns.values())))
            .values({
                **{name: case((column == sid, None), else_=column) for name, column in columns.items()},
                "date_updated": utcnow(),
            })
        )
        cleared_numbers = cleared.rowcount
        await session.exec(delete(Application).where(col(Application.sid) == sid))
        try:
            await session.commit()
        except IntegrityError:
            # A number was given this application after our UPDATE (its foreign key).
            await session.rollback()
            raise Conflict(f"application {sid} was just given to another number; retry the delete") from None
    return DeletedApplication(application, cleared_numbers)


async def _locate(
    session: AsyncSession, caller: Account, application_sid: str, account_sid: str | None, *, write: bool = False
) -> Application:
    """The application if the caller may act on its account (in `account_sid`, if given)."""
    if account_sid is not None:
        await require_account(session=session, caller=caller, account_sid=account_sid)
    application = await session.get(Application, application_sid) if is_sid(application_sid, APPLICATION) else None
    owner = None
    if application is not None:
        owner = caller if application.account_sid == caller.sid else await session.get(Account, application.account_sid)
    if application is None or owner is None or not can_act_on(caller, owner) or account_sid not in (None, owner.sid):
        where = f" in account {account_sid}" if account_sid is not None else ""
        raise NotFound(f"no application {application_sid[:40]}{where}", field="sid")
    if write:
        await require_writable(session, caller, owner, field="sid")
    return application


async def list_application_windows(
    *, db: Sessions, caller: Account, accounts: Sequence[Account], page: Page[CreationKey], with_total: bool = True,
) -> list[Window[Application]]:
    """The same window of each account's own applications, oldest first (date created,
    then sid), in the order of `accounts`: one statement for all, one more for the totals."""
    require_visible(caller, accounts)
    sids = [account.sid for account in accounts]
    async with db.session() as session:
        rows = await applications_per_account(
            session, sids, limit=page.limit + 1, after=page.after, before=page.before, from_end=page.from_end
        )
        totals = await application_totals(session, sids) if with_total else {}
    return [cut(rows[sid], page, totals.get(sid, -1)) for sid in sids]


async def list_routed_number_windows(
    *, db: Sessions, caller: Account, applications: Sequence[Application], page: Page[SortKey],
    with_total: bool = True,
) -> list[Window[IncomingPhoneNumber]]:
    """The same window of the numbers routing to each application (in any family), in list
    order: only numbers of the caller and its descendants (a subaccount reads its parent's
    application through its own number, and sees only its own numbers under it)."""
    sids = [application.sid for application in applications]
    async with db.session() as session:
        rows = await numbers_per_application(
            session, sids, within_path=caller.path, limit=page.limit + 1, after=page.after, before=page.before,
            from_end=page.from_end,
        )
        totals = await application_number_totals(session, sids, within_path=caller.path) if with_total else {}
    return [cut(rows[sid], page, totals.get(sid, -1)) for sid in sids]


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


async def unusable_application(session: AsyncSession, account_sid: str, values: Mapping[str, Any]) -> ServiceError:
    """Why a write naming applications broke a foreign key: one was deleted meanwhile
    (InvalidParameter naming it, as if it had never existed), else a Conflict."""
    account = await session.get(Account, account_sid)
    if account is not None:
        try:
            await check_usable(session=session, account=account, values=values)
        except InvalidParameter as error:
            return error
    return Conflict("a resource this change names was changed meanwhile; read it again and retry")
