"""Risk board figures at 10,000 children: load (decrypt), filter, first frame, keys, memory.

    python -m benchmarks.board [--children N] [--runs N]

The store holds real children (`store.children.add`) and synthetic board summaries saved
through `store.assessments.save` in one transaction: scoring 10,000 demo interviews would take
minutes and measure the rules, not the board.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cwtt_tui.board import Board
    from cwtt_tui.store.store import Store

PASSPHRASE = "benchmark passphrase words"
#: Typical filters: one school; a class; protection HIGH; a name search; protection HIGH in a school.
FILTERS = (
    "school",
    "school+grade+class",
    "protection high",
    "name 'dla'",
    "school+protection high",
)
LEVEL_WEIGHTS = {"L": 55, "M": 22, "H": 8, "-": 15}


def spread(samples: list[float]) -> str:
    """`median (min–max, n)` in milliseconds, as `benchmarks.run` prints it."""
    ms = [s * 1000 for s in samples]
    return f"{statistics.median(ms):7.1f} ms  (min {min(ms):.1f}, max {max(ms):.1f}, n={len(ms)})"


def build_store(path: Path, children: int, seed: int = 11) -> tuple[Store, str, float]:
    """A store of `children` children in four schools, each with a synthetic assessment."""
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.demo import SCHOOLS, _child_details
    from cwtt_tui.models import DOMAINS, LEVEL_CODES, BoardSummary
    from cwtt_tui.store.store import create_store

    words = {code: word for word, code in LEVEL_CODES.items()}
    rng = random.Random(seed)
    start = time.perf_counter()
    store, _ = create_store(
        path, school_emis=SCHOOLS[0][0], school_name=SCHOOLS[0][1], laptop_name="Bench",
        user_name="Bench", role="coordinator", passphrase=PASSPHRASE, kdf=TEST_KDF,
    )  # fmt: skip
    today = store.ctx.clock().date()
    codes, weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
    with store.transaction():
        schools = [store.schools.add(emis, name) for emis, name in SCHOOLS]
        round_ = store.rounds.open("Baseline 2026", today.isoformat())
        for n in range(children):
            details = _child_details(rng, today)
            child = store.children.add(schools[n % len(schools)].id, details)
            levels = "".join(rng.choices(codes, weights, k=len(DOMAINS)))
            report = levels[DOMAINS.index("protection")] == "H" and rng.random() < 0.5
            result: dict[str, Any] = {
                "scales": {},
                "domains": {
                    d: {"level": words[c], "reasons": [], "missing": []}
                    for d, c in zip(DOMAINS, levels, strict=True)
                },
                "flags": {"mandatory_report": report},
            }
            summary = BoardSummary(
                child.id, f"{details.last_name}, {details.first_name}", child.school_id,
                details.grade, details.class_name, levels, levels.count("H"),
                date(2026, 2, 1 + n % 28).isoformat(), report,
            )  # fmt: skip
            store.assessments.save(child.id, round_.id, result, summary)
    return store, round_.id, time.perf_counter() - start


def _filters(board: Board) -> dict[str, Any]:
    from cwtt_tui.board import BoardFilter

    school = board.rows[0].school_id
    grade = board.rows[0].grade
    klass = board.rows[0].class_name
    return {
        "school": BoardFilter(school_id=school),
        "school+grade+class": BoardFilter(school_id=school, grade=grade, class_name=klass),
        "protection high": BoardFilter(domain="protection", level="H"),
        "name 'dla'": BoardFilter(text="dla"),
        "school+protection high": BoardFilter(school_id=school, domain="protection", level="H"),
    }


def bench_load_and_filter(store: Store, round_id: str, runs: int) -> Board:
    from cwtt_tui.board import Board

    loads = []
    board = None
    for _ in range(runs):
        start = time.perf_counter()
        board = Board.load(store, round_id)
        loads.append(time.perf_counter() - start)
    assert board is not None
    print(f"{f'board load, {len(board.rows)} rows':<31}{spread(loads)}  (decrypt + sort)")
    for name, wanted in _filters(board).items():
        samples, shown = [], 0
        for _ in range(max(runs, 11)):
            start = time.perf_counter()
            shown = len(board.filter(wanted))
            samples.append(time.perf_counter() - start)
        print(f"  filter {name:<22}{spread(samples)}  ({shown} rows)")
    return board


def bench_export(store: Store, round_id: str, runs: int) -> None:
    """`cwtt board`'s own work: rows from the store, then each format (no audit entry)."""
    from exports.board_report import BoardMeta, board_rows, to_csv, to_html, to_json

    meta = BoardMeta("Baseline 2026", 1, "All schools", "2026-02-01")
    samples: dict[str, list[float]] = {"rows": [], "csv": [], "json": [], "html": []}
    sizes: dict[str, int] = {}
    for _ in range(max(3, runs // 2)):
        start = time.perf_counter()
        rows = board_rows(store, round_id)
        samples["rows"].append(time.perf_counter() - start)
        for name, render in (
            ("csv", partial(to_csv, rows)),
            ("json", partial(to_json, rows, meta)),
            ("html", partial(to_html, rows, meta)),
        ):
            start = time.perf_counter()
            sizes[name] = len(render().encode("utf-8"))
            samples[name].append(time.perf_counter() - start)
    print(f"{f'board export, {len(rows)} rows':<31}{spread(samples['rows'])}  (board_rows)")
    for name in ("csv", "json", "html"):
        print(f"  to_{name:<26}{spread(samples[name])}  ({sizes[name] / 1e6:.1f} MB)")


def bench_memory(store: Store, round_id: str) -> None:
    from cwtt_tui.board import Board

    gc.collect()
    tracemalloc.start()
    board = Board.load(store, round_id)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{f'board memory, {len(board.rows)} rows':<31}peak {peak / 1e6:.1f} MB while loading, "
        f"{held / 1e6:.1f} MB held (tracemalloc)"
    )


async def _pilot(store: Store, round_id: str, presses: int) -> dict[str, list[float]]:
    """Seconds from the action to the table's last `render_line` of the frame it caused."""
    from textual.app import App, ComposeResult
    from textual.strip import Strip

    from cwtt_tui.board import Board, BoardFilter
    from screens.theme import THEMES
    from screens.widgets.risk_table import RiskTable

    class TimedTable(RiskTable):
        drawn = 0.0

        def render_line(self, y: int) -> Strip:
            strip = super().render_line(y)
            self.drawn = time.perf_counter()
            return strip

    class BoardApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            for theme in THEMES:  # before the first frame: RiskTable's CSS needs $risk-high
                self.register_theme(theme)
            self.theme = "cwtt-dark"

        def compose(self) -> ComposeResult:
            yield TimedTable(id="table")

    figures: dict[str, list[float]] = {
        "first frame, load+draw": [], "first frame, draw only": [], "key down": [],
        "key pagedown": [], "key end": [], "Pilot round trip, down": [],
        "Pilot round trip, no-op key": [],
    }  # fmt: skip
    for run in range(3):
        app = BoardApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.query_one(TimedTable)
            table.focus()
            start = time.perf_counter()
            board = Board.load(store, round_id)
            shown_at = time.perf_counter()
            table.set_rows(board.rows, board.filter(BoardFilter()))
            await pilot.pause()
            figures["first frame, load+draw"].append(table.drawn - start)
            figures["first frame, draw only"].append(table.drawn - shown_at)
            if run:
                continue  # the keys once; the first frame three times
            for _ in range(presses):
                for key in ("down", "pagedown"):
                    begin = time.perf_counter()
                    await pilot.press(key)
                    _after(figures[f"key {key}"], table.drawn, begin)
                    if key == "down":
                        figures["Pilot round trip, down"].append(time.perf_counter() - begin)
                begin = time.perf_counter()
                await pilot.press("f12")  # a key nothing answers: the harness's own cost
                figures["Pilot round trip, no-op key"].append(time.perf_counter() - begin)
            for _ in range(max(5, presses // 4)):
                await pilot.press("home")
                begin = time.perf_counter()
                await pilot.press("end")
                _after(figures["key end"], table.drawn, begin)
    return figures


def _after(samples: list[float], drawn: float, begin: float) -> None:
    if drawn >= begin:  # a key that changed nothing drew nothing: no figure, not a negative one
        samples.append(drawn - begin)


def bench_pilot(store: Store, round_id: str, presses: int) -> None:
    figures = asyncio.run(_pilot(store, round_id, presses))
    print("board on screen (Pilot, headless 80x24; to the last line drawn)")
    for name, samples in figures.items():
        print(f"  {name:<29}{spread(samples)}")


def bench_board(folder: Path, runs: int, children: int = 10_000) -> None:
    """Print the board figures for `children` synthetic children; never raises."""
    try:
        store, round_id, took = build_store(folder / "board.db", children)
        size = sum(p.stat().st_size for p in folder.glob("board.db*"))
        label = f"board store, {children} children"
        print(f"{label:<31}built in {took:.1f} s, {size / 1e6:.1f} MB")
        with store:
            bench_load_and_filter(store, round_id, runs)
            bench_export(store, round_id, runs)
            bench_memory(store, round_id)
            bench_pilot(store, round_id, presses=max(20, runs * 4))
    except Exception as exc:  # a benchmark reports; it must not end the run with a traceback
        print(f"board benchmark stopped: {type(exc).__name__}: {exc}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument("--children", type=int, default=10_000, help="children (default 10000)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        bench_board(Path(tmp), args.runs, args.children)
    return 0


if __name__ == "__main__":
    sys.exit(main())
