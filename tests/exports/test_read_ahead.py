"""Blocks made a step ahead in a second thread: same blocks, same errors, no thread left."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from exports.read_ahead import read_ahead


def threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name == "cwtt-read-ahead"}


def numbered(n: int, closed: list[bool], fail_at: int | None = None) -> Iterator[bytes]:
    try:
        for i in range(n):
            if i == fail_at:
                raise ValueError(f"block {i} is damaged")
            yield str(i).encode()
    finally:
        closed.append(True)


def test_every_block_comes_in_order() -> None:
    closed: list[bool] = []
    assert list(read_ahead(numbered(1000, closed), depth=3)) == [
        str(i).encode() for i in range(1000)
    ]
    assert closed == [True] and not threads()


def test_an_error_comes_where_its_block_would_have() -> None:
    closed: list[bool] = []
    got = []
    with pytest.raises(ValueError, match="block 7 is damaged"):
        for block in read_ahead(numbered(20, closed, fail_at=7)):
            got.append(block)
    assert got == [str(i).encode() for i in range(7)]
    assert closed == [True] and not threads()


def test_a_reader_that_stops_early_leaves_no_thread_and_closes_the_source() -> None:
    closed: list[bool] = []
    blocks = read_ahead(numbered(10_000, closed), depth=2)
    assert next(blocks) == b"0"
    blocks.close()  # as when the import stops at a record that fails the schema
    assert closed == [True] and not threads()


def test_nothing_at_all() -> None:
    assert list(read_ahead(iter([]))) == []
    assert not threads()
