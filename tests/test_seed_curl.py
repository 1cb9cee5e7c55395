"""The curl commands at the end of the seed page, verbatim but for host and port,
against a real `gateway serve` process."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.support.server import gateway_process

pytestmark = pytest.mark.slow  # a system test: `-m 'not slow'` skips it locally

TOKEN = "77f8c12cc7b8f8423e5c38b035249166"
ACCOUNT = "ACae6e420f425248d6a26948c17a9e2acf"


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["curl", "-s", "-w", "\n%{http_code}", *args], capture_output=True, text=True, timeout=30)


def split(result: subprocess.CompletedProcess[str]) -> tuple[str, int]:
    body, _, status = result.stdout.rpartition("\n")
    return body, int(status)


def test_seed_page_curl_commands(database_url: str) -> None:
    env = {"GATEWAY_DATABASE_URL": database_url, "GATEWAY_ADMIN_TOKEN": TOKEN}
    with gateway_process(env) as base:
        host = base.removeprefix("http://")
        root = f"http://administrator%40company.com:{TOKEN}@{host}/restcomm/2012-04-24/Accounts/{ACCOUNT}"

        body, status = split(curl("-X", "POST", f"{root}/IncomingPhoneNumbers.json",
                                  "-d", "PhoneNumber=+15105555555",
                                  "-d", "VoiceUrl=https://127.0.0.1/restcomm/demos/hello-play.xml"))
        assert status == 200, body
        did = json.loads(body)
        assert did["phone_number"] == "+15105555555"
        assert did["voice_url"] == "https://127.0.0.1/restcomm/demos/hello-play.xml"
        assert (did["voice_method"], did["voice_caller_id_lookup"], did["api_version"]) == ("POST", False, "2012-04-24")

        body, status = split(curl("-X", "POST", f"{root}/IncomingPhoneNumbers.json",
                                  "-d", "PhoneNumber=1234",
                                  "-d", "VoiceUrl=https://127.0.0.1/restcomm/demos/hello-play.xml",
                                  "-d", "isSIP=true"))
        assert status == 200, body
        assert json.loads(body)["phone_number"] == "1234"

        body, status = split(curl("-X", "GET", f"{root}/IncomingPhoneNumbers.json"))
        assert status == 200, body
        listed = json.loads(body)
        assert sorted(n["phone_number"] for n in listed["incomingPhoneNumbers"]) == ["+15105555555", "1234"]

        body, status = split(curl("-X", "DELETE", f"{root}/IncomingPhoneNumbers/{did['sid']}"))
        assert (body, status) == ("", 204)

        body, status = split(curl("-X", "GET", f"{root}/IncomingPhoneNumbers.json"))
        assert [n["phone_number"] for n in json.loads(body)["incomingPhoneNumbers"]] == ["1234"]
