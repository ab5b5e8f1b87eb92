"""Paper forms: every shipped instrument prints as text and HTML, with ids, codes and its wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questionnaires.loader import instrument_paths, load_all, load_instrument
from questionnaires.model import Instrument
from questionnaires.paper import FILL_IN, render_html, render_text

INSTRUMENTS = load_all()
IDS = sorted(INSTRUMENTS)

MINI = """\
id = "mini"
version = "1.0"
respondent = "caregiver"
title.en = "Mini <form> & co"

[choices]
yes_no = [
  { code = "yes", label.en = "Yes <b>really</b>" },
  { code = "no", label.en = "No" },
]

[[sections]]
id = "food"
domain = "nutrition"
title.en = "Food"

[[sections.questions]]
id = "hungry"
type = "yes_no"
label.en = "Is 3 < 5 & <script>alert(1)</script>?"
say.en = "Say it \\"loud\\""

[[sections.questions]]
id = "days"
type = "integer"
label.en = "How many days?"
hint.en = "Count <all> of them."
min = 0
max = 30
unit = "days"
relevant = 'hungry == "yes"'
required = true
sensitive = true
"""


@pytest.fixture
def mini(tmp_path: Path) -> Instrument:
    path = tmp_path / "mini.toml"
    path.write_text(MINI, encoding="utf-8")
    return load_instrument(path)


@pytest.mark.parametrize("instrument_id", IDS)
def test_text_form_has_every_question_id_and_code(instrument_id: str) -> None:
    """Each question appears as `[id]`, and every answer option with its code and a tick box."""
    instrument = INSTRUMENTS[instrument_id]
    text = render_text(instrument)
    assert text.startswith(instrument.title.get().upper())
    assert f"Version: {instrument.version}" in text
    for question in instrument.questions:
        assert f"[{question.id}]" in text, question.id
        for choice in question.choices:
            assert re.search(rf"\[ \] {re.escape(str(choice.code))} +", text), choice.code
    for section in instrument.sections:
        assert f"[domain: {section.domain}]" in text
    for label in FILL_IN:
        assert f"{label}:" in text


@pytest.mark.parametrize("instrument_id", IDS)
def test_html_form_has_every_question_id_and_code(instrument_id: str) -> None:
    instrument = INSTRUMENTS[instrument_id]
    page = render_html(instrument)
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4" in page
    for question in instrument.questions:
        assert f'<span class="id">{question.id}</span>' in page, question.id
        for choice in question.choices:
            assert f'<span class="code">{choice.code}</span>' in page
    assert page.count('<span class="box"></span>') == sum(
        len(q.choices) for q in instrument.questions
    )


@pytest.mark.parametrize("instrument_id", IDS)
def test_html_is_self_contained(instrument_id: str) -> None:
    """No scripts, links, images or fonts fetched from anywhere: it prints offline."""
    page = render_html(INSTRUMENTS[instrument_id])
    for forbidden in ("<script", "<link", "<img", "src=", "http://", "https://", "@import"):
        assert forbidden not in page


@pytest.mark.parametrize("path", instrument_paths(), ids=lambda p: p.stem)
def test_text_is_ascii_apart_from_the_instrument_wording(path: Path) -> None:
    """Every non-ASCII character printed comes from the instrument file itself."""
    text = render_text(load_instrument(path))
    source = path.read_text(encoding="utf-8")
    assert {c for c in text if ord(c) > 127} <= set(source)


def test_psc_item_1_wording_and_published_notices_appear() -> None:
    caregiver = INSTRUMENTS["caregiver"]
    for rendered in (render_text(caregiver), render_html(caregiver)):
        page = " ".join(rendered.split())  # the text form wraps long lines
        assert "psc_1" in page
        assert "Fidgety, unable to sit still" in page
        assert "Pediatric Symptom Checklist-17 (PSC-17)" in page
        assert "No permission required to reproduce" in page


def test_skip_logic_units_limits_and_sensitive_items_in_plain_words(mini: Instrument) -> None:
    text = render_text(mini)
    assert 'Ask only if: hungry == "yes"' in text
    assert "(write a whole number; min 0, max 30)" in text
    assert "Answer: ____________ days" in text
    assert "[days] How many days?  (required, trained staff only)" in text
    assert 'Say: Say it "loud"' in text
    assert "Hint: Count <all> of them." in text


def test_html_escapes_every_text(mini: Instrument) -> None:
    page = render_html(mini)
    assert "<script>" not in page
    assert "Is 3 &lt; 5 &amp; &lt;script&gt;alert(1)&lt;/script&gt;?" in page
    assert "Yes &lt;b&gt;really&lt;/b&gt;" in page
    assert "<title>Mini &lt;form&gt; &amp; co (mini 1.0)</title>" in page
    assert "Count &lt;all&gt; of them." in page
    assert "&quot;loud&quot;" in page


def test_another_language_falls_back_to_english_and_says_so(mini: Instrument) -> None:
    text = render_text(mini, "zu")
    assert "Language: isiZulu (zu)" in text
    assert "texts have no isiZulu (zu) translation yet; they are shown in English." in text
    assert "How many days?" in text
    assert "translation yet" not in render_text(mini, "en")
