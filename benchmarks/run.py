"""Print cwtt's speed and size figures, each as the median and spread of several runs.

    python -m benchmarks.run [--runs N] [--children N] [--bundles [N ...]]

Figures: cold start to the unlock screen (against a minimal Textual app started the same way,
in the same run), unlocking a store (Argon2id calibrated on this machine), and the demo store's
size per child, the risk board at 10,000 children (benchmarks/board.py), and with --bundles,
bundle export and import (benchmarks/bundles.py). Later issues add their figures here. A
benchmark prints; it never fails a build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark passphrase words"


def spread(samples: list[float]) -> str:
    """`median (min–max, n)` in milliseconds."""
    ms = [s * 1000 for s in samples]
    return f"{statistics.median(ms):7.1f} ms  (min {min(ms):.1f}, max {max(ms):.1f}, n={len(ms)})"


def timed_process(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def interleaved(runs: int, probes: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Run the probes in turn, so that a noisy neighbour slows all of them alike."""
    results: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(runs):
        for name, probe in probes.items():
            results[name].append(probe())
    return results


def bench_start(store: Path, runs: int, env: dict[str, str]) -> None:
    python = [sys.executable, "-m", "benchmarks.start_probe"]
    for _ in range(2):  # warm the OS file cache and the bytecode cache once
        timed_process([*python, "minimal"], env)
        timed_process([*python, "cwtt", str(store)], env)
    results = interleaved(
        runs,
        {
            "minimal": lambda: timed_process([*python, "minimal"], env),
            "cwtt": lambda: timed_process([*python, "cwtt", str(store)], env),
        },
    )
    ratio = statistics.median(results["cwtt"]) / statistics.median(results["minimal"])
    print(f"start, minimal Textual app     {spread(results['minimal'])}")
    print(f"start, cwtt to unlock screen   {spread(results['cwtt'])}")
    print(f"start ratio cwtt / minimal     {ratio:7.2f}   (target ≤ 1.30)")


def bench_unlock(store: Path, runs: int) -> None:
    from cwtt_tui.store.store import unlock_store

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        unlock_store(store, PASSPHRASE).close()
        samples.append(time.perf_counter() - start)
    print(f"unlock (Argon2id, calibrated)  {spread(samples)}")


def bench_demo_size(folder: Path, children: int) -> None:
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.demo import fill_demo
    from cwtt_tui.store.peek import DEMO_PASSPHRASE
    from cwtt_tui.store.store import create_store

    path = folder / "demo.db"
    store, _ = create_store(
        path, school_emis="500111222", school_name="Demo", laptop_name="Bench",
        user_name="Bench", role="coordinator", passphrase=DEMO_PASSPHRASE, kdf=TEST_KDF, demo=True,
    )  # fmt: skip
    start = time.perf_counter()
    with store:
        summary = fill_demo(store, children=children, seed=7)
    took = time.perf_counter() - start
    size = path.stat().st_size
    print(
        f"demo store, {children} children      {size / 1e6:7.2f} MB, {size / children / 1000:.1f} KB "
        f"per child ({summary.interviews} interviews; filled in {took:.1f} s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument("--children", type=int, default=1000, help="demo store size (default 1000)")
    parser.add_argument(
        "--board-children", type=int, default=10_000, help="risk board size (default 10000)"
    )
    parser.add_argument(
        "--bundles", type=int, nargs="*", metavar="N",
        help="also bundle export and import at N children (default 1000; takes minutes)",
    )  # fmt: skip
    args = parser.parse_args(argv)

    from cwtt_tui.crypto.kdf import calibrate_kdf
    from cwtt_tui.store.store import create_store

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CWTT_TEST_KDF", None)
    print(
        f"cwtt benchmarks · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs · {args.runs} runs"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store_path = folder / "store.db"
        kdf = calibrate_kdf()
        print(f"Argon2id calibrated here: {kdf.iterations} passes × {kdf.memory_kib // 1024} MiB")
        store, _ = create_store(
            store_path, school_emis="500123456", school_name="Bench Primary",
            laptop_name="Bench", user_name="Bench", role="coordinator", passphrase=PASSPHRASE,
            kdf=kdf,
        )  # fmt: skip
        store.close()
        bench_start(store_path, args.runs, env)
        bench_unlock(store_path, args.runs)
        bench_demo_size(folder, args.children)
        bench_interview(folder / "demo.db", args.runs)
        bench_board(folder, args.runs, args.board_children)
    if args.bundles is not None:
        from benchmarks.bundles import main as bundle_figures

        bundle_figures(["--children", *map(str, args.bundles or [1000]), "--xz"])
    return 0


def bench_interview(demo_store: Path, runs: int) -> None:
    from benchmarks.interview import interview_lengths, keypress_to_next_question, report_lengths

    keypress, service, idle = keypress_to_next_question(demo_store, presses=max(40, runs * 8))
    print(f"keypress to next question      {spread(keypress)}  (headless, incl. saving)")
    print(f"  same harness, a no-op key    {spread(idle)}")
    print(f"save + next, service only      {spread(service)}")
    for line in report_lengths(interview_lengths()):
        print(line)


def bench_board(folder: Path, runs: int, children: int) -> None:
    from benchmarks.board import bench_board as board_figures

    board_figures(folder, runs, children)


if __name__ == "__main__":
    sys.exit(main())
