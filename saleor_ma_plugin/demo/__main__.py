"""``python -m saleor_ma_plugin.demo [--outbox DIR] [--days N] [--serve]``: the demo month.

It runs on a fresh database; with ``--serve`` the dashboard app opens on its data afterwards.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Replay a month of shop activity and show the results."
    )
    parser.add_argument(
        "--outbox", default="outbox", help="Folder for every rendered email (default: outbox)"
    )
    parser.add_argument(
        "--days", type=int, default=30, help="Days of activity to simulate (default: 30)"
    )
    parser.add_argument(
        "--seed", type=int, default=7, help="Random seed: the same seed, the same month"
    )
    parser.add_argument(
        "--serve",
        nargs="?",
        const="127.0.0.1:8000",
        metavar="HOST:PORT",
        help="Afterwards, serve the dashboard app on the demo's data (default 127.0.0.1:8000)",
    )
    parser.add_argument(
        "--until-now",
        action="store_true",
        help="Replay the month that ends now instead of March 2026 (implied by --serve), "
        "so the dashboard's recent periods show it",
    )
    parser.add_argument(
        "--admin-password",
        help="Password of the dashboard's 'admin' user with --serve (default: a random one)",
    )
    parser.add_argument(
        "--database-url",
        help="Replay into this empty database (postgres://...) instead of a fresh SQLite file",
    )
    return parser.parse_args()


def start_of(arguments: argparse.Namespace) -> datetime | None:
    """The hour ``--days`` before now, for a month the dashboard shows as recent; else None
    (the scripted March 2026)."""
    if not (arguments.until_now or arguments.serve):
        return None
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return now - timedelta(days=arguments.days)


def main() -> None:
    arguments = parse_arguments()
    outbox = Path(arguments.outbox).resolve()
    if outbox.exists() and any(outbox.iterdir()):
        sys.exit(f"{outbox} is not empty; choose another --outbox or empty it first.")
    workdir = tempfile.mkdtemp(prefix="saleor-ma-demo-")
    try:
        replay(arguments, outbox, workdir)
    finally:
        # The month's database lives only as long as the demo (and its --serve).
        shutil.rmtree(workdir, ignore_errors=True)


def replay(arguments: argparse.Namespace, outbox: Path, workdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")
    # Django's query log (DEBUG) would cost the month a sixth of its time; --serve keeps
    # DEBUG for the development server's GraphiQL.
    os.environ.setdefault("DEBUG", "1" if arguments.serve else "0")
    os.environ["DATABASE_URL"] = arguments.database_url or f"sqlite:///{workdir}/demo.sqlite3"
    os.environ.pop(
        "CELERY_BROKER_URL", None
    )  # tasks run in-process, as in Saleor without a broker
    os.environ["ALLOWED_HOSTS"] = "localhost,127.0.0.1,testserver"
    import django
    from django.conf import settings

    django.setup()
    settings.SALEOR_MA_OUTBOX_DIR = str(outbox)
    from django.db.backends.signals import connection_created

    def throwaway_database(sender, connection, **kwargs):
        # The demo database is deleted afterwards: durability would only cost fsyncs.
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")

    connection_created.connect(throwaway_database)
    from django.core.management import call_command

    from .scenario import run

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    run(days=arguments.days, seed=arguments.seed, outbox=outbox, start=start_of(arguments))
    print(f"\nDone in {time.monotonic() - started:.1f} s. Open the emails in {outbox}/ (*.html).")
    if arguments.serve:
        from .serve import serve

        serve(arguments.serve, arguments.admin_password)


if __name__ == "__main__":
    main()
