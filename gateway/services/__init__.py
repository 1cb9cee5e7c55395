"""The use cases, keyword-only functions over domain types; no HTTP or GraphQL here.

Each takes the request's `db` and opens its own short transactions: no session is
held while the carrier is asked (`carrier.bounded`).

- `purchase`, `idempotency`  buying a number (reserve, ask the carrier, settle), safe retries
- `numbers`                  get, update (plan, tell the carrier, write), transfer
- `release`                  claim, cancel at the carrier, delete
- `listing`, `available`     lists of numbers; searches of the carrier's inventory
- `accounts`, `applications`, `access`  the account tree, who may act on what
- `reconcile`                settling what the carrier's answer left unknown
- `phone`, `validation`      reading phone numbers, URLs, names, methods
- `carrier`                  every carrier call bounded in time, none inside a transaction
"""
