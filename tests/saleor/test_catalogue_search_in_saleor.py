"""The composer's catalogue lookup answers from Saleor's own products, categories, collections."""

import pytest

from tests.saleor.test_api_in_saleor import call, login

pytestmark = pytest.mark.django_db
SEARCH = """
query search($kind: CatalogueLookupKindEnum!, $search: String!) {
  catalogueSearch(kind: $kind, search: $search) { value label }
}
"""


@pytest.fixture
def admin_token(marketing_plugin, api_client, staff_user, permission_manage_users):
    staff_user.user_permissions.add(permission_manage_users)
    return login(api_client, staff_user)


def test_products_are_found_by_name_and_picked_by_their_variants_sku(admin_token, client, product):
    # given Saleor's test product "Test product", one unnamed variant with SKU "123"
    # when an admin searches the catalogue for part of its name
    found = call(client, SEARCH, {"kind": "PRODUCT", "search": "test prod"}, admin_token)

    # then the variant is offered by its SKU, named as an admin knows it
    assert found["data"]["catalogueSearch"] == [{"value": "123", "label": "Test product (123)"}]


def test_categories_and_collections_are_picked_by_their_slugs(
    admin_token, client, category, collection
):
    # given Saleor's test category and collection
    # when an admin searches each by part of its name
    categories = call(
        client, SEARCH, {"kind": "CATEGORY", "search": category.name[:4]}, admin_token
    )
    collections = call(
        client, SEARCH, {"kind": "COLLECTION", "search": collection.name[:4]}, admin_token
    )

    # then each is offered by its slug
    assert {"value": category.slug, "label": category.name} in categories["data"][
        "catalogueSearch"
    ]
    assert {"value": collection.slug, "label": collection.name} in collections["data"][
        "catalogueSearch"
    ]


def test_the_lookup_is_refused_to_anonymous_requests(marketing_plugin, client, product):
    # given no token
    # when the catalogue is searched
    answer = call(client, SEARCH, {"kind": "PRODUCT", "search": "test"})

    # then nothing of the catalogue is shown
    assert answer["data"]["catalogueSearch"] is None
    assert answer["errors"]
