"""The benchmark: seed, start the gateway and the bare baseline, measure, print.

    python bench/run.py [--postgres] [--numbers 1000000] [--seconds 5] [--concurrency 8]

Everything is measured in the same run on the same machine; see README "Benchmarks".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.graph import NESTED  # noqa: E402
from bench.graph import seed as seed_graph  # noqa: E402
from bench.load import basic, fetch, run_load  # noqa: E402
from bench.measure import LOAD_GENERATOR, PINNED, measure, pin_servers  # noqa: E402
from bench.seed import ADMIN_SID, ADMIN_TOKEN, BIG_TOKEN, number_sid, phone_number, seed  # noqa: E402

PAGE = 50
NODE_FIELDS = """
  id sid phoneNumber friendlyName type isSip beta apiVersion dateCreated dateUpdated uri
  account { sid friendlyName }
  capabilities { voice sms mms fax }
  voice { url method fallbackUrl fallbackMethod statusCallback statusCallbackMethod callerIdLookup
          application { sid friendlyName } }
  sms { url method fallbackUrl fallbackMethod application { sid friendlyName } }
  ussd { url method fallbackUrl fallbackMethod application { sid friendlyName } }
  refer { url method application { sid friendlyName } }
"""
GRAPHQL_PAGE = (
    "query Page($account: ID!, $after: String) { incomingPhoneNumbers(accountSid: $account, first: %d, after: $after) "
    "{ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { %s } } } }" % (PAGE, NODE_FIELDS)
)


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            asyncio.run(fetch("127.0.0.1", port, "GET", "/healthz", {}))
            return process
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{command[0]} did not start")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def graphql_request(account: str, auth: str, after: str | None = None) -> tuple[str, str, dict[str, str], bytes]:
    body = json.dumps({"query": GRAPHQL_PAGE, "variables": {"account": account, "after": after}}).encode()
    return ("POST", "/graphql", {"Authorization": auth, "Content-Type": "application/json"}, body)


UPDATE = """mutation Rename($sid: ID!, $name: String!) {
  updateNumber(input: {sid: $sid, friendlyName: $name}) { incomingPhoneNumber { sid friendlyName dateUpdated }
    userErrors { field message } } }"""


def update_requests(account: str, auth: str) -> list[tuple[str, str, dict[str, str], bytes]]:
    """updateNumber on 200 numbers of the account, each renamed to one name then another:
    every request changes the row (and writes its event)."""
    headers = {"Authorization": auth, "Content-Type": "application/json"}
    return [("POST", "/graphql", headers, json.dumps({"query": UPDATE, "variables": {
        "sid": number_sid(i), "name": f"bench {round_}"}}).encode()) for round_ in ("a", "b") for i in range(200)]


def nested_request(base: str) -> tuple[str, str, dict[str, str], bytes]:
    """The nested page of bench/graph.py (its data made through the REST API first)."""
    seed_graph(base)
    body = json.dumps({"query": NESTED}).encode()
    return ("POST", "/graphql", {"Authorization": basic(ADMIN_SID, ADMIN_TOKEN), "Content-Type": "application/json"},
            body)


def sql_statements_per_graphql_page(database_url: str, account: str, sizes: tuple[int, ...]) -> dict[int, int]:
    """Count SQL statements for one GraphQL page of each size, in process."""
    import httpx
    from sqlalchemy import event

    from gateway.app import create_app, serving_stack
    from gateway.settings import Settings

    async def measure() -> dict[int, int]:
        # As the served gateway: the wrong-token run before this has failed far past the throttle.
        app = create_app(Settings(database_url=database_url, auth_failure_limit=100_000_000))
        counts: dict[int, int] = {}
        async with app.router.lifespan_context(app):
            statements: list[str] = []
            event.listen(app.state.database.engine.sync_engine, "before_cursor_execute",
                         lambda *args: statements.append(args[2]))
            transport = httpx.ASGITransport(app=serving_stack(app))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                for size in sizes:
                    statements.clear()
                    query = GRAPHQL_PAGE.replace(f"first: {PAGE}", f"first: {size}")
                    response = await client.post("/graphql", json={"query": query, "variables": {"account": account}},
                                                 auth=(account, BIG_TOKEN))
                    assert response.status_code == 200 and "errors" not in response.json(), response.text[:500]
                    counts[size] = len(statements)
        return counts

    return asyncio.run(measure())


def purchase_lines(port: int, pid: int, account: str, auth: str, seconds: float) -> list[str]:
    """Purchases from the sandbox under 32 concurrent clients: by number, then by area code
    (where every client competes for the same candidates)."""
    path = f"/2012-04-24/Accounts/{account}/IncomingPhoneNumbers.json"
    headers = {"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"}
    by_number = [("POST", path, headers, f"PhoneNumber=%2B1415{2000000 + i:07d}".encode()) for i in range(200_000)]
    by_area_code = ("POST", path, headers, b"AreaCode=212")
    lines = []
    for label, plan in (("purchases by PhoneNumber, 32 clients", by_number),
                        ("purchases by AreaCode, 32 clients", by_area_code)):
        result = asyncio.run(run_load("127.0.0.1", port, plan, concurrency=32, seconds=seconds, server_pid=pid))
        statuses = ", ".join(f"{count} x {status}" for status, count in sorted(result.statuses.items()))
        lines.append(f"{result.line(label)}\n{'':<44} answers: {statuses}")
    return lines


def sign_in_lines(port: int, pid: int, account: str, token: str, seconds: float) -> list[str]:
    """What signing in costs: a token verified lately (the hot path), and a wrong one
    (every request a full slow check: the cost an attacker can make a request have)."""
    path = f"/2012-04-24/Accounts/{account}.json"
    lines = []
    for label, secret in (("sign-in, token verified lately, 8 clients", token),
                          ("sign-in, wrong token (slow checks), 8 clients", "0" * 32)):
        request = ("GET", path, {"Authorization": basic(account, secret)}, b"")
        result = asyncio.run(run_load("127.0.0.1", port, request, concurrency=8, seconds=seconds, server_pid=pid))
        lines.append(result.line(label))
    return lines


def compression_lines(port: int, pid: int, account: str, auth: str, seconds: float) -> list[str]:
    """A 50-number page with and without gzip: bytes on the wire and server CPU."""
    rest = ("GET", f"/2012-04-24/Accounts/{account}/IncomingPhoneNumbers.json?PageSize={PAGE}", {"Authorization": auth}, b"")
    graphql = graphql_request(account, auth)
    lines = []
    for name, (method, path, headers, body) in (("REST", rest), ("GraphQL", graphql)):
        for encoding in ("identity", "gzip"):
            request = (method, path, {**headers, "Accept-Encoding": encoding}, body)
            _, sent = asyncio.run(fetch("127.0.0.1", port, *request))
            result = asyncio.run(run_load("127.0.0.1", port, request, concurrency=8, seconds=seconds, server_pid=pid))
            lines.append(result.line(f"{name} 50-number page, {encoding}") + f"   {len(sent):,} bytes on the wire")
    return lines


def slow_check_line() -> str:
    """One slow-hash check in this process: the CPU a cold sign-in adds, once per credential."""
    from gateway.storage.secret_hashes import matches, slow_hash

    stored = slow_hash(ADMIN_TOKEN)
    started = time.process_time()
    for _ in range(10):
        assert matches(stored, ADMIN_TOKEN)
    return f"{'one slow-hash check (scrypt N=2^14, r=8)':<44} {(time.process_time() - started) / 10 * 1000:9.1f} ms CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL instead of SQLite")
    parser.add_argument("--numbers", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--only", choices=["all", "purchases", "sign-in", "compression"], default="all",
                        help="purchases, sign-in: only those figures (seeds no numbers); compression: pages with"
                             " and without gzip (seeds 10,000 numbers)")
    args = parser.parse_args()
    if args.only in ("purchases", "sign-in"):
        args.numbers = 0
    elif args.only == "compression":
        args.numbers = min(args.numbers, 10_000)

    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gateway-bench-")))
        if args.postgres:
            from tests.support.postgres import start_postgres

            server = start_postgres()
            stack.callback(server.stop)
            database_url = server.url
            assert server.data_dir is not None
            database_pids = [int((server.data_dir / "postmaster.pid").read_text().split()[0])]
        else:
            database_url = f"sqlite:///{workdir}/bench.db"
            database_pids = []
        seeded = asyncio.run(seed(database_url, args.numbers))
        big, auth = seeded.big_account, basic(seeded.big_account, BIG_TOKEN)

        gateway_port, baseline_port = free_port(), free_port()
        # The wrong-token run fails on purpose far more often than the throttle answers.
        env = {"GATEWAY_DATABASE_URL": database_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
               "GATEWAY_AUTH_FAILURE_LIMIT": "100000000"}
        gateway = start([sys.executable, "-m", "gateway.cli", "serve", "--port", str(gateway_port)], env, gateway_port)
        stack.callback(gateway.terminate)
        baseline = start([sys.executable, str(ROOT / "bench" / "baseline.py"), database_url, str(baseline_port)],
                         {"PYTHONPATH": str(ROOT)}, baseline_port)
        stack.callback(baseline.terminate)

        rest_path = f"/2012-04-24/Accounts/{big}/IncomingPhoneNumbers.json?PageSize={PAGE}"
        rest = ("GET", rest_path, {"Authorization": auth}, b"")
        base = ("GET", f"/x/Accounts/{big}/IncomingPhoneNumbers", {}, b"")
        deep_sid = number_sid(int(args.numbers * 0.9))
        deep_base = ("GET", f"/x/Accounts/{big}/IncomingPhoneNumbers?AfterSid={deep_sid}", {}, b"")
        deep_rest = ("GET", f"{rest_path}&Page=1&AfterSid={deep_sid}", {"Authorization": auth}, b"")
        from gateway.graphql.connection import encode_cursor
        from gateway.services.listing import SortKey

        deep_cursor = encode_cursor(SortKey(phone_number(int(args.numbers * 0.9)), deep_sid))

        if args.only == "purchases":
            for line in purchase_lines(gateway_port, gateway.pid, big, auth, args.seconds):
                print(line)
            return
        if args.only == "compression":
            for line in compression_lines(gateway_port, gateway.pid, big, auth, args.seconds):
                print(line)
            return
        if args.only == "sign-in":
            for line in [*sign_in_lines(gateway_port, gateway.pid, big, BIG_TOKEN, args.seconds), slow_check_line()]:
                print(line)
            return
        servers = {"gateway": [gateway.pid, *database_pids], "baseline": [baseline.pid, *database_pids]}
        pin_servers([gateway.pid, baseline.pid, *database_pids])
        print(f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {'PostgreSQL' if args.postgres else 'SQLite'}, "
              f"{args.numbers:,} numbers in the account, concurrency {args.concurrency}, {args.seconds:.0f} s per run")
        print(f"load generator: {LOAD_GENERATOR}{'; servers pinned to core 0, wrk to the last' if PINNED else ''}; "
              "server CPU counts the server process and PostgreSQL's\n")
        nested = nested_request(f"http://127.0.0.1:{gateway_port}")
        targets = [
            ("baseline", "baseline (raw driver + orjson), 50/page", base),
            ("baseline", "baseline, page at 90% (seek)", deep_base),
            ("gateway", "REST JSON page, 50 numbers", rest),
            ("gateway", "REST JSON page at 90% (AfterSid)", deep_rest),
            ("gateway", "GraphQL page, every field, 50 numbers", graphql_request(big, auth)),
            ("gateway", "GraphQL page at 90% (after)", graphql_request(big, auth, deep_cursor)),
            ("gateway", "GraphQL nested page (10 subaccounts x 5)", nested),
            ("gateway", "GraphQL updateNumber (friendlyName)", update_requests(big, auth)),
        ]
        results = {}
        for server, label, request in targets:
            port = gateway_port if server == "gateway" else baseline_port
            results[label] = measure(port, request, servers[server], concurrency=args.concurrency,
                                     seconds=args.seconds)
            print(results[label].line(label))
        cpu = {label: result.cpu_ms_per_request for label, result in results.items()}
        base_cpu, rest_cpu = cpu["baseline (raw driver + orjson), 50/page"], cpu["REST JSON page, 50 numbers"]
        graphql_cpu = cpu["GraphQL page, every field, 50 numbers"]
        print(f"{'server CPU per request, REST / baseline':<44} {rest_cpu / base_cpu:9.2f}   (goal 2)")
        print(f"{'server CPU per request, GraphQL / baseline':<44} {graphql_cpu / base_cpu:9.2f}   (goal 3)")
        print(f"{'server CPU per request, GraphQL / REST':<44} {graphql_cpu / rest_cpu:9.2f}   (goal 1.25)")
        print(f"{'deep page / first page CPU, REST, GraphQL':<44} "
              f"{cpu['REST JSON page at 90% (AfterSid)'] / rest_cpu:9.2f}, "
              f"{cpu['GraphQL page at 90% (after)'] / graphql_cpu:.2f}")

        for line in [*compression_lines(gateway_port, gateway.pid, big, auth, args.seconds),
                     *purchase_lines(gateway_port, gateway.pid, big, auth, args.seconds),
                     *sign_in_lines(gateway_port, gateway.pid, big, BIG_TOKEN, args.seconds), slow_check_line()]:
            print(line)
        print(f"{'peak RSS of the gateway process':<44} {peak_rss_mib(gateway.pid):9.1f} MiB")

        gateway.terminate()
        gateway.wait()
        counts = sql_statements_per_graphql_page(database_url, big, (5, 50))
        print(f"{'SQL statements per GraphQL page (5 / 50)':<44} {counts[5]:>4} / {counts[50]}"
              "   (nested account and voice.application)")


if __name__ == "__main__":
    main()
