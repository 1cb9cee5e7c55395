"""A graphql-transport-ws client (the protocol graphql-ws speaks), on the `websockets` library."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import websockets

EVENTS = """subscription Events($account: ID, $types: [NumberEventType!]) {
  numberEvents(accountSid: $account, types: $types) {
    type accountSid previousAccountSid occurredAt number { sid phoneNumber friendlyName voice { url } account { sid } }
  } }"""


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


class Subscriber:
    def __init__(self, socket: Any) -> None:
        self.socket = socket
        #: numbers whose events the test does not look at (the canary of `live`)
        self.ignored: set[str] = set()

    async def next_event(self, timeout: float = 20) -> dict[str, Any]:
        """The next event (skipping ignored numbers); fails on an error or a closed socket."""
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
            if message["type"] == "ping":
                await self.socket.send(json.dumps({"type": "pong"}))
                continue
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            event = dict(message["payload"]["data"]["numberEvents"])
            if event["number"]["sid"] not in self.ignored:
                return event

    async def live(self, poke: Callable[[int], Awaitable[str]]) -> None:
        """Return once the subscription receives events: `poke(i)` changes a canary number
        (returning its sid) until an event about it arrives. Its events are ignored after."""
        for attempt in range(100):
            canary = await poke(attempt)
            try:
                while True:
                    message = json.loads(await asyncio.wait_for(self.socket.recv(), 0.5))
                    if message["type"] == "next" and message["payload"]["data"]["numberEvents"]["number"]["sid"] == canary:
                        self.ignored.add(canary)
                        return
            except TimeoutError:
                continue
        raise AssertionError("the subscription never received an event")


@asynccontextmanager
async def subscribed(
    url: str, authorization: str | None, *, account: str | None = None, types: list[str] | None = None,
    origin: str | None = None, header: str | None = None,
) -> AsyncIterator[Subscriber]:
    """A socket to `url` (ws://…/graphql), acknowledged and subscribed to number events."""
    headers = {"Authorization": header} if header else {}
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], origin=origin,  # type: ignore[arg-type]
                                  additional_headers=headers) as socket:
        payload = {"Authorization": authorization} if authorization else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        variables = {"account": account, "types": types}
        await socket.send(json.dumps({"id": "1", "type": "subscribe",
                                      "payload": {"query": EVENTS, "variables": variables}}))
        yield Subscriber(socket)
