"""Settings from the environment, with safe local defaults.

Every setting can be given as an environment variable of the same name. Secrets that are not
given are created once in the instance folder (see ``api/instance_secrets.py``).
"""

import os
from datetime import timedelta

DEV_SECRET_MARKER = "dev-"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def load_config(instance_path: str) -> dict:
    """Read the configuration; called once per app, so tests can change the environment."""
    default_db = "sqlite:///" + os.path.join(instance_path, "buurtwacht.db")
    database_url = os.environ.get("DATABASE_URL", default_db)
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]

    return {
        "ENV_NAME": os.environ.get("BUURTWACHT_ENV", "development"),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "JWT_SECRET_KEY": os.environ.get("JWT_SECRET_KEY"),
        "VAPID_PRIVATE_KEY": os.environ.get("VAPID_PRIVATE_KEY"),
        "VAPID_PUBLIC_KEY": os.environ.get("VAPID_PUBLIC_KEY"),
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", "mailto:beheer@buurtwacht.example"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
        "CORS_ORIGINS": _list("CORS_ORIGINS"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # Requests carry JSON only; 1 MiB is far above any legitimate body.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 1024 * 1024),
        # Tokens
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=_int("JWT_ACCESS_MINUTES", 15)),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=_int("JWT_REFRESH_DAYS", 30)),
        "JWT_TOKEN_LOCATION": ["headers", "cookies"],
        # A refresh token presented again within this many seconds of its use gets a new pair instead of
        # ending the sign-in (a reload or second tab racing the refresh); later reuse is treated as theft.
        "REFRESH_REUSE_GRACE_SECONDS": _int("REFRESH_REUSE_GRACE_SECONDS", 10),
        "JWT_REFRESH_COOKIE_PATH": "/api/v1/auth",
        "JWT_REFRESH_CSRF_COOKIE_PATH": "/",
        "JWT_COOKIE_SECURE": _bool("JWT_COOKIE_SECURE", True),
        "JWT_COOKIE_SAMESITE": "Strict",
        "JWT_COOKIE_CSRF_PROTECT": True,
        "JWT_SESSION_COOKIE": False,
        # Rate limits (Flask-Limiter)
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "5 per minute;30 per hour"),
        "REPORTS_PER_HOUR": _int("REPORTS_PER_HOUR", 10),
        "REPORT_RETENTION_DAYS": _int("REPORT_RETENTION_DAYS", 28),
        # Resolved reports close by themselves after this many days (0 = never), so they reach retention.
        "REPORT_AUTO_CLOSE_DAYS": _int("REPORT_AUTO_CLOSE_DAYS", 7),
        # Moderators' check-in task for a report stays on their list this long.
        "CHECKIN_TASK_DAYS": _int("CHECKIN_TASK_DAYS", 7),
        "IDEMPOTENCY_KEY_HOURS": _int("IDEMPOTENCY_KEY_HOURS", 24),
        # Safety surveys: anonymous links are public, so they are rate-limited per client.
        "SURVEY_PUBLIC_RATE_LIMIT": os.environ.get("SURVEY_PUBLIC_RATE_LIMIT", "20 per minute;200 per hour"),
        "SURVEY_LINK_DAYS": _int("SURVEY_LINK_DAYS", 90),
        "SURVEY_FOLLOW_UP_WINDOW_DAYS": _int("SURVEY_FOLLOW_UP_WINDOW_DAYS", 60),
        # Push
        "PUSH_ENDPOINT_ALLOWLIST": _list("PUSH_ENDPOINT_ALLOWLIST"),
        "RUN_WORKER_IN_PROCESS": _bool("RUN_WORKER_IN_PROCESS", False),
        # Push delivery (api/push/worker.py): rows claimed at a time (small, so the first send starts at once),
        # parallel sends per worker, how long a claim lasts before another worker may take the row again,
        # retries before giving up.
        "PUSH_BATCH_SIZE": _int("PUSH_BATCH_SIZE", 50),
        "PUSH_CONCURRENCY": _int("PUSH_CONCURRENCY", 100),
        "PUSH_CLAIM_SECONDS": _int("PUSH_CLAIM_SECONDS", 120),
        "PUSH_MAX_ATTEMPTS": _int("PUSH_MAX_ATTEMPTS", 8),
        "PUSH_RETRY_BASE_SECONDS": _int("PUSH_RETRY_BASE_SECONDS", 30),
        "PUSH_CONNECT_TIMEOUT": float(os.environ.get("PUSH_CONNECT_TIMEOUT", 3.05)),
        "PUSH_READ_TIMEOUT": float(os.environ.get("PUSH_READ_TIMEOUT", 10)),
        "PUSH_POLL_SECONDS": float(os.environ.get("PUSH_POLL_SECONDS", 1)),
        # Local hour at which the daily help digest goes out.
        "PUSH_DIGEST_HOUR": _int("PUSH_DIGEST_HOUR", 18),
        # OpenAPI / explorer (flask-smorest)
        "API_TITLE": "Buurtwacht API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "API_SPEC_OPTIONS": {
            "info": {
                "description": (
                    "Buurtwacht: neighbourhood watch with professional feedback on a response clock. "
                    "Authenticate with `POST /api/v1/auth/login` and send the access token as "
                    "`Authorization: Bearer <token>`. Every error has the same JSON shape: "
                    "`{code, status, message, errors}`. Lists are paginated with `page` and `page_size`; "
                    "the `X-Pagination` response header carries the totals."
                ),
            },
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            },
        },
    }


def dev_secrets_in_use(config: dict) -> list[str]:
    """Names of secrets that still hold a development value."""
    names = ["SECRET_KEY", "JWT_SECRET_KEY"]
    return [n for n in names if not config.get(n) or str(config[n]).startswith(DEV_SECRET_MARKER)]
