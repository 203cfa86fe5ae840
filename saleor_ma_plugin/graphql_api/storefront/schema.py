"""Storefront queries and mutations, assembled."""

import graphene

from .mutations.consent_update import ConsentUpdate
from .mutations.newsletter_confirm import NewsletterConfirm
from .mutations.newsletter_subscribe import NewsletterSubscribe
from .mutations.notify_me_when_in_stock import NotifyMeWhenInStock
from .mutations.preferences_update import PreferencesUpdate
from .mutations.track_event import TrackEvent
from .mutations.unsubscribe import Unsubscribe
from .mutations.web_push_subscribe import WebPushSubscribe
from .queries import StorefrontQueries as Queries


class Mutations(graphene.ObjectType):
    newsletter_subscribe = NewsletterSubscribe.Field()
    newsletter_confirm = NewsletterConfirm.Field()
    unsubscribe = Unsubscribe.Field()
    preferences_update = PreferencesUpdate.Field()
    consent_update = ConsentUpdate.Field()
    track_event = TrackEvent.Field()
    web_push_subscribe = WebPushSubscribe.Field()
    notify_me_when_in_stock = NotifyMeWhenInStock.Field()


__all__ = ["Mutations", "Queries"]
