"""Command-line tasks: ``flask --app wsgi <command>``."""

import click
from flask import Flask

from api.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.option("--email", required=True, help="The admin's email address.")
    @click.option("--password", help="Leave out to be asked for it.")
    @click.option("--name", "display_name", default="Beheerder gemeente", show_default=True)
    def create_admin(email: str, password: str | None, display_name: str) -> None:
        """Create (or promote) a platform admin."""
        from api.services import accounts
        from api.services.errors import DomainError

        if not password:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = accounts.create_admin(email, password, display_name)
        except DomainError as error:
            raise click.ClickException(f"{error.message} {error.errors or ''}".strip()) from error
        db.session.commit()
        click.echo(f"Admin {user.email} (id {user.id}) is ready.")

    @app.cli.command("demo")
    @click.option("--force", is_flag=True, help="Load even when the database already has accounts.")
    def demo(force: bool) -> None:
        """Load a demo neighbourhood; prints its accounts and passwords once."""
        from api.demo import load_demo

        credentials = load_demo(force=force)
        if credentials is None:
            click.echo("The database already has accounts; demo data not loaded (use --force).")
            return
        click.echo("Demo neighbourhood loaded. Sign in with (shown once):")
        for role, email, password in credentials:
            click.echo(f"  {role:<14} {email:<36} {password}")

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Send what is due now, then stop.")
    def worker(once: bool) -> None:
        """Send push notifications from the outbox (run one or more per database)."""
        import signal as os_signal
        import threading

        from api.push.worker import Worker, listen_postgres

        if "push_worker" in app.extensions:  # RUN_WORKER_IN_PROCESS was set too: one worker per process
            app.extensions.pop("push_worker").stop()
        push_worker = Worker(app)
        if once:
            click.echo(f"sent or settled: {push_worker.drain()}")
            push_worker.close()
            return
        stop = threading.Event()
        for name in (os_signal.SIGTERM, os_signal.SIGINT):
            os_signal.signal(name, lambda *_: stop.set())
        if db.engine.dialect.name == "postgresql":
            threading.Thread(target=listen_postgres, args=(app, stop), daemon=True).start()
        push_worker.run(stop)

    @app.cli.command("sweep")
    def sweep() -> None:
        """Run the periodic jobs once: response clocks, retention, expired tokens, help digests."""
        from api.sweep import SKIPPED, run_sweep

        for name, count in run_sweep().items():
            shown = {SKIPPED: "skipped (another worker is running it)", -1: "failed (see the log)"}.get(count, count)
            click.echo(f"{name}: {shown}")
