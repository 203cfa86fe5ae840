"""``AnyOf``: a list of values as one array parameter, matching exactly what ``__in`` matches."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.lookups import AnyOf

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts() -> list[Contact]:
    return [Contact.objects.create(email=f"reader{n}@example.com") for n in range(5)]


def test_any_of_matches_what_in_matches(contacts):
    # given some ids (one unknown, one None) and some addresses
    ids = [contacts[0].pk, contacts[3].pk, 10**9, None]
    emails = {"reader1@example.com", "reader4@example.com", "nobody@example.com"}

    # when both are filtered with AnyOf
    by_id = Contact.objects.filter(AnyOf(F("pk"), ids))
    by_email = Contact.objects.filter(AnyOf(F("email"), emails))

    # then the rows are exactly those __in gives, None matching nothing
    assert sorted(by_id.values_list("pk", flat=True)) == [contacts[0].pk, contacts[3].pk]
    assert sorted(by_id.values_list("pk", flat=True)) == sorted(
        Contact.objects.filter(pk__in=ids).values_list("pk", flat=True)
    )
    assert sorted(by_email.values_list("email", flat=True)) == [
        "reader1@example.com",
        "reader4@example.com",
    ]


def test_any_of_no_values_matches_nothing_and_changes_nothing(contacts):
    # given no ids
    # when an update is filtered by them
    updated = Contact.objects.filter(AnyOf(F("pk"), [])).update(first_name="changed")

    # then no row matched and none changed
    assert updated == 0
    assert not Contact.objects.filter(first_name="changed").exists()


def test_any_of_sends_the_values_as_one_parameter(contacts):
    # given many ids
    ids = [contact.pk for contact in contacts] * 100

    # when they are filtered on
    with CaptureQueriesContext(connection) as queries:
        assert Contact.objects.filter(AnyOf(F("pk"), ids)).count() == 5

    # then PostgreSQL gets one array, not a placeholder per value
    sql = queries.captured_queries[0]["sql"]
    assert "= ANY(" in sql
    assert "IN (" not in sql
