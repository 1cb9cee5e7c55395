"""Building the gateway's parts from its settings: the database, the carrier, the
trusted GraphQL documents.

The one place that knows both the configuration names and the concrete classes, so
that providers stay free of settings and storage, and the server and the CLI assemble
the same way.
"""

from __future__ import annotations

from typing import Mapping

from gateway.observability.carrier import InstrumentedProvider
from gateway.providers.base import Provider
from gateway.providers.http import HttpOptions
from gateway.providers.sandbox import SandboxProvider
from gateway.services.persisted_documents import TrustedDocuments
from gateway.settings import Settings, SettingsError
from gateway.storage.database import Database
from gateway.storage.sandbox_ledger import DatabaseLedger


def build_trusted_documents(settings: Settings) -> TrustedDocuments | None:
    """The trusted-documents manifest, if one is configured (SettingsError if unusable)."""
    if settings.graphql_documents is None:
        return None
    try:
        return TrustedDocuments.load(settings.graphql_documents)
    except ValueError as error:
        raise SettingsError(f"GATEWAY_GRAPHQL_DOCUMENTS={settings.graphql_documents!r} {error}") from None


def build_database(settings: Settings) -> Database:
    return Database.connect(
        settings.database_url, pool_size=settings.database_pool_size, pool_timeout=settings.database_pool_timeout
    )


def build_provider(settings: Settings, database: Database) -> InstrumentedProvider:
    """The configured carrier, counted and timed for /metrics."""
    return InstrumentedProvider(build_carrier(settings, database))


def build_carrier(settings: Settings, database: Database) -> Provider:
    """The configured carrier itself."""
    if settings.provider == "sandbox":
        return SandboxProvider(DatabaseLedger(database))
    options = HttpOptions.answering_within(settings.carrier_timeout)
    if settings.provider == "voipinnovations":
        from gateway.providers.voipinnovations import VoipInnovationsProvider

        values = _required(
            settings.voipinnovations, "GATEWAY_VOIPINNOVATIONS_", ("url", "login", "password", "endpoint_group")
        )
        return VoipInnovationsProvider(
            url=values["url"],
            login=values["login"],
            password=values["password"],
            endpoint_group=values["endpoint_group"],
            options=options,
        )
    if settings.provider == "vonage":
        from gateway.providers.vonage import DEFAULT_URL, VonageProvider

        values = _required(
            {"url": DEFAULT_URL, **{k: v for k, v in settings.vonage.items() if v.strip()}},
            "GATEWAY_VONAGE_",
            ("url", "api_key", "api_secret"),
        )
        return VonageProvider(
            api_key=values["api_key"], api_secret=values["api_secret"], url=values["url"], options=options
        )
    raise SettingsError(f"GATEWAY_PROVIDER={settings.provider}: unknown carrier")


def _required(values: Mapping[str, str], prefix: str, names: tuple[str, ...]) -> dict[str, str]:
    """The named values, stripped; a SettingsError naming every missing variable."""
    provider = prefix.removeprefix("GATEWAY_").rstrip("_").lower()
    found = {name: (values.get(name) or "").strip() for name in names}
    missing = [f"{prefix}{name.upper()}" for name, value in found.items() if not value]
    if missing:
        raise SettingsError(
            f"{' and '.join(missing) if len(missing) < 3 else ', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} required when GATEWAY_PROVIDER={provider}"
        )
    url = found.get("url", "")
    if url and not url.startswith(("http://", "https://")):
        raise SettingsError(f"{prefix}URL={url!r} must be an http:// or https:// URL")
    return found
