"""A child registered on two laptops: the import offers D, 1 merges, U undoes, X dismisses."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from two_laptops import Laptops, make_laptops, settle, stick_only, text, unlock

from exports.bundle_export import export_bundle
from screens.duplicates import DuplicatesScreen


@pytest.fixture
def laptops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Laptops:
    return stick_only(make_laptops(tmp_path), tmp_path, monkeypatch)


async def test_a_twin_record_is_merged_undone_and_dismissed(laptops: Laptops, make_app) -> None:
    with laptops.open("a") as a:
        original = a.children.list()[0]
        emis = a.schools.get(original.school_id).emis
        bundle = list(export_bundle(a, "Coordinator", laptops.usb).paths)
    with laptops.open("c") as c:
        school = c.schools.add(emis, "Same school, registered here too")
        details = replace(original.details, first_name=original.details.last_name,
                          last_name=original.details.first_name.upper())  # fmt: skip
        twin = c.children.add(school.id, details)
    app = make_app(laptops.c)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("6")
        listing = app.screen.query_one("#import-list")
        listing.highlighted = [ch.paths for ch in app.screen.choices].index(tuple(bundle))
        await pilot.press("enter")
        await settle(pilot)
        assert "probable duplicate" in text(app.screen, "#import-lines")
        await pilot.press("enter")
        await settle(pilot)
        assert "press D to compare them" in text(app.screen, "#import-lines")
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen)
        assert text(screen, "#dups-status").startswith("Pair 1 of 1")
        await pilot.press("1")
        assert "Merged" in text(screen, "#dups-message")
        kept = {ch.id for ch in app.store.children.list()}
        assert len({original.id, twin.id} & kept) == 1
        await pilot.press("u")
        assert "separate again" in text(screen, "#dups-message")
        assert {original.id, twin.id} <= {ch.id for ch in app.store.children.list()}
        await pilot.press("x")
        assert text(screen, "#dups-status") == "No probable duplicates."
        app.store.close()
