"""Personalized marketing email per second, through the real send loop, to a local SMTP sink.

The sink is Postfix's ``smtp-sink`` (Debian package ``postfix``): a pure-Python sink
(aiosmtpd, ~140 messages/s here) would be the bottleneck and measure nothing. In the same
run, a trivial sender pushes one pre-rendered message over the same number of connections
with smtplib: that is the transport's limit, the baseline. The two alternate in rounds (3 by
default) and the medians are reported, so a slow spell of the machine favours neither. The
engine's messages are rendered from the shipped ``newsletter`` template with the reader's
own unsubscribe and preference links, a tracked product grid of recommendations, the open
pixel and List-Unsubscribe headers; consent, suppression and smart sending are checked for
every message, and every result is written back with its delivery attempt.

Both sides are measured warm, as a long-running worker sends: each process first sends
``WARM_UP`` messages untimed (the engine's first batch opens its database connection,
loads the settings and compiles the template and the validators' patterns once per
process), then all wait at a barrier and the clock starts; CPU is counted from there.

With ``--blocks`` the newsletter is written in content blocks instead (see ``_blocks.py``:
an RSS feed, product picks by SKU and one conditional block), and must keep the same share.
With ``--journal-ab`` each round also runs the engine without its send journal
(``SALEOR_MA_SEND_JOURNAL = False``), the two engine runs in alternating order, to measure
what the journal costs; the journal goes to ``REDIS_URL`` (set it to a scratch database).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_send python bench/send_throughput.py

Budget: >= 1,000 messages/s and >= 80 % of the sink's limit, on 2 cores with 2 workers.
"""

import argparse
import json
import multiprocessing
import os
import resource
import smtplib
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _blocks import prepare_blocks, serve_feed
from _common import free_port, scratch_database

SINK = "/usr/sbin/smtp-sink"
WORKERS = 2
TARGET_PER_SECOND = 1000
TARGET_SHARE = 0.8
#: Messages each process sends before the clock starts (see the module docstring).
WARM_UP = 100


def setup_django(port: int, internal_feeds: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")
    os.environ.pop("CELERY_BROKER_URL", None)
    import django
    from django.conf import settings

    os.environ["DEBUG"] = "0"  # measure what production runs

    django.setup()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SALEOR_MA_ALLOW_INTERNAL_FEEDS = internal_feeds  # the bench's feed is local
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "quiet_hours": "",
        "smart_sending_hours": "16",
        "storefront_url": "https://shop.example.com",
        "public_base_url": "https://api.example.com",
        "email_backend": "django.core.mail.backends.smtp.EmailBackend",
    }


def prepare(count: int, feed_url: str = "") -> None:
    """Contacts with consent, products with images, one queued newsletter message each."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        insert_subscribed_readers(cursor, count)
        # campaign, step and context: none for the template newsletter, the issue's for blocks
        issue = prepare_blocks(cursor, feed_url) if feed_url else "NULL, '', '{}'::jsonb"
        cursor.execute(
            f"""INSERT INTO saleor_ma_plugin_message (idempotency_key, contact_id, channel,
                   template, topic, transactional, variant, status, scheduled_at, campaign_id,
                   step_key, context, attempts, provider_message_id, created_at, last_error)
               SELECT 'bench:' || id, id, 'email', 'newsletter', '', false, '', 'queued', now(),
                   {issue}, 0, '', now(), '' FROM saleor_ma_plugin_contact"""
        )
        # A shop's tables have statistics (autovacuum analyses them soon after a bulk load):
        # without them the first rounds would measure plans no production send sees.
        cursor.execute("ANALYZE")


def insert_subscribed_readers(cursor, count: int) -> None:
    """N contacts subscribed to email, and 24 products to recommend to them."""
    cursor.execute(
        """INSERT INTO saleor_ma_plugin_contact (email, saleor_user_id, first_name,
               last_name, language_code, timezone, country, phone, attributes, lead_score,
               lifecycle_stage, orders_count, created_at, updated_at)
           SELECT 'reader' || n || '@example.com', '', 'Reader' || n, '', 'en', 'UTC', 'DE',
               '', '{}', 0, 'subscriber', 0, now(), now() FROM generate_series(1, %s) AS n""",
        [count],
    )
    cursor.execute(
        """INSERT INTO saleor_ma_plugin_consent (contact_id, channel, topic, status,
               confirmation_token_hash, confirmed_at, updated_at)
           SELECT id, 'email', '', 'subscribed', '', now(), now()
           FROM saleor_ma_plugin_contact"""
    )
    cursor.execute(
        """INSERT INTO saleor_ma_plugin_catalogueproduct (product_id, name, slug, category_id,
               image_url, price, currency, in_stock, popularity, names)
           SELECT 'p' || n, 'Coffee no. ' || n, 'coffee-' || n, 'c' || (n % 3),
               'https://cdn.example.com/p' || n || '.jpg', 9.9 + n, 'EUR', true, 100 - n,
               '{}'::jsonb
           FROM generate_series(1, 24) AS n"""
    )


def engine_worker(
    port: int, database_url: str, limit: int, blocks: bool, journal: bool, ready, results
) -> None:
    os.environ["DATABASE_URL"] = database_url
    setup_django(port, internal_feeds=blocks)
    from django.conf import settings

    settings.SALEOR_MA_SEND_JOURNAL = journal
    from saleor_ma_plugin.messaging.delivery import BATCH_SIZE, deliver_due_messages

    def send(count: int) -> int:
        sent = 0
        while sent < count and (
            claimed := deliver_due_messages(batch_size=min(BATCH_SIZE, count - sent))
        ):
            sent += claimed
        return sent

    send(WARM_UP)
    ready.wait()
    started = _cpu_seconds()
    sent = send(limit)
    results.put((sent, _cpu_seconds() - started))


def trivial_worker(port: int, payload: bytes, count: int, ready, results) -> None:
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(WARM_UP):
            smtp.sendmail("shop@example.com", ["reader@example.com"], payload)
        ready.wait()
        started = _cpu_seconds()
        for _ in range(count):
            smtp.sendmail("shop@example.com", ["reader@example.com"], payload)
    results.put((count, _cpu_seconds() - started))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_processes(target, argument_sets) -> tuple[float, int]:
    elapsed, sent, _ = run_measured(target, argument_sets)
    return elapsed, sent


def redis_cpu() -> float:
    """The journal's Redis server's CPU seconds so far (its work is part of the cost)."""
    import redis

    from saleor_ma_plugin.core.redis_url import redis_url

    cpu = redis.Redis.from_url(redis_url()).info("cpu")
    return cpu["used_cpu_user"] + cpu["used_cpu_sys"]


def run_measured(target, argument_sets) -> tuple[float, int, float]:
    """Wall time, messages sent, and the CPU seconds the processes used (user and system),
    all from the moment every process is warm."""
    context = multiprocessing.get_context("fork")
    results, ready = context.Queue(), context.Barrier(len(argument_sets) + 1)
    processes = [
        context.Process(target=target, args=(*args, ready, results)) for args in argument_sets
    ]
    for process in processes:
        process.start()
    ready.wait(timeout=300)  # every process warm: the clock starts
    started = time.perf_counter()
    reports = [results.get() for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return elapsed, sum(sent for sent, _ in reports), sum(cpu for _, cpu in reports)


def sample_payload() -> bytes:
    """One message exactly as the engine renders it: the trivial sender's pre-rendered bytes."""
    from django.conf import settings
    from django.core import mail

    from saleor_ma_plugin.core.host import forget_settings
    from saleor_ma_plugin.messaging.delivery import deliver_due_messages
    from saleor_ma_plugin.messaging.models import Message

    smtp_settings = settings.SALEOR_MA_PLUGIN
    settings.SALEOR_MA_PLUGIN = {
        **smtp_settings,
        "email_backend": "django.core.mail.backends.locmem.EmailBackend",
    }
    forget_settings()
    mail.outbox = []
    deliver_due_messages(batch_size=1)
    settings.SALEOR_MA_PLUGIN = smtp_settings
    forget_settings()
    Message.objects.update(status="queued", sent_at=None, attempts=0)  # sent again for real
    return mail.outbox[0].message().as_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=30000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--blocks", action="store_true", help="a newsletter of content blocks (see _blocks.py)"
    )
    parser.add_argument(
        "--journal-ab", action="store_true", help="also run the engine without its send journal"
    )
    arguments = parser.parse_args()
    if not Path(SINK).exists():
        sys.exit(
            "smtp-sink not found: apt-get install postfix (the bench only uses its smtp-sink)."
        )
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_send")
    port = free_port()
    sink = subprocess.Popen(
        [SINK, "-c", "-u", "nobody", f"127.0.0.1:{port}", "1000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    try:
        with scratch_database(url):
            os.environ["DATABASE_URL"] = url
            setup_django(port, internal_feeds=arguments.blocks)
            sides = (True, False) if arguments.journal_ab else (True,)
            warm_ups = WARM_UP * WORKERS * arguments.rounds * len(sides)
            prepare(arguments.messages + warm_ups, serve_feed() if arguments.blocks else "")
            payload = sample_payload()
            from django.db import connections

            connections.close_all()
            # Rounds alternate the senders, so a slower spell of the machine hits each.
            per_worker = arguments.messages // (WORKERS * arguments.rounds * len(sides))
            rounds, unjournaled, cpu_with, cpu_without = [], [], [], []
            for number in range(arguments.rounds):
                trivial_time, trivial_sent = run_processes(
                    trivial_worker, [(port, payload, per_worker)] * WORKERS
                )
                trivial_rate = trivial_sent / trivial_time
                for journal in sides if number % 2 == 0 else sides[::-1]:
                    redis_before = redis_cpu() if arguments.journal_ab else 0.0
                    engine_time, engine_sent, engine_cpu = run_measured(
                        engine_worker,
                        [(port, url, per_worker, arguments.blocks, journal)] * WORKERS,
                    )
                    redis_used = redis_cpu() - redis_before if arguments.journal_ab else 0.0
                    engine_rate = engine_sent / engine_time
                    per_message = (engine_cpu + redis_used) / engine_sent * 1e6
                    (rounds if journal else unjournaled).append((engine_rate, trivial_rate))
                    (cpu_with if journal else cpu_without).append(per_message)
                    print(
                        f"round {number + 1}: engine{'' if journal else ' without journal'} "
                        f"{engine_rate:6.0f}/s, trivial sender {trivial_rate:6.0f}/s, "
                        f"share {engine_rate / trivial_rate:.1%}; CPU per message "
                        f"{per_message:.0f} µs (Redis {redis_used / engine_sent * 1e6:.1f})"
                    )

            from saleor_ma_plugin.messaging.models import Message

            statuses = dict(
                Message.objects.values_list("status").annotate(
                    n=__import__("django").db.models.Count("pk")
                )
            )
            connections.close_all()
    finally:
        sink.terminate()
        sink.wait()
    engine_rate = statistics.median(engine for engine, _ in rounds)
    trivial_rate = statistics.median(trivial for _, trivial in rounds)
    share = statistics.median(engine / trivial for engine, trivial in rounds)
    content = (
        "content blocks: an RSS feed, 4 product picks, a conditional block"
        if arguments.blocks
        else "newsletter template with 4 recommended products"
    )
    print(
        f"{per_worker * WORKERS * len(rounds)} personalized emails ({len(payload):,} bytes "
        f"each, {content}) over {WORKERS} workers / connections to smtp-sink, in "
        f"{len(rounds)} rounds (medians below), each process timed once warm "
        f"({WARM_UP} untimed messages first)"
    )
    print(f"message statuses afterwards: {statuses}")
    print(f"engine (claim, policy, render, track, send, record): {engine_rate:8.0f} messages/s")
    print(f"trivial sender, pre-rendered bytes (sink limit):       {trivial_rate:8.0f} messages/s")
    print(f"share of the sink's limit: {share:.0%}")
    if unjournaled:
        plain = statistics.median(engine / trivial for engine, trivial in unjournaled)
        print(f"without the send journal: {plain:.1%} (with it: {share:.1%})")
        with_journal, without = statistics.median(cpu_with), statistics.median(cpu_without)
        print(
            f"CPU per message (workers and Redis, medians): {with_journal:.0f} µs with the "
            f"journal, {without:.0f} µs without: {with_journal / without - 1:+.1%}"
        )
    print(
        json.dumps(
            {
                "bench": "send_throughput_blocks" if arguments.blocks else "send_throughput",
                "value": round(engine_rate, 1),
                "unit": "messages/s",
                "baseline": round(trivial_rate, 1),
                "ratio": round(share, 4),
                "budget": {
                    "messages_per_second": TARGET_PER_SECOND,
                    "share_of_sink": TARGET_SHARE,
                },
                "ok": engine_rate >= TARGET_PER_SECOND and share >= TARGET_SHARE,
            }
        )
    )


if __name__ == "__main__":
    main()
