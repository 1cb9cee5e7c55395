"""Number events: latency between instances, fan-out, memory per idle subscription.

    python bench/events.py [--events 300] [--subscribers 100]

Two gateway processes on one throwaway PostgreSQL. A subscriber on instance A hears
changes made through instance B: the figure is the time from B's request being sent
to the event arriving at A's subscriber (commit, NOTIFY, reading the event, rendering
it, the websocket). Then 100 subscribers on A while B changes numbers as fast as it
can: events delivered per second and A's CPU per delivered event. Then the RSS A adds
per idle subscription.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import cpu_seconds  # noqa: E402
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN  # noqa: E402
from tests.support.postgres import start_postgres  # noqa: E402
from tests.support.server import GatewayServer  # noqa: E402
from tests.support.subscriber import basic, subscribed  # noqa: E402

NUMBERS = f"/2012-04-24/Accounts/{ADMIN_SID}/IncomingPhoneNumbers"


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


async def measure(a: GatewayServer, b: GatewayServer, events: int, fan_out: int) -> None:
    ws = a.url.replace("http", "ws") + "/graphql"
    auth = basic(ADMIN_SID, ADMIN_TOKEN)
    async with httpx.AsyncClient(base_url=b.url, auth=(ADMIN_SID, ADMIN_TOKEN), timeout=30) as http:
        sid = (await http.post(f"{NUMBERS}.json", data={"PhoneNumber": "+15105550900"})).json()["sid"]

        async def poke(attempt: int) -> str:
            await http.post(f"{NUMBERS}/{sid}.json", data={"FriendlyName": f"warm {attempt}"})
            return str(sid)

        # Latency: one change at a time, each heard before the next.
        async with subscribed(ws, auth) as subscriber:
            await subscriber.live(poke)
            subscriber.ignored.clear()
            latencies = []
            for n in range(events):
                started = time.perf_counter()
                await http.post(f"{NUMBERS}/{sid}.json", data={"FriendlyName": f"latency {n}"})
                event = await subscriber.next_event()
                assert event["number"]["friendlyName"] == f"latency {n}"
                latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        print(f"{'event latency, B request → A subscriber':<44} p50 {statistics.median(latencies):7.2f} ms"
              f"   p99 {p99:7.2f} ms   ({events} events)")

        # Fan-out: many subscribers on A, changes through B as fast as it goes.
        async with many_subscribed(ws, auth, fan_out) as subscribers:
            await subscribers[0].live(poke)
            for subscriber in subscribers:
                subscriber.ignored.add(sid)
            other = (await http.post(f"{NUMBERS}.json", data={"PhoneNumber": "+15105550901"})).json()["sid"]
            for subscriber in subscribers:
                assert (await subscriber.next_event())["number"]["sid"] == other
            cpu_start, started = cpu_seconds(a.process.pid), time.perf_counter()

            async def change() -> None:
                for n in range(events):
                    await http.post(f"{NUMBERS}/{other}.json", data={"FriendlyName": f"fan {n}"})

            async def drain(subscriber) -> None:  # type: ignore[no-untyped-def]
                for _ in range(events):
                    await subscriber.next_event(timeout=60)

            await asyncio.gather(change(), *(drain(s) for s in subscribers))
            elapsed, cpu = time.perf_counter() - started, cpu_seconds(a.process.pid) - cpu_start
            delivered = events * len(subscribers)
            print(f"{f'fan-out to {fan_out} subscribers on one instance':<44} {delivered / elapsed:9.0f} events/s"
                  f"   ({cpu / delivered * 1000:.3f} ms CPU per delivered event, {events} changes)")

        # Memory: idle subscriptions (each its own websocket).
        before = rss_kib(a.process.pid)
        async with many_subscribed(ws, auth, 200):
            await asyncio.sleep(1)
            after = rss_kib(a.process.pid)
        print(f"{'memory per idle subscription (200 sockets)':<44} {(after - before) / 200:9.1f} KiB")


class many_subscribed:  # noqa: N801 - named as the context manager it is, like subscribed()
    """`count` subscribers at once."""

    def __init__(self, url: str, auth: str, count: int) -> None:
        self.managers = [subscribed(url, auth) for _ in range(count)]

    async def __aenter__(self):  # type: ignore[no-untyped-def]
        return [await manager.__aenter__() for manager in self.managers]

    async def __aexit__(self, *exc: object) -> None:
        for manager in reversed(self.managers):
            await manager.__aexit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--subscribers", type=int, default=100)
    args = parser.parse_args()
    server = start_postgres()
    try:
        env = {"GATEWAY_DATABASE_URL": server.url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
               "GATEWAY_RECONCILE_INTERVAL": "0", "PYTHONPATH": str(ROOT)}
        a, b = GatewayServer(env), GatewayServer(env)
        try:
            print(f"machine: {os.cpu_count()} cores, two gateway processes on PostgreSQL, loopback")
            asyncio.run(measure(a, b, args.events, args.subscribers))
        finally:
            a.stop()
            b.stop()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
