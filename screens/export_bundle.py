"""Export: choose the laptop and the place, then write a signed, encrypted bundle for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from cwtt_tui.errors import CwttError
from exports.bundle_export import ExportResult, export_bundle
from exports.drives import default_folder, human_size, removable_drives
from screens.widgets.fingerprint import FingerprintBox
from screens.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

NOUNS = {
    "child": ("child", "children"),
    "interview": ("interview", "interviews"),
    "action": ("action", "actions"),
    "assessment": ("risk result", "risk results"),
    "school": ("school", "schools"),
    "round": ("round", "rounds"),
    "audit": ("audit entry", "audit entries"),
}
NO_PEERS = (
    "No other laptop is trusted yet, so there is no one to export to. Ask the other laptop's "
    "owner for their key file, then press P and add it with A."
)


def describe_counts(counts: dict[str, int]) -> str:
    """`{'child': 5, 'round': 1}` as `5 children, 1 round`, in a steady order."""
    parts = []
    for kind, (one, many) in NOUNS.items():
        if counts.get(kind):
            parts.append(f"{counts[kind]} {one if counts[kind] == 1 else many}")
    return ", ".join(parts) or "nothing new"


class ExportScreen(Screen[None]):
    """Pick the laptop, pick the place, press Enter in the folder box; P opens trusted laptops."""

    CSS_PATH = "export_bundle.tcss"
    TITLE = "Export"
    HELP = """
A **bundle** is one file holding the records for another laptop, signed by this laptop and
locked so that only that laptop can open it. Carry it on a USB stick or send it by e-mail.

1. Choose **the laptop it is for** with the arrows and press **Enter**.
2. Choose **a USB stick** (if one is plugged in) and press **Enter**, or type a folder.
3. Press **Enter** in the folder box to write the bundle.

Options (move with **Tab**): **Everything** sends all records, not only what changed since the
last bundle to that laptop; use it when the other laptop is new or was restored from a backup.
**Parts of … MB** splits a large bundle into several files, e.g. for e-mail; give all the parts.
**Unfinished interviews too** adds interviews that were stopped before the end, so a colleague
on the other laptop can finish them; without it only finished interviews travel.

**F5** looks for USB sticks again. **P** opens the trusted laptops. At the end, the receiver
must see the same fingerprint as the one shown here.
"""
    BINDINGS = [
        Binding("f5", "rescan", "Find USB", id="export-rescan"),
        Binding("p", "peers", "Trusted laptops", id="export-peers"),
        Binding("n", "again", "Another export", id="export-again"),
        Binding("escape", "back", "Back", id="export-back"),
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
        self.state = "form"  # form -> working -> done
        self.result: ExportResult | None = None
        self._writing = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="export-body"):
            with Vertical(id="export-form"):
                yield Static("1  For which laptop?", classes="step")
                yield OptionList(id="export-peers")
                yield Static(NO_PEERS, id="export-no-peers")
                yield Static("2  Where should the file go?", classes="step")
                yield OptionList(id="export-places")
                yield Input(
                    id="export-folder",
                    placeholder="a folder, e.g. E:\\ or /media/usb",
                    select_on_focus=False,
                )
                with Horizontal(id="export-options"):
                    yield TickBox("Everything, not only changes", id="export-full")
                    yield Static("Parts of", classes="label")
                    yield Input(
                        id="export-split", placeholder="one file", restrict=r"[0-9.]*", max_length=6
                    )
                    yield Static("MB", classes="label")
                yield TickBox(
                    "Unfinished interviews too (drafts, for a colleague to finish)",
                    id="export-drafts",
                )
                yield Static("Press Enter in the folder box to write the bundle.", id="export-hint")
            with Vertical(id="export-work"):
                yield ProgressBar(id="export-progress", show_eta=False)
                yield Static("", id="export-status")
            with Vertical(id="export-done"):
                yield Static("", id="export-summary", markup=False)
                yield FingerprintBox(
                    "The receiver will see this fingerprint", id="export-fingerprint"
                )
                yield Static("", id="export-next")
        yield Static("", id="export-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-folder", Input).value = str(self._folder or default_folder())
        self._load_peers()
        self._load_places()
        self._set_state("form")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "again":
            return self.state == "done"
        if action == "rescan":
            return self.state == "form"
        if action in ("peers", "back"):
            return self.state != "working"
        return True

    # -- choices --------------------------------------------------------------------------------
    def _load_peers(self) -> None:
        listing = self.query_one("#export-peers", OptionList)
        listing.clear_options()
        peers = [d for d in self.store.devices.list() if not d.is_local]
        for device in peers:
            last = self.store.bundles.last_export(device.id)
            sent = f"last sent {last.at[:10]}" if last else "nothing sent yet"
            listing.add_option(
                Option(f"{device.name[:20]:<20} {device.fingerprint}  {sent}", id=device.id)
            )
        listing.display = bool(peers)
        self.query_one("#export-no-peers").display = not peers
        if peers:
            listing.highlighted = 0
            listing.focus()

    def _load_places(self) -> None:
        places = self.query_one("#export-places", OptionList)
        places.clear_options()
        drives = self._drives()
        for drive in drives:
            places.add_option(Option(f"USB stick: {drive}", id=str(drive)))
        if not drives:
            places.add_option(
                Option("No USB stick found: plug one in and press F5, or type a folder below.")
            )
        places.highlighted = 0

    def action_rescan(self) -> None:
        self._load_places()
        self.query_one("#export-places").focus()

    @on(OptionList.OptionSelected, "#export-peers")
    def _peer_chosen(self) -> None:
        places = self.query_one("#export-places", OptionList)
        target = places if places.get_option_at_index(0).id else self.query_one("#export-folder")
        target.focus()

    @on(OptionList.OptionSelected, "#export-places")
    def _place_chosen(self, event: OptionList.OptionSelected) -> None:
        folder = self.query_one("#export-folder", Input)
        if event.option.id:
            folder.value = str(event.option.id)
        folder.focus()

    def action_peers(self) -> None:
        from screens.peers import PeersScreen

        self.app.push_screen(PeersScreen(self.store), lambda _done: self._load_peers())

    # -- exporting ------------------------------------------------------------------------------
    @on(Input.Submitted, "#export-folder, #export-split")
    def _start(self) -> None:
        listing = self.query_one("#export-peers", OptionList)
        if not listing.option_count or listing.highlighted is None:
            self._say(NO_PEERS, error=True)
            return
        peer_id = str(listing.get_option_at_index(listing.highlighted).id)
        folder = self.query_one("#export-folder", Input).value.strip()
        if not folder:
            self._say("Type the folder for the bundle, e.g. the USB stick.", error=True)
            self.query_one("#export-folder").focus()
            return
        split_text = self.query_one("#export-split", Input).value.strip()
        try:
            split = float(split_text) if split_text else None
        except ValueError:
            split = -1.0
        if split is not None and split <= 0:
            self._say(
                "Type the part size in MB, e.g. 5, or leave it empty for one file.", error=True
            )
            self.query_one("#export-split").focus()
            return
        peer = self.store.devices.get(peer_id)
        full = self.query_one("#export-full", Checkbox).value
        drafts = self.query_one("#export-drafts", Checkbox).value
        self._say("")
        self._set_state("working")
        self._writing = f"Writing the bundle for {peer.name}…"
        self.query_one("#export-status", Static).update(self._writing)
        self._export(peer.fingerprint, Path(folder).expanduser(), full, split, drafts)

    @work(thread=True, exclusive=True, group="export")
    def _export(
        self, peer: str, folder: Path, full: bool, split: float | None, drafts: bool
    ) -> None:
        def progress(records: int, total: int) -> None:
            self.app.call_from_thread(self._progress, records, total)

        try:
            result = export_bundle(
                self.store, peer, folder, full=full, split_mb=split, include_drafts=drafts,
                progress=progress,
            )  # fmt: skip
        except CwttError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        sizes = []
        for path in result.paths:
            try:
                sizes.append(path.stat().st_size)
            except OSError:
                sizes.append(0)
        self.app.call_from_thread(self.show_result, result, sizes)

    def _progress(self, records: int, total: int) -> None:
        self.query_one("#export-progress", ProgressBar).update(
            total=max(total, 1), progress=records
        )
        self.query_one("#export-status", Static).update(
            f"{self._writing} {records:,} of {total:,} records"
        )

    def _failed(self, error: CwttError) -> None:
        self._set_state("form")
        self._say(f"{error.message} Nothing was exported.", error=True)
        self.query_one("#export-folder").focus()

    def show_result(self, result: ExportResult, sizes: list[int]) -> None:
        """The finished export: files and sizes, what it holds, and the fingerprint to compare."""
        self.result = result
        kind = "everything" if result.full else "the changes since the last bundle"
        lines = [f"Done: bundle {result.sequence} for {result.peer}, with {kind}."]
        if len(result.paths) > 1:
            lines.append(f"{len(result.paths)} files (give the other laptop all of them):")
        lines += [
            f"  {path}  ({human_size(size)})"
            for path, size in zip(result.paths, sizes, strict=True)
        ]
        lines.append(f"It holds {describe_counts(result.counts)}.")
        self.query_one("#export-summary", Static).update("\n".join(lines))
        self.query_one("#export-fingerprint", FingerprintBox).show(
            "The receiver will see this fingerprint", result.fingerprint
        )
        self.query_one("#export-next", Static).update(
            f"Take the file to {result.peer}. Escape goes back; N makes another export."
        )
        self._set_state("done")

    # -- states and messages ----------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.state = state
        self.query_one("#export-form").display = state == "form"
        self.query_one("#export-work").display = state == "working"
        self.query_one("#export-done").display = state == "done"
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        if state == "done":
            self.set_focus(None)
        self.refresh_bindings()

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#export-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def action_again(self) -> None:
        self._load_peers()
        self._set_state("form")
        self.query_one("#export-peers").focus()

    def action_back(self) -> None:
        if self.state != "working":
            self.app.pop_screen()
