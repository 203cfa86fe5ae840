"""The standalone host's WSGI application, for a production server (e.g. gunicorn).

``gunicorn saleor_ma_plugin.standalone.wsgi:application`` with the settings taken from the
environment (``DATABASE_URL``, ``CELERY_BROKER_URL``, ``SECRET_KEY``, ...).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")

application = get_wsgi_application()
