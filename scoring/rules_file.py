"""Rule files: load and check a TOML file of rules (cwtt default rules v1 ships as data)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from questionnaires.conditions import ConditionError
from questionnaires.model import DOMAINS
from scoring._inputs import input_names
from scoring._kleene import Compiled, compile_condition
from scoring.errors import ScoringError

__all__ = [
    "DOMAINS",
    "LEVELS",
    "RULE_LEVELS",
    "Rule",
    "RuleSet",
    "RulesFileError",
    "default_rules",
    "load_rules",
    "parse_rules",
]

#: Levels a domain can have, worst first.
LEVELS = ("high", "medium", "low", "incomplete")
#: Levels a rule can give; a note is reported but never raises a domain's level.
RULE_LEVELS = ("high", "medium", "note")
URGENT_REFERRALS = ("caregiver", "child")

_TOP_KEYS = {"id", "name", "version", "description", "params", "rules"}
_RULE_KEYS = {
    "id",
    "domain",
    "level",
    "when",
    "needs",
    "reason",
    "source",
    "mandatory_report",
    "urgent_referral",
}
_RULE_ID = re.compile(r"^[a-z]+\.[a-z0-9_]+$")
_PARAM = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_TOML_LINE = re.compile(r"line (\d+)")


class RulesFileError(ScoringError):
    """A rules file that cannot be used; ``problems`` holds each ``file:line: what`` line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        if len(problems) == 1:
            message = f"{problems[0]}."
        else:
            message = f"{len(problems)} problems in the rules file, the first: {problems[0]}."
        super().__init__(message)


@dataclass(frozen=True)
class Rule:
    """One rule: when ``when`` holds, the domain reaches ``level`` for ``reason``."""

    id: str
    domain: str
    level: str
    when: Compiled
    needs: tuple[str, ...]
    reason: str
    source: str
    mandatory_report: bool = False
    urgent_referral: str | None = None
    line: int = 0

    @property
    def reads(self) -> tuple[str, ...]:
        """The inputs and parameters the condition and the reason read, condition first."""
        names = [*self.when.names, *_PLACEHOLDER.findall(self.reason)]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class RuleSet:
    """A loaded, checked rules file."""

    id: str
    name: str
    version: str
    params: tuple[tuple[str, float], ...]
    rules: tuple[Rule, ...]
    path: str
    digest: str

    @property
    def rules_version(self) -> str:
        """``id@version``, stored beside every result."""
        return f"{self.id}@{self.version}"

    def by_domain(self, domain: str) -> tuple[Rule, ...]:
        """The rules of one domain, in file order."""
        return tuple(rule for rule in self.rules if rule.domain == domain)

    def resolve_params(self, overrides: Mapping[str, object] | None) -> dict[str, float]:
        """The file's parameters with ``overrides`` applied.

        Raises:
            ScoringError: an override names an unknown parameter or is not a number.
        """
        values = dict(self.params)
        for name, value in (overrides or {}).items():
            if name not in values:
                known = ", ".join(values) or "none"
                raise ScoringError(
                    f"There is no rule parameter {name}; the parameters are: {known}."
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ScoringError(f"The rule parameter {name} must be a number; give a number.")
            values[name] = value
        return values


def default_rules() -> RuleSet:
    """cwtt default rules v1, shipped as ``scoring/rules/default_v1.toml`` (loaded once)."""
    global _DEFAULT
    if _DEFAULT is None:
        text = resources.files("scoring").joinpath("rules", "default_v1.toml").read_text("utf-8")
        _DEFAULT = parse_rules(text, "scoring/rules/default_v1.toml")
    return _DEFAULT


_DEFAULT: RuleSet | None = None


def load_rules(path: Path | str) -> RuleSet:
    """Load and check a rules file.

    Raises:
        RulesFileError: the file cannot be read, is not TOML, or has any problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise RulesFileError([f"{path}:1: cannot read the rules file ({reason})"]) from exc
    return parse_rules(text, str(path))


def parse_rules(text: str, path: str = "<rules>") -> RuleSet:
    """Check the text of a rules file; ``path`` names it in messages.

    Raises:
        RulesFileError: not TOML, or any problem with the keys, a rule or a parameter.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else 1
        reason = str(exc).split(" (at ")[0]
        raise RulesFileError([f"{path}:{line}: not valid TOML ({reason})"]) from None
    checker = _Checker(path, text)
    ruleset = checker.build(data)
    if checker.problems or ruleset is None:
        raise RulesFileError(checker.problems)
    return ruleset


class _Checker:
    """Builds a RuleSet, collecting every problem with its line."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.rule_lines = [
            n for n, line in enumerate(self.lines, 1) if re.match(r"^\s*\[\[\s*rules\s*\]\]", line)
        ]
        self.problems: list[str] = []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path}:{line}: {message}")

    def key_line(self, key: str, index: int | None = None) -> int:
        """The line of ``key`` in the ``index``-th ``[[rules]]`` (or at the top); else its start."""
        if index is None:
            start, end = 1, (self.rule_lines[0] - 1 if self.rule_lines else len(self.lines))
        elif index < len(self.rule_lines):
            start = self.rule_lines[index]
            following = [n for n in self.rule_lines if n > start]
            end = following[0] - 1 if following else len(self.lines)
        else:
            return 1
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(start, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start

    def build(self, data: dict[str, object]) -> RuleSet | None:
        for key in sorted(set(data) - _TOP_KEYS):
            self.fail(
                self.key_line(key), f"unknown key {key!r} (known: {', '.join(sorted(_TOP_KEYS))})"
            )
        head = {}
        for key in ("id", "name", "version"):
            value = data.get(key)
            if not isinstance(value, str) or not value.strip():
                self.fail(self.key_line(key), f'{key} must be text, e.g. {key} = "..."')
            head[key] = str(value)
        params = self.params(data.get("params", {}))
        known = input_names() | set(params)
        rules_data = data.get("rules")
        if not isinstance(rules_data, list) or not rules_data:
            self.fail(self.key_line("rules"), "there are no [[rules]]")
            return None
        rules: list[Rule] = []
        seen: set[str] = set()
        for index, entry in enumerate(rules_data):
            rule = self.rule(index, entry, known, set(params))
            if rule is None:
                continue
            if rule.id in seen:
                self.fail(rule.line, f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
            rules.append(rule)
        if self.problems:
            return None
        canonical = repr((head, sorted(params.items()), rules_data)).encode("utf-8")
        return RuleSet(
            head["id"],
            head["name"],
            head["version"],
            tuple(params.items()),
            tuple(rules),
            self.path,
            hashlib.sha256(canonical).hexdigest()[:16],
        )

    def params(self, table: object) -> dict[str, float]:
        if not isinstance(table, dict):
            self.fail(self.key_line("params"), "[params] must be a table of numbers")
            return {}
        params: dict[str, float] = {}
        for name, value in table.items():
            line = next(
                (n for n, text in enumerate(self.lines, 1) if re.match(rf"^\s*{name}\s*=", text)),
                1,
            )
            if not _PARAM.match(name):
                self.fail(line, f"parameter name {name!r} must be lower case letters, digits, _")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(line, f"parameter {name} must be a number")
            else:
                params[name] = value
        return params

    def rule(self, index: int, entry: object, known: set[str], params: set[str]) -> Rule | None:
        if not isinstance(entry, dict):
            self.fail(self.key_line("rules"), "each [[rules]] entry must be a table")
            return None
        problems_before = len(self.problems)
        rule_id = entry.get("id")
        label = f"rule {rule_id}" if isinstance(rule_id, str) else f"rule {index + 1}"
        line = self.key_line("id", index)

        def fail(key: str, message: str) -> None:
            self.fail(self.key_line(key, index), f"{label}: {message}")

        for key in sorted(set(entry) - _RULE_KEYS):
            fail(key, f"unknown key {key!r} (known: {', '.join(sorted(_RULE_KEYS))})")
        for key in ("id", "domain", "level", "when", "reason", "source"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                fail(key, f"{key} is missing (it must be text)")
        domain, level = entry.get("domain"), entry.get("level")
        if isinstance(domain, str) and domain not in DOMAINS:
            fail("domain", f"unknown domain {domain!r} (use one of {', '.join(DOMAINS)})")
        if isinstance(level, str) and level not in RULE_LEVELS:
            fail("level", f"unknown level {level!r} (use one of {', '.join(RULE_LEVELS)})")
        if (
            isinstance(rule_id, str)
            and domain in DOMAINS
            and (not _RULE_ID.match(rule_id) or rule_id.split(".")[0] != domain)
        ):
            fail("id", f"the id must be {domain}.<name> (lower case, digits, _)")

        when: Compiled | None = None
        if isinstance(entry.get("when"), str):
            try:
                when = compile_condition(entry["when"], known)
            except ConditionError as exc:
                fail("when", f"the condition is not valid: {exc.message}")
        needs = entry.get("needs")
        if needs is None and when is not None:
            needs = [name for name in when.names if name not in params]
        if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
            if needs is not None:
                fail("needs", 'needs must be a list of input names, e.g. ["growth.haz"]')
            needs = []
        for name in needs:
            if name not in known - params:
                fail("needs", f"needs names an unknown input {name!r}")
        reason = entry.get("reason")
        if isinstance(reason, str):
            for name in _PLACEHOLDER.findall(reason):
                if name not in known:
                    fail("reason", f"the reason fills in an unknown input {{{name}}}")
        mandatory = entry.get("mandatory_report", False)
        if not isinstance(mandatory, bool):
            fail("mandatory_report", "mandatory_report must be true or false")
        elif mandatory and level != "high":
            fail("mandatory_report", "only a high rule can open the mandatory-report prompt")
        urgent = entry.get("urgent_referral")
        if urgent is not None and urgent not in URGENT_REFERRALS:
            fail("urgent_referral", f"urgent_referral must be one of {', '.join(URGENT_REFERRALS)}")
        if len(self.problems) > problems_before or when is None:
            return None
        return Rule(
            id=rule_id,
            domain=domain,
            level=level,
            when=when,
            needs=tuple(needs),
            reason=reason,
            source=entry["source"],
            mandatory_report=bool(mandatory),
            urgent_referral=urgent,
            line=line,
        )
