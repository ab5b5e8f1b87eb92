"""How export and import look at 80×24. Fingerprints are random per store and the stick's path
is tmp_path, so the finished screens are shown again with those two fixed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from two_laptops import Laptops, make_laptops, settle, steady, stick_only, unlock

from cwtt_tui.errors import BundleRejected
from exports.bundle_export import export_bundle

FIXED_FINGERPRINT = "KAYT-HYCP-YXT3-YZ3S-N5JQ"
STICK = Path("/media/thandi/STICK")


@pytest.fixture
def laptops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Laptops:
    return stick_only(make_laptops(tmp_path), tmp_path, monkeypatch)


def bundle_on_stick(laptops: Laptops) -> None:
    with laptops.open("a") as a:
        export_bundle(a, "Coordinator", laptops.usb)


class TestExchange:
    def test_export_finished(self, snap_compare, laptops: Laptops, make_app) -> None:
        """Done: the file on the stick, its size, what it holds, and the fingerprint to compare."""

        async def exported(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlock(pilot)
            await pilot.press("5", "enter", "enter", "enter")
            await settle(pilot)
            screen = pilot.app.screen
            result = screen.result
            paths = tuple(STICK / path.name for path in result.paths)
            screen.show_result(
                replace(result, paths=paths, fingerprint=FIXED_FINGERPRINT), [11_913]
            )
            await steady(pilot)

        assert snap_compare(make_app(laptops.a), run_before=exported)

    def test_import_preview(self, snap_compare, laptops: Laptops, make_app) -> None:
        """The preview says nothing changed yet, what would come in, and asks before importing."""
        bundle_on_stick(laptops)

        async def previewed(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlock(pilot)
            await pilot.press("6", "space", "enter")
            await settle(pilot)
            screen = pilot.app.screen
            screen.show_preview(
                [replace(s, fingerprint=FIXED_FINGERPRINT) for s in screen.summaries]
            )
            await steady(pilot)

        assert snap_compare(make_app(laptops.c), run_before=previewed)

    def test_import_refused(self, snap_compare, laptops: Laptops, make_app) -> None:
        """A refusal: one plain sentence in a red box, and that nothing was changed."""

        async def refused(pilot) -> None:  # type: ignore[no-untyped-def]
            await unlock(pilot)
            await pilot.press("6")
            await settle(pilot)
            message = (
                "This bundle's contents were changed or damaged after it was signed — "
                "ask Laptop A to export again."
            )
            pilot.app.screen.show_refusal(BundleRejected(message), [])
            await steady(pilot)

        assert snap_compare(make_app(laptops.c), run_before=refused)
