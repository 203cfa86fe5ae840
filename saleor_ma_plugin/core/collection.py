"""Python's cyclic garbage collector held off while a bounded batch builds its objects.

A batch of a thousand enrolments or messages allocates tens of thousands of short-lived
objects (model instances, rows, dicts) that reference counting frees; almost none form
cycles. Each allocation burst still triggers young-generation collections, and every
tenth of those walks the older generations too, which include the whole of Django and the
host's long-lived objects: a fifth of a batch's Python time went there. Pausing the
collector for the batch and collecting the young generation once afterwards frees the same
garbage at a fraction of the cost. The batch is bounded, so the memory held meanwhile is.

The collector is process-wide. A pause is counted, so nested or concurrent batches in
threads keep it paused until the last one ends, and a collector someone else disabled is
left disabled.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off cyclic collection for the block; collect the young generation afterwards."""
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            last = _pauses == 0
            if last and _resume:
                gc.enable()
        if last and _resume:
            gc.collect(0)
