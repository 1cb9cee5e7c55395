"""Form bodies and query strings, decoded strictly.

Starlette's own parsing replaces invalid UTF-8 with U+FFFD without a word; here a
parameter that is not valid UTF-8, or holds a character no text parameter may hold
(a control character, a noncharacter such as U+FFFE), is refused with an error naming
it. The first value of a repeated parameter wins, as in Restcomm.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from gateway.services.errors import InvalidParameter
from gateway.services.validation import forbidden_character


def parse_parameters(raw: bytes) -> dict[str, str]:
    """`a=1&b=%C3%A9` (a form body or a query string) as {name: value}."""
    values: dict[str, str] = {}
    for piece in raw.split(b"&"):
        if not piece:
            continue
        raw_name, _, raw_value = piece.partition(b"=")
        name = _decode(raw_name, None)
        value = _decode(raw_value, name)
        values.setdefault(name, value)
    return values


def _decode(part: bytes, name: str | None) -> str:
    what = "a parameter name" if name is None else name[:40]
    try:
        text = unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidParameter(f"{what} is not valid UTF-8 text") from None
    problem = forbidden_character(text)
    if problem is not None:
        raise InvalidParameter(f"{what} must not contain {problem}")
    return text
