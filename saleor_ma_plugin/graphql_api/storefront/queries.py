"""Storefront queries: the preference centre and the web push key."""

import graphene

from ...messaging.channels.push import vapid_keys
from ..core.errors import MutationError
from .types import Preferences, preferences_of
from .visitors import read_token


class StorefrontQueries(graphene.ObjectType):
    preferences = graphene.Field(
        Preferences,
        token=graphene.String(
            required=True, description="The contact token of a preferences or unsubscribe link."
        ),
        description="The preference centre of the link's contact; null for an invalid link.",
    )
    web_push_public_key = graphene.String(
        required=True,
        description="The shop's VAPID public key (base64url): pushManager.subscribe()'s "
        "applicationServerKey.",
    )

    @staticmethod
    def resolve_preferences(root, info, token):
        try:
            contact, _ = read_token(token, "token", lock=False)
        except MutationError:
            return None
        return preferences_of(contact)

    @staticmethod
    def resolve_web_push_public_key(root, info):
        return vapid_keys().public_key
