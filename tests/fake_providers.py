"""Fake Twilio and web push services, and a browser that reads what it is pushed."""

import base64
import json
import os
from dataclasses import dataclass
from urllib.parse import parse_qs

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.fake_http import CannedResponse, FakeHttpServer, RecordedRequest

ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
MESSAGES_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
#: Twilio's magic test number for "invalid To number" (error 21211).
INVALID_NUMBER = "+15005550001"
INVALID_NUMBER_ERROR = {
    "code": 21211,
    "message": "The 'To' number +15005550001 is not a valid phone number.",
    "more_info": "https://www.twilio.com/docs/errors/21211",
    "status": 400,
}


class FakeTwilio:
    """Answers like Twilio's Messages endpoint; ``answers`` overrides the reply per number."""

    def __init__(self) -> None:
        self.answers: dict[str, CannedResponse] = {
            INVALID_NUMBER: CannedResponse(400, json.dumps(INVALID_NUMBER_ERROR).encode())
        }
        self.accepted: list[str] = []
        self.server = FakeHttpServer(self.respond)

    def respond(self, request: RecordedRequest) -> CannedResponse:
        recipient = parse_qs(request.body.decode())["To"][0]
        if recipient in self.answers:
            return self.answers[recipient]
        self.accepted.append(recipient)
        sid = f"SM{len(self.accepted):032x}"
        return CannedResponse(201, json.dumps({"sid": sid, "status": "queued"}).encode())

    def forms(self) -> list[dict[str, list[str]]]:
        return [parse_qs(request.body.decode()) for request in self.server.requests]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Subscriber:
    """The browser's side of a subscription: its key pair and auth secret, so it can read."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @classmethod
    def new(cls) -> "Subscriber":
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def keys(self) -> dict[str, str]:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}

    def read(self, body: bytes) -> dict:
        """Decrypt a push body as the browser does (RFC 8291, aes128gcm)."""
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


class FakePushService:
    """Answers 201 with a Location, 410 under /push/gone-..., or ``statuses[path]``."""

    def __init__(self) -> None:
        self.statuses: dict[str, int] = {}
        self.accepted: list[str] = []
        self.server = FakeHttpServer(self.respond)

    def endpoint(self, name: str) -> str:
        return f"{self.server.base_url}/push/{name}"

    def respond(self, request: RecordedRequest) -> CannedResponse:
        status = self.statuses.get(request.path, 410 if "/gone-" in request.path else 201)
        if status != 201:
            return CannedResponse(status, b"upstream down" if status >= 500 else b"")
        self.accepted.append(self.server.base_url + request.path)
        location = f"https://push.example/m/{len(self.accepted)}"
        return CannedResponse(201, headers={"Location": location})


def verified_vapid(request: RecordedRequest) -> tuple[str, dict]:
    """The VAPID public key and JWT claims of a request, after checking the ES256 signature."""
    scheme, params = request.headers["authorization"].split(" ", 1)
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    header, claims, signature = fields["t"].split(".")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), b64url_decode(fields["k"])
    )
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public_key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    assert json.loads(b64url_decode(header)) == {"typ": "JWT", "alg": "ES256"}
    return fields["k"], json.loads(b64url_decode(claims))
