"""The accounts tests act as, and the paths they call."""

from __future__ import annotations

from dataclasses import dataclass

ADMIN_SID = "ACae6e420f425248d6a26948c17a9e2acf"
ADMIN_EMAIL = "administrator@company.com"
ADMIN_PASSWORD = "RestComm"
ADMIN_TOKEN = "77f8c12cc7b8f8423e5c38b035249166"  # md5("RestComm"), as in the seed page


@dataclass(frozen=True)
class Credentials:
    sid: str
    #: the auth token, or the password when signing in by e-mail
    token: str
    email: str
    #: sign in with the e-mail rather than the sid (then `token` is the password)
    by_email: bool = False
    #: sign in as another (an ancestor, or an API key sid) while acting on `sid`'s account
    login_sid: str | None = None

    @property
    def auth(self) -> tuple[str, str]:
        return (self.email if self.by_email else self.login_sid or self.sid, self.token)


def numbers_path(account_sid: str, suffix: str = "") -> str:
    return f"/restcomm/2012-04-24/Accounts/{account_sid}/IncomingPhoneNumbers{suffix}"
