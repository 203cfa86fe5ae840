"""Inserting a row unless its unique value is taken, without a savepoint around it.

A worker that creates a row another worker may create at the same moment (a contact for a
new email) must survive the unique violation. Catching ``IntegrityError`` needs a savepoint
(the error aborts the transaction otherwise): SAVEPOINT and RELEASE are two more round trips
for every row, which cost more than the insert itself in a batch of new contacts.
``INSERT ... ON CONFLICT (column) DO NOTHING RETURNING`` says the same without an error.
"""

from django.db import IntegrityError, connections, models, router, transaction

#: Databases whose INSERT takes ``ON CONFLICT (column) DO NOTHING`` and ``RETURNING``.
_ON_CONFLICT_VENDORS = ("postgresql", "sqlite")


def insert_unless_taken(instance: models.Model, unique_field: str) -> bool:
    """Insert ``instance`` unless a row holds its ``unique_field`` value already.

    True: inserted, ``instance`` has its primary key and is saved. False: the value is
    taken, nothing was written, and the caller's transaction goes on. Like
    ``save(force_insert=True)`` (``auto_now`` fields are set), but sends no model signals.
    """
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    if (
        connection.vendor not in _ON_CONFLICT_VENDORS
        or not connection.features.can_return_columns_from_insert
    ):
        try:
            with transaction.atomic(using=alias):
                instance.save(force_insert=True, using=alias)
        except IntegrityError:
            return False
        return True
    meta, quote = model._meta, connection.ops.quote_name
    columns = [
        field
        for field in meta.concrete_fields
        if not (field.primary_key and getattr(instance, field.attname) is None)
    ]
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in columns
    ]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote(meta.get_field(unique_field).column)}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding, instance._state.db = False, alias
    return True
