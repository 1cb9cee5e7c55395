"""Persisted GraphQL operations, both kinds: which document a request runs.

**Automatic persisted queries** (Apollo's protocol, POST and GET): a request may send
`extensions.persistedQuery.sha256Hash` without `query`. A hash the gateway knows runs
its document; an unknown one is answered `PersistedQueryNotFound` (extensions.code
`PERSISTED_QUERY_NOT_FOUND`, HTTP 200 as Apollo Server answers it) so the client sends
hash and document together, which registers the document once its hash is checked.
Registered documents live in the database (every instance knows them), at most
`APQ_LIMIT` of them, each at most `APQ_MAX_DOCUMENT` characters; past the limit a
document still runs, it is just not remembered. Only signed-in requests get this far,
so nobody fills the table anonymously.

**Trusted documents** (`GATEWAY_GRAPHQL_DOCUMENTS`): a manifest in the format
graphql-codegen's client-preset writes (`persisted-documents.json`: hash → document).
Then only those documents run: by `documentId` (GraphQL over HTTP's persisted
documents; `sha256:` prefix optional), by APQ hash, or as their exact text; any other
document and any APQ registration is refused, as Hasura's allow-list, Apollo's
safelisting and GraphQL Hive's app deployments do.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import orjson

from gateway.storage import persisted_queries
from gateway.storage.database import Sessions

APQ_LIMIT = 10_000
APQ_MAX_DOCUMENT = 32_768
#: hash → document, per process: documents never change under their hash
_CACHE_SIZE = 2_000
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class DocumentRefused(Exception):
    """The request names no document it may run; `code` goes into extensions."""

    def __init__(self, message: str, code: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def sha256_of(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class TrustedDocuments:
    def __init__(self, documents: dict[str, str]) -> None:
        # client-preset 6 writes ids as `sha256:<hex>` (GraphQL over HTTP's form), 5 as bare hex.
        self.by_id = {_bare(document_id): text for document_id, text in documents.items()}
        self.texts = frozenset(documents.values())

    @classmethod
    def load(cls, path: str) -> TrustedDocuments:
        """The manifest at `path`; ValueError saying what is wrong with it."""
        try:
            manifest = orjson.loads(Path(path).read_bytes())
        except OSError as error:
            raise ValueError(f"cannot be read: {error.strerror}") from None
        except orjson.JSONDecodeError as error:
            raise ValueError(f"is not JSON: {error}") from None
        if not isinstance(manifest, dict) or not manifest or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in manifest.items()
        ):
            raise ValueError("must be a non-empty JSON object of document id to document text"
                             " (graphql-codegen client-preset's persisted-documents.json)")
        return cls(manifest)

    def document(self, document_id: str) -> str:
        found = self.by_id.get(_bare(document_id))
        if found is None:
            raise DocumentRefused(
                f"no trusted document has id {document_id[:80]!r}: this gateway runs only the documents of"
                " its manifest (GATEWAY_GRAPHQL_DOCUMENTS)", "PERSISTED_QUERY_NOT_FOUND",
            )
        return found

    def check(self, query: str) -> None:
        if query not in self.texts and sha256_of(query) not in self.by_id:
            raise DocumentRefused(
                "this gateway runs only trusted documents (GATEWAY_GRAPHQL_DOCUMENTS): send a documentId"
                " from the manifest, not a document of your own", "PERSISTED_QUERY_NOT_ALLOWED",
            )


class PersistedQueries:
    """Automatic persisted queries: documents by hash, remembered in the database."""

    def __init__(self) -> None:
        self._cache: OrderedDict[str, str] = OrderedDict()

    async def document(self, db: Sessions, sha256_hash: str) -> str:
        if (found := self._cache.get(sha256_hash)) is not None:
            self._cache.move_to_end(sha256_hash)
            return found
        async with db.session() as session:
            stored = await persisted_queries.find(session, sha256_hash)
        if stored is None:
            raise DocumentRefused("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", status=200)
        self._remember_here(sha256_hash, stored)
        return stored

    async def register(self, db: Sessions, sha256_hash: str, query: str) -> None:
        if sha256_of(query) != sha256_hash:
            raise DocumentRefused("provided sha does not match query: extensions.persistedQuery.sha256Hash must be"
                                  " the SHA-256 of the query's text", "PERSISTED_QUERY_HASH_MISMATCH")
        if sha256_hash in self._cache or len(query) > APQ_MAX_DOCUMENT:
            return  # known, or too long to keep: it runs all the same
        async with db.session() as session:
            if await persisted_queries.remember(session, sha256_hash, query, limit=APQ_LIMIT):
                self._remember_here(sha256_hash, query)

    def _remember_here(self, sha256_hash: str, document: str) -> None:
        self._cache[sha256_hash] = document
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)


def _bare(document_id: str) -> str:
    return document_id.removeprefix("sha256:")


def persisted_hash(extensions: dict[str, Any] | None) -> str | None:
    """The APQ hash a request's extensions carry, checked for shape."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if not isinstance(sha, str) or not _SHA256.match(sha) or persisted.get("version", 1) != 1:
        raise DocumentRefused("extensions.persistedQuery must be {version: 1, sha256Hash: <64 lowercase hex digits>}",
                              "PERSISTED_QUERY_INVALID")
    return sha


async def resolve_document(
    *, db: Sessions, query: str | None, extensions: dict[str, Any] | None, document_id: str | None,
    trusted: TrustedDocuments | None, automatic: PersistedQueries,
) -> str | None:
    """The document the request runs (None: it names none, which the view refuses)."""
    sha = persisted_hash(extensions)
    if trusted is not None:
        if query is not None:
            trusted.check(query)
            return query
        named = document_id if document_id is not None else sha
        return trusted.document(named) if named is not None else None
    if query is not None:
        if sha is not None:
            await automatic.register(db, sha, query)
        return query
    if document_id is not None:
        sha = document_id.removeprefix("sha256:")
        if not _SHA256.match(sha):
            raise DocumentRefused(f"documentId {document_id[:80]!r} is not a SHA-256 (64 lowercase hex digits)",
                                  "PERSISTED_QUERY_INVALID")
    return await automatic.document(db, sha) if sha is not None else None
