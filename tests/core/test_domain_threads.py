"""Domain calls from handlers run in the app's own small pool of worker threads, never on the event loop."""

from __future__ import annotations

import asyncio
import threading

from imi_app.ui import base


def test_run_uses_the_domain_pool_and_keeps_the_context(monkeypatch):
    monkeypatch.setattr(base, "_POOL", [])
    monkeypatch.setattr(base.get_settings(), "domain_threads", 2)
    loop_thread: list[str] = []

    async def main():
        loop_thread.append(threading.current_thread().name)
        return await asyncio.gather(*(base.run(lambda: threading.current_thread().name) for _ in range(8)))

    names = asyncio.run(main())
    assert all(name.startswith("imi-domain") for name in names) and loop_thread[0] not in names
    assert len(set(names)) <= 2
    base._POOL[0].shutdown()
