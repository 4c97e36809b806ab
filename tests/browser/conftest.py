"""Browser-test infrastructure: Debian Chromium, a real SMTP sink, one live IMI app per session.

Fixtures
- ``browser_type_launch_args``: Playwright launches Debian's ``/usr/bin/chromium`` headless.
- ``smtp_server``: an aiosmtpd server on 127.0.0.1 that collects every message the app sends;
  ``smtp_server.wait_for(predicate, timeout=30)`` returns the first matching message.
- ``live_app``: migrates and seeds a fresh SQLite database in a temp dir and runs
  ``reflex run --env prod`` (frontend and backend on one port) against it; yields an object with
  ``.url``, ``.db_url``, ``.env``, ``.data_dir`` (and ``.log_path``, ``.port``).
- ``base_url``: ``live_app.url``, so ``page.goto("/some/route")`` works.
- ``hydrate``: ``hydrate(page)`` waits until Reflex has rendered the page.
- ``shot``: ``shot(page, name)`` saves a full-page PNG to ``test-artifacts/screenshots/<name>.png``.

The browser tests run after all other tests (see ``pytest_collection_modifyitems``).
Only one Reflex app runs per test session. Under pytest-xdist every test in tests/browser is put
in the xdist group "browser" (pytest.ini uses ``--dist loadgroup``), so a single worker runs them
all and starts the app once. The app builds its frontend in its own web directory inside the
session's temp dir, so it never touches the project's ``.web`` (a running demo is safe) and two
test sessions never share a build.
"""

from __future__ import annotations

import email
import email.policy
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = "/usr/bin/chromium"
STARTUP_TIMEOUT = 300.0
STOP_TIMEOUT = 20.0

TEST_SECRETS = {
    "IMI_PASSWORD_PEPPER": "test-password-pepper-0123456789abcdefghijklmnop",
    "IMI_CODE_PEPPER": "test-code-pepper-0123456789abcdefghijklmnopqrstu",
    "IMI_TOTP_KEY": "test-totp-key-0123456789abcdefghijklmnopqrstuvwxy",
    "IMI_SESSION_KEY": "test-session-key-0123456789abcdefghijklmnopqrstu",
}
# The privacy notice names this address; the accessibility statement has none, so it shows its fallback.
PRIVACY_CONTACT = "data-protection@imi.example.eu"


# --------------------------------------------------------------------------------------------
# xdist: keep every browser test on one worker, so one live app serves them all.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group the browser tests for xdist and run them after all other tests.

    Playwright's sync API marks its asyncio loop as running in the main thread for as long as
    its session-scoped fixtures live, so a later test calling ``asyncio.run()`` would fail with
    "cannot be called from a running event loop". Running the browser tests last avoids that.
    """
    here = Path(__file__).resolve().parent
    browser_items, other_items = [], []
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.xdist_group("browser"))
            item.add_marker(pytest.mark.browser)
            browser_items.append(item)
        else:
            other_items.append(item)
    items[:] = other_items + browser_items


# --------------------------------------------------------------------------------------------
# Playwright with Debian's Chromium.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# --------------------------------------------------------------------------------------------
# Helpers.


def free_port() -> int:
    """A TCP port that is free on all interfaces right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("", 0))
        return sock.getsockname()[1]


def save_screenshot(page, name: str) -> Path:
    """Save a full-page PNG of ``page`` to test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_hydrated(page, timeout: float = 30_000) -> None:
    """Wait until Reflex has rendered the page and the network (event socket aside) is quiet."""
    page.wait_for_load_state("load", timeout=timeout)
    page.wait_for_function(
        "() => { const r = document.getElementById('root') || document.body;"
        " return !!r && r.innerText.trim().length > 0; }",
        timeout=timeout,
    )
    page.wait_for_load_state("networkidle", timeout=timeout)


@pytest.fixture
def hydrate() -> Callable[..., None]:
    """``hydrate(page)``: wait until the page is rendered by Reflex and the network is quiet."""
    return wait_hydrated


@pytest.fixture
def shot() -> Callable[..., Path]:
    """``shot(page, name)``: full-page screenshot to test-artifacts/screenshots/<name>.png."""
    return save_screenshot


# --------------------------------------------------------------------------------------------
# SMTP sink.


@dataclass
class ReceivedMail:
    """One message as the SMTP server received it."""

    message: EmailMessage
    mail_from: str
    rcpt_tos: list[str]


class SmtpSink:
    """aiosmtpd handler that keeps every message; thread-safe to read from tests."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.received: list[ReceivedMail] = []
        self._cond = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd hook
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        message = email.message_from_bytes(content, policy=email.policy.default)
        with self._cond:
            self.received.append(
                ReceivedMail(message, envelope.mail_from, list(envelope.rcpt_tos))
            )
            self._cond.notify_all()
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        """Parsed messages in arrival order."""
        with self._cond:
            return [r.message for r in self.received]

    def clear(self) -> None:
        with self._cond:
            self.received.clear()

    def wait_for(
        self, predicate: Callable[[EmailMessage], bool] | None = None, timeout: float = 30
    ) -> EmailMessage:
        """Return the first message (arrival order) for which ``predicate`` is true.

        Waits up to ``timeout`` seconds for it to arrive; fails the test otherwise.
        """
        predicate = predicate or (lambda _m: True)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for record in self.received:
                    if predicate(record.message):
                        return record.message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [
                        f"{r.message.get('To')!s}: {r.message.get('Subject')!s}"
                        for r in self.received
                    ]
                    pytest.fail(
                        f"no matching e-mail within {timeout:g} s; received {len(seen)}: {seen}"
                    )
                self._cond.wait(min(remaining, 0.25))


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    sink.port = free_port()
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


# --------------------------------------------------------------------------------------------
# The live app.


@dataclass
class LiveApp:
    url: str
    port: int
    db_url: str
    data_dir: Path
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, lines: int = 80) -> str:
        return _tail(self.log_path, lines)


def _tail(path: Path, lines: int = 80) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return "".join(deque(fh, maxlen=lines))
    except OSError as exc:
        return f"(no log: {exc})"


def _npm_registry() -> str | None:
    if os.environ.get("NPM_CONFIG_REGISTRY"):
        return os.environ["NPM_CONFIG_REGISTRY"]
    npm = shutil.which("npm")
    if not npm:
        return None
    try:
        out = subprocess.run(
            [npm, "config", "get", "registry"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def app_env(tmp: Path, port: int, smtp: SmtpSink) -> dict[str, str]:
    """The app's environment: the caller's, minus IMI_*/Redis, plus the test settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("IMI_")
        and k not in ("REFLEX_REDIS_URL", "REFLEX_FRONTEND_PORT", "REFLEX_BACKEND_PORT")
        and not k.startswith("PYTEST_")
    }
    # Same as scripts/env.sh.
    env["PATH"] = os.pathsep.join(
        [str(ROOT / "tools" / "node_modules" / ".bin"), str(Path(sys.executable).parent)]
        + [env.get("PATH", "")]
    )
    env["REFLEX_USE_SYSTEM_BUN"] = "1"
    env["REFLEX_CHECK_LATEST_VERSION"] = "false"
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    registry = _npm_registry()
    if registry:
        env["NPM_CONFIG_REGISTRY"] = registry
    # Reflex: in-memory state, its own build and state directories for this session.
    env["REFLEX_STATE_MANAGER_MODE"] = "memory"
    env["REFLEX_WEB_WORKDIR"] = str(tmp / "web")
    env["REFLEX_STATES_WORKDIR"] = str(tmp / "states")
    env["PYTHONUNBUFFERED"] = "1"
    # IMI.
    db_url = f"sqlite:///{tmp / 'imi.db'}"
    env.update(
        {
            "IMI_ENVIRONMENT": "test",
            "IMI_DATABASE_URL": db_url,
            "IMI_DATA_DIR": str(tmp),
            "IMI_BCRYPT_ROUNDS": "4",
            "IMI_SMTP_HOST": smtp.host,
            "IMI_SMTP_PORT": str(smtp.port),
            "IMI_SMTP_STARTTLS": "false",
            "IMI_MAIL_POLL_SECONDS": "0.5",
            "IMI_PUBLIC_URL": f"http://localhost:{port}",
            "IMI_PRIVACY_CONTACT": PRIVACY_CONTACT,
            **TEST_SECRETS,
        }
    )
    return env


def run_step(args: list[str], env: dict[str, str], log_path: Path, what: str) -> None:
    with log_path.open("ab") as log:
        log.write(f"\n===== {what}: {' '.join(args)}\n".encode())
        log.flush()
        result = subprocess.run(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=600
        )
    if result.returncode != 0:
        pytest.fail(
            f"live_app: {what} failed (exit {result.returncode}); last lines of {log_path}:\n"
            + _tail(log_path),
            pytrace=False,
        )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGINT)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
    # Children that outlived the leader (same process group) go too.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@contextmanager
def running_app(tmp: Path, smtp: SmtpSink, extra_env: dict[str, str] | None = None) -> Iterator[LiveApp]:
    """Migrates and seeds the database, starts ``reflex run --env prod`` and stops it afterwards."""
    port = free_port()
    env = {**app_env(tmp, port, smtp), **(extra_env or {})}
    log_path = tmp / "reflex.log"
    python = sys.executable
    reflex = str(Path(python).parent / "reflex")

    run_step(
        [python, "-c", "from imi_app.core.db import migrate; migrate()"], env, log_path, "migrate"
    )
    run_step([python, "-m", "imi_app.demo.seed"], env, log_path, "seed")

    args = [reflex, "run", "--env", "prod", "--single-port", "--frontend-port", str(port)]
    with log_path.open("ab") as log:
        log.write(f"\n===== reflex: {' '.join(args)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    app = LiveApp(
        url=f"http://localhost:{port}",
        port=port,
        db_url=env["IMI_DATABASE_URL"],
        data_dir=tmp,
        env=env,
        log_path=log_path,
        process=process,
    )
    try:
        started = time.monotonic()
        deadline = started + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"live_app: reflex exited with {process.returncode} during startup; "
                    f"last lines of {log_path}:\n{app.log_tail()}",
                    pytrace=False,
                )
            if _answers(app.url + "/") and _answers(app.url + "/ping"):
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"live_app: no answer at {app.url} within {STARTUP_TIMEOUT:g} s; "
                    f"last lines of {log_path}:\n{app.log_tail()}",
                    pytrace=False,
                )
            time.sleep(1)
        with log_path.open("a") as log:
            log.write(f"\n===== live_app ready after {time.monotonic() - started:.1f} s\n")
        yield app
    finally:
        _stop(process)


@dataclass
class ScaledApp:
    """The larger installation's layout: nginx in front of the exported frontend and several backend
    workers sharing PostgreSQL and Redis. `workers[i]` is (port, process); stop and start them by index."""

    url: str
    db_url: str
    env: dict[str, str]
    tmp: Path
    workers: list[tuple[int, subprocess.Popen]]
    nginx: subprocess.Popen = field(repr=False)

    def log_tail(self, lines: int = 40) -> str:
        logs = sorted(self.tmp.glob("*.log")) + sorted((self.tmp / "nginx").glob("*.log"))
        return "\n".join(f"--- {path.name}\n{_tail(path, lines)}" for path in logs)

    def kill_worker(self, index: int) -> None:
        """As a crash would: SIGKILL, no goodbye to the tabs."""
        _port, process = self.workers[index]
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    def start_worker(self, index: int) -> None:
        port, _old = self.workers[index]
        self.workers[index] = (port, _start_worker(self.tmp, self.env, port))
        _wait_until(f"http://127.0.0.1:{port}/ping", self.workers[index][1], self)


def _start_worker(tmp: Path, env: dict[str, str], port: int) -> subprocess.Popen:
    reflex = str(Path(sys.executable).parent / "reflex")
    args = [reflex, "run", "--env", "prod", "--backend-only", "--backend-host", "127.0.0.1",
            "--backend-port", str(port)]
    with (tmp / f"worker-{port}.log").open("ab") as log:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _wait_until(url: str, process: subprocess.Popen, app) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not _answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"scaled app: no answer at {url}; logs:\n{app.log_tail()}", pytrace=False)
        time.sleep(0.5)


NGINX_MAIN = """worker_processes 1;
user {user};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/imi.conf;
}}
"""


@contextmanager
def running_scaled_app(tmp: Path, smtp: SmtpSink, db_url: str, redis_url: str, workers: int = 2
                       ) -> Iterator[ScaledApp]:
    """The documented production layout (README, "Larger installations"), started from scratch: the
    database migrated and seeded, the frontend exported for nginx's address, `workers` backends on
    ports of their own with the Redis state manager, nginx rendered from deploy/nginx/imi.conf."""
    nginx_binary = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    env = {**app_env(tmp, port, smtp), "IMI_DATABASE_URL": db_url, "REFLEX_REDIS_URL": redis_url,
           "REFLEX_STATE_MANAGER_MODE": "redis", "GRANIAN_WORKERS": "1", "REFLEX_API_URL": f"http://localhost:{port}"}
    log_path = tmp / "setup.log"
    python = sys.executable
    run_step([python, "-c", "from imi_app.core.db import migrate; migrate()"], env, log_path, "migrate")
    run_step([python, "-m", "imi_app.demo.seed"], env, log_path, "seed")
    run_step([str(Path(python).parent / "reflex"), "export", "--frontend-only", "--no-zip", "--env", "prod"],
              env, log_path, "export the frontend")
    nginx_dir = tmp / "nginx"
    nginx_dir.mkdir()
    ports = [free_port() for _ in range(workers)]
    site = subprocess.run([python, "-m", "imi_app.manage", "nginx-config", "--frontend",
                           str(tmp / "web" / "build" / "client"), "--listen", str(port),
                           *[arg for p in ports for arg in ("--backend", f"127.0.0.1:{p}")]],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    (nginx_dir / "imi.conf").write_text(site)
    (nginx_dir / "nginx.conf").write_text(NGINX_MAIN.format(dir=nginx_dir, user=getpass.getuser()))
    started: list[tuple[int, subprocess.Popen]] = []
    nginx = None
    try:
        for worker_port in ports:
            started.append((worker_port, _start_worker(tmp, env, worker_port)))
        with (tmp / "nginx-run.log").open("ab") as log:
            nginx = subprocess.Popen([nginx_binary, "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf"),
                                      "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        app = ScaledApp(url=f"http://localhost:{port}", db_url=db_url, env=env, tmp=tmp, workers=started,
                        nginx=nginx)
        for worker_port, process in started:
            _wait_until(f"http://127.0.0.1:{worker_port}/ping", process, app)
        _wait_until(f"{app.url}/ping", nginx, app)
        _wait_until(f"{app.url}/login", nginx, app)
        yield app
    finally:
        for _port, process in started:
            _stop(process)
        if nginx is not None:
            _stop(nginx)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, smtp_server: SmtpSink) -> Iterator[LiveApp]:
    with running_app(tmp_path_factory.mktemp("live_app"), smtp_server) as app:
        yield app


@pytest.fixture(scope="session")
def base_url(live_app: LiveApp) -> str:
    """Playwright's base URL: relative ``page.goto("/route")`` goes to the live app."""
    return live_app.url


# --------------------------------------------------------------------------------------------
# Signing in as a user does.

DEMO_PASSWORD = "imi-demo-password"
DEMO_CODE = "Demo-Code-12"


def requested_positions(page) -> list[int]:
    """The three positions the challenge screen asks for, read from its labels."""
    import re

    page.wait_for_selector("#char1", timeout=20_000)
    return [int(re.findall(r"\d+", page.inner_text(f"#char{i}-label"))[-1]) for i in (1, 2, 3)]


def enter_password(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    wait_hydrated(page)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-continue")


def answer_challenge(page, code: str = DEMO_CODE, *, totp: str = "") -> list[int]:
    positions = requested_positions(page)
    for index, position in enumerate(positions, start=1):
        page.fill(f"#char{index}", code[position - 1])
    if totp:
        page.fill("#totp", totp)
    page.click("#login-submit")
    return positions


@contextmanager
def own_page(browser, live_app, **context_args) -> Iterator:
    """A page in a browser context of its own (own cookies and storage; `locale=` sets Accept-Language)."""
    context = browser.new_context(base_url=live_app.url, **context_args)
    try:
        yield context.new_page()
    except BaseException:
        traceback.print_exc()  # closing a context can hang after some failures; the cause is printed first
        raise
    finally:
        context.close()


def sign_in(page, username: str, password: str = DEMO_PASSWORD, code: str = DEMO_CODE) -> None:
    """Signs in through both steps and waits for the home page."""
    enter_password(page, username, password)
    answer_challenge(page, code)
    page.wait_for_selector("#welcome", timeout=20_000)
