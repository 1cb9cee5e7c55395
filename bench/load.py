"""A small keep-alive HTTP/1.1 load generator (asyncio streams, no client library
overhead), so the figures measure the server rather than the client."""

from __future__ import annotations

import asyncio
import base64
import statistics
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def line(self, label: str) -> str:
        return (f"{label:<44} {self.rate:9.1f} req/s   p50 {self.percentile(50):7.2f} ms   "
                f"p99 {self.percentile(99):7.2f} ms   ({self.requests} requests, {self.errors} errors)")


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def _request(method: str, path: str, host: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return status, body


async def fetch(host: str, port: int, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(_request(method, path, host, headers, body))
        await writer.drain()
        return await _read_response(reader)
    finally:
        writer.close()


async def run_load(
    host: str, port: int, requests: list[tuple[str, str, dict[str, str], bytes]] | tuple[str, str, dict[str, str], bytes],
    *, concurrency: int, seconds: float, warmup: float = 0.5, expect: int = 200,
) -> LoadResult:
    """Send requests (one repeated, or a list cycled through) for `seconds` over
    `concurrency` keep-alive connections; latencies exclude the warm-up."""
    plan = requests if isinstance(requests, list) else [requests]
    latencies: list[float] = []
    errors = 0
    counter = 0
    start = time.perf_counter()
    measuring_from = start + warmup
    stop = measuring_from + seconds

    async def worker() -> None:
        nonlocal errors, counter
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (now := time.perf_counter()) < stop:
                method, path, headers, body = plan[counter % len(plan)]
                counter += 1
                writer.write(_request(method, path, host, headers, body))
                await writer.drain()
                status, _ = await _read_response(reader)
                elapsed = time.perf_counter() - now
                if now >= measuring_from:
                    latencies.append(elapsed)
                    errors += status != expect
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return LoadResult(len(latencies), seconds, latencies, errors)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000
