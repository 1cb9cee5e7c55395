"""AvailablePhoneNumbers and AvailableCountries: search the carrier before buying."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gateway.domain.numbers import NumberType
from gateway.providers.base import AvailableNumber
from gateway.rest import params
from gateway.rest.context import RestContext, endpoint
from gateway.rest.representation import xml_value
from gateway.rest.responses import render
from gateway.services.available import DEFAULT_RESULTS, AvailableSearch, available_countries, search_available_numbers

#: (JSON key, XML element, attribute) in Restcomm's order
_FIELDS = (
    ("friendlyName", "FriendlyName", "friendly_name"),
    ("phoneNumber", "PhoneNumber", "phone_number"),
    ("lata", "Lata", "lata"),
    ("rateCenter", "RateCenter", "rate_center"),
    ("latitude", "Latitude", "latitude"),
    ("longitude", "Longitude", "longitude"),
    ("region", "Region", "region"),
    ("postalCode", "PostalCode", "postal_code"),
    ("isoCountry", "IsoCountry", "iso_country"),
    ("cost", "Cost", "cost"),
)
_CAPABILITIES = ("voice", "sms", "mms", "fax", "ussd")


def available_json(number: AvailableNumber) -> dict[str, Any]:
    document = {key: getattr(number, attr) for key, _, attr in _FIELDS if getattr(number, attr) is not None}
    document.update({f"{c}Capable": getattr(number, f"{c}_capable") for c in _CAPABILITIES})
    return document


def available_xml(number: AvailableNumber) -> str:
    parts = [f"<{element}>{xml_value(getattr(number, attr))}</{element}>"
             for _, element, attr in _FIELDS if element != "Cost" and getattr(number, attr) is not None]
    capabilities = "".join(
        f"<{c.capitalize()}>{xml_value(getattr(number, f'{c}_capable'))}</{c.capitalize()}>" for c in _CAPABILITIES[:4]
    )
    return f"<AvailablePhoneNumber>{''.join(parts)}<Capabilities>{capabilities}</Capabilities></AvailablePhoneNumber>"


def search_endpoint(number_type: NumberType):
    @endpoint
    async def search(ctx: RestContext) -> Response:
        query = ctx.query
        found = await search_available_numbers(
            db=ctx.db,
            provider=ctx.provider,
            caller=ctx.caller,
            account_sid=ctx.account_sid,
            country=ctx.request.path_params["iso_country"],
            number_type=number_type,
            search=AvailableSearch(
                area_code=query.get("AreaCode") or None,
                contains=query.get("Contains") or None,
                in_region=query.get("InRegion") or None,
                in_postal_code=query.get("InPostalCode") or None,
                in_rate_center=query.get("InRateCenter") or None,
                in_lata=query.get("InLata") or None,
                sms_enabled=params.boolean(query, "SmsEnabled"),
                mms_enabled=params.boolean(query, "MmsEnabled"),
                voice_enabled=params.boolean(query, "VoiceEnabled"),
                fax_enabled=params.boolean(query, "FaxEnabled"),
                ussd_enabled=params.boolean(query, "UssdEnabled"),
                near_number=query.get("NearNumber") or None,
                near_lat_long=query.get("NearLatLong") or None,
                distance=query.get("Distance") or None,
                limit=params.integer(query, "RangeSize", DEFAULT_RESULTS),
                offset=params.integer(query, "RangeIndex", 0) * params.integer(query, "RangeSize", DEFAULT_RESULTS),
            ),
        )
        return render(
            ctx.request,
            lambda: [available_json(n) for n in found],
            lambda: "<AvailablePhoneNumbers>" + "".join(available_xml(n) for n in found) + "</AvailablePhoneNumbers>",
        )

    return search


@endpoint
async def countries(ctx: RestContext) -> Response:
    found = await available_countries(db=ctx.db, provider=ctx.provider, caller=ctx.caller,
                                      account_sid=ctx.account_sid)
    return render(
        ctx.request,
        lambda: found,
        lambda: "<AvailableCountries>" + "".join(f"<AvailableCountry>{c}</AvailableCountry>" for c in found)
        + "</AvailableCountries>",
    )
