"""A small keep-alive HTTP/1.1 load generator (asyncio streams, no client library
overhead), so the figures measure the server rather than the client."""

from __future__ import annotations

import asyncio
import base64
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    #: answers by HTTP status
    statuses: Counter[int] = field(default_factory=Counter)
    #: CPU seconds the server processes used during the run (0 when not measured)
    server_cpu: float = 0.0
    #: latency percentiles measured elsewhere (wrk), when `latencies` is empty
    p50_ms: float | None = None
    p99_ms: float | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies:
            known = {50: self.p50_ms, 99: self.p99_ms}.get(int(p))
            return known if known is not None else float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu / self.requests * 1000 if self.requests else float("nan")

    def line(self, label: str) -> str:
        cpu = f", {self.cpu_ms_per_request:.2f} ms server CPU each" if self.server_cpu else ""
        return (f"{label:<44} {self.rate:9.1f} req/s   p50 {self.percentile(50):7.2f} ms   "
                f"p99 {self.percentile(99):7.2f} ms   ({self.requests} requests, {self.errors} errors{cpu})")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (the figure that stays stable on a shared machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    *, concurrency: int, seconds: float, warmup: float = 0.5, expect: int = 200, server_pid: int | None = None,
) -> LoadResult:
    """Send requests (one repeated, or a list cycled through) for `seconds` over
    `concurrency` keep-alive connections; latencies exclude the warm-up. With
    `server_pid`, the server's CPU time over the measured part is recorded too."""
    plan = requests if isinstance(requests, list) else [requests]
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors = 0
    counter = 0
    cpu_start: float | None = None
    start = time.perf_counter()
    measuring_from = start + warmup
    stop = measuring_from + seconds

    async def worker() -> None:
        nonlocal errors, counter, cpu_start
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (now := time.perf_counter()) < stop:
                if server_pid is not None and cpu_start is None and now >= measuring_from:
                    cpu_start = cpu_seconds(server_pid)
                method, path, headers, body = plan[counter % len(plan)]
                counter += 1
                writer.write(_request(method, path, host, headers, body))
                await writer.drain()
                status, _ = await _read_response(reader)
                elapsed = time.perf_counter() - now
                if now >= measuring_from:
                    latencies.append(elapsed)
                    statuses[status] += 1
                    errors += status != expect
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    used = cpu_seconds(server_pid) - cpu_start if server_pid is not None and cpu_start is not None else 0.0
    return LoadResult(len(latencies), seconds, latencies, errors, statuses, used)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000
