"""Resource identifiers: a two-letter prefix and 32 lowercase hex digits, as Restcomm."""

from __future__ import annotations

import re
import secrets

ACCOUNT, APPLICATION, PHONE_NUMBER, API_KEY, ACCESS_TOKEN = "AC", "AP", "PN", "SK", "AT"

_SID = re.compile(r"^(AC|AP|PN|SK|AT)[0-9a-f]{32}$")


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def is_sid(value: str, prefix: str) -> bool:
    match = _SID.match(value)
    return match is not None and match.group(1) == prefix


def new_token() -> str:
    return secrets.token_hex(16)
