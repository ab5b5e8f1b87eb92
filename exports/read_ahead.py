"""Run a generator of byte blocks one step ahead of its reader, in a second thread.

Reading a bundle means hashing, decrypting and xz-decompressing it, and the decompressor lets
go of Python's lock while it works; records are parsed and merged under that lock. With the
blocks made in a thread of their own, a second core decompresses while the first merges. On
a single core nothing is gained and little is lost: the queue holds only `depth` blocks.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

#: How long a blocked producer waits before looking whether the reader has gone.
_POLL_SECONDS = 0.05


class _End:
    """Put on the queue after the last block."""


def read_ahead(blocks: Iterator[bytes], depth: int = 4) -> Iterator[bytes]:
    """Yield what `blocks` yields, made up to `depth` blocks ahead in another thread.

    An exception in `blocks` is raised here, at the point its block would have come. If the
    reader stops early (an error, or it simply closes this generator), the thread closes
    `blocks` (its files with it) and ends before this generator returns.
    """
    line: queue.Queue[bytes | _End | BaseException] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: bytes | _End | BaseException) -> bool:
        while not stop.is_set():
            try:
                line.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for block in blocks:
                if not put(block):
                    return
            put(_End())
        except BaseException as exc:  # handed to the reader, raised there
            put(exc)
        finally:
            close = getattr(blocks, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="cwtt-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = line.get()
            if isinstance(item, _End):
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()
