"""A cancelled event never leaves its tab's state lock taken in Redis.

A navigation cancels the previous page's unfinished on_load chain. A cancel landing after Redis took the
lock for the cancelled event, before the event read the reply, left the lock with no owner: the tab's next
event waited for it to expire. The late reply is simulated here by a SET whose answer comes back later.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid

import pytest

from imi_app.ui import state_locks

REDIS_URL = os.environ.get("IMI_TEST_REDIS_URL", "")
EXPIRY_MS = 6000

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="IMI_TEST_REDIS_URL not set")


def _manager():
    from redis.asyncio import Redis
    from reflex.istate.manager.redis import StateManagerRedis

    return StateManagerRedis(redis=Redis.from_url(REDIS_URL), lock_expiration=EXPIRY_MS,
                             lock_warning_threshold=EXPIRY_MS // 2)


def _run(story):
    state_locks.install()
    return asyncio.run(story())


def test_a_wait_cancelled_after_redis_took_the_lock_gives_it_back():
    async def story() -> tuple[bytes | None, float, bytes | None]:
        manager = _manager()
        key = f"lock-test-{uuid.uuid4()}_lock".encode()
        real_set, landed = manager.redis.set, asyncio.Event()

        async def late_reply(*args, **kwargs):
            result = await real_set(*args, **kwargs)
            landed.set()
            await asyncio.sleep(0.5)
            return result

        manager.redis.set = late_reply
        try:
            first = asyncio.create_task(manager._wait_lock(key, b"first"))
            await landed.wait()
            held = await manager.redis.get(key)
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
            manager.redis.set = real_set
            started = time.monotonic()
            await asyncio.wait_for(manager._wait_lock(key, b"second"), timeout=EXPIRY_MS / 2000)
            return held, time.monotonic() - started, await manager.redis.get(key)
        finally:
            manager.redis.set = real_set
            await manager.redis.delete(key)
            await manager.close()

    held, waited, owner = _run(story)
    assert held == b"first"  # the cancel did land after Redis had taken the lock
    assert owner == b"second" and waited < EXPIRY_MS / 2000


def test_a_wait_cancelled_in_the_queue_takes_nothing_and_the_next_event_goes_on():
    async def story() -> tuple[bytes | None, bytes | None]:
        manager = _manager()
        key = f"lock-test-{uuid.uuid4()}_lock".encode()
        try:
            await manager._wait_lock(key, b"holder")
            queued = asyncio.create_task(manager._wait_lock(key, b"queued"))
            await asyncio.sleep(0.2)
            queued.cancel()
            with pytest.raises(asyncio.CancelledError):
                await queued
            after = asyncio.create_task(manager._wait_lock(key, b"after"))
            await asyncio.sleep(0.2)
            await manager.redis.delete(key)  # the holder releases, as Reflex does (GETDEL)
            manager._notify_next_waiter(key)
            await asyncio.wait_for(after, timeout=EXPIRY_MS / 2000)
            await asyncio.sleep(0.2)  # the cancelled wait's give-back, if any, has run
            return await manager.redis.get(key), None
        finally:
            await manager.redis.delete(key)
            await manager.close()

    owner, _ = _run(story)
    assert owner == b"after"


def test_the_app_installs_it():
    """In a process of its own: the tests above install it themselves."""
    probe = ("import imi_app.imi_app\n"
             "from reflex.istate.manager.redis import StateManagerRedis\n"
             "print(getattr(StateManagerRedis._wait_lock, 'cancel_safe', False))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1:] == ["True"], done.stderr[-2000:]
