"""Model instances of the hottest tables, built without ``Model.__init__``'s per-field work.

A runner batch loads a thousand enrolments with their contacts and creates a thousand
messages; a send batch loads 500 messages with their contacts. ``Model.__init__`` sets every
field through ``setattr`` (a descriptor call per foreign key), looks each keyword up twice and
asks every field for its default, and sends ``pre_init``/``post_init``: that was about a fifth
of a runner batch's CPU. For a model whose fields are plain columns, the instance it builds
is just its field values in ``__dict__`` and a fresh ``ModelState``, which is what
``QuickInstances`` writes directly. Anything else (a listener on ``pre_init``/``post_init``,
a field with its own descriptor, a custom ``__init__``, deferred fields, a keyword that is
not a column) takes Django's own path, so the instances are the same either way.
"""

import inspect
from dataclasses import dataclass
from functools import cache

from django.db.models import Model, signals
from django.db.models.base import DEFERRED, ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

#: Descriptors whose ``__set__`` on a fresh instance is just a write into ``__dict__``
#: (``DeferredAttribute`` has none; ``ForeignKeyDeferredAttribute`` only drops a cached
#: related object, which a fresh instance does not have).
PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@dataclass(frozen=True)
class _Layout:
    """A model's columns as ``__init__`` sets them, and the defaults of its keyword path."""

    attnames: tuple[str, ...]
    #: Field order; a callable default (``dict``) is called once per instance.
    defaults: dict
    default_factories: tuple
    known: frozenset


@cache
def _layout(model: type[Model]) -> _Layout | None:
    """The model's layout, or None where only ``Model.__init__`` builds it right."""
    meta = model._meta
    if model.__init__ is not Model.__init__ or meta.abstract:
        return None
    fields = meta.concrete_fields
    for field in fields:
        descriptor = inspect.getattr_static(model, field.attname, None)
        if field.generated or type(descriptor) not in PLAIN_DESCRIPTORS:
            return None
    defaults, factories = {}, []
    for field in fields:
        if field.has_default() and callable(field.default):
            factories.append((field.attname, field))
            defaults[field.attname] = None  # a place in __dict__'s field order
        else:
            defaults[field.attname] = field.get_default()
    return _Layout(
        attnames=tuple(field.attname for field in fields),
        defaults=defaults,
        default_factories=tuple(factories),
        known=frozenset(defaults),
    )


def _listened(model: type[Model]) -> bool:
    # Asked per instance: most processes connect no init receiver at all, which a glance
    # at the two lists tells without a lookup per sender.
    if not (signals.pre_init.receivers or signals.post_init.receivers):
        return False
    return signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)


def _blank(model: type[Model]) -> Model:
    instance = model.__new__(model)
    instance._state = ModelState()
    return instance


class QuickInstances:
    """Mixin for a model (before ``models.Model`` in its bases): quick loading and building."""

    @classmethod
    def from_db(cls, db, field_names, values):
        layout = _layout(cls)
        if layout is None or len(values) != len(layout.attnames) or _listened(cls):
            return super().from_db(db, field_names, values)
        instance = _blank(cls)
        instance._state.adding, instance._state.db = False, db
        instance.__dict__.update(zip(layout.attnames, values, strict=True))
        return instance

    @classmethod
    def build(cls, **values):
        """``cls(**values)`` for values keyed by column attribute (``contact_id``, not
        ``contact``): the same unsaved instance, without ``Model.__init__``."""
        layout = _layout(cls)
        if (
            layout is None
            or not layout.known.issuperset(values)
            or any(value is DEFERRED for value in values.values())
            or _listened(cls)
        ):
            return cls(**values)
        instance = _blank(cls)
        state = instance.__dict__
        state.update(layout.defaults)
        for attname, field in layout.default_factories:
            if attname not in values:
                state[attname] = field.get_default()
        state.update(values)
        return instance


def share_related(objects: list[Model], field_name: str) -> None:
    """One related object per id across a batch, read with one query: a broadcast's rows
    joined to their campaign would each build it again, its JSON settings parsed every time."""
    if not objects:
        return
    field = type(objects[0])._meta.get_field(field_name)
    ids = {getattr(obj, field.attname) for obj in objects} - {None}
    related = field.related_model._default_manager.in_bulk(ids)
    for obj in objects:
        key = getattr(obj, field.attname)
        if key is not None:
            setattr(obj, field.name, related[key])
