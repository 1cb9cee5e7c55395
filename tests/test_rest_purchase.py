"""REST purchase: POST /IncomingPhoneNumbers and the typed subresources (SPEC §4 Purchase)."""

from __future__ import annotations

from gateway.storage.tables import IncomingPhoneNumber
from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import ALL_METHODS, ALL_URLS, FORM, assert_error, buy, count_rows, number_path


async def listed(client, who: Credentials, suffix: str = "") -> list[str]:
    response = await client.get(numbers_path(who.sid, f"{suffix}.json"), auth=who.auth)
    assert response.status_code == 200, response.text
    return [n["phone_number"] for n in response.json()["incomingPhoneNumbers"]]


async def test_unencoded_plus_and_the_defaults(client, admin: Credentials, sessionmaker) -> None:
    # curl -d PhoneNumber=+15105555555 sends the + raw: form decoding turns it into a space.
    response = await client.post(
        numbers_path(admin.sid, ".json"), content=b"PhoneNumber=+15105555555", headers=FORM, auth=admin.auth
    )
    assert response.status_code == 200, response.text
    number = response.json()
    assert number["phone_number"] == "+15105555555"
    assert number["account_sid"] == admin.sid
    assert number["friendly_name"] == "(510) 555-5555"
    assert all(number[m] == "POST" for m in ALL_METHODS), number
    assert all(number[u] is None for u in ALL_URLS), number
    assert number["voice_caller_id_lookup"] is False
    assert number["api_version"] == "2012-04-24"
    assert all(number[f"{f}_application_sid"] is None for f in ("voice", "sms", "ussd", "refer"))
    # Capabilities come from the carrier (sandbox local numbers can do everything).
    assert number["capabilities"] == {"voice_capable": True, "sms_capable": True, "mms_capable": True, "fax_capable": True}
    assert await count_rows(sessionmaker, "+15105555555") == 1

    # Digits without any +, and surrounding blanks, are the same E.164 number.
    assert (await buy(client, admin, " 14155550123 "))["phone_number"] == "+14155550123"
    assert await listed(client, admin) == ["+14155550123", "+15105555555"]


async def test_every_parameter_is_stored_as_given(client, admin: Credentials) -> None:
    urls = {
        "VoiceUrl": "https://example.com/voice", "VoiceFallbackUrl": "http://example.com/vf",
        "StatusCallback": "https://example.com/status", "SmsUrl": "https://example.com/sms",
        "SmsFallbackUrl": "https://example.com/sf", "UssdUrl": "https://example.com/ussd",
        "UssdFallbackUrl": "https://example.com/uf", "ReferUrl": "https://example.com/refer",
    }
    methods = {
        "VoiceMethod": "get", "VoiceFallbackMethod": "Get", "StatusCallbackMethod": "GET",
        "SmsMethod": "post", "SmsFallbackMethod": "get", "UssdMethod": "gEt",
        "UssdFallbackMethod": "get", "ReferMethod": "get",
    }
    number = await buy(
        client, admin, "+15105555555", FriendlyName="x" * 64, ApiVersion="2012-04-24",
        VoiceCallerIdLookup="TRUE", SmsCapable="false", FaxCapable="false", Unknown="ignored",
        **urls, **methods,
    )
    assert number["friendly_name"] == "x" * 64
    assert [number[u] for u in ALL_URLS] == list(urls.values())
    # lower-case in, upper-case out
    assert [number[m] for m in ALL_METHODS] == [m.upper() for m in methods.values()]
    assert number["voice_caller_id_lookup"] is True
    # What the client says wins over the carrier's capabilities.
    assert number["capabilities"] == {"voice_capable": True, "sms_capable": False, "mms_capable": True, "fax_capable": False}
    got = await client.get(number_path(admin.sid, number["sid"]), auth=admin.auth)
    assert got.json() == number


async def test_area_code_and_area_code_wins_over_phone_number(client, admin: Credentials) -> None:
    by_area = await buy(client, admin, "", AreaCode="510")
    assert by_area["phone_number"].startswith("+1510") and len(by_area["phone_number"]) == 12
    both = await buy(client, admin, "+14155550123", AreaCode="212")
    assert both["phone_number"].startswith("+1212")
    assert "+14155550123" not in await listed(client, admin)
    assert both["friendly_name"].startswith("(212) ")


async def test_purchase_parameter_errors(client, admin: Credentials) -> None:
    cases = [
        ({}, 400, 21450, ["PhoneNumber", "AreaCode"]),
        ({"PhoneNumber": "   "}, 400, 21450, ["PhoneNumber"]),
        ({"PhoneNumber": "+1555"}, 400, 21421, ["PhoneNumber"]),
        ({"PhoneNumber": "+15550000000"}, 400, 21421, ["PhoneNumber"]),
        ({"PhoneNumber": "not a number"}, 400, 21421, ["PhoneNumber"]),
        ({"PhoneNumber": "9" * 300}, 400, 21421, ["PhoneNumber"]),
        ({"AreaCode": "51"}, 400, 21451, ["AreaCode"]),
        ({"AreaCode": "abc"}, 400, 21451, ["AreaCode"]),
        ({"AreaCode": "999"}, 400, 21451, ["AreaCode"]),
        ({"AreaCode": "²¹⁰"}, 400, 21451, ["AreaCode"]),
        ({"PhoneNumber": "+15105555555", "VoiceUrl": "/relative/path"}, 400, 21502, ["VoiceUrl"]),
        ({"PhoneNumber": "+15105555555", "SmsFallbackUrl": "ftp://example.com/x"}, 400, 21502, ["SmsFallbackUrl"]),
        ({"PhoneNumber": "+15105555555", "StatusCallback": "http://"}, 400, 21502, ["StatusCallback"]),
        ({"PhoneNumber": "+15105555555", "ReferUrl": "http://[::1"}, 400, 21502, ["ReferUrl"]),
        ({"PhoneNumber": "+15105555555", "UssdUrl": "http://example.com:99999/x"}, 400, 21502, ["UssdUrl"]),
        ({"PhoneNumber": "+15105555555", "VoiceMethod": "PUT"}, 400, 20001, ["VoiceMethod"]),
        ({"PhoneNumber": "+15105555555", "StatusCallbackMethod": "DELETE"}, 400, 20001, ["StatusCallbackMethod"]),
        ({"PhoneNumber": "+15105555555", "UssdFallbackMethod": "x"}, 400, 20001, ["UssdFallbackMethod"]),
        ({"PhoneNumber": "+15105555555", "FriendlyName": "x" * 65}, 400, 20001, ["FriendlyName", "64"]),
        ({"PhoneNumber": "+15105555555", "FriendlyName": "   "}, 400, 20001, ["FriendlyName"]),
        ({"PhoneNumber": "+15105555555", "ApiVersion": "2010-04-01"}, 400, 20001, ["ApiVersion"]),
        ({"PhoneNumber": "+15105555555", "VoiceCallerIdLookup": "yes"}, 400, 20001, ["VoiceCallerIdLookup"]),
        ({"PhoneNumber": "+15105555555", "MmsCapable": "1"}, 400, 20001, ["MmsCapable"]),
        ({"PhoneNumber": "+15105555555", "isSIP": "maybe"}, 400, 20001, ["isSIP"]),
        ({"PhoneNumber": "+15105555555", "VoiceApplicationSid": "AP123"}, 400, 20001, ["VoiceApplicationSid"]),
        ({"PhoneNumber": "+15105555555", "SmsApplicationSid": "AP" + "0" * 32}, 400, 20001, ["SmsApplicationSid"]),
        ({"PhoneNumber": "", "isSIP": "true"}, 400, 21450, ["PhoneNumber"]),
        ({"PhoneNumber": "sip name", "isSIP": "true"}, 400, 21421, ["PhoneNumber"]),
        ({"PhoneNumber": "x" * 65, "isSIP": "true"}, 400, 21421, ["PhoneNumber"]),
    ]
    for data, status, code, mentions in cases:
        response = await client.post(numbers_path(admin.sid, ".json"), data=data, auth=admin.auth)
        assert response.status_code == status, (data, response.text)
        assert_error(response, status, code, *mentions)
    assert await listed(client, admin) == []  # no failed purchase left a number behind


async def test_typed_subresources(client, admin: Credentials) -> None:
    local = await buy(client, admin, "+15105555555", subresource="/Local")
    toll_free = await buy(client, admin, "+18005550199", subresource="/TollFree")
    mobile = await buy(client, admin, "+447400123456", subresource="/Mobile")
    assert toll_free["friendly_name"] == "(800) 555-0199"
    assert toll_free["capabilities"]["mms_capable"] is False and mobile["capabilities"]["fax_capable"] is False
    assert await listed(client, admin, "/Local") == [local["phone_number"]]
    assert await listed(client, admin, "/TollFree") == [toll_free["phone_number"]]
    assert await listed(client, admin, "/Mobile") == [mobile["phone_number"]]

    mismatches = [
        ("/Local", "+18885550123"),     # toll-free
        ("/Local", "+447400123457"),    # mobile
        ("/TollFree", "+14155550123"),  # local
        ("/Mobile", "+18885550123"),    # toll-free
        ("/Mobile", "+442079460123"),   # fixed line
    ]
    for subresource, phone_number in mismatches:
        response = await client.post(
            numbers_path(admin.sid, f"{subresource}.json"), data={"PhoneNumber": phone_number}, auth=admin.auth
        )
        assert_error(response, 400, 21421, "PhoneNumber")
    # A typed subresource needs PhoneNumber: AreaCode is not accepted there.
    for subresource in ("/Local", "/TollFree", "/Mobile"):
        response = await client.post(
            numbers_path(admin.sid, f"{subresource}.json"), data={"AreaCode": "510"}, auth=admin.auth
        )
        assert_error(response, 400, 21450, "PhoneNumber")
        assert "do not accept AreaCode" in response.json()["message"]
    assert len(await listed(client, admin)) == 3


async def test_global_resource_classifies_the_number(client, admin: Credentials) -> None:
    await buy(client, admin, "+18885550123")
    await buy(client, admin, "+447400123456")
    await buy(client, admin, "+442079460123")
    assert await listed(client, admin, "/TollFree") == ["+18885550123"]
    assert await listed(client, admin, "/Mobile") == ["+447400123456"]
    assert await listed(client, admin, "/Local") == ["+442079460123"]


async def test_sip_numbers_are_unique_per_organization(client, admin: Credentials, make_account) -> None:
    sip = await buy(client, admin, "1234", isSIP="true", VoiceUrl="https://127.0.0.1/hello.xml")
    assert sip["phone_number"] == "1234" and sip["friendly_name"] == "1234"
    assert sip["voice_url"] == "https://127.0.0.1/hello.xml"
    # Any case of `true`; a SIP number is stored as sent (no E.164 normalisation, no carrier).
    assert (await buy(client, admin, "+15105555555", isSIP="TRUE"))["phone_number"] == "+15105555555"
    assert (await buy(client, admin, "alice", issip="True"))["phone_number"] == "alice"
    # Twice in one organization: refused, also from a subaccount.
    child = await make_account(admin)
    for who in (admin, child):
        response = await client.post(
            numbers_path(who.sid, ".json"), data={"PhoneNumber": "1234", "isSIP": "true"}, auth=who.auth
        )
        assert_error(response, 400, 21452, "1234")
    # Another organization may use the same SIP number.
    other = await make_account(None)
    assert (await buy(client, other, "1234", isSIP="true"))["phone_number"] == "1234"
    # The SIP +15105555555 does not hold the DID +15105555555: the carrier can still sell it.
    assert (await buy(client, admin, "+15105555555"))["friendly_name"] == "(510) 555-5555"
    assert await listed(client, admin) == ["+15105555555", "+15105555555", "1234", "alice"]


async def test_a_did_is_unique_across_the_gateway(client, admin: Credentials, make_account) -> None:
    await buy(client, admin, "+15105555555")
    other = await make_account(None)
    child = await make_account(admin)
    for who in (other, child, admin):
        response = await client.post(
            numbers_path(who.sid, ".json"), content=b"PhoneNumber=+15105555555", headers=FORM, auth=who.auth
        )
        assert_error(response, 400, 21452, "+15105555555")
    assert await listed(client, other) == [] and await listed(client, child) == []


async def test_magic_numbers(client, admin: Credentials, sessionmaker) -> None:
    unavailable = await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": "+15005550000"}, auth=admin.auth)
    assert_error(unavailable, 400, 21452, "+15005550000")

    unreachable = await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": "+15005550001"}, auth=admin.auth)
    assert_error(unreachable, 503, 21453)
    assert int(unreachable.headers["retry-after"]) > 0
    assert await count_rows(sessionmaker, "+15005550000") == 0
    assert await count_rows(sessionmaker, "+15005550001") == 0

    # Release of +15005550002 fails at the carrier: 503, and the number is kept.
    kept = await buy(client, admin, "+15005550002")
    released = await client.delete(number_path(admin.sid, kept["sid"]), auth=admin.auth)
    assert_error(released, 503, 21453, "+15005550002")
    assert int(released.headers["retry-after"]) > 0
    again = await client.get(number_path(admin.sid, kept["sid"]), auth=admin.auth)
    assert again.status_code == 200 and again.json()["phone_number"] == "+15005550002"
    assert await listed(client, admin) == ["+15005550002"]
    async with sessionmaker() as session:  # back to active, not left "releasing" for the reconciler
        assert (await session.get(IncomingPhoneNumber, kept["sid"])).status == "active"
    # ...and can be updated and retried (it is not left half-released).
    assert (await client.post(number_path(admin.sid, kept["sid"]), data={"FriendlyName": "kept"}, auth=admin.auth)).status_code == 200
    assert (await client.delete(number_path(admin.sid, kept["sid"]), auth=admin.auth)).status_code == 503
