"""Merging two records of one child (a probable duplicate), keeping everything, undoable."""

from __future__ import annotations

from dataclasses import dataclass

from cwtt_tui.assessing import assess_child
from cwtt_tui.errors import NotAllowed, RecordNotFound, UsageError
from cwtt_tui.store.context import new_id
from cwtt_tui.store.store import Store

MERGE_ROLES = ("team_lead", "coordinator")


@dataclass(frozen=True)
class ChildMerge:
    id: str
    kept_id: str
    merged_id: str
    status: str  # "merged" or "undone"
    created_at: str
    interviews: tuple[str, ...]
    actions: tuple[str, ...]


def _check_role(store: Store) -> None:
    if store.user is None or store.user.role not in MERGE_ROLES:
        raise NotAllowed("Only a team lead or coordinator may merge or unmerge children.")


def merge_children(store: Store, kept_id: str, merged_id: str) -> ChildMerge:
    """Move every interview and action of `merged_id` to `kept_id` and hide `merged_id`."""
    _check_role(store)
    if kept_id == merged_id:
        raise UsageError("Choose two different children to merge.")
    kept, other = store.children.get(kept_id), store.children.get(merged_id)
    if kept.merged_into or other.merged_into:
        raise UsageError("One of these children was already merged; undo that merge first.")
    interviews = tuple(i.id for i in store.interviews.list(child_id=merged_id))
    actions = tuple(a.id for a in store.actions.list(child_id=merged_id))
    rounds = {i.round_id for i in store.interviews.list(child_id=merged_id)}
    merge_id = new_id()
    with store.transaction():
        for interview_id in interviews:
            store.interviews.move_to_child(interview_id, kept_id)
        for action_id in actions:
            store.actions.move_to_child(action_id, kept_id)
        store.children.set_merged_into(merged_id, kept_id)
        store.db.execute(
            "insert into child_merges (id, kept_id, merged_id, status, created_at, payload) "
            "values (?, ?, ?, 'merged', ?, ?)",
            [merge_id, kept_id, merged_id, store.ctx.now(),
             store.ctx.seal_json("child_merges", merge_id,
                                 {"interviews": interviews, "actions": actions})],
        )  # fmt: skip
        store.audit.record("child.merge", kept_id, merged=merged_id, merge=merge_id)
        for round_id in rounds:
            assess_child(store, store.children.get(kept_id), round_id)
    return get_merge(store, merge_id)


def undo_merge(store: Store, merge_id: str) -> ChildMerge:
    """Put back exactly what a merge moved, and show the second child again."""
    _check_role(store)
    merge = get_merge(store, merge_id)
    if merge.status != "merged":
        raise UsageError("That merge was already undone.")
    rounds = {store.interviews.get(i).round_id for i in merge.interviews}
    with store.transaction():
        for interview_id in merge.interviews:
            store.interviews.move_to_child(interview_id, merge.merged_id)
        for action_id in merge.actions:
            store.actions.move_to_child(action_id, merge.merged_id)
        store.children.set_merged_into(merge.merged_id, None)
        store.db.execute("update child_merges set status = 'undone' where id = ?", [merge_id])
        store.audit.record("child.unmerge", merge.kept_id, merged=merge.merged_id, merge=merge_id)
        for round_id in rounds:
            for child_id in (merge.kept_id, merge.merged_id):
                assess_child(store, store.children.get(child_id), round_id)
    return get_merge(store, merge_id)


def get_merge(store: Store, merge_id: str) -> ChildMerge:
    found = [m for m in list_merges(store) if m.id == merge_id]
    if not found:
        raise RecordNotFound(f"There is no merge {merge_id}; see `cwtt duplicates --merged`.")
    return found[0]


def list_merges(store: Store) -> list[ChildMerge]:
    merges = []
    for row in store.db.query("select * from child_merges order by created_at, id"):
        data = store.ctx.open_json("child_merges", row["id"], row["payload"])
        merges.append(
            ChildMerge(
                id=row["id"],
                kept_id=row["kept_id"],
                merged_id=row["merged_id"],
                status=row["status"],
                created_at=row["created_at"],
                interviews=tuple(data["interviews"]),
                actions=tuple(data["actions"]),
            )  # fmt: skip
        )
    return merges


def dismiss_pair(store: Store, a: str, b: str) -> None:
    """Record that two children are not the same, so they are not proposed again."""
    key = ":".join(sorted((a, b)))
    with store.transaction():
        store.db.execute(
            "insert or ignore into duplicate_dismissals (pair, at) values (?, ?)",
            [key, store.ctx.now()],
        )
        store.audit.record("child.not_duplicate", a, other=b)


def dismissed_pairs(store: Store) -> frozenset[str]:
    return frozenset(r[0] for r in store.db.execute("select pair from duplicate_dismissals"))
