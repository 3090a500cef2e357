"""A table's bytes as UTF-8: decompressed, re-encoded from its declared encoding, byte-order mark dropped.

Whatever a resource declares (``encoding``, ``compression``, several ``path`` parts, inline
``data``), the CSV reader is handed UTF-8 bytes through one of the streams made here, and
memory stays bounded by bytes, never by rows:

- a UTF-8 file (the default, and ``utf-8-sig``) is read as it is, zero-copy: its
  byte-order mark, if any, is skipped by position (the fast path of today's tables);
- a file in another encoding is decoded and re-encoded a MiB at a time (``Transcoded``).
  Bytes that are not text in that encoding become bytes that are not UTF-8 (lone
  continuation bytes), so the reader's cell-by-cell UTF-8 check reports exactly those
  cells, and nothing is replaced silently;
- a compressed part is expanded within the ratio bound of ``streams``;
- several parts are read one after the other (``Chain``), each opened only when reached;
- inline data is already text in memory, bounded by the descriptor's own size limit.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..schema.tableschema import UnsupportedSchema
from .streams import open_stream

UTF8 = "utf-8"
CHUNK = 1 << 20
_ESCAPE = "ca-summit-data-undecodable"


def _undecodable(error: UnicodeError) -> tuple[str, int]:
    """Each byte that is not text in its encoding becomes a lone UTF-8 continuation byte (0x80–0xBF) once encoded.

    A run of continuation bytes without a lead byte is never valid UTF-8, so the cell that
    holds it is reported, whatever bytes stood there.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(chr(0xDC80 | (b & 0x3F)) for b in bad), error.end


codecs.register_error(_ESCAPE, _undecodable)


def codec_of(declared: object) -> str:
    """The codec a resource's ``encoding`` names: ``UTF8`` when absent (or UTF-8 with or without BOM).

    ``UnsupportedSchema`` for a name Python does not know as a text encoding.
    """
    if declared is None:
        return UTF8
    if not isinstance(declared, str) or not declared:
        raise UnsupportedSchema(f"encoding must be the name of a character encoding, not {declared!r}")
    try:
        info = codecs.lookup(declared)
    except LookupError:
        raise UnsupportedSchema(f"encoding {declared!r} is not a character encoding we know") from None
    if not getattr(info, "_is_text_encoding", True):
        raise UnsupportedSchema(f"encoding {declared!r} is not a character encoding")
    return UTF8 if info.name in ("utf-8", "utf-8-sig") else info.name


def encoding_label(codec: str) -> str:
    """How an encoding is named in findings ("UTF-8", "windows-1252", …)."""
    return "UTF-8" if codec == UTF8 else codec


@dataclass(frozen=True)
class Source:
    """Where a table's bytes are: one or more parts (each maybe compressed), or inline text; and their encoding."""

    parts: tuple[tuple[Path, str | None], ...]
    """Each part's path and compression (``streams``), in order."""
    encoding: str = UTF8
    inline: bytes | None = None
    """Inline data, already as UTF-8 CSV (``parts`` is then empty)."""

    @property
    def count(self) -> int:
        return 1 if self.inline is not None else len(self.parts)

    def raw(self, index: int) -> Any:
        """Part ``index``'s bytes, decompressed, as in the file (any byte-order mark included)."""
        if self.inline is not None:
            return io.BytesIO(self.inline)
        path, compression = self.parts[index]
        return open_stream(path, compression)

    def text(self, index: int) -> Any:
        """Part ``index`` as UTF-8 bytes, its byte-order mark skipped."""
        raw = self.raw(index)
        if self.encoding == UTF8:
            skip_bom(raw)
            return raw
        return io.BufferedReader(Transcoded(raw, self.encoding), CHUNK)


def skip_bom(stream: Any) -> bool:
    """Move past a UTF-8 byte-order mark at the start of ``stream``; whether there was one."""
    seekable = getattr(stream, "seekable", None)
    if seekable is not None and seekable():
        if stream.read(3) == codecs.BOM_UTF8:
            return True
        stream.seek(0)
        return False
    if stream.peek(3)[:3] == codecs.BOM_UTF8:
        stream.read(3)
        return True
    return False


def discard(stream: Any, count: int) -> None:
    """Move ``count`` bytes on: by seeking where the stream can, else by reading them."""
    if count <= 0:
        return
    seekable = getattr(stream, "seekable", None)
    if seekable is not None and seekable():
        stream.seek(count, 1)
        return
    while count:
        chunk = stream.read(min(count, CHUNK))
        if not chunk:
            return
        count -= len(chunk)


class Undecodable(OSError):
    """A stream its declared codec refuses as a whole (not byte by byte): said as the file's finding."""


class Produced(io.RawIOBase):
    """A read-only stream whose bytes are made a piece at a time by ``produce`` (b"" once there are no more).

    The readers that rewrite a file as they stream it (re-encoded, repaired, rewritten in our dialect)
    differ only in how they make the next piece; holding and handing out the pieces is this class's.
    ``closing`` is closed with the stream."""

    def __init__(self, closing: Any) -> None:
        self._closing = closing
        self._pending = b""
        self._done = False

    def produce(self) -> bytes:
        raise NotImplementedError

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while len(self._pending) < len(buffer) and not self._done:
            piece = self.produce()
            self._done = not piece
            self._pending += piece
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._closing.close()
        super().close()


class Transcoded(Produced):
    """A stream in another encoding as UTF-8, a chunk at a time (undecodable bytes kept as non-UTF-8 bytes)."""

    def __init__(self, raw: Any, codec: str, errors: str = _ESCAPE) -> None:
        super().__init__(raw)
        self._raw = raw
        self._codec = codec
        self._decoder = codecs.getincrementaldecoder(codec)(errors=errors)
        self._ended = False

    def produce(self) -> bytes:
        while not self._ended:
            chunk = self._raw.read(CHUNK)
            self._ended = not chunk
            try:
                text = self._decoder.decode(chunk, final=self._ended)
            except UnicodeDecodeError:
                raise
            except UnicodeError as exc:  # the codec refuses the stream itself (UTF-16 without a byte-order mark)
                raise Undecodable(f"cannot be decoded as {self._codec}: {exc} (declare the encoding with its "
                                  "byte order, e.g. utf-16-le)") from None
            if text:
                return text.encode("utf-8", "surrogateescape")
        return b""


class Chain(io.RawIOBase):
    """Streams read one after the other, each opened when the one before it ends."""

    def __init__(self, openers: list[Callable[[], Any]]) -> None:
        self._openers = list(openers)
        self._current: Any = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:
            if self._current is None:
                if not self._openers:
                    return 0
                self._current = self._openers.pop(0)()
            data = self._current.read(len(buffer))
            if data:
                n = len(data)
                buffer[:n] = data
                return n
            self._current.close()
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None
        self._openers.clear()
        super().close()
