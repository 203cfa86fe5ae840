"""Voucher codes in App mode: the in-process recipe (``saleor/vouchers.py``) through the API.

One single-use voucher per campaign step and discount, found by its name or made with
``voucherCreate`` and listed in the step's channel (``voucherChannelListingUpdate``);
codes are added to it with ``voucherUpdate(addCodes)``, up to 100 per request, so the
pool's 200 codes cost two requests. Saleor's API creates codes active and has no way to
switch one on later, so pooled codes are live from the start: they are random (60 bits),
known only to our database until handed out, and each can be used once.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from ..core.host import ShopUnavailable
from ..vouchers import DiscountType
from ..vouchers.codes import IssuedCode, VoucherRequest, generate_code
from ..vouchers.pool import shelve
from .api import SaleorApi, chunks, database_id, saleor_api

CHANNELS = "query Channels { channels { id slug isActive currencyCode } }"
FIND = """
query FindVoucher($name: String, $first: Int, $after: String) {
  vouchers(filter: { search: $name }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name channelListings { channel { id } } } }
  }
}
"""
CREATE = """
mutation CreateVoucher($input: VoucherInput!) {
  voucherCreate(input: $input) { voucher { id } errors { field code message } }
}
"""
LIST_IN_CHANNEL = """
mutation ListVoucher($id: ID!, $input: VoucherChannelListingInput!) {
  voucherChannelListingUpdate(id: $id, input: $input) { errors { field code message } }
}
"""
ADD_CODES = """
mutation AddCodes($id: ID!, $codes: [String!]) {
  voucherUpdate(id: $id, input: { addCodes: $codes }) {
    errors { field code message voucherCodes }
  }
}
"""
#: Codes per ``voucherUpdate``: Saleor checks each one, so a request stays short.
CODES_PER_REQUEST = 100
DEFAULT_CHANNEL = "default-channel"
#: Codes made beside one issued on the spot, for the pool (up to one request's worth).
SPARES = CODES_PER_REQUEST - 1


def _channel(api: SaleorApi, request: VoucherRequest) -> dict:
    """The step's channel, or the default one, or the first active one (as in-process)."""
    slug = request.channel or getattr(settings, "SALEOR_MA_APP_DEFAULT_CHANNEL", DEFAULT_CHANNEL)
    channels = api.query(CHANNELS)["channels"] or []
    chosen = next((row for row in channels if row["slug"] == slug), None) or next(
        (row for row in sorted(channels, key=_pk) if row["isActive"]), None
    )
    if chosen is None:
        raise ValueError(f"No Saleor channel {slug!r} to issue a voucher in.")
    return chosen


def _pk(row: dict) -> int:
    return int(database_id(row["id"]) or 0)


def _checked(result: dict, mutation: str) -> dict:
    if result[mutation]["errors"]:
        codes = ", ".join(str(error["code"]) for error in result[mutation]["errors"])
        raise ShopUnavailable(f"Saleor refused {mutation} ({codes})")
    return result[mutation]


def _voucher_id(
    api: SaleorApi, request: VoucherRequest, codes: list[str]
) -> tuple[str, list[str]]:
    """The step's voucher in its channel, found by name, else created with ``codes``
    (Saleor makes a voucher only with codes); returns its id, the codes it took and the
    cache key it is remembered by."""
    channel = _channel(api, request)
    fingerprint = hashlib.sha256(
        f"{request.discount_type}:{request.discount_value}:{channel['slug']}".encode()
    ).hexdigest()[:10]
    name = f"Marketing campaign {request.campaign_id} / {request.step_key} / {fingerprint}"
    key = "saleor-ma:app:voucher:" + hashlib.sha256(name.encode()).hexdigest()
    if voucher_id := cache.get(key):
        return voucher_id, [], key
    found = [
        row for row in api.nodes(FIND, {"name": name}, "vouchers", 100) if row["name"] == name
    ]
    free_shipping = request.discount_type == DiscountType.FREE_SHIPPING
    taken: list[str] = []
    if found:
        voucher = min(found, key=_pk)
    else:
        voucher_input = {
            "name": name,
            "type": "SHIPPING" if free_shipping else "ENTIRE_ORDER",
            "discountValueType": "FIXED"
            if request.discount_type == DiscountType.FIXED
            else "PERCENTAGE",
            "singleUse": True,
            "applyOncePerCustomer": True,
            "addCodes": codes,
        }
        created = _checked(api.mutate(CREATE, {"input": voucher_input}), "voucherCreate")
        voucher, taken = {**created["voucher"], "channelListings": []}, list(codes)
    listed = {row["channel"]["id"] for row in voucher["channelListings"] or ()}
    if channel["id"] not in listed:
        value = 100 if free_shipping else str(request.discount_value)
        listing = {"addChannels": [{"channelId": channel["id"], "discountValue": value}]}
        _checked(
            api.mutate(LIST_IN_CHANNEL, {"id": voucher["id"], "input": listing}),
            "voucherChannelListingUpdate",
        )
    cache.set(key, voucher["id"], 86400)
    return voucher["id"], taken, key


class VoucherGone(ShopUnavailable):
    """The remembered voucher is not in Saleor (deleted there, or another Saleor's id)."""


def _add_codes(api: SaleorApi, voucher_id: str, codes: list[str]) -> list[str]:
    """Add codes; one that is already another voucher's is dropped and the rest sent again."""
    result = api.mutate(ADD_CODES, {"id": voucher_id, "codes": codes})["voucherUpdate"]
    taken = {code for error in result["errors"] for code in error.get("voucherCodes") or ()}
    if result["errors"] and taken and all(e["code"] == "ALREADY_EXISTS" for e in result["errors"]):
        rest = [code for code in codes if code not in taken]
        return _add_codes(api, voucher_id, rest) if rest else []
    if result["errors"] and all(e["code"] == "NOT_FOUND" for e in result["errors"]):
        raise VoucherGone("Saleor has no voucher with the remembered id")
    if result["errors"]:
        codes_named = ", ".join(str(error["code"]) for error in result["errors"])
        raise ShopUnavailable(f"Saleor refused voucherUpdate ({codes_named})")
    return codes


def create_app_codes(request: VoucherRequest, count: int) -> list[IssuedCode]:
    """``count`` new codes of the step's voucher, in requests of up to 100 codes."""
    if count < 1:
        return []
    api = saleor_api()
    batches = list(chunks([generate_code() for _ in range(count)], CODES_PER_REQUEST))
    try:
        return _create_codes(api, request, batches)
    except VoucherGone:
        # Found by name or made afresh now: the recipient need not wait for the next try.
        return _create_codes(api, request, batches)


def _create_codes(api: SaleorApi, request: VoucherRequest, batches: list) -> list[IssuedCode]:
    voucher_id, added, key = _voucher_id(api, request, batches[0])
    external_id = database_id(voucher_id)
    try:
        for batch in batches[1:] if added else batches:
            added += _add_codes(api, voucher_id, batch)
    except ShopUnavailable:
        cache.delete(key)  # the voucher may be gone (deleted in Saleor): look it up again
        raise
    return [IssuedCode(code=code, external_id=external_id) for code in added]


def issue_app_code(request: VoucherRequest) -> IssuedCode:
    """A code for a recipient whose step's pool was empty.

    Made with a batch of spares that go into the pool, so the recipients after this one
    take codes from the shelf instead of each costing a request.
    """
    codes = create_app_codes(request, SPARES + 1 if request.campaign_id else 1)
    if not codes:
        raise ShopUnavailable("Saleor took no new voucher code; try again.")
    shelve(request, codes[1:])
    return codes[0]


def codes_are_live(codes: list[str]) -> None:
    """Nothing to switch on: codes added through Saleor's API are active already."""
