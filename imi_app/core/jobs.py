"""Background jobs of the app: a lifespan task that runs a job in a worker thread, round after round."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from imi_app.core.settings import get_settings

log = logging.getLogger("imi.jobs")


async def repeat(job: Callable[[], object], *, name: str) -> None:
    """Runs `job` off the event loop every `request_jobs_poll_seconds` until cancelled; a failed round is
    logged and the next round takes up what is still due."""
    try:
        while True:
            try:
                await asyncio.to_thread(job)
            except Exception:
                log.exception("%s failed; the next round takes up what is still due", name)
            await asyncio.sleep(get_settings().request_jobs_poll_seconds)
    except asyncio.CancelledError:
        pass
