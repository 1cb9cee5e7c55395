"""What a phone number is, independent of how it is stored or shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping, Protocol


class NumberType(str, Enum):
    """The kind of a number, as the Local, TollFree and Mobile subresources name it."""

    LOCAL = "local"
    TOLL_FREE = "tollfree"
    MOBILE = "mobile"


class NumberStatus(str, Enum):
    """Where a number is in its life; only `ACTIVE` numbers can be changed.

    ``PENDING``: reserved while the carrier is asked to sell it; invisible to lists.
    ``ACTIVE``: ours. ``RELEASING``: the carrier is asked to take it back; listed, but it
    refuses changes (409) until the release is confirmed and the row deleted.
    """

    PENDING = "pending"
    ACTIVE = "active"
    RELEASING = "releasing"


#: statuses whose carrier outcome the reconciler may have to settle
UNSETTLED = (NumberStatus.PENDING, NumberStatus.RELEASING)


@dataclass(frozen=True)
class NumberFilters:
    """Which of an account's numbers a list shows."""

    number_type: NumberType | None = None
    #: substring of the number; `*` matches any one character
    phone_number: str | None = None
    #: exact match
    friendly_name: str | None = None
    include_beta: bool = True

    @classmethod
    def asked(
        cls, *, number_type: NumberType | None = None, phone_number: str | None = None,
        friendly_name: str | None = None, beta: bool | None = None,
    ) -> "NumberFilters":
        """The filters as a client gives them: an empty filter is no filter (no number has an
        empty name), and beta numbers are shown unless asked not to."""
        return cls(number_type, phone_number or None, friendly_name or None, beta is not False)


class Listed(Protocol):
    phone_number: str
    sid: str


@dataclass(frozen=True)
class SortKey:
    """A number's place in list order: (phone_number, sid)."""

    phone_number: str
    sid: str

    @classmethod
    def of(cls, number: Listed) -> "SortKey":
        return cls(number.phone_number, number.sid)


@dataclass(frozen=True)
class PurchaseRequest:
    """A purchase as a client asks for it; the service validates every field.

    `number_type` set means a typed subresource (Local, TollFree, Mobile): the number
    must be of that type and `area_code` is not accepted there. Otherwise `area_code`
    wins over `phone_number`.
    """

    account_sid: str
    phone_number: str | None = None
    area_code: str | None = None
    number_type: NumberType | None = None
    is_sip: bool = False
    friendly_name: str | None = None
    api_version: str | None = None
    #: routing and capability values by column name (`voice_url`, `sms_capable`)
    settings: Mapping[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None


@dataclass(frozen=True)
class NumberChanges:
    """An update: only what is given changes.

    In `settings` (by column name) None or "" clears a URL or an application and
    restores a method to POST. `transfer_to` also moves the number to that account of
    the same organization.
    """

    friendly_name: str | None = None
    api_version: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    transfer_to: str | None = None

    @property
    def is_transfer_only(self) -> bool:
        return self.friendly_name is None and self.api_version is None and not self.settings


class NumberEventType(str, Enum):
    """What happened to a number, as subscribers hear it (storage migration 0007 decides)."""

    PURCHASED = "PURCHASED"
    UPDATED = "UPDATED"
    RELEASED = "RELEASED"
    TRANSFERRED = "TRANSFERRED"
