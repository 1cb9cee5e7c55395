"""DID carriers behind one protocol (`base.Provider`): one module per carrier.

Providers know nothing of the gateway's storage or settings: `gateway.assembly` builds
the configured one and hands it what it needs (URLs, credentials, the sandbox's ledger).
"""
