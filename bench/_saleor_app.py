"""The App in a real Saleor on loopback, for benches: databases, the five processes, the install.

As ``tests/saleor/test_app_end_to_end_in_saleor.py`` wires them: Saleor's API (uvicorn) and
Saleor's own Celery worker on a Saleor database (Saleor's HTTP IP filter on, loopback
allowed), the App service (the standalone host in App mode: gunicorn, and a Celery worker
with beat) on a database of its own, and the App installed with ``appInstall`` from its
manifest URL by a superuser, Saleor's worker fetching the manifest and handing the App its
token. The Saleor processes run ``saleor_bench_settings`` (Saleor's settings plus the clock
on its webhook sends); this process runs them too and must be Saleor's Python.
"""

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from _common import free_port

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
#: The App's queue on the shared broker; Saleor's tasks keep Saleor's default queue.
APP_QUEUE = "bench-marketing-app"
APP_INSTALL = """
mutation install($input: AppInstallInput!) {
  appInstall(input: $input) { appInstallation { id status } errors { field code message } }
}
"""


def saleor_source_dir() -> Path:
    """The Saleor checkout: ``SALEOR_SOURCE_DIR``, else the working directory."""
    root = Path(os.environ.get("SALEOR_SOURCE_DIR") or os.getcwd()).resolve()
    if not (root / "saleor" / "settings.py").is_file():
        raise SystemExit(
            f"{root} is not a Saleor checkout: run the bench from one with its Python "
            "(cd /path/to/saleor && .venv/bin/python /path/to/bench/webhook_intake.py --saleor)"
        )
    return root


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str, statement: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def database_exists(url: str) -> bool:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]
        )
        return found.fetchone() is not None


@contextmanager
def copied_database(url: str, template: str):
    """Create the database of ``url`` as a copy of ``template``; drop it afterwards."""
    name = database_name(url)
    if not name.startswith("bench_"):
        raise SystemExit(f"refusing to create and drop {name!r}: bench databases start bench_")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield url
    finally:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_saleor_template(url: str, env: dict) -> float:
    """Migrate and stock a new Saleor database (``_saleor_template.py``); seconds it took."""
    started = time.perf_counter()
    _admin(url, f'CREATE DATABASE "{database_name(url)}"')
    for step in ("stock", "order"):
        done = subprocess.run(
            [sys.executable, str(BENCH_DIR / "_saleor_template.py"), step],
            env={**env, "DATABASE_URL": url},
            check=False,
        )
        if done.returncode:
            break
    if done.returncode:
        _admin(url, f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
        raise SystemExit("building the Saleor template database failed")
    return time.perf_counter() - started


def rsa_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class Services:
    """Saleor's API and worker, the App's web and worker; their logs in ``log_dir``."""

    def __init__(self, arguments, log_dir: Path) -> None:
        self.arguments, self.log_dir, self.processes = arguments, log_dir, {}
        self.saleor_url = f"http://127.0.0.1:{free_port()}"
        self.app_url = f"http://127.0.0.1:{free_port()}"
        path = [str(saleor_source_dir()), str(BENCH_DIR), str(ROOT)]
        base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
        python_path = os.pathsep.join([*path, *filter(None, [base.get("PYTHONPATH")])])
        self.saleor_env = {
            **base,
            "PYTHONPATH": python_path,
            "DJANGO_SETTINGS_MODULE": "saleor_bench_settings",
            "DATABASE_URL": arguments.database_url,
            "CELERY_BROKER_URL": arguments.redis_url,
            "CACHE_URL": arguments.redis_url,
            "BENCH_SEND_LOG_URL": arguments.redis_url,
            "SECRET_KEY": "bench-webhook-saleor-" + "x" * 40,
            "RSA_PRIVATE_KEY": rsa_key_pem(),
            "PUBLIC_URL": f"{self.saleor_url}/",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "ALLOWED_CLIENT_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "False",
            # Persistent connections, as production runs its workers (Saleor's default, 0,
            # opens a PostgreSQL connection per task); the environment decides.
            "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
            # Saleor's filter stays on; loopback is where the App listens.
            "HTTP_IP_FILTER_ENABLED": "True",
            "HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS": "True",
        }
        self.app_env = {
            **base,
            "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [base.get("PYTHONPATH")])]),
            "DJANGO_SETTINGS_MODULE": "saleor_ma_plugin.standalone.settings",
            "DATABASE_URL": arguments.app_database_url,
            "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
            "SECRET_KEY": "bench-webhook-app",
            "CELERY_BROKER_URL": arguments.redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": APP_QUEUE,
            "SALEOR_MA_APP_SALEOR_API_URL": f"{self.saleor_url}/graphql/",
            "SALEOR_MA_APP_ALLOW_INTERNAL": "1",
            "SALEOR_MA_APP_DEFAULT_CHANNEL": "default-channel",
            "SALEOR_MA_PUBLIC_BASE_URL": self.app_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "0",
        }

    def start(self, name: str, command: list[str], env: dict) -> None:
        log = (self.log_dir / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.log_dir
        )

    def start_all(self) -> None:
        arguments, bin_dir = self.arguments, Path(sys.executable).parent
        app_python, saleor_port = arguments.app_python, urlsplit(self.saleor_url).port
        celery = ["worker", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.start(
            "saleor-api",
            [
                str(bin_dir / "uvicorn"),
                "saleor.asgi:application",
                "--host=127.0.0.1",
                f"--port={saleor_port}",
                "--lifespan=off",
                "--no-access-log",
            ],
            self.saleor_env,
        )
        self.start(
            "saleor-worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "saleor.celeryconf:app",
                *celery,
                f"--concurrency={arguments.saleor_concurrency}",
                "--loglevel=WARNING",
            ],
            self.saleor_env,
        )
        self.start(
            "app-web",
            [
                app_python,
                "-m",
                "gunicorn",
                f"--workers={arguments.app_web_workers}",
                f"--bind={urlsplit(self.app_url).netloc}",
                "--backlog=256",
                "--log-level=warning",
                "saleor_ma_plugin.standalone.wsgi:application",
            ],
            self.app_env,
        )
        self.start(
            "app-worker",
            [
                app_python,
                "-m",
                "celery",
                "-A",
                "saleor_ma_plugin.standalone",
                *celery,
                "--beat",
                f"--schedule={self.log_dir / 'beat-schedule'}",
                f"--concurrency={arguments.app_concurrency}",
                "--loglevel=WARNING",
            ],
            self.app_env,
        )
        for url in (f"{self.saleor_url}/graphql/", f"{self.app_url}/app/manifest/"):
            self.wait_for(url, lambda url=url: _answers(url))

    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.processes.items()}

    def wait_for(self, what: str, check, patience: float = 120.0):
        """Poll ``check`` until it returns something truthy; exit with the logs if not."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            if result := check():
                return result
            for name, process in self.processes.items():
                if process.poll() is not None:
                    self.fail(f"{name} exited while waiting for {what}")
            time.sleep(0.2)
        self.fail(f"gave up waiting for {what}")

    def fail(self, reason: str):
        for path in sorted(self.log_dir.glob("*.log")):
            print(f"--- {path.name}\n{path.read_text()[-3000:]}")
        raise SystemExit(reason)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def app_step(self, *arguments: str) -> dict:
        """One step of ``_saleor_app_steps.py`` in the App's Python and settings."""
        done = subprocess.run(
            [self.arguments.app_python, str(BENCH_DIR / "_saleor_app_steps.py"), *arguments],
            env=self.app_env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            self.fail(f"App step {arguments} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def install_app(self, staff_email: str) -> float:
        """``appInstall`` from the manifest URL; seconds until the App held its token."""
        import requests
        from saleor.account.models import User
        from saleor.core.jwt import create_access_token

        token = create_access_token(User.objects.get(email=staff_email))
        manifest = requests.get(f"{self.app_url}/app/manifest/", timeout=30).json()
        started = time.perf_counter()
        response = requests.post(
            f"{self.saleor_url}/graphql/",
            json={
                "query": APP_INSTALL,
                "variables": {
                    "input": {
                        "appName": manifest["name"],
                        "manifestUrl": f"{self.app_url}/app/manifest/",
                        "permissions": manifest["permissions"],
                    }
                },
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        ).json()
        if response.get("errors") or response["data"]["appInstall"]["errors"]:
            self.fail(f"appInstall failed: {response}")
        self.wait_for("the App's token", self._installed)
        return time.perf_counter() - started

    def _installed(self) -> bool:
        with psycopg.connect(self.arguments.app_database_url) as connection:
            rows = connection.execute(
                "SELECT count(*) FROM saleor_ma_plugin_saleorinstallation "
                "WHERE encrypted_token <> ''"
            )
            return rows.fetchone()[0] == 1


def _answers(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=10).status_code < 500
    except requests.RequestException:  # not listening yet
        return False
