"""GraphQL queries (SPEC §5): authentication, viewer, reading numbers, tenant rules,
keyset pagination, and no N+1 (the SQL statement count does not grow with the page)."""

from __future__ import annotations

import pytest

from tests.graphql_helpers import (
    NUMBER_FIELDS,
    as_rest,
    buy_numbers,
    count_statements,
    data,
    make_application,
    number,
    post,
)
from tests.support.accounts import Credentials
from tests.support.rest import buy

VIEWER = "{ viewer { id sid email friendlyName status role parent { sid } dateCreated } }"


# -- Authentication ----------------------------------------------------------------


async def test_credentials_are_required(client, admin: Credentials, make_account) -> None:
    for auth in (None, (admin.sid, "wrong-token"), ("nobody@example.com", admin.token)):
        response = await client.post("/graphql", json={"query": VIEWER}, auth=auth)
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == 'Basic realm="Restcomm realm"'
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert error["extensions"]["restcommCode"] == 20003
    # Not even a GET query runs without credentials.
    response = await client.get("/graphql", params={"query": VIEWER})
    assert response.status_code == 401
    # An account that is not active: 403.
    suspended = await make_account(admin, status="suspended")
    response = await client.post("/graphql", json={"query": VIEWER}, auth=suspended.auth)
    assert response.status_code == 403, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_viewer_by_sid_email_and_password(client, admin: Credentials) -> None:
    viewer = (await data(client, admin, VIEWER))["viewer"]
    assert viewer["id"] == viewer["sid"] == admin.sid
    assert viewer["email"] == admin.email
    assert (viewer["status"], viewer["role"], viewer["parent"]) == ("ACTIVE", "ADMINISTRATOR", None)
    assert viewer["dateCreated"].endswith("+00:00")
    # Restcomm's clients sign in with the e-mail and the password (its MD5 is the token).
    by_email = Credentials(admin.email, "RestComm", admin.email)
    response = await client.post("/graphql", json={"query": VIEWER}, auth=(admin.email, "RestComm"))
    assert response.status_code == 200 and response.json()["data"]["viewer"]["sid"] == admin.sid
    assert (await data(client, by_email, VIEWER))["viewer"]["sid"] == admin.sid


# -- Reading numbers ---------------------------------------------------------------


async def test_number_bought_over_rest_reads_the_same_over_graphql(client, app, admin: Credentials) -> None:
    application = await make_application(app, admin, "Voice app")
    bought = await buy(
        client, admin, "+15105555555", FriendlyName="Front desk", VoiceUrl="https://example.com/voice",
        VoiceMethod="get", VoiceFallbackUrl="https://example.com/fallback", StatusCallback="https://example.com/s",
        VoiceCallerIdLookup="true", VoiceApplicationSid=application, SmsUrl="https://example.com/sms",
        UssdMethod="GET", ReferUrl="https://example.com/refer", FaxCapable="false",
    )
    query = f"query($sid: ID!) {{ incomingPhoneNumber(sid: $sid) {{ {NUMBER_FIELDS} }} }}"
    node = (await data(client, admin, query, {"sid": bought["sid"]}))["incomingPhoneNumber"]
    assert as_rest(node) == bought  # every REST key, same values: nothing left out
    assert node["id"] == bought["sid"]
    assert (node["type"], node["isSip"], node["beta"]) == ("LOCAL", False, False)
    assert node["voice"]["application"] == {"sid": application, "friendlyName": "Voice app"}
    refer = await data(client, admin, "query($sid: ID!) { incomingPhoneNumber(sid: $sid) { refer { fallbackUrl fallbackMethod } } }", {"sid": bought["sid"]})
    assert refer["incomingPhoneNumber"]["refer"] == {"fallbackUrl": None, "fallbackMethod": None}  # Refer has none

    # The same through node(id:) and in the list.
    by_node = await data(client, admin, f"query($id: ID!) {{ node(id: $id) {{ ... on IncomingPhoneNumber {{ {NUMBER_FIELDS} }} }} }}", {"id": bought["sid"]})
    assert by_node["node"] == node
    listed = await data(client, admin, f"{{ incomingPhoneNumbers {{ totalCount nodes {{ {NUMBER_FIELDS} }} }} }}")
    assert listed["incomingPhoneNumbers"] == {"totalCount": 1, "nodes": [node]}


async def test_node_and_account(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin, role="Developer")
    query = "query($id: ID!) { node(id: $id) { __typename id ... on Account { email role parent { sid } } } }"
    found = (await data(client, admin, query, {"id": child.sid}))["node"]
    assert found == {"__typename": "Account", "id": child.sid, "email": child.email, "role": "DEVELOPER",
                     "parent": {"sid": admin.sid}}
    # The child sees itself but not its parent.
    assert (await data(client, child, query, {"id": child.sid}))["node"]["parent"] is None
    for unknown in ("nonsense", "PN" + "0" * 32, "AC" + "0" * 32, "AP" + "0" * 32):
        assert (await data(client, admin, query, {"id": unknown}))["node"] is None


async def test_list_filters(client, app, admin: Credentials) -> None:
    await buy_numbers(app, admin, 3)  # +15105550000..2
    await buy(client, admin, "+18005550123", subresource="/TollFree")
    await buy(client, admin, "+16285550123", FriendlyName="Beta one")  # 628: the sandbox sells it as beta

    async def listed(arguments: str) -> list[str]:
        result = await data(client, admin, f"{{ incomingPhoneNumbers({arguments}) {{ totalCount nodes {{ phoneNumber }} }} }}")
        page = result["incomingPhoneNumbers"]
        assert page["totalCount"] == len(page["nodes"])
        return [n["phoneNumber"] for n in page["nodes"]]

    everything = await listed("beta: true")
    assert everything == sorted(everything) and len(everything) == 5
    assert await listed("type: TOLL_FREE") == ["+18005550123"]
    assert len(await listed("type: LOCAL")) == 4
    assert await listed('phoneNumber: "555000*"') == [number(0), number(1), number(2)]
    assert await listed('phoneNumber: "5550001"') == [number(1)]
    assert await listed('friendlyName: "Beta one"') == ["+16285550123"]
    assert await listed('friendlyName: "Beta"') == []  # exact match
    assert "+16285550123" not in await listed("beta: false")
    assert "+16285550123" in await listed("beta: true")


# -- Tenant rules ------------------------------------------------------------------


async def test_a_child_never_sees_its_parent(client, app, admin: Credentials, make_account) -> None:
    [parent_number] = await buy_numbers(app, admin, 1)
    child = await make_account(admin)
    [child_number] = await buy_numbers(app, child, 1, start=1)

    assert (await data(client, child, "query($s: ID!) { account(sid: $s) { sid } }", {"s": admin.sid}))["account"] is None
    assert (await data(client, child, "query($s: ID!) { incomingPhoneNumber(sid: $s) { sid } }", {"s": parent_number}))[
        "incomingPhoneNumber"] is None
    assert (await data(client, child, "query($s: ID!) { node(id: $s) { id } }", {"s": parent_number}))["node"] is None

    body = await post(client, child, "query($s: ID) { incomingPhoneNumbers(accountSid: $s) { totalCount } }", {"s": admin.sid})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN", "restcommCode": 20403}
    assert error["path"] == ["incomingPhoneNumbers"]

    # The parent sees the child, its numbers and the child's number's account.
    query = "query($s: ID) { incomingPhoneNumbers(accountSid: $s) { nodes { sid account { sid parent { sid } } } } }"
    page = (await data(client, admin, query, {"s": child.sid}))["incomingPhoneNumbers"]
    assert page["nodes"] == [{"sid": child_number, "account": {"sid": child.sid, "parent": {"sid": admin.sid}}}]
    assert (await data(client, admin, "query($s: ID!) { account(sid: $s) { sid } }", {"s": child.sid}))["account"] == {"sid": child.sid}


async def test_other_organizations_are_invisible(client, app, admin: Credentials, make_account) -> None:
    [number_sid] = await buy_numbers(app, admin, 1)
    stranger = await make_account(None)
    for query, variables in (
        ("query($s: ID!) { node(id: $s) { id } }", {"s": number_sid}),
        ("query($s: ID!) { node(id: $s) { id } }", {"s": admin.sid}),
        ("query($s: ID!) { account(sid: $s) { sid } }", {"s": admin.sid}),
        ("query($s: ID!) { incomingPhoneNumber(sid: $s) { sid } }", {"s": number_sid}),
    ):
        result = await data(client, stranger, query, variables)
        assert list(result.values()) == [None], (query, result)
    body = await post(client, stranger, "query($s: ID) { incomingPhoneNumbers(accountSid: $s) { totalCount } }", {"s": admin.sid})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Its own list is empty.
    assert (await data(client, stranger, "{ incomingPhoneNumbers { totalCount } }"))["incomingPhoneNumbers"]["totalCount"] == 0


# -- Pagination --------------------------------------------------------------------

PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  incomingPhoneNumbers(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { phoneNumber } }
  }
}"""


async def test_keyset_pagination_forward_and_backward(client, app, admin: Credentials) -> None:
    await buy_numbers(app, admin, 25)
    expected = [number(i) for i in range(25)]

    async def page(**variables: object) -> dict:
        return (await data(client, admin, PAGE, variables))["incomingPhoneNumbers"]

    # Forward, 10 at a time: every number exactly once, in order.
    seen, after, flags = [], None, []
    while True:
        result = await page(first=10, after=after)
        assert result["totalCount"] == 25
        seen += [e["node"]["phoneNumber"] for e in result["edges"]]
        info = result["pageInfo"]
        flags.append((info["hasPreviousPage"], info["hasNextPage"]))
        assert info["startCursor"] == result["edges"][0]["cursor"] and info["endCursor"] == result["edges"][-1]["cursor"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert seen == expected
    assert flags == [(False, True), (True, True), (True, False)]

    # Backward from the end, 10 at a time.
    seen, before, flags = [], None, []
    while True:
        result = await page(last=10, before=before)
        seen = [e["node"]["phoneNumber"] for e in result["edges"]] + seen
        info = result["pageInfo"]
        flags.append((info["hasPreviousPage"], info["hasNextPage"]))
        if not info["hasPreviousPage"]:
            break
        before = info["startCursor"]
    assert seen == expected
    assert flags == [(True, False), (True, True), (False, True)]

    # A cursor from the middle works in both directions.
    middle = (await page(first=12))["edges"][-1]["cursor"]  # after number 11
    assert [e["node"]["phoneNumber"] for e in (await page(first=3, after=middle))["edges"]] == expected[12:15]
    assert [e["node"]["phoneNumber"] for e in (await page(last=3, before=middle))["edges"]] == expected[8:11]
    # Default page size, and first: 0 for just the total.
    assert len((await page())["edges"]) == 25
    empty = await page(first=0)
    assert empty["edges"] == [] and empty["totalCount"] == 25 and empty["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    "variables, mention",
    [
        ({"first": 101}, "first must be between 0 and 100"),
        ({"last": 101}, "last must be between 0 and 100"),
        ({"first": -1}, "first must be between 0 and 100"),
        ({"first": 1, "last": 1}, "first or last"),
        ({"after": "not-a-cursor"}, "after is not a cursor"),
        ({"before": "WyJuMSIsIngiLCJ5Il0"}, "before is not a cursor"),  # well-formed JSON, not a number sid
    ],
)
async def test_page_arguments_are_checked(client, admin: Credentials, variables, mention) -> None:
    body = await post(client, admin, PAGE, variables)
    assert body["data"] is None
    [error] = body["errors"]
    assert mention in error["message"]
    assert error["extensions"]["code"] == "INVALID_PARAMETER"


# -- No N+1 ------------------------------------------------------------------------

NESTED = """query($first: Int) {
  incomingPhoneNumbers(first: $first) {
    totalCount
    edges { node { phoneNumber account { sid friendlyName parent { sid } } voice { application { sid friendlyName } } } }
  }
}"""


async def test_sql_statements_do_not_grow_with_the_page(client, app, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    application = await make_application(app, admin, "Router")
    await buy_numbers(app, child, 50, settings={"voice_application_sid": application})

    await data(client, admin, "{ viewer { sid } }")  # the first sign-in also reads the throttle: warm it
    counts = {}
    for size in (5, 50):
        with count_statements(app) as statements:
            result = await data(client, admin, NESTED.replace("incomingPhoneNumbers(first", f'incomingPhoneNumbers(accountSid: "{child.sid}", first'), {"first": size})
        edges = result["incomingPhoneNumbers"]["edges"]
        assert len(edges) == size
        assert all(e["node"]["voice"]["application"] == {"sid": application, "friendlyName": "Router"} for e in edges)
        assert all(e["node"]["account"]["sid"] == child.sid and e["node"]["account"]["parent"] == {"sid": admin.sid} for e in edges)
        counts[size] = len(statements)
    assert counts[5] == counts[50], counts
    # authenticate, numbers, count, accounts (child, then its parent: the viewer, primed), applications
    assert counts[5] <= 6, counts


# -- Search before purchase --------------------------------------------------------


async def test_available_numbers_and_countries(client, admin: Credentials) -> None:
    countries = (await data(client, admin, "{ availableCountries }"))["availableCountries"]
    assert "US" in countries and countries == sorted(countries)
    query = """query($areaCode: String, $first: Int!, $type: PhoneNumberType!) {
      availablePhoneNumbers(areaCode: $areaCode, first: $first, type: $type) {
        phoneNumber friendlyName isoCountry type capabilities { voice sms mms fax } } }"""
    found = (await data(client, admin, query, {"areaCode": "510", "first": 3, "type": "LOCAL"}))["availablePhoneNumbers"]
    assert len(found) == 3
    assert all(n["phoneNumber"].startswith("+1510") and n["type"] == "LOCAL" and n["isoCountry"] == "US" for n in found)
    assert all(n["capabilities"]["voice"] for n in found)
    toll_free = (await data(client, admin, query, {"first": 2, "type": "TOLL_FREE"}))["availablePhoneNumbers"]
    assert [n["type"] for n in toll_free] == ["TOLL_FREE", "TOLL_FREE"]
    # What is found can be bought.
    bought = await data(client, admin, 'mutation($n: String) { purchaseNumber(input: {phoneNumber: $n}) { incomingPhoneNumber { phoneNumber } userErrors { code } } }', {"n": found[0]["phoneNumber"]})
    assert bought["purchaseNumber"] == {"incomingPhoneNumber": {"phoneNumber": found[0]["phoneNumber"]}, "userErrors": []}

    for variables, code, mention in (
        ({"areaCode": "51", "first": 3, "type": "LOCAL"}, "INVALID_AREA_CODE", "areaCode"),
        ({"first": 101, "type": "LOCAL"}, "INVALID_PARAMETER", "first 101"),
    ):
        body = await post(client, admin, query, variables)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code
        assert mention in body["errors"][0]["message"], body
