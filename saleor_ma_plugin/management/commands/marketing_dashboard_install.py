"""Install the dashboard app into Saleor from the manifest the plugin serves: one step.

Wraps Saleor's own ``install_app``, which fetches the manifest over HTTP: the Saleor API
must be running and reachable at ``--base-url`` (by default the plugin's
``public_base_url``), with the plugin active. Installing twice is harmless.
"""

from urllib.parse import quote

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from ...core.host import current, plugin_settings


def manifest_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}{current().route_prefix}/manifest/"


def dashboard_install_url(dashboard_url: str, manifest: str) -> str:
    """The Dashboard page that installs an App from a manifest URL, after a confirmation."""
    query = quote(manifest, safe="")
    return f"{dashboard_url.rstrip('/')}/extensions/app/install?manifestUrl={query}"


class Command(BaseCommand):
    help = (
        "Install the marketing automation app into the Saleor Dashboard from the manifest "
        "the plugin serves (wraps Saleor's install_app)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            help="Where this Saleor API is reached, e.g. https://api.example.com "
            "(default: the plugin's public_base_url setting).",
        )
        parser.add_argument(
            "--dashboard-url",
            help="The Dashboard's address, to print its install link as well.",
        )
        parser.add_argument(
            "--print-only",
            action="store_true",
            help="Only print the manifest URL (and the Dashboard link); install nothing.",
        )

    def handle(self, *args, base_url=None, dashboard_url=None, print_only=False, **options):
        base_url = base_url or plugin_settings().public_base_url
        if not base_url:
            raise CommandError(
                "Give --base-url, or set the plugin's public_base_url: the address at which "
                "browsers and Saleor reach this API."
            )
        manifest = manifest_url(base_url)
        self.stdout.write(f"Manifest: {manifest}")
        if dashboard_url:
            self.stdout.write(
                f"Install in the Dashboard: {dashboard_install_url(dashboard_url, manifest)}"
            )
        if print_only:
            return
        if "install_app" not in get_commands():
            raise CommandError(
                "install_app is Saleor's command: run this inside Saleor, or install the app "
                "from the Dashboard with the link above (--dashboard-url)."
            )
        call_command("install_app", manifest, activate=True, quiet=True, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("The app is installed and active."))
