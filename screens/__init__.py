"""Textual screens and widgets: they present and call services, never SQL or crypto."""
