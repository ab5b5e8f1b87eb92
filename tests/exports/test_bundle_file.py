"""The `.cwtt` bundle file: round trips, every refusal with its message, and mutation."""

from __future__ import annotations

import base64
import errno
import json
import lzma
import os
import random
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from cwtt_tui.errors import BundleRejected, DiskFull, UsageError
from exports import bundle_reader, bundle_writer
from exports.bundle_crypto import (
    CONTENTS_DAMAGED,
    NEEDS_NEWER_CWTT,
    NOT_FOR_THIS_LAPTOP,
    PAYLOAD_AEAD,
    SUITE_CLASSIC,
    SUITE_HYBRID,
    OwnKeys,
    PayloadSealer,
    Recipient,
    hybrid_available,
    wrap_content_key,
)
from exports.bundle_manifest import MANIFEST_DAMAGED, NOT_A_BUNDLE, Limits, manifest_bytes
from exports.bundle_reader import TOO_MUCH_DATA, OpenedBundle
from exports.bundle_writer import BundleWriter
from exports.bundle_zip import (
    FILE_DAMAGED,
    MIXED_BUNDLES,
    PARTS_MISMATCH,
    UNEXPECTED_FILES,
    group_bundle_files,
)

CHUNK = 4096
SENDER_NAME = "School laptop A"
SENDER = Ed25519PrivateKey.generate()
OTHER_SIGNER = Ed25519PrivateKey.generate()
SUITE_PARAMS = [
    SUITE_CLASSIC,
    pytest.param(
        SUITE_HYBRID,
        marks=pytest.mark.skipif(not hybrid_available(), reason="no ML-KEM in cryptography"),
    ),
]


def keypair(fingerprint: str, suite: str = SUITE_CLASSIC) -> tuple[Recipient, OwnKeys]:
    x_priv = X25519PrivateKey.generate()
    seed = m_pub = None
    if suite == SUITE_HYBRID:
        from cryptography.hazmat.primitives.asymmetric import mlkem

        seed = os.urandom(64)
        m_pub = mlkem.MLKEM768PrivateKey.from_seed_bytes(seed).public_key().public_bytes_raw()
    recipient = Recipient(fingerprint, suite, x_priv.public_key().public_bytes_raw(), m_pub)
    return recipient, OwnKeys(fingerprint, x_priv.private_bytes_raw(), seed)


PEER, PEER_KEYS = keypair("PEER-0001")


def fields(signer: Ed25519PrivateKey = SENDER, **changes: Any) -> dict[str, Any]:
    public = signer.public_key().public_bytes_raw()
    base = {
        "sender": {
            "device_id": "dev-a",
            "name": SENDER_NAME,
            "fingerprint": "SEND-0001",
            "ed25519": base64.b64encode(public).decode(),
        },
        "created_at": "2026-11-24T08:00:00Z",
        "schools": [{"emis": "500123456", "name": "Sunrise Primary"}],
        "sequence": 3,
        "delta_after": 2,
        "counts": {"child": 2},
    }
    return {**base, **changes}


def sample_records(n: int) -> list[dict[str, Any]]:
    return [
        {
            "kind": "child",
            "id": f"{i:032x}",
            "n": i,
            "name": "Thandiwe Nkosi-Ñúñez ✓",
            "tags": ["a", None, 1.5, True],
            "nested": {"line": "two\nlines", "sep": "\u2028"},
        }
        for i in range(n)
    ]


def noisy_records(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Records that compress badly, to make payloads of a chosen size."""
    rng = random.Random(seed)
    return [{"kind": "child", "n": i, "noise": rng.randbytes(100).hex()} for i in range(n)]


def write(
    folder: Path,
    records: list[dict[str, Any]],
    recipients: list[Recipient] | None = None,
    *,
    name: str = "bundle.cwtt",
    split_bytes: int | None = None,
    bundle_id: str | None = None,
    manifest_fields: dict[str, Any] | None = None,
    signer: Ed25519PrivateKey = SENDER,
    xz_preset: int = 6,
) -> list[Path]:
    with BundleWriter(folder, bundle_id=bundle_id, chunk_bytes=CHUNK, xz_preset=xz_preset) as w:
        for record in records:
            w.add(record)
        return w.finish(
            folder / name,
            fields=manifest_fields or fields(signer),
            sign=signer.sign,
            recipients=recipients or [PEER],
            split_bytes=split_bytes,
        )


def read(paths: list[Path], own: OwnKeys = PEER_KEYS, limits: Limits | None = None) -> list:
    bundle = OpenedBundle.open(paths, limits)
    bundle.verify_signature()
    bundle.verify_payload()
    return list(bundle.records(bundle.content_key(own)))


def refused(message: str, action: Any, *args: Any) -> None:
    with pytest.raises(BundleRejected) as caught:
        action(*args)
    assert caught.value.message == message
    assert caught.value.exit_code == 21


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(path: Path, items: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names, on purpose
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in items:
                info = zipfile.ZipInfo(name)
                info.compress_type = method
                archive.writestr(info, data)
    return path


def resign(path: Path, manifest: dict[str, Any], signer: Ed25519PrivateKey = SENDER) -> Path:
    """Rewrite a bundle with an edited manifest, properly signed."""
    old = entries(path)
    data = manifest_bytes(manifest)
    items = [
        ("manifest.json", data),
        ("manifest.sig", signer.sign(data)),
        ("payload.bin", old["payload.bin"]),
    ]
    return rezip(path, items)


def forge(folder: Path, plain: bytes, own: Recipient = PEER) -> Path:
    """A properly signed and sealed bundle around any plaintext (to test the reader alone)."""
    key, bundle_id = os.urandom(32), os.urandom(16).hex()
    sealer = PayloadSealer(key, bundle_id, CHUNK)
    payload = sealer.update(plain) + sealer.finish()
    import hashlib

    digest = hashlib.sha256(payload).hexdigest()
    enc = base64.b64encode(wrap_content_key(key, own, bundle_id)).decode()
    manifest = {
        **fields(),
        "format": "cwtt-bundle/1",
        "bundle_id": bundle_id,
        "payload": {
            "sha256": digest,
            "bytes": len(payload),
            "chunk_bytes": CHUNK,
            "compression": "xz",
            "aead": PAYLOAD_AEAD,
        },
        "recipients": [{"fingerprint": own.fingerprint, "suite": own.suite, "enc": enc}],
        "part": {"index": 1, "count": 1, "offset": 0, "bytes": len(payload), "sha256": digest},
    }
    data = manifest_bytes(manifest)
    path = folder / "forged.cwtt"
    return rezip(
        path,
        [("manifest.json", data), ("manifest.sig", SENDER.sign(data)), ("payload.bin", payload)],
    )


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("suite", SUITE_PARAMS)
def test_records_round_trip_for_each_of_two_recipients(tmp_path: Path, suite: str) -> None:
    records = sample_records(2000)
    first, first_keys = keypair("FIRST", suite)
    second, second_keys = keypair("SECOND", suite)
    paths = write(tmp_path, records, [first, second])
    assert paths == [tmp_path / "bundle.cwtt"]
    assert read(paths, first_keys) == records
    assert read(paths, second_keys) == records
    bundle = OpenedBundle.open(paths)
    assert bundle.recipients == ["FIRST", "SECOND"]
    assert [r["suite"] for r in bundle.manifest["recipients"]] == [suite, suite]
    assert bundle.total_bytes == paths[0].stat().st_size
    assert sorted(os.listdir(tmp_path)) == ["bundle.cwtt"]  # no temporary file left


def test_the_manifest_says_what_the_brief_says(tmp_path: Path) -> None:
    given_id = "ab" * 16
    with BundleWriter(tmp_path, bundle_id=given_id, chunk_bytes=CHUNK) as writer:
        for record in sample_records(10):
            writer.add(record)
        [path] = writer.finish(
            tmp_path / "b.cwtt", fields=fields(), sign=SENDER.sign, recipients=[PEER]
        )
    assert writer.records == 10
    raw = entries(path)
    assert list(raw) == ["manifest.json", "manifest.sig", "payload.bin"]
    manifest = json.loads(raw["manifest.json"])
    assert raw["manifest.json"] == manifest_bytes(manifest)
    assert manifest["format"] == "cwtt-bundle/1" and manifest["bundle_id"] == given_id
    payload = raw["payload.bin"]
    assert manifest["payload"]["bytes"] == len(payload) == writer.payload_bytes
    assert manifest["part"] == {
        "index": 1, "count": 1, "offset": 0, "bytes": len(payload),
        "sha256": manifest["payload"]["sha256"],
    }  # fmt: skip
    assert manifest["counts"] == {"child": 2} and manifest["sequence"] == 3  # caller's fields
    assert len(raw["manifest.sig"]) == 64
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}


def test_an_empty_bundle_round_trips(tmp_path: Path) -> None:
    paths = write(tmp_path, [])
    assert read(paths) == []


def test_a_split_bundle_reads_back_in_any_order(tmp_path: Path) -> None:
    records = noisy_records(2000)
    split = 64 << 10
    paths = write(tmp_path, records, split_bytes=split)
    count = len(paths)
    assert count >= 3
    assert [p.name for p in paths] == [f"bundle.part{i}of{count}.cwtt" for i in range(1, count + 1)]
    assert all(p.stat().st_size < split for p in paths)
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in paths)
    shuffled = paths[:]
    random.Random(1).shuffle(shuffled)
    assert read(shuffled) == records
    assert OpenedBundle.open(shuffled).paths == paths
    assert group_bundle_files(shuffled) == [paths]
    manifests = [json.loads(entries(p)["manifest.json"]) for p in paths]
    assert all({k: v for k, v in m.items() if k != "part"} == manifests[0] | {"part": None}
               or m["part"]["index"] == i for i, m in enumerate(manifests, 1))  # fmt: skip
    assert [m["part"]["index"] for m in manifests] == list(range(1, count + 1))
    assert sum(m["part"]["bytes"] for m in manifests) == manifests[0]["payload"]["bytes"]


def test_a_split_bundle_that_fits_is_one_file(tmp_path: Path) -> None:
    paths = write(tmp_path, sample_records(5), split_bytes=1 << 20)
    assert paths == [tmp_path / "bundle.cwtt"]


def test_the_part_size_has_a_floor(tmp_path: Path) -> None:
    with BundleWriter(tmp_path, chunk_bytes=CHUNK) as writer, pytest.raises(UsageError):
        writer.finish(
            tmp_path / "b.cwtt", fields=fields(), sign=SENDER.sign, recipients=[PEER],
            split_bytes=(64 << 10) - 1,
        )  # fmt: skip
    assert os.listdir(tmp_path) == []


def test_group_bundle_files_separates_bundles_oldest_first(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    later = write(tmp_path / "a", noisy_records(1500), split_bytes=64 << 10)
    earlier = write(tmp_path / "b", sample_records(3), manifest_fields=fields(sequence=2))
    groups = group_bundle_files([later[1], earlier[0], *later[2:], later[0]])
    assert groups == [earlier, later]
    refused(MIXED_BUNDLES, OpenedBundle.open, [*earlier, *later])


def test_the_signature_verifies_with_openssl(tmp_path: Path) -> None:
    openssl = shutil.which("openssl") or (
        "/usr/bin/openssl" if Path("/usr/bin/openssl").exists() else None
    )
    if openssl is None:
        pytest.skip("openssl is not installed")
    [path] = write(tmp_path, sample_records(3))
    raw = entries(path)
    (tmp_path / "manifest.json").write_bytes(raw["manifest.json"])
    (tmp_path / "manifest.sig").write_bytes(raw["manifest.sig"])
    pem = SENDER.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "device.pem").write_bytes(pem)
    command = [
        openssl, "pkeyutl", "-verify", "-pubin", "-inkey", "device.pem", "-rawin",
        "-in", "manifest.json", "-sigfile", "manifest.sig",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Signature Verified Successfully" in result.stdout
    (tmp_path / "manifest.json").write_bytes(raw["manifest.json"].replace(b"3", b"4", 1))
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0


# ---------------------------------------------------------------- refusals: the file


def test_files_that_are_not_bundles(tmp_path: Path) -> None:
    for name, data in (
        ("random.cwtt", os.urandom(5000)),
        ("empty.cwtt", b""),
        ("text.cwtt", b"hello\n" * 10),
    ):
        (tmp_path / name).write_bytes(data)
        refused(NOT_A_BUNDLE, OpenedBundle.open, [tmp_path / name])
    other = rezip(tmp_path / "other.zip", [("word/document.xml", b"<w/>"), ("x", b"y")])
    refused(NOT_A_BUNDLE, OpenedBundle.open, [other])


@pytest.mark.parametrize("keep", [4, 30, 100, 0.5, -22, -1])
def test_a_truncated_file_is_refused(tmp_path: Path, keep: float) -> None:
    [path] = write(tmp_path, sample_records(50))
    data = path.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    path.write_bytes(data[:cut])
    refused(FILE_DAMAGED, OpenedBundle.open, [path])


def test_bytes_before_or_after_the_zip_are_refused(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    data = path.read_bytes()
    path.write_bytes(b"MZ" + data)
    refused(FILE_DAMAGED, OpenedBundle.open, [path])
    path.write_bytes(data + b"\x00")
    refused(FILE_DAMAGED, OpenedBundle.open, [path])


def test_too_large_files_and_manifests_are_refused(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    size = path.stat().st_size
    OpenedBundle.open([path], Limits(max_file_bytes=size))
    with pytest.raises(BundleRejected):
        OpenedBundle.open([path], Limits(max_file_bytes=size - 1))
    refused(MANIFEST_DAMAGED, OpenedBundle.open, [path], Limits(max_manifest_bytes=100))


@pytest.mark.parametrize(
    "names",
    [
        ["manifest.json", "manifest.sig", "payload.bin", "extra.txt"],
        ["manifest.json", "manifest.sig"],
        ["manifest.json", "payload.bin"],
        ["manifest.json", "manifest.sig", "payload.bin", "payload.bin"],
        ["manifest.json", "manifest.sig", "../evil"],
        ["manifest.json", "manifest.sig", "/etc/x"],
        ["manifest.json", "manifest.sig", "C:\\payload.bin"],
        ["manifest.json", "manifest.sig", "payload.bin", "../evil"],
        ["manifest.json", "manifest.sig", "sub/payload.bin"],
    ],
)
def test_unexpected_entries_are_refused(tmp_path: Path, names: list[str]) -> None:
    [path] = write(tmp_path, sample_records(5))
    raw = entries(path)
    rezip(path, [(name, raw.get(name, raw["payload.bin"])) for name in names])
    refused(UNEXPECTED_FILES, OpenedBundle.open, [path])


def test_a_zip_without_a_manifest_is_not_a_bundle(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    raw = entries(path)
    rezip(path, [("manifest.sig", raw["manifest.sig"]), ("payload.bin", raw["payload.bin"])])
    refused(NOT_A_BUNDLE, OpenedBundle.open, [path])


def test_a_recompressed_bundle_is_refused(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    rezip(path, list(entries(path).items()), method=zipfile.ZIP_DEFLATED)
    refused(FILE_DAMAGED, OpenedBundle.open, [path])


def test_a_rezipped_bundle_with_the_same_entries_still_reads(tmp_path: Path) -> None:
    """The checks are on content, not on the ZIP tool that wrote it."""
    records = sample_records(20)
    [path] = write(tmp_path, records)
    rezip(path, list(entries(path).items()))
    assert read([path]) == records


# ---------------------------------------------------------------- refusals: the manifest


def edit(manifest: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(manifest))
    *parents, leaf = dotted.split(".")
    target = copy
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[leaf]
    else:
        target[leaf] = value
    return copy


@pytest.mark.parametrize(
    ("dotted", "value"),
    [
        ("sequence", KeyError),
        ("sequence", "3"),
        ("sequence", True),
        ("sequence", 0),
        ("delta_after", -1),
        ("format", KeyError),
        ("format", 1),
        ("format", "cwtt-bundle/x"),
        ("bundle_id", "AB" * 16),
        ("bundle_id", "ab" * 15),
        ("payload.chunk_bytes", 1024),
        ("payload.chunk_bytes", (16 << 20) + 1),
        ("payload.bytes", -1),
        ("payload.sha256", "00"),
        ("payload.compression", "zstd"),
        ("recipients", []),
        ("recipients", [{"fingerprint": "x", "suite": "y"}]),
        ("part.index", 0),
        ("part.index", 2),
        ("part.count", 1001),
        ("part.offset", 10**9),
        ("sender.ed25519", base64.b64encode(b"short").decode()),
        ("sender.ed25519", "not base64!"),
        ("sender.name", None),
        ("sender", KeyError),
        ("created_at", 20261124),
        ("counts", {"child": -1}),
        ("counts", []),
        ("schools", {}),
    ],
)
def test_a_manifest_that_breaks_the_schema_is_refused(
    tmp_path: Path, dotted: str, value: Any
) -> None:
    [path] = write(tmp_path, sample_records(5))
    manifest = json.loads(entries(path)["manifest.json"])
    resign(path, edit(manifest, dotted, value))
    refused(MANIFEST_DAMAGED, OpenedBundle.open, [path])


def test_a_manifest_that_is_not_json_or_repeats_a_key_is_refused(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    raw = entries(path)
    for data in (b"{nope", b"[]", b"\xff\xfe", raw["manifest.json"][:-1] + b',"sequence":4}'):
        rezip(path, [("manifest.json", data), *list(raw.items())[1:]])
        refused(MANIFEST_DAMAGED, OpenedBundle.open, [path])


def test_a_newer_format_is_refused_before_the_schema(tmp_path: Path) -> None:
    """A correctly signed cwtt-bundle/2 is refused in open, even when v1 fields are missing."""
    [path] = write(tmp_path, sample_records(5))
    manifest = json.loads(entries(path)["manifest.json"])
    resign(path, {**manifest, "format": "cwtt-bundle/2"})
    refused(NEEDS_NEWER_CWTT, OpenedBundle.open, [path])
    resign(path, {"format": "cwtt-bundle/3.1", "something": "else"})
    refused(NEEDS_NEWER_CWTT, OpenedBundle.open, [path])
    resign(path, {**manifest, "format": "other-thing/1"})
    refused(NOT_A_BUNDLE, OpenedBundle.open, [path])


def test_a_manifest_edited_after_signing_is_refused(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    raw = entries(path)
    manifest = json.loads(raw["manifest.json"])
    manifest["counts"]["child"] += 1
    rezip(path, [("manifest.json", manifest_bytes(manifest)), *list(raw.items())[1:]])
    bundle = OpenedBundle.open([path])
    refused(
        f"This bundle was changed after it was signed — ask {SENDER_NAME} to export again.",
        bundle.verify_signature,
    )
    with pytest.raises(RuntimeError):
        bundle.content_key(PEER_KEYS)


def test_a_signature_by_another_key_is_refused(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    raw = entries(path)
    raw["manifest.sig"] = OTHER_SIGNER.sign(raw["manifest.json"])
    rezip(path, list(raw.items()))
    bundle = OpenedBundle.open([path])
    refused(
        f"This bundle was changed after it was signed — ask {SENDER_NAME} to export again.",
        bundle.verify_signature,
    )


def test_the_writer_refuses_a_signer_that_is_not_the_sender(tmp_path: Path) -> None:
    with BundleWriter(tmp_path, chunk_bytes=CHUNK) as writer, pytest.raises(ValueError):
        writer.add({"a": 1})
        writer.finish(
            tmp_path / "b.cwtt", fields=fields(), sign=OTHER_SIGNER.sign, recipients=[PEER]
        )
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- refusals: parts


def test_a_missing_part_is_named(tmp_path: Path) -> None:
    paths = write(tmp_path, noisy_records(1200), split_bytes=64 << 10)
    assert len(paths) == 3
    refused(
        "Part 2 of 3 of this bundle is missing; import all its parts together.",
        OpenedBundle.open, [paths[0], paths[2]],
    )  # fmt: skip


def test_parts_of_two_exports_with_one_id_do_not_mix(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    same_id = "cd" * 16
    a = write(tmp_path / "a", noisy_records(1200), split_bytes=64 << 10, bundle_id=same_id)
    b = write(tmp_path / "b", noisy_records(1200), split_bytes=64 << 10, bundle_id=same_id)
    refused(PARTS_MISMATCH, OpenedBundle.open, [a[0], b[1], a[2]])
    refused(PARTS_MISMATCH, OpenedBundle.open, [a[0], b[0], a[1], a[2]])
    assert read([a[0], a[1], a[1], a[2]]) == noisy_records(1200)  # the same part twice is fine


# ---------------------------------------------------------------- refusals: the payload


def payload_start(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("payload.bin")
    return info.header_offset + 30 + len(info.filename)


def test_a_flipped_payload_byte_is_refused_after_the_signature_holds(tmp_path: Path) -> None:
    changed = (
        f"This bundle's contents were changed or damaged after it was signed — "
        f"ask {SENDER_NAME} to export again."
    )
    for position in (0, 5000, -1):
        [path] = write(tmp_path, sample_records(300))
        data = bytearray(path.read_bytes())
        size = len(entries(path)["payload.bin"])
        data[payload_start(path) + position % size] ^= 0x01
        path.write_bytes(bytes(data))
        bundle = OpenedBundle.open([path])
        bundle.verify_signature()
        refused(changed, bundle.verify_payload)
    [path] = write(tmp_path, sample_records(300))
    raw = entries(path)
    raw["payload.bin"] = raw["payload.bin"][:-1] + bytes([raw["payload.bin"][-1] ^ 1])
    rezip(path, list(raw.items()))  # a fresh CRC: only the signed hash notices
    bundle = OpenedBundle.open([path])
    bundle.verify_signature()
    refused(changed, bundle.verify_payload)


def test_the_content_key_is_only_for_its_recipients(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    bundle = OpenedBundle.open([path])
    bundle.verify_signature()
    bundle.verify_payload()
    _, stranger = keypair("STRANGER")
    _, impostor = keypair(PEER.fingerprint)
    refused(NOT_FOR_THIS_LAPTOP, bundle.content_key, stranger)
    refused(NOT_FOR_THIS_LAPTOP, bundle.content_key, impostor)
    key = bundle.content_key(PEER_KEYS)
    refused(CONTENTS_DAMAGED, lambda: list(bundle.records(os.urandom(32))))
    assert len(list(bundle.records(key))) == 5


def test_records_come_only_after_both_checks(tmp_path: Path) -> None:
    [path] = write(tmp_path, sample_records(5))
    bundle = OpenedBundle.open([path])
    bundle.verify_signature()
    key = bundle.content_key(PEER_KEYS)
    with pytest.raises(RuntimeError):
        bundle.records(key)


def test_a_zip_bomb_is_stopped(tmp_path: Path) -> None:
    records = [{"kind": "child", "pad": "a" * 100_000, "n": i} for i in range(40)]
    paths = write(tmp_path, records)
    assert paths[0].stat().st_size < 20_000  # 4 MB of records in a few kB
    refused(TOO_MUCH_DATA, read, paths, PEER_KEYS, Limits(max_plain_bytes=1 << 20))
    refused(TOO_MUCH_DATA, read, paths, PEER_KEYS, Limits(max_record_bytes=50_000))
    assert len(read(paths, PEER_KEYS, Limits(max_plain_bytes=5 << 20))) == 40


@pytest.mark.parametrize(
    ("plain", "message"),
    [
        (lzma.compress(b'{"a":1}\n[1,2]\n'), CONTENTS_DAMAGED),  # not an object
        (lzma.compress(b'{"a":1}\n{"a":\n'), CONTENTS_DAMAGED),  # not JSON
        (lzma.compress(b'{"a":NaN}\n'), CONTENTS_DAMAGED),
        (lzma.compress(b'{"a":"\xff"}\n'), CONTENTS_DAMAGED),  # not UTF-8
        (lzma.compress(b'{"a":1}'), CONTENTS_DAMAGED),  # no final newline
        (lzma.compress(b'{"a":1}\n') + b"junk", CONTENTS_DAMAGED),
        (lzma.compress(b'{"a":1}\n') * 2, CONTENTS_DAMAGED),  # a second stream
        (lzma.compress(b'{"a":1}\n')[:-8], CONTENTS_DAMAGED),  # cut short
        (b"not xz at all", CONTENTS_DAMAGED),
        (b"", CONTENTS_DAMAGED),
        (lzma.compress(b"[" * 200_000 + b"\n"), CONTENTS_DAMAGED),  # nesting too deep
        (lzma.compress(b'{"a":"' + b"b" * 300_000), TOO_MUCH_DATA),  # one endless line
    ],
)
def test_a_signed_payload_with_bad_contents_is_refused(
    tmp_path: Path, plain: bytes, message: str
) -> None:
    path = forge(tmp_path, plain)
    refused(message, read, [path], PEER_KEYS, Limits(max_record_bytes=200_000))


def test_a_forged_but_well_formed_payload_reads(tmp_path: Path) -> None:
    path = forge(tmp_path, lzma.compress(b'{"a":1}\n{"b":[2]}\n'))
    assert read([path]) == [{"a": 1}, {"b": [2]}]


def test_long_integers_keep_every_digit(tmp_path: Path) -> None:
    # orjson would read integers beyond 64 bits as floats; such lines go the standard way.
    path = forge(tmp_path, lzma.compress(b'{"n":123456789012345678901,"m":-9223372036854775809}\n'))
    assert read([path]) == [{"n": 123456789012345678901, "m": -9223372036854775809}]


record_lines = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip


@given(st.dictionaries(st.text(), record_lines, max_size=5))
def test_record_lines_read_as_the_standard_library_reads_them(record: dict[str, Any]) -> None:
    line = json.dumps(record, ensure_ascii=False).encode()
    assert bundle_reader._record(line) == json.loads(line)


# ---------------------------------------------------------------- writing failures


def test_disk_full_while_adding_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(stream: Any, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle_writer, "_write", full)
    writer = BundleWriter(tmp_path, chunk_bytes=CHUNK)
    with pytest.raises(DiskFull) as caught:
        for record in noisy_records(1500):
            writer.add(record)
    assert caught.value.message.startswith("The disk or USB stick is full")
    assert os.listdir(tmp_path) == []
    with pytest.raises(RuntimeError):
        writer.add({})


@pytest.mark.parametrize("split", [None, 64 << 10])
def test_disk_full_while_finishing_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: int | None
) -> None:
    """A failure on the last part also removes the parts already renamed."""
    out = tmp_path / "usb"
    out.mkdir()
    syncs = []

    def fsync(fd: int) -> None:
        syncs.append(fd)
        if len(syncs) == 3 or split is None:
            raise OSError(errno.ENOSPC, "No space left on device")

    with BundleWriter(tmp_path, chunk_bytes=CHUNK) as writer:
        for record in noisy_records(1200):
            writer.add(record)
        monkeypatch.setattr(bundle_writer.os, "fsync", fsync)
        with pytest.raises(DiskFull):
            writer.finish(
                out / "b.cwtt", fields=fields(), sign=SENDER.sign, recipients=[PEER],
                split_bytes=split,
            )  # fmt: skip
    assert os.listdir(out) == []
    assert os.listdir(tmp_path) == ["usb"]


def test_another_write_error_names_the_place(tmp_path: Path) -> None:
    with BundleWriter(tmp_path, chunk_bytes=CHUNK) as writer, pytest.raises(UsageError) as caught:
        writer.add({"a": 1})
        writer.finish(
            tmp_path / "missing-folder" / "b.cwtt", fields=fields(), sign=SENDER.sign,
            recipients=[PEER],
        )  # fmt: skip
    assert "missing-folder" in caught.value.message
    assert os.listdir(tmp_path) == []


def test_an_exception_inside_the_with_block_removes_the_temporary_file(tmp_path: Path) -> None:
    with pytest.raises(KeyError), BundleWriter(tmp_path, chunk_bytes=CHUNK) as writer:
        writer.add({"a": 1})
        assert len(os.listdir(tmp_path)) == 1
        raise KeyError("boom")
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- mutation


@pytest.fixture(scope="module")
def small_bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list, Path]:
    folder = tmp_path_factory.mktemp("mutation")
    records = sample_records(40)
    [path] = write(folder, records)
    return path.read_bytes(), records, folder / "mutant.cwtt"


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_mutated_bundle_reads_the_same_or_is_refused(
    small_bundle: tuple[bytes, list, Path], data: st.DataObject
) -> None:
    """Flip, cut or insert bytes anywhere: the records come back exactly, or BundleRejected."""
    original, records, path = small_bundle
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert"]))
    if kind == "flip":
        at = data.draw(st.integers(0, len(original) - 1))
        mask = data.draw(st.integers(1, 255))
        mutant = original[:at] + bytes([original[at] ^ mask]) + original[at + 1 :]
    elif kind == "truncate":
        mutant = original[: data.draw(st.integers(0, len(original) - 1))]
    else:
        at = data.draw(st.integers(0, len(original)))
        mutant = original[:at] + data.draw(st.binary(min_size=1, max_size=64)) + original[at:]
    path.write_bytes(mutant)
    try:
        got = read([path])
    except BundleRejected:
        return
    assert got == records
