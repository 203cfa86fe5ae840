import re
import uuid

import graphene
from django.utils import timezone

from ....contacts.proof import client_ip
from ....events import EventSource, EventType
from ....events.intake import NewEvent, record_events
from ...core.mutations import BaseMutation
from ...core.types import JSON
from ..anonymous import merge_anonymous_events, remember
from ..profile import ProfileDetailsInput, apply_profile
from ..rate_limit import TRACK_PER_IP, enforce
from ..types import CUSTOM_EVENT, TrackEventTypeEnum
from ..validation import invalid, json_size, required, shop_id
from ..visitors import contact_of, identify

MAX_PROPERTIES_BYTES = 2048
MAX_QUERY = 500
CUSTOM_TYPE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class TrackEventInput(graphene.InputObjectType):
    type = TrackEventTypeEnum(required=True)
    custom_type = graphene.String(
        description='For CUSTOM: lower-case letters, digits, "-" and "_" (stored as '
        '"custom.<customType>").'
    )
    event_id = graphene.String(
        description="The client's id of this event (letters, digits, - and _; at most 64): "
        "sending it again stores nothing new."
    )
    product_id = graphene.ID(description="Required for PRODUCT_VIEWED.")
    category_id = graphene.ID(description="Required for CATEGORY_VIEWED.")
    query = graphene.String(description="Required for SEARCH_PERFORMED.")
    properties = JSON(description="Anything else, as a JSON object of at most 2 KB.")
    anonymous_id = graphene.String(
        description="The storefront's id of a visitor who is not logged in (letters, digits, "
        "- and _; at most 64). Sent with an identified event, the visitor's earlier anonymous "
        "events are attached to them."
    )
    email_token = graphene.String(
        description="The contact token from a link in one of our emails: identifies the visitor."
    )
    profile = ProfileDetailsInput(
        description="Details of the identified visitor (customer or email token) about themselves."
    )


class TrackEvent(BaseMutation):
    """Record storefront activity (product and category views, searches, custom events).

    The visitor is the logged-in customer, else the email token's contact, else anonymous
    (``anonymousId`` required). The answer never says whom the event was attributed to.
    """

    permissions = ()

    class Arguments:
        input = TrackEventInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        enforce((TRACK_PER_IP, client_ip(info.context.request)))
        event_type, payload = cls.clean_event(input)
        anonymous_id = cls.clean_client_id(input.get("anonymous_id"), "anonymousId")
        event_id = cls.clean_client_id(input.get("event_id"), "eventId") or uuid.uuid4().hex
        visitor = identify(info, input.get("email_token"))
        if input.get("profile"):
            if not visitor.identified:
                raise invalid(
                    "Profile details need a logged-in customer or an emailToken.", "profile"
                )
            apply_profile(contact_of(visitor), input["profile"], overwrite=True, path="profile")
        if visitor.identified:
            identity = visitor.identity
            payload.update(visitor.identity_payload())
        elif anonymous_id:
            identity = f"a{anonymous_id}"
            payload["anonymous_id"] = anonymous_id
        else:
            raise required("anonymousId", "Give an anonymousId for visitors not logged in.")
        record_events(
            [
                NewEvent(
                    event_type,
                    timezone.now(),
                    f"{event_type}:{identity}:{event_id}",
                    payload,
                    EventSource.STOREFRONT,
                )
            ]
        )
        if not visitor.identified:
            remember(anonymous_id)
        elif anonymous_id:
            merge_anonymous_events(anonymous_id, visitor, contact_of(visitor))
        return cls.success()

    @staticmethod
    def clean_event(input) -> tuple[str, dict]:
        event_type = input.type
        custom_type = (input.get("custom_type") or "").strip()
        if event_type == CUSTOM_EVENT:
            if not custom_type:
                raise required("customType")
            if not CUSTOM_TYPE.match(custom_type):
                raise invalid(
                    'Use lower-case letters, digits, "-" and "_" (at most 50).', "customType"
                )
            event_type = f"{CUSTOM_EVENT}.{custom_type}"
        elif custom_type:
            raise invalid("customType is only for CUSTOM events.", "customType")
        payload = {}
        if input.get("product_id") or event_type == EventType.PRODUCT_VIEWED:
            payload["product_id"] = shop_id(input.get("product_id"), "Product", "productId")
        if input.get("category_id") or event_type == EventType.CATEGORY_VIEWED:
            payload["category_id"] = shop_id(input.get("category_id"), "Category", "categoryId")
        query = (input.get("query") or "").strip()
        if event_type == EventType.SEARCH_PERFORMED and not query:
            raise required("query")
        if len(query) > MAX_QUERY:
            raise invalid(f"At most {MAX_QUERY} characters.", "query")
        if query:
            payload["query"] = query
        properties = input.get("properties")
        if properties is not None:
            if not isinstance(properties, dict):
                raise invalid("Give a JSON object.", "properties")
            if json_size(properties) > MAX_PROPERTIES_BYTES:
                raise invalid(f"At most {MAX_PROPERTIES_BYTES} bytes of JSON.", "properties")
            payload["properties"] = properties
        return event_type, payload

    @staticmethod
    def clean_client_id(value: str | None, field: str) -> str:
        text = (value or "").strip()
        if text and not CLIENT_ID.match(text):
            raise invalid("Use letters, digits, - and _ (at most 64).", field)
        return text
