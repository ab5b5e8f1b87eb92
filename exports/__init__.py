"""Signed, encrypted bundles and reports, built on top of the store."""
