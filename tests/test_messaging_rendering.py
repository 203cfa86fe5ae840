import pytest
from django.template import TemplateSyntaxError

from saleor_ma_plugin.messaging.rendering import (
    TemplateRefused,
    html_to_text,
    render_email,
    validate_source,
)


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}",
        '{% include "other.html" %}',
        '{% extends "admin/base.html" %}',
        "{{ contact.email|safe }}",
        "{% debug %}",
        "{% autoescape off %}x{% endautoescape %}",
        "{% if 1 %}{{ shop.name|escapejs }}{% endif %}",
    ],
)
def test_locked_down_engine_refuses_dangerous_templates(source):
    with pytest.raises(TemplateRefused):
        validate_source(source)


def test_private_attributes_are_refused_by_the_parser():
    with pytest.raises(TemplateSyntaxError):
        render_email("{% block subject %}{{ contact.__class__ }}{% endblock %}", {})


def test_blocks_render_with_css_inlined_and_a_generated_text_part():
    # given
    source = """{% block subject %}  Hello
    {{ name }} {% endblock %}{% block html_body %}<html><head>
    <style>p { color: red; }</style></head><body><p>Hi &amp; welcome {{ name }}</p>
    <a href="https://shop.example.com/">Shop</a></body></html>{% endblock %}"""

    # when
    rendered = render_email(source, {"name": "<Anna>"})

    # then
    assert rendered.subject == "Hello <Anna>"
    assert '<p style="color: red;">Hi &amp; welcome &lt;Anna&gt;</p>' in rendered.html
    assert rendered.text == "Hi & welcome <Anna>\nShop (https://shop.example.com/)"


def test_explicit_text_part_is_not_escaped():
    rendered = render_email(
        "{% block text_body %}Fish & chips for {{ name }}{% endblock %}", {"name": "A&B"}
    )
    assert rendered.text == "Fish & chips for A&B"


def test_html_to_text_keeps_structure():
    assert html_to_text(
        "<h1>Title</h1><p>One</p><p>Two <a href='https://x.test/'>link</a></p>"
    ) == ("Title\n\nOne\n\nTwo link (https://x.test/)")


def test_the_layouts_head_sheet_stays_in_the_head_and_a_templates_own_sheet_is_inlined():
    # given a template extending the layout, once without and once with a sheet of its own
    plain = """{% extends "saleor_ma_plugin/email/layout.html" %}
    {% block content %}<p class="lead">Hi</p>{% endblock %}"""
    styled = plain.replace(
        '<p class="lead">', '<style>.lead { color: #123456; }</style><p class="lead">'
    )

    # when
    without_sheet = render_email(plain, {"shop": {"name": "Beans"}}).html
    with_sheet = render_email(styled, {"shop": {"name": "Beans"}}).html

    # then the layout's resets and responsive rules stay a head sheet, not element styles
    assert '<style data-css-inline="ignore">' in without_sheet
    assert '<p class="lead">Hi</p>' in without_sheet
    assert "mso-table-lspace" not in without_sheet.split("</style>", 1)[1]
    # and the template's own rule lands on its element
    assert '<p class="lead" style="color: #123456;">Hi</p>' in with_sheet
