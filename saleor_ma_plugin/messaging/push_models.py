"""Web push subscriptions of contacts and the shop's VAPID key pair."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: VapidKeys has exactly one row, under this primary key.
VAPID_KEYS_PK = 1


class PushSubscription(models.Model):
    """A browser's ``PushSubscription``: where to POST and the keys to encrypt for it."""

    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact", on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=2000, unique=True)
    #: The browser's P-256 public key, base64url (65 bytes uncompressed).
    p256dh = models.CharField(max_length=128)
    #: The 16-byte authentication secret, base64url.
    auth = models.CharField(max_length=64)
    user_agent = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expired_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when the push service answered 404 or 410.")
    )

    def __str__(self) -> str:
        return self.endpoint


class VapidKeys(models.Model):
    """The shop's VAPID key pair; created once, on first use, by ``vapid_keys()``."""

    # A fixed primary key makes a second row impossible, even when two workers race.
    id = models.PositiveSmallIntegerField(primary_key=True, default=VAPID_KEYS_PK, editable=False)
    private_key_pem = models.TextField(help_text=_("PKCS#8 PEM of the P-256 private key."))
    public_key = models.CharField(
        max_length=100,
        help_text=_("Uncompressed P-256 point, base64url: the applicationServerKey."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("VAPID keys")
        verbose_name_plural = _("VAPID keys")

    def __str__(self) -> str:
        return self.public_key
