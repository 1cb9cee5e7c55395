"""Accounts and Applications endpoints (what a number needs around it)."""

from __future__ import annotations

from starlette.responses import Response

from gateway.domain.accounts import AccountChanges
from gateway.rest import params
from gateway.rest.context import RestContext, endpoint
from gateway.rest.representation import account_json, account_xml, xml_attributes
from gateway.rest.responses import render
from gateway.services import account_changes, accounts, applications
from gateway.storage.tables import Application
from gateway.web.links import application_uri


@endpoint
async def create_subaccount(ctx: RestContext) -> Response:
    form = await params.read_form(ctx.request)
    created = await accounts.create_subaccount(
        db=ctx.db,
        caller=ctx.caller,
        email=params.required(form, "EmailAddress"),
        friendly_name=form.get("FriendlyName"),
        role=form.get("Role"),
        password=form.get("Password"),
    )
    return render(
        ctx.request,
        lambda: account_json(created.account, created.auth_token),
        lambda: account_xml(created.account, created.auth_token),
        201,
    )


@endpoint
async def update_account(ctx: RestContext) -> Response:
    """Restcomm's and Twilio's account update: FriendlyName, Status, Password. A new
    Password sets a new auth token, answered this once; closing releases the numbers,
    and what could not be released yet stays listed under the account."""
    form = await params.read_form(ctx.request)
    updated = await account_changes.update_account(
        db=ctx.db,
        provider=ctx.provider,
        caller=ctx.caller,
        account_sid=ctx.account_sid,
        changes=AccountChanges(
            friendly_name=form.get("FriendlyName"), status=form.get("Status"), password=form.get("Password"),
        ),
        with_api_key=ctx.login.delegated,
    )
    return render(
        ctx.request,
        lambda: account_json(updated.account, updated.auth_token),
        lambda: account_xml(updated.account, updated.auth_token),
    )


@endpoint
async def get_account(ctx: RestContext) -> Response:
    account = await accounts.get_account(db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid)
    return render(ctx.request, lambda: account_json(account), lambda: account_xml(account))


@endpoint
async def list_accounts(ctx: RestContext) -> Response:
    found = await accounts.list_accounts(db=ctx.db, caller=ctx.caller)
    return render(
        ctx.request,
        lambda: [account_json(a) for a in found],
        lambda: "<Accounts>" + "".join(account_xml(a) for a in found) + "</Accounts>",
    )


def _application_json(application: Application) -> dict[str, object]:
    return {
        "sid": application.sid,
        "account_sid": application.account_sid,
        "friendly_name": application.friendly_name,
        "uri": application_uri(application.account_sid, application.sid),
    }


def _application_xml(application: Application) -> str:
    document = _application_json(application)
    return "<Application" + xml_attributes({k: v for k, v in document.items() if k != "uri"}) + "/>"


@endpoint
async def create_application(ctx: RestContext) -> Response:
    form = await params.read_form(ctx.request)
    application = await applications.create_application(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, friendly_name=params.required(form, "FriendlyName")
    )
    return render(ctx.request, lambda: _application_json(application), lambda: _application_xml(application), 201)


@endpoint
async def list_applications(ctx: RestContext) -> Response:
    found = await applications.list_applications(db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid)
    return render(
        ctx.request,
        lambda: [_application_json(a) for a in found],
        lambda: "<Applications>" + "".join(_application_xml(a) for a in found) + "</Applications>",
    )


def _application_sid(ctx: RestContext) -> str:
    return str(ctx.request.path_params["application_sid"])


@endpoint
async def get_application(ctx: RestContext) -> Response:
    application = await applications.get_application(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, application_sid=_application_sid(ctx)
    )
    return render(ctx.request, lambda: _application_json(application), lambda: _application_xml(application))


@endpoint
async def update_application(ctx: RestContext) -> Response:
    """FriendlyName, if given (an application has nothing else to change yet)."""
    form = await params.read_form(ctx.request)
    application = await applications.update_application(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, application_sid=_application_sid(ctx),
        friendly_name=form.get("FriendlyName"),
    )
    return render(ctx.request, lambda: _application_json(application), lambda: _application_xml(application))


@endpoint
async def delete_application(ctx: RestContext) -> Response:
    """204; every number that used the application (any family) stops using it at once."""
    await applications.delete_application(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, application_sid=_application_sid(ctx)
    )
    return Response(status_code=204)
