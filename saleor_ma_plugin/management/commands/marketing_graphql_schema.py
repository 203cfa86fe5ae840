"""Write the API's SDL to graphql/schema.graphql (checked in; CI fails when it drifts)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ...graphql_api.schema import schema


def printed_schema() -> str:
    return str(schema).strip() + "\n"


class Command(BaseCommand):
    help = "Print or write the GraphQL schema (SDL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="graphql/schema.graphql", help="File to write; - prints."
        )

    def handle(self, *args, output="graphql/schema.graphql", **options):
        sdl = printed_schema()
        if output == "-":
            self.stdout.write(sdl, ending="")
            return
        Path(output).write_text(sdl, encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({len(sdl.splitlines())} lines).")
