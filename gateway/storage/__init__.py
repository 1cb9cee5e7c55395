"""Persistence: SQLModel tables, the engine and sessions, and the queries the services use."""
