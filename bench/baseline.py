"""The physical limit for this stack: a bare ASGI handler that runs the same SQL as the
gateway's list page through the raw driver and serialises the rows with orjson.

Run: python bench/baseline.py DATABASE_URL PORT
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import parse_qs

import orjson
import uvicorn

COLUMNS = ("sid, account_sid, friendly_name, phone_number, voice_url, voice_method, voice_fallback_url, "
           "voice_fallback_method, status_callback, status_callback_method, voice_caller_id_lookup, "
           "voice_application_sid, date_created, date_updated, sms_url, sms_method, sms_fallback_url, "
           "sms_fallback_method, sms_application_sid, ussd_url, ussd_method, ussd_fallback_url, ussd_fallback_method, "
           "ussd_application_sid, refer_url, refer_method, refer_application_sid, voice_capable, sms_capable, "
           "mms_capable, fax_capable, api_version")
WHERE = "account_sid = {0} AND status NOT IN ('pending')"
#: the gateway's seek (`storage.queries.beyond`): its first half is an index range both databases seek to
SEEK = " AND phone_number >= {0} AND (phone_number > {0} OR sid > {1})"


class Baseline:
    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = url.startswith("postgres")
        self.pool: Any = None

    async def query(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        if self.postgres:
            async with self.pool.acquire() as connection:
                return [dict(r) for r in await connection.fetch(sql, *args)]
        # SQLite's numbered parameters (?2) may repeat, as PostgreSQL's $2
        async with self.pool.execute(sql.replace("$", "?"), args) as cursor:
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in await cursor.fetchall()]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    await self.open()
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        account = scope["path"].split("/")[3]
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        where = WHERE.format("$1")
        # the unfiltered total, as the gateway reads it: the trigger-kept row
        found = await self.query("SELECT total FROM account_number_total WHERE account_sid = $1", account)
        total = found[0]["total"] if found else 0
        args: list[Any] = [account]
        if "AfterSid" in query:
            key = (await self.query("SELECT phone_number, sid FROM incoming_phone_number WHERE sid = $1", query["AfterSid"]))[0]
            where += SEEK.format("$2", "$3")
            args += [key["phone_number"], key["sid"]]
        rows = await self.query(
            f"SELECT {COLUMNS} FROM incoming_phone_number WHERE {where} ORDER BY phone_number, sid LIMIT 50", *args
        )
        body = orjson.dumps({"total": total, "incomingPhoneNumbers": rows}, default=str)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def open(self) -> None:
        if self.postgres:
            import asyncpg

            self.pool = await asyncpg.create_pool(self.url, min_size=2, max_size=10)
        else:
            import aiosqlite

            self.pool = await aiosqlite.connect(self.url.split("///", 1)[1])


if __name__ == "__main__":
    uvicorn.run(Baseline(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
