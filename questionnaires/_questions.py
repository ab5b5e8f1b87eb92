"""Building and checking the questions of an instrument file (a helper of the loader)."""

from __future__ import annotations

import keyword
import re
from typing import TYPE_CHECKING

from questionnaires.conditions import FUNCTIONS, Condition, ConditionError, parse
from questionnaires.model import (
    FACT_NAMES,
    QUESTION_TYPES,
    Choice,
    Derived,
    Question,
    Section,
    Variant,
)

if TYPE_CHECKING:
    from questionnaires._builder import Builder

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
QUESTION_KEYS = {"id", "type", "label", "hint", "say", "required", "relevant", "constraint"}
QUESTION_KEYS |= {"constraint_message", "min", "max", "unit", "choices", "choices_only"}
QUESTION_KEYS |= {"sensitive", "disclosure", "disclosure_if", "variants", "ref", "subscale"}
VARIANT_KEYS = {"when", "label"}
CHOICE_TYPES = ("single", "multiple", "yes_no")
NUMBER_TYPES = ("integer", "decimal")
#: Values the registration facts can take, so ``sex == "boy"`` is caught at load time.
FACT_CODES: dict[str, tuple[str, ...]] = {"sex": ("male", "female")}


class QuestionBuilder:
    """Builds every question of a file, then checks the names and literals in its expressions."""

    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.index = 0
        self.first_line: dict[str, int] = {}
        self.occurrences: dict[str, int] = {}
        #: (question id, key) -> line, for expression problems found after building.
        self.lines: dict[tuple[str, str], int] = {}

    def line(self, index: int, qid: str, key: str | None = None) -> int:
        occurrence = self.occurrences.get(qid, 1) - 1
        return self.b.src.question(index, qid, key, occurrence)

    def build_many(self, section_id: str, raw: list[object]) -> list[Question]:
        built: list[Question] = []
        for item in raw:
            question = self.build(section_id, item, self.index)
            self.index += 1
            if question is not None:
                built.append(question)
        return built

    def build(self, section_id: str, item: object, index: int) -> Question | None:
        b = self.b
        if not isinstance(item, dict):
            b.problem(self.line(index, ""), "a question must be a table")
            return None
        qid = item.get("id")
        if not isinstance(qid, str):
            b.problem(self.line(index, ""), f"question id {qid!r} is missing or not text")
            return None
        self.occurrences[qid] = self.occurrences.get(qid, 0) + 1
        line = self.line(index, qid)
        where = f"question {qid}: "
        b.unknown_keys(item, QUESTION_KEYS, where, lambda key: self.line(index, qid, key))
        if not ID_PATTERN.match(qid) or keyword.iskeyword(qid) or qid in FUNCTIONS:
            b.problem(line, f"question id {qid!r} must be snake_case and not a keyword")
        if qid in FACT_NAMES:
            b.problem(line, f"{where}{qid} is registration data, not a question")
        if qid in self.first_line:
            b.problem(line, f"{where}duplicate id (first used on line {self.first_line[qid]})")
        self.first_line.setdefault(qid, line)

        qtype = item.get("type")
        if qtype not in QUESTION_TYPES:
            b.problem(
                self.line(index, qid, "type"),
                f"{where}type {qtype!r} is not one of {', '.join(QUESTION_TYPES)}",
            )
            return None
        label = b.text(
            item.get("label"), f"question {qid}", "label", self.line(index, qid, "label")
        )
        texts = {}
        for key in ("hint", "say", "constraint_message", "disclosure"):
            line_of_key = self.line(index, qid, key)
            texts[key] = b.text(item.get(key), f"question {qid}", key, line_of_key, False)
        flags = {}
        for key in ("required", "sensitive"):
            value = item.get(key, False)
            if not isinstance(value, bool):
                b.problem(self.line(index, qid, key), f"{where}{key} must be true or false")
            flags[key] = value is True
        conditions = {}
        for key in ("relevant", "constraint", "disclosure_if"):
            conditions[key] = self.expression(item.get(key), qid, key, index)
        if (item.get("constraint") is None) != (item.get("constraint_message") is None):
            b.problem(line, f"{where}constraint and constraint_message go together")
        if (item.get("disclosure") is None) != (item.get("disclosure_if") is None):
            b.problem(line, f"{where}disclosure and disclosure_if go together")
        choice_list, choices = self.choices(item, qid, qtype, index)
        minimum, maximum, unit = self.limits(item, qid, qtype, index)
        if qtype == "note" and (flags["required"] or item.get("constraint") is not None):
            b.problem(line, f"{where}a note cannot be required or constrained")
        variants = self.variants(item.get("variants", []), qid, index)
        ref, subscale = item.get("ref"), item.get("subscale")
        for key, value in (("ref", ref), ("subscale", subscale)):
            if value is not None and not isinstance(value, str):
                b.problem(self.line(index, qid, key), f"{where}{key} must be text")
        if label is None:
            return None
        return Question(
            id=qid,
            type=qtype,
            label=label,
            section=section_id,
            line=line,
            hint=texts["hint"],
            say=texts["say"],
            required=flags["required"],
            relevant=conditions["relevant"],
            constraint=conditions["constraint"],
            constraint_message=texts["constraint_message"],
            minimum=minimum,
            maximum=maximum,
            unit=unit,
            choice_list=choice_list,
            choices=choices,
            sensitive=flags["sensitive"],
            disclosure=texts["disclosure"],
            disclosure_if=conditions["disclosure_if"],
            variants=variants,
            ref=ref if isinstance(ref, str) else None,
            subscale=subscale if isinstance(subscale, str) else None,
        )

    def expression(self, source: object, qid: str, key: str, index: int) -> Condition | None:
        if source is None:
            return None
        line = self.line(index, qid, key)
        self.lines[(qid, key)] = line
        try:
            return parse(source)  # type: ignore[arg-type]
        except ConditionError as exc:
            self.b.problem(line, f"question {qid}: {key}: {exc.message}")
            return None

    def choices(
        self, item: dict[str, object], qid: str, qtype: str, index: int
    ) -> tuple[str | None, tuple[Choice, ...]]:
        b, where = self.b, f"question {qid}: "
        name = item.get("choices")
        only = item.get("choices_only")
        line = self.line(index, qid, "choices")
        if qtype not in CHOICE_TYPES:
            if name is not None or only is not None:
                b.problem(line, f"{where}a {qtype} question takes no choices")
            return None, ()
        if name is None and qtype == "yes_no":
            name = "yes_no"
        if not isinstance(name, str):
            b.problem(line, f"{where}a {qtype} question needs choices = <name of a choice list>")
            return None, ()
        if name not in b.choice_lists:
            b.problem(line, f"{where}choice list {name!r} does not exist")
            return name, ()
        choices = b.choice_lists[name]
        if qtype == "yes_no" and [c.code for c in choices] != ["yes", "no"]:
            b.problem(line, f"{where}a yes_no question needs a list coded yes, no")
        if only is not None:
            codes = [c.code for c in choices]
            if not isinstance(only, list) or not only or any(c not in codes for c in only):
                b.problem(
                    self.line(index, qid, "choices_only"),
                    f"{where}choices_only must list codes of {name!r} ({codes})",
                )
            else:
                choices = tuple(c for c in choices if c.code in only)
        if qtype != "multiple" and any(c.exclusive for c in choices):
            b.problem(line, f"{where}exclusive choices only make sense in a multiple question")
        return name, choices

    def limits(
        self, item: dict[str, object], qid: str, qtype: str, index: int
    ) -> tuple[int | float | None, int | float | None, str | None]:
        b, where = self.b, f"question {qid}: "
        minimum, maximum, unit = item.get("min"), item.get("max"), item.get("unit")
        if qtype not in NUMBER_TYPES:
            for key, value in (("min", minimum), ("max", maximum), ("unit", unit)):
                if value is not None:
                    b.problem(self.line(index, qid, key), f"{where}a {qtype} question has no {key}")
            return None, None, None
        wanted = int if qtype == "integer" else (int, float)
        for key, value in (("min", minimum), ("max", maximum)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, wanted)):
                b.problem(self.line(index, qid, key), f"{where}{key} must be a number")
                return None, None, None
        if minimum is not None and maximum is not None and minimum > maximum:
            b.problem(self.line(index, qid, "min"), f"{where}min is larger than max")
        if unit is not None and (not isinstance(unit, str) or not unit.strip()):
            b.problem(self.line(index, qid, "unit"), f"{where}unit must be text")
            unit = None
        if qtype == "decimal" and unit is None:
            b.problem(self.line(index, qid), f"{where}a decimal question needs a unit")
        return minimum, maximum, unit

    def variants(self, raw: object, qid: str, index: int) -> tuple[Variant, ...]:
        line = self.line(index, qid, "variants")
        if not isinstance(raw, list):
            self.b.problem(line, f"question {qid}: variants must be a list")
            return ()
        out: list[Variant] = []
        for number, item in enumerate(raw, start=1):
            if not isinstance(item, dict):
                self.b.problem(line, f"question {qid}: variant {number} must be a table")
                continue
            self.b.unknown_keys(item, VARIANT_KEYS, f"question {qid}: variant {number}: ", line)
            key = f"variants[{number}].when"
            when = self.expression(item.get("when"), qid, key, index)
            self.lines[(qid, key)] = line
            label = self.b.text(
                item.get("label"), f"question {qid}: variant {number}", "label", line
            )
            if when is None and item.get("when") is None:
                self.b.problem(line, f"question {qid}: variant {number} needs when")
            if when is not None and label is not None:
                out.append(Variant(when, label))
        return tuple(out)

    def check_conditions(self, sections: list[Section], derived: tuple[Derived, ...]) -> None:
        """Every expression reads known names; skip logic reads only earlier answers; literals
        compared with a choice question are among its codes."""
        questions = [q for s in sections for q in s.questions]
        position = {q.id: n for n, q in enumerate(questions)}
        by_id = {q.id: q for q in questions}
        reads = _derived_reads(derived)
        # Ids of questions that failed to build still count as known: their own problem is
        # already reported, and a second one about every condition reading them would be noise.
        known = set(self.first_line) | set(reads) | set(FACT_NAMES)
        for question in questions:
            expressions = [
                ("relevant", question.relevant),
                ("constraint", question.constraint),
                ("disclosure_if", question.disclosure_if),
            ]
            expressions += [
                (f"variants[{n}].when", v.when) for n, v in enumerate(question.variants, start=1)
            ]
            for key, condition in expressions:
                if condition is None:
                    continue
                line = self.lines.get((question.id, key), question.line)
                where = f"question {question.id}: {key}"
                unknown = sorted(condition.names - known)
                if unknown:
                    self.b.problem(line, f"{where} names an unknown question: {', '.join(unknown)}")
                    continue
                if key == "relevant" or key.startswith("variants"):
                    self.check_order(question, condition, position, reads, line, where)
                self.check_literals(condition, by_id, line, where)

    def check_order(
        self,
        question: Question,
        condition: Condition,
        position: dict[str, int],
        reads: dict[str, set[str]],
        line: int,
        where: str,
    ) -> None:
        here = position[question.id]
        names = set(condition.names)
        for name in condition.names & set(reads):
            names |= reads[name]
        later = sorted(n for n in names if n in position and position[n] >= here)
        if later:
            self.b.problem(
                line,
                f"{where} reads {', '.join(later)}, which is not asked before this question; "
                "skip logic may only use earlier answers",
            )

    def check_literals(
        self, condition: Condition, by_id: dict[str, Question], line: int, where: str
    ) -> None:
        for name, literal in condition.compared:
            if name in FACT_CODES:
                codes: list[object] = list(FACT_CODES[name])
            elif name in by_id and by_id[name].type in CHOICE_TYPES and by_id[name].choices:
                codes = [c.code for c in by_id[name].choices]
            else:
                continue
            if not any(type(code) is type(literal) and code == literal for code in codes):
                shown = ", ".join(repr(c) for c in codes)
                self.b.problem(
                    line, f"{where} compares {name} with {literal!r}, which is not one of {shown}"
                )


def _derived_reads(derived: tuple[Derived, ...]) -> dict[str, set[str]]:
    """For each derived value, every name it reads directly or through other derived values."""
    direct = {d.name: set(d.expression.names) for d in derived}
    out: dict[str, set[str]] = {}
    for name in direct:
        seen: set[str] = set()
        stack = list(direct[name])
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(direct.get(current, ()))
        out[name] = seen
    return out
