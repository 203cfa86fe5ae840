"""A delivery batch's content blocks: resolved once, rendered once per language, chosen
per reader.

Per batch: the send steps' blocks are read (one query per campaign in the batch), each
product list, page list and feed is resolved once (feeds from their cache, see ``feeds``),
and what could not be had fresh is added to the campaign's ``ContentProblem`` rows. Per
language: every block is rendered once. Per reader: only a choice is made, which
conditional blocks the send step found the contact to match (``SHOWN_KEY`` in the
message's context) and whether the reader's own voucher code fills the voucher block.
"""

import logging
from collections import Counter
from dataclasses import replace
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from ...catalogue.content import content_catalogue
from ...catalogue.products import ProductInfo, catalogue
from ...core.errors import FieldError
from ...core.host import ShopUnavailable
from .. import reader_language
from . import SHOWN_KEY, ContentFeedSource, ContentOutcome
from .feeds import FeedResult, feed_entries
from .models import ContentProblem
from .render import render_block, with_code
from .spec import Conditional, ContentFeed, Products, flatten, parse_blocks

logger = logging.getLogger(__name__)


def content_source(block) -> str:
    """How the report names what a block shows."""
    if isinstance(block, ContentFeed):
        return block.url if block.source == ContentFeedSource.RSS else f"pages:{block.page_type}"
    query = block.query
    return f"products:{query.source}:{','.join(query.values)}".rstrip(":")


class BlockBatch:
    """Content blocks of one delivery batch (see the module docstring)."""

    def __init__(
        self, messages, settings=None, now: datetime | None = None, report: bool = True
    ) -> None:
        """``report=False`` (a preview or a test send) leaves the campaign's report alone."""
        self.now = now or timezone.now()
        self.steps = self._load(messages)
        self.content: dict = {}
        problems: dict[tuple[str, str], FeedResult] = {}
        for blocks in self.steps.values():
            for block in flatten(blocks):
                if isinstance(block, Products | ContentFeed) and block not in self.content:
                    result = self._resolve(block)
                    self.content[block] = result.entries
                    if result.outcome:
                        problems[content_source(block), result.outcome] = result
        self.rendered: dict[tuple, list[tuple[int | None, dict]]] = {}
        self.names = self._translated_names(messages)
        if problems and report:
            self._report(messages, problems)

    def _translated_names(self, messages) -> dict[tuple[str, str, str], str]:
        """The shop's names of the batch's products in its readers' languages: one query."""
        products = {
            item.product_id
            for entries in self.content.values()
            for item in entries
            if isinstance(item, ProductInfo)
        }
        if not products:
            return {}
        languages = {reader_language(message.contact) for message in messages}
        return catalogue().translated_names(sorted(products), [], sorted(languages))

    def _load(self, messages) -> dict[tuple[int, str], tuple]:
        wanted: dict[int, set[str]] = {}
        campaigns = {}
        for message in messages:
            if message.campaign_id and message.step_key:
                wanted.setdefault(message.campaign_id, set()).add(message.step_key)
                campaigns[message.campaign_id] = message.campaign
        steps = {}
        for campaign_id, keys in wanted.items():
            rows = campaigns[campaign_id].steps.filter(key__in=keys).values_list("key", "config")
            for key, config in rows:
                try:
                    blocks = parse_blocks((config or {}).get("blocks"), "blocks")
                except FieldError:  # stored before a rule tightened: send without blocks
                    logger.warning("Campaign %s step %s has invalid blocks", campaign_id, key)
                    continue
                if blocks:
                    steps[campaign_id, key] = blocks
        return steps

    def _resolve(self, block) -> FeedResult:
        """Products, pages or feed entries for a block; a failure leaves the block out."""
        try:
            if isinstance(block, Products):
                items = tuple(content_catalogue().products(block.query))
                reason = "" if items else "no products in stock"
            elif block.source == ContentFeedSource.PAGES:
                items = tuple(content_catalogue().pages(block.page_type, block.limit))
                reason = "" if items else "no published pages"
            else:
                return feed_entries(block.url, self.now)
        except ShopUnavailable:  # the shop's API is down: the batch waits, nothing half-built
            raise
        except Exception as error:  # the shop's data must not stop the newsletter
            logger.exception("Resolving a content block failed")
            return FeedResult(
                (), ContentOutcome.LEFT_OUT, f"{type(error).__name__}: {error}"[:300]
            )
        return FeedResult(items, ContentOutcome.LEFT_OUT if reason else "", reason)

    def _report(self, messages, problems: dict[tuple[str, str], FeedResult]) -> None:
        """Add this batch's messages to the campaigns' content problems."""
        counts = Counter(
            (m.campaign_id, m.step_key)
            for m in messages
            if (m.campaign_id, m.step_key) in self.steps
        )
        for (campaign_id, key), count in counts.items():
            sources = {
                content_source(b)
                for b in flatten(self.steps[campaign_id, key])
                if isinstance(b, Products | ContentFeed)
            }
            for (source, outcome), result in problems.items():
                if source not in sources:
                    continue
                ContentProblem.objects.bulk_create(
                    [
                        ContentProblem(
                            campaign_id=campaign_id,
                            source=source[:2100],
                            outcome=outcome,
                            first_at=self.now,
                            last_at=self.now,
                        )
                    ],
                    ignore_conflicts=True,
                )
                ContentProblem.objects.filter(
                    campaign_id=campaign_id, source=source[:2100], outcome=outcome
                ).update(messages=F("messages") + count, last_at=self.now, reason=result.reason)

    def for_reader(self, message, contact, marketing_allowed: bool) -> dict:
        """``{"blocks": [...]}`` for one reader, or nothing if the step has no blocks."""
        key = (message.campaign_id, message.step_key)
        if key not in self.steps:
            return {}
        language = reader_language(contact)
        rendered = self.rendered.get((*key, language))
        if rendered is None:
            rendered = self.rendered[(*key, language)] = self._render(self.steps[key], language)
        shown = set(message.context.get(SHOWN_KEY) or ())
        code = message.context.get("voucher_code", "") if marketing_allowed else ""
        blocks = []
        for position, block in rendered:
            if position is not None and position not in shown:
                continue
            if block["type"] == "voucher":
                if not code:
                    continue
                block = with_code(block, code)
            blocks.append(block)
        return {"blocks": blocks}

    def _content(self, block, language: str):
        """What was resolved for ``block``, products named in ``language`` where the shop
        has a translation."""
        content = self.content.get(block)
        if not isinstance(block, Products) or not content:
            return content
        return tuple(
            replace(info, name=self.names.get(("product", info.product_id, language), info.name))
            for info in content
        )

    def _render(self, blocks: tuple, language: str) -> list[tuple[int | None, dict]]:
        rendered = []
        for block in blocks:
            members = block.blocks if isinstance(block, Conditional) else (block,)
            position = block.position if isinstance(block, Conditional) else None
            for member in members:
                result = render_block(member, language, self._content(member, language))
                if result is not None:
                    rendered.append((position, result))
        return rendered
