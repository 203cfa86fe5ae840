"""Reads that every event of a processing batch would repeat, done once per batch.

Active campaigns per trigger and active score rules change rarely and are the same for
every event of a batch; looking them up once per batch instead of once per event is a
large share of an event's cost. A campaign activated during a batch is seen by the next
batch, a fraction of a second later. Outside a batch every call reads the database.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_batch_reads: ContextVar[dict | None] = ContextVar("saleor_ma_batch_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block, ``read_once`` loads each key at most once."""
    token = _batch_reads.set({})
    try:
        yield
    finally:
        _batch_reads.reset(token)


def read_once(key: Hashable, load: Callable[[], T]) -> T:
    reads = _batch_reads.get()
    if reads is None:
        return load()
    if key not in reads:
        reads[key] = load()
    return reads[key]
