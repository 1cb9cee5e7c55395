"""The `gateway` command: bootstrap account, accounts and applications from the shell."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path

import httpx

from gateway.app import create_app
from gateway.rest.negotiation import JsonSuffix
from gateway.settings import DEFAULT_ADMIN_SID, Settings

GATEWAY = [sys.executable, "-m", "gateway.cli"]


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GATEWAY, *args], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "GATEWAY_DATABASE_URL": database_url},
    )


async def start_once(settings: Settings) -> str:
    """Start and stop the app; return what it printed on stderr."""
    printed = io.StringIO()
    app = create_app(settings)
    with redirect_stderr(printed):
        async with app.router.lifespan_context(app):
            pass
    return printed.getvalue()


async def test_first_start_prints_the_token_once_and_restarts_keep_it(database_url: str) -> None:
    settings = Settings(database_url=database_url)
    first = await start_once(settings)
    assert DEFAULT_ADMIN_SID in first
    token = first.strip().rsplit(" ", 1)[-1]
    assert len(token) == 32
    assert await start_once(settings) == ""  # nothing printed: the account exists

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=JsonSuffix(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            ok = await client.get(f"/2012-04-24/Accounts/{DEFAULT_ADMIN_SID}.json", auth=(DEFAULT_ADMIN_SID, token))
            assert ok.status_code == 200
            assert ok.json()["email_address"] == "administrator@company.com"


def test_accounts_create_prints_sid_and_token(database_url: str, tmp_path: Path) -> None:
    root = run_cli("accounts", "create", "--email", "ops@example.org", database_url=database_url)
    assert root.returncode == 0, root.stderr
    root_sid, root_token = root.stdout.split()
    assert root_sid.startswith("AC") and len(root_sid) == 34 and len(root_token) == 32

    child = run_cli(
        "accounts", "create", "--email", "dev@example.org", "--parent", root_sid,
        "--friendly-name", "Dev", "--role", "Developer", "--token", "my-own-token-123",
        database_url=database_url,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.split()[1] == "my-own-token-123"

    duplicate = run_cli("accounts", "create", "--email", "ops@example.org", database_url=database_url)
    assert duplicate.returncode == 1
    assert "--email" in duplicate.stderr and "already used" in duplicate.stderr

    unknown_parent = run_cli(
        "accounts", "create", "--email", "x@example.org", "--parent", "AC" + "0" * 32, database_url=database_url
    )
    assert unknown_parent.returncode == 1 and "no account" in unknown_parent.stderr

    application = run_cli(
        "applications", "create", "--account", root_sid, "--friendly-name", "IVR", database_url=database_url
    )
    assert application.returncode == 0, application.stderr
    assert application.stdout.strip().startswith("AP")


def test_bad_configuration_is_a_clear_error() -> None:
    result = subprocess.run(
        [*GATEWAY, "accounts", "create", "--email", "a@b.co"], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "GATEWAY_PROVIDER": "nope"},
    )
    assert result.returncode == 2
    assert "GATEWAY_PROVIDER" in result.stderr
