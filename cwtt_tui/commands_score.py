"""The `cwtt score` verb: one child's answers (or a JSON Lines file of many) to scored JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cwtt_tui.errors import UsageError
from scoring.errors import ScoringError
from scoring.rules_engine import Assessment, assess, default_rules, load_rules
from scoring.rules_file import RuleSet, RulesFileError

__all__ = ["add_score_command", "cmd_score", "score_record"]

#: Keys of one child's record; the answers are keyed by the question ids of the questionnaires.
RECORD_KEYS = ("child", "interview_date", "caregiver", "teacher", "health", "child_self")


def score_record(record: object, rules: RuleSet, params: dict[str, object]) -> Assessment:
    """Score one child's record as `cwtt score` reads it.

    Raises:
        ScoringError: the record is not an object of the known keys, or an answer is impossible.
    """
    if not isinstance(record, dict):
        raise ScoringError("The record is not a JSON object with the child's answers.")
    unknown = sorted(set(record) - set(RECORD_KEYS))
    if unknown:
        raise ScoringError(
            f"The record has an unknown key {unknown[0]!s:.40}; use only {', '.join(RECORD_KEYS)}."
        )
    answers = {key: record.get(key) for key in ("caregiver", "teacher", "health", "child_self")}
    return assess(answers, record.get("child"), record.get("interview_date"), rules, params)


def _sentence(message: str) -> str:
    return message[:1].lower() + message[1:] if message[:2] != message[:2].upper() else message


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"There is no answers file {path}; check the path.") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not an answers file; name the file.") from None
    except OSError as exc:
        raise UsageError(f"Cannot read the answers file {path} ({exc.strerror}).") from exc
    except UnicodeDecodeError:
        raise UsageError(f"The answers file {path} is not UTF-8 text; save it as UTF-8.") from None


def _records(path: Path, text: str) -> tuple[bool, list[tuple[int, object]]]:
    """``(is_lines, [(line number, record)])``: one JSON document, or JSON Lines."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise UsageError(f"The answers file {path} is empty; give one child's answers as JSON.")
    if path.suffix.lower() != ".jsonl":
        try:
            return False, [(1, json.loads(text))]
        except json.JSONDecodeError as exc:
            if len(lines) == 1:
                raise UsageError(
                    f"The answers file {path} is not JSON ({exc.msg} at line {exc.lineno}); "
                    "fix the file."
                ) from None
    records = []
    for number, line in lines:
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise UsageError(
                f"Line {number} of {path} is not JSON ({exc.msg}); "
                "give one child's answers per line."
            ) from None
    return True, records


def _rules(name: str | None) -> RuleSet:
    if name is None:
        return default_rules()
    try:
        return load_rules(Path(name).expanduser())
    except RulesFileError as exc:
        if len(exc.problems) > 1:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            raise UsageError(
                f"The rules file {name} has {len(exc.problems)} problems; see above."
            ) from exc
        raise UsageError(str(exc)) from exc


def cmd_score(args: argparse.Namespace) -> int:
    """Print the scored JSON of one child, or one line per child of a JSON Lines file."""
    rules = _rules(args.rules)
    params: dict[str, object] = {}
    if args.absence_days is not None:
        if args.absence_days < 0:
            raise UsageError("--absence-days must be 0 or more; give a number of school days.")
        params["absence_days"] = args.absence_days
    path = Path(args.answers).expanduser()
    is_lines, records = _records(path, _read(path))
    results = []
    for number, record in records:
        try:
            results.append(score_record(record, rules, params).to_dict())
        except ScoringError as exc:
            where = f"Line {number} of {path}" if is_lines else f"In {path}"
            raise UsageError(f"{where}: {_sentence(str(exc))}") from exc
    if is_lines:
        for result in results:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(json.dumps(results[0], ensure_ascii=False, indent=2) + "\n")
    return 0


def add_score_command(verbs: argparse._SubParsersAction) -> None:
    """Add `cwtt score --answers FILE [--rules FILE] [--absence-days N]` to ``verbs``."""
    score = verbs.add_parser(
        "score",
        help="score one child's answers (JSON) or many (JSON Lines) and print the levels as JSON",
        description="Score answers with the rules, without a store; see the README (cwtt score).",
    )
    score.add_argument(
        "--answers",
        metavar="FILE",
        required=True,
        help="one child's answers as JSON, or one child per line (.jsonl, JSON Lines)",
    )
    score.add_argument(
        "--rules",
        metavar="FILE",
        help="a rules file in TOML (default: cwtt default rules v1, shipped with cwtt)",
    )
    score.add_argument(
        "--absence-days",
        metavar="N",
        type=int,
        help="school days absent this term above which education rules fire (default: the rules "
        "file's absence_days, 10)",
    )
    score.set_defaults(handler=cmd_score)
