"""The GraphQL enums are the domain's own, so they hold exactly its values."""

from __future__ import annotations

from gateway.domain.accounts import AccountRole, AccountStatus
from gateway.domain.errors import ErrorCode
from gateway.domain.numbers import NumberType
from gateway.graphql import types
from gateway.graphql.schema import sdl


def test_graphql_serves_the_domain_enums() -> None:
    assert types.PhoneNumberType is NumberType
    schema = sdl()
    for name, enum in (("PhoneNumberType", NumberType), ("AccountStatus", AccountStatus),
                       ("AccountRole", AccountRole), ("ErrorCode", ErrorCode)):
        members = "".join(f"  {member.name}\n" for member in enum)
        assert f"enum {name} {{\n{members}}}" in schema, name
