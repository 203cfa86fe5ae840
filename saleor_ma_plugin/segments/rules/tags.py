"""``tag``: the contact carries a tag (``{"tag": "coffee"}``)."""

from dataclasses import dataclass

from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from ...contacts.models import ContactTag
from .base import RuleKind, Scope, required


@dataclass(frozen=True)
class TagRule:
    name: str


class TagKind(RuleKind):
    key = "tag"
    label = _("Tag")
    description = _("The contact carries this tag.")
    position = 12
    schema = {"type": "string", "minLength": 1, "maxLength": 100}
    scope = Scope.CONTACT
    rule_types = (TagRule,)

    def parse(self, spec, path, parser):
        if not isinstance(spec, str) or not spec.strip():
            raise required(path, "Name a tag.")
        return TagRule(spec.strip())

    def compile(self, rule, compiler):
        tags = ContactTag.objects.filter(contact=compiler.outer_contact(), name=rule.name)
        return Q(Exists(tags))

    def contact_ids(self, rule, compiler):
        return self.contact_rows(rule, compiler).values("contact")

    def contact_rows(self, rule, compiler):
        return ContactTag.objects.filter(name=rule.name)

    def evaluate(self, rule, subject, evaluate):
        return ContactTag.objects.filter(contact=subject.contact, name=rule.name).exists()
