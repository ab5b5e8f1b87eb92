"""The `cwtt questionnaires` verbs: check instrument files, print paper forms, move translations."""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

from cwtt_tui.cli_output import write_file
from cwtt_tui.config import LANGUAGES
from cwtt_tui.errors import BadInstrument, UsageError
from questionnaires.errors import InstrumentError, Problem
from questionnaires.loader import INSTRUMENTS_DIR, check, instrument_paths, load_instrument
from questionnaires.model import Instrument
from questionnaires.paper import render_html, render_text
from questionnaires.translation import (
    LANGUAGE_NAMES,
    export_strings,
    import_strings,
    translation_path,
)

__all__ = [
    "add_questionnaire_commands",
    "cmd_questionnaires_check",
    "cmd_questionnaires_print",
    "cmd_questionnaires_strings_export",
    "cmd_questionnaires_strings_import",
]

FORMATS = ("text", "html")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _bad(problems: list[Problem]) -> BadInstrument:
    """Print each problem as `file:line: what` on stderr; the error that sums them up."""
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return BadInstrument(f"{count} {noun} in the questionnaire files; see above.")


def _language(lang: str, *, source_ok: bool = True) -> str:
    if lang not in LANGUAGES:
        raise UsageError(f"Unknown language {lang!r}; use one of {', '.join(LANGUAGES)}.")
    if lang == "en" and not source_ok:
        others = ", ".join(code for code in LANGUAGES if code != "en")
        raise UsageError(
            f"English is the source language and is always complete; translate into {others}."
        )
    return lang


def _folder(args: argparse.Namespace) -> Path:
    return Path(args.instruments).expanduser() if args.instruments else INSTRUMENTS_DIR


def _instrument_file(name: str, folder: Path) -> Path:
    """The file of instrument ``name`` (an id in ``folder``, or a path to a TOML file)."""
    path = Path(name).expanduser()
    if path.suffix == ".toml" or len(path.parts) > 1:
        if not path.is_file():
            raise UsageError(f"There is no questionnaire file {path}; check the path.")
        return path
    ids = [p.stem for p in instrument_paths(folder)]
    if name not in ids:
        known = ", ".join(ids) or "none"
        raise UsageError(
            f"There is no questionnaire called {name!r}; the questionnaires are: {known}."
        )
    return folder / f"{name}.toml"


def _load(path: Path) -> Instrument:
    try:
        return load_instrument(path)
    except InstrumentError as exc:
        raise _bad(exc.problems) from exc


def _base_file(path: Path) -> Path:
    """The instrument a translation file ``<id>.<lang>.toml`` belongs to; else ``path``."""
    stem, dot, lang = path.stem.rpartition(".")
    if not dot or lang not in LANGUAGE_NAMES:
        return path
    base = path.with_name(f"{stem}.toml")
    if not base.is_file():
        raise UsageError(f"{path} is a translation, but its questionnaire {base} is not beside it.")
    return base


def cmd_questionnaires_check(args: argparse.Namespace) -> int:
    """Validate the given instrument files (default: the shipped ones), translations included."""
    if args.files:
        paths = list(dict.fromkeys(_base_file(Path(f).expanduser()) for f in args.files))
        for path in paths:
            if not path.is_file():
                raise UsageError(f"There is no questionnaire file {path}; check the path.")
    else:
        paths = instrument_paths()
    problems = check(paths)
    if problems:
        raise _bad(problems)
    if len(paths) == 1:
        print(f"The questionnaire file {paths[0]} is valid.")
    else:
        print(f"All {len(paths)} questionnaire files are valid.")
    return 0


def cmd_questionnaires_print(args: argparse.Namespace) -> int:
    """Render a paper form of one instrument, as text or HTML, to stdout or `--out`."""
    lang = _language(args.lang)
    instrument = _load(_instrument_file(args.instrument, _folder(args)))
    out = Path(args.out).expanduser() if args.out else None
    form = args.format or ("html" if out and out.suffix.lower() in (".html", ".htm") else "text")
    rendered = (render_html if form == "html" else render_text)(instrument, lang)
    if out is None:
        sys.stdout.write(rendered)
        return 0
    write_file(out, rendered, "the paper form")
    name = LANGUAGE_NAMES[lang]
    print(f"Wrote the {instrument.id} paper form ({form}, {name}) to {out}.")
    return 0


def cmd_questionnaires_strings_export(args: argparse.Namespace) -> int:
    """Write a strings file for a translator: one instrument, or every one in the folder."""
    lang = _language(args.lang, source_ok=False)
    folder = _folder(args)
    if args.instrument:
        paths = [_instrument_file(args.instrument, folder)]
    else:
        paths = instrument_paths(folder)
    out = Path(args.out).expanduser() if args.out else Path()
    if len(paths) > 1 and out.suffix == ".toml":
        raise UsageError(
            "--out names one file, but every questionnaire is exported; give a folder."
        )
    for path in paths:
        instrument = _load(path)
        target = out if out.suffix == ".toml" else out / f"cwtt-strings-{instrument.id}-{lang}.toml"
        if target.exists() and not args.force:
            raise UsageError(
                f"{target} already exists and may hold a translator's work; "
                "move it away or add --force to replace it."
            )
        write_file(target, export_strings(instrument, lang), "the strings file")
        print(f"Wrote the {instrument.id} strings for {LANGUAGE_NAMES[lang]} to {target}.")
    return 0


def cmd_questionnaires_strings_import(args: argparse.Namespace) -> int:
    """Read filled strings files, report what is missing, and install the translations."""
    lang = _language(args.lang, source_ok=False)
    folder = _folder(args)
    for name in args.files:
        source = Path(name).expanduser()
        try:
            text = source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise UsageError(f"Cannot read the strings file {source} ({reason}).") from exc
        try:
            ident = tomllib.loads(text).get("instrument")
        except tomllib.TOMLDecodeError as exc:
            line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
            reason = str(exc).split(" (at ")[0]
            raise _bad([Problem(str(source), line, f"not valid TOML: {reason}")]) from exc
        if not isinstance(ident, str) or not _ID.match(ident):
            raise UsageError(
                f"{source} does not say which questionnaire it translates "
                '(instrument = "..." at the top); export the strings again.'
            )
        path = _instrument_file(ident, folder)
        try:
            new_text, report = import_strings(path, text, lang, source=str(source))
        except InstrumentError as exc:
            raise _bad(exc.problems) from exc
        for line in report.lines():
            print(line)
        target = translation_path(path, lang)
        if args.dry_run:
            print(f"Nothing written (--dry-run); the translations would go to {target}.")
            continue
        old = target.read_text(encoding="utf-8") if target.exists() else None
        write_file(target, new_text, "the translation file")
        problems = check([path])
        if problems:  # never leave an instrument that no longer loads
            if old is None:
                target.unlink()
            else:
                target.write_text(old, encoding="utf-8")
            raise _bad(problems)
        print(f"Installed the {lang} translations of {path.stem} in {target}.")
    return 0


def add_questionnaire_commands(verbs: argparse._SubParsersAction) -> None:
    """Add `cwtt questionnaires check|print|strings export|strings import` to ``verbs``."""
    langs = ", ".join(LANGUAGES)
    folder_help = "the folder of questionnaire files (default: the shipped ones)"
    top = verbs.add_parser("questionnaires", help="check, print or translate the questionnaires")
    actions = top.add_subparsers(dest="questionnaires_action", metavar="ACTION", required=True)

    check_cmd = actions.add_parser("check", help="validate questionnaire files; list each problem")
    check_cmd.add_argument(
        "files",
        metavar="FILE",
        nargs="*",
        help="the files to check, translations included (default: every shipped questionnaire)",
    )
    check_cmd.set_defaults(handler=cmd_questionnaires_check)

    print_cmd = actions.add_parser("print", help="write a paper form of a questionnaire")
    print_cmd.add_argument(
        "instrument", metavar="INSTRUMENT", help="a questionnaire id (e.g. caregiver) or a file"
    )
    print_cmd.add_argument(
        "--lang", metavar="L", default="en", help=f"the language of the form ({langs}; default en)"
    )
    print_cmd.add_argument(
        "--format",
        choices=FORMATS,
        help="text or html (default: html when --out ends in .html, else text)",
    )
    print_cmd.add_argument("--out", metavar="FILE", help="write the form to FILE (default: stdout)")
    print_cmd.add_argument("--instruments", metavar="DIR", help=folder_help)
    print_cmd.set_defaults(handler=cmd_questionnaires_print)

    strings = actions.add_parser("strings", help="export or import texts for a translator")
    string_actions = strings.add_subparsers(dest="strings_action", metavar="ACTION", required=True)
    export = string_actions.add_parser("export", help="write a strings file for a translator")
    export.add_argument(
        "instrument",
        metavar="INSTRUMENT",
        nargs="?",
        help="a questionnaire id or file (default: every questionnaire, one file each)",
    )
    export.add_argument("--lang", metavar="L", required=True, help=f"translate into L ({langs})")
    export.add_argument(
        "--out",
        metavar="PATH",
        help="a .toml file, or a folder for cwtt-strings-ID-L.toml files (default: here)",
    )
    export.add_argument(
        "--force", action="store_true", help="replace a strings file that already exists"
    )
    export.add_argument("--instruments", metavar="DIR", help=folder_help)
    export.set_defaults(handler=cmd_questionnaires_strings_export)

    imp = string_actions.add_parser("import", help="install a filled strings file; list the gaps")
    imp.add_argument("files", metavar="FILE", nargs="+", help="strings files a translator filled")
    imp.add_argument("--lang", metavar="L", required=True, help=f"the files' language ({langs})")
    imp.add_argument(
        "--dry-run", action="store_true", help="only report what is missing; write nothing"
    )
    imp.add_argument("--instruments", metavar="DIR", help=folder_help)
    imp.set_defaults(handler=cmd_questionnaires_strings_import)
