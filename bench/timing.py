"""Small helpers to time repeated calls and summarise them as milliseconds."""

import statistics
import time


def time_calls(function, arguments):
    """Call `function(*args)` for each args tuple; return the durations in milliseconds."""
    durations = []
    for args in arguments:
        start = time.perf_counter()
        function(*args)
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def summary(durations):
    ordered = sorted(durations)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
        "max_ms": round(ordered[-1], 3),
        "count": len(ordered),
    }
