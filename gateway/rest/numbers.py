"""IncomingPhoneNumbers endpoints: parse, call a service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response

from gateway.domain.numbers import NumberChanges, NumberFilters, NumberType, PurchaseRequest
from gateway.rest import params
from gateway.rest.context import RestContext, endpoint
from gateway.rest.negotiation import client_path
from gateway.rest.representation import number_json, number_xml, xml_attributes
from gateway.rest.responses import render
from gateway.services import applications, listing, numbers, purchase, release
from gateway.services.listing import NumberPage
from gateway.storage.tables import IncomingPhoneNumber
from gateway.web.forms import Parameters

#: the typed subresources and the number type each stands for
SUBRESOURCES = {"Local": NumberType.LOCAL, "TollFree": NumberType.TOLL_FREE, "Mobile": NumberType.MOBILE}


async def _render_number(ctx: RestContext, number: IncomingPhoneNumber, status: int = 200) -> Response:
    names = await applications.applications_of(db=ctx.db, numbers=[number])
    return render(ctx.request, lambda: number_json(number, names), lambda: number_xml(number, names), status)


def list_endpoint(number_type: NumberType | None):
    @endpoint
    async def list_numbers(ctx: RestContext) -> Response:
        query = ctx.query
        filters = NumberFilters.asked(
            number_type=number_type,
            phone_number=params.phone_number_filter(query),
            friendly_name=query.get("FriendlyName"),
            beta=params.boolean(query, "Beta"),
        )
        page = await listing.list_numbers_page(
            db=ctx.db,
            caller=ctx.caller,
            account_sid=ctx.account_sid,
            filters=filters,
            page=params.integer(query, "Page", 0),
            page_size=params.integer(query, "PageSize", listing.DEFAULT_PAGE_SIZE),
            after_sid=query.get("AfterSid") or None,
        )
        envelope = _envelope(ctx, page)
        names = page.applications
        return render(
            ctx.request,
            lambda: {**envelope, "incomingPhoneNumbers": [number_json(n, names) for n in page.items]},
            lambda: (
                f"<IncomingPhoneNumbers{xml_attributes({k.replace('_', ''): v for k, v in envelope.items()})}>"
                + "".join(number_xml(n, names) for n in page.items)
                + "</IncomingPhoneNumbers>"
            ),
        )

    return list_numbers


def _envelope(ctx: RestContext, page: NumberPage) -> dict[str, object]:
    # Links keep the client's filters and path (with or without /restcomm, .json).
    request = ctx.request
    path = client_path(request)
    kept = {k: v for k, v in ctx.query.items() if k not in ("Page", "PageSize", "AfterSid")}

    def link(number: int, after: IncomingPhoneNumber | None = None) -> str:
        query = {**kept, "Page": number, "PageSize": page.page_size}
        if after is not None:
            query["AfterSid"] = after.sid
        return f"{path}?{urlencode(query)}"

    last = page.last_page
    has_next = page.page < last and bool(page.items)
    return {
        "page": page.page,
        "num_pages": last,
        "page_size": page.page_size,
        "total": page.total,
        "start": str(page.start),
        "end": str(page.start + max(len(page.items) - 1, 0)),
        "uri": f"{path}?{request.url.query}" if request.url.query else path,
        "first_page_uri": link(0),
        "previous_page_uri": link(page.page - 1) if page.page > 0 else "null",
        "next_page_uri": link(page.page + 1, after=page.items[-1]) if has_next else "null",
        "last_page_uri": link(last),
    }


def purchase_endpoint(number_type: NumberType | None):
    @endpoint
    async def buy(ctx: RestContext) -> Response:
        form = await params.read_form(ctx.request)
        number = await purchase.purchase_number(
            db=ctx.db,
            provider=ctx.provider,
            caller=ctx.caller,
            request=PurchaseRequest(
                account_sid=ctx.account_sid,
                phone_number=form.get("PhoneNumber"),
                area_code=form.get("AreaCode"),
                number_type=number_type,
                is_sip=_is_sip(form),
                friendly_name=form.get("FriendlyName"),
                api_version=form.get("ApiVersion"),
                settings=params.number_settings(form),
                idempotency_key=ctx.request.headers.get("idempotency-key"),
            ),
        )
        return await _render_number(ctx, number)  # Restcomm answers 200, not 201

    return buy


def _is_sip(form: Parameters) -> bool:
    """Restcomm's clients spell it isSIP, issip, IsSip…"""
    value = form.get_any_case("isSIP")
    return bool(params.boolean({"isSIP": value} if value is not None else {}, "isSIP", default=False))


@endpoint
async def get_number(ctx: RestContext) -> Response:
    number = await numbers.get_number(
        db=ctx.db, caller=ctx.caller, account_sid=ctx.account_sid, number_sid=ctx.request.path_params["number_sid"],
    )
    return await _render_number(ctx, number)


@endpoint
async def update_number(ctx: RestContext) -> Response:
    form = await params.read_form(ctx.request)
    number = await numbers.update_number(
        db=ctx.db,
        provider=ctx.provider,
        caller=ctx.caller,
        account_sid=ctx.account_sid,
        number_sid=ctx.request.path_params["number_sid"],
        changes=NumberChanges(
            friendly_name=form.get("FriendlyName"),
            api_version=form.get("ApiVersion"),
            settings=params.number_settings(form),
            transfer_to=form.get("AccountSid"),
        ),
    )
    return await _render_number(ctx, number)


@endpoint
async def release_number(ctx: RestContext) -> Response:
    await release.release_number(
        db=ctx.db, provider=ctx.provider, caller=ctx.caller,
        account_sid=ctx.account_sid, number_sid=ctx.request.path_params["number_sid"],
    )
    return Response(status_code=204)
