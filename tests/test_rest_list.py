"""REST list: filters, typed lists, paging (Page, PageSize, AfterSid) and the envelope."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import ENVELOPE_KEYS, assert_error, buy

DIDS = ["+15105550100", "+15105550101", "+14155550123", "+16285550123", "+18005550199", "+447400123456"]


async def listing(client, who: Credentials, query: str = "", suffix: str = "", account_sid: str | None = None):
    path = numbers_path(account_sid or who.sid, f"{suffix}.json")
    response = await client.get(f"{path}?{query}" if query else path, auth=who.auth)
    assert response.status_code == 200, (query, response.text)
    return response.json()


def phones(document) -> list[str]:
    return [n["phone_number"] for n in document["incomingPhoneNumbers"]]


async def test_filters(client, admin: Credentials) -> None:
    for did in DIDS:
        await buy(client, admin, did)
    await buy(client, admin, "5105550100", isSIP="true", FriendlyName="(510) 555-0100")
    everything = sorted(DIDS + ["5105550100"])
    assert phones(await listing(client, admin)) == everything

    expectations = {
        # PhoneNumber: a substring; `*` is any one digit
        "PhoneNumber=510555": ["+15105550100", "+15105550101", "5105550100"],
        "PhoneNumber=%2B1510": ["+15105550100", "+15105550101"],
        "PhoneNumber=+1510": ["+15105550100", "+15105550101"],  # unencoded +: a space after decoding
        "PhoneNumber=0101": ["+15105550101"],
        "PhoneNumber=*10555": ["+15105550100", "+15105550101", "5105550100"],
        "PhoneNumber=555012*": ["+14155550123", "+16285550123"],
        "PhoneNumber=1*10": ["+15105550100", "+15105550101"],
        "PhoneNumber=5*55": ["+14155550123"],
        "PhoneNumber=%25": [],  # LIKE's own wildcards are literal
        "PhoneNumber=_": [],
        "PhoneNumber=999": [],
        # FriendlyName: exact
        "FriendlyName=(510) 555-0100": ["+15105550100", "5105550100"],
        "FriendlyName=(510) 555-010": [],
        "FriendlyName=(510)%20555-0100&PhoneNumber=%2B": ["+15105550100"],
        # Beta: default true; false hides the sandbox's beta area code 628
        "Beta=true": everything,
        "Beta=false": [p for p in everything if p != "+16285550123"],
        "Beta=FALSE&PhoneNumber=628": [],
    }
    for query, expected in expectations.items():
        assert phones(await listing(client, admin, query)) == expected, query
    assert (await listing(client, admin, "Beta=false"))["total"] == len(everything) - 1

    # the typed lists filter on the stored type (a SIP number counts as local)
    assert phones(await listing(client, admin, suffix="/Local")) == [
        "+14155550123", "+15105550100", "+15105550101", "+16285550123", "5105550100"]
    assert phones(await listing(client, admin, suffix="/TollFree")) == ["+18005550199"]
    assert phones(await listing(client, admin, suffix="/Mobile")) == ["+447400123456"]
    assert phones(await listing(client, admin, "Beta=false&PhoneNumber=*28", suffix="/Local")) == []
    typed = await listing(client, admin, "PageSize=2", suffix="/Local")
    assert (typed["total"], typed["num_pages"]) == (5, 2)

    response = await client.get(numbers_path(admin.sid, ".json?Beta=maybe"), auth=admin.auth)
    assert_error(response, 400, 20001, "Beta")
    # another account's list is its own
    assert phones(await listing(client, admin, account_sid=(await make_child(client, admin)))) == []


async def make_child(client, admin: Credentials) -> str:
    response = await client.post(
        "/restcomm/2012-04-24/Accounts.json", data={"EmailAddress": "list-child@example.com"}, auth=admin.auth
    )
    assert response.status_code == 201, response.text
    return response.json()["sid"]  # type: ignore[no-any-return]


async def test_paging_parameters(client, admin: Credentials) -> None:
    empty = await listing(client, admin)
    assert (empty["page"], empty["page_size"], empty["total"], empty["num_pages"]) == (0, 50, 0, 0)
    assert (empty["start"], empty["end"]) == ("0", "0")
    assert (empty["previous_page_uri"], empty["next_page_uri"]) == ("null", "null")
    for did in DIDS[:3]:
        await buy(client, admin, did)
    assert (await listing(client, admin, "PageSize=1000"))["page_size"] == 1000
    assert (await listing(client, admin, "PageSize=1&Page=2"))["page"] == 2
    assert (await listing(client, admin, "PageSize=%201%20"))["page_size"] == 1

    bad = [
        ("PageSize=abc", "PageSize"), ("PageSize=0", "PageSize"), ("PageSize=1001", "PageSize"),
        ("PageSize=-5", "PageSize"), ("PageSize=2.5", "PageSize"), ("PageSize=99999999999999", "PageSize"),
        ("PageSize=%C2%B2", "PageSize"),  # a superscript two is a digit to str.isdigit, not to int()
        ("Page=abc", "Page"), ("Page=-1", "Page"), ("Page=1e3", "Page"), ("Page=%D9%A1", "Page"),
        # past the end: 3 numbers, 2 per page -> pages 0 and 1
        ("Page=2&PageSize=2", "Page"), ("Page=1", "Page"),
        ("AfterSid=PN" + "0" * 32, "AfterSid"), ("AfterSid=garbage", "AfterSid"),
    ]
    for query, name in bad:
        response = await client.get(numbers_path(admin.sid, f".json?{query}"), auth=admin.auth)
        assert_error(response, 400, 20001, name)
    assert (await listing(client, admin, "Page=1&PageSize=2"))["end"] == "2"


async def test_envelope(client, admin: Credentials) -> None:
    for did in DIDS[:5]:
        await buy(client, admin, did)
    path = numbers_path(admin.sid, ".json")

    first = await listing(client, admin, "PageSize=2&FriendlyName=")
    assert list(first) == ENVELOPE_KEYS
    assert first["page"] == 0 and first["num_pages"] == 2 and first["page_size"] == 2 and first["total"] == 5
    assert (first["start"], first["end"]) == ("0", "1")
    assert first["uri"] == f"{path}?PageSize=2&FriendlyName="
    assert first["previous_page_uri"] == "null"
    assert first["first_page_uri"] == f"{path}?FriendlyName=&Page=0&PageSize=2"
    assert first["last_page_uri"] == f"{path}?FriendlyName=&Page=2&PageSize=2"
    assert first["next_page_uri"] == (
        f"{path}?FriendlyName=&Page=1&PageSize=2&AfterSid={first['incomingPhoneNumbers'][-1]['sid']}")

    middle = await listing(client, admin, "PageSize=2&Page=1")
    assert (middle["start"], middle["end"]) == ("2", "3")
    assert middle["previous_page_uri"] == f"{path}?Page=0&PageSize=2"
    assert middle["next_page_uri"] != "null"

    last = await listing(client, admin, "PageSize=2&Page=2")
    assert (last["start"], last["end"]) == ("4", "4")
    assert last["next_page_uri"] == "null"
    assert last["previous_page_uri"] == f"{path}?Page=1&PageSize=2"
    assert len(last["incomingPhoneNumbers"]) == 1
    # Page pages by offset: the three pages together are the whole list, in order
    assert phones(first) + phones(middle) + phones(last) == sorted(DIDS[:5])

    # the links keep the client's path: without /restcomm, .json elsewhere
    bare = f"/2012-04-24/Accounts/{admin.sid}.json/IncomingPhoneNumbers"
    response = await client.get(f"{bare}?PageSize=2", auth=admin.auth)
    assert response.json()["first_page_uri"] == f"{bare}?Page=0&PageSize=2"
    assert response.json()["uri"] == f"{bare}?PageSize=2"


async def test_after_sid_and_following_next_page_uri(client, admin: Credentials) -> None:
    for did in DIDS:
        await buy(client, admin, did)
    # A SIP number equal to a DID: same phone_number, so the sid breaks the tie.
    await buy(client, admin, "+15105550100", isSIP="true")
    await buy(client, admin, "+14155550123", isSIP="true")
    await buy(client, admin, "9999", isSIP="true")
    everything = (await listing(client, admin, "PageSize=1000"))["incomingPhoneNumbers"]
    order = [(n["phone_number"], n["sid"]) for n in everything]
    assert order == sorted(order) and len(order) == 9

    for page_size in (1, 2, 4, 9, 50):
        seen: list[tuple[str, str]] = []
        uri = numbers_path(admin.sid, f".json?PageSize={page_size}")
        pages = 0
        while uri != "null":
            response = await client.get(uri, auth=admin.auth)
            assert response.status_code == 200, response.text
            document = response.json()
            assert document["page"] == pages
            assert document["start"] == str(pages * page_size)
            seen += [(n["phone_number"], n["sid"]) for n in document["incomingPhoneNumbers"]]
            uri = document["next_page_uri"]
            if uri != "null":
                assert parse_qs(urlsplit(uri).query)["AfterSid"] == [document["incomingPhoneNumbers"][-1]["sid"]]
            pages += 1
            assert pages <= 10
        assert seen == order, page_size  # every number exactly once, in (phone_number, sid) order
        assert pages == -(-len(order) // page_size)

    # AfterSid continues right after that number, whatever Page says
    third = everything[2]["sid"]
    after = await listing(client, admin, f"AfterSid={third}&PageSize=3")
    assert [n["sid"] for n in after["incomingPhoneNumbers"]] == [n["sid"] for n in everything[3:6]]
    filtered = await listing(client, admin, f"AfterSid={everything[0]['sid']}&PhoneNumber=%2B1510")
    assert [n["sid"] for n in filtered["incomingPhoneNumbers"]] == [
        n["sid"] for n in everything[1:] if n["phone_number"].startswith("+1510")]
    # a number of another account is no anchor
    other = await make_child(client, admin)
    foreign = await buy(client, admin, "+12125550123", account_sid=other)
    response = await client.get(numbers_path(admin.sid, f".json?AfterSid={foreign['sid']}"), auth=admin.auth)
    assert_error(response, 400, 20001, "AfterSid")
