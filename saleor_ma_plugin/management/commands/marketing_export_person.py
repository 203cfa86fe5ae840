"""Write everything kept about one person as one JSON document (GDPR Art. 15 and 20).

``python manage.py marketing_export_person anna@example.com --output anna.json``; the
document is written as it is read, so it is complete however many events the person has.
The keys are documented in docs/personal-data-export.md. Each export is logged with the
contact's id, never personal data.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError

from ...privacy.export import audit_export, find_person, write_document


class Command(BaseCommand):
    help = "Export one person's data (email address or contact id) as a JSON document."

    def add_arguments(self, parser):
        parser.add_argument("person", help="Email address or contact id.")
        parser.add_argument("--output", default="-", help="File to write; - (default) prints.")

    def handle(self, *args, person: str, output: str = "-", **options):
        contact = find_person(person)
        if contact is None:
            raise CommandError("No contact with this email address or id.")
        if output == "-":
            self.stdout.ending = ""  # the document's own newline ends it
            write_document(contact, self.stdout)
        else:
            with open(output, "w", encoding="utf-8") as out:
                size = write_document(contact, out)
            self.stderr.write(f"Wrote {output} ({size} characters).")
        audit_export(contact, f"written to {'stdout' if output == '-' else 'a file'}", _operator())


def _operator() -> str:
    try:
        return f"command (user {getpass.getuser()})"
    except (KeyError, OSError):
        return "command"
