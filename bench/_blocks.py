"""The ``--blocks`` newsletter of bench/send_throughput.py: a feed, product picks, a condition.

The issue is a send step of content blocks: a heading, rich text, four product picks by
SKU, an RSS feed (three entries, served on 127.0.0.1 and cached after the first fetch, as
in production where it is refreshed at most every 30 minutes) and one conditional block
for contacts tagged "partner" (half of them). Which contacts match the condition is decided
by the send step when the runner creates the messages; the messages here carry that
decision in their context as the runner writes it, so the send loop does what it does in
production: resolve the blocks once per batch, render once per language and audience,
and choose per reader.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ENTRIES = "".join(
    f"<item><title>Journal post {n}</title><link>https://blog.example.com/post-{n}</link>"
    f"<description>&lt;p&gt;Notes on brewing, part {n}.&lt;/p&gt;</description>"
    f"<pubDate>Mon, 0{n} Mar 2026 08:00:00 GMT</pubDate></item>"
    for n in range(1, 6)
)
RSS = f'<?xml version="1.0"?><rss version="2.0"><channel><title>J</title>{ENTRIES}</channel></rss>'


class _Feed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = RSS.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def serve_feed() -> str:
    """Serve the feed from a daemon thread; its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/feed.xml"


def blocks(feed_url: str) -> list[dict]:
    return [
        {"type": "heading", "text": {"en": "This month at the roastery"}},
        {"type": "text", "html": "<p>New beans, new brewing notes, and a <b>gift</b>.</p>"},
        {
            "type": "product_picks",
            "source": "sku",
            "values": ["SKU-1", "SKU-2", "SKU-3", "SKU-4"],
            "title": "Picked for you",
        },
        {"type": "content_feed", "source": "rss", "url": feed_url, "limit": 3, "title": "Journal"},
        {
            "type": "conditional",
            "rule": {"tag": "partner"},
            "blocks": [
                {"type": "text", "html": "<p>Partner prices are live in your account.</p>"},
                {
                    "type": "button",
                    "label": "Open partner area",
                    "url": "https://shop.example.com/p",
                },
            ],
        },
    ]


def prepare_blocks(cursor, feed_url: str) -> str:
    """The campaign, SKUs and partner tags; the message columns' SQL for the newsletter."""
    from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, create_campaign

    cursor.execute(
        """INSERT INTO saleor_ma_plugin_cataloguevariant (variant_id, product_id, category_id,
               name, sku, stock_quantity)
           SELECT 'v' || n, 'p' || n, '', 'Coffee no. ' || n, 'SKU-' || n, 100
           FROM generate_series(1, 24) AS n"""
    )
    cursor.execute(
        """INSERT INTO saleor_ma_plugin_contacttag (contact_id, name, created_at)
           SELECT id, 'partner', now() FROM saleor_ma_plugin_contact WHERE id % 2 = 0"""
    )
    step = StepSpec("send", "send", {"template": "newsletter", "blocks": blocks(feed_url)})
    campaign = create_campaign(
        CampaignSpec(
            name="Bench issue", kind="newsletter", trigger={"type": "broadcast"}, steps=(step,)
        )
    )
    shown = "CASE WHEN id % 2 = 0 THEN '{\"blocks_shown\": [4]}' ELSE '{\"blocks_shown\": []}' END"
    return f"{campaign.pk}, 'send', ({shown})::jsonb"
