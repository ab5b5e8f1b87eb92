"""Import: mark bundles, see what they would change, then import them for real."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, SelectionList, Static
from textual.widgets.selection_list import Selection

from cwtt_tui.errors import BundleRejected, CwttError, UnknownSender
from exports.bundle_import import ImportSummary, import_bundles
from exports.drives import BundleChoice, default_folder, find_bundles, human_size, removable_drives

if TYPE_CHECKING:
    from cwtt_tui.store.store import Store

QUESTION = "Import now? (Enter = yes, Escape = no)"


def plain_lines(summary: ImportSummary, *, preview: bool) -> list[str]:
    """The summary's lines, worded for this screen."""
    return summary.lines(screen=True, preview=preview)


def describe(choice: BundleChoice) -> str:
    folder = choice.paths[0].parent
    where = folder.name or str(folder)  # the stick's or folder's own name; the path is too long
    parts = f"{choice.parts} parts, " if choice.parts > 1 else ""
    missing = "" if choice.complete else f"  ONLY {len(choice.paths)} OF {choice.parts} PARTS"
    return f"{choice.name}  ({parts}{human_size(choice.size)}) in {where}{missing}"


class BundleList(SelectionList[int]):
    """Space marks a bundle; Enter asks to check the marked ones."""

    BINDINGS = [Binding("enter", "check", "Check", show=False)]

    class Check(Message):
        """Enter was pressed on the list."""

    def action_check(self) -> None:
        self.post_message(self.Check())


class ImportScreen(Screen[None]):
    """Space marks bundles, Enter previews them; Enter again imports, Escape does not."""

    CSS_PATH = "import_bundle.tcss"
    TITLE = "Import"
    HELP = """
Bundles are files other laptops export (**.cwtt**). cwtt looks for them on the USB sticks
plugged in and in the folder typed at the bottom (type another folder and press **Enter**).
The parts of a split bundle are listed together as one.

1. Press **Space** to mark each bundle to import (or just highlight one).
2. Press **Enter**: cwtt checks the bundles and shows what they would change. **Nothing is
   changed yet.**
3. Press **Enter** to import, or **Escape** to stop without changing anything.

A bundle is **refused** if it was changed on the way, comes from a laptop this one does not
trust, or was made for another laptop; then nothing is changed. **C** shows the records that
were changed on both laptops and need a person to choose. **F5** looks for USB sticks again;
**P** opens the trusted laptops.
"""
    BINDINGS = [
        Binding("enter", "confirm", "Import now", id="import-confirm"),
        Binding("c", "conflicts", "Review", id="import-conflicts"),
        Binding("d", "duplicates", "Duplicates", id="import-duplicates"),
        Binding("f5", "rescan", "Find USB", id="import-rescan"),
        Binding("p", "peers", "Trusted laptops", id="import-peers"),
        Binding("escape", "back", "Back", id="import-back"),
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
        self.choices: list[BundleChoice] = []
        self.marked: list[BundleChoice] = []
        self.state = "choose"  # choose -> checking -> preview -> importing -> done | refused
        self._unknown_sender = False  # the last refusal: a sender to trust first (P)
        self.summaries: list[ImportSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-choose"):
            yield Static("Bundles found (Space marks, Enter checks them):", classes="step")
            yield BundleList(id="import-list")
            yield Static("", id="import-none")
            yield Static("Look in this folder too (Enter looks again):", classes="step")
            yield Input(
                id="import-folder",
                placeholder="a folder, e.g. E:\\ or /media/usb",
                select_on_focus=False,
            )
        with Vertical(id="import-work"):
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("", id="import-status")
        with VerticalScroll(id="import-result"):
            yield Static("", id="import-lines", markup=False)
        with Vertical(id="import-refused"):
            yield Static("", id="import-refusal", markup=False)
            yield Static("", id="import-unchanged")
        yield Static("", id="import-question")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-refused").border_title = "Refused"
        self.query_one("#import-folder", Input).value = str(self._folder or default_folder())
        self.action_rescan()
        self._set_state("choose")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.state == "preview"
        if action == "conflicts":
            return self.state == "done" and any(s.conflicts for s in self.summaries)
        if action == "duplicates":
            return self.state == "done" and any(s.duplicates for s in self.summaries)
        if action == "rescan":
            return self.state == "choose"
        if action == "peers":  # also after refusing a sender that is not trusted yet
            return self.state == "choose" or (self.state == "refused" and self._unknown_sender)
        if action == "back":
            return self.state not in ("checking", "importing")
        return True

    # -- choosing ---------------------------------------------------------------------------------
    def action_rescan(self) -> None:
        folder = self.query_one("#import-folder", Input).value.strip()
        places = [*self._drives(), *([Path(folder).expanduser()] if folder else [])]
        self.choices = find_bundles(places)
        listing = self.query_one("#import-list", BundleList)
        listing.clear_options()
        listing.add_options(
            Selection(describe(choice), index) for index, choice in enumerate(self.choices)
        )
        listing.highlighted = 0 if self.choices else None
        listing.display = bool(self.choices)
        none = self.query_one("#import-none", Static)
        none.display = not self.choices
        none.update(
            "No bundles (.cwtt files) found on a USB stick or in the folder below. Plug in the "
            "USB stick and press F5, or type the folder where the bundle is."
        )
        (listing if self.choices else self.query_one("#import-folder")).focus()

    @on(Input.Submitted, "#import-folder")
    def _look_again(self) -> None:
        self.action_rescan()

    @on(BundleList.Check)
    def _check_marked(self) -> None:
        listing = self.query_one("#import-list", BundleList)
        wanted = sorted(listing.selected)
        if not wanted and listing.highlighted is not None:
            wanted = [listing.get_option_at_index(listing.highlighted).value]
        self.marked = [self.choices[i] for i in wanted]
        if not self.marked:
            return
        self._set_state("checking")
        self._status("Checking the bundles… nothing is changed yet.")
        self._run([c.paths for c in self.marked], preview=True)

    # -- the work (a preview first, then the import) ----------------------------------------------
    @work(thread=True, exclusive=True, group="import")
    def _run(self, groups: Sequence[tuple[Path, ...]], preview: bool) -> None:
        def progress(records: int, total: int) -> None:
            self.app.call_from_thread(self._progress, records, total)

        summaries: list[ImportSummary] = []
        try:
            if preview:  # later bundles may need what earlier ones bring: preview them together
                summaries = import_bundles(
                    self.store, [p for g in groups for p in g], preview=True, progress=progress
                )
            else:  # one at a time, so a refusal can say which ones came in before it
                for paths in groups:
                    summaries += import_bundles(self.store, paths, progress=progress)
        except CwttError as exc:
            changed = not preview and any(not s.already_imported for s in summaries)
            self.app.call_from_thread(self.show_refusal, exc, summaries if changed else [])
            return
        show = self.show_preview if preview else self.show_imported
        self.app.call_from_thread(show, summaries)

    def _progress(self, records: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(
            total=max(total, 1), progress=records
        )
        self._status(f"Reading the bundle… {records:,} of {total:,} records")

    def _status(self, text: str) -> None:
        self.query_one("#import-status", Static).update(text)

    def show_preview(self, summaries: list[ImportSummary]) -> None:
        """What the marked bundles would change; asks before changing anything."""
        self.summaries = summaries
        lines = ["Preview: nothing is changed yet.", ""]
        for summary in summaries:
            lines += [*plain_lines(summary, preview=True), ""]
        self.query_one("#import-lines", Static).update("\n".join(lines).rstrip())
        if all(s.already_imported for s in summaries):
            self.query_one("#import-question", Static).update("Nothing to import. Escape: back.")
            self._set_state("done")
            return
        self.query_one("#import-question", Static).update(QUESTION)
        self._set_state("preview")

    def action_confirm(self) -> None:
        if self.state != "preview":
            return
        self._set_state("importing")
        self._status("Importing… please wait.")
        self._run([c.paths for c in self.marked], preview=False)

    def show_imported(self, summaries: list[ImportSummary]) -> None:
        self.summaries = summaries
        lines = ["Imported.", ""]
        for summary in summaries:
            lines += [*plain_lines(summary, preview=False), ""]
        self.query_one("#import-lines", Static).update("\n".join(lines).rstrip())
        review = " · C: review them" if self._conflicts() else ""
        self.query_one("#import-question", Static).update(f"Escape: back{review}")
        self._set_state("done")

    def _conflicts(self) -> int:
        return sum(s.conflicts for s in self.summaries)

    def show_refusal(self, error: CwttError, imported: list[ImportSummary]) -> None:
        """One plain sentence in a red box, and whether anything changed."""
        panel = self.query_one("#import-refused")
        panel.border_title = error.title
        shown = error.on_screen if isinstance(error, BundleRejected) else error.message
        self._unknown_sender = isinstance(error, UnknownSender)
        self.query_one("#import-refusal", Static).update(shown)
        unchanged = "Nothing was changed."
        if imported:
            names = ", ".join(f"bundle {s.sequence} from {s.sender}" for s in imported)
            unchanged = f"Imported before it: {names}. This bundle changed nothing."
        self.query_one("#import-unchanged", Static).update(unchanged)
        self.query_one("#import-question", Static).update("Escape: choose again.")
        self._set_state("refused")

    # -- states and leaving ----------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.state = state
        self.query_one("#import-choose").display = state == "choose"
        self.query_one("#import-work").display = state in ("checking", "importing")
        self.query_one("#import-result").display = state in ("preview", "done")
        self.query_one("#import-refused").display = state == "refused"
        self.query_one("#import-question").display = state in ("preview", "done", "refused")
        self.query_one("#import-progress", ProgressBar).update(total=None, progress=0)
        if state in ("preview", "done", "refused"):
            self.set_focus(None)
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.state in ("checking", "importing"):
            return
        if self.state in ("preview", "refused"):
            self._set_state("choose")
            self.action_rescan()
            return
        self.app.pop_screen()

    def action_conflicts(self) -> None:
        from screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen(self.store))

    def action_duplicates(self) -> None:
        from screens.duplicates import DuplicatesScreen

        self.app.push_screen(DuplicatesScreen(self.store))

    def action_peers(self) -> None:
        from screens.peers import PeersScreen

        self.app.push_screen(PeersScreen(self.store))
