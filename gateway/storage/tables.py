"""SQLModel tables.

Model families follow the full-stack-fastapi-template habit: a `*Base` holding the
columns a client may set, and the table class adding identity and bookkeeping.
The routing columns are spelled out here (a table is a schema and should read as
one); `tests/test_route_families.py` checks they match `services.route_families`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, Text, text
from sqlmodel import Field, SQLModel

from gateway.domain.accounts import AccountRole, AccountStatus
from gateway.domain.numbers import NumberStatus
from gateway.domain.route_families import APPLICATION_COLUMNS


def utcnow() -> datetime:
    # Stored naive in UTC: SQLite has no time zones and PostgreSQL's `timestamp`
    # then behaves the same, so both back-ends read back identical values.
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _timestamp() -> datetime:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(), nullable=False))


class Account(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (
        # An account's subaccounts in creation order, and the keyset seek after one of them.
        Index("ix_account_parent_order", "parent_sid", "date_created", "sid"),
    )

    sid: str = Field(primary_key=True, max_length=34)
    friendly_name: str = Field(max_length=64)
    email: str = Field(max_length=254, unique=True)
    #: a `domain.accounts.AccountStatus`
    status: str = Field(default=AccountStatus.ACTIVE.value, max_length=16)
    #: a `domain.accounts.AccountRole`
    role: str = Field(default=AccountRole.DEVELOPER.value, max_length=32)
    parent_sid: str | None = Field(default=None, foreign_key="account.sid")
    #: the root account's sid: the organization every descendant belongs to
    organization_sid: str = Field(max_length=34, index=True)
    #: "/ROOT/CHILD/…/SELF/"; an account may act on every account whose path starts with its own
    path: str = Field(max_length=1024, index=True)
    #: the auth token as `services.secrets` stores it (slow when it may derive from a
    #: password); the token itself is shown once and never stored
    secret_hash: str = Field(max_length=255)
    date_created: datetime = _timestamp()
    date_updated: datetime = _timestamp()

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ACTIVE.value

    @property
    def ancestor_sids(self) -> list[str]:
        """Its ancestors' sids, root first (from `path`)."""
        return [sid for sid in self.path.strip("/").split("/")[:-1] if sid]


class ApiKey(SQLModel, table=True):
    """A revocable credential of an account (Twilio's API keys): `SK…` and a secret."""

    __tablename__ = "api_key"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(foreign_key="account.sid", index=True)
    friendly_name: str = Field(max_length=64)
    #: the secret as `services.secrets` stores it; shown once at creation
    secret_hash: str = Field(max_length=255)
    date_created: datetime = _timestamp()
    date_updated: datetime = _timestamp()


class AccessToken(SQLModel, table=True):
    """A short-lived bearer credential of an account, for single-page apps.

    The token is `<sid>.<secret>`; only the secret's SHA-256 is stored. The secret is
    256 random bits, so a fast hash is as strong as a slow one and costs no CPU per
    request.
    """

    __tablename__ = "access_token"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(foreign_key="account.sid", index=True)
    secret_hash: str = Field(max_length=64)
    date_created: datetime = _timestamp()
    expires_at: datetime = Field(sa_column=Column(DateTime(), nullable=False, index=True))


class PersistedQuery(SQLModel, table=True):
    """A GraphQL document registered by automatic persisted queries (Apollo's protocol),
    by the SHA-256 of its text: in the database so every instance knows it."""

    __tablename__ = "persisted_query"

    sha256_hash: str = Field(primary_key=True, max_length=64)
    document: str = Field(sa_column=Column(Text(), nullable=False))
    date_created: datetime = _timestamp()


class NumberEvent(SQLModel, table=True):
    """A change of a number that clients can see, written by database triggers in the
    changing transaction (migration 0007), read by `services.events` for subscribers."""

    __tablename__ = "number_event"

    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"),
                                                          primary_key=True, autoincrement=True))
    #: PostgreSQL's transaction id (what `pg_notify` announces); 0 on SQLite
    tx: int = Field(sa_column=Column(BigInteger(), nullable=False, index=True))
    #: PURCHASED | UPDATED | RELEASED | TRANSFERRED
    type: str = Field(max_length=16)
    number_sid: str = Field(max_length=34)
    account_sid: str = Field(max_length=34)
    #: the account's path then: subscribers of any ancestor receive it
    account_path: str = Field(max_length=1024)
    #: TRANSFERRED: where the number came from
    previous_account_sid: str | None = Field(default=None, max_length=34)
    #: the number after the change (before it, for RELEASED), as JSON
    number: str = Field(sa_column=Column(Text(), nullable=False))
    occurred_at: datetime = Field(sa_column=Column(DateTime(), nullable=False, index=True))


class AuthFailure(SQLModel, table=True):
    """Failed sign-ins of one username from one client address, in the current window.

    In the database, not process memory, so the limit holds across instances.
    """

    __tablename__ = "auth_failure"

    #: sha256 of the username as given (lower case): no e-mail is stored here
    subject: str = Field(primary_key=True, max_length=64)
    address: str = Field(primary_key=True, max_length=64)
    window_start: datetime = Field(sa_column=Column(DateTime(), nullable=False, index=True))
    failures: int = 0


class Application(SQLModel, table=True):
    __tablename__ = "application"
    __table_args__ = (
        # An account's applications in creation order, and the keyset seek after one of them.
        Index("ix_application_account_order", "account_sid", "date_created", "sid"),
    )

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(foreign_key="account.sid")
    friendly_name: str = Field(max_length=64)
    date_created: datetime = _timestamp()
    date_updated: datetime = _timestamp()


class NumberSettingsBase(SQLModel):
    """What a client may set on a number: routing per family and capabilities."""

    voice_url: str | None = None
    voice_method: str = "POST"
    voice_fallback_url: str | None = None
    voice_fallback_method: str = "POST"
    status_callback: str | None = None
    status_callback_method: str = "POST"
    voice_caller_id_lookup: bool = False
    voice_application_sid: str | None = Field(default=None, foreign_key="application.sid")

    sms_url: str | None = None
    sms_method: str = "POST"
    sms_fallback_url: str | None = None
    sms_fallback_method: str = "POST"
    sms_application_sid: str | None = Field(default=None, foreign_key="application.sid")

    ussd_url: str | None = None
    ussd_method: str = "POST"
    ussd_fallback_url: str | None = None
    ussd_fallback_method: str = "POST"
    ussd_application_sid: str | None = Field(default=None, foreign_key="application.sid")

    refer_url: str | None = None
    refer_method: str = "POST"
    refer_application_sid: str | None = Field(default=None, foreign_key="application.sid")

    voice_capable: bool = False
    sms_capable: bool = False
    mms_capable: bool = False
    fax_capable: bool = False


class IncomingPhoneNumber(NumberSettingsBase, table=True):
    __tablename__ = "incoming_phone_number"
    __table_args__ = (
        # Serves every list: one account's numbers in (phone_number, sid) order, and
        # the keyset seek `(phone_number, sid) > (?, ?)`.
        Index("ix_number_account_order", "account_sid", "phone_number", "sid"),
        Index("ix_number_account_type_order", "account_sid", "number_type", "phone_number", "sid"),
        Index("ix_number_account_friendly_name", "account_sid", "friendly_name"),
        # Counting a page's total reads only this index, not a million rows.
        Index("ix_number_account_status", "account_sid", "status"),
        # The reconciler's queue: unsettled numbers whose carrier outcome is due.
        Index("ix_number_status_due", "status", "outcome_due_at"),
        # The numbers routed to an application, per family: what Application.incomingPhoneNumbers
        # reads, deleting an application clears, and PostgreSQL's foreign key checks on that
        # delete look up. Partial: most numbers route by URL and are not in them at all.
        *(
            Index(
                f"ix_number_{column}", column,
                sqlite_where=text(f"{column} IS NOT NULL"), postgresql_where=text(f"{column} IS NOT NULL"),
            )
            for column in APPLICATION_COLUMNS
        ),
        # A DID exists once in the whole gateway; a SIP number once per organization.
        # These constraints, not a lock in the process, stop concurrent double purchases.
        Index(
            "uq_number_did",
            "phone_number",
            unique=True,
            sqlite_where=text("is_sip = 0"),
            postgresql_where=text("NOT is_sip"),
        ),
        Index(
            "uq_number_sip_per_organization",
            "organization_sid",
            "phone_number",
            unique=True,
            sqlite_where=text("is_sip = 1"),
            postgresql_where=text("is_sip"),
        ),
    )

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(foreign_key="account.sid")
    organization_sid: str = Field(max_length=34)
    phone_number: str = Field(max_length=64)
    friendly_name: str = Field(max_length=64)
    #: local | tollfree | mobile
    number_type: str = Field(max_length=16)
    is_sip: bool = False
    beta: bool = False
    #: a `domain.numbers.NumberStatus`: pending (reserved, carrier not yet confirmed) | active | releasing
    status: str = Field(default=NumberStatus.ACTIVE.value, max_length=16)
    #: pending or releasing: when the carrier's outcome is due; until then a request may
    #: still be waiting for it, and the reconciler leaves the row alone (services.reconcile)
    outcome_due_at: datetime | None = Field(default=None, sa_column=Column(DateTime(), nullable=True))
    #: a reconciler is asking the carrier about this row until then (a lease, not a lock)
    reconciling_until: datetime | None = Field(default=None, sa_column=Column(DateTime(), nullable=True))
    api_version: str = Field(default="2012-04-24", max_length=16)
    date_created: datetime = _timestamp()
    date_updated: datetime = _timestamp()


class SandboxSoldNumber(SQLModel, table=True):
    """The sandbox carrier's own ledger of what it sold (so sales survive restarts)."""

    __tablename__ = "sandbox_sold_number"

    phone_number: str = Field(primary_key=True, max_length=32)
    sold_at: datetime = _timestamp()


class IdempotencyRecord(SQLModel, table=True):
    """The first outcome of a purchase made with an Idempotency-Key, per account.

    Kept in the database (not process memory) so a retry reaching another gateway
    instance gets the same answer.
    """

    __tablename__ = "idempotency_record"

    account_sid: str = Field(primary_key=True, max_length=34)
    key: str = Field(primary_key=True, max_length=255)
    #: sha256 of the request's parameters: a key reused for another request is refused
    fingerprint: str = Field(max_length=64)
    #: in_progress | done
    state: str = Field(default="in_progress", max_length=16)
    number_sid: str | None = Field(default=None, max_length=34)
    error_code: str | None = Field(default=None, max_length=40)
    error_message: str | None = Field(default=None, max_length=1024)
    error_field: str | None = Field(default=None, max_length=64)
    date_created: datetime = _timestamp()


class AccountNumberTotal(SQLModel, table=True):
    """How many numbers each account shows (every status but `pending`).

    Maintained by database triggers (migration 0003), not by application code, so no
    code path (nor a bulk load) can let it drift; an unfiltered list reads its total
    here instead of counting a million rows.
    """

    __tablename__ = "account_number_total"

    account_sid: str = Field(primary_key=True, max_length=34)
    total: int = 0
