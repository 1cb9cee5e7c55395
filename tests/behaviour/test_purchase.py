"""Purchase (SPEC §4 Purchase, §5 purchaseNumber): what is bought, what is refused."""

from __future__ import annotations

from typing import Any

from gateway.domain.errors import ErrorCode
from gateway.providers.sandbox import MAGIC_UNAVAILABLE, MAGIC_UNREACHABLE
from tests.graphql_helpers import make_application
from tests.support.accounts import Credentials
from tests.support.frontends import Frontend
from tests.support.rest import ALL_METHODS, ALL_URLS, count_rows

NUMBER = "+15105555555"
E = ErrorCode

#: (inputs, the refusal's kind, the field it names)
REFUSED: list[tuple[dict[str, Any], ErrorCode, str]] = [
    ({}, E.MISSING_PHONE_NUMBER, "phone_number"),
    ({"phone_number": "   "}, E.MISSING_PHONE_NUMBER, "phone_number"),
    ({"phone_number": "+1555"}, E.INVALID_PHONE_NUMBER, "phone_number"),
    ({"phone_number": "+15550000000"}, E.INVALID_PHONE_NUMBER, "phone_number"),
    ({"phone_number": "not a number"}, E.INVALID_PHONE_NUMBER, "phone_number"),
    ({"phone_number": "9" * 300}, E.INVALID_PHONE_NUMBER, "phone_number"),
    ({"phone_number": MAGIC_UNAVAILABLE}, E.NUMBER_UNAVAILABLE, "phone_number"),
    ({"area_code": "51"}, E.INVALID_AREA_CODE, "area_code"),
    ({"area_code": "abc"}, E.INVALID_AREA_CODE, "area_code"),
    ({"area_code": "999"}, E.INVALID_AREA_CODE, "area_code"),
    ({"area_code": "²¹⁰"}, E.INVALID_AREA_CODE, "area_code"),
    ({"phone_number": NUMBER, "voice_url": "/relative/path"}, E.INVALID_URL, "voice_url"),
    ({"phone_number": NUMBER, "voice_url": "ftp://example.com/x"}, E.INVALID_URL, "voice_url"),
    ({"phone_number": NUMBER, "sms_fallback_url": "example.com"}, E.INVALID_URL, "sms_fallback_url"),
    ({"phone_number": NUMBER, "status_callback": "http://"}, E.INVALID_URL, "status_callback"),
    ({"phone_number": NUMBER, "refer_url": "http://[::1"}, E.INVALID_URL, "refer_url"),
    ({"phone_number": NUMBER, "ussd_url": "http://example.com:99999/x"}, E.INVALID_URL, "ussd_url"),
    ({"phone_number": NUMBER, "friendly_name": "x" * 65}, E.INVALID_PARAMETER, "friendly_name"),
    ({"phone_number": NUMBER, "friendly_name": "   "}, E.INVALID_PARAMETER, "friendly_name"),
    ({"phone_number": NUMBER, "api_version": "2010-04-01"}, E.INVALID_PARAMETER, "api_version"),
    ({"phone_number": NUMBER, "voice_application_sid": "AP123"}, E.INVALID_PARAMETER, "voice_application_sid"),
    ({"phone_number": NUMBER, "ussd_application_sid": "AP123"}, E.INVALID_PARAMETER, "ussd_application_sid"),
    ({"phone_number": NUMBER, "sms_application_sid": "AP" + "0" * 32}, E.INVALID_PARAMETER, "sms_application_sid"),
    ({"phone_number": NUMBER, "type": "TOLL_FREE"}, E.INVALID_PHONE_NUMBER, "phone_number"),
    ({"phone_number": "", "is_sip": True}, E.MISSING_PHONE_NUMBER, "phone_number"),
    ({"phone_number": "sip name", "is_sip": True}, E.INVALID_PHONE_NUMBER, "phone_number"),
    ({"phone_number": "x" * 65, "is_sip": True}, E.INVALID_PHONE_NUMBER, "phone_number"),
]


async def test_refusals_name_the_input_and_buy_nothing(frontend: Frontend, admin: Credentials) -> None:
    wrong = []
    for inputs, code, field_name in REFUSED:
        outcome = await frontend.purchase(admin, **inputs)
        if outcome.refusal is None or outcome.refusal.code is not code or not outcome.refusal.points_at(field_name):
            wrong.append((inputs, code.name, field_name, outcome.refusal or outcome.number))
    assert wrong == []
    # Nothing was bought, not even a reservation left behind.
    again = await frontend.purchase(admin, phone_number=NUMBER)
    assert again.ok()["phone_number"] == NUMBER


async def test_the_defaults(frontend: Frontend, admin: Credentials) -> None:
    # Digits without a +, and surrounding blanks, are the same E.164 number.
    number = (await frontend.purchase(admin, phone_number=" 14155550123 ")).ok()
    assert (number["phone_number"], number["account_sid"]) == ("+14155550123", admin.sid)
    assert number["friendly_name"] == "(415) 555-0123"
    assert all(number[m] == "POST" for m in ALL_METHODS), number
    assert all(number[u] is None for u in ALL_URLS), number
    assert all(number[f"{f}_application_sid"] is None for f in ("voice", "sms", "ussd", "refer"))
    assert (number["voice_caller_id_lookup"], number["api_version"]) == (False, "2012-04-24")
    # Capabilities come from the carrier (sandbox local numbers can do everything).
    assert number["capabilities"] == {"voice_capable": True, "sms_capable": True, "mms_capable": True, "fax_capable": True}
    assert await frontend.get(admin, number["sid"]) == number


async def test_every_input_is_stored_as_given(frontend: Frontend, app, admin: Credentials) -> None:
    application = await make_application(app, admin, "Sms app")
    urls = {name: f"https://example.com/{name}" for name in ALL_URLS}
    methods = dict.fromkeys(ALL_METHODS, "GET")
    number = (await frontend.purchase(
        admin, phone_number=NUMBER, friendly_name="x" * 64, api_version="2012-04-24", voice_caller_id_lookup=True,
        sms_application_sid=application, sms_capable=False, fax_capable=False, **urls, **methods,
    )).ok()
    assert {k: number[k] for k in urls} == urls and {k: number[k] for k in methods} == methods
    assert (number["friendly_name"], number["voice_caller_id_lookup"]) == ("x" * 64, True)
    assert (number["sms_application_sid"], number["sms_application_name"]) == (application, "Sms app")
    # What the client says wins over the carrier's capabilities.
    assert number["capabilities"] == {"voice_capable": True, "sms_capable": False, "mms_capable": True, "fax_capable": False}
    assert await frontend.get(admin, number["sid"]) == number


async def test_by_area_code(frontend: Frontend, admin: Credentials) -> None:
    by_area = (await frontend.purchase(admin, area_code="510")).ok()
    assert by_area["phone_number"].startswith("+1510") and len(by_area["phone_number"]) == 12
    # Given both, the area code wins (as Restcomm does): the number is not bought.
    both = (await frontend.purchase(admin, phone_number="+14155550123", area_code="212")).ok()
    assert both["phone_number"].startswith("+1212") and both["friendly_name"].startswith("(212) ")
    assert "+14155550123" not in await frontend.phone_numbers(admin)


async def test_of_a_given_type(frontend: Frontend, admin: Credentials) -> None:
    toll_free = (await frontend.purchase(admin, phone_number="+18005550199", type="TOLL_FREE")).ok()
    mobile = (await frontend.purchase(admin, phone_number="+447400123456", type="MOBILE")).ok()
    local = (await frontend.purchase(admin, phone_number=NUMBER, type="LOCAL")).ok()
    assert toll_free["friendly_name"] == "(800) 555-0199" and local["friendly_name"] == "(510) 555-5555"
    assert toll_free["capabilities"]["mms_capable"] is False and mobile["capabilities"]["fax_capable"] is False
    mismatches = [
        ("LOCAL", "+18885550123", "not a local one"),
        ("LOCAL", "+447400123457", "not a local one"),
        ("TOLL_FREE", "+14155550123", "not a toll-free one"),
        ("MOBILE", "+18885550123", "not a mobile one"),
        ("MOBILE", "+442079460123", "not a mobile one"),
    ]
    for number_type, phone_number, mention in mismatches:
        (await frontend.purchase(admin, phone_number=phone_number, type=number_type)).refused(
            E.INVALID_PHONE_NUMBER, "phone_number", mention)
    # A purchase of a given type needs the number itself: an area code is not enough.
    for number_type in ("LOCAL", "TOLL_FREE", "MOBILE"):
        (await frontend.purchase(admin, area_code="510", type=number_type)).refused(
            E.MISSING_PHONE_NUMBER, "phone_number", "does not take")
    assert await frontend.phone_numbers(admin) == ["+15105555555", "+18005550199", "+447400123456"]


async def test_a_did_is_unique_across_the_gateway(frontend: Frontend, admin: Credentials, make_account) -> None:
    (await frontend.purchase(admin, phone_number=NUMBER)).ok()
    other = await make_account(None)
    child = await make_account(admin)
    for who in (other, child):
        (await frontend.purchase(who, phone_number=NUMBER)).refused(E.NUMBER_UNAVAILABLE, "phone_number", NUMBER)
        assert await frontend.phone_numbers(who) == []
    # Bought twice by the same account: it says so.
    (await frontend.purchase(admin, phone_number=NUMBER)).refused(E.NUMBER_UNAVAILABLE, None, "already belongs")


async def test_sip_numbers_are_unique_per_organization(frontend: Frontend, admin: Credentials, make_account) -> None:
    sip = (await frontend.purchase(admin, phone_number="1234", is_sip=True, voice_url="https://127.0.0.1/hello.xml")).ok()
    assert (sip["phone_number"], sip["friendly_name"], sip["voice_url"]) == ("1234", "1234", "https://127.0.0.1/hello.xml")
    # A SIP number is stored as sent (no E.164 normalisation, no carrier).
    assert (await frontend.purchase(admin, phone_number=NUMBER, is_sip=True)).ok()["phone_number"] == NUMBER
    # Twice in one organization: refused, also from a subaccount.
    child = await make_account(admin)
    for who in (admin, child):
        (await frontend.purchase(who, phone_number="1234", is_sip=True)).refused(E.NUMBER_UNAVAILABLE, None, "1234")
    # Another organization may use the same SIP number.
    other = await make_account(None)
    assert (await frontend.purchase(other, phone_number="1234", is_sip=True)).ok()["phone_number"] == "1234"
    # The SIP +15105555555 does not hold the DID +15105555555: the carrier can still sell it.
    assert (await frontend.purchase(admin, phone_number=NUMBER)).ok()["friendly_name"] == "(510) 555-5555"
    assert await frontend.phone_numbers(admin) == [NUMBER, NUMBER, "1234"]


async def test_for_another_account(frontend: Frontend, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    bought = (await frontend.purchase(admin, account_sid=child.sid, phone_number=NUMBER)).ok()
    assert bought["account_sid"] == child.sid and f"/Accounts/{child.sid}/" in bought["uri"]
    assert await frontend.phone_numbers(child) == [NUMBER]
    # Not for its parent, another organization, an inactive or an unknown account.
    suspended = await make_account(admin, status="suspended")
    other = await make_account(None)
    for who, target in ((child, admin.sid), (admin, other.sid), (admin, suspended.sid), (admin, "AC" + "0" * 32)):
        (await frontend.purchase(who, account_sid=target, phone_number="+14155550123")).refused(
            E.FORBIDDEN, "account_sid")
    assert await frontend.phone_numbers(admin) == []


async def test_when_the_carrier_refuses_or_cannot_be_reached(frontend: Frontend, admin: Credentials, sessionmaker) -> None:
    (await frontend.purchase(admin, phone_number=MAGIC_UNAVAILABLE)).refused(E.NUMBER_UNAVAILABLE, "phone_number")
    refusal = (await frontend.purchase(admin, phone_number=MAGIC_UNREACHABLE)).refused(E.PROVIDER_UNAVAILABLE)
    assert "retry" in refusal.message.lower(), refusal
    # Not even a reservation is left behind.
    assert await count_rows(sessionmaker, MAGIC_UNAVAILABLE) == await count_rows(sessionmaker, MAGIC_UNREACHABLE) == 0
    assert await frontend.phone_numbers(admin) == []


async def test_applications_of_ancestors_serve(frontend: Frontend, app, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    grandchild = await make_account(child)
    other = await make_account(None)
    mine = await make_application(app, admin, "Hello App")
    childs = await make_application(app, child, "Child App")
    foreign = await make_application(app, other, "Foreign App")

    below = (await frontend.purchase(grandchild, phone_number=NUMBER, sms_application_sid=mine,
                                     ussd_application_sid=childs)).ok()
    assert (below["sms_application_name"], below["ussd_application_name"]) == ("Hello App", "Child App")
    # Not a descendant's, nor another organization's.
    for application in (childs, foreign):
        (await frontend.purchase(admin, phone_number="+12125550123", voice_application_sid=application)).refused(
            E.INVALID_PARAMETER, "voice_application_sid", application)
    assert await frontend.phone_numbers(admin) == []
