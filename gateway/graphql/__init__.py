"""The GraphQL API: Strawberry on Starlette at `/graphql`.

Thin: every resolver parses its arguments, calls a use case of `gateway.services`
(loaders included) and shapes the answer; no SQL and no business rule is written here.
Modules, one concern each:

- `context`      the per-request context (the request's database, caller, provider, loaders, request id)
- `permissions`  the credentials, read as REST reads them (`gateway.web.credentials`)
- `descriptions` field wording, from the Restcomm IncomingPhoneNumbers page
- `types`        Account, IncomingPhoneNumber, AvailablePhoneNumber, UserError, the enums, DateTime
- `call_routes`  a number's voice/sms/ussd/refer routes and capabilities
- `errors`       ServiceError → `userErrors` entry / GraphQL error, in one path for every mutation
- `loaders`      per-request DataLoaders (accounts, applications)
- `connection`   keyset-cursor connection of numbers
- `costs`        what an operation may cost before it runs (carrier searches)
- `queries`      the Query type
- `mutations/`   one module per mutation, and the inputs they share
- `schema`       the Schema with its limits and error masking
- `view`         the Starlette-facing view (refusals, bounded and strict bodies, GraphiQL)
- `routes`       `graphql_routes()` for the application
- `ide`          the self-hosted GraphiQL page and its assets
"""
