"""Load benchmark: many signed-in browser tabs on one production build, their events' latency, the server's cost.

Run: .venv/bin/python bench/load.py                                  # 50 tabs, 0.5 events/s each, 30 s
     .venv/bin/python bench/load.py --tabs 200 --rate 0.5 --duration 60 --json
     .venv/bin/python bench/load.py --requests 20000                 # also the bigger data set of bench/requests.py
     .venv/bin/python bench/load.py --url http://localhost:3000 --db-url sqlite:///data/imi.db --pid 1234
     .venv/bin/python bench/load.py --workers 2 --tabs 200 --rate 1   # PostgreSQL + Redis + 2 workers behind nginx

Without --url it migrates a temp-dir SQLite database, loads the reference and demo data (and with --requests the
data set of bench/requests.py, seeded deterministically), and starts `reflex run --env prod --single-port` the way
the browser tests do. Each tab signs in through the app's own services (password and code step, then the ticket is
swapped for the cookie token), opens Reflex's socket.io websocket with that cookie, hydrates the home page as a
browser does, then sends a mix of real events (page loads, the overview's area filter, a directory search, a step's
dialog opened and closed). An event counts as answered when the delta a browser would render arrives (the home
page's tasks, the request page ready, the dialog open...), as an error when a different final state arrives (not
found, sent to sign in) and as lost when nothing arrives within --timeout.
--workers N starts the larger installation's layout instead, as the scale-out browser tests do: a PostgreSQL
database of its own on --pg-url's server (dropped afterwards), Reflex's state in Redis at --redis-url, the exported
frontend and N backend workers behind Debian's nginx; CPU and memory are the workers' together.
--url needs --db-url (and the app's IMI_* secrets in the environment or .env) to create the sessions, and --pid
(the server's process id) for its CPU and memory.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_PASSWORD = "imi-demo-password"
DEMO_CODE = "Demo-Code-12"
BENCH_PASSWORD = "bench-password-123"  # bench/requests.py gives every user this password
# (group, username): the mix of demo users the tabs sign in as, by weight.
DEMO_USERS = (("handler", "hu.handler", 3), ("handler", "de.handler", 3), ("handler", "at.handler", 2),
              ("allocator", "hu.allocator", 2), ("allocator", "de.allocator", 2),
              ("coordinator", "hu.coordinator", 1), ("coordinator", "de.coordinator", 1),
              ("coordinator", "at.coordinator", 1))
ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
UPDATE_VARS = f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
SUFFIX = "_rx_state_"
NAMESPACE = "/_event"  # socket.io-client takes the namespace from the event URL's path
# kind -> weight of the events a tab sends once it is connected
MIX = {"home": 3, "request": 3, "overview": 2, "overview_area": 2, "directory": 1, "directory_search": 2,
       "dialog_open": 2, "dialog_close": 2}
SEARCH_WORDS = ("kammer", "orvosi", "IMI", "Berlin", "Budapest", "Ärzte", "chamber", "xyz")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))] if ordered else float("nan")


# --- the server ---------------------------------------------------------------------------------------------------

def _process_tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return found


def server_usage(pid: int | list[int] | None) -> dict:
    """CPU seconds (user + system, with reaped children) and RSS of the server process(es) and children."""
    if not pid:
        return {"cpu_s": float("nan"), "rss_mb": float("nan"), "processes": 0}
    ticks = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    cpu, rss, count = 0.0, 0, 0
    for proc in [p for root in (pid if isinstance(pid, list) else [pid]) for p in _process_tree(root)]:
        try:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
            rss += int(Path(f"/proc/{proc}/statm").read_text().split()[1]) * page
        except (OSError, IndexError):
            continue
        cpu += sum(int(v) for v in fields[11:15]) / ticks  # utime stime cutime cstime
        count += 1
    return {"cpu_s": cpu, "rss_mb": rss / 2**20, "processes": count}


def _load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _NoSmtp:
    """The browser tests' app needs an SMTP sink; here the e-mails go to files (IMI_SMTP_HOST is cleared)."""

    host, port = "", 0


@contextmanager
def started_app(args):
    """The app to load: one started here (a temp dir, like the browser tests' live_app) or the one at --url."""
    if args.url:
        if not args.db_url:
            sys.exit("--url needs --db-url to create the sessions")
        os.environ["IMI_DATABASE_URL"] = args.db_url
        yield {"url": args.url.rstrip("/"), "pid": args.pid, "log": None, "ids": None}
        return
    from tests.browser import conftest as live
    tmp = Path(tempfile.mkdtemp(prefix="imi-bench-load-"))
    if args.workers:
        with scaled_app(args, live, tmp) as app:
            yield app
        return
    env = {**live.app_env(tmp, 0, _NoSmtp()), "IMI_SMTP_HOST": ""}
    if args.web_dir:
        env["REFLEX_WEB_WORKDIR"] = str(Path(args.web_dir).resolve())
    os.environ.update({k: v for k, v in env.items() if k.startswith("IMI_")})
    ids = None
    try:
        if args.requests:
            bench_requests = _load_module("imi_bench_requests", ROOT / "bench" / "requests.py")
            ids = bench_requests.build(env["IMI_DATABASE_URL"], requests=args.requests,
                                       authorities=max(60, args.requests // 30), users=max(240, args.requests // 8),
                                       seed=args.seed)
            from imi_app.core.db import get_engine

            get_engine(env["IMI_DATABASE_URL"]).dispose()
        print("starting the app (the first build of the frontend takes a few minutes)...", flush=True)
        started = time.monotonic()
        extra = {k: v for k, v in env.items() if k in ("IMI_SMTP_HOST", "REFLEX_WEB_WORKDIR")}
        with live.running_app(tmp, _NoSmtp(), extra) as app:
            print(f"app ready at {app.url} after {time.monotonic() - started:.0f} s", flush=True)
            yield {"url": app.url, "pid": app.process.pid, "log": app.log_path, "ids": ids}
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def scaled_app(args, live, tmp: Path):
    """The larger installation's layout, as the scale-out browser tests start it: a PostgreSQL database of its
    own (dropped at the end), Reflex's state in Redis, `--workers` backends behind Debian's nginx."""
    from tests.support import postgres

    if not (args.pg_url and args.redis_url):
        sys.exit("--workers needs --pg-url and --redis-url (or IMI_TEST_DATABASE_URL and IMI_TEST_REDIS_URL)")
    database = postgres.create_database(args.pg_url)
    try:
        os.environ["IMI_DATABASE_URL"] = database
        ids = None
        if args.requests:
            bench_requests = _load_module("imi_bench_requests", ROOT / "bench" / "requests.py")
            ids = bench_requests.build(database, requests=args.requests, authorities=max(60, args.requests // 30),
                                       users=max(240, args.requests // 8), seed=args.seed)
        print(f"starting nginx and {args.workers} workers (the frontend export takes a few minutes)...", flush=True)
        started = time.monotonic()
        with live.running_scaled_app(tmp, _NoSmtp(), database, args.redis_url, workers=args.workers) as app:
            os.environ.update({k: v for k, v in app.env.items() if k.startswith("IMI_")})
            from imi_app.core.settings import get_settings

            get_settings.cache_clear()  # the sessions are made with the workers' settings
            print(f"app ready at {app.url} after {time.monotonic() - started:.0f} s", flush=True)
            yield {"url": app.url, "pid": [process.pid for _port, process in app.workers],
                   "log": None, "ids": ids}
    finally:
        from imi_app.core.db import get_engine

        get_engine(database).dispose()
        postgres.drop_database(args.pg_url, database)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


# --- signing in -----------------------------------------------------------------------------------------------------

@dataclass
class Identity:
    group: str
    username: str
    password: str
    user_id: int = 0
    request_ids: list[int] = field(default_factory=list)


def _bench_identities(ids: dict) -> list[Identity]:
    """The busy authority's handler and a national coordinator of the bigger data set, given the demo code."""
    from imi_app.core.db import session_scope
    from imi_app.accounts.models import User
    from imi_app.security import codes

    found = []
    with session_scope() as session:
        for group, user_id in (("handler", ids["handler"]), ("coordinator", ids["coordinator_da"])):
            user = session.get(User, user_id)
            user.code_salt, user.code_tags = codes.make_code_record(DEMO_CODE)
            found.append(Identity(f"{group}*", user.username, BENCH_PASSWORD))
    return found


def sign_in(identity: Identity) -> str:
    """One sign-in as the login screens do it (password, three code characters), and the ticket swapped for the
    cookie's session token as /auth/session does."""
    from sqlmodel import select

    from imi_app.accounts import auth
    from imi_app.accounts.models import User
    from imi_app.core.db import session_scope
    from imi_app.security import codes

    with session_scope() as session:
        user = session.exec(select(User).where(User.username_key == auth.username_key(identity.username))).one()
        positions = codes.parse_positions(user.challenge_positions)
        identity.user_id = user.id
    result = auth.authenticate(identity.username, identity.password, tuple(DEMO_CODE[p - 1] for p in positions))
    if result.status != auth.OK:
        raise SystemExit(f"sign-in of {identity.username} failed: {result.status}")
    token = auth.redeem_ticket(result.ticket)
    if not token:
        raise SystemExit(f"the ticket of {identity.username} was refused")
    return token


def visible_requests(identity: Identity) -> list[int]:
    from imi_app.core.db import session_scope
    from imi_app.accounts.models import User
    from imi_app.requests.overview import overview

    with session_scope() as session:
        user = session.get(User, identity.user_id)
        return [row.request_id for row in overview(session, actor=user, limit=50).rows]


def prepare_sessions(args, ids: dict | None) -> tuple[list[Identity], list[str]]:
    rng = random.Random(args.seed)
    pool = [Identity(group, name, DEMO_PASSWORD) for group, name, _w in DEMO_USERS]
    weights = [w for *_x, w in DEMO_USERS]
    if ids:
        pool += _bench_identities(ids)
        weights += [4, 1]
    identities, tokens = [], []
    for _ in range(args.tabs):
        identity = rng.choices(pool, weights)[0]
        tokens.append(sign_in(identity))
        identities.append(identity)
    for identity in pool:
        if identity.user_id:
            identity.request_ids = visible_requests(identity)
    return identities, tokens


# --- the state names a browser addresses events and deltas with -----------------------------------------------------

def state_names() -> dict[str, str]:
    from imi_app.authorities.ui.directory_state import DirectoryState
    from imi_app.requests.ui.home_state import HomeState
    from imi_app.requests.ui.overview_state import OverviewState
    from imi_app.requests.ui.request_page_state import RequestPageState
    from imi_app.ui.base import AppState

    return {"app": AppState.get_full_name(), "home": HomeState.get_full_name(),
            "overview": OverviewState.get_full_name(), "directory": DirectoryState.get_full_name(),
            "request": RequestPageState.get_full_name()}


def dialog_steps() -> set[str]:
    from imi_app.requests.steps import STEPS

    return {name for name, step in STEPS.items() if step.dialog is not None}


# --- one tab --------------------------------------------------------------------------------------------------------

@dataclass
class Sample:
    kind: str
    outcome: str  # ok, error, lost
    ms: float
    detail: str = ""
    received: int = 0  # bytes of event messages from sending the event to its answer


@dataclass
class Pending:
    kind: str
    check: object  # (delta, events) -> "ok" / "error" / None (not yet)
    sent: float
    future: asyncio.Future


def _vars(delta: dict, state: str) -> dict:
    return {k.removesuffix(SUFFIX): v for k, v in (delta.get(state) or {}).items()}


class Tab:
    """A browser tab: one socket.io connection (engine.io v4 over a websocket), the page it shows, its events."""

    def __init__(self, index: int, base_url: str, token: str, identity: Identity, names: dict, dialogs: set,
                 rng: random.Random, timeout: float):
        self.index, self.base_url, self.cookie, self.identity = index, base_url, token, identity
        self.names, self.dialogs, self.rng, self.timeout = names, dialogs, rng, timeout
        self.client_token = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.ws = None
        self.pending: Pending | None = None
        self.samples: list[Sample] = []
        self.page = ""  # what the tab shows: home, request, overview, directory
        self.buttons: list[str] = []
        self.dialog = ""
        self.area_options: list[str] = []
        self.lang = ""
        self.tasks_seen = 0
        self.received = 0  # bytes of event messages so far
        self.reader: asyncio.Task | None = None
        self.closed = False

    # wire
    async def connect(self) -> None:
        from simple_websocket import AioClient

        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        url = f"{scheme}://{parts.netloc}/_event/?EIO=4&transport=websocket&token={self.client_token}"
        from reflex_base.constants import Reflex

        self.ws = await AioClient.connect(url, subprotocols=[Reflex.VERSION], headers={
            "Cookie": f"imi_session={self.cookie}", "Origin": self.base_url,
            "User-Agent": "imi-bench-load"})
        # The engine.io open packet may stay in the client's buffer until more data arrives: the namespace's
        # CONNECT (sent at once, as socket.io-client may) brings it along.
        self.reader = asyncio.create_task(self._read())

    async def _send_raw(self, text: str) -> None:
        await self.ws.send(text)

    async def _read(self) -> None:
        try:
            while True:
                message = await self.ws.receive()
                if message is None:
                    break
                if not isinstance(message, str):
                    continue
                if message == "2":
                    await self._send_raw("3")
                elif message.startswith(f"42{NAMESPACE},"):
                    self.received += len(message.encode())
                    name, *data = json.loads(message[len(NAMESPACE) + 3:])
                    if name == "event" and data:
                        self._update(data[0])
                elif message.startswith(f"44{NAMESPACE},"):
                    self._resolve("error", f"connect refused: {message[:200]}")
                elif message.startswith(f"41{NAMESPACE}") or message == "1":
                    break
        except Exception as error:  # noqa: BLE001 - a dropped connection loses what is pending
            self._resolve("error", f"connection: {type(error).__name__}")
        finally:
            self.closed = True

    def _update(self, update: dict) -> None:
        delta, events = update.get("delta") or {}, update.get("events") or []
        app = _vars(delta, self.names["app"])
        if isinstance(app.get("lang"), str):
            self.lang = app["lang"]
        page = _vars(delta, self.names["request"])
        if "buttons" in page:
            self.buttons = [b.get("name", "") for b in page["buttons"] if isinstance(b, dict)]
        if "dialog" in page:
            self.dialog = page["dialog"]
        overview = _vars(delta, self.names["overview"])
        if "area_options" in overview:
            self.area_options = [o[0] for o in overview["area_options"]]
        pending = self.pending
        if pending is None:
            return
        for event in events:
            if event.get("name") == "_redirect":
                self._resolve("error", f"redirect to {event.get('payload', {}).get('path', '')}")
                return
        outcome = pending.check(delta)
        if outcome:
            self._resolve(*(outcome if isinstance(outcome, tuple) else (outcome,)))

    def _resolve(self, outcome: str, detail: str = "") -> None:
        pending, self.pending = self.pending, None
        if pending is not None and not pending.future.done():
            pending.future.set_result((outcome, detail, time.perf_counter(), self.received))

    async def _await(self, kind: str, check, send) -> None:
        """Sends the event(s) and waits for the delta `check` accepts; the latency ends when that delta arrived."""
        pending = Pending(kind, check, time.perf_counter(), asyncio.get_running_loop().create_future())
        self.pending = pending
        before = self.received
        await send()
        try:
            outcome, detail, at, received = await asyncio.wait_for(asyncio.shield(pending.future), self.timeout)
        except asyncio.TimeoutError:
            outcome, detail, at, received = "lost", "", time.perf_counter(), self.received
            if self.pending is pending:
                self.pending = None
        self.samples.append(Sample(kind, outcome, (at - pending.sent) * 1000, detail, received - before))

    def _event(self, name: str, payload: dict | None = None, path: str = "", query: dict | None = None) -> dict:
        event = {"name": name, "payload": payload or {}}
        path = path or self.path
        event["router_data"] = {"pathname": path, "asPath": path, **({"query": query} if query else {})}
        return event

    async def _emit(self, event: dict) -> None:
        await self._send_raw(f"42{NAMESPACE}," + json.dumps(["event", event]))

    # what a browser does
    async def hydrate(self) -> None:
        """The first page (home): the hydrate event rides in the socket.io CONNECT packet, as the frontend sends it."""
        self.path = "/"
        auth = {"event": self._event(HYDRATE, {}, "/")}

        await self._await("connect+hydrate", self._home_check(), lambda: self._send_raw(f"40{NAMESPACE}," + json.dumps(auth)))
        self.page = "home"

    def _home_check(self):
        home = self.names["home"]

        def check(delta):
            found = _vars(delta, home)
            if found.get("tasks_loaded") is True:
                self.tasks_seen = len(found.get("shown_tasks", []))
                return "ok"
            return None
        return check

    def _access_check(self, state: str):
        def check(delta):
            access = _vars(delta, state).get("access")
            if access in (None, "loading"):
                return None
            return "ok" if access == "ready" else ("error", f"access {access}")
        return check

    def _has_check(self, state: str, var: str, value=None):
        def check(delta):
            found = _vars(delta, state)
            if var in found and (value is None or found[var] == value):
                return "ok"
            return None
        return check

    async def navigate(self, kind: str, path: str, check, query: dict | None = None) -> None:
        """A link inside the app: the browser sends its stored client vars, then the new page's on_load."""
        self.path = path

        async def send():
            if self.lang:
                await self._emit(self._event(UPDATE_VARS, {"vars": {f"{self.names['app']}.lang{SUFFIX}": self.lang}},
                                             path, query))
            await self._emit(self._event(ON_LOAD, {}, path, query))

        await self._await(kind, check, send)

    async def act(self, kind: str) -> None:
        n = self.names
        if kind == "home":
            await self.navigate(kind, "/", self._home_check())
            self.page = "home"
        elif kind == "request":
            if not self.identity.request_ids:
                return
            request_id = self.rng.choice(self.identity.request_ids)
            self.buttons, self.dialog = [], ""
            await self.navigate(kind, f"/requests/{request_id}", self._access_check(n["request"]),
                                {"request_id": str(request_id)})
            self.page = "request"
        elif kind == "overview":
            await self.navigate(kind, "/requests", self._access_check(n["overview"]))
            self.page = "overview"
        elif kind == "overview_area":
            if self.page != "overview" or not self.area_options:  # a user first goes to the overview
                await self.act("overview")
                if self.page != "overview" or not self.area_options:
                    return
            area = self.rng.choice(self.area_options + ["all"])
            await self._await(kind, self._has_check(n["overview"], "rows"), lambda: self._emit(
                self._event(f"{n['overview']}.set_area", {"value": area})))
        elif kind == "directory":
            await self.navigate(kind, "/directory", self._access_check(n["directory"]))
            self.page = "directory"
        elif kind == "directory_search":
            if self.page != "directory":
                await self.act("directory")
            word = self.rng.choice(SEARCH_WORDS)
            await self._await(kind, self._has_check(n["directory"], "rows"), lambda: self._emit(
                self._event(f"{n['directory']}.set_text", {"value": word})))
        elif kind == "dialog_open":
            if self.page != "request":
                await self.act("request")
            steps = [b for b in self.buttons if b in self.dialogs]
            if self.page != "request" or not steps:
                return
            name = self.rng.choice(steps)
            await self._await(kind, self._has_check(n["request"], "dialog", name), lambda: self._emit(
                self._event(f"{n['request']}.open_action", {"name": name})))
        elif kind == "dialog_close":
            if self.page != "request" or not self.dialog:
                await self.act("dialog_open")
                if not self.dialog:
                    return
            await self._await(kind, self._has_check(n["request"], "dialog", ""), lambda: self._emit(
                self._event(f"{n['request']}.set_dialog_open", {"value": False})))

    async def run(self, until: float, rate: float) -> None:
        kinds, weights = zip(*MIX.items())
        next_at = time.monotonic() + self.rng.expovariate(rate)
        while not self.closed:
            delay = next_at - time.monotonic()
            if next_at >= until:
                break
            if delay > 0:
                await asyncio.sleep(delay)
            await self.act(self.rng.choices(kinds, weights)[0])
            next_at = max(next_at + self.rng.expovariate(rate), time.monotonic())

    async def close(self) -> None:
        if self.reader:
            self.reader.cancel()
        if self.ws is not None:
            try:
                await self.ws.close()
            except Exception:  # noqa: BLE001 - closing a dead socket
                pass


# --- the run --------------------------------------------------------------------------------------------------------

async def load(args, base_url: str, pid: int | None, identities, tokens) -> dict:
    names, dialogs = state_names(), dialog_steps()
    tabs = [Tab(i, base_url, tokens[i], identities[i], names, dialogs, random.Random(args.seed * 1000 + i),
                args.timeout) for i in range(args.tabs)]
    idle = server_usage(pid)
    started = time.monotonic()
    ramp = args.ramp if args.ramp is not None else min(20.0, args.tabs * 0.05)

    async def open_tab(tab: Tab, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await tab.connect()
        except Exception as error:  # noqa: BLE001 - counted, the run goes on
            tab.samples.append(Sample("connect+hydrate", "error", 0.0, f"connect: {error}"))
            tab.closed = True
            return
        await tab.hydrate()

    await asyncio.gather(*(open_tab(tab, ramp * i / max(1, args.tabs)) for i, tab in enumerate(tabs)))
    connected = server_usage(pid)
    connect_seconds = time.monotonic() - started
    load_start = time.monotonic()
    peak = connected["rss_mb"]
    done = asyncio.Event()

    async def sample_rss():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, server_usage(pid)["rss_mb"])
            try:
                await asyncio.wait_for(done.wait(), 1.0)
            except asyncio.TimeoutError:
                pass

    sampler = asyncio.create_task(sample_rss())
    await asyncio.gather(*(tab.run(load_start + args.duration, args.rate) for tab in tabs))
    load_seconds = time.monotonic() - load_start
    done.set()
    await sampler
    after = server_usage(pid)
    await asyncio.gather(*(tab.close() for tab in tabs))
    samples = [s for tab in tabs for s in tab.samples]
    return {"tabs": tabs, "samples": samples, "idle": idle, "connected": connected, "after": after,
            "peak_rss_mb": peak, "connect_seconds": connect_seconds, "load_seconds": load_seconds}


def summarize(args, result: dict, log_path: Path | None) -> dict:
    samples = result["samples"]
    kinds = ["connect+hydrate", *MIX]
    per_kind = {}
    for kind in kinds:
        mine = [s for s in samples if s.kind == kind]
        ok = [s.ms for s in mine if s.outcome == "ok"]
        per_kind[kind] = {"sent": len(mine), "answered": len(ok),
                          "errors": sum(1 for s in mine if s.outcome == "error"),
                          "lost": sum(1 for s in mine if s.outcome == "lost"),
                          "p50_ms": percentile(ok, 50), "p95_ms": percentile(ok, 95), "p99_ms": percentile(ok, 99),
                          "max_ms": max(ok) if ok else float("nan"),
                          "kb_p50": percentile([s.received / 1024 for s in mine if s.outcome == "ok"], 50)}
    errors: dict[str, int] = {}
    for s in samples:
        if s.outcome == "error":
            key = f"{s.kind}: {s.detail}"
            errors[key] = errors.get(key, 0) + 1
    idle, connected, after = result["idle"], result["connected"], result["after"]
    load_cpu = after["cpu_s"] - connected["cpu_s"]
    tabs = max(1, args.tabs)
    tabs_seen = [t.tasks_seen for t in result["tabs"]]
    summary = {
        "tabs": args.tabs, "rate_per_tab": args.rate, "duration_s": round(result["load_seconds"], 1),
        "connect_s": round(result["connect_seconds"], 1), "requests": args.requests, "seed": args.seed,
        "events": {"sent": len(samples), "answered": sum(1 for s in samples if s.outcome == "ok"),
                   "errors": sum(1 for s in samples if s.outcome == "error"),
                   "lost": sum(1 for s in samples if s.outcome == "lost")},
        "kinds": per_kind, "error_details": errors,
        "home_tasks_per_tab": {"min": min(tabs_seen, default=0), "max": max(tabs_seen, default=0)},
        "server": {
            "processes": after["processes"],
            "cpu_s_connect": connected["cpu_s"] - idle["cpu_s"], "cpu_s_load": load_cpu,
            "cpu_load_percent_of_one_core": 100 * load_cpu / max(0.001, result["load_seconds"]),
            "cpu_ms_per_event": 1000 * load_cpu / max(1, sum(1 for s in samples if s.kind != "connect+hydrate")),
            "rss_mb_idle": idle["rss_mb"], "rss_mb_connected": connected["rss_mb"], "rss_mb_end": after["rss_mb"],
            "rss_mb_peak": result["peak_rss_mb"],
            "rss_kb_per_tab": 1024 * (after["rss_mb"] - idle["rss_mb"]) / tabs,
            "cpu_ms_per_tab_connect": 1000 * (connected["cpu_s"] - idle["cpu_s"]) / tabs,
            "cpu_ms_per_tab_load": 1000 * load_cpu / tabs,
        },
        "server_log": scan_log(log_path),
    }
    return summary


def scan_log(log_path: Path | None) -> dict:
    """Errors and warnings the server logged while it ran (from its start)."""
    if log_path is None or not log_path.exists():
        return {}
    text = log_path.read_text(encoding="utf-8", errors="replace").split("===== live_app ready", 1)[-1]
    lines = text.splitlines()
    found: dict[str, int] = {}
    for line in lines:
        if re.search(r"\b(ERROR|CRITICAL|WARNING|Traceback)\b|Error:", line):
            key = re.sub(r"\b[0-9a-f]{8}-[0-9a-f-]{27}\b|\b[A-Za-z0-9_-]{20,}\b|\d+", "#", line.strip())[:160]
            found[key] = found.get(key, 0) + 1
    return {"lines": len(lines), "problems": dict(sorted(found.items(), key=lambda kv: -kv[1])[:15])}


def report(summary: dict) -> None:
    print(f"\n{summary['tabs']} tabs, {summary['rate_per_tab']} events/s per tab, {summary['duration_s']} s of load "
          f"(all tabs connected in {summary['connect_s']} s)")
    print(f"{'kind':<17} {'sent':>6} {'answered':>8} {'errors':>6} {'lost':>5} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8} {'KB p50':>7}")
    for kind, k in summary["kinds"].items():
        print(f"{kind:<17} {k['sent']:6d} {k['answered']:8d} {k['errors']:6d} {k['lost']:5d} {k['p50_ms']:8.1f} "
              f"{k['p95_ms']:8.1f} {k['p99_ms']:8.1f} {k['max_ms']:8.1f} {k['kb_p50']:7.1f}")
    e = summary["events"]
    print(f"{'all':<17} {e['sent']:6d} {e['answered']:8d} {e['errors']:6d} {e['lost']:5d}")
    for detail, count in summary["error_details"].items():
        print(f"  error x{count}: {detail}")
    t = summary["home_tasks_per_tab"]
    print(f"home page task list: {t['min']}..{t['max']} tasks per tab")
    s = summary["server"]
    print(f"server ({s['processes']} processes): CPU {s['cpu_s_connect']:.1f} s to connect, {s['cpu_s_load']:.1f} s "
          f"under load ({s['cpu_load_percent_of_one_core']:.0f} % of one core, {s['cpu_ms_per_event']:.1f} ms per "
          f"event); per tab {s['cpu_ms_per_tab_connect']:.0f} ms to connect, {s['cpu_ms_per_tab_load']:.0f} ms under "
          f"load")
    print(f"server RSS: {s['rss_mb_idle']:.0f} MB idle, {s['rss_mb_connected']:.0f} MB connected, "
          f"{s['rss_mb_end']:.0f} MB at the end, {s['rss_mb_peak']:.0f} MB peak; {s['rss_kb_per_tab']:.0f} KB per tab")
    log = summary["server_log"]
    if log:
        print(f"server log: {log['lines']} lines, {sum(log['problems'].values())} error/warning lines")
        for line, count in log["problems"].items():
            print(f"  x{count}: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tabs", type=int, default=50)
    parser.add_argument("--rate", type=float, default=0.5, help="events per second per tab (Poisson)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load once every tab is connected")
    parser.add_argument("--timeout", type=float, default=20, help="seconds after which an unanswered event is lost")
    parser.add_argument("--ramp", type=float, help="seconds over which the tabs connect (default 0.05 s a tab)")
    parser.add_argument("--requests", type=int, default=0, help="also load bench/requests.py's data set of N requests")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--url", help="load a running app instead of starting one (needs --db-url)")
    parser.add_argument("--db-url", help="the database of the app at --url, to create the sessions in")
    parser.add_argument("--pid", type=int, help="the process id of the app at --url, for its CPU and memory")
    parser.add_argument("--workers", type=int, default=0,
                        help="the larger installation instead: PostgreSQL, Redis, N workers behind nginx")
    parser.add_argument("--pg-url", default=os.environ.get("IMI_TEST_DATABASE_URL", ""),
                        help="with --workers: a PostgreSQL server to create the bench's database on")
    parser.add_argument("--redis-url", default=os.environ.get("IMI_TEST_REDIS_URL", ""),
                        help="with --workers: the Redis for Reflex's state")
    parser.add_argument("--web-dir", help="the frontend build directory to use and keep (later runs build faster)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (database, server log)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    with ExitStack() as stack:
        app = stack.enter_context(started_app(args))
        identities, tokens = prepare_sessions(args, app["ids"])
        print(f"signed in {len(tokens)} sessions; opening the tabs...", flush=True)
        result = asyncio.run(load(args, app["url"], app["pid"], identities, tokens))
        summary = summarize(args, result, app["log"])
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        report(summary)


if __name__ == "__main__":
    main()
