"""Quickly built and loaded instances are the instances Django builds, and behave like them."""

import datetime

import pytest
from django.db import models
from django.db.models import signals

from saleor_ma_plugin.campaigns.models import Campaign, Enrollment
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.messaging.models import Message

pytestmark = pytest.mark.django_db

DUE = datetime.datetime(2026, 5, 1, 8, 30, tzinfo=datetime.UTC)


def _fields(instance) -> dict:
    """An instance's field values and state, as Django's own paths leave them."""
    values = {name: value for name, value in vars(instance).items() if name != "_state"}
    state = instance._state
    return {**values, "_state": (state.adding, state.db, dict(state.fields_cache))}


def _message_values(contact: Contact, **overrides) -> dict:
    return {
        "idempotency_key": "quick:1",
        "contact_id": contact.pk,
        "channel": "email",
        "template": "welcome",
        "scheduled_at": DUE,
        "context": {"variant": "b"},
        **overrides,
    }


@pytest.fixture
def contact() -> Contact:
    return Contact.objects.create(email="anna@example.com", attributes={"vip": True})


def test_a_built_message_is_the_message_django_builds(contact):
    # given the values a send step gives a message
    values = _message_values(contact, topic="deals", transactional=True, variant="b")

    # when it is built quickly and by Django
    quick, django = Message.build(**values), Message(**values)

    # then both have the same fields (defaults included), in the same order, and are unsaved
    assert _fields(quick) == _fields(django)
    assert list(vars(quick)) == list(vars(django))
    assert quick._state.adding is True
    assert quick.pk is None


def test_built_messages_get_a_fresh_default_each(contact):
    # given two messages built without a context
    values = _message_values(contact)
    del values["context"]
    first, second = Message.build(**values), Message.build(**values)

    # when one's context changes
    first.context["trigger_event_id"] = 7

    # then the other's does not
    assert second.context == {}


def test_a_related_object_keyword_is_built_by_django(contact):
    # given a contact object instead of its id
    values = {**_message_values(contact), "contact": contact}
    del values["contact_id"]

    # when
    message = Message.build(**values)

    # then it is cached as Django caches it, and no query is needed to read it
    assert _fields(message) == _fields(Message(**values))
    assert message.contact is contact


def test_an_unknown_keyword_is_refused_as_django_refuses_it(contact):
    # given / when / then
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'colour'"):
        Message.build(**_message_values(contact), colour="red")


def test_a_built_message_saves_as_a_new_row(contact):
    # given
    message = Message.build(**_message_values(contact))

    # when
    message.save()

    # then
    stored = Message.objects.get()
    assert (stored.pk, stored.idempotency_key, stored.context) == (
        message.pk,
        "quick:1",
        {"variant": "b"},
    )


def test_loaded_rows_are_the_instances_django_loads(contact, django_assert_num_queries):
    # given a stored message
    Message.objects.create(**_message_values(contact))

    # when it is loaded with its contact, quickly and by Django's own from_db
    quick = Message.objects.select_related("contact").get()
    columns = [field.attname for field in Message._meta.concrete_fields]
    row = Message.objects.values_list(*columns).get()
    django = models.Model.from_db.__func__(Message, "default", columns, row)

    # then both are the same, the contact is cached, and the row saves as an update
    assert _fields(django) == {**_fields(quick), "_state": (False, "default", {})}
    assert _fields(quick.contact) == _fields(Contact.objects.get())
    with django_assert_num_queries(0):
        assert quick.contact.attributes == {"vip": True}
    quick.template = "welcome-2"
    quick.save(update_fields=["template"])
    assert Message.objects.values_list("template", flat=True).get() == "welcome-2"
    assert Message.objects.count() == 1


def test_deferred_fields_load_when_read(contact, django_assert_num_queries):
    # given a stored enrolment loaded without its context
    campaign = Campaign.objects.create(name="Welcome", kind="nurturing")
    Enrollment.objects.create(
        campaign=campaign, contact=contact, started_at=DUE, context={"waiting_at": "wait"}
    )

    # when
    enrollment = Enrollment.objects.defer("context").get()

    # then the context is read from the database when asked for, once
    with django_assert_num_queries(1):
        assert enrollment.context == {"waiting_at": "wait"}
        assert enrollment.context == {"waiting_at": "wait"}


def test_init_listeners_still_hear_of_every_instance(contact):
    # given a listener on post_init of messages (as a host's code might connect)
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance)

    Message.objects.create(**_message_values(contact))
    signals.post_init.connect(listener, sender=Message)
    try:
        # when a message is loaded and another built
        loaded = Message.objects.get()
        built = Message.build(**_message_values(contact, idempotency_key="quick:2"))
    finally:
        signals.post_init.disconnect(listener, sender=Message)

    # then both went through Model.__init__, which told the listener
    assert heard == [loaded, built]
    assert heard[1] is built


def test_the_hot_models_are_built_and_loaded_without_init(contact, monkeypatch):
    # given Model.__init__ watched
    Message.objects.create(**_message_values(contact))
    Campaign.objects.create(name="Welcome", kind="nurturing")
    calls = []
    original = models.Model.__init__

    def counting(self, *args, **kwargs):
        calls.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(models.Model, "__init__", counting)

    # when messages with their contacts are loaded and built, and a campaign is loaded
    Message.objects.select_related("contact").get()
    Message.build(**_message_values(contact, idempotency_key="quick:2"))
    Campaign.objects.get()

    # then only the campaign (a model without quick instances) went through __init__
    assert calls == ["Campaign"]
