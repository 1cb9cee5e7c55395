"""The GraphQL enums, written out, hold exactly the services' values."""

from __future__ import annotations

from gateway.domain.errors import ErrorCode
from gateway.domain.numbers import NumberType
from gateway.graphql.types import AccountRole, AccountStatus, PhoneNumberType
from gateway.graphql.types import ErrorCode as GraphQLErrorCode
from gateway.services.accounts import ROLES, STATUSES


def test_enums_hold_the_services_values() -> None:
    assert [s.value for s in AccountStatus] == list(STATUSES)
    assert [r.value for r in AccountRole] == list(ROLES)
    assert [t.value for t in PhoneNumberType] == [t.value for t in NumberType]
    assert GraphQLErrorCode is ErrorCode  # the one enum of error kinds, served as it is
