"""Registration, sign-in, refresh with rotation and reuse detection, logout and password change."""

import pytest

from api.models import Role
from tests.helpers import PASSWORD, assert_error


def register(client, email="nieuw@example.nl", password=PASSWORD, **extra):
    body = {"email": email, "password": password, "display_name": "Nieuwe Buur", **extra}
    return client.post("/api/v1/auth/register", json=body)


def login(client, email, password=PASSWORD, **extra):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password, **extra})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_register_then_login_then_me(client):
    response = register(client, locale="en")
    assert response.status_code == 201
    account = response.get_json()
    assert account["role"] == "resident" and account["locale"] == "en"
    assert "password" not in account and "password_hash" not in account

    tokens = login(client, "NIEUW@example.nl").get_json()
    assert tokens["expires_in"] == 15 * 60 and tokens["token_type"] == "Bearer"
    me = client.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    assert me.get_json()["email"] == "nieuw@example.nl"


def test_register_refuses_role_and_duplicates_and_weak_passwords(client):
    assert_error(register(client, role="admin"), 422, "role")
    assert register(client).status_code == 201
    assert_error(register(client), 409, "email")
    body = assert_error(register(client, email="zwak@example.nl", password="password123"), 422, "password")
    assert "guess" in body["errors"]["password"][0].lower() or "common" in body["errors"]["password"][0].lower()
    assert_error(register(client, email="kort@example.nl", password="kort"), 422, "password")
    assert_error(register(client, email="lang@example.nl", password="x" * 129), 422, "password")
    assert_error(register(client, email="geen-email", password=PASSWORD), 422, "email")


def test_login_does_not_reveal_whether_the_email_exists(client, resident):
    wrong_password = assert_error(login(client, resident.email, "verkeerd wachtwoord hier"), 401)
    unknown_email = assert_error(login(client, "niemand@example.nl"), 401)
    assert wrong_password["message"] == unknown_email["message"]


def test_login_with_a_nul_byte_in_the_email_is_invalid_input(client, resident):
    # PostgreSQL refuses NUL in a query parameter: this was a 500 there (and a silent 401 on SQLite).
    assert_error(login(client, "a\x00" + resident.email), 422, "email")
    # Surrounding spaces are still just a sign-in with that address.
    assert login(client, f"  {resident.email} ").status_code == 200


def test_refresh_rotates_and_reuse_ends_the_whole_sign_in(client, resident, fake_clock):
    first = client.post("/api/v1/auth/refresh", headers=bearer(resident.refresh_token))
    assert first.status_code == 200
    rotated = first.get_json()
    assert rotated["refresh_token"] != resident.refresh_token

    # Minutes later the old refresh token comes back (stolen?): refused, and the whole sign-in is revoked.
    fake_clock.advance(minutes=2)
    assert_error(client.post("/api/v1/auth/refresh", headers=bearer(resident.refresh_token)), 401)
    assert_error(client.post("/api/v1/auth/refresh", headers=bearer(rotated["refresh_token"])), 401)
    assert_error(client.get("/api/v1/me", headers=bearer(rotated["access_token"])), 401)


def test_a_refresh_raced_by_a_reload_keeps_the_sign_in(client, resident, fake_clock):
    first = client.post("/api/v1/auth/refresh", headers=bearer(resident.refresh_token)).get_json()
    fake_clock.advance(seconds=3)
    # The page reloaded mid-refresh and sent the same token again: it gets a pair, nothing is revoked.
    again = client.post("/api/v1/auth/refresh", headers=bearer(resident.refresh_token))
    assert again.status_code == 200
    assert client.get("/api/v1/me", headers=bearer(first["access_token"])).status_code == 200
    assert client.post("/api/v1/auth/refresh", headers=bearer(again.get_json()["refresh_token"])).status_code == 200


def test_access_token_cannot_refresh_and_refresh_token_cannot_read(client, resident):
    assert_error(client.post("/api/v1/auth/refresh", headers=bearer(resident.access_token)), 401)
    assert_error(client.get("/api/v1/me", headers=bearer(resident.refresh_token)), 401)


def test_logout_revokes_access_and_refresh_tokens(client, resident):
    assert client.post("/api/v1/auth/logout", headers=resident.headers).status_code == 204
    assert_error(client.get("/api/v1/me", headers=resident.headers), 401)
    assert_error(client.post("/api/v1/auth/refresh", headers=bearer(resident.refresh_token)), 401)


def test_password_change_ends_other_sessions_but_keeps_this_one(client, resident):
    other = login(client, resident.email).get_json()
    new_password = "een nieuw en lang wachtwoord"
    response = client.post("/api/v1/me/password", headers=resident.headers,
                           json={"current_password": PASSWORD, "new_password": new_password})
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=resident.headers).status_code == 200
    assert_error(client.get("/api/v1/me", headers=bearer(other["access_token"])), 401)
    assert_error(login(client, resident.email), 401)
    assert login(client, resident.email, new_password).status_code == 200


def test_password_change_needs_the_current_password(client, resident):
    response = client.post("/api/v1/me/password", headers=resident.headers,
                           json={"current_password": "fout fout fout", "new_password": "een nieuw en lang wachtwoord"})
    assert_error(response, 422, "current_password")
    assert login(client, resident.email).status_code == 200


def test_profile_update_only_allows_own_fields(client, resident):
    response = client.patch("/api/v1/me", headers=resident.headers, json={"display_name": " Sanne V ", "locale": "en"})
    assert response.get_json()["display_name"] == "Sanne V"
    assert_error(client.patch("/api/v1/me", headers=resident.headers, json={"role": "admin"}), 422, "role")
    assert client.get("/api/v1/me", headers=resident.headers).get_json()["role"] == "resident"


def test_browser_login_puts_refresh_token_in_an_httponly_cookie(client, resident):
    response = login(client, resident.email, session_cookie=True)
    body = response.get_json()
    assert "refresh_token" not in body
    cookies = response.headers.getlist("Set-Cookie")
    refresh_cookie = next(c for c in cookies if c.startswith("refresh_token_cookie="))
    assert "HttpOnly" in refresh_cookie and "SameSite=Strict" in refresh_cookie and "Secure" in refresh_cookie
    csrf = next(c for c in cookies if c.startswith("csrf_refresh_token=")).split(";")[0].split("=", 1)[1]

    # Without the CSRF header the cookie is not enough.
    assert_error(client.post("/api/v1/auth/refresh"), 401)
    refreshed = client.post("/api/v1/auth/refresh", headers={"X-CSRF-TOKEN": csrf})
    assert refreshed.status_code == 200 and "refresh_token" not in refreshed.get_json()


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "3 per minute"}])
def test_login_is_rate_limited_per_account(client, resident):
    for _ in range(3):
        login(client, resident.email, "verkeerd wachtwoord hier")
    response = login(client, resident.email)
    body = assert_error(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    assert body["status"] == "Too Many Requests"


def test_disabled_accounts_cannot_sign_in_or_use_tokens(app, client, resident):
    from api.extensions import db
    from api.models import User

    with app.app_context():
        db.session.get(User, resident.id).is_active = False
        db.session.commit()
    assert_error(client.get("/api/v1/me", headers=resident.headers), 401)
    assert_error(login(client, resident.email), 401)


def test_roles_exist_from_the_start(professional, admin):
    assert professional.role == Role.professional and admin.role == Role.admin
