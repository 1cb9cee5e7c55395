"""AvailablePhoneNumbers and AvailableCountries over REST, served by the sandbox carrier."""

from __future__ import annotations

import re

import pytest

from tests.support.accounts import Credentials, numbers_path

KEYS = ["friendlyName", "phoneNumber", "lata", "rateCenter", "latitude", "longitude", "region",
        "postalCode", "isoCountry", "cost", "voiceCapable", "smsCapable", "mmsCapable", "faxCapable", "ussdCapable"]


def search_path(account: str, country: str = "US", kind: str = "Local", json: bool = True) -> str:
    return f"/restcomm/2012-04-24/Accounts/{account}/AvailablePhoneNumbers/{country}/{kind}{'.json' if json else ''}"


async def test_local_numbers_in_an_area_code(client, admin: Credentials) -> None:
    response = await client.get(search_path(admin.sid), params={"AreaCode": "510", "RangeSize": "5"}, auth=admin.auth)
    assert response.status_code == 200, response.text
    found = response.json()
    assert len(found) == 5
    assert all(n["phoneNumber"].startswith("+1510") and n["isoCountry"] == "US" for n in found)
    for number in found:
        keys = list(number)
        assert keys == [k for k in KEYS if k in keys]  # Restcomm's order, absent values omitted
        assert number["voiceCapable"] is True
        assert re.fullmatch(r"\(510\) \d{3}-\d{4}", number["friendlyName"])


async def test_range_index_pages_through_distinct_numbers(client, admin: Credentials) -> None:
    pages = []
    for index in range(3):
        response = await client.get(
            search_path(admin.sid), params={"AreaCode": "415", "RangeSize": "4", "RangeIndex": str(index)}, auth=admin.auth
        )
        pages.append([n["phoneNumber"] for n in response.json()])
    flat = [n for page in pages for n in page]
    assert len(flat) == 12 and len(set(flat)) == 12


async def test_contains_maps_keypad_letters_and_star(client, admin: Credentials) -> None:
    letters = await client.get(search_path(admin.sid), params={"Contains": "JKL", "RangeSize": "5"}, auth=admin.auth)
    assert letters.status_code == 200, letters.text
    assert letters.json() and all("555" in n["phoneNumber"] for n in letters.json())
    # PQRS is 7 in E.161 (Restcomm's own table was off by one there)
    seven = await client.get(search_path(admin.sid), params={"Contains": "S*S", "RangeSize": "3"}, auth=admin.auth)
    assert seven.json() and all(re.search(r"7\d7", n["phoneNumber"][1:]) for n in seven.json())


@pytest.mark.parametrize(("country", "kind", "prefix"), [("US", "TollFree", "+18"), ("GB", "Mobile", "+447"), ("CA", "Local", "+1")])
async def test_types_and_countries(client, admin: Credentials, country: str, kind: str, prefix: str) -> None:
    response = await client.get(search_path(admin.sid, country, kind), params={"RangeSize": "3"}, auth=admin.auth)
    assert response.status_code == 200
    assert len(response.json()) == 3
    assert all(n["phoneNumber"].startswith(prefix) and n["isoCountry"] == country for n in response.json())


async def test_a_bought_number_is_no_longer_offered(client, admin: Credentials) -> None:
    first = (await client.get(search_path(admin.sid), params={"AreaCode": "212", "RangeSize": "1"}, auth=admin.auth)).json()[0]
    bought = await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": first["phoneNumber"]}, auth=admin.auth)
    assert bought.status_code == 200
    again = (await client.get(search_path(admin.sid), params={"AreaCode": "212", "RangeSize": "5"}, auth=admin.auth)).json()
    assert first["phoneNumber"] not in [n["phoneNumber"] for n in again]


async def test_capability_filters(client, admin: Credentials) -> None:
    fax = await client.get(search_path(admin.sid, "GB", "Mobile"), params={"FaxEnabled": "true"}, auth=admin.auth)
    assert fax.status_code == 200 and fax.json() == []  # the sandbox's mobile numbers cannot fax
    no_ussd = await client.get(search_path(admin.sid), params={"UssdEnabled": "false", "RangeSize": "2"}, auth=admin.auth)
    assert len(no_ussd.json()) == 2


@pytest.mark.parametrize(
    ("params", "code", "named"),
    [
        ({"AreaCode": "12"}, 21451, "AreaCode"),
        ({"Contains": "12!"}, 20001, "Contains"),
        ({"NearNumber": "+15105555555"}, 20001, "NearNumber"),
        ({"Distance": "10"}, 20001, "Distance"),
        ({"RangeSize": "0"}, 20001, "RangeSize"),
        ({"RangeSize": "abc"}, 20001, "RangeSize"),
        ({"SmsEnabled": "maybe"}, 20001, "SmsEnabled"),
    ],
)
async def test_bad_search_parameters(client, admin: Credentials, params: dict[str, str], code: int, named: str) -> None:
    response = await client.get(search_path(admin.sid), params=params, auth=admin.auth)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert named in response.json()["message"]


async def test_bad_country(client, admin: Credentials) -> None:
    response = await client.get(search_path(admin.sid, "USA"), auth=admin.auth)
    assert response.status_code == 400 and "IsoCountry" in response.json()["message"]


async def test_xml_shape(client, admin: Credentials) -> None:
    response = await client.get(search_path(admin.sid, json=False), params={"AreaCode": "617", "RangeSize": "2"}, auth=admin.auth)
    assert response.headers["content-type"].startswith("application/xml")
    body = response.text
    assert body.count("<AvailablePhoneNumber>") == 2
    assert re.search(r"<RestcommResponse><AvailablePhoneNumbers><AvailablePhoneNumber><FriendlyName>\(617\)", body)
    assert "<Capabilities><Voice>true</Voice><Sms>true</Sms><Mms>true</Mms><Fax>true</Fax></Capabilities>" in body


async def test_available_countries(client, admin: Credentials) -> None:
    response = await client.get(numbers_path(admin.sid, "/AvailableCountries.json"), auth=admin.auth)
    assert response.status_code == 200 and response.json() == ["CA", "GB", "US"]
    xml = await client.get(numbers_path(admin.sid, "/AvailableCountries"), auth=admin.auth)
    assert "<AvailableCountries><AvailableCountry>CA</AvailableCountry>" in xml.text


async def test_other_organizations_cannot_search_for_an_account(client, admin: Credentials, make_account) -> None:
    other = await make_account(None)
    response = await client.get(search_path(admin.sid), auth=other.auth)
    assert response.status_code == 403 and response.json()["code"] == 20403


@pytest.mark.parametrize(
    ("params", "prefix"),
    [
        ({"InRegion": "NY"}, "+1212"),
        ({"InRegion": "ma"}, "+1617"),
        ({"InPostalCode": "94612"}, "+1510"),
        ({"InRateCenter": "BOSTON"}, "+1617"),
        ({"InLata": "236"}, "+1202"),
    ],
)
async def test_place_filters(client, admin: Credentials, params: dict[str, str], prefix: str) -> None:
    response = await client.get(search_path(admin.sid), params={**params, "RangeSize": "3"}, auth=admin.auth)
    assert response.status_code == 200, response.text
    found = response.json()
    assert len(found) == 3 and all(n["phoneNumber"].startswith(prefix) for n in found)


async def test_a_region_with_no_numbers_gives_an_empty_list(client, admin: Credentials) -> None:
    response = await client.get(search_path(admin.sid), params={"InRegion": "TX"}, auth=admin.auth)
    assert response.status_code == 200 and response.json() == []
