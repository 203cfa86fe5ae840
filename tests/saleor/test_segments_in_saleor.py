"""Segments counted and stored in Saleor's database, customers deleted in Saleor left out."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content

from saleor_ma_plugin.contacts import ConsentChannel, ConsentStatus
from saleor_ma_plugin.contacts.models import Consent, Contact, ContactTag
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.intake import NewEvent, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.segments.membership import refresh_segment
from saleor_ma_plugin.segments.models import Segment, SegmentMembership
from saleor_ma_plugin.segments.rules import count_contacts, matching_contact_ids

pytestmark = pytest.mark.django_db

CUSTOMER_DELETE = """
mutation customerDelete($id: ID!) { customerDelete(id: $id) { errors { field code } } }
"""
RULES = {
    "all": [
        {"consent": {"channel": "email", "topic": "news"}},
        {"tag": "coffee"},
        {"not": {"tag": "wholesale"}},
    ]
}


def _subscribed_coffee_lover(contact: Contact) -> None:
    ContactTag.objects.create(contact=contact, name="coffee")
    for topic in ("", "news"):
        Consent.objects.create(
            contact=contact,
            channel=ConsentChannel.EMAIL,
            topic=topic,
            status=ConsentStatus.SUBSCRIBED,
        )


def test_a_tag_and_consent_segment_leaves_out_a_customer_deleted_in_saleor(
    marketing_plugin, customer_user, staff_api_client, permission_manage_users
):
    # given Saleor's customer and a newsletter-only contact, both tagged and subscribed
    call_command("marketing_backfill", only="customers")
    customer = Contact.objects.get()
    reader = Contact.objects.create(email="reader@example.com")
    for contact in (customer, reader):
        _subscribed_coffee_lover(contact)
    segment = Segment.objects.create(name="Coffee news", rules=RULES)
    counted_before = count_contacts(RULES)
    refresh_segment(segment)
    stored_before = set(SegmentMembership.objects.values_list("contact_id", flat=True))

    # when the customer is deleted in Saleor and the segment is counted and refreshed
    staff_api_client.user.user_permissions.add(permission_manage_users)
    content = get_graphql_content(
        staff_api_client.post_graphql(CUSTOMER_DELETE, {"id": to_global_id_or_none(customer_user)})
    )
    counted_after = count_contacts(RULES)
    left = refresh_segment(segment).left

    # then both counted and were stored before; afterwards only the reader is (the
    # erasure took the customer's membership along, so the refresh had none to remove)
    assert content["data"]["customerDelete"]["errors"] == []
    assert (counted_before, stored_before) == (2, {customer.pk, reader.pk})
    assert (counted_after, left) == (1, 0)
    assert list(SegmentMembership.objects.values_list("contact_id", flat=True)) == [reader.pk]


def test_in_saleor_s_database_the_count_starts_from_tags_and_reads_only_erased_contacts(
    marketing_plugin,
):
    # given the ids of the segment, as the count and the refresh take them
    ids = matching_contact_ids(RULES)

    # when Saleor's PostgreSQL plans them without reading whole tables
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = ids.explain()

    # then the contacts are read only through the index of erased ones (migration 0026)
    assert "Index Only Scan using ma_contact_erased_idx" in plan
    assert "ma_contact_present_idx" not in plan


CLICKED_ESPRESSO = {
    "event": {"type": "email.clicked", "where": {"url": {"contains": "/c/espresso"}}}
}
VIEWED_NINE = {
    "event": {"type": "product.viewed", "where": {"category_id": "9"}, "within_days": 30}
}


def _event(event_type: str, payload: dict, contact: Contact) -> Event:
    [event_id] = store_events(
        [
            NewEvent(
                event_type,
                timezone.now() - timedelta(days=1),
                f"{event_type}:1",
                payload,
                EventSource.STOREFRONT,
            )
        ]
    )
    Event.objects.filter(pk=event_id).update(contact=contact)
    return Event.objects.get(pk=event_id)


def test_a_customer_deleted_in_saleor_leaves_no_clicked_url_in_the_copied_column(
    marketing_plugin, customer_user, staff_api_client, permission_manage_users
):
    # given Saleor's customer clicked a link and viewed category 9, each copied into its
    # column by Saleor's PostgreSQL (the trigger of migration 0027)
    call_command("marketing_backfill", only="customers")
    customer = Contact.objects.get()
    click = _event("email.clicked", {"url": "https://shop.example.com/c/espresso"}, customer)
    view = _event("product.viewed", {"category_id": "9"}, customer)
    copied = (click.payload_url_upper, view.payload_category)
    counted_before = (count_contacts(CLICKED_ESPRESSO), count_contacts(VIEWED_NINE))

    # when the customer is deleted in Saleor
    staff_api_client.user.user_permissions.add(permission_manage_users)
    content = get_graphql_content(
        staff_api_client.post_graphql(CUSTOMER_DELETE, {"id": to_global_id_or_none(customer_user)})
    )
    click.refresh_from_db()

    # then the URL left the payload and its column; the category, naming nobody, stays
    assert content["data"]["customerDelete"]["errors"] == []
    assert copied == ("HTTPS://SHOP.EXAMPLE.COM/C/ESPRESSO", "9")
    assert counted_before == (1, 1)
    assert ("url" in click.payload, click.payload_url_upper) == (False, None)
    assert count_contacts(CLICKED_ESPRESSO) == 0


def test_in_saleor_s_database_event_rules_read_covering_indexes_alone(marketing_plugin):
    # given the ids of a category rule and of a clicked-URL rule
    plans = {}
    for name, rules in (("views", VIEWED_NINE), ("clicks", CLICKED_ESPRESSO)):
        ids = matching_contact_ids(rules)

        # when Saleor's PostgreSQL plans them without reading whole tables
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
            plans[name] = ids.explain()

    # then each reads the covering index of migration 0027, not the events themselves
    assert "Index Only Scan using ma_event_category_key_idx" in plans["views"]
    assert "Index Only Scan using ma_event_url_time_idx" in plans["clicks"]
