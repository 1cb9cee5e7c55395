"""Creating a subaccount (REST's POST /Accounts, GraphQL's createSubaccount)."""

from __future__ import annotations

from typing import Any

from gateway.domain.accounts import AccountRole
from gateway.domain.errors import ErrorCode
from tests.support.accounts import Credentials
from tests.support.frontends import ACCOUNT_KEYS, Frontend

E = ErrorCode


async def test_a_child_that_signs_in_at_once(frontend: Frontend, admin: Credentials) -> None:
    created = (await frontend.create_subaccount(
        admin, email="New.User@Example.com", friendly_name="New user", password="s3cret-password",
        role=AccountRole.DEVELOPER,
    )).ok()
    assert tuple(created) == ACCOUNT_KEYS
    assert (created["email"], created["friendly_name"], created["role"], created["parent_sid"]) == (
        "new.user@example.com", "New user", AccountRole.DEVELOPER, admin.sid)
    # It signs in with its sid and token, or its e-mail and password, and sees what it owns.
    developer = Credentials(created["sid"], created["auth_token"], created["email"])
    by_password = Credentials(created["sid"], "s3cret-password", created["email"], by_email=True)
    for login in (developer, by_password):
        assert await frontend.phone_numbers(login) == []
    # Without a password: a random token; an Administrator, named after its e-mail.
    ops = (await frontend.create_subaccount(admin, email="ops@example.com", role=AccountRole.ADMINISTRATOR)).ok()
    assert len(ops["auth_token"]) == 32 and ops["friendly_name"] == "ops@example.com"
    # An Administrator subaccount creates its own children; a Developer none.
    ops_login = Credentials(ops["sid"], ops["auth_token"], ops["email"])
    grandchild = (await frontend.create_subaccount(ops_login, email="gc@example.com")).ok()
    assert grandchild["parent_sid"] == ops["sid"]
    (await frontend.create_subaccount(developer, email="x@example.com")).refused(E.FORBIDDEN, None, "Administrator")


#: (inputs, the refusal's kind, the field it names)
REFUSED: list[tuple[dict[str, Any], ErrorCode, str]] = [
    ({"email": ""}, E.INVALID_PARAMETER, "email"),
    ({"email": "not-an-address"}, E.INVALID_PARAMETER, "email"),
    ({"email": "TAKEN@example.com"}, E.CONFLICT, "email"),
    ({"email": "administrator@company.com"}, E.CONFLICT, "email"),
    ({"email": "new@example.com", "password": "short"}, E.INVALID_PARAMETER, "password"),
    ({"email": "new@example.com", "friendly_name": "n" * 65}, E.INVALID_PARAMETER, "friendly_name"),
]


async def test_refusals_name_the_input_and_create_nothing(frontend: Frontend, admin: Credentials) -> None:
    (await frontend.create_subaccount(admin, email="taken@example.com")).ok()
    wrong = []
    for inputs, code, field_name in REFUSED:
        outcome = await frontend.create_subaccount(admin, **inputs)
        if outcome.refusal is None or outcome.refusal.code is not code or not outcome.refusal.points_at(field_name):
            wrong.append((inputs, code.name, field_name, outcome.refusal or outcome.value))
    assert wrong == []
    # None of them was created: the address is still free.
    assert (await frontend.create_subaccount(admin, email="new@example.com")).ok()["email"] == "new@example.com"
