"""The GraphQL API (SPEC §5): Strawberry on Starlette at `/graphql`.

Every resolver goes through the service layer (`gateway.services`); the only SQL run
from here is the batched look-ups of the per-request DataLoaders
(`gateway.storage.queries`). Modules, one concern each:

- `context`      the per-request context (sessions, caller, provider, loaders, request id)
- `permissions`  HTTP Basic authentication, as REST
- `descriptions` field wording, from the Restcomm IncomingPhoneNumbers page
- `types`        output types (Account, IncomingPhoneNumber, routes generated from
                 `services.route_families`, UserError, enums, DateTime)
- `errors`       ServiceError → `userErrors` entry / GraphQL error
- `loaders`      per-request DataLoaders (accounts, applications)
- `connection`   keyset-cursor connection of numbers
- `queries`      the Query type
- `mutations/`   one module per mutation, shared inputs
- `schema`       the Schema with its limits and error masking
- `view`         the Starlette-facing view (401s, GraphiQL)
- `routes`       `graphql_routes()` for the application
- `ide`          the self-hosted GraphiQL page and assets (optional; the view falls
                 back to Strawberry's IDE without it)
"""
