"""Helpers shared by the REST tests: paths, purchases, error assertions, the SPEC key orders."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Callable

import httpx
from sqlalchemy import update

from gateway.storage.tables import IncomingPhoneNumber
from tests.support.accounts import Credentials, numbers_path

#: `Database.session`: `async with sessionmaker() as session:`
SessionMaker = Callable[..., Any]

FORM = {"content-type": "application/x-www-form-urlencoded"}

#: SPEC §4.1, with every `*_application_name` present (each appears only when its sid is set)
NUMBER_KEYS_WITH_APPLICATIONS = [
    "sid", "account_sid", "friendly_name", "phone_number", "voice_url", "voice_method",
    "voice_fallback_url", "voice_fallback_method", "status_callback", "status_callback_method",
    "voice_caller_id_lookup", "voice_application_sid", "voice_application_name", "date_created",
    "date_updated", "sms_url", "sms_method", "sms_fallback_url", "sms_fallback_method",
    "sms_application_sid", "sms_application_name", "ussd_url", "ussd_method", "ussd_fallback_url",
    "ussd_fallback_method", "ussd_application_sid", "ussd_application_name", "refer_url",
    "refer_method", "refer_application_sid", "refer_application_name", "capabilities",
    "api_version", "uri",
]
NUMBER_KEYS = [k for k in NUMBER_KEYS_WITH_APPLICATIONS if not k.endswith("_application_name")]
ENVELOPE_KEYS = [
    "page", "num_pages", "page_size", "total", "start", "end", "uri", "first_page_uri",
    "previous_page_uri", "next_page_uri", "last_page_uri", "incomingPhoneNumbers",
]
#: `Fri, 27 Nov 2026 02:31:00 +0000`: English names, day not zero-padded, UTC
DATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [1-9]\d? (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d \+0000$"
)
NUMBER_SID = re.compile(r"^PN[0-9a-f]{32}$")
ALL_METHODS = [
    "voice_method", "voice_fallback_method", "status_callback_method", "sms_method",
    "sms_fallback_method", "ussd_method", "ussd_fallback_method", "refer_method",
]
ALL_URLS = [
    "voice_url", "voice_fallback_url", "status_callback", "sms_url", "sms_fallback_url",
    "ussd_url", "ussd_fallback_url", "refer_url",
]


def number_path(account_sid: str, number_sid: str, *, json: bool = True) -> str:
    return numbers_path(account_sid, f"/{number_sid}{'.json' if json else ''}")


def account_path(account_sid: str = "", suffix: str = "") -> str:
    base = "/restcomm/2012-04-24/Accounts"
    return f"{base}/{account_sid}{suffix}" if account_sid else f"{base}{suffix}"


async def buy(
    client: httpx.AsyncClient, who: Credentials, phone_number: str = "+15105555555", *,
    account_sid: str | None = None, subresource: str = "", **params: str,
) -> dict[str, Any]:
    """Purchase over REST (JSON) and return the number; fails the test unless 200."""
    data = {"PhoneNumber": phone_number, **params} if phone_number else params
    response = await client.post(
        numbers_path(account_sid or who.sid, f"{subresource}.json"), data=data, auth=who.auth
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def assert_error(response: httpx.Response, status: int, code: int | None, *mentions: str) -> dict[str, Any]:
    """A JSON error body with that status and Restcomm code whose message names `mentions`."""
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["code", "message", "more_info", "status"], body
    assert body["code"] == code, body
    assert body["status"] == status, body
    for mention in mentions:
        assert mention in body["message"], (mention, body["message"])
    return body  # type: ignore[no-any-return]


async def set_dates(
    sessionmaker: SessionMaker, number_sid: str, *, created: datetime | None = None, updated: datetime | None = None
) -> None:
    """Move a number's timestamps (they have second resolution, so tests age them instead of sleeping)."""
    values: dict[str, Any] = {}
    if created is not None:
        values["date_created"] = created
    if updated is not None:
        values["date_updated"] = updated
    async with sessionmaker() as session:
        await session.exec(  # type: ignore[call-overload]
            update(IncomingPhoneNumber).where(IncomingPhoneNumber.sid == number_sid).values(**values)
        )
        await session.commit()


async def count_rows(sessionmaker: SessionMaker, phone_number: str) -> int:
    from sqlmodel import func, select

    async with sessionmaker() as session:
        statement = select(func.count()).select_from(IncomingPhoneNumber).where(
            IncomingPhoneNumber.phone_number == phone_number
        )
        return int((await session.exec(statement)).one())
