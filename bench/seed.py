"""Seed a benchmark database: the bootstrap account, a subaccount holding N numbers
(bulk-loaded through the raw driver: the ORM would take minutes for a million rows),
and one application every number routes voice to."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

from gateway.services.accounts import create_account, ensure_bootstrap_account, find_account
from gateway.services.applications import create_application
from gateway.storage.database import Database, migrate_schema

ADMIN_SID = "ACae6e420f425248d6a26948c17a9e2acf"
ADMIN_TOKEN = "77f8c12cc7b8f8423e5c38b035249166"
BIG_TOKEN = "b1gb1gb1gb1gb1gb1gb1gb1gb1gb1g00"
COLUMNS = (
    "sid", "account_sid", "organization_sid", "phone_number", "friendly_name", "number_type", "is_sip", "beta",
    "status", "api_version", "date_created", "date_updated",
    "voice_url", "voice_method", "voice_fallback_url", "voice_fallback_method", "status_callback",
    "status_callback_method", "voice_caller_id_lookup", "voice_application_sid",
    "sms_url", "sms_method", "sms_fallback_url", "sms_fallback_method", "sms_application_sid",
    "ussd_url", "ussd_method", "ussd_fallback_url", "ussd_fallback_method", "ussd_application_sid",
    "refer_url", "refer_method", "refer_application_sid",
    "voice_capable", "sms_capable", "mms_capable", "fax_capable",
)


@dataclass(frozen=True)
class Seeded:
    big_account: str
    application: str
    numbers: int


def number_sid(i: int) -> str:
    return "PN" + f"{i:032x}"


def phone_number(i: int) -> str:
    return f"+1510{2000000 + i:07d}"


def rows(account: str, application: str, count: int, now: datetime) -> Iterator[tuple[Any, ...]]:
    for i in range(count):
        national = f"{2000000 + i:07d}"
        yield (
            number_sid(i), account, ADMIN_SID, phone_number(i), f"(510) {national[:3]}-{national[3:]}", "local",
            False, False, "active", "2012-04-24", now, now,
            f"https://example.com/voice/{i}", "POST", None, "POST", None, "POST", False, application,
            None, "POST", None, "POST", None,
            None, "POST", None, "POST", None,
            None, "POST", None,
            True, True, True, False,
        )


async def seed(database_url: str, count: int) -> Seeded:
    database = Database.connect(database_url)
    await migrate_schema(database.engine)
    await ensure_bootstrap_account(db=database, sid=ADMIN_SID, email="administrator@company.com", token=ADMIN_TOKEN)
    admin = await find_account(db=database, sid=ADMIN_SID)
    big = await create_account(db=database, email="big@example.com", parent=admin, token=BIG_TOKEN,
                               friendly_name="A million numbers", role="Administrator")
    application = await create_application(db=database, caller=big.account, account_sid=big.account.sid,
                                           friendly_name="Main IVR")
    await database.dispose()

    started = time.perf_counter()
    now = datetime(2026, 1, 1)
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.split("///", 1)[1])
        placeholders = ",".join("?" * len(COLUMNS))
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.000000")
        # Numbers loaded in bulk are nobody's news: the events trigger is set aside meanwhile.
        [(events_trigger,)] = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'number_event_insert'").fetchall()
        with connection:
            connection.execute("DROP TRIGGER number_event_insert")
            connection.executemany(
                f"INSERT INTO incoming_phone_number ({','.join(COLUMNS)}) VALUES ({placeholders})",
                ((*r[:10], stamp, stamp, *r[12:]) for r in rows(big.account.sid, application.sid, count, now)),
            )
            connection.execute(events_trigger)
        connection.execute("ANALYZE")
        connection.close()
    else:
        import asyncpg

        connection = await asyncpg.connect(database_url)
        try:
            async with connection.transaction():  # bulk-loaded numbers are nobody's news (migration 0007)
                await connection.execute("SET LOCAL gateway.number_events = 'off'")
                await connection.copy_records_to_table(
                    "incoming_phone_number", records=rows(big.account.sid, application.sid, count, now),
                    columns=COLUMNS,
                )
            await connection.execute("ANALYZE")
        finally:
            await connection.close()
    print(f"seeded {count:,} numbers in {time.perf_counter() - started:.1f} s")
    return Seeded(big.account.sid, application.sid, count)
