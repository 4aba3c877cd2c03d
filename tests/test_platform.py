"""Health, security headers, CORS, the explorer, the PWA shell, secrets and the CLI."""

import json
import os
import stat

import pytest

from api import ConfigurationError, create_app
from api.extensions import db
from api.models import Role, User
from tests.helpers import PASSWORD


def test_health_reports_database_and_version_without_secrets(client):
    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["version"]
    assert "secret" not in json.dumps(body).lower()


def test_security_headers_on_pwa_and_api(client):
    for path in ("/", "/api/v1/health"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/api/v1/health").headers["Cache-Control"] == "no-store"


def test_cors_is_closed_by_default(client):
    response = client.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("app_config", [{"CORS_ORIGINS": ["https://gemeente.example"]}])
def test_cors_opens_for_configured_origins(client):
    response = client.get("/api/v1/health", headers={"Origin": "https://gemeente.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://gemeente.example"


def test_explorer_is_served_offline_from_the_app(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in page and "http" not in page.split("<body>")[1]
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/openapi.json").get_json()["info"]["title"] == "Buurtwacht API"


def test_pwa_shell_and_deep_links(client):
    assert client.get("/").status_code == 200
    deep = client.get("/groups/3/join?code=abc", headers={"Accept": "text/html"})
    assert deep.status_code == 200 and b"<html" in deep.data
    sw = client.get("/sw.js")
    assert sw.headers["Service-Worker-Allowed"] == "/"


def test_instance_secrets_are_created_once_and_private(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "inst"))
    for name in ("SECRET_KEY", "JWT_SECRET_KEY", "VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY"):
        monkeypatch.delenv(name, raising=False)
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    path = tmp_path / "inst" / "secrets.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert first.config["JWT_SECRET_KEY"] == second.config["JWT_SECRET_KEY"]
    assert len(first.config["VAPID_PUBLIC_KEY"]) == 87  # 65-byte point, base64url


def test_production_refuses_development_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("BUURTWACHT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "dev-secret")
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="JWT_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not (tmp_path / "inst" / "secrets.json").exists()


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "Beheer@Gemeente.nl", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(User).filter_by(email="beheer@gemeente.nl").one()
        assert user.role == Role.admin


def test_create_admin_prompts_for_the_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "b@gemeente.nl"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", "c@gemeente.nl", "--password", "welkom123"])
    assert result.exit_code != 0 and "weak" in result.output.lower()


def test_demo_prints_accounts_once_and_they_work(app, client):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "bewoner@" in line)
    _role, email, password = line.split()
    assert client.post("/api/v1/auth/login", json={"email": email, "password": password}).status_code == 200
    again = app.test_cli_runner().invoke(args=["demo"])
    assert "already" in again.output
