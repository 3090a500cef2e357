"""What the validator found, kept in a bounded, ordered collection of ``problems.Finding``.

A finding names the file, the row as a spreadsheet shows it (the header is row 1), the
column, the offending value and what was expected, so a person can go straight to the
cell and fix it. The validator may meet millions of bad cells in a broken file; it
counts every one but keeps only the first ``limit`` in file/row/column order, so memory
stays bounded and the report stays readable.
"""

from __future__ import annotations

import heapq
import threading
from collections import Counter
from dataclasses import dataclass, field

from ..problems import Finding, shown_value

__all__ = ["Finding", "Findings", "shown_value"]


class _Kept:
    """A finding in the heap of kept findings; the heap's top is the one that sorts last."""

    __slots__ = ("finding", "key")

    def __init__(self, key: tuple[int, tuple[int, int, str, str, str]], finding: Finding) -> None:
        self.key = key
        self.finding = finding

    def __lt__(self, other: _Kept) -> bool:
        return self.key > other.key


@dataclass
class Findings:
    """Every finding counted; the first ``limit`` (None: all) kept in file, row, column order.

    ``file_index`` orders files as they were given, so the kept findings are the first ones
    a person reading the files in that order would meet.
    """

    limit: int | None
    counts: Counter[str] = field(default_factory=Counter)
    """Errors per file (warnings are counted apart, in ``warnings``)."""
    warnings: Counter[str] = field(default_factory=Counter)
    fatal: bool = False
    _heap: list[_Kept] = field(default_factory=list)
    _file_index: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def _index(self, file: str) -> int:
        return self._file_index.setdefault(file, len(self._file_index))

    def wants(self, file: str, row: int | None, column_number: int | None = None) -> bool:
        """False when a finding at this place could not enter the kept ones (they are full and all sort earlier)."""
        if self.limit is None or len(self._heap) < self.limit:
            return True
        if self.limit == 0:
            return False
        worst = self._heap[0].key
        # At the same cell as the last kept finding it may still sort first (by its code): let it be judged.
        return (self._index(file), (row or 0, column_number or 0)) <= (worst[0], worst[1][:2])

    def add(self, finding: Finding, *, counted: bool = True) -> None:
        with self._lock:
            if counted:
                (self.warnings if finding.warning else self.counts)[finding.file] += 1
            self.fatal = self.fatal or finding.fatal
            if self.limit == 0:
                return
            item = _Kept((self._index(finding.file), finding.position()), finding)
            if self.limit is None or len(self._heap) < self.limit:
                heapq.heappush(self._heap, item)
            elif item.key < self._heap[0].key:
                heapq.heapreplace(self._heap, item)

    def count(self, file: str, n: int, *, warning: bool = False) -> None:
        """Count ``n`` findings whose details are not kept."""
        with self._lock:
            (self.warnings if warning else self.counts)[file] += n

    def merge(self, other: Findings) -> None:
        """Take in another collection's counts and kept findings (used per file, then merged)."""
        for finding in other.kept():
            self.add(finding, counted=False)
        with self._lock:  # another thread may be adding (a file read again while the next one is checked)
            self.counts.update(other.counts)
            self.warnings.update(other.warnings)
            self.fatal = self.fatal or other.fatal

    def kept(self) -> list[Finding]:
        """The kept findings, in file (as given), row and column order."""
        return [k.finding for k in sorted(self._heap, key=lambda k: k.key)]

    def register(self, file: str) -> None:
        """Fix a file's place in the order before any finding about it arrives."""
        self._index(file)
