"""A tab's state lock in Redis, safe against a cancelled event.

With several workers, each tab's state lives in Redis and every event of the tab takes the tab's lock
there (`SET key id NX PX`). A navigation cancels the previous page's unfinished on_load chain (Reflex's
`supersedes`). When that cancel lands while a chained event is taking the lock, after the SET has reached
Redis and before its reply is read, Reflex never learns that it holds the lock: nobody gives it back,
and the tab's next event waits until Redis expires it (`redis_lock_expiration`, 10 s). Under load that
is a navigation in a few hundred.

`install()` makes the wait for the lock run to its end whatever happens to the event waiting: an event
cancelled meanwhile returns at once, and the lock its wait obtained is given straight back (deleted only
if it still holds this event's id), waking the next waiter. Installed by the app module, before any
event runs; the memory state manager (one process) has no such lock and is not touched.
"""

import asyncio
import contextlib
import logging

_log = logging.getLogger(__name__)

# Delete the lock only while it still holds the id of the wait that took it: by the time the give-back
# runs, the lock may have expired and belong to another event.
_GIVE_BACK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

# The give-backs under way: a task nobody holds may be collected before it has run.
_giving_back: set[asyncio.Task] = set()


def install() -> None:
    """Wrap StateManagerRedis._wait_lock (idempotent)."""
    from reflex.istate.manager.redis import StateManagerRedis

    original = StateManagerRedis._wait_lock
    if getattr(original, "cancel_safe", False):
        return

    async def _wait_lock(self, lock_key: bytes, lock_id: bytes) -> None:
        wait = asyncio.ensure_future(original(self, lock_key, lock_id))
        try:
            await asyncio.shield(wait)
        except asyncio.CancelledError:
            wait.add_done_callback(lambda done: _give_back_when_obtained(self, lock_key, lock_id, done))
            raise

    _wait_lock.cancel_safe = True  # type: ignore[attr-defined]
    _wait_lock.__doc__ = original.__doc__
    StateManagerRedis._wait_lock = _wait_lock


def _give_back_when_obtained(manager, lock_key: bytes, lock_id: bytes, wait: asyncio.Future) -> None:
    if wait.cancelled() or wait.exception() is not None:
        return
    task = asyncio.ensure_future(_give_back(manager, lock_key, lock_id))
    _giving_back.add(task)
    task.add_done_callback(_giving_back.discard)


async def _give_back(manager, lock_key: bytes, lock_id: bytes) -> None:
    try:
        await manager.redis.eval(_GIVE_BACK, 1, lock_key, lock_id)
    except Exception:  # noqa: BLE001 - Redis gone: the lock expires on its own
        _log.warning("could not give back a cancelled event's state lock; it expires on its own")
    with contextlib.suppress(Exception):
        manager._notify_next_waiter(lock_key)
