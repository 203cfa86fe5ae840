"""RSS/Atom content feeds: fetched rarely and safely; a bad feed never blocks a send."""

import time
from base64 import b64encode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.triggers.broadcast import launch_broadcast
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging.blocks import feeds
from saleor_ma_plugin.messaging.blocks.models import ContentProblem, FeedCopy
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from tests.api_helpers import post, staff
from tests.campaign_helpers import run_all, subscribe
from tests.fake_http import CannedResponse, FakeHttpServer

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Journal</title>
<item><title>Cold brew &amp; you</title><link>https://blog.example.com/cold-brew</link>
<description>&lt;p&gt;Summer &lt;b&gt;drinks&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;
</description><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Grinding</title><link>javascript:alert(1)</link></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Journal</title><updated>2026-03-02T08:00:00Z</updated><id>urn:j</id>
<entry><title>Latte art</title><link href="https://blog.example.com/latte"/><id>urn:1</id>
<updated>2026-03-01T08:00:00Z</updated><summary>Hearts and tulips.</summary></entry></feed>"""
REPORT = """query($id: ID!) { campaignReport(id: $id) {
  contentProblems { source outcome reason messages } } }"""


class Feed:
    """What the local feed server answers, changeable while a test runs."""

    def __init__(self) -> None:
        self.response = CannedResponse(200, RSS, {"Content-Type": "application/rss+xml"})
        self.delay = 0.0

    def __call__(self, request) -> CannedResponse:
        time.sleep(self.delay)
        return self.response


@pytest.fixture
def feed(settings):
    settings.SALEOR_MA_ALLOW_INTERNAL_FEEDS = True  # the test server listens on 127.0.0.1
    settings.SALEOR_MA_FEED_REFRESH_MINUTES = 30
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "quiet_hours": "",
        "smart_sending_hours": "0",
        "max_marketing_per_day": "0",  # readers get several issues in a row
        "max_marketing_per_week": "0",
    }
    forget_settings()
    answer = Feed()
    with FakeHttpServer(answer) as server:
        answer.server, answer.url = server, f"{server.base_url}/feed.xml"
        yield answer
    forget_settings()


def issue(url: str, readers: int = 1, now: datetime = NOON):
    """A newsletter with a heading and the feed, sent to new readers at ``now``."""
    blocks = [
        {"type": "heading", "text": "Monthly"},
        {"type": "content_feed", "source": "rss", "url": url, "title": "From the journal"},
    ]
    campaign = activate(
        create_campaign(
            CampaignSpec(
                name=f"Issue {now:%H%M}",
                kind="newsletter",
                trigger={"type": "broadcast"},
                audience={"consent": {"channel": "email"}},
                steps=(StepSpec("send", "send", {"template": "newsletter", "blocks": blocks}),),
            )
        )
    )
    start = Contact.objects.count()
    for number in range(start, start + readers):
        subscribe(Contact.objects.create(email=f"r{number}@example.com"))
    with time_machine.travel(now, tick=False):
        launch_broadcast(campaign, now)
        run_all(now)
        while deliver_due_messages(batch_size=1, now=now):
            pass
    return campaign


def test_a_feed_fills_every_readers_issue_and_is_fetched_once_for_all_batches(feed):
    # given three readers, sent one per batch
    # when the issue goes out
    issue(feed.url, readers=3)

    # then one request served them all, and each mail has the entries, cleaned
    assert len(feed.server.requests) == 1
    assert len(mail.outbox) == 3
    for sent in mail.outbox:
        assert "From the journal" in sent.body
        assert "* Cold brew & you" in sent.body
        assert "Summer drinks" in sent.body
        assert "x()" not in sent.body
    assert "javascript" not in mail.outbox[0].alternatives[0][0]


def test_atom_feeds_are_read_too(feed):
    # given an Atom feed
    feed.response = CannedResponse(200, ATOM, {"Content-Type": "application/atom+xml"})

    # when an issue goes out
    issue(feed.url)

    # then its entries are shown
    assert "* Latte art\nHearts and tulips.\nhttps://blog.example.com/latte" in mail.outbox[0].body


def test_a_feed_is_refreshed_after_the_interval_and_not_before(feed):
    # given an issue at noon
    issue(feed.url)

    # when a second issue goes out 10 minutes later, and a third after the interval
    feed.response = CannedResponse(200, ATOM)
    issue(feed.url, now=NOON + timedelta(minutes=10))
    issue(feed.url, now=NOON + timedelta(minutes=31))

    # then the second used the copy and the third fetched again
    assert len(feed.server.requests) == 2
    assert ["Cold brew" in m.body for m in mail.outbox] == [True] * 3 + [False] * 3
    assert "Latte art" in mail.outbox[-1].body
    assert ContentProblem.objects.count() == 0


def test_a_feed_that_goes_down_sends_the_last_good_copy_and_the_report_says_so(feed, client):
    # given an issue sent while the feed was up
    issue(feed.url)

    # when the feed answers 503 for the next issue, after the refresh interval
    feed.response = CannedResponse(503, b"down")
    later = issue(feed.url, readers=2, now=NOON + timedelta(hours=1))

    # then all three readers got the last good copy, and the campaign report says so
    assert ["Cold brew & you" in m.body for m in mail.outbox] == [True] * 4
    staff(client, "manage_marketing")
    gid = b64encode(f"Campaign:{later.pk}".encode()).decode()
    report = post(client, REPORT, {"id": gid})["data"]["campaignReport"]
    assert report["contentProblems"] == [
        {"source": feed.url, "outcome": "STALE_COPY", "reason": "HTTP 503", "messages": 3}
    ]
    assert FeedCopy.objects.get().last_error == "HTTP 503"


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        ("down", "ConnectionError"),
        ("slow", "ReadTimeout"),
        ("huge", "larger than 2 MB"),
        ("malformed", "not a readable feed"),
        ("redirect", "redirects are not followed"),
    ],
)
def test_a_bad_feed_never_blocks_the_send_the_block_is_left_out(
    feed, monkeypatch, failure, reason
):
    # given a feed that is down, slow, huge, not a feed, or redirects (never followed)
    monkeypatch.setattr(feeds, "FETCH_SECONDS", 0.3)
    url = feed.url
    match failure:
        case "down":
            url = "http://127.0.0.1:9/feed.xml"  # the discard port: nothing listens
        case "slow":
            feed.delay = 1.0
        case "huge":
            feed.response = CannedResponse(200, b"<rss>" + b" " * (3 * 1024 * 1024))
        case "malformed":
            feed.response = CannedResponse(200, b"<html><body>Not a feed</body></html>")
        case "redirect":
            feed.response = CannedResponse(302, b"", {"Location": "http://10.0.0.1/feed"})

    # when an issue goes out
    started = time.monotonic()
    campaign = issue(url, readers=2)

    # then both readers got it without the block, quickly, and the report says why
    assert [m.subject for m in mail.outbox] == ["Monthly", "Monthly"]
    assert not any("From the journal" in m.body for m in mail.outbox)
    assert time.monotonic() - started < 5
    problem = ContentProblem.objects.get(campaign=campaign)
    assert (problem.source, problem.outcome, problem.messages) == (url, "left_out", 2)
    assert reason in problem.reason


def test_an_internal_feed_is_refused_when_saved_unless_the_shop_allows_it(settings):
    # given internal feeds not allowed (the default)
    settings.SALEOR_MA_ALLOW_INTERNAL_FEEDS = False
    block = {"type": "content_feed", "source": "rss", "url": "http://127.0.0.1:8080/feed"}
    step = StepSpec("send", "send", {"template": "newsletter", "blocks": [block]})
    spec = CampaignSpec(name="x", kind="newsletter", trigger={"type": "broadcast"}, steps=(step,))

    # when a campaign with a loopback feed is saved
    with pytest.raises(FieldError) as refused:
        create_campaign(spec)

    # then it is refused at the URL; allowed, it is stored
    assert refused.value.field == "steps[0].config.blocks[0].url"
    assert refused.value.message == "Enter an absolute http(s) URL."
    settings.SALEOR_MA_ALLOW_INTERNAL_FEEDS = True
    assert create_campaign(spec).steps.get().config["blocks"] == [block]
