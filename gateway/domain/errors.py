"""The gateway's errors: one enum of codes shared by REST, GraphQL and the CLI.

Services raise `ServiceError`s; each front-end decides how to show them (REST maps the
code to an HTTP status, GraphQL to a `userErrors` entry). Messages may contain
``{field}``, which the front-end fills with its own name for the offending input
(``VoiceUrl`` over REST, ``voice.url`` over GraphQL), and ``{field:area_code}`` for
another input the message mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

#: ``{field}`` (the error's own input) or ``{field:area_code}`` (another one)
_NAMED_INPUT = re.compile(r"\{field(?::([a-z_]+))?\}")


class ErrorCode(Enum):
    """Error kinds with their Restcomm/Twilio-style numeric code."""

    INVALID_PARAMETER = 20001
    UNAUTHENTICATED = 20003
    FORBIDDEN = 20403
    NOT_FOUND = 20404
    CONFLICT = 20409
    INVALID_PHONE_NUMBER = 21421
    MISSING_PHONE_NUMBER = 21450
    INVALID_AREA_CODE = 21451
    NUMBER_UNAVAILABLE = 21452
    PROVIDER_UNAVAILABLE = 21453
    INVALID_URL = 21502
    TOO_MANY_REQUESTS = 20429
    SERVICE_UNAVAILABLE = 20503

    @property
    def restcomm_code(self) -> int:
        return self.value


class ServiceError(Exception):
    code: ErrorCode = ErrorCode.INVALID_PARAMETER

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: the service-level name of the offending input (``voice_url``), if any
        self.field = field

    def message_for(self, spell: Callable[[str], str] | None = None) -> str:
        """The message with every input named as `spell` (a front-end's spelling of a
        service-level name) names it; the service-level name without one."""

        def name(match: re.Match[str]) -> str:
            named = match.group(1) or self.field
            if named is None:
                return "parameter"
            return spell(named) if spell is not None else named

        return _NAMED_INPUT.sub(name, self.message)

    def __str__(self) -> str:
        return self.message_for()


class InvalidParameter(ServiceError):
    code = ErrorCode.INVALID_PARAMETER


class InvalidUrl(ServiceError):
    code = ErrorCode.INVALID_URL


class InvalidPhoneNumber(ServiceError):
    code = ErrorCode.INVALID_PHONE_NUMBER


class MissingPhoneNumber(ServiceError):
    code = ErrorCode.MISSING_PHONE_NUMBER


class InvalidAreaCode(ServiceError):
    code = ErrorCode.INVALID_AREA_CODE


class NumberUnavailable(ServiceError):
    code = ErrorCode.NUMBER_UNAVAILABLE


class RetryLater(ServiceError):
    """A failure that passes: the client should retry after `retry_after` seconds."""

    default_retry_after = 30

    def __init__(self, message: str, *, retry_after: int | None = None, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = max(1, retry_after if retry_after is not None else self.default_retry_after)


class ProviderUnavailable(RetryLater):
    """The carrier could not be reached, or its answer is not confirmed yet."""

    code = ErrorCode.PROVIDER_UNAVAILABLE


class ServiceUnavailable(RetryLater):
    """The gateway itself is out of a resource (no database connection free in time)."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    default_retry_after = 1


class TooManyRequests(RetryLater):
    """This client failed to sign in as this username too often lately."""

    code = ErrorCode.TOO_MANY_REQUESTS


class Unauthenticated(ServiceError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(ServiceError):
    code = ErrorCode.FORBIDDEN


class NotFound(ServiceError):
    code = ErrorCode.NOT_FOUND


class Conflict(ServiceError):
    code = ErrorCode.CONFLICT
