"""A schemathesis check for GraphQL: no answer is a 5xx or a masked unexpected error.

schemathesis' own `not_a_server_error` counts every GraphQL `errors` entry that is not a
validation error as a failure; the gateway answers a bad argument of a query with an error
that says so (`INVALID_PARAMETER`, as GitHub's API does), which is expected. What must never
happen is an error the gateway did not expect: HTTP 5xx, or "Unexpected error".
Loaded with SCHEMATHESIS_HOOKS=tests.support.schemathesis_hooks.
"""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.check
def no_unexpected_error(ctx: Any, response: Any, case: Any) -> None:
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    for error in response.json().get("errors") or []:
        if (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR" or error.get("message") == "Unexpected error":
            raise AssertionError(f"an unexpected error: {error}")
