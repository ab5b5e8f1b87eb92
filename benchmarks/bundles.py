"""Bundle figures: export and import of a full bundle, its size, memory, and a plain SQLite baseline.

    python -m benchmarks.bundles [--children 1000 10000] [--runs N] [--fresh] [--profile] [--trace]

The sender (Laptop A, team lead) holds N children in four schools, each with four complete
interviews answered on the real instruments (`demo_answers`) and scored once; the receiver is
an empty coordinator's store. Both are built once and kept in the temporary folder, keyed by N
and `VERSION` (`--fresh` builds again). Export and import each run in a child process; their
memory is how far its resident set rose during the operation (the high-water mark is reset
once the store is unlocked), also shown against a process that only unlocked the store. The
baseline inserts every row the import wrote (sealed payloads and the sender's audit entries
included) with `executemany` into an empty file with the same tables, in one transaction; the
ratio without the audit entries is shown too. `--trace` adds tracemalloc peaks;
`--xz` compares xz presets on the smallest size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.child_process import emit, run_module

ROOT = Path(__file__).resolve().parent.parent
VERSION = "v1"
PASSPHRASE = "benchmark passphrase words"
RECEIVER = "Coordinator"
RESPONDENTS = ("caregiver", "teacher", "health", "child")
TABLES = ("schools", "rounds", "children", "interviews", "actions", "assessments")
MB = 1e6


# ---------------------------------------------------------------- the stores


def cache_folder(children: int) -> Path:
    return Path(tempfile.gettempdir()) / f"cwtt-bench-bundles-{VERSION}-{children}"


def build_sender(path: Path, children: int, seed: int = 5) -> None:
    """Laptop A: `children` children, four complete interviews each, every child scored."""
    from cwtt_tui.assessing import rescore
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.demo import SCHOOLS, _answer, _Child, _child_details, demo_answers
    from cwtt_tui.store.store import create_store
    from questionnaires.loader import load_all

    rng = random.Random(seed)
    instruments = load_all()
    store, _ = create_store(
        path, school_emis="500123456", school_name="Bench Primary", laptop_name="Laptop A",
        user_name="Team lead A", role="team_lead", passphrase=PASSPHRASE, kdf=TEST_KDF,
    )  # fmt: skip
    with store:
        today = store.ctx.clock().date()
        with store.transaction():
            schools = [store.schools.add(emis, name) for emis, name in SCHOOLS]
            round_id = store.rounds.open("Baseline 2026", today.isoformat()).id
        for start in range(0, children, 1000):
            with store.transaction():
                for n in range(start, min(start + 1000, children)):
                    details = _child_details(rng, today)
                    child = store.children.add(schools[n % len(schools)].id, details)
                    profile = _Child(rng, details, today)
                    for respondent in RESPONDENTS:
                        instrument = instruments[respondent]
                        answers = demo_answers(rng, instrument, profile)
                        store.interviews.record(
                            child.id, round_id, respondent,
                            {qid: _answer(value) for qid, value in answers.items()},
                            instrument_id=instrument.id, instrument_version=instrument.version,
                        )  # fmt: skip
            print(f"  {min(start + 1000, children)} children recorded", file=sys.stderr)
        rescore(store, round_id)


def build_pair(folder: Path, children: int) -> float:
    """Sender and empty receiver in `folder`, enrolled with each other; the build's seconds."""
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.peers import enrol_peer, write_key_file
    from cwtt_tui.store.store import create_store, unlock_store

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    build_sender(folder / "sender.db", children)
    took = time.perf_counter() - start
    store, _ = create_store(
        folder / "receiver.db", school_emis="999000111", school_name="District office",
        laptop_name=RECEIVER, user_name="Coordinator", role="coordinator",
        passphrase=PASSPHRASE, kdf=TEST_KDF,
    )  # fmt: skip
    store.close()
    keys = {name: write_key_file(folder / f"{name}.db", folder / f"{name}.json")[1]
            for name in ("sender", "receiver")}  # fmt: skip
    for name, other in (("sender", "receiver"), ("receiver", "sender")):
        with unlock_store(folder / f"{name}.db", PASSPHRASE) as store, store.transaction():
            enrol_peer(store, keys[other])
    (folder / "built.json").write_text(json.dumps({"seconds": took, "children": children}))
    return took


def stores_for(children: int, fresh: bool) -> tuple[Path, float, bool]:
    """The cached pair's folder, the seconds its build took, and whether it was built now."""
    folder = cache_folder(children)
    marker = folder / "built.json"
    if not fresh and marker.is_file():
        return folder, json.loads(marker.read_text())["seconds"], False
    return folder, build_pair(folder, children), True


def copy_store(source: Path, target: Path) -> Path:
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    shutil.copyfile(source, target)
    return target


# ---------------------------------------------------------------- child processes


def _status(field: str) -> int | None:
    """`VmRSS` or `VmHWM` from /proc/self/status in bytes; None where there is none."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return None
    return next((int(ln.split()[1]) * 1024 for ln in lines if ln.startswith(field + ":")), None)


def max_rss() -> int:
    """The peak resident set in bytes: `VmHWM`, else `ru_maxrss` (which, on Linux, also
    counts the parent's resident set at the moment it started this process)."""
    import resource

    peak = _status("VmHWM")
    if peak is not None:
        return peak
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class PeakRss:
    """How far the resident set rose above where it stood at the start (Linux resets its
    high-water mark; elsewhere `rise` is None)."""

    def __init__(self) -> None:
        self.start = _status("VmRSS")
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            self.start = None

    def rise(self) -> int | None:
        peak = _status("VmHWM")
        return None if self.start is None or peak is None else peak - self.start


def _emit(**figures: Any) -> None:
    emit(**figures)


def _unlocked(path: Path) -> Any:
    """Import what export and import use, then unlock the store (the baseline's work)."""
    import exports.bundle_export
    import exports.bundle_import  # noqa: F401
    from cwtt_tui.store.store import unlock_store

    return unlock_store(path, PASSPHRASE)


def _traced(trace: bool) -> Any:
    import tracemalloc

    if trace:
        tracemalloc.start()
    return tracemalloc


def phase_baseline(store_path: Path) -> None:
    with _unlocked(store_path):
        _emit(rss=_status("VmRSS") or max_rss())


def _profiled(profile: bool, call: Any, *args: Any, **kwargs: Any) -> Any:
    """`call(*args, **kwargs)`, under cProfile when asked (top 15 by cumulative time)."""
    if not profile:
        return call(*args, **kwargs)
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    result = profiler.runcall(call, *args, **kwargs)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(15)
    return result


def phase_export(store_path: Path, out: Path, trace: bool, profile: bool) -> None:
    from exports.bundle_export import export_bundle

    with _unlocked(store_path) as store:
        peak, tm = PeakRss(), _traced(trace)
        start = time.perf_counter()
        result = _profiled(profile, export_bundle, store, RECEIVER, out, full=True)
        took = time.perf_counter() - start
        _emit(
            seconds=took, rise=peak.rise(), rss=max_rss(), path=str(result.paths[0]),
            bytes=result.total_bytes, counts=result.counts,
            traced_peak=tm.get_traced_memory()[1] if trace else None,
        )  # fmt: skip


def phase_import(store_path: Path, bundles: list[Path], trace: bool, profile: bool) -> None:
    from exports.bundle_import import import_bundles

    with _unlocked(store_path) as store:
        peak, tm = PeakRss(), _traced(trace)
        start = time.perf_counter()
        summary = _profiled(profile, import_bundles, store, bundles[:1])[0]
        took = time.perf_counter() - start
        figures: dict[str, Any] = {
            "seconds": took, "rise": peak.rise(), "rss": max_rss(),
            "traced_peak": tm.get_traced_memory()[1] if trace else None,
            "outcomes": {k: dict(v) for k, v in summary.outcomes.items()},
            "rescored": summary.rescored, "duplicates": len(summary.duplicates),
        }  # fmt: skip
        if trace or profile:
            _emit(**figures)
            return
        start = time.perf_counter()
        again = import_bundles(store, bundles[:1])[0]
        figures["again_seconds"] = time.perf_counter() - start
        assert again.already_imported
        start = time.perf_counter()
        second = import_bundles(store, bundles[1:2])[0]
        figures["second_seconds"] = time.perf_counter() - start
        figures["second_outcomes"] = {k: dict(v) for k, v in second.outcomes.items()}
        figures.update(read_pass(store, bundles[0]))
        _emit(**figures)


def read_pass(store: Any, path: Path) -> dict[str, float]:
    """The import's checks without applying: open and verify, then decrypt, inflate, parse."""
    from exports.bundle_import import own_keys, trusted_sender
    from exports.bundle_reader import OpenedBundle
    from exports.bundle_records import check_record

    start = time.perf_counter()
    bundle = OpenedBundle.open([path])
    bundle.verify_signature()
    trusted_sender(store, bundle.manifest)
    bundle.verify_payload()
    key = bundle.content_key(own_keys(store))
    verified = time.perf_counter()
    for record in bundle.records(key):
        check_record(record)
    return {"verify_seconds": verified - start, "read_seconds": time.perf_counter() - verified}


def phase_xz(store_path: Path, out: Path, preset: int) -> None:
    """The full export's records through a BundleWriter at one xz preset."""
    import base64
    import lzma

    from exports.bundle_export import recipient
    from exports.bundle_writer import BundleWriter

    with _unlocked(store_path) as store:
        peak = PeakRss()
        start = time.perf_counter()
        local, peer = store.devices.local(), store.devices.peer(RECEIVER)
        sender = {"device_id": local.id, "name": local.name, "fingerprint": local.fingerprint,
                  "ed25519": base64.b64encode(local.ed25519_public).decode()}  # fmt: skip
        fields = {"sender": sender, "created_at": store.ctx.now(), "schools": [], "sequence": 1,
                  "delta_after": 0, "counts": {}}  # fmt: skip
        with BundleWriter(out, xz_preset=preset) as writer:
            for record in store.sync.outgoing(None):
                writer.add(record)
            paths = writer.finish(
                out / f"xz{preset}.cwtt", fields=fields, sign=store.device_keys().sign,
                recipients=[recipient(peer), recipient(local)],
            )  # fmt: skip
        took, rise, top = time.perf_counter() - start, peak.rise(), max_rss()
        kinds: dict[str, list[bytes]] = {}  # a second pass, after the memory was measured
        for record in store.sync.outgoing(None):
            kinds.setdefault(record["kind"], []).append(_line(record))
        plain = {kind: b"".join(lines) for kind, lines in kinds.items()}
        _emit(
            seconds=took, rise=rise, rss=top, bytes=sum(p.stat().st_size for p in paths),
            plain={kind: len(data) for kind, data in plain.items()},
            alone={kind: len(lzma.compress(data, preset=preset)) for kind, data in plain.items()},
        )  # fmt: skip


def _line(record: dict[str, Any]) -> bytes:
    """A record as BundleWriter writes it."""
    text = json.dumps(
        record, separators=(",", ":"), sort_keys=True, ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8") + b"\n"


def run_phase(phase: str, store: Path, *extra: str) -> dict[str, Any]:
    """Run one phase in a child process; echo what it prints, return its figures."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["--phase", phase, "--store", str(store), *extra]
    return run_module("benchmarks.bundles", args, env, " ".join(args[:2]))


# ---------------------------------------------------------------- the baseline


def executemany_seconds(
    receiver: Path, target: Path, tables: tuple[str, ...] = TABLES
) -> tuple[float, int]:
    """Insert the receiver's rows of `tables` into an empty file like the store; (s, rows)."""
    source = sqlite3.connect(receiver)
    marks = ",".join("?" * len(tables))
    query = f"select sql from sqlite_master where tbl_name in ({marks}) and sql is not null"
    ddl = [sql for (sql,) in source.execute(query + " order by type = 'index'", tables)]
    rows = {t: source.execute(f"select * from [{t}]").fetchall() for t in tables}
    source.close()
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    for sql in ddl:
        conn.execute(sql)
    start = time.perf_counter()
    conn.execute("begin")
    for table in tables:  # parents first, as the import writes them
        if rows[table]:
            marks = ",".join("?" * len(rows[table][0]))
            conn.executemany(f"insert into [{table}] values ({marks})", rows[table])
    conn.execute("commit")
    took = time.perf_counter() - start
    conn.close()
    return took, sum(len(r) for r in rows.values())


# ---------------------------------------------------------------- the run


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def spread(samples: list[float]) -> str:
    """`median (min–max, n)` in seconds."""
    return f"{median(samples):7.2f} s  (min {min(samples):.2f}, max {max(samples):.2f}, n={len(samples)})"


def memory(runs: list[dict[str, Any]], base: dict[str, Any]) -> tuple[float, str]:
    """Peak MB of an operation (the rise over its start where known) and a line explaining it."""
    top = max(r["rss"] for r in runs)
    over_base = (top - base["rss"]) / MB
    rises = [r["rise"] for r in runs if r["rise"] is not None]
    peak = max(rises) / MB if rises else over_base
    return peak, (
        f"{peak:7.1f} MB rise during it; peak {top / MB:.0f} MB - {base['rss'] / MB:.0f} MB "
        f"of a process that only unlocked = {over_base:.1f} MB"
    )


def bench_size(
    children: int, runs: int, work: Path, *, fresh: bool, trace: bool, profile: bool
) -> dict[str, Any]:
    folder, built, now = stores_for(children, fresh)
    sender, receiver = folder / "sender.db", folder / "receiver.db"
    print(f"\n== {children} children (4 complete interviews each), {runs} run(s)")
    how = "now" if now else "cached"
    print(f"build                          {built:7.1f} s  ({how}: {folder})")
    base_send = run_phase("baseline", copy_store(sender, work / "s.db"))
    base_recv = run_phase("baseline", copy_store(receiver, work / "r.db"))

    exported, bundles = [], []
    for run in range(runs):
        out = work / f"export{run}"
        out.mkdir()
        exported.append(run_phase("export", copy_store(sender, work / "s.db"), "--out", str(out)))
        bundles.append(Path(exported[-1]["path"]))
    out = work / "export-second"
    out.mkdir()  # a second full bundle from the same laptop: every record already held
    second = run_phase("export", work / "s.db", "--out", str(out))
    first = exported[-1]
    export_s = [e["seconds"] for e in exported]
    export_mb, export_line = memory(exported, base_send)
    size = first["bytes"]
    print(f"export (full)                  {spread(export_s)}")
    print(f"  bundle                       {size:,} bytes, {size / children:,.0f} bytes per child")
    print(f"  records                      {first['counts']}")
    print(f"  peak RSS                     {export_line}")

    imports = []
    for run in range(runs):
        target = copy_store(receiver, work / f"r{run}.db")
        both = ("--bundle", str(bundles[-1]), "--bundle", second["path"])
        imports.append(run_phase("import", target, *both))
    last = imports[-1]
    import_s = [i["seconds"] for i in imports]
    import_mb, import_line = memory(imports, base_recv)
    print(f"import (full, empty receiver)  {spread(import_s)}")
    print(f"  outcomes                     {last['outcomes']}; rescored {last['rescored']}, "
          f"{last['duplicates']} probable duplicate pairs")  # fmt: skip
    print(f"  verify (sig + sha256)        {spread([i['verify_seconds'] for i in imports])}")
    print(f"  decrypt+inflate+parse+check  {spread([i['read_seconds'] for i in imports])}")
    applied = [i["seconds"] - i["verify_seconds"] - i["read_seconds"] for i in imports]
    print(f"  the rest: apply, rescore…    {spread(applied)}")
    print(f"  peak RSS                     {import_line}")
    again_s = [i["again_seconds"] for i in imports]
    second_s = [i["second_seconds"] for i in imports]
    print(f"re-import, same file           {spread(again_s)}  (already imported)")
    print(f"import of a 2nd full bundle    {spread(second_s)}  {last['second_outcomes']}")

    imported = work / f"r{runs - 1}.db"
    # The same rows: every row the import wrote, the sender's audit entries included.
    tables = (*TABLES, "peer_audit")
    many = [executemany_seconds(imported, work / "plain.db", tables) for _ in range(runs)]
    many_s = [m[0] for m in many]
    ratio = median(import_s) / median(many_s)
    print(f"executemany, {many[0][1]} rows     {spread(many_s)}  (WAL, synchronous=FULL, one transaction)")  # fmt: skip
    print(f"import / executemany           {ratio:7.1f} ×  ({', '.join(tables)})")
    fewer = [executemany_seconds(imported, work / "plain.db") for _ in range(runs)]
    fewer_ratio = median(import_s) / median([m[0] for m in fewer])
    print(f"  records only, {fewer[0][1]} rows   {spread([m[0] for m in fewer])}  ratio {fewer_ratio:.1f} ×")  # fmt: skip

    traced: dict[str, float] = {}
    if trace:
        (work / "export-traced").mkdir()
        got = run_phase("export", copy_store(sender, work / "s.db"), "--out",
                        str(work / "export-traced"), "--trace")  # fmt: skip
        traced["export"] = got["traced_peak"] / MB
        got = run_phase("import", copy_store(receiver, work / "r.db"), "--bundle",
                        str(bundles[-1]), "--trace")  # fmt: skip
        traced["import"] = got["traced_peak"] / MB
        print(f"tracemalloc peak               export {traced['export']:.1f} MB, "
              f"import {traced['import']:.1f} MB")  # fmt: skip
    if profile:
        (work / "export-profiled").mkdir()
        print(f"\ncProfile of one export, {children} children (top 15, cumulative)")
        run_phase("export", copy_store(sender, work / "s.db"), "--out",
                  str(work / "export-profiled"), "--profile")  # fmt: skip
        print(f"cProfile of one import, {children} children (top 15, cumulative)")
        run_phase("import", copy_store(receiver, work / "r.db"), "--bundle", str(bundles[-1]),
                  "--profile")  # fmt: skip
    return {
        "children": children, "build": built, "export": median(export_s), "bytes": size,
        "export_mb": export_mb, "import": median(import_s), "again": median(again_s),
        "second": median(second_s), "many": median(many_s), "ratio": ratio,
        "import_mb": import_mb, "traced": traced,
    }  # fmt: skip


def bench_xz(children: int, presets: list[int], work: Path) -> None:
    sender = cache_folder(children) / "sender.db"
    base = run_phase("baseline", copy_store(sender, work / "s.db"))
    print(f"\nxz presets, {children} children (the same records through BundleWriter)")
    for n, preset in enumerate(presets):
        out = work / f"xz{preset}"
        out.mkdir()
        store = copy_store(sender, work / "s.db")
        got = run_phase("xz", store, "--out", str(out), "--preset", str(preset))
        print(
            f"  preset {preset}  {got['bytes']:>11,} bytes  {got['bytes'] / children:6,.0f} B/child  "
            f"{got['seconds']:6.2f} s  peak RSS {memory([got], base)[1]}"
        )
        if n == 0:
            total = sum(got["plain"].values())
            print(f"    JSON lines {total:,} bytes, {total / children:,.0f} per child; by kind, "
                  f"each kind compressed alone at preset {preset}:")  # fmt: skip
            for kind, size in got["plain"].items():
                alone = got["alone"][kind]
                print(f"    {kind:<11} {size / children:8,.0f} B/child plain "
                      f"{alone / children:6,.0f} B/child xz")  # fmt: skip


def table(rows: list[dict[str, Any]]) -> None:
    head = ("N", "build s", "export s", "bundle bytes", "B/child", "exp MB", "import s",
            "re-imp s", "2nd s", "execmany s", "ratio", "imp MB")  # fmt: skip
    print("\n" + "  ".join(f"{h:>12}" if i == 3 else f"{h:>9}" for i, h in enumerate(head)))
    for r in rows:
        cells = (f"{r['children']:>9}", f"{r['build']:>9.1f}", f"{r['export']:>9.2f}",
                 f"{r['bytes']:>12,}", f"{r['bytes'] / r['children']:>9.0f}",
                 f"{r['export_mb']:>9.1f}", f"{r['import']:>9.2f}", f"{r['again']:>9.3f}",
                 f"{r['second']:>9.2f}", f"{r['many']:>9.3f}", f"{r['ratio']:>9.1f}",
                 f"{r['import_mb']:>9.1f}")  # fmt: skip
        print("  ".join(cells))
    print("targets: import of 10,000 < 10 s, ≤ 5× executemany; < 1,000 B/child; flat memory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--children", type=int, nargs="+", default=[1000, 10_000], help="sizes (1000 10000)"
    )
    parser.add_argument("--runs", type=int, help="runs per figure (default 3 up to 2,000, else 1)")
    parser.add_argument("--fresh", action="store_true", help="build the stores again")
    parser.add_argument("--profile", action="store_true", help="cProfile one export, one import")
    parser.add_argument("--trace", action="store_true", help="tracemalloc peaks (slower)")
    parser.add_argument(
        "--xz",
        type=int,
        nargs="*",
        default=[6, 9],
        help="xz presets to compare at the smallest size (none: skip)",
    )
    parser.add_argument("--phase", choices=("baseline", "export", "import", "xz"), help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bundle", type=Path, action="append", help=argparse.SUPPRESS)
    parser.add_argument("--preset", type=int, default=6, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "baseline":
        phase_baseline(args.store)
    elif args.phase == "export":
        phase_export(args.store, args.out, args.trace, args.profile)
    elif args.phase == "import":
        phase_import(args.store, args.bundle, args.trace, args.profile)
    elif args.phase == "xz":
        phase_xz(args.store, args.out, args.preset)
    if args.phase:
        return 0

    print(f"cwtt bundle benchmarks · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs")
    rows = []
    try:  # a benchmark reports; it must not end the run with a traceback
        for children in args.children:
            runs = args.runs or (3 if children <= 2000 else 1)
            with tempfile.TemporaryDirectory() as tmp:
                figures = bench_size(
                    children, runs, Path(tmp), fresh=args.fresh, trace=args.trace,
                    profile=args.profile,
                )  # fmt: skip
                rows.append(figures)
        if args.xz:
            with tempfile.TemporaryDirectory() as tmp:
                bench_xz(min(args.children), args.xz, Path(tmp))
    except Exception as exc:
        print(f"bundle benchmark stopped: {type(exc).__name__}: {exc}")
    table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
