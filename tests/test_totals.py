"""An unfiltered list's total comes from a trigger-kept table; it must equal a count
after every kind of change (purchase, SIP, pending, transfer, release, reconcile)."""

from __future__ import annotations

from datetime import timedelta

from gateway.services.reconcile import reconcile
from gateway.storage.tables import IncomingPhoneNumber, SandboxSoldNumber, utcnow
from tests.support.accounts import Credentials, numbers_path
from tests.support.totals import assert_totals_match


async def total(client, who: Credentials, **filters: str) -> int:  # type: ignore[no-untyped-def]
    response = await client.get(numbers_path(who.sid, ".json"), params=filters, auth=who.auth)
    return int(response.json()["total"])


async def test_totals_follow_every_change(app, client, admin: Credentials, make_account, sessionmaker) -> None:
    child = await make_account(admin)
    sids = []
    for n in range(5):
        bought = await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": f"+1510555{n:04d}"}, auth=admin.auth)
        sids.append(bought.json()["sid"])
    await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": "alice", "isSIP": "true"}, auth=admin.auth)
    assert await total(client, admin) == 6
    assert await total(client, admin, PhoneNumber="510") == 5  # filtered: a real count

    await client.post(numbers_path(admin.sid, f"/{sids[0]}.json"), data={"AccountSid": child.sid}, auth=admin.auth)
    assert (await total(client, admin), await total(client, child)) == (5, 1)
    assert (await client.delete(numbers_path(admin.sid, f"/{sids[1]}.json"), auth=admin.auth)).status_code == 204
    assert await total(client, admin) == 4

    async with sessionmaker() as session:  # an unconfirmed purchase is not counted until it is settled
        session.add(IncomingPhoneNumber(
            sid="PN" + "b" * 32, account_sid=admin.sid, organization_sid=admin.sid, phone_number="+15105559999",
            friendly_name="x", number_type="local", status="pending", date_updated=utcnow() - timedelta(hours=1),
        ))
        session.add(SandboxSoldNumber(phone_number="+15105559999"))
        await session.commit()
    assert await total(client, admin) == 4
    await reconcile(db=app.state.database, provider=app.state.provider)
    assert await total(client, admin) == 5
    assert await assert_totals_match(sessionmaker) == {admin.sid: 5, child.sid: 1}
