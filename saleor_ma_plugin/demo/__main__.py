"""``python -m saleor_ma_plugin.demo [--outbox DIR] [--days N]``: the demo on a fresh database."""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
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
    arguments = parser.parse_args()
    outbox = Path(arguments.outbox).resolve()
    if outbox.exists() and any(outbox.iterdir()):
        sys.exit(f"{outbox} is not empty; choose another --outbox or empty it first.")
    workdir = tempfile.mkdtemp(prefix="saleor-ma-demo-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/demo.sqlite3"
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
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")

    connection_created.connect(throwaway_database)
    from django.core.management import call_command

    from .scenario import run

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    run(days=arguments.days, seed=arguments.seed, outbox=outbox)
    print(f"\nDone in {time.monotonic() - started:.1f} s. Open the emails in {outbox}/ (*.html).")


if __name__ == "__main__":
    main()
