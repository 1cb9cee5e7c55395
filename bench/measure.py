"""One target under load: requests/s, p50/p99 and server CPU per request.

The load comes from `wrk` (Debian's, a C load generator) when it is installed, else from
`bench/load.py` (asyncio, in this process); `LOAD_GENERATOR` says which. The CPU figure
is utime + stime from /proc of the server processes (the gateway or the baseline, and
PostgreSQL's postmaster with all its children when it runs here) before and after the
measured run: the figure that stays stable on a shared 2-core machine. With wrk on a
machine of two cores or more, the servers are pinned to the first core and wrk to the
last, so the load generator never takes the servers' CPU.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from bench.load import LoadResult, run_load
from bench.load import cpu_seconds as process_cpu_seconds

Request = tuple[str, str, dict[str, str], bytes]
T = TypeVar("T")
WRK = shutil.which("wrk")
LOAD_GENERATOR = "wrk (C, one thread)" if WRK else "bench/load.py (asyncio, same machine)"
PINNED = WRK is not None and (os.cpu_count() or 1) >= 2


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def with_children(pids: Sequence[int]) -> list[int]:
    """`pids` and their direct children (PostgreSQL's backends are the postmaster's)."""
    found = list(pids)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) in pids and int(entry.name) not in found:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: Sequence[int]) -> dict[int, float]:
    """CPU seconds of each of `pids` still running."""
    used = {}
    for pid in pids:
        try:
            used[pid] = process_cpu_seconds(pid)
        except OSError:  # it exited
            pass
    return used


def pin_servers(pids: Sequence[int]) -> None:
    """Keep the servers (and what they fork later: backends) on the first core."""
    if PINNED:
        for pid in with_children(pids):
            try:
                os.sched_setaffinity(pid, {0})
            except OSError:
                pass


def measure(port: int, requests: Request | list[Request], server_pids: Sequence[int], *, concurrency: int,
            seconds: float) -> LoadResult:
    plan = requests if isinstance(requests, list) else [requests]
    if WRK is None:
        asyncio.run(run_load("127.0.0.1", port, plan, concurrency=concurrency, seconds=0.5))  # warm-up
        result, used = _with_cpu(server_pids, lambda: asyncio.run(
            run_load("127.0.0.1", port, plan, concurrency=concurrency, seconds=seconds, warmup=0)))
        result.server_cpu = used
        return result
    _wrk(port, plan, concurrency, min(1.0, seconds))  # warm-up: caches, pools, plans
    summary, used = _with_cpu(server_pids, lambda: _wrk(port, plan, concurrency, seconds))
    return LoadResult(summary["requests"], seconds, [], summary["non2xx"], server_cpu=used,
                      p50_ms=summary["p50"] / 1000, p99_ms=summary["p99"] / 1000)


def _with_cpu(server_pids: Sequence[int], run: Callable[[], T]) -> tuple[T, float]:
    """What `run` returns, and the CPU seconds the servers and their children used meanwhile
    (children started during the run count from zero)."""
    before = cpu_seconds(with_children(server_pids))
    outcome = run()
    after = cpu_seconds(with_children(server_pids))
    return outcome, sum(after[pid] - before.get(pid, 0.0) for pid in after)


_SCRIPT = """
local requests = {%s}
local counter = 0
request = function()
  counter = counter + 1
  local r = requests[(counter %% #requests) + 1]
  return wrk.format(r[1], r[2], r[3], r[4])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT {\\"p50\\": %%d, \\"p99\\": %%d, \\"requests\\": %%d, \\"non2xx\\": %%d}\\n",
    latency:percentile(50), latency:percentile(99), summary.requests, summary.errors.status))
end
"""


def _lua(text: str | bytes) -> str:
    value = text.decode() if isinstance(text, bytes) else text
    level = "=" * 4
    assert f"]{level}]" not in value
    return f"[{level}[{value}]{level}]"


def _wrk(port: int, plan: list[Request], concurrency: int, seconds: float) -> dict[str, int]:
    entries = []
    for method, path, headers, body in plan[:2000]:
        header_table = ", ".join(f"[ {_lua(k)} ] = {_lua(v)}" for k, v in headers.items())  # "[ [" is no "[["
        entries.append(f"{{{_lua(method)}, {_lua(path)}, {{{header_table}}}, {_lua(body) if body else 'nil'}}}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_SCRIPT % ", ".join(entries))
    command = [WRK or "wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "-s", script.name, f"http://127.0.0.1:{port}"]
    if PINNED:
        command = ["taskset", "-c", str((os.cpu_count() or 2) - 1), *command]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, check=True)
        output = completed.stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if found is None:
        raise SystemExit(f"wrk said:\n{output}\n{completed.stderr}")
    return json.loads(found.group(1))
