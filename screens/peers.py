"""Trusted laptops: this laptop's fingerprint, the peers it trusts, and adding or revoking one."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from cwtt_tui.models import Device
from cwtt_tui.peers import enrol_peer, key_file_name, may_manage_peers, write_key_file
from exports.drives import default_folder, find_key_files, removable_drives
from screens.confirm import ConfirmScreen
from screens.widgets.fingerprint import FingerprintBox

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

PROMPTS = {
    "add": "The other laptop's key file (cwtt-keys-….json); Enter adds it, Escape cancels:",
    "rename": "New name for this laptop; Enter saves, Escape cancels:",
    "write": "Folder for this laptop's key file (e.g. the USB stick); Enter writes it:",
}
ONLY_LEADS = "Only a team lead or coordinator may add, rename or revoke laptops."


class PeersScreen(Screen[None]):
    """A adds a laptop, R renames, V revokes, W writes this laptop's key file, C opens review."""

    CSS_PATH = "peers.tcss"
    TITLE = "Trusted laptops"
    HELP = """
Bundles travel only between laptops that **trust each other**. Each laptop has a
**fingerprint**: twenty letters and numbers that prove which laptop it is.

To trust another laptop:

1. Press **W** on both laptops to write each one's **key file**, for example onto a USB stick.
2. Press **A** and type where the other laptop's key file is.
3. Both fingerprints are shown large. **Read both aloud** with the other laptop's owner
   (in person or on the phone). They must match exactly. Press **Y** if they match;
   press **N** if they do not, and that laptop is not trusted.

**R** renames the highlighted laptop. **V** stops trusting it: its bundles are refused from
then on (what it sent before stays). **C** shows the records that need review.
Only a team lead or coordinator may add, rename or revoke laptops.
"""
    BINDINGS = [
        Binding("a", "add", "Add", id="peers-add"),
        Binding("r", "rename", "Rename", id="peers-rename"),
        Binding("v", "revoke", "Revoke", id="peers-revoke"),
        Binding("w", "write", "Key file", id="peers-write"),
        Binding("c", "conflicts", "Review", id="peers-conflicts"),
        Binding("escape", "back", "Back", id="peers-back"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        folder: Path | None = None,
        drives: Callable[[], list[Path]] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self._folder = folder
        self._drives = drives or removable_drives
        self._mode = ""
        self.may_manage = may_manage_peers(store)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="peers-body"):
            yield FingerprintBox(id="peers-local")
            yield Static("Laptops this one trusts:", classes="step")
            yield OptionList(id="peers-list")
            yield Static(ONLY_LEADS, id="peers-note")
            with Vertical(id="peers-form", classes="-hidden"):
                yield Static("", id="peers-prompt")
                yield Input(id="peers-input", select_on_focus=False)
            yield Static("", id="peers-message")
        yield Footer()

    def on_mount(self) -> None:
        local = self.store.devices.local()
        self.query_one("#peers-local", FingerprintBox).show(
            f"This laptop: {local.name}", local.fingerprint
        )
        self.query_one("#peers-note").display = not self.may_manage
        self._reload()
        self.query_one("#peers-list").focus()
        waiting = len(self.store.sync.conflicts())
        if waiting:
            self._say(f"{waiting} record(s) changed on two laptops need review: press C.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.may_manage or action not in ("add", "rename", "revoke")

    # -- the list ------------------------------------------------------------------------------
    def peers(self) -> list[Device]:
        return [d for d in self.store.devices.list(include_revoked=True) if not d.is_local]

    def _reload(self, highlight: str | None = None) -> None:
        listing = self.query_one("#peers-list", OptionList)
        listing.clear_options()
        peers = self.peers()
        for device in peers:
            state = "REVOKED" if device.revoked else f"trusted since {device.trusted_since[:10]}"
            missing = self.store.bundles.missing_from(device.id)
            gap = (
                f"\n    Bundles not received yet: {', '.join(map(str, missing))}" if missing else ""
            )
            label = f"{device.name[:22]:<22} {device.fingerprint}  {state}{gap}"
            listing.add_option(Option(label, id=device.id))
        if not peers:
            hint = " Press A to add one." if self.may_manage else ""
            listing.add_option(Option(f"No other laptop is trusted yet.{hint}", disabled=True))
        ids = [d.id for d in peers]
        listing.highlighted = ids.index(highlight) if highlight in ids else 0

    def _selected(self) -> Device | None:
        listing = self.query_one("#peers-list", OptionList)
        if listing.highlighted is None:
            return None
        device_id = str(listing.get_option_at_index(listing.highlighted).id or "")
        return next((d for d in self.peers() if d.id == device_id), None)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#peers-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    # -- the form (one input for add, rename and write) ------------------------------------------
    def _open_form(self, mode: str, value: str) -> None:
        self._mode = mode
        self.query_one("#peers-prompt", Static).update(PROMPTS[mode])
        field = self.query_one("#peers-input", Input)
        field.value = value
        field.cursor_position = len(value)
        self.query_one("#peers-form").remove_class("-hidden")
        field.focus()

    def _close_form(self) -> None:
        self._mode = ""
        self.query_one("#peers-form").add_class("-hidden")
        self.query_one("#peers-list").focus()

    def _places(self) -> list[Path]:
        return [*self._drives(), self._folder or default_folder()]

    def action_add(self) -> None:
        own = key_file_name(self.store.devices.local().name)
        found = [p for p in find_key_files(self._places()) if p.name != own]
        start = str(found[0]) if found else str(self._places()[0]) + os.sep
        self._open_form("add", start)
        self._say("")

    def action_rename(self) -> None:
        device = self._selected()
        if device is None:
            self._say("Choose a laptop in the list first.", error=True)
            return
        self._open_form("rename", device.name)

    def action_write(self) -> None:
        self._open_form("write", str(self._places()[0]))
        self._say("")

    def action_back(self) -> None:
        if self._mode:
            self._close_form()
            self._say("")
            return
        self.app.pop_screen()

    @on(Input.Submitted, "#peers-input")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self._say("Type something first, or press Escape.", error=True)
            return
        handlers = {"add": self._add, "rename": self._rename, "write": self._write}
        try:
            handlers[self._mode](value)
        except CwttError as exc:
            self._say(exc.message, error=True)

    def _add(self, value: str) -> None:
        device = enrol_peer(self.store, Path(value).expanduser())
        self._close_form()
        self._reload(device.id)
        local = self.store.devices.local()
        question = ConfirmScreen(
            f"{device.name} is added. Do the fingerprints match?",
            "Read both aloud with the other laptop's owner; they must match exactly.",
            fingerprints=(
                (f"The other laptop: {device.name}", device.fingerprint),
                (f"This laptop: {local.name}", local.fingerprint),
            ),
            keys="Y: they match · N: they do not match (stop trusting it)",
            must_answer=True,
        )
        self.app.push_screen(question, lambda same: self._checked(device, bool(same)))

    def _checked(self, device: Device, same: bool) -> None:
        if same:
            self._say(f"{device.name} is trusted. You can now exchange bundles with it.")
            return
        self.store.devices.revoke(device.id)
        self._reload(device.id)
        self._say(
            f"{device.name} is not trusted: the fingerprints did not match. Ask its owner "
            "for the key file again.",
            error=True,
        )

    def _rename(self, value: str) -> None:
        device = self._selected()
        if device is None:
            return
        renamed = self.store.devices.rename(device.id, value)
        self._close_form()
        self._reload(renamed.id)
        self._say(f"Renamed to {renamed.name}.")

    def _write(self, value: str) -> None:
        _info, target = write_key_file(self.store.path, Path(value).expanduser())
        self._close_form()
        self._say(f"Key file written to {target}. Give it to the other laptop's owner.")

    # -- revoking and review ---------------------------------------------------------------------
    def action_revoke(self) -> None:
        device = self._selected()
        if device is None or device.revoked:
            self._say("Choose a trusted laptop in the list first.", error=True)
            return
        question = ConfirmScreen(
            f"Stop trusting {device.name}?",
            "Its bundles will be refused from now on; what it sent before stays. "
            "To trust it again later, add its key file again.",
            fingerprints=((device.name, device.fingerprint),),
        )
        self.app.push_screen(question, lambda yes: self._revoke(device, bool(yes)))

    def _revoke(self, device: Device, yes: bool) -> None:
        if not yes:
            self._say("Nothing was changed.")
            return
        try:
            self.store.devices.revoke(device.id)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._reload(device.id)
        self._say(f"{device.name} is no longer trusted; its bundles will be refused.")

    def action_conflicts(self) -> None:
        from screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(self.store))
