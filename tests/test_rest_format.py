"""REST wire format: JSON key order, XML shape, dates, `.json` anywhere, both prefixes,
the Accept header, error bodies, and no 500 for bad input."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import (
    DATE,
    NUMBER_KEYS,
    NUMBER_KEYS_WITH_APPLICATIONS,
    NUMBER_SID,
    assert_error,
    buy,
    number_path,
    set_dates,
)

XML_ELEMENTS = [
    "Sid", "AccountSid", "FriendlyName", "PhoneNumber", "VoiceUrl", "VoiceMethod", "VoiceFallbackUrl",
    "VoiceFallbackMethod", "StatusCallback", "StatusCallbackMethod", "VoiceCallerIdLookup",
    "VoiceApplicationSid", "VoiceApplicationName", "DateCreated", "DateUpdated", "SmsUrl", "SmsMethod",
    "SmsFallbackUrl", "SmsFallbackMethod", "SmsApplicationSid", "SmsApplicationName", "UssdUrl", "UssdMethod",
    "UssdFallbackUrl", "UssdFallbackMethod", "UssdApplicationSid", "UssdApplicationName", "ReferUrl",
    "ReferMethod", "ReferApplicationSid", "ReferApplicationName", "Capabilities", "ApiVersion", "Uri",
]
XML_URLS = {"VoiceUrl", "VoiceFallbackUrl", "StatusCallback", "SmsUrl", "SmsFallbackUrl", "UssdUrl",
            "UssdFallbackUrl", "ReferUrl"}
XML = {"accept": "application/xml"}


def parse_xml(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>'), text[:80]
    root = ET.fromstring(text.encode())
    assert root.tag == "RestcommResponse"
    return root


async def test_json_representation(client, admin: Credentials) -> None:
    number = await buy(client, admin, "+15105555555")
    assert list(number) == NUMBER_KEYS
    assert list(number["capabilities"]) == ["voice_capable", "sms_capable", "mms_capable", "fax_capable"]
    assert NUMBER_SID.match(number["sid"])
    assert number["uri"] == f"/2012-04-24/Accounts/{admin.sid}/IncomingPhoneNumbers/{number['sid']}.json"
    assert DATE.match(number["date_created"]) and DATE.match(number["date_updated"])
    # nulls are present, not omitted
    assert number["voice_url"] is None and number["voice_application_sid"] is None
    assert number["refer_url"] is None and "refer_url" in number

    # every application name sits right after its sid
    created = await client.post(
        f"/restcomm/2012-04-24/Accounts/{admin.sid}/Applications.json", data={"FriendlyName": "App"}, auth=admin.auth
    )
    app = created.json()["sid"]
    full = await buy(client, admin, "+14155550123", VoiceApplicationSid=app, SmsApplicationSid=app,
                     UssdApplicationSid=app, ReferApplicationSid=app)
    assert list(full) == NUMBER_KEYS_WITH_APPLICATIONS
    assert {full[f"{f}_application_name"] for f in ("voice", "sms", "ussd", "refer")} == {"App"}
    response = await client.get(number_path(admin.sid, full["sid"]), auth=admin.auth)
    assert list(response.json()) == NUMBER_KEYS_WITH_APPLICATIONS
    assert response.headers["content-type"].startswith("application/json")


async def test_dates_are_restcomm_rfc2822(client, admin: Credentials, sessionmaker) -> None:
    number = await buy(client, admin, "+15105555555")
    await set_dates(sessionmaker, number["sid"], created=datetime(2026, 11, 27, 2, 31, 0),
                    updated=datetime(2013, 11, 4, 12, 14, 11))
    document = (await client.get(number_path(admin.sid, number["sid"]), auth=admin.auth)).json()
    assert document["date_created"] == "Fri, 27 Nov 2026 02:31:00 +0000"
    assert document["date_updated"] == "Mon, 4 Nov 2013 12:14:11 +0000"
    root = parse_xml((await client.get(number_path(admin.sid, number["sid"], json=False), auth=admin.auth)).text)
    assert root.findtext("IncomingPhoneNumber/DateUpdated") == "Mon, 4 Nov 2013 12:14:11 +0000"


async def test_xml_number(client, admin: Credentials) -> None:
    created = await client.post(
        f"/restcomm/2012-04-24/Accounts/{admin.sid}/Applications", data={"FriendlyName": "A & B"}, auth=admin.auth
    )
    app = parse_xml(created.text).find("Application").get("sid")  # type: ignore[union-attr]
    number = await buy(client, admin, "+15105555555", VoiceUrl="https://example.com/v?a=1&b=2",
                       SmsApplicationSid=app, FriendlyName="<mine>")
    response = await client.get(number_path(admin.sid, number["sid"], json=False), auth=admin.auth)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = parse_xml(response.text)
    [element] = list(root)
    assert element.tag == "IncomingPhoneNumber"
    tags = [child.tag for child in element]
    # same order as JSON; null URLs and unset applications omitted, methods always present
    assert tags == [t for t in XML_ELEMENTS if t not in XML_URLS - {"VoiceUrl"}
                    and t not in {"VoiceApplicationSid", "VoiceApplicationName", "UssdApplicationSid",
                                  "UssdApplicationName", "ReferApplicationSid", "ReferApplicationName"}]
    assert element.findtext("VoiceUrl") == "https://example.com/v?a=1&b=2"
    assert element.findtext("FriendlyName") == "<mine>"
    assert element.findtext("SmsApplicationName") == "A & B"
    assert element.findtext("VoiceCallerIdLookup") == "false"
    assert all(element.findtext(m) == "POST" for m in (
        "VoiceMethod", "VoiceFallbackMethod", "StatusCallbackMethod", "SmsMethod", "SmsFallbackMethod",
        "UssdMethod", "UssdFallbackMethod", "ReferMethod"))
    assert [(c.tag, c.text) for c in element.find("Capabilities")] == [  # type: ignore[union-attr]
        ("Voice", "true"), ("Sms", "true"), ("Mms", "true"), ("Fax", "true")]
    assert element.findtext("ApiVersion") == "2012-04-24"
    assert element.findtext("Uri") == f"/2012-04-24/Accounts/{admin.sid}/IncomingPhoneNumbers/{number['sid']}"
    assert DATE.match(element.findtext("DateCreated") or "")


async def test_xml_list(client, admin: Credentials) -> None:
    for did in ("+15105550100", "+15105550101", "+14155550123"):
        await buy(client, admin, did)
    path = numbers_path(admin.sid)
    response = await client.get(f"{path}?PageSize=2", auth=admin.auth)
    root = parse_xml(response.text)
    [numbers] = list(root)
    assert numbers.tag == "IncomingPhoneNumbers"
    assert list(numbers.attrib) == ["page", "numpages", "pagesize", "total", "start", "end", "uri",
                                    "firstpageuri", "previouspageuri", "nextpageuri", "lastpageuri"]
    first_two = [n.findtext("Sid") for n in numbers]
    assert numbers.attrib | {"nextpageuri": ""} == {
        "page": "0", "numpages": "1", "pagesize": "2", "total": "3", "start": "0", "end": "1",
        "uri": f"{path}?PageSize=2", "firstpageuri": f"{path}?Page=0&PageSize=2", "previouspageuri": "null",
        "nextpageuri": "", "lastpageuri": f"{path}?Page=1&PageSize=2"}
    assert numbers.attrib["nextpageuri"] == f"{path}?Page=1&PageSize=2&AfterSid={first_two[-1]}"
    assert [n.tag for n in numbers] == ["IncomingPhoneNumber"] * 2
    assert [n.findtext("PhoneNumber") for n in numbers] == ["+14155550123", "+15105550100"]
    last = parse_xml((await client.get(numbers.attrib["nextpageuri"], auth=admin.auth)).text)[0]
    assert (last.attrib["nextpageuri"], last.attrib["start"], last.attrib["end"]) == ("null", "2", "2")
    assert [n.findtext("PhoneNumber") for n in last] == ["+15105550101"]


@pytest.mark.one_database  # content negotiation, not the data
async def test_json_suffix_on_any_segment_and_both_prefixes(client, admin: Credentials) -> None:
    number = await buy(client, admin, "+15105555555")
    sid = number["sid"]
    for prefix in ("/restcomm/2012-04-24", "/2012-04-24"):
        for path in (
            f"{prefix}/Accounts/{admin.sid}/IncomingPhoneNumbers/{sid}.json",
            f"{prefix}/Accounts/{admin.sid}/IncomingPhoneNumbers.json/{sid}",
            f"{prefix}/Accounts/{admin.sid}.json/IncomingPhoneNumbers/{sid}",
        ):
            response = await client.get(path, auth=admin.auth)
            assert response.status_code == 200, path
            assert response.json() == number, path
        xml = await client.get(f"{prefix}/Accounts/{admin.sid}/IncomingPhoneNumbers/{sid}", auth=admin.auth)
        assert parse_xml(xml.text).findtext("IncomingPhoneNumber/Sid") == sid
        listed = await client.get(f"{prefix}/Accounts/{admin.sid}.json/IncomingPhoneNumbers", auth=admin.auth)
        assert sid in [n["sid"] for n in listed.json()["incomingPhoneNumbers"]]
        # writes too: purchase and update through either prefix, `.json` anywhere
        bought = await client.post(f"{prefix}/Accounts/{admin.sid}/IncomingPhoneNumbers.json/Local",
                                   data={"PhoneNumber": f"sip{len(prefix)}", "isSIP": "true"}, auth=admin.auth)
        assert bought.status_code == 200 and bought.json()["phone_number"] == f"sip{len(prefix)}"
        renamed = await client.put(f"{prefix}/Accounts/{admin.sid}.json/IncomingPhoneNumbers/{sid}",
                                   data={"FriendlyName": prefix}, auth=admin.auth)
        assert renamed.json()["friendly_name"] == prefix
        number = renamed.json()
    # `.json` in the middle of a segment is not a suffix
    response = await client.get(f"/restcomm/2012-04-24/Accounts/{admin.sid}/IncomingPhoneNumbers/{sid}.jsonx",
                                auth=admin.auth)
    assert response.status_code == 404


@pytest.mark.one_database  # content negotiation, not the data
async def test_accept_header_chooses_the_format(client, admin: Credentials) -> None:
    number = await buy(client, admin, "+15105555555")
    path = number_path(admin.sid, number["sid"], json=False)
    cases = {
        None: "xml", "": "xml", "*/*": "xml", "application/xml": "xml", "text/xml": "xml",
        "application/json": "json", "application/json, text/plain": "json",
        "application/xml, application/json": "xml",
        "text/html": "xml",
    }
    for accept, expected in cases.items():
        headers = {} if accept is None else {"accept": accept}
        response = await client.get(path, headers=headers, auth=admin.auth)
        assert response.status_code == 200
        if expected == "json":
            assert response.headers["content-type"].startswith("application/json"), accept
            assert response.json()["sid"] == number["sid"]
        else:
            assert response.headers["content-type"].startswith("application/xml"), accept
            assert parse_xml(response.text).findtext("IncomingPhoneNumber/Sid") == number["sid"]
    # `.json` wins over an Accept asking for XML
    response = await client.get(number_path(admin.sid, number["sid"]), headers=XML, auth=admin.auth)
    assert response.json()["sid"] == number["sid"]


@pytest.mark.one_database  # content negotiation, not the data
async def test_error_bodies_in_json_and_xml(client, admin: Credentials) -> None:
    response = await client.post(numbers_path(admin.sid, ".json"), data={}, auth=admin.auth)
    body = assert_error(response, 400, 21450, "PhoneNumber")
    assert body["more_info"].startswith("http")

    response = await client.post(numbers_path(admin.sid), data={"PhoneNumber": "+1555"}, auth=admin.auth)
    assert response.status_code == 400 and response.headers["content-type"].startswith("application/xml")
    root = parse_xml(response.text)
    [exception] = list(root)
    assert exception.tag == "RestException"
    assert [c.tag for c in exception] == ["Code", "Message", "MoreInfo", "Status"]
    assert exception.findtext("Code") == "21421" and exception.findtext("Status") == "400"
    assert "PhoneNumber" in (exception.findtext("Message") or "")
    assert (exception.findtext("MoreInfo") or "").startswith("http")

    response = await client.get(numbers_path(admin.sid), auth=(admin.sid, "wrong"))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Restcomm realm"'
    assert parse_xml(response.text).findtext("RestException/Code") == "20003"


async def test_bad_input_never_gives_a_500(client, admin: Credentials) -> None:
    path = numbers_path(admin.sid, ".json")
    garbage_headers = [
        "Basic", "Basic ", "Basic !!!!", "Basic é", "Basic " + "A" * 10_000, "Bearer abc", "basic",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
        "Basic " + base64.b64encode(b"admin\x00@company.com:x").decode(),
        "Basic " + base64.b64encode(b"\x00:\x00").decode(),
        "Basic " + base64.b64encode(b":").decode(),
        "Digest username=\"x\"",
    ]
    for header in garbage_headers:
        response = await client.get(path, headers={"authorization": header.encode("utf-8")})
        assert_error(response, 401, 20003)
        # A refused bearer token is told so (RFC 6750); everything else is asked for Basic.
        expected = ('Bearer realm="Restcomm realm", error="invalid_token"' if header.startswith("Bearer")
                    else 'Basic realm="Restcomm realm"')
        assert response.headers["www-authenticate"] == expected

    # a body that is not UTF-8, and NUL characters anywhere: refused, naming the parameter, nothing stored
    for body in (b"PhoneNumber=%2B15105555555&FriendlyName=\xff\xfe", b"PhoneNumber=%2B15105555555&FriendlyName=%FF"):
        response = await client.post(path, content=body, auth=admin.auth,
                                     headers={"content-type": "application/x-www-form-urlencoded"})
        assert_error(response, 400, 20001, "FriendlyName", "UTF-8")
    assert (await client.get(path, auth=admin.auth)).json()["total"] == 0
    for data in ({"PhoneNumber": "+14155550123", "FriendlyName": "a\x00b"},
                 {"PhoneNumber": "12\x0034", "isSIP": "true"},
                 {"PhoneNumber": "+14155550123", "VoiceUrl": "https://example.com/\x00"}):
        response = await client.post(path, data=data, auth=admin.auth)
        assert response.status_code == 400, (data, response.text)
    for query, name in (("FriendlyName=a%00b", "FriendlyName"), ("PhoneNumber=1%005", "PhoneNumber"),
                        ("AfterSid=PN%00", "AfterSid")):
        assert_error(await client.get(f"{path}?{query}", auth=admin.auth), 400, 20001, name)
    response = await client.get("/restcomm/2012-04-24/Accounts/AC%00/IncomingPhoneNumbers.json", auth=admin.auth)
    assert response.status_code in (403, 404)
    response = await client.post("/restcomm/2012-04-24/Accounts.json", data={"EmailAddress": "a\x00b@example.com"},
                                 auth=admin.auth)
    assert_error(response, 400, 20001, "EmailAddress")

    # a body over 64 KiB: 413, declared or streamed
    huge = b"PhoneNumber=%2B15105555556&FriendlyName=" + b"x" * (65 * 1024)
    response = await client.post(path, content=huge, auth=admin.auth,
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert_error(response, 413, None, "64 KiB")

    async def chunks():
        for _ in range(70):
            yield b"x" * 1024

    response = await client.post(path, content=chunks(), auth=admin.auth,
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413

    # unknown routes and methods
    for unknown in ("/restcomm/2012-04-24/Nothing.json", "/nothing.json",
                    f"/restcomm/2012-04-24/Accounts/{admin.sid}/IncomingPhoneNumbers/Local/extra.json",
                    f"/restcomm/2012-04-24/Accounts/{admin.sid}/Other.json"):
        assert_error(await client.get(unknown, auth=admin.auth), 404, 20404)
    response = await client.get("/restcomm/2012-04-24/Nothing")
    assert response.status_code == 404 and parse_xml(response.text).findtext("RestException/Code") == "20404"
    for method, wrong in (("DELETE", path), ("PUT", path), ("PATCH", number_path(admin.sid, "PN" + "0" * 32)),
                          ("DELETE", "/restcomm/2012-04-24/Accounts.json")):
        response = await client.request(method, wrong, auth=admin.auth)
        assert response.status_code == 405, (method, wrong, response.text)
        assert response.json()["status"] == 405 and method in response.json()["message"]


@pytest.mark.one_database  # content negotiation, not the data
async def test_accept_quality_values_decide_between_json_and_xml(client, admin) -> None:
    path = numbers_path(admin.sid)
    for accept, expected in (
        ("application/json;q=0.5, application/xml", "application/xml"),
        ("application/xml;q=0.2, application/json;q=0.9", "application/json"),
        ("application/json, application/xml", "application/json"),  # a tie: the first named
        ("application/json;q=0", "application/xml"),  # refused JSON: the default, XML
        ("text/html", "application/xml"),
    ):
        response = await client.get(path, auth=admin.auth, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(expected), accept
