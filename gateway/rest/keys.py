"""API keys under an account: POST and GET /Accounts/{Sid}/Keys, GET and DELETE one key."""

from __future__ import annotations

from starlette.responses import Response

from gateway.rest import params
from gateway.rest.context import RestContext, endpoint
from gateway.rest.dates import rfc2822
from gateway.rest.representation import xml_value
from gateway.rest.responses import render
from gateway.services import api_keys
from gateway.storage.tables import ApiKey
from gateway.web.links import api_key_uri


def _entries(key: ApiKey, secret: str | None) -> list[tuple[str, str, str]]:
    entries = [
        ("sid", "Sid", key.sid),
        ("friendly_name", "FriendlyName", key.friendly_name),
        ("date_created", "DateCreated", rfc2822(key.date_created)),
        ("date_updated", "DateUpdated", rfc2822(key.date_updated)),
    ]
    if secret is not None:  # shown once, at creation: only its hash is stored
        entries.append(("secret", "Secret", secret))
    entries.append(("uri", "Uri", api_key_uri(key.account_sid, key.sid)))
    return entries


def key_json(key: ApiKey, secret: str | None = None) -> dict[str, str]:
    return {name: value for name, _, value in _entries(key, secret)}


def key_xml(key: ApiKey, secret: str | None = None) -> str:
    return "<Key>" + "".join(f"<{e}>{xml_value(v)}</{e}>" for _, e, v in _entries(key, secret)) + "</Key>"


def _with_key(ctx: RestContext) -> bool:
    return ctx.login.delegated


@endpoint
async def create_key(ctx: RestContext) -> Response:
    form = await params.read_form(ctx.request)
    created = await api_keys.create_api_key(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, friendly_name=form.get("FriendlyName"),
        with_api_key=_with_key(ctx),
    )
    return render(ctx.request, lambda: key_json(created.key, created.secret), lambda: key_xml(created.key, created.secret),
                  201)


@endpoint
async def list_keys(ctx: RestContext) -> Response:
    found = await api_keys.list_api_keys(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, with_api_key=_with_key(ctx)
    )
    return render(ctx.request, lambda: [key_json(k) for k in found],
                  lambda: "<Keys>" + "".join(key_xml(k) for k in found) + "</Keys>")


@endpoint
async def get_key(ctx: RestContext) -> Response:
    key = await api_keys.get_api_key(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, key_sid=ctx.request.path_params["key_sid"],
        with_api_key=_with_key(ctx),
    )
    return render(ctx.request, lambda: key_json(key), lambda: key_xml(key))


@endpoint
async def revoke_key(ctx: RestContext) -> Response:
    await api_keys.revoke_api_key(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, key_sid=ctx.request.path_params["key_sid"],
        with_api_key=_with_key(ctx),
    )
    return Response(status_code=204)
