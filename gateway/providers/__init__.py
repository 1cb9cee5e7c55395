"""DID carriers behind one protocol (`base.Provider`): one module per carrier."""

from __future__ import annotations

from gateway.providers.base import Provider
from gateway.providers.sandbox import SandboxProvider
from gateway.settings import Settings, SettingsError
from gateway.storage.database import SessionMaker


def build_provider(settings: Settings, sessionmaker: SessionMaker) -> Provider:
    if settings.provider == "sandbox":
        return SandboxProvider(sessionmaker)
    raise SettingsError(
        f"GATEWAY_PROVIDER={settings.provider}: this build ships only the sandbox carrier"
    )
