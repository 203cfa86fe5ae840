"""Shared helpers for benchmark scripts: timing statistics and the JSON result line."""

import json
import math
import socket
import statistics
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit


@dataclass(frozen=True)
class Timing:
    samples_ms: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p90(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[math.ceil(0.9 * len(ordered)) - 1]  # nearest rank

    def describe(self, label: str) -> str:
        return (
            f"{label:<44} median {self.median:8.3f} ms   p90 {self.p90:8.3f} ms   "
            f"n={len(self.samples_ms)}"
        )


def result_line(bench: str, value: float, unit: str, baseline: float, budget: float) -> str:
    """The one JSON line every bench ends with; ``ok`` compares the ratio with the budget."""
    ratio = value / baseline if baseline else float("inf")
    return json.dumps(
        {
            "bench": bench,
            "value": round(value, 4),
            "unit": unit,
            "baseline": round(baseline, 4),
            "ratio": round(ratio, 4),
            "budget": budget,
            "ok": ratio <= budget,
        }
    )


def result_line_within(bench: str, value: float, unit: str, baseline: float, budget: float) -> str:
    """The JSON line for an absolute budget: ``ok`` compares the value itself with the budget.

    ``ratio`` is still value / baseline, so the figure can be compared across machines.
    """
    ratio = value / baseline if baseline else float("inf")
    return json.dumps(
        {
            "bench": bench,
            "value": round(value, 4),
            "unit": unit,
            "baseline": round(baseline, 4),
            "ratio": round(ratio, 4),
            "budget": budget,
            "ok": value <= budget,
        }
    )


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(samples, fraction: float) -> float:
    """Nearest-rank percentile, as Timing.p90 computes it; ``fraction`` in (0, 1]."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


@contextmanager
def scratch_database(url: str):
    """Create the PostgreSQL database named in ``url`` (dropping a leftover first); drop it after.

    The bench owns this database entirely; it never touches another database's tables.
    Close every connection to it (``django.db.connections.close_all()``) before leaving.
    """
    import psycopg  # only the benches that need a server database import it

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name.startswith("bench_"):
        raise ValueError(f"refusing to create and drop {name!r}: bench databases start bench_")
    maintenance = urlunsplit(parts._replace(path="/postgres"))

    def admin(statement: str) -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(statement)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine_busy_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot, from /proc/stat (Linux)."""
    try:
        with open("/proc/stat") as stat:
            values = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return sum(values) - idle, sum(values)


def busy_between(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Fraction of the machine's CPU time that was busy between two machine_busy_ticks()."""
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total else 0.0


def describe_idle_machine(sample_seconds: float = 2.0) -> str:
    """One line on how busy the machine is before the bench starts: other load skews it."""
    import time

    before = machine_busy_ticks()
    time.sleep(sample_seconds)
    busy = busy_between(before, machine_busy_ticks())
    warning = "" if busy < 0.10 else "  WARNING: other load on the machine skews the figures"
    return f"machine before the bench: {busy:.0%} CPU busy over {sample_seconds:g} s{warning}"


# Bulk SQL shared by the benches that generate large data sets.


def table(model) -> str:
    from django.db import connection

    return connection.ops.quote_name(model._meta.db_table)


def build_insert_select(model, values: dict[str, str], tail: str, params=()):
    """(sql, params) for ``INSERT INTO <model> (...) SELECT ... <tail>``.

    ``values`` maps field names to SQL expressions; every other NOT NULL column gets its
    Django default, so the statement keeps working when a column with a default is added.
    """
    from django.db import connection

    quote = connection.ops.quote_name
    columns, expressions, default_params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.name in values:
            expression = values[field.name]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expression = "now()"
        elif field.null:
            continue
        elif field.has_default() or field.empty_strings_allowed:
            expression = "%s"
            default = field.get_default() if field.has_default() else ""
            default_params.append(field.get_db_prep_save(default, connection))
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        columns.append(quote(field.column))
        expressions.append(expression)
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(columns)}) SELECT {', '.join(expressions)} {tail}"
    )
    return sql, [*default_params, *params]
