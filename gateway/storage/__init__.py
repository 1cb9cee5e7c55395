"""Persistence; correctness is held by the database's constraints, not by the callers.

- `tables`          SQLModel tables (the row types the services hand to the front-ends)
- `database`        the engine, the bounded pool, `Database.session()` and `RequestDatabase`
                    (at most one connection per request)
- `queries`         the SQL the services run: lists, keyset seeks, batched look-ups
- `migrate`, `migrations/`  Alembic: bring a database to the current schema
- `sandbox_ledger`  what the sandbox carrier sold, kept in the gateway's database
"""
