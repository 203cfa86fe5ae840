"""The standalone host as the end-to-end tests serve it: the standalone settings, plus what
only a test machine may allow. Nothing here is used outside the end-to-end tests."""

import os

from saleor_ma_plugin.standalone.settings import *  # noqa: F403

# The composer test serves its RSS feed on 127.0.0.1 (production refuses internal hosts).
SALEOR_MA_ALLOW_INTERNAL_FEEDS = True

# Mail goes over SMTP to the sink the composer test listens with on this port; while no test
# listens, a send fails and its message waits for a retry, as with any mail server down.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["E2E_SMTP_PORT"])
EMAIL_TIMEOUT = 5
