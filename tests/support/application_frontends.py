"""Applications through either front-end, as `tests/support/frontends.py` does for
numbers and accounts: an application comes back as REST's JSON representation
(`sid`, `account_sid`, `friendly_name`, `uri`), a refusal as a `Refusal`."""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from gateway.domain.errors import ErrorCode
from tests.graphql_helpers import post
from tests.support.accounts import Credentials
from tests.support.frontends import Frontend, GraphQLFrontend, Outcome, Refusal, RestFrontend
from tests.support.rest import account_path

_ERRORS = "userErrors { field message code restcommCode }"
_APPLICATION = "application { sid friendlyName account { sid } }"


class Applications(Protocol):
    async def create(self, who: Credentials, account_sid: str, friendly_name: str) -> Outcome: ...

    async def rename(self, who: Credentials, sid: str, friendly_name: str) -> Outcome: ...

    async def delete(self, who: Credentials, sid: str) -> Outcome:
        """The application as it was, as REST represents it."""


def applications_of(frontend: Frontend) -> Applications:
    if isinstance(frontend, RestFrontend):
        return RestApplications(frontend)
    assert isinstance(frontend, GraphQLFrontend)
    return GraphQLApplications(frontend.client)


class RestApplications:
    def __init__(self, frontend: RestFrontend) -> None:
        self.frontend = frontend
        #: REST addresses an application under its account's URL
        self.accounts: dict[str, str] = {}

    def _path(self, sid: str, who: Credentials) -> str:
        return account_path(self.accounts.get(sid, who.sid), f"/Applications/{sid}.json")

    async def create(self, who: Credentials, account_sid: str, friendly_name: str) -> Outcome:
        response = await self.frontend.client.post(
            account_path(account_sid, "/Applications.json"), data={"FriendlyName": friendly_name}, auth=who.auth
        )
        outcome = self.frontend._outcome(response, success=201)
        if outcome.value is not None:
            self.accounts[outcome.value["sid"]] = outcome.value["account_sid"]
        return outcome

    async def rename(self, who: Credentials, sid: str, friendly_name: str) -> Outcome:
        response = await self.frontend.client.post(self._path(sid, who), data={"FriendlyName": friendly_name},
                                                   auth=who.auth)
        return self.frontend._outcome(response, success=200)

    async def delete(self, who: Credentials, sid: str) -> Outcome:
        before = await self.frontend.client.get(self._path(sid, who), auth=who.auth)
        response = await self.frontend.client.delete(self._path(sid, who), auth=who.auth)
        outcome = self.frontend._outcome(response, success=204)
        return Outcome(value=before.json()) if outcome.refusal is None else outcome


class GraphQLApplications:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def create(self, who: Credentials, account_sid: str, friendly_name: str) -> Outcome:
        mutation = f"mutation($i: CreateApplicationInput!) {{ createApplication(input: $i) {{ {_APPLICATION} {_ERRORS} }} }}"
        return await self._mutate(who, mutation, "createApplication", {"accountSid": account_sid,
                                                                       "friendlyName": friendly_name})

    async def rename(self, who: Credentials, sid: str, friendly_name: str) -> Outcome:
        mutation = f"mutation($i: UpdateApplicationInput!) {{ updateApplication(input: $i) {{ {_APPLICATION} {_ERRORS} }} }}"
        return await self._mutate(who, mutation, "updateApplication", {"sid": sid, "friendlyName": friendly_name})

    async def delete(self, who: Credentials, sid: str) -> Outcome:
        mutation = (f"mutation($i: DeleteApplicationInput!) {{ deleteApplication(input: $i) {{ deletedSid "
                    f"{_APPLICATION} {_ERRORS} }} }}")
        return await self._mutate(who, mutation, "deleteApplication", {"sid": sid})

    async def _mutate(self, who: Credentials, mutation: str, name: str, inputs: dict[str, Any]) -> Outcome:
        body = await post(self.client, who, mutation, {"i": inputs})
        assert not body.get("errors"), body
        payload = body["data"][name]
        if payload["userErrors"]:
            [error] = payload["userErrors"]
            assert payload["application"] is None and not payload.get("deletedSid"), payload
            code = ErrorCode[error["code"]]
            assert error["restcommCode"] == code.restcomm_code, error
            path = tuple(error["field"]) if error["field"] is not None else None
            return Outcome(refusal=Refusal(code, error["message"], path, _names_input))
        application = payload["application"]
        account_sid = (application["account"] or {}).get("sid")
        return Outcome(value={
            "sid": application["sid"], "account_sid": account_sid, "friendly_name": application["friendlyName"],
            "uri": f"/2012-04-24/Accounts/{account_sid}/Applications/{application['sid']}.json",
        })


def _names_input(refusal: Refusal, field_name: str) -> bool:
    """GraphQL names the input at fault by its path under `input` (friendly_name → friendlyName)."""
    head, *rest = field_name.split("_")
    return refusal.path == ("input", head + "".join(part.capitalize() for part in rest))
