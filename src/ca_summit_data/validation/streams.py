"""A table file's bytes as a stream: plain, or decompressed within a bound.

A resource may be compressed (Data Package v2 ``compression``, or a name ending in
``.gz``, ``.bz2``, ``.zst``, ``.lz4`` or ``.zip``). It is decompressed as it is read,
never to memory or disk whole, and only as far as ``MAX_DECOMPRESSED_RATIO`` times its
compressed size: a "zip bomb" stops with ``Expanded`` long before it costs much. A file
is never decompressed because of its name alone when the caller did not ask for it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from ..limits import MAX_DECOMPRESSED_RATIO
from ..schema.arrays import open_native

SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bz2", ".zst": "zstd", ".zstd": "zstd", ".lz4": "lz4",
            ".zip": "zip"}
"""File name endings and the compression each means."""
NAMES = {"gz": "gzip", "gzip": "gzip", "bz2": "bz2", "zst": "zstd", "zstd": "zstd", "lz4": "lz4", "zip": "zip"}
"""``compression`` values a descriptor may give."""


class Expanded(OSError):
    """A compressed file that expands past the bound (``MAX_DECOMPRESSED_RATIO``), or an archive we do not read."""


def compression_of(name: str, declared: object = None) -> str | None:
    """The compression of a file: the declared one (``NAMES``) if given, else its name's ending, else None.

    ``ValueError`` for a declared compression we do not read.
    """
    if declared is not None:
        if not isinstance(declared, str) or declared.lower() not in NAMES:
            raise ValueError(f"compression {declared!r} is not one we read ({', '.join(sorted(NAMES))})")
        return NAMES[declared.lower()]
    return SUFFIXES.get(PurePosixPath(name).suffix.lower())


def uncompressed_name(name: str) -> str:
    """``persons.csv.gz`` -> ``persons.csv``: the name that tells the format of what is inside."""
    path = PurePosixPath(name)
    return path.stem if path.suffix.lower() in SUFFIXES else name


class _Bounded(io.RawIOBase):
    """A decompressing stream that stops (``Expanded``) past ``limit`` bytes."""

    def __init__(self, inner: Any, limit: int, shown: str, closing: tuple[Any, ...] = ()) -> None:
        self._inner = inner
        self._limit = limit
        self._shown = shown
        self._closing = closing
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        n = len(data)
        self._read += n
        if self._read > self._limit:
            raise Expanded(
                f"it expands to more than {MAX_DECOMPRESSED_RATIO} times its compressed size; a file that "
                "compresses this well is refused rather than read (decompress it yourself if it is genuine)"
            )
        buffer[:n] = data
        return n

    def close(self) -> None:
        for item in (self._inner, *self._closing):
            item.close()
        super().close()


def open_stream(path: Path, compression: str | None) -> Any:
    """The file's (decompressed) bytes, as a stream pyarrow and Python can both read."""
    if compression is None:
        return open_native(path)
    limit = max(path.stat().st_size, 1) * MAX_DECOMPRESSED_RATIO
    if compression == "zip":
        archive = zipfile.ZipFile(open_native(path))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            archive.close()
            raise Expanded(f"a zip archive must hold exactly one file, not {len(members)}")
        return io.BufferedReader(_Bounded(archive.open(members[0]), limit, str(path), (archive,)), 1 << 20)
    import pyarrow

    decompressing: Any = pyarrow.CompressedInputStream
    inner = decompressing(open_native(path), compression)
    return io.BufferedReader(_Bounded(inner, limit, str(path)), 1 << 20)
