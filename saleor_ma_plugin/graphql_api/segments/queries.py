"""Segment queries."""

import graphene

from ...segments.editing import validate_rules
from ...segments.models import Segment as SegmentModel
from ...segments.presets import segment_presets
from ...segments.rules import count_contacts, sample_contacts
from ..campaigns.permissions import require_read
from ..contacts.types import Contact
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..core.types import JSON, paginate
from .types import Segment, SegmentCountableConnection, SegmentPreset

SAMPLE_SHOWN = 5
MAX_SAMPLE_SHOWN = 20


class SegmentFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the name.")


class SegmentQueries(graphene.ObjectType):
    segments = graphene.Field(
        SegmentCountableConnection,
        filter=SegmentFilterInput(),
        first=graphene.Int(),
        after=graphene.String(),
        last=graphene.Int(),
        before=graphene.String(),
        description="Segments by name. Requires MANAGE_MARKETING.",
    )
    segment = graphene.Field(Segment, id=graphene.ID(required=True))
    segment_count_preview = graphene.Int(
        rules=JSON(required=True),
        description="How many contacts match these rules now (one query; nothing is stored). "
        "Invalid rules answer with an error naming the part at fault.",
    )
    segment_sample_preview = graphene.List(
        graphene.NonNull(Contact),
        required=True,
        rules=JSON(required=True),
        first=graphene.Int(description="How many (1 to 20, default 5)."),
        description="Some contacts matching these rules now, most recently seen first.",
    )
    segment_presets = graphene.List(
        graphene.NonNull(SegmentPreset),
        required=True,
        currency=graphene.String(
            description="ISO 4217 code: adds the presets' monetary bounds in that currency."
        ),
        description="Ready-made RFM segments (champions, loyal, at risk, ...).",
    )

    @staticmethod
    def resolve_segments(root, info, filter=None, **page):
        require_read(requestor_of(info))
        segments = SegmentModel.objects.all()
        if filter and filter.get("search"):
            segments = segments.filter(name__icontains=filter["search"])
        return paginate(segments.order_by("name", "pk"), SegmentCountableConnection, **page)

    @staticmethod
    def resolve_segment(root, info, id):
        require_read(requestor_of(info))
        return SegmentModel.objects.filter(pk=model_pk(id, "Segment")).first()

    @staticmethod
    def resolve_segment_count_preview(root, info, rules):
        require_read(requestor_of(info))
        return count_contacts(validate_rules(rules))

    @staticmethod
    def resolve_segment_sample_preview(root, info, rules, first=None):
        require_read(requestor_of(info))
        limit = min(max(first or SAMPLE_SHOWN, 1), MAX_SAMPLE_SHOWN)
        return sample_contacts(validate_rules(rules), limit)

    @staticmethod
    def resolve_segment_presets(root, info, currency=None):
        require_read(requestor_of(info))
        return [
            SegmentPreset(
                slug=preset.slug,
                title=str(preset.title),
                description=str(preset.description),
                rules=rules,
            )
            for preset, rules in segment_presets((currency or "").strip().upper())
        ]
