"""Signed tokens read the same whichever way they are made: the prepared HMAC states give
``hmac``'s bytes for any key, and the contact and open tokens written without the JSON
encoder are the ones the encoder would have signed (links already mailed keep working)."""

import base64
import hashlib
import hmac
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.core.signing import signing_key
from saleor_ma_plugin.messaging.links import (
    CONTACT_SALT,
    OPEN_SALT,
    _Mac,
    _unpadded_b64,
    contact_token,
    open_pixel,
    open_token,
    read_contact_token,
    read_open_token,
)

pytestmark = pytest.mark.django_db


def signed_plainly(data, salt: str) -> str:
    """What a token is, written plainly: base64 of the compact JSON, a truncated HMAC."""
    key = hashlib.sha256(salt.encode() + b"\x00" + signing_key()).digest()
    body = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
    body = body.rstrip(b"=")
    mac = base64.urlsafe_b64encode(hmac.digest(key, body, "sha256")[:16]).rstrip(b"=")
    return f"{body.decode()}.{mac.decode()}"


@given(key=st.binary(max_size=200), body=st.binary(max_size=300))
def test_the_prepared_mac_is_hmac_sha256_for_any_key_and_body(key, body):
    # given a key of any length (longer than a block too) and any body
    mac = _Mac(key)

    # when the body is signed twice with the prepared states
    first, second = mac.digest(body), mac.digest(body)

    # then both are HMAC-SHA256, and signing left the prepared states as they were
    assert first == second == hmac.digest(key, body, "sha256")


@pytest.mark.parametrize(
    ("contact_id", "message_id", "topic"),
    [
        (1, None, ""),
        (123456, 7654321, ""),
        (42, 9, "kaffee-news"),
        (42, None, 'Grüße "quoted" \\ back\nslash'),
        (7, True, ""),  # not an id: the encoder's own path
        ("8", 9, "news"),
    ],
)
def test_contact_tokens_are_the_ones_the_json_encoder_made(contact_id, message_id, topic):
    # given a contact, maybe a message, and a topic
    # when a contact token is made
    token = contact_token(contact_id, message_id, topic)

    # then it is the token the plain JSON-and-HMAC recipe signs, and it reads back
    assert token == signed_plainly([contact_id, message_id, topic], CONTACT_SALT)
    parsed = read_contact_token(token)
    assert (parsed.message_id, parsed.topic) == (message_id, topic)


@pytest.mark.parametrize("message_id", [0, 5, 98765432109])
def test_open_tokens_and_pixels_are_the_ones_mailed_before(message_id):
    # given a message id
    # when its open token and pixel are made
    token = open_token(message_id)
    pixel = open_pixel(message_id, "https://api.example.com/p?a=1&b=2/")

    # then the token is the plainly signed id, and only the base is escaped in the pixel
    assert token == signed_plainly(message_id, OPEN_SALT)
    assert read_open_token(token) == message_id
    assert pixel.startswith(f'<img src="https://api.example.com/p?a=1&amp;b=2/t/o/{token}/" ')


def test_contact_tokens_of_a_fixed_secret_stay_as_they_were(settings):
    # given the signing secret links were sent with
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "signing_secret": "a fixed secret"}
    forget_settings()
    try:
        # when an unsubscribe token and an open token are made now
        unsubscribe, opened = contact_token(4711, 815, "news"), open_token(815)
    finally:
        forget_settings()

    # then they are exactly the ones mailed before
    assert unsubscribe == GOLDEN_CONTACT
    assert opened == GOLDEN_OPEN


#: Made by the JSON encoder and ``hmac.digest`` before the prepared states existed.
GOLDEN_CONTACT = "WzQ3MTEsODE1LCJuZXdzIl0.pxakRDfhulK1FfrGRIl0jw"
GOLDEN_OPEN = "ODE1.wP0F7Mf4GRwbJ60l5SsaHg"


@given(data=st.binary(max_size=100))
def test_token_parts_are_url_safe_base64_without_padding(data):
    # given any bytes
    # when they are encoded as a token's part
    encoded = _unpadded_b64(data)

    # then it is the standard library's URL-safe base64, its padding dropped
    assert encoded == base64.urlsafe_b64encode(data).rstrip(b"=")
