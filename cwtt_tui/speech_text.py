"""Text for a speech engine: markup and control characters removed, capped, options numbered."""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_CHARS = 2000

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")
# Rich's own rule: a tag opens with a lowercase letter, '#', '@' or '/'; "\[" is a literal bracket.
_RICH_TAG = re.compile(r"(?<!\\)\[(?:[a-z#@/][^\[\]]*)?\]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_SPACES = re.compile(r"[ \t]+")


def clean_text(text: str, limit: int = MAX_CHARS) -> str:
    """Text as a voice should read it: no markup, one sentence per line, at most `limit` chars.

    Removes Rich tags (`[b]`, `[/]`), Markdown emphasis and links, control characters and
    square brackets (which `say` would read as embedded commands). A line without closing
    punctuation gets a full stop, so options are read as separate phrases.
    """
    text = _ANSI.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _RICH_TAG.sub("", text)
    text = text.replace("\\[", "[").replace("[", "").replace("]", "")
    text = text.replace("**", "").replace("__", "").replace("*", "").replace("`", "")
    text = _CONTROL.sub(lambda m: "\n" if m.group() == "\r" else " ", text)
    sentences = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", _MD_HEADING.sub("", raw)).strip()
        if not line:
            continue
        if line[-1] not in ".?!:;,":
            line += "."
        sentences.append(line)
    return _cap(" ".join(sentences), limit)


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    # End on a whole sentence when one ends in the second half; else on a whole word.
    end = max(cut.rfind(mark) for mark in (". ", "? ", "! "))
    if end >= limit // 2:
        return cut[: end + 1]
    space = cut.rfind(" ")
    return cut[:space] if space > 0 else cut


def reading(question: str, options: Sequence[str] = (), *, hint: str = "") -> str:
    """What the read-aloud key says: the question, the hint, then "1: Yes." for each option.

    Numbers stay digits so the voice says them in its own language.
    """
    lines = [question]
    if hint:
        lines.append(hint)
    lines += [f"{number}: {option}" for number, option in enumerate(options, start=1)]
    return "\n".join(lines)


# --- voices -----------------------------------------------------------------------------------
