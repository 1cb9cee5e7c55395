"""Tenant isolation over every REST route (SPEC §3): who may act on which account.

The matrix: one test per caller/target relation (parametrized), each trying every
route; a failure lists every route that answered wrongly.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass
from typing import Callable

import pytest

from gateway.settings import Settings
from gateway.storage.tables import Account
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN, Credentials, numbers_path
from tests.support.rest import assert_error, buy, number_path

_suffixes = itertools.count(1000)


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The matrix signs in wrongly on purpose, once per route: more than the throttle answers.
    return Settings(database_url=database_url, admin_token=ADMIN_TOKEN, auth_failure_limit=1000)


def _local() -> dict[str, str]:
    return {"PhoneNumber": f"+1510555{next(_suffixes):04d}"}


def _toll_free() -> dict[str, str]:
    return {"PhoneNumber": f"+1800555{next(_suffixes):04d}"}


def _mobile() -> dict[str, str]:
    return {"PhoneNumber": f"+447400{next(_suffixes):06d}"}


@dataclass(frozen=True)
class RouteCase:
    name: str
    method: str
    #: (account sid, number sid) -> path
    path: Callable[[str, str], str]
    data: Callable[[], dict[str, str]] | None
    ok: int


ROUTES = [
    RouteCase("list", "GET", lambda a, n: numbers_path(a, ".json"), None, 200),
    RouteCase("purchase", "POST", lambda a, n: numbers_path(a, ".json"), _local, 200),
    RouteCase("list Local", "GET", lambda a, n: numbers_path(a, "/Local.json"), None, 200),
    RouteCase("list TollFree", "GET", lambda a, n: numbers_path(a, "/TollFree.json"), None, 200),
    RouteCase("list Mobile", "GET", lambda a, n: numbers_path(a, "/Mobile.json"), None, 200),
    RouteCase("purchase Local", "POST", lambda a, n: numbers_path(a, "/Local.json"), _local, 200),
    RouteCase("purchase TollFree", "POST", lambda a, n: numbers_path(a, "/TollFree.json"), _toll_free, 200),
    RouteCase("purchase Mobile", "POST", lambda a, n: numbers_path(a, "/Mobile.json"), _mobile, 200),
    RouteCase("get", "GET", lambda a, n: number_path(a, n), None, 200),
    RouteCase("update POST", "POST", lambda a, n: number_path(a, n), lambda: {"FriendlyName": "renamed"}, 200),
    RouteCase("update PUT", "PUT", lambda a, n: number_path(a, n), lambda: {"VoiceUrl": "https://example.com/x"}, 200),
    RouteCase("get account", "GET", lambda a, n: f"/restcomm/2012-04-24/Accounts/{a}.json", None, 200),
    RouteCase("list applications", "GET", lambda a, n: f"/restcomm/2012-04-24/Accounts/{a}/Applications.json", None, 200),
    RouteCase("create application", "POST", lambda a, n: f"/restcomm/2012-04-24/Accounts/{a}/Applications.json",
              lambda: {"FriendlyName": "app"}, 201),
    RouteCase("update account", "POST", lambda a, n: f"/restcomm/2012-04-24/Accounts/{a}.json",
              lambda: {"FriendlyName": "renamed"}, 200),
    RouteCase("list keys", "GET", lambda a, n: f"/restcomm/2012-04-24/Accounts/{a}/Keys.json", None, 200),
    RouteCase("create key", "POST", lambda a, n: f"/restcomm/2012-04-24/Accounts/{a}/Keys.json", None, 201),
    RouteCase("release", "DELETE", lambda a, n: number_path(a, n), None, 204),  # last: it removes the number
]

# caller, target, expected status ("ok" = the route's success status)
RELATIONS = {
    "self": ("child", "child", "ok"),
    "parent on child": ("admin", "child", "ok"),
    "grandparent on grandchild": ("admin", "grandchild", "ok"),
    "child on parent": ("child", "admin", 403),
    "grandchild on grandparent": ("grandchild", "admin", 403),
    "sibling": ("sibling", "child", 403),
    "other organization": ("other", "child", 403),
    "other organization on its root": ("other", "admin", 403),
    "unknown account": ("admin", "unknown", 403),
    "inactive caller on itself": ("suspended", "suspended", 403),
    "closed caller on its child": ("closed", "closed child", 403),
    "bad credentials": ("wrong token", "child", 401),
}


@pytest.mark.parametrize("relation", list(RELATIONS))
async def test_isolation_matrix(client, admin: Credentials, make_account, sessionmaker, relation: str) -> None:
    child = await make_account(admin)
    closed = await make_account(admin)
    accounts = {
        "admin": admin,
        "child": child,
        "grandchild": await make_account(child),
        "sibling": await make_account(admin),
        "other": await make_account(None),
        "suspended": await make_account(admin),
        "closed": closed,
        "closed child": await make_account(closed),
        "unknown": Credentials("AC" + "0123456789abcdef" * 2, "x", "x@example.com"),
        "wrong token": Credentials(child.sid, "0" * 32, child.email),
    }
    caller_name, target_name, expected = RELATIONS[relation]
    caller, target = accounts[caller_name], accounts[target_name]
    if target_name == "unknown":
        number_sid = "PN" + "0" * 32
    else:
        number_sid = (await buy(client, admin, **_local(), account_sid=target.sid))["sid"]
    await set_status(sessionmaker, accounts["suspended"].sid, "suspended")
    await set_status(sessionmaker, closed.sid, "closed")

    wrong = []
    for route in ROUTES:
        data = route.data() if route.data else None
        response = await client.request(route.method, route.path(target.sid, number_sid), data=data, auth=caller.auth)
        want = route.ok if expected == "ok" else expected
        if response.status_code != want:
            wrong.append((route.name, response.status_code, response.text[:200]))
            continue
        if want == 403:
            assert_error(response, 403, 20403)
        elif want == 401:
            assert_error(response, 401, 20003)
            assert response.headers["www-authenticate"] == 'Basic realm="Restcomm realm"'
    assert wrong == [], f"{relation}: expected {expected}"

    if expected == "ok":
        # the purchases landed in the target account; the release removed the number
        listed = await client.get(numbers_path(target.sid, ".json"), auth=admin.auth)
        assert listed.json()["total"] == 4 and number_sid not in listed.text
    elif target_name != "unknown":
        # nothing changed for the target: its number is still there, untouched, and alone
        response = await client.get(number_path(target.sid, number_sid), auth=admin.auth)
        assert response.status_code == 200 and response.json()["friendly_name"] != "renamed"
        assert response.json()["voice_url"] is None
        listed = await client.get(numbers_path(target.sid, ".json"), auth=admin.auth)
        assert listed.json()["total"] == 1
        applications = await client.get(f"/restcomm/2012-04-24/Accounts/{target.sid}/Applications.json", auth=admin.auth)
        assert applications.json() == []


async def set_status(sessionmaker, sid: str, status: str) -> None:
    async with sessionmaker() as session:
        account = await session.get(Account, sid)
        account.status = status
        session.add(account)
        await session.commit()


async def test_a_number_in_another_accounts_url(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    sibling = await make_account(admin)
    other = await make_account(None)
    admins = await buy(client, admin, "+15105550100")
    childs = await buy(client, admin, "+15105550101", account_sid=child.sid)
    siblings = await buy(client, sibling, "+15105550102")
    others = await buy(client, other, "+15105550103")

    # caller, URL account, number, expected: 403 when the caller may see the number elsewhere
    cases = [
        (admin, admin.sid, childs, 403),       # the admin sees the child's number under the child
        (admin, child.sid, admins, 403),
        (admin, child.sid, siblings, 403),
        (child, child.sid, admins, 404),       # the child cannot see its parent's number
        (child, child.sid, siblings, 404),
        (admin, admin.sid, others, 404),       # never leak across organizations
        (other, other.sid, childs, 404),
    ]
    for caller, account_sid, number, expected in cases:
        for method, data in (("GET", None), ("POST", {"FriendlyName": "x"}), ("PUT", {"FriendlyName": "x"}),
                             ("DELETE", None)):
            response = await client.request(method, number_path(account_sid, number["sid"]), data=data, auth=caller.auth)
            assert_error(response, expected, 20403 if expected == 403 else 20404, number["sid"])
            if expected == 404:
                assert number["phone_number"] not in response.text
    for who, number in ((admin, admins), (child, childs), (sibling, siblings), (other, others)):
        response = await client.get(number_path(who.sid, number["sid"]), auth=who.auth)
        assert response.json() == number  # untouched


async def test_authentication_forms(client, admin: Credentials, make_account) -> None:
    path = numbers_path(admin.sid, ".json")
    accepted = [
        (admin.sid, admin.token),
        (ADMIN_EMAIL, admin.token),
        (ADMIN_EMAIL.upper(), admin.token),
        (f" {ADMIN_EMAIL} ", admin.token),
        ("administrator%40company.com", admin.token),  # curl http://administrator%40company.com:TOKEN@host
        (admin.sid, ADMIN_PASSWORD),  # a password whose MD5 is the token
        (ADMIN_EMAIL, ADMIN_PASSWORD),
    ]
    for username, secret in accepted:
        response = await client.get(path, auth=(username, secret))
        assert response.status_code == 200, (username, secret, response.text)

    child = await make_account(admin)
    refused = [
        (admin.sid, "restcomm"), (admin.sid, admin.token.upper()), (admin.sid, ""), (ADMIN_EMAIL, "wrong"),
        ("nobody@company.com", admin.token), ("AC" + "1" * 32, admin.token), (child.sid, admin.token),
        (admin.sid, child.token), ("", ""),
    ]
    for username, secret in refused:
        response = await client.get(path, auth=(username, secret))
        assert_error(response, 401, 20003)
        assert response.headers["www-authenticate"] == 'Basic realm="Restcomm realm"'
    for headers in ({}, {"authorization": "Basic " + base64.b64encode(f"{admin.sid}".encode()).decode()}):
        response = await client.get(path, headers=headers)
        assert_error(response, 401, 20003)
        assert response.headers["www-authenticate"] == 'Basic realm="Restcomm realm"'

    # a subaccount logs in with its own e-mail and token, and acts on itself only
    assert (await client.get(numbers_path(child.sid, ".json"), auth=(child.email, child.token))).status_code == 200
    assert_error(await client.get(path, auth=(child.email, child.token)), 403, 20403)


async def test_inactive_target_can_be_read_not_written(client, admin: Credentials, make_account, sessionmaker) -> None:
    child = await make_account(admin)
    number = await buy(client, admin, "+15105550100", account_sid=child.sid)
    await set_status(sessionmaker, child.sid, "suspended")
    assert (await client.get(numbers_path(child.sid, ".json"), auth=admin.auth)).json()["total"] == 1
    assert (await client.get(number_path(child.sid, number["sid"]), auth=admin.auth)).status_code == 200
    for method, path, data in (
        ("POST", numbers_path(child.sid, ".json"), {"PhoneNumber": "+15105550101"}),
        ("POST", number_path(child.sid, number["sid"]), {"FriendlyName": "x"}),
        ("DELETE", number_path(child.sid, number["sid"]), None),
    ):
        assert_error(await client.request(method, path, data=data, auth=admin.auth), 403, 20403, "suspended")
    # the suspended account itself cannot even log in
    assert_error(await client.get(numbers_path(child.sid, ".json"), auth=child.auth), 403, 20403)
