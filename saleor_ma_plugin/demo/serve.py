"""After the demo month: open the dashboard app on the demo's data in a browser.

The standalone host serves the app at ``/dashboard/`` with Django's login; the demo creates
an administrator for it and runs Django's development server on the demo database.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command

from ..dashboard.build import AppNotBuilt, build_directory

ADMIN = "admin"


def create_admin(password: str | None = None) -> str:
    """A superuser ``admin`` with the given (or a fresh random) password; returns it."""
    password = password or secrets.token_urlsafe(9)
    user, _ = get_user_model().objects.get_or_create(
        username=ADMIN, defaults={"email": "admin@example.com", "is_staff": True}
    )
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return password


def serve(address: str, password: str | None = None) -> None:
    """Print how to sign in, then serve the standalone host until interrupted."""
    try:
        build_directory()
    except AppNotBuilt as error:
        raise SystemExit(f"{error} Then run the demo again.") from None
    password = create_admin(password)
    print(
        f"\nThe dashboard: http://{address}/dashboard/\n"
        f"Sign in as {ADMIN!r} with the password {password!r}. Stop with Ctrl+C.\n"
    )
    call_command("runserver", address, use_reloader=False, use_threading=True)
