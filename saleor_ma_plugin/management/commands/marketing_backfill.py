"""Import existing Saleor customers and orders into contacts and events."""

import sys
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

from ...pipeline import run_backfill

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import existing Saleor customers and orders as events and contact profiles. "
        "Safe to run again: it resumes where it stopped and never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", choices=["customers", "orders"], help="Import one stream only."
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Scan from the beginning again (still creates no duplicates).",
        )

    def handle(self, *args, only=None, batch_size=500, restart=False, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            streams = import_module("saleor_ma_plugin.saleor.backfill").STREAMS
        except ImportError as error:
            raise CommandError(
                f"The backfill reads Saleor's database and must run inside Saleor ({error})."
            ) from error
        names = [only] if only else ["customers", "orders"]
        for name in names:
            self.stdout.write(f"Importing {name}...")
            summary = run_backfill(
                streams[name],
                batch_size=batch_size,
                restart=restart,
                on_progress=lambda done, total, name=name: self._progress(name, done, total),
            )
            self.stdout.write("")
            resumed = f" (resumed after {summary.resumed_from})" if summary.resumed_from else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"{name}: {summary.objects_imported} imported{resumed}, "
                    f"{summary.events_created} new events, "
                    f"{summary.events_already_present} already present, "
                    f"{summary.seconds:.1f} s"
                )
            )

    def _progress(self, name: str, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        ending = "\r" if self.stdout.isatty() else "\n"
        self.stdout.write(f"  [{bar}] {done}/{total} {name}", ending=ending)
        if ending == "\r":
            sys.stdout.flush()
