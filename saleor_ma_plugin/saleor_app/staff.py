"""Who uses the App's UI: the staff token Saleor's Dashboard hands the App's iframe.

The Dashboard gives the iframe (AppBridge's handshake) a JWT made by Saleor's
``create_access_token_for_app``: RS256, signed with the key Saleor publishes at
``/.well-known/jwks.json``, ``iss`` its API URL, ``type`` "thirdparty", the App's id in
``app``, the staff user's permissions in ``user_permissions`` and their intersection with
the App's in ``permissions``, valid for five minutes. The dashboard app sends it as
``Authorization: Bearer``, exactly as inside Saleor. Saleor cannot verify it for us here,
so we do what Saleor's own ``jwt_decode`` does with its key, against the configured Saleor
only: signature (key set through the same cache and guarded session as webhook
signatures), expiry, issuer, and that the token was made for this App (its id, asked of
Saleor once with the App token; a token carrying any audience belongs to another App, as
our manifest declares none). Anything else is anonymous: never an error.
"""

import logging

import jwt
from django.db import transaction

from ..core.auth import ANONYMOUS, MarketingPermission, Requestor, RequestorKind
from ..core.host import ShopUnavailable
from .api import database_id, saleor_api
from .models import SaleorInstallation
from .signatures import ALGORITHMS, InvalidSignature, KeySet
from .views import configured_api_url, normalize_api_url

logger = logging.getLogger(__name__)

#: The same mapping as inside Saleor (``saleor/auth.py``): customer data needs
#: MANAGE_USERS, voucher steps MANAGE_DISCOUNTS.
MAPPING = {
    MarketingPermission.MANAGE_MARKETING: "MANAGE_USERS",
    MarketingPermission.MANAGE_DISCOUNTS: "MANAGE_DISCOUNTS",
}
#: Saleor's ``JWT_THIRDPARTY_ACCESS_TYPE``: a user's token made for an App.
THIRDPARTY = "thirdparty"
#: Saleor's ``JWT_SALEOR_OWNER_NAME``: tokens Saleor itself issued (plugins may issue others).
SALEOR_OWNER = "saleor"
APP_ID_QUERY = "query MarketingAppId { app { id } }"


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer`` header (what the dashboard app sends)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def dashboard_requestor(token: str) -> Requestor:
    """The staff user a Dashboard token names, with our permissions; anonymous if invalid."""
    api_url = configured_api_url()
    if not api_url:
        return ANONYMOUS
    try:
        claims = _verified_claims(token, api_url)
    except (InvalidSignature, jwt.PyJWTError, ValueError, TypeError) as error:
        logger.info("Dashboard token refused: %s", type(error).__name__)
        return ANONYMOUS
    if not _made_for_this_app(claims, api_url):
        return ANONYMOUS
    if claims.get("is_staff") is not True:
        logger.info("Dashboard token refused: not a staff user's")
        return ANONYMOUS
    granted = _granted(claims.get("permissions"), claims.get("user_permissions"))
    user_id = database_id(str(claims.get("user_id", "")))
    return Requestor(RequestorKind.STAFF, user_id, str(claims.get("email", "")), granted)


def _verified_claims(token: str, api_url: str) -> dict:
    header = jwt.get_unverified_header(token)
    if header.get("alg") not in ALGORITHMS:
        raise InvalidSignature("algorithm")
    key = KeySet(api_url).key(str(header.get("kid", "")))
    # No audience is expected: PyJWT then refuses a token that names one.
    claims = jwt.decode(
        token, key=key, algorithms=ALGORITHMS, options={"require": ["exp", "iss", "iat"]}
    )
    if normalize_api_url(str(claims["iss"])) != api_url:
        raise jwt.InvalidIssuerError("issuer")
    if claims.get("type") != THIRDPARTY or claims.get("owner") != SALEOR_OWNER:
        raise jwt.InvalidTokenError("type")
    return claims


def _made_for_this_app(claims: dict, api_url: str) -> bool:
    expected = installed_app_id(api_url)
    if not expected or claims.get("app") != expected:
        logger.info("Dashboard token refused: made for another App")
        return False
    return True


def _granted(permissions, user_permissions) -> frozenset[str]:
    """Ours for each Saleor permission both the App and the user hold (``permissions`` is
    Saleor's intersection of the two, which its own ``jwt_decode`` grants)."""
    if not isinstance(permissions, list) or not isinstance(user_permissions, list):
        return frozenset()
    both = set(permissions) & set(user_permissions)
    return frozenset(ours for ours, theirs in MAPPING.items() if theirs in both)


def installed_app_id(api_url: str) -> str:
    """Our App's id in Saleor (``QXBwOjE=``), asked once with the App token and kept.

    Asked lazily rather than at registration: Saleor calls the token target before the
    App's installation is complete. "" before the App is installed or while Saleor is down.
    """
    installation = SaleorInstallation.objects.filter(api_url=api_url).first()
    if installation is None:
        return ""
    if installation.app_id:
        return installation.app_id
    try:
        app = saleor_api().query(APP_ID_QUERY).get("app") or {}
    except ShopUnavailable:
        return ""
    app_id = str(app.get("id") or "")
    if app_id:
        with transaction.atomic():
            # Only the token the id was asked with: a reinstall meanwhile resets it.
            SaleorInstallation.objects.filter(
                pk=installation.pk, encrypted_token=installation.encrypted_token
            ).update(app_id=app_id)
    return app_id
