"""A power cut mid-interview: the app process is killed, and every answer given is still there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cwtt_tui.store.peek import DEMO_PASSPHRASE
from screens.interview import QuestionScreen
from screens.resume_offer import ResumeOfferScreen

ROOT = Path(__file__).resolve().parents[2]

# Runs the real app headless: unlock, register a child, start the caregiver interview and answer
# questions one by one, reporting each answer after the screen has moved on; never exits itself.
DRIVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from conftest import SteadyApp, fixed_clock
    from cwtt_tui.config import Settings
    from cwtt_tui.crypto.kdf import TEST_KDF

    async def drive(pilot):
        app = pilot.app
        await pilot.press(*{passphrase!r}, "enter")
        await app.workers.wait_for_complete()
        await pilot.press("1")
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+n")
        for value in ("y", "mother", "1", "y", "Sipho", "Nkosi", "m", "04/03/2019", "2", "2B"):
            await pilot.press(*value, "enter")
        await pilot.press("ctrl+s", "2")
        session = app.screen.session
        while True:
            question = session.current
            if question.type == "multiple":
                await pilot.press("1", "enter")
            elif question.choices:
                await pilot.press("1")
            else:
                await pilot.press("3", "enter")
            sys.__stdout__.write(f"answered {{question.id}} -> {{session.current.id}}\\n")
            sys.__stdout__.flush()

    app = SteadyApp(Path({store!r}), settings=Settings(), clock=fixed_clock,
                    kdf=lambda: TEST_KDF, idle_check_seconds=3600)
    app.run(headless=True, size=(80, 24), auto_pilot=drive)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
async def test_killed_mid_interview_resumes_with_every_answer(demo_path: Path, make_app) -> None:
    """SIGKILL after several answers; on restart cwtt offers the interview at the next question."""
    script = DRIVER.format(
        tests=str(Path(__file__).parent), passphrase=DEMO_PASSPHRASE, store=str(demo_path)
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    answered: list[tuple[str, str]] = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("answered "):
                question, _, following = line.split()[1:]
                answered.append((question, following))
            if len(answered) >= 6:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert len(answered) >= 6, "the driver stopped early"
    next_question = answered[-1][1]

    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ResumeOfferScreen)
        assert "Continue Sipho's caregiver interview at question" in app.screen.question
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert screen.session.current is not None
        saved = screen.session.answers
        assert {q for q, _ in answered} <= set(saved)
        assert screen.session.current.id in (next_question, *[f for _, f in answered[-1:]])
        app.store.close()
