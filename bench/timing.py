"""What the benchmarks share: timing each case after one warm-up call, and percentiles."""

from __future__ import annotations

import time
from collections.abc import Callable


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def sample_all(cases: list[tuple[str, Callable[[], object]]], runs: int) -> list[tuple[str, list[float]]]:
    """(label, milliseconds of each of `runs` calls) per case, each case warmed up by one call first."""
    results = []
    for label, fn in cases:
        fn()
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        results.append((label, samples))
    return results
