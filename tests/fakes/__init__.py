"""Fake carriers: real HTTP servers on 127.0.0.1 that speak each carrier's wire protocol.

Each fake is a Starlette app run by uvicorn in a background thread on a free port. It
keeps an inventory you seed, ``owned`` (what the carrier believes we own, in its own
number format), ``calls`` (a Counter of calls per operation, faulted ones included) and
a queue of faults per operation::

    fake.fail("assignDID", "hang", act=True)   # act, then answer later than the client waits
    fake.fail("assignDID", "hang")             # hang without acting (then answer 504)
    fake.fail("getDIDs", "error", times=2)     # HTTP 503 (``status=`` for another)
    fake.fail("buy", "drop", act=True)         # act, then close the connection unanswered
    fake.fail("search", "malformed")           # HTTP 200 with a truncated body
    fake.fail("buy", "refuse", code="420", label="method failed")  # the carrier's own no
    fake.fail("assignDID", "late", seconds=3)  # answer too late, and act 3 s after the request

A fault is used by the next call of its operation; ``times`` queues several. Start a
fake with ``with Fake() as fake:`` (or start()/stop()); ``reset()`` empties it between
tests so one server can serve a module.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Callable, ClassVar

import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

FAULT_KINDS = ("error", "hang", "drop", "malformed", "refuse", "late")
_TRANSPORT = "fake_carrier.transport"


@dataclass(frozen=True)
class Fault:
    kind: str
    #: carry the operation out before failing (hang, drop, malformed)
    act: bool = False
    #: HTTP status of an "error" (default 503) or a "refuse" (carrier's default)
    status: int | None = None
    #: how long a "hang" lasts, or when a "late" fault acts (default: the fake's hang_seconds)
    seconds: float | None = None
    #: the carrier's own code and text for a "refuse"
    code: str | None = None
    label: str | None = None


class DropConnection(Response):
    """Close the TCP connection without answering."""

    def __init__(self) -> None:
        super().__init__(b"")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        transport = scope.get(_TRANSPORT)
        if transport is None:
            raise RuntimeError("this uvicorn protocol does not expose its transport; cannot drop")
        transport.close()
        for _ in range(3):  # let uvicorn see the connection is gone before it notices we returned
            await asyncio.sleep(0)


class _ExposeTransport:
    """Outermost ASGI layer: puts uvicorn's transport in the scope, for DropConnection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[_TRANSPORT] = getattr(getattr(send, "__self__", None), "transport", None)
        await self.app(scope, receive, send)


class FakeCarrier:
    """Base of the fakes: the server thread, the call counter and the fault queues."""

    #: operations faults can be queued for (subclasses name theirs)
    operations: ClassVar[tuple[str, ...]] = ()
    #: path of `url` under the server's root
    path: ClassVar[str] = ""

    def __init__(self, *, hang_seconds: float = 2.0) -> None:
        self.lock = threading.RLock()
        self.calls: Counter[str] = Counter()
        self.hang_seconds = hang_seconds
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._stopping = threading.Event()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle --------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + self.path

    def build_app(self) -> Starlette:
        raise NotImplementedError

    def start(self) -> "FakeCarrier":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            _ExposeTransport(self.build_app()),
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            proxy_headers=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{type(self).__name__} did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> "FakeCarrier":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget calls, queued faults and (in subclasses) inventory and ownership.

        Lets one running server serve a whole test module; a hang still sleeping from
        an earlier test changes nothing when it ends.
        """
        with self.lock:
            self.calls.clear()
            self._faults.clear()

    # -- faults -----------------------------------------------------------------------

    def clear_faults(self) -> None:
        """Drop faults queued for calls that never came."""
        with self.lock:
            self._faults.clear()

    def fail(
        self,
        operation: str,
        kind: str,
        *,
        times: int = 1,
        act: bool = False,
        status: int | None = None,
        seconds: float | None = None,
        code: str | None = None,
        label: str | None = None,
    ) -> None:
        if operation not in self.operations:
            raise ValueError(f"{operation!r} is not one of {self.operations}")
        if kind not in FAULT_KINDS:
            raise ValueError(f"{kind!r} is not one of {FAULT_KINDS}")
        fault = Fault(kind, act=act, status=status, seconds=seconds, code=code, label=label)
        with self.lock:
            self._faults[operation].extend([fault] * times)

    def _take(self, operation: str) -> Fault | None:
        with self.lock:
            self.calls[operation] += 1
            queue = self._faults.get(operation)
            return queue.popleft() if queue else None

    async def answer(
        self,
        operation: str,
        act: Callable[[], Response],
        *,
        refuse: Callable[[Fault], Response],
        malformed: Callable[[], Response],
    ) -> Response:
        """Count the call, then act normally or as the next queued fault says."""
        fault = self._take(operation)
        if fault is None:
            return act()
        if fault.kind == "error":
            return PlainTextResponse("Service Temporarily Unavailable", status_code=fault.status or 503)
        if fault.kind == "refuse":
            return refuse(fault)
        if fault.kind == "late":
            # A carrier that acts after the client stopped waiting: whatever happens to this
            # connection, the operation is carried out `seconds` after the request came.
            delay = self.hang_seconds if fault.seconds is None else fault.seconds
            timer = threading.Timer(delay, act)
            timer.daemon = True
            timer.start()
            await self._hang(delay + 0.2)
            return PlainTextResponse("Gateway Timeout", status_code=504)
        acted = act() if fault.act else None
        if fault.kind == "hang":
            await self._hang(self.hang_seconds if fault.seconds is None else fault.seconds)
            return acted or PlainTextResponse("Gateway Timeout", status_code=504)
        if fault.kind == "drop":
            return DropConnection()
        return malformed()

    async def _hang(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._stopping.is_set():
            await asyncio.sleep(0.02)


def closed_port_url(path: str = "/") -> str:
    """A loopback URL nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
