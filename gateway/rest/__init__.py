"""The Restcomm IncomingPhoneNumbers REST API, wire-compatible with Restcomm's.

Thin: each endpoint reads its parameters, calls a use case of `gateway.services` and
renders the answer; no SQL and no business rule is written here.

- `routes`          the route table: one resource per path, under /restcomm/2012-04-24 and /2012-04-24
- `numbers`, `accounts`, `available`  the endpoints
- `context`         authentication and errors around every endpoint
- `params`          Restcomm's parameters read into typed values
- `representation`, `responses`, `dates`  JSON and XML as Restcomm writes them, error bodies
- `negotiation`     `.json` on any segment, and the JSON-or-XML choice
- `openapi`         the OpenAPI document of all of the above
"""
