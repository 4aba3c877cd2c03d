"""Accounts managed by admins: professional accounts, listing and disabling (which ends every sign-in)."""

import pytest
from sqlalchemy import func, select

from api.extensions import db
from api.models import AuditEntry, User
from tests.helpers import PASSWORD, assert_error

USERS = "/api/v1/admin/users"
OFFICER = {"email": "Wijkagent.Jansen@Politie.example", "display_name": "Wijkagent Jansen",
           "organisation": "Politie Rotterdam-Noord", "password": PASSWORD}


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_admin_creates_a_professional_who_can_sign_in(client, admin):
    response = client.post(USERS, json=OFFICER, headers=admin.headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["role"] == "professional" and body["organisation"] == "Politie Rotterdam-Noord"
    assert body["email"] == "wijkagent.jansen@politie.example" and "password" not in body
    login = client.post("/api/v1/auth/login", json={"email": OFFICER["email"], "password": PASSWORD})
    assert login.status_code == 200
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.get_json()['access_token']}"})
    assert me.get_json()["role"] == "professional"


def test_admin_lists_accounts_by_role_and_state(client, admin, resident, professional):
    everyone = client.get(USERS, headers=admin.headers).get_json()
    assert {u["id"] for u in everyone} == {admin.id, resident.id, professional.id}
    professionals = client.get(f"{USERS}?role=professional", headers=admin.headers).get_json()
    assert [u["id"] for u in professionals] == [professional.id]
    assert client.get(f"{USERS}?is_active=false", headers=admin.headers).get_json() == []
    assert_error(client.get(f"{USERS}?role=king", headers=admin.headers), 422, "role")


def test_disabling_ends_every_sign_in_and_enabling_restores_access(app, client, admin, professional):
    response = client.patch(f"{USERS}/{professional.id}", json={"is_active": False}, headers=admin.headers)
    assert response.status_code == 200 and response.get_json()["is_active"] is False
    assert_error(client.get("/api/v1/me", headers=professional.headers), 401)
    assert_error(client.post("/api/v1/auth/refresh",
                             headers={"Authorization": f"Bearer {professional.refresh_token}"}), 401)
    assert_error(client.post("/api/v1/auth/login", json={"email": professional.email, "password": PASSWORD}), 401)

    enabled = client.patch(f"{USERS}/{professional.id}", json={"is_active": True, "organisation": "Gemeente"},
                           headers=admin.headers)
    assert enabled.get_json()["is_active"] is True and enabled.get_json()["organisation"] == "Gemeente"
    assert client.post("/api/v1/auth/login", json={"email": professional.email,
                                                   "password": PASSWORD}).status_code == 200
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user.disabled", "user.enabled"]


def test_admins_cannot_disable_themselves(client, admin):
    assert_error(client.patch(f"{USERS}/{admin.id}", json={"is_active": False}, headers=admin.headers), 409)
    assert client.get("/api/v1/me", headers=admin.headers).status_code == 200


def test_unknown_account_is_404(client, admin):
    assert_error(client.patch(f"{USERS}/999999", json={"is_active": False}, headers=admin.headers), 404)


@pytest.mark.parametrize("change, field", [
    ({"email": "geen-adres"}, "email"),
    ({"password": "kort"}, "password"),
    ({"display_name": ""}, "display_name"),
    ({"organisation": "x" * 121}, "organisation"),
    ({"role": "admin"}, "role"),
])
def test_bad_account_input_is_refused_and_nothing_is_written(app, client, admin, change, field):
    before = user_count(app)
    assert_error(client.post(USERS, json={**OFFICER, **change}, headers=admin.headers), 422, field)
    assert user_count(app) == before


def test_duplicate_email_is_409(client, admin, resident):
    assert_error(client.post(USERS, json={**OFFICER, "email": resident.email.upper()}, headers=admin.headers), 409,
                 "email")


def test_bad_patch_is_refused(client, admin, professional):
    assert_error(client.patch(f"{USERS}/{professional.id}", json={"role": "admin"}, headers=admin.headers), 422,
                 "role")
    assert_error(client.patch(f"{USERS}/{professional.id}", json={"is_active": "misschien"},
                              headers=admin.headers), 422, "is_active")


@pytest.mark.parametrize("who", ["resident", "professional"])
def test_only_admins_manage_accounts(app, client, resident, professional, who):
    headers = {"resident": resident, "professional": professional}[who].headers
    before = user_count(app)
    assert_error(client.get(USERS, headers=headers), 403)
    assert_error(client.post(USERS, json=OFFICER, headers=headers), 403)
    assert_error(client.patch(f"{USERS}/{resident.id}", json={"is_active": False}, headers=headers), 403)
    assert user_count(app) == before
    assert client.get("/api/v1/me", headers=resident.headers).status_code == 200


def test_unauthenticated_is_401(client):
    assert_error(client.get(USERS), 401)
    assert_error(client.post(USERS, json=OFFICER), 401)
