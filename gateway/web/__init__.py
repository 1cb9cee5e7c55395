"""What the REST and GraphQL front-ends share about HTTP: bounded bodies, strict
parameter decoding, credentials, and the request's context."""
