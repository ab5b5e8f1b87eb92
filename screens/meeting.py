"""Meeting mode: one agenda item at a time; plan, decide or update on single keys; then minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from cwtt_tui import meeting as service
from cwtt_tui.errors import CwttError
from cwtt_tui.planning import ALLOWED, STATUS_LABELS, today
from screens.widgets.agenda_card import AgendaCard
from screens.widgets.meeting_forms import MeetingForms

if TYPE_CHECKING:
    from cwtt_tui.meeting import ItemDetails, Meeting
    from cwtt_tui.store.store import Store

AGENDA_KEYS = ("plan", "decide", "update", "next", "previous", "finish")


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


class MeetingScreen(Screen[None]):
    """Who is here, then the agenda item by item; F writes the minutes; Escape leaves."""

    CSS_PATH = "meeting.tcss"
    TITLE = "Meeting"
    HELP = """
Meeting mode walks the team through the children who need a decision, one at a time:
first the children with a **HIGH** domain and no open action (most HIGH flags first), then the
**overdue actions** (the longest overdue first).

- **1** to **9**: plan one of the suggested actions shown (who will do it, department, due date).
- **D**: write a decision in your own words, e.g. "Discuss with the principal".
- **U**: give an overdue action its new status (referred, in progress, done, …) with a note.
- **S**: next item · **B**: back one item.
- **F**: finish and write the minutes: a text file and a page to print, into a folder you
  choose (the cwtt data folder unless you type another).

Everything you plan, decide or update is saved at once, and so is where the meeting is: if the
power goes, open Meeting mode again and press **1** to go on where it stopped.
The minutes name children: keep them locked away.
"""
    BINDINGS = [
        Binding("1", "plan(1)", "Plan", key_display="1-9", id="meeting-plan"),
        *(Binding(str(n), f"plan({n})", "Plan", show=False) for n in range(2, 10)),
        Binding("d", "decide", "Decision", id="meeting-decide"),
        Binding("u", "update", "Update", id="meeting-update"),
        Binding("s", "next", "Next", id="meeting-next"),
        Binding("b", "previous", "Back", id="meeting-previous"),
        Binding("f", "finish", "Finish", id="meeting-finish"),
        Binding("escape", "back", "Leave", id="meeting-back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.meeting: Meeting | None = None
        self._earlier: Meeting | None = None  # a meeting cut short, offered to go on with
        self.details: ItemDetails | None = None
        self.form = ""
        self.finished = False
        self._chosen = 0  # the suggestion being planned (1-based)
        self._statuses: list[str] = []
        self.school_names = {s.id: s.name for s in store.schools.list()}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="meeting-start"):
            yield Static("Meeting mode", id="meeting-start-title")
            yield Static(
                "The agenda: children with HIGH and no action yet, then overdue actions.",
                id="meeting-start-text",
            )
            yield Static("", id="meeting-resume-text")
            yield OptionList(
                Option("1  Go on with that meeting", id="resume"),
                Option("2  Start a new meeting", id="new"),
                id="meeting-resume",
            )
            with Vertical(id="meeting-new"):
                yield Static(
                    "Who is at the meeting? Names with commas between (you may leave it empty)."
                )
                yield Input(id="meeting-attendees", placeholder="e.g. Nomsa, Thabo, Sister Dube")
                yield Static("Press Enter to start.", classes="form-hint")
        yield AgendaCard(id="meeting-card")
        yield MeetingForms(id="meeting-forms")
        yield Static("", id="meeting-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#meeting-card").display = False
        self._show_resume(None)
        try:
            service.check_leader(self.store)
            earlier = service.unfinished_meeting(self.store)
        except CwttError as exc:
            self.query_one("#meeting-new").display = False
            self._say(f"{exc.message} Press Escape to go back.", error=True)
            self.refresh_bindings()
            return
        if earlier is None:
            self.query_one("#meeting-attendees").focus()
            return
        self._earlier = earlier
        self._show_resume(earlier)

    def _show_resume(self, earlier: Meeting | None) -> None:
        """Offer to go on with a meeting that was cut short, or ask who is here."""
        self.query_one("#meeting-resume-text").display = earlier is not None
        self.query_one("#meeting-resume").display = earlier is not None
        self.query_one("#meeting-new").display = earlier is None
        if earlier is None:
            return
        recorded = sum(not r.empty for r in earlier.records.values())
        where = (
            f"item {earlier.position + 1} of {len(earlier.agenda)}"
            if earlier.current is not None
            else f"the end of the agenda ({len(earlier.agenda)} items)"
        )
        self.query_one("#meeting-resume-text", Static).update(
            f"A meeting of {earlier.held_on:%d %b %Y} ({earlier.round.name}, {earlier.school}) "
            f"was not finished. It stopped at {where}, with "
            f"{_count(recorded, 'item')} recorded. Everything it planned and decided is saved."
        )
        listing = self.query_one("#meeting-resume", OptionList)
        listing.highlighted = 0
        listing.focus()
        self._say("Press 1 to go on with it, or 2 to start a new meeting.")

    # -- state ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in AGENDA_KEYS:
            return True
        meeting = self.meeting
        if meeting is None or self.form or self.finished:
            return False
        item = meeting.current
        if action == "plan":
            offered = self.details.suggestions if self.details else ()
            return (
                item is not None
                and item.kind == "child"
                and int(str(parameters[0])) <= len(offered)
            )
        if action == "update":
            return item is not None and item.kind == "overdue"
        if action == "decide":
            return item is not None
        if action == "previous":
            return meeting.position > 0
        if action == "next":
            return item is not None
        return True

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#meeting-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    # -- starting ---------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#meeting-resume")
    def _resume_selected(self, event: OptionList.OptionSelected) -> None:
        self._resume_chosen(event.option.id or "new")

    def _resume_chosen(self, choice: str) -> None:
        earlier, self._earlier = self._earlier, None
        if choice == "resume" and earlier is not None:
            self._started(earlier)
            self._say(f"Going on where the meeting stopped: item {earlier.position + 1}.")
            return
        self._show_resume(None)
        self.query_one("#meeting-attendees").focus()
        self._say("Starting a new meeting leaves the unfinished one behind.")

    @on(Input.Submitted, "#meeting-attendees")
    def _start(self, event: Input.Submitted) -> None:
        self._say("Making the agenda…")
        self._build(event.value)

    @work(thread=True, exclusive=True, group="meeting")
    def _build(self, attendees: str) -> None:
        try:
            meeting = service.start_meeting(self.store, attendees)
        except CwttError as exc:
            self.app.call_from_thread(self._say, exc.message, error=True)
            return
        self.app.call_from_thread(self._started, meeting)

    def _started(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self.query_one("#meeting-start").display = False
        card = self.query_one(AgendaCard)
        card.display = True
        card.focus()
        children = meeting.children_count
        overdue = len(meeting.agenda) - children
        self._say(
            f"The agenda: {_count(children, 'child', 'children')} with HIGH and no action, "
            f"{_count(overdue, 'overdue action')}."
        )
        self._show()

    def _show(self) -> None:
        meeting = self.meeting
        assert meeting is not None
        item = meeting.current
        self.details = service.item_details(self.store, meeting, item) if item else None
        children = meeting.children_count
        if item is None:
            progress = f"End of the agenda ({len(meeting.agenda)} items)"
        elif item.kind == "child":
            progress = f"Child {meeting.position + 1} of {children} · HIGH and no action yet"
        else:
            number = meeting.position - children + 1
            progress = f"Overdue action {number} of {len(meeting.agenda) - children}"
        end = "That was the last item. Press F to write the minutes, or B to go back."
        self.query_one(AgendaCard).show(
            item, self.details, meeting.records.get(meeting.position),
            progress=f"{meeting.round.name} · {meeting.school} · {progress}",
            school=self.school_names.get(item.school_id, "") if item else "",
            on=meeting.held_on, end_text=end if meeting.agenda else "Nothing is on the agenda: "
            "every HIGH child has an open action and no action is overdue. Press F to finish.",
        )  # fmt: skip
        self.refresh_bindings()

    # -- moving -----------------------------------------------------------------------------
    def action_next(self) -> None:
        assert self.meeting is not None
        self._step(1)

    def action_previous(self) -> None:
        assert self.meeting is not None
        self._step(-1)

    def _step(self, by: int) -> None:
        assert self.meeting is not None
        try:
            service.step(self.store, self.meeting, by)
        except CwttError as exc:  # the move is made; only saving where the meeting is failed
            self._show()
            self._say(exc.message, error=True)
            return
        self._say("")
        self._show()

    def action_back(self) -> None:
        if self.form:
            self._close_form()
            return
        meeting = self.meeting
        if (
            meeting is None
            or self.finished
            or not any(not r.empty for r in meeting.records.values())
        ):
            self.app.pop_screen()
            return
        from screens.confirm import ConfirmScreen

        def leave(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen(
                "Leave the meeting without writing the minutes?",
                "What was planned, decided and updated is saved already, and so is where "
                "the meeting is: open Meeting mode again to go on with it. Only the minutes "
                "are not written yet. Press N and then F to write them now.",
            ),
            leave,
        )

    # -- forms ------------------------------------------------------------------------------
    def _open_form(self, name: str, focus: str) -> None:
        self.form = name
        self.query_one(MeetingForms).open(name)
        self.query_one(f"#{focus}").focus()
        self.refresh_bindings()

    def _close_form(self) -> None:
        self.form = ""
        self.query_one(MeetingForms).open("")
        self.query_one(AgendaCard).focus()
        self.refresh_bindings()

    def action_plan(self, number: int) -> None:
        assert self.meeting is not None and self.details is not None
        suggestion = self.details.suggestions[number - 1]
        self._chosen = number
        self._open_form("plan", "plan-who")
        child = self.meeting.current.name if self.meeting.current else ""
        self.query_one("#plan-title", Static).update(
            f"Plan {number}: {suggestion.title.get()} · for {child}"
        )
        self.query_one("#plan-department", Input).value = suggestion.department
        from datetime import timedelta

        due = today(self.store) + timedelta(days=suggestion.due_days)
        self.query_one("#plan-due", Input).value = due.isoformat()
        self._say("Type who will do it, then Enter.")

    @on(Input.Submitted, "#plan-who")
    def _to_department(self) -> None:
        self.query_one("#plan-department").focus()

    @on(Input.Submitted, "#plan-department")
    def _to_due(self) -> None:
        self.query_one("#plan-due").focus()

    @on(Input.Submitted, "#plan-due")
    def _save_plan(self) -> None:
        assert self.meeting is not None and self.details is not None
        suggestion = self.details.suggestions[self._chosen - 1]
        try:
            action = service.plan_for_item(
                self.store, self.meeting, suggestion,
                self.query_one("#plan-who", Input).value,
                self.query_one("#plan-department", Input).value,
                self.query_one("#plan-due", Input).value,
            )  # fmt: skip
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._close_form()
        self._show()
        who = action.details.responsible or "nobody named"
        self._say(
            f"Planned and saved: {suggestion.title.get()} · {who} · due {action.details.due_on}."
        )

    def action_decide(self) -> None:
        assert self.meeting is not None
        self._open_form("decision", "decision-text")
        self.query_one("#decision-title", Static).update(
            f"Decision about {self.meeting.current.name}"  # type: ignore[union-attr]
        )
        self._say("Write the decision in plain words, then Enter.")

    @on(Input.Submitted, "#decision-text")
    def _to_owner(self) -> None:
        self.query_one("#decision-owner").focus()

    @on(Input.Submitted, "#decision-owner")
    def _save_decision(self) -> None:
        assert self.meeting is not None
        try:
            decision = service.record_decision(
                self.store, self.meeting,
                self.query_one("#decision-text", Input).value,
                self.query_one("#decision-owner", Input).value,
            )  # fmt: skip
        except CwttError as exc:
            self._say(exc.message, error=True)
            self.query_one("#decision-text").focus()
            return
        self._close_form()
        self._show()
        self._say(f"Decision saved: {decision.text}")

    def action_update(self) -> None:
        meeting = self.meeting
        assert meeting is not None and meeting.current is not None
        record = meeting.records.get(meeting.position)
        action = record.reviews[-1].action if record and record.reviews else meeting.current.action
        assert action is not None
        self._statuses = [s for s in STATUS_LABELS if s in ALLOWED[action.status]]
        self._open_form("update", "update-status")
        self.query_one("#update-title", Static).update(
            f"New status for: {action.details.what} (now {STATUS_LABELS[action.status]})"
        )
        listing = self.query_one("#update-status", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(f"{n}  {STATUS_LABELS[s]}", id=s) for n, s in enumerate(self._statuses, start=1)
        )
        listing.highlighted = 0
        self._say("Press the number of the new status.")

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.meeting is None and self.focused is self.query_one("#meeting-resume"):
            if event.key in ("1", "2"):
                event.stop()
                self._resume_chosen("resume" if event.key == "1" else "new")
            return
        if self.form != "update" or self.focused is not self.query_one("#update-status"):
            return
        if event.key.isdigit() and 1 <= int(event.key) <= len(self._statuses):
            event.stop()
            self.query_one("#update-status", OptionList).highlighted = int(event.key) - 1
            self._status_chosen()

    @on(OptionList.OptionSelected, "#update-status")
    def _status_selected(self) -> None:
        self._status_chosen()

    def _status_chosen(self) -> None:
        listing = self.query_one("#update-status", OptionList)
        status = self._statuses[listing.highlighted or 0]
        self.query_one("#update-note").focus()
        self._say(f"New status: {STATUS_LABELS[status]}. Write what happened, then Enter.")

    @on(Input.Submitted, "#update-note")
    def _save_update(self, event: Input.Submitted) -> None:
        assert self.meeting is not None
        status = self._statuses[self.query_one("#update-status", OptionList).highlighted or 0]
        try:
            changed = service.review_action(self.store, self.meeting, status, event.value)
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._close_form()
        self._show()
        self._say(f"Saved: the action is now {STATUS_LABELS[changed.status]}.")

    # -- finishing --------------------------------------------------------------------------
    def action_finish(self) -> None:
        self._open_form("finish", "finish-folder")
        self.query_one("#finish-folder", Input).value = str(service.default_minutes_folder())
        self._say("Press Enter to write the minutes here, or type another folder first.")

    @on(Input.Submitted, "#finish-folder")
    def _write(self, event: Input.Submitted) -> None:
        from pathlib import Path

        from exports.minutes import export_minutes

        assert self.meeting is not None
        folder = event.value.strip() or str(service.default_minutes_folder())
        try:
            markdown, page = export_minutes(self.store, self.meeting, Path(folder))
        except CwttError as exc:
            self._say(exc.message, error=True)
            return
        self._close_form()
        self.finished = True
        try:
            service.finish_meeting(self.store, self.meeting)
        except CwttError as exc:  # the minutes are written; it would only be offered again
            self._say(exc.message, error=True)
        meeting = self.meeting
        children, reviewed = meeting.done("child"), meeting.done("overdue")
        planned = sum(len(r.planned) for r in children)
        self.query_one(AgendaCard).show(
            None, None, None, progress="The minutes are written",
            school="", on=meeting.held_on,
            end_text=f"{_count(len(children), 'child', 'children')} discussed · "
            f"{_count(planned, 'action')} planned · "
            f"{_count(len(reviewed), 'overdue action')} reviewed\n\nThe minutes:\n  {markdown}\n"
            f"The page to print (open it in a web browser):\n  {page}\n\n"
            "Press Escape to go back.",
        )  # fmt: skip
        self._say("Minutes written.")
        self.refresh_bindings()
