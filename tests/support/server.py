"""Run `gateway serve` as a real process on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from typing import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class GatewayServer:
    """One `gateway serve` process; its output goes to a file (`output()` reads it)."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = tempfile.NamedTemporaryFile(prefix="gateway-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gateway.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gateway exited early:\n{self.output()}")
            try:
                httpx.get(f"{self.url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gateway did not start within 30 s:\n{self.output()}") from None
                time.sleep(0.1)

    def output(self) -> str:
        with open(self._log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    def kill(self) -> None:
        """kill -9: no shutdown of any kind (workers are killed with their parent's group)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        os.unlink(self._log.name)


@contextmanager
def gateway_process(env: dict[str, str], *args: str) -> Iterator[str]:
    """Yield the base URL of a running `gateway serve`; stop it afterwards."""
    server = GatewayServer(env, *args)
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def gateway_server(env: dict[str, str], *args: str) -> Iterator[GatewayServer]:
    server = GatewayServer(env, *args)
    try:
        yield server
    finally:
        server.stop()
