"""Reading ahead: produce a file's next batches in a thread while the checks work on this one.

Parsing a CSV block and checking a batch both run mostly in Arrow's C++ code, which
releases the GIL, so on two cores the reading and the checking overlap. At most
``depth`` batches wait in the queue, so memory stays bounded however large the file.
An exception in the reading thread is raised in the caller, in order.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_DONE = object()
CHECKERS = int(os.environ.get("CA_SUMMIT_CHECKERS", "0")) or max(1, min(2, os.cpu_count() or 1))
"""Batches checked at once: Arrow's kernels release the GIL, so two threads use two cores.
``CA_SUMMIT_CHECKERS`` overrides it (for measuring; 1 checks one batch at a time)."""


def prefetched(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """``items``, produced by a background thread up to ``depth`` ahead of the caller."""
    slots: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                slots.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    break
            else:
                put((True, _DONE))
        except BaseException as exc:  # handed to the caller, who raises it
            put((False, exc))
        finally:
            if isinstance(items, Generator):
                items.close()

    worker = threading.Thread(target=produce, name="ca-summit-data-reader", daemon=True)
    worker.start()
    try:
        while True:
            ok, item = slots.get()
            if not ok:
                assert isinstance(item, BaseException)
                raise item
            if item is _DONE:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


def in_parallel(work: Callable[[T], R], items: Iterator[T], workers: int = CHECKERS) -> Iterator[R]:
    """``work`` applied to each item by ``workers`` threads, at most ``workers`` items in hand at once.

    Results come back in the items' order. ``work`` decides nothing for later items (which text
    columns repeat is settled while the batches are typed, in the reading thread), so the
    first item needs no turn of its own.
    """
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ca-summit-data-check") as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            if len(pending) >= workers:
                yield pending.popleft().result()
            pending.append(pool.submit(work, item))
        while pending:
            yield pending.popleft().result()
