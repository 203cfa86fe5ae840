"""A batch renders a text once and fills in each reader: byte for byte what the engine gives."""

import copy
from decimal import Decimal

import pytest
from django.utils import translation

from saleor_ma_plugin.messaging.links import read_click_token, track_html
from saleor_ma_plugin.messaging.render_cache import (
    PERSONAL_PATHS,
    BatchRenderer,
    ReaderCopy,
    Use,
    personal_uses,
)
from saleor_ma_plugin.messaging.rendering import RenderedEmail, render_email
from saleor_ma_plugin.messaging.samples import sample_context
from saleor_ma_plugin.messaging.templates_store import shipped_keys, shipped_source

# Rendering reads the admin's settings, which the standalone host keeps in its database.
pytestmark = pytest.mark.django_db

READERS = [
    {"first_name": "Anna", "last_name": "Berg", "email": "anna@example.com"},
    {"first_name": "O'Brien & <Co>", "last_name": '"Q"', "email": "ob+x@example.com"},
    {"first_name": "", "last_name": "", "email": "nameless@example.com"},
    {"first_name": "Jürgen\n  Groß", "last_name": "", "email": "j@example.de"},
]


def _for_reader(context: dict, reader: dict, number: int) -> dict:
    data = copy.deepcopy(context)
    data["contact"] = {**data.get("contact", {}), **reader}
    data["links"] = {
        **data.get("links", {}),
        "unsubscribe_url": f"https://api.example.com/u/token-{number}&x=<1>/",
        "preferences_url": "" if number == 2 else f"https://api.example.com/p/token-{number}/",
    }
    return data


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("key", shipped_keys())
def test_every_shipped_template_renders_the_same_through_the_batch_cache(key, language):
    # given one shipped template, its sample content and four quite different readers
    source = shipped_source(key, language)
    context = sample_context(language, key)
    renderer = BatchRenderer()

    for number, reader in enumerate(READERS):
        data = _for_reader(context, reader, number)
        untracked = set(data["links"].values())
        with translation.override(language):
            # when the batch renders it (the first reader fills the cache, the rest reuse it)
            cached = renderer.render(source, data)
            tracked = renderer.render_tracked(source, data, 1000 + number, untracked)
            # then it is exactly what the engine renders for this reader alone
            alone = render_email(source, data)
            assert cached == alone
            # and with links tracked, exactly what tracking that rendering gives
            assert tracked == RenderedEmail(
                alone.subject, alone.text, track_html(alone.html, 1000 + number, untracked)
            )

    # and the readers with a name shared one rendering, the nameless one needed its own
    assert 2 <= len(renderer.rendered) <= 3
    # and every rendering shared its link plan (no reader-specific fallback was needed)
    assert renderer.formats
    assert all(tracking is not None for tracking in renderer.formats.values())


def test_a_name_used_through_a_filter_is_rendered_for_real_and_keyed():
    # given a template that shouts the name and compares the address
    source = (
        "{% block subject %}Hi {{ contact.first_name|upper }}{% endblock %}"
        "{% block html_body %}<p>{% if contact.email == 'vip@example.com' %}VIP{% endif %}"
        " {{ contact.first_name }} {{ links.unsubscribe_url }}</p>{% endblock %}"
    )
    renderer = BatchRenderer()

    # when two readers are rendered
    first = renderer.render(source, {"contact": {"first_name": "ann", "email": "vip@example.com"}})
    second = renderer.render(source, {"contact": {"first_name": "bo", "email": "b@example.com"}})

    # then
    assert personal_uses(source) == (
        Use.COMPUTED,
        Use.PRINTED,
        Use.COMPUTED,
        Use.PRINTED,
        Use.PRINTED,
    )
    assert (first.subject, first.html) == ("Hi ANN", "<p>VIP ann </p>")
    assert (second.subject, second.html) == ("Hi BO", "<p> bo </p>")
    assert len(renderer.rendered) == 2


def test_the_whole_contact_or_a_default_filter_makes_every_field_part_of_the_key():
    # given templates that use a personal value beyond printing or testing it
    whole_contact = "{% block subject %}{{ contact }}{% endblock %}"
    default_filter = "{% block subject %}{{ shop.name|default:contact.email }}{% endblock %}"
    loop = "{% block subject %}{% for link in links.items %}{{ link }}{% endfor %}{% endblock %}"

    # then
    assert personal_uses(whole_contact)[:3] == (Use.COMPUTED,) * 3
    assert personal_uses(default_filter)[PERSONAL_PATHS.index(("contact", "email"))] == (
        Use.COMPUTED
    )
    assert personal_uses(loop)[3:] == (Use.COMPUTED, Use.COMPUTED)


def test_a_template_with_its_own_style_sheet_is_inlined_after_the_reader_is_filled_in():
    # given
    source = (
        "{% block html_body %}<html><head><style>b { color: red; }</style></head>"
        "<body><b>{{ contact.first_name }}</b></body></html>{% endblock %}"
    )
    renderer = BatchRenderer()

    # when
    results = [
        renderer.render(source, {"contact": {"first_name": name}}) for name in ("A & B", "C")
    ]

    # then
    assert [result.html for result in results] == [
        render_email(source, {"contact": {"first_name": name}}).html for name in ("A & B", "C")
    ]
    assert '<b style="color: red;">A &amp; B</b>' in results[0].html
    assert len(renderer.rendered) == 1


@pytest.mark.django_db
def test_a_link_that_carries_a_personal_value_is_tracked_per_reader():
    # given a link with the reader's address in it, another with a product interest tag
    source = (
        '{% block html_body %}<p><a href="https://shop.example.com/hi?m={{ contact.email }}">'
        'Hi</a> <a href="https://shop.example.com/beans/" data-interest="espresso">Beans</a>'
        "</p>{% endblock %}"
    )
    renderer = BatchRenderer()

    for number, address in enumerate(["a@example.com", "b@example.com"]):
        data = {"contact": {"email": address}}
        # when
        tracked = renderer.render_tracked(source, data, number, set())
        # then every token leads to this reader's own link
        assert tracked.html == track_html(render_email(source, data).html, number, set())
        tokens = [part.split("/")[0] for part in tracked.html.split("/t/c/")[1:]]
        assert [read_click_token(token)[1:] for token in tokens] == [
            (f"https://shop.example.com/hi?m={address}", ()),
            ("https://shop.example.com/beans/", ("espresso",)),
        ]


def test_a_derived_text_part_reads_the_readers_name_as_the_engine_renders_it():
    # given a template without a text part, and a name that looks like markup
    source = (
        "{% block html_body %}<html><head><title>A letter from the shop</title></head><body>"
        "<p>Hi {{ contact.first_name }}</p><p>New beans are in, roasted this week.</p>"
        '<a href="https://shop.example.com/">Shop</a></body></html>{% endblock %}'
    )
    data = {"contact": {"first_name": "<Co> & Sons"}}
    renderer = BatchRenderer()

    # when
    tracked = renderer.render_tracked(source, data, 7, set())

    # then (through the shared plan, not the per-reader fallback)
    assert list(renderer.formats.values()) != [None]
    assert tracked.text == render_email(source, data).text
    assert tracked.text == (
        "Hi <Co> & Sons\n\nNew beans are in, roasted this week.\nShop (https://shop.example.com/)"
    )


def test_a_text_part_is_tidied_once_per_text_and_exactly_as_the_engine_tidies_it():
    # given a written text part and subject with loose white space around the reader's name
    source = (
        "{% block subject %}  Hello   {{ contact.first_name }} ,\n news {% endblock %}"
        "{% block text_body %}\n\n  Hi   {{ contact.first_name }}  {{ contact.last_name }}!"
        "\n\n\n\n   {{ contact.email }}\n{% endblock %}"
        '{% block html_body %}<p>Hi</p><a href="https://shop.example.com/">Shop</a>{% endblock %}'
    )
    readers = [
        {"first_name": "Anna Maria", "last_name": "Berg", "email": "a@example.com"},
        {"first_name": "Ben", "last_name": "Ott", "email": "b@example.com"},
        # values tidying would change: the reader's text is tidied as a whole
        {"first_name": "  Jürgen\n Groß ", "last_name": "a\tb", "email": "j@example.com"},
    ]
    renderer = BatchRenderer()

    for number, reader in enumerate(readers):
        data = {"contact": reader}
        # when the batch renders it
        tracked = renderer.render_tracked(source, data, 50 + number, set())

        # then subject and text are exactly the engine's for this reader alone
        alone = render_email(source, data)
        assert (tracked.subject, tracked.text) == (alone.subject, alone.text)

    # and the readers whose values tidying leaves alone shared one tidied text
    assert len(renderer.rendered) == 1
    assert len(renderer.tidy) == 1
    assert render_email(source, {"contact": readers[0]}).text == (
        "Hi Anna Maria Berg!\n\na@example.com"
    )


def test_a_template_that_empties_its_readers_product_changes_no_other_reader():
    # given one recommended product the batch shares, each reader with a copy of it
    product = {"name": "Coffee", "price": Decimal("9.90")}
    source = (
        "{% block html_body %}<p>{{ contact.first_name|default:'you' }}: "
        "{{ products.0.name }}{{ products.0.clear }}{{ products.0.name }}</p>{% endblock %}"
    )
    renderer = BatchRenderer()

    for first_name in ("Anna", ""):  # two texts: both rendered for real
        data = {"contact": {"first_name": first_name}, "products": [ReaderCopy(product)]}
        alone = {"contact": {"first_name": first_name}, "products": [dict(product)]}
        # when the batch renders the reader's message
        rendered = renderer.render(source, data)

        # then it is what the engine renders for the reader alone, the shared product intact
        assert rendered == render_email(source, alone)
        assert rendered.html == f"<p>{first_name or 'you'}: CoffeeNone</p>"
    assert product == {"name": "Coffee", "price": Decimal("9.90")}


def test_a_readers_copy_is_keyed_as_its_original_only_while_unchanged():
    # given a shared product, written out once for the batch
    product = {"name": "Coffee", "price": Decimal("9.90")}
    renderer = BatchRenderer()
    assert renderer._repr_of(product) == repr(product)

    # when one reader's copy is left alone and another's is changed
    kept, changed = ReaderCopy(product), ReaderCopy(product)
    changed["price"] = Decimal("9.9")

    # then the kept one reads as the original, the changed one as what it holds now
    assert renderer._repr_of(kept) == repr(product)
    assert renderer._repr_of(changed) == repr({"name": "Coffee", "price": Decimal("9.9")})
    assert type(copy.deepcopy(kept)) is dict
    assert copy.deepcopy(kept) == product
