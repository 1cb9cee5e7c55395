"""What an account is, independent of how it is stored or shown."""

from __future__ import annotations

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
