"""Access tokens under an account: POST /Accounts/{Sid}/AccessTokens, DELETE one.

A single-page app signs in once with HTTP Basic (e-mail and password) and then sends
`Authorization: Bearer <token>` (`services.access_tokens`).
"""

from __future__ import annotations

from starlette.responses import Response

from gateway.rest import params
from gateway.rest.context import RestContext, endpoint
from gateway.rest.dates import rfc2822
from gateway.rest.representation import xml_value
from gateway.rest.responses import render
from gateway.services import access_tokens
from gateway.web.links import access_token_uri


@endpoint
async def create_access_token(ctx: RestContext) -> Response:
    form = await params.read_form(ctx.request)
    ttl = access_tokens.parse_ttl(form.get("Ttl"))
    created = await access_tokens.create_access_token(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, ttl=ttl,
        signed_in_with_token=ctx.login.access_token_sid is not None,
    )
    record = created.record
    entries = [
        ("sid", "Sid", record.sid),
        ("account_sid", "AccountSid", record.account_sid),
        ("token", "Token", created.token),
        ("ttl", "Ttl", str(ttl)),
        ("date_created", "DateCreated", rfc2822(record.date_created)),
        ("date_expires", "DateExpires", rfc2822(record.expires_at)),
        ("uri", "Uri", access_token_uri(record.account_sid, record.sid)),
    ]
    body = {name: (ttl if name == "ttl" else value) for name, _, value in entries}
    xml = "<AccessToken>" + "".join(f"<{e}>{xml_value(v)}</{e}>" for _, e, v in entries) + "</AccessToken>"
    return render(ctx.request, lambda: body, lambda: xml, 201)


@endpoint
async def revoke_access_token(ctx: RestContext) -> Response:
    await access_tokens.revoke_access_token(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid,
        token_sid=ctx.request.path_params["token_sid"], current_token_sid=ctx.login.access_token_sid,
    )
    return Response(status_code=204)
