"""Rule files shipped with cwtt (``default_v1.toml``: cwtt default rules v1), read as package data."""
