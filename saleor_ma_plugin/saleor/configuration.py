"""The plugin's settings as Saleor's plugin page shows them: defaults, types, help texts."""

from saleor.plugins.base_plugin import ConfigurationTypeField

from ..core.transactional import SUPPORTED_NOTIFICATIONS

PLUGIN_ID = "saleor_ma_plugin"


class MarketingAutomationPluginInfo:
    """The plugin's name and description, as Saleor lists them."""

    NAME = "Marketing automation"
    DESCRIPTION = (
        "Automated email, SMS and web push campaigns: welcome and double opt-in series, "
        "newsletters, abandoned checkout, win-back and replenishment flows, with per-recipient "
        "vouchers, tracking and revenue attribution."
    )


STRING = ConfigurationTypeField.STRING

DEFAULT_CONFIGURATION = [
    {"name": "sender_name", "value": ""},
    {"name": "sender_address", "value": ""},
    {"name": "storefront_url", "value": ""},
    {"name": "public_base_url", "value": ""},
    {"name": "double_opt_in", "value": True},
    {"name": "quiet_hours", "value": "21:00-08:00"},
    {"name": "smart_sending_hours", "value": "16"},
    {"name": "channel_settings", "value": ""},
    {"name": "email_backend", "value": ""},
    {"name": "signing_secret", "value": ""},
    {"name": "profile_date_keys", "value": "birthday"},
    {"name": "search_url", "value": "{storefront}/search?q={query}"},
    {"name": "reorder_url", "value": ""},
    {"name": "feedback_url", "value": ""},
    {"name": "max_marketing_per_day", "value": "2"},
    {"name": "max_marketing_per_week", "value": "5"},
    {"name": "feedback_consent", "value": "consent"},
    {"name": "imprint", "value": ""},
    {"name": "attribution_click_days", "value": "5"},
    {"name": "attribution_open_days", "value": "1"},
    {"name": "transactional_emails", "value": ""},
    {"name": "event_retention_days", "value": "400"},
]
CONFIG_STRUCTURE = {
    "event_retention_days": {
        "type": STRING,
        "label": "Keep events for (days)",
        "help_text": "Processed events older than this are removed daily, in small batches; "
        "per contact, day and event type their counts are kept, so segments, reports and "
        "RFM values stay the same. Rules on other payload details (where) see only the "
        "events kept. 0 keeps every event; otherwise 90 to 3650 (default 400).",
    },
    "transactional_emails": {
        "type": STRING,
        "label": "Customer notifications sent by this plugin",
        "help_text": "Comma-separated Saleor notifications this plugin sends as transactional "
        'email instead of Saleor, or "all": '
        + ", ".join(SUPPORTED_NOTIFICATIONS)
        + ". Turn the same ones off in Saleor's user email plugin, or customers get two. "
        "Empty: Saleor keeps sending all of them. Staff notifications always stay with Saleor.",
    },
    "attribution_click_days": {
        "type": STRING,
        "label": "Attribution window for clicks (days)",
        "help_text": "An order placed this many days after a click on a campaign message is "
        "credited to that message's step (0 to 90).",
    },
    "attribution_open_days": {
        "type": STRING,
        "label": "Attribution window for opens (days)",
        "help_text": "Without a click, an order this many days after an open is credited to "
        "the opened message (0 to 90; 0: opens never earn an order).",
    },
    "max_marketing_per_day": {
        "type": STRING,
        "label": "Marketing messages per contact and day",
        "help_text": "Frequency cap over all marketing (every campaign, email, SMS and push) "
        "in any 24 hours; transactional messages neither count nor are capped. A capped "
        "automation message waits until the cap allows it (at most 2 days, then it is "
        "skipped); a capped broadcast message is skipped. 0: no cap.",
    },
    "max_marketing_per_week": {
        "type": STRING,
        "label": "Marketing messages per contact and week",
        "help_text": "The same frequency cap over any 7 days. 0: no cap.",
    },
    "feedback_consent": {
        "type": STRING,
        "label": "Feedback requests need",
        "help_text": "Review and feedback requests are advertising under German law (BGH, "
        "VI ZR 225/17). consent: only contacts with marketing consent get them. "
        "existing_customer: also customers under the existing-customer exemption of "
        "§ 7 (3) UWG, which applies only if the address was obtained in connection with a "
        "sale, the mail advertises the shop's own similar goods or services, the customer "
        "has not objected, and the customer was told clearly when the address was "
        "collected (at checkout) and is told in every mail that they can object at any "
        "time at no cost other than basic transmission fees. The plugin then sends them "
        "only to contacts with an order who have not unsubscribed, with an objection "
        "notice and unsubscribe link; telling customers at checkout is the shop's part.",
    },
    "imprint": {
        "type": ConfigurationTypeField.MULTILINE,
        "label": "Imprint (sender's postal address)",
        "help_text": "Required before a campaign that sends marketing email can be "
        "activated: the legal name, postal address and further details the law asks for "
        "(German Impressum: e.g. representative, register entry, VAT ID; CAN-SPAM: a valid "
        "postal address). Printed in the footer of every email, HTML and text.",
    },
    "search_url": {
        "type": STRING,
        "label": "Storefront search URL",
        "help_text": "Link to the storefront's search results in search follow-ups; "
        "placeholders {storefront} and {query}.",
    },
    "reorder_url": {
        "type": STRING,
        "label": "Reorder URL",
        "help_text": "Link that puts a product back into the cart, if the storefront has "
        "one, e.g. {storefront}/cart/add?variant={variant_id}&quantity={quantity}; "
        "placeholders {storefront}, {variant_id}, {product_id}, {quantity}. Empty: the "
        "product page.",
    },
    "feedback_url": {
        "type": STRING,
        "label": "Feedback URL",
        "help_text": "The shop's own review page for feedback requests; placeholders "
        "{storefront}, {order_id}, {order_number}, {email}. Empty: the plugin's one-click "
        "rating page, which records a feedback event for triggers and segments.",
    },
    "profile_date_keys": {
        "type": STRING,
        "label": "Dates from customer metadata",
        "help_text": "Comma-separated attribute=metadata_key pairs read from each customer's "
        "metadata as ISO dates, e.g. birthday=dob, renewal=contract_end. The attribute "
        "birthday fills the contact's birthday; others become date attributes.",
    },
    "sender_name": {
        "type": STRING,
        "label": "Sender name",
        "help_text": "Name shown as the sender of marketing email, e.g. the shop's name.",
    },
    "sender_address": {
        "type": STRING,
        "label": "Sender address",
        "help_text": "From address of marketing email; its domain should be authenticated "
        "(SPF, DKIM, DMARC).",
    },
    "storefront_url": {
        "type": STRING,
        "label": "Storefront URL",
        "help_text": "Base URL of the storefront, used for product, checkout and account "
        "links in messages.",
    },
    "public_base_url": {
        "type": STRING,
        "label": "Public base URL of this Saleor API",
        "help_text": "Absolute URL under which recipients reach Saleor, used for tracking, "
        "unsubscribe and preference links, e.g. https://api.example.com.",
    },
    "double_opt_in": {
        "type": ConfigurationTypeField.BOOLEAN,
        "label": "Double opt-in",
        "help_text": "Newsletter sign-ups must confirm by email before they receive "
        "marketing (required in Germany and recommended everywhere).",
    },
    "quiet_hours": {
        "type": STRING,
        "label": "Quiet hours",
        "help_text": "HH:MM-HH:MM in each contact's local time; marketing sends falling "
        "inside are deferred to the end of the window. Empty: no quiet hours.",
    },
    "smart_sending_hours": {
        "type": STRING,
        "label": "Smart sending window (hours)",
        "help_text": "A contact who got marketing email within this many hours is "
        "skipped by further marketing sends. 0 turns it off.",
    },
    "channel_settings": {
        "type": ConfigurationTypeField.MULTILINE,
        "label": "Per-channel settings",
        "help_text": "JSON keyed by channel slug overriding sender and storefront, e.g. "
        '{"channel-de": {"sender_name": "Shop DE", "sender_address": '
        '"shop@example.de", "storefront_url": "https://example.de"}}',
    },
    "email_backend": {
        "type": STRING,
        "label": "Email backend",
        "help_text": "Dotted path of a Django email backend (SMTP or django-anymail); "
        "empty uses Saleor's EMAIL_BACKEND.",
    },
    "signing_secret": {
        "type": ConfigurationTypeField.SECRET,
        "label": "Link signing secret",
        "help_text": "Secret for signing tracking and unsubscribe links. Empty derives one "
        "from Saleor's SECRET_KEY; changing it invalidates links already sent.",
    },
}
