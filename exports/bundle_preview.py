"""Preview several bundles as if imported one after another, then undo it all.

A later bundle from a laptop may refer to records only an earlier one brings, so the bundles
are applied in order inside one transaction that is always rolled back: nothing is changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cwtt_tui.store.store import Store
from exports.bundle_import import ImportSummary, Progress, import_bundles


class _Undo(Exception):
    """Raised inside the transaction to roll the whole preview back."""


def preview_bundles(
    store: Store, groups: Sequence[Sequence[Path]], *, progress: Progress | None = None
) -> list[ImportSummary]:
    """What importing each group (the files of one bundle) in turn would bring; changes nothing."""
    summaries: list[ImportSummary] = []
    try:
        with store.transaction():
            for paths in groups:
                summaries += import_bundles(store, list(paths), progress=progress)
            raise _Undo
    except _Undo:
        pass
    return summaries
