"""Templates cost bounded time and output; compiled templates keep their own blocks; pages
reached through a link mask the address; settings that reach a header carry no line break."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import trans_real

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.configuration import parse_configuration
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.links import contact_token
from saleor_ma_plugin.messaging.models import DeliveryAttempt
from saleor_ma_plugin.messaging.render_limits import (
    MAX_LOOP_ITERATIONS,
    RenderLimits,
    TemplateRefused,
)
from saleor_ma_plugin.messaging.rendering import (
    RenderLimitExceeded,
    compile_source,
    render_email,
)
from saleor_ma_plugin.messaging.subscriptions import mask_email
from tests.campaign_helpers import subscribe
from tests.messaging_helpers import queue, template

THOUSAND = "x" * 1000


def _email(body: str) -> str:
    return f"{{% block subject %}}Hi{{% endblock %}}{{% block text_body %}}{body}{{% endblock %}}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            f'{{% for a in "{THOUSAND}" %}}{{% for b in "{THOUSAND}" %}}.{{% endfor %}}'
            "{% endfor %}",
            f"The template's loops run more than {MAX_LOOP_ITERATIONS:,} times in one part.",
        ),
        (
            f'{{% for a in "{THOUSAND}" %}}{{% for b in "{THOUSAND}" %}}{{% endfor %}}'
            "{% endfor %}",
            f"The template's loops run more than {MAX_LOOP_ITERATIONS:,} times in one part.",
        ),
        ("{{ 1|floatformat:10000000 }}", "floatformat takes at most 30 decimal places."),
        (
            f'{{{{ "{THOUSAND * 20}"|join:"{THOUSAND * 20}" }}}}',
            "The template renders more than 2,000,000 characters in one part.",
        ),
        (
            f'{{% for a in "{THOUSAND[:500]}" %}}{{% now "{"r" * 200}" %}}{{% endfor %}}',
            "The template renders more than 2,000,000 characters in one part.",
        ),
    ],
)
def test_a_template_over_its_budget_is_refused_with_a_clear_error(body, message):
    # when
    with pytest.raises(RenderLimitExceeded) as refused:
        render_email(_email(body), {})

    # then
    assert str(refused.value) == message
    assert isinstance(refused.value, TemplateRefused)


def test_a_slow_template_is_stopped_at_its_deadline():
    # given a budget whose time is already up
    limits = RenderLimits(seconds=-1.0)

    # when / then
    with pytest.raises(RenderLimitExceeded, match=r"takes more than -1\.0 seconds to render"):
        render_email(_email("{{ contact.first_name }}"), {"contact": {"first_name": "A"}}, limits)


def test_templates_within_budget_render_as_before():
    # given a loop of exactly the limit
    body = '{% for a in "' + "y" * 100 + '" %}{% for b in "' + "z" * 99 + '" %}{% endfor %}'
    body += "{{ forloop.counter }}{% endfor %}{{ 2.5|floatformat:30 }}"

    # when
    rendered = render_email(_email(body), {})

    # then
    assert rendered.text == "".join(str(n) for n in range(1, 101)) + "2." + "5" + "0" * 29


@pytest.mark.django_db
def test_a_costly_template_fails_its_message_and_the_batch_goes_on(settings):
    # given
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "smart_sending_hours": "0"}
    template("costly", _email("{{ 1|floatformat:999999 }}"))
    template()
    contact = Contact.objects.create(email="anna@example.com", first_name="Anna")
    subscribe(contact)
    costly, fine = queue(contact, "costly"), queue(contact)

    # when
    deliver_due_messages()

    # then
    costly.refresh_from_db()
    fine.refresh_from_db()
    assert (costly.status, costly.last_error) == (
        MessageStatus.FAILED,
        "RenderLimitExceeded: floatformat takes at most 30 decimal places.",
    )
    assert fine.status == MessageStatus.SENT
    assert DeliveryAttempt.objects.filter(message=costly, succeeded=False).count() == 1


def test_every_compiled_template_keeps_its_own_blocks_after_cache_evictions():
    # given more distinct sources than the compiled-template cache holds, rendered as they
    # come, so evicted templates' ids are free to be reused by new ones
    sources = [
        f"{{% block subject %}}Subject {n}{{% endblock %}}{{% block text_body %}}"
        f"Body {n}{{% endblock %}}"
        for n in range(2000)
    ]

    # when
    subjects = [render_email(source, {}).subject for source in sources]

    # then
    assert subjects == [f"Subject {n}" for n in range(2000)]
    assert compile_source.cache_info().currsize <= compile_source.cache_info().maxsize


@pytest.mark.parametrize(
    ("address", "masked"),
    [("anna@example.com", "a***@example.com"), ("x@y.de", "x***@y.de"), ("nonsense", "***")],
)
def test_addresses_are_masked_like_the_api_masks_them(address, masked):
    # when / then
    assert mask_email(address) == masked


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["p", "u"])
def test_pages_reached_through_a_link_show_the_masked_address(client, path):
    # given
    contact = Contact.objects.create(email="anna.berg@example.com")

    # when
    response = client.get(f"/{path}/{contact_token(contact.pk)}/")

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "a***@example.com" in page
    assert "anna.berg" not in page


@pytest.mark.django_db
def test_a_language_from_a_link_activates_only_the_languages_the_shop_ships(client):
    # given a page that takes its language from the link, asked for in languages nobody ships
    cached_before = set(trans_real._translations)

    # when
    strangers = [client.get("/confirm/not-a-token/", {"lang": f"x{n}"}) for n in range(30)]
    austrian = client.get("/confirm/not-a-token/", {"lang": "de-AT"})

    # then the strangers read English, the Austrian German, and no other language got cached
    assert {page.status_code for page in strangers} == {200}
    assert all(
        "This confirmation link is invalid or has expired" in page.content.decode()
        for page in strangers
    )
    assert "Dieser Bestätigungslink ist ungültig oder abgelaufen" in austrian.content.decode()
    assert set(trans_real._translations) - cached_before <= {"en", "de"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"sender_name": "Shop\r\nBcc: thief@evil.example"}, "sender_name"),
        ({"sender_name": "Shop\x00"}, "sender_name"),
        ({"sender_address": "shop@example.com\nBcc: thief@evil.example"}, "sender_address"),
        (
            {"channel_settings": '{"de": {"sender_name": "Kaffee\\r\\nBcc: x@evil.example"}}'},
            "channel_settings",
        ),
    ],
)
def test_settings_that_reach_the_from_header_refuse_line_breaks(values, field):
    # when
    with pytest.raises(ValidationError) as refused:
        parse_configuration({"sender_address": "shop@example.com", **values})

    # then
    assert set(refused.value.message_dict) == {field}
