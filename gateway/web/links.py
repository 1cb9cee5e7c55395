"""Where REST serves a resource: the `uri` both front-ends show (Restcomm's form)."""

from __future__ import annotations

API_VERSION = "2012-04-24"


def number_uri(account_sid: str, number_sid: str, *, json: bool = True) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}/IncomingPhoneNumbers/{number_sid}{'.json' if json else ''}"


def account_uri(account_sid: str, *, json: bool = True) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}{'.json' if json else ''}"


def numbers_uri(account_sid: str) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}/IncomingPhoneNumbers.json"


def application_uri(account_sid: str, application_sid: str) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}/Applications/{application_sid}.json"


def api_key_uri(account_sid: str, key_sid: str) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}/Keys/{key_sid}.json"


def access_token_uri(account_sid: str, token_sid: str) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}/AccessTokens/{token_sid}.json"
