"""A table file's bytes as a stream: plain, or decompressed within a bound.

A resource may be compressed (Data Package v2 ``compression``, or a name ending in
``.gz``, ``.bz2``, ``.zst``, ``.lz4`` or ``.zip``). It is decompressed as it is read,
never to memory or disk whole, and at no point past ``MAX_DECOMPRESSED_RATIO`` times the
compressed bytes consumed so far (after the first ``DECOMPRESSED_SLACK_BYTES``; a zip
member's header must keep to the ratio before anything is read): a "zip bomb" stops with
``Expanded`` after a few dozen MiB of work, not after reading a hundred times its size.
A file is never decompressed because of its name alone when the caller did not ask for it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from ..limits import DECOMPRESSED_SLACK_BYTES, MAX_DECOMPRESSED_RATIO
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


_TOO_MUCH = (f"it expands to more than {MAX_DECOMPRESSED_RATIO} times its compressed size; a file that "
             "compresses this well is refused rather than read (decompress it yourself if it is genuine)")


class _Bounded(io.RawIOBase):
    """A decompressing stream that stops (``Expanded``) once it has given more than the ratio allows."""

    def __init__(self, inner: Any, consumed: Callable[[], int], closing: tuple[Any, ...] = ()) -> None:
        self._inner = inner
        self._consumed = consumed
        self._closing = closing
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._inner.read(len(buffer))
        except OSError:
            raise
        except Exception as exc:  # zlib.error, a zip member's CRC, pyarrow's codec errors: the file's fault
            raise OSError(f"cannot be decompressed: {type(exc).__name__}: {exc}") from None
        n = len(data)
        self._read += n
        if self._read > DECOMPRESSED_SLACK_BYTES and self._read > MAX_DECOMPRESSED_RATIO * max(self._consumed(), 1):
            raise Expanded(_TOO_MUCH)
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
    if compression == "zip":
        try:
            archive = zipfile.ZipFile(open_native(path))
        except OSError:
            raise
        except Exception as exc:  # BadZipFile, or a seek the broken directory sends out of the file
            raise OSError(f"not a zip archive we can read: {exc}") from None
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            archive.close()
            raise Expanded(f"a zip archive must hold exactly one file, not {len(members)}")
        member = members[0]
        if member.file_size > max(DECOMPRESSED_SLACK_BYTES, MAX_DECOMPRESSED_RATIO * max(member.compress_size, 1)):
            archive.close()
            raise Expanded(_TOO_MUCH)  # its header says so; zipfile reads no more than the header's size
        size = member.compress_size
        return io.BufferedReader(_Bounded(archive.open(member), lambda: size, (archive,)), 1 << 20)
    import pyarrow

    decompressing: Any = pyarrow.CompressedInputStream
    raw = open_native(path)
    inner = decompressing(raw, compression)
    return io.BufferedReader(_Bounded(inner, raw.tell), 1 << 20)
