"""docker/: no Docker engine runs here, so the image's own commands are run directly
from a regular (non-editable) install of the package, as the image installs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import free_port

pytestmark = pytest.mark.slow  # a system test: `-m 'not slow'` skips it locally

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "docker" / "Dockerfile").read_text()


def instruction(name: str) -> str:
    """The last `NAME …` instruction, continuation lines joined."""
    joined = DOCKERFILE.replace("\\\n", " ")
    found = re.findall(rf"^{name}\s+(.*)$", joined, flags=re.MULTILINE)
    assert found, f"Dockerfile has no {name}"
    return str(found[-1])


def exec_form(text: str) -> list[str]:
    value = json.loads(text)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value)
    return value


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--disable-pip-version-check", "--target", str(target), str(ROOT)],
        check=True, timeout=300,
    )
    return target


def test_image_runs_as_a_non_root_user() -> None:
    user = instruction("USER").strip()
    assert user not in ("root", "0")
    assert "useradd --system" in DOCKERFILE


def test_entry_command_serves_and_the_healthcheck_passes(installed: Path, tmp_path: Path) -> None:
    command = exec_form(instruction("ENTRYPOINT")) + exec_form(instruction("CMD"))
    assert command[:2] == ["gateway", "serve"]
    port = free_port()
    # Loopback only on this machine: the image's 0.0.0.0 becomes 127.0.0.1 here.
    args = ["127.0.0.1" if a == "0.0.0.0" else str(port) if a == "8000" else a for a in command[1:]]
    env = {
        "PATH": f"{installed / 'bin'}:{os.path.dirname(sys.executable)}:/usr/bin:/bin",
        "PYTHONPATH": str(installed),
        "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/gateway.db",
        "GATEWAY_PORT": str(port),
    }
    server = subprocess.Popen([str(installed / "bin" / "gateway"), *args], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    healthcheck = exec_form(instruction("HEALTHCHECK").split("CMD", 1)[1].strip())
    try:
        result = None
        for _ in range(100):
            result = subprocess.run(healthcheck, env=env, capture_output=True, timeout=10)
            if result.returncode == 0 or server.poll() is not None:
                break
            subprocess.run(["sleep", "0.2"])
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        assert result is not None and result.returncode == 0, result.stderr if result else ""
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    # The installed copy (not the work tree) served, migrations and all.
    assert "Created the bootstrap account" in output
    assert (tmp_path / "gateway.db").exists()


def test_compose_runs_the_gateway_on_postgresql() -> None:
    compose = (ROOT / "docker" / "compose.yaml").read_text()
    assert "image: postgres:15" in compose
    assert re.search(r"GATEWAY_DATABASE_URL: postgresql://\S+@postgres:5432/", compose)
    assert "dockerfile: docker/Dockerfile" in compose
    command = exec_form(re.search(r"command: (\[.*\])", compose).group(1))  # type: ignore[union-attr]
    from gateway.cli import build_parser

    parsed = build_parser().parse_args(command)
    assert (parsed.command, parsed.workers) == ("serve", 2)
