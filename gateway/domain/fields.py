"""Every input a client gives, as each front-end spells it, declared once.

A `ServiceError` names the input at fault by its service name (`voice_url`); REST shows
the Restcomm parameter (`VoiceUrl`), GraphQL the path under the mutation's `input` or
the query's argument (`voice.url`), the CLI an option (`--voice-url`). Adding an input
means one line here, not one per front-end.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.domain.route_families import CAPABILITIES, ROUTE_SETTINGS, camel


@dataclass(frozen=True)
class Field:
    #: the service-level name (`ServiceError.field`)
    name: str
    #: the REST parameter (or header, or path segment)
    rest: str
    #: the GraphQL path: under a mutation's `input`, or a query's argument
    graphql: tuple[str, ...]

    @property
    def graphql_label(self) -> str:
        """How a GraphQL message names it: `voice.url`."""
        return ".".join(self.graphql)

    @property
    def option(self) -> str:
        """How the CLI names it: `--friendly-name`."""
        return "--" + self.name.replace("_", "-")


def lower_camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _plain(name: str, rest: str | None = None, graphql: str | None = None) -> Field:
    return Field(name, rest or camel(name), (graphql or lower_camel(name),))


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        # the number's routing and capabilities: one family each in GraphQL (voice.url)
        *(Field(s.column, s.rest_name, (s.family, lower_camel(s.name))) for s in ROUTE_SETTINGS),
        *(Field(f"{c}_capable", camel(f"{c}_capable"), ("capabilities", c)) for c in CAPABILITIES),
        # a number, and what a purchase or a change says about it
        _plain("sid", rest="IncomingPhoneNumberSid"),
        _plain("phone_number"),
        _plain("area_code"),
        _plain("friendly_name"),
        _plain("api_version"),
        _plain("is_sip", rest="isSIP", graphql="isSip"),
        _plain("idempotency_key", rest="Idempotency-Key"),
        _plain("account_sid"),
        #: a transfer's target: REST's AccountSid on an update, GraphQL's own argument
        _plain("transfer_to", rest="AccountSid", graphql="toAccountSid"),
        # accounts
        _plain("email", rest="EmailAddress"),
        _plain("password"),
        _plain("role"),
        _plain("ttl", rest="Ttl", graphql="ttlSeconds"),
        # lists and searches
        _plain("page"),
        _plain("page_size"),
        _plain("after_sid"),
        _plain("iso_country", rest="IsoCountry", graphql="country"),
        _plain("range_size", rest="RangeSize", graphql="first"),
        _plain("range_index"),
        _plain("contains"),
        _plain("near_number"),
        _plain("near_lat_long"),
        _plain("distance"),
    )
}


def field(name: str) -> Field:
    """The spellings of `name`; an input not declared above is spelled by rule."""
    return FIELDS.get(name) or _plain(name)
