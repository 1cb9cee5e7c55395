"""Credentials at rest: what a stolen database holds, and what signing in costs.

Tokens that may derive from a password are stored as a salted scrypt, random ones as a
salted HMAC; migration 0005 converts the unsalted hashes of older databases and every
token keeps working; one slow check per credential, then the remembered one.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import httpx
import pytest
from sqlalchemy import text

from gateway.app import create_app, serving_stack
from gateway.settings import Settings
from gateway.storage import secret_hashes
from gateway.storage.database import create_engine
from gateway.storage.migrate import upgrade
from gateway.storage.tables import Account, ApiKey
from tests.support.accounts import ADMIN_PASSWORD, ADMIN_SID, ADMIN_TOKEN, Credentials
from tests.support.rest import account_path


async def stored(sessionmaker, sid: str) -> str:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        row = await session.get(Account, sid)
    assert row is not None
    return row.secret_hash


async def test_what_a_stolen_database_holds(client, admin: Credentials, sessionmaker) -> None:
    # The bootstrap token is the MD5 of a password (the seed page's): slow and salted.
    bootstrap = await stored(sessionmaker, admin.sid)
    assert bootstrap.startswith("scrypt$16384$8$1$"), bootstrap
    assert hashlib.sha256(ADMIN_TOKEN.encode()).hexdigest() not in bootstrap
    # A subaccount made with a password: slow; one with a token the gateway drew: fast, salted.
    response = await client.post(account_path(suffix=".json"), data={"EmailAddress": "p@example.com",
                                                                      "Password": "correct horse"}, auth=admin.auth)
    with_password = response.json()
    response = await client.post(account_path(suffix=".json"), data={"EmailAddress": "r@example.com"}, auth=admin.auth)
    drawn = response.json()
    assert (await stored(sessionmaker, with_password["sid"])).startswith("scrypt$")
    assert (await stored(sessionmaker, drawn["sid"])).startswith("sha256$")
    # Two accounts with the same password store different hashes (salts).
    response = await client.post(account_path(suffix=".json"), data={"EmailAddress": "q@example.com",
                                                                      "Password": "correct horse"}, auth=admin.auth)
    assert with_password["auth_token"] == response.json()["auth_token"]
    assert await stored(sessionmaker, with_password["sid"]) != await stored(sessionmaker, response.json()["sid"])
    # An API key's secret: fast, salted, never the secret itself.
    response = await client.post(account_path(drawn["sid"], "/Keys.json"), auth=admin.auth)
    key = response.json()
    async with sessionmaker() as session:
        row = await session.get(ApiKey, key["sid"])
    assert row is not None and row.secret_hash.startswith("sha256$") and key["secret"] not in row.secret_hash


async def test_one_slow_check_per_credential(client, admin: Credentials, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = secret_hashes._scrypt

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(secret_hashes, "_scrypt", counted)
    for _ in range(5):
        assert (await client.get(account_path(admin.sid, ".json"), auth=admin.auth)).status_code == 200
    assert len(calls) == 1  # the token, checked once, then remembered
    # The password's MD5 is that token: remembered too, no slow check.
    by_password = (admin.email, ADMIN_PASSWORD)
    for _ in range(3):
        assert (await client.get(account_path(admin.sid, ".json"), auth=by_password)).status_code == 200
    assert len(calls) == 1
    # A wrong secret is checked every time, as a token and as a password (nothing remembers a failure).
    for _ in range(2):
        assert (await client.get(account_path(admin.sid, ".json"), auth=(admin.sid, "wrong"))).status_code == 401
    assert len(calls) == 5


async def test_migration_0005_converts_old_hashes_and_every_token_keeps_working(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO account (sid, friendly_name, email, status, role, organization_sid, path,"
                " auth_token_hash, date_created, date_updated) VALUES (:sid, 'old', 'old@example.com',"
                " 'active', 'Administrator', :org, :path, :hash, :now, :now)"
            ), {"sid": ADMIN_SID, "org": ADMIN_SID, "path": f"/{ADMIN_SID}/",
                "hash": hashlib.sha256(ADMIN_TOKEN.encode()).hexdigest(), "now": datetime(2020, 1, 1)})
        await upgrade(engine)
        async with engine.connect() as connection:
            [converted] = (await connection.execute(text("SELECT secret_hash FROM account"))).scalars().all()
        assert converted.startswith("scrypt$") and hashlib.sha256(ADMIN_TOKEN.encode()).hexdigest() not in converted
    finally:
        await engine.dispose()
    app = create_app(Settings(database_url=database_url))  # no GATEWAY_ADMIN_TOKEN: the stored one must do
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=serving_stack(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            for auth in ((ADMIN_SID, ADMIN_TOKEN), ("old@example.com", ADMIN_PASSWORD)):
                response = await client.get(account_path(ADMIN_SID, ".json"), auth=auth)
                assert response.status_code == 200, response.text
            assert (await client.get(account_path(ADMIN_SID, ".json"), auth=(ADMIN_SID, "0" * 32))).status_code == 401


def test_a_malformed_stored_hash_matches_nothing() -> None:
    for broken in ("", "scrypt$", "scrypt$x$8$1$salt$hash", "sha256$only", "md5$abc$def", "0" * 64):
        assert secret_hashes.matches(broken, "anything") is False
    good = secret_hashes.fast_hash("secret")
    assert secret_hashes.matches(good, "secret") and not secret_hashes.matches(good, "Secret")
