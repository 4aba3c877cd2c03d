"""Every error answers in one JSON shape, including those raised by extensions and crashes."""

import pytest

from tests.helpers import assert_error


def test_400_bad_json(client):
    body = assert_error(client.post("/api/v1/auth/login", data="{nope", content_type="application/json"), 400)
    assert "JSON" in body["message"]


@pytest.mark.parametrize("depth", [40, 980, 20000])
def test_400_json_nested_too_deeply(client, resident, depth):
    # Around a thousand levels the decoder raised RecursionError, a 500; how deep depended on the stack.
    body = '{"email": "a@b.nl", "password": "x", "session_cookie": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    assert assert_error(response, 400)["message"] == "The request body is nested too deeply."
    report = client.post("/api/v1/groups/1/reports", data="[" * depth + "]" * depth,
                         headers={**resident.headers, "Content-Type": "application/json"})
    assert_error(report, 400)


def test_400_lone_surrogate_escape(client, resident):
    # Valid JSON, not text: hashing the password or storing the name could not encode it (a 500).
    login = client.post("/api/v1/auth/login", data='{"email": "a@b.nl", "password": "x\\ud800"}',
                        headers={"Content-Type": "application/json"})
    assert "surrogate" in assert_error(login, 400)["message"]
    rename = client.patch("/api/v1/me", data='{"display_name": "a\\udc00b"}',
                          headers={**resident.headers, "Content-Type": "application/json"})
    assert_error(rename, 400)
    # An escaped pair is an ordinary character.
    emoji = client.patch("/api/v1/me", data='{"display_name": "Buur \\ud83d\\ude00"}',
                         headers={**resident.headers, "Content-Type": "application/json"})
    assert emoji.status_code == 200
    assert emoji.get_json()["display_name"] == "Buur \U0001F600"


def test_shallow_json_is_left_to_validation(client):
    response = client.post("/api/v1/auth/login", json={"email": [[["a"]]], "password": "x"})
    assert_error(response, 422, "email")


def test_401_without_token(client):
    assert_error(client.get("/api/v1/me"), 401)


def test_401_with_garbage_token(client):
    assert_error(client.get("/api/v1/me", headers={"Authorization": "Bearer not.a.token"}), 401)


def test_404_unknown_api_route(client):
    assert_error(client.get("/api/v1/does-not-exist"), 404)


def test_405_wrong_method(client):
    assert_error(client.delete("/api/v1/health"), 405)


def test_409_duplicate(client, resident):
    body = {"email": resident.email, "password": "een heel lang wachtwoord", "display_name": "X"}
    assert_error(client.post("/api/v1/auth/register", json=body), 409, "email")


def test_413_body_too_large(client):
    huge = "x" * (2 * 1024 * 1024)
    response = client.post("/api/v1/auth/login", data='{"email": "' + huge + '"}', content_type="application/json")
    assert_error(response, 413)


def test_415_not_json(client):
    form = client.post("/api/v1/auth/login", data="email=a", content_type="application/x-www-form-urlencoded")
    assert_error(form, 415)


def test_422_unknown_and_missing_fields(client):
    body = assert_error(client.post("/api/v1/auth/login", json={"mail": "a@b.nl"}), 422)
    assert set(body["errors"]) == {"mail", "email", "password"}


@pytest.mark.parametrize("app_config", [{"REGISTER_RATE_LIMIT": "2 per minute"}])
def test_429_carries_retry_after(client):
    for n in range(2):
        client.post("/api/v1/auth/register", json={"email": f"x{n}@example.nl"})
    response = client.post("/api/v1/auth/register", json={"email": "x9@example.nl"})
    assert_error(response, 429)
    assert int(response.headers["Retry-After"]) >= 1


def test_500_hides_the_stack_trace(app, client):
    @app.get("/api/v1/_boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = client.get("/api/v1/_boom")
    body = assert_error(response, 500)
    assert "secret" not in response.get_data(as_text=True) and "Traceback" not in body["message"]


def test_failed_request_leaves_data_unchanged(client, resident):
    client.patch("/api/v1/me", headers=resident.headers, json={"display_name": "Nieuw", "role": "admin"})
    assert client.get("/api/v1/me", headers=resident.headers).get_json()["display_name"] == resident.display_name
