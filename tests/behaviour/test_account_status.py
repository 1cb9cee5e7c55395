"""An account's status (Restcomm's and Twilio's suspend, activate, close): who may change
it, and what a suspended or closed account stops."""

from __future__ import annotations

from gateway.domain.accounts import AccountRole, AccountStatus
from gateway.domain.errors import ErrorCode
from tests.support.accounts import Credentials
from tests.support.frontends import CHANGED_ACCOUNT_KEYS, Frontend

E = ErrorCode
ACTIVE, SUSPENDED, CLOSED = AccountStatus.ACTIVE, AccountStatus.SUSPENDED, AccountStatus.CLOSED


async def test_suspending_stops_the_subtree_and_reactivating_restores_it(
    frontend: Frontend, admin: Credentials, make_account
) -> None:
    child = await make_account(admin)
    grandchild = await make_account(child)
    sibling = await make_account(admin)
    suspended = (await frontend.update_account(admin, child.sid, status=SUSPENDED)).ok()
    assert tuple(suspended) == CHANGED_ACCOUNT_KEYS
    assert (suspended["sid"], suspended["status"], suspended["parent_sid"]) == (child.sid, SUSPENDED, admin.sid)
    # The account and every descendant: refused at sign-in, naming the account at fault.
    (await frontend.sign_in(child)).refused(E.FORBIDDEN, None, child.sid, "suspended")
    (await frontend.sign_in(grandchild)).refused(E.FORBIDDEN, None, child.sid, "suspended")
    assert (await frontend.sign_in(sibling)).ok() == {"sid": sibling.sid}
    # Its parent still reads it, but changes nothing below it.
    (await frontend.purchase(admin, account_sid=grandchild.sid, phone_number="+15105555555")).refused(
        E.FORBIDDEN, "account_sid", child.sid)

    assert (await frontend.update_account(admin, child.sid, status=ACTIVE)).ok()["status"] == ACTIVE
    assert (await frontend.sign_in(grandchild)).ok() == {"sid": grandchild.sid}
    assert (await frontend.purchase(admin, account_sid=grandchild.sid, phone_number="+15105555555")).ok()


async def test_who_may_change_a_status(frontend: Frontend, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    grandchild = await make_account(child)
    developer = await make_account(admin, role="Developer")
    developers_child = await make_account(developer)
    other = await make_account(None)
    # Nobody changes its own status: the root (the bootstrap account) is never suspended over the API.
    for who in (admin, child):
        (await frontend.update_account(who, who.sid, status=SUSPENDED)).refused(E.FORBIDDEN, "status", "its own")
    # Only an Administrator ancestor.
    (await frontend.update_account(developer, developers_child.sid, status=SUSPENDED)).refused(
        E.FORBIDDEN, None, "Administrator")
    # Not upwards, and nothing outside the organization.
    (await frontend.update_account(grandchild, child.sid, status=SUSPENDED)).refused(frontend.someone_elses)
    (await frontend.update_account(other, child.sid, status=SUSPENDED)).refused(frontend.someone_elses)
    (await frontend.update_account(admin, "AC" + "0" * 32, status=SUSPENDED)).refused(frontend.someone_elses)
    for who in (child, grandchild, developers_child):
        assert (await frontend.sign_in(who)).ok() == {"sid": who.sid}
    # The same status again changes nothing and is fine, even for oneself.
    assert (await frontend.update_account(child, child.sid, status=ACTIVE)).ok()["status"] == ACTIVE
    # Its name: the account itself or any ancestor.
    renamed = (await frontend.update_account(child, child.sid, friendly_name="Renamed")).ok()
    assert (renamed["friendly_name"], renamed["role"]) == ("Renamed", AccountRole.ADMINISTRATOR)
    assert (await frontend.update_account(admin, grandchild.sid, friendly_name="Below")).ok()["friendly_name"] == "Below"
    (await frontend.update_account(admin, child.sid, friendly_name="x" * 65)).refused(E.INVALID_PARAMETER, "friendly_name")


async def test_closing_is_final_and_releases_every_number_below(
    frontend: Frontend, admin: Credentials, make_account
) -> None:
    child = await make_account(admin)
    grandchild = await make_account(child)
    for who, number in ((child, "+15105555555"), (child, "+14155550123"), (grandchild, "+12125550123")):
        (await frontend.purchase(admin, account_sid=who.sid, phone_number=number)).ok()
    (await frontend.purchase(admin, account_sid=child.sid, phone_number="alice", is_sip=True)).ok()

    closed = (await frontend.update_account(admin, child.sid, status=CLOSED)).ok()
    assert closed["status"] == CLOSED
    for who in (child, grandchild):
        assert await frontend.phone_numbers(admin_view(admin, who)) == []
        (await frontend.sign_in(who)).refused(E.FORBIDDEN, None, child.sid, "closed")
    # The numbers can be bought again: the carrier has them back.
    assert (await frontend.purchase(admin, phone_number="+12125550123")).ok()
    # Closing again answers the same; nothing reopens it.
    assert (await frontend.update_account(admin, child.sid, status=CLOSED)).ok() == closed
    (await frontend.update_account(admin, child.sid, status=ACTIVE)).refused(E.CONFLICT, "status", "final")
    (await frontend.update_account(admin, child.sid, friendly_name="Again")).refused(E.CONFLICT, None, "final")


def admin_view(admin: Credentials, who: Credentials) -> Credentials:
    """`who`'s numbers as its ancestor `admin` reads them (`who` may no longer sign in)."""
    return Credentials(who.sid, admin.token, admin.email, login_sid=admin.sid)


async def test_api_keys_act_as_their_account_until_revoked(
    frontend: Frontend, admin: Credentials, make_account
) -> None:
    child = await make_account(admin)
    key = (await frontend.create_api_key(child, child.sid, "deploy script")).ok()
    assert key["sid"].startswith("SK") and len(key["secret"]) == 32 and key["friendly_name"] == "deploy script"
    as_key = Credentials(child.sid, key["secret"], child.email, login_sid=key["sid"])
    assert (await frontend.sign_in(as_key)).ok() == {"sid": child.sid}
    assert (await frontend.purchase(as_key, phone_number="+15105555555")).ok()["account_sid"] == child.sid
    # A key may not manage credentials or statuses.
    (await frontend.create_api_key(as_key, child.sid)).refused(E.FORBIDDEN, None, "API key")
    grandchild = await make_account(child)
    (await frontend.update_account(as_key, grandchild.sid, status=SUSPENDED)).refused(E.FORBIDDEN, None, "API key")
    # Its account's status holds for the key too.
    (await frontend.update_account(admin, child.sid, status=SUSPENDED)).ok()
    (await frontend.sign_in(as_key)).refused(E.FORBIDDEN, None, "suspended")
    (await frontend.update_account(admin, child.sid, status=ACTIVE)).ok()
    # An Administrator ancestor revokes it; it stops at once; a second revocation finds nothing.
    assert (await frontend.revoke_api_key(admin, key["sid"], child.sid)).ok() == {"sid": key["sid"]}
    (await frontend.sign_in(as_key)).refused(E.UNAUTHENTICATED)
    (await frontend.revoke_api_key(admin, key["sid"], child.sid)).refused(E.NOT_FOUND, "sid")
    # A Developer manages its own keys, not another's.
    developer = await make_account(admin, role="Developer")
    (await frontend.create_api_key(developer, developer.sid)).ok()
    (await frontend.create_api_key(developer, child.sid)).refused(frontend.someone_elses)
