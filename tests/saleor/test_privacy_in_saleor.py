"""Deleting a customer in Saleor erases the person everywhere the plugin keeps them."""

import pytest
from django.core.management import call_command
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content

from saleor_ma_plugin.contacts import LifecycleStage
from saleor_ma_plugin.contacts.models import Contact
from tests.privacy_person import engine_rows, identifiers, leftovers, storefront_events

pytestmark = pytest.mark.django_db

CUSTOMER_DELETE = """
mutation customerDelete($id: ID!) { customerDelete(id: $id) { errors { field code } } }
"""
#: Where the fixture put the person's identifiers before the deletion.
MODELS_NAMING_THE_PERSON = {
    "Contact",
    "ConsentEvent",
    "Event",
    "Message",
    "DeliveryAttempt",
    "WebhookDelivery",
    "Enrollment",
    "PushSubscription",
    "Suppression",
}


def test_deleting_a_customer_in_saleor_leaves_no_identifier_in_any_model(
    marketing_plugin,
    customer_user,
    staff_api_client,
    permission_manage_users,
    django_capture_on_commit_callbacks,
):
    # given
    call_command("marketing_backfill", only="customers")
    contact = Contact.objects.get()
    Contact.objects.filter(pk=contact.pk).update(first_name="Zelda", last_name="Quistorpel")
    contact.refresh_from_db()
    storefront_events(contact)
    engine_rows(contact)
    values = identifiers(contact)
    assert {found.split(".")[0] for found in leftovers(values)} == MODELS_NAMING_THE_PERSON
    staff_api_client.user.user_permissions.add(permission_manage_users)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        content = get_graphql_content(
            staff_api_client.post_graphql(
                CUSTOMER_DELETE, {"id": to_global_id_or_none(customer_user)}
            )
        )

    # then
    assert content["data"]["customerDelete"]["errors"] == []
    assert Contact.objects.get().lifecycle_stage == LifecycleStage.ERASED
    assert leftovers(values) == []
