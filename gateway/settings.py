"""Configuration from the environment; the names are a contract with operators (README: Configuration)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import urlsplit

DEFAULT_ADMIN_SID = "ACae6e420f425248d6a26948c17a9e2acf"
DEFAULT_ADMIN_EMAIL = "administrator@company.com"
PROVIDERS = ("sandbox", "voipinnovations", "vonage")


class SettingsError(ValueError):
    """A configuration value is unusable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///./gateway.db"
    #: connections one gateway process opens at most
    database_pool_size: int = 10
    #: seconds a request waits for a free connection before it is answered 503
    database_pool_timeout: float = 5.0
    provider: str = "sandbox"
    admin_sid: str = DEFAULT_ADMIN_SID
    admin_email: str = DEFAULT_ADMIN_EMAIL
    admin_token: str | None = None
    public_url: str | None = None
    #: seconds between the server's reconciler rounds; 0 turns them off
    reconcile_interval: float = 60.0
    #: seconds a carrier request may take to answer (read and write timeouts of each HTTP exchange)
    carrier_timeout: float = 10.0
    #: seconds after a request gave up during which the carrier may still act on it
    carrier_late_window: float = 900.0
    #: failed sign-ins of one username from one address answered per window; then 429
    auth_failure_limit: int = 10
    #: seconds of that window
    auth_failure_window: float = 60.0
    #: origins (scheme://host[:port]) whose pages may call the API; empty: none
    cors_origins: frozenset[str] = frozenset()
    #: a trusted-documents manifest (hash -> document); set: only those documents run
    graphql_documents: str | None = None
    #: run queries from compiled plans (graphql.plans); off: graphql-core runs every operation
    graphql_compiler: bool = True
    voipinnovations: Mapping[str, str] = field(default_factory=dict)
    vonage: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        provider = env.get("GATEWAY_PROVIDER", "sandbox").strip().lower() or "sandbox"
        if provider not in PROVIDERS:
            raise SettingsError(
                f"GATEWAY_PROVIDER={provider!r} is not one of {', '.join(PROVIDERS)}"
            )
        return cls(
            database_url=env.get("GATEWAY_DATABASE_URL") or cls.database_url,
            database_pool_size=int(_number(env, "GATEWAY_DATABASE_POOL_SIZE", cls.database_pool_size, minimum=1,
                                           whole=True)),
            database_pool_timeout=_number(env, "GATEWAY_DATABASE_POOL_TIMEOUT", cls.database_pool_timeout,
                                          minimum=0.1),
            provider=provider,
            admin_sid=env.get("GATEWAY_ADMIN_SID") or DEFAULT_ADMIN_SID,
            admin_email=env.get("GATEWAY_ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL,
            admin_token=env.get("GATEWAY_ADMIN_TOKEN") or None,
            public_url=(env.get("GATEWAY_PUBLIC_URL") or "").rstrip("/") or None,
            reconcile_interval=_number(env, "GATEWAY_RECONCILE_INTERVAL", cls.reconcile_interval, minimum=0),
            carrier_timeout=_number(env, "GATEWAY_CARRIER_TIMEOUT", cls.carrier_timeout, minimum=0.1),
            carrier_late_window=_number(env, "GATEWAY_CARRIER_LATE_WINDOW", cls.carrier_late_window, minimum=0),
            auth_failure_limit=int(_number(env, "GATEWAY_AUTH_FAILURE_LIMIT", cls.auth_failure_limit, minimum=1,
                                           whole=True)),
            auth_failure_window=_number(env, "GATEWAY_AUTH_FAILURE_WINDOW", cls.auth_failure_window, minimum=1),
            cors_origins=_origins(env, "GATEWAY_CORS_ORIGINS"),
            graphql_documents=env.get("GATEWAY_GRAPHQL_DOCUMENTS", "").strip() or None,
            graphql_compiler=_switch(env, "GATEWAY_GRAPHQL_COMPILER", cls.graphql_compiler),
            voipinnovations=_prefixed(env, "GATEWAY_VOIPINNOVATIONS_"),
            vonage=_prefixed(env, "GATEWAY_VONAGE_"),
        )


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float, whole: bool = False) -> float:
    """A numeric variable (blank: the default), at least `minimum`; SettingsError naming it otherwise."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    kind = "a whole number" if whole else "a number"
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not {kind}") from None
    if not value >= minimum:  # also refuses nan
        raise SettingsError(f"{name}={raw!r} must be at least {minimum:g}")
    return value


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    """An on/off variable (blank: the default); SettingsError naming it otherwise."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("on", "true", "1", "yes"):
        return True
    if raw in ("off", "false", "0", "no"):
        return False
    raise SettingsError(f"{name}={raw!r} is not on or off")


def _origins(env: Mapping[str, str], name: str) -> frozenset[str]:
    """A comma-separated list of exact origins, each `scheme://host[:port]`."""
    origins = set()
    for raw in env.get(name, "").split(","):
        origin = raw.strip().rstrip("/")
        if not origin:
            continue
        parts = urlsplit(origin)
        if origin == "*" or parts.scheme not in ("http", "https") or not parts.netloc or parts.path \
                or parts.query or parts.fragment or "*" in origin or "@" in parts.netloc:
            raise SettingsError(
                f"{name}: {raw.strip()!r} is not an origin; list exact origins such as https://app.example.com"
                " or http://127.0.0.1:5173 (no wildcards, paths or credentials), separated by commas"
            )
        origins.add(f"{parts.scheme}://{parts.netloc.lower()}")
    return frozenset(origins)


def _prefixed(env: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix):].lower(): v for k, v in env.items() if k.startswith(prefix)}
