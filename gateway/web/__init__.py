"""What the REST and GraphQL front-ends share about HTTP, so neither imports the other.

- `credentials`  Basic credentials (sid or e-mail, token or password) and the 401 challenge
- `context`      the request's id and its own `RequestDatabase`
- `forms`        form bodies and query strings, decoded strictly
- `body`         the bound on request bodies, streamed ones included
- `links`        the `uri` of a resource, which both front-ends show
"""
