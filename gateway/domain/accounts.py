"""What an account is, independent of how it is stored or shown."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class AccountStatus(str, Enum):
    """Only an active account may sign in and change things."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class AccountRole(str, Enum):
    """Administrators may create subaccounts; Developers may not."""

    ADMINISTRATOR = "Administrator"
    DEVELOPER = "Developer"


@dataclass(frozen=True)
class AccountChanges:
    """An update of an account: only what is given changes.

    A new `password` also sets a new auth token (its MD5, Restcomm's rule); `status`
    `closed` is final, and releases every number of the account and its descendants.
    """

    friendly_name: str | None = None
    status: str | None = None
    password: str | None = None
