"""Risk board figures at 10,000 and 100,000 children, with VisiData loading the same board.

    python -m benchmarks.board [--children 10000 100000] [--runs N] [--score-sample N] [--fresh]

For each size, in one run: scoring the children (the rules engine on demo answer sets made
with a fixed seed; past `--score-sample` children a sample is scored and the total
extrapolated, which the output says); from the board key (4 on the home screen) to the first
frame of the table, in the real app at 80x24, decryption included; filters, as plain calls and
from a key to its frame; the default sort (the board has no sort key); `ctrl+end`; peak memory
(resident set of the process that opened the board, and tracemalloc); the board's CSV as
`cwtt board` writes it; and VisiData (`vd -b`) loading that CSV, as a reference a user could
pick instead, and loading a one-row CSV (its start alone).

The store holds demo children (`store.children.add`), each with an assessment saved as
`assess_child` saves it: a result of the rules engine on one of `POOL` demo answer sets (past
`POOL` children, results repeat; making 100,000 demo interviews would take a quarter of an hour
and measure the questionnaires, not the board). Stores and answer sets are built once and kept
in the temporary folder, keyed by `VERSION` and size (`--fresh` builds the stores again). Each
measurement runs in a fresh child process, so that one size's memory does not colour the next.
VisiData is found as `$CWTT_BENCH_VD` or `vd` on PATH; without it its figure is skipped. A
benchmark prints; it never fails a build.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.bundles import PeakRss, copy_store, max_rss
from benchmarks.child_process import emit, run_module

if TYPE_CHECKING:
    from cwtt_tui.board import Board
    from cwtt_tui.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
VERSION = "v2"
#: Distinct demo answer sets, made once; scoring measures at most this many children.
POOL = 10_000
PASSPHRASE = "benchmark passphrase words"
MB = 1e6
RESPONDENTS = ("caregiver", "teacher", "health", "child")
#: Seconds; the issue's targets on this machine.
TARGETS = {
    "frame_10k": 0.5, "frame_100k": 2.0, "filter": 0.1, "sort": 0.1, "rss_100k": 200 * MB,
}  # fmt: skip


# ---------------------------------------------------------------- figures


def spread(samples: list[float]) -> str:
    """`median (min–max, n)` in milliseconds, as `benchmarks.run` prints it."""
    ms = [s * 1000 for s in samples]
    return f"{statistics.median(ms):7.1f} ms  (min {min(ms):.1f}, max {max(ms):.1f}, n={len(ms)})"


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def timed(call: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Seconds of `runs` calls, and the last call's result."""
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - start)
    return samples, result


# ---------------------------------------------------------------- the store, cached


def cached_store(children: int) -> Path:
    return Path(tempfile.gettempdir()) / f"cwtt-bench-board-{VERSION}-{children}.db"


def build_store(path: Path, children: int, seed: int = 11) -> tuple[Store, str, float]:
    """A store of `children` demo children in four schools, each with a scored assessment.

    The assessments are real results of the rules engine on demo answers (`scored_pool`),
    saved as `assess_child` saves them, so that rows are the size they are in use.
    """
    from cwtt_tui.assessing import summarise
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.demo import SCHOOLS, _child_details
    from cwtt_tui.store.store import create_store

    pool = scored_pool(min(children, POOL))
    rng = random.Random(seed)
    start = time.perf_counter()
    store, _ = create_store(
        path, school_emis=SCHOOLS[0][0], school_name=SCHOOLS[0][1], laptop_name="Bench",
        user_name="Bench", role="coordinator", passphrase=PASSPHRASE, kdf=TEST_KDF,
    )  # fmt: skip
    today = store.ctx.clock().date()
    with store.transaction():
        schools = [store.schools.add(emis, name).id for emis, name in SCHOOLS]
        round_id = store.rounds.open("Baseline 2026", today.isoformat()).id
    for first in range(0, children, 5000):
        with store.transaction():
            for n in range(first, min(first + 5000, children)):
                child = store.children.add(schools[n % len(schools)], _child_details(rng, today))
                dates = [date(2026, 2, 1 + n % 28).isoformat()]
                result = pool[n % len(pool)]
                store.assessments.save(child.id, round_id, result, summarise(child, result, dates))
        if children > 10_000:
            print(f"  {min(first + 5000, children)} children stored", file=sys.stderr)
    return store, round_id, time.perf_counter() - start


def scored_pool(count: int) -> list[dict[str, Any]]:
    """The rules engine's results for the first `count` answer sets, as stored."""
    from scoring.rules_engine import assess

    return [
        assess(one["answers"], one["child"], one["date"]).to_dict() for one in answer_sets()[:count]
    ]


def store_for(children: int, fresh: bool) -> tuple[Path, float, bool]:
    """The cached store, the seconds its build took, and whether it was built now."""
    path = cached_store(children)
    marker = path.with_suffix(".json")
    if not fresh and marker.is_file() and path.is_file():
        return path, json.loads(marker.read_text())["seconds"], False
    building = path.with_name(path.name + ".building")
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    marker.unlink(missing_ok=True)
    store, _, took = build_store(building, children)
    store.close()
    building.rename(path)
    building.with_name(building.name + ".lock").unlink(missing_ok=True)
    marker.write_text(json.dumps({"seconds": took, "children": children}))
    return path, took, True


# ---------------------------------------------------------------- scoring (child process)


def answers_file() -> Path:
    return Path(tempfile.gettempdir()) / f"cwtt-bench-board-{VERSION}-answers-{POOL}.json"


def answer_sets(seed: int = 23) -> list[dict[str, Any]]:
    """`POOL` children's finished interviews as `assess` takes them, answered as the demo
    answers them: a few respondents not yet interviewed or still in draft (those do not count).
    Made once (about 10 ms a child) and kept in the temporary folder."""
    path = answers_file()
    if path.is_file():
        return list(json.loads(path.read_text()))
    from cwtt_tui.assessing import RESPONDENT_KEYS
    from cwtt_tui.demo import _Child, _child_details, demo_answers
    from questionnaires.loader import load_all

    instruments = load_all()
    rng = random.Random(seed)
    today = date(2026, 3, 2)
    sets = []
    for n in range(POOL):
        details = _child_details(rng, today)
        profile = _Child(rng, details, today)
        answers = {}
        for respondent in RESPONDENTS:
            if rng.random() >= 0.14:  # the demo's 8% not interviewed and 6% drafts
                answers[RESPONDENT_KEYS[respondent]] = demo_answers(
                    rng, instruments[respondent], profile
                )
        facts = {"sex": details.sex, "date_of_birth": details.date_of_birth.isoformat()}
        sets.append({"answers": answers, "child": facts, "date": today.isoformat()})
        if (n + 1) % 2000 == 0:
            print(f"  {n + 1} answer sets made", file=sys.stderr)
    building = path.with_name(path.name + ".building")
    building.write_text(json.dumps(sets))
    building.rename(path)
    return sets


def phase_score(sample: int) -> None:
    """Score `sample` answer sets with the rules engine, as `assess_child` calls it."""
    from scoring.rules_engine import assess
    from scoring.rules_file import default_rules

    sets = answer_sets()[:sample]
    default_rules()  # loaded once per process, as in the app
    start = time.perf_counter()
    for one in sets:
        assess(one["answers"], one["child"], one["date"])
    _emit(seconds=time.perf_counter() - start, scored=len(sets))


# ---------------------------------------------------------------- the app (child process)


class FrameClock:
    """When the risk table's lines reached the terminal: one time per frame that drew a row."""

    def __init__(self) -> None:
        self.pending = False
        self.frames: list[float] = []
        self.loads: list[float] = []

    async def after(self, begin: float, timeout: float = 60.0) -> float:
        """Seconds from `begin` to the first frame drawn after it."""
        while True:
            later = [f for f in self.frames if f >= begin]
            if later:
                return later[0] - begin
            if time.perf_counter() - begin > timeout:
                raise TimeoutError("the risk table drew no frame")
            await asyncio.sleep(0.001)


def timed_app(clock: FrameClock) -> type[Any]:
    """The real app, with the risk table's frames and `Board.load` timed by `clock`."""
    from cwtt_tui.app import CwttApp
    from cwtt_tui.board import Board
    from screens.widgets.risk_table import RiskTable

    draw = RiskTable.render_line
    load = Board.load.__func__  # type: ignore[attr-defined]

    def render_line(self: RiskTable, y: int) -> Any:
        if self.rows:
            clock.pending = True
        return draw(self, y)

    def timed_load(cls: type[Board], store: Store, round_id: str) -> Board:
        start = time.perf_counter()
        board = load(cls, store, round_id)
        clock.loads.append(time.perf_counter() - start)
        return board

    RiskTable.render_line = render_line  # type: ignore[method-assign]
    Board.load = classmethod(timed_load)  # type: ignore[method-assign, assignment]

    class TimedApp(CwttApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if clock.pending and renderable is not None:
                clock.pending = False
                clock.frames.append(time.perf_counter())

    return TimedApp


async def _press(pilot: Any, clock: FrameClock, *keys: str) -> float:
    """Press `keys`; seconds from the last one to the frame it caused."""
    if keys[:-1]:
        await pilot.press(*keys[:-1])
    begin = time.perf_counter()
    await pilot.press(keys[-1])
    return await clock.after(begin)


async def _settle(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def app_figures(store_path: Path, runs: int) -> dict[str, Any]:
    """Open the store in the app, then time the board key, filters, search and ctrl+end.

    Memory is read twice: after the board was opened once and used, and after all the runs
    (each closes the board and goes back to the home screen before the next opening).
    """
    from cwtt_tui.config import Settings
    from screens.board import BoardScreen
    from screens.home import HomeScreen

    clock = FrameClock()
    app = timed_app(clock)(
        store_path, settings=Settings(), settings_file=store_path.parent / "settings.toml",
        idle_check_seconds=3600,
    )  # fmt: skip
    keys: dict[str, list[float]] = {"first": [], "school": [], "protection high": [],
                                    "search": [], "ctrl+end": [], "down": []}  # fmt: skip
    memory: dict[str, Any] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*(("space" if c == " " else c) for c in PASSPHRASE), "enter")
        await _settle(app, pilot)
        if not isinstance(app.screen, HomeScreen):
            raise RuntimeError(f"not at home after unlocking but at {type(app.screen).__name__}")
        gc.collect()
        memory["home_rss"], peak = _rss(), PeakRss()
        for run in range(runs):
            if run:
                await pilot.press("escape")
                await _settle(app, pilot)
            keys["first"].append(await _press(pilot, clock, "4"))
            await _settle(app, pilot)  # the change and overdue actions load after the levels
            if not isinstance(app.screen, BoardScreen):
                raise RuntimeError("the board key did not open the board")
            await _use_board(pilot, clock, keys)
            if not run:
                memory.update(rise_once=peak.rise(), peak_once=max_rss())
        rows = len(app.screen.board.rows) if app.screen.board else 0
    memory.update(rise=peak.rise(), peak_rss=max_rss())
    return {"keys": keys, "loads": clock.loads, "rows": rows, **memory}


async def _use_board(pilot: Any, clock: FrameClock, keys: dict[str, list[float]]) -> None:
    """Filters by key (a school; protection HIGH), a name search, ctrl+end, a step down."""
    keys["school"].append(await _press(pilot, clock, "x", "s"))
    keys["protection high"].append(await _press(pilot, clock, "d", "d", "d", "d", "l"))
    keys["search"].append(await _press(pilot, clock, "x", "slash", "d", "l", "a"))
    await pilot.press("enter", "x")
    keys["ctrl+end"].append(await _press(pilot, clock, "ctrl+home", "ctrl+end"))
    keys["down"].append(await _press(pilot, clock, "ctrl+home", "down"))


def _rss() -> int | None:
    from benchmarks.bundles import _status

    return _status("VmRSS")


def phase_app(store_path: Path, runs: int) -> None:
    _emit(**asyncio.run(app_figures(store_path, runs)))


# ---------------------------------------------------------------- plain calls (child process)


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
        "none (all rows)": BoardFilter(),
    }


def phase_calls(store_path: Path, runs: int) -> None:
    """Board.load and its parts, each filter, the default sort, then tracemalloc's peak."""
    import tracemalloc

    from cwtt_tui.board import Board
    from cwtt_tui.store.store import unlock_store

    with unlock_store(store_path, PASSPHRASE) as store:
        round_id = store.rounds.list()[-1].id
        figures: dict[str, Any] = {}
        figures["load"], board = timed(lambda: Board.load(store, round_id), runs)
        figures["summaries"], _ = timed(lambda: store.assessments.summaries(round_id), runs)
        figures["filters"] = {}
        for name, wanted in _filters(board).items():
            samples, shown = timed(lambda w=wanted: board.filter(w), max(runs, 11))
            figures["filters"][name] = [samples, len(shown)]
        figures["sort"] = sort_seconds(board, max(runs, 11))
        del board
        gc.collect()
        tracemalloc.start()
        board = Board.load(store, round_id)
        board.filter(_filters(board)["none (all rows)"])
        held, figures["traced_peak"] = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures["traced_held"] = held
    _emit(**figures)


def sort_seconds(board: Board, runs: int) -> list[float]:
    """The board's default order over its loaded columns (the sort inside `Board.load`)."""
    from cwtt_tui.board import default_order, fold_all

    columns = board.rows.columns  # type: ignore[attr-defined]
    folded = fold_all(columns.name)
    return timed(lambda: default_order(folded, columns.child_id, columns.highs), runs)[0]


def phase_csv(store_path: Path, out: Path) -> None:
    """The board's CSV as `cwtt board --format csv` makes it (rows, then `to_csv`)."""
    from cwtt_tui.store.store import unlock_store
    from exports.board_report import board_rows, to_csv

    with unlock_store(store_path, PASSPHRASE) as store:
        round_id = store.rounds.list()[-1].id
        start = time.perf_counter()
        rows = board_rows(store, round_id)
        text = to_csv(rows)
        took = time.perf_counter() - start
    out.write_text(text, encoding="utf-8", newline="")
    _emit(seconds=took, rows=len(rows), bytes=out.stat().st_size, last=rows[-1]["child_id"])


# ---------------------------------------------------------------- child processes


def _emit(**figures: Any) -> None:
    emit(**figures)


def run_phase(phase: str, *extra: str, env: dict[str, str]) -> dict[str, Any]:
    """Run one phase in a fresh Python process; echo what it prints, return its figures."""
    return run_module("benchmarks.board", ["--phase", phase, *extra], env, f"phase {phase}")


def child_env(work: Path) -> dict[str, str]:
    """The children's settings, data and configuration live in the work folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.update(CWTT_DATA_DIR=str(work / "data"), CWTT_CONFIG_DIR=str(work / "config"))
    env.pop("CWTT_TEST_KDF", None)
    return env


# ---------------------------------------------------------------- VisiData


def visidata() -> str | None:
    """`$CWTT_BENCH_VD`, else `vd` on PATH; None when neither is there."""
    named = os.environ.get("CWTT_BENCH_VD")
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    return shutil.which("vd")


def bench_visidata(vd: str, csv: Path, rows: int, last: str, runs: int) -> list[float]:
    """Seconds for `vd -b` to load the CSV, move to its last row and print that row's id.

    `-N` leaves out the user's configuration and plugins; `-O -` prints the cursor's cell at
    exit instead of saving the sheet, so the figure is the load, not a save.
    """
    args = [vd, "-N", "--motd-url", "", "-b", "-f", "csv", str(csv), f"+0:{rows - 1}", "-O", "-"]
    samples = []
    for run in range(runs + 1):  # the first run warms the file and bytecode caches
        start = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        took = time.perf_counter() - start
        if done.returncode or done.stdout.strip() != last:
            raise RuntimeError(f"VisiData did not load the board: {done.stderr[-500:]}")
        if run:
            samples.append(took)
    return samples


# ---------------------------------------------------------------- the run


def bench_size(children: int, runs: int, work: Path, *, fresh: bool, sample: int) -> dict[str, Any]:
    """Print one size's figures; return the medians for the summary table."""
    cached, built, now = store_for(children, fresh)
    print(f"\n== {children:,} children, {runs} run(s)")
    size = sum(p.stat().st_size for p in cached.parent.glob(cached.name + "*")) / MB
    print(f"store                          built in {built:.1f} s ({'now' if now else 'cached'}: "
          f"{cached}, {size:.1f} MB)")  # fmt: skip
    store = copy_store(cached, work / "board.db")
    env = child_env(work)
    out: dict[str, Any] = {"children": children}

    scored = run_phase("score", "--score-sample", str(min(children, sample, POOL)), env=env)
    out["score"] = scored["seconds"] * children / scored["scored"]
    per_child = scored["seconds"] / scored["scored"] * 1000
    if scored["scored"] < children:
        print(f"scoring (extrapolated)         {out['score']:7.1f} s  for {children:,}: a sample "
              f"of {scored['scored']:,} took {scored['seconds']:.1f} s, {per_child:.2f} ms "
              "per child")  # fmt: skip
    else:
        print(f"scoring, all {children:,}         {out['score']:7.1f} s  ({per_child:.2f} ms per "
              "child)")  # fmt: skip

    got = run_phase("app", "--store", str(store), "--runs", str(runs), env=env)
    keys = got["keys"]
    out["frame"] = median(keys["first"])
    print("board in the app (headless 80x24, from the key to the frame with the rows)")
    print(f"  board key to first frame     {spread(keys['first'])}  (4 on the home screen)")
    print(f"    of which Board.load        {spread(got['loads'])}  (decrypt + sort)")
    for name, label in (("school", "key s (school filter)"),
                        ("protection high", "key l (protection HIGH)"),
                        ("search", "search, 3rd letter 'dla'"), ("ctrl+end", "ctrl+end"),
                        ("down", "down")):  # fmt: skip
        print(f"  {label:<29}{spread(keys[name])}")
    out["filter_key"] = max(median(keys["protection high"]), median(keys["search"]))
    out["ctrl_end"] = median(keys["ctrl+end"])
    out["rss"] = got["peak_once"]
    home = f"{got['home_rss'] / MB:.0f} MB" if got["home_rss"] else "unknown"
    print(f"  peak resident set, board once{got['peak_once'] / MB:7.1f} MB  (whole process; "
          f"{home} at home, rise {_mb(got['rise_once'])})")  # fmt: skip
    print(f"  peak resident set, {runs} opens  {got['peak_rss'] / MB:7.1f} MB  (rise "
          f"{_mb(got['rise'])}; closed and opened again from the home screen)")  # fmt: skip

    calls = run_phase("calls", "--store", str(store), "--runs", str(runs), env=env)
    print(f"plain calls, {got['rows']:,} rows")
    print(f"  Board.load                   {spread(calls['load'])}  (decrypt + sort)")
    print(f"  assessments.summaries        {spread(calls['summaries'])}  (decrypt + decode)")
    print(f"  sort, default order          {spread(calls['sort'])}  (key and sort in Board.load)")
    out["sort"] = median(calls["sort"])
    out["filter"] = 0.0
    for name, (samples, shown) in calls["filters"].items():
        print(f"  filter {name:<22}{spread(samples)}  ({shown:,} rows)")
        out["filter"] = max(out["filter"], median(samples))
    print(f"  tracemalloc                  peak {calls['traced_peak'] / MB:.1f} MB while loading, "
          f"{calls['traced_held'] / MB:.1f} MB held")  # fmt: skip
    out["traced"] = calls["traced_peak"]

    csv = work / "board.csv"
    made = run_phase("csv", "--store", str(store), "--out", str(csv), env=env)
    print(f"board CSV (cwtt board)         {made['seconds'] * 1000:7.1f} ms  "
          f"({made['bytes'] / MB:.1f} MB, {made['rows']:,} rows)")  # fmt: skip
    vd = visidata()
    out["vd"] = None
    if vd is None:
        print("VisiData not found: skipped")
    else:
        samples = bench_visidata(vd, csv, made["rows"], made["last"], runs)
        out["vd"] = median(samples)
        print(f"VisiData vd -b, load the CSV   {spread(samples)}  (process start to exit)")
        one = work / "one-row.csv"
        one.write_bytes(b"\r\n".join(csv.read_bytes().split(b"\r\n")[:2]) + b"\r\n")
        first = one.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[0]
        started = bench_visidata(vd, one, 1, first, runs)
        print(f"  the same, a one-row CSV      {spread(started)}  (VisiData's start alone)")
    return out


def _mb(value: float | None) -> str:
    return "unknown" if value is None else f"{value / MB:.1f} MB"


def _mark(value: float | None, target: float | None) -> str:
    if value is None or target is None:
        return ""
    return "met" if value < target else "MISSED"


def summary(rows: list[dict[str, Any]]) -> None:
    """One line per size, each figure with its target and whether it was met."""
    print("\nsummary (medians)")
    head = ("N", "scoring", "first frame", "VisiData", "filter", "filter key", "sort",
            "ctrl+end", "peak RSS", "tracemalloc")  # fmt: skip
    print("  ".join(f"{h:>12}" for h in head))
    for r in rows:
        cells = (
            f"{r['children']:>12,}", f"{r['score']:>10.1f} s", f"{r['frame'] * 1000:>9.0f} ms",
            f"{r['vd'] * 1000:>9.0f} ms" if r["vd"] else f"{'-':>12}",
            f"{r['filter'] * 1000:>9.1f} ms", f"{r['filter_key'] * 1000:>9.1f} ms",
            f"{r['sort'] * 1000:>9.1f} ms", f"{r['ctrl_end'] * 1000:>9.1f} ms",
            f"{r['rss'] / MB:>9.0f} MB", f"{r['traced'] / MB:>9.1f} MB",
        )  # fmt: skip
        print("  ".join(cells))
        frame_target = TARGETS["frame_10k"] if r["children"] <= 10_000 else TARGETS["frame_100k"]
        notes = [f"first frame < {frame_target:g} s: {_mark(r['frame'], frame_target)}"]
        if r["children"] >= 100_000:
            if r["vd"]:
                notes.append(f"no slower than VisiData: {_mark(r['frame'], r['vd'] + 1e-9)}")
            notes.append(f"filter < 100 ms: {_mark(r['filter'], TARGETS['filter'])}")
            notes.append(f"filter key < 100 ms: {_mark(r['filter_key'], TARGETS['filter'])}")
            notes.append(f"sort < 100 ms: {_mark(r['sort'], TARGETS['sort'])}")
            notes.append(f"peak RSS < 200 MB: {_mark(r['rss'], TARGETS['rss_100k'])}")
        print(f"{'':>12}  " + "; ".join(notes))
    print("targets: 10,000 to first frame < 0.5 s; 100,000 < 2 s and no slower than VisiData's "
          "load; filter and sort < 100 ms and peak memory < 200 MB at 100,000")  # fmt: skip


def bench_board(folder: Path, runs: int, children: int = 10_000) -> None:
    """Print the board figures for `children` children (as `benchmarks.run` asks); never raises."""
    try:
        bench_size(children, runs, folder, fresh=False, sample=POOL)
    except Exception as exc:  # a benchmark reports; it must not end the run with a traceback
        print(f"board benchmark stopped: {type(exc).__name__}: {exc}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--children", type=int, nargs="+", default=[10_000], help="sizes (default 10000)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument(
        "--score-sample", type=int, default=POOL,
        help=f"score at most this many children and extrapolate (default and most {POOL})",
    )  # fmt: skip
    parser.add_argument("--fresh", action="store_true", help="build the stores again")
    parser.add_argument("--phase", choices=("score", "app", "calls", "csv"), help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        phases: dict[str, Callable[[], None]] = {
            "score": lambda: phase_score(args.score_sample),
            "app": lambda: phase_app(args.store, args.runs),
            "calls": lambda: phase_calls(args.store, args.runs),
            "csv": lambda: phase_csv(args.store, args.out),
        }
        phases[args.phase]()
        return 0

    print(f"cwtt board benchmarks · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs")
    rows = []
    try:  # a benchmark reports; it must not end the run with a traceback
        for children in args.children:
            with tempfile.TemporaryDirectory() as tmp:
                rows.append(
                    bench_size(
                        children, args.runs, Path(tmp), fresh=args.fresh, sample=args.score_sample
                    )
                )
    except Exception as exc:
        print(f"board benchmark stopped: {type(exc).__name__}: {exc}")
    if rows:
        summary(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
