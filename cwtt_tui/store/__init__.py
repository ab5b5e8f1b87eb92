"""The encrypted case store: the only package that speaks SQL.

Import from the submodules (`cwtt_tui.store.store`, `cwtt_tui.store.peek`, `cwtt_tui.store.backup`)
so that reading a store's clear facts does not load sqlite-utils or cryptography.
"""
