"""Messages and templates for messaging tests."""

from django.utils import timezone

from saleor_ma_plugin.messaging.models import Message, Template

SIMPLE = """{% block subject %}Hello {{ contact.first_name|default:"there" }}{% endblock %}
{% block html_body %}<html><head><style>p { color: #123456; }</style></head><body>
<p>Hi {{ contact.first_name }}</p><a href="https://shop.example.com/sale">Sale</a>
{% if voucher %}<p>Code {{ voucher.code }}</p>{% endif %}
{% for product in products %}<a href="{{ product.url }}">{{ product.name }}</a>{% endfor %}
<a href="{{ links.unsubscribe_url }}">{{ texts.unsubscribe }}</a></body></html>{% endblock %}"""


def template(key: str = "simple", source: str = SIMPLE, language: str = "en", version: int = 1):
    return Template.objects.create(key=key, language=language, source=source, version=version)


_counter = iter(range(1, 10_000_000))


def queue(contact, template_key="simple", transactional=False, topic="", **fields) -> Message:
    return Message.objects.create(
        idempotency_key=f"test:{next(_counter)}",
        contact=contact,
        channel=fields.pop("channel", "email"),
        template=template_key,
        transactional=transactional,
        topic=topic,
        scheduled_at=fields.pop("scheduled_at", timezone.now()),
        **fields,
    )
