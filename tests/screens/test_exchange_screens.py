"""Export on one laptop, import on another, by keyboard only; a tampered bundle is refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from two_laptops import Laptops, make_laptops, settle, stick_only, text, unlock

from cwtt_tui.demo import fill_demo
from exports.bundle_export import export_bundle
from exports.bundle_import import import_bundles
from screens.conflicts import ConflictsScreen
from screens.export_bundle import ExportScreen
from screens.import_bundle import ImportScreen
from screens.widgets.fingerprint import spaced


@pytest.fixture
def laptops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Laptops:
    return stick_only(make_laptops(tmp_path), tmp_path, monkeypatch)


def export_from_a(laptops: Laptops) -> list[Path]:
    with laptops.open("a") as a:
        return list(export_bundle(a, "Coordinator", laptops.usb).paths)


async def test_export_on_a_then_preview_and_import_on_c(laptops: Laptops, make_app) -> None:
    """5 Enter Enter Enter writes the bundle to the stick; 6 Space Enter Enter imports it."""
    with laptops.open("a") as a:
        wanted = sorted(c.details.first_name for c in a.children.list())
        fingerprint_a = a.devices.local().fingerprint
    app = make_app(laptops.a)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("5")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter", "enter", "enter")  # the laptop, the stick, write
        await settle(pilot)
        summary = text(app.screen, "#export-summary")
        assert summary.startswith("Done: bundle 1 for Coordinator, with everything.")
        assert "cwtt-thembeka-primary-laptop-a-to-coordinator-20261102-001.cwtt" in summary
        assert "It holds 5 children, 17 interviews," in summary
        assert text(app.screen, "#export-fingerprint") == spaced(fingerprint_a)
        app.store.close()
    [bundle] = laptops.usb.glob("*.cwtt")

    app = make_app(laptops.c)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("6")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        assert [c.paths for c in screen.choices] == [(bundle,)]
        await pilot.press("space", "enter")
        await settle(pilot)
        lines = text(screen, "#import-lines")
        assert lines.startswith("Preview: nothing is changed yet.")
        assert "children: 5 new" in lines
        assert text(screen, "#import-question") == "Import now? (Enter = yes, Escape = no)"
        assert app.store.children.list() == []
        await pilot.press("enter")
        await settle(pilot)
        assert text(screen, "#import-lines").startswith("Imported.")
        got = sorted(c.details.first_name for c in app.store.children.list())
        assert got == wanted
        app.store.close()


async def test_two_bundles_in_a_row_are_previewed_and_imported_together(
    laptops: Laptops, make_app
) -> None:
    """Bundle 2 needs what bundle 1 brings: marking both previews them as if imported in turn."""
    first = export_from_a(laptops)
    with laptops.open("a") as a:
        fill_demo(a, children=2, seed=9)
    second = export_from_a(laptops)
    app = make_app(laptops.c)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("6")
        assert [c.paths for c in app.screen.choices] == [tuple(first), tuple(second)]
        await pilot.press("space", "down", "space", "enter")
        await settle(pilot)
        lines = text(app.screen, "#import-lines")
        assert "Bundle 1 from Laptop A" in lines and "Bundle 2 from Laptop A" in lines
        assert app.store.children.list() == [] and app.store.bundles.entries() == []
        await pilot.press("enter")
        await settle(pilot)
        assert text(app.screen, "#import-lines").startswith("Imported.")
        assert len(app.store.children.list()) == 7
        app.store.close()


async def test_an_export_error_is_said_and_the_choices_stay(
    laptops: Laptops, make_app, tmp_path: Path
) -> None:
    """A folder that is not there: the plain reason, the form as it was, nothing written."""
    app = make_app(laptops.a)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("5", "enter", "enter")
        screen = app.screen
        screen.query_one("#export-folder").value = str(tmp_path / "no stick here")
        await pilot.press("tab", "space", "shift+tab", "enter")
        await settle(pilot)
        assert screen.state == "form"
        message = text(screen, "#export-message")
        assert "does not exist" in message and message.endswith("Nothing was exported.")
        assert screen.query_one("#export-full").value is True
        assert screen.query_one("#export-folder").value == str(tmp_path / "no stick here")
        assert app.focused is screen.query_one("#export-folder")
        assert list(laptops.usb.glob("*.cwtt")) == []
        assert app.store.bundles.entries() == []
        app.store.close()


async def test_a_tampered_bundle_is_refused_and_nothing_changes(laptops: Laptops, make_app) -> None:
    """One flipped byte: the plain reason in the red box, 'Nothing was changed.', C untouched."""
    [bundle] = export_from_a(laptops)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    bundle.write_bytes(bytes(data))
    app = make_app(laptops.c)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("6", "enter")  # Enter on the highlighted bundle, none marked
        await settle(pilot)
        screen = app.screen
        assert screen.state == "refused"
        assert screen.query_one("#import-refused").display
        assert "export again" in text(screen, "#import-refusal")
        assert text(screen, "#import-unchanged") == "Nothing was changed."
        await pilot.press("escape")
        assert screen.state == "choose"
        app.store.close()
    with laptops.open("c") as c:
        assert c.children.list() == []
        assert c.bundles.entries() == []


async def test_changed_on_both_laptops_then_keep_theirs(laptops: Laptops, make_app) -> None:
    """The import summary offers C; 2 keeps the other laptop's version of the child."""
    with laptops.open("c") as c:
        import_bundles(c, export_from_a(laptops))
        child = c.children.list()[0]
        c.children.update(child, replace(child.details, first_name="Zanele C"))
    with laptops.open("a") as a:
        mine = a.children.get(child.id)
        a.children.update(mine, replace(mine.details, first_name="Zanele A"))
    second = export_from_a(laptops)
    app = make_app(laptops.c)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("6")
        listing = app.screen.query_one("#import-list")
        listing.highlighted = [c.paths for c in app.screen.choices].index(tuple(second))
        await pilot.press("enter")
        await settle(pilot)
        assert "you will choose which version to keep" in text(app.screen, "#import-lines")
        await pilot.press("enter")
        await settle(pilot)
        assert "need review: press C" in text(app.screen, "#import-lines")
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        assert text(screen, "#conflicts-status").startswith("Record 1 of 1 · a child's details")
        assert "First name: Zanele C" in text(screen, "#conflicts-mine-text")
        assert "First name: Zanele A" in text(screen, "#conflicts-theirs-text")
        await pilot.press("2")
        assert text(screen, "#conflicts-status") == "No records need review."
        assert "Kept the other laptop's version" in text(screen, "#conflicts-message")
        assert app.store.children.get(child.id).details.first_name == "Zanele A"
        assert app.store.sync.conflicts() == []
        assert list(app.store.audit.entries())[-1].action == "conflict.resolve"
        app.store.close()


async def test_unfinished_interviews_travel_only_when_asked(laptops: Laptops, make_app) -> None:
    with laptops.open("a") as a:
        round_id = a.rounds.current().id
        for child in a.children.list():
            done = {i.respondent for i in a.interviews.list(child_id=child.id)}
            for respondent in sorted({"child", "caregiver", "teacher", "health"} - done)[:1]:
                a.interviews.start(child.id, round_id, respondent, instrument_id=respondent,
                                   instrument_version="1")  # fmt: skip
        finished = len(a.interviews.list(status="complete"))
        drafts = len(a.interviews.list(status="draft"))
    assert drafts
    app = make_app(laptops.a)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("n")  # not now: the offer to continue a stopped interview
        await pilot.press("5", "enter", "enter")
        screen = app.screen
        screen.query_one("#export-drafts").value = True
        await pilot.press("enter")
        await settle(pilot)
        summary = text(screen, "#export-summary")
        assert f"{finished + drafts} interviews" in summary, summary
        app.store.close()
    with laptops.open("a") as a:
        plain = export_bundle(a, "Coordinator", laptops.usb, full=True)
    assert plain.counts["interview"] == finished


async def test_a_bundle_from_an_unknown_laptop_points_to_trusted_laptops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app
) -> None:
    """C never enrolled A: the refusal names A's fingerprint and P, not a command to type."""
    from cwtt_tui.peers import enrol_peer, key_file_name
    from screens.peers import PeersScreen

    laptops = stick_only(make_laptops(tmp_path, enrol=False), tmp_path, monkeypatch)
    with laptops.open("a") as a:
        enrol_peer(a, laptops.usb / key_file_name("Coordinator"))
        fingerprint_a = a.devices.local().fingerprint
    [bundle] = export_from_a(laptops)
    app = make_app(laptops.c)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("6")
        screen = app.screen
        assert [c.paths for c in screen.choices] == [(bundle,)]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.state == "refused"
        refusal = text(screen, "#import-refusal")
        assert fingerprint_a[:24] in refusal and "press P (Trusted laptops)" in refusal
        assert "cwtt peers" not in refusal
        await pilot.press("p")
        assert isinstance(app.screen, PeersScreen)
        app.store.close()
