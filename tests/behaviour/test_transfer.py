"""Moving a number between accounts of one organization (REST's AccountSid on an update,
GraphQL's transferNumber): who may move it where."""

from __future__ import annotations

from gateway.domain.errors import ErrorCode
from gateway.storage.tables import Account
from tests.graphql_helpers import make_application
from tests.support.accounts import Credentials
from tests.support.frontends import Frontend

NUMBER = "+15105555555"
E = ErrorCode


async def test_within_the_organization(frontend: Frontend, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    sibling = await make_account(admin)
    number = (await frontend.purchase(admin, phone_number=NUMBER)).ok()

    # Parent -> child: its account and its URI change; it is now the child's.
    moved = (await frontend.transfer(admin, number["sid"], child.sid)).ok()
    assert moved["account_sid"] == child.sid
    assert moved["uri"] == f"/2012-04-24/Accounts/{child.sid}/IncomingPhoneNumbers/{number['sid']}.json"
    assert await frontend.get(child, number["sid"]) == moved
    assert await frontend.phone_numbers(admin) == [] and await frontend.phone_numbers(child) == [NUMBER]
    # The common parent moves it between siblings.
    assert (await frontend.transfer(admin, number["sid"], sibling.sid)).ok()["account_sid"] == sibling.sid
    # The sibling itself may not give it to its parent, nor to its sibling.
    for target in (admin.sid, child.sid):
        (await frontend.transfer(sibling, number["sid"], target)).refused(E.FORBIDDEN, "transfer_to", target)
    # To the account it already belongs to: nothing moves, and that is fine.
    assert (await frontend.transfer(sibling, number["sid"], sibling.sid)).ok()["account_sid"] == sibling.sid


async def test_refused_targets(frontend: Frontend, admin: Credentials, make_account, sessionmaker) -> None:
    child = await make_account(admin)
    suspended = await make_account(admin, status="suspended")
    other = await make_account(None)
    number = (await frontend.purchase(admin, phone_number=NUMBER)).ok()
    # Another organization, an inactive target, an unknown account: refused, naming the target.
    for target in (other.sid, suspended.sid, "AC" + "f" * 32):
        (await frontend.transfer(admin, number["sid"], target)).refused(E.FORBIDDEN, "transfer_to", target)
    (await frontend.transfer(admin, number["sid"], "someone")).refused(E.INVALID_PARAMETER, "transfer_to", "'someone'")
    # The other organization's administrator cannot pull it.
    (await frontend.transfer(other, number["sid"], other.sid)).refused(frontend.someone_elses, "sid")
    assert await frontend.get(admin, number["sid"]) == number

    # A refusal about the number's own account points at the number, not at the target.
    owner = await make_account(admin)
    (await frontend.transfer(admin, number["sid"], owner.sid)).ok()
    async with sessionmaker() as session:
        row = await session.get(Account, owner.sid)
        assert row is not None
        row.status = "suspended"
        session.add(row)
        await session.commit()
    (await frontend.transfer(admin, number["sid"], child.sid)).refused(E.FORBIDDEN, "sid")


async def test_only_where_its_applications_serve(frontend: Frontend, app, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    grandchild = await make_account(child)
    childs = await make_application(app, child, "Child App")
    number = (await frontend.purchase(grandchild, phone_number=NUMBER, ussd_application_sid=childs)).ok()
    # Down the tree the child's application still serves; up to the root it would not.
    assert (await frontend.transfer(admin, number["sid"], grandchild.sid)).ok()
    (await frontend.transfer(admin, number["sid"], admin.sid)).refused(E.INVALID_PARAMETER, "ussd_application_sid")
    assert (await frontend.get(admin, number["sid"]) or {}).get("account_sid") == grandchild.sid
