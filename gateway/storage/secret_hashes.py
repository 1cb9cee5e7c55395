"""Secrets at rest: how tokens, passwords and key secrets are stored, and checked.

Two kinds of stored hash, told apart by their prefix:

- ``scrypt$N$r$p$salt$hash``: a salted, deliberately slow hash, for every secret a
  person may have chosen. A Restcomm auth token is the MD5 of the account's password,
  so a stolen database must not turn into a cheap offline guess of each password:
  one guess costs one scrypt (N=2^14, r=8: about 50 ms and 16 MiB). What is hashed is
  the SHA-256 of the token, which lets migration 0005 wrap the unsalted SHA-256 hashes
  stored before it without knowing any token.
- ``sha256$salt$hash``: HMAC-SHA256 keyed by a per-row salt, for secrets the gateway
  drew itself (128 random bits: guessing is hopeless however fast the hash).

Checking a slow hash is CPU work: `services.secrets` runs it off the event loop and
remembers what it verified.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_SLOW, _FAST = "scrypt", "sha256"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(material: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(material, salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def sha256_hex(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def slow_hash_of_sha256(digest_hex: str) -> str:
    """The slow stored form of a secret whose SHA-256 (hex) is `digest_hex`."""
    salt = secrets.token_bytes(16)
    derived = _scrypt(digest_hex.encode(), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{_SLOW}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(derived)}"


def slow_hash(secret: str) -> str:
    """For a secret a person may have chosen (or derived from one)."""
    return slow_hash_of_sha256(sha256_hex(secret))


def fast_hash(secret: str) -> str:
    """For a secret the gateway drew at random."""
    salt = secrets.token_bytes(16)
    return f"{_FAST}${_b64(salt)}${_b64(hmac.new(salt, secret.encode(), hashlib.sha256).digest())}"


def is_slow(stored: str) -> bool:
    return stored.startswith(_SLOW + "$")


def matches(stored: str, secret: str) -> bool:
    """Whether `secret` is the one `stored` was made from (CPU-bound when slow)."""
    kind, _, rest = stored.partition("$")
    try:
        if kind == _FAST:
            salt, expected = rest.split("$")
            actual = hmac.new(_unb64(salt), secret.encode(), hashlib.sha256).digest()
            return hmac.compare_digest(actual, _unb64(expected))
        if kind == _SLOW:
            n, r, p, salt, expected = rest.split("$")
            actual = _scrypt(sha256_hex(secret).encode(), _unb64(salt), int(n), int(r), int(p))
            return hmac.compare_digest(actual, _unb64(expected))
    except ValueError:  # a malformed stored value matches nothing
        return False
    return False
