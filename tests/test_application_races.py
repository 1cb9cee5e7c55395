"""An application deleted between the check of a change that names it and the write:
the database's foreign key refuses the write, and the client hears what REST and
GraphQL say for an unknown application (400 naming the parameter), never a 500."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.storage.tables import Account
from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import buy

GONE = "AP" + "0" * 32


@pytest.fixture
def checks_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check saw the application: it was deleted right after."""
    async def saw_it(*, session: AsyncSession, account: Account, values: Mapping[str, Any]) -> None:
        return None

    monkeypatch.setattr("gateway.services.numbers.check_usable", saw_it)
    monkeypatch.setattr("gateway.services.purchase.check_usable", saw_it)


async def test_an_update_naming_a_just_deleted_application_is_a_400(
    client: httpx.AsyncClient, admin: Credentials, checks_pass: None
) -> None:
    number = await buy(client, admin, "+15105550700")
    response = await client.post(numbers_path(admin.sid, f"/{number['sid']}.json"),
                                 data={"VoiceApplicationSid": GONE}, auth=admin.auth)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 20001 and "VoiceApplicationSid" in response.json()["message"]
    unchanged = await client.get(numbers_path(admin.sid, f"/{number['sid']}.json"), auth=admin.auth)
    assert unchanged.json()["voice_application_sid"] is None


async def test_a_purchase_naming_a_just_deleted_application_is_a_400(
    client: httpx.AsyncClient, admin: Credentials, checks_pass: None
) -> None:
    response = await client.post(numbers_path(admin.sid, ".json"), auth=admin.auth,
                                 data={"PhoneNumber": "+15105550701", "SmsApplicationSid": GONE})
    assert response.status_code == 400, response.text
    assert "SmsApplicationSid" in response.json()["message"]
    listed = await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)
    assert listed.json()["total"] == 0
