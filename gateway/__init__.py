"""The numbers gateway: telephone numbers over GraphQL, Restcomm-compatible REST and a CLI."""

__version__ = "0.1.0"
