"""The behaviour both front-ends promise, each test run through REST and through GraphQL
(and, like every test on a database, on SQLite and on PostgreSQL)."""

from __future__ import annotations

import httpx
import pytest

from tests.support.frontends import Frontend, GraphQLFrontend, RestFrontend


@pytest.fixture(params=["rest", "graphql"])
def frontend(request: pytest.FixtureRequest, client: httpx.AsyncClient) -> Frontend:
    return RestFrontend(client) if request.param == "rest" else GraphQLFrontend(client)
