"""A nested GraphQL page: 10 subaccounts, each with its first 5 numbers and their applications.

    python bench/graph.py [--postgres] [--seconds 5] [--concurrency 8]

The data is made through the gateway's own REST API (sandbox carrier), then the page
is requested under load: req/s, latency, server CPU per request; and, once, the SQL
statements it costs (the same for 5 subaccounts as for 50: tests/test_graph_statements.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import basic, run_load  # noqa: E402
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN  # noqa: E402
from tests.support.server import GatewayServer  # noqa: E402

NESTED = """query Nested { viewer { subaccounts(first: 10) { totalCount edges { node {
  sid friendlyName incomingPhoneNumbers(first: 5) { edges { node {
    sid phoneNumber friendlyName voice { url application { sid friendlyName } } } } } } } } } }"""


def seed(base: str) -> None:
    with httpx.Client(base_url=base, auth=(ADMIN_SID, ADMIN_TOKEN), timeout=30) as http:
        for n in range(10):
            child = http.post("/2012-04-24/Accounts.json", data={"EmailAddress": f"sub{n}@example.com"}).json()
            application = http.post(f"/2012-04-24/Accounts/{child['sid']}/Applications.json",
                                    data={"FriendlyName": f"IVR {n}"}).json()
            for m in range(5):
                bought = http.post(f"/2012-04-24/Accounts/{child['sid']}/IncomingPhoneNumbers.json",
                                   data={"PhoneNumber": f"+1510556{n:02d}{m:02d}", "VoiceApplicationSid": application["sid"]})
                assert bought.status_code == 200, bought.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    server = None
    if args.postgres:
        from tests.support.postgres import start_postgres

        server = start_postgres()
        url = server.url
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='gateway-graph-')}/graph.db"
    try:
        gateway = GatewayServer({"GATEWAY_DATABASE_URL": url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
                                 "GATEWAY_RECONCILE_INTERVAL": "0", "PYTHONPATH": str(ROOT)})
        try:
            seed(gateway.url)
            body = json.dumps({"query": NESTED}).encode()
            request = ("POST", "/graphql", {"Authorization": basic(ADMIN_SID, ADMIN_TOKEN),
                                            "Content-Type": "application/json"}, body)
            check = httpx.post(f"{gateway.url}/graphql", content=body, headers=request[2]).json()
            pages = check["data"]["viewer"]["subaccounts"]["edges"]
            assert len(pages) == 10 and all(len(p["node"]["incomingPhoneNumbers"]["edges"]) == 5 for p in pages)
            result = asyncio.run(run_load("127.0.0.1", gateway.port, request, concurrency=args.concurrency,
                                          seconds=args.seconds, server_pid=gateway.process.pid))
            database = "PostgreSQL" if args.postgres else "SQLite"
            print(result.line(f"nested page 10 x 5 with applications, {database}"))
        finally:
            gateway.stop()
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
