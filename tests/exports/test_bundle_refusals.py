"""Every refusal at import says one plain sentence and leaves the store exactly as it was."""

from __future__ import annotations

import errno
import hashlib
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from bundle_world import PASS, export
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwtt_tui.__main__ import main
from cwtt_tui.errors import BundleRejected, DiskFull
from cwtt_tui.store.store import unlock_store
from exports.bundle_import import import_bundles

QUERIES = (
    *(
        f"select id, vv, child_id, round_id from [{t}]"
        for t in ("interviews", "assessments", "actions")
    ),
    "select id, vv, school_id, merged_into from children",
    "select id, vv from schools",
    "select id, vv, number from rounds",
    "select bundle_id, peer_id, sequence, result from bundle_log",
    "select kind, record_id, vv from conflicts",
    "select device_id, seq, hash from peer_audit",
)


def fingerprint_of(path: Path) -> str:
    """A digest of what an import could change (sealed payloads differ by nonce, so not them)."""
    conn = sqlite3.connect(path)
    digest = hashlib.sha256()
    for query in QUERIES:
        for row in conn.execute(f"{query} order by 1, 2"):
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


def refused(
    world: dict[str, Path], files: list[Path], capsys: pytest.CaptureFixture[str], store: str = "C"
) -> str:
    before = fingerprint_of(world[store])
    code = main(["import", *map(str, files), "--store", str(world[store])])
    err = capsys.readouterr().err
    assert code == 21, err
    assert fingerprint_of(world[store]) == before
    assert "Traceback" not in err and err.count("\n") == 1
    return err


def rezip(source: Path, target: Path, change) -> Path:  # noqa: ANN001 - a small edit function
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        entries = {n: zin.read(n) for n in zin.namelist()}
        for name, data in change(entries).items():
            zout.writestr(name, data)
    return target


def test_unknown_sender_is_refused_with_its_fingerprint(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    [bundle] = export(world, "A", "C")
    assert main(["peers", "revoke", "Laptop A", "--store", str(world["C"])]) == 0
    capsys.readouterr()
    assert "no longer trusts" in refused(world, [bundle], capsys)


def test_bundle_for_someone_else_is_refused(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    [bundle] = export(world, "A", "B")
    assert "not encrypted for this laptop" in refused(world, [bundle], capsys)


def test_manifest_edited_after_signing(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    [bundle] = export(world, "A", "C")

    def edit(entries: dict[str, bytes]) -> dict[str, bytes]:
        entries["manifest.json"] = entries["manifest.json"].replace(
            b'"sequence": 1', b'"sequence": 7'
        )
        return entries

    bad = rezip(bundle, tmp_path / "edited.cwtt", edit)
    assert "changed after it was signed" in refused(world, [bad], capsys)


def test_payload_edited(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    [bundle] = export(world, "A", "C")

    def edit(entries: dict[str, bytes]) -> dict[str, bytes]:
        payload = bytearray(entries["payload.bin"])
        payload[len(payload) // 2] ^= 1
        entries["payload.bin"] = bytes(payload)
        return entries

    assert "ask Laptop A to export again" in refused(
        world, [rezip(bundle, tmp_path / "p.cwtt", edit)], capsys
    )


def test_wrong_file_type_and_truncated(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = tmp_path / "notes.cwtt"
    text.write_text("minutes of the meeting")
    assert "not a cwtt bundle" in refused(world, [text], capsys)
    [bundle] = export(world, "A", "C")
    cut = tmp_path / "cut.cwtt"
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    refused(world, [cut], capsys)


@pytest.mark.parametrize("hour", [10, 9], ids=["same time", "earlier"])
def test_a_different_bundle_with_a_used_sequence_is_refused(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, hour: int
) -> None:
    # Laptop A forgets its bundles (restored from an old backup) and its clock says the same
    # time or earlier: its next bundle to C, numbered 1 again, was not made after the one held
    # (a full bundle made later is taken in: see the restored-laptop tests below).
    from datetime import UTC, datetime

    from exports.bundle_export import export_bundle

    def export_at(h: int) -> list[Path]:
        out = tmp_path / f"out-{h}-{len(list(tmp_path.iterdir()))}"
        out.mkdir()
        clock = lambda: datetime(2026, 11, 20, h, tzinfo=UTC)  # noqa: E731
        with unlock_store(world["A"], PASS, clock=clock) as a:
            return list(export_bundle(a, "Laptop C", out).paths)

    first = export_at(10)
    assert main(["import", *map(str, first), "--store", str(world["C"])]) == 0
    with unlock_store(world["A"], PASS) as a, a.transaction():
        a.db.execute("delete from bundle_log")
    again = export_at(hour)
    capsys.readouterr()
    assert "was already imported" in refused(world, again, capsys)


def test_records_that_fail_the_schema_are_refused(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from exports import bundle_records

    [bundle] = export(world, "A", "C")
    original = bundle_records.CHECKS["interview"]

    def strict(clear: dict, data: dict, record: dict) -> None:
        original(clear, data, record)
        raise bundle_records.InvalidRecord("answers")

    bundle_records.CHECKS["interview"] = strict
    try:
        assert "is not valid (answers)" in refused(world, [bundle], capsys)
    finally:
        bundle_records.CHECKS["interview"] = original


def test_disk_full_during_import_changes_nothing(
    world: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    [bundle] = export(world, "A", "C")
    before = fingerprint_of(world["C"])
    with unlock_store(world["C"], PASS) as c:
        real = c.sync.apply_many
        calls = {"n": 0}

        def fill_up(records: list, bundle_id: str) -> list:
            calls["n"] += 1
            if calls["n"] == 3:
                raise sqlite3.OperationalError("database or disk is full")
            return real(records, bundle_id)

        monkeypatch.setattr(c.sync, "apply_many", fill_up)
        with pytest.raises(DiskFull):
            import_bundles(c, [bundle])
    assert fingerprint_of(world["C"]) == before
    assert errno.ENOSPC  # the OS-level case is covered by the bundle writer's tests


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_bundles_import_identically_or_not_at_all(
    world: dict[str, Path], tmp_path: Path, data: st.DataObject
) -> None:
    source = tmp_path / "source.cwtt"
    if not source.exists():
        [bundle] = export(world, "A", "C")
        shutil.move(bundle, source)
    raw = bytearray(source.read_bytes())
    kind = data.draw(st.sampled_from(["flip", "cut", "insert"]))
    at = data.draw(st.integers(0, len(raw) - 1))
    if kind == "flip":
        raw[at] ^= data.draw(st.integers(1, 255))
    elif kind == "cut":
        del raw[at:]
    else:
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=8))
    mutated = tmp_path / "mutated.cwtt"
    mutated.write_bytes(bytes(raw))
    target = tmp_path / "target.db"
    shutil.copy(world["C"], target)
    before = fingerprint_of(target)
    with unlock_store(target, PASS) as c:
        try:
            [summary] = import_bundles(c, [mutated])
        except BundleRejected:
            accepted = False
        else:
            accepted = True
    after = fingerprint_of(target)
    if accepted:
        # Only bytes the ZIP format ignores were touched: the result is the genuine import.
        reference = tmp_path / "reference.db"
        shutil.copy(world["C"], reference)
        with unlock_store(reference, PASS) as c:
            import_bundles(c, [source])
        assert after == fingerprint_of(reference)
    else:
        assert after == before
    target.unlink()


def test_an_old_bundle_replayed_after_newer_ones_changes_nothing(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from cwtt_tui.demo import fill_demo

    [first] = export(world, "A", "C")
    with unlock_store(world["A"], PASS) as a:
        fill_demo(a, children=1, seed=77)
    [second] = export(world, "A", "C")
    assert main(["import", str(first), str(second), "--store", str(world["C"])]) == 0
    before = fingerprint_of(world["C"])
    capsys.readouterr()
    assert main(["import", str(first), "--store", str(world["C"])]) == 0
    assert (
        "Bundle 1 from Laptop A was already imported; nothing changed." in capsys.readouterr().out
    )
    assert fingerprint_of(world["C"]) == before


def _restored_laptop(world: dict[str, Path], tmp_path: Path) -> None:
    """A sends bundles 1 and 2 to C, then is restored from a backup taken between them."""
    from datetime import UTC, datetime

    from exports.bundle_export import export_bundle

    backup = tmp_path / "A-backup.db"
    for hour in (9, 10):
        out = tmp_path / f"out-{hour}"
        out.mkdir()
        with unlock_store(
            world["A"], PASS, clock=lambda h=hour: datetime(2026, 11, 20, h, tzinfo=UTC)
        ) as a:
            paths = export_bundle(a, "Laptop C", out).paths
        with unlock_store(world["C"], PASS) as c:
            import_bundles(c, list(paths))
        if hour == 9:
            shutil.copy(world["A"], backup)
    shutil.copy(backup, world["A"])


def _export_at(world: dict[str, Path], tmp_path: Path, hour: int, *, full: bool) -> list[Path]:
    from datetime import UTC, datetime

    from cwtt_tui.demo import fill_demo
    from exports.bundle_export import export_bundle

    out = tmp_path / f"again-{hour}"
    out.mkdir()
    with unlock_store(
        world["A"], PASS, clock=lambda: datetime(2026, 11, 20, hour, tzinfo=UTC)
    ) as a:
        fill_demo(a, children=1, seed=hour)
        return list(export_bundle(a, "Laptop C", out, full=full).paths)


def test_a_restored_laptop_repeating_a_number_with_changes_only_is_refused(
    world: dict[str, Path], tmp_path: Path
) -> None:
    _restored_laptop(world, tmp_path)
    again = _export_at(world, tmp_path, 11, full=False)  # number 2 again, changes since 1
    before = fingerprint_of(world["C"])
    with unlock_store(world["C"], PASS) as c, pytest.raises(BundleRejected, match="--full"):
        import_bundles(c, again)
    assert fingerprint_of(world["C"]) == before


def test_a_restored_laptop_sending_everything_is_taken_in(
    world: dict[str, Path], tmp_path: Path
) -> None:
    _restored_laptop(world, tmp_path)
    again = _export_at(world, tmp_path, 11, full=True)  # number 2 again, everything
    with unlock_store(world["C"], PASS) as c:
        [summary] = import_bundles(c, again)
        assert summary.restarted and summary.sequence == 2
        assert summary.count("child", "new") == 1
        assert "counts its bundles again from 2" in "\n".join(summary.lines())
        assert summary.missing == []
