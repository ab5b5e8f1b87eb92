"""Read aloud: engine detection, commands, language fallback, stopping, cleaning (no real engine needed)."""

from __future__ import annotations

import ast
import base64
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cwtt_tui import speech
from cwtt_tui.speech import MAX_CHARS, Speaker, SpeechEngine, SpeechResult

ESPEAK_VOICES = """\
Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  af              --/M      Afrikaans          gmw/af
 5  en-029          --/M      English_(Caribbean) gmw/en-029           (en 10)
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  en-us           --/M      us-mbrola-2        mb/mb-us2            (en 7)
 5  sw              --/M      Swahili            bnt/sw
 5  tn              --/M      Setswana           bnt/tn
"""
SAY_VOICES = """\
Alex                en_US    # Most people recognize me by my voice.
Bad News            en_US    # The light you see at the end of the tunnel is a train.
Daniel              en_GB    # Hello, my name is Daniel.
Tessa               en_ZA    # Hello, my name is Tessa.
Ellen               nl_BE    # Hallo, mijn naam is Ellen.
"""
SPD_VOICES = """\
         NAME    LANGUAGE     VARIANT
    afrikaans          af        none
      english          en        none
   english-us       en-US        none
"""
SAPI_VOICES = "en\ten-US\nen\ten-GB\naf\taf-ZA\n"

ESPEAK = SpeechEngine(name="espeak-ng", kind="espeak", path="/usr/bin/espeak-ng")
SAY = SpeechEngine(name="say", kind="say", path="/usr/bin/say")
SPD = SpeechEngine(name="Speech Dispatcher", kind="spd", path="/usr/bin/spd-say")
SAPI = SpeechEngine(name="Windows voice", kind="sapi", path=r"C:\Windows\powershell.exe")
LISTINGS = {"espeak": ESPEAK_VOICES, "say": SAY_VOICES, "spd": SPD_VOICES, "sapi": SAPI_VOICES}

NASTY = """Does "Zanele" say 'yes'? $(rm -rf ~); `calc`"""


class FakeStdin:
    def __init__(self) -> None:
        self.data = b""
        self.closed = False

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)

    def close(self) -> None:
        self.closed = True


class FakeProcess:
    def __init__(self, argv: list[str], kwargs: dict[str, Any]) -> None:
        self.argv = argv
        self.kwargs = kwargs
        self.stdin = FakeStdin() if kwargs.get("stdin") == subprocess.PIPE else None
        self.returncode: int | None = None
        self.terminated = False

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.terminated = True
        self.returncode = -15


class FakePopen:
    def __init__(self) -> None:
        self.processes: list[FakeProcess] = []

    def __call__(self, argv: list[str], **kwargs: Any) -> FakeProcess:
        process = FakeProcess(argv, kwargs)
        self.processes.append(process)
        return process


def fake_run(output: str) -> Any:
    """A new subprocess.run stand-in per test, so the voice cache never leaks between tests."""

    def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(argv, 0, stdout=output, stderr="")

    return run


def speaker_for(engine: SpeechEngine, listing: str | None = None) -> tuple[Speaker, FakePopen]:
    popen = FakePopen()
    run = fake_run(LISTINGS[engine.kind] if listing is None else listing)
    return Speaker(engine, popen=popen, run=run, platform="linux"), popen


def which_of(*installed: str) -> Any:
    return lambda name: f"/bin/{name}" if name in installed else None


def decoded_script(argv: list[str] | tuple[str, ...]) -> str:
    return base64.b64decode(argv[argv.index("-EncodedCommand") + 1]).decode("utf-16-le")


class TestFindEngine:
    @pytest.mark.parametrize(
        ("installed", "expected"),
        [
            (("espeak-ng", "espeak", "spd-say"), "espeak-ng"),
            (("espeak", "spd-say"), "espeak"),
            (("spd-say",), "spd-say"),
        ],
    )
    def test_linux_prefers_espeak_ng_then_espeak_then_spd_say(
        self, installed: tuple[str, ...], expected: str
    ) -> None:
        """Linux takes espeak-ng first, then espeak, then spd-say."""
        engine = speech.find_engine(platform="linux", which=which_of(*installed))
        assert engine is not None and engine.path == f"/bin/{expected}"

    def test_bsd_uses_the_linux_engines(self) -> None:
        """FreeBSD looks for the same engines as Linux."""
        engine = speech.find_engine(platform="freebsd14", which=which_of("espeak-ng"))
        assert engine == SpeechEngine("espeak-ng", "espeak", "/bin/espeak-ng")

    def test_macos_uses_say(self) -> None:
        """macOS uses the built-in say even when espeak-ng is also installed."""
        engine = speech.find_engine(platform="darwin", which=which_of("say", "espeak-ng"))
        assert engine == SpeechEngine("say", "say", "/bin/say")

    @pytest.mark.parametrize(
        ("installed", "expected"), [(("powershell", "pwsh"), "powershell"), (("pwsh",), "pwsh")]
    )
    def test_windows_uses_powershell_then_pwsh(
        self, installed: tuple[str, ...], expected: str
    ) -> None:
        """Windows drives the built-in voice through Windows PowerShell, else pwsh."""
        engine = speech.find_engine(platform="win32", which=which_of(*installed))
        assert engine == SpeechEngine("Windows voice", "sapi", f"/bin/{expected}")

    def test_windows_ignores_linux_engines(self) -> None:
        """On Windows an espeak-ng on PATH without PowerShell still means no engine."""
        assert speech.find_engine(platform="win32", which=which_of("espeak-ng")) is None

    def test_nothing_installed_means_none(self) -> None:
        """No engine on PATH gives None."""
        assert speech.find_engine(platform="linux", which=which_of()) is None


class TestCommands:
    def test_espeak_reads_the_text_from_stdin(self) -> None:
        """espeak-ng gets the text on stdin (--stdin, UTF-8), never in argv."""
        command = speech.build_command(ESPEAK, NASTY, "af")
        assert command.argv == (
            "/usr/bin/espeak-ng",
            "-s",
            "150",
            "-b",
            "1",
            "-v",
            "af",
            "--stdin",
        )
        assert command.stdin == NASTY.encode("utf-8")

    def test_say_reads_the_text_from_stdin(self) -> None:
        """say reads stdin through `-f -` and gets a slower rate and the chosen voice."""
        command = speech.build_command(SAY, NASTY, "Tessa")
        assert command.argv == ("/usr/bin/say", "-r", "160", "-v", "Tessa", "-f", "-")
        assert command.stdin == NASTY.encode("utf-8")

    def test_spd_say_reads_one_line_from_stdin_and_waits(self) -> None:
        """spd-say pipes one line from stdin and waits, so the process lasts as long as the speech."""
        command = speech.build_command(SPD, "Line one.\nLine two.", "af")
        assert command.argv == (
            "/usr/bin/spd-say",
            "--wait",
            "--pipe-mode",
            "-r",
            "-20",
            "-l",
            "af",
        )
        assert command.stdin == b"Line one. Line two.\n"

    def test_powershell_never_sees_the_text_in_its_command_line(self) -> None:
        """PowerShell gets the text in an environment variable; argv and script are constants."""
        command = speech.build_command(SAPI, NASTY, "af")
        joined = " ".join(command.argv)
        assert NASTY not in joined and "Zanele" not in joined
        script = decoded_script(command.argv)
        assert "Zanele" not in script and "$env:CWTT_SPEAK_TEXT" in script
        assert "System.Speech.Synthesis.SpeechSynthesizer" in script
        assert dict(command.env) == {
            "CWTT_SPEAK_TEXT": NASTY,
            "CWTT_SPEAK_LANG": "af",
            "CWTT_SPEAK_RATE": "-1",
        }
        assert command.stdin is None

    def test_powershell_command_is_the_same_for_any_text(self) -> None:
        """Two different questions launch the identical PowerShell argv."""
        first = speech.build_command(SAPI, "Yes?", "en")
        second = speech.build_command(SAPI, NASTY, "zu")
        assert first.argv == second.argv

    def test_speaker_launches_powershell_hidden_with_the_env(self) -> None:
        """The Speaker passes the text through env, with no console window and no stdin."""
        speaker, popen = speaker_for(SAPI)
        speaker.speak(NASTY, "af")
        (process,) = popen.processes
        assert NASTY not in " ".join(process.argv)
        assert (
            process.kwargs["env"]["CWTT_SPEAK_TEXT"]
            == "Does \"Zanele\" say 'yes'? $(rm -rf ~); calc."
        )
        assert process.kwargs["creationflags"] == 0x08000000
        assert process.kwargs["stdin"] == subprocess.DEVNULL


class TestSpeak:
    def test_speak_writes_stdin_and_returns_at_once(self) -> None:
        """speak() starts the process, feeds stdin, closes it and returns without waiting."""
        speaker, popen = speaker_for(ESPEAK)
        result = speaker.speak("Is the child hungry?", "af")
        assert result == SpeechResult(spoken=True)
        (process,) = popen.processes
        assert process.argv[-3:] == ["-v", "af", "--stdin"]
        assert process.stdin is not None
        assert process.stdin.data == b"Is the child hungry?" and process.stdin.closed
        assert process.returncode is None and speaker.speaking

    def test_english_uses_the_best_english_voice(self) -> None:
        """English on espeak-ng picks en-gb (its main English voice), skipping mbrola voices."""
        speaker, popen = speaker_for(ESPEAK)
        assert speaker.speak("Hello.", "en") == SpeechResult(spoken=True)
        assert popen.processes[0].argv[-3:] == ["-v", "en-gb", "--stdin"]

    @pytest.mark.parametrize(
        ("lang", "name"), [("zu", "isiZulu"), ("nso", "Sepedi"), ("nr", "isiNdebele")]
    )
    def test_missing_language_falls_back_to_english_and_says_so(self, lang: str, name: str) -> None:
        """A language without a voice is read in English, with a sentence saying so."""
        speaker, popen = speaker_for(ESPEAK)
        result = speaker.speak("Sawubona.", lang)
        assert result == SpeechResult(
            spoken=True,
            fallback_language="en",
            message=f"No {name} voice here; reading in English.",
        )
        assert popen.processes[0].argv[-3:] == ["-v", "en-gb", "--stdin"]

    def test_say_prefers_a_south_african_voice(self) -> None:
        """On macOS English is read by the en_ZA voice when there is one."""
        speaker, popen = speaker_for(SAY)
        speaker.speak("Hello.", "en")
        assert popen.processes[0].argv[-4:] == ["-v", "Tessa", "-f", "-"]

    def test_voice_listing_failure_speaks_in_the_default_voice(self) -> None:
        """If the engine cannot list voices, it still speaks, in its default voice."""

        def broken_run(argv: list[str], **kwargs: Any) -> Any:
            raise subprocess.TimeoutExpired(argv, 20)

        popen = FakePopen()
        speaker = Speaker(ESPEAK, popen=popen, run=broken_run)
        result = speaker.speak("Hello.", "tn")
        assert result.spoken and result.fallback_language == "en"
        assert "-v" not in popen.processes[0].argv

    @pytest.mark.parametrize(
        ("platform", "hint"),
        [
            ("linux", "To add one, install espeak-ng (for example: sudo apt install espeak-ng)."),
            ("win32", "Windows PowerShell is missing; it comes with Windows."),
            ("darwin", "The macOS 'say' command is missing; it comes with macOS."),
        ],
    )
    def test_no_engine_says_so_with_a_hint(self, platform: str, hint: str) -> None:
        """Without an engine, speak() returns a plain sentence and a per-OS install hint."""
        popen = FakePopen()
        result = Speaker(None, popen=popen, platform=platform).speak("Hello.", "en")
        assert result == SpeechResult(
            spoken=False,
            message="This laptop has no speech engine; ask someone to read the question aloud. "
            + hint,
        )
        assert popen.processes == []

    def test_engine_that_will_not_start_is_reported(self) -> None:
        """A launch failure (engine removed since start-up) becomes a sentence, not an exception."""

        def failing_popen(argv: list[str], **kwargs: Any) -> Any:
            raise FileNotFoundError(argv[0])

        speaker = Speaker(ESPEAK, popen=failing_popen, run=fake_run(ESPEAK_VOICES))
        result = speaker.speak("Hello.", "en")
        assert result == SpeechResult(
            spoken=False,
            message="The speech engine (espeak-ng) would not start; ask someone to read the question aloud.",
        )

    def test_empty_text_is_not_spoken(self) -> None:
        """Text that is only markup starts no process."""
        speaker, popen = speaker_for(ESPEAK)
        assert speaker.speak("[b][/b] ** ", "en") == SpeechResult(
            spoken=False, message="There is nothing to read aloud on this screen."
        )
        assert popen.processes == []


class TestStop:
    def test_stop_terminates_the_utterance(self) -> None:
        """stop() terminates the running process and clears `speaking`."""
        speaker, popen = speaker_for(ESPEAK)
        speaker.speak("A long question.", "en")
        speaker.stop()
        assert popen.processes[0].terminated and not speaker.speaking

    def test_new_speak_stops_the_previous_one(self) -> None:
        """A second speak() ends the first utterance before starting its own."""
        speaker, popen = speaker_for(ESPEAK)
        speaker.speak("First.", "en")
        speaker.speak("Second.", "en")
        first, second = popen.processes
        assert first.terminated and not second.terminated

    def test_stop_leaves_a_finished_process_alone(self) -> None:
        """A process that already ended is not terminated again."""
        speaker, popen = speaker_for(ESPEAK)
        speaker.speak("Short.", "en")
        popen.processes[0].returncode = 0
        speaker.stop()
        assert not popen.processes[0].terminated

    def test_stop_without_speaking_does_nothing(self) -> None:
        """stop() before any speak() is harmless."""
        speaker, popen = speaker_for(ESPEAK)
        speaker.stop()
        assert popen.processes == []

    def test_spd_say_also_asks_the_dispatcher_to_stop(self) -> None:
        """Speech Dispatcher outlives its client, so stop() also runs `spd-say --stop`."""
        speaker, popen = speaker_for(SPD)
        speaker.speak("Hello.", "af")
        speaker.stop()
        assert popen.processes[0].terminated
        assert popen.processes[1].argv == ["/usr/bin/spd-say", "--stop"]


class TestText:
    def test_rich_and_markdown_markup_is_removed(self) -> None:
        """Rich tags, Markdown emphasis, links and escaped brackets do not reach the voice."""
        text = "[b]Does[/b] **Zanele** eat [i]breakfast[/]? See [the guide](https://x.org) \\[Say]"
        assert speech.clean_text(text) == "Does Zanele eat breakfast? See the guide Say."

    def test_control_characters_and_say_commands_are_removed(self) -> None:
        """Terminal escapes, control bytes and `say`'s [[embedded commands]] are dropped."""
        text = "\x1b[31mRed\x1b[0m\x00 alert\x07 [[rate 400]]now"
        assert speech.clean_text(text) == "Red alert now."

    def test_each_line_becomes_a_phrase(self) -> None:
        """Lines without closing punctuation get a full stop so options are read apart."""
        assert speech.clean_text("# Food\nDid you eat?\r\n1: Yes\n\n2: No") == (
            "Food. Did you eat? 1: Yes. 2: No."
        )

    def test_reading_numbers_the_options(self) -> None:
        """reading() gives the question, the hint, then each option with its number key."""
        text = speech.reading(
            "Did the child eat today?", ["Yes", "No"], hint="Think of this morning"
        )
        assert speech.clean_text(text) == (
            "Did the child eat today? Think of this morning. 1: Yes. 2: No."
        )

    def test_long_text_is_capped_at_a_sentence(self) -> None:
        """Text past the cap is cut at the last whole sentence within it."""
        text = "The child walks far to school. " * 200
        cleaned = speech.clean_text(text)
        assert len(cleaned) <= MAX_CHARS and cleaned.endswith("school.")

    def test_long_text_without_sentences_is_cut_at_a_word(self) -> None:
        """A cap inside one endless sentence ends on a whole word."""
        cleaned = speech.clean_text("word " * 1000)
        assert len(cleaned) <= MAX_CHARS and cleaned.endswith("word")

    def test_the_speaker_applies_cleaning_and_cap(self) -> None:
        """What reaches the engine is the cleaned, capped text."""
        speaker, popen = speaker_for(ESPEAK)
        speaker.speak("[b]x[/b] " + "y" * 5000, "en")
        stdin = popen.processes[0].stdin
        assert stdin is not None and len(stdin.data) <= MAX_CHARS
        assert not stdin.data.startswith(b"[b]")


class TestVoicesAndDescribe:
    @pytest.mark.parametrize(
        ("engine", "expected"),
        [
            (ESPEAK, {"af", "en", "sw", "tn"}),
            (SAY, {"en", "nl"}),
            (SPD, {"af", "en"}),
            (SAPI, {"af", "en"}),
        ],
    )
    def test_voices_lists_language_codes(self, engine: SpeechEngine, expected: set[str]) -> None:
        """voices() turns each engine's listing into base language codes."""
        codes = speech.voices(engine, fake_run(LISTINGS[engine.kind]))
        assert expected <= codes and "zu" not in codes

    def test_voices_are_listed_once(self) -> None:
        """The voice listing runs once per engine, however often it is asked for."""
        calls: list[list[str]] = []

        def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
            calls.append(argv)
            return subprocess.CompletedProcess(argv, 0, stdout=ESPEAK_VOICES, stderr="")

        speaker = Speaker(ESPEAK, popen=FakePopen(), run=run)
        speaker.prepare()
        speaker.speak("One.", "en")
        speaker.speak("Two.", "af")
        assert calls == [["/usr/bin/espeak-ng", "--voices"]]

    def test_powershell_voice_listing_is_a_constant_script(self) -> None:
        """PowerShell lists voices through System.Speech, hidden, with an encoded script."""
        seen: dict[str, Any] = {}

        def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
            seen.update(argv=argv, kwargs=kwargs)
            return subprocess.CompletedProcess(argv, 0, stdout=SAPI_VOICES, stderr="")

        speech.voices(SAPI, run)
        assert "GetInstalledVoices" in decoded_script(seen["argv"])
        assert seen["kwargs"]["creationflags"] == 0x08000000

    def test_describe_names_the_engine_and_languages(self) -> None:
        """describe() gives one line with the engine and the interview languages it can read."""
        speaker, _ = speaker_for(ESPEAK)
        assert speaker.describe() == "Read aloud: espeak-ng (English, Afrikaans, Setswana)"

    def test_describe_without_engine(self) -> None:
        """describe() without an engine says so and what to install."""
        assert speech.describe(None, platform="linux") == (
            "Read aloud: none on this laptop. "
            "To add one, install espeak-ng (for example: sudo apt install espeak-ng)."
        )

    def test_describe_with_no_known_voices(self) -> None:
        """An engine that lists no voices is described as using its default voice."""
        assert (
            speech.describe(SAPI, fake_run(""))
            == "Read aloud: Windows voice (its default voice only)"
        )


def test_module_uses_the_standard_library_only() -> None:
    """speech.py imports only the standard library, its text helper and the language table."""
    tree = ast.parse(Path(speech.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert modules <= set(sys.stdlib_module_names) | {"__future__", "questionnaires", "cwtt_tui"}


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_really_speaks_to_a_wav_file(tmp_path: Path) -> None:
    """The real espeak-ng reads Afrikaans (with ë) from stdin into a WAV file."""
    wav = tmp_path / "question.wav"
    launched: list[subprocess.Popen[bytes]] = []

    def popen_to_wav(argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([argv[0], "-w", str(wav), *argv[1:]], **kwargs)
        launched.append(process)
        return process

    engine = speech.find_engine(platform="linux")
    assert engine is not None and engine.kind == "espeak"
    speaker = Speaker(engine, popen=popen_to_wav)
    text = speech.reading("Het die kind vandag ontbyt geëet?", ["Ja", "Nee"])
    assert speaker.speak(text, "af") == SpeechResult(spoken=True)
    assert launched[0].wait(timeout=30) == 0
    assert wav.read_bytes()[:4] == b"RIFF" and wav.stat().st_size > 10_000
    assert "en" in speech.voices(engine) and "af" in speech.voices(engine)
