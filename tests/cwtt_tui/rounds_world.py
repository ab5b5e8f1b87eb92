"""A small store with two rounds whose levels and actions are written out by hand.

Levels are six board codes in DOMAINS order: health, nutrition, economic, protection,
education, psychosocial (H high, M medium, L low, - incomplete).

| child    | school  | round 1 | round 2 | note                               |
| -------- | ------- | ------- | ------- | ---------------------------------- |
| Ayanda   | A       | HHLLLL  | MHLLLL  |                                    |
| Botha    | A       | HLLHLL  | HLLLLL  |                                    |
| Cele     | A       | LLLLLL  | HLLLLL  |                                    |
| Dlamini  | A       | H-LLLM  | LMLLLH  |                                    |
| Nkosi    | B       | HLLLLL  | -LLLLL  |                                    |
| Zulu     | A       | MLLHLL  | (none)  | not scored in round 2              |
| Mokoena  | A       | (none)  | LLHLLL  | new in round 2                     |
| Xaba     | A       | HHHHHH  | LLLLLL  | withdrawn: never counted           |
| Xolani   | A       | HHHHHH  | (none)  | merged into Ayanda: never counted  |

Actions planned in round 1 (and one in round 2):

| child   | domain       | round | status   |
| ------- | ------------ | ----- | -------- |
| Ayanda  | health       | 1     | done     |
| Ayanda  | health       | 1     | planned  |
| Botha   | protection   | 1     | referred |
| Cele    | health       | 1     | done     |
| Nkosi   | health       | 1     | declined |
| Dlamini | psychosocial | 1     | done     |
| Xaba    | health       | 1     | done     |
| Xolani  | nutrition    | 1     | done     |
| Zulu    | protection   | 2     | planned  |
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from cwtt_tui.assessing import summarise
from cwtt_tui.board import LEVEL_NAMES
from cwtt_tui.crypto.kdf import TEST_KDF
from cwtt_tui.models import DOMAINS, ActionDetails, Child, ChildDetails, Consent
from cwtt_tui.store.store import Store, create_store

PASSPHRASE = "rounds world test words"
PRACTITIONER_PASSPHRASE = "quiet garden blue kettle"
ROUND_1 = "Baseline 2026"
ROUND_2 = "Follow-up 2026-T3"

LEVELS: dict[str, tuple[str, str | None, str | None]] = {
    "Ayanda": ("A", "HHLLLL", "MHLLLL"),
    "Botha": ("A", "HLLHLL", "HLLLLL"),
    "Cele": ("A", "LLLLLL", "HLLLLL"),
    "Dlamini": ("A", "H-LLLM", "LMLLLH"),
    "Nkosi": ("B", "HLLLLL", "-LLLLL"),
    "Zulu": ("A", "MLLHLL", None),
    "Mokoena": ("A", None, "LLHLLL"),
    "Xaba": ("A", "HHHHHH", "LLLLLL"),
    "Xolani": ("A", "HHHHHH", None),
}
ACTIONS = (
    ("Ayanda", "health", 1, "done"),
    ("Ayanda", "health", 1, "planned"),
    ("Botha", "protection", 1, "referred"),
    ("Cele", "health", 1, "done"),
    ("Nkosi", "health", 1, "declined"),
    ("Dlamini", "psychosocial", 1, "done"),
    ("Xaba", "health", 1, "done"),
    ("Xolani", "nutrition", 1, "done"),
    ("Zulu", "protection", 2, "planned"),
)


def clock() -> datetime:
    return datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def _child(store: Store, school_id: str, name: str) -> Child:
    details = ChildDetails(
        name, name, "2", "2B", date(2019, 3, 4), "female",
        consent=Consent(True, True, "mother", "Nomsa", "2026-02-01", "written"),
    )  # fmt: skip
    return store.children.add(school_id, details)


def score(store: Store, child: Child, round_id: str, levels: str) -> None:
    """Save an assessment with these board codes, as scoring would (board line included)."""
    named = zip(DOMAINS, levels, strict=True)
    result = {"domains": {d: {"level": LEVEL_NAMES[c]} for d, c in named}}
    store.assessments.save(child.id, round_id, result, summarise(child, result, ["2026-08-01"]))


def build(path: Path) -> dict[str, str]:
    """Make the store at `path`; return each child's id by first name."""
    store, _ = create_store(
        path, school_emis="500123456", school_name="Thembeka Primary", laptop_name="Laptop A",
        user_name="Nomsa", role="team_lead", passphrase=PASSPHRASE, kdf=TEST_KDF, clock=clock,
    )  # fmt: skip
    with store:
        schools = {"A": store.home_school_id, "B": store.schools.add("500777888", "Kgotso").id}
        rounds = {
            1: store.rounds.open(ROUND_1, "2026-02-01", "2026-03-31").id,
            2: store.rounds.open(ROUND_2, "2026-08-01").id,
        }
        children = {name: _child(store, schools[s], name) for name, (s, *_) in LEVELS.items()}
        for name, (_, first, second) in LEVELS.items():
            for number, levels in ((1, first), (2, second)):
                if levels:
                    score(store, children[name], rounds[number], levels)
        for name, domain, number, status in ACTIONS:
            action = store.actions.plan(
                children[name].id, rounds[number], domain, ActionDetails(f"Help with {domain}")
            )
            if status != "planned":
                store.actions.set_status(action.id, status)
        store.children.withdraw(children["Xaba"].id, "moved away")
        store.children.set_merged_into(children["Xolani"].id, children["Ayanda"].id)
        store.users.add("Thabo", "practitioner", PRACTITIONER_PASSPHRASE)
        return {name: child.id for name, child in children.items()}
