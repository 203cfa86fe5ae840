"""Content blocks: a newsletter or broadcast written as a list of blocks, not a template.

A send step's ``blocks`` (see ``spec``) are validated when the campaign is saved, resolved
once per delivery batch (product lists, editorial pages, RSS/Atom feeds from their cache:
``resolve``), rendered once per batch and language (``render``), and per reader only the
parts that differ are chosen: the conditional blocks the send step found the contact to
match, and the contact's own voucher code. A template opts in by showing ``blocks``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BlockType(models.TextChoices):
    HEADING = "heading", _("Heading")
    TEXT = "text", _("Rich text")
    IMAGE = "image", _("Image")
    BUTTON = "button", _("Button")
    DIVIDER = "divider", _("Divider")
    #: Products chosen by SKU, category or collection.
    PRODUCT_PICKS = "product_picks", _("Product picks")
    #: The newest or best-selling products, or a collection's.
    PRODUCT_FEED = "product_feed", _("Product feed")
    #: The latest editorial pages of a page type, or the entries of an RSS/Atom feed.
    CONTENT_FEED = "content_feed", _("Content feed")
    #: The reader's own voucher code, from a voucher step earlier in the flow.
    VOUCHER = "voucher", _("Personal voucher")
    #: Blocks shown only to contacts matching a rule of the rule language.
    CONDITIONAL = "conditional", _("Conditional")


class ContentFeedSource(models.TextChoices):
    PAGES = "pages", _("Shop pages of a page type")
    RSS = "rss", _("RSS or Atom feed")


class ContentOutcome(models.TextChoices):
    """What a batch did when a block's content could not be had fresh."""

    #: The feed could not be refreshed: its last good copy was shown.
    STALE_COPY = "stale_copy", _("Last good copy shown")
    #: Nothing to show (feed down with no copy, no products in stock): the block was left out.
    LEFT_OUT = "left_out", _("Block left out")


#: Run context key of the conditional blocks (their positions) a contact matched.
SHOWN_KEY = "blocks_shown"
#: At most this many blocks in a message, conditional blocks' children included.
MAX_BLOCKS = 40
