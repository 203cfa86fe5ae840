"""Helpers for tests/test_engine_concurrency.py: real workers, due rows and an audit trail.

The audit trail is a PostgreSQL trigger on the enrolment table that logs every update of an
enrolment row, in the updating transaction, with the database session (``application_name``)
that made it. The runner writes a claimed row exactly once, so a row claimed twice shows as two
writes; a worker started here names its session through ``PGAPPNAME``, so the trail says which
process advanced which enrolment; and a rolled-back batch leaves no trace in it.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import redis
from django.db import connection
from django.utils import timezone

from saleor_ma_plugin.campaigns import EnrollmentStatus
from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.models import Campaign, Enrollment
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.messaging.models import Message
from tests.conftest import REDIS_URL

#: The queue conftest's ``broker_app`` sends to.
QUEUE = "saleor-ma-plugin-tests"
RUN_ENROLLMENTS = "saleor_ma_plugin.run_enrollments"
AUDIT_TABLE = "engine_test_enrollment_write"
_SUCCEEDED = re.compile(
    r"Task saleor_ma_plugin\.run_enrollments\[([\w-]+)\] succeeded in [\d.]+s: (\d+)"
)


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def wait_for(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy; fail naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# --- data ---------------------------------------------------------------------------------


def wait_then_send_campaign(name: str) -> Campaign:
    """An active campaign: wait one day, then send one email."""
    campaign = create_campaign(
        CampaignSpec(
            name=name,
            kind="nurturing",
            trigger={"type": "manual"},
            steps=(
                StepSpec("wait", "wait", {"days": 1}, "send"),
                StepSpec("send", "send", {"template": "t"}),
            ),
        )
    )
    return activate(campaign)


def due_enrollments(count: int, name: str, campaigns: int = 1) -> list[Campaign]:
    """``count`` contacts waiting in an elapsed wait step, spread over ``campaigns`` campaigns.

    Each campaign's enrolments form one block of the due order (``next_run_at``), so a batch
    of ``count / campaigns`` rows belongs to one campaign.
    """
    created = [wait_then_send_campaign(f"{name}-{index}") for index in range(campaigns)]
    past = timezone.now() - timedelta(days=2)
    contacts = Contact.objects.bulk_create(
        [Contact(email=f"{name}-{number}@example.com") for number in range(count)],
        batch_size=2000,
    )
    per_campaign = -(-count // campaigns)
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                campaign=created[number // per_campaign],
                contact=contact,
                trigger_key=f"{name}:{number}",
                step_key="wait",
                context={"waiting_at": "wait"},
                next_run_at=past + timedelta(milliseconds=number),
                started_at=past,
                status=EnrollmentStatus.ACTIVE,
            )
            for number, contact in enumerate(contacts)
        ],
        batch_size=2000,
    )
    return created


def due_count() -> int:
    return Enrollment.objects.filter(
        status=EnrollmentStatus.ACTIVE, next_run_at__lte=timezone.now()
    ).count()


# --- audit trail ----------------------------------------------------------------------------


def install_audit_trail() -> None:
    table = connection.ops.quote_name(Enrollment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE TABLE {AUDIT_TABLE} (
                id bigserial PRIMARY KEY,
                enrollment_id bigint NOT NULL,
                from_status text NOT NULL,
                to_status text NOT NULL,
                session text NOT NULL DEFAULT current_setting('application_name'),
                xid bigint NOT NULL DEFAULT txid_current(),
                xact_started timestamptz NOT NULL DEFAULT now(),
                written_at timestamptz NOT NULL DEFAULT clock_timestamp()
            );
            CREATE FUNCTION {AUDIT_TABLE}_log() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {AUDIT_TABLE} (enrollment_id, from_status, to_status)
                VALUES (NEW.id, OLD.status, NEW.status);
                RETURN NULL;
            END $$;
            CREATE TRIGGER {AUDIT_TABLE}_trigger AFTER UPDATE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {AUDIT_TABLE}_log();
            """
        )


def remove_audit_trail() -> None:
    table = connection.ops.quote_name(Enrollment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DROP TRIGGER IF EXISTS {AUDIT_TABLE}_trigger ON {table};
            DROP FUNCTION IF EXISTS {AUDIT_TABLE}_log();
            DROP TABLE IF EXISTS {AUDIT_TABLE};
            """
        )


def writes_by_session() -> dict[str, int]:
    """Committed enrolment row updates per database session name."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT session, count(*) FROM {AUDIT_TABLE} GROUP BY session")
        return dict(cursor.fetchall())


def overlapping_batches(session: str, other: str) -> int:
    """Pairs of committed transactions of two sessions that were open at the same time."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH batch AS (
                SELECT session, xid, min(xact_started) AS opened, max(written_at) AS wrote
                FROM {AUDIT_TABLE} GROUP BY session, xid
            )
            SELECT count(*) FROM batch a JOIN batch b
                ON a.session = %s AND b.session = %s
                AND a.opened < b.wrote AND b.opened < a.wrote
            """,
            [session, other],
        )
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class ExactlyOnce:
    """What the database says about campaigns' enrolments after the runners are done."""

    enrollments: int
    statuses: dict[str, int]
    messages: int
    enrollments_with_a_message: int
    keys_match: bool
    #: Messages whose scheduled_at differs from their enrolment's finished_at: written by
    #: another run than the one that finished the enrolment (a second claim of the row).
    messages_from_another_run: int
    writes: int
    enrollments_written: int
    write_kinds: dict[tuple[str, str], int]


def exactly_once_report(*campaigns: Campaign) -> ExactlyOnce:
    """Count what the runners left behind for the enrolments of ``campaigns``."""
    campaign_ids = [campaign.pk for campaign in campaigns]
    enrollments = Enrollment.objects.filter(campaign_id__in=campaign_ids)
    enrollment_ids = set(enrollments.values_list("pk", flat=True))
    statuses: dict[str, int] = {}
    for status in enrollments.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    messages = Message.objects.filter(campaign_id__in=campaign_ids)
    keys = set(messages.values_list("idempotency_key", flat=True))
    enrollment_table = connection.ops.quote_name(Enrollment._meta.db_table)
    message_table = connection.ops.quote_name(Message._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {message_table} m JOIN {enrollment_table} e "
            "ON e.id = m.enrollment_id WHERE e.campaign_id = ANY(%s) "
            "AND m.scheduled_at IS DISTINCT FROM e.finished_at",
            [campaign_ids],
        )
        (from_another_run,) = cursor.fetchone()
        cursor.execute(
            f"SELECT count(*), count(DISTINCT a.enrollment_id) FROM {AUDIT_TABLE} a "
            f"JOIN {enrollment_table} e ON e.id = a.enrollment_id WHERE e.campaign_id = ANY(%s)",
            [campaign_ids],
        )
        writes, written = cursor.fetchone()
        cursor.execute(
            f"SELECT a.from_status, a.to_status, count(*) FROM {AUDIT_TABLE} a "
            f"JOIN {enrollment_table} e ON e.id = a.enrollment_id WHERE e.campaign_id = ANY(%s) "
            "GROUP BY 1, 2",
            [campaign_ids],
        )
        kinds = {(before, after): number for before, after, number in cursor.fetchall()}
    return ExactlyOnce(
        enrollments=len(enrollment_ids),
        statuses=statuses,
        messages=messages.count(),
        enrollments_with_a_message=len(
            set(messages.values_list("enrollment_id", flat=True)) & enrollment_ids
        ),
        keys_match=keys == {f"enrollment:{pk}:send" for pk in enrollment_ids},
        messages_from_another_run=from_another_run,
        writes=writes,
        enrollments_written=written,
        write_kinds=kinds,
    )


def expected_exactly_once(count: int) -> ExactlyOnce:
    """The report of ``count`` enrolments that each completed once with one message."""
    return ExactlyOnce(
        enrollments=count,
        statuses={EnrollmentStatus.COMPLETED: count},
        messages=count,
        enrollments_with_a_message=count,
        keys_match=True,
        messages_from_another_run=0,
        writes=count,
        enrollments_written=count,
        write_kinds={(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED): count},
    )


# --- workers --------------------------------------------------------------------------------


def database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


class Worker:
    """A real ``celery worker --pool=solo`` of the standalone host, in its own process."""

    def __init__(self, name: str, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": REDIS_URL,
            # libpq names the worker's database session: the audit trail records it.
            "PGAPPNAME": name,
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "saleor_ma_plugin.standalone",
                    "worker",
                    "--pool=solo",
                    f"--queues={QUEUE}",
                    f"--hostname={name}@%h",
                    "--loglevel=INFO",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"worker {self.name} exited early:\n{self.log()}")
        return " ready." in self.log()

    def results(self) -> dict[str, list[int]]:
        """run_enrollments results this worker logged, per task id."""
        results: dict[str, list[int]] = {}
        for task_id, advanced in _SUCCEEDED.findall(self.log()):
            results.setdefault(task_id, []).append(int(advanced))
        return results

    def pause(self) -> None:
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.resume()  # a stopped process would hold its SIGTERM
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def session_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            [name],
        )
        return cursor.fetchone()[0] > 0


def holds_open_batch(name: str) -> bool:
    """Does session ``name`` hold a transaction that has locked or written rows and is not
    committing? Once its client is stopped, such a transaction can only roll back."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database() "
            "AND backend_xid IS NOT NULL AND (state = 'idle in transaction' "
            "OR (state = 'active' AND query NOT ILIKE 'commit%%'))",
            [name],
        )
        return cursor.fetchone()[0] > 0
