"""The application factory: configuration, extensions, API resources, errors and the PWA."""

import logging
import os

from flask import Flask

from api import instance_secrets
from api.config import dev_secrets_in_use, load_config
from api.database import configure_sqlite
from api.errors import register_error_handlers
from api.extensions import Api, cors, db, jwt, limiter, migrate
from api.migration_render import render_item
from api.security_headers import register_security_headers


class ConfigurationError(RuntimeError):
    pass


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH") or None, static_folder=None,
                instance_relative_config=True)
    app.config.update(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    _load_secrets(app)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    db.init_app(app)
    migrate.init_app(
        app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"), render_as_batch=True,
        compare_type=True, render_item=render_item,
    )
    jwt.init_app(app)
    limiter.init_app(app)
    cors.init_app(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}}, supports_credentials=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)

    _register_api(app)
    register_error_handlers(app)
    register_security_headers(app)

    from api import cli
    from api.explorer import explorer_blueprint
    from pwa import pwa_blueprint

    app.register_blueprint(explorer_blueprint)
    app.register_blueprint(pwa_blueprint)
    cli.register(app)
    _start_push(app, test_config or {})
    return app


def _start_push(app: Flask, test_config: dict) -> None:
    from api.services import notifications

    notifications.register()
    # Tests start a worker only when they ask for one; the flask reloader's watcher process never does.
    wanted = test_config.get("RUN_WORKER_IN_PROCESS") if app.testing else app.config["RUN_WORKER_IN_PROCESS"]
    reloader_parent = app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true"
    if wanted and not reloader_parent:
        from api.push.worker import start_in_background

        app.extensions["push_worker"] = start_in_background(app)


def _load_secrets(app: Flask) -> None:
    """Secrets from the environment; locally, missing ones come from the instance folder."""
    production = app.config["ENV_NAME"] == "production"
    missing = [k for k in ("SECRET_KEY", "JWT_SECRET_KEY", "VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY")
               if not app.config.get(k)]
    if production:
        weak = dev_secrets_in_use(app.config)
        if weak or missing:
            raise ConfigurationError(
                "BUURTWACHT_ENV=production refuses to start with development or missing secrets: "
                + ", ".join(sorted(set(weak + missing)))
                + ". Set them in the environment (see README, 'Production')."
            )
        return
    if missing:
        stored = instance_secrets.load_or_create(app.instance_path)
        for key in missing:
            app.config[key] = stored[key]


def _register_api(app: Flask) -> None:
    from api.resources import BLUEPRINTS

    # One Api object per app: smorest keeps the spec on it.
    app_api = Api(app)
    for blueprint in BLUEPRINTS:
        app_api.register_blueprint(blueprint)
    app.extensions["buurtwacht_api"] = app_api
