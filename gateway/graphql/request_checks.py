"""What a GraphQL request may hold, checked before it runs, over HTTP and websockets alike."""

from __future__ import annotations

from typing import Any

from gateway.services.validation import forbidden_character

#: our deepest input is input.voice.url: 3 levels; anything far deeper is not a request
MAX_VARIABLE_DEPTH = 16


def forbidden_in_document(query: str) -> str | None:
    # Tabs and line breaks are a document's own whitespace; nothing else of the kind is.
    return forbidden_character(query.replace("\t", " ").replace("\n", " ").replace("\r", " "))


def problem_in(value: Any, path: str, depth: int) -> str | None:
    """What makes a JSON value of the request unacceptable, naming where it is, or None."""
    if depth > MAX_VARIABLE_DEPTH:
        return f"{path} is nested deeper than {MAX_VARIABLE_DEPTH} levels"
    if isinstance(value, str):
        problem = forbidden_character(value)
        return f"{path} must not contain {problem}" if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = problem_in(key, f"{path} (a key)", depth) or problem_in(item, f"{path}.{key}", depth + 1)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if found := problem_in(item, f"{path}[{index}]", depth + 1):
                return found
    return None


def problem_in_request(
    query: str | None, variables: Any, extensions: Any, operation_name: Any,
) -> str | None:
    """What makes a request's document, variables, extensions or operation name
    unacceptable (HTTP and websocket subscribes alike), or None."""
    if query is not None and (problem := forbidden_in_document(query)):
        return f"the query must not contain {problem}"
    for name, value in (("variables", variables), ("extensions", extensions), ("operationName", operation_name)):
        if (problem := problem_in(value, name, 0)) is not None:
            return problem
    return None
