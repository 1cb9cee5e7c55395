from tests.conftest import Credentials, numbers_path


async def test_purchase_then_list(client, admin: Credentials) -> None:
    response = await client.post(
        numbers_path(admin.sid, ".json"), data={"PhoneNumber": "+15105555555"}, auth=admin.auth
    )
    assert response.status_code == 200, response.text
    listed = await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)
    assert [n["phone_number"] for n in listed.json()["incomingPhoneNumbers"]] == ["+15105555555"]
