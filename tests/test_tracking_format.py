"""A shared text's tracked HTML, filled per reader in one pass: the same as tracking it piece
by piece (every link signed, every personal value replaced, the open pixel before the first
``</body>``)."""

import re
from html import escape

import pytest

from saleor_ma_plugin.messaging.links import (
    Link,
    TrackingFormat,
    click_token,
    link_plan,
    open_token,
    route_url,
)
from saleor_ma_plugin.messaging.render_cache import MARKER, PLACEHOLDER, placeholder

# Links are signed with the admin's settings, which the standalone host keeps in its database.
pytestmark = pytest.mark.django_db

NAME, EMAIL = placeholder(0), placeholder(2)


def tracked_piece_by_piece(html: str, message_id: int, untracked: set[str], values: dict) -> str:
    """What tracking means, written plainly: each piece filled, each link signed, the pixel."""
    base, parts = route_url(""), []
    for piece in link_plan(html):
        if not isinstance(piece, Link):
            for marker, value in values.items():
                piece = piece.replace(marker, value)
            parts.append(piece)
        elif piece.url in untracked:
            parts.append(piece.href)
        else:
            token = click_token(message_id, piece.url, piece.interests)
            parts.append(escape(f"{base}t/c/{token}/"))
    pixel = (
        f'<img src="{escape(f"{base}t/o/{open_token(message_id)}/")}" width="1" height="1" '
        'alt="" style="display:block;border:0;width:1px;height:1px">'
    )
    joined = "".join(parts)
    if "</body>" in joined:
        return joined.replace("</body>", f"{pixel}</body>", 1)
    return joined + pixel


HTML = {
    "percent signs and format codes": (
        f'<body><table width="100%"><tr><td>Hi {NAME}, 50% off %s %(x)s %%</td></tr>'
        '<a href="https://shop.example.com/p/1?a=1&amp;b=%20">one</a></table></body>'
    ),
    "one target linked three times, with interests": (
        "<html><body>"
        '<a href="https://shop.example.com/p/1"><img src="x.jpg"></a>'
        f'<a data-interest="espresso" href="https://shop.example.com/p/1">{NAME}</a>'
        '<a href="https://shop.example.com/p/1">Buy</a>'
        "</body></html>"
    ),
    "an untracked link and a value at the very start": (
        f'{NAME}<p><a href="https://shop.example.com/">shop</a> {EMAIL} {EMAIL}</p>'
    ),
    "two body ends": f"<body>{NAME}</body><p>after</p></body>",
    "a marker without a value": f"<p>{placeholder(3)} {NAME}</p></body>",
    "a value next to a tag end": f'<p title="{NAME}">x</p><a href="https://a.example/">a</a>',
}


@pytest.mark.parametrize("html", HTML.values(), ids=HTML.keys())
def test_a_shared_format_fills_in_each_reader_as_tracking_piece_by_piece(html):
    # given one text's format, and readers with values HTML must escape
    tracking = TrackingFormat(link_plan(html), PLACEHOLDER)
    readers = [
        {NAME: "Anna", EMAIL: "anna@example.com"},
        {NAME: escape("O'Brien & <Co> %s"), EMAIL: escape('"q"@example.com')},
    ]

    for number, values in enumerate(readers):
        untracked = {"https://shop.example.com/"}
        # when the reader's HTML is made from the shared format
        tracked = tracking.apply(7000 + number, untracked, values)

        # then it is byte for byte what tracking the filled text piece by piece gives
        assert tracked == tracked_piece_by_piece(html, 7000 + number, untracked, values)


def test_a_body_end_completed_by_a_value_still_gets_the_pixel_in_front_of_it():
    # given a text whose first </body> only exists once a reader's value is filled in
    html = f"<p>x</bo{NAME}><p>more</p></body>"
    tracking = TrackingFormat(link_plan(html), PLACEHOLDER)

    # when it is filled with "dy"
    tracked = tracking.apply(8000, set(), {NAME: "dy"})

    # then the pixel stands before that first </body>, not the later one in the text
    assert tracking.pixel_at is None
    assert tracked == tracked_piece_by_piece(html, 8000, set(), {NAME: "dy"})
    assert tracked.startswith('<p>x<img src="')
    assert tracked.count("<img") == 1


def test_a_text_without_a_possible_early_body_end_places_the_pixel_without_searching():
    # given an ordinary newsletter: values and links only inside text and attributes
    html = f'<body><p>Hi {NAME}</p><a href="https://a.example/">a</a></body>'

    # when its format is made
    tracking = TrackingFormat(link_plan(html), PLACEHOLDER)

    # then the pixel's place is known from the text itself: the piece after the link
    assert tracking.pixel_at == (2, len('">a</a>'))
    assert MARKER not in "".join(tracking.literal)


def test_an_empty_text_has_an_empty_format():
    # given / when
    tracking = TrackingFormat(link_plan(""), PLACEHOLDER)

    # then there is nothing to track, not even a pixel; any text has its pixel at the end
    assert not tracking
    text = TrackingFormat(link_plan("<p>x</p>"), PLACEHOLDER)
    assert text
    assert re.fullmatch(r"<p>x</p><img src=\"[^\"]+\" [^>]+>", text.apply(1, set(), {}))
