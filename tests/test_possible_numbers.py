"""Possible numbers reach the carrier (issue 8, finding 7): the gateway checks a number's
shape for its country, and whether it exists is the carrier's answer."""

from __future__ import annotations

from typing import Iterator

import pytest

from gateway.observability.carrier import InstrumentedProvider
from gateway.providers.voipinnovations import VoipInnovationsProvider
from tests.fakes.voipinnovations import FakeVoipInnovations
from tests.support.accounts import numbers_path
from tests.support.rest import assert_error

#: numbers Restcomm's own suite buys from VoIP Innovations; phonenumbers lists neither area code
RESTCOMM_SUITE = ["+14216902867", "+14206902867"]


@pytest.fixture(scope="module")
def carrier() -> Iterator[FakeVoipInnovations]:
    with FakeVoipInnovations() as fake:
        yield fake


async def test_numbers_in_area_codes_the_library_does_not_know_are_bought(app, client, admin, carrier) -> None:
    carrier.reset()
    carrier.seed(*(n.removeprefix("+1") for n in RESTCOMM_SUITE))
    app.state.provider = InstrumentedProvider(VoipInnovationsProvider(
        carrier.url, carrier.login, carrier.password, carrier.endpoint_group))
    for number in RESTCOMM_SUITE:
        response = await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": number}, auth=admin.auth)
        assert response.status_code == 200, response.text
        assert response.json()["phone_number"] == number
        assert response.json()["friendly_name"] == f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    assert carrier.owned == {n.removeprefix("+1") for n in RESTCOMM_SUITE}
    local = await client.post(numbers_path(admin.sid, "/Local.json"), data={"PhoneNumber": "+14216902868"},
                              auth=admin.auth)
    assert_error(local, 400, 21452)  # possible, so the carrier was asked: it has no such number


async def test_the_sandbox_sells_only_numbers_it_knows(client, admin) -> None:
    response = await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": RESTCOMM_SUITE[0]},
                                 auth=admin.auth)
    assert_error(response, 400, 21452, "not an assigned number")


@pytest.mark.parametrize("number, why", [
    ("+11234567890", "fit"),  # area code starting with 1
    ("+14211234567", "fit"),  # exchange starting with 1
    ("+14219112867", "fit"),  # N11 exchange
    ("+19991234567", "fit"),  # N9X area codes are kept for expansion
    ("+1510555", "possible"),  # too short
    ("+4420", "possible"),
    ("+1800FLOWERS", "letters"),
])
async def test_impossible_numbers_are_21421(client, admin, number: str, why: str) -> None:
    response = await client.post(numbers_path(admin.sid, ".json"), data={"PhoneNumber": number}, auth=admin.auth)
    assert_error(response, 400, 21421, "PhoneNumber", why)


async def test_area_codes_the_library_does_not_know_are_asked_of_the_carrier(client, admin) -> None:
    response = await client.post(numbers_path(admin.sid, ".json"), data={"AreaCode": "421"}, auth=admin.auth)
    assert_error(response, 400, 21452, "421")  # the sandbox has none there: not "not an area code"
    response = await client.post(numbers_path(admin.sid, ".json"), data={"AreaCode": "199"}, auth=admin.auth)
    assert_error(response, 400, 21451, "AreaCode")
