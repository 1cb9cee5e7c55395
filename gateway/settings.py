"""Configuration from the environment; the names are the contract of SPEC §2."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping

DEFAULT_ADMIN_SID = "ACae6e420f425248d6a26948c17a9e2acf"
DEFAULT_ADMIN_EMAIL = "administrator@company.com"
PROVIDERS = ("sandbox", "voipinnovations", "vonage")


class SettingsError(ValueError):
    """A configuration value is unusable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///./gateway.db"
    provider: str = "sandbox"
    admin_sid: str = DEFAULT_ADMIN_SID
    admin_email: str = DEFAULT_ADMIN_EMAIL
    admin_token: str | None = None
    public_url: str | None = None
    #: seconds between the server's reconciler rounds; 0 turns them off
    reconcile_interval: float = 60.0
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
        interval = env.get("GATEWAY_RECONCILE_INTERVAL", "60").strip() or "60"
        try:
            reconcile_interval = float(interval)
        except ValueError:
            raise SettingsError(f"GATEWAY_RECONCILE_INTERVAL={interval!r} is not a number of seconds") from None
        if reconcile_interval < 0:
            raise SettingsError(f"GATEWAY_RECONCILE_INTERVAL={interval!r} must be 0 (off) or more")
        return cls(
            database_url=env.get("GATEWAY_DATABASE_URL") or cls.database_url,
            provider=provider,
            admin_sid=env.get("GATEWAY_ADMIN_SID") or DEFAULT_ADMIN_SID,
            admin_email=env.get("GATEWAY_ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL,
            admin_token=env.get("GATEWAY_ADMIN_TOKEN") or None,
            public_url=(env.get("GATEWAY_PUBLIC_URL") or "").rstrip("/") or None,
            reconcile_interval=reconcile_interval,
            voipinnovations=_prefixed(env, "GATEWAY_VOIPINNOVATIONS_"),
            vonage=_prefixed(env, "GATEWAY_VONAGE_"),
        )


def _prefixed(env: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix):].lower(): v for k, v in env.items() if k.startswith(prefix)}
