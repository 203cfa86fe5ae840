"""A minimal Django project running the app without Saleor (tests, demo, development)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
