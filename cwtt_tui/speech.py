"""Read aloud: find the operating system's speech engine, speak a question without blocking, stop it.

Linux and BSD use espeak-ng (then espeak, then spd-say), macOS uses `say`, Windows uses the
built-in voice through PowerShell (System.Speech). The text never reaches a command line: it goes
through stdin (espeak, spd-say, say) or an environment variable (PowerShell), so quotes or dashes
in a question cannot change the command. `speak()` starts the process and returns at once.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cwtt_tui.speech_text import MAX_CHARS as MAX_CHARS  # re-exported: part of the API
from cwtt_tui.speech_text import clean_text as clean_text
from cwtt_tui.speech_text import reading as reading
from questionnaires.model import LANGUAGE_NAMES

#: Longest text spoken at once; a question with its options is far shorter.


NO_ENGINE = "This laptop has no speech engine; ask someone to read the question aloud."
NOTHING_TO_READ = "There is nothing to read aloud on this screen."

# Slower than each engine's default: listeners may be children or read little.
ESPEAK_WORDS_PER_MINUTE = "150"
SAY_WORDS_PER_MINUTE = "160"
SPD_RATE = "-20"  # -100..100, 0 is the default
SAPI_RATE = "-1"  # -10..10, 0 is the default

# Windows: keep PowerShell from opening a console window of its own (subprocess.CREATE_NO_WINDOW,
# which exists only on Windows builds of Python).
_CREATE_NO_WINDOW = 0x08000000

# Both scripts are constants: the text and language arrive in environment variables.
_SAPI_SPEAK = r"""
$ErrorActionPreference = 'Stop'
$text = $env:CWTT_SPEAK_TEXT
$lang = $env:CWTT_SPEAK_LANG
$rate = [int]$env:CWTT_SPEAK_RATE
try { Add-Type -AssemblyName System.Speech -ErrorAction Stop } catch {
  $com = New-Object -ComObject SAPI.SpVoice
  $com.Rate = $rate
  [void]$com.Speak($text, 16)
  exit 0
}
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
$s.Rate = $rate
if ($lang) {
  $v = @($s.GetInstalledVoices() | Where-Object {
    $_.Enabled -and $_.VoiceInfo.Culture.TwoLetterISOLanguageName -eq $lang
  } | Sort-Object { $_.VoiceInfo.Culture.Name -ne ($lang + '-ZA') })
  if ($v.Count -gt 0) { $s.SelectVoice($v[0].VoiceInfo.Name) }
}
$s.SetOutputToDefaultAudioDevice()
$s.Speak($text)
"""

_SAPI_LIST = r"""
try { Add-Type -AssemblyName System.Speech -ErrorAction Stop } catch { exit 0 }
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
foreach ($v in $s.GetInstalledVoices()) {
  if ($v.Enabled) {
    [Console]::Out.WriteLine($v.VoiceInfo.Culture.TwoLetterISOLanguageName + "`t" + $v.VoiceInfo.Culture.Name)
  }
}
"""


@dataclass(frozen=True)
class SpeechEngine:
    """One speech engine found on this computer."""

    name: str  # what people see: "espeak-ng", "say", "Windows voice"
    kind: str  # how it is driven: "espeak", "spd", "say" or "sapi"
    path: str  # the executable


@dataclass(frozen=True)
class SpeechResult:
    """What happened when asked to read aloud; `message` is a plain sentence to show, or empty."""

    spoken: bool
    message: str = ""
    fallback_language: str | None = None


@dataclass(frozen=True)
class Command:
    """How to launch one utterance: argv, bytes for stdin, extra environment variables."""

    argv: tuple[str, ...]
    stdin: bytes | None = None
    env: tuple[tuple[str, str], ...] = ()


Which = Callable[[str], str | None]
Popen = Callable[..., Any]
Run = Callable[..., Any]

_CANDIDATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "windows": (("powershell", "Windows voice", "sapi"), ("pwsh", "Windows voice", "sapi")),
    "macos": (("say", "say", "say"), ("espeak-ng", "espeak-ng", "espeak")),
    "unix": (
        ("espeak-ng", "espeak-ng", "espeak"),
        ("espeak", "espeak", "espeak"),
        ("spd-say", "Speech Dispatcher", "spd"),
    ),
}

_INSTALL_HINTS = {
    "windows": "Windows PowerShell is missing; it comes with Windows.",
    "macos": "The macOS 'say' command is missing; it comes with macOS.",
    "unix": "To add one, install espeak-ng (for example: sudo apt install espeak-ng).",
}


def _family(platform: str) -> str:
    if platform.startswith(("win", "cygwin", "msys")):
        return "windows"
    if platform == "darwin":
        return "macos"
    return "unix"


def find_engine(platform: str = sys.platform, which: Which = shutil.which) -> SpeechEngine | None:
    """The first speech engine installed for this platform, or None when there is none."""
    for command, name, kind in _CANDIDATES[_family(platform)]:
        path = which(command)
        if path:
            return SpeechEngine(name=name, kind=kind, path=path)
    return None


def no_engine_message(platform: str = sys.platform) -> str:
    """The sentence shown when there is no engine, with what to install on this platform."""
    return f"{NO_ENGINE} {_INSTALL_HINTS[_family(platform)]}"


def language_name(code: str) -> str:
    """The language's own name ("isiZulu"), or the code itself when it is not one we know."""
    return LANGUAGE_NAMES.get(code, code)


# --- text -------------------------------------------------------------------------------------


def _encoded(script: str) -> str:
    return base64.b64encode(script.encode("utf-16-le")).decode("ascii")


def _powershell(engine: SpeechEngine, script: str) -> tuple[str, ...]:
    # -EncodedCommand spares the constant script from Windows' command-line quoting rules.
    return (
        engine.path,
        "-NoLogo",
        "-NoProfile",
        "-NonInteractive",
        "-EncodedCommand",
        _encoded(script),
    )


def _launch_options(engine: SpeechEngine) -> dict[str, Any]:
    return {"creationflags": _CREATE_NO_WINDOW} if engine.kind == "sapi" else {}


def _list_command(engine: SpeechEngine) -> tuple[str, ...]:
    if engine.kind == "espeak":
        return (engine.path, "--voices")
    if engine.kind == "spd":
        return (engine.path, "-L")
    if engine.kind == "say":
        return (engine.path, "-v", "?")
    return _powershell(engine, _SAPI_LIST)


def _parse_espeak(output: str) -> dict[str, str]:
    # "Pty Language Age/Gender VoiceName File Other Languages", e.g.
    # " 2  en-gb  --/M  English_(Great_Britain)  gmw/en  (en 2)"
    ranked: dict[str, tuple[int, str]] = {}
    for line in output.splitlines()[1:]:
        parts = line.split()
        if len(parts) < 5 or parts[4].startswith("mb/"):  # mbrola voices need extra packages
            continue
        language = parts[1].lower()
        pairs = [(language, 0)] + [
            (alias.lower(), int(rank))
            for alias, rank in re.findall(r"\(([\w-]+) (\d+)\)", " ".join(parts[5:]))
        ]
        for code, rank in pairs:
            for key, score in ((code, rank), (code.split("-")[0], 100 + rank)):
                if key not in ranked or score < ranked[key][0]:
                    ranked[key] = (score, language)
    return {code: voice for code, (_, voice) in ranked.items()}


def _parse_spd(output: str) -> dict[str, str]:
    # "NAME LANGUAGE VARIANT" columns; spd-say picks the voice itself from `-l CODE`.
    table: dict[str, str] = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[-2] != "LANGUAGE":
            table.setdefault(parts[-2].split("-")[0].lower(), parts[-2].split("-")[0].lower())
    return table


_SAY_LINE = re.compile(r"^(?P<name>.*?\S)\s+(?P<lang>[a-z]{2,3})(?:[_-](?P<region>\w+))?\s+#")


def _parse_say(output: str) -> dict[str, str]:
    # "Tessa   en_ZA   # Hello, my name is Tessa."; South African voices first, then British.
    ranked: dict[str, tuple[int, str]] = {}
    for line in output.splitlines():
        match = _SAY_LINE.match(line)
        if not match:
            continue
        region = (match["region"] or "").upper()
        score = {"ZA": 0, "GB": 1}.get(region, 2)
        lang = match["lang"]
        if lang not in ranked or score < ranked[lang][0]:
            ranked[lang] = (score, match["name"])
    return {code: name for code, (_, name) in ranked.items()}


def _parse_sapi(output: str) -> dict[str, str]:
    # "en<TAB>en-US"; the script picks the voice (preferring -ZA) from the two- or three-letter code.
    table: dict[str, str] = {}
    for line in output.splitlines():
        code = line.split("\t")[0].strip().lower()
        if code:
            table[code] = code
    return table


_PARSERS = {"espeak": _parse_espeak, "spd": _parse_spd, "say": _parse_say, "sapi": _parse_sapi}


@functools.cache
def voice_table(engine: SpeechEngine, run: Run = subprocess.run) -> Mapping[str, str]:
    """Language code -> the engine's voice for it, listed once per engine (cached).

    Blocks while the engine lists its voices (PowerShell may take a second or two): call it, or
    `Speaker.prepare()`, from a worker thread before the first key press. An engine that fails
    to list its voices gets an empty table and speaks in its default voice.
    """
    try:
        done = run(
            list(_list_command(engine)),
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=20,
            **_launch_options(engine),
        )
    except (OSError, subprocess.SubprocessError):
        return types.MappingProxyType({})
    return types.MappingProxyType(_PARSERS[engine.kind](done.stdout or ""))


def voices(engine: SpeechEngine, run: Run = subprocess.run) -> frozenset[str]:
    """The language codes this engine can speak (cached; see `voice_table`)."""
    return frozenset(voice_table(engine, run))


def build_command(engine: SpeechEngine, text: str, voice: str | None) -> Command:
    """The process that speaks `text` (already cleaned) in `voice`, or the engine's default voice."""
    data = text.encode("utf-8")
    if engine.kind == "espeak":
        argv = [engine.path, "-s", ESPEAK_WORDS_PER_MINUTE, "-b", "1"]
        if voice:
            argv += ["-v", voice]
        return Command(argv=(*argv, "--stdin"), stdin=data)
    if engine.kind == "spd":
        # One line so spd-say's pipe mode sends a single message; --wait keeps the process alive
        # while it is spoken, so stop() has something to end.
        argv = [engine.path, "--wait", "--pipe-mode", "-r", SPD_RATE]
        if voice:
            argv += ["-l", voice]
        return Command(argv=tuple(argv), stdin=text.replace("\n", " ").encode("utf-8") + b"\n")
    if engine.kind == "say":
        argv = [engine.path, "-r", SAY_WORDS_PER_MINUTE]
        if voice:
            argv += ["-v", voice]
        return Command(argv=(*argv, "-f", "-"), stdin=data)
    # PowerShell's stdin follows the console code page; environment variables are Unicode.
    env = (
        ("CWTT_SPEAK_TEXT", text),
        ("CWTT_SPEAK_LANG", voice or ""),
        ("CWTT_SPEAK_RATE", SAPI_RATE),
    )
    return Command(argv=_powershell(engine, _SAPI_SPEAK), env=env)


def describe(
    engine: SpeechEngine | None, run: Run = subprocess.run, platform: str = sys.platform
) -> str:
    """One line for the settings and help screens: "Read aloud: espeak-ng (English, Afrikaans)"."""
    if engine is None:
        return f"Read aloud: none on this laptop. {_INSTALL_HINTS[_family(platform)]}"
    codes = voices(engine, run)
    names = [name for code, name in LANGUAGE_NAMES.items() if code in codes]
    return f"Read aloud: {engine.name} ({', '.join(names) if names else 'its default voice only'})"


# --- speaking ---------------------------------------------------------------------------------


class Speaker:
    """Speaks one text at a time through one engine; a new `speak()` stops the previous one.

    Args:
        engine: from `find_engine()`; None means there is none and `speak()` says so.
        popen: launches the process (`subprocess.Popen` or a fake in tests).
        run: runs the voice listing (`subprocess.run` or a fake in tests).
        platform: for the install hint when there is no engine.
    """

    def __init__(
        self,
        engine: SpeechEngine | None,
        *,
        popen: Popen = subprocess.Popen,
        run: Run = subprocess.run,
        platform: str = sys.platform,
    ) -> None:
        self.engine = engine
        self._popen = popen
        self._run = run
        self._platform = platform
        self._process: Any = None

    @property
    def speaking(self) -> bool:
        """True while an utterance started here is still running."""
        return self._process is not None and self._process.poll() is None

    def prepare(self) -> None:
        """List the engine's voices now (blocking; meant for a worker thread) so speak() is instant."""
        if self.engine is not None:
            voice_table(self.engine, self._run)

    def describe(self) -> str:
        """One line naming the engine and the interview languages it has voices for."""
        return describe(self.engine, self._run, self._platform)

    def speak(self, text: str, lang: str) -> SpeechResult:
        """Start reading `text` in language `lang` and return at once.

        Falls back to English (and says so) when the engine has no voice for `lang`. Never
        raises for a missing or broken engine: the result's message says what happened.
        """
        self.stop()
        if self.engine is None:
            return SpeechResult(spoken=False, message=no_engine_message(self._platform))
        cleaned = clean_text(text)
        if not cleaned:
            return SpeechResult(spoken=False, message=NOTHING_TO_READ)
        table = voice_table(self.engine, self._run)
        fallback, message = None, ""
        voice = table.get(lang)
        if voice is None:
            voice = table.get("en")
            if lang != "en":
                fallback = "en"
                message = f"No {language_name(lang)} voice here; reading in English."
        command = build_command(self.engine, cleaned, voice)
        try:
            self._process = self._popen(
                list(command.argv),
                stdin=subprocess.PIPE if command.stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, **dict(command.env)} if command.env else None,
                **_launch_options(self.engine),
            )
        except OSError:
            return SpeechResult(
                spoken=False,
                message=f"The speech engine ({self.engine.name}) would not start; "
                "ask someone to read the question aloud.",
            )
        if command.stdin is not None:
            try:
                self._process.stdin.write(command.stdin)
                self._process.stdin.close()
            except OSError:  # the engine quit early (a broken voice); nothing left to say
                pass
        return SpeechResult(spoken=True, message=message, fallback_language=fallback)

    def stop(self) -> None:
        """End the utterance in progress, if any, without waiting for it to exit."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        try:
            process.terminate()
        except OSError:  # it exited between poll() and terminate()
            return
        if self.engine is not None and self.engine.kind == "spd":
            # Speech Dispatcher keeps talking after its client ends; ask it to stop this message.
            with contextlib.suppress(OSError):
                self._popen(
                    [self.engine.path, "--stop"],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )


_default: Speaker | None = None


def default_speaker() -> Speaker:
    """The app's one Speaker on this computer's engine (found on first use)."""
    global _default
    if _default is None:
        _default = Speaker(find_engine())
    return _default


def speak(text: str, lang: str) -> SpeechResult:
    """Read `text` aloud in `lang` through the default speaker; returns at once."""
    return default_speaker().speak(text, lang)


def stop() -> None:
    """Stop whatever the default speaker is reading."""
    if _default is not None:
        _default.stop()


def status() -> str:
    """One line describing read-aloud on this computer, for the settings and help screens."""
    return default_speaker().describe()
