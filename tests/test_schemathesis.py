"""schemathesis over /openapi.json against a real gateway process (issue 8): generated
requests, valid and invalid, never get a 500, and every answer is what the document says
(status, media type, body schema, headers, Allow, authentication). Then a stateful run
follows the document's links: purchase → get, update, release. And generated GraphQL
operations over the schema never meet an unexpected error.

`positive_data_acceptance` is left out on purpose: it expects 2xx for any request the
schema admits, and much of what the gateway refuses is not a matter of shape (a phone
number that does not exist, an area code the carrier has no numbers in, an account of
another organization); the document describes every shape the gateway refuses.
"""

from __future__ import annotations

import base64
import collections
import itertools
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.stateful import Bundle, rule, run_state_machine_as_test
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN
from tests.support.server import GatewayServer, gateway_server

pytestmark = pytest.mark.slow

AUTHORIZATION = "Basic " + base64.b64encode(f"{ADMIN_SID}:{ADMIN_TOKEN}".encode()).decode()
#: most generated account sids are the admin's, so requests get past access checks
CONFIG = f"""
[dictionaries.accounts]
values = ["{ADMIN_SID}"]

[parameters]
"path.AccountSid" = {{ dictionary = "accounts", probability = 0.8 }}
"""


@pytest.fixture
def server(database_url: str) -> Iterator[GatewayServer]:
    env = {"GATEWAY_DATABASE_URL": database_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN, "GATEWAY_RECONCILE_INTERVAL": "0",
           # schemathesis signs in wrongly on purpose (its ignored_auth check) far more often
           # than the throttle answers from one address; the throttle has tests of its own.
           "GATEWAY_AUTH_FAILURE_LIMIT": "1000000"}
    with gateway_server(env) as running:
        yield running


def _run_schemathesis(server: GatewayServer, config: Path, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", f"{server.url}/openapi.json",
         "--checks", "all", "--exclude-checks", "positive_data_acceptance",
         "--phases", "examples,coverage,fuzzing", "--max-examples", "25", "--seed", "8",
         "--workers", "1", "--generation-database", "none", "--no-color",
         "-H", f"Authorization: {AUTHORIZATION}", "-H", "Accept: application/json", *arguments],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return result.stdout


def _generated(output: str) -> int:
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases and cases[1] == cases[2], output[-3000:]  # every case passed
    return int(cases[1])


#: the account updates may set a new password: fuzzed on an account of their own, so the
#: credentials every other generated request signs in with stay valid
_ACCOUNT_UPDATES = ("updateAccount", "replaceAccount")


def test_generated_requests_get_documented_answers(server: GatewayServer, tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    excluded = [argument for operation in _ACCOUNT_UPDATES for argument in ("--exclude-operation-id", operation)]
    assert _generated(_run_schemathesis(server, config, *excluded)) > 1000

    created = httpx.post(f"{server.url}/2012-04-24/Accounts.json", data={"EmailAddress": "fuzzed@example.com"},
                         auth=(ADMIN_SID, ADMIN_TOKEN))
    assert created.status_code == 201, created.text
    config.write_text(CONFIG.replace(ADMIN_SID, created.json()["sid"]).replace("probability = 0.8", "probability = 1.0"))
    included = [argument for operation in _ACCOUNT_UPDATES for argument in ("--include-operation-id", operation)]
    assert _generated(_run_schemathesis(server, config, *included)) > 50
    assert "Traceback" not in server.output()


def test_generated_graphql_operations_never_meet_an_unexpected_error(server: GatewayServer) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{server.url}/graphql", "--checks", "no_unexpected_error",
         "--max-examples", "40", "--seed", "8", "--workers", "1", "--generation-database", "none", "--no-color",
         "-H", f"Authorization: {AUTHORIZATION}"],
        capture_output=True, text=True, timeout=600, cwd=Path(__file__).parent.parent,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.support.schemathesis_hooks"},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    cases = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert cases and cases[1] == cases[2] and int(cases[1]) > 300, result.stdout[-3000:]
    assert "Traceback" not in server.output()


def test_the_documented_links_hold_in_stateful_runs(server: GatewayServer) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    purchase = schema["/restcomm/2012-04-24/Accounts/{AccountSid}/IncomingPhoneNumbers"]["POST"]
    names = (f"sip-{uuid.uuid4().hex[:8]}-{n}" for n in itertools.count())
    answered: collections.Counter[tuple[str, str, int]] = collections.Counter()

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        # schemathesis would start its scenarios from operations it guesses; a SIP number is
        # the purchase that succeeds with no carrier, so it is the first step here.
        @rule(target=Bundle("bought"))
        def buy_a_sip_number(self) -> StepOutput:
            case = purchase.Case(path_parameters={"AccountSid": ADMIN_SID},
                                 body={"PhoneNumber": next(names), "isSIP": "true"},
                                 media_type="application/x-www-form-urlencoded")
            self.recorder.record_case(case=case)
            return self.step(StepInput.initial(case))

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {"Authorization": AUTHORIZATION, "Accept": "application/json"}}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        def after_call(self, response: Any, case: Any) -> None:
            path = re.sub(r"AC[0-9a-f]{32}|PN[0-9a-f]{32}", "*", case.formatted_path)
            answered[(case.method, path, response.status_code)] += 1

    run_state_machine_as_test(Workflow, settings=settings(
        max_examples=25, stateful_step_count=8, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    ))
    number = "/restcomm/2012-04-24/Accounts/*/IncomingPhoneNumbers/*"
    assert answered[("GET", number, 200)] and answered[("DELETE", number, 204)], answered  # links were followed
    assert not [key for key in answered if key[2] >= 500], answered
    assert "Traceback" not in server.output()
