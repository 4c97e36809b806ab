"""Background jobs of the app: a lifespan task that runs a job round after round, off the event loop: in a worker
thread, or for a long batch job in a process of its own (`in_own_process`), so that its work never holds the
interpreter the tabs of this process are served by."""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections.abc import Callable

from imi_app.core.settings import get_settings

log = logging.getLogger("imi.jobs")


async def repeat(job: Callable[[], object], *, name: str) -> None:
    """Runs `job` off the event loop every `request_jobs_poll_seconds` until cancelled; a failed round is
    logged and the next round takes up what is still due."""
    try:
        while True:
            try:
                if inspect.iscoroutinefunction(job):
                    await job()
                else:
                    await asyncio.to_thread(job)
            except Exception:
                log.exception("%s failed; the next round takes up what is still due", name)
            await asyncio.sleep(get_settings().request_jobs_poll_seconds)
    except asyncio.CancelledError:
        pass


async def in_own_process(*command: str, name: str) -> int:
    """Runs `python -m imi_app.manage <command>` with this process's settings (its environment) and waits for
    it; returns its exit status. Cancelled (the app stopping), the command is stopped too: the jobs run this way
    work in committed batches, so the next round takes up where it stopped."""
    child = await asyncio.create_subprocess_exec(sys.executable, "-m", "imi_app.manage", *command)
    try:
        status = await child.wait()
    except asyncio.CancelledError:
        child.terminate()
        await asyncio.shield(child.wait())
        raise
    if status:
        log.error("%s ended with exit status %s; the next round takes up what is still due", name, status)
    return status
