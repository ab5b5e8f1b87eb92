"""A meeting's minutes: Markdown, and a page that prints on A4 in colour and in words."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from cwtt_tui.planning import STATUS_LABELS
from exports.board_report import DOMAIN_TITLES, LEVEL_COLOURS, STYLE
from exports.report_files import write_files

if TYPE_CHECKING:
    from cwtt_tui.meeting import ItemRecord, Meeting
    from cwtt_tui.models import Action
    from cwtt_tui.store.store import Store

__all__ = ["CONFIDENTIAL", "export_minutes", "minutes_stem", "to_html", "to_markdown"]

CONFIDENTIAL = (
    "Confidential: these minutes name children and their risks. Keep them locked away and "
    "share them only with the team."
)
NOBODY = "not recorded"
_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|"})


def minutes_stem(meeting: Meeting) -> str:
    """The file name without its ending: `cwtt-minutes-2026-11-02`."""
    return f"cwtt-minutes-{meeting.held_on.isoformat()}"


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _class(record: ItemRecord) -> str:
    item = record.item
    return f"Grade {item.grade}, class {item.class_name}"


def _domain(domain: str) -> str:
    return DOMAIN_TITLES.get(domain, domain.capitalize())


def _owner(action: Action) -> str:
    who = action.details.responsible or "nobody named"
    return f"{who} ({action.details.department})" if action.details.department else who


def _due(action: Action) -> str:
    return action.details.due_on or "no due date"


def _not_reached(meeting: Meeting) -> tuple[int, int]:
    children = meeting.children_count - len(meeting.done("child"))
    overdue = len(meeting.agenda) - meeting.children_count - len(meeting.done("overdue"))
    return children, overdue


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# --- Markdown ------------------------------------------------------------------------------------


def _md_decisions(record: ItemRecord) -> list[str]:
    if not record.decisions:
        return []
    lines = ["", "Decisions:"]
    for d in record.decisions:
        owner = f" (who: {_md(d.owner)})" if d.owner else ""
        lines.append(f"- {_md(d.text)}{owner}")
    return lines


def to_markdown(meeting: Meeting, schools: dict[str, str]) -> str:
    """The minutes as Markdown: who met, each child discussed, the overdue actions reviewed."""
    present = ", ".join(meeting.attendees) or NOBODY
    lines = [
        "# Team meeting minutes",
        "",
        f"- Date: {meeting.held_on.isoformat()}",
        f"- Round: {_md(meeting.round.name)} (round {meeting.round.number})",
        f"- School: {_md(meeting.school)}",
        f"- Led by: {_md(meeting.led_by)}",
        f"- Present: {_md(present)}",
    ]
    children = meeting.done("child")
    lines += ["", f"## Children discussed ({len(children)})"]
    if not children:
        lines += ["", "No child was discussed."]
    for number, record in enumerate(children, start=1):
        item = record.item
        school = schools.get(item.school_id, "")
        lines += [
            "",
            f"### {number}. {_md(item.name)}: {_class(record)}"
            + (f", {_md(school)}" if school else ""),
            "",
            "HIGH: " + (", ".join(_domain(d) for d in item.highs) or "none"),
            *_md_decisions(record),
        ]
        if record.planned:
            lines += ["", "New actions:"]
            for a in record.planned:
                lines += [
                    f"- {_domain(a.domain)}: {_md(a.details.what)}",
                    f"  - Responsible: {_md(_owner(a))}; due {_due(a)}",
                ]
    reviewed = meeting.done("overdue")
    lines += ["", f"## Overdue actions reviewed ({len(reviewed)})"]
    if not reviewed:
        lines += ["", "No overdue action was reviewed."]
    for number, record in enumerate(reviewed, start=1):
        action = record.reviews[-1].action if record.reviews else record.item.action
        assert action is not None
        lines += [
            "",
            f"### {number}. {_md(record.item.name)}: {_class(record)}",
            "",
            f"- Action ({_domain(action.domain)}): {_md(action.details.what)}",
            f"- Responsible: {_md(_owner(action))}; was due {_due(action)}",
        ]
        for r in record.reviews:
            note = f": {_md(r.note)}" if r.note else ""
            lines.append(
                f"- Status: {STATUS_LABELS[r.before]} → {STATUS_LABELS[r.action.status]}{note}"
            )
        lines += _md_decisions(record)
    children_left, overdue_left = _not_reached(meeting)
    if children_left or overdue_left:
        lines += [
            "",
            "## Not reached",
            "",
            f"{_count(children_left, 'child', 'children')} and "
            f"{_count(overdue_left, 'overdue action', 'overdue actions')} on the agenda "
            "were not discussed.",
        ]
    lines += ["", f"_{CONFIDENTIAL}_", ""]
    return "\n".join(lines)


# --- HTML ----------------------------------------------------------------------------------------

MINUTES_STYLE = (
    STYLE.replace("size: A4 landscape", "size: A4")
    + """
body { font-size: 10pt; }
h2 { font-size: 12pt; margin: 12pt 0 4pt; border-bottom: 1pt solid #555; }
h3 { font-size: 10.5pt; margin: 8pt 0 2pt; }
section { page-break-inside: avoid; break-inside: avoid; }
dl.meta { margin: 0 0 6pt; }
dl.meta dt { font-weight: bold; float: left; width: 22mm; }
dl.meta dd { margin: 0 0 1pt 24mm; }
span.level { padding: 0 4pt; margin-right: 4pt; }
ul { margin: 2pt 0 4pt; padding-left: 16pt; }
table { margin: 2pt 0 4pt; }
"""
)


def _chip(domain: str) -> str:
    colour = LEVEL_COLOURS["high"]
    return (
        f'<span class="level high" style="background:{colour}">HIGH</span>{escape(_domain(domain))}'
    )


def _html_decisions(record: ItemRecord) -> str:
    if not record.decisions:
        return ""
    items = "".join(
        f"<li>{escape(d.text)}" + (f" <em>(who: {escape(d.owner)})</em>" if d.owner else "")
        + "</li>"
        for d in record.decisions
    )  # fmt: skip
    return f"<p><strong>Decisions</strong></p><ul>{items}</ul>"


def _html_actions(actions: list[Action]) -> str:
    if not actions:
        return ""
    head = "".join(f"<th>{h}</th>" for h in ("Domain", "What", "Responsible", "Department", "Due"))
    rows = "".join(
        f"<tr><td>{escape(_domain(a.domain))}</td><td>{escape(a.details.what)}</td>"
        f"<td>{escape(a.details.responsible or '—')}</td>"
        f"<td>{escape(a.details.department or '—')}</td><td>{escape(_due(a))}</td></tr>"
        for a in actions
    )
    return (
        f"<p><strong>New actions</strong></p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _html_child(number: int, record: ItemRecord, schools: dict[str, str]) -> str:
    item = record.item
    school = schools.get(item.school_id, "")
    where = f"{_class(record)}" + (f", {school}" if school else "")
    highs = " ".join(_chip(d) for d in item.highs) or "none"
    return (
        f"<section><h3>{number}. {escape(item.name)} · {escape(where)}</h3>"
        f"<p>{highs}</p>{_html_decisions(record)}{_html_actions(record.planned)}</section>"
    )


def _html_overdue(number: int, record: ItemRecord) -> str:
    action = record.reviews[-1].action if record.reviews else record.item.action
    assert action is not None
    changes = "".join(
        f"<li>Status: {escape(STATUS_LABELS[r.before])} → "
        f"<strong>{escape(STATUS_LABELS[r.action.status])}</strong>"
        + (f": {escape(r.note)}" if r.note else "")
        + "</li>"
        for r in record.reviews
    )  # fmt: skip
    return (
        f"<section><h3>{number}. {escape(record.item.name)} · {escape(_class(record))}</h3>"
        f"<ul><li>Action ({escape(_domain(action.domain))}): {escape(action.details.what)}</li>"
        f"<li>Responsible: {escape(_owner(action))}; was due {escape(_due(action))}</li>"
        f"{changes}</ul>{_html_decisions(record)}</section>"
    )


def to_html(meeting: Meeting, schools: dict[str, str]) -> str:
    """A self-contained page that prints on A4: the same minutes, HIGH in colour and in words."""
    r = meeting.round
    title = f"Team meeting minutes · {meeting.held_on.isoformat()} · {meeting.school}"
    meta = (
        ("Date", meeting.held_on.isoformat()),
        ("Round", f"{r.name} (round {r.number})"),
        ("School", meeting.school),
        ("Led by", meeting.led_by),
        ("Present", ", ".join(meeting.attendees) or NOBODY),
    )
    children = meeting.done("child")
    reviewed = meeting.done("overdue")
    body = [
        f"<h1>Team meeting minutes · {escape(meeting.held_on.isoformat())}</h1>",
        '<dl class="meta">'
        + "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in meta)
        + "</dl>",
        f"<h2>Children discussed ({len(children)})</h2>",
        *(_html_child(n, rec, schools) for n, rec in enumerate(children, start=1)),
        "" if children else "<p>No child was discussed.</p>",
        f"<h2>Overdue actions reviewed ({len(reviewed)})</h2>",
        *(_html_overdue(n, rec) for n, rec in enumerate(reviewed, start=1)),
        "" if reviewed else "<p>No overdue action was reviewed.</p>",
    ]
    children_left, overdue_left = _not_reached(meeting)
    if children_left or overdue_left:
        body.append(
            f"<h2>Not reached</h2><p>{_count(children_left, 'child', 'children')} and "
            f"{_count(overdue_left, 'overdue action', 'overdue actions')} on the agenda were "
            "not discussed.</p>"
        )
    body.append(f'<p class="note">{escape(CONFIDENTIAL)}</p>')
    content = "\n".join(part for part in body if part)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<style>{MINUTES_STYLE}</style>
</head>
<body>
{content}
</body>
</html>
"""


def export_minutes(store: Store, meeting: Meeting, folder: Path) -> tuple[Path, Path]:
    """Write the minutes as `.md` and `.html` into `folder`, dated; audit-logged first.

    Raises:
        UsageError, DiskFull: the folder cannot be written to.
    """
    schools = {s.id: s.name for s in store.schools.list()}
    texts = {".md": to_markdown(meeting, schools), ".html": to_html(meeting, schools)}
    children, reviewed = meeting.done("child"), meeting.done("overdue")
    # Logged before the data leaves, as every export: a failed write is logged too.
    store.audit.record(
        "minutes.export", meeting.round.id, format="markdown+html", to="file",
        school=meeting.school_id or "all", children=len(children), reviewed=len(reviewed),
        actions=sum(len(r.planned) for r in children),
        decisions=sum(len(r.decisions) for r in (*children, *reviewed)),
    )  # fmt: skip
    markdown, page = write_files(Path(folder), minutes_stem(meeting), texts)
    return markdown, page
