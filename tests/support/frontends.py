"""One behaviour, two front-ends: drive a use case through REST or GraphQL alike.

A shared test states a case once, in the services' own terms: inputs by their
service-level names (`voice_url`, `friendly_name`, `transfer_to`, see
`gateway.domain.fields`), refusals by their `ErrorCode` and the field at fault. A
`Frontend` spells the case as its clients would (`VoiceUrl=...` on a form, or
`voice: {url: ...}` in a mutation's input), sends it, and reads the answer back into the
same terms: a number in REST's JSON representation (GraphQL's node converted with
`as_rest`) or a `Refusal`. Each front-end also checks what only it promises: REST's HTTP
status and error body, GraphQL's transport 200 and `userErrors` entry.

Values: strings as given; `True`/`False` (REST sends `true`/`false`); an HTTP method
as `"GET"`; `None` in a change clears the setting (REST sends an empty value, GraphQL
an explicit null).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

import httpx

from gateway.domain.accounts import AccountRole, AccountStatus
from gateway.domain.errors import ErrorCode
from gateway.domain.fields import field as spelling
from tests.graphql_helpers import NUMBER_FIELDS, as_rest, post
from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import account_path, number_path

#: the HTTP status of each error kind: REST's always, GraphQL's when a sign-in is refused
HTTP_STATUS = {
    ErrorCode.INVALID_PARAMETER: 400, ErrorCode.UNAUTHENTICATED: 401, ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404, ErrorCode.CONFLICT: 409, ErrorCode.INVALID_PHONE_NUMBER: 400,
    ErrorCode.MISSING_PHONE_NUMBER: 400, ErrorCode.INVALID_AREA_CODE: 400, ErrorCode.NUMBER_UNAVAILABLE: 400,
    ErrorCode.PROVIDER_UNAVAILABLE: 503, ErrorCode.INVALID_URL: 400, ErrorCode.SERVICE_UNAVAILABLE: 503,
    ErrorCode.TOO_MANY_REQUESTS: 429,
}
#: identifiers: a refusal names the sid it was given rather than the input (REST takes
#: the first two from the URL, where there is no parameter to name)
_IDENTIFIERS = {"sid", "account_sid", "transfer_to"}
#: what both front-ends answer about a new account, in the services' terms
ACCOUNT_KEYS = ("sid", "email", "friendly_name", "role", "parent_sid", "auth_token")
#: what both front-ends answer about a changed account
CHANGED_ACCOUNT_KEYS = ("sid", "email", "friendly_name", "role", "status", "parent_sid")
#: REST's typed subresource for each GraphQL `PhoneNumberType`
_SUBRESOURCE = {"LOCAL": "/Local", "TOLL_FREE": "/TollFree", "MOBILE": "/Mobile"}


@dataclass(frozen=True)
class Refusal:
    code: ErrorCode
    message: str
    #: GraphQL: the `userErrors` field path; REST: none (the message names the parameter)
    path: tuple[str, ...] | None
    #: whether it points at a service-level input as its front-end spells that input
    names: Callable[[Refusal, str], bool] = field(compare=False, repr=False)

    def points_at(self, field_name: str) -> bool:
        return self.names(self, field_name)


@dataclass(frozen=True)
class Outcome:
    #: what the use case made, when it succeeded: a number in REST's JSON representation,
    #: an account as `ACCOUNT_KEYS`
    value: dict[str, Any] | None = None
    refusal: Refusal | None = None

    def ok(self) -> dict[str, Any]:
        assert self.refusal is None and self.value is not None, self.refusal
        return self.value

    def refused(self, code: ErrorCode, field_name: str | None = None, *mentions: str) -> Refusal:
        """The refusal, checked: its kind, and (when given) the field it names and words it says."""
        assert self.refusal is not None, f"expected {code.name}, the use case succeeded: {self.value}"
        assert self.value is None, self.value
        assert self.refusal.code is code, (code, self.refusal)
        if field_name is not None:
            assert self.refusal.points_at(field_name), (field_name, self.refusal)
        for mention in mentions:
            assert mention in self.refusal.message, (mention, self.refusal.message)
        return self.refusal


class Frontend(Protocol):
    name: str
    #: how a number the caller may not see is refused: REST addresses it under its
    #: owner's account, which the caller may not act on (403); GraphQL by its sid
    #: alone, which does not exist for the caller (not found)
    someone_elses: ErrorCode

    async def purchase(self, who: Credentials, *, account_sid: str | None = None, **inputs: Any) -> Outcome: ...

    async def update(self, who: Credentials, sid: str, **changes: Any) -> Outcome: ...

    async def transfer(self, who: Credentials, sid: str, to: str) -> Outcome: ...

    async def release(self, who: Credentials, sid: str) -> Outcome: ...

    async def create_subaccount(self, who: Credentials, **inputs: Any) -> Outcome:
        """A child account of `who`, as `ACCOUNT_KEYS` (its token shown this once)."""

    async def update_account(self, who: Credentials, sid: str, **changes: Any) -> Outcome:
        """Change an account (friendly_name, status as an AccountStatus): as `CHANGED_ACCOUNT_KEYS`."""

    async def create_api_key(self, who: Credentials, account_sid: str, friendly_name: str | None = None) -> Outcome:
        """A key for the account: {"sid", "friendly_name", "secret"}."""

    async def revoke_api_key(self, who: Credentials, key_sid: str, account_sid: str) -> Outcome:
        """Revoke the key (REST addresses it under its account): {"sid"}."""

    async def sign_in(self, who: Credentials) -> Outcome:
        """Whether `who` may act at all now: {"sid"} of the account it acts as, or why not."""

    async def get(self, who: Credentials, sid: str) -> dict[str, Any] | None:
        """The number as `who` sees it, or None when it is not there for them."""

    async def phone_numbers(self, who: Credentials) -> list[str]:
        """The phone numbers of `who`'s own account, in the list's order."""


def _names_over_rest(refusal: Refusal, field_name: str) -> bool:
    return field_name in _IDENTIFIERS or spelling(field_name).rest in refusal.message


def _names_over_graphql(refusal: Refusal, field_name: str) -> bool:
    spelled = spelling(field_name)
    named = field_name in _IDENTIFIERS or spelled.graphql_label in refusal.message
    return refusal.path == ("input", *spelled.graphql) and named


class _Owners:
    """Which account each number was last seen under: REST addresses a number by its
    account's URL, GraphQL by its sid alone."""

    def __init__(self) -> None:
        self._accounts: dict[str, str] = {}

    def note(self, outcome: Outcome) -> Outcome:
        if outcome.value is not None:
            self._accounts[outcome.value["sid"]] = outcome.value["account_sid"]
        return outcome

    def of(self, sid: str, who: Credentials) -> str:
        return self._accounts.get(sid, who.sid)


def _form_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):  # a domain enum: REST sends its value (`Developer`)
        return str(value.value)
    return str(value)


class RestFrontend:
    name = "rest"
    someone_elses = ErrorCode.FORBIDDEN

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.owners = _Owners()

    async def purchase(self, who: Credentials, *, account_sid: str | None = None, **inputs: Any) -> Outcome:
        subresource = _SUBRESOURCE[inputs.pop("type")] if "type" in inputs else ""
        form = {spelling(name).rest: _form_value(value) for name, value in inputs.items()}
        response = await self.client.post(
            numbers_path(account_sid or who.sid, f"{subresource}.json"), data=form, auth=who.auth
        )
        return self.owners.note(self._outcome(response, success=200))

    async def update(self, who: Credentials, sid: str, **changes: Any) -> Outcome:
        form = {spelling(name).rest: _form_value(value) for name, value in changes.items()}
        response = await self.client.post(number_path(self.owners.of(sid, who), sid), data=form, auth=who.auth)
        return self.owners.note(self._outcome(response, success=200))

    async def transfer(self, who: Credentials, sid: str, to: str) -> Outcome:
        return await self.update(who, sid, transfer_to=to)

    async def release(self, who: Credentials, sid: str) -> Outcome:
        before = await self.get(who, sid)
        response = await self.client.delete(number_path(self.owners.of(sid, who), sid), auth=who.auth)
        outcome = self._outcome(response, success=204)
        return Outcome(value=before) if outcome.refusal is None else outcome

    async def create_subaccount(self, who: Credentials, **inputs: Any) -> Outcome:
        form = {spelling(name).rest: _form_value(value) for name, value in inputs.items()}
        outcome = self._outcome(await self.client.post(account_path(suffix=".json"), data=form, auth=who.auth), success=201)
        if outcome.value is None:
            return outcome
        created = outcome.value
        return Outcome(value={
            "sid": created["sid"], "email": created["email_address"], "friendly_name": created["friendly_name"],
            "role": AccountRole(created["role"]), "parent_sid": created["parent_sid"], "auth_token": created["auth_token"],
        })

    async def update_account(self, who: Credentials, sid: str, **changes: Any) -> Outcome:
        form = {spelling(name).rest: _form_value(value) for name, value in changes.items()}
        outcome = self._outcome(await self.client.post(account_path(sid, ".json"), data=form, auth=who.auth), success=200)
        if outcome.value is None:
            return outcome
        account = outcome.value
        return Outcome(value={
            "sid": account["sid"], "email": account["email_address"], "friendly_name": account["friendly_name"],
            "role": AccountRole(account["role"]), "status": AccountStatus(account["status"]),
            "parent_sid": account["parent_sid"],
        })

    async def create_api_key(self, who: Credentials, account_sid: str, friendly_name: str | None = None) -> Outcome:
        form = {"FriendlyName": friendly_name} if friendly_name is not None else {}
        response = await self.client.post(account_path(account_sid, "/Keys.json"), data=form, auth=who.auth)
        outcome = self._outcome(response, success=201)
        if outcome.value is None:
            return outcome
        key = outcome.value
        return Outcome(value={"sid": key["sid"], "friendly_name": key["friendly_name"], "secret": key["secret"]})

    async def revoke_api_key(self, who: Credentials, key_sid: str, account_sid: str) -> Outcome:
        response = await self.client.delete(account_path(account_sid, f"/Keys/{key_sid}.json"), auth=who.auth)
        outcome = self._outcome(response, success=204)
        return Outcome(value={"sid": key_sid}) if outcome.refusal is None else outcome

    async def sign_in(self, who: Credentials) -> Outcome:
        response = await self.client.get(account_path(who.sid, ".json"), auth=who.auth)
        outcome = self._outcome(response, success=200)
        if outcome.refusal is not None and outcome.refusal.code is ErrorCode.UNAUTHENTICATED:
            assert response.headers["www-authenticate"] == 'Basic realm="Restcomm realm"'
        return Outcome(value={"sid": outcome.value["sid"]}) if outcome.value is not None else outcome

    async def get(self, who: Credentials, sid: str) -> dict[str, Any] | None:
        response = await self.client.get(number_path(self.owners.of(sid, who), sid), auth=who.auth)
        if response.status_code in (403, 404):
            return None
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def phone_numbers(self, who: Credentials) -> list[str]:
        response = await self.client.get(numbers_path(who.sid, ".json"), auth=who.auth)
        assert response.status_code == 200, response.text
        return [n["phone_number"] for n in response.json()["incomingPhoneNumbers"]]

    @staticmethod
    def _outcome(response: httpx.Response, *, success: int) -> Outcome:
        if response.status_code == success:
            return Outcome(value=response.json() if response.content else {})
        body = response.json()
        assert list(body) == ["code", "message", "more_info", "status"], body
        code = ErrorCode(body["code"])
        assert response.status_code == body["status"] == HTTP_STATUS[code], (response.status_code, body)
        if HTTP_STATUS[code] in (429, 503):
            assert int(response.headers["retry-after"]) > 0, response.headers
        return Outcome(refusal=Refusal(code, body["message"], None, _names_over_rest))


_ERRORS = "userErrors { field message code restcommCode }"
_NUMBER = f"incomingPhoneNumber {{ {NUMBER_FIELDS} }}"
_MUTATIONS = {
    name: f"mutation($input: {kind}Input!) {{ {name}(input: $input) {{ {selection} {_ERRORS} }} }}"
    for name, kind, selection in (
        ("purchaseNumber", "PurchaseNumber", _NUMBER),
        ("updateNumber", "UpdateNumber", _NUMBER),
        ("transferNumber", "TransferNumber", _NUMBER),
        ("releaseNumber", "ReleaseNumber", f"releasedSid {_NUMBER}"),
        ("createSubaccount", "CreateSubaccount", "account { sid email friendlyName role parent { sid } } authToken"),
        ("updateAccount", "UpdateAccount", "account { sid email friendlyName role status parent { sid } }"),
        ("createApiKey", "CreateApiKey", "apiKey { sid friendlyName } secret"),
        ("revokeApiKey", "RevokeApiKey", "revokedSid"),
    )
}


def _graphql_input(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Service-level names to the nested input GraphQL takes (`voice_url` → voice.url)."""
    nested: dict[str, Any] = {}
    for name, value in inputs.items():
        *parents, leaf = ("type",) if name == "type" else spelling(name).graphql
        target = nested
        for parent in parents:
            target = target.setdefault(parent, {})
        # a domain enum: GraphQL sends its name (`DEVELOPER`)
        target[leaf] = value.name if isinstance(value, Enum) else value
    return nested


class GraphQLFrontend:
    name = "graphql"
    someone_elses = ErrorCode.NOT_FOUND

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def purchase(self, who: Credentials, *, account_sid: str | None = None, **inputs: Any) -> Outcome:
        if account_sid is not None:
            inputs["account_sid"] = account_sid
        return await self._mutate(who, "purchaseNumber", inputs)

    async def update(self, who: Credentials, sid: str, **changes: Any) -> Outcome:
        return await self._mutate(who, "updateNumber", {"sid": sid, **changes})

    async def transfer(self, who: Credentials, sid: str, to: str) -> Outcome:
        return await self._mutate(who, "transferNumber", {"sid": sid, "transfer_to": to})

    async def release(self, who: Credentials, sid: str) -> Outcome:
        return await self._mutate(who, "releaseNumber", {"sid": sid})

    async def create_subaccount(self, who: Credentials, **inputs: Any) -> Outcome:
        return await self._mutate(who, "createSubaccount", inputs)

    async def update_account(self, who: Credentials, sid: str, **changes: Any) -> Outcome:
        return await self._mutate(who, "updateAccount", {"sid": sid, **changes})

    async def create_api_key(self, who: Credentials, account_sid: str, friendly_name: str | None = None) -> Outcome:
        inputs = {"account_sid": account_sid, **({"friendly_name": friendly_name} if friendly_name is not None else {})}
        return await self._mutate(who, "createApiKey", inputs)

    async def revoke_api_key(self, who: Credentials, key_sid: str, account_sid: str) -> Outcome:
        return await self._mutate(who, "revokeApiKey", {"sid": key_sid})

    async def sign_in(self, who: Credentials) -> Outcome:
        response = await self.client.post("/graphql", json={"query": "{ viewer { sid } }"}, auth=who.auth)
        body = response.json()
        if response.status_code == 200:
            assert not body.get("errors"), body
            return Outcome(value={"sid": body["data"]["viewer"]["sid"]})
        [error] = body["errors"]
        code = ErrorCode[error["extensions"]["code"]]
        assert response.status_code == HTTP_STATUS[code], (response.status_code, body)
        return Outcome(refusal=Refusal(code, error["message"], None, _names_over_graphql))

    async def get(self, who: Credentials, sid: str) -> dict[str, Any] | None:
        query = f"query($sid: ID!) {{ incomingPhoneNumber(sid: $sid) {{ {NUMBER_FIELDS} }} }}"
        body = await post(self.client, who, query, {"sid": sid})
        assert not body.get("errors"), body  # a number the viewer may not see is simply null
        node = body["data"]["incomingPhoneNumber"]
        return as_rest(node) if node is not None else None

    async def phone_numbers(self, who: Credentials) -> list[str]:
        query = "query($account: ID) { incomingPhoneNumbers(accountSid: $account) { nodes { phoneNumber } } }"
        body = await post(self.client, who, query, {"account": who.sid})
        assert not body.get("errors"), body
        return [n["phoneNumber"] for n in body["data"]["incomingPhoneNumbers"]["nodes"]]

    async def _mutate(self, who: Credentials, mutation: str, inputs: Mapping[str, Any]) -> Outcome:
        body = await post(self.client, who, _MUTATIONS[mutation], {"input": _graphql_input(inputs)})
        assert not body.get("errors"), body
        payload = body["data"][mutation]
        errors = payload["userErrors"]
        made = payload.get("incomingPhoneNumber", payload.get("account", payload.get("apiKey", payload.get("revokedSid"))))
        if not errors:
            assert made is not None, payload
            return Outcome(value=_made(mutation, payload))
        [error] = errors
        assert made is None and not payload.get("releasedSid") and not payload.get("authToken"), payload
        assert not payload.get("secret"), payload
        code = ErrorCode[error["code"]]
        assert error["restcommCode"] == code.restcomm_code, error
        path = tuple(error["field"]) if error["field"] is not None else None
        return Outcome(refusal=Refusal(code, error["message"], path, _names_over_graphql))


def _made(mutation: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A successful payload in the shared terms."""
    if mutation == "createSubaccount":
        account = payload["account"]
        return {
            "sid": account["sid"], "email": account["email"], "friendly_name": account["friendlyName"],
            "role": AccountRole[account["role"]], "parent_sid": (account["parent"] or {}).get("sid"),
            "auth_token": payload["authToken"],
        }
    if mutation == "updateAccount":
        account = payload["account"]
        return {
            "sid": account["sid"], "email": account["email"], "friendly_name": account["friendlyName"],
            "role": AccountRole[account["role"]], "status": AccountStatus[account["status"]],
            "parent_sid": (account["parent"] or {}).get("sid"),
        }
    if mutation == "createApiKey":
        key = payload["apiKey"]
        return {"sid": key["sid"], "friendly_name": key["friendlyName"], "secret": payload["secret"]}
    if mutation == "revokeApiKey":
        return {"sid": payload["revokedSid"]}
    if mutation == "releaseNumber":
        assert payload["releasedSid"] == payload["incomingPhoneNumber"]["sid"], payload
    return as_rest(payload["incomingPhoneNumber"])
