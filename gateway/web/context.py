"""What every request carries beyond its HTTP: its id, and its own view of the database."""

from __future__ import annotations

import uuid

from starlette.requests import HTTPConnection

from gateway.storage.database import Database, RequestDatabase


def request_id(request: HTTPConnection) -> str:
    """The id the Observability middleware gave this request (made here if it did not run)."""
    state = request.scope.setdefault("state", {})
    if not state.get("request_id"):
        state["request_id"] = uuid.uuid4().hex
    return str(state["request_id"])


def request_database(request: HTTPConnection) -> RequestDatabase:
    """This request's sessions: one connection at a time, none held while a carrier works."""
    database: Database = request.app.state.database
    return database.for_request()
