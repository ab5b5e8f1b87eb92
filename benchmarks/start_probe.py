"""Start one app headless at 80×24 and exit as soon as its first screen is up.

`python -m benchmarks.start_probe cwtt STORE` starts cwtt on STORE (stops at the unlock screen);
`python -m benchmarks.start_probe minimal` starts a minimal Textual app, the yardstick.
"""

from __future__ import annotations

import sys
from pathlib import Path


async def _exit_when(pilot, ready) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2000):
        if ready(pilot.app):
            break
        await pilot.pause(0.001)
    pilot.app.exit(0)


def main(argv: list[str]) -> int:
    if argv[0] == "minimal":
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, Input, Static

        class Minimal(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("Hello")
                yield Input(password=True)
                yield Footer()

        app = Minimal()
        app.run(headless=True, size=(80, 24), auto_pilot=lambda p: _exit_when(p, lambda a: True))
        return 0
    from cwtt_tui.app import make_app
    from cwtt_tui.config import Settings

    app = make_app(Path(argv[1]), settings=Settings())

    def at_unlock(app) -> bool:  # type: ignore[no-untyped-def]
        return type(app.screen).__name__ == "UnlockScreen" and app.screen.is_mounted

    app.run(headless=True, size=(80, 24), auto_pilot=lambda p: _exit_when(p, at_unlock))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
