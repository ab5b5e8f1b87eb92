"""cwtt core: models, config, the encrypted store, audit log and demo data."""

__version__ = "0.1.0"
