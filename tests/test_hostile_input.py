"""Hostile input gets a 4xx naming the parameter and stores nothing mangled (issue 8,
findings 5, 6 and 7), over REST and GraphQL."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from gateway.rest.representation import xml_value
from gateway.storage.tables import IncomingPhoneNumber
from tests.graphql_helpers import make_application
from tests.support.accounts import numbers_path
from tests.support.rest import assert_error, buy, number_path

pytestmark = pytest.mark.one_database  # every refusal here comes before any query

BAD_URLS = [
    ("https://exa mple.com/x", "space"),
    ("https://user:secret@example.com/x", "user name or password"),
    ("https://example.com:0/x", "port 0"),
    ("https://example.com:99999/x", "port"),
    ("https://exam\u202eple.com/x", "text-direction"),
    ("https://example\u200b.com/x", "invisible"),
    ("https://0x7f.0.0.1/x", "IPv4"),
    ("https://127.1/x", "IPv4"),
    ("https://[::1/x", "malformed"),
    ("https://[fe80::1%25eth0]/x", "IPv6"),
    ("https://exa_mple.com/x", "host name"),
    ("https://-example.com/x", "host name"),
    ("https://" + "a" * 64 + ".com/x", "host name"),
    ("https://example.com\\@evil.com/x", "user name or password"),
    ("javascript:alert(1)", "scheme"),
    ("https:///x", "no host"),
]
GOOD_URLS = ["https://example.com/x?a=b#c", "http://127.0.0.1:8080/hello", "https://[::1]/x", "https://bücher.de/",
             "https://example.com./trailing-dot", "http://localhost/x"]


@pytest.mark.parametrize("url, problem", BAD_URLS)
async def test_malformed_urls_are_21502_over_rest(client, admin, url: str, problem: str) -> None:
    response = await client.post(numbers_path(admin.sid, ".json"), auth=admin.auth,
                                 data={"PhoneNumber": "+15105550140", "VoiceUrl": url})
    assert_error(response, 400, 21502, "VoiceUrl", problem)
    assert (await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)).json()["total"] == 0


async def test_malformed_urls_are_user_errors_over_graphql(client, admin) -> None:
    mutation = """mutation($url: String) { purchaseNumber(input: {phoneNumber: "+15105550141", sms: {url: $url}})
                  { incomingPhoneNumber { sid } userErrors { field code restcommCode message } } }"""
    for url, problem in BAD_URLS:
        body = (await client.post("/graphql", json={"query": mutation, "variables": {"url": url}}, auth=admin.auth)).json()
        [error] = body["data"]["purchaseNumber"]["userErrors"]
        assert (error["field"], error["code"], error["restcommCode"]) == (["input", "sms", "url"], "INVALID_URL", 21502)
        assert problem in error["message"], (url, error)


async def test_well_formed_urls_are_kept_as_sent(client, admin) -> None:
    for i, url in enumerate(GOOD_URLS):
        number = await buy(client, admin, f"+151055501{50 + i}", VoiceUrl=url)
        assert number["voice_url"] == url


@pytest.mark.parametrize("family", ["Voice", "Sms", "Ussd", "Refer"])
@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_an_unknown_application_on_update_is_a_400_naming_it(client, admin, family: str, method: str) -> None:
    number = await buy(client, admin, "+15105550160")
    parameter = f"{family}ApplicationSid"
    response = await client.request(method, number_path(admin.sid, number["sid"]), auth=admin.auth,
                                    data={parameter: "AP" + "0" * 32, "FriendlyName": "renamed"})
    assert_error(response, 400, 20001, parameter, "is not an application")
    unchanged = (await client.get(number_path(admin.sid, number["sid"]), auth=admin.auth)).json()
    assert unchanged["friendly_name"] == number["friendly_name"]  # nothing of the update was written


async def test_an_unknown_application_on_update_is_a_user_error_over_graphql(app, client, admin) -> None:
    number = await buy(client, admin, "+15105550161")
    mutation = """mutation($sid: ID!, $app: ID) { updateNumber(input: {sid: $sid, voice: {applicationSid: $app}})
                  { incomingPhoneNumber { sid } userErrors { field code restcommCode } } }"""
    body = (await client.post("/graphql", auth=admin.auth, json={
        "query": mutation, "variables": {"sid": number["sid"], "app": "AP" + "0" * 32}})).json()
    assert body["data"]["updateNumber"]["userErrors"] == [
        {"field": ["input", "voice", "applicationSid"], "code": "INVALID_PARAMETER", "restcommCode": 20001}
    ]
    # an application the account does have is accepted
    usable = await make_application(app, admin)
    body = (await client.post("/graphql", auth=admin.auth, json={
        "query": mutation, "variables": {"sid": number["sid"], "app": usable}})).json()
    assert body["data"]["updateNumber"]["userErrors"] == []


@pytest.mark.parametrize("name, character", [
    ("FriendlyName", "\ufffe"), ("FriendlyName", "\uffff"), ("FriendlyName", "\x85"), ("FriendlyName", "\x07"),
    ("VoiceUrl", "\ufdd0"),
])
async def test_characters_no_text_may_hold_are_refused_over_rest(client, admin, name: str, character: str) -> None:
    response = await client.post(numbers_path(admin.sid, ".json"), auth=admin.auth,
                                 data={"PhoneNumber": "+15105550162", name: f"x{character}y"})
    assert_error(response, 400, 20001, name, f"U+{ord(character):04X}")
    assert (await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)).json()["total"] == 0


async def test_characters_no_text_may_hold_are_refused_over_graphql(client, admin) -> None:
    mutation = """mutation($name: String) { purchaseNumber(input: {phoneNumber: "+15105550163", friendlyName: $name})
                  { incomingPhoneNumber { sid } userErrors { code } } }"""
    for value, expected in (("x\ufffey", "variables.name must not contain a noncharacter (U+FFFE)"),
                            ("x\x01y", "variables.name must not contain a control character (U+0001)")):
        response = await client.post("/graphql", json={"query": mutation, "variables": {"name": value}}, auth=admin.auth)
        assert response.status_code == 400 and response.json()["errors"][0]["message"] == expected, response.text
    lone = b'{"query": "mutation { purchaseNumber(input: {phoneNumber: \\"+15105550163\\", friendlyName: \\"x\\"})' \
           b' { userErrors { code } } }", "variables": {"v": "\\ud800"}}'
    response = await client.post("/graphql", content=lone, auth=admin.auth, headers={"content-type": "application/json"})
    assert response.status_code == 400 and "surrogate" in response.json()["errors"][0]["message"], response.text
    literal = 'mutation { purchaseNumber(input: {phoneNumber: "+15105550163", friendlyName: "a\\u0000b"}) ' \
              '{ incomingPhoneNumber { sid } userErrors { field code } } }'
    body = (await client.post("/graphql", json={"query": literal}, auth=admin.auth)).json()
    assert body["data"]["purchaseNumber"]["userErrors"] == [{"field": ["input", "friendlyName"],
                                                            "code": "INVALID_PARAMETER"}]


async def test_graphql_bodies_and_variables_are_bounded(client, admin) -> None:
    query = "query($v: String) { viewer { sid } }"
    deep = '{"query": "%s", "variables": {"v": %s}}' % (query, "[" * 5000 + "]" * 5000)
    response = await client.post("/graphql", content=deep, auth=admin.auth, headers={"content-type": "application/json"})
    assert response.status_code == 400 and "not valid JSON" in response.json()["errors"][0]["message"]
    nested = {"query": query, "variables": {"v": [[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]}}
    response = await client.post("/graphql", json=nested, auth=admin.auth)
    assert response.status_code == 400 and "nested deeper than 16" in response.json()["errors"][0]["message"]
    huge = '{"query": "{ viewer { sid } }", "variables": {"padding": "%s"}}' % ("x" * 70_000)
    response = await client.post("/graphql", content=huge, auth=admin.auth, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "64 KiB" in response.json()["errors"][0]["message"]

    async def chunks():  # no Content-Length: counted as it streams
        yield b'{"query": "{ viewer { sid } }", "variables": {"padding": "'
        for _ in range(70):
            yield b"x" * 1024
        yield b'"}}'

    response = await client.post("/graphql", content=chunks(), auth=admin.auth,
                                 headers={"content-type": "application/json"})
    assert response.status_code == 413


async def test_several_operations_need_an_operation_name(client, admin) -> None:
    document = "query A { viewer { sid } } query B { availableCountries }"
    body = (await client.post("/graphql", json={"query": document}, auth=admin.auth)).json()
    assert body["data"] is None and "operationName" in body["errors"][0]["message"]
    named = (await client.post("/graphql", json={"query": document, "operationName": "B"}, auth=admin.auth)).json()
    assert named == {"data": {"availableCountries": ["CA", "GB", "US"]}}


async def test_letters_in_a_purchased_number_are_refused(client, admin) -> None:
    for spelled in ("+1800FLOWERS", "+1 (800) FLOWERS", "1800flowers"):
        response = await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": spelled}, auth=admin.auth)
        assert_error(response, 400, 21421, "PhoneNumber", "letters", "Contains")
    assert (await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)).json()["total"] == 0


async def test_invalid_utf8_in_a_query_string_is_refused(client, admin) -> None:
    response = await client.get(numbers_path(admin.sid, ".json") + "?FriendlyName=%FF", auth=admin.auth)
    assert_error(response, 400, 20001, "FriendlyName", "UTF-8")
    response = await client.get("/graphql?query=%7Bviewer%7Bsid%7D%7D&operationName=%FF", auth=admin.auth)
    assert response.status_code == 400 and "UTF-8" in response.json()["errors"][0]["message"]


async def test_the_xml_rendering_is_well_formed_whatever_is_stored(client, admin, sessionmaker) -> None:
    number = await buy(client, admin, "+15105550164")
    async with sessionmaker() as session:  # a row written before these checks existed, or by hand
        row = await session.get(IncomingPhoneNumber, number["sid"])
        assert row is not None
        row.friendly_name = "bad \ufffe \x01 name"
        session.add(row)
        await session.commit()
    response = await client.get(number_path(admin.sid, number["sid"], json=False), auth=admin.auth)
    parsed = ElementTree.fromstring(response.content)  # well-formed: what XML cannot carry became U+FFFD
    assert parsed.findtext("IncomingPhoneNumber/FriendlyName") == "bad \ufffd \ufffd name"
    listed = await client.get(numbers_path(admin.sid), auth=admin.auth)
    ElementTree.fromstring(listed.content)
    assert xml_value("a\x00b\ud800c") == "a\ufffdb\ufffdc"
