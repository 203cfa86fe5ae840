"""A batch's template store finds each key and language once, and keeps telling what is
missing."""

import pytest

from saleor_ma_plugin.messaging.models import Template
from saleor_ma_plugin.messaging.templates_store import (
    MissingTemplate,
    TemplateStore,
    shipped_source,
)

pytestmark = pytest.mark.django_db


def test_a_store_answers_each_key_and_language_as_it_found_it_first():
    # given the admin's German account confirmation, and a store made after it was saved
    Template.objects.create(key="account_confirmation", language="de", source="mine", version=3)
    store = TemplateStore()

    # when the store is asked for it twice, in two spellings of German, and for Polish
    first, again, regional = (
        store.get("account_confirmation", "de"),
        store.get("account_confirmation", "de"),
        store.get("account_confirmation", "de-AT"),
    )
    polish = store.get("account_confirmation", "pl")

    # then the admin's version comes back each time, and Polish gets the shipped one
    assert (first.source, first.version, first.language) == ("mine", 3, "de")
    assert again is first
    assert (regional.source, regional.version) == ("mine", 3)
    assert (polish.source, polish.version) == (shipped_source("account_confirmation", "pl"), 0)


def test_a_missing_template_is_missing_every_time_it_is_asked_for():
    # given a store without the key in any language
    store = TemplateStore()

    # when it is asked twice, then it says so twice, and remembers nothing for it
    for _ in range(2):
        with pytest.raises(MissingTemplate):
            store.get("nonexistent", "de")
