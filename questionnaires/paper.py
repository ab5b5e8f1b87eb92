"""Printable paper forms of an instrument, as plain text or self-contained A4 HTML."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from questionnaires.model import Instrument, Question, Text
from questionnaires.translation import LANGUAGE_NAMES, string_entries

__all__ = ["FILL_IN", "render_html", "render_text"]

WIDTH = 78
#: The header block an interviewer fills in on every paper form.
FILL_IN = ("Child's name", "Child id", "School", "Date", "Interviewer")
_HOW = {
    "single": "tick one",
    "multiple": "tick all that apply",
    "yes_no": "tick one",
    "date": "write the date as YYYY-MM-DD",
    "text": "write the answer",
    "note": "read this out; no answer",
}


_BLANKS = {"integer": "_" * 12, "decimal": "_" * 12, "date": "____ - __ - __", "text": "_" * 50}


@dataclass(frozen=True)
class _Line:
    """One line of detail under a question: ``kind`` picks its style; a choice has a ``code``."""

    kind: str
    text: str
    code: str = ""


def _language(lang: str) -> str:
    return f"{LANGUAGE_NAMES.get(lang, lang)} ({lang})"


def _fallback_note(instrument: Instrument, lang: str) -> str | None:
    if lang == "en":
        return None
    missing = sum(1 for e in string_entries(instrument) if not e.text.has(lang))
    if not missing:
        return None
    return f"{missing} texts have no {_language(lang)} translation yet; they are shown in English."


def _flags(question: Question) -> str:
    flags = ["required" if question.required else ""]
    flags.append("trained staff only" if question.sensitive else "")
    flags.append(question.ref or "")
    return ", ".join(f for f in flags if f)


def _details(question: Question, lang: str) -> list[_Line]:
    """Everything printed under a question's label, in the order an interviewer needs it."""

    def text(value: Text | None) -> str:
        return value.get(lang) if value is not None else ""

    out: list[_Line] = []
    if question.relevant is not None:
        out.append(_Line("skip", f"Ask only if: {question.relevant.source}"))
    for variant in question.variants:
        out.append(_Line("variant", f"If {variant.when.source}, ask: {variant.label.get(lang)}"))
    if question.hint is not None:
        out.append(_Line("hint", f"Hint: {text(question.hint)}"))
    if question.say is not None:
        out.append(_Line("say", f"Say: {text(question.say)}"))
    how = _HOW.get(question.type)
    if question.type in ("integer", "decimal"):
        limits = []
        if question.minimum is not None:
            limits.append(f"min {question.minimum}")
        if question.maximum is not None:
            limits.append(f"max {question.maximum}")
        kind = "a whole number" if question.type == "integer" else "a number, decimals allowed"
        how = f"write {kind}" + (f"; {', '.join(limits)}" if limits else "")
    if how:
        out.append(_Line("how", f"({how})"))
    for choice in question.choices:
        alone = "  (only on its own)" if choice.exclusive else ""
        out.append(_Line("choice", choice.label.get(lang) + alone, str(choice.code)))
    if question.type in ("integer", "decimal", "date", "text"):
        out.append(_Line("blank", question.unit or "", question.type))
    if question.constraint_message is not None:
        out.append(_Line("check", f"Check: {text(question.constraint_message)}"))
    if question.disclosure is not None and question.disclosure_if is not None:
        source = question.disclosure_if.source
        out.append(_Line("disclosure", f"If {source}: {text(question.disclosure)}"))
    return out


def _wrap(text: str, indent: str, hang: str = "") -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent + hang, break_on_hyphens=False
    ) or [indent]


def render_text(instrument: Instrument, lang: str = "en") -> str:
    """The paper form as plain text (ASCII apart from the instrument's own wording)."""
    title = instrument.title.get(lang)
    lines = [title.upper(), "=" * min(len(title), WIDTH)]
    lines += [
        f"Instrument: {instrument.id}   Version: {instrument.version}   "
        f"Respondent: {instrument.respondent}   Language: {_language(lang)}",
        *_wrap(
            "Paper form for days when the laptop cannot be used. Write each answer beside its "
            "question id; capture the answers in cwtt later.",
            "",
        ),
    ]
    note = _fallback_note(instrument, lang)
    if note:
        lines += _wrap(note, "")
    if instrument.notices:
        lines += ["", "Published scales in this form:"]
        for notice in instrument.notices:
            lines += _wrap(f"* {notice.name}. {notice.source}", "  ", "  ")
            lines += _wrap(notice.text.get(lang), "    ")
    lines.append("")
    for label in FILL_IN:
        lines += ["", f"{label + ':':<15} " + "_" * 40]
    number = 0
    for index, section in enumerate(instrument.sections, start=1):
        heading = f"Section {index}: {section.title.get(lang)}  [domain: {section.domain}]"
        lines += ["", "", "=" * WIDTH, *_wrap(heading, ""), "=" * WIDTH]
        if section.intro is not None:
            lines += _wrap(section.intro.get(lang), "")
        for question in section.questions:
            number += 1
            flags = _flags(question)
            head = f"{number}. [{question.id}] {question.label.get(lang)}"
            lines += ["", *_wrap(head + (f"  ({flags})" if flags else ""), "", "    ")]
            details = _details(question, lang)
            width = max((len(d.code) for d in details if d.kind == "choice"), default=0)
            for detail in details:
                if detail.kind == "choice":
                    line = f"[ ] {detail.code:<{width}}  {detail.text}"
                    lines += _wrap(line, "    ", " " * (width + 6))
                elif detail.kind == "blank":
                    lines.append(f"    Answer: {_BLANKS[detail.code]} {detail.text}".rstrip())
                else:
                    lines += _wrap(detail.text, "    ", "  ")
    lines += ["", "", f"End of {instrument.id} {instrument.version}."]
    return "\n".join(line.rstrip() for line in lines) + "\n"


_CSS = """
@page { size: A4; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.35;
       color: #000; background: #fff; margin: 0 auto; max-width: 182mm; }
h1 { font-size: 17pt; margin: 0 0 2pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; padding: 3pt 0; border-bottom: 2px solid #000;
     break-after: avoid; page-break-after: avoid; }
.meta, .note, .notice { font-size: 9.5pt; margin: 2pt 0; }
.notices { border: 1px solid #666; padding: 4pt 6pt; margin: 6pt 0; }
table.fill { width: 100%; border-collapse: collapse; margin: 8pt 0; }
table.fill th { text-align: left; width: 28mm; font-weight: normal; padding: 6pt 4pt 2pt 0; }
table.fill td { border-bottom: 1px solid #000; }
.intro { font-style: italic; margin: 2pt 0 6pt; }
.q { border-top: 1px solid #999; padding: 5pt 0 4pt; break-inside: avoid; page-break-inside: avoid; }
.q .label { font-weight: bold; }
.id { font-family: "Courier New", monospace; font-weight: bold; border: 1px solid #000;
      padding: 0 3pt; margin-right: 4pt; }
.flags { font-weight: normal; font-size: 9pt; }
.d { margin: 1pt 0 1pt 8mm; }
.skip, .check { font-size: 9.5pt; }
.say { font-style: italic; }
.disclosure { border-left: 3px solid #000; padding-left: 4pt; }
.choice { margin-left: 8mm; }
.box { display: inline-block; width: 3.6mm; height: 3.6mm; border: 1px solid #000;
       vertical-align: -0.5mm; margin-right: 2mm; }
.code { font-family: "Courier New", monospace; display: inline-block; min-width: 20mm; }
.blank { display: inline-block; min-width: 45mm; height: 6mm; border-bottom: 1px solid #000; }
.blank.wide { min-width: 140mm; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_detail(detail: _Line) -> str:
    if detail.kind == "choice":
        return (
            f'<div class="d choice"><span class="box"></span>'
            f'<span class="code">{_e(detail.code)}</span> {_e(detail.text)}</div>'
        )
    if detail.kind == "blank":
        wide = " wide" if detail.code == "text" else ""
        return f'<div class="d">Answer: <span class="blank{wide}"></span> {_e(detail.text)}</div>'

    return f'<div class="d {detail.kind}">{_e(detail.text)}</div>'


def render_html(instrument: Instrument, lang: str = "en") -> str:
    """The paper form as one self-contained HTML page that prints on A4; all text is escaped."""
    title = instrument.title.get(lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(title)} ({_e(instrument.id)} {_e(instrument.version)})</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">Instrument: <b>{_e(instrument.id)}</b> &middot; Version: '
        f"{_e(instrument.version)} &middot; Respondent: {_e(instrument.respondent)} &middot; "
        f"Language: {_e(_language(lang))}</p>",
        '<p class="meta">Paper form for days when the laptop cannot be used. Write each answer '
        "beside its question id; capture the answers in cwtt later.</p>",
    ]
    note = _fallback_note(instrument, lang)
    if note:
        parts.append(f'<p class="note">{_e(note)}</p>')
    if instrument.notices:
        parts.append('<div class="notices"><b>Published scales in this form</b>')
        for notice in instrument.notices:
            parts.append(
                f'<p class="notice"><b>{_e(notice.name)}</b>. {_e(notice.source)}<br>'
                f"{_e(notice.text.get(lang))}</p>"
            )
        parts.append("</div>")
    parts.append('<table class="fill">')
    parts += [f"<tr><th>{_e(label)}:</th><td>&nbsp;</td></tr>" for label in FILL_IN]
    parts.append("</table>")
    number = 0
    for index, section in enumerate(instrument.sections, start=1):
        parts.append(f'<section id="section-{_e(section.id)}">')
        parts.append(
            f"<h2>Section {index}: {_e(section.title.get(lang))} "
            f'<span class="flags">[domain: {_e(section.domain)}]</span></h2>'
        )
        if section.intro is not None:
            parts.append(f'<p class="intro">{_e(section.intro.get(lang))}</p>')
        for question in section.questions:
            number += 1
            flags = _flags(question)
            parts.append(
                f'<div class="q" id="q-{_e(question.id)}"><div class="label">{number}. '
                f'<span class="id">{_e(question.id)}</span>{_e(question.label.get(lang))}'
                + (f' <span class="flags">({_e(flags)})</span>' if flags else "")
                + "</div>"
            )
            parts += [_html_detail(detail) for detail in _details(question, lang)]
            parts.append("</div>")
        parts.append("</section>")
    parts += [f'<p class="meta">End of {_e(instrument.id)} {_e(instrument.version)}.</p>']
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
