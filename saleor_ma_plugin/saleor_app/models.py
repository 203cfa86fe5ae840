"""The Saleor this App is installed in, and its App token (encrypted)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .crypto import decrypt, encrypt


class SaleorInstallation(models.Model):
    api_url = models.URLField(
        unique=True, max_length=500, help_text=_("The Saleor API URL the App token came from.")
    )
    encrypted_token = models.TextField(help_text=_("The App token, Fernet-encrypted."))
    domain = models.CharField(max_length=255, blank=True, help_text=_("Saleor-Domain header."))
    app_id = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The App's id in Saleor, asked with the token; Dashboard tokens name it."),
    )
    installed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.api_url

    @property
    def token(self) -> str:
        return decrypt(self.encrypted_token)

    def set_token(self, token: str) -> None:
        """A new token may be a new installation, with a new App id: ask again."""
        self.encrypted_token = encrypt(token)
        self.app_id = ""
