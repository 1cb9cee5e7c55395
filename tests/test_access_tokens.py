"""Access tokens: what a single-page app holds instead of a password (README: Web front-ends).

A person signs in once with HTTP Basic (e-mail and password) and gets a token;
`Authorization: Bearer` then acts as the account on REST and GraphQL until the token
expires, is revoked, the account's credentials change, or the account or an ancestor
is suspended or closed.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import httpx
from sqlmodel import select

from gateway.storage.tables import AccessToken, utcnow
from tests.support.accounts import Credentials

BASE = "/restcomm/2012-04-24"
VIEWER = {"query": "{ viewer { sid } }"}
CREATE = """mutation Create($ttl: Int) { createAccessToken(input: {ttlSeconds: $ttl}) {
  accessToken accessTokenSid expiresAt account { sid } userErrors { field message code } } }"""
REVOKE = """mutation Revoke($sid: ID) { revokeAccessToken(input: {sid: $sid}) {
  revokedSid userErrors { field message code } } }"""


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def person(client: httpx.AsyncClient, admin: Credentials, email: str) -> Credentials:
    """A subaccount a person signs in to with an e-mail and a password."""
    created = await client.post(f"{BASE}/Accounts.json", auth=admin.auth,
                                data={"EmailAddress": email, "Password": "correct horse"})
    assert created.status_code == 201, created.text
    return Credentials(created.json()["sid"], "correct horse", email, by_email=True)


async def rest_token(client: httpx.AsyncClient, who: Credentials, **data: str) -> dict[str, object]:
    response = await client.post(f"{BASE}/Accounts/{who.sid}/AccessTokens.json", auth=who.auth, data=data)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def acts_as(client: httpx.AsyncClient, token: str) -> str | None:
    """The account the token acts as over GraphQL, or None when it is refused."""
    response = await client.post("/graphql", json=VIEWER, headers=bearer(token))
    if response.status_code == 401:
        assert response.headers["www-authenticate"] == 'Bearer realm="Restcomm realm", error="invalid_token"'
        return None
    assert response.status_code == 200, response.text
    return str(response.json()["data"]["viewer"]["sid"])


async def test_a_password_sign_in_gives_a_token_for_rest_and_graphql(
    client: httpx.AsyncClient, admin: Credentials
) -> None:
    user = await person(client, admin, "ada@example.com")
    body = await rest_token(client, user)
    assert list(body) == ["sid", "account_sid", "token", "ttl", "date_created", "date_expires", "uri"]
    assert body["account_sid"] == user.sid and body["ttl"] == 3600
    lifetime = parsedate_to_datetime(str(body["date_expires"])) - parsedate_to_datetime(str(body["date_created"]))
    assert lifetime == timedelta(hours=1)
    token = str(body["token"])
    assert token.startswith(f"{body['sid']}.")

    assert await acts_as(client, token) == user.sid
    account = await client.get(f"{BASE}/Accounts/{user.sid}.json", headers=bearer(token))
    assert account.status_code == 200 and account.json()["sid"] == user.sid
    numbers = await client.get(f"{BASE}/Accounts/{user.sid}/IncomingPhoneNumbers.json", headers=bearer(token))
    assert numbers.status_code == 200
    # It acts within its account's rights only.
    foreign = await client.get(f"{BASE}/Accounts/{admin.sid}.json", headers=bearer(token))
    assert foreign.status_code == 403

    graphql = await client.post("/graphql", auth=user.auth, json={"query": CREATE, "variables": {"ttl": 120}})
    payload = graphql.json()["data"]["createAccessToken"]
    assert payload["userErrors"] == [] and payload["account"] == {"sid": user.sid}
    assert await acts_as(client, payload["accessToken"]) == user.sid


async def test_tokens_are_stored_hashed(client: httpx.AsyncClient, admin: Credentials, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    body = await rest_token(client, admin)
    secret = str(body["token"]).partition(".")[2]
    async with sessionmaker() as session:
        row = (await session.exec(select(AccessToken).where(AccessToken.sid == body["sid"]))).one()
    assert secret not in row.secret_hash and len(row.secret_hash) == 64


async def test_the_lifetime_is_bounded_and_named_when_wrong(client: httpx.AsyncClient, admin: Credentials) -> None:
    path = f"{BASE}/Accounts/{admin.sid}/AccessTokens.json"
    for ttl in ("0", "86401", "abc", "1.5", "-5", "١٠", ""):
        response = await client.post(path, auth=admin.auth, data={"Ttl": ttl})
        assert response.status_code == 400 and response.json()["code"] == 20001
        assert "Ttl" in response.json()["message"]
    assert (await rest_token(client, admin, Ttl="86400"))["ttl"] == 86400
    graphql = await client.post("/graphql", auth=admin.auth, json={"query": CREATE, "variables": {"ttl": 0}})
    [error] = graphql.json()["data"]["createAccessToken"]["userErrors"]
    assert error["field"] == ["input", "ttlSeconds"] and error["code"] == "INVALID_PARAMETER"


async def test_an_expired_token_is_refused(client: httpx.AsyncClient, admin: Credentials, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    body = await rest_token(client, admin, Ttl="60")
    token = str(body["token"])
    assert await acts_as(client, token) == admin.sid
    async with sessionmaker() as session:  # its hour is up
        row = await session.get(AccessToken, body["sid"])
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        await session.commit()
    assert await acts_as(client, token) is None
    response = await client.get(f"{BASE}/Accounts/{admin.sid}.json", headers=bearer(token))
    assert response.status_code == 401 and response.json()["code"] == 20003


async def test_revoking_ends_a_token_at_once(client: httpx.AsyncClient, admin: Credentials) -> None:
    user = await person(client, admin, "grace@example.com")
    first, second, third = [str((await rest_token(client, user))["token"]) for _ in range(3)]
    first_sid = first.partition(".")[0]

    deleted = await client.delete(f"{BASE}/Accounts/{user.sid}/AccessTokens/{first_sid}.json", headers=bearer(second))
    assert deleted.status_code == 204
    assert await acts_as(client, first) is None
    again = await client.delete(f"{BASE}/Accounts/{user.sid}/AccessTokens/{first_sid}.json", auth=user.auth)
    assert again.status_code == 404

    # Signing out: no sid revokes the token the request carries.
    out = await client.post("/graphql", headers=bearer(second), json={"query": REVOKE})
    assert out.json()["data"]["revokeAccessToken"] == {"revokedSid": second.partition(".")[0], "userErrors": []}
    assert await acts_as(client, second) is None
    assert await acts_as(client, third) == user.sid  # the others stay

    # Another organization's token is not found; signing out with Basic names the sid.
    outsider = await client.post("/graphql", auth=admin.auth, json={"query": REVOKE})
    [error] = outsider.json()["data"]["revokeAccessToken"]["userErrors"]
    assert error["field"] == ["input", "sid"]


async def test_a_token_cannot_make_tokens_or_change_credentials(client: httpx.AsyncClient, admin: Credentials) -> None:
    user = await person(client, admin, "alan@example.com")
    token = str((await rest_token(client, user))["token"])
    minted = await client.post(f"{BASE}/Accounts/{user.sid}/AccessTokens.json", headers=bearer(token))
    assert minted.status_code == 403 and "access token cannot create" in minted.json()["message"]
    graphql = await client.post("/graphql", headers=bearer(token), json={"query": CREATE})
    assert graphql.json()["data"]["createAccessToken"]["userErrors"][0]["code"] == "FORBIDDEN"
    for data in ({"Password": "a new password"}, {"Status": "suspended"}):
        refused = await client.post(f"{BASE}/Accounts/{user.sid}.json", headers=bearer(token), data=data)
        assert refused.status_code == 403
    keys = await client.post(f"{BASE}/Accounts/{user.sid}/Keys.json", headers=bearer(token))
    assert keys.status_code == 403
    # Tokens act as the account that makes them, not as one below it.
    for_child = await client.post(f"{BASE}/Accounts/{user.sid}/AccessTokens.json", auth=admin.auth)
    assert for_child.status_code == 403


async def test_suspension_closure_and_new_credentials_end_tokens(client: httpx.AsyncClient, admin: Credentials) -> None:
    parent = await person(client, admin, "parent@example.com")
    promoted = await client.post(f"{BASE}/Accounts.json", auth=parent.auth,
                                 data={"EmailAddress": "child@example.com", "Password": "correct horse"})
    # Developers cannot create subaccounts: the child comes from an Administrator parent.
    if promoted.status_code == 403:
        promoted = await client.post(f"{BASE}/Accounts.json", auth=admin.auth,
                                     data={"EmailAddress": "child@example.com", "Password": "correct horse"})
    assert promoted.status_code == 201, promoted.text
    child = Credentials(promoted.json()["sid"], "correct horse", "child@example.com", by_email=True)
    child_token = str((await rest_token(client, child))["token"])
    parent_token = str((await rest_token(client, parent))["token"])

    suspended = await client.post(f"{BASE}/Accounts/{child.sid}.json", auth=admin.auth, data={"Status": "suspended"})
    assert suspended.status_code == 200
    assert await acts_as(client, child_token) is None
    reactivated = await client.post(f"{BASE}/Accounts/{child.sid}.json", auth=admin.auth, data={"Status": "active"})
    assert reactivated.status_code == 200
    assert await acts_as(client, child_token) is None  # ended, not paused
    assert await acts_as(client, parent_token) == parent.sid

    changed = await client.post(f"{BASE}/Accounts/{parent.sid}.json", auth=parent.auth,
                                data={"Password": "another horse"})
    assert changed.status_code == 200
    assert await acts_as(client, parent_token) is None
