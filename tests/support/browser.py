"""Real headless Chromium for the browser tests: Debian's binary, its flags, and the
loopback-only rule every browser test holds a page to."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
NON_NETWORK_SCHEMES = {"data", "blob", "about", "chrome-error"}


def chromium_path() -> str:
    """Debian's Chromium. Missing: the test FAILS (never skips) and says what to run."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "Chromium is not installed: run scripts/ensure-system-packages "
            "(as root it runs `apt-get install -y chromium`)",
            pytrace=False,
        )
    return path


def is_local(url: str) -> bool:
    """Whether a URL the page used stays on this machine (or is no network request at all)."""
    parts = urlsplit(url)
    return parts.scheme in NON_NETWORK_SCHEMES or parts.hostname in LOCAL_HOSTS


def assert_loopback_only(urls: list[str], why: str = "") -> None:
    away = [url for url in urls if not is_local(url)]
    assert not away, f"requests left 127.0.0.1{why}:\n" + "\n".join(away)
