"""Interview figures: keypress to the next question, and how long each interview runs."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path

SECONDS_PER_QUESTION = 15


def _clock() -> datetime:
    return datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def interview_lengths(children: int = 200, seed: int = 7) -> dict[str, list[int]]:
    """Questions actually asked per instrument, over synthetic children (skip logic applied)."""
    from cwtt_tui.demo import _Child, _child_details, demo_answers
    from cwtt_tui.interviewing import instruments

    rng = random.Random(seed)
    today = date(2026, 11, 2)
    asked: dict[str, list[int]] = {}
    for instrument in instruments().values():
        counts = []
        for _ in range(children):
            child = _Child(rng, _child_details(rng, today), today)
            counts.append(len(demo_answers(rng, instrument, child)))
        asked[instrument.respondent] = counts
    return asked


async def _press_times(
    store_path: Path, presses: int
) -> tuple[list[float], list[float], list[float]]:
    from cwtt_tui.app import CwttApp
    from cwtt_tui.crypto.kdf import TEST_KDF
    from cwtt_tui.interviewing import InterviewSession, ensure_round
    from cwtt_tui.store.peek import DEMO_PASSPHRASE

    app = CwttApp(store_path, clock=_clock, kdf=lambda: TEST_KDF, idle_check_seconds=3600)
    keypress: list[float] = []
    service: list[float] = []
    idle: list[float] = []
    async with app.run_test() as pilot:
        await pilot.press(*DEMO_PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        store = app.store
        assert store is not None
        children = store.children.list()
        for child in children[: max(1, presses // 20)]:
            session = InterviewSession.start(store, child, "caregiver", ensure_round(store))
            app._run_interview(session, lambda: None)
            await pilot.pause()
            while session.current is not None and len(keypress) < presses:
                question = session.current
                if question.choices and question.type != "multiple":
                    start = time.perf_counter()
                    await pilot.press("f12")  # a key nothing answers: the harness's own cost
                    idle.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    await pilot.press("1")
                    keypress.append(time.perf_counter() - start)
                else:
                    start = time.perf_counter()
                    if question.choices:
                        session.answer([question.choices[0].code])
                    else:
                        session.skip("dont_know")
                    service.append(time.perf_counter() - start)
                    app.screen.show_question()  # type: ignore[attr-defined]
                    await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            if len(keypress) >= presses:
                break
        store.close()
    return keypress, service, idle


def keypress_to_next_question(
    store_path: Path, presses: int = 60
) -> tuple[list[float], list[float]]:
    """Seconds from pressing an answer's number to the next question on screen (headless)."""
    return asyncio.run(_press_times(store_path, presses))


def report_lengths(asked: dict[str, list[int]]) -> list[str]:
    lines = []
    for respondent, counts in asked.items():
        median = statistics.median(counts)
        minutes = median * SECONDS_PER_QUESTION / 60
        lines.append(
            f"interview length, {respondent:<9}  median {median:.0f} questions "
            f"(min {min(counts)}, max {max(counts)}) ≈ {minutes:.0f} min at {SECONDS_PER_QUESTION} s each"
        )
    return lines
